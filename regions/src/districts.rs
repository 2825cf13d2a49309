//! The records the indexes are built over: one per 시군구 (current or abolished) and one per
//! 읍면동 or 리. Ids are positions in the index's vectors.

use super::reorg::Event;

/// A 시군구, current or abolished. Abolished ones have successors and the event that
/// retired them; they are kept so old names and codes can be answered with the new code.
#[derive(Debug)]
pub(crate) struct District {
    /// Five-digit code.
    pub code: Box<str>,
    /// Full name, e.g. "경기도 성남시 분당구".
    pub name: Box<str>,
    /// Current districts that carry an abolished district's records (empty when current).
    pub successors: Vec<u32>,
    /// Why and when an abolished district went (`None` when current).
    pub event: Option<&'static Event>,
}

impl District {
    /// Two-digit 시도 code: the first two digits of `code`.
    pub(crate) fn sido(&self) -> &str {
        &self.code[..2]
    }
}

/// A 읍면동 or 리 below a current district.
#[derive(Debug)]
pub(crate) struct Dong {
    /// Id of the district it belongs to.
    pub district: u32,
    /// Name below the 시군구: "공덕동" or "화양읍 범곡리".
    pub name: Box<str>,
    /// Ten-digit code, when the source table has one.
    pub code: Option<Box<str>>,
}
