//! Realistic values for generated items: varied enough to exercise filters and statistics,
//! deterministic so tests can compute expected figures.

use super::items::{Item, Kind, with_commas};

const DONGS: [&str; 4] = ["대치동", "역삼동", "개포동", "도곡동"];

/// An apartment complex as the detailed feed describes it: name, 동, the 동's `umdCd`, the
/// `aptSeq` serial after the district code, the road and the building's number on it.
#[rustfmt::skip]
type Complex = (&'static str, &'static str, &'static str, &'static str, &'static str, u32);

#[rustfmt::skip]
const COMPLEXES: [Complex; 5] = [
    ("래미안대치팰리스", "대치동", "10600", "4127", "삼성로51길", 37),
    ("은마", "대치동", "10600", "2013", "삼성로", 212),
    ("도곡렉슬", "도곡동", "11800", "3386", "선릉로", 221),
    ("개포자이 프레지던스", "개포동", "10300", "5120", "개포로", 310),
    ("역삼푸르지오", "역삼동", "10100", "2841", "역삼로", 415),
];
const PRESALES: [&str; 4] = [
    "디에이치 퍼스티어 아이파크",
    "래미안 원페를라",
    "청담 르엘",
    "대치 푸르지오 써밋",
];
const OFFICETELS: [&str; 3] = [
    "강남역 아이파크",
    "역삼 센트럴 푸르지오시티",
    "대치 오피스텔",
];
const VILLAS: [&str; 4] = ["대치빌라", "(101-12)", "역삼하이츠", "개포그린빌"];
const AGENT_DISTRICTS: [&str; 3] = ["서울 강남구", "서울 서초구", "서울 강남구, 서울 송파구"];

/// A small mixing function, so neighbouring items differ in every field.
fn pick(seq: u32, salt: u32, modulo: u32) -> u32 {
    let mut x = seq
        .wrapping_mul(2_654_435_761)
        .wrapping_add(salt.wrapping_mul(40_503));
    x ^= x >> 15;
    x = x.wrapping_mul(2_246_822_519);
    x ^= x >> 13;
    x % modulo.max(1)
}

fn choose<'a>(list: &[&'a str], seq: u32, salt: u32) -> &'a str {
    let len = u32::try_from(list.len()).unwrap_or(1);
    list[pick(seq, salt, len) as usize]
}

