//! The thirteen transaction tools (`get_apartment_trades`, `get_apartment_rent`, …,
//! `get_land_trades`, `get_apartment_trades_detail`): one table ([`TRANSACTION_TOOLS`]), one
//! argument shape, one output shape, one code path; the [`Dataset`] decides which MOLIT
//! service is read and which figures the summary carries.
//!
//! A call resolves the region (a code or a name), checks the month, fetches every page of the
//! month through the cache, filters, and summarises all matching deals before `limit` cuts the
//! rows returned. Cancelled deals stay visible in rows but never enter a figure.

mod args;
mod catalog;
mod rows;
mod stats;

use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::Serialize;

pub use args::{DEFAULT_LIMIT, FilterArgs, MAX_LIMIT, MonthArg, TransactionArgs};
pub use catalog::{TRANSACTION_TOOLS, TransactionTool};
pub use rows::{M2_PER_PYEONG, TransactionRow, area_basis};
pub use stats::{JeonseSummary, PriceStats, Summary, WolseSummary};

pub(crate) use self::args::{Filters, MAX_FILTER_CHARS, name_key, text_argument, text_or_number};
pub(crate) use self::rows::{area_of, date_of, newest_first, per_area_note, round1};
pub(crate) use self::stats::{median_f64, summarise};

use self::args::Query;
use super::{
    ToolError,
    calendar::YearMonth,
    district_months::{FormerCodeRead, fetch_district_month, former_code_note},
    regions::{ResolvedRegion, resolve_region_argument},
};
use crate::count::count_u32;
use crate::{
    regions::RegionIndex,
    tools::Provenance,
    upstream::molit::{Dataset, DealKind, MolitClient, MonthData},
};

/// The MCP tool name serving `dataset`. Names are public interface: never change one.
pub fn tool_name(dataset: Dataset) -> &'static str {
    TransactionTool::of(dataset).name
}

/// Sales (`trade`) or leases (`rent`): tells which summary fields to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransactionKind {
    /// 매매: read `price_manwon` and the per-area prices.
    Trade,
    /// 전월세: read `jeonse` and `wolse`.
    Rent,
}

/// The filters that were applied, as understood.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct AppliedFilters {
    /// Legal dong name fragment, or the 읍면동 `region_code` named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong: Option<String>,
    /// True when `dong` was not given but taken from the 읍면동 `region_code` named, and
    /// matched as that whole place.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dong_from_region_code: bool,
    /// Complex or building name fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_contains: Option<String>,
    /// Smallest `area_m2` kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_min: Option<f64>,
    /// Largest `area_m2` kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_max: Option<f64>,
}

/// Where the data came from and what it cost.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DataSource {
    /// The MOLIT service read, e.g. `RTMSDataSvcAptTrade` (국토교통부 실거래가, data.go.kr).
    pub dataset: String,
    /// Cache hit, age and quota cost.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// When the service answered (UTC, RFC 3339).
    pub fetched_at: String,
    /// Pages read to assemble the month.
    pub pages: u32,
    /// Deals the service reports for the district and month.
    pub total_count: u32,
    /// True when the month held more deals than this server fetches; figures then cover
    /// the fetched deals only.
    pub truncated: bool,
    /// Present when the district's code had no deals for a month before its
    /// reorganisation and the code(s) it had then were read: which, and what they held.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub former_codes: Vec<FormerCodeRead>,
}

/// Result of a transaction tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TransactionsOutput {
    /// Property and deal type in Korean, e.g. `아파트 매매`.
    pub property_type: String,
    /// `trade` or `rent`.
    pub kind: TransactionKind,
    /// The district the data is for.
    pub region: ResolvedRegion,
    /// Contract month, `YYYYMM`.
    pub year_month: String,
    /// What `area_m2` measures for this property type.
    pub area_basis: String,
    /// The filters applied.
    pub filters: AppliedFilters,
    /// Figures over every matching deal, whatever `limit` is.
    pub summary: Summary,
    /// Matching deals, newest contract first, at most `limit` of them.
    pub rows: Vec<TransactionRow>,
    /// Rows in `rows`.
    pub rows_returned: u32,
    /// Matching deals left out of `rows` by `limit` (still in the summary).
    pub rows_omitted: u32,
    /// Freshness and cost of the data.
    pub source: DataSource,
    /// Things to tell the user: incomplete recent months, omitted rows, truncation, empty
    /// results.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Runs the transaction tool for `dataset`: validates `args`, resolves the region and month,
/// fetches the month (cache first) and answers.
pub async fn run(
    client: &MolitClient,
    regions: &RegionIndex,
    dataset: Dataset,
    args: &TransactionArgs,
) -> Result<TransactionsOutput, ToolError> {
    let now = Utc::now();
    let query = Query::from_args(dataset, args)?;
    let region = resolve_region_argument(regions, &args.region_code)?;
    let query = query.for_region(&region);
    let month = YearMonth::parse_argument("year_month", &args.year_month, now)?;
    let read =
        fetch_district_month(client, dataset, &region.lawd_cd, &region.formers, month).await?;
    let mut output = answer(dataset, region, month, &read.data, &query, now);
    if let Some(note) = former_code_note(month, &output.region.lawd_cd, &read.former_codes) {
        output.notes.insert(0, note);
    }
    output.source.former_codes = read.former_codes;
    Ok(output)
}

