use serde_json::json;

use super::*;

fn args(initial: f64, rate: f64, years: u32, monthly: f64, compounding: Compounding) -> GrowthArgs {
    GrowthArgs {
        initial_amount_manwon: initial,
        annual_rate_percent: rate,
        years,
        monthly_contribution_manwon: monthly,
        compounding,
    }
}

#[test]
fn lump_sum_compounded_monthly_matches_the_closed_form() {
    // 1000 × 1.01^12 = 1126.825…
    let out = compound_growth(args(1_000.0, 12.0, 1, 0.0, Compounding::Monthly)).unwrap();
    assert_eq!(out.final_value_manwon, 1_126.83);
    assert_eq!(out.total_contributed_manwon, 1_000.0);
    assert_eq!(out.total_growth_manwon, 126.83);
    assert_eq!(out.effective_annual_rate_percent, 12.68);
}

#[test]
fn lump_sum_compounded_annually_matches_the_closed_form() {
    // 1000 × 1.05^10 = 1628.894…
    let out = compound_growth(args(1_000.0, 5.0, 10, 0.0, Compounding::Annually)).unwrap();
    assert_eq!(out.final_value_manwon, 1_628.89);
    assert_eq!(out.effective_annual_rate_percent, 5.0);
    assert_eq!(out.yearly.len(), 10);
    assert_eq!(out.yearly[0].end_value_manwon, 1_050.0);
    assert_eq!(out.yearly[1].growth_manwon, 52.5);
}

#[test]
fn monthly_contributions_follow_the_ordinary_annuity_formula() {
    // 10 a month at 1% a month for 12 months: 10 × (1.01^12 − 1) / 0.01 = 126.825…
    let out = compound_growth(args(0.0, 12.0, 1, 10.0, Compounding::Monthly)).unwrap();
    assert_eq!(out.final_value_manwon, 126.83);
    assert_eq!(out.total_contributed_manwon, 120.0);
    assert_eq!(out.total_growth_manwon, 6.83);
}

#[test]
fn contributions_under_annual_compounding_earn_from_the_next_year() {
    // Year 1: 120 put in, nothing credited yet. Year 2: 120 more plus 5% of 120.
    let out = compound_growth(args(0.0, 5.0, 2, 10.0, Compounding::Annually)).unwrap();
    assert_eq!(out.yearly[0].end_value_manwon, 120.0);
    assert_eq!(out.yearly[0].growth_manwon, 0.0);
    assert_eq!(out.yearly[1].contributed_manwon, 120.0);
    assert_eq!(out.yearly[1].growth_manwon, 6.0);
    assert_eq!(out.final_value_manwon, 246.0);
    assert_eq!(out.yearly[1].total_contributed_manwon, 240.0);
}

#[test]
fn quarterly_and_semiannual_compounding_credit_interest_per_period() {
    // 1000 × 1.02^4 = 1082.43; 1000 × 1.04^2 = 1081.6.
    let quarterly = compound_growth(args(1_000.0, 8.0, 1, 0.0, Compounding::Quarterly)).unwrap();
    assert_eq!(quarterly.final_value_manwon, 1_082.43);
    let semi = compound_growth(args(1_000.0, 8.0, 1, 0.0, Compounding::SemiAnnually)).unwrap();
    assert_eq!(semi.final_value_manwon, 1_081.6);
}

#[test]
fn zero_and_negative_rates_are_handled() {
    let flat = compound_growth(args(1_000.0, 0.0, 2, 10.0, Compounding::Monthly)).unwrap();
    assert_eq!(flat.final_value_manwon, 1_240.0);
    assert_eq!(flat.total_growth_manwon, 0.0);

    // A 10% yearly decline: 1000 × 0.9² = 810.
    let decline = compound_growth(args(1_000.0, -10.0, 2, 0.0, Compounding::Annually)).unwrap();
    assert_eq!(decline.final_value_manwon, 810.0);
    assert_eq!(decline.total_growth_manwon, -190.0);
}

#[test]
fn year_one_counts_the_initial_amount_as_contributed() {
    let out = compound_growth(args(1_000.0, 0.0, 2, 10.0, Compounding::Monthly)).unwrap();
    assert_eq!(out.yearly[0].contributed_manwon, 1_120.0);
    assert_eq!(out.yearly[1].contributed_manwon, 120.0);
    assert_eq!(out.yearly[1].total_contributed_manwon, 1_240.0);
}

#[test]
fn invalid_inputs_name_the_argument() {
    let cases = [
        (
            args(-1.0, 5.0, 1, 0.0, Compounding::Monthly),
            "initial_amount_manwon",
        ),
        (
            args(1.0, f64::NAN, 1, 0.0, Compounding::Monthly),
            "annual_rate_percent",
        ),
        (
            args(1.0, -60.0, 1, 0.0, Compounding::Monthly),
            "annual_rate_percent",
        ),
        (
            args(1.0, 150.0, 1, 0.0, Compounding::Monthly),
            "annual_rate_percent",
        ),
        (args(1.0, 5.0, 0, 0.0, Compounding::Monthly), "years"),
        (args(1.0, 5.0, 51, 0.0, Compounding::Monthly), "years"),
        (
            args(1.0, 5.0, 1, -5.0, Compounding::Monthly),
            "monthly_contribution_manwon",
        ),
        (
            args(0.0, 5.0, 1, 0.0, Compounding::Monthly),
            "initial_amount_manwon",
        ),
    ];
    for (bad, name) in cases {
        let err = compound_growth(bad).unwrap_err();
        assert!(err.message().contains(&format!("`{name}`")), "{err}");
    }
}

#[test]
fn arguments_accept_korean_compounding_names_and_defaults() {
    let parsed: GrowthArgs = serde_json::from_value(json!({
        "initial_amount_manwon": 1000, "annual_rate_percent": 3.5, "years": 5,
        "compounding": "연복리"
    }))
    .unwrap();
    assert_eq!(parsed.compounding, Compounding::Annually);
    assert_eq!(parsed.monthly_contribution_manwon, 0.0);

    let defaulted: GrowthArgs = serde_json::from_value(json!({
        "initial_amount_manwon": 1000, "annual_rate_percent": 3.5, "years": 5
    }))
    .unwrap();
    assert_eq!(defaulted.compounding, Compounding::Monthly);
}
