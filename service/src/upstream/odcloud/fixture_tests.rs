//! Answers recorded from the live Applyhome services, read with the real parsers and compared
//! column for column with what the stand-in serves. Sources are listed in
//! `tests/fixtures/upstream/README.md`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{CompetitionRow, NoticeRow, Parsed, parse_body};

const NOTICES: &str = include_str!("../../../tests/fixtures/upstream/odcloud/notices.json");

/// One competition line as a design document quoted it (one row, not a whole answer).
const COMPETITION_ROW: &str =
    include_str!("../../../tests/fixtures/upstream/odcloud/competition-row.json");

fn columns(row: &Value) -> BTreeSet<&str> {
    row.as_object()
        .expect("rows are objects")
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn the_recorded_notice_page_parses_with_its_counts_and_values() {
    let Ok(Parsed::Page(page)) = parse_body::<NoticeRow>(NOTICES.as_bytes()) else {
        panic!("the recorded notices must parse as a page");
    };
    assert_eq!((page.match_count, page.total_count), (2591, 2591));
    assert_eq!((page.page, page.per_page, page.rows.len()), (2, 10, 2));
    let first = &page.rows[0];
    assert_eq!(first.house_manage_no.get(), Some("2025000563"));
    assert_eq!(first.pblanc_no.get(), Some("2025000563"));
    assert_eq!(first.house_nm.get(), Some("엘리프 세종 스마트시티"));
    assert_eq!(first.subscrpt_area_code.get(), Some("338"));
    assert_eq!(first.subscrpt_area_code_nm.get(), Some("세종"));
    assert_eq!(first.tot_suply_hshldco.count(), Some(424));
    assert_eq!(first.rcrit_pblanc_de.get(), Some("2025-11-21"));
    assert_eq!(first.gnrl_rnk1_etc_gg_rcptde.get(), None, "null is absent");
    assert_eq!(first.parcprc_uls_at.get(), Some("Y"));
    assert_eq!(first.mvn_prearnge_ym.get(), Some("202802"));
    let second = &page.rows[1];
    assert_eq!(second.subscrpt_area_code_nm.get(), Some("인천"));
    assert_eq!(second.tot_suply_hshldco.count(), Some(1349));
    assert!(
        second
            .pblanc_url
            .get()
            .is_some_and(|url| url.ends_with("houseManageNo=2025000560&pblancNo=2025000560"))
    );
}

#[test]
fn the_stand_in_serves_exactly_the_recorded_notice_columns() {
    let recorded: Value = serde_json::from_str(NOTICES).expect("valid JSON");
    let rows = recorded["data"].as_array().expect("a data list");
    let real = columns(&rows[0]);
    for row in rows {
        assert_eq!(
            columns(row),
            real,
            "every recorded row carries every column"
        );
    }
    for (index, row) in testkit::odcloud::data::notices().iter().enumerate() {
        let served = columns(row);
        let missing: Vec<_> = real.difference(&served).collect();
        let extra: Vec<_> = served.difference(&real).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "stand-in notice {index} drifted: missing {missing:?}, extra {extra:?}"
        );
    }
}

/// Whether a cell is sent as a string or as a number (the parser is lenient, the stand-in
/// should still send what the service sends).
fn kinds(row: &Value) -> Vec<(&str, &'static str)> {
    row.as_object()
        .expect("rows are objects")
        .iter()
        .map(|(column, value)| {
            let kind = match value {
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Null => "null",
                _ => "other",
            };
            (column.as_str(), kind)
        })
        .collect()
}

#[test]
fn the_recorded_competition_line_reads_rank_requests_and_rate() {
    let row: CompetitionRow = serde_json::from_str(COMPETITION_ROW).expect("a row");
    assert_eq!(row.house_manage_no.get(), Some("2026000355"));
    assert_eq!(
        row.house_ty.get(),
        Some("036.9533"),
        "the padding is dropped"
    );
    assert_eq!(row.model_no.get(), Some("01"));
    assert_eq!(row.subscrpt_rank_code.get(), Some("1"), "sent as a number");
    assert_eq!(
        (row.reside_secd.get(), row.reside_senm.get()),
        (Some("01"), Some("해당지역"))
    );
    assert_eq!(row.suply_hshldco.count(), Some(10));
    assert_eq!(row.req_cnt.count(), Some(730), "sent as a string");
    assert_eq!(row.cmpet_rate.get(), Some("73.00"));
}

#[test]
fn the_stand_in_competition_lines_have_the_recorded_columns_and_kinds() {
    let recorded: Value = serde_json::from_str(COMPETITION_ROW).expect("valid JSON");
    let real = kinds(&recorded);
    let served = testkit::odcloud::detail::competition();
    assert!(!served.is_empty());
    for (index, row) in served.iter().enumerate() {
        assert_eq!(
            kinds(row),
            real,
            "stand-in competition line {index} drifted"
        );
    }
}
