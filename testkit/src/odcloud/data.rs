//! The rows the stand-in serves: fictional complexes and generated statistics, shaped like
//! the live answers (upper-case column names, `null` for absent dates, numbers sometimes
//! sent as strings). A notice row carries exactly the columns of the recorded live answer in
//! `service/tests/fixtures/upstream/odcloud/notices.json`; a test there keeps them equal.

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value, json};

/// Applyhome supply-area codes and short names, as the service uses them.
pub const AREAS: [(&str, &str); 17] = [
    ("100", "서울"),
    ("200", "강원"),
    ("300", "대전"),
    ("312", "충남"),
    ("338", "세종"),
    ("360", "충북"),
    ("400", "인천"),
    ("410", "경기"),
    ("500", "광주"),
    ("513", "전남"),
    ("560", "전북"),
    ("600", "부산"),
    ("621", "경남"),
    ("680", "울산"),
    ("690", "제주"),
    ("700", "대구"),
    ("712", "경북"),
];

/// Months the statistics tables cover (`STAT_DE`).
pub const STAT_MONTHS: [&str; 6] = ["202501", "202502", "202503", "202504", "202505", "202506"];

pub(super) struct Notice {
    pub(super) no: &'static str,
    name: &'static str,
    pub(super) area: (&'static str, &'static str),
    address: &'static str,
    pub(super) households: u32,
    notice_date: &'static str,
    pub(super) public: bool,
    builder: Option<&'static str>,
    developer: &'static str,
    move_in: &'static str,
    overheated: bool,
}

#[rustfmt::skip]
pub(super) const NOTICES: [Notice; 14] = [
    n("2025000101", "방배 더 리버파크 자이", ("100", "서울"), "서울특별시 서초구 방배동 818-14번지 일대", 465, "2025-01-10", false, Some("GS건설(주)"), "방배동지역주택조합", "202811", true),
    n("2025000134", "사당 센트럴 아이파크", ("100", "서울"), "서울특별시 동작구 사당동 14-16번지 일대", 137, "2025-02-05", false, Some("HDC현대산업개발(주)"), "사당3구역재건축정비사업조합", "202802", true),
    n("2025000210", "수원 장안 메트로 푸르지오", ("410", "경기"), "경기도 수원시 장안구 정자동 111-3번지", 651, "2025-03-14", false, Some("대우건설(주)"), "(주)장안개발", "202709", false),
    n("2025000245", "수원당수 A4블록 신혼희망타운", ("410", "경기"), "경기도 수원시 권선구 당수동 일원 (수원당수2 공공주택지구 A4블록)", 409, "2025-03-28", true, None, "한국토지주택공사 경기남부지역본부", "202812", false),
    n("2025000288", "송도 더 퍼스트 오션", ("400", "인천"), "인천광역시 연수구 송도동 11-1번지", 1052, "2025-04-02", false, Some("포스코이앤씨(주)"), "(주)송도랜드마크", "202803", false),
    n("2025000301", "마포 리버 스위트", ("100", "서울"), "서울특별시 마포구 아현동 699번지 일대", 296, "2025-04-11", false, Some("삼성물산(주)"), "아현2구역재건축정비사업조합", "202901", true),
    n("2025000322", "해운대 센텀 더 샵", ("600", "부산"), "부산광역시 해운대구 우동 1434번지", 572, "2025-04-18", false, Some("포스코이앤씨(주)"), "(주)센텀디앤씨", "202806", false),
    n("2025000349", "동탄 레이크 힐스테이트", ("410", "경기"), "경기도 화성시 오산동 동탄2택지개발지구 C-12블록", 848, "2025-04-25", false, Some("현대건설(주)"), "(주)동탄개발", "202810", false),
    n("2025000377", "대구 수성 레이크 푸르지오", ("700", "대구"), "대구광역시 수성구 두산동 23-4번지", 384, "2025-05-08", false, Some("대우건설(주)"), "수성개발(주)", "202808", false),
    n("2025000390", "세종 6-3 생활권 L1블록", ("338", "세종"), "세종특별자치시 산울동 6-3생활권 L1블록", 1120, "2025-05-16", true, Some("계룡건설산업(주)"), "한국토지주택공사 세종특별본부", "202812", false),
    n("2025000412", "검단 파라곤 2차", ("400", "인천"), "인천광역시 서구 원당동 검단신도시 AA-21블록", 738, "2025-05-23", false, Some("동양건설산업(주)"), "(주)검단에이엠", "202809", false),
    n("2025000436", "광명 센트럴 자이", ("410", "경기"), "경기도 광명시 광명동 158-1번지 일대", 1509, "2025-06-04", false, Some("GS건설(주)"), "광명4R구역주택재개발정비사업조합", "202906", false),
    n("2025000451", "부산 에코델타 푸르지오", ("600", "부산"), "부산광역시 강서구 강동동 에코델타시티 19블록", 947, "2025-06-12", false, Some("대우건설(주)"), "(주)에코델타개발", "202811", false),
    n("2025000468", "잠실 래미안 아이파크", ("100", "서울"), "서울특별시 송파구 신천동 17-6번지 일대", 578, "2025-06-20", false, Some("삼성물산(주)"), "잠실진주아파트재건축정비사업조합", "202811", true),
];

