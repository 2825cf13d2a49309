//! `get_apt_subscription_competition`: a notice's 일반공급 competition table (청약 경쟁률) by
//! house type, rank and residence class, with per-type and overall figures.

use serde::Serialize;

use schemars::{self, JsonSchema};

use crate::count::count_u32;
use crate::{
    tools::{Provenance, ToolError},
    upstream::odcloud::{CompetitionRow, OdcloudClient},
};

use super::{
    Residence,
    lookup::{SubscriptionNoticeArgs, Target, combined, find_notice},
    notice::NoticeStatus,
};

/// Lines asked for in one request: house types × 2 ranks × 3 residence classes.
const MAX_LINES: u32 = 1000;

/// Result of `get_apt_subscription_competition`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SubscriptionCompetitionOutput {
    /// 주택관리번호.
    pub house_manage_no: Option<String>,
    /// 공고번호.
    pub notice_no: Option<String>,
    /// 주택명.
    pub house_name: Option<String>,
    /// 공급지역 (서울, 경기, …).
    pub region: Option<String>,
    /// Where the application window stands today (KST).
    pub status: NoticeStatus,
    /// First application day, `YYYY-MM-DD`.
    pub application_start: Option<String>,
    /// Last application day, `YYYY-MM-DD`.
    pub application_end: Option<String>,
    /// 당첨자발표일, `YYYY-MM-DD`.
    pub winners_announced: Option<String>,
    /// One entry per house type, in model order.
    pub house_types: Vec<TypeCompetition>,
    /// Figures over every house type.
    pub summary: CompetitionSummary,
    /// Things to tell the user: open windows, unpublished figures, what the rates cover.
    pub notes: Vec<String>,
    /// Cache state and the quota this call used (two requests when live).
    pub source: Provenance,
}

/// The competition of one house type. Counts are applications or households.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TypeCompetition {
    /// 모델번호, as in `get_apt_subscription_detail`.
    pub model_no: Option<String>,
    /// 주택형, e.g. `084.9700A`.
    pub house_type: Option<String>,
    /// 일반공급 households of the type.
    pub general_households: Option<u64>,
    /// 1순위 applications, every residence class.
    pub rank1_applications: u64,
    /// 1순위 applications per household (computed here: rank-1 applications ÷ general
    /// households, two decimals); the number people quote as "n 대 1".
    pub rank1_rate: Option<f64>,
    /// Applications in both ranks.
    pub applications: u64,
    /// Households no application covered (general households − all applications; 0 when
    /// applications covered them). Ineligible winners can still leave units unsold.
    pub shortfall_households: Option<u64>,
    /// True when applications did not cover the households (미달).
    pub undersubscribed: bool,
    /// Applyhome's lines for the type, by rank and residence class.
    pub lines: Vec<CompetitionLine>,
}

/// One line of Applyhome's table.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompetitionLine {
    /// 순위: 1 or 2.
    pub rank: Option<u8>,
    /// Who applied in this window.
    pub residence: Option<Residence>,
    /// The residence class as Applyhome names it (해당지역, 기타경기, 기타지역).
    pub residence_label: Option<String>,
    /// 접수건수.
    pub applications: Option<u64>,
    /// Applyhome's rate for the line, when it published a number.
    pub rate: Option<f64>,
    /// Households short in this line's window, when Applyhome published `(△n)`.
    pub shortfall: Option<u64>,
    /// The rate exactly as published: `73.00`, `-` (nothing left to rate), `(△13)`.
    pub rate_text: Option<String>,
}

/// Figures over every house type.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompetitionSummary {
    /// 일반공급 households, all types.
    pub general_households: u64,
    /// 1순위 applications, all types.
    pub rank1_applications: u64,
    /// Rank-1 applications ÷ general households over the whole notice, two decimals.
    pub rank1_rate: Option<f64>,
    /// Applications in both ranks, all types.
    pub applications: u64,
    /// House types whose applications did not cover their households.
    pub undersubscribed_types: u32,
}

