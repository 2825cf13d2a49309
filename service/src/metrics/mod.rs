//! What the server does and what it costs, as Prometheus metrics on `GET /metrics`.
//!
//! One [`Metrics`] per server, shared by every layer: the HTTP routes count requests, the
//! MCP handler tool calls, the upstream clients their requests (each one spends quota), the
//! caches their lookups. Lookups since the cache was first used must survive a restart: they
//! live in [`Usage`] and reach the store. Today's upstream requests are the [`Budget`]'s
//! spending, read at each scrape, so the page and every answer's `source.budget` show one
//! figure.
//!
//! `/metrics` is served on the service's own port, which only the compose network reaches;
//! Caddy routes nothing but `/mcp` and the OAuth documents, so it is never public.
//! `real-estate-mcp status` reads the same page.

mod scraped;
mod usage;

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, info::Info},
    registry::Registry,
};

pub use usage::Usage;

use self::scraped::Scraped;
use crate::{
    budget::{Budget, BudgetLimits, Spending},
    store::{OpenedStore, Store},
};

/// The prefix of every metric name.
pub const PREFIX: &str = "real_estate_mcp";

/// What the server is, shown as the `build_info` metric.
#[derive(Debug, Clone)]
pub struct ServerInfo {
    /// `none` or `oauth`.
    pub auth_mode: &'static str,
    /// Where cached answers are kept.
    pub store: OpenedStore,
}

impl Default for ServerInfo {
    fn default() -> Self {
        Self {
            auth_mode: "none",
            store: OpenedStore::memory(),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ToolLabels {
    tool: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    dataset: &'static str,
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LookupLabels {
    cache: &'static str,
    result: &'static str,
}

/// How a cache answered, as counted in `cache_lookups_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// A fresh answer from memory.
    Hit,
    /// A fresh answer from the store (after a restart, or another process's fetch).
    DiskHit,
    /// The upstream was asked (whatever it answered).
    Miss,
    /// The upstream failed and an expired answer was served instead.
    Stale,
}

impl Lookup {
    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            Lookup::Hit => "hit",
            Lookup::DiskHit => "disk_hit",
            Lookup::Miss => "miss",
            Lookup::Stale => "stale",
        }
    }
}

/// A function reporting how many bytes a memory cache holds.
type MemoryProbe = Box<dyn Fn() -> u64 + Send + Sync>;

/// The budgets' figures as of the last scrape.
type BudgetFigures = Arc<Mutex<Option<(BudgetLimits, Spending)>>>;

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    tool_calls: Family<ToolLabels, Counter>,
    upstream: Family<UpstreamLabels, Counter>,
    lookups: Family<LookupLabels, Counter>,
    usage: Arc<Usage>,
    store: Option<Arc<dyn Store>>,
    memory: Probes,
    budget: Mutex<Option<Budget>>,
    budget_figures: BudgetFigures,
}

/// The memory caches' size probes, by cache name.
type Probes = Arc<Mutex<Vec<(&'static str, MemoryProbe)>>>;

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    /// Metrics of a memory-only server: for tests and clients built on their own.
    fn default() -> Self {
        Self::new(ServerInfo::default(), Usage::in_memory())
    }
}

