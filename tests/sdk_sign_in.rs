//! The official MCP SDKs sign in to the guarded deployment, through the real Caddy and the
//! project's Caddyfile, against a real and strict OpenID provider (`oidc-provider`: dynamic
//! registration, PKCE required, resource indicators), once shaped like Auth0 and once like
//! Keycloak: discovery from the 401, registration, authorization code with PKCE and
//! `resource`, token, then a tool call, in every protocol era the SDK speaks. A token the
//! same provider issued to the same client for another resource is refused.

use std::time::Duration;

use crate::support::interop::{self, OpenIdProvider, ProviderShape};
use crate::support::mcp::{LEGACY, LOAN_FIRST_PAYMENT, MODERN, http, loan_arguments};
use crate::support::stack::{Stack, StackSetup};
use serde_json::{Value, json};

/// Long enough for a cold Python start on a busy 2-core machine; a sign-in takes ~2 s.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(90);
const TOOL: &str = "calculate_loan_payment";

/// The account the provider's scripted sign-in page logs in (interop/provider.mjs).
const SIGNED_IN_USER: &str = "user-1";

async fn guarded_by(provider: &OpenIdProvider, extra: &[(&str, &str)]) -> Stack {
    let mut env = vec![
        ("AUTH_MODE".to_owned(), "oauth".to_owned()),
        ("OIDC_ISSUER".to_owned(), provider.issuer().to_owned()),
        ("ALLOWED_USERS".to_owned(), SIGNED_IN_USER.to_owned()),
    ];
    env.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Stack::start(&StackSetup::new("oauth", env)).await.unwrap()
}

/// The client's report, or a panic that shows the client's error next to what the provider
/// and the service logged.
fn report(outcome: anyhow::Result<Value>, provider: &OpenIdProvider, stack: &Stack) -> Value {
    outcome.unwrap_or_else(|error| {
        panic!(
            "{error:#}\n--- provider log:\n{}\n--- service log:\n{}",
            provider.log(),
            stack.service.log()
        )
    })
}

/// The Python SDK in the given eras (`legacy`, `auto`).
async fn python_sdk(stack: &Stack, eras: &str) -> anyhow::Result<Value> {
    let mut command = interop::command(interop::python()?);
    command.arg("client_py.py").args([
        stack.mcp_url(),
        TOOL.to_owned(),
        loan_arguments().to_string(),
        eras.to_owned(),
    ]);
    interop::run_json(command, CLIENT_TIMEOUT).await
}

async fn typescript_sdk(stack: &Stack) -> anyhow::Result<Value> {
    let other_resource = stack.caddy.http_url("/another-mcp-server/mcp");
    let mut command = interop::command(interop::node()?);
    command.arg("client_ts.mjs").args([
        stack.mcp_url(),
        TOOL.to_owned(),
        loan_arguments().to_string(),
        other_resource,
    ]);
    interop::run_json(command, CLIENT_TIMEOUT).await
}

/// One signed-in era: the version spoken, the scope asked for (what the server advertised;
/// a client adds `offline_access` itself when the provider offers refresh tokens) and a
/// correct result.
fn assert_signed_in(era: &Value, version: &str, scope: &str) {
    assert_eq!(era["protocol_version"], version, "{era}");
    let requested: Vec<&str> = era["requested_scope"]
        .as_str()
        .unwrap_or_default()
        .split(' ')
        .filter(|scope| *scope != "offline_access")
        .collect();
    assert_eq!(requested.join(" "), scope, "{era}");
    assert_eq!(
        era["structured"]["first_month_payment_manwon"],
        json!(LOAN_FIRST_PAYMENT),
        "{era}"
    );
}

