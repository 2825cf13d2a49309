//! The in-memory usage store: exact counters for the current day, bounded whatever callers
//! send.
//!
//! Memory is bounded by tracking at most [`MAX_TRACKED_CALLERS`] callers a day, each as a
//! keyed 64-bit hash of its subject and the subject's first [`LABEL_CHARS`] characters for
//! display (so a long subject costs no more than a short one).
//! Callers first seen after the table is full are not tracked one by one: they share a
//! single overflow counter, held to the per-caller limit. Nothing is ever evicted during the
//! day, because evicting would forget what a caller spent: flooding the table with new
//! identities must not hand anyone a fresh budget, and with this rule it only makes the
//! newcomers share one. A new day clears the table.

use std::{
    collections::HashMap,
    hash::{BuildHasher, RandomState},
    sync::{Mutex, MutexGuard, PoisonError},
};

use chrono::NaiveDate;
use futures::future::{BoxFuture, FutureExt};

use super::store::{
    Charge, Counter, OVERFLOW_LABEL, OverLimit, Spending, UsageStore, caller_label,
};

/// Most callers counted one by one per day; later ones share one budget until midnight.
/// Far above the users a home server admits, and about 1 MB at most.
pub const MAX_TRACKED_CALLERS: usize = 10_000;

/// Counters of the current day, in this process only (a restart starts from zero).
pub struct MemoryUsage {
    table: Mutex<Table>,
    hasher: RandomState,
    max_callers: usize,
}

#[derive(Default)]
struct Table {
    day: Option<NaiveDate>,
    callers: HashMap<u64, Tracked>,
    /// Shared by every caller first seen after `callers` filled up.
    overflow: u64,
    /// Keyed by quota id: a handful, all named in the code.
    datasets: HashMap<Box<str>, u64>,
    overflow_reported: bool,
}

/// One caller's spending and what is shown of its subject.
struct Tracked {
    spent: u64,
    label: Box<str>,
}

/// Where a counter's total is kept.
#[derive(Clone, Copy)]
enum Slot<'a> {
    Caller(u64),
    NewCaller(u64, &'a str),
    Overflow,
    Dataset(&'a str),
}

impl Default for MemoryUsage {
    fn default() -> Self {
        Self::with_max_callers(MAX_TRACKED_CALLERS)
    }
}

impl MemoryUsage {
    /// A store tracking at most `max_callers` callers a day one by one.
    pub fn with_max_callers(max_callers: usize) -> Self {
        Self {
            table: Mutex::new(Table::default()),
            hasher: RandomState::new(),
            max_callers,
        }
    }

    /// Callers counted one by one today (for tests and diagnostics).
    pub fn tracked_callers(&self) -> usize {
        self.lock().callers.len()
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // Every update is a few integer writes, so a panic elsewhere cannot leave a table
        // half-changed: keep counting rather than fail open or closed.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The table for `day`: a later day starts empty; an earlier one (a request that began
    /// before midnight) counts on the current day, the cautious side.
    fn table_for(&self, day: NaiveDate) -> MutexGuard<'_, Table> {
        let mut table = self.lock();
        if table.day.is_none_or(|current| day > current) {
            *table = Table {
                day: Some(day),
                ..Table::default()
            };
        }
        table
    }

    fn slot<'a>(&self, table: &Table, counter: Counter<'a>) -> Slot<'a> {
        match counter {
            Counter::Dataset(id) => Slot::Dataset(id),
            Counter::Caller(subject) => {
                let key = self.hasher.hash_one(subject);
                if table.callers.contains_key(&key) {
                    Slot::Caller(key)
                } else if table.callers.len() < self.max_callers {
                    Slot::NewCaller(key, subject)
                } else {
                    Slot::Overflow
                }
            }
        }
    }
}

impl Table {
    fn total(&self, slot: Slot<'_>) -> u64 {
        match slot {
            Slot::Caller(key) => self.callers.get(&key).map_or(0, |c| c.spent),
            Slot::NewCaller(..) => 0,
            Slot::Overflow => self.overflow,
            Slot::Dataset(id) => self.datasets.get(id).copied().unwrap_or(0),
        }
    }

    fn add(&mut self, slot: Slot<'_>, amount: u64) {
        let total = match slot {
            Slot::Caller(key) | Slot::NewCaller(key, _) => {
                let label = match slot {
                    Slot::NewCaller(_, subject) => caller_label(subject),
                    _ => String::new(),
                };
                &mut self
                    .callers
                    .entry(key)
                    .or_insert_with(|| Tracked {
                        spent: 0,
                        label: label.into(),
                    })
                    .spent
            }
            Slot::Overflow => &mut self.overflow,
            Slot::Dataset(id) => self.datasets.entry(id.into()).or_insert(0),
        };
        *total = total.saturating_add(amount);
    }
}

