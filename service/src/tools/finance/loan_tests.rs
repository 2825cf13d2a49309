use serde_json::json;

use super::*;

fn args(principal: f64, rate: f64, term: u32, method: RepaymentMethod) -> LoanPaymentArgs {
    LoanPaymentArgs {
        principal_manwon: principal,
        annual_rate_percent: rate,
        term_months: term,
        method,
        grace_months: 0,
    }
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 0.005 + 1e-9
}

#[test]
fn equal_payment_matches_the_textbook_mortgage_figure() {
    // 3억원 at 4% over 30 years: P·r / (1 − (1 + r)^−n) with r = 0.04/12, n = 360.
    let out = loan_payment(args(30_000.0, 4.0, 360, RepaymentMethod::EqualPayment)).unwrap();
    assert_eq!(out.first_month_payment_manwon, 143.22);
    assert!(out.payment_is_constant);
    assert_eq!(out.last_month_payment_manwon, None);
    assert_eq!(out.average_monthly_payment_manwon, None);
    assert!(
        close(out.total_interest_manwon, 21_560.85),
        "{}",
        out.total_interest_manwon
    );
    assert!(
        close(out.total_paid_manwon, 51_560.85),
        "{}",
        out.total_paid_manwon
    );
    // First month: interest 30000 × 0.04/12 = 100, principal 43.22.
    assert_eq!(out.schedule[0].interest_manwon, 100.0);
    assert_eq!(out.schedule[0].principal_manwon, 43.22);
}

#[test]
fn equal_principal_payments_shrink_by_the_interest_on_each_repaid_slice() {
    // 1.2억원 at 6% over 12 months: 1,000 principal a month; interest 60 down to 5.
    let out = loan_payment(args(12_000.0, 6.0, 12, RepaymentMethod::EqualPrincipal)).unwrap();
    assert!(!out.payment_is_constant);
    assert_eq!(out.first_month_payment_manwon, 1_060.0);
    assert_eq!(out.last_month_payment_manwon, Some(1_005.0));
    // Interest = 0.5% × (12000 + 11000 + … + 1000) = 390.
    assert_eq!(out.total_interest_manwon, 390.0);
    assert_eq!(out.average_monthly_payment_manwon, Some(1_032.5));
    assert_eq!(out.schedule[5].remaining_balance_manwon, 6_000.0);
}

#[test]
fn bullet_pays_interest_only_then_the_principal_at_maturity() {
    let out = loan_payment(args(10_000.0, 3.6, 24, RepaymentMethod::Bullet)).unwrap();
    assert_eq!(out.first_month_payment_manwon, 30.0);
    assert_eq!(out.last_month_payment_manwon, Some(10_030.0));
    assert_eq!(out.total_interest_manwon, 720.0);
    assert_eq!(out.total_paid_manwon, 10_720.0);
    assert_eq!(out.schedule[22].remaining_balance_manwon, 10_000.0);
    assert_eq!(out.schedule[23].remaining_balance_manwon, 0.0);
}

#[test]
fn zero_rate_splits_the_principal_evenly_for_every_method() {
    let out = loan_payment(args(1_200.0, 0.0, 12, RepaymentMethod::EqualPayment)).unwrap();
    assert_eq!(out.first_month_payment_manwon, 100.0);
    assert!(out.payment_is_constant);
    assert_eq!(out.total_interest_manwon, 0.0);
    assert_eq!(out.total_paid_manwon, 1_200.0);

    let out = loan_payment(args(1_200.0, 0.0, 12, RepaymentMethod::EqualPrincipal)).unwrap();
    assert!(
        out.payment_is_constant,
        "0% 원금균등 pays the same every month"
    );

    let out = loan_payment(args(1_200.0, 0.0, 12, RepaymentMethod::Bullet)).unwrap();
    assert_eq!(out.first_month_payment_manwon, 0.0);
    assert_eq!(out.last_month_payment_manwon, Some(1_200.0));
}

#[test]
fn grace_period_charges_interest_only_then_amortises_over_the_rest() {
    let mut with_grace = args(12_000.0, 6.0, 24, RepaymentMethod::EqualPayment);
    with_grace.grace_months = 12;
    let out = loan_payment(with_grace).unwrap();
    assert_eq!(out.first_month_payment_manwon, 60.0);
    assert_eq!(out.schedule[11].remaining_balance_manwon, 12_000.0);
    // Afterwards: 12000 amortised over 12 months at 0.5% a month.
    assert_eq!(out.first_payment_after_grace_manwon, Some(1_032.8));
    assert_eq!(out.last_month_payment_manwon, Some(1_032.8));
    assert!(close(out.total_interest_manwon, 720.0 + 393.57));
    assert!(out.notes.iter().any(|n| n.contains("거치기간")));
}

#[test]
fn grace_period_with_equal_principal_starts_repaying_after_the_grace_months() {
    let mut with_grace = args(12_000.0, 6.0, 24, RepaymentMethod::EqualPrincipal);
    with_grace.grace_months = 12;
    let out = loan_payment(with_grace).unwrap();
    assert_eq!(out.first_payment_after_grace_manwon, Some(1_060.0));
    assert_eq!(out.schedule[12].principal_manwon, 1_000.0);
}