/// Fetches the notice and its competition table.
pub async fn subscription_competition(
    client: &OdcloudClient,
    args: SubscriptionNoticeArgs,
) -> Result<SubscriptionCompetitionOutput, ToolError> {
    let target = Target::from_args(&args)?;
    let found = find_notice(client, &target).await?;
    let answer = client
        .competition(&target.query(MAX_LINES), found.application_end)
        .await?;
    let house_types = by_type(&answer.page.rows);
    let summary = summary(&house_types);
    let notice = found.notice;
    let mut notes = Vec::new();
    match notice.status {
        NoticeStatus::Upcoming => notes.push(
            "Applications have not opened yet, so there are no competition figures.".to_owned(),
        ),
        NoticeStatus::Open => notes.push(
            "Applications are still open: the figures cover the days so far and will grow."
                .to_owned(),
        ),
        NoticeStatus::Closed | NoticeStatus::Unknown => {
            if house_types.is_empty() {
                notes.push(
                    "Applyhome has published no competition figures for this notice. Notices \
                     run by public developers such as LH often publish them on their own \
                     sites."
                        .to_owned(),
                );
            }
        }
    }
    if answer.page.match_count > answer.page.rows.len() as u64 {
        notes.push(format!(
            "Only the first {} of {} lines were read; figures cover those lines.",
            answer.page.rows.len(),
            answer.page.match_count
        ));
    }
    notes.push(
        "The figures cover 일반공급 only; 특별공급 applications are reported separately."
            .to_owned(),
    );
    Ok(SubscriptionCompetitionOutput {
        house_manage_no: notice.house_manage_no,
        notice_no: notice.notice_no,
        house_name: notice.house_name,
        region: notice.region,
        status: notice.status,
        application_start: notice.application_start,
        application_end: notice.application_end,
        winners_announced: notice.winners_announced,
        house_types,
        summary,
        notes,
        source: combined(&[
            found.source,
            Provenance::new(answer.freshness, answer.upstream_calls),
        ]),
    })
}

/// Groups the lines by house type (model number, else 주택형), types in model order and
/// lines by rank, then 해당지역 → 기타경기 → 기타지역 as Applyhome shows them.
fn by_type(rows: &[CompetitionRow]) -> Vec<TypeCompetition> {
    let mut groups: Vec<(Option<&str>, Option<&str>, Vec<&CompetitionRow>)> = Vec::new();
    for row in rows {
        let key = (row.model_no.get(), row.house_ty.get());
        match groups.iter_mut().find(|(m, t, _)| (*m, *t) == key) {
            Some((_, _, lines)) => lines.push(row),
            None => groups.push((key.0, key.1, vec![row])),
        }
    }
    groups.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    groups
        .into_iter()
        .map(|(model_no, house_type, rows)| type_competition(model_no, house_type, &rows))
        .collect()
}

fn type_competition(
    model_no: Option<&str>,
    house_type: Option<&str>,
    rows: &[&CompetitionRow],
) -> TypeCompetition {
    let mut lines: Vec<CompetitionLine> = rows.iter().map(|row| line(row)).collect();
    lines.sort_by_key(|l| (l.rank, l.residence.map_or(3, display_order)));
    let households = rows.iter().find_map(|r| r.suply_hshldco.count());
    let applications_in = |rank: Option<u8>| -> u64 {
        lines
            .iter()
            .filter(|l| rank.is_none() || l.rank == rank)
            .filter_map(|l| l.applications)
            .sum()
    };
    let rank1 = applications_in(Some(1));
    let applications = applications_in(None);
    let shortfall = households.map(|h| h.saturating_sub(applications));
    TypeCompetition {
        model_no: model_no.map(str::to_owned),
        house_type: house_type.map(str::to_owned),
        general_households: households,
        rank1_applications: rank1,
        rank1_rate: households.and_then(|h| rate(rank1, h)),
        applications,
        undersubscribed: shortfall.is_some_and(|s| s > 0),
        shortfall_households: shortfall,
        lines,
    }
}

fn line(row: &CompetitionRow) -> CompetitionLine {
    let text = row.cmpet_rate.get();
    let (rate, shortfall) = text.map_or((None, None), published_rate);
    CompetitionLine {
        rank: row.subscrpt_rank_code.get().and_then(|r| r.parse().ok()),
        residence: row.reside_secd.get().and_then(residence),
        residence_label: row.reside_senm.get().map(str::to_owned),
        applications: row.req_cnt.count(),
        rate,
        shortfall,
        rate_text: text.map(str::to_owned),
    }
}

/// `73.00` and `2,182.00` are rates; `(△13)` is 13 households short; `-` is neither.
fn published_rate(text: &str) -> (Option<f64>, Option<u64>) {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix("(△").and_then(|t| t.strip_suffix(')')) {
        return (None, inner.trim().parse().ok());
    }
    let rate = text
        .replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0);
    (rate, None)
}

