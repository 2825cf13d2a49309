//! The six tools added for more data, called over MCP against the stand-in gateways: the
//! presale-right, land, factory and detailed apartment feeds, and a notice's house types
//! and competition table.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use testkit::{
    molit::{Fault, Item, Kind},
    odcloud::{COMPETITION_PATH, TEST_KEY, detail},
};

use crate::helpers::app::TestApp;
use crate::helpers::mcp::declared;
use crate::helpers::stand_ins::{AppWithStandIns, spawn_with_stand_ins};

/// Both stand-ins and the server pointed at them, with one key for both services.
async fn setup() -> AppWithStandIns {
    setup_with(&[]).await
}

/// As [`setup`], with more settings.
async fn setup_with(extra: &[(&str, &str)]) -> AppWithStandIns {
    spawn_with_stand_ins(TEST_KEY, extra).await
}

/// The structured result of a successful call.
async fn call(app: &TestApp, tool: &str, arguments: Value) -> Value {
    let result = app.call_tool(tool, arguments).await;
    assert_ne!(result["isError"], true, "{tool}: {result}");
    result["structuredContent"].clone()
}

/// The message of a call that failed as a tool error.
async fn failure(app: &TestApp, tool: &str, arguments: Value) -> String {
    let result = app.call_tool(tool, arguments).await;
    assert_eq!(result["isError"], true, "{tool}: {result}");
    result["content"][0]["text"].as_str().unwrap().to_owned()
}

fn month(limit: u32) -> Value {
    json!({ "region_code": "강남구", "year_month": "202503", "limit": limit })
}

fn cancelled(items: &[Item]) -> usize {
    items
        .iter()
        .filter(|i| i.get("cdealType") == Some("O"))
        .count()
}

fn rows(out: &Value) -> &Vec<Value> {
    out["rows"].as_array().unwrap()
}

#[tokio::test]
async fn the_six_tools_are_listed_read_only_and_open_world() {
    let up = setup().await;
    let app = &up.app;
    let listed = app.list_tools().await;
    for (name, required) in [
        ("get_presale_trades", "region_code"),
        ("get_land_trades", "region_code"),
        ("get_industrial_trades", "region_code"),
        ("get_apartment_trades_detail", "region_code"),
        ("get_apt_subscription_detail", "house_manage_no"),
        ("get_apt_subscription_competition", "house_manage_no"),
    ] {
        let tool = declared(&listed, name);
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{name}");
        assert_eq!(tool["annotations"]["openWorldHint"], true, "{name}");
        let needed = tool["inputSchema"]["required"].as_array().unwrap();
        assert!(needed.iter().any(|r| r == required), "{name}: {needed:?}");
        assert_eq!(tool["outputSchema"]["type"], "object", "{name}");
    }
}

#[tokio::test]
async fn land_trades_report_the_area_traded_its_category_and_share_sales() {
    let up = setup().await;
    let (app, molit) = (&up.app, &up.molit);
    let items = molit.put_generated(Kind::LandTrade, "11680", "202503", 40);
    let out = call(app, "get_land_trades", month(100)).await;
    assert_eq!(out["property_type"], "토지 매매");
    assert!(out["area_basis"].as_str().unwrap().starts_with("거래면적"));
    assert_eq!(out["summary"]["deals_in_month"], 40);
    assert_eq!(out["summary"]["cancelled_deals"], cancelled(&items));
    assert_eq!(out["source"]["dataset"], "RTMSDataSvcLandTrade");
    let shares = items
        .iter()
        .filter(|i| i.get("shareDealingType") == Some("지분"))
        .count();
    let rows = rows(&out);
    assert_eq!(
        rows.iter().filter(|r| r["share_deal"] == true).count(),
        shares
    );
    let categories: BTreeSet<_> = rows
        .iter()
        .map(|r| r["land_category"].as_str().unwrap())
        .collect();
    assert!(categories.is_subset(&BTreeSet::from(["대", "전", "임야", "잡종지"])));
    assert!(rows.iter().all(|r| r.get("name").is_none()));
    assert!(rows.iter().all(|r| r["area_m2"].as_f64().unwrap() > 0.0));
}

