//! `calculate_loan_payment`: monthly payments, total interest and a schedule summary for the
//! three repayment methods Korean lenders offer, with an optional grace period.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    MAX_AMOUNT_MANWON, MAX_RATE_PERCENT, MAX_TERM_MONTHS, check_count, check_range, round2,
};
use crate::tools::ToolError;

/// How many months the schedule shows at each end; the months between are left out so a
/// 30-year loan does not produce a 360-row answer.
const SCHEDULE_EDGE_MONTHS: usize = 12;

/// How the loan is paid back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentMethod {
    /// 원리금균등: the same payment every month; early payments are mostly interest.
    #[default]
    #[serde(alias = "원리금균등", alias = "원리금균등상환", alias = "amortized")]
    EqualPayment,
    /// 원금균등: the same principal every month plus interest on what is left, so payments
    /// start high and shrink.
    #[serde(alias = "원금균등", alias = "원금균등상환")]
    EqualPrincipal,
    /// 만기일시: interest only every month, the whole principal repaid in the last month.
    #[serde(alias = "만기일시", alias = "만기일시상환", alias = "interest_only")]
    Bullet,
}

impl RepaymentMethod {
    /// The Korean name users know the method by, with an English gloss.
    fn label(self) -> &'static str {
        match self {
            Self::EqualPayment => "원리금균등상환 (equal monthly payment)",
            Self::EqualPrincipal => "원금균등상환 (equal principal)",
            Self::Bullet => "만기일시상환 (interest only, principal at maturity)",
        }
    }
}

/// Arguments of `calculate_loan_payment`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct LoanPaymentArgs {
    /// Amount borrowed in 만원 (1만원 = 10,000 KRW); 3억원 is 30000.
    #[schemars(range(min = 1, max = MAX_AMOUNT_MANWON))]
    pub principal_manwon: f64,
    /// Annual interest rate in percent: 4.5 means 4.5% a year. 0 is allowed.
    #[schemars(range(min = 0, max = MAX_RATE_PERCENT))]
    pub annual_rate_percent: f64,
    /// Loan term in months, grace period included: 30 years is 360.
    #[schemars(range(min = 1, max = MAX_TERM_MONTHS))]
    pub term_months: u32,
    /// Repayment method; defaults to equal_payment (원리금균등).
    #[serde(default)]
    pub method: RepaymentMethod,
    /// 거치기간: months at the start during which only interest is paid, before repayment
    /// of principal begins. Must be shorter than the term. Defaults to 0.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_TERM_MONTHS - 1))]
    pub grace_months: u32,
}

/// One month of the repayment schedule.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ScheduleRow {
    /// Month number, 1 being the first payment.
    pub month: u32,
    /// Total paid this month (principal + interest), 만원.
    pub payment_manwon: f64,
    /// Principal repaid this month, 만원.
    pub principal_manwon: f64,
    /// Interest paid this month, 만원.
    pub interest_manwon: f64,
    /// Principal still owed after this month's payment, 만원.
    pub remaining_balance_manwon: f64,
}

/// Result of `calculate_loan_payment`. Amounts in 만원, rounded to two decimals.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LoanPaymentOutput {
    /// Repayment method used.
    pub method: RepaymentMethod,
    /// The method's Korean name with an English gloss.
    pub method_label: String,
    /// Amount borrowed, 만원.
    pub principal_manwon: f64,
    /// Annual interest rate, percent.
    pub annual_rate_percent: f64,
    /// Term in months, grace period included.
    pub term_months: u32,
    /// Interest-only months at the start (거치기간).
    pub grace_months: u32,
    /// Whether every monthly payment is the same (after rounding).
    pub payment_is_constant: bool,
    /// Payment due in the first month, 만원. When the payment is constant, this is it.
    pub first_month_payment_manwon: f64,
    /// First payment once principal repayment begins; present only with a grace period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_payment_after_grace_manwon: Option<f64>,
    /// Payment due in the last month, 만원; present only when payments vary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_month_payment_manwon: Option<f64>,
    /// Total paid divided by the number of months, 만원; present only when payments vary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_monthly_payment_manwon: Option<f64>,
    /// Interest paid over the whole term, 만원.
    pub total_interest_manwon: f64,
    /// Principal plus interest over the whole term, 만원.
    pub total_paid_manwon: f64,
    /// The first and the final months of the schedule; see `schedule_note` for what is left out.
    pub schedule: Vec<ScheduleRow>,
    /// Which months `schedule` shows.
    pub schedule_note: String,
    /// Assumptions behind the figures.
    pub notes: Vec<String>,
}

/// One month of the schedule in full precision, rounded only when written out.
#[derive(Debug, Clone, Copy)]
struct Month {
    number: u32,
    principal: f64,
    interest: f64,
    balance: f64,
}

impl Month {
    fn payment(&self) -> f64 {
        self.principal + self.interest
    }

    fn row(&self) -> ScheduleRow {
        ScheduleRow {
            month: self.number,
            payment_manwon: round2(self.payment()),
            principal_manwon: round2(self.principal),
            interest_manwon: round2(self.interest),
            remaining_balance_manwon: round2(self.balance),
        }
    }
}

