//! What the analytics tools leave out of their figures, and why: cancelled deals always,
//! outliers by one documented rule.
//!
//! Outlier rule: within each group a tool summarises (one month of a trend, one region of a
//! comparison, one complex and area band for 전세가율 or a complex summary), a deal whose
//! amount per ㎡ lies outside Tukey's far-out fences, `[Q1 − 3·IQR, Q3 + 3·IQR]`, is left
//! out. Groups with fewer than [`OUTLIER_MIN_DEALS`] deals are left whole: quartiles of a
//! handful of deals say nothing. The amount is the sale price for trades and the deposit for
//! 전세; 월세 leases are never judged (deposit and rent trade off from one lease to the
//! next), nor are deals without an area. The far-out fence (3, not the usual 1.5) only
//! catches what is almost surely not a market deal: family transfers, typing errors. Share
//! (지분) sales and land-lease (토지임대부) flats are flagged by MOLIT itself: they are never
//! judged, and the summaries keep them out of per-area medians.

use schemars::JsonSchema;
use serde::Serialize;

use crate::count::count_u32;
use crate::{
    tools::transactions::{PriceStats, Summary, area_of, summarise},
    upstream::molit::{Dataset, Deal, DealKind},
};

/// Fewest deals in a group before outliers are looked for.
pub(super) const OUTLIER_MIN_DEALS: usize = 8;
/// Width of the fences in interquartile ranges.
pub(super) const OUTLIER_FENCE_IQR: f64 = 3.0;
/// The rule in one sentence, as results state it.
pub const OUTLIER_RULE: &str = "Within each summarised group (a trend month, a compared \
    region, a complex and area band) with at least 8 deals, a deal whose sale price (or 전세 \
    deposit) per ㎡ lies outside [Q1 − 3×IQR, Q3 + 3×IQR] of the group is left out. 월세 \
    leases, deals without an area, share sales and land-lease flats are never left out (the \
    last two are kept out of per-area medians instead).";

/// What a result left out of its figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Exclusions {
    /// Matching deals later cancelled (해제); never in a figure.
    pub cancelled_deals: u32,
    /// Matching deals left out as outliers by `outlier_rule`.
    pub outliers: u32,
    /// False when the caller turned outlier removal off.
    pub outlier_rule_applied: bool,
    /// The outlier rule.
    pub outlier_rule: String,
    /// Counted share sales (지분) and land-lease flats (토지임대부): in deal counts and price
    /// statistics, but left out of per-area medians and 전세가율 pairs. Absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_or_land_lease_sales: Option<u32>,
}

impl Exclusions {
    /// An empty tally; `applied` tells whether outliers are being removed.
    pub(super) fn new(applied: bool) -> Self {
        Self {
            outlier_rule_applied: applied,
            outlier_rule: OUTLIER_RULE.to_owned(),
            ..Self::default()
        }
    }

    /// Adds what `group` left out.
    pub(super) fn add(&mut self, group: &Cleaned<'_>) {
        self.cancelled_deals += count_u32(group.cancelled.len());
        self.outliers += group.outliers;
        let partial = group
            .kept
            .iter()
            .filter(|d| d.is_partial_interest())
            .count();
        self.add_partial_interest(count_u32(partial));
    }

    /// Adds `n` share sales or land-lease flats kept out of per-area figures.
    pub(super) fn add_partial_interest(&mut self, n: u32) {
        if n > 0 {
            *self.share_or_land_lease_sales.get_or_insert(0) += n;
        }
    }
}

/// One group's matching deals, split into what the figures use and what they leave out.
#[derive(Debug, Clone, Default)]
pub(super) struct Cleaned<'a> {
    /// Deals the figures use: not cancelled, not outliers.
    pub(super) kept: Vec<&'a Deal>,
    /// Cancelled deals.
    pub(super) cancelled: Vec<&'a Deal>,
    /// Deals left out as outliers.
    pub(super) outliers: u32,
}

