//! The MCP endpoint over HTTP: both protocol eras, statelessly, and every edge refusal.

use rmcp::{
    ClientLifecycleMode, ClientServiceExt, ServiceExt,
    model::{CallToolRequestParams, ProtocolVersion},
    transport::StreamableHttpClientTransport,
};
use serde_json::{Value, json};

use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::mcp::{TestClient, tool_call};

#[tokio::test]
async fn a_legacy_client_initializes_lists_and_calls_tools() {
    let app = spawn_app(&[]).await;
    let transport = StreamableHttpClientTransport::from_uri(app.mcp_url());
    let client = TestClient.serve(transport).await.unwrap();
    let info = client.peer_info().unwrap();
    let server = info.server_info.as_ref().unwrap();
    assert_eq!(server.name, "real-estate-mcp");
    assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    assert!(info.instructions.as_deref().unwrap().contains("만원"));

    let tools = client.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "calculate_loan_payment"));

    let result = client
        .call_tool(tool_call(
            "calculate_loan_payment",
            json!({"principal_manwon": 30000, "annual_rate_percent": 4, "term_months": 360}),
        ))
        .await
        .unwrap();
    assert_ne!(result.is_error, Some(true));
    let structured = result.structured_content.unwrap();
    assert_eq!(structured["first_month_payment_manwon"], json!(143.22));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_modern_client_discovers_and_calls_tools_without_initialize() {
    let app = spawn_app(&[]).await;
    let transport = StreamableHttpClientTransport::from_uri(app.mcp_url());
    let client = TestClient
        .serve_with_lifecycle(
            transport,
            ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client.peer_info().unwrap().protocol_version,
        ProtocolVersion::V_2026_07_28
    );
    let tools = client.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "get_current_year_month"));
    let result = client
        .call_tool(CallToolRequestParams::new("get_current_year_month"))
        .await
        .unwrap();
    let month = result.structured_content.unwrap()["year_month"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(month.len(), 6);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn server_discover_names_the_server_and_every_supported_version() {
    let app = spawn_app(&[]).await;
    let response = app.modern("server/discover", None, json!({})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let result = &body["result"];
    let versions = result["supportedVersions"].as_array().unwrap();
    for v in ["2025-06-18", "2025-11-25", "2026-07-28"] {
        assert!(
            versions.contains(&json!(v)),
            "{v} missing from {versions:?}"
        );
    }
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "real-estate-mcp"
    );
}

#[tokio::test]
async fn requests_need_no_session_so_a_restart_or_replica_never_breaks_a_client() {
    let first = spawn_app(&[]).await;
    let second = spawn_app(&[]).await;
    let init = first
        .legacy(
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
        )
        .await;
    assert_eq!(init.status(), 200);
    assert!(init.headers().get("mcp-session-id").is_none());
    // The "restarted" server has never seen this client.
    let listed = second.legacy("tools/list", json!({})).await;
    assert_eq!(listed.status(), 200);
    let body: Value = listed.json().await.unwrap();
    assert!(!body["result"]["tools"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn every_tool_declares_title_schemas_and_annotations() {
    let app = spawn_app(&[]).await;
    let listed = app.list_tools().await;
    let tools = listed["tools"].as_array().unwrap();
    assert!(listed["ttlMs"].as_u64().unwrap() > 0);
    for tool in tools {
        let name = tool["name"].as_str().unwrap();
        assert!(
            tool["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{name}: title"
        );
        assert!(
            tool["description"].as_str().unwrap().len() > 40,
            "{name}: description"
        );
        assert_eq!(tool["inputSchema"]["type"], "object", "{name}: inputSchema");
        assert_eq!(
            tool["outputSchema"]["type"], "object",
            "{name}: outputSchema"
        );
        assert_eq!(
            tool["annotations"]["readOnlyHint"], true,
            "{name}: readOnlyHint"
        );
        assert!(
            tool["annotations"]["openWorldHint"].is_boolean(),
            "{name}: openWorldHint"
        );
    }
}

/// Every `format` in `schema` (a property named `format` is not one), with its JSON path.
fn formats_in(schema: &Value, path: &str, found: &mut Vec<(String, String)>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                let here = format!("{path}/{key}");
                match (key.as_str(), value) {
                    ("format", Value::String(format)) => found.push((here, format.clone())),
                    _ => formats_in(value, &here, found),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                formats_in(item, &format!("{path}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_published_schema_uses_only_json_schema_2020_12_formats() {
    let app = spawn_app(&[]).await;
    for listed in app.list_tools_in_both_eras().await {
        let mut found = Vec::new();
        let tools = listed["tools"].as_array().unwrap();
        assert!(tools.len() > 20, "{listed}");
        for tool in tools {
            let name = tool["name"].as_str().unwrap();
            for key in ["inputSchema", "outputSchema"] {
                formats_in(&tool[key], &format!("{name}/{key}"), &mut found);
            }
        }
        let invented: Vec<_> = found
            .iter()
            .filter(|(_, format)| {
                !real_estate_mcp::mcp::STANDARD_FORMATS.contains(&format.as_str())
            })
            .collect();
        assert!(invented.is_empty(), "non-standard formats: {invented:?}");
        // Counts keep their meaning as ranges: `rows_returned` of a transaction tool.
        let trades = tools
            .iter()
            .find(|t| t["name"] == "get_apartment_trades")
            .unwrap();
        let count = &trades["outputSchema"]["properties"]["rows_returned"];
        assert_eq!(count["minimum"], 0, "{count}");
        assert_eq!(count["maximum"], u32::MAX, "{count}");
    }
}

#[tokio::test]
async fn bad_arguments_become_tool_errors_not_protocol_errors() {
    let app = spawn_app(&[]).await;
    let wrong_type = app
        .call_tool(
            "calculate_loan_payment",
            json!({"principal_manwon": "lots", "annual_rate_percent": 4, "term_months": 12}),
        )
        .await;
    assert_eq!(wrong_type["isError"], true);
    let text = wrong_type["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("calculate_loan_payment"), "{text}");

    let out_of_range = app
        .call_tool(
            "calculate_loan_payment",
            json!({"principal_manwon": -5, "annual_rate_percent": 4, "term_months": 12}),
        )
        .await;
    assert_eq!(out_of_range["isError"], true);
    assert!(
        out_of_range["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("principal_manwon")
    );

    let missing = app.call_tool("calculate_compound_growth", json!({})).await;
    assert_eq!(missing["isError"], true);
}

#[tokio::test]
async fn an_unknown_tool_is_a_protocol_error() {
    let app = spawn_app(&[]).await;
    let response = app
        .modern(
            "tools/call",
            Some("no_such_tool"),
            json!({"name": "no_such_tool", "arguments": {}}),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32602);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no_such_tool")
    );
}

#[tokio::test]
async fn get_and_delete_are_405_with_a_json_rpc_body() {
    let app = spawn_app(&[]).await;
    for method in [
        reqwest::Method::GET,
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
    ] {
        let response = app
            .http
            .request(method.clone(), app.mcp_url())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "POST");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["jsonrpc"], "2.0");
    }
}

#[tokio::test]
async fn malformed_json_is_400_parse_error() {
    let app = spawn_app(&[]).await;
    let response = app
        .post_raw(
            &[("Content-Type", "application/json")],
            "{\"jsonrpc\": \"2.0\", ",
        )
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32700);
}

#[tokio::test]
async fn an_unknown_version_header_gets_32022_with_the_supported_list() {
    let app = spawn_app(&[]).await;
    let response = app
        .post_raw(
            &[
                ("Content-Type", "application/json"),
                ("MCP-Protocol-Version", "2030-01-01"),
            ],
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32022);
    assert!(
        body["error"]["data"]["supported"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-07-28"))
    );
}

#[tokio::test]
async fn a_modern_request_whose_headers_disagree_with_its_body_is_400() {
    let app = spawn_app(&[]).await;
    let response = app
        .post_raw(
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json, text/event-stream"),
                ("MCP-Protocol-Version", "2026-07-28"),
                ("Mcp-Method", "tools/call"),
            ],
            serde_json::to_vec(
                &json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {}}}}),
            )
            .unwrap(),
        )
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32020);
}

#[tokio::test]
async fn a_notification_is_accepted_with_202() {
    let app = spawn_app(&[]).await;
    let response = app
        .post_raw(
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json, text/event-stream"),
                ("MCP-Protocol-Version", "2025-11-25"),
            ],
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), 202);
}

