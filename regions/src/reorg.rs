//! Districts that no longer exist under their old code, and where they went.
//!
//! The tools ask the new code first, on the assumption that the transaction services re-key
//! history to it. No source confirms that (docs/upstream-notes.md), so for months up to the
//! change a new code without deals is followed by one request for each old code (see
//! `tools::district_months`). Code.go.kr marks abolished codes but does not say what replaced
//! them, so the successor links are kept here, with the reason and the date a person can check.

use chrono::NaiveDate;

/// One administrative change: why codes moved and when.
#[derive(Debug)]
pub(crate) struct Event {
    /// When the change took effect (as precise as the source states it).
    pub date: &'static str,
    /// What happened, in one sentence.
    pub reason: &'static str,
}

/// One abolished 시군구 code with its old full name and the code(s) that now cover it.
#[derive(Debug)]
pub(crate) struct Move {
    /// The abolished five-digit code.
    pub old_code: &'static str,
    /// Its full name before the change.
    pub old_name: &'static str,
    /// The current codes that carry its records.
    pub new_codes: &'static [&'static str],
    /// Why and when.
    pub event: &'static Event,
}

/// A whole 시도 whose codes moved to a new 시도 code with the same last three digits.
#[derive(Debug)]
pub(crate) struct SidoRename {
    /// The old two-digit 시도 code.
    pub old_sido: &'static str,
    /// The old full 시도 name.
    pub old_name: &'static str,
    /// The new two-digit 시도 code.
    pub new_sido: &'static str,
    /// Why and when.
    pub event: &'static Event,
}

const GANGWON_2023: Event = Event {
    date: "2023-06-11",
    reason: "강원도 became 강원특별자치도 and its codes moved from 42xxx to 51xxx",
};

const JEONBUK_2024: Event = Event {
    date: "2024-01-18",
    reason: "전라북도 became 전북특별자치도 and its codes moved from 45xxx to 52xxx",
};

/// 시도 renamed wholesale; each of their 시군구 keeps its last three digits.
pub(crate) const SIDO_RENAMES: &[SidoRename] = &[
    SidoRename {
        old_sido: "42",
        old_name: "강원도",
        new_sido: "51",
        event: &GANGWON_2023,
    },
    SidoRename {
        old_sido: "45",
        old_name: "전라북도",
        new_sido: "52",
        event: &JEONBUK_2024,
    },
];

/// The codes one change abolished: its date and reason (an [`Event`]), then each old code
/// with its old name and the codes that now carry its records.
macro_rules! moves {
    ($date:literal, $reason:literal;
     $($old:literal $name:literal => [$($new:literal),+]),+ $(,)?) => {{
        const EVENT: Event = Event { date: $date, reason: $reason };
        &[$(Move { old_code: $old, old_name: $name, new_codes: &[$($new),+], event: &EVENT }),+]
    }};
}

const INCHEON_MOVES: &[Move] = moves![
    "2026-07",
    "인천광역시 reorganised its 구: 중구 was split into 제물포구 (inland) and 영종구 \
     (영종도), 동구 joined 제물포구, and 서구 was split into 서해구 and 검단구";
    "28110" "인천광역시 중구" => ["28125", "28155"],
    "28140" "인천광역시 동구" => ["28125"],
    "28260" "인천광역시 서구" => ["28275", "28290"],
];

