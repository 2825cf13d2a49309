//! `get_apt_subscription_results`: the six Applyhome statistics tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use schemars::{self, JsonSchema};

use crate::{
    tools::{Provenance, ToolError, calendar::YearMonth, transactions::MonthArg},
    upstream::odcloud::{OdcloudClient, Op, Query, StatKind, fields},
};

use super::{
    Paging, Request, Residence, page_number, page_size,
    statistics::{StatisticsRow, statistics_row},
    supply_area,
};

/// Rows per page when `limit` is not given: a month of every region fits.
const DEFAULT_LIMIT: u32 = 100;
/// Most rows per page; rows are small.
const MAX_LIMIT: u32 = 1000;
/// Applyhome's statistics do not reach further back than this.
const FIRST_MONTH: YearMonth = match YearMonth::new(2000, 1) {
    Some(month) => month,
    None => panic!("2000-01 is a month"),
};

/// Arguments of `get_apt_subscription_results`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
pub struct SubscriptionResultsArgs {
    /// Which table to read.
    pub kind: StatKind,
    /// A single month, `YYYYMM` (figures appear about two months later); or give a range.
    pub year_month: Option<MonthArg>,
    /// First month of a range, `YYYYMM`.
    pub from_year_month: Option<MonthArg>,
    /// Last month of a range, `YYYYMM`.
    pub to_year_month: Option<MonthArg>,
    /// Supply area (시·도) such as 서울 or 경기; not for the nationwide `*_by_age` kinds.
    #[schemars(length(min = 1, max = 20))]
    pub region: Option<String>,
    /// Residence class; only for `winning_scores_by_region`.
    pub residence: Option<Residence>,
    /// Page number, 1-based (default 1).
    #[schemars(range(min = 1, max = 10000))]
    pub page: Option<u32>,
    /// Rows per page (default 100, at most 1000).
    #[schemars(range(min = 1, max = 1000))]
    pub limit: Option<u32>,
}

impl SubscriptionResultsArgs {
    /// A request for the `kind` table with every filter left to its default (the latest
    /// month, nationwide, the first page).
    pub fn of(kind: StatKind) -> Self {
        Self {
            kind,
            year_month: None,
            from_year_month: None,
            to_year_month: None,
            region: None,
            residence: None,
            page: None,
            limit: None,
        }
    }
}

/// Result of `get_apt_subscription_results`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SubscriptionResultsOutput {
    /// The table read.
    pub kind: StatKind,
    /// The table's Korean title.
    pub title: String,
    /// Rows matching the filters, across all pages.
    pub total_count: u64,
    /// This page's number (1-based).
    pub page: u32,
    /// Page size used.
    pub per_page: u32,
    /// Whether later pages hold more matching rows.
    pub has_more: bool,
    /// The filters applied, in words (empty when none).
    pub filters: Vec<String>,
    /// The rows on this page.
    pub rows: Vec<StatisticsRow>,
    /// Live or cached, and the quota this call used.
    pub source: Provenance,
}

/// Reads one page of a statistics table.
pub async fn subscription_results(
    client: &OdcloudClient,
    args: SubscriptionResultsArgs,
) -> Result<SubscriptionResultsOutput, ToolError> {
    let request = request(&args, Utc::now())?;
    let answer = client.statistics(args.kind, &request.query).await?;
    let paging = Paging::of(&answer.page, request.page, request.per_page);
    Ok(SubscriptionResultsOutput {
        kind: args.kind,
        title: args.kind.title().to_owned(),
        total_count: paging.total_count,
        page: paging.page,
        per_page: paging.per_page,
        has_more: paging.has_more,
        filters: request.filters,
        rows: answer.page.rows.iter().map(statistics_row).collect(),
        source: Provenance::new(answer.freshness, answer.upstream_calls),
    })
}

