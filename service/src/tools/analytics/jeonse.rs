//! `analyze_jeonse_ratio`: 전세가율 matched like for like.
//!
//! Dividing a district's median 전세 by its median sale price compares different flats: if
//! small old flats rent and large new ones sell, the ratio says nothing. Instead deals are
//! grouped by complex (legal dong + complex name) and area band, over the same months; each
//! group with both sales and leases gets its own ratio, median lease ÷ median sale; and the
//! district's figure is the spread of those group ratios, with sample sizes.
//!
//! 월세 leases count only when asked, converted to a 전세 equivalent at a stated annual
//! rate: deposit + monthly rent × 12 ÷ rate.

use chrono::Utc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Charted, Noted,
    args::{MarketArgs, MonthRange, RangeEnd, bounded},
    chart, charted,
    clean::Exclusions,
    fetch::fetch_months,
    jeonse_groups::{JeonseGroup, MIN_GROUP_SAMPLES, Pairing, RatioSpread, pair, spread},
    month_key::MonthKey,
    output::{Coverage, Span},
};
use crate::count::count_u32;
use crate::{
    regions::RegionIndex,
    tools::{
        ToolError,
        regions::{ResolvedRegion, resolve_region_argument},
        transactions::{AppliedFilters, Filters, region_dong_note, text_or_number},
    },
    upstream::molit::{Dataset, Deal, MolitClient},
};

/// Longest range one call reads, in months (two datasets per month).
pub const MAX_JEONSE_MONTHS: usize = 12;
/// 월세 → 전세 conversion rate used when none is given, percent a year.
pub const DEFAULT_CONVERSION_RATE_PCT: f64 = 5.0;
const DEFAULT_GROUPS: u32 = 20;
const MAX_GROUPS: u32 = 100;
const TOOL: &str = "analyze_jeonse_ratio";

/// Arguments of `analyze_jeonse_ratio`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct JeonseRatioArgs {
    /// District (시군구): 5-digit code or name, e.g. "노원구".
    #[serde(deserialize_with = "text_or_number")]
    #[schemars(length(min = 1, max = 100))]
    pub region_code: String,
    /// Which deals and months (at most 12; 3 to 6 balance sample size and drift);
    /// apartments, officetels or villas, whose deals carry complex names.
    #[serde(flatten)]
    pub market: MarketArgs,
    /// Also count 월세 leases, converted to a 전세 equivalent (default false).
    pub include_wolse: Option<bool>,
    /// Annual 전월세 conversion rate in percent for include_wolse (default 5.0).
    #[schemars(range(min = 0.5, max = 20))]
    pub conversion_rate_pct: Option<f64>,
    /// Complex groups to list, most-sampled first (default 20); figures cover every group.
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<u32>,
    /// Also return a PNG scatter: each group's 전세가율 against its median sale price.
    pub chart: Option<bool>,
}

/// How 월세 was converted.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WolseConversion {
    /// Annual conversion rate, percent.
    pub rate_pct: f64,
    /// The formula applied.
    pub formula: String,
    /// 월세 leases converted that entered a ratio (leases of groups without sales are not
    /// counted).
    pub converted_leases: u32,
}

/// Result of `analyze_jeonse_ratio`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct JeonseRatioOutput {
    /// Property type in Korean, e.g. `아파트`.
    pub property_type: String,
    /// The district.
    pub region: ResolvedRegion,
    /// The months and the area basis.
    #[serde(flatten)]
    pub span: Span,
    /// The filters applied.
    pub filters: AppliedFilters,
    /// How deals are matched.
    pub method: String,
    /// The district's 전세가율 as the spread of group ratios; absent when no group has both
    /// sales and leases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<RatioSpread>,
    /// Groups with fewer than 3 sales or leases.
    pub thin_groups: u32,
    /// Groups with sales but no leases in the range (not in the ratio).
    pub trade_only_groups: u32,
    /// Groups with leases but no sales in the range (not in the ratio).
    pub lease_only_groups: u32,
    /// Present when 월세 was converted and counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wolse_conversion: Option<WolseConversion>,
    /// Matched groups, most-sampled first, at most `limit`.
    pub groups: Vec<JeonseGroup>,
    /// Matched groups not listed because of `limit`.
    pub groups_omitted: u32,
    /// Exclusions, source and notes.
    #[serde(flatten)]
    pub coverage: Coverage,
}

impl Noted for JeonseRatioOutput {
    fn notes(&mut self) -> &mut Vec<String> {
        &mut self.coverage.notes
    }
}

