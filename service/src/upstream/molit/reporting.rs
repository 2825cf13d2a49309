//! When a month's deals stop arriving. A contract must be reported within 30 days (부동산
//! 거래신고), so a month keeps growing until 30 days after its last day in Korea: in practice
//! the current and the previous month. The cache lifetime of a month and the tools' notes on
//! recent months both follow this one rule.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::kst;

/// Days the law allows between a contract and its report (부동산 거래신고: 30일 이내).
const REPORTING_DAYS: i64 = 30;

/// Whether deals contracted in `year`-`month` can still be reported at `now` (a month that
/// cannot be dated counts as still reported: never treated as final by mistake).
pub fn still_reported(year: i32, month: u32, now: DateTime<Utc>) -> bool {
    let settled = last_day(year, month)
        .and_then(|last| last.checked_add_signed(TimeDelta::days(REPORTING_DAYS)))
        .is_some_and(|deadline| kst::day(now) > deadline);
    !settled
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        return None;
    }
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_month_settles_thirty_korean_days_after_its_end() {
        let at = |y, m, d, h| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap();
        // 2026-11-27: November and October may still change, September is settled.
        let now = at(2026, 11, 27, 3);
        assert!(still_reported(2026, 12, now));
        assert!(still_reported(2026, 11, now));
        assert!(still_reported(2026, 10, now));
        assert!(!still_reported(2026, 9, now));
        // A contract of 31 October may be reported until 30 November (KST).
        assert!(still_reported(2026, 10, at(2026, 11, 30, 14)));
        // 2026-11-30 15:00 UTC is already 1 December in Korea.
        assert!(!still_reported(2026, 10, at(2026, 11, 30, 15)));
        // Across the year's end.
        assert!(still_reported(2026, 12, at(2027, 1, 20, 0)));
        assert!(!still_reported(2026, 11, at(2027, 1, 20, 0)));
        assert!(!still_reported(2026, 12, at(2027, 1, 31, 0)));
        // A month that is no month is never taken for settled, however late it is asked.
        assert!(still_reported(2026, 13, at(2030, 1, 1, 0)));
    }
}
