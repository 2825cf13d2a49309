//! Checking, before a multi-month question spends anything, that it fits today's budgets.
//!
//! A cached month costs nothing. An uncached month costs at least one request and at most the
//! client's page cap (a page holds 1,000 deals); in between, its cost is estimated from cached
//! months of the same dataset and district in or near the range: their deal counts plus half
//! again as headroom. When every uncached month fits even at its worst, the question goes
//! ahead at once. Otherwise, for each dataset and district with nothing to go by, one month
//! (the newest complete one, so it belongs to any shorter question suggested) is fetched to
//! learn its size, and the estimate is made again. A question that still does not fit is
//! answered with the newest months that do, instead of spending part of the budget and
//! failing half-way. An estimate that falls short shows as months failing with the budget's
//! message in `source.failed_months`, the other months answered.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use futures::{StreamExt, stream};

use super::month_key::{MONTH_CONCURRENCY, MonthKey, fetch_one};
use crate::{
    budget::{Allowance, Quota},
    tools::district_months::DistrictMonth,
    tools::{ToolError, calendar::YearMonth},
    upstream::molit::{CachedMonthFacts, Dataset, MolitClient, MolitError},
};

/// Months on either side of the range whose cached sizes inform the estimate.
const NEIGHBOURHOOD: usize = 6;

/// Months fetched while sizing the question, by position in the keys; `None` for the rest.
pub(super) type Probed = Vec<Option<Result<DistrictMonth, MolitError>>>;

/// What fetching one month will cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cost {
    /// In the cache, or already fetched while sizing: free.
    Free,
    /// Estimated from cached months nearby, in requests.
    About(u64),
    /// Nothing to go by: anything up to the page cap.
    Unknown,
}

/// Refuses `keys` when today's budgets cannot cover them; otherwise returns the months it
/// fetched to find out, for the caller to use rather than fetch again.
pub(super) async fn ensure_affordable(
    client: &MolitClient,
    keys: &[MonthKey],
) -> Result<Probed, ToolError> {
    let mut probed: Probed = keys.iter().map(|_| None).collect();
    let mut quotas: Vec<Quota> = Vec::new();
    for quota in keys.iter().map(|k| k.dataset.quota()) {
        if !quotas.contains(&quota) {
            quotas.push(quota);
        }
    }
    let allowance = client.budget().allowance(&quotas).await;
    if allowance.is_unlimited() {
        return Ok(probed);
    }
    let cap = u64::from(client.page_cap());
    let costs = estimate(client, keys, &probed).await;
    if allowance.overrun(&worst(keys, &costs, cap, None)).is_none() {
        return Ok(probed);
    }
    let probes = probes(keys, &costs);
    let sizing: Vec<(Quota, u64)> = probes
        .iter()
        .map(|&i| (keys[i].dataset.quota(), 1))
        .collect();
    if probes.is_empty() || allowance.overrun(&sizing).is_some() {
        return Err(refusal(keys, &costs, &allowance, cap, false));
    }
    let fetched: Vec<_> = stream::iter(probes)
        .map(|i| async move { (i, fetch_one(client, &keys[i]).await) })
        .buffered(MONTH_CONCURRENCY)
        .collect()
        .await;
    for (i, result) in fetched {
        probed[i] = Some(result);
    }
    let costs = estimate(client, keys, &probed).await;
    let allowance = client.budget().allowance(&quotas).await;
    if allowance.overrun(&worst(keys, &costs, cap, None)).is_none() {
        return Ok(probed);
    }
    Err(refusal(keys, &costs, &allowance, cap, true))
}

/// The cost of each key: free when cached or probed, else from its neighbours' sizes.
async fn estimate(client: &MolitClient, keys: &[MonthKey], probed: &Probed) -> Vec<Cost> {
    let mut groups: HashMap<(Dataset, &str), Vec<YearMonth>> = HashMap::new();
    for key in keys {
        groups
            .entry((key.dataset, key.lawd_cd.as_str()))
            .or_default()
            .push(key.month);
    }
    let mut sizes: HashMap<(Dataset, &str), u64> = HashMap::new();
    let mut cached: HashSet<(Dataset, &str, YearMonth)> = HashSet::new();
    for (&(dataset, lawd_cd), months) in &groups {
        let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
            continue;
        };
        let start = (0..NEIGHBOURHOOD).fold(first, |month, _| month.previous());
        let end = (0..NEIGHBOURHOOD).fold(last, |month, _| month.next());
        for month in start.through(end) {
            let Some(facts) = client
                .cached_facts(dataset, lawd_cd, month.year(), month.month())
                .await
            else {
                continue;
            };
            let size = sizes.entry((dataset, lawd_cd)).or_insert(0);
            *size = (*size).max(requests_like(facts, client.page_size()));
            if months.contains(&month) {
                cached.insert((dataset, lawd_cd, month));
            }
        }
    }
    keys.iter()
        .zip(probed)
        .map(|(key, probed)| {
            let group = (key.dataset, key.lawd_cd.as_str());
            if probed.is_some() || cached.contains(&(group.0, group.1, key.month)) {
                Cost::Free
            } else {
                sizes.get(&group).map_or(Cost::Unknown, |&n| Cost::About(n))
            }
        })
        .collect()
}

