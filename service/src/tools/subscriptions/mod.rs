//! The Applyhome 청약 tools: `get_apt_subscription_info` (notices, 분양정보),
//! `get_apt_subscription_results` (applicant, winner, competition and score statistics),
//! and, for one notice, `get_apt_subscription_detail` (its house-type supply table) and
//! `get_apt_subscription_competition` (its competition table).
//!
//! Each tool validates its arguments into an upstream query before any request is made,
//! so a bad argument never costs quota, and translates the upstream upper-case columns
//! into the readable snake_case fields documented on the output types.

mod areas;
mod competition;
mod detail;
mod info;
mod lookup;
mod notice;
mod results;
mod statistics;

use serde::{Deserialize, Serialize};

use schemars::{self, JsonSchema};

use crate::{
    tools::ToolError,
    upstream::odcloud::{Page, Query},
};

pub use crate::upstream::odcloud::StatKind;
pub use competition::{
    CompetitionLine, CompetitionSummary, SubscriptionCompetitionOutput, TypeCompetition,
    subscription_competition,
};
pub use detail::{
    HouseType, SpecialSupply, SubscriptionDetailOutput, SupplyTotals, subscription_detail,
};
pub use info::{SubscriptionInfoArgs, SubscriptionInfoOutput, subscription_info};
pub use lookup::SubscriptionNoticeArgs;
pub use notice::{Notice, NoticeStatus, PriorityPeriod};
pub use results::{SubscriptionResultsArgs, SubscriptionResultsOutput, subscription_results};
pub use statistics::StatisticsRow;

/// 거주구분: where an applicant lives relative to the complex, which decides the order in
/// which applications are considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Residence {
    /// 해당지역 (code 01): residents of the city or county where the complex is built.
    Local,
    /// 기타지역 (code 02): residents of other areas who may also apply.
    OtherRegion,
    /// 기타경기 (code 03): residents of the rest of Gyeonggi, for capital-area complexes.
    OtherGyeonggi,
}

impl Residence {
    /// Applyhome's code (`RESIDE_SECD`).
    pub fn code(self) -> &'static str {
        match self {
            Residence::Local => "01",
            Residence::OtherRegion => "02",
            Residence::OtherGyeonggi => "03",
        }
    }

    /// Applyhome's Korean label.
    pub fn label(self) -> &'static str {
        match self {
            Residence::Local => "해당지역",
            Residence::OtherRegion => "기타지역",
            Residence::OtherGyeonggi => "기타경기",
        }
    }
}

/// Arguments checked and turned into one upstream query, with the filters in words.
struct Request {
    query: Query,
    filters: Vec<String>,
    page: u32,
    per_page: u32,
}

/// Paging facts shared by both tools' outputs.
struct Paging {
    total_count: u64,
    page: u32,
    per_page: u32,
    has_more: bool,
}

impl Paging {
    fn of<T>(page: &Page<T>, requested_page: u32, per_page: u32) -> Self {
        let seen = u64::from(requested_page.saturating_sub(1)) * u64::from(per_page)
            + page.rows.len() as u64;
        Self {
            total_count: page.match_count,
            page: requested_page,
            per_page,
            has_more: seen < page.match_count,
        }
    }
}

/// Reads an optional page number (default 1).
fn page_number(value: Option<u32>) -> Result<u32, ToolError> {
    let page = value.unwrap_or(1);
    if (1..=MAX_PAGE).contains(&page) {
        Ok(page)
    } else {
        Err(ToolError::invalid_argument(
            "page",
            format!("must be between 1 and {MAX_PAGE} (got {page})"),
        ))
    }
}

/// Reads an optional page size.
fn page_size(value: Option<u32>, default: u32, max: u32) -> Result<u32, ToolError> {
    let limit = value.unwrap_or(default);
    if (1..=max).contains(&limit) {
        Ok(limit)
    } else {
        Err(ToolError::invalid_argument(
            "limit",
            format!("must be between 1 and {max} (got {limit})"),
        ))
    }
}

/// Reads an optional search text: trimmed, blank means absent, bounded length.
fn search_text(name: &str, value: Option<&str>) -> Result<Option<String>, ToolError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(ToolError::invalid_argument(
            name,
            format!("is longer than {MAX_SEARCH_CHARS} characters; use a shorter part of the name"),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// Reads an optional supply-area name into Applyhome's area.
fn supply_area(value: Option<&str>) -> Result<Option<areas::Area>, ToolError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Some([gwangju, jeonnam]) = areas::merged_gwangju_jeonnam(text) {
        return Err(ToolError::invalid_argument(
            "region",
            format!(
                "`{text}` is the 시·도 formed on 2026-07-01 by merging 광주광역시 and 전라남도. \
                 Applyhome's own area table for it is not published; as far as is known it \
                 still files them as two supply areas, {} ({}) and {} ({}), and one filter \
                 can name only one. Ask for region `{}` and then `{}` (two calls) and combine \
                 them. For notices, get_apt_subscription_info's `address_contains` works too: \
                 addresses of newer notices may read 전남광주통합특별시, older ones 광주광역시 \
                 or 전라남도.",
                gwangju.name, gwangju.code, jeonnam.name, jeonnam.code, gwangju.name, jeonnam.name
            ),
        ));
    }
    areas::find(text).map(Some).ok_or_else(|| {
        ToolError::invalid_argument(
            "region",
            format!(
                "`{text}` is not one of Applyhome's supply areas (시·도): {}. \
                 For a 시·군·구 or 동 such as 강남구 or 수원시, leave `region` out and use \
                 `address_contains` with get_apt_subscription_info.",
                areas::names()
            ),
        )
    })
}

/// Highest page number accepted; far beyond any real result.
const MAX_PAGE: u32 = 10_000;

/// Longest search text accepted; complex names and addresses are far shorter.
const MAX_SEARCH_CHARS: usize = 50;
