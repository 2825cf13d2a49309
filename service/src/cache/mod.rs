//! A bounded in-memory cache of upstream answers.
//!
//! The user's daily data.go.kr quota is the scarce resource: a question asked twice must not
//! cost a second call, and two identical questions asked at once must share one call. Errors
//! are never stored, so a passing failure does not stick.

use std::{future::Future, sync::Arc, time::Duration};

use moka::{Expiry, future::Cache};
use tokio::time::Instant;

/// How much memory a cached value is worth, roughly in bytes, so the bound means something
/// whether a month held three deals or three thousand.
pub trait CacheWeight {
    /// Approximate size in bytes.
    fn weight(&self) -> u32;
}

/// Where an answer came from, reported to the caller as the data's freshness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Fetched from the upstream service for this request.
    Live,
    /// Served from memory; `age` is how long ago it was fetched.
    Cached {
        /// Time since the upstream answered.
        age: Duration,
    },
}

#[derive(Clone)]
struct Entry<V> {
    value: V,
    ttl: Duration,
    stored_at: Instant,
}

struct PerEntryTtl;

impl<V> Expiry<String, Entry<V>> for PerEntryTtl {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Entry<V>,
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// A size-bounded cache whose entries each carry their own time to live.
#[derive(Clone)]
pub struct ResponseCache<V> {
    inner: Cache<String, Entry<V>>,
}

impl<V> ResponseCache<V>
where
    V: CacheWeight + Clone + Send + Sync + 'static,
{
    /// A cache holding at most about `max_bytes` of values.
    pub fn new(max_bytes: u64) -> Self {
        let inner = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Entry<V>| {
                let key_len = u32::try_from(key.len()).unwrap_or(u32::MAX);
                entry.value.weight().saturating_add(key_len)
            })
            .expire_after(PerEntryTtl)
            .build();
        Self { inner }
    }

    /// Returns the cached value for `key`, or runs `fetch` once to produce it.
    ///
    /// Concurrent callers with the same key wait for the same `fetch`. `fetch` returns the
    /// value and how long it may be kept; an error is handed to every waiter and not stored.
    pub async fn get_or_fetch<F, E>(&self, key: String, fetch: F) -> Result<(V, Freshness), Arc<E>>
    where
        F: Future<Output = Result<(V, Duration), E>>,
        E: Send + Sync + 'static,
    {
        let entry = self
            .inner
            .entry(key)
            .or_try_insert_with(async {
                let (value, ttl) = fetch.await?;
                Ok(Entry {
                    value,
                    ttl,
                    stored_at: Instant::now(),
                })
            })
            .await?;
        let fresh = entry.is_fresh();
        let entry = entry.into_value();
        let freshness = if fresh {
            Freshness::Live
        } else {
            Freshness::Cached {
                age: entry.stored_at.elapsed(),
            }
        };
        Ok((entry.value, freshness))
    }

    /// Number of live entries (approximate; for diagnostics and tests).
    pub fn entry_count(&self) -> u64 {
        self.inner.entry_count()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Blob(String);

    impl CacheWeight for Blob {
        fn weight(&self) -> u32 {
            self.0.len() as u32
        }
    }

    #[tokio::test]
    async fn a_repeated_key_is_fetched_once() {
        let cache = ResponseCache::new(1 << 20);
        let calls = AtomicU32::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok::<_, String>((Blob("a".into()), Duration::from_secs(60)))
        };
        let (first, f1) = cache.get_or_fetch("k".into(), fetch()).await.unwrap();
        let (second, f2) = cache.get_or_fetch("k".into(), fetch()).await.unwrap();
        assert_eq!(first, second);
        assert_eq!(f1, Freshness::Live);
        assert!(matches!(f2, Freshness::Cached { .. }));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn concurrent_misses_share_one_fetch() {
        let cache = ResponseCache::new(1 << 20);
        let calls = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let cache = cache.clone();
            let calls = calls.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch("same".into(), async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, String>((Blob("v".into()), Duration::from_secs(60)))
                    })
                    .await
                    .unwrap()
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn errors_are_not_cached() {
        let cache: ResponseCache<Blob> = ResponseCache::new(1 << 20);
        let failed = cache
            .get_or_fetch("k".into(), async { Err::<(Blob, Duration), _>("down") })
            .await;
        assert_eq!(failed.unwrap_err().as_ref(), &"down");
        let (value, freshness) = cache
            .get_or_fetch("k".into(), async {
                Ok::<_, &str>((Blob("ok".into()), Duration::from_secs(60)))
            })
            .await
            .unwrap();
        assert_eq!(value, Blob("ok".into()));
        assert_eq!(freshness, Freshness::Live);
    }

    #[tokio::test]
    async fn entries_expire_after_their_own_ttl() {
        let cache = ResponseCache::new(1 << 20);
        let short = || async { Ok::<_, String>((Blob("v".into()), Duration::from_millis(30))) };
        cache.get_or_fetch("k".into(), short()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(80)).await;
        let (_, freshness) = cache.get_or_fetch("k".into(), short()).await.unwrap();
        assert_eq!(freshness, Freshness::Live);
    }
}
