//! The shared store for several replicas: Redis or Valkey at `CACHE_URL`.
//!
//! Why the `redis` crate: it is the maintained Rust client for both servers, async on tokio,
//! and its connection manager reconnects by itself after the server restarts or the network
//! drops, so one replica's connection survives a Valkey restart without our code noticing;
//! TLS (`rediss://`) goes through rustls like every other connection of this server.
//!
//! What is shared: cached answers (so a month one replica fetched costs the others nothing),
//! the budgets' day counters (one atomic script per charge, so two replicas cannot both spend
//! the last request), the usage counters behind `status`, and a short claim per miss so that
//! replicas asking for the same month at once send one request. What is not: each replica's
//! memory cache in front (answers are immutable once fetched, so a copy cannot go wrong).
//!
//! Redis going away mid-run never breaks an answer: reads are misses, writes are skipped,
//! the budgets count in memory, each failure is counted (`cache_store_failures_total`) and the
//! first of an outage is logged. Only at startup is an unreachable server an error.

mod spending;

use std::{
    hash::{BuildHasher, RandomState},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime},
};

use futures::future::{BoxFuture, FutureExt};
use redis::{
    AsyncCommands, Client, Script,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

use super::{
    Store, StoreError, StoreUsage, Stored,
    encoding::{decode, encode},
};
use crate::outage::Outage;

/// Every key this server writes starts so, with the layout's version: a Redis shared with
/// other programs is left alone, and a later layout never misreads this one.
const PREFIX: &str = "real-estate-mcp:1:";

/// How long an expired answer is kept to stand in when the portal fails.
const KEEP_EXPIRED: Duration = Duration::from_secs(30 * 86_400);

/// Longest wait for one Redis command: past it the answer is fetched from the portal instead.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);

/// Deletes a claim only if it is still ours (it may have lapsed and been taken by another).
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// Redis or Valkey shared by the replicas. Cheap to clone.
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

struct Inner {
    connection: ConnectionManager,
    location: String,
    /// Tells this process's claims from other replicas'.
    token: String,
    outage: Outage,
    release: Script,
    charge: Script,
    entries: AtomicU64,
    bytes: AtomicU64,
    max_bytes: AtomicU64,
}

impl RedisStore {
    /// Connects to `url` and checks the server answers; failures are added to `failures`.
    pub async fn connect(url: &str, failures: Arc<AtomicU64>) -> Result<Self, StoreError> {
        let location = redacted(url);
        let client = Client::open(url)
            .map_err(|e| StoreError(format!("CACHE_URL ({location}) is not usable: {e}")))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let unreachable = |e: redis::RedisError| {
            StoreError(format!(
                "the shared cache at {location} (CACHE_URL) does not answer: {e}. Start it \
                 (with the replicas file: `docker compose -f docker-compose.yml -f \
                 docker-compose.replicas.yml up -d`), fix CACHE_URL, or remove CACHE_URL to \
                 keep the cache on this machine"
            ))
        };
        let mut connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(unreachable)?;
        let _: String = redis::cmd("PING")
            .query_async(&mut connection)
            .await
            .map_err(unreachable)?;
        let token = format!("{:016x}", RandomState::new().hash_one(SystemTime::now()));
        let store = Self {
            inner: Arc::new(Inner {
                connection,
                outage: Outage::new(
                    format!("the shared cache at {location}"),
                    "answers are fetched from the portals and budgets counted in memory until \
                     it answers again",
                    failures,
                ),
                location,
                token,
                release: Script::new(RELEASE),
                charge: Script::new(spending::CHARGE),
                entries: AtomicU64::new(0),
                bytes: AtomicU64::new(0),
                max_bytes: AtomicU64::new(0),
            }),
        };
        store.refresh_usage().await;
        Ok(store)
    }

    fn connection(&self) -> ConnectionManager {
        self.inner.connection.clone()
    }

    /// An error without trying, while an outage says not to try yet.
    fn reachable(&self) -> Result<(), StoreError> {
        if self.inner.outage.should_try() {
            Ok(())
        } else {
            Err(StoreError("the shared cache does not answer".into()))
        }
    }

    /// Reads the server's size figures (`DBSIZE`, `INFO memory`) for metrics and `status`.
    async fn refresh_usage(&self) {
        let mut connection = self.connection();
        let figures: redis::RedisResult<(u64, String)> = redis::pipe()
            .cmd("DBSIZE")
            .cmd("INFO")
            .arg("memory")
            .query_async(&mut connection)
            .await;
        if let Some((entries, info)) = self.inner.outage.note(figures) {
            let field = |name: &str| {
                info.lines()
                    .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(0)
            };
            let inner = &self.inner;
            inner.entries.store(entries, Ordering::Relaxed);
            inner.bytes.store(field("used_memory"), Ordering::Relaxed);
            inner.max_bytes.store(field("maxmemory"), Ordering::Relaxed);
        }
    }
}

/// `CACHE_URL` without its password, for the log and `status`.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "an unreadable URL".to_owned(),
    }
}

fn answer_key(key: &str) -> String {
    format!("{PREFIX}answer:{key}")
}

fn claim_key(key: &str) -> String {
    format!("{PREFIX}fetching:{key}")
}

const COUNTERS: &str = "real-estate-mcp:1:counters";

impl Store for RedisStore {
    fn location(&self) -> String {
        self.inner.location.clone()
    }