impl Metrics {
    /// Metrics for a server described by `info`, with persisted counters from `usage`.
    pub fn new(info: ServerInfo, usage: Usage) -> Self {
        let mut registry = Registry::with_prefix(PREFIX);
        let requests = Family::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        let tool_calls = Family::default();
        registry.register(
            "tool_calls",
            "MCP tool calls, by tool and outcome (ok, error, rate_limited, protocol_error)",
            tool_calls.clone(),
        );
        let upstream = Family::default();
        registry.register(
            "upstream_requests",
            "Requests sent to the data portals (each counts against the daily quota), by \
             dataset and result (ok, a gateway code, an HTTP status, timeout, unreachable, \
             malformed)",
            upstream.clone(),
        );
        let lookups = Family::default();
        registry.register(
            "cache_lookups",
            "Cache lookups since start, by cache and result (hit, disk_hit, miss, stale)",
            lookups.clone(),
        );
        let mut labels = vec![
            ("version".to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
            ("auth_mode".to_owned(), info.auth_mode.to_owned()),
            ("cache_store".to_owned(), info.store.kind.to_owned()),
        ];
        if let Some(store) = &info.store.store {
            labels.push(("cache_location".to_owned(), store.location()));
        }
        if let Some(problem) = &info.store.problem {
            labels.push(("cache_problem".to_owned(), problem.clone()));
        }
        registry.register("build", "What this server is", Info::new(labels));
        let usage = Arc::new(usage);
        let memory = Probes::default();
        let budget_figures = BudgetFigures::default();
        registry.register_collector(Box::new(Scraped {
            usage: Arc::clone(&usage),
            store: info.store.store.clone(),
            failures: Arc::clone(&info.store.failures),
            memory: Arc::clone(&memory),
            budget: Arc::clone(&budget_figures),
        }));
        Self {
            registry,
            requests,
            tool_calls,
            upstream,
            lookups,
            usage,
            store: info.store.store,
            memory,
            budget: Mutex::default(),
            budget_figures,
        }
    }

    /// Reports `budget`'s spending (`upstream_requests_today`) and limits on every scrape.
    /// Without one (metrics built on their own, as in tests) those figures are absent.
    pub fn watch_budget(&self, budget: Budget) {
        *self.budget.lock().unwrap_or_else(PoisonError::into_inner) = Some(budget);
    }

    /// The metrics in the OpenMetrics text format, with the budgets' figures read now.
    pub async fn scrape(&self) -> String {
        let budget = self
            .budget
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(budget) = budget {
            let figures = budget.spending().await;
            *self
                .budget_figures
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(figures);
        }
        self.render()
    }

    /// Reports the bytes held by the memory cache `cache` on every scrape.
    pub fn watch_memory(
        &self,
        cache: &'static str,
        probe: impl Fn() -> u64 + Send + Sync + 'static,
    ) {
        self.memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((cache, Box::new(probe)));
    }

    /// Counts an HTTP request answered with `status` on `route` (a route pattern, never a raw
    /// path, so that the label set stays small).
    pub fn http_request(&self, route: &str, status: u16) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                status,
            })
            .inc();
    }

    /// Counts a tool call.
    pub fn tool_call(&self, tool: &str, outcome: &'static str) {
        self.tool_calls
            .get_or_create(&ToolLabels {
                tool: tool.to_owned(),
                outcome,
            })
            .inc();
    }

    /// Counts `requests` upstream requests for `dataset` that ended in `result`: every
    /// attempt the budget charged, including one that then failed to connect.
    pub fn upstream(&self, dataset: &'static str, result: &str, requests: u32) {
        if requests == 0 {
            return;
        }
        self.upstream
            .get_or_create(&UpstreamLabels {
                dataset,
                result: result.to_owned(),
            })
            .inc_by(u64::from(requests));
    }

    /// Counts a lookup in `cache`.
    pub fn lookup(&self, cache: &'static str, lookup: Lookup) {
        self.lookups
            .get_or_create(&LookupLabels {
                cache,
                result: lookup.label(),
            })
            .inc();
        self.usage.lookup(lookup.label());
    }

    /// The persisted counters.
    pub fn usage(&self) -> &Usage {
        &self.usage
    }

    /// Writes the persisted counters and the store's buffered writes.
    pub async fn persist(&self) {
        self.usage.persist().await;
        if let Some(store) = &self.store
            && let Err(error) = store.flush().await
        {
            log::warn!("{error}");
        }
    }

    /// The metrics in the OpenMetrics text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail; an encoder error would leave a partial page.
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            log::error!("metrics could not be encoded: {error}");
        }
        text
    }
}

#[cfg(test)]
mod tests;
