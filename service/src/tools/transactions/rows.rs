//! One row per deal, in a single shape for every property type.
//!
//! Design choice: one row type whose fields are left out when a property type does not have
//! them, rather than one type per family. A model then reads every transaction tool's rows the
//! same way (`date`, `dong`, `area_m2`, `price_manwon` or `deposit_manwon`…), and the
//! output schema stays one flat object instead of a union it has to tell apart.
//!
//! What each family carries (besides date, dong, jibun, build year, cancellation):
//! - apartment trades: name, building_dong, area_m2 (전용면적), floor, price, deal_type,
//!   seller/buyer, registered_on, land_lease; apartment leases: name, area_m2, floor, the lease fields.
//! - officetel: name, area_m2 (전용면적), floor, as apartments.
//! - villa (연립다세대): name, house_type, area_m2 (전용면적), floor (may be negative),
//!   land_area_m2 (대지권면적, trades only).
//! - single house (단독/다가구): house_type, area_m2 (연면적), land_area_m2 (대지면적, trades);
//!   no name or floor, jibun partly masked.
//! - commercial (상업업무용): building_type, building_use, land_use, area_m2 (건물면적),
//!   land_area_m2 (대지면적), floor, share_deal; jibun partly masked.
//! - leases: deposit_manwon, monthly_rent_manwon, lease_type (전세/월세), contract_type,
//!   contract_term, previous_deposit_manwon, previous_monthly_rent_manwon, renewal_right_used.
//! - detailed apartment trades: everything apartment trades carry, plus complex_id (MOLIT's
//!   `aptSeq`), road_address and legal_dong_code.
//! - presale rights (분양권·입주권): name, area_m2 (전용면적), floor, ownership (분양권 or
//!   입주권), deal_type, seller/buyer; no build year (the building is not finished).
//! - land (토지): area_m2 (거래면적, the land traded), land_category (지목), land_use
//!   (용도지역), share_deal; no name, floor or build year; jibun partly masked.
//! - industrial (공장·창고): as commercial: building_type, building_use, land_use, area_m2
//!   (건물면적), land_area_m2 (대지면적), floor, share_deal; jibun partly masked.

use schemars::JsonSchema;
use serde::Serialize;

use crate::upstream::molit::{Dataset, Deal, DealLocation};

/// Square metres in one 평 (400/121 ㎡, about 3.3058 ㎡).
pub const M2_PER_PYEONG: f64 = 400.0 / 121.0;

