//! The MCP Apps views (`apps/`): the tool results they are tested with are what the service
//! really answers, the committed HTML is what the sources build to, within its size budget,
//! and each view renders those results in a real browser inside a host page built on the
//! extension's own host-side bridge.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::support::browser;
use crate::support::interop;
use crate::support::mcp::{LEGACY, McpClient};
use crate::support::scratch::Scratch;
use crate::support::stack::{Stack, StackSetup, open_env};
use real_estate_mcp::mcp::VIEW_MIME_TYPE;
use serde_json::{Value, json};
use testkit::molit::{Item, Kind, MolitStandIn, generate, with_commas};
use testkit::odcloud::{OdcloudStandIn, TEST_KEY};
use testkit::repo;

/// One recorded tool call: the file under `apps/testdata/`, the tool and its arguments.
struct Recording {
    /// Also the browser test's case name and the screenshots' name when `shot` is set.
    name: &'static str,
    shot: bool,
    file: &'static str,
    tool: &'static str,
    arguments: fn() -> Value,
}

/// The calls whose results the views are tested with (and the screenshots in docs/img show).
const RECORDINGS: [Recording; 7] = [
    Recording {
        name: "price-trend",
        shot: true,
        file: "price-trend.json",
        tool: "analyze_price_trend",
        arguments: || json!({"region_code": "강남구", "from_month": "202401", "to_month": "202412"}),
    },
    Recording {
        name: "region-comparison",
        shot: true,
        file: "compare-regions.json",
        tool: "compare_regions",
        arguments: || {
            json!({"regions": ["강남구", "서초구", "마포구", "용산구", "성동구"],
                   "from_month": "202410", "to_month": "202412"})
        },
    },
    Recording {
        name: "deals",
        shot: true,
        file: "apartment-trades.json",
        tool: "get_apartment_trades",
        arguments: || json!({"region_code": "강남구", "year_month": "202406", "limit": 100}),
    },
    Recording {
        name: "deals-rent",
        shot: false,
        file: "apartment-rent.json",
        tool: "get_apartment_rent",
        arguments: || json!({"region_code": "11680", "year_month": "202406", "limit": 60}),
    },
    Recording {
        name: "deals-land",
        shot: false,
        file: "land-trades.json",
        tool: "get_land_trades",
        arguments: || json!({"region_code": "강남구", "year_month": "202406"}),
    },
    Recording {
        name: "subscription",
        shot: true,
        file: "subscription-detail.json",
        tool: "get_apt_subscription_detail",
        arguments: || json!({"house_manage_no": "2025000301"}),
    },
    Recording {
        name: "subscription-list",
        shot: false,
        file: "subscription-info.json",
        tool: "get_apt_subscription_info",
        arguments: || json!({"region": "서울", "notice_date_from": "2025-01-01"}),
    },
];

fn testdata() -> PathBuf {
    repo::root().join("apps/testdata")
}

/// `count` generated deals of `kind` with every sale price scaled by `factor`.
fn scaled(kind: Kind, lawd_cd: &str, month: &str, count: u32, factor: f64) -> Vec<Item> {
    generate(kind, lawd_cd, month, count)
        .into_iter()
        .map(|item| match item.get("dealAmount") {
            Some(amount) => {
                let manwon: f64 = amount.replace(',', "").trim().parse().unwrap_or(0.0);
                item.set("dealAmount", with_commas((manwon * factor) as u64))
            }
            None => item,
        })
        .collect()
}

