//! The guarded deployment end to end: the real `real-estate-mcp serve` behind the real Caddy
//! with the project's Caddyfile (`AUTH_MODE=oauth` on both), the stand-in OpenID provider,
//! and the built-in client credentials, all on loopback. The seed page's checks before
//! connecting ChatGPT, real MCP exchanges in both protocol revisions, every way a request
//! could get in without a valid token (or with a stranger's), and the log lines that say why
//! a token was refused.

use crate::support::mcp::{
    LEGACY, LOAN_FIRST_PAYMENT, MODERN, McpClient, http, loan_arguments, server_info,
};
use crate::support::service::Service;
use crate::support::stack::{
    ALLOWED_SUBJECT, CLIENT_ID, CLIENT_SECRET, Stack, StackSetup, guarded_env, request_token,
};
use real_estate_mcp::auth::{ACCESS_DENIED, GATE_BYPASSED};
use serde_json::{Value, json};
use std::time::Instant;
use testkit::oidc::{Mint, OidcProvider};

/// The subject of every token the stand-in provider signs, the one the stacks let in.
const PROVIDER_SUBJECT: &str = ALLOWED_SUBJECT;

/// Identity a client might try to claim for itself.
const FORGED: [(&str, &str); 4] = [
    ("X-Auth-Subject", "admin"),
    ("X-Auth-Scopes", "admin"),
    ("X-Auth-Client", "forged-client"),
    ("X-Auth-Issuer", "https://forged.example/"),
];

async fn guarded() -> (OidcProvider, Stack) {
    let provider = OidcProvider::start().await.unwrap();
    let stack = Stack::start(&StackSetup::new("oauth", guarded_env(&provider)))
        .await
        .unwrap();
    (provider, stack)
}

fn forging(client: McpClient) -> McpClient {
    FORGED.iter().fold(client, |client, (name, value)| {
        client.with_header(name, value)
    })
}

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("HTTP {status}, not JSON: {text}"))
}

async fn get_json(url: &str) -> Value {
    let response = http().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    json_of(response).await
}

/// The `result` of a successful JSON-RPC answer.
async fn result_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    body.get("result")
        .cloned()
        .unwrap_or_else(|| panic!("no result: {body}"))
}

/// Calls the loan calculator as `client`: the `result`, checked not to be a tool error, and
/// the service's `tool_call` log line for the call.
async fn loan_call(stack: &Stack, client: &McpClient) -> (Value, String) {
    let response = client
        .call_tool("calculate_loan_payment", loan_arguments())
        .await
        .unwrap();
    let called = result_of(response).await;
    assert_ne!(called["isError"], true, "{called}");
    let line = stack
        .service
        .tool_call_line("calculate_loan_payment")
        .await
        .unwrap();
    (called, line)
}