/// What a month like one of `facts`' size could cost: its pages, or its deal count plus half
/// again in pages of `page_size`, whichever is more.
fn requests_like(facts: CachedMonthFacts, page_size: u32) -> u64 {
    let padded = u64::from(facts.total_count) * 3 / 2;
    let pages = padded.div_ceil(u64::from(page_size.max(1)));
    pages.max(u64::from(facts.pages)).max(1)
}

/// The worst cost per dataset of the keys (from month `from` on, when given).
fn worst(
    keys: &[MonthKey],
    costs: &[Cost],
    cap: u64,
    from: Option<YearMonth>,
) -> Vec<(Quota, u64)> {
    keys.iter()
        .zip(costs)
        .filter(|(key, _)| from.is_none_or(|from| key.month >= from))
        .map(|(key, cost)| {
            let requests = match *cost {
                Cost::Free => 0,
                Cost::About(requests) => requests.min(cap),
                Cost::Unknown => cap,
            };
            (key.dataset.quota(), requests)
        })
        .collect()
}

/// One key per dataset and district whose months are all unknown: the newest complete month,
/// or the newest month when every one is still filling up.
fn probes(keys: &[MonthKey], costs: &[Cost]) -> Vec<usize> {
    let now = Utc::now();
    let mut chosen: HashMap<(Dataset, &str), usize> = HashMap::new();
    for (i, (key, cost)) in keys.iter().zip(costs).enumerate() {
        if *cost != Cost::Unknown {
            continue;
        }
        let group = (key.dataset, key.lawd_cd.as_str());
        let better = |current: &MonthKey| {
            let rank = |k: &MonthKey| (!k.month.still_reported(now), k.month);
            rank(key) > rank(current)
        };
        match chosen.get(&group) {
            Some(&current) if !better(&keys[current]) => {}
            _ => {
                chosen.insert(group, i);
            }
        }
    }
    let mut chosen: Vec<usize> = chosen.into_values().collect();
    chosen.sort_unstable();
    chosen
}

/// The answer to a question too big for today: what it needs, what is left, and the newest
/// months that fit.
fn refusal(
    keys: &[MonthKey],
    costs: &[Cost],
    allowance: &Allowance,
    cap: u64,
    sized: bool,
) -> ToolError {
    let all = worst(keys, costs, cap, None);
    let needed: u64 = all.iter().map(|(_, n)| n).sum();
    let uncached = costs.iter().filter(|c| **c != Cost::Free).count();
    let shortfall = allowance
        .overrun(&all)
        .map(|over| over.shortfall())
        .unwrap_or_else(|| "that is more than is left today".to_owned());
    let mut months: Vec<YearMonth> = keys.iter().map(|k| k.month).collect();
    months.sort_unstable();
    months.dedup();
    let last = months.last().copied();
    let fits_from = months.iter().copied().find(|&from| {
        allowance
            .overrun(&worst(keys, costs, cap, Some(from)))
            .is_none()
    });
    let mut message = format!(
        "This question could need up to {needed} data.go.kr requests for {uncached} month \
         fetches not cached yet (one request per 1,000 deals of a month), but {shortfall}."
    );
    match (fits_from, last) {
        (Some(from), Some(last)) => {
            let count = months.iter().filter(|&&m| m >= from).count();
            message.push_str(&format!(
                " The newest {count} month{s} fit: ask again with from_month={from} and \
                 to_month={last}. Months already fetched cost nothing.",
                s = if count == 1 { "" } else { "s" }
            ));
        }
        _ => message.push_str(" Not even the newest month fits today."),
    }
    if sized {
        message.push_str(
            " (A month of each dataset and district was fetched to size the question; it is \
             cached now.)",
        );
    }
    message.push(' ');
    message.push_str(&allowance.reset.sentence());
    ToolError::new(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_sized_like_its_neighbour_with_half_again_as_headroom() {
        let facts = |pages, total_count| CachedMonthFacts { pages, total_count };
        assert_eq!(requests_like(facts(1, 0), 1000), 1);
        assert_eq!(requests_like(facts(1, 600), 1000), 1);
        assert_eq!(requests_like(facts(1, 700), 1000), 2);
        assert_eq!(requests_like(facts(2, 1500), 1000), 3);
        // A gateway serving smaller pages than asked: the pages it took count.
        assert_eq!(requests_like(facts(5, 500), 1000), 5);
    }
}
