//! One month of one district, read under the code it had at the time when its current code
//! has nothing.
//!
//! After a reorganisation (인천's 구 in 2026-07, 광주·전남 in 2026-07, 화성시 in 2026-02, …)
//! the tools ask the current code for every month, on the assumption that MOLIT files old
//! deals under it too. No source confirms that assumption (docs/upstream-notes.md), and an
//! unknown code answers like an empty month, so a wrong assumption would look like a quiet
//! district. Hence the fallback: for a month that began before the change, when the current
//! code returns no deals, each former code is asked once (one extra request per former code,
//! and only then), and the answer says which code the rows came from. When the former
//! district was split, only its deals in the current district's 읍면동 are kept.

use std::sync::Arc;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::count::count_u32;
use crate::{
    cache::Freshness,
    regions::Former,
    tools::calendar::YearMonth,
    upstream::molit::{Dataset, Deal, MolitClient, MolitError, MonthData},
};

/// A former code that was asked for a month because the current code had no deals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FormerCodeRead {
    /// The code (LAWD_CD) the district had before its reorganisation.
    pub lawd_cd: String,
    /// Its name then.
    pub name: String,
    /// Deals that code reported for the month.
    pub deals_reported: u32,
    /// Of those, the deals counted here: all of them, or for a district that was split,
    /// those in this district's 읍면동.
    pub deals_kept: u32,
}

/// A month of a district, with the former codes read for it (empty when the current code
/// answered, or the month is after every change).
#[derive(Debug, Clone)]
pub struct DistrictMonth {
    /// The deals, from the current code or the former ones; the cost covers every request.
    pub data: MonthData,
    /// Former codes asked, in order.
    pub former_codes: Vec<FormerCodeRead>,
}

impl DistrictMonth {
    /// True when some of the month's deals came from a former code.
    pub fn from_former_code(&self) -> bool {
        self.former_codes.iter().any(|f| f.deals_kept > 0)
    }
}

/// Reads `month` of `dataset` for the district `lawd_cd`, falling back to its `formers` as
/// the module documentation describes.
pub async fn fetch_district_month(
    client: &MolitClient,
    dataset: Dataset,
    lawd_cd: &str,
    formers: &[Former],
    month: YearMonth,
) -> Result<DistrictMonth, MolitError> {
    let (year, number) = (month.year(), month.month());
    let current = client.fetch_month(dataset, lawd_cd, year, number).await?;
    let asked: Vec<&Former> = formers
        .iter()
        .filter(|former| began_before(month, former.changed_on))
        .collect();
    if !current.deals.is_empty() || asked.is_empty() {
        return Ok(DistrictMonth {
            data: current,
            former_codes: Vec::new(),
        });
    }
    let mut combined = current;
    let mut deals: Vec<Deal> = Vec::new();
    let mut former_codes = Vec::with_capacity(asked.len());
    for former in asked {
        let spent = combined.upstream_calls;
        let old = client
            .fetch_month(dataset, &former.code, year, number)
            .await
            .map_err(|error| {
                let calls = error.upstream_calls() + spent;
                error.after_calls(calls)
            })?;
        let kept: Vec<Deal> = old
            .deals
            .iter()
            .filter(|deal| inside(deal, former.split_dongs.as_deref()))
            .cloned()
            .collect();
        former_codes.push(FormerCodeRead {
            lawd_cd: former.code.clone(),
            name: former.name.clone(),
            deals_reported: old.total_count,
            deals_kept: count_u32(kept.len()),
        });
        combined.total_count += match former.split_dongs {
            Some(_) => count_u32(kept.len()),
            None => old.total_count,
        };
        combined.truncated |= old.truncated;
        combined.pages += old.pages;
        combined.upstream_calls += old.upstream_calls;
        combined.freshness = older(combined.freshness, old.freshness);
        combined.fetched_at = combined.fetched_at.min(old.fetched_at);
        deals.extend(kept);
    }
    combined.deals = Arc::from(deals);
    Ok(DistrictMonth {
        data: combined,
        former_codes,
    })
}

