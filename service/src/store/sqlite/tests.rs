use std::time::{Duration, SystemTime};

use rusqlite::Connection;

use super::{file::APPLICATION_ID, *};

fn stored(body: &[u8]) -> Stored {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    Stored {
        body: body.to_vec(),
        stored_at: now,
        fresh_until: now + Duration::from_secs(3600),
    }
}

/// Bytes that do not compress, so sizes on disk are predictable.
fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

fn raw(dir: &Path) -> Connection {
    Connection::open(dir.join(FILE_NAME)).unwrap()
}

#[tokio::test]
async fn an_answer_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let body = "<response>한 달 치 거래</response>".repeat(50).into_bytes();
    {
        let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
        store.put("k".into(), stored(&body)).await.unwrap();
        assert_eq!(store.usage().entries, 1);
        // Compressed: the repeated text takes far less than it would raw.
        assert!(
            store.usage().bytes < body.len() as u64 / 5,
            "{:?}",
            store.usage()
        );
    }
    let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    assert_eq!(store.get("k".into()).await.unwrap(), Some(stored(&body)));
    assert_eq!(store.get("other".into()).await.unwrap(), None);
    assert_eq!(store.usage().entries, 1);
}

#[tokio::test]
async fn a_torn_entry_is_dropped_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    let body = noise(4000, 1);
    store.put("torn".into(), stored(&body)).await.unwrap();
    store.put("flipped".into(), stored(&body)).await.unwrap();
    store.put("whole".into(), stored(&body)).await.unwrap();
    // What a write cut short or a bad sector leaves: half a body, or one changed byte.
    let sql = raw(dir.path());
    sql.execute(
        "UPDATE entries SET body = substr(body, 1, length(body) / 2) WHERE key = 'torn'",
        [],
    )
    .unwrap();
    let mut body_on_disk: Vec<u8> = sql
        .query_row("SELECT body FROM entries WHERE key = 'flipped'", [], |r| {
            r.get(0)
        })
        .unwrap();
    body_on_disk[100] ^= 0x01;
    sql.execute(
        "UPDATE entries SET body = ?1 WHERE key = 'flipped'",
        [body_on_disk],
    )
    .unwrap();
    drop(sql);

    assert_eq!(store.get("torn".into()).await.unwrap(), None);
    assert_eq!(store.get("flipped".into()).await.unwrap(), None);
    assert_eq!(store.usage().dropped, 2);
    assert_eq!(store.usage().entries, 1, "dropped entries are deleted");
    assert_eq!(
        store.get("whole".into()).await.unwrap(),
        Some(stored(&body))
    );
}

#[tokio::test]
async fn a_truncated_file_is_started_afresh_and_serves_nothing_torn() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path(), 8 << 20).unwrap();
        for i in 0..40 {
            let key = format!("month-{i}");
            store.put(key, stored(&noise(20_000, i))).await.unwrap();
        }
    }
    let path = dir.path().join(FILE_NAME);
    let length = std::fs::metadata(&path).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(length / 2).unwrap();
    drop(file);

    let store = SqliteStore::open(dir.path(), 8 << 20).unwrap();
    let mut served = 0;
    for i in 0..40 {
        let key = format!("month-{i}");
        // Lost (or failing) is fine; served means intact.
        if let Ok(Some(found)) = store.get(key.clone()).await {
            assert_eq!(found, stored(&noise(20_000, i)), "{key}");
            served += 1;
        }
    }
    assert!(
        served < 40,
        "half the file is gone, yet every entry was served"
    );
    // Whatever was lost, the store works again.
    store.put("after".into(), stored(b"new")).await.unwrap();
    assert_eq!(
        store.get("after".into()).await.unwrap(),
        Some(stored(b"new"))
    );
}

