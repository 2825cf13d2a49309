//! Hostile and broken input at the HTTP edge: oversized and endless bodies, JSON nested far
//! beyond any real request, very long or many headers, bytes that are not UTF-8, and huge
//! argument strings. Each must get a clean 4xx or a tool error, quickly, and leave the
//! process serving.

use std::time::Duration;

use serde_json::{Value, json};
use testkit::oidc::tokens::segment;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::app::{TestApp, spawn_app};

/// Longer than any clean refusal takes, short enough that a hang fails the test quickly.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

async fn app() -> TestApp {
    spawn_app(&[("tool_calls_per_minute", "0")]).await
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Sends `head` and then `body` in pieces over a raw connection, stopping early when the
/// server answers or hangs up, and returns the status code of its answer (0: none).
async fn raw_exchange(app: &TestApp, head: &[u8], body: &[u8]) -> u16 {
    let exchange = async {
        let mut socket = TcpStream::connect(addr(app)).await.unwrap();
        socket.write_all(head).await.unwrap();
        for piece in body.chunks(64 * 1024) {
            if socket.write_all(piece).await.is_err() {
                break;
            }
        }
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
        let text = String::from_utf8_lossy(&answer);
        text.split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0)
    };
    tokio::time::timeout(ANSWER_WITHIN, exchange)
        .await
        .expect("the server neither answered nor hung up in time")
}

/// The head of a POST to `/mcp` with `extra` header lines (each ending in CRLF).
fn post_head(extra: &[u8]) -> Vec<u8> {
    let mut head = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
        Accept: application/json, text/event-stream\r\n"
        .to_vec();
    head.extend_from_slice(extra);
    head.extend_from_slice(b"\r\n");
    head
}

async fn post(app: &TestApp, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = app
        .http
        .post(app.mcp_url())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2025-11-25")
        .timeout(ANSWER_WITHIN)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn call(tool: &str, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
           "params": {"name": tool, "arguments": arguments}})
}

async fn assert_healthy(app: &TestApp) {
    // A fresh client: the shared one may hold a connection the server closed after refusing
    // a request, and reusing it would report the client's problem as the server's.
    let health = reqwest::Client::new()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let (status, body) = post(app, call("get_current_year_month", json!({})).to_string()).await;
    assert_eq!(status, 200, "{body}");
}

fn rpc_code(body: &Value) -> i64 {
    body["error"]["code"].as_i64().unwrap_or_default()
}

/// The text of a tool error, or a panic naming what came back instead.
fn tool_error(status: u16, body: &Value) -> String {
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["isError"], true, "{body}");
    body["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn bodies_past_the_limit_are_refused_however_they_arrive() {
    let app = app().await;
    let mut chunked = Vec::new();
    for _ in 0..64 {
        chunked.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
        chunked.extend_from_slice(&[b' '; 64 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    let endless = post_head(b"Transfer-Encoding: chunked\r\n");
    assert_eq!(raw_exchange(&app, &endless, &chunked).await, 413);
    // Announced, never sent: refused from the headers alone instead of waiting for it.
    let announced = post_head(b"Content-Length: 10000000000\r\n");
    assert_eq!(raw_exchange(&app, &announced, b"{}").await, 413);

    // Just under the limit is still served.
    let padded = call(
        "get_current_year_month",
        json!({"pad": "x".repeat(1_000_000)}),
    );
    let (status, body) = post(&app, padded.to_string()).await;
    assert_eq!(status, 200, "{body}");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn json_nested_beyond_any_real_request_is_a_parse_error_not_a_crash() {
    let app = app().await;
    for depth in [200, 10_000, 100_000] {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let in_arguments = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"get_region_code","arguments":{{"query":{arrays}}}}}}}"#
        );
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        for body in [in_arguments, arrays, objects] {
            let (status, answer) = post(&app, body).await;
            assert_eq!(
                (status, rpc_code(&answer)),
                (400, -32700),
                "depth {depth}: {answer}"
            );
            let message = answer["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains("recursion limit"), "{message}");
        }
    }
    let unclosed = "[".repeat(100_000);
    let (status, answer) = post(&app, unclosed).await;
    assert_eq!((status, rpc_code(&answer)), (400, -32700), "{answer}");
    // Nesting a real argument might have is an argument error the model can fix.
    let shallow = call("get_region_code", json!({"query": [[[["마포구"]]]]}));
    let (status, answer) = post(&app, shallow.to_string()).await;
    assert!(
        tool_error(status, &answer).contains("get_region_code"),
        "{answer}"
    );
    assert_healthy(&app).await;
}

