//! The JSON the service answers with: the page envelope, its error form, and the rows.
//!
//! Rows keep the upstream column names (in `SCREAMING_SNAKE_CASE`, as sent); the tools
//! translate them into readable output. Every column is optional and unknown columns are
//! ignored, because the service adds and drops columns without notice.

use serde::{Deserialize, Deserializer, de::DeserializeOwned};

use super::lenient::{Num, Text};

/// One page of rows as the service reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows on this page.
    pub rows: Vec<T>,
    /// Rows matching the filters across all pages (`matchCount`).
    pub match_count: u64,
    /// Rows in the whole dataset, filters ignored (`totalCount`).
    pub total_count: u64,
    /// The page number the service says it answered (1-based).
    pub page: u32,
    /// The page size the service says it used.
    pub per_page: u32,
}

/// What a body turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed<T> {
    /// A page of rows.
    Page(Page<T>),
    /// The service's error envelope, `{"code":-4,"msg":"…"}`.
    Refusal {
        /// The (negative) error code.
        code: i64,
        /// The service's own words, if any.
        msg: Option<String>,
    },
}

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// Reads a body as a page of `T` or as the service's error envelope.
///
/// A body without `data`, without counts and without `code` is unreadable rather than an
/// empty page: reporting "no notices" for a format we do not understand would mislead.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<Parsed<T>, Unreadable> {
    let envelope: Envelope<T> =
        serde_json::from_slice(body).map_err(|e| Unreadable(describe_json_error(&e)))?;
    if let (None, Some(code)) = (&envelope.data, envelope.code.value()) {
        return Ok(Parsed::Refusal {
            code: code as i64,
            msg: envelope.msg.into_inner(),
        });
    }
    let counted = envelope
        .match_count
        .count()
        .or(envelope.total_count.count());
    let rows = match (envelope.data, counted) {
        (Some(Rows(rows)), _) => rows,
        (None, Some(_)) => Vec::new(),
        (None, None) => {
            return Err(Unreadable(
                "the answer has neither a `data` list nor counts".into(),
            ));
        }
    };
    let match_count = counted.unwrap_or(rows.len() as u64);
    Ok(Parsed::Page(Page {
        match_count,
        total_count: envelope.total_count.count().unwrap_or(match_count),
        page: small(envelope.page).unwrap_or(1),
        per_page: small(envelope.per_page).unwrap_or(rows.len() as u32),
        rows,
    }))
}

fn small(n: Num) -> Option<u32> {
    n.count().and_then(|v| u32::try_from(v).ok())
}

/// serde_json errors quote no input, only positions, so they are safe to show.
fn describe_json_error(error: &serde_json::Error) -> String {
    format!("not the expected JSON: {error}")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<T> {
    data: Option<Rows<T>>,
    #[serde(default)]
    match_count: Num,
    #[serde(default)]
    total_count: Num,
    #[serde(default)]
    page: Num,
    #[serde(default)]
    per_page: Num,
    #[serde(default)]
    code: Num,
    #[serde(default)]
    msg: Text,
}

/// The `data` list; `null` reads as an empty list.
struct Rows<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Rows<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Vec<T>>::deserialize(deserializer).map(|rows| Rows(rows.unwrap_or_default()))
    }
}

