//! `get_apt_subscription_results`: the six Applyhome statistics tables.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use rmcp::schemars::{self, JsonSchema};

use crate::{
    tools::ToolError,
    upstream::odcloud::{Num, OdcloudClient, Op, Query, StatKind, StatRow, fields, kst_today},
};

use super::{DataFreshness, Paging, Residence, page_number, page_size, supply_area};

/// Rows per page when `limit` is not given: a month of every region fits.
const DEFAULT_LIMIT: u32 = 100;
/// Most rows per page; rows are small.
const MAX_LIMIT: u32 = 1000;
/// Applyhome's statistics do not reach further back than this.
const FIRST_YEAR: i32 = 2000;

/// Arguments of `get_apt_subscription_results`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
pub struct SubscriptionResultsArgs {
    /// Which table to read.
    pub kind: StatKind,
    /// A single month (`STAT_DE`), `YYYYMM`. Figures appear about two months after the
    /// month ends. Do not combine with `from_year_month` / `to_year_month`.
    #[schemars(regex(pattern = r"^\d{4}-?\d{2}$"))]
    pub year_month: Option<String>,
    /// First month of a range, `YYYYMM`.
    #[schemars(regex(pattern = r"^\d{4}-?\d{2}$"))]
    pub from_year_month: Option<String>,
    /// Last month of a range, `YYYYMM`.
    #[schemars(regex(pattern = r"^\d{4}-?\d{2}$"))]
    pub to_year_month: Option<String>,
    /// Supply area (시·도) such as 서울, 경기, 부산 (or 서울특별시, 경기도, or Applyhome's code
    /// such as 100). Not for the `*_by_age` kinds, which are nationwide.
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
    pub freshness: DataFreshness,
}

/// One statistics row. Fields a table does not have are left out: age bands belong to
/// the applicant and winner tables, supply figures to `competition_by_region`, scores to
/// `winning_scores_by_region`. Counts are people or households; scores are 청약 가점 points
/// (at most 84).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct StatisticsRow {
    /// 제공연월: the month, `YYYYMM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_month: Option<String>,
    /// Applyhome's supply-area code (100 서울, 410 경기, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Supply-area name (서울, 경기, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Residence class code (01 해당지역, 02 기타지역, 03 기타경기).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence_code: Option<String>,
    /// Residence class name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence: Option<String>,
    /// 30대 이하: people aged 39 or younger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_30_or_under: Option<u64>,
    /// 40대.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_40s: Option<u64>,
    /// 50대.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_50s: Option<u64>,
    /// 60대 이상.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_60_or_over: Option<u64>,
    /// Sum of the age bands present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// 특별공급 공급세대수: households offered in special supply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_supply_households: Option<u64>,
    /// 특별공급 접수건수: special-supply applications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_supply_applications: Option<u64>,
    /// 특별공급 경쟁률: applications per household (e.g. 3.25 means 3.25 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_supply_rate: Option<f64>,
    /// 일반공급 공급세대수: households offered in general supply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general_supply_households: Option<u64>,
    /// 일반공급 접수건수: general-supply applications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general_supply_applications: Option<u64>,
    /// 일반공급 경쟁률: applications per household.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general_supply_rate: Option<f64>,
    /// 평균 당첨가점.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_score: Option<f64>,
    /// 중위 당첨가점, when published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_score: Option<f64>,
    /// 최고 당첨가점.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highest_score: Option<f64>,
    /// 최저 당첨가점: the cut-off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lowest_score: Option<f64>,
}

/// Reads one page of a statistics table.
pub async fn subscription_results(
    client: &OdcloudClient,
    args: SubscriptionResultsArgs,
) -> Result<SubscriptionResultsOutput, ToolError> {
    let request = Request::from_args(&args, kst_today())?;
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
        freshness: DataFreshness::new(answer.freshness, answer.upstream_calls),
    })
}

struct Request {
    query: Query,
    filters: Vec<String>,
    page: u32,
    per_page: u32,
}

