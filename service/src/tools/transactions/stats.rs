//! The summary: counts and price statistics over every matching deal, not just the rows
//! returned. Cancelled deals are counted but never enter a figure.

use schemars::JsonSchema;
use serde::Serialize;

use super::rows::{M2_PER_PYEONG, area_of, round1};
use crate::count::count_u32;
use crate::upstream::molit::{Dataset, Deal, DealKind};

/// Count, median, mean, minimum and maximum of amounts in 만원.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PriceStats {
    /// Deals the figures cover.
    pub count: u32,
    /// Median (the mean of the two middle values for an even count), 만원.
    pub median: f64,
    /// Arithmetic mean, 만원, one decimal.
    pub mean: f64,
    /// Lowest, 만원.
    pub min: u64,
    /// Highest, 만원.
    pub max: u64,
}

impl PriceStats {
    /// Statistics of `values`; `None` when there are none.
    pub(crate) fn of(mut values: Vec<u64>) -> Option<Self> {
        values.sort_unstable();
        let (&min, &max) = (values.first()?, values.last()?);
        let count = values.len();
        let sum: f64 = values.iter().map(|v| *v as f64).sum();
        Some(Self {
            count: count_u32(count),
            median: median_of_sorted(&values),
            mean: round1(sum / count as f64),
            min,
            max,
        })
    }
}

fn median_of_sorted(values: &[u64]) -> f64 {
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid] as f64
    } else {
        (values[mid - 1] as f64 + values[mid] as f64) / 2.0
    }
}

/// Median of `values` (the mean of the two middle ones for an even count); `None` when empty.
pub(crate) fn median_f64(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let mid = values.len() / 2;
    let median = if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    };
    Some(median)
}

/// 전세 leases: no monthly rent, the deposit is the whole price.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct JeonseSummary {
    /// 전세 deals among the counted ones.
    pub count: u32,
    /// Deposit (보증금) statistics, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposit_manwon: Option<PriceStats>,
    /// Median deposit per ㎡ of `area_m2`, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_deposit_per_m2_manwon: Option<f64>,
    /// Median deposit per 평 (3.3058㎡) of `area_m2` (전용면적 for flats), 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_deposit_per_pyeong_manwon: Option<f64>,
}

/// 월세 leases: a deposit plus a monthly rent. Per-area figures are left out because
/// deposits and rents trade off against each other from one lease to the next.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WolseSummary {
    /// 월세 deals among the counted ones.
    pub count: u32,
    /// Deposit (보증금) statistics, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposit_manwon: Option<PriceStats>,
    /// Monthly rent statistics, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_rent_manwon: Option<PriceStats>,
}

/// Figures over every deal matching the filters (not only the rows returned).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Summary {
    /// Deals fetched for the district and month, before filters.
    pub deals_in_month: u32,
    /// Deals matching the filters, cancelled ones included.
    pub matching_deals: u32,
    /// Matching deals that were later cancelled (해제): listed in rows with
    /// `cancelled: true` but left out of every figure below.
    pub cancelled_deals: u32,
    /// Trades: sale price statistics, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_manwon: Option<PriceStats>,
    /// Trades: median price per ㎡ of `area_m2`, 만원. Share sales and land-lease flats are
    /// left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_price_per_m2_manwon: Option<f64>,
    /// Trades: median price per 평 (3.3058㎡) of `area_m2` (전용면적 for flats, not the
    /// 공급면적 분양가 quotes use), 만원; same deals as per ㎡.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_price_per_pyeong_manwon: Option<f64>,
    /// Trades: counted share sales (지분): in `price_manwon`, left out of the per-area medians
    /// because the price is for a share. Absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_deals: Option<u32>,
    /// Trades: counted land-lease flats (토지임대부), sold without their land: in
    /// `price_manwon`, left out of the per-area medians. Absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land_lease_deals: Option<u32>,
    /// Leases: 전세 (monthly rent 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jeonse: Option<JeonseSummary>,
    /// Leases: 월세 (monthly rent above 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wolse: Option<WolseSummary>,
}

/// Summarises `matching` (already filtered) deals of `dataset` out of `deals_in_month`.
pub(crate) fn summarise(dataset: Dataset, matching: &[&Deal], deals_in_month: usize) -> Summary {
    let counted: Vec<&Deal> = matching
        .iter()
        .copied()
        .filter(|d| !d.is_cancelled())
        .collect();
    let mut summary = Summary {
        deals_in_month: count_u32(deals_in_month),
        matching_deals: count_u32(matching.len()),
        cancelled_deals: count_u32(matching.len() - counted.len()),
        price_manwon: None,
        median_price_per_m2_manwon: None,
        median_price_per_pyeong_manwon: None,
        share_deals: None,
        land_lease_deals: None,
        jeonse: None,
        wolse: None,
    };
    match dataset.kind() {
        DealKind::Trade => {
            summary.price_manwon =
                PriceStats::of(counted.iter().filter_map(|d| d.deal_amount).collect());
            let tally = |flag: fn(&Deal) -> bool| {
                Some(count_u32(counted.iter().filter(|d| flag(d)).count())).filter(|n| *n > 0)
            };
            summary.share_deals = tally(Deal::is_share_sale);
            summary.land_lease_deals = tally(Deal::is_land_lease);
            let whole: Vec<&Deal> = counted
                .iter()
                .copied()
                .filter(|d| !d.is_partial_interest())
                .collect();
            let per_m2 = median_per_m2(dataset, &whole, |d| d.deal_amount);
            summary.median_price_per_m2_manwon = per_m2.map(round1);
            summary.median_price_per_pyeong_manwon = per_m2.map(|v| round1(v * M2_PER_PYEONG));
        }
        DealKind::Rent => {
            let (jeonse, wolse): (Vec<&Deal>, Vec<&Deal>) = counted
                .iter()
                .copied()
                .filter(|d| d.monthly_rent.is_some())
                .partition(|d| d.monthly_rent == Some(0));
            let per_m2 = median_per_m2(dataset, &jeonse, |d| d.deposit);
            summary.jeonse = Some(JeonseSummary {
                count: count_u32(jeonse.len()),
                deposit_manwon: PriceStats::of(jeonse.iter().filter_map(|d| d.deposit).collect()),
                median_deposit_per_m2_manwon: per_m2.map(round1),
                median_deposit_per_pyeong_manwon: per_m2.map(|v| round1(v * M2_PER_PYEONG)),
            });
            summary.wolse = Some(WolseSummary {
                count: count_u32(wolse.len()),
                deposit_manwon: PriceStats::of(wolse.iter().filter_map(|d| d.deposit).collect()),
                monthly_rent_manwon: PriceStats::of(
                    wolse.iter().filter_map(|d| d.monthly_rent).collect(),
                ),
            });
        }
    }
    summary
}

/// Median of amount ÷ area over the deals that report both.
fn median_per_m2(
    dataset: Dataset,
    deals: &[&Deal],
    amount: impl Fn(&Deal) -> Option<u64>,
) -> Option<f64> {
    let ratios = deals
        .iter()
        .filter_map(|deal| Some(amount(deal)? as f64 / area_of(dataset, deal)?))
        .collect();
    median_f64(ratios)
}