impl<'a> Cleaned<'a> {
    /// Splits `matching` deals of `dataset`; outliers are looked for when `drop_outliers`.
    pub(super) fn split(
        dataset: Dataset,
        matching: impl IntoIterator<Item = &'a Deal>,
        drop_outliers: bool,
    ) -> Self {
        let (cancelled, live): (Vec<&Deal>, Vec<&Deal>) =
            matching.into_iter().partition(|deal| deal.is_cancelled());
        let (kept, outliers) = if drop_outliers {
            drop_far_out(live, |deal| amount_per_m2(dataset, deal))
        } else {
            (live, 0)
        };
        Self {
            kept,
            cancelled,
            outliers,
        }
    }

    /// The transaction tools' summary over this group; `matching_deals` counts the
    /// outliers too, since they matched the filters.
    pub(super) fn summary(&self, dataset: Dataset, deals_in_scope: usize) -> Summary {
        let mut all = self.kept.clone();
        all.extend(self.cancelled.iter().copied());
        let mut summary = summarise(dataset, &all, deals_in_scope);
        summary.matching_deals += self.outliers;
        summary
    }
}

/// The amount the outlier rule judges, per ㎡: the price of a trade, the deposit of a
/// 전세 lease; `None` for 월세, for deals without an area, and for share sales and
/// land-lease flats, which the summaries already keep out of per-area figures.
pub(super) fn amount_per_m2(dataset: Dataset, deal: &Deal) -> Option<f64> {
    let amount = match dataset.kind() {
        DealKind::Trade if deal.is_partial_interest() => return None,
        DealKind::Trade => deal.deal_amount?,
        DealKind::Rent if deal.monthly_rent == Some(0) => deal.deposit?,
        DealKind::Rent => return None,
    };
    Some(amount as f64 / area_of(dataset, deal)?)
}

/// Splits `deals` into those inside the far-out fences of `value` and the count outside.
pub(super) fn drop_far_out(
    deals: Vec<&Deal>,
    value: impl Fn(&Deal) -> Option<f64>,
) -> (Vec<&Deal>, u32) {
    let mut values: Vec<f64> = deals.iter().filter_map(|deal| value(deal)).collect();
    if values.len() < OUTLIER_MIN_DEALS {
        return (deals, 0);
    }
    values.sort_unstable_by(f64::total_cmp);
    let (q1, q3) = (quantile(&values, 0.25), quantile(&values, 0.75));
    let reach = OUTLIER_FENCE_IQR * (q3 - q1);
    let (low, high) = (q1 - reach, q3 + reach);
    let before = deals.len();
    let kept: Vec<_> = deals
        .into_iter()
        .filter(|deal| value(deal).is_none_or(|v| (low..=high).contains(&v)))
        .collect();
    let dropped = count_u32(before - kept.len());
    (kept, dropped)
}

/// The `q` quantile of sorted `values` by linear interpolation between order statistics.
pub(super) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * weight
}

/// What the headline figures of `dataset` are, as results state it: sale prices, or 전세
/// deposits for leases.
pub(super) fn measure(dataset: Dataset) -> &'static str {
    match dataset.kind() {
        DealKind::Trade => "sale price (매매가), 만원",
        DealKind::Rent => "전세 deposit (전세 보증금), 만원; 월세 leases are summarised apart",
    }
}

/// The headline statistics of a summary: sale prices, or 전세 deposits for leases.
pub(super) fn headline(summary: &Summary) -> Option<&PriceStats> {
    summary.price_manwon.as_ref().or_else(|| {
        summary
            .jeonse
            .as_ref()
            .and_then(|j| j.deposit_manwon.as_ref())
    })
}

/// The headline median per ㎡ (sale price, or 전세 deposit for leases).
pub(super) fn headline_per_m2(summary: &Summary) -> Option<f64> {
    summary.median_price_per_m2_manwon.or_else(|| {
        summary
            .jeonse
            .as_ref()
            .and_then(|j| j.median_deposit_per_m2_manwon)
    })
}

/// The headline median per 평.
pub(super) fn headline_per_pyeong(summary: &Summary) -> Option<f64> {
    summary.median_price_per_pyeong_manwon.or_else(|| {
        summary
            .jeonse
            .as_ref()
            .and_then(|j| j.median_deposit_per_pyeong_manwon)
    })
}

/// Deals behind the headline figures.
pub(super) fn headline_count(summary: &Summary) -> u32 {
    headline(summary).map_or(0, |stats| stats.count)
}
