//! `compare_regions`: 2 to 8 districts, one property and deal type, one month or a range of
//! up to 12, the same filters everywhere; each district's deals pooled over the range,
//! summarised and ranked.

use chrono::Utc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Charted, Noted,
    args::{DealType, MarketArgs, MonthRange, RangeEnd, plain_enum, text_or_number_list},
    chart, charted,
    clean::{Cleaned, Exclusions, headline, headline_count, headline_per_m2, measure},
    fetch::fetch_months,
    month_key::MonthKey,
    notes,
    output::{Coverage, Span},
    trend::THIN_MONTH_DEALS,
};
use crate::count::count_u32;
use crate::{
    regions::RegionIndex,
    tools::{
        ToolError,
        regions::{ResolvedRegion, resolve_region_argument},
        transactions::{AppliedFilters, Summary, per_area_note, region_dong_note},
    },
    upstream::molit::MolitClient,
};

/// Longest range one comparison reads, in months (up to 8 × 12 month fetches).
pub const MAX_COMPARE_MONTHS: usize = 12;
const MIN_REGIONS: usize = 2;
const MAX_REGIONS: usize = 8;
const TOOL: &str = "compare_regions";

/// What regions are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(transform = plain_enum)]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// Median price (or 전세 deposit) per ㎡: fair across flat sizes (default).
    #[default]
    MedianPricePerM2,
    /// Median price (or 전세 deposit).
    MedianPrice,
    /// Number of counted deals: how active the market is.
    DealCount,
}

/// Arguments of `compare_regions`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct CompareRegionsArgs {
    /// 2 to 8 districts, each a 5-digit code or a name, e.g. ["마포구", "용산구", "성동구"].
    #[serde(deserialize_with = "text_or_number_list")]
    #[schemars(length(min = 2, max = 8))]
    pub regions: Vec<String>,
    /// trade (매매, default) or rent (전월세: 전세 deposits are compared).
    #[serde(default)]
    pub deal_type: DealType,
    /// Which deals and months (at most 12), the same for every district.
    #[serde(flatten)]
    pub market: MarketArgs,
    /// median_price_per_m2 (default: fair across flat sizes), median_price or deal_count
    /// (how active the market is).
    #[serde(default)]
    pub rank_by: RankBy,
    /// Also return a PNG bar chart of the ranked figure.
    pub chart: Option<bool>,
}

/// One district of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RegionRow {
    /// 1 for the highest `rank_value`; absent when the district has no figure to rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// The district.
    pub region: ResolvedRegion,
    /// The figure ranked by (만원, 만원 per ㎡, or deals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_value: Option<f64>,
    /// Fewer than the thin threshold of counted deals over the range: rank with care.
    pub thin: bool,
    /// Months of this district that arrived.
    pub months_fetched: u32,
    /// Months of this district that failed (see `source.failed_months`).
    pub months_failed: u32,
    /// Matching deals left out as outliers.
    pub outliers_excluded: u32,
    /// The district's deals over the range, pooled.
    pub summary: Summary,
}

/// Result of `compare_regions`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompareRegionsOutput {
    /// Property and deal type in Korean.
    pub property_type: String,
    /// The months and the area basis.
    #[serde(flatten)]
    pub span: Span,
    /// The filters applied to every district.
    pub filters: AppliedFilters,
    /// What the headline figures are.
    pub measure: String,
    /// What the ranking uses.
    pub rank_by: RankBy,
    /// Districts with fewer counted deals than this are `thin`.
    pub thin_threshold: u32,
    /// The districts, best-ranked first; unranked ones last.
    pub regions: Vec<RegionRow>,
    /// Exclusions, source and notes.
    #[serde(flatten)]
    pub coverage: Coverage,
}

impl Noted for CompareRegionsOutput {
    fn notes(&mut self) -> &mut Vec<String> {
        &mut self.coverage.notes
    }
}

/// Runs `compare_regions`.
pub async fn compare_regions(
    client: &MolitClient,
    index: &RegionIndex,
    args: &CompareRegionsArgs,
) -> Result<Charted<CompareRegionsOutput>, ToolError> {
    let now = Utc::now();
    let dataset = args.market.property_type.dataset(args.deal_type)?;
    let market =
        args.market
            .prepare(TOOL, dataset, MAX_COMPARE_MONTHS, RangeEnd::FromMonth, now)?;
    let regions = resolve_regions(index, &args.regions)?;
    // Two 읍면동 of one district share its months: fetch each district once.
    let mut keys: Vec<MonthKey> = Vec::new();
    for region in &regions {
        if !keys.iter().any(|k| k.lawd_cd == region.lawd_cd) {
            keys.extend(MonthKey::for_months(&[dataset], region, market.range));
        }
    }
    let fetched = fetch_months(client, keys).await?;
    let mut excluded = Exclusions::new(market.drop_outliers);
    let mut dong_notes = Vec::new();
    let mut rows: Vec<RegionRow> = regions
        .into_iter()
        .map(|region| {
            let filters = market.filters.for_region(&region);
            dong_notes.extend(region_dong_note(&region, &filters.applied()));
            let months: Vec<_> = market
                .range
                .months()
                .into_iter()
                .filter_map(|month| fetched.get(dataset, &region.lawd_cd, month))
                .collect();
            let in_scope: usize = months.iter().map(|data| data.deals.len()).sum();
            let matching = months
                .iter()
                .flat_map(|data| data.deals.iter())
                .filter(|deal| filters.matches(dataset, deal));
            let group = Cleaned::split(dataset, matching, market.drop_outliers);
            excluded.add(&group);
            let summary = group.summary(dataset, in_scope);
            let fetched_count = count_u32(months.len());
            RegionRow {
                rank: None,
                rank_value: rank_value(args.rank_by, &summary),
                thin: headline_count(&summary) < THIN_MONTH_DEALS,
                months_fetched: fetched_count,
                months_failed: count_u32(market.range.len()) - fetched_count,
                outliers_excluded: group.outliers,
                summary,
                region,
            }
        })
        .collect();
    rank(&mut rows);
    let mut output = CompareRegionsOutput {
        property_type: dataset.label().to_owned(),
        span: Span::new(market.range, dataset),
        filters: market.filters.applied(),
        measure: measure(dataset).to_owned(),
        rank_by: args.rank_by,
        thin_threshold: THIN_MONTH_DEALS,
        regions: rows,
        coverage: Coverage::new(excluded, fetched.source),
    };
    output.coverage.notes = compare_notes(&output, market.range, now);
    output.coverage.notes.extend(dong_notes);
    output
        .coverage
        .notes
        .extend(per_area_note(dataset).map(str::to_owned));
    charted(
        output,
        args.chart.unwrap_or(false),
        chart::region_comparison,
    )
    .await
}

