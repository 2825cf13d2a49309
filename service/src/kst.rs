//! Korean time (UTC+9 all year): the calendar the data portals' months, dates and daily
//! quotas follow.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};

/// Korea's offset from UTC (no daylight saving).
pub const OFFSET: TimeDelta = TimeDelta::hours(9);

/// The same offset as a time zone, for writing an instant in Korean time (`+09:00`).
pub const ZONE: FixedOffset = match FixedOffset::east_opt(OFFSET.num_seconds() as i32) {
    Some(zone) => zone,
    None => panic!("UTC+9 is a valid offset"),
};

/// The date in Korea at `now`.
pub fn day(now: DateTime<Utc>) -> NaiveDate {
    (now + OFFSET).date_naive()
}

/// Today's date in Korea.
pub fn today() -> NaiveDate {
    day(Utc::now())
}
