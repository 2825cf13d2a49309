//! Figures computed at scrape time: memory and disk sizes, the counters that outlive the
//! process, and the budgets' spending read when the scrape began.

use std::{
    fmt,
    sync::{
        Arc, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeMetric, MetricEncoder},
    metrics::{MetricType, counter::ConstCounter, gauge::ConstGauge},
};

use super::{BudgetFigures, Probes, Usage};
use crate::store::Store;

/// Figures computed at scrape time: sizes, and the counters that outlive the process.
pub(super) struct Scraped {
    pub(super) usage: Arc<Usage>,
    pub(super) store: Option<Arc<dyn Store>>,
    pub(super) failures: Arc<AtomicU64>,
    pub(super) memory: Probes,
    pub(super) budget: BudgetFigures,
}

impl fmt::Debug for Scraped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scraped").finish_non_exhaustive()
    }
}

impl Collector for Scraped {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let memory: Vec<(String, u64)> = self
            .memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(cache, probe)| ((*cache).to_owned(), probe()))
            .collect();
        let e = &mut encoder;
        labelled(
            e,
            GAUGE,
            "cache_memory_bytes",
            "Bytes of answers held in memory, by cache",
            "cache",
            &memory,
        )?;
        if let Some(store) = &self.store {
            let usage = store.usage();
            single(
                e,
                GAUGE,
                "cache_disk_entries",
                "Answers kept in the on-disk store",
                usage.entries,
            )?;
            single(
                e,
                GAUGE,
                "cache_disk_bytes",
                "Bytes of answers in the on-disk store (keys and compressed answers)",
                usage.bytes,
            )?;
            single(
                e,
                GAUGE,
                "cache_disk_max_bytes",
                "The on-disk store's bound (CACHE_DISK_MAX_MB)",
                usage.max_bytes,
            )?;
            single(
                e,
                COUNTER,
                "cache_disk_evicted",
                "Answers evicted since start to stay within the bound",
                usage.evicted,
            )?;
            single(
                e,
                COUNTER,
                "cache_disk_dropped",
                "Stored answers dropped since start because they were torn or unreadable",
                usage.dropped,
            )?;
        }
        if self.store.is_some() {
            single(
                e,
                COUNTER,
                "cache_store_failures",
                "Store operations that failed since start (answers were fetched, budgets counted in memory meanwhile)",
                self.failures.load(Ordering::Relaxed),
            )?;
        }
        self.encode_budget(e)?;
        labelled(
            e,
            COUNTER,
            "cache_lookups_since_install",
            "Cache lookups since the store was created (since start when answers are kept in memory only), by result",
            "result",
            &self.usage.lookups(),
        )
    }
}

impl Scraped {
    /// Today's budget figures, as read when the scrape began.
    fn encode_budget(&self, e: &mut DescriptorEncoder) -> fmt::Result {
        let figures = self
            .budget
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some((limits, spending)) = figures else {
            return Ok(());
        };
        let set: Vec<(String, u64)> = [
            ("per_caller", limits.per_caller),
            ("per_dataset", limits.per_dataset),
        ]
        .into_iter()
        .filter_map(|(name, limit)| Some((name.to_owned(), limit?)))
        .collect();
        labelled(
            e,
            GAUGE,
            "budget_daily_limit",
            "Daily budgets of data-portal requests (DAILY_BUDGET_PER_CALLER, DAILY_BUDGET_PER_DATASET); an unset one is absent",
            "budget",
            &set,
        )?;
        let left = |spent: &[(String, u64)], limit: Option<u64>| -> Vec<(String, u64)> {
            limit.map_or_else(Vec::new, |limit| {
                spent
                    .iter()
                    .map(|(name, n)| (name.clone(), limit.saturating_sub(*n)))
                    .collect()
            })
        };
        // One figure, the one every answer's `source.budget` shows: what the budget charged.
        labelled(
            e,
            GAUGE,
            "upstream_requests_today",
            "Requests sent to the data portals today (Korean date; the daily quota resets at midnight KST), by dataset; every replica sharing the store together. The figure each dataset's daily budget counts",
            "dataset",
            &spending.datasets,
        )?;
        labelled(
            e,
            GAUGE,
            "budget_dataset_left_today",
            "Requests each dataset's daily budget still allows today (KST)",
            "dataset",
            &left(&spending.datasets, limits.per_dataset),
        )?;
        labelled(
            e,
            GAUGE,
            "budget_caller_spent_today",
            "Requests charged today (KST) to the callers who spent most, by subject",
            "caller",
            &spending.callers,
        )?;
        labelled(
            e,
            GAUGE,
            "budget_caller_left_today",
            "Requests the callers who spent most may still cause today (KST), by subject",
            "caller",
            &left(&spending.callers, limits.per_caller),
        )?;
        single(
            e,
            GAUGE,
            "budget_callers_today",
            "Callers who caused data-portal requests today (KST)",
            spending.callers_counted,
        )
    }
}

const GAUGE: MetricType = MetricType::Gauge;
const COUNTER: MetricType = MetricType::Counter;

/// One metric family with one label.
fn labelled(
    encoder: &mut DescriptorEncoder,
    kind: MetricType,
    name: &str,
    help: &str,
    label: &str,
    samples: &[(String, u64)],
) -> fmt::Result {
    let mut metric = encoder.encode_descriptor(name, help, None, kind)?;
    for (value, n) in samples {
        let labels = [(label, value.as_str())];
        value_of(kind, *n, metric.encode_family(&labels)?)?;
    }
    Ok(())
}

/// One metric without labels.
fn single(
    encoder: &mut DescriptorEncoder,
    kind: MetricType,
    name: &str,
    help: &str,
    n: u64,
) -> fmt::Result {
    value_of(kind, n, encoder.encode_descriptor(name, help, None, kind)?)
}

fn value_of(kind: MetricType, n: u64, encoder: MetricEncoder) -> fmt::Result {
    if kind == MetricType::Counter {
        ConstCounter::new(n).encode(encoder)
    } else {
        ConstGauge::new(i64::try_from(n).unwrap_or(i64::MAX)).encode(encoder)
    }
}
