//! What `/mcp` does with a request before and around rmcp: the version header check, the
//! body limit and JSON parse, the hand-over to rmcp and the tool call it may lead to. The
//! input is up to three header lines (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`;
//! an empty line leaves the header out) followed by the body. No request may get a 5xx, and
//! every refusal carries a JSON-RPC error body.
#![no_main]

use std::{cell::OnceCell, sync::Arc};

use actix_web::{App, http::StatusCode, rt::SystemRunner, test};
use libfuzzer_sys::fuzz_target;
use real_estate_mcp::{
    auth::AuthGate,
    cache::Backing,
    config,
    origin::OriginPolicy,
    routes::mcp::{self, McpEndpoint},
    startup::build_mcp_server,
};

thread_local! {
    static RUNNER: SystemRunner = actix_web::rt::System::new();
    static ENDPOINT: OnceCell<Arc<McpEndpoint>> = const { OnceCell::new() };
}

/// An open server without data keys, without a call limit and without a disk cache: every
/// tool answers from memory or with a setup error, so nothing leaves the process.
fn endpoint() -> Arc<McpEndpoint> {
    let sources = ::config::Config::builder()
        .set_override("tool_calls_per_minute", 0)
        .and_then(|b| b.set_override("listen_addr", "127.0.0.1:0"))
        .and_then(|b| b.set_override("cache_store", "memory"))
        .and_then(|b| b.build())
        .expect("settings");
    let config = config::from_sources(&sources).expect("config");
    let server = build_mcp_server(&config, &Backing::default()).expect("server");
    let origins = OriginPolicy::new(None, &[]);
    let gate = AuthGate::start(config.auth, reqwest::Client::new(), origins.clone());
    Arc::new(McpEndpoint::new(server, origins, gate))
}

fn split(input: &[u8]) -> ([Option<&[u8]>; 3], &[u8]) {
    let mut headers = [None; 3];
    let mut rest = input;
    for slot in &mut headers {
        let Some(end) = rest.iter().position(|b| *b == b'\n') else {
            break;
        };
        *slot = Some(&rest[..end]).filter(|line| !line.is_empty());
        rest = &rest[end + 1..];
    }
    (headers, rest)
}

fuzz_target!(|input: &[u8]| {
    let ([version, method, name], body) = split(input);
    let mut request = test::TestRequest::post()
        .uri("/mcp")
        .insert_header(("host", "127.0.0.1:8080"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("accept", "application/json, text/event-stream"));
    for (header, value) in [
        ("mcp-protocol-version", version),
        ("mcp-method", method),
        ("mcp-name", name),
    ] {
        if let Some(value) =
            value.and_then(|v| actix_web::http::header::HeaderValue::from_bytes(v).ok())
        {
            request = request.insert_header((header, value));
        }
    }
    let request = request.set_payload(body.to_vec()).to_request();
    RUNNER.with(|runner| {
        runner.block_on(async {
            let endpoint = ENDPOINT.with(|cell| Arc::clone(cell.get_or_init(endpoint)));
            let app =
                test::init_service(App::new().configure(move |cfg| mcp::configure(cfg, endpoint)))
                    .await;
            let response = test::call_service(&app, request).await;
            let status = response.status();
            let answer = test::read_body(response).await;
            assert!(
                !status.is_server_error(),
                "{status} for {input:?}: {}",
                String::from_utf8_lossy(&answer)
            );
            if status.is_client_error() {
                let json: serde_json::Value =
                    serde_json::from_slice(&answer).expect("a refusal without a JSON body");
                assert!(json["error"]["code"].is_i64(), "{status}: {json}");
            }
            assert_ne!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{input:?}");
        })
    });
});