#[tokio::test]
async fn a_foreign_origin_or_host_is_refused() {
    let app = spawn_app(&[("public_base_url", "https://home.example.net")]).await;
    let foreign_origin = app
        .post_raw(
            &[
                ("Origin", "https://evil.example.com"),
                ("Content-Type", "application/json"),
            ],
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
                .unwrap(),
        )
        .await;
    assert_eq!(foreign_origin.status(), 403);
    let allowed = app
        .post_raw(
            &[
                ("Origin", "https://home.example.net"),
                ("Host", "home.example.net"),
                ("MCP-Protocol-Version", "2025-11-25"),
                ("Content-Type", "application/json"),
            ],
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
                .unwrap(),
        )
        .await;
    assert_eq!(allowed.status(), 200);
    let foreign_host = app
        .post_raw(
            &[
                ("Host", "rebound.example.com"),
                ("Content-Type", "application/json"),
            ],
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
                .unwrap(),
        )
        .await;
    assert_eq!(foreign_host.status(), 403);
    let body: Value = foreign_host.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PUBLIC_BASE_URL")
    );
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = spawn_app(&[]).await;
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let response = app
        .post_raw(&[("Content-Type", "application/json")], huge)
        .await;
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn healthz_answers_without_upstream_calls() {
    let app = spawn_app(&[("data_go_kr_base_url", "http://127.0.0.1:9")]).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/elsewhere").await.status(), 404);
}