#[tokio::test]
async fn presale_trades_say_which_right_changed_hands() {
    let up = setup().await;
    let (app, molit) = (&up.app, &up.molit);
    let items = molit.put_generated(Kind::PresaleRightTrade, "11680", "202503", 30);
    let out = call(app, "get_presale_trades", month(100)).await;
    assert_eq!(out["property_type"], "분양권·입주권 전매");
    // The feed writes `입` for 입주권 and often leaves the field blank (unknown).
    let sent = |code: &str| {
        items
            .iter()
            .filter(|i| i.get("ownershipGbn") == Some(code))
            .count()
    };
    let shown = |word: Option<&str>| {
        rows(&out)
            .iter()
            .filter(|r| r["ownership"].as_str() == word)
            .count()
    };
    assert!(sent("입") > 0 && sent(" ") > 0);
    assert_eq!(shown(Some("입주권")), sent("입"));
    assert_eq!(shown(None), sent(" "));
    let price = &out["summary"]["price_manwon"];
    assert_eq!(price["count"], items.len() - cancelled(&items));
}

#[tokio::test]
async fn industrial_trades_refuse_a_name_filter_before_any_request() {
    let up = setup().await;
    let (app, molit) = (&up.app, &up.molit);
    molit.put_generated(Kind::FactoryWarehouseTrade, "11680", "202503", 25);
    let mut args = month(10);
    args["name_contains"] = json!("물류");
    let message = failure(app, "get_industrial_trades", args).await;
    assert!(message.contains("`name_contains`"), "{message}");
    assert!(message.contains("get_industrial_trades"), "{message}");
    assert_eq!(molit.requests(), 0);

    let out = call(app, "get_industrial_trades", month(100)).await;
    assert!(out["area_basis"].as_str().unwrap().starts_with("건물면적"));
    for row in rows(&out) {
        let used = row["building_use"].as_str().unwrap();
        assert!(["공장", "창고", "창고시설"].contains(&used), "{used}");
        assert!(row["land_area_m2"].as_f64().is_some());
        assert!(row["jibun"].as_str().unwrap().ends_with("**"));
    }
}

#[tokio::test]
async fn detailed_apartment_trades_carry_complex_ids_and_road_addresses() {
    let up = setup().await;
    let (app, molit) = (&up.app, &up.molit);
    molit.put_generated(Kind::AptTradeDetailed, "11680", "202503", 80);
    let out = call(app, "get_apartment_trades_detail", month(500)).await;
    assert_eq!(out["source"]["dataset"], "RTMSDataSvcAptTradeDev");
    let rows = rows(&out);
    assert_eq!(rows.len(), 80);
    let mut ids = BTreeMap::new();
    for row in rows {
        let name = row["name"].as_str().unwrap();
        let id = row["complex_id"].as_str().unwrap();
        assert_eq!(*ids.entry(name).or_insert(id), id, "one id per complex");
    }
    let palace: Vec<_> = rows
        .iter()
        .filter(|r| r["name"] == "래미안대치팰리스")
        .collect();
    assert!(!palace.is_empty());
    for row in &palace {
        assert_eq!(row["legal_dong_code"], "1168010600");
        assert!(
            row.get("road_address").is_none() || row["road_address"] == "삼성로51길 37",
            "{row}"
        );
    }
    assert!(palace.iter().any(|r| r["road_address"] == "삼성로51길 37"));

    let mut filtered = month(500);
    filtered["name_contains"] = json!("래미안 대치");
    let only = call(app, "get_apartment_trades_detail", filtered).await;
    assert_eq!(only["rows"].as_array().unwrap().len(), palace.len());
    assert_eq!(only["source"]["cached"], true, "the month is read once");
}

#[tokio::test]
async fn a_dataset_without_approval_names_its_own_application_page() {
    let up = setup().await;
    let (app, molit) = (&up.app, &up.molit);
    molit.set_month_fault(
        Kind::LandTrade,
        "11680",
        "202503",
        Some(Fault::key_not_registered(403)),
    );
    let message = failure(app, "get_land_trades", month(10)).await;
    assert!(message.contains("토지 매매"), "{message}");
    assert!(
        message.contains("https://www.data.go.kr/data/15126466/openapi.do"),
        "{message}"
    );
    assert!(!message.contains(TEST_KEY));
}

fn notice_rows(rows: Vec<Value>, no: &str) -> Vec<Value> {
    rows.into_iter()
        .filter(|r| r["HOUSE_MANAGE_NO"] == no)
        .collect()
}

