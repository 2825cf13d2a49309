//! Durable storage under the response caches: upstream answers that survive a restart, and
//! the usage counters that must too.
//!
//! One trait, [`Store`], so that where the answers live is a choice made at startup: the
//! embedded SQLite file ([`SqliteStore`], the default) or nothing at all (memory only). A
//! store shared by several replicas plugs in here the same way. The same store keeps the
//! budgets' day counters ([`FallibleUsage`]).

mod encoding;
mod shared;
mod sqlite;

use std::{
    fmt,
    path::PathBuf,
    sync::{Arc, atomic::AtomicU64},
    time::{Duration, SystemTime},
};

use futures::future::{BoxFuture, FutureExt};

use crate::budget::{FallibleUsage, MemoryUsage, UsageStore, WithFallback};

pub use shared::{RedisStore, redacted};
pub use sqlite::{FILE_NAME, FORMAT_VERSION, SqliteStore};

/// One stored answer: the bytes a client encoded and when they stop being fresh.
#[derive(Clone, PartialEq, Eq)]
pub struct Stored {
    /// The answer as the client encoded it (the upstream bodies, as they arrived).
    pub body: Vec<u8>,
    /// When the upstream answered.
    pub stored_at: SystemTime,
    /// After this the answer is expired: it is served only when the upstream fails.
    pub fresh_until: SystemTime,
}

impl fmt::Debug for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stored")
            .field("body", &format_args!("{} bytes", self.body.len()))
            .field("stored_at", &self.stored_at)
            .field("fresh_until", &self.fresh_until)
            .finish()
    }
}

/// How full a store is, for metrics and `status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreUsage {
    /// Answers kept.
    pub entries: u64,
    /// Bytes they take (keys and compressed answers; the file adds SQLite's page overhead).
    pub bytes: u64,
    /// The bound on `bytes`; the least recently used answers go first.
    pub max_bytes: u64,
    /// Answers dropped since start because they failed their checksum or could not be read.
    pub dropped: u64,
    /// Answers evicted since start to stay within `max_bytes`.
    pub evicted: u64,
}

/// A store that failed; the caches carry on without it for that request.
#[derive(Debug, thiserror::Error)]
#[error("cache store: {0}")]
pub struct StoreError(pub String);

/// Durable key–value storage for cached answers, plus named counters.
///
/// Methods take owned arguments and return `'static` futures so that an implementation can
/// move the work to a blocking thread (SQLite) or a connection (a network store).
pub trait Store: Send + Sync + 'static {
    /// Where the answers are kept, for the log and `status` (never a credential).
    fn location(&self) -> String;
    /// The answer stored under `key`; `None` when there is none, or when the stored copy
    /// was torn or unreadable (it is then dropped, never served).
    fn get(&self, key: String) -> BoxFuture<'static, Result<Option<Stored>, StoreError>>;
    /// Stores an answer under `key`, replacing any earlier one, evicting the least recently
    /// used answers to stay within the bound.
    fn put(&self, key: String, stored: Stored) -> BoxFuture<'static, Result<(), StoreError>>;
    /// Notes that `key` was just used from memory, so eviction keeps it; written by `flush`.
    fn touch(&self, key: &str);
    /// Writes what is buffered (uses noted by `touch`).
    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>>;
    /// Current size and bound.
    fn usage(&self) -> StoreUsage;
    /// Every counter and its value.
    fn counters(&self) -> BoxFuture<'static, Result<Vec<(String, u64)>, StoreError>>;
    /// Adds each delta to its counter (created at zero).
    fn add_counters(
        &self,
        deltas: Vec<(String, u64)>,
    ) -> BoxFuture<'static, Result<(), StoreError>>;
    /// Deletes counters that are no longer needed (e.g. days long past).
    fn remove_counters(&self, names: Vec<String>) -> BoxFuture<'static, Result<(), StoreError>>;
    /// Claims the fetch of `key` for at most `ttl`, so that other processes sharing the store
    /// wait for its answer rather than spend a request on it too; `false` while another holds
    /// it. A store only one server uses has no one to wait for: always `true`.
    fn claim(&self, key: String, ttl: Duration) -> BoxFuture<'static, bool> {
        let _ = (key, ttl);
        futures::future::ready(true).boxed()
    }
    /// Gives up a claim made by [`Store::claim`] (it would lapse by itself after its `ttl`).
    fn release(&self, key: String) -> BoxFuture<'static, ()> {
        let _ = key;
        futures::future::ready(()).boxed()
    }
}