fn request(args: &SubscriptionResultsArgs, now: DateTime<Utc>) -> Result<Request, ToolError> {
    let page = page_number(args.page)?;
    let per_page = page_size(args.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let exact = year_month("year_month", args.year_month.as_deref(), now)?;
    let from = year_month("from_year_month", args.from_year_month.as_deref(), now)?;
    let to = year_month("to_year_month", args.to_year_month.as_deref(), now)?;
    if exact.is_some() && (from.is_some() || to.is_some()) {
        return Err(ToolError::invalid_argument(
            "year_month",
            "give either one month in `year_month` or a range in `from_year_month` / \
             `to_year_month`, not both",
        ));
    }
    if let (Some(from), Some(to)) = (&from, &to)
        && from > to
    {
        return Err(ToolError::invalid_argument(
            "from_year_month",
            format!("{from} is after to_year_month {to}; swap them"),
        ));
    }
    let mut query = Query::new(page, per_page);
    let mut filters = Vec::new();
    for (op, month, words) in [
        (Op::Eq, exact, "="),
        (Op::Gte, from, "≥"),
        (Op::Lte, to, "≤"),
    ] {
        if let Some(month) = month {
            filters.push(format!("제공연월 {words} {month}"));
            query = query.with(fields::STAT_DE, op, month.to_string());
        }
    }
    if let Some(area) = supply_area(args.region.as_deref())? {
        if !args.kind.has_region() {
            return Err(ToolError::invalid_argument(
                "region",
                format!(
                    "the `{}` table is nationwide; for regional figures use \
                     `applicants_by_region` or `winners_by_region`",
                    kind_name(args.kind)
                ),
            ));
        }
        query = query.with(fields::SUBSCRPT_AREA_CODE, Op::Eq, area.code);
        filters.push(format!("공급지역 = {} ({})", area.name, area.code));
    }
    if let Some(residence) = args.residence {
        if !args.kind.has_residence() {
            return Err(ToolError::invalid_argument(
                "residence",
                format!(
                    "only the `winning_scores_by_region` table is split by residence, not `{}`",
                    kind_name(args.kind)
                ),
            ));
        }
        query = query.with(fields::RESIDE_SECD, Op::Eq, residence.code());
        filters.push(format!("거주구분 = {}", residence.label()));
    }
    Ok(Request {
        query,
        filters,
        page,
        per_page,
    })
}

/// The `kind` value as the caller wrote it.
fn kind_name(kind: StatKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Reads `YYYYMM` (or `YYYY-MM`, or the number), between 2000-01 and the current KST month;
/// blank is no month.
fn year_month(
    name: &str,
    value: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<YearMonth>, ToolError> {
    let first = (FIRST_MONTH, "where Applyhome's statistics begin");
    value
        .filter(|text| !text.trim().is_empty())
        .map(|text| YearMonth::parse_argument_from(name, text, first, now))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2025, 8, 20, 3, 0, 0).unwrap()
    }

    fn params(request: &Request) -> Vec<(String, String)> {
        request
            .query
            .conditions()
            .iter()
            .map(|c| (c.param(), c.value.clone()))
            .collect()
    }

    #[test]
    fn months_regions_and_residence_become_conditions() {
        let request = request(
            &SubscriptionResultsArgs {
                from_year_month: Some("2025-01".into()),
                to_year_month: Some("202506".into()),
                region: Some("서울특별시".into()),
                residence: Some(Residence::Local),
                ..SubscriptionResultsArgs::of(StatKind::WinningScoresByRegion)
            },
            now(),
        )
        .unwrap();
        let expected = [
            ("cond[STAT_DE::GTE]", "202501"),
            ("cond[STAT_DE::LTE]", "202506"),
            ("cond[SUBSCRPT_AREA_CODE::EQ]", "100"),
            ("cond[RESIDE_SECD::EQ]", "01"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(params(&request), expected);
        assert_eq!(request.filters.len(), 4);
        assert_eq!(request.per_page, DEFAULT_LIMIT);
    }

    #[test]
    fn filters_a_table_lacks_are_refused_with_the_alternative() {
        let region = request(
            &SubscriptionResultsArgs {
                region: Some("경기".into()),
                ..SubscriptionResultsArgs::of(StatKind::ApplicantsByAge)
            },
            now(),
        );
        assert!(
            region
                .err()
                .unwrap()
                .message()
                .contains("applicants_by_region")
        );
        let residence = request(
            &SubscriptionResultsArgs {
                residence: Some(Residence::OtherRegion),
                ..SubscriptionResultsArgs::of(StatKind::CompetitionByRegion)
            },
            now(),
        );
        assert!(
            residence
                .err()
                .unwrap()
                .message()
                .contains("competition_by_region")
        );
    }

    #[test]
    fn bad_months_are_explained() {
        let cases = [
            (Some("2025-13"), None, "months run from 01 to 12"),
            (Some("25-03"), None, "YYYYMM"),
            (Some("199912"), None, "before"),
            (Some("202509"), None, "future"),
            (Some("202503"), Some("202504"), "not both"),
        ];
        for (exact, from, expected) in cases {
            let result = request(
                &SubscriptionResultsArgs {
                    year_month: exact.map(MonthArg::from),
                    from_year_month: from.map(MonthArg::from),
                    ..SubscriptionResultsArgs::of(StatKind::ApplicantsByRegion)
                },
                now(),
            );
            let message = result.err().unwrap().message().to_owned();
            assert!(message.contains(expected), "{exact:?}: {message}");
        }
        let reversed = request(
            &SubscriptionResultsArgs {
                from_year_month: Some("202505".into()),
                to_year_month: Some("202501".into()),
                ..SubscriptionResultsArgs::of(StatKind::ApplicantsByRegion)
            },
            now(),
        );
        assert!(reversed.err().unwrap().message().contains("swap"));
    }

    #[test]
    fn months_are_read_like_every_other_month_argument() {
        let args: SubscriptionResultsArgs = serde_json::from_value(serde_json::json!({
            "kind": "winners_by_age",
            "year_month": 202503,
            "from_year_month": "",
        }))
        .unwrap();
        let number = request(&args, now()).unwrap();
        assert_eq!(
            params(&number),
            [("cond[STAT_DE::EQ]".to_owned(), "202503".to_owned())]
        );
        let long = "2".repeat(500);
        for (text, name) in [
            ("20-2503", "from_year_month"),
            (long.as_str(), "to_year_month"),
        ] {
            let mut args = SubscriptionResultsArgs::of(StatKind::WinnersByAge);
            let field = match name {
                "from_year_month" => &mut args.from_year_month,
                _ => &mut args.to_year_month,
            };
            *field = Some(text.into());
            let message = request(&args, now()).err().unwrap().message().to_owned();
            assert!(message.contains(&format!("`{name}`")), "{message}");
            assert!(message.contains("YYYYMM"), "{message}");
            assert!(message.chars().count() < 300, "{message}");
        }
    }

    #[test]
    fn the_current_month_is_allowed() {
        let request = request(
            &SubscriptionResultsArgs {
                year_month: Some("202508".into()),
                ..SubscriptionResultsArgs::of(StatKind::WinnersByAge)
            },
            now(),
        )
        .unwrap();
        assert_eq!(
            params(&request),
            [("cond[STAT_DE::EQ]".to_owned(), "202508".to_owned())]
        );
    }
}
