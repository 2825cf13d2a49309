//! Matching rules against the built-in table, and the code.go.kr file loader.

use std::sync::OnceLock;

use super::*;

fn index() -> &'static RegionIndex {
    static INDEX: OnceLock<RegionIndex> = OnceLock::new();
    INDEX.get_or_init(|| RegionIndex::builtin().expect("built-in table loads"))
}

#[track_caller]
fn resolved(query: &str) -> Resolved {
    match index().lookup(query) {
        Lookup::Resolved(r) => r,
        other => panic!("{query}: expected resolved, got {other:?}"),
    }
}

#[track_caller]
fn code(query: &str) -> String {
    resolved(query).lawd_cd
}

#[track_caller]
fn ambiguous(query: &str) -> Vec<String> {
    match index().lookup(query) {
        Lookup::Ambiguous { candidates } => {
            let mut codes: Vec<String> = candidates.into_iter().map(|c| c.lawd_cd).collect();
            codes.sort();
            codes
        }
        other => panic!("{query}: expected ambiguous, got {other:?}"),
    }
}

#[track_caller]
fn renamed(query: &str) -> Renamed {
    match index().lookup(query) {
        Lookup::Renamed(r) => r,
        other => panic!("{query}: expected renamed, got {other:?}"),
    }
}

fn new_codes(r: &Renamed) -> Vec<&str> {
    r.new.iter().map(|c| c.lawd_cd.as_str()).collect()
}

#[test]
fn builtin_counts_and_provenance() {
    assert_eq!(index().sigungu_count(), 256);
    assert_eq!(index().dong_count(), 20532 - 256);
    assert_eq!(
        index().source(),
        &RegionSource::Builtin {
            snapshot: "2026-10-08"
        }
    );
    assert!(index().source().to_string().contains("2026-10-08"));
}

#[test]
fn name_of_knows_current_codes_only() {
    assert_eq!(index().name_of("11440"), Some("서울특별시 마포구"));
    assert_eq!(index().name_of("41192"), Some("경기도 부천시 원미구"));
    assert_eq!(index().name_of("28110"), None);
    assert_eq!(index().name_of("99999"), None);
}

#[test]
fn sido_short_and_long_forms_with_district() {
    for query in [
        "서울 마포구",
        "서울시 마포구",
        "서울특별시 마포구",
        "서울마포구",
    ] {
        assert_eq!(code(query), "11440", "{query}");
    }
    assert_eq!(code("서울 중구"), "11140");
    assert_eq!(code("부산 중구"), "26110");
    assert_eq!(code("대구광역시 중구"), "27110");
    assert_eq!(code("강원 춘천시"), "51110");
    assert_eq!(code("강원특별자치도 춘천시"), "51110");
    assert_eq!(code("전북 전주시 완산구"), "52111");
    assert_eq!(code("경북 포항시 북구"), "47113");
}

#[test]
fn old_long_sido_forms_reach_the_new_codes() {
    let r = renamed("강원도 춘천시");
    assert_eq!(
        (r.old_code.as_str(), new_codes(&r)),
        ("42110", vec!["51110"])
    );
    assert!(r.reason.contains("강원특별자치도"), "{}", r.reason);
    let r = renamed("전라북도 전주시 덕진구");
    assert_eq!(
        (r.old_code.as_str(), new_codes(&r)),
        ("45113", vec!["52113"])
    );
}

#[test]
fn bare_district_names() {
    assert_eq!(code("마포구"), "11440");
    let bundang = resolved("분당구");
    assert_eq!(
        (bundang.lawd_cd.as_str(), bundang.name.as_str()),
        ("41135", "경기도 성남시 분당구")
    );
    assert_eq!(bundang.matched_by, MatchedBy::Name);
    assert_eq!(
        ambiguous("중구"),
        vec![
            "11140", "26110", "27110", "28125", "28155", "30140", "31110"
        ]
    );
}

#[test]
fn ambiguous_candidates_from_old_names_say_where_they_came_from() {
    let Lookup::Ambiguous { candidates } = index().lookup("중구") else {
        panic!("중구 must be ambiguous");
    };
    let yeongjong = candidates.iter().find(|c| c.lawd_cd == "28155").unwrap();
    assert!(
        yeongjong
            .note
            .as_deref()
            .unwrap()
            .contains("인천광역시 중구 (28110)"),
        "{yeongjong:?}"
    );
    assert!(
        candidates
            .iter()
            .find(|c| c.lawd_cd == "11140")
            .unwrap()
            .note
            .is_none()
    );
}

#[test]
fn city_with_gu() {
    assert_eq!(code("성남시 분당구"), "41135");
    assert_eq!(code("수원 영통구"), "41117");
    assert_eq!(code("경기도 수원시 영통구"), "41117");
    assert_eq!(code("고양시 일산서구"), "41287");
    assert_eq!(ambiguous("수원"), vec!["41111", "41113", "41115", "41117"]);
    assert_eq!(ambiguous("부천시"), vec!["41192", "41194", "41196"]);
    assert_eq!(ambiguous("화성"), vec!["41591", "41593", "41595", "41597"]);
}