/// Where cached answers are kept, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSettings {
    /// Only in memory: lost on restart (`CACHE_STORE=memory`).
    Memory,
    /// In a SQLite file in `dir`, at most `max_bytes` of answers (`CACHE_STORE=disk`).
    Disk {
        /// The directory (`CACHE_DIR`).
        dir: PathBuf,
        /// The bound (`CACHE_DISK_MAX_MB`).
        max_bytes: u64,
    },
    /// In Redis or Valkey shared by replicas (`CACHE_URL`).
    Shared(SharedUrl),
}

/// `CACHE_URL`, which may hold a password: shown only redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct SharedUrl(pub String);

impl fmt::Debug for SharedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redacted(&self.0))
    }
}

/// The store in use and why, for the log, metrics and `status`.
#[derive(Clone)]
pub struct OpenedStore {
    /// The store, or `None` when answers are kept in memory only.
    pub store: Option<Arc<dyn Store>>,
    /// Where the budget counters persist with the answers; `None`: in memory only.
    pub spending: Option<Arc<dyn FallibleUsage>>,
    /// `disk`, `redis` or `memory`: what is really in use.
    pub kind: &'static str,
    /// Why a configured disk store is not in use, when it is not.
    pub problem: Option<String>,
    /// Operations the store failed since start (the server carried on without it).
    pub failures: Arc<AtomicU64>,
}

impl fmt::Debug for OpenedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenedStore")
            .field("location", &self.store.as_ref().map(|s| s.location()))
            .field("kind", &self.kind)
            .field("problem", &self.problem)
            .finish()
    }
}

impl OpenedStore {
    /// Memory only, as configured.
    pub fn memory() -> Self {
        Self {
            store: None,
            spending: None,
            kind: "memory",
            problem: None,
            failures: Arc::default(),
        }
    }

    /// Where the budgets count: with the answers, in memory while that store fails; in
    /// memory only without one.
    pub fn budget_usage(&self) -> Arc<dyn UsageStore> {
        match &self.spending {
            Some(store) => Arc::new(WithFallback::new(
                Arc::clone(store),
                Arc::clone(&self.failures),
            )),
            None => Arc::new(MemoryUsage::default()),
        }
    }

    /// Opens the configured store. A disk store that cannot be opened is not fatal: the
    /// server runs from memory, says so in the log and in `status`, and the quota is spent
    /// as before the cache was persistent. A shared store that does not answer is: replicas
    /// that each count their own budget would spend the quota several times over.
    pub async fn open(settings: &StoreSettings) -> Result<Self, StoreError> {
        Ok(match settings {
            StoreSettings::Memory => Self::memory(),
            StoreSettings::Shared(url) => {
                let failures = Arc::default();
                let store = RedisStore::connect(&url.0, Arc::clone(&failures)).await?;
                log::info!(
                    "cache: answers and budgets shared in {} (CACHE_URL)",
                    store.location()
                );
                Self {
                    store: Some(Arc::new(store.clone())),
                    spending: Some(Arc::new(store)),
                    kind: "redis",
                    problem: None,
                    failures,
                }
            }
            StoreSettings::Disk { dir, max_bytes } => match SqliteStore::open(dir, *max_bytes) {
                Ok(store) => {
                    log::info!(
                        "cache: answers kept on disk in {} (at most {} MB)",
                        store.location(),
                        max_bytes >> 20
                    );
                    Self {
                        store: Some(Arc::new(store.clone())),
                        spending: Some(Arc::new(store)),
                        kind: "disk",
                        problem: None,
                        failures: Arc::default(),
                    }
                }
                Err(error) => {
                    let problem = format!(
                        "{error}. Answers are kept in memory only until this is fixed: make \
                         CACHE_DIR ({}) a directory this server can write (in Docker, the \
                         `cache` volume), or set CACHE_STORE=memory to silence this.",
                        dir.display()
                    );
                    log::error!("cache: {problem}");
                    Self {
                        problem: Some(problem),
                        ..Self::memory()
                    }
                }
            },
        })
    }
}

/// Milliseconds since the Unix epoch, the stores' time unit (0 before 1970).
pub fn unix_millis(time: SystemTime) -> i64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The time `millis` after the Unix epoch (the epoch itself for negative values).
pub fn from_unix_millis(millis: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}