/// Runs `analyze_jeonse_ratio`.
pub async fn analyze_jeonse_ratio(
    client: &MolitClient,
    regions: &RegionIndex,
    args: &JeonseRatioArgs,
) -> Result<Charted<JeonseRatioOutput>, ToolError> {
    let now = Utc::now();
    let (trade_set, rent_set) = args.market.property_type.named_pair(TOOL)?;
    let market =
        args.market
            .prepare(TOOL, trade_set, MAX_JEONSE_MONTHS, RangeEnd::ThisMonth, now)?;
    let rate = conversion_rate(args.conversion_rate_pct)?;
    let conversion = args.include_wolse.unwrap_or(false).then_some(rate);
    let limit = bounded("limit", args.limit, DEFAULT_GROUPS, MAX_GROUPS)?;
    let region = resolve_region_argument(regions, &args.region_code)?;
    let filters = market.filters.for_region(&region);
    let keys = MonthKey::for_months(&[trade_set, rent_set], &region, market.range);
    let fetched = fetch_months(client, keys).await?;
    let deals_of = |dataset: Dataset, filters: &Filters| -> Vec<&Deal> {
        fetched
            .months
            .iter()
            .filter(|(key, _)| key.dataset == dataset)
            .flat_map(|(_, data)| data.deals.iter())
            .filter(|deal| filters.matches(dataset, deal))
            .collect()
    };
    let trades = deals_of(trade_set, &filters);
    let leases = deals_of(rent_set, &filters);
    let mut excluded = Exclusions::new(market.drop_outliers);
    excluded.cancelled_deals = count_u32(
        trades
            .iter()
            .chain(&leases)
            .filter(|d| d.is_cancelled())
            .count(),
    );
    excluded.add_partial_interest(count_u32(
        trades
            .iter()
            .filter(|d| !d.is_cancelled() && d.is_partial_interest())
            .count(),
    ));
    let Pairing {
        mut matched,
        trade_only,
        lease_only,
        converted,
        outliers,
    } = pair(
        (trade_set, &trades),
        (rent_set, &leases),
        conversion,
        market.drop_outliers,
    );
    excluded.outliers = outliers;
    let ratio = spread(&matched);
    let thin_groups = count_u32(matched.iter().filter(|g| g.thin).count());
    matched.sort_by(|a, b| {
        b.trades
            .min(b.leases)
            .cmp(&a.trades.min(a.leases))
            .then_with(|| b.ratio_pct.total_cmp(&a.ratio_pct))
    });
    let listed = usize::try_from(limit).unwrap_or(usize::MAX);
    let groups_omitted = count_u32(matched.len().saturating_sub(listed));
    let wanted = args.chart.unwrap_or(false);
    // The chart plots every group, not only the listed ones; copy them only for a chart.
    let all_groups = if wanted { matched.clone() } else { Vec::new() };
    matched.truncate(listed);
    let mut output = JeonseRatioOutput {
        property_type: trade_set.label().trim_end_matches(" 매매").to_owned(),
        region,
        span: Span::new(market.range, trade_set),
        filters: filters.applied(),
        method: "Deals are grouped by legal dong + complex name + area band over the whole \
                 range; each group with both sales and leases gets median lease ÷ median \
                 sale; the district figure is the spread of those group ratios."
            .to_owned(),
        ratio,
        thin_groups,
        trade_only_groups: trade_only,
        lease_only_groups: lease_only,
        wolse_conversion: conversion.map(|rate| WolseConversion {
            rate_pct: rate * 100.0,
            formula: "전세 equivalent = deposit + monthly rent × 12 ÷ rate".to_owned(),
            converted_leases: converted,
        }),
        groups: matched,
        groups_omitted,
        coverage: Coverage::new(excluded, fetched.source),
    };
    output.coverage.notes = jeonse_notes(&output, market.range, now);
    output
        .coverage
        .notes
        .extend(region_dong_note(&output.region, &output.filters));
    charted(output, wanted, move |out| {
        chart::jeonse_ratio(out, &all_groups)
    })
    .await
}

/// The rate as a fraction, from the argument in percent.
fn conversion_rate(pct: Option<f64>) -> Result<f64, ToolError> {
    let pct = pct.unwrap_or(DEFAULT_CONVERSION_RATE_PCT);
    if !pct.is_finite() || !(0.5..=20.0).contains(&pct) {
        return Err(ToolError::invalid_argument(
            "conversion_rate_pct",
            format!(
                "{pct} is not a yearly rate between 0.5 and 20 percent; the common market \
                 figure is 4–6."
            ),
        ));
    }
    Ok(pct / 100.0)
}

fn jeonse_notes(
    output: &JeonseRatioOutput,
    range: MonthRange,
    now: chrono::DateTime<Utc>,
) -> Vec<String> {
    let finding = match &output.ratio {
        None => Some(format!(
            "No complex and area band had both sales and leases in {}–{} ({} with sales only, \
             {} with leases only), so no like-for-like 전세가율 exists; widen the range{}.",
            output.span.from_month,
            output.span.to_month,
            output.trade_only_groups,
            output.lease_only_groups,
            if output.wolse_conversion.is_none() {
                " or set include_wolse"
            } else {
                ""
            }
        )),
        Some(ratio) if output.thin_groups > 0 => Some(format!(
            "{} of {} matched groups have fewer than {MIN_GROUP_SAMPLES} sales or leases; \
             their ratios rest on very few deals. The median across groups ({}%) is the figure \
             to quote.",
            output.thin_groups, ratio.groups, ratio.median_pct
        )),
        Some(_) => None,
    };
    output.coverage.notes_around(finding, range, now)
}
