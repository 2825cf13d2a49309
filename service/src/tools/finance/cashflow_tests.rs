use serde_json::json;

use super::*;

fn parse(value: serde_json::Value) -> CashflowArgs {
    serde_json::from_value(value).unwrap()
}

#[test]
fn korean_question_fills_the_named_fields() {
    // "월세 150만원 받고 대출이자 80만원, 관리비 20만원이면?"
    let out = monthly_cashflow(parse(json!({
        "rent_income_manwon": 150,
        "loan_payment_manwon": 80,
        "maintenance_fee_manwon": 20
    })))
    .unwrap();
    assert_eq!(out.gross_income_monthly_manwon, 150.0);
    assert_eq!(out.total_expenses_monthly_manwon, 100.0);
    assert_eq!(out.free_cash_flow_monthly_manwon, 50.0);
    assert_eq!(out.free_cash_flow_yearly_manwon, 600.0);
    assert_eq!(out.expense_ratio_percent, Some(66.67));
    assert_eq!(out.cash_on_cash_return_percent, None);
    let names: Vec<&str> = out.expenses.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["대출 상환 (loan payment)", "관리비 (maintenance fee)"]
    );
    assert_eq!(out.expenses[0].yearly_manwon, 960.0);
    assert_eq!(out.expenses[0].share_percent, 80.0);
}

#[test]
fn other_expenses_join_the_breakdown_sorted_largest_first() {
    let out = monthly_cashflow(parse(json!({
        "rent_income_manwon": 120,
        "maintenance_fee_manwon": 15,
        "other_expenses": [
            {"name": "보험료", "amount_manwon": 3},
            {"name": "수선충당금", "amount_manwon": 30},
            {"name": "빈 항목", "amount_manwon": 0}
        ]
    })))
    .unwrap();
    let names: Vec<&str> = out.expenses.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["수선충당금", "관리비 (maintenance fee)", "보험료"]);
    assert_eq!(out.total_expenses_monthly_manwon, 48.0);
    assert_eq!(out.free_cash_flow_monthly_manwon, 72.0);
}

/// Each case: the arguments, a rule they show, and fields of the result (absent ones as
/// `null`), compared as the JSON a client reads.
#[test]
fn figures_follow_the_arguments() {
    let cases = [
        (
            json!({"rent_income_manwon": 100, "other_income_manwon": 300,
                   "vacancy_rate_percent": 10, "tax_manwon": 5}),
            "vacancy reduces rent but not other income",
            json!({"vacancy_loss_monthly_manwon": 10.0, "effective_income_monthly_manwon": 390.0,
                   "free_cash_flow_monthly_manwon": 385.0}),
        ),
        (
            json!({"rent_income_manwon": 100, "loan_payment_manwon": 120,
                   "cash_invested_manwon": 10000}),
            "a shortfall is negative; cash-on-cash return uses the yearly figure",
            json!({"free_cash_flow_monthly_manwon": -20.0, "free_cash_flow_yearly_manwon": -240.0,
                   "cash_on_cash_return_percent": -2.4}),
        ),
        (
            json!({"loan_payment_manwon": 50}),
            "expenses without income have no expense ratio",
            json!({"free_cash_flow_monthly_manwon": -50.0, "expense_ratio_percent": null}),
        ),
    ];
    // A `null` expectation passes for a missing field, so each name must be one the output
    // declares: a renamed or misspelt field fails here instead.
    let schema = schemars::schema_for!(CashflowOutput);
    let declared = schema
        .get("properties")
        .and_then(|p| p.as_object())
        .unwrap();
    for (args, rule, expected) in cases {
        let out = serde_json::to_value(monthly_cashflow(parse(args)).unwrap()).unwrap();
        for (field, value) in expected.as_object().unwrap() {
            assert!(declared.contains_key(field), "{rule}: no field {field}");
            assert_eq!(&out[field], value, "{rule}: {field}");
        }
    }
}

#[test]
fn invalid_inputs_name_the_argument() {
    let cases = [
        (json!({"rent_income_manwon": -1}), "`rent_income_manwon`"),
        (
            json!({"rent_income_manwon": 10, "vacancy_rate_percent": 120}),
            "`vacancy_rate_percent`",
        ),
        (
            json!({"rent_income_manwon": 10, "tax_manwon": 2e6}),
            "`tax_manwon`",
        ),
        (
            json!({"rent_income_manwon": 10, "cash_invested_manwon": 0}),
            "`cash_invested_manwon`",
        ),
        (
            json!({"rent_income_manwon": 10, "other_expenses": [{"name": " ", "amount_manwon": 1}]}),
            "`other_expenses[0].name`",
        ),
        (
            json!({"rent_income_manwon": 10, "other_expenses": [{"name": "x", "amount_manwon": -3}]}),
            "`other_expenses[0].amount_manwon`",
        ),
    ];
    for (bad, name) in cases {
        let err = monthly_cashflow(parse(bad)).unwrap_err();
        assert!(err.message().contains(name), "{err}");
    }

    let mut many = parse(json!({"rent_income_manwon": 10}));
    many.other_expenses = (0..21)
        .map(|i| ExpenseItem {
            name: format!("item {i}"),
            amount_manwon: 1.0,
        })
        .collect();
    let err = monthly_cashflow(many).unwrap_err();
    assert!(err.message().contains("`other_expenses`"), "{err}");
}

#[test]
fn non_finite_amounts_are_rejected() {
    let mut args = parse(json!({"rent_income_manwon": 10}));
    args.maintenance_fee_manwon = f64::NAN;
    let err = monthly_cashflow(args).unwrap_err();
    assert!(err.message().contains("`maintenance_fee_manwon`"), "{err}");
}

#[test]
fn all_zero_input_asks_for_at_least_one_figure() {
    let err = monthly_cashflow(parse(json!({"unrelated": true}))).unwrap_err();
    assert!(err.message().contains("at least one income"), "{err}");
}
