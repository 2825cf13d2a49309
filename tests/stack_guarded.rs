//! The guarded deployment end to end: the real `real-estate-mcp serve` behind the real Caddy
//! with the project's Caddyfile (`AUTH_MODE=oauth` on both), the stand-in OpenID provider,
//! and the built-in client credentials, all on loopback. The seed page's checks before
//! connecting ChatGPT, real MCP exchanges in both protocol revisions, and every way a request
//! could get in without a valid token.

use crate::support::mcp::{
    LEGACY, LOAN_FIRST_PAYMENT, MODERN, McpClient, http, loan_arguments, server_info,
};
use crate::support::stack::{
    CLIENT_ID, CLIENT_SECRET, Stack, StackSetup, guarded_env, request_token,
};
use real_estate_mcp::auth::GATE_BYPASSED;
use serde_json::{Value, json};
use testkit::oidc::{Mint, OidcProvider};

/// The subject of every token the stand-in provider signs.
const PROVIDER_SUBJECT: &str = "auth0|user-1";

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
