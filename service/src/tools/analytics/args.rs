//! Arguments the analytics tools share: [`MarketArgs`] (property type, contract months, the
//! transaction tools' deal filters and the outlier rule), flattened into each tool's
//! arguments and checked in one step ([`MarketArgs::prepare`]); the property and deal type;
//! and the optional forms of month arguments.

use chrono::{DateTime, Utc};
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::{
    tools::{
        ToolError,
        calendar::YearMonth,
        transactions::{FilterArgs, Filters, MonthArg, text_or_number},
    },
    upstream::molit::Dataset,
};

/// What `analyze_price_trend`, `compare_regions` and `analyze_jeonse_ratio` share: which
/// deals (property type, contract months, the transaction tools' filters) and whether
/// outliers are left out. Flattened into each tool's arguments, so clients see plain
/// top-level arguments.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct MarketArgs {
    /// apartment (아파트, default), officetel, villa (빌라), single_house (단독·다가구) or
    /// commercial (상가).
    #[serde(default)]
    pub property_type: PropertyType,
    /// First contract month, YYYYMM.
    pub from_month: MonthArg,
    /// Last contract month, YYYYMM (default: this month; for compare_regions, from_month).
    #[serde(default)]
    pub to_month: Option<MonthArg>,
    /// Which deals of those months count.
    #[serde(flatten)]
    pub filters: FilterArgs,
    /// Leave out outliers by the documented rule (default true).
    pub exclude_outliers: Option<bool>,
}

/// What a missing `to_month` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RangeEnd {
    /// The current month in Korea: "since `from_month`".
    ThisMonth,
    /// `from_month` itself: one month.
    FromMonth,
}

/// [`MarketArgs`] checked: the deal filters, the month range and the outlier choice.
#[derive(Debug, Clone)]
pub(super) struct Market {
    /// The filters, checked against the dataset the tool reads first.
    pub(super) filters: Filters,
    /// The contract months.
    pub(super) range: MonthRange,
    /// Whether outliers are left out.
    pub(super) drop_outliers: bool,
}

impl MarketArgs {
    /// Apartment deals of the contract months `from` to `to` (`YYYYMM`), unfiltered.
    pub fn months(from: &str, to: &str) -> Self {
        Self {
            from_month: from.into(),
            to_month: Some(to.into()),
            ..Self::default()
        }
    }

    /// Checks the arguments for `tool` reading `dataset` (for 전세가율, the sales dataset:
    /// its lease pair filters alike) over at most `max_months`; errors name the argument.
    pub(super) fn prepare(
        &self,
        tool: &str,
        dataset: Dataset,
        max_months: usize,
        end: RangeEnd,
        now: DateTime<Utc>,
    ) -> Result<Market, ToolError> {
        let filters = Filters::new(dataset, tool, &self.filters)?;
        let to = match end {
            RangeEnd::ThisMonth => self.to_month.as_deref(),
            RangeEnd::FromMonth => Some(self.to_month.as_deref().unwrap_or(&self.from_month)),
        };
        let range = MonthRange::parse(&self.from_month, to, max_months, now)?;
        Ok(Market {
            filters,
            range,
            drop_outliers: self.exclude_outliers.unwrap_or(true),
        })
    }
}

/// Publishes a documented enum as a plain `enum` of its values: the field that takes it
/// says what the values mean, once, instead of a description per variant and one for the
/// type in every tool that takes it.
pub(crate) fn plain_enum(schema: &mut Schema) {
    let values: Option<Vec<Value>> =
        schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|variants| {
                variants
                    .iter()
                    .filter_map(|v| v.get("const").cloned())
                    .collect()
            });
    if let Some(values) = values {
        schema.remove("oneOf");
        schema.remove("description");
        schema.insert("type".into(), Value::from("string"));
        schema.insert("enum".into(), Value::Array(values));
    }
}

/// The kind of property a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[schemars(transform = plain_enum)]
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
#[schemars(transform = plain_enum)]
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
            PropertyType::Officetel => Dataset::OfficetelTrade,
            PropertyType::Villa => Dataset::RowHouseTrade,
            PropertyType::SingleHouse => Dataset::DetachedHouseTrade,
            PropertyType::Commercial => Dataset::CommercialTrade,
        }
    }

    /// The lease dataset; commercial buildings have none.
    pub fn leases(self) -> Option<Dataset> {
        match self {
            PropertyType::Apartment => Some(Dataset::AptRent),
            PropertyType::Officetel => Some(Dataset::OfficetelRent),
            PropertyType::Villa => Some(Dataset::RowHouseRent),
            PropertyType::SingleHouse => Some(Dataset::DetachedHouseRent),
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
            PropertyType::Officetel => Ok((Dataset::OfficetelTrade, Dataset::OfficetelRent)),
            PropertyType::Villa => Ok((Dataset::RowHouseTrade, Dataset::RowHouseRent)),
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
        let count = range.len();
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

    /// How many months the range holds, counted without listing them.
    pub(crate) fn len(self) -> usize {
        let index = |m: YearMonth| i64::from(m.year()) * 12 + i64::from(m.month());
        usize::try_from(index(self.last) - index(self.first) + 1).unwrap_or(0)
    }

    /// Every month of the range, oldest first.
    pub fn months(self) -> Vec<YearMonth> {
        self.first.through(self.last).collect()
    }
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
