use chrono::TimeZone;

use super::*;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth::new(year, month).unwrap()
}

#[test]
fn month_rolls_over_at_midnight_in_korea_not_in_utc() {
    // 15:30 UTC on 30 November is 00:30 on 1 December in Seoul.
    let out = current_year_month(utc("2026-11-30T15:30:00Z"));
    assert_eq!(out.year_month, "202612");
    assert_eq!(out.year, 2026);
    assert_eq!(out.month, 12);
    assert_eq!(out.kst_datetime, "2026-12-01T00:30:00+09:00");
    assert_eq!(out.previous_year_month, "202611");

    let before = current_year_month(utc("2026-11-30T14:59:59Z"));
    assert_eq!(before.year_month, "202611");
    assert_eq!(
        crate::kst::day(utc("2026-11-30T15:30:00Z")).to_string(),
        "2026-12-01"
    );
    assert_eq!(
        crate::kst::day(utc("2026-11-30T14:59:59Z")).to_string(),
        "2026-11-30"
    );
}

#[test]
fn new_year_in_korea_moves_year_and_previous_month_back_across_the_boundary() {
    let out = current_year_month(utc("2026-12-31T15:00:00Z"));
    assert_eq!(out.year_month, "202701");
    assert_eq!(out.previous_year_month, "202612");
    assert!(out.note.contains("previous_year_month"));
}

#[test]
fn wall_clock_wrapper_agrees_with_the_injected_clock() {
    let before = YearMonth::current_kst(Utc::now());
    let out = get_current_year_month();
    let after = YearMonth::current_kst(Utc::now());
    assert!(out.year_month == before.to_string() || out.year_month == after.to_string());
}

#[test]
fn new_rejects_impossible_months() {
    assert_eq!(YearMonth::new(2024, 0), None);
    assert_eq!(YearMonth::new(2024, 13), None);
    assert_eq!(YearMonth::new(10_000, 1), None);
    assert_eq!(ym(2024, 3).to_string(), "202403");
}

#[test]
fn previous_and_next_cross_year_boundaries() {
    assert_eq!(ym(2024, 1).previous(), ym(2023, 12));
    assert_eq!(ym(2024, 5).previous(), ym(2024, 4));
    assert_eq!(ym(2023, 12).next(), ym(2024, 1));
    assert_eq!(ym(2024, 5).next(), ym(2024, 6));
}

#[test]
fn through_iterates_inclusive_ranges_oldest_first() {
    let months: Vec<String> = ym(2023, 11)
        .through(ym(2024, 2))
        .map(|m| m.to_string())
        .collect();
    assert_eq!(months, ["202311", "202312", "202401", "202402"]);
    assert_eq!(ym(2024, 2).through(ym(2024, 2)).count(), 1);
    assert_eq!(ym(2024, 3).through(ym(2024, 2)).count(), 0);
}

#[test]
fn serializes_as_the_yyyymm_string() {
    assert_eq!(serde_json::to_value(ym(2006, 1)).unwrap(), "200601");
}

#[test]
fn parse_argument_accepts_both_spellings_within_range() {
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap();
    assert_eq!(
        YearMonth::parse_argument("year_month", "202403", now),
        Ok(ym(2024, 3))
    );
    assert_eq!(
        YearMonth::parse_argument("year_month", " 2024-03 ", now),
        Ok(ym(2024, 3))
    );
    assert_eq!(
        YearMonth::parse_argument("year_month", "200601", now),
        Ok(YearMonth::FIRST_AVAILABLE)
    );
    assert_eq!(
        YearMonth::parse_argument("year_month", "202603", now),
        Ok(ym(2026, 3))
    );
}

#[test]
fn parse_argument_rejects_bad_formats_with_an_example() {
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap();
    for bad in [
        "2024",
        "2024-3",
        "24-03",
        "2024/03",
        "abcdef",
        "2024033",
        "２０２４０３",
        "",
    ] {
        let err = YearMonth::parse_argument("year_month", bad, now).unwrap_err();
        assert!(err.message().contains("`year_month`"), "{bad}: {err}");
        assert!(err.message().contains("YYYYMM"), "{bad}: {err}");
        assert!(err.message().contains("e.g. 202603"), "{bad}: {err}");
    }
    let err = YearMonth::parse_argument("year_month", "202413", now).unwrap_err();
    assert!(err.message().contains("01 to 12"), "{err}");
}

#[test]
fn a_huge_bad_argument_is_quoted_only_in_part() {
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap();
    let huge = "2024년 3월".repeat(10_000);
    let err = YearMonth::parse_argument("year_month", &huge, now).unwrap_err();
    assert!(
        err.message().contains("\"2024년 3월2024년 3월2024\"…"),
        "{err}"
    );
    assert!(err.message().len() < 400, "{} bytes", err.message().len());
    let short = YearMonth::parse_argument("year_month", "2024/03", now).unwrap_err();
    assert!(short.message().contains("\"2024/03\" is not"), "{short}");
}

#[test]
fn parse_argument_rejects_months_before_2006_and_in_the_future() {
    let now = utc("2026-11-30T15:30:00Z");
    let early = YearMonth::parse_argument("start", "200512", now).unwrap_err();
    assert!(early.message().contains("`start`"), "{early}");
    assert!(early.message().contains("from 200601 to 202612"), "{early}");

    // December has begun in Korea although it is still November in UTC.
    assert_eq!(
        YearMonth::parse_argument("start", "202612", now),
        Ok(ym(2026, 12))
    );
    let future = YearMonth::parse_argument("start", "202701", now).unwrap_err();
    assert!(future.message().contains("future"), "{future}");
    assert!(future.message().contains("202612"), "{future}");
}

#[test]
fn a_month_is_recent_while_its_deals_can_still_be_reported() {
    // A contract of 30 November may be reported until 30 December (KST), not to the month's
    // turn: the notes and the cache lifetime agree on the day.
    assert!(ym(2026, 11).still_reported(utc("2026-12-30T03:00:00Z")));
    assert!(!ym(2026, 11).still_reported(utc("2026-12-30T15:00:00Z")));
    assert!(ym(2026, 12).still_reported(utc("2026-12-31T03:00:00Z")));
    assert!(!ym(2026, 10).still_reported(utc("2026-12-01T03:00:00Z")));
}