    fn get(&self, key: String) -> BoxFuture<'static, Result<Option<Stored>, StoreError>> {
        let store = self.clone();
        async move {
            if !store.inner.outage.should_try() {
                return Ok(None);
            }
            let mut connection = store.connection();
            let read: redis::RedisResult<Option<Vec<u8>>> = connection.get(answer_key(&key)).await;
            let Some(bytes) = store.inner.outage.note(read).flatten() else {
                return Ok(None);
            };
            // Inflating a month takes a millisecond or two: off the async workers.
            let decoded = tokio::task::spawn_blocking(move || {
                let stored = decode(&key, &bytes);
                (key, stored)
            })
            .await
            .map_err(|e| StoreError(format!("the store's worker stopped: {e}")))?;
            match decoded {
                (_, Some(stored)) => Ok(Some(stored)),
                (key, None) => {
                    log::warn!("cache: the shared copy of {key} is torn; dropped");
                    let _: redis::RedisResult<()> = connection.del(answer_key(&key)).await;
                    Ok(None)
                }
            }
        }
        .boxed()
    }

    fn put(&self, key: String, stored: Stored) -> BoxFuture<'static, Result<(), StoreError>> {
        let store = self.clone();
        async move {
            if !store.inner.outage.should_try() {
                return Ok(());
            }
            let lifetime = stored
                .fresh_until
                .duration_since(SystemTime::now())
                .unwrap_or_default()
                + KEEP_EXPIRED;
            let (key, bytes) = tokio::task::spawn_blocking(move || {
                let bytes = encode(&key, &stored);
                (key, bytes)
            })
            .await
            .map_err(|e| StoreError(format!("the store's worker stopped: {e}")))?;
            let mut connection = store.connection();
            let millis = u64::try_from(lifetime.as_millis()).unwrap_or(u64::MAX);
            let written: redis::RedisResult<()> =
                connection.pset_ex(answer_key(&key), bytes?, millis).await;
            store.inner.outage.note(written);
            Ok(())
        }
        .boxed()
    }

    /// Redis keeps its own recency for eviction (`maxmemory-policy allkeys-lru`).
    fn touch(&self, _key: &str) {}

    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        let store = self.clone();
        async move {
            if store.inner.outage.should_try() {
                store.refresh_usage().await;
            }
            Ok(())
        }
        .boxed()
    }

    fn usage(&self) -> StoreUsage {
        let inner = &self.inner;
        StoreUsage {
            entries: inner.entries.load(Ordering::Relaxed),
            bytes: inner.bytes.load(Ordering::Relaxed),
            max_bytes: inner.max_bytes.load(Ordering::Relaxed),
            dropped: 0,
            evicted: 0,
        }
    }

    fn counters(&self) -> BoxFuture<'static, Result<Vec<(String, u64)>, StoreError>> {
        let store = self.clone();
        async move {
            store.reachable()?;
            let mut connection = store.connection();
            let read: redis::RedisResult<Vec<(String, u64)>> = connection.hgetall(COUNTERS).await;
            store
                .inner
                .outage
                .note(read)
                .ok_or_else(|| StoreError("the shared cache does not answer".into()))
        }
        .boxed()
    }

    fn add_counters(
        &self,
        deltas: Vec<(String, u64)>,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let store = self.clone();
        async move {
            store.reachable()?;
            let mut pipe = redis::pipe();
            pipe.atomic();
            for (name, delta) in &deltas {
                pipe.hincr(COUNTERS, name, *delta).ignore();
            }
            let mut connection = store.connection();
            let written: redis::RedisResult<()> = pipe.query_async(&mut connection).await;
            store
                .inner
                .outage
                .note(written)
                .ok_or_else(|| StoreError("the shared cache does not answer".into()))
        }
        .boxed()
    }

    fn remove_counters(&self, names: Vec<String>) -> BoxFuture<'static, Result<(), StoreError>> {
        let store = self.clone();
        async move {
            store.reachable()?;
            let mut connection = store.connection();
            let removed: redis::RedisResult<()> = connection.hdel(COUNTERS, names).await;
            store
                .inner
                .outage
                .note(removed)
                .ok_or_else(|| StoreError("the shared cache does not answer".into()))
        }
        .boxed()
    }

    fn claim(&self, key: String, ttl: Duration) -> BoxFuture<'static, bool> {
        let store = self.clone();
        async move {
            if !store.inner.outage.should_try() {
                return true;
            }
            let mut connection = store.connection();
            let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
            let claimed: redis::RedisResult<Option<String>> = redis::cmd("SET")
                .arg(claim_key(&key))
                .arg(&store.inner.token)
                .arg("NX")
                .arg("PX")
                .arg(millis)
                .query_async(&mut connection)
                .await;
            // Without Redis there is no one to wait for: fetch.
            store
                .inner
                .outage
                .note(claimed)
                .is_none_or(|ok| ok.is_some())
        }
        .boxed()
    }

    fn release(&self, key: String) -> BoxFuture<'static, ()> {
        let store = self.clone();
        async move {
            if !store.inner.outage.should_try() {
                return;
            }
            let mut connection = store.connection();
            let released: redis::RedisResult<i64> = store
                .inner
                .release
                .key(claim_key(&key))
                .arg(&store.inner.token)
                .invoke_async(&mut connection)
                .await;
            store.inner.outage.note(released);
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_location_never_shows_a_password() {
        let shown = redacted("rediss://default:s3cret@valkey:6380/0");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("valkey:6380"), "{shown}");
    }
}
