//! Per-notice rows, derived from the fixture notices so the figures agree with them: each
//! notice's house types (`getAPTLttotPblancMdl`) add up to its 공급규모, and each private
//! notice has a competition table (`getAPTLttotPblancCmpet`). Public (국민) notices have
//! none, as LH-run notices often do not. Demand differs by region: Seoul is heavily
//! oversubscribed (one notice past 1,000 to 1), Daegu falls short in both ranks.

use serde_json::{Map, Value, json};

use super::data::{NOTICES, Notice};

/// 주택형 codes and their supply areas (㎡).
const SIZES: [(&str, f64); 6] = [
    ("059.9800A", 84.21),
    ("074.9600B", 101.35),
    ("084.9700A", 112.43),
    ("084.9200B", 111.87),
    ("101.8900A", 134.62),
    ("114.9300A", 151.08),
];

/// Every special-supply column; a notice sends `null` for the categories it does not use.
const SPECIAL_COLUMNS: [&str; 9] = [
    "MNYCH_HSHLDCO",
    "NWWDS_HSHLDCO",
    "LFE_FRST_HSHLDCO",
    "OLD_PARNTS_SUPORT_HSHLDCO",
    "INSTT_RECOMEND_HSHLDCO",
    "TRANSR_INSTT_ENFSN_HSHLDCO",
    "YGMN_HSHLDCO",
    "NWBB_HSHLDCO",
    "ETC_HSHLDCO",
];

/// Categories a private notice uses and their share (percent) of its special households.
const PRIVATE_SPECIAL: [(&str, u64); 6] = [
    ("MNYCH_HSHLDCO", 20),
    ("NWWDS_HSHLDCO", 30),
    ("LFE_FRST_HSHLDCO", 25),
    ("OLD_PARNTS_SUPORT_HSHLDCO", 5),
    ("INSTT_RECOMEND_HSHLDCO", 10),
    ("NWBB_HSHLDCO", 10),
];

/// The same for a public notice, which also reserves units for young people.
const PUBLIC_SPECIAL: [(&str, u64); 6] = [
    ("MNYCH_HSHLDCO", 10),
    ("NWWDS_HSHLDCO", 30),
    ("LFE_FRST_HSHLDCO", 25),
    ("OLD_PARNTS_SUPORT_HSHLDCO", 5),
    ("YGMN_HSHLDCO", 15),
    ("NWBB_HSHLDCO", 15),
];

/// One house type of a fixture notice.
struct TypeSupply {
    model_no: String,
    code: String,
    supply_area: f64,
    general: u64,
    special: u64,
}

/// Splits `total` by `weights` (in percent or any unit), flooring each share and giving
/// the remainder to the share named by `rest`, so the parts always add up.
fn split(total: u64, weights: &[u64], rest: usize) -> Vec<u64> {
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut parts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let given: u64 = parts.iter().sum();
    if let Some(part) = parts.get_mut(rest) {
        *part += total - given;
    }
    parts
}

fn types_of(index: usize, notice: &Notice) -> Vec<TypeSupply> {
    let count = 2 + index % 4;
    let weights: Vec<u64> = (0..count).map(|t| t as u64 + 2).collect();
    let shares = split(u64::from(notice.households), &weights, count - 1);
    let special_percent = if notice.public { 30 } else { 45 };
    // Live codes sometimes arrive with a trailing space; odd notices send them that way.
    let pad = if index % 2 == 1 { " " } else { "" };
    shares
        .into_iter()
        .enumerate()
        .map(|(t, share)| {
            let (code, supply_area) = SIZES[(index % 2 + t) % SIZES.len()];
            let special = share * special_percent / 100;
            TypeSupply {
                model_no: format!("{:02}", t + 1),
                code: format!("{code}{pad}"),
                supply_area,
                general: share - special,
                special,
            }
        })
        .collect()
}

/// 분양가 per ㎡ of supply area, 만원, by supply area.
fn price_per_m2(area: &str) -> f64 {
    match area {
        "서울" => 2_400.0,
        "경기" => 1_300.0,
        "인천" => 1_100.0,
        "부산" => 1_200.0,
        "대구" => 1_000.0,
        _ => 900.0,
    }
}

/// Every house-type row, notice by notice.
pub fn house_types() -> Vec<Value> {
    let mut rows = Vec::new();
    for (index, notice) in NOTICES.iter().enumerate() {
        for t in types_of(index, notice) {
            let categories = if notice.public {
                &PUBLIC_SPECIAL
            } else {
                &PRIVATE_SPECIAL
            };
            let weights: Vec<u64> = categories.iter().map(|(_, w)| *w).collect();
            let counts = split(t.special, &weights, 1);
            let mut row = Map::new();
            for column in SPECIAL_COLUMNS {
                let count = categories
                    .iter()
                    .zip(&counts)
                    .find(|((name, _), _)| *name == column)
                    .map(|(_, n)| Value::from(*n));
                row.insert(column.into(), count.unwrap_or(Value::Null));
            }
            let price = (t.supply_area * price_per_m2(notice.area.1) / 10.0).round() * 10.0;
            row.extend([
                ("HOUSE_MANAGE_NO".into(), Value::from(notice.no)),
                ("PBLANC_NO".into(), Value::from(notice.no)),
                ("MODEL_NO".into(), Value::from(t.model_no.clone())),
                ("HOUSE_TY".into(), Value::from(t.code.clone())),
                (
                    "SUPLY_AR".into(),
                    Value::from(format!("{:.4}", t.supply_area)),
                ),
                ("SUPLY_HSHLDCO".into(), Value::from(t.general)),
                ("SPSPLY_HSHLDCO".into(), Value::from(t.special)),
                // The APT table writes prices without commas.
                (
                    "LTTOT_TOP_AMOUNT".into(),
                    Value::from(format!("{price:.0}")),
                ),
            ]);
            if index % 3 == 0 {
                row.insert(
                    "EXCLUSE_AR".into(),
                    Value::from(t.code.trim()[..8].to_owned()),
                );
            }
            rows.push(Value::Object(row));
        }
    }
    rows
}

