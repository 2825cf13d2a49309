//! `get_apt_subscription_detail`: one notice with its house-type supply table (주택형별
//! 공급세대·특별공급 배정·분양최고금액).

use serde::Serialize;

use schemars::{self, JsonSchema};

use crate::count::count_u32;
use crate::{
    tools::{Provenance, ToolError},
    upstream::odcloud::{HouseTypeRow, Num, OdcloudClient},
};

use super::{
    lookup::{SubscriptionNoticeArgs, Target, combined, find_notice},
    notice::Notice,
};

/// Square metres in one 평.
const M2_PER_PYEONG: f64 = 400.0 / 121.0;

/// House types asked for in one request; a complex has a few dozen at most.
const MAX_TYPES: u32 = 500;

/// Result of `get_apt_subscription_detail`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SubscriptionDetailOutput {
    /// The notice: schedule, address, builder, regulation flags, status.
    pub notice: Notice,
    /// The house types (주택형) offered, in Applyhome's model order.
    pub house_types: Vec<HouseType>,
    /// Sums over the house types.
    pub totals: SupplyTotals,
    /// Things to tell the user: a missing table, totals that disagree with the notice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Cache state and the quota this call used (two requests when live).
    pub source: Provenance,
}

/// One house type (주택형) of the notice. Counts are households, prices 만원.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct HouseType {
    /// 모델번호, e.g. `01`: the key `get_apt_subscription_competition` shows too.
    pub model_no: Option<String>,
    /// 주택형 as Applyhome writes it, e.g. `084.9700A`.
    pub house_type: Option<String>,
    /// 전용면적 in ㎡: as sent, or read from the 주택형 code, whose number is the exclusive
    /// area.
    pub exclusive_area_m2: Option<f64>,
    /// 공급면적 in ㎡ (exclusive plus shared areas), the area "34평" talk refers to.
    pub supply_area_m2: Option<f64>,
    /// 일반공급 households.
    pub general_households: Option<u64>,
    /// 특별공급 households, all categories.
    pub special_households: Option<u64>,
    /// 특별공급 households by category; categories the notice does not use are left out.
    pub special_by_category: SpecialSupply,
    /// 분양최고금액: the highest price of the type, 만원.
    pub top_price_manwon: Option<u64>,
    /// The highest price per 평 of 공급면적 (supply area): the usual 평당 분양가, 만원.
    pub top_price_per_pyeong_manwon: Option<f64>,
    /// The highest price per 평 of 전용면적 (exclusive area), 만원: the basis of the
    /// transaction tools' per-평 prices, so compare 실거래가 with this one (it is about 1.3
    /// times the supply-area figure).
    pub top_price_per_pyeong_exclusive_manwon: Option<f64>,
}

/// 특별공급 households by category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct SpecialSupply {
    /// 다자녀가구.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_child: Option<u64>,
    /// 신혼부부.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newlywed: Option<u64>,
    /// 생애최초.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_home: Option<u64>,
    /// 노부모부양.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elderly_parents: Option<u64>,
    /// 기관추천.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<u64>,
    /// 이전기관 (relocated public institutions' staff).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relocated_institution: Option<u64>,
    /// 청년.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub youth: Option<u64>,
    /// 신생아.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newborn: Option<u64>,
    /// 기타.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<u64>,
}

/// Sums over the house types.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SupplyTotals {
    /// House types listed.
    pub house_types: u32,
    /// 일반공급 households.
    pub general_households: u64,
    /// 특별공급 households.
    pub special_households: u64,
    /// Both together.
    pub households: u64,
    /// Lowest 분양최고금액 among the types, 만원.
    pub top_price_min_manwon: Option<u64>,
    /// Highest 분양최고금액 among the types, 만원.
    pub top_price_max_manwon: Option<u64>,
}

/// Fetches the notice and its house-type table.
pub async fn subscription_detail(
    client: &OdcloudClient,
    args: SubscriptionNoticeArgs,
) -> Result<SubscriptionDetailOutput, ToolError> {
    let target = Target::from_args(&args)?;
    let found = find_notice(client, &target).await?;
    let answer = client.house_types(&target.query(MAX_TYPES)).await?;
    let house_types: Vec<HouseType> = answer.page.rows.iter().map(house_type).collect();
    let totals = totals(&house_types);
    let mut notes = Vec::new();
    if house_types.is_empty() {
        notes.push(
            "Applyhome has published no house-type table for this notice (yet); the notice \
             itself is complete."
                .to_owned(),
        );
    } else if let Some(announced) = found.notice.total_households
        && announced != totals.households
    {
        notes.push(format!(
            "The house types add up to {} households but the notice announces {announced}; \
             the notice may have been corrected since.",
            totals.households
        ));
    }
    if house_types
        .iter()
        .any(|t| t.top_price_per_pyeong_manwon.is_some())
    {
        notes.push(
            "top_price_per_pyeong_manwon divides by 공급면적 (supply area), as 분양가 평당 quotes \
             do; the transaction and analytics tools divide by 전용면적 (exclusive area). To \
             compare this notice with 실거래가, use top_price_per_pyeong_exclusive_manwon: \
             the gap between the two bases alone is 25–33%."
                .to_owned(),
        );
    }
    if answer.page.match_count > answer.page.rows.len() as u64 {
        notes.push(format!(
            "Only the first {} of {} house types are shown.",
            answer.page.rows.len(),
            answer.page.match_count
        ));
    }
    Ok(SubscriptionDetailOutput {
        notice: found.notice,
        house_types,
        totals,
        notes,
        source: combined(&[
            found.source,
            Provenance::new(answer.freshness, answer.upstream_calls),
        ]),
    })
}

