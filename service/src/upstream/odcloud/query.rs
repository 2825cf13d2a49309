//! Page requests and their `cond[FIELD::OP]=value` filters.

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::fields;

/// A filter operator of the `cond[FIELD::OP]` syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// Equal.
    Eq,
    /// Contains.
    Like,
    /// Greater than or equal (strings compare, so dates and `YYYYMM` work).
    Gte,
    /// Less than or equal.
    Lte,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "EQ",
            Op::Like => "LIKE",
            Op::Gte => "GTE",
            Op::Lte => "LTE",
        }
    }
}

/// One `cond[FIELD::OP]=value` filter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Condition {
    /// Upstream column name (see [`fields`]).
    pub field: &'static str,
    /// Comparison.
    pub op: Op,
    /// Value, sent as is (encoded once by the HTTP client).
    pub value: String,
}

impl Condition {
    /// The query parameter name, e.g. `cond[HOUSE_NM::LIKE]`.
    pub fn param(&self) -> String {
        format!("cond[{}::{}]", self.field, self.op.as_str())
    }
}

/// A page request with its filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    page: u32,
    per_page: u32,
    conditions: Vec<Condition>,
}

impl Query {
    /// Page `page` (1-based) of `per_page` rows, unfiltered.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self {
            page,
            per_page,
            conditions: Vec::new(),
        }
    }

    /// Adds a filter.
    pub fn with(mut self, field: &'static str, op: Op, value: impl Into<String>) -> Self {
        self.conditions.push(Condition {
            field,
            op,
            value: value.into(),
        });
        self
    }

    /// The filters, in the order they were added.
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }

    pub(super) fn params(&self) -> Vec<(String, String)> {
        let mut params = vec![
            ("page".to_owned(), self.page.to_string()),
            ("perPage".to_owned(), self.per_page.to_string()),
            ("returnType".to_owned(), "JSON".to_owned()),
        ];
        params.extend(self.conditions.iter().map(|c| (c.param(), c.value.clone())));
        params
    }

    /// The cache key part: order-independent, never containing the service key, and
    /// unambiguous (values are quoted, so a value holding `&` or `=` cannot pose as
    /// another filter).
    pub(super) fn canonical(&self) -> String {
        let mut conditions = self.conditions.clone();
        conditions.sort();
        let mut key = format!("page={}&perPage={}", self.page, self.per_page);
        for c in &conditions {
            key.push_str(&format!("&{}={:?}", c.param(), c.value));
        }
        key
    }
}

/// Statistics are published about two months late and then stay put, so a query whose
/// latest month is at least three months back can be kept for long. A query without an
/// upper month bound reaches the newest data and is never settled.
pub(super) fn is_settled(query: &Query, today: NaiveDate) -> bool {
    let upper = query
        .conditions()
        .iter()
        .filter(|c| c.field == fields::STAT_DE && matches!(c.op, Op::Eq | Op::Lte))
        .filter_map(|c| month_index(&c.value))
        .min();
    let this_month = today.year() * 12 + today.month0() as i32;
    upper.is_some_and(|upper| upper <= this_month - 3)
}

/// Applyhome publishes each application day's figures that evening, so a notice's
/// competition table is final once its last application day is two days past. An unknown
/// last day is never final.
pub(super) fn competition_settled(application_end: Option<NaiveDate>, today: NaiveDate) -> bool {
    application_end.is_some_and(|end| today >= end + TimeDelta::days(2))
}

/// `YYYYMM` as a month count, for comparisons.
fn month_index(value: &str) -> Option<i32> {
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = value[..4].parse().ok()?;
    let month: i32 = value[4..].parse().ok()?;
    (1..=12).contains(&month).then_some(year * 12 + month - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn cache_keys_ignore_filter_order() {
        let a = Query::new(1, 10)
            .with(fields::HOUSE_NM, Op::Like, "자이")
            .with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "서울");
        let b = Query::new(1, 10)
            .with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "서울")
            .with(fields::HOUSE_NM, Op::Like, "자이");
        assert_eq!(a.canonical(), b.canonical());
        assert_ne!(a.canonical(), Query::new(2, 10).canonical());
        let sneaky = Query::new(1, 10).with(fields::HOUSE_NM, Op::Like, "자이&cond[X::EQ]=1");
        let plain = Query::new(1, 10)
            .with(fields::HOUSE_NM, Op::Like, "자이")
            .with("X", Op::Eq, "1");
        assert_ne!(sneaky.canonical(), plain.canonical());
    }

    #[test]
    fn params_carry_paging_json_and_filters() {
        let q = Query::new(3, 50).with(fields::RCRIT_PBLANC_DE, Op::Gte, "2025-01-01");
        let params = q.params();
        assert!(params.contains(&("perPage".into(), "50".into())));
        assert!(params.contains(&("returnType".into(), "JSON".into())));
        assert!(params.contains(&("cond[RCRIT_PBLANC_DE::GTE]".into(), "2025-01-01".into())));
    }

    #[test]
    fn competition_figures_settle_two_days_after_the_last_application_day() {
        let end = Some(day(2025, 3, 12));
        assert!(!competition_settled(end, day(2025, 3, 12)));
        assert!(!competition_settled(end, day(2025, 3, 13)));
        assert!(competition_settled(end, day(2025, 3, 14)));
        assert!(!competition_settled(None, day(2030, 1, 1)));
    }

    #[test]
    fn only_bounded_old_months_are_settled() {
        let today = day(2025, 6, 15);
        let month = |op, v: &str| Query::new(1, 10).with(fields::STAT_DE, op, v);
        assert!(is_settled(&month(Op::Eq, "202503"), today));
        assert!(!is_settled(&month(Op::Eq, "202504"), today));
        assert!(is_settled(&month(Op::Lte, "202412"), today));
        assert!(!is_settled(&month(Op::Gte, "202001"), today));
        assert!(!is_settled(&Query::new(1, 10), today));
        assert!(!is_settled(&month(Op::Eq, "2025-3"), today));
    }
}