#[test]
fn partial_names_without_suffix() {
    let mapo = resolved("마포");
    assert_eq!(
        (mapo.lawd_cd.as_str(), mapo.matched_by),
        ("11440", MatchedBy::PartialName)
    );
    assert_eq!(code("분당"), "41135");
    assert_eq!(code("서울 강남"), "11680");
    assert_eq!(code("경기 광주"), "41610");
    let sejong = resolved("세종");
    assert_eq!(
        (sejong.lawd_cd.as_str(), sejong.name.as_str()),
        ("36110", "세종특별자치시")
    );
    assert_eq!(code("세종시"), "36110");
}

#[test]
fn dong_names_resolve_to_their_district() {
    let r = resolved("공덕동");
    assert_eq!(
        (r.lawd_cd.as_str(), r.dong.as_deref(), r.matched_by),
        ("11440", Some("공덕동"), MatchedBy::Dong)
    );
    assert_eq!(r.dong_code, None);
    assert_eq!(
        resolved("서울 마포구 공덕동").dong.as_deref(),
        Some("공덕동")
    );
    assert_eq!(code("마포구 공덕동"), "11440");
    assert_eq!(code("성남 정자동"), "41135");
    assert_eq!(
        resolved("세종특별자치시 반곡동").dong.as_deref(),
        Some("반곡동")
    );
    assert_eq!(code("종로구 종로 1가"), "11110");
    assert_eq!(ambiguous("종로1가"), vec!["11110", "27110"]);
    let village = resolved("청도군 화양읍 범곡리");
    assert_eq!(
        (village.lawd_cd.as_str(), village.dong.as_deref()),
        ("47820", Some("화양읍 범곡리"))
    );
}

#[test]
fn ambiguous_dong_lists_every_district() {
    let Lookup::Ambiguous { candidates } = index().lookup("신사동") else {
        panic!("신사동 exists in several 구");
    };
    let codes: Vec<&str> = candidates.iter().map(|c| c.lawd_cd.as_str()).collect();
    assert!(
        codes.contains(&"11680") && codes.contains(&"11380"),
        "{codes:?}"
    );
    assert!(
        candidates
            .iter()
            .all(|c| c.dong.as_deref() == Some("신사동"))
    );
    assert_eq!(code("강남구 신사동"), "11680");
}

#[test]
fn hanja_noted_villages_in_one_district_resolve_with_a_note() {
    let r = resolved("미원면 기암리");
    assert_eq!(r.lawd_cd, "43111");
    assert_eq!(r.dong, None);
    assert!(r.note.unwrap().contains("기암리(岐岩)"));
}

#[test]
fn whitespace_and_punctuation_are_ignored() {
    for query in [
        "  마포구 ",
        "서울,마포구",
        "서울 · 마포구.",
        "서울\t마포구\n",
        "(서울) 마포구",
    ] {
        assert_eq!(code(query), "11440", "{query:?}");
    }
}

#[test]
fn sido_alone_lists_its_districts() {
    assert_eq!(ambiguous("서울").len(), 25);
    assert_eq!(ambiguous("제주"), vec!["50110", "50130"]);
    assert_eq!(code("제주시"), "50110");
}

#[test]
fn five_and_ten_digit_codes() {
    let r = resolved("11440");
    assert_eq!(
        (r.name.as_str(), r.matched_by),
        ("서울특별시 마포구", MatchedBy::Code)
    );
    let r = resolved("1144010100");
    assert_eq!(
        (r.lawd_cd.as_str(), r.matched_by),
        ("11440", MatchedBy::FullCode)
    );
    assert!(r.note.unwrap().contains("no 읍면동 codes"));
    let r = resolved("1144000000");
    assert_eq!((r.matched_by, r.note), (MatchedBy::Code, None));
    assert!(matches!(index().lookup("99999"), Lookup::NotFound { .. }));
    assert!(matches!(index().lookup("1234"), Lookup::NotFound { .. }));
    assert_eq!(ambiguous("41110"), vec!["41111", "41113", "41115", "41117"]);
}

#[test]
fn reorganised_codes_name_their_successors() {
    let cases: &[(&str, &[&str])] = &[
        ("28110", &["28125", "28155"]),
        ("28140", &["28125"]),
        ("28260", &["28275", "28290"]),
        ("29110", &["12210"]),
        ("46130", &["12130"]),
        ("47720", &["27720"]),
        ("42110", &["51110"]),
        ("45111", &["52111"]),
        ("41190", &["41192", "41194", "41196"]),
        ("41590", &["41591", "41593", "41595", "41597"]),
    ];
    for (old, new) in cases {
        let r = renamed(old);
        assert_eq!(new_codes(&r), *new, "{old}");
        assert!(!r.reason.is_empty() && !r.date.is_empty(), "{old}");
    }
    let r = renamed("28110");
    assert_eq!(
        (r.old_name.as_str(), r.date.as_str()),
        ("인천광역시 중구", "2026-07")
    );
}

