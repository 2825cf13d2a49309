//! Where the day's counters live. The trait is what each store implements: in memory
//! ([`super::MemoryUsage`]), on disk with the cache (SQLite, so a restart does not reset a day's
//! spending) and in Redis when replicas share one budget.

use chrono::NaiveDate;
use futures::future::BoxFuture;
use sha2::{Digest, Sha256};

/// Most characters of a caller's subject kept for display (`status`, metrics): subjects are
/// the caller's to choose, so what is kept of them is bounded.
pub const LABEL_CHARS: usize = 64;

/// Most callers listed by [`UsageStore::spending`]: the biggest spenders are what an owner
/// looks for, and the metrics' label set stays small.
pub const TOP_CALLERS: usize = 10;

/// What a counter counts: requests sent for one caller, or for one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter<'a> {
    /// Requests sent on behalf of one caller (its subject), every dataset together.
    Caller(&'a str),
    /// Requests sent for one data.go.kr dataset (its quota id), every caller together.
    Dataset(&'a str),
}

impl Counter<'_> {
    /// The counter as a persistent store names it.
    pub fn named(self) -> Named {
        match self {
            Counter::Caller(subject) => Named {
                kind: Kind::Caller,
                name: caller_key(subject),
                label: caller_label(subject),
            },
            Counter::Dataset(id) => Named {
                kind: Kind::Dataset,
                name: id.to_owned(),
                label: id.to_owned(),
            },
        }
    }
}

/// Which family a persistent counter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One caller's counter.
    Caller,
    /// The one counter shared by callers first seen after the day's table filled up.
    Overflow,
    /// One dataset's counter.
    Dataset,
}

impl Kind {
    /// The name stores use for the family.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Caller => "caller",
            Kind::Overflow => "overflow",
            Kind::Dataset => "dataset",
        }
    }
}

/// A counter with owned names, as a persistent store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Its family.
    pub kind: Kind,
    /// Its key within the family: a dataset's id, a hash of a caller's subject.
    pub name: String,
    /// What is shown for it.
    pub label: String,
}

/// One increment: `amount` more on `counter`, allowed only while its day's total stays within
/// `limit` (`None`: no limit, but still counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge<'a> {
    /// The counter to raise.
    pub counter: Counter<'a>,
    /// How much to add.
    pub amount: u64,
    /// Highest total allowed for the day.
    pub limit: Option<u64>,
}

/// A charge with owned names, for a store that works on another thread or connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCharge {
    /// The counter to raise.
    pub counter: Named,
    /// How much to add.
    pub amount: u64,
    /// Highest total allowed for the day.
    pub limit: Option<u64>,
}

impl From<&Charge<'_>> for NamedCharge {
    fn from(charge: &Charge<'_>) -> Self {
        Self {
            counter: charge.counter.named(),
            amount: charge.amount,
            limit: charge.limit,
        }
    }
}

/// A charge refused because one counter would have passed its limit; nothing was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverLimit {
    /// Index, in the charges given, of the first counter that is full.
    pub index: usize,
    /// That counter's total for the day, unchanged.
    pub spent: u64,
}

/// How [`Spending`] names the callers who share one budget because the day's table was full.
pub const OVERFLOW_LABEL: &str = "(callers past the tracked ones)";

/// A day's spending, for metrics and `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spending {
    /// Requests per dataset (quota id), every caller together.
    pub datasets: Vec<(String, u64)>,
    /// The callers who spent most, biggest first, by the first [`LABEL_CHARS`] characters of
    /// their subject; at most [`TOP_CALLERS`].
    pub callers: Vec<(String, u64)>,
    /// How many callers spent anything (those sharing the overflow budget count as one).
    pub callers_counted: u64,
}

impl Spending {
    /// The day's spending from every dataset's and every caller's total: datasets by name,
    /// the [`TOP_CALLERS`] biggest spenders first (ties by name, so the order is stable).
    pub fn of(mut datasets: Vec<(String, u64)>, mut callers: Vec<(String, u64)>) -> Self {
        datasets.sort();
        let callers_counted = callers.len() as u64;
        callers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        callers.truncate(TOP_CALLERS);
        Self {
            datasets,
            callers,
            callers_counted,
        }
    }
}

/// The name under which a persistent store keeps a caller's counter: a hash, so that a long
/// subject costs no more than a short one, and stable across restarts and replicas.
pub fn caller_key(subject: &str) -> String {
    let digest = Sha256::digest(subject.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// What is shown of a caller's subject: its first [`LABEL_CHARS`] characters.
pub fn caller_label(subject: &str) -> String {
    subject.chars().take(LABEL_CHARS).collect()
}

/// Daily counters keyed by day (the Korean calendar day, when the portal's quota resets).
///
/// Both operations are async so an implementation can sit behind the network; `charge` must be
/// atomic over all its counters (in Redis: one script), so two replicas cannot both spend the
/// last request. A store may keep only the latest day: counters of earlier days are never
/// read again.
pub trait UsageStore: Send + Sync {
    /// Adds every charge to its counter for `day`, all or nothing: when any counter would pass
    /// its limit, nothing changes and the first such counter is reported.
    fn charge<'a>(
        &'a self,
        day: NaiveDate,
        charges: &'a [Charge<'a>],
    ) -> BoxFuture<'a, Result<(), OverLimit>>;

    /// Each counter's total for `day`, in the order given (0 for a counter never charged).
    fn read<'a>(&'a self, day: NaiveDate, counters: &'a [Counter<'a>]) -> BoxFuture<'a, Vec<u64>>;

    /// What was spent on `day`, per dataset and by the biggest spenders.
    fn spending(&self, day: NaiveDate) -> BoxFuture<'_, Spending>;
}