/// `tools/list` goes to every client on every connect, and several put it in the model's
/// context: it must stay small (it was 300 KB before the output schemas were outlined).
const TOOLS_LIST_BUDGET_BYTES: usize = 64_000;

#[tokio::test]
async fn the_whole_tool_list_stays_within_its_budget_in_both_eras() {
    let app = spawn_app(&[]).await;
    let modern = app.modern("tools/list", None, json!({})).await;
    let legacy = app.legacy("tools/list", json!({})).await;
    for (era, response) in [("2026-07-28", modern), ("2025-11-25", legacy)] {
        assert_eq!(response.status(), 200, "{era}");
        let body = response.bytes().await.unwrap();
        assert!(
            body.len() < TOOLS_LIST_BUDGET_BYTES,
            "{era}: tools/list is {} bytes, over the {TOOLS_LIST_BUDGET_BYTES}-byte budget",
            body.len()
        );
        let parsed: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            parsed["result"]["tools"].as_array().unwrap().len(),
            INTERFACE.len(),
            "{era}: the list is complete"
        );
    }
}

/// The property names a schema declares, its `anyOf` branches included.
fn declared(schema: &Value) -> Vec<String> {
    let mut names: Vec<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for branch in schema["anyOf"].as_array().into_iter().flatten() {
        names.extend(declared(branch));
    }
    names.sort_unstable();
    names.dedup();
    names
}

#[tokio::test]
async fn tool_names_arguments_and_result_fields_never_change() {
    let app = spawn_app(&[]).await;
    let body: Value = app
        .modern("tools/list", None, json!({}))
        .await
        .json()
        .await
        .unwrap();
    let tools = body["result"]["tools"].as_array().unwrap();
    let listed: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    let expected: Vec<&str> = INTERFACE.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(listed, expected);
    for ((name, arguments, fields), tool) in INTERFACE.iter().zip(tools) {
        assert_eq!(
            declared(&tool["inputSchema"]).join(" "),
            *arguments,
            "{name}: arguments"
        );
        assert_eq!(
            declared(&tool["outputSchema"]).join(" "),
            *fields,
            "{name}: result fields"
        );
    }
}