/// One APT notice (분양정보) row. Dates are `YYYY-MM-DD`, `MVN_PREARNGE_YM` is `YYYYMM`,
/// the `*_AT` flags are `Y`/`N`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct NoticeRow {
    /// 주택관리번호.
    pub house_manage_no: Text,
    /// 공고번호.
    pub pblanc_no: Text,
    /// 주택명.
    pub house_nm: Text,
    /// 주택구분코드명 (APT, 민간사전청약, 신혼희망타운).
    pub house_secd_nm: Text,
    /// 주택상세구분코드명 (민영, 국민).
    pub house_dtl_secd_nm: Text,
    /// 분양구분코드명 (분양주택, 분양전환 가능임대).
    pub rent_secd_nm: Text,
    /// 공급지역코드.
    pub subscrpt_area_code: Text,
    /// 공급지역명, short form (서울, 경기).
    pub subscrpt_area_code_nm: Text,
    /// 공급위치 우편번호.
    pub hssply_zip: Text,
    /// 공급위치.
    pub hssply_adres: Text,
    /// 공급규모 (households).
    pub tot_suply_hshldco: Num,
    /// 모집공고일.
    pub rcrit_pblanc_de: Text,
    /// 청약접수시작일.
    pub rcept_bgnde: Text,
    /// 청약접수종료일.
    pub rcept_endde: Text,
    /// 특별공급 접수시작일.
    pub spsply_rcept_bgnde: Text,
    /// 특별공급 접수종료일.
    pub spsply_rcept_endde: Text,
    /// 1순위 해당지역 접수시작일.
    pub gnrl_rnk1_crsparea_rcptde: Text,
    /// 1순위 해당지역 접수종료일.
    pub gnrl_rnk1_crsparea_endde: Text,
    /// 1순위 경기지역 접수시작일.
    pub gnrl_rnk1_etc_gg_rcptde: Text,
    /// 1순위 경기지역 접수종료일.
    pub gnrl_rnk1_etc_gg_endde: Text,
    /// 1순위 기타지역 접수시작일.
    pub gnrl_rnk1_etc_area_rcptde: Text,
    /// 1순위 기타지역 접수종료일.
    pub gnrl_rnk1_etc_area_endde: Text,
    /// 2순위 해당지역 접수시작일.
    pub gnrl_rnk2_crsparea_rcptde: Text,
    /// 2순위 해당지역 접수종료일.
    pub gnrl_rnk2_crsparea_endde: Text,
    /// 2순위 경기지역 접수시작일.
    pub gnrl_rnk2_etc_gg_rcptde: Text,
    /// 2순위 경기지역 접수종료일.
    pub gnrl_rnk2_etc_gg_endde: Text,
    /// 2순위 기타지역 접수시작일.
    pub gnrl_rnk2_etc_area_rcptde: Text,
    /// 2순위 기타지역 접수종료일.
    pub gnrl_rnk2_etc_area_endde: Text,
    /// 당첨자발표일.
    pub przwner_presnatn_de: Text,
    /// 계약시작일.
    pub cntrct_cncls_bgnde: Text,
    /// 계약종료일.
    pub cntrct_cncls_endde: Text,
    /// 홈페이지주소.
    pub hmpg_adres: Text,
    /// 건설업체명 (시공사).
    pub cnstrct_entrps_nm: Text,
    /// 문의처.
    pub mdhs_telno: Text,
    /// 사업주체명 (시행사).
    pub bsns_mby_nm: Text,
    /// 입주예정월, `YYYYMM`.
    pub mvn_prearnge_ym: Text,
    /// 투기과열지구 `Y`/`N`.
    pub speclt_rdn_earth_at: Text,
    /// 조정대상지역 `Y`/`N`.
    pub mdat_trget_area_secd: Text,
    /// 분양가상한제 `Y`/`N`.
    pub parcprc_uls_at: Text,
    /// 모집공고 URL on applyhome.co.kr.
    pub pblanc_url: Text,
}