#[tokio::test]
async fn json_that_is_not_a_json_rpc_request_is_400_invalid_request() {
    let app = app().await;
    for body in [
        json!({"a": 1}),
        json!([]),
        json!("tools/list"),
        json!({"jsonrpc": "2.0", "id": 1, "method": 7}),
        json!({"jsonrpc": "2.0", "id": {"nested": [1, 2]}, "method": "tools/list"}),
    ] {
        let (status, answer) = post(&app, body.to_string()).await;
        assert_eq!(
            (status, rpc_code(&answer)),
            (400, -32600),
            "{body}: {answer}"
        );
    }
    // A foreign media type is still what rmcp says it is.
    let response = app
        .http
        .post(app.mcp_url())
        .header("Content-Type", "text/plain")
        .header("Accept", "application/json, text/event-stream")
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn bytes_that_are_not_utf8_are_refused_cleanly() {
    let app = app().await;
    let mut raw = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_region_code","arguments":{"query":""#.to_vec();
    raw.extend_from_slice(b"\xff\xfe\xc0\x80\"}}}");
    let (status, answer) = post(&app, raw).await;
    assert_eq!((status, rpc_code(&answer)), (400, -32700), "{answer}");
    let surrogate = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_region_code","arguments":{"query":"\ud800"}}}"#;
    let (status, answer) = post(&app, surrogate).await;
    assert_eq!((status, rpc_code(&answer)), (400, -32700), "{answer}");

    let body = call("tools/list", json!({})).to_string();
    let length = format!("Content-Length: {}\r\n", body.len());
    let mut version = b"MCP-Protocol-Version: 2025-\xff\xfe\r\n".to_vec();
    version.extend_from_slice(length.as_bytes());
    assert_eq!(
        raw_exchange(&app, &post_head(&version), body.as_bytes()).await,
        400
    );
    let mut origin = b"Origin: http://\xff\xfe.example\r\n".to_vec();
    origin.extend_from_slice(length.as_bytes());
    assert_eq!(
        raw_exchange(&app, &post_head(&origin), body.as_bytes()).await,
        403
    );
    assert_healthy(&app).await;
}

#[tokio::test]
async fn huge_argument_strings_are_tool_errors_naming_the_argument() {
    let app = app().await;
    let huge = "가".repeat(300_000);
    let cases = [
        ("get_region_code", json!({"query": huge}), "query"),
        (
            "get_apartment_trades",
            json!({"region_code": huge, "year_month": "202401"}),
            "region_code",
        ),
        (
            "get_apartment_trades",
            json!({"region_code": "11680", "year_month": huge}),
            "year_month",
        ),
        (
            "get_villa_trades",
            json!({"region_code": "11680", "year_month": "202401", "name_contains": huge}),
            "name_contains",
        ),
        (
            "get_apt_subscription_info",
            json!({"address_contains": huge}),
            "address_contains",
        ),
    ];
    for (tool, arguments, argument) in cases {
        let (status, answer) = post(&app, call(tool, arguments).to_string()).await;
        let text = tool_error(status, &answer);
        assert!(text.contains(argument), "{tool}: {text}");
        assert!(
            text.len() < 2_000,
            "{tool} echoed the argument back: {} bytes",
            text.len()
        );
    }
    let digits = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"calculate_loan_payment","arguments":{{"principal_manwon":1{},"annual_rate_percent":4,"term_months":12}}}}}}"#,
        "0".repeat(500_000)
    );
    let (status, answer) = post(&app, digits).await;
    assert_eq!((status, rpc_code(&answer)), (400, -32700), "{answer}");
    assert_healthy(&app).await;
}

#[tokio::test]
async fn long_and_numerous_headers_are_served_or_refused_with_431() {
    let app = app().await;
    let body = call("get_current_year_month", json!({})).to_string();
    for (size, expected) in [(16 * 1024, 200), (60 * 1024, 200), (512 * 1024, 431)] {
        // Own connection: the server closes it after a 431, and the shared pool must not
        // hand that dead connection to the health check below.
        let sent = reqwest::Client::new()
            .post(app.mcp_url())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("X-Padding", "a".repeat(size))
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(response) => assert_eq!(response.status(), expected, "{size}-byte header"),
            // The server answers 431 and closes at once; a client still writing the body may
            // see the reset before the answer. Either way the request was refused.
            Err(error) if expected == 431 => assert!(error.is_request(), "{error}"),
            Err(error) => panic!("{size}-byte header: {error}"),
        }
    }
    let many: String = (0..200).map(|i| format!("X-Extra-{i}: v\r\n")).collect();
    let head = post_head(format!("{many}Content-Length: {}\r\n", body.len()).as_bytes());
    assert_eq!(raw_exchange(&app, &head, body.as_bytes()).await, 431);
    assert_healthy(&app).await;
}

/// A guarded server with only client credentials: `/auth` checks tokens itself.
async fn guarded_app() -> TestApp {
    spawn_app(&[
        ("auth_mode", "oauth"),
        ("public_base_url", "https://mcp.example.test"),
        ("oauth_client_id", "scripts"),
        (
            "oauth_client_secret",
            "0123456789abcdef0123456789abcdef-faults",
        ),
    ])
    .await
}

#[tokio::test]
async fn hostile_bearer_tokens_are_refused_as_invalid_never_5xx() {
    let app = guarded_app().await;
    let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let hs256 = segment(br#"{"alg":"HS256","typ":"JWT"}"#);
    let tokens = [
        "a".repeat(60 * 1024),
        vec!["x".repeat(12 * 1024); 5].join("."),
        format!("{}.{}.sig", segment(deep.as_bytes()), segment(b"{}")),
        format!("{hs256}.{}.sig", segment(deep.as_bytes())),
        format!("{hs256}.{}.sig", segment([0xff, 0xfe, b'{', 0xc0])),
        ".".repeat(10_000),
    ];
    for token in tokens {
        let response = app
            .http
            .get(app.url("/auth"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, 401, "{} bytes: {body}", token.len());
        assert!(body.contains("invalid_token"), "{body}");
    }
    let mut raw =
        b"GET /auth HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \xff\xfe.\xc0\x80.x\r\n"
            .to_vec();
    raw.extend_from_slice(b"Connection: close\r\n\r\n");
    assert_eq!(raw_exchange(&app, &raw, b"").await, 401);
    assert_eq!(app.get("/healthz").await.status(), 200);
}
