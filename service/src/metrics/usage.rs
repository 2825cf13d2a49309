//! Counters that outlive the process: cache lookups since the cache was first used, and each
//! day's upstream requests per dataset (the daily quota is counted per day in Korea).
//!
//! Increments stay in memory and are written to the store by [`Usage::persist`], which the
//! server calls every few seconds and when it stops, so a request never waits for a counter
//! write. A crash loses at most the increments since the last write. Without a store the
//! figures simply start at zero with the process.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, PoisonError},
};

use chrono::{NaiveDate, TimeDelta};

use crate::store::Store;

/// How many days of per-day counters are kept in the store.
const DAYS_KEPT: i64 = 40;

/// Prefix of the lookup counters: `lookups/<result>`.
const LOOKUPS: &str = "lookups/";

/// Prefix of the per-day upstream counters: `upstream/<YYYY-MM-DD>/<dataset>`.
const UPSTREAM: &str = "upstream/";

/// Persisted counters and the increments not yet written.
pub struct Usage {
    store: Option<Arc<dyn Store>>,
    counts: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    written: BTreeMap<String, u64>,
    pending: BTreeMap<String, u64>,
}

impl Counts {
    fn value(&self, name: &str) -> u64 {
        self.written.get(name).copied().unwrap_or(0) + self.pending.get(name).copied().unwrap_or(0)
    }
}

impl Usage {
    /// Counters that start at zero and are never written.
    pub fn in_memory() -> Self {
        Self {
            store: None,
            counts: Mutex::default(),
        }
    }

    /// Reads the counters kept in `store` (dropping days older than forty), or starts at
    /// zero when the store cannot be read.
    pub async fn load(store: Option<Arc<dyn Store>>, today: NaiveDate) -> Self {
        let mut written = BTreeMap::new();
        if let Some(store) = &store {
            match store.counters().await {
                Ok(counters) => written.extend(counters),
                Err(error) => log::warn!("usage counters could not be read: {error}"),
            }
            let oldest = (today - TimeDelta::days(DAYS_KEPT)).to_string();
            let old: Vec<String> = written
                .keys()
                .filter(|name| day_of(name).is_some_and(|day| day < oldest.as_str()))
                .cloned()
                .collect();
            if !old.is_empty() {
                for name in &old {
                    written.remove(name);
                }
                if let Err(error) = store.remove_counters(old).await {
                    log::warn!("old usage counters could not be removed: {error}");
                }
            }
        }
        Self {
            store,
            counts: Mutex::new(Counts {
                written,
                pending: BTreeMap::new(),
            }),
        }
    }

    /// Counts one cache lookup with `result` (`hit`, `disk_hit`, `miss`, `stale`).
    pub fn lookup(&self, result: &str) {
        self.add(format!("{LOOKUPS}{result}"), 1);
    }

    /// Counts `requests` upstream requests for `dataset` on `day` (Korean date).
    pub fn upstream(&self, day: NaiveDate, dataset: &str, requests: u64) {
        self.add(format!("{UPSTREAM}{day}/{dataset}"), requests);
    }

    fn add(&self, name: String, n: u64) {
        let mut counts = self.lock();
        *counts.pending.entry(name).or_default() += n;
    }

    /// Lookups per result since the cache was first used (since start without a store).
    pub fn lookups(&self) -> Vec<(String, u64)> {
        self.with_prefix(LOOKUPS)
    }

    /// Upstream requests per dataset on `day`.
    pub fn upstream_on(&self, day: NaiveDate) -> Vec<(String, u64)> {
        self.with_prefix(&format!("{UPSTREAM}{day}/"))
    }

    fn with_prefix(&self, prefix: &str) -> Vec<(String, u64)> {
        let counts = self.lock();
        let names: std::collections::BTreeSet<&String> = counts
            .written
            .keys()
            .chain(counts.pending.keys())
            .filter(|name| name.starts_with(prefix))
            .collect();
        names
            .into_iter()
            .map(|name| (name[prefix.len()..].to_owned(), counts.value(name)))
            .collect()
    }

    /// Writes the pending increments to the store (on failure they stay pending), then reads
    /// the totals back: a shared store holds other replicas' counts too.
    pub async fn persist(&self) {
        let Some(store) = &self.store else {
            return;
        };
        let pending = std::mem::take(&mut self.lock().pending);
        if !pending.is_empty() {
            let deltas: Vec<(String, u64)> = pending.iter().map(|(k, v)| (k.clone(), *v)).collect();
            let written = store.add_counters(deltas).await;
            let mut counts = self.lock();
            for (name, n) in pending {
                let target = if written.is_ok() {
                    &mut counts.written
                } else {
                    &mut counts.pending
                };
                *target.entry(name).or_default() += n;
            }
            if let Err(error) = written {
                // The store says once per outage that it fails; this is detail.
                log::debug!("usage counters could not be written: {error}");
                return;
            }
        }
        if let Ok(totals) = store.counters().await {
            self.lock().written = totals.into_iter().collect();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The `YYYY-MM-DD` of a per-day counter's name.
fn day_of(name: &str) -> Option<&str> {
    name.strip_prefix(UPSTREAM)?.split('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[tokio::test]
    async fn counts_survive_a_restart_and_old_days_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path(), 1 << 20).unwrap());
        let usage = Usage::load(Some(store.clone()), day("2026-11-27")).await;
        usage.lookup("hit");
        usage.lookup("hit");
        usage.lookup("miss");
        usage.upstream(day("2026-11-27"), "RTMSDataSvcAptTrade", 3);
        usage.upstream(day("2026-09-01"), "RTMSDataSvcAptTrade", 9);
        usage.persist().await;
        usage.lookup("hit");
        usage.persist().await;

        let again = Usage::load(Some(store), day("2026-11-27")).await;
        assert_eq!(
            again.lookups(),
            [("hit".to_owned(), 3), ("miss".to_owned(), 1)]
        );
        assert_eq!(
            again.upstream_on(day("2026-11-27")),
            [("RTMSDataSvcAptTrade".to_owned(), 3)]
        );
        assert!(again.upstream_on(day("2026-09-01")).is_empty());
    }

    #[test]
    fn without_a_store_figures_count_from_start() {
        let usage = Usage::in_memory();
        usage.lookup("stale");
        usage.upstream(day("2026-11-27"), "a", 2);
        usage.upstream(day("2026-11-27"), "a", 1);
        assert_eq!(usage.lookups(), [("stale".to_owned(), 1)]);
        assert_eq!(usage.upstream_on(day("2026-11-27")), [("a".to_owned(), 3)]);
    }
}