#[test]
fn names_removed_by_the_reorganisation() {
    assert_eq!(new_codes(&renamed("인천 중구")), vec!["28125", "28155"]);
    assert_eq!(new_codes(&renamed("인천 동구")), vec!["28125"]);
    assert_eq!(
        new_codes(&renamed("인천광역시 서구")),
        vec!["28275", "28290"]
    );
    assert_eq!(new_codes(&renamed("광주 동구")), vec!["12210"]);
    assert_eq!(new_codes(&renamed("광주광역시 광산구")), vec!["12330"]);
    let r = renamed("전라남도 목포시");
    assert_eq!(
        (r.old_code.as_str(), new_codes(&r)),
        ("46110", vec!["12110"])
    );
    assert!(r.reason.contains("전남광주통합특별시"));
    assert_eq!(new_codes(&renamed("경북 군위군")), vec!["27720"]);
}

#[test]
fn a_dong_narrows_a_split_district() {
    assert_eq!(new_codes(&renamed("인천 중구 운서동")), vec!["28155"]);
}

#[test]
fn current_names_with_history_resolve_with_a_note() {
    let r = resolved("군위군");
    assert_eq!(r.lawd_cd, "27720");
    assert!(r.note.unwrap().contains("경상북도 군위군 (47720)"));
    let r = resolved("목포시");
    assert_eq!(r.lawd_cd, "12110");
    assert!(r.note.unwrap().contains("46110"));
    assert_eq!(code("전남광주 목포시"), "12110");
    assert_eq!(resolved("용산구").note, None);
}

#[test]
fn gwangju_alone_is_ambiguous_between_the_old_metropolis_and_gyeonggi() {
    let codes = ambiguous("광주");
    assert!(codes.contains(&"41610".to_owned()));
    assert!(codes.contains(&"12210".to_owned()) && codes.contains(&"12330".to_owned()));
}

#[track_caller]
fn suggested(query: &str) -> Vec<String> {
    match index().lookup(query) {
        Lookup::NotFound { suggestions } => suggestions.into_iter().map(|c| c.lawd_cd).collect(),
        other => panic!("{query}: expected not found, got {other:?}"),
    }
}

#[test]
fn the_start_of_a_name_is_suggested_not_resolved() {
    assert_eq!(suggested("일산")[..2], ["41285", "41287"]);
    assert_eq!(suggested("창원 마산")[..2], ["48125", "48127"]);
    assert_eq!(suggested("서대")[0], "11410");
}

#[test]
fn typos_get_suggestions_never_a_guess() {
    let Lookup::NotFound { suggestions } = index().lookup("마프구") else {
        panic!("a typo must not resolve");
    };
    assert_eq!(suggestions[0].lawd_cd, "11440");
    let Lookup::NotFound { suggestions } = index().lookup("서울 마포구 공덕똥") else {
        panic!("a typo must not resolve");
    };
    assert_eq!(
        (
            suggestions[0].lawd_cd.as_str(),
            suggestions[0].dong.as_deref()
        ),
        ("11440", Some("공덕동"))
    );
    let Lookup::NotFound { suggestions } = index().lookup("분당궁") else {
        panic!("a typo must not resolve");
    };
    assert!(
        suggestions.iter().any(|s| s.lawd_cd == "41135"),
        "{suggestions:?}"
    );
    assert_eq!(
        index().lookup("zzzz"),
        Lookup::NotFound {
            suggestions: vec![]
        }
    );
}

#[test]
fn a_current_district_knows_the_codes_it_had_before_and_when_they_ended() {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let mokpo = index().formers("12110");
    assert_eq!(mokpo.len(), 1);
    assert_eq!(
        (
            mokpo[0].code.as_str(),
            mokpo[0].changed_on,
            &mokpo[0].split_dongs
        ),
        ("46110", day(2026, 7, 1), &None)
    );
    let chuncheon = index().formers("51110");
    assert_eq!(chuncheon[0].code, "42110");
    assert_eq!(chuncheon[0].changed_on, day(2023, 6, 11));
    // 제물포구 took part of 중구 (split: keep its own 읍면동) and all of 동구.
    let jemulpo = index().formers("28125");
    let codes: Vec<_> = jemulpo.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["28110", "28140"]);
    let dongs = jemulpo[0].split_dongs.as_ref().unwrap();
    assert!(dongs.iter().any(|d| d == "신포동"));
    assert!(!dongs.iter().any(|d| d == "운서동"));
    assert_eq!(jemulpo[1].split_dongs, None);
    assert!(index().formers("11440").is_empty());
    assert!(index().formers("46110").is_empty(), "not a current code");
    assert!(
        std::sync::Arc::ptr_eq(&jemulpo, &index().formers("28125")),
        "built once with the index, not per call"
    );
}
