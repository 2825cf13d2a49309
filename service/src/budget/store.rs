//! Where the day's counters live. The trait is what a persistent or shared store (on disk, in
//! Redis across replicas) implements; [`super::MemoryUsage`] is the one in use today.

use chrono::NaiveDate;
use futures::future::BoxFuture;

/// What a counter counts: requests sent for one caller, or for one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter<'a> {
    /// Requests sent on behalf of one caller (its subject), every dataset together.
    Caller(&'a str),
    /// Requests sent for one data.go.kr dataset (its quota id), every caller together.
    Dataset(&'a str),
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

/// A charge refused because one counter would have passed its limit; nothing was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverLimit {
    /// Index, in the charges given, of the first counter that is full.
    pub index: usize,
    /// That counter's total for the day, unchanged.
    pub spent: u64,
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
}
