//! Which operations the stand-in serves, their rows and the filters each accepts.

use serde_json::Value;

use super::{COMPETITION_PATH, HOUSE_TYPES_PATH, NOTICE_PATH, STATISTICS_PATH, data, detail};

/// A dataset the stand-in serves, with the filters its operation accepts.
pub(super) struct Dataset {
    pub(super) rows: Vec<Value>,
    pub(super) filters: &'static [&'static str],
}

const NOTICE_FILTERS: &[&str] = &[
    "HOUSE_MANAGE_NO::EQ",
    "PBLANC_NO::EQ",
    "HOUSE_NM::LIKE",
    "HOUSE_SECD::EQ",
    "HOUSE_DTL_SECD::EQ",
    "SUBSCRPT_AREA_CODE::EQ",
    "SUBSCRPT_AREA_CODE_NM::EQ",
    "HSSPLY_ADRES::LIKE",
    "RCRIT_PBLANC_DE::LT",
    "RCRIT_PBLANC_DE::LTE",
    "RCRIT_PBLANC_DE::GT",
    "RCRIT_PBLANC_DE::GTE",
];
/// The per-notice operations filter by the notice's ids only.
const ID_FILTERS: &[&str] = &["HOUSE_MANAGE_NO::EQ", "PBLANC_NO::EQ"];
const COMPETITION_FILTERS: &[&str] = &["HOUSE_MANAGE_NO::EQ", "PBLANC_NO::EQ", "RESIDE_SECD::EQ"];
const MONTH_FILTERS: &[&str] = &[
    "STAT_DE::EQ",
    "STAT_DE::LT",
    "STAT_DE::LTE",
    "STAT_DE::GT",
    "STAT_DE::GTE",
];
const AREA_FILTERS: &[&str] = &[
    "STAT_DE::EQ",
    "STAT_DE::LT",
    "STAT_DE::LTE",
    "STAT_DE::GT",
    "STAT_DE::GTE",
    "SUBSCRPT_AREA_CODE::EQ",
];
const SCORE_FILTERS: &[&str] = &[
    "STAT_DE::EQ",
    "STAT_DE::LT",
    "STAT_DE::LTE",
    "STAT_DE::GT",
    "STAT_DE::GTE",
    "SUBSCRPT_AREA_CODE::EQ",
    "RESIDE_SECD::EQ",
];

impl Dataset {
    /// The operation at `path` (below the host), or `None` for one the service lacks.
    pub(super) fn at(path: &str) -> Option<Self> {
        let below = path.strip_prefix("/api")?;
        let (rows, filters) = match below {
            NOTICE_PATH => (data::notices(), NOTICE_FILTERS),
            HOUSE_TYPES_PATH => (detail::house_types(), ID_FILTERS),
            COMPETITION_PATH => (detail::competition(), COMPETITION_FILTERS),
            _ => return Self::statistics(below),
        };
        Some(Self { rows, filters })
    }

    fn statistics(below: &str) -> Option<Self> {
        let operation = below.strip_prefix(STATISTICS_PATH)?;
        let rows = data::statistics(operation)?;
        let filters = match operation {
            "getAPTReqstAgeStat" | "getAPTPrzwnerAgeStat" => MONTH_FILTERS,
            "getAPTApsPrzwnerStat" => SCORE_FILTERS,
            _ => AREA_FILTERS,
        };
        Some(Self { rows, filters })
    }
}
