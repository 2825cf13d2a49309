//! The budget's day: the calendar day in Korea, because data.go.kr resets its daily quotas at
//! midnight KST (UTC+9 all year, no daylight saving).

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::kst::{self, OFFSET as KST};

/// When the budgets start again: the next midnight in Korea.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reset {
    /// The Korean day the new budgets belong to.
    pub day: NaiveDate,
    /// Time from now until then.
    pub remaining: Duration,
}

impl Reset {
    /// The next reset after `now`.
    pub fn after(now: DateTime<Utc>) -> Self {
        let today = kst::day(now);
        let day = today.succ_opt().unwrap_or(today);
        let midnight_utc = day.and_time(chrono::NaiveTime::MIN).and_utc() - KST;
        let remaining = (midnight_utc - now).to_std().unwrap_or(Duration::ZERO);
        Self { day, remaining }
    }

    /// The reset as RFC 3339 in Korean time, e.g. `2026-05-02T00:00:00+09:00`.
    pub fn rfc3339(&self) -> String {
        format!("{}T00:00:00+09:00", self.day)
    }

    /// The sentence a refusal ends with: the time and how long until then.
    pub fn sentence(&self) -> String {
        format!(
            "The budget resets at midnight Korea time ({} 00:00 KST), in {}.",
            self.day,
            in_words(self.remaining)
        )
    }
}

/// "4 hours 10 minutes", "1 hour", "59 minutes": whole minutes, rounded up.
fn in_words(remaining: Duration) -> String {
    let minutes = remaining.as_secs().div_ceil(60).max(1);
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let unit = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (hours, minutes) {
        (0, m) => unit(m, "minute", "minutes"),
        (h, 0) => unit(h, "hour", "hours"),
        (h, m) => format!(
            "{} {}",
            unit(h, "hour", "hours"),
            unit(m, "minute", "minutes")
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_day_and_its_reset_follow_korean_midnight() {
        // 2026-05-01 14:50 UTC is 23:50 in Korea: ten minutes to go.
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 14, 50, 0).unwrap();
        assert_eq!(kst::day(now).to_string(), "2026-05-01");
        let reset = Reset::after(now);
        assert_eq!(reset.rfc3339(), "2026-05-02T00:00:00+09:00");
        assert_eq!(reset.remaining, Duration::from_secs(600));
        assert!(reset.sentence().contains("2026-05-02 00:00 KST"));
        assert!(reset.sentence().ends_with("in 10 minutes."));
        // 15:00 UTC is already the next Korean day, with 24 hours to go.
        let later = Utc.with_ymd_and_hms(2026, 5, 1, 15, 0, 0).unwrap();
        assert_eq!(kst::day(later).to_string(), "2026-05-02");
        assert!(Reset::after(later).sentence().ends_with("in 24 hours."));
    }

    #[test]
    fn time_left_reads_in_hours_and_minutes() {
        assert_eq!(
            in_words(Duration::from_secs(4 * 3600 + 9 * 60 + 1)),
            "4 hours 10 minutes"
        );
        assert_eq!(in_words(Duration::from_secs(3600)), "1 hour");
        assert_eq!(in_words(Duration::from_secs(61)), "2 minutes");
        assert_eq!(in_words(Duration::from_secs(1)), "1 minute");
    }
}
