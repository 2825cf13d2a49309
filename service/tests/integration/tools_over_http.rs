//! Data tools through the real HTTP endpoint against the stand-in gateway: what a client
//! actually receives, including setup problems and the quota-saving cache.

use std::time::{Duration, SystemTime};

use real_estate_mcp::store::{SqliteStore, Store};
use serde_json::json;
use testkit::molit::{Fault, Kind, MolitStandIn};

use crate::helpers::app::spawn_app;
use crate::helpers::stand_ins::spawn_app_for;

const KEY: &str = "http-test+key/==";

#[tokio::test]
async fn a_transaction_call_returns_the_summary_and_a_repeat_costs_no_quota() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptRent, "11440", "202409", 1_500);
    let app = spawn_app_for(&stand_in, KEY).await;
    let arguments = json!({"region_code": "마포구", "year_month": "202409", "limit": 5});
    let first = app.call_tool("get_apartment_rent", arguments.clone()).await;
    assert_ne!(first["isError"], true, "{first}");
    let out = &first["structuredContent"];
    assert_eq!(out["region"]["lawd_cd"], "11440");
    assert_eq!(out["rows_returned"], 5);
    assert_eq!(out["source"]["cached"], false);
    let calls_after_first = stand_in.requests();
    assert_eq!(calls_after_first, 2, "1,500 rows at 1,000 a page");

    let second = app.call_tool("get_apartment_rent", arguments).await;
    assert_eq!(second["structuredContent"]["source"]["cached"], true);
    assert_eq!(second["structuredContent"]["source"]["upstream_calls"], 0);
    assert_eq!(
        stand_in.requests(),
        calls_after_first,
        "the repeat used no quota"
    );
    assert_eq!(
        first["structuredContent"]["summary"],
        second["structuredContent"]["summary"]
    );
}

#[tokio::test]
async fn without_a_key_data_tools_explain_the_setup_and_calculators_still_work() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let app = spawn_app(&[("data_go_kr_base_url", stand_in.base_url())]).await;
    let result = app
        .call_tool(
            "get_apartment_trades",
            json!({"region_code": "11440", "year_month": "202409"}),
        )
        .await;
    assert_eq!(result["isError"], true);
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("DATA_GO_KR_API_KEY"), "{text}");
    assert_eq!(stand_in.requests(), 0, "nothing is sent without a key");

    let calculator = app
        .call_tool(
            "calculate_loan_payment",
            json!({"principal_manwon": 10000, "annual_rate_percent": 3.5, "term_months": 120}),
        )
        .await;
    assert_ne!(calculator["isError"], true);
}

#[tokio::test]
async fn an_ambiguous_region_name_lists_the_candidates_without_a_call() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let app = spawn_app_for(&stand_in, KEY).await;
    let result = app
        .call_tool(
            "get_villa_trades",
            json!({"region_code": "중구", "year_month": "202409"}),
        )
        .await;
    assert_eq!(result["isError"], true);
    let text = result["content"][0]["text"].as_str().unwrap();
    for candidate in ["11140", "26110"] {
        assert!(text.contains(candidate), "{candidate} missing from {text}");
    }
    assert_eq!(stand_in.requests(), 0);
}

#[tokio::test]
async fn a_key_the_gateway_refuses_is_explained_and_never_echoed() {
    let stand_in = MolitStandIn::start("the-right-key").await.unwrap();
    let app = spawn_app_for(&stand_in, "a-wrong-key-123").await;
    let result = app
        .call_tool(
            "get_officetel_trades",
            json!({"region_code": "11440", "year_month": "202409"}),
        )
        .await;
    assert_eq!(result["isError"], true);
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("data.go.kr/data/15126464"), "{text}");
    assert!(!text.contains("a-wrong-key-123"));
}

#[tokio::test]
async fn get_region_code_reports_ambiguity_as_a_result_to_relay() {
    let app = spawn_app(&[]).await;
    let result = app
        .call_tool("get_region_code", json!({"query": "중구"}))
        .await;
    assert_ne!(result["isError"], true);
    let out = &result["structuredContent"];
    assert_eq!(out["status"], "ambiguous");
    assert!(out["candidates"].as_array().unwrap().len() >= 6);
    let resolved = app
        .call_tool("get_region_code", json!({"query": "공덕동"}))
        .await;
    assert_eq!(resolved["structuredContent"]["lawd_cd"], "11440");
}