/// The market the recordings come from: 강남구 apartments through 2024, prices drifting up
/// about 1 % a month with a thin March; four more districts at other price levels over the
/// last quarter (용산구 thin); June's leases and land sales.
fn market(molit: &MolitStandIn) {
    let gangnam = [46, 41, 3, 52, 48, 57, 61, 55, 50, 44, 39, 35];
    for (i, count) in (0u32..).zip(gangnam) {
        let month = format!("2024{:02}", i + 1);
        let mut items = scaled(
            Kind::AptTrade,
            "11680",
            &month,
            count,
            1.0 + 0.012 * f64::from(i),
        );
        if month == "202406" {
            // A land-lease flat (토지임대부): sold without its land, far below market.
            items.push(
                Item::generated(Kind::AptTrade, "11680", &month, 90)
                    .price(31_000)
                    .set("landLeaseholdGbn", "Y"),
            );
        }
        molit.put_month(Kind::AptTrade, "11680", &month, items);
    }
    let others = [
        ("11650", 0.93, [14, 12, 13]),
        ("11440", 0.66, [17, 15, 12]),
        ("11170", 0.88, [2, 1, 1]),
        ("11200", 0.74, [10, 9, 11]),
    ];
    for (lawd_cd, level, counts) in others {
        for (month, count) in ["202410", "202411", "202412"].into_iter().zip(counts) {
            let items = scaled(Kind::AptTrade, lawd_cd, month, count, level);
            molit.put_month(Kind::AptTrade, lawd_cd, month, items);
        }
    }
    molit.put_generated(Kind::AptRent, "11680", "202406", 80);
    molit.put_generated(Kind::LandTrade, "11680", "202406", 24);
}

/// What differs between two runs of the same call: when it was fetched and when the daily
/// budget resets. Replaced by a fixed text, in `structuredContent` and in the JSON text copy.
fn stable(mut value: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    if matches!(key.as_str(), "fetched_at" | "resets_at") {
                        *item = json!("(varies)");
                    } else {
                        walk(item);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    if let Some(blocks) = value["content"].as_array_mut() {
        for block in blocks {
            let Some(text) = block["text"].as_str() else {
                continue;
            };
            if let Ok(mut copy) = serde_json::from_str::<Value>(text) {
                walk(&mut copy);
                block["text"] = json!(copy.to_string());
            }
        }
    }
    value
}

async fn call(client: &McpClient, tool: &str, arguments: Value) -> Value {
    let response = client.call_tool(tool, arguments).await.unwrap();
    assert_eq!(response.status(), 200, "tools/call {tool}");
    let body: Value = response.json().await.unwrap();
    let result = body["result"].clone();
    assert!(result.is_object(), "{tool}: {body}");
    assert_ne!(result["isError"], true, "{tool}: {result}");
    result
}

#[tokio::test]
async fn the_recorded_tool_results_are_what_the_service_answers() {
    let molit = MolitStandIn::start(TEST_KEY).await.unwrap();
    market(&molit);
    let odcloud = OdcloudStandIn::start().await.unwrap();
    let mut env = open_env();
    env.extend(
        [
            ("DATA_GO_KR_BASE_URL", molit.base_url().to_owned()),
            ("ODCLOUD_BASE_URL", odcloud.base_url()),
            ("DATA_GO_KR_API_KEY", TEST_KEY.to_owned()),
        ]
        .map(|(k, v)| (k.to_owned(), v)),
    );
    let stack = Stack::start(&StackSetup::new("none", env)).await.unwrap();
    let client = McpClient::new(stack.mcp_url());
    // RECORD_VIEW_RESULTS=1 writes the files afresh (after a deliberate change of a result).
    let record = std::env::var_os("RECORD_VIEW_RESULTS").is_some();
    let mut stale = Vec::new();
    for recording in &RECORDINGS {
        let arguments = (recording.arguments)();
        let result = stable(call(&client, recording.tool, arguments.clone()).await);
        let fresh = json!({"tool": recording.tool, "arguments": arguments, "result": result});
        let path = testdata().join(recording.file);
        if record {
            let text = serde_json::to_string_pretty(&fresh).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
            continue;
        }
        let committed: Value = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null);
        if committed != fresh {
            stale.push(recording.file);
        }
    }
    assert!(
        stale.is_empty(),
        "the service now answers differently from apps/testdata/{stale:?}: if the change is \
         meant, record them again with RECORD_VIEW_RESULTS=1 cargo nextest run -p e2e -E \
         'test(recorded_tool_results)', check the views still read every figure (the browser \
         test), and commit the files"
    );
}

