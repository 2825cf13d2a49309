//! The SQLite file itself: its name, layout and format marks, and what happens to a file
//! this build cannot use (it is replaced by an empty one: a cache can always be refetched).

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use rusqlite::{Connection, ErrorCode};

use crate::store::StoreError;

/// The file's name inside `CACHE_DIR`.
pub const FILE_NAME: &str = "cache.sqlite3";

/// The layout this build writes. Raise it whenever the tables or the encoding of `body`
/// change: older files are then discarded rather than misread.
pub const FORMAT_VERSION: i64 = 1;

/// "REMC" (real-estate-mcp cache), so that a stray SQLite file is never taken for ours.
pub(super) const APPLICATION_ID: i64 = 0x5245_4d43;

const SCHEMA: &str = "
    CREATE TABLE entries (
        key TEXT PRIMARY KEY,
        stored_at INTEGER NOT NULL,
        fresh_until INTEGER NOT NULL,
        used_at INTEGER NOT NULL,
        size INTEGER NOT NULL,
        checksum INTEGER NOT NULL,
        body BLOB NOT NULL
    );
    CREATE INDEX entries_by_use ON entries (used_at);
    CREATE TABLE totals (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        entries INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    );
    INSERT INTO totals VALUES (0, 0, 0);
    CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
        UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size;
    END;
    CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
        UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size;
    END;
    CREATE TRIGGER entries_replaced AFTER UPDATE OF size ON entries BEGIN
        UPDATE totals SET bytes = bytes - OLD.size + NEW.size;
    END;
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
";

pub(super) fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

pub(super) fn totals(connection: &Connection) -> rusqlite::Result<(u64, u64)> {
    let (entries, bytes) =
        connection.query_row("SELECT entries, bytes FROM totals", [], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
        })?;
    Ok((
        u64::try_from(entries).unwrap_or(0),
        u64::try_from(bytes).unwrap_or(0),
    ))
}

/// Opens the file, replacing it when it is not a store this build can read.
pub(super) fn connect_or_replace(path: &Path) -> Result<Connection, StoreError> {
    match connect(path) {
        Ok(connection) => Ok(connection),
        Err(Refused::Sqlite(error)) if !is_damage(&error) => Err(StoreError(format!(
            "could not open {}: {error}",
            path.display()
        ))),
        Err(refused) => {
            log::warn!(
                "cache: {} {}; starting it afresh",
                path.display(),
                refused.describe()
            );
            replace(path)
        }
    }
}

/// Deletes the file (and SQLite's companions) and creates an empty store in its place.
pub(super) fn replace(path: &Path) -> Result<Connection, StoreError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StoreError(format!(
                    "could not remove the unusable {}: {e}",
                    file.display()
                )));
            }
        }
    }
    connect(path).map_err(|refused| {
        StoreError(format!(
            "could not create {}: {}",
            path.display(),
            refused.describe()
        ))
    })
}

/// Why an existing file was not taken.
enum Refused {
    Sqlite(rusqlite::Error),
    Foreign { application_id: i64, version: i64 },
}

impl Refused {
    fn describe(&self) -> String {
        match self {
            Refused::Sqlite(error) => format!("cannot be read ({error})"),
            Refused::Foreign {
                application_id,
                version,
            } if *application_id == APPLICATION_ID => format!(
                "was written in cache format {version} and this version reads format \
                 {FORMAT_VERSION}"
            ),
            Refused::Foreign { .. } => "is not a real-estate-mcp cache".to_owned(),
        }
    }
}

impl From<rusqlite::Error> for Refused {
    fn from(error: rusqlite::Error) -> Self {
        Refused::Sqlite(error)
    }
}

/// Opens the file, creating the schema in a new one; refuses one of another format.
fn connect(path: &Path) -> Result<Connection, Refused> {
    let connection = Connection::open(path)?;
    // Another process (a second stdio client, `status`) may be writing: wait, do not fail.
    connection.busy_timeout(Duration::from_secs(5))?;
    let application_id: i64 =
        connection.pragma_query_value(None, "application_id", |row| row.get(0))?;
    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let tables: i64 =
        connection.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
    if (application_id, version) != (APPLICATION_ID, FORMAT_VERSION) {
        if tables > 0 || application_id != 0 || version != 0 {
            return Err(Refused::Foreign {
                application_id,
                version,
            });
        }
        // A new file: incremental auto-vacuum must be chosen before the first table exists.
        connection.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.execute_batch(&format!(
            "BEGIN; {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; \
             PRAGMA user_version = {FORMAT_VERSION}; COMMIT;"
        ))?;
    }
    connection.pragma_update(None, "journal_mode", "WAL")?;
    // With WAL, NORMAL loses at most the last transactions on power loss, never consistency.
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    // Keep the write-ahead log from growing past a few MB between checkpoints.
    connection.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)?;
    // The budget counters' table came after format 1: added to files that lack it.
    connection.execute_batch(super::spending::SCHEMA)?;
    totals(&connection).map_err(|_| Refused::Foreign {
        application_id,
        version,
    })?;
    Ok(connection)
}
