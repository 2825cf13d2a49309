//! Fetching many months at once: bounded concurrency, every month through the client's cache,
//! and an account of what arrived, what came from cache, what it cost and what failed.
//!
//! A month that fails is reported in `failed_months` with its error and the others are
//! answered; only when every month fails does the tool fail. Before anything is fetched, the
//! months must fit today's budgets ([`super::afford`]).

use std::time::Duration;

use futures::{StreamExt, stream};
use schemars::JsonSchema;
use serde::Serialize;

use super::{
    afford::ensure_affordable,
    month_key::{MONTH_CONCURRENCY, MonthKey, fetch_one},
};
use crate::count::count_u32;
use crate::{
    cache::{Freshness, StaleReason},
    tools::{
        Provenance, ToolError,
        calendar::YearMonth,
        district_months::{DistrictMonth, FormerCodeRead},
        stale_note,
    },
    upstream::molit::{Dataset, MolitClient, MonthData},
};

/// The months that arrived, in the order asked, and the account of the whole fetch.
pub(super) struct Fetched {
    pub(super) months: Vec<(MonthKey, MonthData)>,
    pub(super) source: AnalyticsSource,
}

impl Fetched {
    /// The data of one month, when it arrived.
    pub(super) fn get(
        &self,
        dataset: Dataset,
        lawd_cd: &str,
        month: YearMonth,
    ) -> Option<&MonthData> {
        self.months
            .iter()
            .find(|(key, _)| key.dataset == dataset && key.month == month && key.lawd_cd == lawd_cd)
            .map(|(_, data)| data)
    }
}

/// Where an analytics result's data came from and what it cost. `cached`, `age_seconds` and
/// `upstream_calls` read as in every other tool's `source`, over all months together.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AnalyticsSource {
    /// `cached`: every month came from this server's cache (no quota used); `age_seconds`:
    /// age of the oldest cached month; `upstream_calls`: requests sent for all months.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Month fetches asked for (datasets × districts × months).
    pub months_requested: u32,
    /// Month fetches that arrived.
    pub months_fetched: u32,
    /// Of those, the ones served from cache.
    pub months_from_cache: u32,
    /// Per dataset and district: which months arrived and which came from cache.
    pub fetches: Vec<FetchGroup>,
    /// Months that could not be fetched, with the reason; their deals are missing from
    /// every figure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_months: Vec<FailedMonth>,
}

/// The months of one dataset and district.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FetchGroup {
    /// MOLIT service, e.g. `RTMSDataSvcAptTrade` (국토교통부 실거래가, data.go.kr).
    pub dataset: String,
    /// District code (LAWD_CD).
    pub region_code: String,
    /// Months that arrived, `YYYYMM`.
    pub months_fetched: Vec<String>,
    /// Months among them served from cache.
    pub months_from_cache: Vec<String>,
    /// Requests sent for these months (0 when all were cached).
    pub upstream_calls: u32,
    /// Pages the months span (what a cold fetch costs without retries).
    pub pages: u32,
    /// Months holding more deals than this server reads per month; figures cover the deals
    /// read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truncated_months: Vec<String>,
    /// Months before the district's reorganisation for which its code had no deals, so the
    /// code(s) it had then were read: which, and what they held.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub former_code_months: Vec<FormerCodeMonth>,
}

/// A month read under a district's former code(s).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FormerCodeMonth {
    /// Contract month, `YYYYMM`.
    pub year_month: String,
    /// The former codes read for it.
    pub former_codes: Vec<FormerCodeRead>,
}

/// A month that could not be fetched.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FailedMonth {
    /// MOLIT service.
    pub dataset: String,
    /// District code (LAWD_CD).
    pub region_code: String,
    /// Contract month, `YYYYMM`.
    pub year_month: String,
    /// What went wrong and what to do, as the transaction tools would say it.
    pub error: String,
    /// Requests sent for the month before it failed (pages that arrived, retries): they
    /// count against today's quota and are included in `upstream_calls`.
    pub upstream_calls: u32,
}