pub(super) fn fill(item: Item, kind: Kind, lawd_cd: &str, deal_ymd: &str, seq: u32) -> Item {
    let year = deal_ymd.get(..4).unwrap_or("2025");
    let month: u32 = deal_ymd.get(4..).and_then(|m| m.parse().ok()).unwrap_or(1);
    let short_year = year.get(2..).unwrap_or("25");
    let area = area_for(kind, seq);
    let mut item = item
        .set("dealYear", year)
        .set("dealMonth", month.to_string())
        .set("dealDay", (1 + pick(seq, 1, 28)).to_string())
        .set("sggCd", lawd_cd)
        .set("umdNm", choose(&DONGS, seq, 2))
        .set("buildYear", (1985 + pick(seq, 3, 39)).to_string());
    let masked = matches!(
        kind,
        Kind::DetachedHouseTrade
            | Kind::DetachedHouseRent
            | Kind::CommercialTrade
            | Kind::LandTrade
            | Kind::FactoryWarehouseTrade
    );
    let lot = 100 + pick(seq, 4, 900);
    item = item.set(
        "jibun",
        if masked {
            format!("{}**", lot / 100)
        } else {
            lot.to_string()
        },
    );
    item = match kind {
        Kind::AptTrade | Kind::AptRent | Kind::AptTradeDetailed => item
            .set("aptNm", complex(seq).0)
            .set("excluUseAr", area_text(area))
            .set("floor", (1 + pick(seq, 6, 30)).to_string()),
        Kind::PresaleRightTrade => item
            .set("aptNm", choose(&PRESALES, seq, 5))
            .set("sggNm", "강남구")
            .set("excluUseAr", area_text(area))
            .set("floor", (1 + pick(seq, 6, 35)).to_string())
            // Live answers write `입` (입주권) or leave the field blank; no `분` and no
            // words were seen (three recorded items, and 447 deals counted in one month run).
            .set("ownershipGbn", choose(&["입", "입", " "], seq, 7)),
        Kind::LandTrade => item
            .set("sggNm", "강남구")
            .set("dealArea", area_text(area))
            .set(
                "jimok",
                choose(&["대", "대", "전", "임야", "잡종지"], seq, 7),
            )
            .set(
                "landUse",
                choose(&["제2종일반주거", "제3종일반주거", "자연녹지"], seq, 9),
            )
            .set(
                "shareDealingType",
                if pick(seq, 10, 4) == 0 { "지분" } else { " " },
            ),
        Kind::OfficetelTrade | Kind::OfficetelRent => item
            .set("offiNm", choose(&OFFICETELS, seq, 5))
            .set("sggNm", "강남구")
            .set("excluUseAr", area_text(area))
            .set("floor", (2 + pick(seq, 6, 20)).to_string()),
        Kind::RowHouseTrade | Kind::RowHouseRent => item
            .set("mhouseNm", choose(&VILLAS, seq, 5))
            .set("houseType", choose(&["다세대", "연립"], seq, 7))
            .set("excluUseAr", area_text(area))
            .set("floor", (i64::from(pick(seq, 6, 6)) - 1).to_string()),
        Kind::DetachedHouseTrade | Kind::DetachedHouseRent => item
            .set("houseType", choose(&["단독", "다가구"], seq, 7))
            .set("totalFloorAr", area_text(area))
            .set("plottageAr", area_text(area * 0.8)),
        Kind::CommercialTrade | Kind::FactoryWarehouseTrade => item
            .set("sggNm", "강남구")
            .set("buildingAr", area_text(area))
            .set("plottageAr", area_text(area * 0.6))
            .set("buildingType", choose(&["일반", "집합"], seq, 7))
            .set("buildingUse", building_use(kind, seq))
            .set(
                "landUse",
                choose(&["일반상업", "준주거", "제3종일반주거"], seq, 9),
            )
            .set(
                "shareDealingType",
                if pick(seq, 10, 5) == 0 { "지분" } else { " " },
            )
            .set(
                "floor",
                if pick(seq, 6, 9) == 0 {
                    " ".to_owned()
                } else {
                    (i64::from(pick(seq, 11, 12)) - 1).to_string()
                },
            ),
    };
    if kind == Kind::RowHouseTrade {
        item = item.set("landAr", area_text(area * 0.4));
    }
    if kind == Kind::AptTradeDetailed {
        item = detail(item, lawd_cd, seq, lot);
    }
    let item = if kind.is_rent() {
        lease(item, kind, area, seq, short_year, month)
    } else {
        trade(item, kind, area, seq, short_year, month)
    };
    item.keep_only(&kind.tags())
}

fn complex(seq: u32) -> Complex {
    let len = u32::try_from(COMPLEXES.len()).unwrap_or(1);
    COMPLEXES[pick(seq, 5, len) as usize]
}

fn building_use(kind: Kind, seq: u32) -> &'static str {
    if kind == Kind::FactoryWarehouseTrade {
        choose(&["공장", "창고", "공장", "창고시설"], seq, 8)
    } else {
        choose(&["제2종근린생활", "업무", "판매"], seq, 8)
    }
}

/// The detailed feed's lot and road-address codes, zero-padded as sent; about one deal in
/// eleven has no road address yet.
fn detail(item: Item, lawd_cd: &str, seq: u32, lot: u32) -> Item {
    let (_, dong, umd_cd, serial, road, number) = complex(seq);
    let item = item
        .set("umdNm", dong)
        .set("umdCd", umd_cd)
        .set("aptSeq", format!("{lawd_cd}-{serial}"))
        .set("landCd", "1")
        .set("bonbun", format!("{lot:04}"))
        .set("bubun", "0000");
    if seq % 11 == 10 {
        return item;
    }
    item.set("roadNm", road)
        .set("roadNmSggCd", lawd_cd)
        .set("roadNmCd", (3_100_000 + number * 7).to_string())
        .set("roadNmSeq", "01")
        .set("roadNmbCd", "0")
        .set("roadNmBonbun", format!("{number:05}"))
        .set("roadNmBubun", "00000")
}

