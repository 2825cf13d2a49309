//! What reaches the service through the project's Caddyfile, in both modes: identity headers
//! only ever from `/auth`, `/auth` failures passed back unchanged or turned into errors (never
//! an open door), internal paths hidden, public OAuth documents unguarded, tokens kept out of
//! the access log.

use std::time::Duration;

use crate::support::caddy::{Caddy, CaddySetup};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use testkit::net::closed_address;
use testkit::site::{McpGate, SeenRequest, Site, SiteOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "valid-token-7f3a";

/// Identity claims a client might try to smuggle in, in every spelling that matters, and an
/// address it might claim to come from.
const FORGED: [(&str, &str); 7] = [
    ("X-Auth-Subject", "forged-admin"),
    ("x-auth-scopes", "forged admin"),
    ("X-AUTH-CLIENT", "forged-client"),
    ("X-Auth-Issuer", "https://forged.example/"),
    ("X-Auth-Extra", "forged"),
    (
        "X-Auth-Subject",
        "{http.reverse_proxy.header.X-Auth-Subject}",
    ),
    ("Forwarded", "for=198.51.100.9;by=forged"),
];

const IDENTITY: [&str; 4] = [
    "X-Auth-Subject",
    "X-Auth-Scopes",
    "X-Auth-Client",
    "X-Auth-Issuer",
];

const DISCOVER: &str = r#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn headers(token: Option<&str>, forged: bool) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert("Content-Type", HeaderValue::from_static("application/json"));
    map.insert(
        "MCP-Protocol-Version",
        HeaderValue::from_static("2026-07-28"),
    );
    map.insert("Mcp-Method", HeaderValue::from_static("server/discover"));
    map.insert(
        "Accept",
        HeaderValue::from_static("application/json, text/event-stream"),
    );
    if let Some(token) = token {
        let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        map.insert("Authorization", value);
    }
    if forged {
        for (name, value) in FORGED {
            let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
            map.append(name, HeaderValue::from_static(value));
        }
    }
    map
}

async fn post_mcp(caddy: &Caddy, token: Option<&str>, forged: bool) -> reqwest::Response {
    client()
        .post(caddy.http_url("/mcp"))
        .headers(headers(token, forged))
        .body(DISCOVER)
        .send()
        .await
        .unwrap()
}

fn guarded_options() -> SiteOptions {
    SiteOptions {
        token: TOKEN.to_owned(),
        mcp_gate: McpGate::IdentityHeader,
        ..SiteOptions::default()
    }
}

fn open_options() -> SiteOptions {
    SiteOptions {
        guarded: false,
        mcp_gate: McpGate::Open,
        ..SiteOptions::default()
    }
}

async fn stack(mode: &str, options: SiteOptions) -> (Site, Caddy) {
    let site = Site::start(options).await.unwrap();
    let caddy = Caddy::start(&CaddySetup::new(mode, site.addr()))
        .await
        .unwrap();
    site.set_public_base_url(&caddy.http_url(""));
    (site, caddy)
}

/// No header the client forged reached the service.
fn assert_nothing_forged(request: &SeenRequest) {
    for (name, value) in &request.headers {
        assert!(
            !value.contains("forged") && !value.starts_with('{'),
            "{name}: {value} reached the service: {request:?}"
        );
        if name.starts_with("x-auth-") {
            let known = IDENTITY.iter().any(|i| i.eq_ignore_ascii_case(name));
            assert!(known, "unexpected identity header {name}: {request:?}");
        }
    }
}