/// Fetches every month in `keys` with at most [`MONTH_CONCURRENCY`] at once, after checking
/// that today's budgets can cover them ([`ensure_affordable`]). Fails when they cannot, or
/// when no month arrives.
pub(super) async fn fetch_months(
    client: &MolitClient,
    keys: Vec<MonthKey>,
) -> Result<Fetched, ToolError> {
    let requested = keys.len();
    let probed = ensure_affordable(client, &keys).await?;
    let results: Vec<_> = stream::iter(keys.into_iter().zip(probed))
        .map(|(key, probed)| async move {
            let result = match probed {
                Some(result) => result,
                None => fetch_one(client, &key).await,
            };
            (key, result)
        })
        .buffered(MONTH_CONCURRENCY)
        .collect()
        .await;
    let mut months = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for (key, result) in results {
        match result {
            Ok(read) => months.push((key, read)),
            Err(error) => failed.push(FailedMonth {
                dataset: key.dataset.service().to_owned(),
                region_code: key.lawd_cd.clone(),
                year_month: key.month.to_string(),
                upstream_calls: error.upstream_calls(),
                error: ToolError::from(error).message().to_owned(),
            }),
        }
    }
    if months.is_empty() {
        return Err(all_failed(requested, &failed));
    }
    let source = account(&months, failed, requested);
    let months = months
        .into_iter()
        .map(|(key, read)| (key, read.data))
        .collect();
    Ok(Fetched { months, source })
}

fn all_failed(requested: usize, failed: &[FailedMonth]) -> ToolError {
    let first = failed
        .first()
        .map(|f| f.error.as_str())
        .unwrap_or("no month was requested");
    let same = failed.iter().all(|f| f.error == first);
    let others = if same || failed.len() < 2 {
        String::new()
    } else {
        let months: Vec<_> = failed.iter().map(|f| f.year_month.as_str()).collect();
        format!(" Failed months: {}.", months.join(", "))
    };
    let spent: u32 = failed.iter().map(|f| f.upstream_calls).sum();
    let cost = if spent > 0 {
        format!(
            " In all, {spent} data.go.kr request{} sent for these months and count{} \
             against today's quota.",
            if spent == 1 { " was" } else { "s were" },
            if spent == 1 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    ToolError::new(format!(
        "None of the {requested} months could be fetched, so there is nothing to analyse. \
         {first}{others}{cost}"
    ))
}

fn account(
    months: &[(MonthKey, DistrictMonth)],
    failed_months: Vec<FailedMonth>,
    requested: usize,
) -> AnalyticsSource {
    let mut fetches: Vec<FetchGroup> = Vec::new();
    let mut oldest = 0;
    let mut from_cache = 0u32;
    let mut stale = 0u32;
    let mut stalest: Option<(Duration, StaleReason)> = None;
    let mut calls = 0u32;
    for (key, read) in months {
        let data = &read.data;
        let service = key.dataset.service();
        let index = match fetches
            .iter()
            .position(|g| g.dataset == service && g.region_code == key.lawd_cd)
        {
            Some(index) => index,
            None => {
                fetches.push(FetchGroup {
                    dataset: service.to_owned(),
                    region_code: key.lawd_cd.clone(),
                    months_fetched: Vec::new(),
                    months_from_cache: Vec::new(),
                    upstream_calls: 0,
                    pages: 0,
                    truncated_months: Vec::new(),
                    former_code_months: Vec::new(),
                });
                fetches.len() - 1
            }
        };
        let group = &mut fetches[index];
        let label = key.month.to_string();
        match data.freshness {
            Freshness::Live => {}
            Freshness::Cached { age } | Freshness::Stale { age, .. } => {
                oldest = oldest.max(age.as_secs());
                from_cache += 1;
                group.months_from_cache.push(label.clone());
            }
        }
        if let Freshness::Stale { age, reason } = data.freshness {
            stale += 1;
            if stalest.is_none_or(|(worst, _)| worst < age) {
                stalest = Some((age, reason));
            }
        }
        if data.truncated {
            group.truncated_months.push(label.clone());
        }
        if !read.former_codes.is_empty() {
            group.former_code_months.push(FormerCodeMonth {
                year_month: label.clone(),
                former_codes: read.former_codes.clone(),
            });
        }
        group.months_fetched.push(label);
        group.upstream_calls += data.upstream_calls;
        group.pages += data.pages;
        calls += data.upstream_calls;
    }
    let fetched = count_u32(months.len());
    calls += failed_months.iter().map(|f| f.upstream_calls).sum::<u32>();
    AnalyticsSource {
        provenance: Provenance {
            cached: from_cache == fetched && calls == 0,
            age_seconds: oldest,
            upstream_calls: calls,
            stale: stale > 0,
            note: stalest.map(|(age, reason)| {
                format!(
                    "{stale} of {fetched} months are expired copies. {}",
                    stale_note(age, reason)
                )
            }),
            budget: None,
        },
        months_requested: count_u32(requested),
        months_fetched: fetched,
        months_from_cache: from_cache,
        fetches,
        failed_months,
    }
}
