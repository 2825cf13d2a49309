//! A usage store that can fail (a file, a network service), kept useful when it does.
//!
//! Answers matter more than exact accounting: when the persistent or shared store cannot be
//! reached, charges are counted in this process's memory instead ([`MemoryUsage`], so the
//! limits still hold per process), the failure is counted and logged once per outage, and the
//! store is used again as soon as it answers. What was counted in memory meanwhile is not
//! added back: an outage can only let a caller spend more, never lock anyone out.

use std::sync::{Arc, atomic::AtomicU64};

use chrono::NaiveDate;
use futures::future::{BoxFuture, FutureExt};

use super::{
    MemoryUsage,
    store::{Charge, Counter, Named, NamedCharge, OverLimit, Spending, UsageStore},
};
use crate::outage::Outage;

/// The operations of a store that may fail; the error says what failed, for the log.
pub trait FallibleUsage: Send + Sync {
    /// Where the counters are kept, for the log (never a credential).
    fn counted_in(&self) -> String;
    /// As [`UsageStore::charge`].
    fn try_charge(
        &self,
        day: NaiveDate,
        charges: Vec<NamedCharge>,
    ) -> BoxFuture<'static, Result<Result<(), OverLimit>, String>>;
    /// As [`UsageStore::read`].
    fn try_read(
        &self,
        day: NaiveDate,
        counters: Vec<Named>,
    ) -> BoxFuture<'static, Result<Vec<u64>, String>>;
    /// As [`UsageStore::spending`].
    fn try_spending(&self, day: NaiveDate) -> BoxFuture<'static, Result<Spending, String>>;
}

/// A [`FallibleUsage`] with memory standing in while it fails.
pub struct WithFallback {
    store: Arc<dyn FallibleUsage>,
    memory: MemoryUsage,
    outage: Outage,
}

impl WithFallback {
    /// Counts in `store`, in memory while it fails; failures are added to `failures`.
    pub fn new(store: Arc<dyn FallibleUsage>, failures: Arc<AtomicU64>) -> Self {
        let what = format!("budget counters in {}", store.counted_in());
        Self {
            store,
            memory: MemoryUsage::default(),
            outage: Outage::new(
                what,
                "counting in this process's memory until it answers again",
                failures,
            ),
        }
    }

    /// The store's answer to `attempt`, or `None` when it failed or an outage says not to
    /// try it yet (memory answers then).
    async fn attempt<T>(
        &self,
        attempt: impl FnOnce() -> BoxFuture<'static, Result<T, String>>,
    ) -> Option<T> {
        if !self.outage.should_try() {
            return None;
        }
        self.outage.note(attempt().await)
    }
}

impl UsageStore for WithFallback {
    fn charge<'a>(
        &'a self,
        day: NaiveDate,
        charges: &'a [Charge<'a>],
    ) -> BoxFuture<'a, Result<(), OverLimit>> {
        async move {
            let named = charges.iter().map(NamedCharge::from).collect();
            match self.attempt(|| self.store.try_charge(day, named)).await {
                Some(result) => result,
                None => self.memory.charge(day, charges).await,
            }
        }
        .boxed()
    }

    fn read<'a>(&'a self, day: NaiveDate, counters: &'a [Counter<'a>]) -> BoxFuture<'a, Vec<u64>> {
        async move {
            let named = counters.iter().map(|c| c.named()).collect();
            match self.attempt(|| self.store.try_read(day, named)).await {
                Some(totals) => totals,
                None => self.memory.read(day, counters).await,
            }
        }
        .boxed()
    }

    fn spending(&self, day: NaiveDate) -> BoxFuture<'_, Spending> {
        async move {
            match self.attempt(|| self.store.try_spending(day)).await {
                Some(spending) => spending,
                None => self.memory.spending(day).await,
            }
        }
        .boxed()
    }
}
