//! The MCP endpoint over HTTP: both protocol eras, statelessly, and every edge refusal.

use rmcp::{
    ClientLifecycleMode, ClientServiceExt, ServiceExt,
    model::{CallToolRequestParams, ProtocolVersion},
    transport::StreamableHttpClientTransport,
};
use serde_json::{Value, json};

use crate::helpers::app::spawn_app;
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
    let modern: Value = app
        .modern("tools/list", None, json!({}))
        .await
        .json()
        .await
        .unwrap();
    let legacy: Value = app
        .legacy("tools/list", json!({}))
        .await
        .json()
        .await
        .unwrap();
    for body in [modern, legacy] {
        let mut found = Vec::new();
        let tools = body["result"]["tools"].as_array().unwrap();
        assert!(tools.len() > 20, "{body}");
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