/// Every tool with its argument names and its result's top-level fields: the interface
/// people's saved prompts and client code rely on. Changing a line here breaks them.
const INTERFACE: [(&str, &str, &str); 26] = [
    (
        "analyze_jeonse_ratio",
        "area_max area_min chart conversion_rate_pct dong exclude_outliers from_month include_wolse limit name_contains property_type region_code to_month",
        "area_basis excluded filters from_month groups groups_omitted lease_only_groups method notes property_type ratio region source thin_groups to_month trade_only_groups wolse_conversion",
    ),
    (
        "analyze_price_trend",
        "area_max area_min chart deal_type dong exclude_outliers from_month name_contains property_type region_code to_month",
        "area_basis change_basis excluded filters from_month measure months notes property_type range_change region source thin_month_threshold to_month whole_range",
    ),
    (
        "calculate_compound_growth",
        "annual_rate_percent compounding initial_amount_manwon monthly_contribution_manwon years",
        "compounding effective_annual_rate_percent final_value_manwon note total_contributed_manwon total_growth_manwon yearly",
    ),
    (
        "calculate_loan_payment",
        "annual_rate_percent grace_months method principal_manwon term_months",
        "annual_rate_percent average_monthly_payment_manwon first_month_payment_manwon first_payment_after_grace_manwon grace_months last_month_payment_manwon method method_label notes payment_is_constant principal_manwon schedule schedule_note term_months total_interest_manwon total_paid_manwon",
    ),
    (
        "calculate_monthly_cashflow",
        "cash_invested_manwon loan_payment_manwon maintenance_fee_manwon other_expenses other_income_manwon rent_income_manwon tax_manwon vacancy_rate_percent",
        "cash_on_cash_return_percent effective_income_monthly_manwon expense_ratio_percent expenses free_cash_flow_monthly_manwon free_cash_flow_yearly_manwon gross_income_monthly_manwon note total_expenses_monthly_manwon vacancy_loss_monthly_manwon",
    ),
    (
        "compare_regions",
        "area_max area_min chart deal_type dong exclude_outliers from_month name_contains property_type rank_by regions to_month",
        "area_basis excluded filters from_month measure notes property_type rank_by regions source thin_threshold to_month",
    ),
    (
        "get_apartment_rent",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_apartment_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_apartment_trades_detail",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_apt_subscription_competition",
        "house_manage_no notice_no",
        "application_end application_start house_manage_no house_name house_types notes notice_no region source status summary winners_announced",
    ),
    (
        "get_apt_subscription_detail",
        "house_manage_no notice_no",
        "house_types notes notice source totals",
    ),
    (
        "get_apt_subscription_info",
        "address_contains house_name_contains limit notice_date_from notice_date_to page region",
        "filters has_more notices page per_page source total_count",
    ),
    (
        "get_apt_subscription_results",
        "from_year_month kind limit page region residence to_year_month year_month",
        "filters has_more kind page per_page rows source title total_count",
    ),
    (
        "get_commercial_trade",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_complex_summary",
        "complex_name dong exclude_outliers from_month property_type recent_limit region_code to_month",
        "area_bands area_basis cancellations complex excluded from_month notes property_type recent_leases recent_trades record_highs region source to_month",
    ),
    (
        "get_current_year_month",
        "",
        "kst_datetime month note previous_year_month timezone year year_month",
    ),
    (
        "get_industrial_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_land_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_officetel_rent",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_officetel_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_presale_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_region_code",
        "query",
        "candidates date dong dong_code lawd_cd matched_by message name new note old_code old_name query reason source status suggestions",
    ),
    (
        "get_single_house_rent",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_single_house_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_villa_rent",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
    (
        "get_villa_trades",
        "area_max area_min dong limit name_contains region_code year_month",
        "area_basis filters kind notes property_type region rows rows_omitted rows_returned source summary year_month",
    ),
];

/// The JSON-RPC `result` of `method` in the given era.
async fn result_in(app: &TestApp, era: &str, method: &str, params: Value) -> Value {
    let response = match era {
        "2026-07-28" => {
            let name = params["name"].as_str().or(params["uri"].as_str());
            app.modern(method, name, params.clone()).await
        }
        _ => app.legacy(method, params).await,
    };
    assert_eq!(response.status(), 200, "{era} {method}");
    let body: Value = response.json().await.unwrap();
    body.get("result")
        .cloned()
        .unwrap_or_else(|| panic!("{era} {method}: {body}"))
}

const ERAS: [&str; 2] = ["2026-07-28", "2025-11-25"];

#[tokio::test]
async fn prompts_and_resources_are_declared_in_both_eras() {
    let app = spawn_app(&[]).await;
    let discovered = result_in(&app, "2026-07-28", "server/discover", json!({})).await;
    let initialized = result_in(
        &app,
        "2025-11-25",
        "initialize",
        json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
    )
    .await;
    for (era, result) in [("2026-07-28", discovered), ("2025-11-25", initialized)] {
        let capabilities = &result["capabilities"];
        for capability in ["tools", "prompts", "resources"] {
            assert!(
                capabilities[capability].is_object(),
                "{era}: {capability} missing from {capabilities}"
            );
        }
    }
}

#[tokio::test]
async fn prompts_list_and_get_in_both_eras() {
    let app = spawn_app(&[]).await;
    for era in ERAS {
        let listed = result_in(&app, era, "prompts/list", json!({})).await;
        let prompts = listed["prompts"].as_array().unwrap();
        let names: Vec<&str> = prompts
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "district_price_trend",
                "jeonse_ratio_check",
                "subscription_digest"
            ],
            "{era}"
        );
        for prompt in prompts {
            assert!(
                prompt["description"].as_str().unwrap().len() > 40,
                "{era}: {prompt}"
            );
            assert!(prompt["title"].is_string(), "{era}: {prompt}");
        }
        let trend = &prompts[0]["arguments"];
        let region = trend
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "region")
            .unwrap();
        assert_eq!(region["required"], true, "{era}");

        let got = result_in(
            &app,
            era,
            "prompts/get",
            json!({"name": "district_price_trend", "arguments": {"region": "마포구", "months": "6"}}),
        )
        .await;
        let message = &got["messages"][0];
        assert_eq!(message["role"], "user", "{era}");
        let text = message["content"]["text"].as_str().unwrap();
        assert!(text.contains("analyze_price_trend"), "{era}: {text}");
        assert!(text.contains("region_code \"11440\""), "{era}: {text}");

        let digest = result_in(
            &app,
            era,
            "prompts/get",
            json!({"name": "subscription_digest", "arguments": {}}),
        )
        .await;
        assert!(
            digest["messages"][0]["content"]["text"]
                .as_str()
                .unwrap()
                .contains("get_apt_subscription_info")
        );
    }
    let missing = app
        .legacy(
            "prompts/get",
            json!({"name": "district_price_trend", "arguments": {}}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(missing["error"]["code"], -32602, "{missing}");
    let unknown = app
        .legacy("prompts/get", json!({"name": "no_such_prompt"}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
}

#[tokio::test]
async fn the_district_table_is_listed_templated_and_read_in_both_eras() {
    let app = spawn_app(&[]).await;
    for era in ERAS {
        let listed = result_in(&app, era, "resources/list", json!({})).await;
        // The views (MCP Apps) are listed too; their test is tests/views.rs.
        let resources: Vec<&Value> = listed["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["uri"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("regions://"))
            })
            .collect();
        assert!(resources.len() > 10, "{era}: {listed}");
        for resource in &resources {
            assert!(resource["name"].is_string(), "{era}: {resource}");
            assert_eq!(resource["mimeType"], "text/csv", "{era}: {resource}");
            assert!(
                resource["size"].as_u64().unwrap() < 16_000,
                "{era}: {resource}"
            );
        }
        let uris: Vec<&str> = resources
            .iter()
            .map(|r| r["uri"].as_str().unwrap())
            .collect();
        assert!(uris.contains(&"regions://districts"), "{era}: {uris:?}");
        assert!(uris.contains(&"regions://districts/11"), "{era}: {uris:?}");

        let templates = result_in(&app, era, "resources/templates/list", json!({})).await;
        let templates: Vec<&str> = templates["resourceTemplates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["uriTemplate"].as_str().unwrap())
            .collect();
        assert_eq!(
            templates,
            ["regions://districts/{sido}", "regions://dongs/{lawd_cd}"],
            "{era}"
        );

        for (uri, expected) in [
            ("regions://districts", "11440,서울특별시 마포구"),
            // A URI carries 서울 percent-encoded (RFC 3986).
            (
                "regions://districts/%EC%84%9C%EC%9A%B8",
                "11440,서울특별시 마포구",
            ),
            ("regions://dongs/11440", "공덕동"),
        ] {
            let read = result_in(&app, era, "resources/read", json!({"uri": uri})).await;
            let contents = &read["contents"][0];
            assert_eq!(contents["uri"], uri, "{era}");
            assert_eq!(contents["mimeType"], "text/csv", "{era}");
            let text = contents["text"].as_str().unwrap();
            assert!(text.contains(expected), "{era} {uri}: {text}");
        }
    }
    let missing = app
        .legacy("resources/read", json!({"uri": "regions://dongs/99999"}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("regions://districts"),
        "{missing}"
    );
}
