//! Counters that outlive the process: cache lookups since the cache was first used. (Today's
//! upstream requests are the budget's figures, kept by [`crate::budget`], not counted here.)
//!
//! Increments stay in memory and are written to the store by [`Usage::persist`], which the
//! server calls every few seconds and when it stops, so a request never waits for a counter
//! write. A crash loses at most the increments since the last write. Without a store the
//! figures simply start at zero with the process.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, PoisonError},
};

use crate::store::Store;

/// Prefix of the lookup counters: `lookups/<result>`.
const LOOKUPS: &str = "lookups/";

/// Prefix of the per-day upstream counters earlier versions kept
/// (`upstream/<YYYY-MM-DD>/<dataset>`): today's requests are now the budget's figures.
const FORMER_UPSTREAM: &str = "upstream/";

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

    /// Reads the counters kept in `store`, or starts at zero when the store cannot be read.
    /// The per-day upstream counters an earlier version left are removed from the store.
    pub async fn load(store: Option<Arc<dyn Store>>) -> Self {
        let mut written = BTreeMap::new();
        if let Some(store) = &store {
            match store.counters().await {
                Ok(counters) => written.extend(counters),
                Err(error) => log::warn!("usage counters could not be read: {error}"),
            }
            let former: Vec<String> = written
                .keys()
                .filter(|name| name.starts_with(FORMER_UPSTREAM))
                .cloned()
                .collect();
            if !former.is_empty() {
                written.retain(|name, _| !name.starts_with(FORMER_UPSTREAM));
                if let Err(error) = store.remove_counters(former).await {
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
        let mut counts = self.lock();
        *counts
            .pending
            .entry(format!("{LOOKUPS}{result}"))
            .or_default() += 1;
    }

    /// Lookups per result since the cache was first used (since start without a store).
    pub fn lookups(&self) -> Vec<(String, u64)> {
        let counts = self.lock();
        let names: std::collections::BTreeSet<&String> = counts
            .written
            .keys()
            .chain(counts.pending.keys())
            .filter(|name| name.starts_with(LOOKUPS))
            .collect();
        names
            .into_iter()
            .map(|name| (name[LOOKUPS.len()..].to_owned(), counts.value(name)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    #[tokio::test]
    async fn counts_survive_a_restart_and_old_upstream_counters_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path(), 1 << 20).unwrap());
        // What an earlier version left: a day's upstream requests per dataset.
        store
            .add_counters(vec![(
                "upstream/2026-11-27/RTMSDataSvcAptTrade".to_owned(),
                9,
            )])
            .await
            .unwrap();
        let usage = Usage::load(Some(store.clone())).await;
        usage.lookup("hit");
        usage.lookup("hit");
        usage.lookup("miss");
        usage.persist().await;
        usage.lookup("hit");
        usage.persist().await;

        let again = Usage::load(Some(store.clone())).await;
        assert_eq!(
            again.lookups(),
            [("hit".to_owned(), 3), ("miss".to_owned(), 1)]
        );
        assert_eq!(
            store.counters().await.unwrap().len(),
            2,
            "the former upstream counter is gone"
        );
    }

    #[test]
    fn without_a_store_figures_count_from_start() {
        let usage = Usage::in_memory();
        usage.lookup("stale");
        usage.lookup("stale");
        assert_eq!(usage.lookups(), [("stale".to_owned(), 2)]);
    }
}
