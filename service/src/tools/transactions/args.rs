//! The arguments every transaction tool takes, and their validation into a [`Query`].

use std::{fmt, ops::Deref};

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, de};

use super::{AppliedFilters, TransactionTool, rows::area_of, tool_name};
use crate::tools::regions::ResolvedRegion;
use crate::{
    tools::ToolError,
    upstream::molit::{Dataset, Deal},
};

/// Rows returned when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 50;
/// Most rows one call returns; the summary covers every matching deal regardless.
pub const MAX_LIMIT: u32 = 500;
/// Largest area accepted in a filter, ㎡ (larger than any building in the data). A whole
/// number, so the published schema reads `100000`.
pub(crate) const MAX_AREA_M2: u32 = 100_000;
/// Longest `dong`, `name_contains` or complex name accepted, in characters.
pub(crate) const MAX_FILTER_CHARS: usize = 50;

/// Arguments of every transaction tool.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct TransactionArgs {
    /// District (시군구): 5-digit code or name, e.g. "11680" or "강남구".
    #[serde(deserialize_with = "text_or_number")]
    #[schemars(length(min = 1, max = 100))]
    pub region_code: String,
    /// Contract month, YYYYMM.
    pub year_month: MonthArg,
    /// Which deals of the month count.
    #[serde(flatten)]
    pub filters: FilterArgs,
    /// Rows, newest first (default 50; 0: summary only).
    #[schemars(range(min = 0, max = 500))]
    pub limit: Option<u32>,
}

/// The deal filters the transaction and analytics tools share, flattened into their
/// arguments (clients see plain top-level arguments) and checked by [`Filters::new`].
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct FilterArgs {
    /// Legal dong (법정동) fragment, e.g. "대치".
    #[schemars(length(max = MAX_FILTER_CHARS))]
    pub dong: Option<String>,
    /// Complex or building name fragment, e.g. "래미안".
    #[schemars(length(max = MAX_FILTER_CHARS))]
    pub name_contains: Option<String>,
    /// Smallest area, ㎡ (34평 ≈ 84㎡ 전용: 80–90).
    #[schemars(range(min = 0, max = MAX_AREA_M2))]
    pub area_min: Option<f64>,
    /// Largest area, ㎡.
    #[schemars(range(min = 0, max = MAX_AREA_M2))]
    pub area_max: Option<f64>,
}

/// A contract month as models send it: `"202503"`, `"2025-03"` or the number `202503`.
/// Checked where it is read ([`YearMonth::parse_argument`]), so the error names the argument.
///
/// [`YearMonth::parse_argument`]: crate::tools::calendar::YearMonth::parse_argument
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(inline)]
pub struct MonthArg(
    #[serde(deserialize_with = "text_or_number")]
    #[schemars(pattern(r"^\d{4}-?\d{2}$"))]
    String,
);

impl Deref for MonthArg {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for MonthArg {
    fn from(month: &str) -> Self {
        Self(month.to_owned())
    }
}

/// Models often send codes and months as JSON numbers; accept both forms.
pub(crate) fn text_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    struct TextOrNumber;

    impl de::Visitor<'_> for TextOrNumber {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string such as \"11680\" or \"202503\"")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
            Ok(value.to_owned())
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
            Ok(value.to_string())
        }
    }

    deserializer.deserialize_any(TextOrNumber)
}

/// A text filter as given and in the form it is compared in.
#[derive(Debug, Clone)]
struct TextFilter {
    given: String,
    folded: String,
    /// A whole place name (a 읍면동 named in `region_code`), not a fragment: "중동" must not
    /// match "신중동".
    whole_place: bool,
}

/// Validated filters and limit.
#[derive(Debug, Clone)]
pub(super) struct Query {
    filters: Filters,
    /// Rows to return.
    pub(super) limit: u32,
}

impl Query {
    /// Checks the filters and limit of `args` for `dataset`; errors name the argument.
    pub(super) fn from_args(dataset: Dataset, args: &TransactionArgs) -> Result<Self, ToolError> {
        let filters = Filters::new(dataset, tool_name(dataset), &args.filters)?;
        let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
        if limit > MAX_LIMIT {
            return Err(ToolError::invalid_argument(
                "limit",
                format!(
                    "{limit} is more than {MAX_LIMIT} rows; ask for at most {MAX_LIMIT}. The \
                     summary already covers every matching deal."
                ),
            ));
        }
        Ok(Self { filters, limit })
    }

    /// The query for `region` (see [`Filters::for_region`]).
    pub(super) fn for_region(self, region: &ResolvedRegion) -> Self {
        Self {
            filters: self.filters.for_region(region),
            ..self
        }
    }

    /// True when `deal` passes every filter.
    pub(super) fn matches(&self, dataset: Dataset, deal: &Deal) -> bool {
        self.filters.matches(dataset, deal)
    }

    /// The filters as the output reports them.
    pub(super) fn applied(&self) -> AppliedFilters {
        self.filters.applied()
    }
}

/// Validated deal filters, shared by the transaction and analytics tools so both read a
/// `dong`, `name_contains` or area range the same way.
#[derive(Debug, Clone)]
pub(crate) struct Filters {
    dong: Option<TextFilter>,
    name: Option<TextFilter>,
    area_min: Option<f64>,
    area_max: Option<f64>,
}