fn challenge(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_seed_checks_pass_on_loopback() {
    let (provider, stack) = guarded().await;
    let issuer = provider.issuer();
    let base = stack.caddy.http_url("");

    // 1. Protected-resource metadata, in both forms: `resource` is the URL people type and
    //    `authorization_servers` names the provider exactly (then the built-in issuer).
    for path in [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
    ] {
        let document = get_json(&stack.caddy.http_url(path)).await;
        assert_eq!(document["resource"], stack.mcp_url(), "{path}");
        assert_eq!(
            document["authorization_servers"],
            json!([issuer, base]),
            "{path}"
        );
        assert_eq!(document["scopes_supported"], json!(["openid"]), "{path}");
    }

    // 2. Authorization-server metadata on the MCP host: the provider's endpoints, PKCE S256
    //    and a registration endpoint.
    let document = get_json(
        &stack
            .caddy
            .http_url("/.well-known/oauth-authorization-server"),
    )
    .await;
    assert_eq!(document["issuer"], issuer);
    assert_eq!(
        document["authorization_endpoint"],
        format!("{issuer}authorize")
    );
    assert_eq!(document["token_endpoint"], format!("{issuer}oauth/token"));
    let registration = document["registration_endpoint"].as_str().unwrap();
    assert_eq!(registration, format!("{issuer}oidc/register"));
    let pkce = document["code_challenge_methods_supported"]
        .as_array()
        .unwrap();
    assert!(pkce.contains(&json!("S256")), "{document}");

    // 3. /mcp without a token: 401 from /auth, pointing at the metadata.
    let response = McpClient::new(stack.mcp_url()).discover().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        challenge(&response),
        format!(
            "Bearer resource_metadata=\"{base}/.well-known/oauth-protected-resource/mcp\", \
             scope=\"openid\""
        )
    );
    let body = json_of(response).await;
    assert_ne!(
        body["error"], GATE_BYPASSED,
        "/auth, not the service, must refuse"
    );
    assert!(stack.service.tool_calls().is_empty());

    // 4. The provider's registration endpoint accepts a client as ChatGPT registers it.
    let registered = http()
        .post(registration)
        .json(&json!({
            "client_name": "test",
            "redirect_uris": ["https://chatgpt.com/connector_platform_oauth_redirect"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 201);
    assert!(json_of(registered).await["client_id"].is_string());
    assert_eq!(provider.registrations(), 1);
}

#[tokio::test]
async fn a_provider_token_discovers_and_calls_a_tool_in_the_current_revision() {
    let (provider, stack) = guarded().await;
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    let client = McpClient::new(stack.mcp_url()).with_token(&token);

    let discovered = result_of(client.discover().await.unwrap()).await;
    assert_eq!(server_info(&discovered)["name"], "real-estate-mcp");
    assert!(
        discovered["supportedVersions"]
            .as_array()
            .unwrap()
            .contains(&json!(MODERN)),
        "{discovered}"
    );

    let (called, line) = loan_call(&stack, &client).await;
    assert_eq!(
        called["structuredContent"]["first_month_payment_manwon"],
        json!(LOAN_FIRST_PAYMENT)
    );
    assert!(
        line.contains(&format!("subject={PROVIDER_SUBJECT} ")),
        "{line}"
    );
}

#[tokio::test]
async fn a_provider_token_initializes_and_calls_a_tool_in_the_2025_11_25_revision() {
    let (provider, stack) = guarded().await;
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    let client = McpClient::new(stack.mcp_url()).with_token(&token);

    let initialized = result_of(
        client
            .legacy(
                None,
                "initialize",
                json!({"protocolVersion": LEGACY, "capabilities": {},
                       "clientInfo": {"name": "e2e", "version": "1"}}),
            )
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(initialized["protocolVersion"], LEGACY);
    assert_eq!(server_info(&initialized)["name"], "real-estate-mcp");

    let notified = client
        .notify(LEGACY, "notifications/initialized")
        .await
        .unwrap();
    assert_eq!(notified.status(), 202);

    let called = result_of(
        client
            .legacy(
                Some(LEGACY),
                "tools/call",
                json!({"name": "get_region_code", "arguments": {"query": "마포구"}}),
            )
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(called["structuredContent"]["lawd_cd"], "11440", "{called}");
    assert_eq!(called["structuredContent"]["name"], "서울특별시 마포구");
}

#[tokio::test]
async fn client_credentials_through_caddy_give_a_token_the_gate_accepts() {
    let (_provider, stack) = guarded().await;
    let refused = request_token(&stack.caddy, "not-the-secret").await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(json_of(refused).await["error"], "invalid_client");

    let issued = request_token(&stack.caddy, CLIENT_SECRET).await.unwrap();
    assert_eq!(issued.status(), 200);
    let issued = json_of(issued).await;
    let token = issued["access_token"].as_str().unwrap();
    assert!(
        !stack.caddy.stdout().contains(token),
        "token in the access log"
    );

    let client = McpClient::new(stack.mcp_url()).with_token(token);
    let (_, line) = loan_call(&stack, &client).await;
    assert!(line.contains(&format!("subject={CLIENT_ID} ")), "{line}");
}

#[tokio::test]
async fn forged_identity_without_a_token_is_refused_by_auth() {
    let (_provider, stack) = guarded().await;
    let client = forging(McpClient::new(stack.mcp_url()));
    for response in [
        client.discover().await.unwrap(),
        client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status(), 401);
        assert!(challenge(&response).starts_with("Bearer resource_metadata="));
        let body = json_of(response).await;
        assert_ne!(
            body["error"], GATE_BYPASSED,
            "it reached the service: {body}"
        );
    }
    assert!(stack.service.tool_calls().is_empty());
    // /auth refused it: the request never reached /mcp (which would log its own refusal).
    assert!(
        !stack.service.log().contains("guarded MCP request refused"),
        "{}",
        stack.service.log()
    );
}

#[tokio::test]
async fn forged_identity_with_a_token_becomes_the_tokens_subject() {
    let (provider, stack) = guarded().await;
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    let client = forging(McpClient::new(stack.mcp_url()).with_token(&token));
    let (_, line) = loan_call(&stack, &client).await;
    assert!(
        line.contains(&format!("subject={PROVIDER_SUBJECT} ")),
        "{line}"
    );
    assert!(!line.contains("admin"), "{line}");
}

#[tokio::test]
async fn auth_down_is_502_and_never_an_open_door() {
    let provider = OidcProvider::start().await.unwrap();
    let mut setup = StackSetup::new("oauth", guarded_env(&provider));
    setup.auth_down = true;
    let stack = Stack::start(&setup).await.unwrap();
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    for client in [
        McpClient::new(stack.mcp_url()).with_token(&token),
        forging(McpClient::new(stack.mcp_url())),
        forging(McpClient::new(stack.mcp_url()).with_token(&token)),
    ] {
        let response = client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 502, "{client:?}");
    }
    assert!(stack.service.tool_calls().is_empty());
    assert!(!stack.service.log().contains("guarded MCP request refused"));
}

#[tokio::test]
async fn expired_and_wrong_audience_tokens_get_auths_invalid_token_unchanged() {
    let (provider, stack) = guarded().await;
    for kind in [Mint::Expired, Mint::WrongAudience] {
        let token = provider.mint(kind, &stack.resource()).unwrap();
        let through_caddy = McpClient::new(stack.mcp_url())
            .with_token(&token)
            .discover()
            .await
            .unwrap();
        let direct = http()
            .get(stack.service.direct_url("/auth"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(through_caddy.status(), 401, "{kind:?}");
        assert_eq!(direct.status(), 401, "{kind:?}");
        let header = challenge(&through_caddy);
        assert!(
            header.contains("error=\"invalid_token\""),
            "{kind:?}: {header}"
        );
        assert_eq!(header, challenge(&direct), "{kind:?}");
        let (body, direct_body) = (
            through_caddy.text().await.unwrap(),
            direct.text().await.unwrap(),
        );
        assert_eq!(body, direct_body, "{kind:?}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"], "invalid_token", "{kind:?}");
    }
    assert!(stack.service.tool_calls().is_empty());
}

#[tokio::test]
async fn the_service_port_refuses_identity_headers_without_their_token() {
    // Anyone who reaches port 8080 (another container, the host, a Caddy outside compose)
    // and simply names an identity, with no token or with a token of their own.
    let (provider, stack) = guarded().await;
    let mut claims = provider.claims(&stack.resource());
    claims["sub"] = json!("auth0|someone-else");
    let others = provider.sign(&claims);
    let direct = stack.service.direct_url("/mcp");
    let claiming = |client: McpClient| {
        client
            .with_header("X-Auth-Subject", PROVIDER_SUBJECT)
            .with_header("X-Auth-Scopes", "")
            .with_header("X-Auth-Client", "chatgpt-client")
            .with_header("X-Auth-Issuer", provider.issuer())
    };
    for client in [
        claiming(McpClient::new(&direct)),
        claiming(McpClient::new(&direct).with_token(&others)),
    ] {
        let response = client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{client:?}");
        assert_eq!(json_of(response).await["error"], GATE_BYPASSED);
    }
    assert!(stack.service.tool_calls().is_empty());
    // Through Caddy the same owner's token still works.
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    let response = McpClient::new(stack.mcp_url())
        .with_token(&token)
        .call_tool("calculate_loan_payment", loan_arguments())
        .await
        .unwrap();
    assert_ne!(result_of(response).await["isError"], true);
}

#[tokio::test]
async fn a_stranger_with_a_valid_token_gets_403_naming_the_subject_to_allow() {
    let (provider, stack) = guarded().await;
    let mut claims = provider.claims(&stack.resource());
    claims["sub"] = json!("auth0|stranger-42");
    let token = provider.sign(&claims);
    let response = McpClient::new(stack.mcp_url())
        .with_token(&token)
        .call_tool("calculate_loan_payment", loan_arguments())
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let body = json_of(response).await;
    assert_eq!(body["error"], ACCESS_DENIED);
    let why = body["error_description"].as_str().unwrap();
    assert!(
        why.contains("auth0|stranger-42") && why.contains("ALLOWED_USERS"),
        "{why}"
    );
    assert!(stack.service.tool_calls().is_empty());
    // The owner reads the same subject in the service log, without the token.
    let log = stack.service.log();
    let line = log
        .lines()
        .find(|l| l.contains("auth0|stranger-42"))
        .unwrap_or_else(|| panic!("no refusal line: {log}"));
    assert!(line.contains("ALLOWED_USERS"), "{line}");
    assert!(!log.contains(&token));
}

#[tokio::test]
async fn refused_tokens_are_logged_with_reason_and_subject_at_a_bounded_rate() {
    let (provider, stack) = guarded().await;
    let id_token = provider.mint(Mint::IdToken, &stack.resource()).unwrap();
    let response = McpClient::new(stack.mcp_url())
        .with_token(&id_token)
        .discover()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(json_of(response).await["error"], "invalid_token");
    let refusals = |log: &str| log.lines().filter(|l| l.contains("token refused")).count();
    let log = stack.service.log();
    let line = log.lines().find(|l| l.contains("token refused")).unwrap();
    assert!(
        line.contains("ID token") && line.contains(PROVIDER_SUBJECT),
        "{line}"
    );
    assert!(!log.contains(&id_token));

    // A flood of bad tokens, however many arrive, adds at most the rest of the limiter's
    // burst (the line above took one), one line per interval it refills at while the flood
    // lasts, and one for the interval under way. Only the lines the flood added count.
    let per_minute = u64::from(real_estate_mcp::auth::REFUSAL_LINES_PER_MINUTE.get());
    let before = refusals(&stack.service.log());
    let started = Instant::now();
    let expired = provider.mint(Mint::Expired, &stack.resource()).unwrap();
    let client = McpClient::new(stack.mcp_url()).with_token(&expired);
    let flood = 150;
    for _ in 0..flood {
        assert_eq!(client.discover().await.unwrap().status(), 401);
    }
    let refills = started.elapsed().as_millis() * u128::from(per_minute) / 60_000;
    let allowed = usize::try_from(u128::from(per_minute) + refills).unwrap();
    assert!(
        allowed < flood,
        "the flood outran the limiter's burst: {allowed}"
    );
    let log = stack.service.log();
    let added = refusals(&log) - before;
    assert!(added <= allowed, "{added} refusal lines, {allowed} allowed");
    assert!(added > 0, "the flood's refusals were not logged at all");
    assert!(log.contains("expired"), "{log}");
}

#[tokio::test]
async fn a_provider_without_an_access_list_does_not_start() {
    let provider = OidcProvider::start().await.unwrap();
    let env: Vec<(String, String)> = guarded_env(&provider)
        .into_iter()
        .filter(|(name, _)| name != "ALLOWED_USERS")
        .chain([(
            "PUBLIC_BASE_URL".to_owned(),
            "http://127.0.0.1:9".to_owned(),
        )])
        .collect();
    let error = Service::start(&env).await.err().expect("it started");
    assert!(format!("{error:#}").contains("ALLOWED_USERS"), "{error:#}");
}

/// A client whose connections come from `source` (any 127.0.0.0/8 address reaches Caddy on
/// 127.0.0.1), so that Caddy sees several callers on one machine.
fn client_from(source: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(source))
        .build()
        .unwrap()
}

async fn token_status(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    forwarded: Option<&str>,
) -> u16 {
    let mut request = client.post(url).form(&[
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", secret),
    ]);
    if let Some(forwarded) = forwarded {
        request = request.header("Forwarded", forwarded);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_forged_forwarded_header_neither_evades_nor_triggers_the_token_lockout() {
    let provider = OidcProvider::start().await.unwrap();
    let mut env = guarded_env(&provider);
    env.push(("OAUTH_FAILURE_LIMIT".to_owned(), "3".to_owned()));
    let stack = Stack::start(&StackSetup::new("oauth", env)).await.unwrap();
    let url = stack.caddy.http_url("/oauth/token");
    let (owner, guesser, framer) = (
        client_from([127, 0, 0, 2]),
        client_from([127, 0, 0, 3]),
        client_from([127, 0, 0, 4]),
    );

    // Evading: thirty wrong secrets, each claiming another address, are still throttled.
    let mut statuses = Vec::new();
    for n in 0..30 {
        let forged = format!("for=198.51.100.{n}");
        statuses.push(token_status(&guesser, &url, "wrong", Some(&forged)).await);
    }
    assert_eq!(statuses[..3], [401, 401, 401], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");

    // Triggering: wrong secrets that claim to come from the owner lock out only the sender.
    for _ in 0..3 {
        token_status(&framer, &url, "wrong", Some("for=127.0.0.2")).await;
    }
    assert_eq!(token_status(&owner, &url, CLIENT_SECRET, None).await, 200);
}
