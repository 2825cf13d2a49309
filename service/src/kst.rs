//! Korean time (UTC+9 all year): the calendar the data portals' months, dates and daily
//! quotas follow.

use chrono::{NaiveDate, TimeDelta, Utc};

/// Today's date in Korea.
pub fn today() -> NaiveDate {
    (Utc::now() + TimeDelta::hours(9)).date_naive()
}