/// The view each tool's result is drawn by, by the tool's name: the 13 transaction tools
/// (`get_*_trades`, `_trade`, `_rent`, `_trades_detail`) share one.
fn expected_view(tool: &str) -> Option<&'static str> {
    match tool {
        "analyze_price_trend" => Some("ui://real-estate-mcp/price-trend"),
        "compare_regions" => Some("ui://real-estate-mcp/region-comparison"),
        "get_apt_subscription_detail" | "get_apt_subscription_info" => {
            Some("ui://real-estate-mcp/subscription")
        }
        name if name.starts_with("get_")
            && ["_trades", "_trade", "_rent", "_trades_detail"]
                .iter()
                .any(|end| name.ends_with(end)) =>
        {
            Some("ui://real-estate-mcp/deals")
        }
        _ => None,
    }
}

/// The JSON-RPC `result` of a response, failing with the body when there is none.
async fn result_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body.get("result")
        .cloned()
        .unwrap_or_else(|| panic!("no result: {body}"))
}

/// `method` in the era named: `modern` (2026-07-28) or the 2025-11-25 one.
async fn ask(client: &McpClient, modern: bool, method: &str, params: Value) -> reqwest::Response {
    if modern {
        let name = params["uri"].as_str().map(str::to_owned);
        client
            .modern(method, name.as_deref(), params)
            .await
            .unwrap()
    } else {
        client.legacy(Some(LEGACY), method, params).await.unwrap()
    }
}

/// What `tools/list` links: tool name → view URI.
async fn linked_tools(client: &McpClient) -> BTreeMap<String, Option<String>> {
    let listed = result_of(client.modern("tools/list", None, json!({})).await.unwrap()).await;
    listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| {
            let uri = tool["_meta"]["ui"]["resourceUri"]
                .as_str()
                .map(str::to_owned);
            (tool["name"].as_str().unwrap().to_owned(), uri)
        })
        .collect()
}