/// One reported deal. Amounts in 만원, areas in ㎡; absent fields do not apply to the
/// property type or were not reported.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TransactionRow {
    /// Contract date `YYYY-MM-DD` (`YYYY-MM` when the day is not reported).
    pub date: String,
    /// Legal dong (법정동) name, e.g. 대치동.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong: Option<String>,
    /// Lot number (지번); partly masked (`1**`) for houses and commercial buildings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jibun: Option<String>,
    /// Complex or building name (아파트/오피스텔/연립다세대 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Building number within an apartment complex (동), when reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_dong: Option<String>,
    /// MOLIT's complex id (`aptSeq`, e.g. `11680-4127`): the same complex keeps it across
    /// months and renamings (detailed apartment trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complex_id: Option<String>,
    /// Road-name address without the city and district, e.g. `삼성로51길 37` (detailed
    /// apartment trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub road_address: Option<String>,
    /// 10-digit legal dong code (법정동코드) of the lot (detailed apartment trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_dong_code: Option<String>,
    /// The area the tool's `area_basis` names: 전용면적, or 연면적 for single houses, or
    /// 건물면적 for commercial buildings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    /// Land area: 대지권면적 (villas) or 대지면적 (houses, commercial buildings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land_area_m2: Option<f64>,
    /// Floor; negative for basements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<i32>,
    /// Year the building was completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_year: Option<i32>,
    /// 다세대/연립 (villas) or 단독/다가구 (single houses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub house_type: Option<String>,
    /// 일반 or 집합 (commercial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_type: Option<String>,
    /// Main use of the building, e.g. 제2종근린생활 (commercial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_use: Option<String>,
    /// Zoning, e.g. 일반상업 (commercial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land_use: Option<String>,
    /// Land category (지목), e.g. 대 (building site), 전 (field), 답 (paddy), 임야 (forest)
    /// (land).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land_category: Option<String>,
    /// True when only a share (지분) was sold (commercial, industrial, land): the price is
    /// for that share, so the deal is left out of per-area medians.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_deal: Option<bool>,
    /// True for a land-lease flat (토지임대부: the land is leased, not sold, so the price is
    /// far below market), left out of per-area medians (apartment trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land_lease: Option<bool>,
    /// 분양권 (right to a unit still being built) or 입주권 (a redevelopment member's
    /// occupancy right) (presale rights).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
    /// Sale price in 만원 (trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_manwon: Option<u64>,
    /// Sale price per 평 (3.3058㎡) of `area_m2` (전용면적 for flats, not 공급면적), in 만원
    /// (trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_per_pyeong_manwon: Option<f64>,
    /// 중개거래 (through a broker) or 직거래 (direct) (trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal_type: Option<String>,
    /// Seller: 개인/법인/기타 (trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller: Option<String>,
    /// Buyer: 개인/법인/기타 (trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer: Option<String>,
    /// Date the transfer was registered, `YY.MM.DD`, once it was (trades).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_on: Option<String>,
    /// Lease deposit (보증금) in 만원 (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposit_manwon: Option<u64>,
    /// Monthly rent in 만원; 0 for 전세 (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_rent_manwon: Option<u64>,
    /// 전세 (no monthly rent) or 월세 (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease_type: Option<String>,
    /// 신규 (new) or 갱신 (renewal) (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<String>,
    /// Lease term `YY.MM~YY.MM` (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_term: Option<String>,
    /// Deposit of the previous lease in 만원, for renewals (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_deposit_manwon: Option<u64>,
    /// Monthly rent of the previous lease in 만원, for renewals (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_monthly_rent_manwon: Option<u64>,
    /// Whether the tenant used the statutory renewal right (계약갱신요구권) (leases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_right_used: Option<bool>,
    /// True when the deal was later cancelled (해제); cancelled deals are left out of the
    /// summary's figures.
    pub cancelled: bool,
    /// Cancellation date `YY.MM.DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_on: Option<String>,
}

/// What `area_m2`, and every per-㎡ and per-평 figure, measures for a dataset.
pub fn area_basis(dataset: Dataset) -> &'static str {
    super::TransactionTool::of(dataset).area_basis
}

/// For flats, whose per-area prices divide by 전용면적: the warning against comparing them
/// with per-평 prices on 공급면적 (분양가, most 평당 quotes), which read 25–33% lower for the
/// same money.
pub(crate) fn per_area_note(dataset: Dataset) -> Option<&'static str> {
    super::TransactionTool::of(dataset)
        .on_exclusive_area()
        .then_some(
        "Per-㎡ and per-평 prices here divide by 전용면적 (exclusive area). 분양가 평당 and most \
         quoted 평당 prices divide by 공급면적 (supply area), about 1.3 times larger for a flat \
         (84㎡ 전용 ≈ 112㎡ 공급), so the same price reads about a quarter lower per 평 of supply \
         area. Compare like with like: get_apt_subscription_detail gives \
         top_price_per_pyeong_exclusive_manwon for that.",
    )
}

/// The area the filters, per-area prices and `area_m2` use.
pub(crate) fn area_of(dataset: Dataset, deal: &Deal) -> Option<f64> {
    match dataset {
        Dataset::DetachedHouseTrade | Dataset::DetachedHouseRent => deal.total_floor_ar,
        Dataset::CommercialTrade | Dataset::FactoryWarehouseTrade => deal.building_ar,
        Dataset::LandTrade => deal.deal_area,
        _ => deal.exclu_use_ar,
    }
    .filter(|area| *area > 0.0)
}

fn land_area_of(dataset: Dataset, deal: &Deal) -> Option<f64> {
    match dataset {
        Dataset::RowHouseTrade => deal.land_ar,
        Dataset::DetachedHouseTrade | Dataset::CommercialTrade | Dataset::FactoryWarehouseTrade => {
            deal.plottage_ar
        }
        _ => None,
    }
}

/// The datasets that report share (지분) sales.
fn reports_shares(dataset: Dataset) -> bool {
    matches!(
        dataset,
        Dataset::CommercialTrade | Dataset::FactoryWarehouseTrade | Dataset::LandTrade
    )
}

/// The datasets that report land-lease (토지임대부) flats.
fn reports_land_lease(dataset: Dataset) -> bool {
    matches!(dataset, Dataset::AptTrade | Dataset::AptTradeDetailed)
}

