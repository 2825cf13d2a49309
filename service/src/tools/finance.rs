//! Loan, savings-growth and cash-flow calculators. Pure arithmetic, no I/O.
//!
//! Every amount is in 만원 (10,000 KRW), the unit Korean real-estate users quote prices and
//! rents in. Figures are computed in full `f64` precision and rounded only when they are
//! written into an output, so rounding never accumulates over a long schedule.

mod cashflow;
mod growth;
mod loan;

pub use cashflow::{CashflowArgs, CashflowOutput, ExpenseItem, ExpenseLine, monthly_cashflow};
pub use growth::{Compounding, GrowthArgs, GrowthOutput, GrowthYear, compound_growth};
pub use loan::{LoanPaymentArgs, LoanPaymentOutput, RepaymentMethod, ScheduleRow, loan_payment};

use super::ToolError;

/// Largest principal or starting amount accepted: 1,000억원. Anything larger is a typo
/// (an amount in 원 instead of 만원) far more often than a real deal.
const MAX_AMOUNT_MANWON: f64 = 10_000_000.0;

/// Largest monthly amount accepted (income, expense, contribution): 100억원 a month.
const MAX_MONTHLY_MANWON: f64 = 1_000_000.0;

/// Highest annual rate accepted, in percent.
const MAX_RATE_PERCENT: f64 = 100.0;

/// Longest term accepted: 50 years, beyond any Korean mortgage product.
const MAX_TERM_MONTHS: u32 = 600;

/// Longest horizon for growth projections, in years.
const MAX_YEARS: u32 = 50;

/// Checks that `value` is a finite number within `min..=max`, naming the argument and the
/// accepted range when it is not.
fn check_range(name: &str, value: f64, min: f64, max: f64, unit: &str) -> Result<f64, ToolError> {
    if !value.is_finite() {
        return Err(ToolError::invalid_argument(
            name,
            format!("must be a finite number between {min} and {max} {unit}"),
        ));
    }
    if value < min || value > max {
        return Err(ToolError::invalid_argument(
            name,
            format!("{value} is out of range; use a value between {min} and {max} {unit}"),
        ));
    }
    Ok(value)
}

/// Checks a 만원 amount: finite, not negative, at most `max`. The hint reminds the caller
/// of the unit, the usual cause of an out-of-range amount.
fn check_manwon(name: &str, value: f64, max: f64) -> Result<f64, ToolError> {
    check_range(name, value, 0.0, max, "만원 (1만원 = 10,000 KRW)")
}

/// Checks that an integer count lies within `min..=max`.
fn check_count(name: &str, value: u32, min: u32, max: u32, unit: &str) -> Result<u32, ToolError> {
    if value < min || value > max {
        return Err(ToolError::invalid_argument(
            name,
            format!("{value} is out of range; use between {min} and {max} {unit}"),
        ));
    }
    Ok(value)
}

/// Rounds a figure to two decimals for display: 만원 to the nearest 100 KRW, percentages to
/// a hundredth of a point. A rounded `-0.0` becomes `0.0` so outputs never show a negative
/// zero.
fn round2(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_range_rejects_non_finite_and_out_of_range_values() {
        let nan = check_range("rate", f64::NAN, 0.0, 100.0, "%").unwrap_err();
        assert!(nan.message().contains("`rate`"), "{nan}");
        assert!(nan.message().contains("finite"), "{nan}");
        assert!(check_range("rate", f64::INFINITY, 0.0, 100.0, "%").is_err());
        let high = check_range("rate", 100.5, 0.0, 100.0, "%").unwrap_err();
        assert!(high.message().contains("between 0 and 100 %"), "{high}");
        assert_eq!(check_range("rate", 100.0, 0.0, 100.0, "%"), Ok(100.0));
    }

    #[test]
    fn check_manwon_rejects_negative_amounts_and_names_the_unit() {
        let err = check_manwon("principal_manwon", -1.0, MAX_AMOUNT_MANWON).unwrap_err();
        assert!(err.message().contains("`principal_manwon`"), "{err}");
        assert!(err.message().contains("만원"), "{err}");
    }

    #[test]
    fn round2_keeps_two_decimals_and_drops_negative_zero() {
        assert_eq!(round2(143.224_6), 143.22);
        assert_eq!(round2(0.005), 0.01);
        assert!(round2(-0.001).is_sign_positive());
    }
}
