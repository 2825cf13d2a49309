//! `get_complex_summary`: one complex over up to 24 months: sales and leases by area band,
//! recent deals, cancellations, and record highs (신고가) within the window.
//!
//! A record high here is a sale priced above every earlier sale of the same area band in the
//! window; the first sale of a band sets the bar and is not one. Only the window is read, so
//! this is "highest since `from_month`", not all-time.

use chrono::Utc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    args::{MonthRange, PropertyType, bounded},
    clean::{Cleaned, Exclusions},
    complex_bands::{
        AreaBandSummary, ComplexInfo, RecordHigh, band_summary, bands_present, complex_info,
        in_band, record_highs,
    },
    complex_match::choose,
    fetch::fetch_months,
    month_key::MonthKey,
    output::{Coverage, Span},
};
use crate::{
    regions::RegionIndex,
    tools::{
        ToolError,
        regions::{ResolvedRegion, resolve_region_argument},
        transactions::{
            FilterArgs, Filters, MAX_FILTER_CHARS, MonthArg, TransactionRow, newest_first,
            per_area_note, region_dong_note, text_argument, text_or_number,
        },
    },
    upstream::molit::{Dataset, Deal, MolitClient},
};

/// Longest window one call reads, in months (two datasets per month).
pub const MAX_COMPLEX_MONTHS: usize = 24;
const DEFAULT_RECENT: u32 = 10;
const MAX_RECENT: u32 = 50;
/// Most record highs listed, newest first.
const MAX_RECORDS: usize = 20;
const TOOL: &str = "get_complex_summary";

/// Arguments of `get_complex_summary`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct ComplexSummaryArgs {
    /// District (시군구) the complex is in: a 5-digit code or a name such as "강남구".
    #[serde(deserialize_with = "text_or_number")]
    #[schemars(length(min = 1, max = 100))]
    pub region_code: String,
    /// The complex name or a distinctive part of it, e.g. "래미안대치팰리스" or "은마";
    /// spaces and letter case are ignored.
    #[schemars(length(min = 1, max = MAX_FILTER_CHARS))]
    pub complex_name: String,
    /// Legal dong, to tell apart complexes that share a name (e.g. two "현대").
    #[schemars(length(max = MAX_FILTER_CHARS))]
    pub dong: Option<String>,
    /// apartment (default), officetel or villa.
    #[serde(default)]
    pub property_type: PropertyType,
    /// First contract month, YYYYMM.
    pub from_month: MonthArg,
    /// Last contract month, YYYYMM; default the current month in Korea. At most 24 months.
    #[serde(default)]
    pub to_month: Option<MonthArg>,
    /// Recent sales and leases to list (default 10, at most 50).
    #[schemars(range(min = 1, max = MAX_RECENT))]
    pub recent_limit: Option<u32>,
    /// Leave out outliers by the documented rule (default true).
    pub exclude_outliers: Option<bool>,
}

/// Result of `get_complex_summary`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ComplexSummaryOutput {
    /// The complex.
    pub complex: ComplexInfo,
    /// Its district.
    pub region: ResolvedRegion,
    /// Property type in Korean.
    pub property_type: String,
    /// The months and the area basis.
    #[serde(flatten)]
    pub span: Span,
    /// Per area band, smallest first.
    pub area_bands: Vec<AreaBandSummary>,
    /// Newest sales first, cancelled ones included and marked.
    pub recent_trades: Vec<TransactionRow>,
    /// Newest leases first.
    pub recent_leases: Vec<TransactionRow>,
    /// Every cancelled sale in the window, newest first (at most 50).
    pub cancellations: Vec<TransactionRow>,
    /// Record highs within the window, newest first (at most 20).
    pub record_highs: Vec<RecordHigh>,
    /// Exclusions, source and notes.
    #[serde(flatten)]
    pub coverage: Coverage,
}

