//! The parts every analytics result shares, each flattened into the result so clients read
//! plain top-level fields: the months and area basis it covers ([`Span`]), and what its
//! figures leave out, what they cost and what to tell the user ([`Coverage`]).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use super::{args::MonthRange, clean::Exclusions, fetch::AnalyticsSource, notes};
use crate::{tools::transactions::area_basis, upstream::molit::Dataset};

/// The months a result covers and the area its per-area figures divide by.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Span {
    /// First month, `YYYYMM`.
    pub from_month: String,
    /// Last month, `YYYYMM`.
    pub to_month: String,
    /// What `area_m2`, area bands and per-area figures measure.
    pub area_basis: String,
}

impl Span {
    /// The span of `range` over deals of `dataset`.
    pub(super) fn new(range: MonthRange, dataset: Dataset) -> Self {
        Self {
            from_month: range.first.to_string(),
            to_month: range.last.to_string(),
            area_basis: area_basis(dataset).to_owned(),
        }
    }
}

/// What every analytics result ends with.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Coverage {
    /// What the figures leave out.
    pub excluded: Exclusions,
    /// Months fetched, from cache, cost and failures.
    pub source: AnalyticsSource,
    /// Things to tell the user.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Coverage {
    /// The coverage of figures that left out `excluded`, read from `source`; notes follow.
    pub(super) fn new(excluded: Exclusions, source: AnalyticsSource) -> Self {
        Self {
            excluded,
            source,
            notes: Vec::new(),
        }
    }

    /// The notes every result over `range` starts with, around what the tool itself found
    /// (`findings`): failed and truncated months first, then the findings, then share sales
    /// kept out of per-area figures and months still filling up.
    pub(super) fn notes_around(
        &self,
        findings: impl IntoIterator<Item = String>,
        range: MonthRange,
        now: DateTime<Utc>,
    ) -> Vec<String> {
        let mut all = notes::fetch_notes(&self.source);
        all.extend(findings);
        all.extend(notes::partial_interest_note(&self.excluded));
        all.extend(notes::recent_note(range.last, now));
        all
    }
}