#[tokio::test]
async fn guarded_mcp_call_carries_exactly_the_identity_from_auth() {
    let (site, caddy) = stack("oauth", guarded_options()).await;
    let mut headers = headers(Some(TOKEN), true);
    headers.insert("X-Forwarded-Uri", HeaderValue::from_static("/not-mcp"));
    let response = client()
        .post(caddy.http_url("/mcp"))
        .headers(headers)
        .body(DISCOVER)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["result"]["serverInfo"]["name"], "real-estate-mcp");

    let mcp = site.seen_at("/mcp");
    assert_eq!(mcp.len(), 1);
    assert_nothing_forged(&mcp[0]);
    for (name, value) in &SiteOptions::default().identity {
        assert_eq!(mcp[0].header(name), [value.as_str()], "{name}");
    }
    assert_eq!(mcp[0].header("authorization"), [format!("Bearer {TOKEN}")]);

    // /auth saw the token but none of the forged identity either.
    let auth = site.seen_at("/auth");
    assert_eq!(auth.len(), 1);
    assert_eq!(auth[0].method, "GET");
    assert_eq!(auth[0].header("authorization"), [format!("Bearer {TOKEN}")]);
    assert!(auth[0].header("x-auth-subject").is_empty(), "{:?}", auth[0]);
    // Caddy, not the client, tells /auth which request it is judging.
    assert_eq!(auth[0].header("x-forwarded-uri"), ["/mcp"]);
    assert_eq!(auth[0].header("x-forwarded-method"), ["POST"]);
}

#[tokio::test]
async fn guarded_without_token_refuses_forged_identity_with_the_services_challenge() {
    let (site, caddy) = stack("oauth", guarded_options()).await;
    let response = post_mcp(&caddy, None, true).await;
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    let expected = format!(
        "Bearer resource_metadata=\"{}\"",
        caddy.http_url("/.well-known/oauth-protected-resource/mcp")
    );
    assert_eq!(challenge, expected);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"error": "unauthorized"})
    );
    assert!(site.seen_at("/mcp").is_empty(), "the request reached /mcp");
}

#[tokio::test]
async fn guarded_with_a_bad_token_passes_the_invalid_token_challenge_back_unchanged() {
    let (site, caddy) = stack("oauth", guarded_options()).await;
    let response = post_mcp(&caddy, Some("not-the-token"), true).await;
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("resource_metadata=\""), "{challenge}");
    assert!(site.seen_at("/mcp").is_empty());
}

#[tokio::test]
async fn identity_headers_auth_leaves_out_are_not_filled_in_from_the_client() {
    let options = SiteOptions {
        identity: vec![("X-Auth-Subject".to_owned(), "auth0|only-subject".to_owned())],
        ..guarded_options()
    };
    let (site, caddy) = stack("oauth", options).await;
    let response = post_mcp(&caddy, Some(TOKEN), true).await;
    assert_eq!(response.status(), 200);
    let mcp = site.seen_at("/mcp");
    assert_nothing_forged(&mcp[0]);
    assert_eq!(mcp[0].header("x-auth-subject"), ["auth0|only-subject"]);
    for name in &IDENTITY[1..] {
        assert!(mcp[0].header(name).is_empty(), "{name} reached /mcp");
    }
}

#[tokio::test]
async fn auth_down_is_an_error_never_an_open_door() {
    // The service itself would let anyone in: Caddy is the only guard here.
    let site = Site::start(open_options()).await.unwrap();
    let mut setup = CaddySetup::new("oauth", site.addr());
    setup.auth_upstream = closed_address().unwrap().to_string();
    let caddy = Caddy::start(&setup).await.unwrap();
    for token in [Some(TOKEN), None] {
        let response = post_mcp(&caddy, token, true).await;
        assert_eq!(response.status(), 502, "token {token:?}");
    }
    assert!(site.seen().is_empty(), "{:?}", site.seen());
}

