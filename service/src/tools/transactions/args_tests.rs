use serde_json::json;

use super::*;
use crate::tools::transactions::{
    AppliedFilters,
    tests::{filtered, no_filters},
    tool_name,
};

#[test]
fn bad_filters_are_explained() {
    let check = |dataset, args: TransactionArgs, needle: &str| {
        let error = Query::from_args(dataset, &args).unwrap_err();
        assert!(error.message().contains(needle), "{}", error.message());
    };
    let too_many = TransactionArgs {
        limit: Some(501),
        ..no_filters()
    };
    check(Dataset::AptTrade, too_many, "`limit`");
    let cases = [
        (Some(100.0), Some(50.0), "larger than area_max"),
        (Some(-1.0), None, "`area_min`"),
        (None, Some(f64::NAN), "`area_max`"),
    ];
    for (area_min, area_max, needle) in cases {
        let areas = FilterArgs {
            area_min,
            area_max,
            ..FilterArgs::default()
        };
        check(Dataset::AptTrade, filtered(areas), needle);
    }
    let long_dong = FilterArgs {
        dong: Some("가".repeat(MAX_FILTER_CHARS + 1)),
        ..FilterArgs::default()
    };
    check(Dataset::AptTrade, filtered(long_dong), "`dong`");
    for dataset in [
        Dataset::DetachedHouseTrade,
        Dataset::DetachedHouseRent,
        Dataset::CommercialTrade,
        Dataset::LandTrade,
        Dataset::FactoryWarehouseTrade,
    ] {
        let named = FilterArgs {
            name_contains: Some("빌딩".into()),
            ..FilterArgs::default()
        };
        check(dataset, filtered(named), tool_name(dataset));
    }
}

#[test]
fn blank_filters_mean_no_filter() {
    let args = filtered(FilterArgs {
        dong: Some("  ".into()),
        name_contains: Some(String::new()),
        ..FilterArgs::default()
    });
    let query = Query::from_args(Dataset::DetachedHouseTrade, &args).unwrap();
    assert_eq!(query.applied(), AppliedFilters::default());
}

#[test]
fn codes_and_months_may_arrive_as_numbers() {
    let args: TransactionArgs =
        serde_json::from_value(json!({ "region_code": 11680, "year_month": 202503 })).unwrap();
    assert_eq!(
        (args.region_code.as_str(), &*args.year_month),
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
    assert_eq!(props["area_max"]["maximum"], MAX_AREA_M2);
    assert_eq!(props["dong"]["maxLength"], MAX_FILTER_CHARS);
    assert_eq!(props["name_contains"]["maxLength"], MAX_FILTER_CHARS);
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
