use std::sync::atomic::{AtomicU32, Ordering};

use super::*;
use crate::store::SqliteStore;

#[derive(Clone, Debug, PartialEq)]
struct Blob(String);

impl Cacheable for Blob {
    fn weight(&self) -> u32 {
        self.0.len() as u32
    }

    fn restore(stored: &[u8], _stored_at: SystemTime) -> Option<Self> {
        let text = String::from_utf8(stored.to_vec()).ok()?;
        (text != "unreadable").then_some(Blob(text))
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Down {
    Failing,
    KeyRejected,
}

impl UpstreamFailure for Down {
    fn stale_reason(&self) -> Option<StaleReason> {
        match self {
            Down::Failing => Some(StaleReason::Unavailable),
            Down::KeyRejected => None,
        }
    }
}

type TestCache = ResponseCache<Blob, Down>;

fn memory_only() -> TestCache {
    ResponseCache::new("test", 1 << 20, &Backing::default())
}

fn on_disk(dir: &std::path::Path) -> (TestCache, Arc<Metrics>) {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir, 1 << 20).unwrap());
    let backing = Backing {
        store: Some(store),
        metrics: Arc::new(Metrics::default()),
        ..Backing::default()
    };
    (
        ResponseCache::new("test", 1 << 20, &backing),
        backing.metrics,
    )
}

fn fetched(text: &str, ttl: Duration) -> Result<Fetched<Blob>, Down> {
    Ok(Fetched {
        value: Blob(text.into()),
        stored: text.as_bytes().to_vec(),
        ttl,
    })
}

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn a_repeated_key_is_fetched_once() {
    let cache = memory_only();
    let calls = AtomicU32::new(0);
    let fetch = || async {
        calls.fetch_add(1, Ordering::SeqCst);
        fetched("a", MINUTE)
    };
    let (first, f1) = cache.get_or_fetch("k", fetch()).await.unwrap();
    let (second, f2) = cache.get_or_fetch("k", fetch()).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(f1, Freshness::Live);
    assert!(matches!(f2, Freshness::Cached { .. }));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// Asks for the same key eight times at once, each fetch taking 50 ms to give `result`;
/// returns the answers and how many fetches ran.
async fn eight_at_once(
    result: Result<&'static str, Down>,
) -> (Vec<Result<(Blob, Freshness), Down>>, u32) {
    let cache = memory_only();
    let calls = Arc::new(AtomicU32::new(0));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (cache, calls, result) = (cache.clone(), calls.clone(), result.clone());
            tokio::spawn(async move {
                let fetch = async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    fetched(result?, MINUTE)
                };
                cache.get_or_fetch("same", fetch).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    (answers, calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn concurrent_misses_share_one_fetch() {
    let (answers, calls) = eight_at_once(Ok("v")).await;
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    assert_eq!(calls, 1);
}

#[tokio::test]
async fn waiters_share_a_failure_instead_of_asking_again() {
    let (answers, calls) = eight_at_once(Err(Down::Failing)).await;
    assert!(
        answers
            .iter()
            .all(|a| a.as_ref().err() == Some(&Down::Failing)),
        "{answers:?}"
    );
    assert_eq!(calls, 1);
}

#[tokio::test]
async fn errors_are_not_cached() {
    let cache = memory_only();
    let failed = cache
        .get_or_fetch("k", async { Err::<Fetched<Blob>, _>(Down::Failing) })
        .await;
    assert_eq!(failed.unwrap_err(), Down::Failing);
    let (value, freshness) = cache
        .get_or_fetch("k", async { fetched("ok", MINUTE) })
        .await
        .unwrap();
    assert_eq!(value, Blob("ok".into()));
    assert_eq!(freshness, Freshness::Live);
}

#[tokio::test]
async fn entries_expire_after_their_own_ttl() {
    let cache = memory_only();
    let short = || async { fetched("v", Duration::from_millis(30)) };
    cache.get_or_fetch("k", short()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(80)).await;
    let (_, freshness) = cache.get_or_fetch("k", short()).await.unwrap();
    assert_eq!(freshness, Freshness::Live);
}

#[tokio::test]
async fn a_restarted_cache_answers_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = on_disk(dir.path());
    first
        .get_or_fetch("k", async { fetched("stored", MINUTE) })
        .await
        .unwrap();
    drop(first);
    let (second, metrics) = on_disk(dir.path());
    let (value, freshness) = second
        .get_or_fetch("k", async { panic!("the store holds it") })
        .await
        .unwrap();
    assert_eq!(value, Blob("stored".into()));
    assert!(
        matches!(freshness, Freshness::Cached { .. }),
        "{freshness:?}"
    );
    assert_eq!(metrics.usage().lookups(), [("disk_hit".to_owned(), 1)]);
    // Now in memory too.
    second
        .get_or_fetch("k", async { panic!("memory holds it") })
        .await
        .unwrap();
    let lookups = metrics.usage().lookups();
    assert!(lookups.contains(&("hit".to_owned(), 1)), "{lookups:?}");
}

#[tokio::test]
async fn an_unreadable_stored_copy_is_fetched_again() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = on_disk(dir.path());
    first
        .get_or_fetch("k", async { fetched("unreadable", MINUTE) })
        .await
        .unwrap();
    let (second, _) = on_disk(dir.path());
    let (value, freshness) = second
        .get_or_fetch("k", async { fetched("new", MINUTE) })
        .await
        .unwrap();
    assert_eq!((value, freshness), (Blob("new".into()), Freshness::Live));
}

#[tokio::test]
async fn an_expired_answer_stands_in_when_the_upstream_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, metrics) = on_disk(dir.path());
    cache
        .get_or_fetch("k", async { fetched("old", Duration::ZERO) })
        .await
        .unwrap();
    // After a restart, too: the expired copy comes from the store.
    let (restarted, _) = on_disk(dir.path());
    for cache in [&cache, &restarted] {
        let (value, freshness) = cache
            .get_or_fetch("k", async { Err(Down::Failing) })
            .await
            .unwrap();
        assert_eq!(value, Blob("old".into()));
        let Freshness::Stale { reason, .. } = freshness else {
            panic!("{freshness:?}");
        };
        assert_eq!(reason, StaleReason::Unavailable);
    }
    let lookups = metrics.usage().lookups();
    assert!(lookups.contains(&("stale".to_owned(), 1)), "{lookups:?}");
}

#[tokio::test]
async fn after_a_failure_the_expired_copy_answers_without_asking_again() {
    let cache = memory_only();
    cache
        .get_or_fetch("k", async { fetched("old", Duration::ZERO) })
        .await
        .unwrap();
    let calls = AtomicU32::new(0);
    for _ in 0..3 {
        let (_, freshness) = cache
            .get_or_fetch("k", async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(Down::Failing)
            })
            .await
            .unwrap();
        assert!(matches!(freshness, Freshness::Stale { .. }));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_key_error_is_never_hidden_by_an_expired_answer() {
    let cache = memory_only();
    cache
        .get_or_fetch("k", async { fetched("old", Duration::ZERO) })
        .await
        .unwrap();
    for _ in 0..2 {
        let failed = cache
            .get_or_fetch("k", async { Err(Down::KeyRejected) })
            .await;
        assert_eq!(failed.unwrap_err(), Down::KeyRejected);
    }
}