#[tokio::test]
async fn a_notice_detail_lists_house_types_that_add_up_to_the_notice() {
    let up = setup().await;
    let (app, odcloud) = (&up.app, &up.odcloud);
    let expected = notice_rows(detail::house_types(), "2025000101");
    // Models often send the id as a number.
    let out = call(
        app,
        "get_apt_subscription_detail",
        json!({ "house_manage_no": 2025000101_u64 }),
    )
    .await;
    assert_eq!(out["notice"]["house_name"], "방배 더 리버파크 자이");
    assert_eq!(out["totals"]["households"], 465);
    assert_eq!(out["totals"]["house_types"], expected.len());
    // One note only: which area each per-평 price divides by.
    let notes = out["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{out}");
    assert!(notes[0].as_str().unwrap().contains("공급면적"), "{out}");
    let types = out["house_types"].as_array().unwrap();
    assert_eq!(types[0]["model_no"], "01");
    assert_eq!(types[0]["house_type"], "059.9800A");
    assert_eq!(types[0]["exclusive_area_m2"], 59.98);
    let newlywed: u64 = expected
        .iter()
        .map(|r| r["NWWDS_HSHLDCO"].as_u64().unwrap())
        .sum();
    let shown: u64 = types
        .iter()
        .map(|t| t["special_by_category"]["newlywed"].as_u64().unwrap())
        .sum();
    assert_eq!(shown, newlywed);
    assert!(
        types
            .iter()
            .all(|t| t["top_price_per_pyeong_manwon"].as_f64().unwrap() > 0.0)
    );
    // The same top price per 평 of exclusive area, the basis 실거래가 figures use.
    for t in types {
        let f = |key: &str| t[key].as_f64().unwrap();
        let expected = f("top_price_manwon") / f("exclusive_area_m2") * 400.0 / 121.0;
        let exclusive = f("top_price_per_pyeong_exclusive_manwon");
        assert_eq!(exclusive, expected.round(), "{t}");
        assert!(exclusive > f("top_price_per_pyeong_manwon"), "{t}");
    }
    assert_eq!(out["source"]["upstream_calls"], 2);
    assert_eq!(out["source"]["cached"], false);

    let before = odcloud.requests();
    let again = call(
        app,
        "get_apt_subscription_detail",
        json!({ "house_manage_no": "2025000101", "notice_no": "2025000101" }),
    )
    .await;
    assert_eq!(again["totals"], out["totals"]);
    assert_eq!(
        odcloud.requests() - before,
        2,
        "a new notice_no filter is a new query"
    );
    let cached = call(
        app,
        "get_apt_subscription_detail",
        json!({ "house_manage_no": "2025000101" }),
    )
    .await;
    assert_eq!(cached["source"]["cached"], true);
    assert_eq!(cached["source"]["upstream_calls"], 0);
}

