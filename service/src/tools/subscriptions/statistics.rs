//! One statistics row made readable: age bands summed, rates read or derived.

use serde::Serialize;

use schemars::{self, JsonSchema};

use crate::upstream::odcloud::{Num, StatRow};

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
    /// 최고 당첨가점.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highest_score: Option<f64>,
    /// 최저 당첨가점: the cut-off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lowest_score: Option<f64>,
}

pub(super) fn statistics_row(row: &StatRow) -> StatisticsRow {
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

    /// No public sample, client or stored specification of the 가점제 table has a median
    /// (docs/upstream-notes.md), so neither the arguments nor the rows may promise one.
    #[test]
    fn no_median_winning_score_is_promised() {
        let schemas = [
            schemars::schema_for!(StatisticsRow),
            schemars::schema_for!(super::super::SubscriptionResultsArgs),
        ];
        for schema in schemas {
            let text = serde_json::to_string(&schema).unwrap();
            assert!(!text.contains("median"), "{text}");
            assert!(!text.contains("중위"), "{text}");
        }
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
