//! `analyze_price_trend`: one district, one property and deal type, up to 36 months; per
//! month the transaction tools' summary plus month-over-month and year-over-year change.
//!
//! Changes compare the median per ㎡ (sale price, or 전세 deposit for leases), which a shift
//! in the mix of flat sizes moves far less than the plain median. A month with fewer than
//! [`THIN_MONTH_DEALS`] counted deals is flagged `thin` and left out of every change, so one
//! odd sale in a quiet month cannot pass for a market move.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Charted, Noted,
    args::{DealType, MarketArgs, MonthRange, RangeEnd},
    chart, charted,
    clean::{Cleaned, Exclusions, headline_count, headline_per_m2, measure},
    fetch::fetch_months,
    month_key::MonthKey,
    notes,
    output::{Coverage, Span},
};
use crate::{
    regions::RegionIndex,
    tools::{
        ToolError,
        calendar::YearMonth,
        regions::{ResolvedRegion, resolve_region_argument},
        transactions::{
            AppliedFilters, Summary, per_area_note, region_dong_note, round1, text_or_number,
        },
    },
    upstream::molit::MolitClient,
};

/// Longest range one call analyses, in months.
pub const MAX_TREND_MONTHS: usize = 36;
/// Months with fewer counted deals than this are flagged `thin` and left out of changes.
pub const THIN_MONTH_DEALS: u32 = 5;
const TOOL: &str = "analyze_price_trend";

/// Arguments of `analyze_price_trend`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct PriceTrendArgs {
    /// District (시군구): 5-digit code or name, e.g. "11440" or "마포구".
    #[serde(deserialize_with = "text_or_number")]
    #[schemars(length(min = 1, max = 100))]
    pub region_code: String,
    /// trade (매매, default) or rent (전월세: 전세 deposits; 월세 apart).
    #[serde(default)]
    pub deal_type: DealType,
    /// Which deals and months (at most 36).
    #[serde(flatten)]
    pub market: MarketArgs,
    /// Also return a PNG chart: median price per 평 as a line over deal-count bars.
    pub chart: Option<bool>,
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TrendMonth {
    /// Contract month, `YYYYMM`.
    pub year_month: String,
    /// Fewer than `thin_month_threshold` counted deals: shown, but not compared.
    pub thin: bool,
    /// A recent month still filling up (deals are reported up to 30 days late).
    pub incomplete: bool,
    /// Matching deals left out as outliers this month.
    pub outliers_excluded: u32,
    /// The month's figures, as the transaction tools give them (cancelled deals and
    /// outliers excluded).
    pub summary: Summary,
    /// Change of the median per ㎡ from the month before, percent; absent when either
    /// month is thin, missing or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mom_change_pct: Option<f64>,
    /// Change of the median per ㎡ from the same month a year earlier, percent; absent when
    /// that month is outside the range, thin, or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yoy_change_pct: Option<f64>,
}

/// Change across the whole range.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RangeChange {
    /// First month that is not thin, `YYYYMM`.
    pub from_month: String,
    /// Last month that is not thin, `YYYYMM`.
    pub to_month: String,
    /// Change of the median per ㎡ between them, percent.
    pub change_pct: f64,
}

/// Result of `analyze_price_trend`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PriceTrendOutput {
    /// Property and deal type in Korean, e.g. `아파트 매매`.
    pub property_type: String,
    /// The district.
    pub region: ResolvedRegion,
    /// The months and the area basis.
    #[serde(flatten)]
    pub span: Span,
    /// The filters applied.
    pub filters: AppliedFilters,
    /// What the headline figures are: sale prices, or 전세 deposits for leases.
    pub measure: String,
    /// What changes compare.
    pub change_basis: String,
    /// Months with fewer counted deals than this are `thin`.
    pub thin_month_threshold: u32,
    /// Months that arrived, oldest first (failed months are in `source.failed_months`).
    pub months: Vec<TrendMonth>,
    /// Every counted deal of the range pooled.
    pub whole_range: Summary,
    /// First to last month that is not thin; absent with fewer than two such months.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_change: Option<RangeChange>,
    /// Exclusions, source and notes.
    #[serde(flatten)]
    pub coverage: Coverage,
}

impl Noted for PriceTrendOutput {
    fn notes(&mut self) -> &mut Vec<String> {
        &mut self.coverage.notes
    }
}