/// Rank-1 applications per general household, by supply area (one Seoul notice draws far
/// more).
fn demand(notice: &Notice) -> f64 {
    if notice.no == "2025000468" {
        return 1_800.0;
    }
    match notice.area.1 {
        "서울" => 60.0,
        "경기" => 9.0,
        "인천" => 3.0,
        "부산" => 5.0,
        "대구" => 0.4,
        _ => 2.0,
    }
}

/// Every competition line, notice by notice; public notices have none.
pub fn competition() -> Vec<Value> {
    let mut rows = Vec::new();
    for (index, notice) in NOTICES.iter().enumerate() {
        if notice.public {
            continue;
        }
        let classes: &[(&str, &str, u64)] = if matches!(notice.area.1, "서울" | "인천") {
            &[
                ("01", "해당지역", 60),
                ("03", "기타경기", 25),
                ("02", "기타지역", 15),
            ]
        } else {
            &[("01", "해당지역", 70), ("02", "기타지역", 30)]
        };
        let weights: Vec<u64> = classes.iter().map(|(_, _, w)| *w).collect();
        for (t, supply) in types_of(index, notice).into_iter().enumerate() {
            let households = supply.general;
            let rank1 =
                (households as f64 * demand(notice) * (1.0 + t as f64 * 0.25)).round() as u64;
            let rank2 = if rank1 >= households { 0 } else { rank1 / 2 };
            let ranks = [
                (1, households, split(rank1, &weights, 0)),
                (
                    2,
                    households.saturating_sub(rank1),
                    split(rank2, &weights, 0),
                ),
            ];
            for (rank, units, requests) in ranks {
                let mut cumulative = 0;
                for ((code, name, _), requested) in classes.iter().zip(requests) {
                    cumulative += requested;
                    let rate = if units == 0 {
                        "-".to_owned()
                    } else if cumulative < units {
                        format!("(△{})", units - cumulative)
                    } else {
                        with_commas(requested as f64 / units as f64)
                    };
                    rows.push(json!({
                        "HOUSE_MANAGE_NO": notice.no, "PBLANC_NO": notice.no,
                        "MODEL_NO": supply.model_no, "HOUSE_TY": supply.code,
                        "SUPLY_HSHLDCO": households, "SUBSCRPT_RANK_CODE": rank,
                        "RESIDE_SECD": code, "RESIDE_SENM": name,
                        "REQ_CNT": requested.to_string(), "CMPET_RATE": rate,
                    }));
                }
            }
        }
    }
    rows
}

/// `1080` → `1,080.00`, the way rates past a thousand are written.
fn with_commas(rate: f64) -> String {
    let text = format!("{rate:.2}");
    let (whole, decimals) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{decimals}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(row: &Value, column: &str) -> u64 {
        row[column].as_u64().unwrap_or(0)
    }

    #[test]
    fn house_types_add_up_to_each_notice_and_its_special_categories() {
        let rows = house_types();
        for notice in &NOTICES {
            let mine: Vec<_> = rows
                .iter()
                .filter(|r| r["HOUSE_MANAGE_NO"] == notice.no)
                .collect();
            assert!(mine.len() >= 2);
            let total: u64 = mine
                .iter()
                .map(|r| count(r, "SUPLY_HSHLDCO") + count(r, "SPSPLY_HSHLDCO"))
                .sum();
            assert_eq!(total, u64::from(notice.households), "{}", notice.no);
            for row in mine {
                let by_category: u64 = SPECIAL_COLUMNS.iter().map(|c| count(row, c)).sum();
                assert_eq!(by_category, count(row, "SPSPLY_HSHLDCO"));
            }
        }
    }

    #[test]
    fn competition_covers_private_notices_with_every_published_shape() {
        let rows = competition();
        for notice in NOTICES.iter().filter(|n| n.public) {
            assert!(!rows.iter().any(|r| r["HOUSE_MANAGE_NO"] == notice.no));
        }
        let rates: Vec<&str> = rows
            .iter()
            .map(|r| r["CMPET_RATE"].as_str().unwrap())
            .collect();
        assert!(rates.contains(&"-"));
        assert!(rates.iter().any(|r| r.starts_with("(△")));
        assert!(rates.iter().any(|r| r.contains(',')));
        assert!(rates.iter().any(|r| r.parse::<f64>().is_ok()));
        assert_eq!(with_commas(1080.0), "1,080.00");
        assert_eq!(with_commas(3.456), "3.46");
    }
}