async fn raw_status(caddy: &Caddy, target: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", caddy.http_port()))
        .await
        .unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn internal_and_unknown_paths_are_not_found_in_both_modes() {
    for (mode, options) in [("oauth", guarded_options()), ("none", open_options())] {
        let (site, caddy) = stack(mode, options).await;
        for path in [
            "/auth",
            "/healthz",
            "/index.html",
            "/mcp/",
            "/mcp/x",
            "/metrics",
            "/.well-known/x",
        ] {
            let response = client().get(caddy.http_url(path)).send().await.unwrap();
            assert_eq!(response.status(), 404, "{mode} {path}");
        }
        let sneaky = [
            "/.well-known/oauth-protected-resource/../../auth",
            "/oauth/token/../../healthz",
            "/%61uth",
            "/mcp/../auth",
        ];
        for target in sneaky {
            let status = raw_status(&caddy, target).await;
            assert!(status.contains(" 404 "), "{mode} {target}: {status}");
        }
        assert!(site.seen().is_empty(), "{mode}: {:?}", site.seen());
    }
}

#[tokio::test]
async fn metadata_and_token_endpoint_reach_the_service_unguarded() {
    for (mode, options) in [("oauth", guarded_options()), ("none", open_options())] {
        let (site, caddy) = stack(mode, options).await;
        let documents = [
            "/.well-known/oauth-protected-resource",
            "/.well-known/oauth-protected-resource/mcp",
            "/.well-known/oauth-authorization-server",
            "/.well-known/oauth-authorization-server/mcp",
        ];
        for path in documents {
            let response = client().get(caddy.http_url(path)).send().await.unwrap();
            // The open-mode service has no metadata: its own 404 proves the request got there.
            let expected = if mode == "oauth" { 200 } else { 404 };
            assert_eq!(response.status(), expected, "{mode} {path}");
            assert_eq!(site.seen_at(path).len(), 1, "{mode} {path}");
        }
        let token = client()
            .post(caddy.http_url("/oauth/token"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(token.status(), 200, "{mode}");
        assert_eq!(site.seen_at("/oauth/token").len(), 1);
        assert!(
            site.seen_at("/auth").is_empty(),
            "{mode}: metadata went through /auth"
        );
    }
}

#[tokio::test]
async fn the_front_page_and_nothing_below_it_reaches_the_service_unguarded() {
    for (mode, options) in [("oauth", guarded_options()), ("none", open_options())] {
        let (site, caddy) = stack(mode, options).await;
        client().get(caddy.http_url("/")).send().await.unwrap();
        assert_eq!(site.seen_at("/").len(), 1, "{mode}");
        for path in ["/index.html", "/favicon.ico", "/.env"] {
            let response = client().get(caddy.http_url(path)).send().await.unwrap();
            assert_eq!(response.status(), 404, "{mode} {path}");
        }
        assert_eq!(site.seen().len(), 1, "{mode}: {:?}", site.seen());
        assert!(
            site.seen_at("/auth").is_empty(),
            "{mode}: / went through /auth"
        );
    }
}

#[tokio::test]
async fn open_mode_serves_mcp_without_auth_and_drops_forged_identity() {
    let (site, caddy) = stack("none", open_options()).await;
    let response = post_mcp(&caddy, None, true).await;
    assert_eq!(response.status(), 200);
    let mcp = site.seen_at("/mcp");
    assert_eq!(mcp.len(), 1);
    assert_nothing_forged(&mcp[0]);
    for name in IDENTITY {
        assert!(mcp[0].header(name).is_empty(), "{name} reached /mcp");
    }
    assert!(site.seen_at("/auth").is_empty());
}

#[tokio::test]
async fn access_log_is_json_without_the_token_and_names_only_the_verified_subject() {
    let (_site, caddy) = stack("oauth", guarded_options()).await;
    assert_eq!(post_mcp(&caddy, Some(TOKEN), true).await.status(), 200);
    let entry = caddy.access_log_entry("/mcp").await.unwrap();
    assert_eq!(entry["status"], 200);
    assert_eq!(entry["request"]["headers"]["Authorization"], "REDACTED");
    // The subject /auth verified, not what the client claimed.
    assert_eq!(entry["subject"], "auth0|stand-in-user");
    for name in IDENTITY {
        assert!(
            entry["request"]["headers"].get(name).is_none(),
            "{name} logged: {entry}"
        );
    }
    let log = caddy.stdout();
    assert!(
        !log.contains(TOKEN),
        "the token reached the access log: {log}"
    );
    assert!(
        !log.contains("forged-admin"),
        "a forged identity was logged: {log}"
    );
}