/// Both SDKs at once (they share nothing but the stack), then what every flow must show.
async fn both_sdks_sign_in(provider: &OpenIdProvider, stack: &Stack, scope: &str) {
    let (python, typescript) =
        tokio::join!(python_sdk(stack, "legacy,auto"), typescript_sdk(stack));
    let (python, typescript) = (
        report(python, provider, stack),
        report(typescript, provider, stack),
    );
    assert_signed_in(&python["legacy"], LEGACY, scope);
    assert_signed_in(&python["auto"], MODERN, scope);
    assert_signed_in(&typescript, LEGACY, scope);

    let refused = &typescript["other_resource"];
    assert_eq!(refused["status"], 401, "{refused}");
    assert_eq!(refused["body"]["error"], "invalid_token", "{refused}");
    let challenge = refused["challenge"].as_str().unwrap_or_default();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");

    // Three sign-ins, three calls, all as the provider's user; the foreign token called none.
    let calls = stack.service.tool_calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(
        calls.iter().all(|line| line.contains(" subject=user-1 ")),
        "{calls:?}"
    );
}

async fn authorization_server_copy(stack: &Stack) -> Value {
    let url = stack
        .caddy
        .http_url("/.well-known/oauth-authorization-server");
    let response = http().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_official_sdks_sign_in_with_an_auth0_shaped_provider() {
    let provider = OpenIdProvider::start(ProviderShape::Auth0).await.unwrap();
    assert!(provider.issuer().ends_with('/'), "{}", provider.issuer());
    let stack = guarded_by(&provider, &[]).await;
    // Nothing configured: clients are told to ask for openid, which the provider grants.
    both_sdks_sign_in(&provider, &stack, "openid").await;
    // The provider does not offer Client ID Metadata Documents: the copy does not claim it.
    let copy = authorization_server_copy(&stack).await;
    assert_eq!(copy["issuer"], provider.issuer());
    assert!(
        copy.get("client_id_metadata_document_supported").is_none(),
        "{copy}"
    );
}

#[tokio::test]
async fn the_official_sdks_sign_in_with_a_keycloak_shaped_provider_and_a_required_scope() {
    let provider = OpenIdProvider::start(ProviderShape::Keycloak)
        .await
        .unwrap();
    assert!(
        provider.issuer().ends_with("/realms/mcp"),
        "{}",
        provider.issuer()
    );
    let stack = guarded_by(&provider, &[("REQUIRED_SCOPES", "mcp:tools")]).await;
    // The required scope is advertised with openid, so the first sign-in already carries it.
    both_sdks_sign_in(&provider, &stack, "openid mcp:tools").await;
    // Clients that read the copy on the MCP host learn they may use a metadata document URL
    // as their client id instead of registering.
    let copy = authorization_server_copy(&stack).await;
    assert_eq!(copy["issuer"], provider.issuer());
    assert_eq!(
        copy["client_id_metadata_document_supported"], true,
        "{copy}"
    );
}

#[tokio::test]
async fn a_scope_the_user_withheld_is_asked_for_again_after_a_403() {
    let provider = OpenIdProvider::start_with(ProviderShape::Auth0, &["withhold-once:mcp:tools"])
        .await
        .unwrap();
    let stack = guarded_by(&provider, &[("REQUIRED_SCOPES", "mcp:tools")]).await;
    let report = report(python_sdk(&stack, "auto").await, &provider, &stack);
    // First sign-in: the token lacks mcp:tools, the gate answers 403 insufficient_scope
    // naming it, and the SDK signs in again asking for it (with what it asked before). The
    // SDK (2.3.0) steps up only when a request's first answer is the 403, not on the retry
    // right after a sign-in: here its server/discover probe meets the 403 right after the
    // sign-in, it falls back to initialize, and that request is stepped up. Hence the era.
    let era = &report["auto"];
    assert_signed_in(era, LEGACY, "openid mcp:tools");
    let sign_ins = era["sign_ins"].as_array().unwrap();
    assert_eq!(sign_ins.len(), 2, "{era}");
    assert!(
        sign_ins[1]
            .as_str()
            .unwrap_or_default()
            .contains("mcp:tools"),
        "{era}"
    );
    let refused = stack
        .caddy
        .stdout()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|entry| entry["request"]["uri"] == "/mcp" && entry["status"] == 403)
        .count();
    assert!(refused > 0, "{}", stack.caddy.stdout());
    assert_eq!(stack.service.tool_calls().len(), 1);
}
