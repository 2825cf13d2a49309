use std::sync::{Arc, atomic::AtomicU64};

use chrono::NaiveDate;

use crate::budget::{Charge, Counter, OverLimit, UsageStore, WithFallback};
use crate::store::SqliteStore;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
}

fn open(dir: &std::path::Path) -> WithFallback {
    let store = SqliteStore::open(dir, 1 << 20).unwrap();
    WithFallback::new(Arc::new(store), Arc::new(AtomicU64::new(0)))
}

fn caller(subject: &str, limit: u64) -> Charge<'_> {
    Charge {
        counter: Counter::Caller(subject),
        amount: 1,
        limit: Some(limit),
    }
}

const TRADES: Counter<'static> = Counter::Dataset("RTMSDataSvcAptTrade");

#[tokio::test]
async fn spending_survives_reopening_and_a_new_day_starts_from_zero() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = Charge {
        counter: TRADES,
        amount: 1,
        limit: Some(10),
    };
    {
        let store = open(dir.path());
        for _ in 0..2 {
            store
                .charge(day(1), &[dataset, caller("alice", 3)])
                .await
                .unwrap();
        }
    }
    let store = open(dir.path());
    let read = store
        .read(
            day(1),
            &[Counter::Caller("alice"), TRADES, Counter::Caller("bob")],
        )
        .await;
    assert_eq!(read, [2, 2, 0]);
    store.charge(day(1), &[caller("alice", 3)]).await.unwrap();
    let refused = store
        .charge(day(1), &[dataset, caller("alice", 3)])
        .await
        .unwrap_err();
    assert_eq!(refused, OverLimit { index: 1, spent: 3 });
    // The refused charge added nothing to the dataset either.
    assert_eq!(store.read(day(1), &[TRADES]).await, [2]);
    let spending = store.spending(day(1)).await;
    assert_eq!(spending.callers, [("alice".to_owned(), 3)]);
    assert_eq!(spending.datasets, [("RTMSDataSvcAptTrade".to_owned(), 2)]);
    // A straggler from the day before counts today; the next day starts afresh.
    store.charge(day(2), &[caller("alice", 3)]).await.unwrap();
    store.charge(day(1), &[caller("alice", 3)]).await.unwrap();
    assert_eq!(store.read(day(2), &[Counter::Caller("alice")]).await, [2]);
}

#[tokio::test]
async fn a_file_that_cannot_be_written_counts_in_memory_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let failures = Arc::new(AtomicU64::new(0));
    let sqlite = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    let store = WithFallback::new(Arc::new(sqlite), Arc::clone(&failures));
    store.charge(day(1), &[caller("alice", 2)]).await.unwrap();
    // Take the table away under the open connection, as a damaged file would.
    let path = dir.path().join(crate::store::FILE_NAME);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TABLE spending")
        .unwrap();
    store.charge(day(1), &[caller("alice", 2)]).await.unwrap();
    store.charge(day(1), &[caller("alice", 2)]).await.unwrap();
    assert!(
        store.charge(day(1), &[caller("alice", 2)]).await.is_err(),
        "memory still enforces the limit"
    );
    assert!(failures.load(std::sync::atomic::Ordering::Relaxed) >= 3);
}