#[test]
fn grace_period_is_reported_as_having_no_effect_on_a_bullet_loan() {
    let mut bullet = args(10_000.0, 3.6, 24, RepaymentMethod::Bullet);
    bullet.grace_months = 6;
    let out = loan_payment(bullet).unwrap();
    assert_eq!(out.total_interest_manwon, 720.0);
    assert_eq!(out.first_payment_after_grace_manwon, None);
    assert!(out.notes.iter().any(|n| n.contains("no effect")));
}

#[test]
fn one_month_term_repays_everything_at_once() {
    let out = loan_payment(args(100.0, 12.0, 1, RepaymentMethod::EqualPayment)).unwrap();
    assert_eq!(out.first_month_payment_manwon, 101.0);
    assert_eq!(out.total_interest_manwon, 1.0);
    assert_eq!(out.schedule.len(), 1);
    assert_eq!(out.schedule[0].remaining_balance_manwon, 0.0);
}

#[test]
fn long_schedules_show_only_the_first_and_final_year() {
    let out = loan_payment(args(30_000.0, 4.0, 360, RepaymentMethod::EqualPayment)).unwrap();
    let months: Vec<u32> = out.schedule.iter().map(|r| r.month).collect();
    let expected: Vec<u32> = (1..=12).chain(349..=360).collect();
    assert_eq!(months, expected);
    assert!(
        out.schedule_note.contains("13–348"),
        "{}",
        out.schedule_note
    );
    assert_eq!(out.schedule.last().unwrap().remaining_balance_manwon, 0.0);

    let short = loan_payment(args(1_000.0, 4.0, 24, RepaymentMethod::EqualPayment)).unwrap();
    assert_eq!(short.schedule.len(), 24);
    assert!(short.schedule_note.contains("all 24"));
}

#[test]
fn invalid_inputs_name_the_argument_and_the_accepted_range() {
    let cases = [
        (
            args(-1.0, 4.0, 12, RepaymentMethod::EqualPayment),
            "principal_manwon",
        ),
        (
            args(f64::NAN, 4.0, 12, RepaymentMethod::EqualPayment),
            "principal_manwon",
        ),
        (
            args(2e7, 4.0, 12, RepaymentMethod::EqualPayment),
            "principal_manwon",
        ),
        (
            args(1_000.0, -0.5, 12, RepaymentMethod::EqualPayment),
            "annual_rate_percent",
        ),
        (
            args(1_000.0, 101.0, 12, RepaymentMethod::EqualPayment),
            "annual_rate_percent",
        ),
        (
            args(1_000.0, f64::INFINITY, 12, RepaymentMethod::EqualPayment),
            "annual_rate_percent",
        ),
        (
            args(1_000.0, 4.0, 0, RepaymentMethod::EqualPayment),
            "term_months",
        ),
        (
            args(1_000.0, 4.0, 601, RepaymentMethod::EqualPayment),
            "term_months",
        ),
    ];
    for (bad, name) in cases {
        let err = loan_payment(bad).unwrap_err();
        assert!(err.message().contains(&format!("`{name}`")), "{err}");
        assert!(err.message().contains("between"), "{err}");
    }
    let mut grace_too_long = args(1_000.0, 4.0, 12, RepaymentMethod::EqualPayment);
    grace_too_long.grace_months = 12;
    let err = loan_payment(grace_too_long).unwrap_err();
    assert!(err.message().contains("`grace_months`"), "{err}");
    assert!(err.message().contains("between 0 and 11"), "{err}");
}

#[test]
fn arguments_accept_korean_method_names_defaults_and_extra_fields() {
    let parsed: LoanPaymentArgs = serde_json::from_value(json!({
        "principal_manwon": 30000,
        "annual_rate_percent": 4,
        "term_months": 360,
        "method": "원금균등",
        "note_from_model": "ignored"
    }))
    .unwrap();
    assert_eq!(parsed.method, RepaymentMethod::EqualPrincipal);
    assert_eq!(parsed.grace_months, 0);

    let defaulted: LoanPaymentArgs = serde_json::from_value(json!({
        "principal_manwon": 100, "annual_rate_percent": 1, "term_months": 1
    }))
    .unwrap();
    assert_eq!(defaulted.method, RepaymentMethod::EqualPayment);
}

#[test]
fn input_schema_tells_a_model_the_limits() {
    let schema = serde_json::to_value(schemars::schema_for!(LoanPaymentArgs)).unwrap();
    let props = &schema["properties"];
    assert_eq!(props["term_months"]["maximum"], json!(600));
    assert_eq!(props["annual_rate_percent"]["maximum"], json!(100.0));
    assert_eq!(props["principal_manwon"]["minimum"], json!(1));
    let required = schema["required"].as_array().unwrap();
    assert!(!required.contains(&json!("grace_months")));
    assert!(!required.contains(&json!("method")));
}
