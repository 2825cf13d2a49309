//! `calculate_monthly_cashflow`: what is left each month after a rental property's or a
//! household's expenses. The named fields match how Korean questions list the figures
//! ("월세 150만원 받고 대출이자 80만원, 관리비 20만원이면?"); anything else goes in
//! `other_expenses`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{MAX_AMOUNT_MANWON, MAX_MONTHLY_MANWON, check_manwon, check_range, round2};
use crate::tools::ToolError;

/// Most extra expense lines accepted; more is a sign the list was built wrongly.
const MAX_OTHER_EXPENSES: usize = 20;

/// Longest expense name accepted, in characters.
const MAX_NAME_CHARS: usize = 40;

/// An expense that has no field of its own.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ExpenseItem {
    /// What the expense is, e.g. "보험료" or "수선충당금".
    #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
    pub name: String,
    /// Amount per month, 만원. Divide a yearly bill by 12.
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub amount_manwon: f64,
}

/// Arguments of `calculate_monthly_cashflow`. Every amount is per month, in 만원
/// (1만원 = 10,000 KRW); leave out what does not apply.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CashflowArgs {
    /// 월세 수입: rent received per month, 만원.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub rent_income_manwon: f64,
    /// Other income per month (월급 salary, business income), 만원.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub other_income_manwon: f64,
    /// 공실률: expected share of time the property stands empty, percent. Reduces rent
    /// income only. Defaults to 0.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub vacancy_rate_percent: f64,
    /// Loan payment per month (대출 원리금, or 대출이자 for an interest-only loan), 만원.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub loan_payment_manwon: f64,
    /// 관리비: maintenance fee per month, 만원.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub maintenance_fee_manwon: f64,
    /// Taxes per month (재산세, 종부세, 임대소득세), 만원. Divide a yearly bill by 12.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MONTHLY_MANWON))]
    pub tax_manwon: f64,
    /// Any other monthly expenses, each with a name.
    #[serde(default)]
    #[schemars(length(max = MAX_OTHER_EXPENSES))]
    pub other_expenses: Vec<ExpenseItem>,
    /// Own cash put into the property (자기자본: down payment and purchase costs, minus
    /// the tenant's 보증금 if it was used), 만원. When given, the output includes the
    /// yearly cash-on-cash return.
    #[schemars(range(min = 1, max = MAX_AMOUNT_MANWON))]
    pub cash_invested_manwon: Option<f64>,
}

/// One expense in the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ExpenseLine {
    /// What the expense is.
    pub name: String,
    /// Amount per month, 만원.
    pub monthly_manwon: f64,
    /// Amount per year, 만원.
    pub yearly_manwon: f64,
    /// Share of total expenses, percent.
    pub share_percent: f64,
}

/// Result of `calculate_monthly_cashflow`. Amounts in 만원, rounded to two decimals.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CashflowOutput {
    /// Rent plus other income per month, before vacancy, 만원.
    pub gross_income_monthly_manwon: f64,
    /// Rent expected to be lost to vacancy per month, 만원.
    pub vacancy_loss_monthly_manwon: f64,
    /// Income after vacancy per month, 만원.
    pub effective_income_monthly_manwon: f64,
    /// Every non-zero expense, largest first.
    pub expenses: Vec<ExpenseLine>,
    /// All expenses per month, 만원.
    pub total_expenses_monthly_manwon: f64,
    /// Effective income minus expenses per month, 만원; negative is a shortfall.
    pub free_cash_flow_monthly_manwon: f64,
    /// The monthly free cash flow over a year, 만원.
    pub free_cash_flow_yearly_manwon: f64,
    /// Expenses as a share of effective income, percent; absent when there is no income.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expense_ratio_percent: Option<f64>,
    /// Yearly free cash flow divided by the cash invested, percent; present only when
    /// `cash_invested_manwon` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cash_on_cash_return_percent: Option<f64>,
    /// How to read the figures.
    pub note: String,
}

