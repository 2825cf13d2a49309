//! How `analyze_jeonse_ratio` pairs sales with leases: grouping by complex and area band,
//! the outlier rule inside each group, 월세 conversion, and the spread of group ratios.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::{
    bands::{band_of, band_order},
    clean::{drop_far_out, quantile},
};
use crate::count::count_u32;
use crate::{
    tools::transactions::{area_of, median_f64, name_key, round1},
    upstream::molit::{Dataset, Deal},
};

/// Groups with fewer sales or leases than this are flagged `thin`.
pub(super) const MIN_GROUP_SAMPLES: u32 = 3;

/// One complex and area band with both sales and leases.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct JeonseGroup {
    /// Complex name as reported.
    pub name: String,
    /// Legal dong.
    pub dong: String,
    /// Area band of exclusive area.
    pub area_band: String,
    /// Median lease (전세, or 전세 equivalent) ÷ median sale, percent.
    pub ratio_pct: f64,
    /// Median sale price, 만원.
    pub median_trade_manwon: f64,
    /// Median 전세 deposit (or equivalent), 만원.
    pub median_lease_manwon: f64,
    /// Sales behind the median.
    pub trades: u32,
    /// Leases behind the median.
    pub leases: u32,
    /// Fewer than 3 sales or leases: read with care.
    pub thin: bool,
}

/// The spread of the group ratios.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RatioSpread {
    /// Median of the group ratios, percent: the district's 전세가율.
    pub median_pct: f64,
    /// First quartile, percent.
    pub p25_pct: f64,
    /// Third quartile, percent.
    pub p75_pct: f64,
    /// Lowest group ratio, percent.
    pub min_pct: f64,
    /// Highest group ratio, percent.
    pub max_pct: f64,
    /// Groups behind the figures.
    pub groups: u32,
    /// Sales in those groups.
    pub trades: u32,
    /// Leases in those groups.
    pub leases: u32,
}

/// The groups of a district, sorted out.
pub(super) struct Pairing {
    /// Groups with both sales and leases.
    pub(super) matched: Vec<JeonseGroup>,
    /// Groups with sales only.
    pub(super) trade_only: u32,
    /// Groups with leases only.
    pub(super) lease_only: u32,
    /// 월세 leases converted and counted in a matched group's ratio.
    pub(super) converted: u32,
    /// Deals left out as outliers.
    pub(super) outliers: u32,
}

/// Groups `trades` and `leases` (already filtered) and pairs each group's medians.
pub(super) fn pair(
    (trade_set, trades): (Dataset, &[&Deal]),
    (rent_set, leases): (Dataset, &[&Deal]),
    conversion: Option<f64>,
    drop_outliers: bool,
) -> Pairing {
    let mut pairing = Pairing {
        matched: Vec::new(),
        trade_only: 0,
        lease_only: 0,
        converted: 0,
        outliers: 0,
    };
    for mut group in group(trade_set, trades, rent_set, leases, conversion).into_values() {
        if drop_outliers {
            let (kept, dropped) = drop_far_out(group.trades, |d| {
                Some(d.deal_amount? as f64 / area_of(trade_set, d)?)
            });
            group.trades = kept;
            pairing.outliers += dropped;
            let (kept, dropped) = drop_far_out(group.leases, |d| {
                Some(lease_equivalent(d, conversion)? / area_of(rent_set, d)?)
            });
            group.leases = kept;
            pairing.outliers += dropped;
        }
        match (group.trades.is_empty(), group.leases.is_empty()) {
            (false, false) => {
                // Only leases of a matched group enter a ratio, so only they count as used.
                pairing.converted += count_u32(
                    group
                        .leases
                        .iter()
                        .filter(|d| d.monthly_rent.is_some_and(|rent| rent > 0))
                        .count(),
                );
                pairing.matched.push(matched_group(&group, conversion));
            }
            (false, true) => pairing.trade_only += 1,
            (true, false) => pairing.lease_only += 1,
            (true, true) => {}
        }
    }
    pairing
}

