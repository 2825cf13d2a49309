//! One notice row made readable: dates normalised, windows listed, status computed.

use chrono::NaiveDate;
use serde::Serialize;

use schemars::{self, JsonSchema};

use crate::upstream::odcloud::{NoticeRow, Text};

use super::Residence;

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

/// Reads `YYYY-MM-DD` or `YYYYMMDD` (the services use both).
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
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

pub(super) fn notice(row: &NoticeRow, today: NaiveDate) -> Notice {
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

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
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
