//! MCP requests as clients put them on the wire, in both protocol revisions: 2026-07-28
//! (`server/discover`, no initialization, version in every request) and 2025-11-25
//! (`initialize` first). Plain JSON over HTTP, so the tests see every status and header.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

/// The current revision.
pub(crate) const MODERN: &str = "2026-07-28";
/// The previous revision, still spoken by many clients.
pub(crate) const LEGACY: &str = "2025-11-25";

/// An HTTP client that, like MCP clients, follows no redirects.
pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}

/// One MCP client: an endpoint, an optional bearer token and any extra headers (e.g. forged
/// identity headers).
#[derive(Debug, Clone)]
pub(crate) struct McpClient {
    url: String,
    token: Option<String>,
    extra: Vec<(String, String)>,
}

impl McpClient {
    /// A client for `url` without a token.
    pub(crate) fn new(url: impl Into<String>) -> McpClient {
        McpClient {
            url: url.into(),
            token: None,
            extra: Vec::new(),
        }
    }

    /// The same client presenting `token`.
    pub(crate) fn with_token(mut self, token: &str) -> McpClient {
        self.token = Some(token.to_owned());
        self
    }

    /// The same client adding a header to every request.
    pub(crate) fn with_header(mut self, name: &str, value: &str) -> McpClient {
        self.extra.push((name.to_owned(), value.to_owned()));
        self
    }

    fn headers(&self, version: Option<&str>) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(
            "Accept",
            HeaderValue::from_static("application/json, text/event-stream"),
        );
        if let Some(version) = version.and_then(|v| HeaderValue::from_str(v).ok()) {
            map.insert("MCP-Protocol-Version", version);
        }
        if let Some(token) = &self.token
            && let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}"))
        {
            map.insert("Authorization", value);
        }
        for (name, value) in &self.extra {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                map.append(name, value);
            }
        }
        map
    }

    /// A 2026-07-28 request: `Mcp-Method` (and `Mcp-Name` for a tool) headers and the
    /// revision in `_meta`.
    pub(crate) async fn modern(
        &self,
        method: &str,
        name: Option<&str>,
        params: Value,
    ) -> reqwest::Result<reqwest::Response> {
        let mut params = params;
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientCapabilities": {},
        });
        let mut headers = self.headers(Some(MODERN));
        if let Ok(value) = HeaderValue::from_str(method) {
            headers.insert("Mcp-Method", value);
        }
        if let Some(value) = name.and_then(|n| HeaderValue::from_str(n).ok()) {
            headers.insert("Mcp-Name", value);
        }
        http()
            .post(&self.url)
            .headers(headers)
            .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
            .send()
            .await
    }

    /// `server/discover`.
    pub(crate) async fn discover(&self) -> reqwest::Result<reqwest::Response> {
        self.modern("server/discover", None, json!({})).await
    }

    /// `tools/call` in the current revision.
    pub(crate) async fn call_tool(
        &self,
        name: &str,
        arguments: Value,
    ) -> reqwest::Result<reqwest::Response> {
        self.modern(
            "tools/call",
            Some(name),
            json!({"name": name, "arguments": arguments}),
        )
        .await
    }

    /// A 2025-11-25 notification (no `id`, so no answer but 202).
    pub(crate) async fn notify(
        &self,
        version: &str,
        method: &str,
    ) -> reqwest::Result<reqwest::Response> {
        http()
            .post(&self.url)
            .headers(self.headers(Some(version)))
            .json(&json!({"jsonrpc": "2.0", "method": method}))
            .send()
            .await
    }

    /// A 2025-11-25 request; `version` is the `MCP-Protocol-Version` header (none on
    /// `initialize`, which negotiates it).
    pub(crate) async fn legacy(
        &self,
        version: Option<&str>,
        method: &str,
        params: Value,
    ) -> reqwest::Result<reqwest::Response> {
        http()
            .post(&self.url)
            .headers(self.headers(version))
            .json(&json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}))
            .send()
            .await
    }
}

/// The server's name and version as `server/discover` reports them (in `_meta`, where the
/// 2026-07-28 revision moved them) or `initialize` (in `serverInfo`).
pub(crate) fn server_info(result: &Value) -> &Value {
    match result.get("serverInfo") {
        Some(info) => info,
        None => &result["_meta"]["io.modelcontextprotocol/serverInfo"],
    }
}

/// A loan calculation whose answer is known: 3억 원 (30,000만 원) over 30 years at 4 %.
pub(crate) fn loan_arguments() -> Value {
    json!({"principal_manwon": 30000, "annual_rate_percent": 4, "term_months": 360})
}

/// The first month's payment of [`loan_arguments`], in 만원.
pub(crate) const LOAN_FIRST_PAYMENT: f64 = 143.22;