/// Runs `get_complex_summary`.
pub async fn get_complex_summary(
    client: &MolitClient,
    regions: &RegionIndex,
    args: &ComplexSummaryArgs,
) -> Result<ComplexSummaryOutput, ToolError> {
    let now = Utc::now();
    let (trade_set, rent_set) = args.property_type.named_pair(TOOL)?;
    let name = text_argument("complex_name", Some(&args.complex_name))?.ok_or_else(|| {
        ToolError::invalid_argument(
            "complex_name",
            "give the complex name or a distinctive part of it.",
        )
    })?;
    let dong = FilterArgs {
        dong: args.dong.clone(),
        ..FilterArgs::default()
    };
    let filters = Filters::new(trade_set, TOOL, &dong)?;
    let recent = bounded(
        "recent_limit",
        args.recent_limit,
        DEFAULT_RECENT,
        MAX_RECENT,
    )?;
    let region = resolve_region_argument(regions, &args.region_code)?;
    // A 읍면동 named in region_code narrows the search like the transaction tools do.
    let filters = filters.for_region(&region);
    let range = MonthRange::parse(
        &args.from_month,
        args.to_month.as_deref(),
        MAX_COMPLEX_MONTHS,
        now,
    )?;
    let keys = MonthKey::for_months(&[trade_set, rent_set], &region, range);
    let fetched = fetch_months(client, keys).await?;
    let of = |dataset: Dataset| {
        fetched
            .months
            .iter()
            .filter(move |(key, _)| key.dataset == dataset)
            .flat_map(|(_, data)| data.deals.iter())
    };
    let chosen = choose(name, &filters, of(trade_set).chain(of(rent_set)))?;
    let mut trades: Vec<&Deal> = of(trade_set).filter(|d| chosen.owns(d)).collect();
    let mut leases: Vec<&Deal> = of(rent_set).filter(|d| chosen.owns(d)).collect();
    newest_first(&mut trades);
    newest_first(&mut leases);
    let drop_outliers = args.exclude_outliers.unwrap_or(true);
    let mut excluded = Exclusions::new(drop_outliers);
    let mut area_bands = Vec::new();
    let mut records = Vec::new();
    for band in bands_present(trade_set, &trades, rent_set, &leases) {
        let sales = Cleaned::split(trade_set, in_band(trade_set, band, &trades), drop_outliers);
        let rents = Cleaned::split(rent_set, in_band(rent_set, band, &leases), drop_outliers);
        excluded.add(&sales);
        excluded.add(&rents);
        records.extend(record_highs(trade_set, band, &sales.kept));
        area_bands.push(band_summary(trade_set, rent_set, band, &sales, &rents));
    }
    records.sort_by(|a, b| b.date.cmp(&a.date));
    let records_found = records.len();
    records.truncate(MAX_RECORDS);
    let row = |dataset| move |deal: &&Deal| TransactionRow::from_deal(dataset, deal);
    let take = usize::try_from(recent).unwrap_or(usize::MAX);
    let cancellations: Vec<_> = trades
        .iter()
        .filter(|d| d.is_cancelled())
        .take(usize::try_from(MAX_RECENT).unwrap_or(usize::MAX))
        .map(row(trade_set))
        .collect();
    let mut output = ComplexSummaryOutput {
        complex: complex_info(&chosen, &trades, &leases),
        region,
        property_type: trade_set.label().trim_end_matches(" 매매").to_owned(),
        span: Span::new(range, trade_set),
        area_bands,
        recent_trades: trades.iter().take(take).map(row(trade_set)).collect(),
        recent_leases: leases.iter().take(take).map(row(rent_set)).collect(),
        cancellations,
        record_highs: records,
        coverage: Coverage::new(excluded, fetched.source),
    };
    output.coverage.notes = complex_notes(
        &output,
        (trades.len(), leases.len()),
        records_found,
        range,
        now,
    );
    output
        .coverage
        .notes
        .extend(per_area_note(trade_set).map(str::to_owned));
    output
        .coverage
        .notes
        .extend(region_dong_note(&output.region, &filters.applied()));
    Ok(output)
}

fn complex_notes(
    output: &ComplexSummaryOutput,
    (trades, leases): (usize, usize),
    records_found: usize,
    range: MonthRange,
    now: chrono::DateTime<Utc>,
) -> Vec<String> {
    let Span {
        from_month,
        to_month,
        ..
    } = &output.span;
    let counts = format!(
        "{trades} sales and {leases} leases of {} in {from_month}–{to_month}. Record highs \
         compare sales within this window only (highest since {from_month}), not all-time.",
        output.complex.name
    );
    let listed = output.record_highs.len();
    let cut = (records_found > listed)
        .then(|| format!("{records_found} record highs were set; the newest {listed} are listed."));
    output
        .coverage
        .notes_around(std::iter::once(counts).chain(cut), range, now)
}