/// Adds up income and expenses into a monthly and yearly free cash flow.
pub fn monthly_cashflow(args: CashflowArgs) -> Result<CashflowOutput, ToolError> {
    let rent = check_manwon(
        "rent_income_manwon",
        args.rent_income_manwon,
        MAX_MONTHLY_MANWON,
    )?;
    let other_income = check_manwon(
        "other_income_manwon",
        args.other_income_manwon,
        MAX_MONTHLY_MANWON,
    )?;
    let vacancy = check_range(
        "vacancy_rate_percent",
        args.vacancy_rate_percent,
        0.0,
        100.0,
        "percent",
    )?;
    let invested = args
        .cash_invested_manwon
        .map(|cash| check_range("cash_invested_manwon", cash, 1.0, MAX_AMOUNT_MANWON, "만원"))
        .transpose()?;

    let mut lines = expense_lines(&args)?;
    let total_expenses: f64 = lines.iter().map(|(_, amount)| amount).sum();
    let gross = rent + other_income;
    let vacancy_loss = rent * vacancy / 100.0;
    let effective = gross - vacancy_loss;
    if gross == 0.0 && total_expenses == 0.0 {
        return Err(ToolError::new(
            "Every amount is 0. Give at least one income (rent_income_manwon, \
             other_income_manwon) or expense (loan_payment_manwon, maintenance_fee_manwon, \
             tax_manwon, other_expenses) in 만원 per month.",
        ));
    }
    let free_monthly = effective - total_expenses;

    lines.sort_by(|a, b| b.1.total_cmp(&a.1));
    let expenses = lines
        .into_iter()
        .map(|(name, monthly)| ExpenseLine {
            name,
            monthly_manwon: round2(monthly),
            yearly_manwon: round2(monthly * 12.0),
            share_percent: round2(if total_expenses > 0.0 {
                monthly / total_expenses * 100.0
            } else {
                0.0
            }),
        })
        .collect();

    Ok(CashflowOutput {
        gross_income_monthly_manwon: round2(gross),
        vacancy_loss_monthly_manwon: round2(vacancy_loss),
        effective_income_monthly_manwon: round2(effective),
        expenses,
        total_expenses_monthly_manwon: round2(total_expenses),
        free_cash_flow_monthly_manwon: round2(free_monthly),
        free_cash_flow_yearly_manwon: round2(free_monthly * 12.0),
        expense_ratio_percent: (effective > 0.0)
            .then(|| round2(total_expenses / effective * 100.0)),
        cash_on_cash_return_percent: invested
            .map(|cash| round2(free_monthly * 12.0 / cash * 100.0)),
        note: "Free cash flow is income after vacancy minus every expense listed. A loan \
               payment that includes principal counts in full as an expense although the \
               principal part builds equity; income tax on the surplus is not estimated."
            .to_owned(),
    })
}

/// Validates every expense and returns the non-zero ones as (name, monthly amount).
fn expense_lines(args: &CashflowArgs) -> Result<Vec<(String, f64)>, ToolError> {
    if args.other_expenses.len() > MAX_OTHER_EXPENSES {
        return Err(ToolError::invalid_argument(
            "other_expenses",
            format!(
                "has {} items; list at most {MAX_OTHER_EXPENSES}, merging small ones",
                args.other_expenses.len()
            ),
        ));
    }
    let named = [
        (
            "loan_payment_manwon",
            "대출 상환 (loan payment)",
            args.loan_payment_manwon,
        ),
        (
            "maintenance_fee_manwon",
            "관리비 (maintenance fee)",
            args.maintenance_fee_manwon,
        ),
        ("tax_manwon", "세금 (tax)", args.tax_manwon),
    ];
    let mut lines = Vec::new();
    for (field, label, amount) in named {
        let amount = check_manwon(field, amount, MAX_MONTHLY_MANWON)?;
        if amount > 0.0 {
            lines.push((label.to_owned(), amount));
        }
    }
    for (index, item) in args.other_expenses.iter().enumerate() {
        let field = format!("other_expenses[{index}]");
        let name = item.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(ToolError::invalid_argument(
                &format!("{field}.name"),
                format!("must be between 1 and {MAX_NAME_CHARS} characters, e.g. \"보험료\""),
            ));
        }
        let amount = check_manwon(
            &format!("{field}.amount_manwon"),
            item.amount_manwon,
            MAX_MONTHLY_MANWON,
        )?;
        if amount > 0.0 {
            lines.push((name.to_owned(), amount));
        }
    }
    Ok(lines)
}

#[cfg(test)]
#[path = "cashflow_tests.rs"]
mod tests;
