//! The cache of upstream answers: memory in front, the durable store behind.
//!
//! The user's daily data.go.kr quota is the scarce resource. A question asked twice must not
//! cost a second call, not even across a restart; two identical questions asked at once must
//! share one call; and when the portal fails (quota used up, 5xx, timeout) an expired answer
//! is better than none, provided the caller is told how old it is. Never, though, for a key
//! or permission error: those must reach the person who can fix them.
//!
//! A lookup goes: memory (fresh? done) → store (fresh? done) → upstream → on a failure that
//! allows it, the newest expired copy. Lookups of one key are serialised, so waiters see the
//! first one's answer (or its failure) instead of asking again; with a shared store, across
//! replicas too: the first to miss claims the fetch and the others read its stored answer.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, SystemTime},
};

use moka::{
    future::Cache,
    ops::compute::{CompResult, Op},
};
use tokio::time::Instant;

use crate::count::count_u32;

mod freshness;

pub use freshness::{Freshness, StaleReason, UpstreamFailure};

use crate::{
    budget::Budget,
    metrics::{Lookup, Metrics},
    store::{Store, Stored},
};

/// After a failure, how long an expired copy answers without asking the upstream again:
/// a portal whose quota is used up stays so until midnight, and each attempt costs time.
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// Longest a fetch is left to another replica: the upstream's timeout with a retry, after
/// which this one asks the upstream itself.
const CLAIM_FOR: Duration = Duration::from_secs(40);

/// How often a replica waiting for another's fetch looks whether it is done.
const CLAIM_POLL: Duration = Duration::from_millis(50);

/// A value the cache can keep in memory and rebuild from the store.
pub trait Cacheable: Clone + Send + Sync + 'static {
    /// Approximate bytes in memory, so the bound means something whether a month held three
    /// deals or three thousand.
    fn weight(&self) -> u32;

    /// Rebuilds the value from the bytes its fetch stored ([`Fetched::stored`]); `None`
    /// when they cannot be read, and the answer is then fetched again.
    fn restore(stored: &[u8], stored_at: SystemTime) -> Option<Self>;
}

/// What a successful fetch hands the cache.
pub struct Fetched<V> {
    /// The value callers get.
    pub value: V,
    /// What the store keeps to rebuild it: the upstream's own bytes, so that a newer
    /// version of this server reads them with its own parser.
    pub stored: Vec<u8>,
    /// How long the answer stays fresh.
    pub ttl: Duration,
}

/// What every response cache of a server shares: the durable store, if any, and metrics.
#[derive(Clone, Default)]
pub struct Backing {
    /// Where answers survive restarts; `None` keeps them in memory only.
    pub store: Option<Arc<dyn Store>>,
    /// Lookup counts and memory sizes.
    pub metrics: Arc<Metrics>,
    /// The daily budgets, counted where the store keeps them.
    pub budget: Budget,
}

#[derive(Clone)]
struct Entry<V> {
    value: V,
    stored_at: SystemTime,
    fresh_until: SystemTime,
}

impl<V> Entry<V> {
    fn is_fresh(&self, now: SystemTime) -> bool {
        now < self.fresh_until
    }

    fn age(&self, now: SystemTime) -> Duration {
        now.duration_since(self.stored_at).unwrap_or_default()
    }
}

/// What a claim on a fetch came to.
enum Claim<V> {
    /// This process fetches, and releases the claim after storing the answer.
    Ours,
    /// Another replica fetched while this one waited: its answer.
    AnotherFetched(Entry<V>),
    /// No claim is held (no store, or waiting took too long): this process fetches.
    Unshared,
}

#[derive(Clone)]
struct Failure<E> {
    at: Instant,
    error: E,
}

/// A memory cache bounded in bytes, backed by the server's store, for one kind of answer.
#[derive(Clone)]
pub struct ResponseCache<V, E> {
    name: &'static str,
    memory: Cache<String, Entry<V>>,
    failures: Cache<String, Failure<E>>,
    store: Option<Arc<dyn Store>>,
    metrics: Arc<Metrics>,
    retry_after_failure: Duration,
}