/// Builds the answer from a fetched month: filter, summarise, pick rows, add notes.
fn answer(
    dataset: Dataset,
    region: ResolvedRegion,
    month: YearMonth,
    data: &MonthData,
    query: &Query,
    now: DateTime<Utc>,
) -> TransactionsOutput {
    let mut matching: Vec<_> = data
        .deals
        .iter()
        .filter(|deal| query.matches(dataset, deal))
        .collect();
    let summary = stats::summarise(dataset, &matching, data.deals.len());
    rows::newest_first(&mut matching);
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let rows: Vec<_> = matching
        .iter()
        .take(limit)
        .map(|deal| TransactionRow::from_deal(dataset, deal))
        .collect();
    let rows_returned = count_u32(rows.len());
    let rows_omitted = count_u32(matching.len()) - rows_returned;
    let mut output = TransactionsOutput {
        property_type: dataset.label().to_owned(),
        kind: match dataset.kind() {
            DealKind::Trade => TransactionKind::Trade,
            DealKind::Rent => TransactionKind::Rent,
        },
        region,
        year_month: month.to_string(),
        area_basis: area_basis(dataset).to_owned(),
        filters: query.applied(),
        summary,
        rows,
        rows_returned,
        rows_omitted,
        source: source(dataset, data),
        notes: Vec::new(),
    };
    output.notes = notes(dataset, month, data, &output, now);
    output
}

fn source(dataset: Dataset, data: &MonthData) -> DataSource {
    DataSource {
        dataset: dataset.service().to_owned(),
        provenance: Provenance::new(data.freshness, data.upstream_calls),
        fetched_at: data.fetched_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        pages: data.pages,
        total_count: data.total_count,
        truncated: data.truncated,
        former_codes: Vec::new(),
    }
}

/// Things the user should hear about the answer, in plain sentences.
fn notes(
    dataset: Dataset,
    month: YearMonth,
    data: &MonthData,
    output: &TransactionsOutput,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut notes: Vec<String> = region_dong_note(&output.region, &output.filters)
        .into_iter()
        .collect();
    if month.still_reported(now) {
        notes.push(format!(
            "{month} is recent: deals are reported up to 30 days after the contract and \
             cancellations later, so this month's figures will still change."
        ));
    }
    if data.truncated {
        notes.push(format!(
            "The service reports {} deals for this month, more than the {} this server reads \
             per month; every figure covers those {} deals only.",
            data.total_count,
            data.deals.len(),
            data.deals.len()
        ));
    }
    if data.deals.is_empty() {
        notes.push(format!(
            "No {} deals were reported for {} in {month}.",
            dataset.label(),
            output.region.name
        ));
    } else if output.summary.matching_deals == 0 {
        notes.push(format!(
            "None of the month's {} deals matched the filters: check the spelling of `dong` or \
             `name_contains`, or widen the area range.",
            data.deals.len()
        ));
    }
    let per_area = output.summary.median_price_per_pyeong_manwon.is_some()
        || output
            .summary
            .jeonse
            .as_ref()
            .is_some_and(|j| j.median_deposit_per_pyeong_manwon.is_some());
    if let Some(note) = per_area_note(dataset).filter(|_| per_area) {
        notes.push(note.to_owned());
    }
    if let Some(note) = partial_interest_note(
        output.summary.share_deals.unwrap_or(0),
        output.summary.land_lease_deals.unwrap_or(0),
    ) {
        notes.push(note);
    }
    if output.rows_omitted > 0 {
        notes.push(format!(
            "Showing the {} newest of {} matching deals; the summary covers all of them. Pass a \
             larger `limit` (up to {MAX_LIMIT}) to see more rows.",
            output.rows_returned, output.summary.matching_deals
        ));
    }
    notes
}

/// The note when `region_code` named a 읍면동: that only its deals count, or that the
/// `dong` argument replaced it.
pub(crate) fn region_dong_note(
    region: &ResolvedRegion,
    filters: &AppliedFilters,
) -> Option<String> {
    let dong = region.dong.as_deref()?;
    let (name, code) = (&region.name, &region.lawd_cd);
    Some(if filters.dong_from_region_code {
        format!(
            "region_code named {dong} ({name}), so only deals in {dong} are counted, not the \
             whole district; for all of {name} pass region_code \"{code}\"."
        )
    } else {
        let given = filters.dong.as_deref().unwrap_or_default();
        format!(
            "region_code named {dong} ({name}), but `dong` \"{given}\" was given and used \
             instead."
        )
    })
}

/// The note for share sales (지분) and land-lease flats (토지임대부) among counted sales.
pub(crate) fn partial_interest_note(shares: u32, land_leases: u32) -> Option<String> {
    let mut kinds = Vec::new();
    if shares > 0 {
        kinds.push(format!(
            "{shares} share sale{} (지분, the price buys a share)",
            if shares == 1 { "" } else { "s" }
        ));
    }
    if land_leases > 0 {
        kinds.push(format!(
            "{land_leases} land-lease flat{} (토지임대부, sold without the land)",
            if land_leases == 1 { "" } else { "s" }
        ));
    }
    (!kinds.is_empty()).then(|| {
        format!(
            "{} {} counted and in the price statistics but left out of the per-㎡ and per-평 \
             medians; they are marked in the rows.",
            kinds.join(" and "),
            if shares + land_leases == 1 {
                "is"
            } else {
                "are"
            }
        )
    })
}

#[cfg(test)]
#[path = "transactions/tests.rs"]
mod tests;
