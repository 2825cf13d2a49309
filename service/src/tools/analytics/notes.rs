//! Sentences every analytics result may need: failed and truncated months, recent months
//! still filling up, filters that matched nothing.

use chrono::{DateTime, Utc};

use super::{clean::Exclusions, fetch::AnalyticsSource};
use crate::tools::{calendar::YearMonth, transactions::AppliedFilters};

/// The note for a range ending at `last`, when its newest months are still filling up.
pub(super) fn recent_note(last: YearMonth, now: DateTime<Utc>) -> Option<String> {
    last.still_reported(now).then(|| {
        format!(
            "The newest months (up to {last}) are incomplete: deals are reported up to 30 days \
             after the contract and cancellations later, so their counts will still grow. \
             Read them as provisional."
        )
    })
}

/// Notes on months that failed or were truncated.
pub(super) fn fetch_notes(source: &AnalyticsSource) -> Vec<String> {
    let mut notes = Vec::new();
    if !source.failed_months.is_empty() {
        let months: Vec<String> = source
            .failed_months
            .iter()
            .map(|f| format!("{} {} {}", f.region_code, f.dataset, f.year_month))
            .collect();
        notes.push(format!(
            "{} of {} month fetches failed ({}); their deals are missing from every figure. \
             See source.failed_months for each reason. Asking again later costs quota only for \
             those months: the rest are cached.",
            source.failed_months.len(),
            source.months_requested,
            months.join(", ")
        ));
    }
    let truncated: Vec<String> = source
        .fetches
        .iter()
        .flat_map(|g| {
            g.truncated_months
                .iter()
                .map(move |m| format!("{} {m}", g.region_code))
        })
        .collect();
    for group in &source.fetches {
        let months: Vec<&str> = group
            .former_code_months
            .iter()
            .map(|m| m.year_month.as_str())
            .collect();
        if months.is_empty() {
            continue;
        }
        let found: u32 = group
            .former_code_months
            .iter()
            .flat_map(|m| &m.former_codes)
            .map(|f| f.deals_kept)
            .sum();
        let mut codes: Vec<String> = Vec::new();
        for f in group
            .former_code_months
            .iter()
            .flat_map(|m| &m.former_codes)
        {
            let code = format!("{} ({})", f.lawd_cd, f.name);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        notes.push(format!(
            "{} {} had no deals for {}, months before the district was reorganised, so the \
             code it had then was read as well: {}; {found} deals came from there (see \
             source.fetches[].former_code_months). MOLIT may file old deals under either code.",
            group.region_code,
            group.dataset,
            months.join(", "),
            codes.join(", ")
        ));
    }
    if !truncated.is_empty() {
        notes.push(format!(
            "Some months held more deals than this server reads per month ({}); their figures \
             cover the deals read.",
            truncated.join(", ")
        ));
    }
    notes
}

/// The note for filters that matched no deal at all.
pub(super) fn no_match_note(filters: &AppliedFilters) -> String {
    if filters == &AppliedFilters::default() {
        "No deals were reported in the range: check the district and property type.".to_owned()
    } else {
        "No deal in the range matched the filters: check the spelling of `dong` or \
         `name_contains`, or widen the area range."
            .to_owned()
    }
}

/// The note for share sales and land-lease flats kept out of per-area figures.
pub(super) fn partial_interest_note(excluded: &Exclusions) -> Option<String> {
    let n = excluded.share_or_land_lease_sales?;
    Some(format!(
        "{n} sale{} of a share (지분) or of a land-lease flat (토지임대부, sold without the land) \
         {} counted and in the price statistics but left out of the per-㎡ and per-평 medians \
         and of 전세가율 pairs: their prices do not buy a whole property with its land.",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" }
    ))
}
