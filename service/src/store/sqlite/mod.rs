//! The embedded store: one SQLite file in `CACHE_DIR`.
//!
//! Why SQLite (bundled through `rusqlite`): every write is a transaction, so a crash or power
//! cut mid-write leaves the previous state, never half an entry; several processes can share
//! the file (two stdio clients started side by side, or `status` next to the server); the
//! format has been stable for two decades; and the C library is compiled once, into the
//! binary, with no system package. Entries also carry a CRC-32, so a page damaged outside
//! SQLite's control (a lying disk, a copied-while-written backup) is dropped, never served.
//!
//! The file records its own format ([`FORMAT_VERSION`] in `user_version`, and an
//! `application_id`): a file of another version, another program or none at all is discarded
//! and started afresh, because a cache can always be refetched.

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::SystemTime,
};

use futures::{FutureExt, future::BoxFuture};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use self::file::{connect_or_replace, is_damage, replace, totals};
use super::{
    Store, StoreError, StoreUsage, Stored,
    encoding::{checksum, deflate, inflate},
    from_unix_millis, unix_millis,
};

mod file;
mod spending;

pub use file::{FILE_NAME, FORMAT_VERSION};

/// Most uses buffered between flushes; beyond it the oldest answers simply look older.
const MAX_PENDING_TOUCHES: usize = 10_000;

/// The SQLite store. Cheap to clone; all clones share one connection.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    max_bytes: u64,
    /// `None` once the file proved unusable and could not be recreated: memory only.
    connection: Mutex<Option<Connection>>,
    touched: Mutex<HashSet<String>>,
    entries: AtomicU64,
    bytes: AtomicU64,
    dropped: AtomicU64,
    evicted: AtomicU64,
}

impl SqliteStore {
    /// Opens (or creates) `dir/cache.sqlite3`, holding at most `max_bytes` of answers. A
    /// file of another format, or one SQLite cannot read, is replaced by an empty one.
    pub fn open(dir: &Path, max_bytes: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError(format!(
                "could not create the directory {}: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join(FILE_NAME);
        let connection = connect_or_replace(&path)?;
        let store = Self {
            inner: Arc::new(Inner {
                path,
                max_bytes,
                connection: Mutex::new(Some(connection)),
                touched: Mutex::new(HashSet::new()),
                entries: AtomicU64::new(0),
                bytes: AtomicU64::new(0),
                dropped: AtomicU64::new(0),
                evicted: AtomicU64::new(0),
            }),
        };
        store.inner.with(|tx| {
            let evicted = evict(tx, max_bytes)?;
            store.inner.evicted.fetch_add(evicted, Ordering::Relaxed);
            Ok(())
        })?;
        Ok(store)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `work` on a blocking thread with the connection.
    fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, StoreError> + Send + 'static,
    ) -> BoxFuture<'static, Result<T, StoreError>> {
        let inner = Arc::clone(&self.inner);
        async move {
            tokio::task::spawn_blocking(move || work(&inner))
                .await
                .map_err(|e| StoreError(format!("the store's worker stopped: {e}")))?
        }
        .boxed()
    }
}

impl Store for SqliteStore {
    fn location(&self) -> String {
        self.inner.path.display().to_string()
    }

    fn get(&self, key: String) -> BoxFuture<'static, Result<Option<Stored>, StoreError>> {
        self.run(move |inner| inner.with(|tx| read(inner, tx, &key)))
    }

