//! `get_apt_subscription_info`: APT notices (분양정보) with their schedules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use rmcp::schemars::{self, JsonSchema};

use crate::{
    tools::ToolError,
    upstream::odcloud::{NoticeRow, OdcloudClient, Op, Query, Text, fields, kst_today},
};

use super::{DataFreshness, Paging, Residence, page_number, page_size, search_text, supply_area};

/// Notices per page when `limit` is not given.
const DEFAULT_LIMIT: u32 = 20;
/// Most notices per page; a notice is large.
const MAX_LIMIT: u32 = 100;

/// Arguments of `get_apt_subscription_info`. Every filter is optional; filters combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub struct SubscriptionInfoArgs {
    /// Supply area (공급지역, a 시·도) as Applyhome files notices: 서울, 부산, 대구, 인천, 광주,
    /// 대전, 울산, 세종, 경기, 강원, 충북, 충남, 전북, 전남, 경북, 경남, 제주. Long forms such as
    /// 서울특별시 or 경기도 work too. For a 시·군·구 or 동 use `address_contains` instead.
    #[schemars(length(min = 1, max = 20))]
    pub region: Option<String>,
    /// Part of the supply address (공급위치), e.g. 강남구, 수원시 장안구, 송도동.
    #[schemars(length(min = 1, max = 50))]
    pub address_contains: Option<String>,
    /// Part of the complex name (주택명), e.g. 자이, 래미안, 힐스테이트.
    #[schemars(length(min = 1, max = 50))]
    pub house_name_contains: Option<String>,
    /// Earliest recruitment notice date (모집공고일), `YYYY-MM-DD`. Without dates the
    /// service returns notices of every year; for current ones give a date a month or two
    /// back.
    #[schemars(regex(pattern = r"^\d{4}-?\d{2}-?\d{2}$"))]
    pub notice_date_from: Option<String>,
    /// Latest recruitment notice date (모집공고일), `YYYY-MM-DD`.
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
    pub freshness: DataFreshness,
}

/// One APT notice (모집공고). Dates are `YYYY-MM-DD`; absent values are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Notice {
    /// 주택관리번호: Applyhome's id of the complex's sale.
    pub house_manage_no: Option<String>,
    /// 공고번호: the notice id (with `house_manage_no`, identifies the notice).
    pub notice_no: Option<String>,
    /// 주택명: the complex's name.
    pub house_name: Option<String>,
    /// 주택구분: APT, 민간사전청약 or 신혼희망타운.
    pub house_type: Option<String>,
    /// 주택상세구분: 민영 (private) or 국민 (public).
    pub supply_kind: Option<String>,
    /// 분양구분: e.g. 분양주택.
    pub sale_type: Option<String>,
    /// 공급지역: the 시·도 short name (서울, 경기, …).
    pub region: Option<String>,
    /// 공급위치: the site's address.
    pub address: Option<String>,
    /// 공급규모: households offered.
    pub total_households: Option<u64>,
    /// 모집공고일: date of the recruitment notice.
    pub notice_date: Option<String>,
    /// 청약접수 시작일: first day of the whole application window.
    pub application_start: Option<String>,
    /// 청약접수 종료일: last day of the whole application window.
    pub application_end: Option<String>,
    /// 특별공급 접수 시작일.
    pub special_supply_start: Option<String>,
    /// 특별공급 접수 종료일.
    pub special_supply_end: Option<String>,
    /// 일반공급 1순위/2순위 접수일 by residence class; only the windows the notice has.
    pub priority_periods: Vec<PriorityPeriod>,
    /// 당첨자발표일: winners announced.
    pub winners_announced: Option<String>,
    /// 계약 시작일.
    pub contract_start: Option<String>,
    /// 계약 종료일.
    pub contract_end: Option<String>,
    /// 입주예정월: expected move-in month, `YYYY-MM`.
    pub move_in: Option<String>,
    /// 시공사: the builder.
    pub builder: Option<String>,
    /// 시행사 (사업주체): the developer.
    pub developer: Option<String>,
    /// 문의처: the sales office phone number.
    pub contact_phone: Option<String>,
    /// 홈페이지: the complex's own site.
    pub homepage: Option<String>,
    /// The notice on applyhome.co.kr.
    pub notice_url: Option<String>,
    /// 투기과열지구: in a speculation-overheated district.
    pub overheated_district: Option<bool>,
    /// 조정대상지역: in an adjustment-target area.
    pub adjustment_target_area: Option<bool>,
    /// 분양가상한제: under the sale-price ceiling.
    pub price_ceiling: Option<bool>,
    /// Where the application window stands today (KST).
    pub status: NoticeStatus,
}

