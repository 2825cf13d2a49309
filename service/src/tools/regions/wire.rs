//! The `get_region_code` answer as clients see it: the region table's lookup types, mirrored
//! with their serialisation and output schema so the table itself knows nothing of the
//! protocol. The names match the table's so the published schema keeps its definitions.

use schemars::JsonSchema;
use serde::Serialize;

use crate::regions;

/// The outcome of a lookup. Nothing is guessed: an ambiguous or unknown name says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Lookup {
    /// Exactly one current 시군구 matches.
    Resolved(Resolved),
    /// Several current 시군구 match; the user must choose one of `candidates`.
    Ambiguous {
        /// Every match, each with a usable code.
        candidates: Vec<Candidate>,
    },
    /// The query names a district that was abolished or reorganised; `new` holds the code(s)
    /// that now carry its records (for months before the change the tools also read the old
    /// code when the new one has nothing).
    Renamed(Renamed),
    /// Nothing matches; `suggestions` are near misses for the user to confirm, never a guess.
    NotFound {
        /// Similar names, closest first (may be empty).
        suggestions: Vec<Candidate>,
    },
}

/// A query that resolved to one current 시군구.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Resolved {
    /// Five-digit 시군구 code (`LAWD_CD`) for the transaction tools.
    pub lawd_cd: String,
    /// Full name, e.g. "서울특별시 마포구".
    pub name: String,
    /// Which part of the query identified the district.
    pub matched_by: MatchedBy,
    /// The 읍면동 (or 읍면 and 리) the query named, when it named exactly one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong: Option<String>,
    /// Ten-digit code of that 읍면동, when the loaded table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong_code: Option<String>,
    /// History worth knowing (an earlier code), or a limit of the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a query matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// A five-digit 시군구 code.
    Code,
    /// A ten-digit 법정동 code.
    FullCode,
    /// A 시도/시/시군구 name in full (abbreviated 시도 names included).
    Name,
    /// A 시군구 name without its 시/군/구 suffix ("마포", "분당").
    PartialName,
    /// A 읍면동 or 리 name.
    Dong,
}

/// One usable current code offered for a choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Candidate {
    /// Five-digit 시군구 code.
    pub lawd_cd: String,
    /// Full 시군구 name.
    pub name: String,
    /// The matching 읍면동, when the candidate came from a 읍면동 name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong: Option<String>,
    /// Why this candidate is offered when it is not obvious (e.g. an old name it replaced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An abolished or reorganised district and what replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Renamed {
    /// The old five-digit code.
    pub old_code: String,
    /// The old full name.
    pub old_name: String,
    /// What happened.
    pub reason: String,
    /// When it took effect.
    pub date: String,
    /// The current code(s) that now carry the old district's records.
    pub new: Vec<Candidate>,
}

impl From<regions::Lookup> for Lookup {
    fn from(lookup: regions::Lookup) -> Self {
        let all = |candidates: Vec<regions::Candidate>| candidates.into_iter().map(Into::into);
        match lookup {
            regions::Lookup::Resolved(r) => Self::Resolved(r.into()),
            regions::Lookup::Ambiguous { candidates } => Self::Ambiguous {
                candidates: all(candidates).collect(),
            },
            regions::Lookup::Renamed(r) => Self::Renamed(r.into()),
            regions::Lookup::NotFound { suggestions } => Self::NotFound {
                suggestions: all(suggestions).collect(),
            },
        }
    }
}

impl From<regions::Resolved> for Resolved {
    fn from(r: regions::Resolved) -> Self {
        Self {
            lawd_cd: r.lawd_cd,
            name: r.name,
            matched_by: r.matched_by.into(),
            dong: r.dong,
            dong_code: r.dong_code,
            note: r.note,
        }
    }
}

impl From<regions::MatchedBy> for MatchedBy {
    fn from(by: regions::MatchedBy) -> Self {
        match by {
            regions::MatchedBy::Code => Self::Code,
            regions::MatchedBy::FullCode => Self::FullCode,
            regions::MatchedBy::Name => Self::Name,
            regions::MatchedBy::PartialName => Self::PartialName,
            regions::MatchedBy::Dong => Self::Dong,
        }
    }
}

impl From<regions::Candidate> for Candidate {
    fn from(c: regions::Candidate) -> Self {
        Self {
            lawd_cd: c.lawd_cd,
            name: c.name,
            dong: c.dong,
            note: c.note,
        }
    }
}

impl From<regions::Renamed> for Renamed {
    fn from(r: regions::Renamed) -> Self {
        Self {
            old_code: r.old_code,
            old_name: r.old_name,
            reason: r.reason,
            date: r.date,
            new: r.new.into_iter().map(Into::into).collect(),
        }
    }
}
