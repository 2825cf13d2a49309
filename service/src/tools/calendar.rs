//! `get_current_year_month`, and the [`YearMonth`] type the transaction tools use for their
//! `year_month` argument.
//!
//! "This month" means this month in Korea (KST, UTC+9, no daylight saving): for the first
//! nine hours of a Korean month, UTC still shows the previous one. The clock is a parameter
//! so the logic can be tested at any instant.

use std::fmt;

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use super::ToolError;
use crate::{kst, upstream::molit};

/// A calendar month, written `YYYYMM` as MOLIT's `DEAL_YMD` parameter expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    // Field order gives the derived ordering: by year, then by month.
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The first month of MOLIT's real-transaction data (January 2006).
    pub const FIRST_AVAILABLE: YearMonth = YearMonth {
        year: 2006,
        month: 1,
    };

    /// A month of a four-digit year; `None` unless `1 <= month <= 12` and
    /// `1 <= year <= 9999`.
    pub const fn new(year: i32, month: u32) -> Option<Self> {
        if 1 <= year && year <= 9999 && 1 <= month && month <= 12 {
            Some(Self { year, month })
        } else {
            None
        }
    }

    /// The year, e.g. 2026.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The month it is in Korea at the instant `now`.
    pub fn current_kst(now: DateTime<Utc>) -> Self {
        let day = kst::day(now);
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    /// Parses a tool argument written `YYYYMM` (or `YYYY-MM`) and checks that it lies between
    /// [`Self::FIRST_AVAILABLE`] and the current Korean month at `now`. Errors name the
    /// argument `name` and say what to send instead.
    pub fn parse_argument(name: &str, text: &str, now: DateTime<Utc>) -> Result<Self, ToolError> {
        let first = (
            Self::FIRST_AVAILABLE,
            "the first month with published transactions",
        );
        Self::parse_argument_from(name, text, first, now)
    }

    /// [`Self::parse_argument`] for data that starts at another month: `first` is that month
    /// and what it is, e.g. "where Applyhome's statistics begin", for the error.
    pub fn parse_argument_from(
        name: &str,
        text: &str,
        (first, first_is): (Self, &str),
        now: DateTime<Utc>,
    ) -> Result<Self, ToolError> {
        let current = Self::current_kst(now);
        let parsed = parse_digits(text.trim()).ok_or_else(|| {
            ToolError::invalid_argument(
                name,
                format!(
                    "{} is not a month in YYYYMM form; write the four-digit year and the \
                     two-digit month, e.g. {current} for the current month",
                    quoted(text)
                ),
            )
        })?;
        let (year, month) = parsed;
        let value = Self::new(year, month).ok_or_else(|| {
            ToolError::invalid_argument(
                name,
                format!(
                    "{} has month {month:02}; months run from 01 to 12",
                    quoted(text)
                ),
            )
        })?;
        if value < first {
            return Err(ToolError::invalid_argument(
                name,
                format!(
                    "{value} is before {first}, {first_is}; use a month from {first} to \
                     {current}"
                ),
            ));
        }
        if value > current {
            return Err(ToolError::invalid_argument(
                name,
                format!(
                    "{value} is in the future (it is {current} in Korea now); use a month from \
                     {first} to {current}"
                ),
            ));
        }
        Ok(value)
    }

    /// Whether deals of this month can still be reported (up to 30 days after its last day,
    /// in Korea), so its figures will still change: the rule the cache follows too.
    pub fn still_reported(self, now: DateTime<Utc>) -> bool {
        molit::still_reported(self.year, self.month, now)
    }

    /// The month before, crossing into the previous year after January.
    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month after, crossing into the next year after December.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Every month from `self` to `last`, both included, oldest first; empty when `last`
    /// comes before `self`.
    pub fn through(self, last: Self) -> impl Iterator<Item = Self> {
        std::iter::successors(Some(self), |month| Some(month.next()))
            .take_while(move |month| *month <= last)
    }
}

/// The argument as an error quotes it: enough to recognise, never the whole of a huge one
/// (the message goes back into the model's context).
fn quoted(text: &str) -> String {
    const SHOWN: usize = 20;
    if text.chars().nth(SHOWN).is_none() {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head:?}…")
}

/// Splits `YYYYMM` or `YYYY-MM` into year and month, checking only the shape.
fn parse_digits(text: &str) -> Option<(i32, u32)> {
    let (year, month) = match text.len() {
        6 => text.split_at_checked(4)?,
        7 => text.split_once('-')?,
        _ => return None,
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || month.len() != 2 || !all_digits(year) || !all_digits(month) {
        return None;
    }
    Some((year.parse().ok()?, month.parse().ok()?))
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Result of `get_current_year_month`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct YearMonthOutput {
    /// The current month in Korea as `YYYYMM`, the form the transaction tools take.
    pub year_month: String,
    /// The current year in Korea.
    pub year: i32,
    /// The current month in Korea, 1 to 12.
    pub month: u32,
    /// The current date and time in Korea, RFC 3339 with the +09:00 offset.
    pub kst_datetime: String,
    /// The time zone the month is taken in.
    pub timezone: String,
    /// The month before, as `YYYYMM`: the newest month whose figures are mostly complete (its
    /// last contracts may still be reported this month).
    pub previous_year_month: String,
    /// Why the newest months are incomplete.
    pub note: String,
}

/// The current month in Korea at the instant `now`.
pub fn current_year_month(now: DateTime<Utc>) -> YearMonthOutput {
    let current = YearMonth::current_kst(now);
    YearMonthOutput {
        year_month: current.to_string(),
        year: current.year,
        month: current.month,
        kst_datetime: now
            .with_timezone(&kst::ZONE)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
        timezone: "Asia/Seoul (KST, UTC+9)".to_owned(),
        previous_year_month: current.previous().to_string(),
        note: "Deals may be reported up to 30 days after the contract, so the current month \
               is still filling up, and the previous month gets its last reports during this \
               month. previous_year_month is mostly complete; earlier months are settled."
            .to_owned(),
    }
}

/// The current month in Korea, by the system clock.
pub fn get_current_year_month() -> YearMonthOutput {
    current_year_month(Utc::now())
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