/// One 일반공급 application window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PriorityPeriod {
    /// 순위: 1 or 2.
    pub rank: u8,
    /// Who applies in this window.
    pub residence: Residence,
    /// 접수 시작일.
    pub start: Option<String>,
    /// 접수 종료일.
    pub end: Option<String>,
}

/// Where a notice's application window stands today (KST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// 접수 예정: applications have not opened yet.
    Upcoming,
    /// 접수 중: applications are open today.
    Open,
    /// 접수 마감: the application window has passed.
    Closed,
    /// The notice gives no complete application window.
    Unknown,
}

/// Lists APT notices matching the filters.
pub async fn subscription_info(
    client: &OdcloudClient,
    args: SubscriptionInfoArgs,
) -> Result<SubscriptionInfoOutput, ToolError> {
    let request = Request::from_args(&args)?;
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
        freshness: DataFreshness::new(answer.freshness, answer.upstream_calls),
    })
}

/// Validated arguments: the upstream query and the filters in words.
struct Request {
    query: Query,
    filters: Vec<String>,
    page: u32,
    per_page: u32,
}

impl Request {
    fn from_args(args: &SubscriptionInfoArgs) -> Result<Self, ToolError> {
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
        if let Some(text) = search_text("house_name_contains", args.house_name_contains.as_deref())?
        {
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
        Ok(Self {
            query,
            filters,
            page,
            per_page,
        })
    }
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

/// Reads `YYYY-MM-DD` or `YYYYMMDD` (the services use both).
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y%m%d"))
        .ok()
}

fn date(cell: &Text) -> Option<String> {
    cell.get().and_then(parse_date).map(|d| d.to_string())
}

fn text(cell: &Text) -> Option<String> {
    cell.get().map(str::to_owned)
}

fn flag(cell: &Text) -> Option<bool> {
    match cell.get() {
        Some("Y") => Some(true),
        Some("N") => Some(false),
        _ => None,
    }
}

/// `YYYYMM` as `YYYY-MM`; anything else is passed through.
fn month(cell: &Text) -> Option<String> {
    cell.get().map(|m| match m.len() {
        6 if m.bytes().all(|b| b.is_ascii_digit()) => format!("{}-{}", &m[..4], &m[4..]),
        _ => m.to_owned(),
    })
}

fn notice(row: &NoticeRow, today: NaiveDate) -> Notice {
    let application_start = date(&row.rcept_bgnde);
    let application_end = date(&row.rcept_endde);
    Notice {
        house_manage_no: text(&row.house_manage_no),
        notice_no: text(&row.pblanc_no),
        house_name: text(&row.house_nm),
        house_type: text(&row.house_secd_nm),
        supply_kind: text(&row.house_dtl_secd_nm),
        sale_type: text(&row.rent_secd_nm),
        region: text(&row.subscrpt_area_code_nm),
        address: text(&row.hssply_adres),
        total_households: row.tot_suply_hshldco.count(),
        notice_date: date(&row.rcrit_pblanc_de),
        status: status(
            application_start.as_deref(),
            application_end.as_deref(),
            today,
        ),
        application_start,
        application_end,
        special_supply_start: date(&row.spsply_rcept_bgnde),
        special_supply_end: date(&row.spsply_rcept_endde),
        priority_periods: priority_periods(row),
        winners_announced: date(&row.przwner_presnatn_de),
        contract_start: date(&row.cntrct_cncls_bgnde),
        contract_end: date(&row.cntrct_cncls_endde),
        move_in: month(&row.mvn_prearnge_ym),
        builder: text(&row.cnstrct_entrps_nm),
        developer: text(&row.bsns_mby_nm),
        contact_phone: text(&row.mdhs_telno),
        homepage: text(&row.hmpg_adres),
        notice_url: text(&row.pblanc_url),
        overheated_district: flag(&row.speclt_rdn_earth_at),
        adjustment_target_area: flag(&row.mdat_trget_area_secd),
        price_ceiling: flag(&row.parcprc_uls_at),
    }
}

fn priority_periods(row: &NoticeRow) -> Vec<PriorityPeriod> {
    let windows = [
        (
            1,
            Residence::Local,
            &row.gnrl_rnk1_crsparea_rcptde,
            &row.gnrl_rnk1_crsparea_endde,
        ),
        (
            1,
            Residence::OtherGyeonggi,
            &row.gnrl_rnk1_etc_gg_rcptde,
            &row.gnrl_rnk1_etc_gg_endde,
        ),
        (
            1,
            Residence::OtherRegion,
            &row.gnrl_rnk1_etc_area_rcptde,
            &row.gnrl_rnk1_etc_area_endde,
        ),
        (
            2,
            Residence::Local,
            &row.gnrl_rnk2_crsparea_rcptde,
            &row.gnrl_rnk2_crsparea_endde,
        ),
        (
            2,
            Residence::OtherGyeonggi,
            &row.gnrl_rnk2_etc_gg_rcptde,
            &row.gnrl_rnk2_etc_gg_endde,
        ),
        (
            2,
            Residence::OtherRegion,
            &row.gnrl_rnk2_etc_area_rcptde,
            &row.gnrl_rnk2_etc_area_endde,
        ),
    ];
    windows
        .into_iter()
        .map(|(rank, residence, start, end)| PriorityPeriod {
            rank,
            residence,
            start: date(start),
            end: date(end),
        })
        .filter(|p| p.start.is_some() || p.end.is_some())
        .collect()
}

fn status(start: Option<&str>, end: Option<&str>, today: NaiveDate) -> NoticeStatus {
    let (Some(start), Some(end)) = (start.and_then(parse_date), end.and_then(parse_date)) else {
        return NoticeStatus::Unknown;
    };
    if today < start {
        NoticeStatus::Upcoming
    } else if today <= end {
        NoticeStatus::Open
    } else {
        NoticeStatus::Closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> SubscriptionInfoArgs {
        SubscriptionInfoArgs::default()
    }

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    #[test]
    fn filters_become_conditions_and_words() {
        let request = Request::from_args(&SubscriptionInfoArgs {
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
        let request = Request::from_args(&SubscriptionInfoArgs {
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
            let error = Request::from_args(&bad).err().unwrap();
            assert!(
                error.message().contains(expected),
                "{bad:?}: {}",
                error.message()
            );
        }
    }

    #[test]
    fn status_follows_the_application_window() {
        let (start, end) = (Some("2025-03-10"), Some("2025-03-12"));
        assert_eq!(
            status(start, end, day("2025-03-09")),
            NoticeStatus::Upcoming
        );
        assert_eq!(status(start, end, day("2025-03-10")), NoticeStatus::Open);
        assert_eq!(status(start, end, day("2025-03-12")), NoticeStatus::Open);
        assert_eq!(status(start, end, day("2025-03-13")), NoticeStatus::Closed);
        assert_eq!(status(None, end, day("2025-03-13")), NoticeStatus::Unknown);
    }

    #[test]
    fn a_row_becomes_a_readable_notice() {
        let row: NoticeRow = serde_json::from_value(serde_json::json!({
            "HOUSE_MANAGE_NO": 2025000101, "HOUSE_NM": "방배 자이", "SUBSCRPT_AREA_CODE_NM": "서울",
            "TOT_SUPLY_HSHLDCO": "1,052", "RCRIT_PBLANC_DE": "20250110",
            "RCEPT_BGNDE": "2025-01-20", "RCEPT_ENDDE": "2025-01-22",
            "GNRL_RNK1_CRSPAREA_RCPTDE": "2025-01-21", "GNRL_RNK1_CRSPAREA_ENDDE": "2025-01-21",
            "GNRL_RNK1_ETC_GG_RCPTDE": null, "MVN_PREARNGE_YM": "202811",
            "SPECLT_RDN_EARTH_AT": "Y", "PARCPRC_ULS_AT": "N", "MDAT_TRGET_AREA_SECD": "-"
        }))
        .unwrap();
        let n = notice(&row, day("2025-01-21"));
        assert_eq!(n.house_manage_no.as_deref(), Some("2025000101"));
        assert_eq!(n.total_households, Some(1052));
        assert_eq!(n.notice_date.as_deref(), Some("2025-01-10"));
        assert_eq!(n.move_in.as_deref(), Some("2028-11"));
        assert_eq!(n.status, NoticeStatus::Open);
        assert_eq!(
            n.priority_periods,
            [PriorityPeriod {
                rank: 1,
                residence: Residence::Local,
                start: Some("2025-01-21".into()),
                end: Some("2025-01-21".into()),
            }]
        );
        assert_eq!(
            (n.overheated_district, n.price_ceiling),
            (Some(true), Some(false))
        );
        assert_eq!(n.adjustment_target_area, None);
        assert_eq!(n.builder, None);
    }
}