fn trade(item: Item, kind: Kind, area: f64, seq: u32, short_year: &str, month: u32) -> Item {
    let per_m2 = match kind {
        Kind::AptTrade | Kind::AptTradeDetailed => 1_500 + pick(seq, 20, 1_000),
        Kind::PresaleRightTrade => 1_800 + pick(seq, 20, 1_200),
        Kind::LandTrade => 400 + pick(seq, 20, 3_000),
        Kind::FactoryWarehouseTrade => 150 + pick(seq, 20, 350),
        Kind::OfficetelTrade => 700 + pick(seq, 20, 400),
        Kind::RowHouseTrade => 600 + pick(seq, 20, 500),
        Kind::DetachedHouseTrade => 900 + pick(seq, 20, 600),
        _ => 1_200 + pick(seq, 20, 1_500),
    };
    // Truncation to whole 만원 is what the services report.
    let price = (area * f64::from(per_m2)) as u64;
    let mut item = item
        .price(price)
        .set("dealingGbn", choose(&["중개거래", "직거래"], seq, 21))
        .set("slerGbn", choose(&["개인", "개인", "법인"], seq, 22))
        .set("buyerGbn", choose(&["개인", "개인", "기타"], seq, 23))
        .set("estateAgentSggNm", choose(&AGENT_DISTRICTS, seq, 24));
    if item.get("rgstDate").is_some() && pick(seq, 25, 2) == 0 {
        item = item.set(
            "rgstDate",
            format!(
                "{short_year}.{:02}.{:02}",
                month.min(11) + 1,
                1 + pick(seq, 26, 28)
            ),
        );
    }
    if item.get("landLeaseholdGbn").is_some() {
        item = item.set("landLeaseholdGbn", "N");
    }
    if seq % 17 == 16 {
        item = item.cancelled(&format!(
            "{short_year}.{:02}.{:02}",
            month.min(11) + 1,
            1 + pick(seq, 27, 28)
        ));
    }
    item
}

fn lease(item: Item, kind: Kind, area: f64, seq: u32, short_year: &str, month: u32) -> Item {
    let per_m2 = match kind {
        Kind::AptRent => 800 + pick(seq, 30, 400),
        Kind::OfficetelRent => 500 + pick(seq, 30, 200),
        _ => 400 + pick(seq, 30, 300),
    };
    let jeonse = (area * f64::from(per_m2)) as u64;
    let (deposit, monthly) = if seq % 3 == 2 {
        (jeonse / 10, 50 + u64::from(pick(seq, 31, 250)))
    } else {
        (jeonse, 0)
    };
    let renewal = pick(seq, 32, 3) == 0;
    let start_year: u32 = short_year.parse().unwrap_or(25);
    let item = item
        .lease(deposit, monthly)
        .set(
            "contractType",
            if renewal {
                "갱신"
            } else {
                choose(&["신규", " "], seq, 33)
            },
        )
        .set(
            "contractTerm",
            format!(
                "{start_year:02}.{month:02}~{:02}.{month:02}",
                start_year + 2
            ),
        )
        .set("useRRRight", if renewal { "사용" } else { " " });
    if renewal {
        item.set("preDeposit", with_commas(deposit * 9 / 10))
            .set("preMonthlyRent", with_commas(monthly))
    } else {
        item
    }
}

fn area_for(kind: Kind, seq: u32) -> f64 {
    let choices: &[f64] = match kind {
        Kind::AptTrade | Kind::AptRent | Kind::AptTradeDetailed => {
            &[59.97, 84.9981, 114.73, 134.5, 39.6]
        }
        Kind::PresaleRightTrade => &[59.98, 84.98, 99.87, 114.9],
        Kind::LandTrade => &[165.0, 330.6, 661.2, 1_652.9, 3_305.8],
        Kind::FactoryWarehouseTrade => &[450.2, 1_230.5, 3_300.0, 8_250.7],
        Kind::OfficetelTrade | Kind::OfficetelRent => &[23.5, 29.84, 45.12, 84.2],
        Kind::RowHouseTrade | Kind::RowHouseRent => &[29.87, 45.6, 59.4, 74.15],
        Kind::DetachedHouseTrade | Kind::DetachedHouseRent => &[92.5, 165.3, 231.4, 330.1],
        Kind::CommercialTrade => &[120.5, 330.58, 850.2, 1_520.0],
    };
    let len = u32::try_from(choices.len()).unwrap_or(1);
    choices[pick(seq, 40, len) as usize]
}

/// Areas are written with the precision they were measured to: `84.9981`, `59.97`, `200`.
fn area_text(area: f64) -> String {
    let rounded = (area * 10_000.0).round() / 10_000.0;
    let text = format!("{rounded:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