#[tokio::test]
async fn metrics_count_requests_tool_calls_upstream_requests_and_cache_lookups() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, "11440", "202409", 30);
    let app = spawn_app(&[
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", KEY),
    ])
    .await;
    let arguments = json!({"region_code": "11440", "year_month": "202409"});
    for _ in 0..2 {
        app.call_tool("get_apartment_trades", arguments.clone())
            .await;
    }
    app.call_tool("get_region_code", json!({"query": "없는동네이름"}))
        .await;
    let response = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
    );
    let page = response.text().await.unwrap();
    for line in [
        r#"real_estate_mcp_http_requests_total{route="/mcp",status="200"} 3"#,
        r#"real_estate_mcp_tool_calls_total{tool="get_apartment_trades",outcome="ok"} 2"#,
        r#"real_estate_mcp_upstream_requests_total{dataset="RTMSDataSvcAptTrade",result="ok"} 1"#,
        r#"real_estate_mcp_cache_lookups_total{cache="molit",result="miss"} 1"#,
        r#"real_estate_mcp_cache_lookups_total{cache="molit",result="hit"} 1"#,
        r#"real_estate_mcp_upstream_requests_today{dataset="RTMSDataSvcAptTrade"} 1"#,
    ] {
        assert!(
            page.lines().any(|l| l == line),
            "{line} missing from\n{page}"
        );
    }
    assert!(page.contains(r#"cache_store="memory""#), "{page}");
    assert!(
        page.contains(r#"real_estate_mcp_tool_calls_total{tool="get_region_code",outcome="#),
        "{page}"
    );

    // `status` reads the same page into a summary.
    let mut out = Vec::new();
    let code = real_estate_mcp::status::run(&format!("{}/metrics", app.base), &mut out).await;
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("AUTH_MODE=none"), "{text}");
    assert!(text.contains("50% (1 of 2 lookups"), "{text}");
}

#[tokio::test]
async fn every_data_answer_reports_what_it_spent_and_what_is_left_today() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptRent, "11440", "202409", 1_500);
    let app = spawn_app(&[
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", KEY),
        ("daily_budget_per_caller", "10"),
        ("daily_budget_per_dataset", "20"),
    ])
    .await;
    let arguments = json!({"region_code": "11440", "year_month": "202409", "limit": 1});
    let first = app.call_tool("get_apartment_rent", arguments.clone()).await;
    let budget = &first["structuredContent"]["source"]["budget"];
    assert_eq!(budget["spent"], 2, "{first}");
    assert_eq!(
        budget["caller"],
        json!({"spent_today": 2, "left_today": 8, "daily_limit": 10})
    );
    assert_eq!(
        budget["datasets"],
        json!([{"dataset": "RTMSDataSvcAptRent", "spent_today": 2, "left_today": 18,
            "daily_limit": 20}])
    );
    assert!(
        budget["resets_at"]
            .as_str()
            .unwrap()
            .ends_with("T00:00:00+09:00")
    );
    // Clients that read only text see the same block.
    let text: serde_json::Value =
        serde_json::from_str(first["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text["source"]["budget"], *budget);

    let again = app.call_tool("get_apartment_rent", arguments).await;
    let budget = &again["structuredContent"]["source"]["budget"];
    assert_eq!(budget["spent"], 0);
    assert_eq!(budget["caller"]["left_today"], 8);
    assert_eq!(
        budget["datasets"][0]["left_today"], 18,
        "the cache hit was free"
    );
}

#[tokio::test]
async fn a_spent_budget_is_refused_with_the_reset_time_and_the_cache_still_answers() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, "11440", "202409", 10);
    stand_in.put_generated(Kind::AptTrade, "11440", "202410", 10);
    let app = spawn_app(&[
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", KEY),
        ("daily_budget_per_caller", "1"),
    ])
    .await;
    let month = |ymd: &str| json!({"region_code": "11440", "year_month": ymd});
    let first = app.call_tool("get_apartment_trades", month("202409")).await;
    assert_ne!(first["isError"], true, "{first}");
    let refused = app.call_tool("get_apartment_trades", month("202410")).await;
    assert_eq!(refused["isError"], true, "{refused}");
    let text = refused["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("daily budget of 1 data.go.kr requests is used up"),
        "{text}"
    );
    assert!(text.contains("DAILY_BUDGET_PER_CALLER"), "{text}");
    assert!(text.contains("00:00 KST), in "), "{text}");
    assert_eq!(
        stand_in.requests(),
        1,
        "nothing was sent for the refused month"
    );
    let cached = app.call_tool("get_apartment_trades", month("202409")).await;
    assert_ne!(cached["isError"], true, "{cached}");
    assert_eq!(
        cached["structuredContent"]["source"]["budget"]["caller"]["left_today"],
        0
    );
}

