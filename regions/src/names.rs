//! How names are compared: one normal form for table names and user queries, the shorter
//! forms people type, and the names of the 시도.

/// The normal form every index key and every query is reduced to: letters and digits only
/// (Hangul, Hanja, ASCII), lower-cased, with spaces and punctuation removed, so that
/// "서울 마포구", "서울마포구" and "서울, 마포구." compare equal.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The keys a 시군구 or 시 name is found by: the name itself and, when it ends in 시/군/구 and
/// at least two characters remain, the name without that suffix ("마포구" → "마포"). A single
/// remaining character ("중" of "중구") would match far too much, so it is not a key.
/// Each key comes with `true` when it is the shortened form.
pub(crate) fn district_keys(name: &str) -> Vec<(String, bool)> {
    let full = normalize(name);
    let mut keys = Vec::with_capacity(2);
    if let Some(stem) = full.strip_suffix(['시', '군', '구'])
        && stem.chars().count() >= 2
    {
        keys.push((stem.to_owned(), true));
    }
    keys.push((full, false));
    keys
}

/// The keys a 읍면동 or 리 is found by. `name` is the part below the 시군구: "공덕동" or
/// "화양읍 범곡리". A 리 is found with and without its 읍면; a name with a Hanja note
/// ("기암리(岐岩)") is found with and without the note.
pub(crate) fn dong_keys(name: &str) -> Vec<String> {
    let mut keys = Vec::with_capacity(4);
    let mut push = |key: String| {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    };
    let plain = without_parenthetical(name);
    push(normalize(name));
    push(normalize(&plain));
    if let Some((_, village)) = name.rsplit_once(' ') {
        push(normalize(village));
        if let Some((_, plain_village)) = plain.rsplit_once(' ') {
            push(normalize(plain_village));
        }
    }
    keys
}

fn without_parenthetical(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Short and long names people use for each 시도, with its two-digit code. Codes of 시도 that
/// no longer exist (29 광주광역시, 46 전라남도, 42 강원도, 45 전라북도) are listed too, so
/// "광주 동구" or "강원도 춘천시" reach the old district and its successor rather than a typo.
/// Official full names found in the table are added to these when the index is built.
pub(crate) const SIDO_ALIASES: &[(&str, &str)] = &[
    ("서울", "11"),
    ("서울시", "11"),
    ("서울특별시", "11"),
    ("부산", "26"),
    ("부산시", "26"),
    ("부산광역시", "26"),
    ("대구", "27"),
    ("대구시", "27"),
    ("대구광역시", "27"),
    ("인천", "28"),
    ("인천시", "28"),
    ("인천광역시", "28"),
    ("대전", "30"),
    ("대전시", "30"),
    ("대전광역시", "30"),
    ("울산", "31"),
    ("울산시", "31"),
    ("울산광역시", "31"),
    ("세종", "36"),
    ("세종시", "36"),
    ("세종특별자치시", "36"),
    ("경기", "41"),
    ("경기도", "41"),
    ("충북", "43"),
    ("충청북도", "43"),
    ("충남", "44"),
    ("충청남도", "44"),
    ("경북", "47"),
    ("경상북도", "47"),
    ("경남", "48"),
    ("경상남도", "48"),
    ("제주", "50"),
    ("제주도", "50"),
    ("제주특별자치도", "50"),
    ("강원", "51"),
    ("강원특별자치도", "51"),
    ("전북", "52"),
    ("전북특별자치도", "52"),
    ("전남광주", "12"),
    ("광주전남", "12"),
    ("전남광주특별시", "12"),
    ("전남광주통합특별시", "12"),
    ("광주", "29"),
    ("광주시", "29"),
    ("광주광역시", "29"),
    ("전남", "46"),
    ("전라남도", "46"),
    ("강원도", "42"),
    ("전라북도", "45"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_spaces_and_punctuation() {
        assert_eq!(normalize(" 서울,  마포구. "), "서울마포구");
        assert_eq!(normalize("종로 1가"), "종로1가");
        assert_eq!(normalize("Seoul-Mapo"), "seoulmapo");
    }

    #[test]
    fn district_keys_add_a_stem_only_when_two_characters_remain() {
        assert_eq!(
            district_keys("마포구"),
            vec![("마포".to_owned(), true), ("마포구".to_owned(), false)]
        );
        assert_eq!(district_keys("중구"), vec![("중구".to_owned(), false)]);
    }

    #[test]
    fn dong_keys_cover_village_and_hanja_forms() {
        assert_eq!(dong_keys("공덕동"), vec!["공덕동"]);
        assert_eq!(
            dong_keys("미원면 기암리(岐岩)"),
            vec!["미원면기암리岐岩", "미원면기암리", "기암리岐岩", "기암리"]
        );
    }
}
