//! Daily budgets of upstream requests: per caller and, server-wide, per data.go.kr dataset,
//! each resetting at midnight KST like the portal's own quota.
//!
//! What is counted is what is sent: [`Budget::charge`] runs in the HTTP layer just before each
//! request (a retry is a second request and is charged again), so cache hits cost nothing and
//! a miss that several callers wait for is paid once, by the caller whose task sends it. The
//! caller is the [`CallScope`] the MCP layer runs the tool call in. A request the budgets
//! cannot cover is never sent: it fails with [`OverBudget`], which says when the budget
//! resets. Tools that read many months ask for the [`Allowance`] first and refuse what would
//! not fit, instead of spending part of it and failing.
//!
//! Counters live behind [`UsageStore`]: with the cache's store when there is one (on disk, or
//! Redis shared by replicas), so a restart does not reset a day's spending; else
//! [`MemoryUsage`] (bounded, see there).

mod allowance;
mod call;
mod day;
mod fallback;
mod memory;
mod report;
mod store;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::kst;

pub use allowance::{Allowance, Left, OverBudget, Scope};
pub use call::{CallScope, note_read};
pub use day::Reset;
pub use fallback::{FallibleUsage, WithFallback};
pub use memory::{MAX_TRACKED_CALLERS, MemoryUsage};
pub use report::{BudgetReport, DatasetUsage, Usage};
pub use store::{
    Charge, Counter, Kind, LABEL_CHARS, Named, NamedCharge, OVERFLOW_LABEL, OverLimit, Spending,
    TOP_CALLERS, UsageStore, caller_key, caller_label,
};

/// A data.go.kr dataset whose daily quota requests count against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    /// The name counters and answers use, e.g. `RTMSDataSvcAptTrade`.
    pub id: &'static str,
    /// The name people know it by, e.g. `아파트 매매`.
    pub label: &'static str,
}

/// Daily limits; `None` turns one off (its requests are still counted and reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BudgetLimits {
    /// Requests one caller may cause per day, every dataset together.
    pub per_caller: Option<u64>,
    /// Requests the whole server may send per day to one dataset.
    pub per_dataset: Option<u64>,
}

type Clock = dyn Fn() -> DateTime<Utc> + Send + Sync;

/// The server's budgets: limits, counters and the clock that decides the day. Cheap to clone.
#[derive(Clone)]
pub struct Budget {
    inner: Arc<Inner>,
}

struct Inner {
    limits: BudgetLimits,
    store: Arc<dyn UsageStore>,
    clock: Box<Clock>,
}

impl Default for Budget {
    /// No limits, counted in memory.
    fn default() -> Self {
        Self::in_memory(BudgetLimits::default())
    }
}

impl Budget {
    /// Budgets with `limits`, counted in `store`.
    pub fn new(limits: BudgetLimits, store: Arc<dyn UsageStore>) -> Self {
        Self::with_clock(limits, store, Utc::now)
    }

    /// Budgets with `limits`, counted in this process's memory.
    pub fn in_memory(limits: BudgetLimits) -> Self {
        Self::new(limits, Arc::new(MemoryUsage::default()))
    }

    /// As [`Budget::new`], with the time read from `clock` (tests move it past midnight).
    pub fn with_clock(
        limits: BudgetLimits,
        store: Arc<dyn UsageStore>,
        clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                limits,
                store,
                clock: Box::new(clock),
            }),
        }
    }

    /// The configured limits.
    pub fn limits(&self) -> BudgetLimits {
        self.inner.limits
    }

    /// Counts one request about to be sent for `quota`, or refuses it when the current
    /// caller's budget or the dataset's is spent.
    pub async fn charge(&self, quota: Quota) -> Result<(), OverBudget> {
        let now = (self.inner.clock)();
        let limits = self.inner.limits;
        let call = CallScope::current();
        let mut charges = vec![Charge {
            counter: Counter::Dataset(quota.id),
            amount: 1,
            limit: limits.per_dataset,
        }];
        if let Some(call) = &call {
            charges.push(Charge {
                counter: Counter::Caller(call.subject()),
                amount: 1,
                limit: limits.per_caller,
            });
        }
        match self.inner.store.charge(kst::day(now), &charges).await {
            Ok(()) => {
                if let Some(call) = &call {
                    call.record(quota);
                }
                Ok(())
            }
            Err(OverLimit { index, spent }) => {
                let limit = charges.get(index).and_then(|c| c.limit).unwrap_or(0);
                Err(OverBudget {
                    scope: if index == 0 {
                        Scope::Dataset(quota)
                    } else {
                        Scope::Caller
                    },
                    left: limit.saturating_sub(spent),
                    limit,
                    needed: 1,
                    reset: Reset::after(now),
                })
            }
        }
    }

    /// Whether `requests` more requests for `quota` would fit now (nothing is counted).
    pub async fn check(&self, quota: Quota, requests: u64) -> Result<(), OverBudget> {
        match self.allowance(&[quota]).await.overrun(&[(quota, requests)]) {
            Some(over) => Err(over),
            None => Ok(()),
        }
    }

    /// What the current caller's budget and the budgets of `quotas` still allow today.
    pub async fn allowance(&self, quotas: &[Quota]) -> Allowance {
        let now = (self.inner.clock)();
        let limits = self.inner.limits;
        let call = CallScope::current();
        let mut counters: Vec<Counter<'_>> =
            quotas.iter().map(|q| Counter::Dataset(q.id)).collect();
        if let Some(call) = &call {
            counters.push(Counter::Caller(call.subject()));
        }
        let totals = self.inner.store.read(kst::day(now), &counters).await;
        let caller = call.as_ref().and_then(|_| {
            Left::of(
                totals.get(quotas.len()).copied().unwrap_or(0),
                limits.per_caller,
            )
        });
        let datasets = quotas
            .iter()
            .zip(&totals)
            .filter_map(|(&quota, &spent)| Some((quota, Left::of(spent, limits.per_dataset)?)))
            .collect();
        Allowance {
            caller,
            datasets,
            reset: Reset::after(now),
        }
    }

    /// Today's spending and the limits it counts against, for metrics and `status`.
    pub async fn spending(&self) -> (BudgetLimits, Spending) {
        let day = kst::day((self.inner.clock)());
        (self.inner.limits, self.inner.store.spending(day).await)
    }

    /// What `call` spent, and what its caller and the datasets it read have left today.
    pub async fn report(&self, call: &CallScope) -> BudgetReport {
        let now = (self.inner.clock)();
        let limits = self.inner.limits;
        let quotas = call.datasets();
        let mut counters: Vec<Counter<'_>> =
            quotas.iter().map(|q| Counter::Dataset(q.id)).collect();
        counters.push(Counter::Caller(call.subject()));
        let totals = self.inner.store.read(kst::day(now), &counters).await;
        let caller_spent = totals.get(quotas.len()).copied().unwrap_or(0);
        BudgetReport {
            spent: call.spent(),
            caller: Usage::new(caller_spent, limits.per_caller),
            datasets: quotas
                .iter()
                .zip(&totals)
                .map(|(quota, &spent)| DatasetUsage {
                    dataset: quota.id.to_owned(),
                    usage: Usage::new(spent, limits.per_dataset),
                })
                .collect(),
            resets_at: Reset::after(now).rfc3339(),
        }
    }
}

#[cfg(test)]
mod tests;