impl Filters {
    /// Checks `args` for `dataset`; errors name the argument, and `tool` when the dataset
    /// cannot be filtered as asked.
    pub(crate) fn new(dataset: Dataset, tool: &str, args: &FilterArgs) -> Result<Self, ToolError> {
        let name = text_filter("name_contains", args.name_contains.as_deref())?;
        if name.is_some() && !TransactionTool::of(dataset).named {
            return Err(ToolError::invalid_argument(
                "name_contains",
                format!(
                    "{} data has no building names, so `{tool}` cannot filter by name; filter \
                     by `dong` or by area instead.",
                    dataset.label(),
                ),
            ));
        }
        let area_min = area("area_min", args.area_min)?;
        let area_max = area("area_max", args.area_max)?;
        if let (Some(min), Some(max)) = (area_min, area_max)
            && min > max
        {
            return Err(ToolError::invalid_argument(
                "area_min",
                format!("{min}㎡ is larger than area_max ({max}㎡); swap them or widen the range."),
            ));
        }
        Ok(Self {
            dong: text_filter("dong", args.dong.as_deref())?,
            name,
            area_min,
            area_max,
        })
    }

    /// These filters for `region`: when `region_code` named a 읍면동 and no `dong` was
    /// given, that 읍면동 becomes the dong filter, matched as a whole place name.
    pub(crate) fn for_region(&self, region: &ResolvedRegion) -> Self {
        let mut filters = self.clone();
        if let (None, Some(dong)) = (&filters.dong, region.dong.as_deref()) {
            filters.dong = Some(TextFilter {
                given: dong.to_owned(),
                folded: name_key(dong),
                whole_place: true,
            });
        }
        filters
    }

    /// True when a deal's 법정동 `umd` passes the dong filter (any does when there is none):
    /// a fragment, or the whole place a 읍면동 `region_code` named.
    pub(crate) fn in_dong(&self, umd: &str) -> bool {
        contains(self.dong.as_ref(), Some(umd))
    }

    /// True when `deal` passes every filter. A deal without the filtered field fails.
    pub(crate) fn matches(&self, dataset: Dataset, deal: &Deal) -> bool {
        if !contains(self.dong.as_ref(), deal.umd_nm.as_deref())
            || !contains(self.name.as_ref(), deal.name.as_deref())
        {
            return false;
        }
        if self.area_min.is_none() && self.area_max.is_none() {
            return true;
        }
        area_of(dataset, deal).is_some_and(|area| {
            self.area_min.is_none_or(|min| area >= min)
                && self.area_max.is_none_or(|max| area <= max)
        })
    }

    /// The filters as the output reports them.
    pub(crate) fn applied(&self) -> AppliedFilters {
        AppliedFilters {
            dong: self.dong.as_ref().map(|f| f.given.clone()),
            dong_from_region_code: self.dong.as_ref().is_some_and(|f| f.whole_place),
            name_contains: self.name.as_ref().map(|f| f.given.clone()),
            area_min: self.area_min,
            area_max: self.area_max,
        }
    }
}

fn contains(filter: Option<&TextFilter>, value: Option<&str>) -> bool {
    match (filter, value) {
        (None, _) => true,
        (Some(filter), Some(value)) if filter.whole_place => same_place(value, &filter.given),
        (Some(filter), Some(value)) => name_key(value).contains(&filter.folded),
        (Some(_), None) => false,
    }
}

/// Whether a deal's 법정동 (`가평읍 개곡리`, `공덕동`) lies in `place`, a 읍면동 or 리 name
/// from the region table: the same words, or `place` as its first words (a 읍 holds its
/// 리), or a 리 reported without its 읍면.
fn same_place(umd: &str, place: &str) -> bool {
    let umd: Vec<&str> = umd.split_whitespace().collect();
    let place: Vec<&str> = place.split_whitespace().collect();
    umd.starts_with(&place) || (place.len() > 1 && umd.as_slice() == &place[place.len() - 1..])
}

/// Spaces and letter case do not matter in names: "래미안 대치" finds "래미안대치팰리스".
pub(crate) fn name_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A blank filter is no filter (models often send "" for "any").
fn text_filter(name: &str, value: Option<&str>) -> Result<Option<TextFilter>, ToolError> {
    Ok(text_argument(name, value)?.map(|given| TextFilter {
        given: given.to_owned(),
        folded: name_key(given),
        whole_place: false,
    }))
}

/// A name argument trimmed and checked like every text filter: `None` when blank, an error
/// naming `name` when longer than [`MAX_FILTER_CHARS`].
pub(crate) fn text_argument<'a>(
    name: &str,
    value: Option<&'a str>,
) -> Result<Option<&'a str>, ToolError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > MAX_FILTER_CHARS {
        return Err(ToolError::invalid_argument(
            name,
            format!(
                "is longer than {MAX_FILTER_CHARS} characters; give a short fragment of the name."
            ),
        ));
    }
    Ok(Some(value))
}

fn area(name: &str, value: Option<f64>) -> Result<Option<f64>, ToolError> {
    match value {
        Some(v) if !v.is_finite() || !(0.0..=f64::from(MAX_AREA_M2)).contains(&v) => {
            Err(ToolError::invalid_argument(
                name,
                format!("{v} is not an area between 0 and {MAX_AREA_M2}㎡."),
            ))
        }
        other => Ok(other),
    }
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