#[tokio::test]
async fn a_file_of_another_format_is_discarded() {
    for (application_id, version) in [(APPLICATION_ID, 0), (APPLICATION_ID, 99), (7, 1)] {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
            store.put("k".into(), stored(b"old")).await.unwrap();
        }
        let sql = raw(dir.path());
        sql.pragma_update(None, "application_id", application_id)
            .unwrap();
        sql.pragma_update(None, "user_version", version).unwrap();
        drop(sql);

        let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
        assert_eq!(store.get("k".into()).await.unwrap(), None, "{version}");
        assert_eq!(store.usage().entries, 0);
        let sql = raw(dir.path());
        let now: i64 = sql
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(now, FORMAT_VERSION);
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE_NAME), noise(10_000, 3)).unwrap();
    let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    store.put("k".into(), stored(b"v")).await.unwrap();
    assert_eq!(store.get("k".into()).await.unwrap(), Some(stored(b"v")));
}

#[tokio::test]
async fn the_bound_holds_on_disk_and_the_least_recently_used_go_first() {
    let dir = tempfile::tempdir().unwrap();
    let bound = 256 * 1024;
    let store = SqliteStore::open(dir.path(), bound).unwrap();
    for i in 0..8 {
        store
            .put(format!("k{i}"), stored(&noise(20_000, i)))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // k0 is read (from disk) and k1 used from memory: both are now recent.
    assert!(store.get("k0".into()).await.unwrap().is_some());
    store.touch("k1");
    store.flush().await.unwrap();
    for i in 8..40 {
        tokio::time::sleep(Duration::from_millis(2)).await;
        store
            .put(format!("k{i}"), stored(&noise(20_000, i)))
            .await
            .unwrap();
        let usage = store.usage();
        assert!(usage.bytes <= bound, "{usage:?}");
        if i == 13 {
            assert!(store.get("k0".into()).await.unwrap().is_some());
            assert!(store.get("k1".into()).await.unwrap().is_some());
            assert_eq!(store.get("k2".into()).await.unwrap(), None, "k2 was oldest");
        }
    }
    let usage = store.usage();
    // 13 entries of 20,0xx bytes fit in 256 KiB: every put past that evicts exactly one.
    assert_eq!(usage.entries, 13, "{usage:?}");
    assert_eq!(usage.evicted, 27, "{usage:?}");
    assert!(store.get("k39".into()).await.unwrap().is_some());
    // The file itself stays near the bound: freed pages go back to the file system.
    let sql = raw(dir.path());
    sql.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let file = std::fs::metadata(dir.path().join(FILE_NAME)).unwrap().len();
    assert!(file <= bound + 64 * 1024, "{file} bytes on disk");
}

#[tokio::test]
async fn an_answer_larger_than_the_store_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), 10_000).unwrap();
    store.put("small".into(), stored(b"v")).await.unwrap();
    store
        .put("huge".into(), stored(&noise(50_000, 9)))
        .await
        .unwrap();
    assert_eq!(store.get("huge".into()).await.unwrap(), None);
    assert!(store.get("small".into()).await.unwrap().is_some());
}

#[tokio::test]
async fn counters_add_up_across_reopening_and_can_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
        store
            .add_counters(vec![("a".into(), 2), ("b".into(), 5)])
            .await
            .unwrap();
        store.add_counters(vec![("a".into(), 3)]).await.unwrap();
    }
    let store = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    let mut counters = store.counters().await.unwrap();
    counters.sort();
    assert_eq!(counters, [("a".to_owned(), 5), ("b".to_owned(), 5)]);
    store.remove_counters(vec!["a".into()]).await.unwrap();
    assert_eq!(store.counters().await.unwrap(), [("b".to_owned(), 5)]);
}

#[tokio::test]
async fn two_processes_can_share_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let first = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    let second = SqliteStore::open(dir.path(), 1 << 20).unwrap();
    first.put("k".into(), stored(b"shared")).await.unwrap();
    assert_eq!(
        second.get("k".into()).await.unwrap(),
        Some(stored(b"shared"))
    );
}

#[test]
fn an_unwritable_directory_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let error = SqliteStore::open(&file.join("cache"), 1 << 20)
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("a-file"), "{error}");
}