/// Resolves every region argument; a repeated district is an error, since it would be
/// compared with itself.
fn resolve_regions(
    index: &RegionIndex,
    given: &[String],
) -> Result<Vec<ResolvedRegion>, ToolError> {
    if !(MIN_REGIONS..=MAX_REGIONS).contains(&given.len()) {
        return Err(ToolError::invalid_argument(
            "regions",
            format!(
                "{} given; compare {MIN_REGIONS} to {MAX_REGIONS} districts (use \
                 analyze_price_trend for one).",
                given.len()
            ),
        ));
    }
    let mut resolved: Vec<ResolvedRegion> = Vec::with_capacity(given.len());
    for value in given {
        let region = resolve_region_argument(index, value).map_err(|error| {
            ToolError::new(format!("In `regions`, \"{value}\": {}", error.message()))
        })?;
        if let Some(same) = resolved
            .iter()
            .find(|r| r.lawd_cd == region.lawd_cd && r.dong == region.dong)
        {
            return Err(ToolError::invalid_argument(
                "regions",
                format!(
                    "\"{value}\" is {} ({}), already in the list; give each district once.",
                    same.name, same.lawd_cd
                ),
            ));
        }
        resolved.push(region);
    }
    Ok(resolved)
}

fn rank_value(rank_by: RankBy, summary: &Summary) -> Option<f64> {
    match rank_by {
        RankBy::MedianPricePerM2 => headline_per_m2(summary),
        RankBy::MedianPrice => headline(summary).map(|stats| stats.median),
        RankBy::DealCount => Some(f64::from(headline_count(summary))),
    }
}

/// Highest value first; districts without a value keep their order at the end, unranked.
fn rank(rows: &mut [RegionRow]) {
    rows.sort_by(|a, b| match (a.rank_value, b.rank_value) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let ranked = rows.iter_mut().filter(|row| row.rank_value.is_some());
    for (rank, row) in (1..).zip(ranked) {
        row.rank = Some(rank);
    }
}

fn compare_notes(
    output: &CompareRegionsOutput,
    range: MonthRange,
    now: chrono::DateTime<Utc>,
) -> Vec<String> {
    let thin: Vec<&str> = output
        .regions
        .iter()
        .filter(|row| row.thin)
        .map(|row| row.region.name.as_str())
        .collect();
    let thin_note = (!thin.is_empty()).then(|| {
        format!(
            "Fewer than {THIN_MONTH_DEALS} counted deals in {}: their medians rest on too few \
             deals to rank with confidence; widen the range or the area band.",
            thin.join(", ")
        )
    });
    let missing_note = output
        .regions
        .iter()
        .any(|row| row.months_failed > 0)
        .then(|| {
            "Some districts are missing months (see source.failed_months), so their figures \
             cover fewer months than the others'."
                .to_owned()
        });
    let mut notes =
        output
            .coverage
            .notes_around(thin_note.into_iter().chain(missing_note), range, now);
    if output
        .regions
        .iter()
        .all(|row| row.summary.matching_deals == 0)
    {
        notes.push(notes::no_match_note(&output.filters));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, value: Option<f64>) -> RegionRow {
        RegionRow {
            rank: None,
            region: ResolvedRegion {
                lawd_cd: "00000".into(),
                name: name.into(),
                ..ResolvedRegion::default()
            },
            rank_value: value,
            thin: false,
            months_fetched: 1,
            months_failed: 0,
            outliers_excluded: 0,
            summary: Cleaned::default().summary(crate::upstream::molit::Dataset::AptTrade, 0),
        }
    }

    #[test]
    fn the_highest_value_ranks_first_and_empty_districts_stay_unranked() {
        let mut rows = vec![
            row("a", Some(10.0)),
            row("b", None),
            row("c", Some(30.0)),
            row("d", Some(20.0)),
        ];
        rank(&mut rows);
        let order: Vec<_> = rows
            .iter()
            .map(|r| (r.region.name.as_str(), r.rank))
            .collect();
        assert_eq!(
            order,
            [("c", Some(1)), ("d", Some(2)), ("a", Some(3)), ("b", None)]
        );
    }
}