    fn put(&self, key: String, stored: Stored) -> BoxFuture<'static, Result<(), StoreError>> {
        self.run(move |inner| {
            let body = deflate(&stored.body)?;
            let size = (key.len() + body.len()) as u64;
            if size > inner.max_bytes {
                log::debug!("cache: {key} ({size} bytes) is larger than the whole store");
                return Ok(());
            }
            let evicted = inner.with(|tx| {
                let now = unix_millis(SystemTime::now());
                let (stored_at, fresh_until) =
                    (unix_millis(stored.stored_at), unix_millis(stored.fresh_until));
                tx.execute(
                    "INSERT INTO entries (key, stored_at, fresh_until, used_at, size, checksum, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (key) DO UPDATE SET stored_at = excluded.stored_at,
                         fresh_until = excluded.fresh_until, used_at = excluded.used_at,
                         size = excluded.size, checksum = excluded.checksum, body = excluded.body",
                    params![
                        key,
                        stored_at,
                        fresh_until,
                        now,
                        size as i64,
                        checksum(&key, stored_at, fresh_until, &body),
                        body
                    ],
                )?;
                evict(tx, inner.max_bytes)
            })?;
            if evicted > 0 {
                inner.evicted.fetch_add(evicted, Ordering::Relaxed);
                // Hand the freed pages back to the file system so the file shrinks too.
                inner.with(|tx| tx.execute_batch("PRAGMA incremental_vacuum"))?;
            }
            Ok(())
        })
    }

    fn touch(&self, key: &str) {
        let mut touched = self
            .inner
            .touched
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if touched.len() < MAX_PENDING_TOUCHES {
            touched.insert(key.to_owned());
        }
    }

    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        self.run(|inner| {
            let keys: Vec<String> =
                std::mem::take(&mut *inner.touched.lock().unwrap_or_else(PoisonError::into_inner))
                    .into_iter()
                    .collect();
            if keys.is_empty() {
                return Ok(());
            }
            let now = unix_millis(SystemTime::now());
            inner.with(|tx| {
                let mut update = tx.prepare("UPDATE entries SET used_at = ?2 WHERE key = ?1")?;
                for key in &keys {
                    update.execute(params![key, now])?;
                }
                Ok(())
            })
        })
    }

    fn usage(&self) -> StoreUsage {
        let inner = &self.inner;
        StoreUsage {
            entries: inner.entries.load(Ordering::Relaxed),
            bytes: inner.bytes.load(Ordering::Relaxed),
            max_bytes: inner.max_bytes,
            dropped: inner.dropped.load(Ordering::Relaxed),
            evicted: inner.evicted.load(Ordering::Relaxed),
        }
    }

    fn counters(&self) -> BoxFuture<'static, Result<Vec<(String, u64)>, StoreError>> {
        self.run(|inner| {
            inner.with(|tx| {
                let mut query = tx.prepare("SELECT name, value FROM counters")?;
                let rows = query.query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
                })?;
                let mut counters = Vec::new();
                for row in rows {
                    let (name, value) = row?;
                    counters.push((name, u64::try_from(value).unwrap_or(0)));
                }
                Ok(counters)
            })
        })
    }

    fn add_counters(
        &self,
        deltas: Vec<(String, u64)>,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        self.run(move |inner| {
            inner.with(|tx| {
                let mut add = tx.prepare(
                    "INSERT INTO counters (name, value) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
                )?;
                for (name, delta) in &deltas {
                    add.execute(params![name, i64::try_from(*delta).unwrap_or(i64::MAX)])?;
                }
                Ok(())
            })
        })
    }

    fn remove_counters(&self, names: Vec<String>) -> BoxFuture<'static, Result<(), StoreError>> {
        self.run(move |inner| {
            inner.with(|tx| {
                let mut remove = tx.prepare("DELETE FROM counters WHERE name = ?1")?;
                for name in &names {
                    remove.execute([name])?;
                }
                Ok(())
            })
        })
    }
}

impl Inner {
    /// Runs `work` in one transaction and refreshes the size figures. A file that turns out
    /// to be damaged is replaced by an empty one (the work then fails once).
    fn with<T>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut slot = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let connection = slot
            .as_mut()
            .ok_or_else(|| StoreError("the store was damaged and could not be recreated".into()))?;
        let result = connection.transaction().and_then(|tx| {
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        });
        if let Err(error) = &result
            && is_damage(error)
        {
            log::warn!(
                "cache: {} is damaged ({error}); starting it afresh",
                self.path.display()
            );
            *slot = None;
            *slot = replace(&self.path)
                .inspect_err(|e| log::error!("cache: {e}; answers are kept in memory only"))
                .ok();
        }
        if let Some(connection) = slot.as_ref()
            && let Ok((entries, bytes)) = totals(connection)
        {
            self.entries.store(entries, Ordering::Relaxed);
            self.bytes.store(bytes, Ordering::Relaxed);
        }
        result.map_err(StoreError::from)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError(error.to_string())
    }
}

/// Reads one entry, dropping it when its checksum or its compression does not hold.
fn read(inner: &Inner, tx: &Transaction<'_>, key: &str) -> rusqlite::Result<Option<Stored>> {
    let row = tx
        .query_row(
            "SELECT stored_at, fresh_until, checksum, body FROM entries WHERE key = ?1",
            [key],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((stored_at, fresh_until, sum, body)) = row else {
        return Ok(None);
    };
    let readable = if checksum(key, stored_at, fresh_until, &body) == sum {
        inflate(&body).ok()
    } else {
        None
    };
    let Some(body) = readable else {
        log::warn!("cache: the stored copy of {key} is torn; dropped");
        inner.dropped.fetch_add(1, Ordering::Relaxed);
        tx.execute("DELETE FROM entries WHERE key = ?1", [key])?;
        return Ok(None);
    };
    tx.execute(
        "UPDATE entries SET used_at = ?2 WHERE key = ?1",
        params![key, unix_millis(SystemTime::now())],
    )?;
    Ok(Some(Stored {
        body,
        stored_at: from_unix_millis(stored_at),
        fresh_until: from_unix_millis(fresh_until),
    }))
}

/// Deletes the least recently used entries, just enough of them to bring the total within
/// `max_bytes`; returns how many went.
fn evict(tx: &Transaction<'_>, max_bytes: u64) -> rusqlite::Result<u64> {
    let excess = totals(tx)?.1.saturating_sub(max_bytes);
    if excess == 0 {
        return Ok(0);
    }
    // An entry goes when the entries used before it do not cover the excess on their own.
    let evicted = tx.execute(
        "DELETE FROM entries WHERE rowid IN (
             SELECT rowid FROM (
                 SELECT rowid, SUM(size) OVER (ORDER BY used_at, rowid) - size AS before
                 FROM entries
             ) WHERE before < ?1
         )",
        [i64::try_from(excess).unwrap_or(i64::MAX)],
    )?;
    Ok(evicted as u64)
}

#[cfg(test)]
mod tests;
