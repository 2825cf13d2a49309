//! `get_apt_subscription_info`: APT notices (분양정보) with their schedules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use schemars::{self, JsonSchema};

use crate::{
    tools::{Provenance, ToolError},
    upstream::odcloud::{OdcloudClient, Op, Query, fields, kst_today},
};

use super::{
    Paging, Request,
    notice::{Notice, notice, parse_date},
    page_number, page_size, search_text, supply_area,
};

/// Notices per page when `limit` is not given.
const DEFAULT_LIMIT: u32 = 20;
/// Most notices per page; a notice is large.
const MAX_LIMIT: u32 = 100;

/// Arguments of `get_apt_subscription_info`. Every filter is optional; filters combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub struct SubscriptionInfoArgs {
    /// Supply area (공급지역): a 시·도 such as 서울, 경기, 부산 or 제주 (long forms such as
    /// 서울특별시 work too). For a 시·군·구 or 동 use `address_contains`.
    #[schemars(length(min = 1, max = 20))]
    pub region: Option<String>,
    /// Part of the supply address (공급위치), e.g. 강남구, 수원시 장안구, 송도동.
    #[schemars(length(min = 1, max = 50))]
    pub address_contains: Option<String>,
    /// Part of the complex name (주택명), e.g. 자이, 래미안, 힐스테이트.
    #[schemars(length(min = 1, max = 50))]
    pub house_name_contains: Option<String>,
    /// Earliest notice date (모집공고일), `YYYY-MM-DD`; without it notices of every year
    /// come back.
    #[schemars(regex(pattern = r"^\d{4}-?\d{2}-?\d{2}$"))]
    pub notice_date_from: Option<String>,
    /// Latest notice date (모집공고일), `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^\d{4}-?\d{2}-?\d{2}$"))]
    pub notice_date_to: Option<String>,
    /// Page number, 1-based (default 1).
    #[schemars(range(min = 1, max = 10000))]
    pub page: Option<u32>,
    /// Notices per page (default 20, at most 100).
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<u32>,
}

/// Result of `get_apt_subscription_info`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SubscriptionInfoOutput {
    /// Notices matching the filters, across all pages.
    pub total_count: u64,
    /// This page's number (1-based).
    pub page: u32,
    /// Page size used.
    pub per_page: u32,
    /// Whether later pages hold more matching notices.
    pub has_more: bool,
    /// The filters applied, in words (empty when none).
    pub filters: Vec<String>,
    /// The notices on this page, in the service's order.
    pub notices: Vec<Notice>,
    /// Live or cached, and the quota this call used.
    pub source: Provenance,
}

/// Lists APT notices matching the filters.
pub async fn subscription_info(
    client: &OdcloudClient,
    args: SubscriptionInfoArgs,
) -> Result<SubscriptionInfoOutput, ToolError> {
    let request = request(&args)?;
    let answer = client.notices(&request.query).await?;
    let paging = Paging::of(&answer.page, request.page, request.per_page);
    let today = kst_today();
    Ok(SubscriptionInfoOutput {
        total_count: paging.total_count,
        page: paging.page,
        per_page: paging.per_page,
        has_more: paging.has_more,
        filters: request.filters,
        notices: answer.page.rows.iter().map(|r| notice(r, today)).collect(),
        source: Provenance::new(answer.freshness, answer.upstream_calls),
    })
}

fn request(args: &SubscriptionInfoArgs) -> Result<Request, ToolError> {
    let page = page_number(args.page)?;
    let per_page = page_size(args.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let from = notice_date("notice_date_from", args.notice_date_from.as_deref())?;
    let to = notice_date("notice_date_to", args.notice_date_to.as_deref())?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ToolError::invalid_argument(
            "notice_date_from",
            format!("{from} is after notice_date_to {to}; swap them"),
        ));
    }
    let mut query = Query::new(page, per_page);
    let mut filters = Vec::new();
    if let Some(area) = supply_area(args.region.as_deref())? {
        query = query.with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, area.name);
        filters.push(format!("공급지역 = {}", area.name));
    }
    if let Some(text) = search_text("address_contains", args.address_contains.as_deref())? {
        filters.push(format!("공급위치에 '{text}' 포함"));
        query = query.with(fields::HSSPLY_ADRES, Op::Like, text);
    }
    if let Some(text) = search_text("house_name_contains", args.house_name_contains.as_deref())? {
        filters.push(format!("주택명에 '{text}' 포함"));
        query = query.with(fields::HOUSE_NM, Op::Like, text);
    }
    if let Some(from) = from {
        query = query.with(fields::RCRIT_PBLANC_DE, Op::Gte, from.to_string());
        filters.push(format!("모집공고일 ≥ {from}"));
    }
    if let Some(to) = to {
        query = query.with(fields::RCRIT_PBLANC_DE, Op::Lte, to.to_string());
        filters.push(format!("모집공고일 ≤ {to}"));
    }
    Ok(Request {
        query,
        filters,
        page,
        per_page,
    })
}

