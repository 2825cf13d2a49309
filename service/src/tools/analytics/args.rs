//! Arguments the analytics tools share: the property and deal type, the month range, and the
//! optional forms of month arguments.

use chrono::{DateTime, Utc};
use rmcp::schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

use crate::{
    tools::{ToolError, calendar::YearMonth, transactions::text_or_number},
    upstream::molit::Dataset,
};

/// The kind of property a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "snake_case")]
pub enum PropertyType {
    /// 아파트.
    #[default]
    Apartment,
    /// 오피스텔.
    Officetel,
    /// 연립·다세대 ("빌라").
    Villa,
    /// 단독·다가구 (no building names).
    SingleHouse,
    /// 상업업무용 buildings (sales only, no names).
    Commercial,
}

/// Sales or leases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "snake_case")]
pub enum DealType {
    /// 매매: sale prices.
    #[default]
    Trade,
    /// 전월세: 전세 deposits are the headline figure; 월세 is summarised apart.
    Rent,
}

impl PropertyType {
    /// The sales dataset.
    pub fn trades(self) -> Dataset {
        match self {
            PropertyType::Apartment => Dataset::AptTrade,
            PropertyType::Officetel => Dataset::OffiTrade,
            PropertyType::Villa => Dataset::RhTrade,
            PropertyType::SingleHouse => Dataset::ShTrade,
            PropertyType::Commercial => Dataset::NrgTrade,
        }
    }

    /// The lease dataset; commercial buildings have none.
    pub fn leases(self) -> Option<Dataset> {
        match self {
            PropertyType::Apartment => Some(Dataset::AptRent),
            PropertyType::Officetel => Some(Dataset::OffiRent),
            PropertyType::Villa => Some(Dataset::RhRent),
            PropertyType::SingleHouse => Some(Dataset::ShRent),
            PropertyType::Commercial => None,
        }
    }

    /// The dataset for `deal_type`, or an error naming `property_type` when there is none.
    pub fn dataset(self, deal_type: DealType) -> Result<Dataset, ToolError> {
        match deal_type {
            DealType::Trade => Ok(self.trades()),
            DealType::Rent => self.leases().ok_or_else(|| {
                ToolError::invalid_argument(
                    "deal_type",
                    "MOLIT publishes no lease data for commercial buildings; use deal_type \
                     \"trade\", or another property_type.",
                )
            }),
        }
    }

    /// Both datasets of a type whose deals carry complex names (apartments, officetels,
    /// villas): 전세가율 and complex summaries pair sales with leases by name.
    pub fn named_pair(self, tool: &str) -> Result<(Dataset, Dataset), ToolError> {
        match self {
            PropertyType::Apartment => Ok((Dataset::AptTrade, Dataset::AptRent)),
            PropertyType::Officetel => Ok((Dataset::OffiTrade, Dataset::OffiRent)),
            PropertyType::Villa => Ok((Dataset::RhTrade, Dataset::RhRent)),
            PropertyType::SingleHouse | PropertyType::Commercial => {
                Err(ToolError::invalid_argument(
                    "property_type",
                    format!(
                        "`{tool}` matches deals by complex name, and MOLIT publishes no names \
                         for single houses or commercial buildings; use apartment, officetel \
                         or villa."
                    ),
                ))
            }
        }
    }
}

/// A validated span of contract months, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRange {
    /// The first month.
    pub first: YearMonth,
    /// The last month (inclusive).
    pub last: YearMonth,
}

impl MonthRange {
    /// Parses `from_month` and the optional `to_month` (default: the current month in
    /// Korea) and checks that the span holds at most `max_months` months.
    pub fn parse(
        from: &str,
        to: Option<&str>,
        max_months: usize,
        now: DateTime<Utc>,
    ) -> Result<Self, ToolError> {
        let first = YearMonth::parse_argument("from_month", from, now)?;
        let last = match to.map(str::trim).filter(|t| !t.is_empty()) {
            Some(to) => YearMonth::parse_argument("to_month", to, now)?,
            None => YearMonth::current_kst(now),
        };
        if last < first {
            return Err(ToolError::invalid_argument(
                "to_month",
                format!("{last} comes before from_month {first}; swap them."),
            ));
        }
        let range = Self { first, last };
        let count = range.months().len();
        if count > max_months {
            return Err(ToolError::invalid_argument(
                "from_month",
                format!(
                    "{first}–{last} spans {count} months; this tool reads at most {max_months} \
                     per call (each month costs quota). Narrow the range or split the question."
                ),
            ));
        }
        Ok(range)
    }

    /// Every month of the range, oldest first.
    pub fn months(self) -> Vec<YearMonth> {
        self.first.through(self.last).collect()
    }
}

/// `to_month` may be absent, a string or a number.
pub(super) fn optional_text_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Loose(#[serde(deserialize_with = "text_or_number")] String);

    Ok(Option::<Loose>::deserialize(deserializer)?.map(|loose| loose.0))
}

/// A count argument within `1..=max`, or `default` when absent.
pub(super) fn bounded(
    name: &str,
    value: Option<u32>,
    default: u32,
    max: u32,
) -> Result<u32, ToolError> {
    match value {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ToolError::invalid_argument(
            name,
            format!("{n} is outside 1 to {max}."),
        )),
    }
}

/// A list of region codes or names, each a string or a number.
pub(super) fn text_or_number_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct Loose(#[serde(deserialize_with = "text_or_number")] String);

    Ok(Vec::<Loose>::deserialize(deserializer)?
        .into_iter()
        .map(|loose| loose.0)
        .collect())
}
