//! Applyhome's supply areas (공급지역): the 17 시·도 with the codes and short names the
//! service files notices and statistics under.
//!
//! This is deliberately not the legal-district table: Applyhome groups by 시·도 with its
//! own three-digit codes (100 서울, 410 경기, …), and a 시·군·구 belongs in an address
//! filter instead.

/// One supply area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Area {
    /// Applyhome's code (`SUBSCRPT_AREA_CODE`).
    pub code: &'static str,
    /// The short name the service uses (`SUBSCRPT_AREA_CODE_NM`).
    pub name: &'static str,
    /// Official and common long forms people type.
    aliases: &'static [&'static str],
}

const fn area(code: &'static str, name: &'static str, aliases: &'static [&'static str]) -> Area {
    Area {
        code,
        name,
        aliases,
    }
}

// "광주시" is deliberately absent: it is also a city in 경기도.
const AREAS: [Area; 17] = [
    area("100", "서울", &["서울특별시", "서울시"]),
    area("600", "부산", &["부산광역시", "부산시"]),
    area("700", "대구", &["대구광역시", "대구시"]),
    area("400", "인천", &["인천광역시", "인천시"]),
    area("500", "광주", &["광주광역시"]),
    area("300", "대전", &["대전광역시", "대전시"]),
    area("680", "울산", &["울산광역시", "울산시"]),
    area("338", "세종", &["세종특별자치시", "세종시"]),
    area("410", "경기", &["경기도"]),
    area("200", "강원", &["강원특별자치도", "강원도"]),
    area("360", "충북", &["충청북도"]),
    area("312", "충남", &["충청남도"]),
    area("560", "전북", &["전북특별자치도", "전라북도"]),
    area("513", "전남", &["전라남도"]),
    area("712", "경북", &["경상북도"]),
    area("621", "경남", &["경상남도"]),
    area("690", "제주", &["제주특별자치도", "제주도"]),
];

/// Names of 전남광주통합특별시, the 시·도 made on 2026-07-01 by merging 광주광역시 and
/// 전라남도 (written without spaces or the middle dot, as [`merged_gwangju_jeonnam`] compares).
///
/// Nothing public says how Applyhome files the merged 시·도. When 전라북도 became
/// 전북특별자치도 in 2024, Applyhome kept code 560 and the short name 전북, so the two
/// areas 500 광주 and 513 전남 most likely continue; one name cannot stand for both in a
/// single filter, so these names get an explanation instead of a guess.
const GWANGJU_JEONNAM_MERGED: [&str; 5] = [
    "전남광주통합특별시",
    "전남광주특별시",
    "전남광주",
    "광주전남",
    "광주전남통합특별시",
];

/// Finds the area a person meant by a short or long 시·도 name or an Applyhome code;
/// spaces are ignored.
pub(super) fn find(input: &str) -> Option<Area> {
    let wanted = squeezed(input);
    AREAS
        .iter()
        .find(|a| a.code == wanted || a.name == wanted || a.aliases.contains(&wanted.as_str()))
        .copied()
}

/// The two areas (광주, 전남) when `input` names the merged 전남광주통합특별시.
pub(super) fn merged_gwangju_jeonnam(input: &str) -> Option<[Area; 2]> {
    let wanted = squeezed(input).replace(['·', ',', '/'], "");
    let gwangju = find("500")?;
    let jeonnam = find("513")?;
    GWANGJU_JEONNAM_MERGED
        .contains(&wanted.as_str())
        .then_some([gwangju, jeonnam])
}

/// The input without spaces.
fn squeezed(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The short names, for error messages.
pub(super) fn names() -> String {
    AREAS.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_coded_forms_find_the_same_area() {
        for input in ["서울", "서울특별시", " 서울 특별시 ", "100"] {
            assert_eq!(find(input).map(|a| a.code), Some("100"), "{input}");
        }
        assert_eq!(find("전라북도").map(|a| a.name), Some("전북"));
        assert_eq!(find("강원도").map(|a| a.code), Some("200"));
    }

    #[test]
    fn district_names_and_the_gyeonggi_gwangju_are_not_areas() {
        for input in ["강남구", "광주시", "수원", "", "999"] {
            assert_eq!(find(input), None, "{input}");
        }
    }

    #[test]
    fn codes_in_a_recorded_live_answer_match_the_table() {
        // The recorded notice page files each notice under a code and a short name; both
        // must lead to the same area here (see tests/fixtures/upstream/README.md).
        let recorded: serde_json::Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/upstream/odcloud/notices.json"
        ))
        .unwrap();
        let rows = recorded["data"].as_array().unwrap();
        assert!(!rows.is_empty());
        for row in rows {
            let code = row["SUBSCRPT_AREA_CODE"].as_str().unwrap();
            let name = row["SUBSCRPT_AREA_CODE_NM"].as_str().unwrap();
            assert_eq!(find(code).map(|a| a.name), Some(name), "{code}");
            assert_eq!(find(name).map(|a| a.code), Some(code), "{name}");
        }
    }

    #[test]
    fn the_merged_gwangju_jeonnam_names_both_areas_and_matches_neither_alone() {
        for input in ["전남광주통합특별시", "전남 광주", "광주·전남", "광주/전남"]
        {
            assert_eq!(find(input), None, "{input}");
            let pair = merged_gwangju_jeonnam(input).map(|areas| areas.map(|a| a.code));
            assert_eq!(pair, Some(["500", "513"]), "{input}");
        }
        for input in ["광주", "전남", "광주광역시", "전라남도", "경기"] {
            assert_eq!(merged_gwangju_jeonnam(input), None, "{input}");
        }
    }

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<_> = AREAS.iter().map(|a| a.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 17);
        assert!(names().starts_with("서울, 부산"));
    }
}
