//! Finding one notice by its ids: the arguments `get_apt_subscription_detail` and
//! `get_apt_subscription_competition` share, and the notice lookup both start with.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use schemars::{self, JsonSchema};

use crate::{
    tools::{Provenance, ToolError},
    upstream::odcloud::{OdcloudClient, Op, Query, fields, kst_today},
};

use super::notice::{Notice, notice, parse_date};

/// Which notice: the ids `get_apt_subscription_info` returns with every notice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub struct SubscriptionNoticeArgs {
    /// 주택관리번호: the `house_manage_no` of a notice in get_apt_subscription_info
    /// results, e.g. "2025000101".
    #[serde(deserialize_with = "id_text")]
    #[schemars(with = "String", length(min = 1, max = 20), regex(pattern = r"^\d+$"))]
    pub house_manage_no: String,
    /// 공고번호: the `notice_no` of that notice. Needed only when one house_manage_no has
    /// several notices (a re-notice); otherwise leave it out.
    #[serde(default, alias = "pblanc_no", deserialize_with = "optional_id_text")]
    #[schemars(
        with = "Option<String>",
        length(min = 1, max = 20),
        regex(pattern = r"^\d+$")
    )]
    pub notice_no: Option<String>,
}

/// An id as text or as a JSON number: models send both.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(u64),
}

impl Id {
    fn into_text(self) -> String {
        match self {
            Id::Text(text) => text,
            Id::Number(number) => number.to_string(),
        }
    }
}

fn id_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Id::deserialize(deserializer).map(Id::into_text)
}

fn optional_id_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<Id>::deserialize(deserializer).map(|id| id.map(Id::into_text))
}

/// Longest id accepted; Applyhome's are ten digits.
const MAX_ID_DIGITS: usize = 20;

/// The checked ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    pub(super) house_manage_no: String,
    pub(super) notice_no: Option<String>,
}

impl Target {
    /// Checks the ids before any request, so a bad one costs no quota.
    pub(super) fn from_args(args: &SubscriptionNoticeArgs) -> Result<Self, ToolError> {
        let house_manage_no = id("house_manage_no", &args.house_manage_no)?.ok_or_else(|| {
            ToolError::invalid_argument(
                "house_manage_no",
                "is empty; pass the `house_manage_no` of a notice from \
                 get_apt_subscription_info",
            )
        })?;
        let notice_no = match args.notice_no.as_deref() {
            Some(value) => id("notice_no", value)?,
            None => None,
        };
        Ok(Self {
            house_manage_no,
            notice_no,
        })
    }

    /// A query for this notice's rows in any of the per-notice operations.
    pub(super) fn query(&self, per_page: u32) -> Query {
        let query = Query::new(1, per_page).with(
            fields::HOUSE_MANAGE_NO,
            Op::Eq,
            self.house_manage_no.as_str(),
        );
        match &self.notice_no {
            Some(no) => query.with(fields::PBLANC_NO, Op::Eq, no.as_str()),
            None => query,
        }
    }

    fn described(&self) -> String {
        match &self.notice_no {
            Some(no) => format!("주택관리번호 {} and 공고번호 {no}", self.house_manage_no),
            None => format!("주택관리번호 {}", self.house_manage_no),
        }
    }
}

