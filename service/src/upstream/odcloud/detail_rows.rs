//! Rows of the two per-notice operations: the house-type supply table (`…Mdl`) and the
//! competition table (`…Cmpet`). Same conventions as [`super::parse`]: upstream column
//! names, every column optional, unknown columns ignored, numbers read leniently.

use serde::Deserialize;

use super::lenient::{Num, Text};

/// One house type (주택형) of a notice, from `getAPTLttotPblancMdl`. Counts are households;
/// the price is in 만원.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct HouseTypeRow {
    /// 주택관리번호.
    pub house_manage_no: Text,
    /// 공고번호.
    pub pblanc_no: Text,
    /// 모델번호 (`01`, `02`, …), the key the competition table shares.
    pub model_no: Text,
    /// 주택형, e.g. `084.9700A`: the exclusive area in ㎡ and a letter for the layout. The
    /// service sometimes pads it with a trailing space.
    pub house_ty: Text,
    /// 전용면적 in ㎡, when the service sends it (it often does not).
    pub excluse_ar: Num,
    /// 공급면적 in ㎡.
    pub suply_ar: Num,
    /// 일반공급 세대수.
    pub suply_hshldco: Num,
    /// 특별공급 세대수 (all categories).
    pub spsply_hshldco: Num,
    /// 특별공급 다자녀가구.
    pub mnych_hshldco: Num,
    /// 특별공급 신혼부부.
    pub nwwds_hshldco: Num,
    /// 특별공급 생애최초.
    pub lfe_frst_hshldco: Num,
    /// 특별공급 노부모부양.
    pub old_parnts_suport_hshldco: Num,
    /// 특별공급 기관추천.
    pub instt_recomend_hshldco: Num,
    /// 특별공급 이전기관.
    pub transr_instt_enfsn_hshldco: Num,
    /// 특별공급 청년.
    pub ygmn_hshldco: Num,
    /// 특별공급 신생아.
    pub nwbb_hshldco: Num,
    /// 특별공급 기타.
    pub etc_hshldco: Num,
    /// 공급금액 (분양최고금액), 만원: the highest price of the type.
    pub lttot_top_amount: Num,
}

/// One line of a notice's competition table, from `getAPTLttotPblancCmpet`: one house type,
/// one rank (1순위/2순위) and one residence class. Covers 일반공급 only.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct CompetitionRow {
    /// 주택관리번호.
    pub house_manage_no: Text,
    /// 공고번호.
    pub pblanc_no: Text,
    /// 모델번호, shared with the house-type table.
    pub model_no: Text,
    /// 주택형 (may carry a trailing space).
    pub house_ty: Text,
    /// 일반공급 세대수 of the house type (repeated on each of its lines).
    pub suply_hshldco: Num,
    /// 순위: 1 or 2 (sent as a number).
    pub subscrpt_rank_code: Text,
    /// 거주구분 code: 01 해당지역, 02 기타지역, 03 기타경기.
    pub reside_secd: Text,
    /// 거주구분 name.
    pub reside_senm: Text,
    /// 접수건수 (sent as a string).
    pub req_cnt: Num,
    /// 경쟁률 as published: `73.00`, `2,182.00`, `-` (nothing to rate), or `(△13)` (13
    /// households short), so it is kept as text.
    pub cmpet_rate: Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_house_type_row_reads_strings_numbers_and_padding() {
        let row: HouseTypeRow = serde_json::from_value(serde_json::json!({
            "HOUSE_MANAGE_NO": "2025000101", "MODEL_NO": "01", "HOUSE_TY": "084.9700A ",
            "SUPLY_AR": "112.4300", "SUPLY_HSHLDCO": 48, "SPSPLY_HSHLDCO": "52",
            "NWWDS_HSHLDCO": 18, "NWBB_HSHLDCO": null, "LTTOT_TOP_AMOUNT": "189500",
            "SOMETHING_NEW": [1]
        }))
        .unwrap();
        assert_eq!(row.house_ty.get(), Some("084.9700A"));
        assert_eq!(row.suply_ar.value(), Some(112.43));
        assert_eq!(row.spsply_hshldco.count(), Some(52));
        assert_eq!(row.nwbb_hshldco.count(), None);
        assert_eq!(row.lttot_top_amount.count(), Some(189_500));
        let row: HouseTypeRow =
            serde_json::from_value(serde_json::json!({ "EXCLUSE_AR": "59.98" })).unwrap();
        assert_eq!(
            row.excluse_ar.value(),
            Some(59.98),
            "the spelling in the spec"
        );
    }

    #[test]
    fn a_competition_row_keeps_the_published_rate_as_text() {
        let row: CompetitionRow = serde_json::from_value(serde_json::json!({
            "HOUSE_TY": "036.9533 ", "MODEL_NO": "01", "SUBSCRPT_RANK_CODE": 1,
            "RESIDE_SECD": "01", "RESIDE_SENM": "해당지역", "REQ_CNT": "730",
            "CMPET_RATE": "(△13)", "SUPLY_HSHLDCO": 10
        }))
        .unwrap();
        assert_eq!(row.subscrpt_rank_code.get(), Some("1"));
        assert_eq!(row.req_cnt.count(), Some(730));
        assert_eq!(row.cmpet_rate.get(), Some("(△13)"));
        assert_eq!(row.suply_hshldco.count(), Some(10));
    }
}