impl UsageStore for MemoryUsage {
    fn charge<'a>(
        &'a self,
        day: NaiveDate,
        charges: &'a [Charge<'a>],
    ) -> BoxFuture<'a, Result<(), OverLimit>> {
        let mut table = self.table_for(day);
        let slots: Vec<Slot<'_>> = charges
            .iter()
            .map(|charge| self.slot(&table, charge.counter))
            .collect();
        for (index, (charge, &slot)) in charges.iter().zip(&slots).enumerate() {
            let spent = table.total(slot);
            if charge
                .limit
                .is_some_and(|limit| spent.saturating_add(charge.amount) > limit)
            {
                return futures::future::ready(Err(OverLimit { index, spent })).boxed();
            }
        }
        for (charge, &slot) in charges.iter().zip(&slots) {
            if matches!(slot, Slot::Overflow) && !table.overflow_reported {
                table.overflow_reported = true;
                log::warn!(
                    "more than {} distinct callers today: callers first seen from now on share \
                     one daily budget until midnight KST",
                    self.max_callers
                );
            }
            table.add(slot, charge.amount);
        }
        futures::future::ready(Ok(())).boxed()
    }

    fn read<'a>(&'a self, day: NaiveDate, counters: &'a [Counter<'a>]) -> BoxFuture<'a, Vec<u64>> {
        let table = self.table_for(day);
        let totals = counters
            .iter()
            .map(|&counter| table.total(self.slot(&table, counter)))
            .collect();
        futures::future::ready(totals).boxed()
    }

    fn spending(&self, day: NaiveDate) -> BoxFuture<'_, Spending> {
        let table = self.table_for(day);
        let mut callers: Vec<(String, u64)> = table
            .callers
            .values()
            .map(|c| (c.label.to_string(), c.spent))
            .collect();
        if table.overflow > 0 {
            callers.push((OVERFLOW_LABEL.to_owned(), table.overflow));
        }
        let datasets = table
            .datasets
            .iter()
            .map(|(id, n)| (id.to_string(), *n))
            .collect();
        futures::future::ready(Spending::of(datasets, callers)).boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
    }

    fn caller(subject: &str, limit: u64) -> Charge<'_> {
        Charge {
            counter: Counter::Caller(subject),
            amount: 1,
            limit: Some(limit),
        }
    }

    async fn spent(store: &MemoryUsage, on: NaiveDate, counter: Counter<'_>) -> u64 {
        store.read(on, &[counter]).await[0]
    }

    #[tokio::test]
    async fn a_charge_is_all_or_nothing() {
        let store = MemoryUsage::default();
        let dataset = |limit| Charge {
            counter: Counter::Dataset("RTMSDataSvcAptTrade"),
            amount: 1,
            limit: Some(limit),
        };
        assert!(
            store
                .charge(day(1), &[dataset(1), caller("alice", 5)])
                .await
                .is_ok()
        );
        let refused = store
            .charge(day(1), &[caller("alice", 5), dataset(1)])
            .await
            .unwrap_err();
        assert_eq!(refused, OverLimit { index: 1, spent: 1 });
        // The refused charge left alice's counter alone.
        assert_eq!(spent(&store, day(1), Counter::Caller("alice")).await, 1);
    }

    #[tokio::test]
    async fn a_new_day_starts_from_zero_and_a_late_straggler_counts_today() {
        let store = MemoryUsage::default();
        for _ in 0..3 {
            store.charge(day(1), &[caller("alice", 3)]).await.unwrap();
        }
        assert!(store.charge(day(1), &[caller("alice", 3)]).await.is_err());
        store.charge(day(2), &[caller("alice", 3)]).await.unwrap();
        store.charge(day(1), &[caller("alice", 3)]).await.unwrap();
        assert_eq!(spent(&store, day(2), Counter::Caller("alice")).await, 2);
    }

    #[tokio::test]
    async fn flooding_with_new_callers_neither_grows_memory_nor_resets_a_budget() {
        let store = MemoryUsage::with_max_callers(100);
        for _ in 0..5 {
            store.charge(day(1), &[caller("alice", 5)]).await.unwrap();
        }
        for n in 0..100_000 {
            let subject = format!("flood-{n}");
            let _ = store.charge(day(1), &[caller(&subject, 5)]).await;
        }
        assert_eq!(store.tracked_callers(), 100);
        assert!(
            store.charge(day(1), &[caller("alice", 5)]).await.is_err(),
            "alice's spending is remembered"
        );
        // Everyone past the table shares one budget: the flood spent it.
        assert_eq!(spent(&store, day(1), Counter::Caller("newcomer")).await, 5);
        assert!(
            store
                .charge(day(1), &[caller("newcomer", 5)])
                .await
                .is_err()
        );
        // The next day the table is empty again.
        store
            .charge(day(2), &[caller("newcomer", 5)])
            .await
            .unwrap();
        assert_eq!(store.tracked_callers(), 1);
    }
}