/// One statistics row. Which columns are filled depends on the kind: age bands for the
/// applicant and winner tables, supply figures for competition, scores for 가점제.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct StatRow {
    /// 제공연월, `YYYYMM`.
    pub stat_de: Text,
    /// 공급지역코드.
    pub subscrpt_area_code: Text,
    /// 공급지역명.
    pub subscrpt_area_code_nm: Text,
    /// 거주구분코드.
    pub reside_secd: Text,
    /// 거주구분명 (the service has used both spellings).
    #[serde(alias = "RESIDE_SENM")]
    pub reside_secd_nm: Text,
    /// 30대 이하.
    pub age_30: Num,
    /// 40대.
    pub age_40: Num,
    /// 50대.
    pub age_50: Num,
    /// 60대 이상.
    pub age_60: Num,
    /// 특별공급 공급세대수.
    pub spsply_hshldco: Num,
    /// 특별공급 접수건수.
    pub spsply_req_cnt: Num,
    /// 특별공급 경쟁률.
    pub spsply_cmpet_rate: Num,
    /// 일반공급 공급세대수.
    pub suply_hshldco: Num,
    /// 일반공급 접수건수.
    pub suply_req_cnt: Num,
    /// 일반공급 경쟁률.
    pub suply_cmpet_rate: Num,
    /// 평균 당첨가점.
    pub avrg_score: Num,
    /// 최고 당첨가점.
    pub top_score: Num,
    /// 최저 당첨가점.
    pub lwet_score: Num,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> Page<T> {
        match parse_body::<T>(json.as_bytes()).unwrap() {
            Parsed::Page(page) => page,
            other => panic!("expected a page, got {other:?}"),
        }
    }

    #[test]
    fn a_notice_page_reads_with_nulls_numbers_and_unknown_columns() {
        let body = r#"{"currentCount":1,"data":[{
            "HOUSE_MANAGE_NO":2026820011,"PBLANC_NO":"2026820011",
            "HOUSE_NM":"시흥하중지구 A-4블록 신혼희망타운","SUBSCRPT_AREA_CODE":"410",
            "SUBSCRPT_AREA_CODE_NM":"경기","TOT_SUPLY_HSHLDCO":61,
            "RCRIT_PBLANC_DE":"2026-09-18","SPSPLY_RCEPT_BGNDE":null,
            "NSPRC_NM":null,"A_NEW_COLUMN":{"nested":true}}],
            "matchCount":37,"page":1,"perPage":1,"totalCount":1863}"#;
        let page = read::<NoticeRow>(body);
        assert_eq!(page.match_count, 37);
        assert_eq!(page.total_count, 1863);
        assert_eq!(page.per_page, 1);
        let row = &page.rows[0];
        assert_eq!(row.house_manage_no.get(), Some("2026820011"));
        assert_eq!(row.subscrpt_area_code_nm.get(), Some("경기"));
        assert_eq!(row.tot_suply_hshldco.count(), Some(61));
        assert_eq!(row.spsply_rcept_bgnde.get(), None);
        assert_eq!(row.hssply_adres.get(), None);
    }

    #[test]
    fn statistics_rows_read_string_numbers_and_either_residence_spelling() {
        let body = r#"{"data":[
            {"STAT_DE":"202503","SUBSCRPT_AREA_CODE":100,"AGE_30":"1,204","AGE_60":null},
            {"STAT_DE":"202503","RESIDE_SENM":"해당지역","AVRG_SCORE":"64.5","LWET_SCORE":"-"}],
            "matchCount":2,"totalCount":900}"#;
        let page = read::<StatRow>(body);
        assert_eq!(page.rows[0].subscrpt_area_code.get(), Some("100"));
        assert_eq!(page.rows[0].age_30.count(), Some(1204));
        assert_eq!(page.rows[0].age_60.value(), None);
        assert_eq!(page.rows[1].reside_secd_nm.get(), Some("해당지역"));
        assert_eq!(page.rows[1].avrg_score.value(), Some(64.5));
        assert_eq!(page.rows[1].lwet_score.value(), None);
    }

    #[test]
    fn missing_counts_fall_back_to_what_is_there() {
        let page = read::<StatRow>(r#"{"data":[{"STAT_DE":"202401"}],"totalCount":5}"#);
        assert_eq!(page.match_count, 5);
        assert_eq!(page.page, 1);
        let page = read::<StatRow>(r#"{"data":null,"matchCount":0}"#);
        assert!(page.rows.is_empty());
        let page = read::<StatRow>(r#"{"data":[{},{}]}"#);
        assert_eq!(page.match_count, 2);
    }

    #[test]
    fn the_error_envelope_is_a_refusal() {
        let parsed = parse_body::<NoticeRow>(
            r#"{"code":-4,"msg":"등록되지 않은 인증키 입니다."}"#.as_bytes(),
        );
        assert_eq!(
            parsed,
            Ok(Parsed::Refusal {
                code: -4,
                msg: Some("등록되지 않은 인증키 입니다.".into())
            })
        );
    }

    #[test]
    fn garbage_is_unreadable() {
        for body in [
            "<html>502 Bad Gateway</html>",
            "",
            "[1,2]",
            r#"{"data":"x"}"#,
            "{}",
        ] {
            assert!(
                parse_body::<NoticeRow>(body.as_bytes()).is_err(),
                "{body:?} should be unreadable"
            );
        }
    }
}