/// A blank id is absent; anything but digits is refused with where to find the right one.
fn id(name: &str, value: &str) -> Result<Option<String>, ToolError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() > MAX_ID_DIGITS || !value.bytes().all(|b| b.is_ascii_digit()) {
        let shown: String = value.chars().take(30).collect();
        return Err(ToolError::invalid_argument(
            name,
            format!(
                "`{shown}` is not an Applyhome id: it is a number such as 2025000101, found as \
                 `house_manage_no` / `notice_no` in get_apt_subscription_info results"
            ),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// The notice a target names, with what fetching it cost.
pub(super) struct FoundNotice {
    /// The notice, readable.
    pub(super) notice: Notice,
    /// Its last application day, which decides how long competition figures are cached.
    pub(super) application_end: Option<NaiveDate>,
    /// Cache state and cost of the lookup.
    pub(super) source: Provenance,
}

/// Notices asked for per lookup; one id rarely has more than two.
const LOOKUP_ROWS: u32 = 20;

/// Fetches the notice `target` names. Fails, with how to find the right id, when there is
/// none, and lists the notice numbers when the id alone is ambiguous.
pub(super) async fn find_notice(
    client: &OdcloudClient,
    target: &Target,
) -> Result<FoundNotice, ToolError> {
    let answer = client.notices(&target.query(LOOKUP_ROWS)).await?;
    let rows = &answer.page.rows;
    let row = match rows.as_slice() {
        [] => {
            return Err(ToolError::new(format!(
                "Applyhome has no APT notice with {}. Look the notice up with \
                 get_apt_subscription_info (by region, house name or notice date) and pass its \
                 `house_manage_no`. Officetel, remainder (무순위) and rental notices are not \
                 covered.",
                target.described()
            )));
        }
        [row] => row,
        several => {
            let numbers: Vec<&str> = several.iter().filter_map(|r| r.pblanc_no.get()).collect();
            return Err(ToolError::invalid_argument(
                "notice_no",
                format!(
                    "주택관리번호 {} has {} notices ({}); pass the one you mean as `notice_no`",
                    target.house_manage_no,
                    several.len(),
                    numbers.join(", ")
                ),
            ));
        }
    };
    let notice = notice(row, kst_today());
    Ok(FoundNotice {
        application_end: notice.application_end.as_deref().and_then(parse_date),
        notice,
        source: Provenance::new(answer.freshness, answer.upstream_calls),
    })
}

/// One report for an answer assembled from several requests: cached only when every part
/// was, as old as the oldest part, costing what they cost together.
pub(super) fn combined(parts: &[Provenance]) -> Provenance {
    let stalest = parts
        .iter()
        .filter(|p| p.stale)
        .max_by_key(|p| p.age_seconds);
    Provenance {
        cached: parts.iter().all(|p| p.cached),
        age_seconds: parts.iter().map(|p| p.age_seconds).max().unwrap_or(0),
        upstream_calls: parts.iter().map(|p| p.upstream_calls).sum(),
        stale: stalest.is_some(),
        note: stalest.and_then(|p| p.note.clone()),
        budget: None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::cache::{Freshness, StaleReason};

    fn args(json: serde_json::Value) -> SubscriptionNoticeArgs {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn ids_arrive_as_text_or_numbers_and_pblanc_no_is_understood() {
        let target = Target::from_args(&args(serde_json::json!({
            "house_manage_no": 2025000101_u64, "pblanc_no": "2025000101"
        })))
        .unwrap();
        assert_eq!(target.house_manage_no, "2025000101");
        assert_eq!(target.notice_no.as_deref(), Some("2025000101"));
        let params: Vec<_> = target
            .query(5)
            .conditions()
            .iter()
            .map(|c| (c.param(), c.value.clone()))
            .collect();
        assert_eq!(
            params,
            [
                (
                    "cond[HOUSE_MANAGE_NO::EQ]".to_owned(),
                    "2025000101".to_owned()
                ),
                ("cond[PBLANC_NO::EQ]".to_owned(), "2025000101".to_owned()),
            ]
        );
        let blank = Target::from_args(&args(serde_json::json!({
            "house_manage_no": " 2025000101 ", "notice_no": " "
        })))
        .unwrap();
        assert_eq!(blank.notice_no, None);
        assert_eq!(blank.query(5).conditions().len(), 1);
    }

    #[test]
    fn ids_that_are_not_numbers_are_refused_with_where_to_find_one() {
        for (json, argument) in [
            (
                serde_json::json!({ "house_manage_no": "방배 자이" }),
                "`house_manage_no`",
            ),
            (
                serde_json::json!({ "house_manage_no": "" }),
                "`house_manage_no`",
            ),
            (
                serde_json::json!({ "house_manage_no": "1", "notice_no": "1-2" }),
                "`notice_no`",
            ),
            (
                serde_json::json!({ "house_manage_no": "9".repeat(21) }),
                "`house_manage_no`",
            ),
        ] {
            let error = Target::from_args(&args(json)).unwrap_err();
            assert!(error.message().contains(argument), "{}", error.message());
            assert!(
                error.message().contains("get_apt_subscription_info"),
                "{}",
                error.message()
            );
        }
    }

    #[test]
    fn a_combined_answer_is_cached_only_when_every_part_was() {
        let live = Provenance::new(Freshness::Live, 1);
        let old = Provenance::new(
            Freshness::Cached {
                age: Duration::from_secs(300),
            },
            0,
        );
        let expired = Provenance::new(
            Freshness::Stale {
                age: Duration::from_secs(900),
                reason: StaleReason::Timeout,
            },
            0,
        );
        assert_eq!(
            combined(&[live.clone(), old.clone()]),
            Provenance {
                cached: false,
                age_seconds: 300,
                upstream_calls: 1,
                stale: false,
                note: None,
                budget: None,
            }
        );
        assert!(combined(&[old.clone(), old.clone()]).cached);
        let mixed = combined(&[live, expired.clone()]);
        assert!(mixed.stale);
        assert_eq!(mixed.note, expired.note);
    }
}