/// A lease as a 전세 deposit: the deposit of a 전세, or a 월세 converted at `rate` when
/// conversion is on; `None` for 월세 otherwise.
fn lease_equivalent(deal: &Deal, rate: Option<f64>) -> Option<f64> {
    let deposit = deal.deposit? as f64;
    match deal.monthly_rent? {
        0 => Some(deposit),
        rent => rate.map(|rate| deposit + rent as f64 * 12.0 / rate),
    }
}

type GroupKey = (String, String, usize);

#[derive(Default)]
struct Group<'a> {
    name: String,
    dong: String,
    band: &'static str,
    trades: Vec<&'a Deal>,
    leases: Vec<&'a Deal>,
}

/// Groups live sales of whole flats (no share sales or land-lease flats) and usable leases by
/// dong, folded complex name and area band.
fn group<'a>(
    trade_set: Dataset,
    trades: &[&'a Deal],
    rent_set: Dataset,
    leases: &[&'a Deal],
    conversion: Option<f64>,
) -> BTreeMap<GroupKey, Group<'a>> {
    let mut groups: BTreeMap<GroupKey, Group<'a>> = BTreeMap::new();
    let mut place = |dataset: Dataset, deal: &'a Deal, is_trade: bool| {
        let (Some(name), Some(dong), Some(area)) = (
            deal.name.as_deref(),
            deal.umd_nm.as_deref(),
            area_of(dataset, deal),
        ) else {
            return;
        };
        let band = band_of(area);
        let key = (dong.to_owned(), name_key(name), band_order(band));
        let entry = groups.entry(key).or_insert_with(|| Group {
            name: name.to_owned(),
            dong: dong.to_owned(),
            band,
            ..Group::default()
        });
        if is_trade {
            entry.trades.push(deal);
        } else {
            entry.leases.push(deal);
        }
    };
    for deal in trades
        .iter()
        .filter(|d| !d.is_cancelled() && !d.is_partial_interest() && d.deal_amount.is_some())
    {
        place(trade_set, deal, true);
    }
    for deal in leases
        .iter()
        .filter(|d| !d.is_cancelled() && lease_equivalent(d, conversion).is_some())
    {
        place(rent_set, deal, false);
    }
    groups
}

/// The group's medians, ratio and sample sizes.
fn matched_group(group: &Group<'_>, conversion: Option<f64>) -> JeonseGroup {
    let trade = median_f64(
        group
            .trades
            .iter()
            .filter_map(|d| d.deal_amount)
            .map(|v| v as f64)
            .collect(),
    )
    .unwrap_or(0.0);
    let lease = median_f64(
        group
            .leases
            .iter()
            .filter_map(|d| lease_equivalent(d, conversion))
            .collect(),
    )
    .unwrap_or(0.0);
    let (trades, leases) = (count_u32(group.trades.len()), count_u32(group.leases.len()));
    JeonseGroup {
        name: group.name.clone(),
        dong: group.dong.clone(),
        area_band: group.band.to_owned(),
        ratio_pct: if trade > 0.0 {
            round1(lease / trade * 100.0)
        } else {
            0.0
        },
        median_trade_manwon: round1(trade),
        median_lease_manwon: round1(lease),
        trades,
        leases,
        thin: trades < MIN_GROUP_SAMPLES || leases < MIN_GROUP_SAMPLES,
    }
}

/// Median, quartiles and extremes of the group ratios, with the samples behind them.
pub(super) fn spread(groups: &[JeonseGroup]) -> Option<RatioSpread> {
    let mut ratios: Vec<f64> = groups.iter().map(|g| g.ratio_pct).collect();
    ratios.sort_unstable_by(f64::total_cmp);
    let (&min, &max) = (ratios.first()?, ratios.last()?);
    Some(RatioSpread {
        median_pct: round1(quantile(&ratios, 0.5)),
        p25_pct: round1(quantile(&ratios, 0.25)),
        p75_pct: round1(quantile(&ratios, 0.75)),
        min_pct: min,
        max_pct: max,
        groups: count_u32(groups.len()),
        trades: groups.iter().map(|g| g.trades).sum(),
        leases: groups.iter().map(|g| g.leases).sum(),
    })
}
