//! The budget counters in the cache's SQLite file, so that a restart (an image update, a
//! crash) does not reset a day's spending.
//!
//! One table holds the current Korean day only: a charge for a later day empties it first,
//! and one for an earlier day (a request that began before midnight) counts on the current
//! day, the cautious side, as in memory. Callers are bounded as in memory too: at most
//! [`MAX_TRACKED_CALLERS`] rows a day, later callers sharing one overflow row.

use chrono::NaiveDate;
use futures::future::{BoxFuture, FutureExt};
use rusqlite::{OptionalExtension, Transaction, params};

use super::SqliteStore;
use crate::budget::{
    FallibleUsage, Kind, MAX_TRACKED_CALLERS, Named, NamedCharge, OVERFLOW_LABEL, OverLimit,
    Spending,
};

/// Created in files of any version: adding a table keeps older files readable both ways.
pub(super) const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS spending (
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        day TEXT NOT NULL,
        label TEXT NOT NULL,
        spent INTEGER NOT NULL,
        PRIMARY KEY (kind, name)
    );
    -- Every charge and read asks for max(day): from the index, not a scan of up to 10,000
    -- caller rows.
    CREATE INDEX IF NOT EXISTS spending_day ON spending (day);
";

impl FallibleUsage for SqliteStore {
    fn counted_in(&self) -> String {
        self.path().display().to_string()
    }

    fn try_charge(
        &self,
        day: NaiveDate,
        charges: Vec<NamedCharge>,
    ) -> BoxFuture<'static, Result<Result<(), OverLimit>, String>> {
        let work = self.run(move |inner| inner.with(|tx| charge(tx, day, &charges)));
        async move { work.await.map_err(|e| e.to_string()) }.boxed()
    }

    fn try_read(
        &self,
        day: NaiveDate,
        counters: Vec<Named>,
    ) -> BoxFuture<'static, Result<Vec<u64>, String>> {
        let work = self.run(move |inner| {
            inner.with(|tx| {
                today(tx, day)?;
                counters
                    .iter()
                    .map(|counter| {
                        let row = row_of(tx, counter)?;
                        spent(tx, &row)
                    })
                    .collect()
            })
        });
        async move { work.await.map_err(|e| e.to_string()) }.boxed()
    }

    fn try_spending(&self, day: NaiveDate) -> BoxFuture<'static, Result<Spending, String>> {
        let work = self.run(move |inner| {
            inner.with(|tx| {
                today(tx, day)?;
                let mut query = tx.prepare("SELECT kind, label, spent FROM spending")?;
                let rows = query.query_map([], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                    ))
                })?;
                let (mut datasets, mut callers) = (Vec::new(), Vec::new());
                for row in rows {
                    let (kind, label, spent) = row?;
                    let spent = u64::try_from(spent).unwrap_or(0);
                    if kind == Kind::Dataset.as_str() {
                        datasets.push((label, spent));
                    } else {
                        callers.push((label, spent));
                    }
                }
                Ok(Spending::of(datasets, callers))
            })
        });
        async move { work.await.map_err(|e| e.to_string()) }.boxed()
    }
}

/// Where one counter's total is kept: its own row, or the overflow row.
struct Row {
    kind: Kind,
    name: String,
    label: String,
}

/// Makes the table the current day's: emptied for a later day; the day it holds otherwise.
fn today(tx: &Transaction<'_>, day: NaiveDate) -> rusqlite::Result<String> {
    let day = day.to_string();
    let held: Option<String> = tx
        .query_row("SELECT max(day) FROM spending", [], |row| row.get(0))
        .optional()?
        .flatten();
    match held {
        Some(held) if held >= day => Ok(held),
        Some(_) => {
            tx.execute("DELETE FROM spending", [])?;
            Ok(day)
        }
        None => Ok(day),
    }
}

fn row_of(tx: &Transaction<'_>, counter: &Named) -> rusqlite::Result<Row> {
    let own = Row {
        kind: counter.kind,
        name: counter.name.clone(),
        label: counter.label.clone(),
    };
    if counter.kind != Kind::Caller || exists(tx, &own)? {
        return Ok(own);
    }
    let callers: i64 = tx.query_row(
        "SELECT count(*) FROM spending WHERE kind = ?1",
        [Kind::Caller.as_str()],
        |row| row.get(0),
    )?;
    if usize::try_from(callers).unwrap_or(usize::MAX) < MAX_TRACKED_CALLERS {
        Ok(own)
    } else {
        Ok(Row {
            kind: Kind::Overflow,
            name: String::new(),
            label: OVERFLOW_LABEL.to_owned(),
        })
    }
}

fn exists(tx: &Transaction<'_>, row: &Row) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT 1 FROM spending WHERE kind = ?1 AND name = ?2",
        params![row.kind.as_str(), row.name],
        |_| Ok(()),
    )
    .optional()
    .map(|found| found.is_some())
}

fn spent(tx: &Transaction<'_>, row: &Row) -> rusqlite::Result<u64> {
    let spent: Option<i64> = tx
        .query_row(
            "SELECT spent FROM spending WHERE kind = ?1 AND name = ?2",
            params![row.kind.as_str(), row.name],
            |row| row.get(0),
        )
        .optional()?;
    Ok(spent.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// Adds every charge, all or nothing, in the caller's transaction.
fn charge(
    tx: &Transaction<'_>,
    day: NaiveDate,
    charges: &[NamedCharge],
) -> rusqlite::Result<Result<(), OverLimit>> {
    let day = today(tx, day)?;
    let rows = charges
        .iter()
        .map(|charge| row_of(tx, &charge.counter))
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    for (index, (charge, row)) in charges.iter().zip(&rows).enumerate() {
        let spent = spent(tx, row)?;
        if charge
            .limit
            .is_some_and(|limit| spent.saturating_add(charge.amount) > limit)
        {
            return Ok(Err(OverLimit { index, spent }));
        }
    }
    let mut add = tx.prepare(
        "INSERT INTO spending (kind, name, day, label, spent) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind, name) DO UPDATE SET spent = spent + excluded.spent",
    )?;
    for (charge, row) in charges.iter().zip(&rows) {
        let amount = i64::try_from(charge.amount).unwrap_or(i64::MAX);
        add.execute(params![row.kind.as_str(), row.name, day, row.label, amount])?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
#[path = "spending_tests.rs"]
mod tests;