impl Request {
    fn from_args(args: &SubscriptionResultsArgs, today: NaiveDate) -> Result<Self, ToolError> {
        let page = page_number(args.page)?;
        let per_page = page_size(args.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
        let exact = year_month("year_month", args.year_month.as_deref(), today)?;
        let from = year_month("from_year_month", args.from_year_month.as_deref(), today)?;
        let to = year_month("to_year_month", args.to_year_month.as_deref(), today)?;
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
                query = query.with(fields::STAT_DE, op, month);
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
        Ok(Self {
            query,
            filters,
            page,
            per_page,
        })
    }
}

/// The `kind` value as the caller wrote it.
fn kind_name(kind: StatKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Reads `YYYYMM` (or `YYYY-MM`), between 2000-01 and the current KST month.
fn year_month(
    name: &str,
    value: Option<&str>,
    today: NaiveDate,
) -> Result<Option<String>, ToolError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let digits: String = text.chars().filter(|c| *c != '-').collect();
    let parsed = (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| {
        (
            digits[..4].parse::<i32>().ok(),
            digits[4..].parse::<u32>().ok(),
        )
    });
    let Some((Some(year), Some(month))) =
        parsed.filter(|(_, m)| m.is_some_and(|m| (1..=12).contains(&m)))
    else {
        return Err(ToolError::invalid_argument(
            name,
            format!("`{text}` is not a month; use YYYYMM, e.g. 202503"),
        ));
    };
    if year < FIRST_YEAR {
        return Err(ToolError::invalid_argument(
            name,
            format!("{digits} is before Applyhome's statistics begin; use {FIRST_YEAR}01 or later"),
        ));
    }
    if (year, month) > (today.year(), today.month()) {
        return Err(ToolError::invalid_argument(
            name,
            format!(
                "{digits} is in the future (it is {} in Korea); figures appear about two months \
                 after a month ends",
                today.format("%Y-%m")
            ),
        ));
    }
    Ok(Some(digits))
}

fn statistics_row(row: &StatRow) -> StatisticsRow {
    let ages = [row.age_30, row.age_40, row.age_50, row.age_60].map(Num::count);
    let total = ages.iter().flatten().copied().reduce(u64::saturating_add);
    let special = (row.spsply_hshldco.count(), row.spsply_req_cnt.count());
    let general = (row.suply_hshldco.count(), row.suply_req_cnt.count());
    StatisticsRow {
        year_month: row.stat_de.get().map(str::to_owned),
        region_code: row.subscrpt_area_code.get().map(str::to_owned),
        region: row.subscrpt_area_code_nm.get().map(str::to_owned),
        residence_code: row.reside_secd.get().map(str::to_owned),
        residence: row.reside_secd_nm.get().map(str::to_owned),
        age_30_or_under: ages[0],
        age_40s: ages[1],
        age_50s: ages[2],
        age_60_or_over: ages[3],
        total,
        special_supply_households: special.0,
        special_supply_applications: special.1,
        special_supply_rate: rate(row.spsply_cmpet_rate, special),
        general_supply_households: general.0,
        general_supply_applications: general.1,
        general_supply_rate: rate(row.suply_cmpet_rate, general),
        average_score: row.avrg_score.value(),
        median_score: row.med_score.value(),
        highest_score: row.top_score.value(),
        lowest_score: row.lwet_score.value(),
    }
}

/// The published rate, or applications ÷ households when the cell is blank or `-` but the
/// counts are there. No households means no rate, not zero.
fn rate(published: Num, (households, applications): (Option<u64>, Option<u64>)) -> Option<f64> {
    published
        .value()
        .or_else(|| match (households, applications) {
            (Some(h), Some(a)) if h > 0 => Some((a as f64 / h as f64 * 100.0).round() / 100.0),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 8, 20).unwrap()
    }

    fn args(kind: StatKind) -> SubscriptionResultsArgs {
        SubscriptionResultsArgs {
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
        let request = Request::from_args(
            &SubscriptionResultsArgs {
                from_year_month: Some("2025-01".into()),
                to_year_month: Some("202506".into()),
                region: Some("서울특별시".into()),
                residence: Some(Residence::Local),
                ..args(StatKind::WinningScoresByRegion)
            },
            today(),
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
        let region = Request::from_args(
            &SubscriptionResultsArgs {
                region: Some("경기".into()),
                ..args(StatKind::ApplicantsByAge)
            },
            today(),
        );
        assert!(
            region
                .err()
                .unwrap()
                .message()
                .contains("applicants_by_region")
        );
        let residence = Request::from_args(
            &SubscriptionResultsArgs {
                residence: Some(Residence::OtherRegion),
                ..args(StatKind::CompetitionByRegion)
            },
            today(),
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
            (Some("2025-13"), None, "YYYYMM"),
            (Some("25-03"), None, "YYYYMM"),
            (Some("199912"), None, "before"),
            (Some("202509"), None, "future"),
            (Some("202503"), Some("202504"), "not both"),
        ];
        for (exact, from, expected) in cases {
            let result = Request::from_args(
                &SubscriptionResultsArgs {
                    year_month: exact.map(str::to_owned),
                    from_year_month: from.map(str::to_owned),
                    ..args(StatKind::ApplicantsByRegion)
                },
                today(),
            );
            let message = result.err().unwrap().message().to_owned();
            assert!(message.contains(expected), "{exact:?}: {message}");
        }
        let reversed = Request::from_args(
            &SubscriptionResultsArgs {
                from_year_month: Some("202505".into()),
                to_year_month: Some("202501".into()),
                ..args(StatKind::ApplicantsByRegion)
            },
            today(),
        );
        assert!(reversed.err().unwrap().message().contains("swap"));
    }

    #[test]
    fn the_current_month_is_allowed() {
        let request = Request::from_args(
            &SubscriptionResultsArgs {
                year_month: Some("202508".into()),
                ..args(StatKind::WinnersByAge)
            },
            today(),
        )
        .unwrap();
        assert_eq!(
            params(&request),
            [("cond[STAT_DE::EQ]".to_owned(), "202508".to_owned())]
        );
    }

    #[test]
    fn rows_keep_only_their_table_fields() {
        let row: StatRow = serde_json::from_value(serde_json::json!({
            "STAT_DE": "202503", "SUBSCRPT_AREA_CODE": 410, "SUBSCRPT_AREA_CODE_NM": "경기",
            "AGE_30": 120, "AGE_40": "1,080", "AGE_50": null, "AGE_60": 12
        }))
        .unwrap();
        let out = serde_json::to_value(statistics_row(&row)).unwrap();
        assert_eq!(
            out,
            serde_json::json!({
                "year_month": "202503", "region_code": "410", "region": "경기",
                "age_30_or_under": 120, "age_40s": 1080, "age_60_or_over": 12, "total": 1212
            })
        );
    }

    #[test]
    fn rates_are_published_or_derived_never_invented() {
        let derived = rate(Num::default(), (Some(40), Some(130)));
        assert_eq!(derived, Some(3.25));
        let published: Num = serde_json::from_str(r#""12.40""#).unwrap();
        assert_eq!(rate(published, (Some(40), Some(130))), Some(12.4));
        assert_eq!(rate(Num::default(), (Some(0), Some(0))), None);
        assert_eq!(rate(Num::default(), (None, Some(5))), None);
    }
}