fn house_type(row: &HouseTypeRow) -> HouseType {
    let code = row.house_ty.get().map(str::to_owned);
    let supply_area = positive(row.suply_ar);
    let exclusive_area =
        positive(row.excluse_ar).or_else(|| code.as_deref().and_then(area_in_code));
    let top_price = row.lttot_top_amount.count();
    let per_pyeong = |area: Option<f64>| match (top_price, area) {
        (Some(price), Some(area)) => Some((price as f64 / area * M2_PER_PYEONG).round()),
        _ => None,
    };
    HouseType {
        model_no: row.model_no.get().map(str::to_owned),
        exclusive_area_m2: exclusive_area,
        house_type: code,
        supply_area_m2: supply_area,
        general_households: row.suply_hshldco.count(),
        special_households: row.spsply_hshldco.count(),
        special_by_category: SpecialSupply {
            multi_child: row.mnych_hshldco.count(),
            newlywed: row.nwwds_hshldco.count(),
            first_home: row.lfe_frst_hshldco.count(),
            elderly_parents: row.old_parnts_suport_hshldco.count(),
            institution: row.instt_recomend_hshldco.count(),
            relocated_institution: row.transr_instt_enfsn_hshldco.count(),
            youth: row.ygmn_hshldco.count(),
            newborn: row.nwbb_hshldco.count(),
            other: row.etc_hshldco.count(),
        },
        top_price_manwon: top_price,
        top_price_per_pyeong_manwon: per_pyeong(supply_area),
        top_price_per_pyeong_exclusive_manwon: per_pyeong(exclusive_area),
    }
}

fn positive(cell: Num) -> Option<f64> {
    cell.value().filter(|v| *v > 0.0)
}

/// `084.9700A` → 84.97: the 주택형 code starts with the exclusive area.
fn area_in_code(code: &str) -> Option<f64> {
    let number: String = code
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number
        .parse::<f64>()
        .ok()
        .filter(|v| (10.0..1_000.0).contains(v))
}

fn totals(types: &[HouseType]) -> SupplyTotals {
    let general: u64 = types.iter().filter_map(|t| t.general_households).sum();
    let special: u64 = types.iter().filter_map(|t| t.special_households).sum();
    let prices = || types.iter().filter_map(|t| t.top_price_manwon);
    SupplyTotals {
        house_types: count_u32(types.len()),
        general_households: general,
        special_households: special,
        households: general + special,
        top_price_min_manwon: prices().min(),
        top_price_max_manwon: prices().max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: serde_json::Value) -> HouseTypeRow {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_type_reads_its_area_from_the_code_when_none_is_sent() {
        let t = house_type(&row(serde_json::json!({
            "MODEL_NO": "02", "HOUSE_TY": "084.9700A ", "SUPLY_AR": "112.4300",
            "SUPLY_HSHLDCO": 48, "SPSPLY_HSHLDCO": 52, "NWWDS_HSHLDCO": 18,
            "LTTOT_TOP_AMOUNT": "189500"
        })));
        assert_eq!(t.house_type.as_deref(), Some("084.9700A"));
        assert_eq!(t.exclusive_area_m2, Some(84.97));
        assert_eq!(t.supply_area_m2, Some(112.43));
        assert_eq!(t.special_by_category.newlywed, Some(18));
        assert_eq!(t.special_by_category.youth, None);
        // 189,500 ÷ 112.43 ㎡ × 3.3058 ㎡/평 = 5,571.9…
        assert_eq!(t.top_price_per_pyeong_manwon, Some(5_572.0));
        // The same price per 평 of the 84.97 ㎡ exclusive area, as 실거래가 figures divide.
        assert_eq!(t.top_price_per_pyeong_exclusive_manwon, Some(7_373.0));
        let json = serde_json::to_value(&t.special_by_category).unwrap();
        assert_eq!(json, serde_json::json!({ "newlywed": 18 }));
    }

    #[test]
    fn a_sent_exclusive_area_wins_and_odd_codes_give_none() {
        let t = house_type(&row(serde_json::json!({
            "HOUSE_TY": "084.9700A", "EXCLUSE_AR": "84.9712"
        })));
        assert_eq!(t.exclusive_area_m2, Some(84.9712));
        for code in ["A타입", "", "0.5", "9999.1A"] {
            assert_eq!(area_in_code(code), None, "{code}");
        }
        let t = house_type(&row(serde_json::json!({ "SUPLY_AR": "0" })));
        assert_eq!(t.supply_area_m2, None);
        assert_eq!(t.top_price_per_pyeong_manwon, None);
    }

    #[test]
    fn totals_add_up_and_span_the_prices() {
        let types: Vec<_> = [(10, 5, 80_000), (20, 15, 120_000)]
            .into_iter()
            .map(|(general, special, price)| {
                house_type(&row(serde_json::json!({
                    "SUPLY_HSHLDCO": general, "SPSPLY_HSHLDCO": special,
                    "LTTOT_TOP_AMOUNT": price
                })))
            })
            .collect();
        let totals = totals(&types);
        assert_eq!(
            (
                totals.general_households,
                totals.special_households,
                totals.households
            ),
            (30, 20, 50)
        );
        assert_eq!(
            (totals.top_price_min_manwon, totals.top_price_max_manwon),
            (Some(80_000), Some(120_000))
        );
    }
}
