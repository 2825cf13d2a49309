//! The persistent cache: a cached month answered from memory, from the on-disk store and from
//! the shared store (a real `redis-server` on loopback, as replicas share it; skipped with a
//! note when none is installed: `bash scripts/install-redis.sh`), the cost of opening a full
//! store at startup, and the disk bytes one month takes.
//!
//! The month is the 2,350-deal, three-page month of `cold_month`, so the figures compare
//! directly: a cold fetch from the stand-in over loopback, a disk hit, a memory hit. The
//! sizes are printed and written to `target/criterion/cache_store_sizes.json` for
//! `bench/report.py`.

mod month;

use std::{path::Path, sync::Arc};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use month::{DEALS, PAGES};
use real_estate_mcp::{
    cache::Backing,
    metrics::{Metrics, Usage},
    store::{RedisStore, SqliteStore, Store, Stored},
    upstream::molit::MolitClient,
};
use testkit::redis::RedisServer;
use url::Url;

/// Months in the "full" stores opened at startup.
const FULL_SIZES: [u32; 2] = [500, 5_000];

/// The month's client with an empty memory cache over `store`.
fn client(base_url: &Url, store: &Arc<dyn Store>) -> MolitClient {
    let backing = Backing {
        store: Some(Arc::clone(store)),
        metrics: Arc::new(Metrics::default()),
        ..Backing::default()
    };
    month::client(base_url).backed_by(&backing)
}

fn open(dir: &Path) -> Arc<dyn Store> {
    Arc::new(SqliteStore::open(dir, 4 << 30).expect("store opens"))
}

/// Measures the month read by a client with an empty memory cache from `store`.
fn from_store(
    b: &mut criterion::Bencher<'_>,
    runtime: &tokio::runtime::Runtime,
    base_url: &Url,
    store: &Arc<dyn Store>,
) {
    b.to_async(runtime).iter_batched(
        || client(base_url, store),
        |fresh| async move {
            let month = month::fetch(&fresh).await.expect("stored");
            assert_eq!(month.upstream_calls, 0);
            month.deals.len()
        },
        BatchSize::SmallInput,
    )
}

/// Copies the stored month under `count` keys, as a store full of months would hold.
fn fill(runtime: &tokio::runtime::Runtime, month: &Stored, to: &Path, count: u32) {
    let store = open(to);
    runtime.block_on(async {
        for i in 0..count {
            let key = format!("molit/RTMSDataSvcAptTrade/{:05}/202503", 10_000 + i);
            store.put(key, month.clone()).await.expect("store writes");
        }
    });
}

fn cache_store(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (stand_in, base_url) = month::stand_in(&runtime);
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = open(dir.path());
    let warm = client(&base_url, &store);
    month::load(&runtime, &warm);
    let stored = runtime
        .block_on(store.get("molit/RTMSDataSvcAptTrade/11680/202503".into()))
        .expect("store reads")
        .expect("the month is stored");
    report_sizes(&store, stored.body.len());

    let mut group = c.benchmark_group("cache_store");
    group.bench_function("month_from_memory", |b| {
        b.to_async(&runtime)
            .iter(|| async { month::fetch(&warm).await.expect("cached").deals.len() })
    });
    group.bench_function("month_from_disk", |b| {
        from_store(b, &runtime, &base_url, &store)
    });
    // Kept running until the group ends.
    let redis = RedisServer::start()
        .inspect_err(|e| println!("cache_store: month_from_redis skipped: {e:#}"))
        .ok();
    if let Some(redis) = &redis {
        let shared: Arc<dyn Store> = runtime.block_on(async {
            let shared = RedisStore::connect(&redis.url(), Arc::default())
                .await
                .expect("redis-server answers");
            let key = "molit/RTMSDataSvcAptTrade/11680/202503".to_owned();
            shared.put(key, stored.clone()).await.expect("Redis writes");
            Arc::new(shared)
        });
        group.bench_function("month_from_redis", |b| {
            from_store(b, &runtime, &base_url, &shared)
        });
    }
    for months in FULL_SIZES {
        let full = tempfile::tempdir().expect("temporary directory");
        fill(&runtime, &stored, full.path(), months);
        group.bench_function(format!("cold_start_open_store_{months}_months"), |b| {
            b.to_async(&runtime).iter(|| async {
                let store = open(full.path());
                Usage::load(Some(Arc::clone(&store))).await;
                store.usage().entries
            })
        });
    }
    group.finish();
    assert_eq!(
        stand_in.requests(),
        PAGES,
        "every measured month came from the cache"
    );
}

/// Prints what one month takes on disk (and took as the gateway's XML) and writes it for
/// the report.
fn report_sizes(store: &Arc<dyn Store>, xml_bytes: usize) {
    let stored = store.usage().bytes;
    println!(
        "cache_store: one {DEALS}-deal, {PAGES}-page month: {xml_bytes} bytes of XML, {stored} bytes \
         in the store"
    );
    let json = format!(
        "{{\"deals\": {DEALS}, \"pages\": {PAGES}, \"xml_bytes\": {xml_bytes}, \"stored_bytes\": {stored}}}\n"
    );
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    if std::fs::create_dir_all(&target).is_ok() {
        let _ = std::fs::write(target.join("cache_store_sizes.json"), json);
    }
}

criterion_group!(benches, cache_store);
criterion_main!(benches);