#[tokio::test]
async fn a_call_ends_at_tool_deadline_secs_with_a_message_not_at_the_clients_timeout() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, "11440", "202409", 10);
    stand_in.fail_next([testkit::molit::Fault::Slow(std::time::Duration::from_secs(
        6,
    ))]);
    let app = spawn_app(&[
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", KEY),
        ("tool_deadline_secs", "2"),
    ])
    .await;
    let started = std::time::Instant::now();
    let result = app
        .call_tool(
            "get_apartment_trades",
            json!({"region_code": "11440", "year_month": "202409"}),
        )
        .await;
    assert_eq!(result["isError"], true, "{result}");
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("time limit of 2 seconds"), "{text}");
    // Answered when the deadline passed, long before the slow answer would have come.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(stand_in.requests(), 1, "no retry once the time is up");
}

#[tokio::test]
async fn an_expired_answer_carries_its_note_and_the_budget_its_failed_attempts_cost() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, "11680", "202410", 40);
    let dir = tempfile::tempdir().unwrap();
    let overrides = [
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", KEY),
        ("daily_budget_per_caller", "10"),
        ("cache_store", "disk"),
        ("cache_dir", dir.path().to_str().unwrap()),
    ];
    let arguments = json!({"region_code": "11680", "year_month": "202410"});
    let first = spawn_app(&overrides)
        .await
        .call_tool("get_apartment_trades", arguments.clone())
        .await;
    assert_eq!(first["structuredContent"]["source"]["upstream_calls"], 1);

    // The stored month ages past its freshness, as the days would make it, and the portal
    // starts failing; a new server reads the month from disk.
    let store = SqliteStore::open(dir.path(), 1 << 30).unwrap();
    let key = "molit/RTMSDataSvcAptTrade/11680/202410".to_owned();
    let mut stored = store.get(key.clone()).await.unwrap().expect("stored");
    stored.fresh_until = SystemTime::now() - Duration::from_secs(1);
    store.put(key, stored).await.unwrap();
    stand_in.set_month_fault(Kind::AptTrade, "11680", "202410", Some(Fault::Status(503)));
    let second = spawn_app(&overrides).await;
    let answer = second.call_tool("get_apartment_trades", arguments).await;
    assert_ne!(answer["isError"], true, "{answer}");
    let source = &answer["structuredContent"]["source"];
    assert_eq!(source["stale"], true, "{source}");
    let note = source["note"].as_str().unwrap();
    assert!(note.contains("failing on its side"), "{note}");
    // The 503 and its retry were sent: both are in the answer's cost and in the budget,
    // which also remembers the first server's request (the counters are on disk too).
    assert_eq!(stand_in.requests(), 3);
    assert_eq!(source["upstream_calls"], 2, "{source}");
    assert_eq!(source["budget"]["spent"], 2, "{source}");
    assert_eq!(source["budget"]["caller"]["left_today"], 7, "{source}");
    let text: serde_json::Value =
        serde_json::from_str(answer["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text["source"], *source, "text-only clients see the same");
    // The new server's page counts the first server's request too, with nothing written on
    // the way out: it reads the budget's counters.
    assert_eq!(
        source["budget"]["datasets"][0]["spent_today"], 3,
        "{source}"
    );
    let today = second
        .metric(
            "real_estate_mcp_upstream_requests_today",
            &[("dataset", "RTMSDataSvcAptTrade")],
        )
        .await;
    assert_eq!(today, Some(3.0));
}
