//! The per-band figures of `get_complex_summary`: sales and leases by area band, record
//! highs within the window, and what the deals say about the complex itself.

use schemars::JsonSchema;
use serde::Serialize;

use super::{
    bands::{band_of, band_order},
    clean::Cleaned,
    complex_match::Chosen,
};
use crate::count::count_u32;
use crate::{
    tools::transactions::{PriceStats, area_of, date_of},
    upstream::molit::{Dataset, Deal},
};

/// The complex the name resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ComplexInfo {
    /// Name as most deals spell it.
    pub name: String,
    /// Legal dong.
    pub dong: String,
    /// Year built, as most deals report it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_year: Option<i32>,
    /// How the name was matched.
    pub matched_by: String,
}

/// Sales and leases of one area band.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AreaBandSummary {
    /// Band of exclusive area.
    pub area_band: String,
    /// Sale prices, 만원 (cancelled sales and outliers excluded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales: Option<PriceStats>,
    /// Median sale price per 평, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_price_per_pyeong_manwon: Option<f64>,
    /// 전세 deposits, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jeonse: Option<PriceStats>,
    /// 월세 leases.
    pub wolse_count: u32,
    /// Median 월세 deposit, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wolse_median_deposit_manwon: Option<f64>,
    /// Median 월세 monthly rent, 만원.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wolse_median_monthly_rent_manwon: Option<f64>,
    /// Median 전세 ÷ median sale of this band, percent (like for like by construction).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jeonse_ratio_pct: Option<f64>,
    /// Cancelled sales in the band.
    pub cancelled_sales: u32,
}

/// A sale above every earlier sale of its band in the window.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RecordHigh {
    /// Contract date.
    pub date: String,
    /// Band of exclusive area.
    pub area_band: String,
    /// Exclusive area, ㎡.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    /// Floor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<i32>,
    /// Price, 만원.
    pub price_manwon: u64,
    /// The high it beat, 만원.
    pub previous_high_manwon: u64,
    /// When that high was set.
    pub previous_high_date: String,
}

/// The deals of `band`.
pub(super) fn in_band<'a>(dataset: Dataset, band: &str, deals: &[&'a Deal]) -> Vec<&'a Deal> {
    deals
        .iter()
        .copied()
        .filter(|d| area_of(dataset, d).map(band_of) == Some(band))
        .collect()
}

/// The bands any deal falls in, smallest first.
pub(super) fn bands_present(
    trade_set: Dataset,
    trades: &[&Deal],
    rent_set: Dataset,
    leases: &[&Deal],
) -> Vec<&'static str> {
    let mut bands: Vec<&'static str> = trades
        .iter()
        .filter_map(|d| area_of(trade_set, d))
        .chain(leases.iter().filter_map(|d| area_of(rent_set, d)))
        .map(band_of)
        .collect();
    bands.sort_by_key(|band| band_order(band));
    bands.dedup();
    bands
}

/// Sales and leases of one band, with its 전세가율.
pub(super) fn band_summary(
    trade_set: Dataset,
    rent_set: Dataset,
    band: &str,
    sales: &Cleaned<'_>,
    rents: &Cleaned<'_>,
) -> AreaBandSummary {
    let sale = sales.summary(trade_set, 0);
    let lease = rents.summary(rent_set, 0);
    let jeonse = lease.jeonse.and_then(|j| j.deposit_manwon);
    let wolse = lease.wolse;
    let ratio = match (&sale.price_manwon, &jeonse) {
        (Some(sale), Some(jeonse)) if sale.median > 0.0 => {
            Some((jeonse.median / sale.median * 1000.0).round() / 10.0)
        }
        _ => None,
    };
    AreaBandSummary {
        area_band: band.to_owned(),
        median_price_per_pyeong_manwon: sale.median_price_per_pyeong_manwon,
        sales: sale.price_manwon,
        jeonse,
        wolse_count: wolse.as_ref().map_or(0, |w| w.count),
        wolse_median_deposit_manwon: wolse
            .as_ref()
            .and_then(|w| w.deposit_manwon.as_ref().map(|s| s.median)),
        wolse_median_monthly_rent_manwon: wolse
            .as_ref()
            .and_then(|w| w.monthly_rent_manwon.as_ref().map(|s| s.median)),
        jeonse_ratio_pct: ratio,
        cancelled_sales: count_u32(sales.cancelled.len()),
    }
}

/// Sales of one band that beat every earlier sale of the band; `newest_first` deals.
pub(super) fn record_highs(
    dataset: Dataset,
    band: &str,
    newest_first: &[&Deal],
) -> Vec<RecordHigh> {
    let mut records = Vec::new();
    let mut high: Option<(u64, String)> = None;
    for deal in newest_first.iter().rev() {
        let Some(price) = deal.deal_amount else {
            continue;
        };
        match &high {
            Some((best, when)) if price > *best => {
                records.push(RecordHigh {
                    date: date_of(deal),
                    area_band: band.to_owned(),
                    area_m2: area_of(dataset, deal),
                    floor: deal.floor,
                    price_manwon: price,
                    previous_high_manwon: *best,
                    previous_high_date: when.clone(),
                });
                high = Some((price, date_of(deal)));
            }
            Some(_) => {}
            None => high = Some((price, date_of(deal))),
        }
    }
    records
}

/// The complex as its deals describe it.
pub(super) fn complex_info(chosen: &Chosen, trades: &[&Deal], leases: &[&Deal]) -> ComplexInfo {
    let mut years: Vec<i32> = trades
        .iter()
        .chain(leases)
        .filter_map(|d| d.build_year)
        .collect();
    years.sort_unstable();
    let build_year = years
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())
        .and_then(|run| run.first().copied());
    ComplexInfo {
        name: chosen.name.clone(),
        dong: chosen.dong.clone(),
        build_year,
        matched_by: chosen.how.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::transactions::newest_first;

    fn sale(day: u32, price: u64) -> Deal {
        Deal {
            deal_year: Some(2025),
            deal_month: Some(3),
            deal_day: Some(day),
            deal_amount: Some(price),
            exclu_use_ar: Some(84.9),
            ..Deal::default()
        }
    }

    #[test]
    fn a_record_high_beats_every_earlier_sale_of_the_band() {
        let deals = [
            sale(1, 100),
            sale(2, 90),
            sale(3, 120),
            sale(4, 120),
            sale(5, 130),
        ];
        let mut newest: Vec<&Deal> = deals.iter().collect();
        newest_first(&mut newest);
        let records = record_highs(Dataset::AptTrade, "60–85㎡", &newest);
        let found: Vec<_> = records
            .iter()
            .map(|r| (r.date.as_str(), r.price_manwon, r.previous_high_manwon))
            .collect();
        assert_eq!(
            found,
            [("2025-03-03", 120, 100), ("2025-03-05", 130, 120)],
            "the first sale sets the bar; an equal price is no record"
        );
    }
}
