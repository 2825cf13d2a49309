//! An answer recorded from the live notice service, read with the real parser and compared
//! column for column with what the stand-in serves. Sources are listed in
//! `tests/fixtures/upstream/README.md`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{NoticeRow, Parsed, parse_body};

const NOTICES: &str = include_str!("../../../tests/fixtures/upstream/odcloud/notices.json");

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
