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

/// A file in a fresh temporary directory, removed when dropped.
struct Fixture(std::path::PathBuf);

impl Fixture {
    fn new(name: &str, bytes: &[u8]) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "regions-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        Self(path)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const CODE_GO_KR_SAMPLE: &str = "법정동코드\t법정동명\t폐지여부\r\n\
    1100000000\t서울특별시\t존재\r\n\
    1144000000\t서울특별시 마포구\t존재\r\n\
    1144010100\t서울특별시 마포구 아현동\t존재\r\n\
    1144010200\t서울특별시 마포구 공덕동\t존재\r\n\
    1144099900\t서울특별시 마포구 옛동\t폐지\r\n\
    2811000000\t인천광역시 중구\t존재\r\n\
    2811011000\t인천광역시 중구 운서동\t존재\r\n\
    4111000000\t경기도 수원시\t존재\r\n\
    4111100000\t경기도 수원시 장안구\t존재\r\n\
    4111112900\t경기도 수원시 장안구 파장동\t존재\r\n\
    4182000000\t경기도 가평군\t존재\r\n\
    4182025021\t경기도 가평군 가평읍 달전리\t존재\r\n";

fn check_sample(index: &RegionIndex) {
    assert_eq!(index.sigungu_count(), 4);
    assert_eq!(index.dong_count(), 5);
    let r = match index.lookup("1144010200") {
        Lookup::Resolved(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (
            r.lawd_cd.as_str(),
            r.dong.as_deref(),
            r.dong_code.as_deref()
        ),
        ("11440", Some("공덕동"), Some("1144010200"))
    );
    let Lookup::Resolved(r) = index.lookup("1144099900") else {
        panic!("an abolished 읍면동 code still names its 시군구");
    };
    assert!(r.note.unwrap().contains("not a current 읍면동 code"));
    let Lookup::Resolved(r) = index.lookup("공덕동") else {
        panic!("공덕동 is in the file");
    };
    assert_eq!(r.dong_code.as_deref(), Some("1144010200"));
    let Lookup::Resolved(r) = index.lookup("달전리") else {
        panic!("달전리 is in the file");
    };
    assert_eq!(
        (r.lawd_cd.as_str(), r.dong.as_deref()),
        ("41820", Some("가평읍 달전리"))
    );
    assert_eq!(index.name_of("41111"), Some("경기도 수원시 장안구"));
    assert_eq!(
        index.name_of("41110"),
        None,
        "a 시 with 구 is not a LAWD_CD"
    );
    assert!(matches!(index.lookup("옛동"), Lookup::NotFound { .. }));
}

#[test]
fn override_file_in_utf8_is_loaded() {
    let fixture = Fixture::new("법정동코드 전체자료.txt", CODE_GO_KR_SAMPLE.as_bytes());
    let index = RegionIndex::from_code_go_kr_file(&fixture.0).unwrap();
    check_sample(&index);
    assert_eq!(index.source(), &RegionSource::File(fixture.0.clone()));
}

#[test]
fn override_file_with_bom_is_loaded() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(CODE_GO_KR_SAMPLE.as_bytes());
    let fixture = Fixture::new("bom.txt", &bytes);
    check_sample(&RegionIndex::from_code_go_kr_file(&fixture.0).unwrap());
}

#[test]
fn override_file_in_euc_kr_is_loaded() {
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(CODE_GO_KR_SAMPLE);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must not be UTF-8"
    );
    let fixture = Fixture::new("euc-kr.txt", &bytes);
    check_sample(&RegionIndex::from_code_go_kr_file(&fixture.0).unwrap());
}

#[test]
fn the_override_file_decides_which_codes_are_current() {
    let newer = "2812500000\t인천광역시 제물포구\t존재\n2815500000\t인천광역시 영종구\t존재\n";
    let old_and_new = format!("{CODE_GO_KR_SAMPLE}{newer}");
    let fixture = Fixture::new("both.txt", old_and_new.as_bytes());
    let index = RegionIndex::from_code_go_kr_file(&fixture.0).unwrap();
    let Lookup::Resolved(r) = index.lookup("28110") else {
        panic!("the file says 28110 still exists");
    };
    assert_eq!(r.name, "인천광역시 중구");

    let only_new = format!(
        "{}{newer}",
        CODE_GO_KR_SAMPLE
            .replace(
                "2811000000\t인천광역시 중구\t존재",
                "2811000000\t인천광역시 중구\t폐지"
            )
            .replace("2811011000\t인천광역시 중구 운서동\t존재\r\n", "")
    );
    let fixture = Fixture::new("new.txt", only_new.as_bytes());
    let index = RegionIndex::from_code_go_kr_file(&fixture.0).unwrap();
    assert_eq!(
        new_codes(&match index.lookup("28110") {
            Lookup::Renamed(r) => r,
            other => panic!("{other:?}"),
        }),
        vec!["28125", "28155"]
    );
}

#[test]
fn override_file_errors_name_the_file_and_the_fix() {
    let missing = std::env::temp_dir().join("regions-test-no-such-dir/none.txt");
    let err = RegionIndex::from_code_go_kr_file(&missing).unwrap_err();
    assert!(matches!(err, RegionError::Read { .. }));
    assert!(err.to_string().contains("none.txt"), "{err}");

    let garbage = Fixture::new("garbage.txt", b"\xFF\xFE\xFF\xFE\x00\x81");
    let err = RegionIndex::from_code_go_kr_file(&garbage.0).unwrap_err();
    assert!(matches!(err, RegionError::Encoding { .. }), "{err}");
    assert!(err.to_string().contains("garbage.txt"), "{err}");

    let short = Fixture::new(
        "short.txt",
        "법정동코드\t법정동명\t폐지여부\n1144000000\t마포구\n".as_bytes(),
    );
    let err = RegionIndex::from_code_go_kr_file(&short.0).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("short.txt, line 2"), "{message}");
    assert!(message.contains("3 tab-separated columns"), "{message}");

    let empty = Fixture::new("empty.txt", "법정동코드\t법정동명\t폐지여부\n".as_bytes());
    let err = RegionIndex::from_code_go_kr_file(&empty.0).unwrap_err();
    assert!(matches!(err, RegionError::Empty { .. }), "{err}");
}
