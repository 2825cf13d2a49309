//! Spawning the real application on a free loopback port, and the requests the tests send it.

use real_estate_mcp::{config, startup::Application};
use serde_json::{Value, json};

/// A running server and an HTTP client pointed at it.
pub(crate) struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
}

/// Starts the server with `overrides` (lower-case variable names) on 127.0.0.1:0. Answers
/// are cached in memory unless the overrides say `cache_store=disk` (with a `cache_dir`),
/// so that no test reads another's cache.
pub(crate) async fn spawn_app(overrides: &[(&str, &str)]) -> TestApp {
    let mut builder = ::config::Config::builder()
        .set_override("listen_addr", "127.0.0.1:0")
        .unwrap()
        .set_override("cache_store", "memory")
        .unwrap();
    for (key, value) in overrides {
        builder = builder.set_override(*key, *value).unwrap();
    }
    let sources = builder.build().unwrap();
    let app = Application::build(config::from_sources(&sources).unwrap())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        http: reqwest::Client::new(),
    }
}

impl TestApp {
    /// The URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The MCP endpoint URL.
    pub(crate) fn mcp_url(&self) -> String {
        self.url("/mcp")
    }

    /// GETs `path` with the shared client.
    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// The value of metric `name` with exactly `labels` (in any order) on this server's
    /// `/metrics` page, read as `real-estate-mcp status` reads it; `None` when absent.
    pub(crate) async fn metric(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let page = self.get("/metrics").await.text().await.unwrap();
        real_estate_mcp::status::parse(&page)
            .into_iter()
            .find(|sample| {
                sample.name == name
                    && sample.labels.len() == labels.len()
                    && labels.iter().all(|(k, v)| sample.label(k) == Some(*v))
            })
            .map(|sample| sample.value)
    }

    /// The `result` of `tools/list` in the 2026-07-28 revision.
    pub(crate) async fn list_tools(&self) -> Value {
        let response = self.modern("tools/list", None, json!({})).await;
        result_of(response, "tools/list").await
    }

    /// The `result` of `tools/list` in both revisions, 2026-07-28 first, then 2025-11-25.
    pub(crate) async fn list_tools_in_both_eras(&self) -> [Value; 2] {
        let legacy = self.legacy("tools/list", json!({})).await;
        [
            self.list_tools().await,
            result_of(legacy, "tools/list (2025-11-25)").await,
        ]
    }

    /// POSTs `body` to `/mcp` with exactly `headers`, for edge cases no client would send.
    pub(crate) async fn post_raw(
        &self,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        let mut request = self.http.post(self.mcp_url()).body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// POSTs a JSON-RPC body speaking the 2026-07-28 revision (headers and `_meta`).
    pub(crate) async fn modern(
        &self,
        method: &str,
        name: Option<&str>,
        params: Value,
    ) -> reqwest::Response {
        let mut params = params;
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        });
        let mut request = self
            .http
            .post(self.mcp_url())
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2026-07-28")
            .header("Mcp-Method", method)
            .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}));
        if let Some(name) = name {
            request = request.header("Mcp-Name", name);
        }
        request.send().await.unwrap()
    }

    /// POSTs a JSON-RPC body speaking the 2025-11-25 revision (no session).
    pub(crate) async fn legacy(&self, method: &str, params: Value) -> reqwest::Response {
        self.http
            .post(self.mcp_url())
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2025-11-25")
            .json(&json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}))
            .send()
            .await
            .unwrap()
    }

    /// Calls a tool over the modern revision and returns the JSON-RPC `result`.
    pub(crate) async fn call_tool(&self, name: &str, arguments: Value) -> Value {
        let response = self
            .modern(
                "tools/call",
                Some(name),
                json!({"name": name, "arguments": arguments}),
            )
            .await;
        result_of(response, &format!("tools/call {name}")).await
    }
}

/// The JSON-RPC `result` of a successful answer to `what`.
async fn result_of(response: reqwest::Response, what: &str) -> Value {
    assert_eq!(response.status(), 200, "{what}");
    let body: Value = response.json().await.unwrap();
    body.get("result")
        .cloned()
        .unwrap_or_else(|| panic!("{what}: no result: {body}"))
}