// A table row reads best as one call; a struct literal per notice would triple the table.
#[allow(clippy::too_many_arguments)]
const fn n(
    no: &'static str,
    name: &'static str,
    area: (&'static str, &'static str),
    address: &'static str,
    households: u32,
    notice_date: &'static str,
    public: bool,
    builder: Option<&'static str>,
    developer: &'static str,
    move_in: &'static str,
    overheated: bool,
) -> Notice {
    Notice {
        no,
        name,
        area,
        address,
        households,
        notice_date,
        public,
        builder,
        developer,
        move_in,
        overheated,
    }
}

/// Every notice row, in the order the service would page them.
pub fn notices() -> Vec<Value> {
    NOTICES
        .iter()
        .enumerate()
        .map(|(i, n)| notice_row(i, n))
        .collect()
}

fn notice_row(index: usize, n: &Notice) -> Value {
    let day = |offset: i64| -> Value {
        NaiveDate::parse_from_str(n.notice_date, "%Y-%m-%d")
            .map(|d| Value::from((d + Duration::days(offset)).format("%Y-%m-%d").to_string()))
            .unwrap_or(Value::Null)
    };
    let yn = |flag: bool| if flag { "Y" } else { "N" };
    // Public (국민) supply has no separate special-supply window here; the 기타경기 windows
    // exist only where Gyeonggi residents compete with the capital's.
    let private_only = |v: Value| if n.public { Value::Null } else { v };
    let metro = matches!(n.area.1, "서울" | "인천");
    let metro_only = |v: Value| if metro { v } else { Value::Null };
    let mut row = json!({
        "HOUSE_MANAGE_NO": n.no,
        "PBLANC_NO": n.no,
        "HOUSE_NM": n.name,
        "HOUSE_SECD": if n.public && n.name.contains("신혼희망타운") { "10" } else { "01" },
        "HOUSE_SECD_NM": if n.public && n.name.contains("신혼희망타운") { "신혼희망타운" } else { "APT" },
        "HOUSE_DTL_SECD": if n.public { "03" } else { "01" },
        "HOUSE_DTL_SECD_NM": if n.public { "국민" } else { "민영" },
        "RENT_SECD": "0",
        "RENT_SECD_NM": "분양주택",
        "SUBSCRPT_AREA_CODE": n.area.0,
        "SUBSCRPT_AREA_CODE_NM": n.area.1,
        "HSSPLY_ZIP": format!("{:05}", 10000 + index * 731),
        "HSSPLY_ADRES": n.address,
        "TOT_SUPLY_HSHLDCO": n.households,
        "RCRIT_PBLANC_DE": n.notice_date,
        "NSPRC_NM": null,
        "HMPG_ADRES": format!("https://www.example-{}.co.kr", n.no),
        "CNSTRCT_ENTRPS_NM": n.builder,
        "MDHS_TELNO": "16001004",
        "BSNS_MBY_NM": n.developer,
        "MVN_PREARNGE_YM": n.move_in,
        "SPECLT_RDN_EARTH_AT": yn(n.overheated),
        "MDAT_TRGET_AREA_SECD": yn(n.overheated),
        "PARCPRC_ULS_AT": yn(n.overheated || n.public),
        "IMPRMN_BSNS_AT": yn(n.developer.contains("조합")),
        "PUBLIC_HOUSE_EARTH_AT": yn(n.public),
        "LRSCL_BLDLND_AT": yn(n.public),
        "NPLN_PRVOPR_PUBLIC_HOUSE_AT": "N",
        "PUBLIC_HOUSE_SPCLW_APPLC_AT": yn(n.public),
        "PBLANC_URL": format!(
            "https://www.applyhome.co.kr/ai/aia/selectAPTLttotPblancDetail.do?houseManageNo={0}&pblancNo={0}",
            n.no
        ),
    });
    let schedule = [
        ("RCEPT_BGNDE", day(10)),
        ("RCEPT_ENDDE", day(12)),
        ("SPSPLY_RCEPT_BGNDE", private_only(day(10))),
        ("SPSPLY_RCEPT_ENDDE", private_only(day(10))),
        ("GNRL_RNK1_CRSPAREA_RCPTDE", day(11)),
        ("GNRL_RNK1_CRSPAREA_ENDDE", day(11)),
        ("GNRL_RNK1_ETC_GG_RCPTDE", metro_only(day(11))),
        ("GNRL_RNK1_ETC_GG_ENDDE", metro_only(day(11))),
        ("GNRL_RNK1_ETC_AREA_RCPTDE", day(11)),
        ("GNRL_RNK1_ETC_AREA_ENDDE", day(11)),
        ("GNRL_RNK2_CRSPAREA_RCPTDE", day(12)),
        ("GNRL_RNK2_CRSPAREA_ENDDE", day(12)),
        ("GNRL_RNK2_ETC_GG_RCPTDE", metro_only(day(12))),
        ("GNRL_RNK2_ETC_GG_ENDDE", metro_only(day(12))),
        ("GNRL_RNK2_ETC_AREA_RCPTDE", day(12)),
        ("GNRL_RNK2_ETC_AREA_ENDDE", day(12)),
        ("PRZWNER_PRESNATN_DE", day(18)),
        ("CNTRCT_CNCLS_BGNDE", day(32)),
        ("CNTRCT_CNCLS_ENDDE", day(34)),
    ];
    if let Value::Object(map) = &mut row {
        for (column, value) in schedule {
            map.insert(column.into(), value);
        }
        // Live rows are not uniform: some counts arrive as strings with commas.
        if n.households >= 1000 {
            map.insert(
                "TOT_SUPLY_HSHLDCO".into(),
                Value::from(thousands(n.households)),
            );
        }
    }
    row
}