/// The note for a month read (partly) from former codes, or asked there in vain.
pub fn former_code_note(
    month: YearMonth,
    lawd_cd: &str,
    former_codes: &[FormerCodeRead],
) -> Option<String> {
    if former_codes.is_empty() {
        return None;
    }
    let listed: Vec<String> = former_codes
        .iter()
        .map(|f| {
            if f.deals_reported == f.deals_kept {
                format!("{} {} ({} deals)", f.lawd_cd, f.name, f.deals_kept)
            } else {
                format!(
                    "{} {} ({} of its {} deals, those in this district's 읍면동)",
                    f.lawd_cd, f.name, f.deals_kept, f.deals_reported
                )
            }
        })
        .collect();
    let found: u32 = former_codes.iter().map(|f| f.deals_kept).sum();
    Some(if found > 0 {
        format!(
            "{lawd_cd} had no deals for {month}, which is before the district was reorganised, \
             so the code it had then was read instead: {}. MOLIT may file old deals under \
             either code; the figures count the ones found.",
            listed.join("; ")
        )
    } else {
        format!(
            "{lawd_cd} had no deals for {month}, which is before the district was reorganised, \
             and its former code{} had none either: {}.",
            if former_codes.len() == 1 { "" } else { "s" },
            listed.join("; ")
        )
    })
}

/// True when `month` began before the change took effect (an unknown date counts as
/// before: the extra request is the cheaper mistake).
fn began_before(month: YearMonth, changed_on: Option<NaiveDate>) -> bool {
    let first_day = NaiveDate::from_ymd_opt(month.year(), month.month(), 1);
    match (first_day, changed_on) {
        (Some(first_day), Some(changed_on)) => first_day < changed_on,
        _ => true,
    }
}

/// True when `deal` lies in one of `dongs` (its 법정동's first word, e.g. "가평읍" of
/// "가평읍 읍내리"); every deal when there is no list.
fn inside(deal: &Deal, dongs: Option<&[String]>) -> bool {
    let Some(dongs) = dongs else {
        return true;
    };
    let word = deal
        .umd_nm
        .as_deref()
        .and_then(|name| name.split_whitespace().next());
    word.is_some_and(|word| dongs.iter().any(|dong| dong == word))
}

/// The staler of two answers: live only when both were, expired when either was.
fn older(a: Freshness, b: Freshness) -> Freshness {
    match (a, b) {
        (Freshness::Live, other) | (other, Freshness::Live) => other,
        (Freshness::Cached { age: x }, Freshness::Cached { age: y }) => {
            Freshness::Cached { age: x.max(y) }
        }
        (Freshness::Stale { age: x, reason }, Freshness::Stale { age: y, .. }) if x >= y => {
            Freshness::Stale { age: x, reason }
        }
        (Freshness::Stale { .. }, stale @ Freshness::Stale { .. }) => stale,
        (stale @ Freshness::Stale { .. }, Freshness::Cached { .. })
        | (Freshness::Cached { .. }, stale @ Freshness::Stale { .. }) => stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_months_that_began_before_the_change_are_read_under_the_old_code() {
        let july = NaiveDate::from_ymd_opt(2026, 7, 1);
        let month = |y, m| YearMonth::new(y, m).unwrap();
        assert!(began_before(month(2026, 6), july));
        assert!(!began_before(month(2026, 7), july));
        // A change in the middle of a month: that month was partly under the old code.
        let mid_june = NaiveDate::from_ymd_opt(2023, 6, 11);
        assert!(began_before(month(2023, 6), mid_june));
        assert!(!began_before(month(2023, 7), mid_june));
        assert!(began_before(month(2030, 1), None));
    }

    #[test]
    fn a_split_district_keeps_only_deals_in_its_own_dongs() {
        let deal = |dong: &str| Deal {
            umd_nm: Some(dong.to_owned()),
            ..Deal::default()
        };
        let dongs = ["신포동".to_owned(), "가평읍".to_owned()];
        assert!(inside(&deal("신포동"), Some(&dongs)));
        assert!(inside(&deal("가평읍 읍내리"), Some(&dongs)));
        assert!(!inside(&deal("운서동"), Some(&dongs)));
        assert!(!inside(&Deal::default(), Some(&dongs)));
        assert!(inside(&deal("운서동"), None));
    }
}