#[tokio::test]
async fn the_views_are_listed_and_readable_in_both_protocol_eras() {
    let stack = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    let client = McpClient::new(stack.mcp_url());
    let discovered = result_of(client.discover().await.unwrap()).await;
    assert!(
        discovered["capabilities"]["resources"].is_object(),
        "{discovered}"
    );
    let initialize = json!({"protocolVersion": LEGACY, "capabilities": {},
                            "clientInfo": {"name": "views-test", "version": "1"}});
    let initialized = result_of(client.legacy(None, "initialize", initialize).await.unwrap()).await;
    assert!(
        initialized["capabilities"]["resources"].is_object(),
        "{initialized}"
    );

    let views = repo::root().join("service/assets/views");
    for modern in [true, false] {
        let listed = result_of(ask(&client, modern, "resources/list", json!({})).await).await;
        // The district table (regions://) is listed beside the views.
        let resources: Vec<&Value> = listed["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["uri"].as_str().is_some_and(|u| u.starts_with("ui://")))
            .collect();
        let uris: Vec<&str> = resources.iter().filter_map(|r| r["uri"].as_str()).collect();
        assert_eq!(
            uris,
            [
                "ui://real-estate-mcp/price-trend",
                "ui://real-estate-mcp/region-comparison",
                "ui://real-estate-mcp/deals",
                "ui://real-estate-mcp/subscription",
            ],
            "modern: {modern}"
        );
        for resource in &resources {
            let uri = resource["uri"].as_str().unwrap();
            assert_eq!(resource["mimeType"], VIEW_MIME_TYPE, "{uri}");
            assert!(
                resource["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{uri}"
            );
            let read =
                result_of(ask(&client, modern, "resources/read", json!({"uri": uri})).await).await;
            let contents = read["contents"].as_array().unwrap();
            assert_eq!(contents.len(), 1, "{uri}");
            let content = &contents[0];
            assert_eq!(content["uri"], uri);
            assert_eq!(content["mimeType"], VIEW_MIME_TYPE, "{uri}");
            let file = views.join(format!("{}.html", resource["name"].as_str().unwrap()));
            assert_eq!(
                content["text"].as_str().unwrap(),
                std::fs::read_to_string(&file).unwrap(),
                "{uri} is not {}",
                file.display()
            );
            let csp = &content["_meta"]["ui"]["csp"];
            for list in ["connectDomains", "resourceDomains", "frameDomains"] {
                assert_eq!(csp[list], json!([]), "{uri}: {list}");
            }
        }
        let missing = ask(
            &client,
            modern,
            "resources/read",
            json!({"uri": "ui://real-estate-mcp/x"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
        // 2026-07-28 reports an unknown resource as invalid params; older revisions as -32002.
        let code = if modern { -32602 } else { -32002 };
        assert_eq!(missing["error"]["code"], code, "{missing}");
    }

    let links = linked_tools(&client).await;
    for (tool, uri) in &links {
        assert_eq!(uri.as_deref(), expected_view(tool), "{tool}");
    }
    let linked = links.values().filter(|uri| uri.is_some()).count();
    assert_eq!(
        linked, 17,
        "13 transaction tools, 2 analytics, 2 subscription: {links:?}"
    );
    // What the links add to every tools/list (issue 10's budget): each tool's `_meta`.
    let listed = result_of(client.modern("tools/list", None, json!({})).await.unwrap()).await;
    let added: usize = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|tool| tool.get("_meta"))
        .map(|meta| format!(",\"_meta\":{meta}").len())
        .sum();
    println!(
        "tools/list: {} bytes, of which _meta.ui links {added}",
        listed.to_string().len()
    );
    assert!(
        added <= 1_600,
        "the view links add {added} bytes to tools/list"
    );
}

#[tokio::test]
async fn the_committed_views_are_what_their_sources_build_to_within_budget() {
    let mut command = interop::command(interop::node().unwrap());
    command
        .current_dir(repo::root().join("apps"))
        .args(["build.mjs", "--check"]);
    let (stdout, _) = interop::run(command, Duration::from_secs(120))
        .await
        .unwrap();
    println!("{stdout}");
    assert!(
        stdout.contains("4 views: identical to service/assets/views, within budget"),
        "{stdout}"
    );
}

#[tokio::test]
async fn the_views_render_recorded_results_in_a_real_browser() {
    let stack = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    let client = McpClient::new(stack.mcp_url());
    let scratch = Scratch::new("views").unwrap();
    let host = scratch.path().join("host");
    let mut build = interop::command(interop::node().unwrap());
    build
        .current_dir(repo::root().join("apps"))
        .arg("build.mjs")
        .arg("--host")
        .arg(&host);
    interop::run(build, Duration::from_secs(120)).await.unwrap();

    // As a host does it: the tool's _meta.ui.resourceUri, then resources/read of that view.
    let links = linked_tools(&client).await;
    let mut cases = Vec::new();
    for recording in &RECORDINGS {
        let uri = links[recording.tool].clone().unwrap();
        let read = result_of(
            client
                .modern("resources/read", Some(&uri), json!({"uri": uri}))
                .await
                .unwrap(),
        )
        .await;
        let content = &read["contents"][0];
        cases.push(json!({
            "name": recording.name,
            "view": uri.trim_start_matches("ui://real-estate-mcp/"),
            "html": content["text"],
            "csp": content["_meta"]["ui"]["csp"],
            "recording": testdata().join(recording.file),
            "shot": recording.shot,
        }));
    }
    // VIEW_SCREENSHOTS=docs/img keeps the pictures docs/tools.md shows.
    let shots = std::env::var_os("VIEW_SCREENSHOTS").map(PathBuf::from);
    let plan = json!({"host": host, "shots": shots, "cases": cases});
    let plan_file = scratch.path().join("plan.json");
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    let report = browser::check("views.py", [&plan_file]).await;
    assert!(
        report.contains("7 views checked in light and dark, 0 problems"),
        "{report}"
    );
    // Drawing a view costs nothing: no tool call reached the service.
    assert!(
        stack.service.tool_calls().is_empty(),
        "{}",
        stack.service.log()
    );
}