fn thousands(value: u32) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A stable pseudo-random figure for a month and area, so tests can recompute it.
pub fn figure(month: &str, area_index: usize, salt: u64) -> u64 {
    let m: u64 = month.parse().unwrap_or(0);
    (m * 31 + area_index as u64 * 17 + salt * 7) % 97 + 3
}

/// The rows of one statistics operation, or `None` for an operation the service lacks.
pub fn statistics(operation: &str) -> Option<Vec<Value>> {
    let rows = match operation {
        "getAPTReqstAreaStat" => by_area(|m, i| ages(m, i, 120)),
        "getAPTPrzwnerAreaStat" => by_area(|m, i| ages(m, i, 6)),
        "getAPTReqstAgeStat" => by_month(|m| ages(m, 0, 2000)),
        "getAPTPrzwnerAgeStat" => by_month(|m| ages(m, 0, 90)),
        "getAPTCmpetrtAreaStat" => by_area(competition),
        "getAPTApsPrzwnerStat" => scores(),
        _ => return None,
    };
    Some(rows)
}

fn by_month(columns: impl Fn(&str) -> Map<String, Value>) -> Vec<Value> {
    STAT_MONTHS
        .iter()
        .map(|m| {
            let mut row = Map::new();
            row.insert("STAT_DE".into(), Value::from(*m));
            row.extend(columns(m));
            Value::Object(row)
        })
        .collect()
}