fn notice_date(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ToolError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    parse_date(text).map(Some).ok_or_else(|| {
        ToolError::invalid_argument(
            name,
            format!("`{text}` is not a date; use YYYY-MM-DD, e.g. 2025-03-01"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> SubscriptionInfoArgs {
        SubscriptionInfoArgs::default()
    }

    #[test]
    fn filters_become_conditions_and_words() {
        let request = request(&SubscriptionInfoArgs {
            region: Some("경기도".into()),
            address_contains: Some(" 수원시 ".into()),
            house_name_contains: Some("푸르지오".into()),
            notice_date_from: Some("20250101".into()),
            notice_date_to: Some("2025-06-30".into()),
            page: Some(2),
            limit: Some(5),
        })
        .unwrap();
        let conditions: Vec<_> = request
            .query
            .conditions()
            .iter()
            .map(|c| (c.param(), c.value.as_str()))
            .collect();
        assert_eq!(
            conditions,
            [
                ("cond[SUBSCRPT_AREA_CODE_NM::EQ]".to_owned(), "경기"),
                ("cond[HSSPLY_ADRES::LIKE]".to_owned(), "수원시"),
                ("cond[HOUSE_NM::LIKE]".to_owned(), "푸르지오"),
                ("cond[RCRIT_PBLANC_DE::GTE]".to_owned(), "2025-01-01"),
                ("cond[RCRIT_PBLANC_DE::LTE]".to_owned(), "2025-06-30"),
            ]
        );
        assert_eq!(request.filters[0], "공급지역 = 경기");
        assert_eq!((request.page, request.per_page), (2, 5));
    }

    #[test]
    fn blank_filters_are_ignored_and_defaults_apply() {
        let request = request(&SubscriptionInfoArgs {
            region: Some("  ".into()),
            house_name_contains: Some(String::new()),
            ..args()
        })
        .unwrap();
        assert!(request.query.conditions().is_empty());
        assert_eq!((request.page, request.per_page), (1, DEFAULT_LIMIT));
    }

    #[test]
    fn bad_arguments_name_the_argument_and_the_fix() {
        let cases = [
            (
                SubscriptionInfoArgs {
                    region: Some("강남구".into()),
                    ..args()
                },
                "`region`",
            ),
            (
                SubscriptionInfoArgs {
                    notice_date_from: Some("2025-13-01".into()),
                    ..args()
                },
                "YYYY-MM-DD",
            ),
            (
                SubscriptionInfoArgs {
                    notice_date_from: Some("2025-06-01".into()),
                    notice_date_to: Some("2025-01-01".into()),
                    ..args()
                },
                "swap",
            ),
            (
                SubscriptionInfoArgs {
                    limit: Some(0),
                    ..args()
                },
                "`limit`",
            ),
            (
                SubscriptionInfoArgs {
                    limit: Some(101),
                    ..args()
                },
                "`limit`",
            ),
            (
                SubscriptionInfoArgs {
                    page: Some(0),
                    ..args()
                },
                "`page`",
            ),
            (
                SubscriptionInfoArgs {
                    house_name_contains: Some("가".repeat(51)),
                    ..args()
                },
                "shorter",
            ),
        ];
        for (bad, expected) in cases {
            let error = request(&bad).err().unwrap();
            assert!(
                error.message().contains(expected),
                "{bad:?}: {}",
                error.message()
            );
        }
    }
}