const GWANGJU_JEONNAM_MOVES: &[Move] = moves![
    "2026-07",
    "광주광역시 and 전라남도 merged into 전남광주통합특별시 (시도 code 12)";
    "29110" "광주광역시 동구" => ["12210"],
    "29140" "광주광역시 서구" => ["12240"],
    "29155" "광주광역시 남구" => ["12270"],
    "29170" "광주광역시 북구" => ["12300"],
    "29200" "광주광역시 광산구" => ["12330"],
    "46110" "전라남도 목포시" => ["12110"],
    "46130" "전라남도 여수시" => ["12130"],
    "46150" "전라남도 순천시" => ["12150"],
    "46170" "전라남도 나주시" => ["12170"],
    "46230" "전라남도 광양시" => ["12190"],
    "46710" "전라남도 담양군" => ["12710"],
    "46720" "전라남도 곡성군" => ["12720"],
    "46730" "전라남도 구례군" => ["12730"],
    "46770" "전라남도 고흥군" => ["12740"],
    "46780" "전라남도 보성군" => ["12750"],
    "46790" "전라남도 화순군" => ["12760"],
    "46800" "전라남도 장흥군" => ["12770"],
    "46810" "전라남도 강진군" => ["12780"],
    "46820" "전라남도 해남군" => ["12790"],
    "46830" "전라남도 영암군" => ["12800"],
    "46840" "전라남도 무안군" => ["12810"],
    "46860" "전라남도 함평군" => ["12820"],
    "46870" "전라남도 영광군" => ["12830"],
    "46880" "전라남도 장성군" => ["12840"],
    "46890" "전라남도 완도군" => ["12850"],
    "46900" "전라남도 진도군" => ["12860"],
    "46910" "전라남도 신안군" => ["12870"],
];

const GUNWI_MOVES: &[Move] = moves![
    "2023-07-01",
    "군위군 moved from 경상북도 to 대구광역시";
    "47720" "경상북도 군위군" => ["27720"],
];

const BUCHEON_MOVES: &[Move] = moves![
    "2024-01-01",
    "부천시 was divided into three 구 (원미구, 소사구, 오정구), which now carry its records";
    "41190" "경기도 부천시" => ["41192", "41194", "41196"],
];

const HWASEONG_MOVES: &[Move] = moves![
    "2026-02-01",
    "화성시 was divided into four 구 (만세구, 효행구, 병점구, 동탄구), which now carry \
     its records";
    "41590" "경기도 화성시" => ["41591", "41593", "41595", "41597"],
];

/// The first day under the new codes, from an [`Event`] date: `2023-06-11`, or `2026-07`
/// for the first of that month.
pub(crate) fn effective(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{date}-01"), "%Y-%m-%d"))
        .ok()
}

/// Every individually listed move, newest reorganisations first.
pub(crate) fn moves() -> impl Iterator<Item = &'static Move> {
    [
        INCHEON_MOVES,
        GWANGJU_JEONNAM_MOVES,
        GUNWI_MOVES,
        BUCHEON_MOVES,
        HWASEONG_MOVES,
    ]
    .into_iter()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{BUILTIN_TSV, parse_builtin};

    /// Catches a mistyped code or name in the lists above: every successor exists in the
    /// built-in table, no old code does, and where a district kept its name the old and new
    /// names end the same way.
    #[test]
    fn moves_agree_with_the_builtin_table() {
        let table = parse_builtin(BUILTIN_TSV).unwrap();
        let name = |code: &str| {
            table
                .districts
                .iter()
                .find(|d| d.code == code)
                .map(|d| d.name.as_str())
        };
        for m in moves() {
            assert_eq!(name(m.old_code), None, "{} is still current", m.old_code);
            for new in m.new_codes {
                assert!(
                    name(new).is_some(),
                    "{new} (from {}) is unknown",
                    m.old_code
                );
            }
            let local = |full: &str| full.rsplit(' ').next().unwrap_or_default().to_owned();
            if m.event.reason.contains("merged") || m.event.reason.contains("moved from") {
                let new_name = name(m.new_codes[0]).unwrap();
                assert_eq!(local(m.old_name), local(new_name), "{}", m.old_code);
            }
        }
        for m in moves() {
            assert!(effective(m.event.date).is_some(), "{}", m.event.date);
        }
        for rename in SIDO_RENAMES {
            assert!(effective(rename.event.date).is_some());
            assert!(
                table
                    .districts
                    .iter()
                    .any(|d| d.code.starts_with(rename.new_sido))
            );
            assert!(
                !table
                    .districts
                    .iter()
                    .any(|d| d.code.starts_with(rename.old_sido))
            );
        }
    }
}
