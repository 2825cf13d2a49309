//! Korean time (UTC+9 all year): the calendar the data portals' months, dates and daily
//! quotas follow.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// Korea's offset from UTC (no daylight saving).
pub const OFFSET: TimeDelta = TimeDelta::hours(9);

/// The date in Korea at `now`.
pub fn day(now: DateTime<Utc>) -> NaiveDate {
    (now + OFFSET).date_naive()
}

/// Today's date in Korea.
pub fn today() -> NaiveDate {
    day(Utc::now())
}