/// Computes the payments of a fixed-rate loan month by month.
pub fn loan_payment(args: LoanPaymentArgs) -> Result<LoanPaymentOutput, ToolError> {
    let principal = check_range(
        "principal_manwon",
        args.principal_manwon,
        1.0,
        MAX_AMOUNT_MANWON,
        "만원 (1만원 = 10,000 KRW; 3억원 = 30000)",
    )?;
    let rate = check_range(
        "annual_rate_percent",
        args.annual_rate_percent,
        0.0,
        MAX_RATE_PERCENT,
        "percent",
    )?;
    let term = check_count(
        "term_months",
        args.term_months,
        1,
        MAX_TERM_MONTHS,
        "months",
    )?;
    if args.grace_months >= term {
        return Err(ToolError::invalid_argument(
            "grace_months",
            format!(
                "{} must be shorter than the {term}-month term; use between 0 and {} months",
                args.grace_months,
                term - 1
            ),
        ));
    }
    let months = schedule(
        principal,
        rate / 1200.0,
        term,
        args.grace_months,
        args.method,
    );
    Ok(summarise(&args, principal, rate, &months))
}

/// Builds every month of the schedule. `monthly_rate` is a fraction (0.004 for 4.8% a year).
fn schedule(
    principal: f64,
    monthly_rate: f64,
    term: u32,
    grace: u32,
    method: RepaymentMethod,
) -> Vec<Month> {
    let grace = if method == RepaymentMethod::Bullet {
        0
    } else {
        grace
    };
    let amortising = term - grace;
    let level_payment = level_payment(principal, monthly_rate, amortising);
    let mut balance = principal;
    let mut months = Vec::with_capacity(term as usize);
    for month in 1..=term {
        let interest = balance * monthly_rate;
        let principal_part = if month <= grace {
            0.0
        } else if month == term {
            // The last payment clears whatever is left, so floating-point drift never
            // leaves a residual balance.
            balance
        } else {
            match method {
                RepaymentMethod::EqualPayment => level_payment - interest,
                RepaymentMethod::EqualPrincipal => principal / f64::from(amortising),
                RepaymentMethod::Bullet => 0.0,
            }
        };
        balance -= principal_part;
        months.push(Month {
            number: month,
            principal: principal_part,
            interest,
            balance: if month == term { 0.0 } else { balance },
        });
    }
    months
}

/// The constant payment that repays `principal` over `months` months; a zero rate splits
/// the principal evenly instead of dividing by zero.
fn level_payment(principal: f64, monthly_rate: f64, months: u32) -> f64 {
    let n = f64::from(months);
    if monthly_rate == 0.0 {
        return principal / n;
    }
    principal * monthly_rate / (1.0 - (1.0 + monthly_rate).powf(-n))
}

fn summarise(
    args: &LoanPaymentArgs,
    principal: f64,
    rate: f64,
    months: &[Month],
) -> LoanPaymentOutput {
    let term = months.len();
    let total_interest: f64 = months.iter().map(|m| m.interest).sum();
    let total_paid = principal + total_interest;
    let first = months.first().map_or(0.0, Month::payment);
    let last = months.last().map_or(0.0, Month::payment);
    let constant = months.iter().all(|m| round2(m.payment()) == round2(first));
    let grace = match args.method {
        RepaymentMethod::Bullet => 0,
        _ => args.grace_months as usize,
    };
    let after_grace = (grace > 0).then(|| months.get(grace).map_or(0.0, Month::payment));

    let mut notes = vec![
        "Assumes a fixed rate for the whole term; fees, insurance and early-repayment \
         penalties (중도상환수수료) are not included."
            .to_owned(),
    ];
    if grace > 0 {
        notes.push(format!(
            "Months 1–{grace} pay interest only (거치기간); principal is repaid over the \
             remaining {} months.",
            term - grace
        ));
    }
    if args.method == RepaymentMethod::Bullet && args.grace_months > 0 {
        notes.push(
            "grace_months has no effect with bullet repayment: every month is interest-only \
             until the principal is repaid in the last month."
                .to_owned(),
        );
    }

    let (schedule, schedule_note) = schedule_summary(months);
    LoanPaymentOutput {
        method: args.method,
        method_label: args.method.label().to_owned(),
        principal_manwon: round2(principal),
        annual_rate_percent: rate,
        term_months: args.term_months,
        grace_months: args.grace_months,
        payment_is_constant: constant,
        first_month_payment_manwon: round2(first),
        first_payment_after_grace_manwon: after_grace.map(round2),
        last_month_payment_manwon: (!constant).then_some(round2(last)),
        average_monthly_payment_manwon: (!constant).then_some(round2(total_paid / term as f64)),
        total_interest_manwon: round2(total_interest),
        total_paid_manwon: round2(total_paid),
        schedule,
        schedule_note,
        notes,
    }
}

/// The first and last [`SCHEDULE_EDGE_MONTHS`] months, or every month of a short loan.
fn schedule_summary(months: &[Month]) -> (Vec<ScheduleRow>, String) {
    let term = months.len();
    if term <= 2 * SCHEDULE_EDGE_MONTHS {
        let all = months.iter().map(Month::row).collect();
        return (all, format!("Shows all {term} months."));
    }
    let tail_start = term - SCHEDULE_EDGE_MONTHS;
    let schedule = months[..SCHEDULE_EDGE_MONTHS]
        .iter()
        .chain(&months[tail_start..])
        .map(Month::row)
        .collect();
    let note = format!(
        "Shows months 1–{SCHEDULE_EDGE_MONTHS} and {}–{term} of {term}; months {}–{tail_start} \
         are left out to keep the answer short.",
        tail_start + 1,
        SCHEDULE_EDGE_MONTHS + 1,
    );
    (schedule, note)
}

#[cfg(test)]
#[path = "loan_tests.rs"]
mod tests;