/// Runs `analyze_price_trend`.
pub async fn analyze_price_trend(
    client: &MolitClient,
    regions: &RegionIndex,
    args: &PriceTrendArgs,
) -> Result<Charted<PriceTrendOutput>, ToolError> {
    let now = Utc::now();
    let dataset = args.market.property_type.dataset(args.deal_type)?;
    let market = args
        .market
        .prepare(TOOL, dataset, MAX_TREND_MONTHS, RangeEnd::ThisMonth, now)?;
    let region = resolve_region_argument(regions, &args.region_code)?;
    let filters = market.filters.for_region(&region);
    let keys = MonthKey::for_months(&[dataset], &region, market.range);
    let fetched = fetch_months(client, keys).await?;
    let mut excluded = Exclusions::new(market.drop_outliers);
    let mut months = Vec::new();
    let mut calendar = Vec::new();
    let mut pooled = Cleaned::default();
    let mut deals_in_range = 0;
    for (key, data) in &fetched.months {
        let matching = data
            .deals
            .iter()
            .filter(|deal| filters.matches(dataset, deal));
        let group = Cleaned::split(dataset, matching, market.drop_outliers);
        excluded.add(&group);
        let summary = group.summary(dataset, data.deals.len());
        months.push(TrendMonth {
            year_month: key.month.to_string(),
            thin: headline_count(&summary) < THIN_MONTH_DEALS,
            incomplete: key.month.still_reported(now),
            outliers_excluded: group.outliers,
            summary,
            mom_change_pct: None,
            yoy_change_pct: None,
        });
        calendar.push(key.month);
        deals_in_range += data.deals.len();
        pooled.kept.extend(group.kept);
        pooled.cancelled.extend(group.cancelled);
        pooled.outliers += group.outliers;
    }
    fill_changes(&mut months, &calendar);
    let mut output = PriceTrendOutput {
        property_type: dataset.label().to_owned(),
        span: Span::new(market.range, dataset),
        filters: filters.applied(),
        measure: measure(dataset).to_owned(),
        change_basis: "median per ㎡ of the headline amount, month against month".to_owned(),
        thin_month_threshold: THIN_MONTH_DEALS,
        range_change: range_change(&months),
        whole_range: pooled.summary(dataset, deals_in_range),
        months,
        coverage: Coverage::new(excluded, fetched.source),
        region,
    };
    output.coverage.notes = trend_notes(&output, market.range, now);
    output
        .coverage
        .notes
        .extend(region_dong_note(&output.region, &output.filters));
    output
        .coverage
        .notes
        .extend(per_area_note(dataset).map(str::to_owned));
    charted(output, args.chart.unwrap_or(false), chart::trend).await
}

/// Fills month-over-month and year-over-year changes between months that are not thin;
/// `calendar` holds each entry's month.
pub(super) fn fill_changes(months: &mut [TrendMonth], calendar: &[YearMonth]) {
    let basis: Vec<(YearMonth, Option<f64>)> = months
        .iter()
        .zip(calendar)
        .map(|(m, month)| {
            let value = (!m.thin).then(|| headline_per_m2(&m.summary)).flatten();
            (*month, value)
        })
        .collect();
    let value_at = |wanted: YearMonth| {
        basis
            .iter()
            .find(|(month, _)| *month == wanted)
            .and_then(|(_, value)| *value)
    };
    for (entry, (month, value)) in months.iter_mut().zip(&basis) {
        let Some(value) = *value else { continue };
        entry.mom_change_pct = value_at(month.previous()).map(|before| change(before, value));
        entry.yoy_change_pct = YearMonth::new(month.year() - 1, month.month())
            .and_then(value_at)
            .map(|before| change(before, value));
    }
}

/// Percent change from `before` to `after`, one decimal.
pub(super) fn change(before: f64, after: f64) -> f64 {
    if before == 0.0 {
        return 0.0;
    }
    round1((after / before - 1.0) * 100.0)
}

fn range_change(months: &[TrendMonth]) -> Option<RangeChange> {
    let solid: Vec<(&TrendMonth, f64)> = months
        .iter()
        .filter(|m| !m.thin)
        .filter_map(|m| Some((m, headline_per_m2(&m.summary)?)))
        .collect();
    let ((first, before), (last, after)) = (solid.first()?, solid.last()?);
    (solid.len() >= 2).then(|| RangeChange {
        from_month: first.year_month.clone(),
        to_month: last.year_month.clone(),
        change_pct: change(*before, *after),
    })
}

fn trend_notes(output: &PriceTrendOutput, range: MonthRange, now: DateTime<Utc>) -> Vec<String> {
    let thin: Vec<&str> = output
        .months
        .iter()
        .filter(|m| m.thin)
        .map(|m| m.year_month.as_str())
        .collect();
    let thin_note = (!thin.is_empty()).then(|| {
        format!(
            "{} of {} months had fewer than {THIN_MONTH_DEALS} counted deals ({}): their figures \
             are shown but too few to read as a price level, so no change is computed from them.",
            thin.len(),
            output.months.len(),
            thin.join(", ")
        )
    });
    let mut notes = output.coverage.notes_around(thin_note, range, now);
    if range.len() <= 12 {
        notes.push(
            "Year-over-year change needs the same month a year earlier inside the range; start \
             the range 12 months earlier to get it for every month."
                .to_owned(),
        );
    }
    if output.whole_range.matching_deals == 0 {
        notes.push(notes::no_match_note(&output.filters));
    }
    notes
}
