//! `calculate_compound_growth`: what a lump sum and regular monthly savings grow to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    MAX_AMOUNT_MANWON, MAX_MONTHLY_MANWON, MAX_RATE_PERCENT, MAX_YEARS, check_count, check_manwon,
    check_range, round2,
};
use crate::tools::ToolError;

/// Lowest annual rate accepted, in percent: negative rates model a steady decline (a price
/// falling 3% a year), but a loss of more than half a year is not a growth projection.
const MIN_RATE_PERCENT: f64 = -50.0;

/// How often interest is added to the balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compounding {
    /// 월복리: interest added every month.
    #[default]
    #[serde(alias = "월복리")]
    Monthly,
    /// 분기복리: interest added every three months.
    #[serde(alias = "분기복리")]
    Quarterly,
    /// 반기복리: interest added every six months.
    #[serde(alias = "반기복리")]
    SemiAnnually,
    /// 연복리: interest added once a year.
    #[serde(alias = "연복리", alias = "yearly")]
    Annually,
}

impl Compounding {
    /// Months between two interest credits.
    fn period_months(self) -> u32 {
        match self {
            Self::Monthly => 1,
            Self::Quarterly => 3,
            Self::SemiAnnually => 6,
            Self::Annually => 12,
        }
    }
}

/// Arguments of `calculate_compound_growth`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct GrowthArgs {
    /// Amount invested at the start, 만원 (1만원 = 10,000 KRW). May be 0 when only monthly
    /// contributions are saved.
    #[schemars(range(min = 0, max = MAX_AMOUNT_MANWON))]
    pub initial_amount_manwon: f64,
    /// Annual rate of return in percent: 5 means 5% a year. Negative values model a decline.
    #[schemars(range(min = MIN_RATE_PERCENT, max = MAX_RATE_PERCENT))]
    pub annual_rate_percent: f64,
    /// How many years to project.
    #[schemars(range(min = 1, max = MAX_YEARS))]
    pub years: u32,
    /// Amount added at the end of every month, 만원. Defaults to 0.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub monthly_contribution_manwon: f64,
    /// How often interest is added; defaults to monthly (월복리).
    #[serde(default)]
    pub compounding: Compounding,
}

/// One year of the projection.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct GrowthYear {
    /// Year number, 1 being the first year.
    pub year: u32,
    /// Money put in during this year (the initial amount counts in year 1), 만원.
    pub contributed_manwon: f64,
    /// Interest or return earned during this year, 만원.
    pub growth_manwon: f64,
    /// Value at the end of this year, 만원.
    pub end_value_manwon: f64,
    /// Everything put in up to the end of this year, 만원.
    pub total_contributed_manwon: f64,
}

/// Result of `calculate_compound_growth`. Amounts in 만원, rounded to two decimals.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct GrowthOutput {
    /// Value after the last year, 만원.
    pub final_value_manwon: f64,
    /// Initial amount plus every monthly contribution, 만원.
    pub total_contributed_manwon: f64,
    /// Final value minus everything put in, 만원; negative when the rate is negative.
    pub total_growth_manwon: f64,
    /// The annual rate after compounding, percent: 12% compounded monthly is 12.68%.
    pub effective_annual_rate_percent: f64,
    /// Compounding used.
    pub compounding: Compounding,
    /// Year-by-year progress.
    pub yearly: Vec<GrowthYear>,
    /// Conventions behind the figures.
    pub note: String,
}

/// Projects a balance month by month: contributions arrive at each month's end, and interest
/// is credited at the end of each compounding period on the balance held at its start.
pub fn compound_growth(args: GrowthArgs) -> Result<GrowthOutput, ToolError> {
    let initial = check_manwon(
        "initial_amount_manwon",
        args.initial_amount_manwon,
        MAX_AMOUNT_MANWON,
    )?;
    let rate = check_range(
        "annual_rate_percent",
        args.annual_rate_percent,
        MIN_RATE_PERCENT,
        MAX_RATE_PERCENT,
        "percent",
    )?;
    let years = check_count("years", args.years, 1, MAX_YEARS, "years")?;
    let monthly = check_manwon(
        "monthly_contribution_manwon",
        args.monthly_contribution_manwon,
        MAX_MONTHLY_MANWON,
    )?;
    if initial == 0.0 && monthly == 0.0 {
        return Err(ToolError::invalid_argument(
            "initial_amount_manwon",
            "is 0 and so is `monthly_contribution_manwon`; give at least one of them a \
             positive amount in 만원",
        ));
    }

    let period = args.compounding.period_months();
    let periodic_rate = rate / 100.0 * f64::from(period) / 12.0;
    let added_per_year = 12.0 * monthly;
    let mut balance = initial;
    let mut period_start_balance = initial;
    let mut total_contributed = initial;
    let mut yearly = Vec::with_capacity(years as usize);
    for year in 1..=years {
        let year_start = balance;
        for month in 1..=12 {
            balance += monthly;
            if month % period == 0 {
                balance += period_start_balance * periodic_rate;
                period_start_balance = balance;
            }
        }
        total_contributed += added_per_year;
        let initial_this_year = if year == 1 { initial } else { 0.0 };
        yearly.push(GrowthYear {
            year,
            contributed_manwon: round2(initial_this_year + added_per_year),
            growth_manwon: round2(balance - year_start - added_per_year),
            end_value_manwon: round2(balance),
            total_contributed_manwon: round2(total_contributed),
        });
    }

    let effective = ((1.0 + periodic_rate).powf(f64::from(12 / period)) - 1.0) * 100.0;
    Ok(GrowthOutput {
        final_value_manwon: round2(balance),
        total_contributed_manwon: round2(total_contributed),
        total_growth_manwon: round2(balance - total_contributed),
        effective_annual_rate_percent: round2(effective),
        compounding: args.compounding,
        yearly,
        note: "Monthly contributions are added at the end of each month; interest is credited \
               at the end of each compounding period on the balance held at its start, so a \
               contribution starts earning from the next period. Taxes (이자소득세 15.4%) and \
               fees are not deducted."
            .to_owned(),
    })
}

#[cfg(test)]
#[path = "growth_tests.rs"]
mod tests;