/// `삼성로51길 37`, `테헤란로 지하 152` or `강남대로 318-1`: the road name and building
/// number, with the zero padding the codes carry removed.
fn road_address(location: &DealLocation) -> Option<String> {
    let road = location.road_nm.as_deref()?;
    let Some(main) = lot_number(location.road_nm_bonbun.as_deref()) else {
        return Some(road.to_owned());
    };
    let underground = if location.road_nmb_cd.as_deref() == Some("1") {
        " 지하"
    } else {
        ""
    };
    let sub = lot_number(location.road_nm_bubun.as_deref())
        .map(|sub| format!("-{sub}"))
        .unwrap_or_default();
    Some(format!("{road}{underground} {main}{sub}"))
}

/// A building or lot number without zero padding; `None` for 0, blank or non-digits.
fn lot_number(raw: Option<&str>) -> Option<&str> {
    let digits = raw?.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.trim_start_matches('0')).filter(|n| !n.is_empty())
}

/// `sggCd` + `umdCd` when both are the 5-digit codes they should be.
fn legal_dong_code(deal: &Deal, location: &DealLocation) -> Option<String> {
    let district = deal.sgg_cd.as_deref()?;
    let dong = location.umd_cd.as_deref()?;
    let code = format!("{district}{dong}");
    (code.len() == 10 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// Contract date as `YYYY-MM-DD`, or as precise as the deal allows.
pub(crate) fn date_of(deal: &Deal) -> String {
    match (deal.deal_year, deal.deal_month, deal.deal_day) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (Some(y), None, _) => format!("{y:04}"),
        _ => String::new(),
    }
}

/// Newest contract first; the sort is stable, so the service's order holds within a day.
pub(crate) fn newest_first(deals: &mut [&Deal]) {
    deals.sort_by_key(|d| std::cmp::Reverse((d.deal_year, d.deal_month, d.deal_day)));
}

/// Rounds to one decimal: enough for ㎡ and 만원 ratios, short for a model to read.
pub(crate) fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

impl TransactionRow {
    /// The row for `deal` of `dataset`.
    pub(crate) fn from_deal(dataset: Dataset, deal: &Deal) -> Self {
        let area = area_of(dataset, deal);
        let lease_type = deal
            .monthly_rent
            .map(|rent| if rent == 0 { "전세" } else { "월세" }.to_owned());
        let price_per_pyeong = match (deal.deal_amount, area) {
            (Some(price), Some(area)) => Some(round1(price as f64 / area * M2_PER_PYEONG)),
            _ => None,
        };
        let location = deal.location.as_deref();
        Self {
            date: date_of(deal),
            dong: deal.umd_nm.clone(),
            jibun: deal.jibun.clone(),
            name: deal.name.clone(),
            building_dong: deal.apt_dong.clone(),
            complex_id: deal.apt_seq.clone(),
            road_address: location.and_then(road_address),
            legal_dong_code: location.and_then(|l| legal_dong_code(deal, l)),
            area_m2: area,
            land_area_m2: land_area_of(dataset, deal),
            floor: deal.floor,
            build_year: deal.build_year,
            house_type: deal.house_type.clone(),
            building_type: deal.building_type.clone(),
            building_use: deal.building_use.clone(),
            land_use: deal.land_use.clone(),
            land_category: deal.jimok.clone(),
            share_deal: reports_shares(dataset).then(|| deal.is_share_sale()),
            land_lease: reports_land_lease(dataset).then(|| deal.is_land_lease()),
            ownership: deal.ownership_gbn.clone(),
            price_manwon: deal.deal_amount,
            price_per_pyeong_manwon: price_per_pyeong,
            deal_type: deal.dealing_gbn.clone(),
            seller: deal.sler_gbn.clone(),
            buyer: deal.buyer_gbn.clone(),
            registered_on: deal.rgst_date.clone(),
            deposit_manwon: deal.deposit,
            monthly_rent_manwon: deal.monthly_rent,
            lease_type,
            contract_type: deal.contract_type.clone(),
            contract_term: deal.contract_term.clone(),
            previous_deposit_manwon: deal.pre_deposit,
            previous_monthly_rent_manwon: deal.pre_monthly_rent,
            renewal_right_used: deal.use_rr_right.as_deref().map(|v| v == "사용"),
            cancelled: deal.is_cancelled(),
            cancelled_on: deal.cdeal_day.clone(),
        }
    }
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