impl<V: Cacheable, E: UpstreamFailure> ResponseCache<V, E> {
    /// A cache named `name` (its metrics label and its keys' prefix in the store) holding at
    /// most about `max_bytes` in memory.
    pub fn new(name: &'static str, max_bytes: u64, backing: &Backing) -> Self {
        let memory = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Entry<V>| {
                let key_len = count_u32(key.len());
                entry.value.weight().saturating_add(key_len)
            })
            .build();
        let probe = memory.clone();
        backing
            .metrics
            .watch_memory(name, move || probe.weighted_size());
        Self {
            name,
            memory,
            failures: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(RETRY_AFTER_FAILURE)
                .build(),
            store: backing.store.clone(),
            metrics: Arc::clone(&backing.metrics),
            retry_after_failure: RETRY_AFTER_FAILURE,
        }
    }

    /// Returns the answer for `key`: fresh from memory or the store, else from `fetch`, else
    /// (when the failure allows it) the newest expired copy.
    ///
    /// Callers with the same key wait for one another, so a burst of identical questions
    /// costs one fetch, and a fetch that fails is not repeated by those who waited for it.
    pub async fn get_or_fetch<F>(&self, key: &str, fetch: F) -> Result<(V, Freshness), E>
    where
        F: Future<Output = Result<Fetched<V>, E>>,
    {
        let arrived = Instant::now();
        if let Some(entry) = self.memory.get(key).await
            && entry.is_fresh(SystemTime::now())
        {
            if let Some(store) = &self.store {
                store.touch(&self.store_key(key));
            }
            return Ok(self.answer(entry, Lookup::Hit, None));
        }
        let mut how = (Lookup::Miss, None);
        let computed = self
            .memory
            .entry_by_ref(key)
            .and_try_compute_with(|existing| {
                self.refresh(
                    key,
                    existing.map(|e| e.into_value()),
                    arrived,
                    fetch,
                    &mut how,
                )
            })
            .await;
        let entry = match computed {
            Ok(
                CompResult::Inserted(entry)
                | CompResult::ReplacedWith(entry)
                | CompResult::Unchanged(entry)
                | CompResult::Removed(entry),
            ) => entry.into_value(),
            Ok(CompResult::StillNone(_)) => unreachable!("refresh always puts an entry"),
            Err(error) => {
                self.metrics.lookup(self.name, Lookup::Miss);
                self.metrics.usage().persist().await;
                return Err(error);
            }
        };
        let answer = self.answer(entry, how.0, how.1);
        if how.0 != Lookup::Hit && how.0 != Lookup::DiskHit {
            // The upstream was asked: write the usage counters now rather than at the next
            // periodic write, so that a crash cannot lose what `status` reports. The store's
            // own buffered writes (recency marks) wait for the periodic flush.
            self.metrics.usage().persist().await;
        }
        Ok(answer)
    }

    /// The fresh answer for `key`, from memory or the store, without fetching: what a fetch
    /// would cost is estimated from it. An expired copy is `None`, since asking for it
    /// would cost requests. A copy read from the store is kept in memory, so the fetch that
    /// usually follows does not read it again. Not counted as a lookup.
    pub async fn peek(&self, key: &str) -> Option<V> {
        let now = SystemTime::now();
        if let Some(entry) = self.memory.get(key).await
            && entry.is_fresh(now)
        {
            return Some(entry.value);
        }
        let stored = self.read_store(key).await?;
        if !stored.is_fresh(now) {
            return None;
        }
        let value = stored.value.clone();
        self.memory.insert(key.to_owned(), stored).await;
        Some(value)
    }

    /// The work done under the key's lock; `how` records where the answer came from.
    async fn refresh<F>(
        &self,
        key: &str,
        existing: Option<Entry<V>>,
        arrived: Instant,
        fetch: F,
        how: &mut (Lookup, Option<StaleReason>),
    ) -> Result<Op<Entry<V>>, E>
    where
        F: Future<Output = Result<Fetched<V>, E>>,
    {
        let now = SystemTime::now();
        let mut fallback = None;
        if let Some(entry) = existing {
            if entry.is_fresh(now) {
                // Whoever held the lock before us refreshed it.
                how.0 = Lookup::Hit;
                return Ok(Op::Put(entry));
            }
            fallback = Some(entry);
        }
        if let Some(stored) = self.read_store(key).await {
            if stored.is_fresh(now) {
                how.0 = Lookup::DiskHit;
                return Ok(Op::Put(stored));
            }
            if fallback
                .as_ref()
                .is_none_or(|f| f.stored_at < stored.stored_at)
            {
                fallback = Some(stored);
            }
        }
        if let Some(failure) = self.failures.get(key).await {
            let shared = failure.at >= arrived;
            let recent = failure.at.elapsed() < self.retry_after_failure;
            match (failure.error.stale_reason(), fallback) {
                (Some(reason), Some(entry)) if shared || recent => {
                    *how = (Lookup::Stale, Some(reason));
                    return Ok(Op::Put(entry));
                }
                (_, _) if shared => return Err(failure.error),
                (_, entry) => fallback = entry,
            }
        }
        let ours = match self.claim(key).await {
            Claim::AnotherFetched(entry) => {
                how.0 = Lookup::DiskHit;
                return Ok(Op::Put(entry));
            }
            Claim::Ours => true,
            Claim::Unshared => false,
        };
        let fetched = fetch.await;
        let outcome = match fetched {
            Ok(fetched) => {
                self.failures.invalidate(key).await;
                let now = SystemTime::now();
                let entry = Entry {
                    value: fetched.value,
                    stored_at: now,
                    fresh_until: now + fetched.ttl,
                };
                self.write_store(key, fetched.stored, &entry).await;
                Ok(Op::Put(entry))
            }
            Err(error) => {
                let failure = Failure {
                    at: Instant::now(),
                    error: error.clone(),
                };
                self.failures.insert(key.to_owned(), failure).await;
                match (error.stale_reason(), fallback) {
                    (Some(reason), Some(entry)) => {
                        *how = (Lookup::Stale, Some(reason));
                        Ok(Op::Put(entry))
                    }
                    _ => Err(error),
                }
            }
        };
        if ours && let Some(store) = &self.store {
            // After the answer is stored: replicas waiting for it find it there.
            store.release(self.store_key(key)).await;
        }
        outcome
    }

    /// Claims the fetch of `key` in a shared store, or waits for the replica that holds it
    /// and takes its answer. A claim that lapses (that replica died) or an answer that does
    /// not come (its fetch failed) leaves the fetch to this one.
    async fn claim(&self, key: &str) -> Claim<V> {
        let Some(store) = &self.store else {
            return Claim::Unshared;
        };
        let store_key = self.store_key(key);
        let deadline = Instant::now() + CLAIM_FOR;
        let mut waited = false;
        loop {
            if store.claim(store_key.clone(), CLAIM_FOR).await {
                break;
            }
            waited = true;
            if Instant::now() >= deadline {
                return Claim::Unshared;
            }
            tokio::time::sleep(CLAIM_POLL).await;
        }
        if waited
            && let Some(entry) = self.read_store(key).await
            && entry.is_fresh(SystemTime::now())
        {
            store.release(store_key).await;
            return Claim::AnotherFetched(entry);
        }
        Claim::Ours
    }

    fn answer(&self, entry: Entry<V>, how: Lookup, reason: Option<StaleReason>) -> (V, Freshness) {
        self.metrics.lookup(self.name, how);
        let age = entry.age(SystemTime::now());
        let freshness = match (how, reason) {
            (Lookup::Miss, _) => Freshness::Live,
            (_, Some(reason)) => Freshness::Stale { age, reason },
            (_, None) => Freshness::Cached { age },
        };
        (entry.value, freshness)
    }

    fn store_key(&self, key: &str) -> String {
        format!("{}/{key}", self.name)
    }

    /// The stored copy of `key`, if any can be read. A store failure is a miss, not an error:
    /// the upstream can still answer.
    async fn read_store(&self, key: &str) -> Option<Entry<V>> {
        let store = self.store.as_ref()?;
        let stored = match store.get(self.store_key(key)).await {
            Ok(stored) => stored?,
            Err(error) => {
                log::warn!("{error}");
                return None;
            }
        };
        // Rebuilding parses the upstream's pages (milliseconds for a busy month): off the
        // async workers, so other requests are not held up meanwhile.
        let (body, stored_at) = (stored.body, stored.stored_at);
        let restored = tokio::task::spawn_blocking(move || V::restore(&body, stored_at)).await;
        let Some(value) = restored.ok().flatten() else {
            log::warn!(
                "cache: the stored copy of {key} could not be read by this version; fetching it again"
            );
            return None;
        };
        Some(Entry {
            value,
            stored_at: stored.stored_at,
            fresh_until: stored.fresh_until,
        })
    }

    async fn write_store(&self, key: &str, body: Vec<u8>, entry: &Entry<V>) {
        let Some(store) = &self.store else {
            return;
        };
        let stored = Stored {
            body,
            stored_at: entry.stored_at,
            fresh_until: entry.fresh_until,
        };
        if let Err(error) = store.put(self.store_key(key), stored).await {
            log::warn!("{error}");
        }
    }
}

#[cfg(test)]
mod tests;
