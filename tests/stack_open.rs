//! The open deployment end to end, and the two ways Caddy and the service can disagree about
//! `AUTH_MODE`: neither may ever serve a tool to an unauthenticated caller in a guarded
//! configuration.

use e2e::mcp::{LOAN_FIRST_PAYMENT, McpClient, http, loan_arguments};
use e2e::stack::{Stack, StackSetup, guarded_env, open_env};
use real_estate_mcp::auth::{AUTH_OFF, GATE_BYPASSED};
use serde_json::{Value, json};
use testkit::oidc::{Mint, OidcProvider};

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("HTTP {status}, not JSON: {text}"))
}

#[tokio::test]
async fn open_mode_serves_tools_and_drops_forged_identity() {
    let stack = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    let client = McpClient::new(stack.mcp_url())
        .with_header("X-Auth-Subject", "admin")
        .with_header("X-Auth-Client", "forged-client");
    assert_eq!(client.discover().await.unwrap().status(), 200);
    let response = client
        .call_tool("calculate_loan_payment", loan_arguments())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(
        body["result"]["structuredContent"]["first_month_payment_manwon"],
        json!(LOAN_FIRST_PAYMENT),
        "{body}"
    );
    let line = stack
        .service
        .tool_call_line("calculate_loan_payment")
        .await
        .unwrap();
    assert!(line.contains("subject=anonymous "), "{line}");

    // No OAuth documents in open mode: the service's own 404 comes back through Caddy.
    let metadata = http()
        .get(
            stack
                .caddy
                .http_url("/.well-known/oauth-protected-resource"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(metadata.status(), 404);

    // The service serves its metrics to whoever reaches its own port (the compose network);
    // Caddy, facing the internet, never routes them.
    let direct = http()
        .get(stack.service.direct_url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 200);
    let page = direct.text().await.unwrap();
    assert!(
        page.contains(
            r#"real_estate_mcp_tool_calls_total{tool="calculate_loan_payment",outcome="ok"} 1"#
        ),
        "{page}"
    );
    let proxied = http()
        .get(stack.caddy.http_url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 404);
    assert!(!proxied.text().await.unwrap().contains("real_estate_mcp"));
}

#[tokio::test]
async fn a_guarded_service_behind_a_caddy_without_auth_mode_still_refuses() {
    // The "Caddy did not read AUTH_MODE" failure: Caddy runs the open route set, so nothing
    // checks tokens on the way in. The service must refuse by itself, token or not.
    let provider = OidcProvider::start().await.unwrap();
    let stack = Stack::start(&StackSetup::new("none", guarded_env(&provider)))
        .await
        .unwrap();
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    for client in [
        McpClient::new(stack.mcp_url()),
        McpClient::new(stack.mcp_url()).with_token(&token),
        McpClient::new(stack.mcp_url())
            .with_token(&token)
            .with_header("X-Auth-Subject", "admin"),
    ] {
        let response = client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{client:?}");
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .contains("resource_metadata="),
            "{client:?}"
        );
        assert_eq!(
            json_of(response).await["error"],
            GATE_BYPASSED,
            "{client:?}"
        );
    }
    assert!(
        stack.service.tool_calls().is_empty(),
        "{}",
        stack.service.log()
    );
    assert!(
        stack
            .service
            .log()
            .contains("is Caddy running with AUTH_MODE=oauth?"),
        "{}",
        stack.service.log()
    );
}

#[tokio::test]
async fn an_open_service_behind_a_guarded_caddy_serves_nothing() {
    // The reverse mismatch: Caddy asks the service's /auth, which does not exist on an open
    // service. Its 404 comes back for every /mcp request.
    let stack = Stack::start(&StackSetup::new("oauth", open_env()))
        .await
        .unwrap();
    for client in [
        McpClient::new(stack.mcp_url()),
        McpClient::new(stack.mcp_url()).with_token("any-token"),
    ] {
        let response = client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{client:?}");
        assert_eq!(json_of(response).await["error"], AUTH_OFF, "{client:?}");
    }
    assert!(
        stack.service.tool_calls().is_empty(),
        "{}",
        stack.service.log()
    );
}
