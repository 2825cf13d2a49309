//! A cached `tools/call` over loopback HTTP, straight to the service (no Caddy): the cost a
//! client pays for a question the server has answered before. Target: well under 1 ms.
//! `tools/list` is measured beside it as the floor of an MCP round trip, and `resources/list`
//! (the district lists with their sizes) beside that.

use criterion::{Criterion, criterion_group, criterion_main};
use real_estate_mcp::{config, startup::Application};
use serde_json::{Value, json};
use testkit::molit::{Kind, MolitStandIn};

const KEY: &str = "benchKey0123456789";

/// One stateless 2026-07-28 request, serialised once so the loop measures the server.
struct Request {
    method: &'static str,
    tool: Option<&'static str>,
    body: bytes::Bytes,
}

impl Request {
    fn new(method: &'static str, tool: Option<&'static str>, params: Value) -> Self {
        let mut params = params;
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        });
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        Self {
            method,
            tool,
            body: body.to_string().into(),
        }
    }

    async fn send(&self, http: &reqwest::Client, url: &str) -> bytes::Bytes {
        let mut builder = http
            .post(url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2026-07-28")
            .header("Mcp-Method", self.method);
        if let Some(tool) = self.tool {
            builder = builder.header("Mcp-Name", tool);
        }
        let response = builder.body(self.body.clone()).send().await.expect("sent");
        assert_eq!(response.status(), 200, "{}", self.method);
        response.bytes().await.expect("a body")
    }
}

async fn start(stand_in: &MolitStandIn) -> String {
    let sources = ::config::Config::builder()
        .set_override("listen_addr", "127.0.0.1:0")
        .and_then(|b| b.set_override("data_go_kr_base_url", stand_in.base_url()))
        .and_then(|b| b.set_override("data_go_kr_api_key", KEY))
        .and_then(|b| b.set_override("tool_calls_per_minute", "0"))
        .and_then(|b| b.build())
        .expect("settings");
    let app = Application::build(config::from_sources(&sources).expect("config"))
        .await
        .expect("the service starts");
    let url = format!("http://127.0.0.1:{}/mcp", app.port());
    tokio::spawn(app.run_until_stopped());
    url
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let http = reqwest::Client::new();
    let (_stand_in, url) = runtime.block_on(async {
        let stand_in = MolitStandIn::start(KEY).await.expect("stand-in");
        stand_in.put_generated(Kind::AptTrade, "11680", "202503", 2_350);
        let url = start(&stand_in).await;
        (stand_in, url)
    });
    let list = Request::new("tools/list", None, json!({}));
    let resources = Request::new("resources/list", None, json!({}));
    let call = Request::new(
        "tools/call",
        Some("get_apartment_trades"),
        json!({
            "name": "get_apartment_trades",
            "arguments": {"region_code": "11680", "year_month": "202503"},
        }),
    );
    let result = |body: bytes::Bytes| -> Value {
        let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
        answer["result"]["structuredContent"].clone()
    };
    let live = result(runtime.block_on(call.send(&http, &url)));
    assert_eq!(live["summary"]["deals_in_month"], 2_350, "{live}");
    let cached = result(runtime.block_on(call.send(&http, &url)));
    assert_eq!(
        cached["source"]["cached"], true,
        "the measured call must be a cache hit: {cached}"
    );

    let mut group = c.benchmark_group("mcp_http");
    group.bench_function("tools_list", |b| {
        b.to_async(&runtime).iter(|| list.send(&http, &url))
    });
    group.bench_function("resources_list", |b| {
        b.to_async(&runtime).iter(|| resources.send(&http, &url))
    });
    group.bench_function("tools_call_cached_apartment_trades", |b| {
        b.to_async(&runtime).iter(|| call.send(&http, &url))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