fn by_area(columns: impl Fn(&str, usize) -> Map<String, Value>) -> Vec<Value> {
    let mut rows = Vec::new();
    for m in STAT_MONTHS {
        for (i, (code, name)) in AREAS.iter().enumerate() {
            let mut row = area_key(m, code, name);
            row.extend(columns(m, i));
            rows.push(Value::Object(row));
        }
    }
    rows
}

fn area_key(month: &str, code: &str, name: &str) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("STAT_DE".into(), Value::from(month));
    row.insert("SUBSCRPT_AREA_CODE".into(), Value::from(code));
    row.insert("SUBSCRPT_AREA_CODE_NM".into(), Value::from(name));
    row
}

fn ages(month: &str, area: usize, scale: u64) -> Map<String, Value> {
    let mut row = Map::new();
    for (salt, column) in ["AGE_30", "AGE_40", "AGE_50", "AGE_60"].iter().enumerate() {
        row.insert(
            (*column).into(),
            Value::from(figure(month, area, salt as u64) * scale),
        );
    }
    row
}

fn competition(month: &str, area: usize) -> Map<String, Value> {
    let mut row = Map::new();
    let special = figure(month, area, 4) * 3;
    let general = figure(month, area, 5) * 5;
    // Some regions offer nothing in a month: zero households and a "-" rate.
    let offered = !figure(month, area, 6).is_multiple_of(5);
    let (special, general) = if offered { (special, general) } else { (0, 0) };
    let special_req = special * figure(month, area, 7) / 10;
    let general_req = general * figure(month, area, 8) / 4;
    let rate = |req: u64, units: u64| {
        if units == 0 {
            "-".to_owned()
        } else {
            format!("{:.2}", req as f64 / units as f64)
        }
    };
    row.insert("SPSPLY_HSHLDCO".into(), Value::from(special));
    row.insert("SPSPLY_REQ_CNT".into(), Value::from(special_req));
    row.insert(
        "SPSPLY_CMPET_RATE".into(),
        Value::from(rate(special_req, special)),
    );
    row.insert("SUPLY_HSHLDCO".into(), Value::from(general));
    row.insert("SUPLY_REQ_CNT".into(), Value::from(general_req));
    row.insert(
        "SUPLY_CMPET_RATE".into(),
        Value::from(rate(general_req, general)),
    );
    row
}

fn scores() -> Vec<Value> {
    let mut rows = Vec::new();
    for m in STAT_MONTHS {
        for (i, (code, name)) in AREAS.iter().enumerate() {
            for (secd, secd_nm) in [("01", "해당지역"), ("02", "기타지역")] {
                let mut row = area_key(m, code, name);
                let low = 20 + figure(m, i, if secd == "01" { 9 } else { 10 }) % 40;
                let top = (low + 15).min(84);
                row.insert("RESIDE_SECD".into(), Value::from(secd));
                row.insert("RESIDE_SECD_NM".into(), Value::from(secd_nm));
                row.insert("LWET_SCORE".into(), Value::from(low));
                row.insert("TOP_SCORE".into(), Value::from(top));
                row.insert(
                    "AVRG_SCORE".into(),
                    Value::from(format!("{:.2}", (low + top) as f64 / 2.0)),
                );
                rows.push(Value::Object(row));
            }
        }
    }
    rows
}
