//! Which operations the stand-in serves, their rows and the filters each accepts.

use serde_json::Value;

use super::{COMPETITION_PATH, HOUSE_TYPES_PATH, NOTICE_PATH, STATISTICS_PATH, data, detail};

/// A dataset the stand-in serves, with the filters its operation accepts.
pub(super) struct Dataset {
    pub(super) rows: Vec<Value>,
    filters: &'static [Filter],
}

/// A column the operation filters on and the operators it takes there.
type Filter = (&'static str, &'static [&'static str]);

const EQ: &[&str] = &["EQ"];
const AFTER_OR_BEFORE: &[&str] = &["LT", "LTE", "GT", "GTE"];
const RANGE: &[&str] = &["EQ", "LT", "LTE", "GT", "GTE"];

const NOTICE_FILTERS: &[Filter] = &[
    ("HOUSE_MANAGE_NO", EQ),
    ("PBLANC_NO", EQ),
    ("HOUSE_NM", &["LIKE"]),
    ("HOUSE_SECD", EQ),
    ("HOUSE_DTL_SECD", EQ),
    ("SUBSCRPT_AREA_CODE", EQ),
    ("SUBSCRPT_AREA_CODE_NM", EQ),
    ("HSSPLY_ADRES", &["LIKE"]),
    ("RCRIT_PBLANC_DE", AFTER_OR_BEFORE),
];
/// The per-notice operations filter by the notice's ids only.
const ID_FILTERS: &[Filter] = &[("HOUSE_MANAGE_NO", EQ), ("PBLANC_NO", EQ)];
const COMPETITION_FILTERS: &[Filter] = &[
    ("HOUSE_MANAGE_NO", EQ),
    ("PBLANC_NO", EQ),
    ("RESIDE_SECD", EQ),
];
const MONTH_FILTERS: &[Filter] = &[("STAT_DE", RANGE)];
const AREA_FILTERS: &[Filter] = &[("STAT_DE", RANGE), ("SUBSCRPT_AREA_CODE", EQ)];
const SCORE_FILTERS: &[Filter] = &[
    ("STAT_DE", RANGE),
    ("SUBSCRPT_AREA_CODE", EQ),
    ("RESIDE_SECD", EQ),
];

impl Dataset {
    /// The operation at `path` (below the host), or `None` for one the service lacks.
    pub(super) fn at(path: &str) -> Option<Self> {
        let below = path.strip_prefix("/api")?;
        let (rows, filters) = match below {
            NOTICE_PATH => (data::notices(), NOTICE_FILTERS),
            HOUSE_TYPES_PATH => (detail::house_types(), ID_FILTERS),
            COMPETITION_PATH => (detail::competition(), COMPETITION_FILTERS),
            _ => return Self::statistics(below),
        };
        Some(Self { rows, filters })
    }

    fn statistics(below: &str) -> Option<Self> {
        let operation = below.strip_prefix(STATISTICS_PATH)?;
        let rows = data::statistics(operation)?;
        let filters = match operation {
            "getAPTReqstAgeStat" | "getAPTPrzwnerAgeStat" => MONTH_FILTERS,
            "getAPTApsPrzwnerStat" => SCORE_FILTERS,
            _ => AREA_FILTERS,
        };
        Some(Self { rows, filters })
    }

    /// Whether the operation takes `condition`, a `COLUMN::OPERATOR` pair.
    pub(super) fn accepts(&self, condition: &str) -> bool {
        condition
            .split_once("::")
            .is_some_and(|(column, operator)| {
                self.filters
                    .iter()
                    .any(|(c, operators)| *c == column && operators.contains(&operator))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str) -> Dataset {
        Dataset::at(&format!("/api{path}")).unwrap()
    }

    #[test]
    fn each_operation_takes_its_own_columns_and_operators() {
        let notices = at(NOTICE_PATH);
        assert!(notices.accepts("HOUSE_NM::LIKE"));
        assert!(notices.accepts("RCRIT_PBLANC_DE::GTE"));
        assert!(
            !notices.accepts("RCRIT_PBLANC_DE::EQ"),
            "dates are ranges only"
        );
        assert!(!notices.accepts("HOUSE_NM::EQ"));
        assert!(!notices.accepts("HOUSE_NM"), "no operator");
        let competition = at(COMPETITION_PATH);
        assert!(competition.accepts("RESIDE_SECD::EQ"));
        assert!(!at(HOUSE_TYPES_PATH).accepts("RESIDE_SECD::EQ"));
        let by_age = at(&format!("{STATISTICS_PATH}getAPTReqstAgeStat"));
        assert!(by_age.accepts("STAT_DE::LTE"));
        assert!(!by_age.accepts("SUBSCRPT_AREA_CODE::EQ"));
        let scores = at(&format!("{STATISTICS_PATH}getAPTApsPrzwnerStat"));
        assert!(scores.accepts("SUBSCRPT_AREA_CODE::EQ") && scores.accepts("RESIDE_SECD::EQ"));
    }
}
