//! The `get_region_code` tool and the `region_code` argument shared by the transaction tools:
//! both turn what a person typed into the five-digit `LAWD_CD` through [`RegionIndex`].
//!
//! Design choice: an ambiguous or reorganised name is a *successful* `get_region_code` result
//! (`status: "ambiguous"` / `"renamed"` with every candidate) because the model needs the
//! list to ask the user, and a structured list is easier to relay than an error sentence.
//! Only a name that matches nothing is a [`ToolError`], with the near misses in its message.
//! A transaction tool cannot ask, so [`resolve_region_argument`] fails on anything that is not
//! exactly one current district, except an old code or name with a single successor, which it
//! follows and reports in [`ResolvedRegion::note`].

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ToolError;
use crate::regions::{Candidate, Former, Lookup, RegionIndex, Renamed};

/// Longest query accepted, in characters; real place names are far shorter.
const MAX_QUERY_CHARS: usize = 100;

/// Arguments of `get_region_code`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct GetRegionCodeArgs {
    /// A Korean place name or code: a 시군구 ("마포구", "분당", "세종"), 시도 and 시군구
    /// ("서울 중구", "수원 영통구"), a 읍면동 ("공덕동"), or a 5- or 10-digit 법정동 code.
    #[schemars(length(min = 1, max = 100))]
    pub query: String,
}

/// Result of `get_region_code`. `status` is `resolved` (use `lawd_cd`), `ambiguous` (ask the
/// user to choose one of `candidates`) or `renamed` (the district was reorganised; use a code
/// from `new`). `not_found` never appears here: an unknown name is a tool error listing the
/// closest names instead.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RegionCodeOutput {
    /// The query as given.
    pub query: String,
    /// The answer, tagged by `status`.
    #[serde(flatten)]
    pub result: Lookup,
    /// What to do next, in one or two sentences.
    pub message: String,
    /// Which district table answered (built-in snapshot date or override file).
    pub source: String,
}

/// A `region_code` argument resolved to one current district.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ResolvedRegion {
    /// Five-digit `LAWD_CD` to send upstream.
    pub lawd_cd: String,
    /// Full 시군구 name, for the tool result.
    pub name: String,
    /// Set when the value was an old code or name and its successor was used instead, or when
    /// the district's history matters for reading old transactions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The 읍면동 `region_code` named (e.g. "공덕동" or a 10-digit code): unless `dong` is
    /// given, only its deals are counted, not the whole 시군구.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong: Option<String>,
    /// The 10-digit 법정동 code of `dong`, when the region table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dong_code: Option<String>,
    /// The codes the district had before a reorganisation, for months before the change
    /// (see [`crate::tools::district_months`]); not part of the answer.
    #[serde(skip)]
    #[schemars(skip)]
    pub formers: Arc<[Former]>,
}

/// Resolves a place name or code to a 시군구 code, listing candidates when the name is ambiguous.
pub fn get_region_code(
    index: &RegionIndex,
    args: GetRegionCodeArgs,
) -> Result<RegionCodeOutput, ToolError> {
    let query = checked("query", &args.query)?;
    let result = index.lookup(query);
    let message = match &result {
        Lookup::Resolved(r) => format!(
            "Use region_code \"{}\" ({}) with the transaction tools.",
            r.lawd_cd, r.name
        ),
        Lookup::Ambiguous { candidates } => format!(
            "\"{query}\" matches {} districts. Ask the user which one they mean, then use its \
             lawd_cd; do not choose for them.",
            candidates.len()
        ),
        Lookup::Renamed(r) => renamed_message(r),
        Lookup::NotFound { suggestions } => return Err(not_found(query, suggestions)),
    };
    Ok(RegionCodeOutput {
        query: args.query,
        result,
        message,
        source: index.source().to_string(),
    })
}

/// Resolves the `region_code` argument of a transaction tool: a 5-digit code (checked against
/// the table) or a name. Anything that needs the user's choice is an error naming the choices.
pub fn resolve_region_argument(
    index: &RegionIndex,
    value: &str,
) -> Result<ResolvedRegion, ToolError> {
    const ARG: &str = "region_code";
    let value = checked(ARG, value)?;
    let with_history = |lawd_cd: String, name: String, note: Option<String>| ResolvedRegion {
        formers: index.formers(&lawd_cd),
        lawd_cd,
        name,
        note,
        ..ResolvedRegion::default()
    };
    match index.lookup(value) {
        Lookup::Resolved(r) => Ok(ResolvedRegion {
            dong: r.dong,
            dong_code: r.dong_code,
            ..with_history(r.lawd_cd, r.name, r.note)
        }),
        Lookup::Renamed(r) => match r.new.as_slice() {
            [only] => Ok(with_history(
                only.lawd_cd.clone(),
                only.name.clone(),
                Some(format!(
                    "{} ({}) no longer exists ({}, {}); used its successor {} ({}).",
                    r.old_name, r.old_code, r.reason, r.date, only.lawd_cd, only.name
                )),
            )),
            _ => Err(ToolError::invalid_argument(ARG, renamed_message(&r))),
        },
        Lookup::Ambiguous { candidates } => Err(ToolError::invalid_argument(
            ARG,
            format!(
                "\"{value}\" matches several districts: {}. Ask the user which one they mean \
                 and pass its 5-digit code.",
                listing(&candidates)
            ),
        )),
        Lookup::NotFound { suggestions } => Err(ToolError::invalid_argument(
            ARG,
            not_found(value, &suggestions),
        )),
    }
}

/// Trims and bounds a free-text argument.
fn checked<'a>(name: &str, value: &'a str) -> Result<&'a str, ToolError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ToolError::invalid_argument(
            name,
            "is empty; give a place name such as \"마포구\" or a 5-digit code such as \"11440\".",
        ));
    }
    if value.chars().count() > MAX_QUERY_CHARS {
        return Err(ToolError::invalid_argument(
            name,
            format!("is longer than {MAX_QUERY_CHARS} characters; give just the place name."),
        ));
    }
    Ok(value)
}

fn renamed_message(r: &Renamed) -> String {
    let choice = if r.new.len() > 1 {
        " Ask the user which one they mean."
    } else {
        ""
    };
    format!(
        "{} ({}) no longer exists: {} ({}). Use {}; for months before the change the tools \
         also read the old code when the new one has no deals.{choice}",
        r.old_name,
        r.old_code,
        r.reason,
        r.date,
        listing(&r.new)
    )
}

fn not_found(query: &str, suggestions: &[Candidate]) -> ToolError {
    let is_code =
        query.chars().any(|c| c.is_ascii_digit()) && !query.chars().any(char::is_alphabetic);
    let what = if is_code {
        format!(
            "No current district has the code \"{query}\". A code has 5 digits (시군구, e.g. \
             11440) or 10 digits (법정동)."
        )
    } else {
        format!("No 시도, 시군구 or 읍면동 is named \"{query}\".")
    };
    let next = if suggestions.is_empty() {
        " Give a Korean place name such as \"마포구\", \"서울 중구\" or \"공덕동\", or call \
         get_region_code to search."
            .to_owned()
    } else {
        format!(
            " Closest names: {}. Confirm with the user before using one.",
            listing(suggestions)
        )
    };
    ToolError::new(format!("{what}{next}"))
}

/// "서울특별시 중구 (11140); 부산광역시 중구 (26110)", with the 읍면동 when there is one.
fn listing(candidates: &[Candidate]) -> String {
    candidates
        .iter()
        .map(|c| match &c.dong {
            Some(dong) => format!("{} {dong} ({})", c.name, c.lawd_cd),
            None => format!("{} ({})", c.name, c.lawd_cd),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests;