/// `01`, `02`, `03` (or the same sent as numbers).
fn residence(code: &str) -> Option<Residence> {
    match code.trim().parse::<u8>().ok()? {
        1 => Some(Residence::Local),
        2 => Some(Residence::OtherRegion),
        3 => Some(Residence::OtherGyeonggi),
        _ => None,
    }
}

/// Applyhome lists local residents first, then the rest of Gyeonggi, then everyone else.
fn display_order(residence: Residence) -> u8 {
    match residence {
        Residence::Local => 0,
        Residence::OtherGyeonggi => 1,
        Residence::OtherRegion => 2,
    }
}

fn rate(applications: u64, households: u64) -> Option<f64> {
    (households > 0).then(|| (applications as f64 / households as f64 * 100.0).round() / 100.0)
}

fn summary(types: &[TypeCompetition]) -> CompetitionSummary {
    let households: u64 = types.iter().filter_map(|t| t.general_households).sum();
    let rank1: u64 = types.iter().map(|t| t.rank1_applications).sum();
    CompetitionSummary {
        general_households: households,
        rank1_applications: rank1,
        rank1_rate: rate(rank1, households),
        applications: types.iter().map(|t| t.applications).sum(),
        undersubscribed_types: count_u32(types.iter().filter(|t| t.undersubscribed).count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        model: &str,
        rank: u8,
        reside: &str,
        households: u64,
        req: &str,
        rate: &str,
    ) -> CompetitionRow {
        serde_json::from_value(serde_json::json!({
            "MODEL_NO": model, "HOUSE_TY": format!("0{model}4.9700A "),
            "SUBSCRPT_RANK_CODE": rank, "RESIDE_SECD": reside,
            "SUPLY_HSHLDCO": households, "REQ_CNT": req, "CMPET_RATE": rate
        }))
        .unwrap()
    }

    #[test]
    fn published_rates_come_in_four_shapes() {
        assert_eq!(published_rate("73.00"), (Some(73.0), None));
        assert_eq!(published_rate("2,182.00"), (Some(2182.0), None));
        assert_eq!(published_rate("(△13)"), (None, Some(13)));
        assert_eq!(published_rate("-"), (None, None));
        assert_eq!(published_rate("NaN"), (None, None));
    }

    #[test]
    fn lines_group_by_type_and_sort_the_way_applyhome_shows_them() {
        let rows = vec![
            row("2", 1, "01", 10, "5", "(△5)"),
            row("1", 2, "01", 20, "0", "-"),
            row("1", 1, "02", 20, "300", "15.00"),
            row("1", 1, "03", 20, "100", "5.00"),
            row("1", 1, "01", 20, "400", "20.00"),
            row("2", 2, "01", 10, "3", "(△2)"),
        ];
        let types = by_type(&rows);
        assert_eq!(types.len(), 2);
        let first = &types[0];
        assert_eq!(first.model_no.as_deref(), Some("1"));
        assert_eq!(first.house_type.as_deref(), Some("014.9700A"));
        let order: Vec<_> = first.lines.iter().map(|l| (l.rank, l.residence)).collect();
        assert_eq!(
            order,
            [
                (Some(1), Some(Residence::Local)),
                (Some(1), Some(Residence::OtherGyeonggi)),
                (Some(1), Some(Residence::OtherRegion)),
                (Some(2), Some(Residence::Local)),
            ]
        );
        assert_eq!(first.rank1_applications, 800);
        assert_eq!(first.rank1_rate, Some(40.0));
        assert!(!first.undersubscribed);
        assert_eq!(first.shortfall_households, Some(0));

        let second = &types[1];
        assert_eq!(second.rank1_applications, 5);
        assert_eq!(second.applications, 8);
        assert_eq!(second.rank1_rate, Some(0.5));
        assert_eq!(second.shortfall_households, Some(2));
        assert!(second.undersubscribed);
        assert_eq!(second.lines[0].shortfall, Some(5));

        let summary = summary(&types);
        assert_eq!(summary.general_households, 30);
        assert_eq!(summary.rank1_applications, 805);
        assert_eq!(summary.rank1_rate, Some(26.83));
        assert_eq!(summary.undersubscribed_types, 1);
    }

    #[test]
    fn a_type_without_households_has_no_rate() {
        let rows = vec![row("1", 1, "01", 0, "0", "-")];
        let t = &by_type(&rows)[0];
        assert_eq!(t.rank1_rate, None);
        assert!(!t.undersubscribed);
        assert_eq!(residence("7"), None);
        assert_eq!(residence("3"), Some(Residence::OtherGyeonggi));
    }
}