#[tokio::test]
async fn competition_shows_the_rush_in_seoul_and_the_shortfall_in_daegu() {
    let up = setup().await;
    let (app, odcloud) = (&up.app, &up.odcloud);
    let seoul = call(
        app,
        "get_apt_subscription_competition",
        json!({ "house_manage_no": "2025000468" }),
    )
    .await;
    let last = odcloud.last().unwrap();
    assert_eq!(last.path, format!("/api{COMPETITION_PATH}"));
    assert_eq!(last.param("cond[HOUSE_MANAGE_NO::EQ]"), Some("2025000468"));
    assert_eq!(seoul["house_name"], "잠실 래미안 아이파크");
    assert_eq!(seoul["status"], "closed");
    let lines = notice_rows(detail::competition(), "2025000468");
    let rank1: u64 = lines
        .iter()
        .filter(|l| l["SUBSCRPT_RANK_CODE"] == 1)
        .map(|l| l["REQ_CNT"].as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(seoul["summary"]["rank1_applications"], rank1);
    assert_eq!(seoul["summary"]["undersubscribed_types"], 0);
    assert!(seoul["summary"]["rank1_rate"].as_f64().unwrap() > 1_000.0);
    let published: Vec<f64> = seoul["house_types"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["lines"].as_array().unwrap().iter())
        .filter_map(|l| l["rate"].as_f64())
        .collect();
    assert!(
        published.iter().any(|r| *r > 1_000.0),
        "1,080.00 reads as 1080"
    );

    let daegu = call(
        app,
        "get_apt_subscription_competition",
        json!({ "house_manage_no": "2025000377" }),
    )
    .await;
    let types = daegu["house_types"].as_array().unwrap();
    assert!(!types.is_empty());
    assert_eq!(daegu["summary"]["undersubscribed_types"], types.len());
    for t in types {
        assert_eq!(t["undersubscribed"], true);
        assert!(t["shortfall_households"].as_u64().unwrap() > 0);
        assert!(t["rank1_rate"].as_f64().unwrap() < 1.0);
        let first = &t["lines"][0];
        assert_eq!(first["residence"], "local");
        assert!(first["shortfall"].as_u64().unwrap() > 0, "(△n) is read");
    }
    assert_eq!(daegu["source"]["upstream_calls"], 2);
}

#[tokio::test]
async fn a_public_notice_has_house_types_but_no_competition_figures() {
    let up = setup().await;
    let app = &up.app;
    let args = json!({ "house_manage_no": "2025000245" });
    let detail = call(app, "get_apt_subscription_detail", args.clone()).await;
    assert_eq!(detail["totals"]["households"], 409);
    let competition = call(app, "get_apt_subscription_competition", args).await;
    assert!(competition["house_types"].as_array().unwrap().is_empty());
    assert_eq!(competition["summary"]["rank1_rate"], Value::Null);
    let notes = competition["notes"].to_string();
    assert!(notes.contains("no competition figures"), "{notes}");
}

#[tokio::test]
async fn unknown_and_malformed_notice_ids_say_where_to_find_one() {
    let up = setup().await;
    let (app, odcloud) = (&up.app, &up.odcloud);
    let message = failure(
        app,
        "get_apt_subscription_competition",
        json!({ "house_manage_no": "2019999999" }),
    )
    .await;
    assert!(message.contains("2019999999"), "{message}");
    assert!(message.contains("get_apt_subscription_info"), "{message}");
    assert_eq!(
        odcloud.requests(),
        1,
        "no second request for a missing notice"
    );

    let message = failure(
        app,
        "get_apt_subscription_detail",
        json!({ "house_manage_no": "방배 자이" }),
    )
    .await;
    assert!(message.contains("`house_manage_no`"), "{message}");
    assert_eq!(odcloud.requests(), 1, "a malformed id costs nothing");
}

/// A successful call of every tool, covering each result variant the tests can reach: trades
/// and leases, every statistics kind, charts on and off, each region-lookup status.
fn every_kind_of_call() -> Vec<(&'static str, Value)> {
    let months = |extra: Value| {
        let mut arguments =
            json!({"region_code": "11680", "from_month": "202502", "to_month": "202504"});
        for (key, value) in extra.as_object().unwrap() {
            arguments[key] = value.clone();
        }
        arguments
    };
    let mut calls = vec![
        ("get_region_code", json!({"query": "강남구"})),
        ("get_region_code", json!({"query": "중구"})),
        ("get_region_code", json!({"query": "인천 중구"})),
        ("get_region_code", json!({"query": "공덕동"})),
        ("get_current_year_month", json!({})),
        (
            "calculate_loan_payment",
            json!({"principal_manwon": 30000, "annual_rate_percent": 4, "term_months": 360}),
        ),
        (
            "calculate_loan_payment",
            json!({"principal_manwon": 30000, "annual_rate_percent": 4, "term_months": 120, "method": "equal_principal", "grace_months": 12}),
        ),
        (
            "calculate_compound_growth",
            json!({"initial_amount_manwon": 1000, "annual_rate_percent": 5, "years": 3, "monthly_contribution_manwon": 10}),
        ),
        (
            "calculate_monthly_cashflow",
            json!({"rent_income_manwon": 150, "loan_payment_manwon": 80, "cash_invested_manwon": 5000, "other_expenses": [{"name": "보험료", "amount_manwon": 2}]}),
        ),
        (
            "get_apt_subscription_info",
            json!({"region": "서울", "notice_date_from": "2025-01-01"}),
        ),
        (
            "get_apt_subscription_detail",
            json!({"house_manage_no": "2025000101"}),
        ),
        (
            "get_apt_subscription_competition",
            json!({"house_manage_no": "2025000468"}),
        ),
        ("analyze_price_trend", months(json!({"chart": true}))),
        ("analyze_price_trend", months(json!({"deal_type": "rent"}))),
        (
            "compare_regions",
            json!({"regions": ["11680", "11440"], "from_month": "202503", "chart": true}),
        ),
        (
            "analyze_jeonse_ratio",
            months(json!({"include_wolse": true, "chart": true})),
        ),
        (
            "get_complex_summary",
            months(json!({"complex_name": "은마", "dong": "대치동"})),
        ),
    ];
    for kind in [
        "applicants_by_region",
        "applicants_by_age",
        "winners_by_region",
        "winners_by_age",
        "competition_by_region",
    ] {
        calls.push((
            "get_apt_subscription_results",
            json!({"kind": kind, "year_month": "202503"}),
        ));
    }
    calls.push((
        "get_apt_subscription_results",
        json!({"kind": "winning_scores_by_region", "year_month": "202503", "residence": "local"}),
    ));
    for tool in TRANSACTION_TOOLS {
        calls.push((tool, month(20)));
    }
    calls
}

const TRANSACTION_TOOLS: [&str; 13] = [
    "get_apartment_trades",
    "get_apartment_rent",
    "get_officetel_trades",
    "get_officetel_rent",
    "get_villa_trades",
    "get_villa_rent",
    "get_single_house_trades",
    "get_single_house_rent",
    "get_commercial_trade",
    "get_apartment_trades_detail",
    "get_presale_trades",
    "get_land_trades",
    "get_industrial_trades",
];

#[tokio::test]
async fn every_result_is_valid_against_the_output_schema_its_tool_publishes() {
    let up = setup().await;
    let app = &up.app;
    for kind in Kind::ALL {
        up.molit.put_generated(kind, "11680", "202503", 60);
    }
    for month in ["202502", "202504"] {
        up.molit.put_generated(Kind::AptTrade, "11680", month, 60);
        up.molit.put_generated(Kind::AptRent, "11680", month, 60);
    }
    up.molit
        .put_generated(Kind::AptTrade, "11440", "202503", 40);

    let [modern, legacy] = app.list_tools_in_both_eras().await;
    let tools = modern["tools"].as_array().unwrap();
    assert_eq!(
        tools,
        legacy["tools"].as_array().unwrap(),
        "one list for both eras"
    );
    let validators: BTreeMap<&str, jsonschema::Validator> = tools
        .iter()
        .map(|tool| {
            let name = tool["name"].as_str().unwrap();
            let validator = jsonschema::validator_for(&tool["outputSchema"])
                .unwrap_or_else(|e| panic!("{name}: the published output schema is invalid: {e}"));
            (name, validator)
        })
        .collect();

    let mut called = BTreeSet::new();
    for (tool, arguments) in every_kind_of_call() {
        let result = app.call_tool(tool, arguments.clone()).await;
        assert_ne!(result["isError"], true, "{tool} {arguments}: {result}");
        let structured = &result["structuredContent"];
        let errors: Vec<String> = validators[tool]
            .iter_errors(structured)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{tool} {arguments}: {errors:?}\n{structured}"
        );
        called.insert(tool);
    }
    let listed: BTreeSet<&str> = validators.keys().copied().collect();
    assert_eq!(called, listed, "every listed tool was called");
}

#[tokio::test]
async fn applyhome_answers_count_against_their_datasets_budget() {
    let up = setup_with(&[("daily_budget_per_dataset", "2")]).await;
    let (app, odcloud) = (&up.app, &up.odcloud);
    let out = call(
        app,
        "get_apt_subscription_detail",
        json!({ "house_manage_no": "2025000101" }),
    )
    .await;
    let budget = &out["source"]["budget"];
    assert_eq!(budget["spent"], 2, "{out}");
    assert_eq!(budget["datasets"][0]["dataset"], "ApplyhomeInfoDetailSvc");
    assert_eq!(budget["datasets"][0]["left_today"], 0);
    let before = odcloud.requests();
    let text = failure(
        app,
        "get_apt_subscription_info",
        json!({ "region": "서울" }),
    )
    .await;
    assert!(text.contains("청약홈 분양정보"), "{text}");
    assert!(text.contains("DAILY_BUDGET_PER_DATASET"), "{text}");
    assert_eq!(odcloud.requests(), before, "nothing was sent");
}
