use serde_json::json;

use super::*;
use crate::tools::transactions::{AppliedFilters, tests::no_filters, tool_name};

#[test]
fn bad_filters_are_explained() {
    let check = |dataset, args: TransactionArgs, needle: &str| {
        let error = Query::from_args(dataset, &args).unwrap_err();
        assert!(error.message().contains(needle), "{}", error.message());
    };
    check(
        Dataset::AptTrade,
        TransactionArgs {
            limit: Some(501),
            ..no_filters()
        },
        "`limit`",
    );
    check(
        Dataset::AptTrade,
        TransactionArgs {
            area_min: Some(100.0),
            area_max: Some(50.0),
            ..no_filters()
        },
        "larger than area_max",
    );
    check(
        Dataset::AptTrade,
        TransactionArgs {
            area_min: Some(-1.0),
            ..no_filters()
        },
        "`area_min`",
    );
    check(
        Dataset::AptTrade,
        TransactionArgs {
            area_max: Some(f64::NAN),
            ..no_filters()
        },
        "`area_max`",
    );
    check(
        Dataset::AptTrade,
        TransactionArgs {
            dong: Some("가".repeat(51)),
            ..no_filters()
        },
        "`dong`",
    );
    for dataset in [
        Dataset::DetachedHouseTrade,
        Dataset::DetachedHouseRent,
        Dataset::CommercialTrade,
        Dataset::LandTrade,
        Dataset::FactoryWarehouseTrade,
    ] {
        check(
            dataset,
            TransactionArgs {
                name_contains: Some("빌딩".into()),
                ..no_filters()
            },
            tool_name(dataset),
        );
    }
}

#[test]
fn blank_filters_mean_no_filter() {
    let args = TransactionArgs {
        dong: Some("  ".into()),
        name_contains: Some(String::new()),
        ..no_filters()
    };
    let query = Query::from_args(Dataset::DetachedHouseTrade, &args).unwrap();
    assert_eq!(query.applied(), AppliedFilters::default());
}

#[test]
fn codes_and_months_may_arrive_as_numbers() {
    let args: TransactionArgs =
        serde_json::from_value(json!({ "region_code": 11680, "year_month": 202503 })).unwrap();
    assert_eq!(
        (args.region_code.as_str(), args.year_month.as_str()),
        ("11680", "202503")
    );
    let args: TransactionArgs = serde_json::from_value(
        json!({ "region_code": "강남구", "year_month": "2025-03", "dong": "대치", "limit": 5 }),
    )
    .unwrap();
    assert_eq!(args.limit, Some(5));
    assert!(
        serde_json::from_value::<TransactionArgs>(
            json!({ "region_code": true, "year_month": "202503" })
        )
        .is_err()
    );
}

#[test]
fn the_input_schema_states_the_limits() {
    let schema = serde_json::to_value(schemars::schema_for!(TransactionArgs)).unwrap();
    let props = &schema["properties"];
    assert_eq!(props["limit"]["maximum"], 500);
    assert_eq!(props["area_min"]["minimum"], 0);
    assert!(props["year_month"]["pattern"].is_string());
    assert_eq!(props["region_code"]["maxLength"], 100);
    let required: Vec<_> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(required, ["region_code", "year_month"]);
}

#[test]
fn a_dong_from_region_code_matches_whole_place_names_only() {
    use super::same_place;
    assert!(same_place("공덕동", "공덕동"));
    assert!(!same_place("신공덕동", "공덕동"));
    assert!(!same_place("공덕동", "신공덕동"));
    // A 읍 holds its 리; a 리 may be reported with or without its 읍.
    assert!(same_place("가평읍 개곡리", "가평읍"));
    assert!(same_place("가평읍 개곡리", "가평읍 개곡리"));
    assert!(same_place("개곡리", "가평읍 개곡리"));
    assert!(!same_place("가평읍 읍내리", "가평읍 개곡리"));
    assert!(!same_place("가평읍", "가평읍 개곡리"));
}
