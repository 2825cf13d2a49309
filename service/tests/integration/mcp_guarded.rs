//! `/mcp` in guarded mode: it trusts only the identity Caddy copies from `/auth` together with
//! the token it was copied for, refuses anything else with a challenge, and rate-limits tool
//! calls and budgets upstream requests per subject.

use serde_json::{Value, json};
use testkit::molit::{Kind, MolitStandIn};
use testkit::oidc::OidcProvider;

use crate::helpers::app::{TestApp, spawn_app};

const SECRET: &str = "0123456789abcdef0123456789abcdef-test-only";

/// The service as Caddy's upstream, trusting `provider`.
struct Guarded {
    app: TestApp,
    provider: OidcProvider,
}

async fn guarded(extra: &[(&str, &str)]) -> Guarded {
    let provider = OidcProvider::start().await.unwrap();
    let mut settings = vec![
        ("auth_mode", "oauth"),
        ("public_base_url", "http://127.0.0.1"),
        ("oidc_issuer", provider.issuer()),
        ("allowed_users", "*"),
        ("oauth_client_id", "scripts"),
        ("oauth_client_secret", SECRET),
    ];
    settings.extend_from_slice(extra);
    let app = spawn_app(&settings).await;
    Guarded { app, provider }
}

impl std::ops::Deref for Guarded {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

async fn call_as(app: &TestApp, identity: &[(&str, &str)], tool: &str) -> reqwest::Response {
    call_with(app, identity, tool, json!({})).await
}

async fn call_with(
    app: &TestApp,
    identity: &[(&str, &str)],
    tool: &str,
    arguments: Value,
) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.mcp_url())
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2025-11-25")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}}));
    for (name, value) in identity {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// What Caddy sends after `/auth` accepted a token of `subject`: the identity headers and
/// the client's Authorization header.
fn identity(app: &Guarded, subject: &str) -> Vec<(&'static str, String)> {
    let mut claims = app.provider.claims("http://127.0.0.1/mcp");
    claims["sub"] = json!(subject);
    vec![
        ("X-Auth-Subject", subject.to_owned()),
        ("X-Auth-Scopes", String::new()),
        ("X-Auth-Client", "chatgpt-client".to_owned()),
        ("X-Auth-Issuer", app.provider.issuer().to_owned()),
        (
            "Authorization",
            format!("Bearer {}", app.provider.sign(&claims)),
        ),
    ]
}

fn borrowed<'a>(pairs: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn without_forwarded_identity_the_endpoint_answers_a_401_challenge() {
    let app = guarded(&[]).await;
    let response = call_as(&app, &[], "get_current_year_month").await;
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.contains(
            "resource_metadata=\"http://127.0.0.1/.well-known/oauth-protected-resource/mcp\""
        ),
        "{challenge}"
    );
}

#[tokio::test]
async fn empty_or_placeholder_identities_are_refused() {
    let app = guarded(&[]).await;
    for subject in [
        "",
        "{http.reverse_proxy.header.X-Auth-Subject}",
        "{http.request.header.X-Auth-Subject}",
    ] {
        let pairs = identity(&app, subject);
        let response = call_as(&app, &borrowed(&pairs), "get_current_year_month").await;
        assert_eq!(response.status(), 401, "subject {subject:?}");
    }
}

#[tokio::test]
async fn a_forwarded_identity_is_served() {
    let app = guarded(&[]).await;
    let pairs = identity(&app, "auth0|user-1");
    let response = call_as(&app, &borrowed(&pairs), "get_current_year_month").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_ne!(body["result"]["isError"], true, "{body}");
}

#[tokio::test]
async fn identity_headers_without_their_token_are_refused() {
    let app = guarded(&[]).await;
    // Someone who reaches the service port directly and names an identity, with no token
    // or with a valid token of their own.
    let mut pairs = identity(&app, "auth0|owner");
    pairs.pop();
    let theirs = identity(&app, "auth0|stranger").pop().unwrap();
    for pairs in [pairs.clone(), [pairs, vec![theirs]].concat()] {
        let response = call_as(&app, &borrowed(&pairs), "get_current_year_month").await;
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "auth_gate_bypassed", "{body}");
    }
}

#[tokio::test]
async fn tool_calls_are_limited_per_subject() {
    let app = guarded(&[("tool_calls_per_minute", "2")]).await;
    let alice = identity(&app, "alice");
    let bob = identity(&app, "bob");
    for _ in 0..2 {
        let body: Value = call_as(&app, &borrowed(&alice), "get_current_year_month")
            .await
            .json()
            .await
            .unwrap();
        assert_ne!(body["result"]["isError"], true);
    }
    let limited: Value = call_as(&app, &borrowed(&alice), "get_current_year_month")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(limited["result"]["isError"], true);
    let text = limited["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("Too many tool calls"), "{text}");
    let other: Value = call_as(&app, &borrowed(&bob), "get_current_year_month")
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(other["result"]["isError"], true, "bob has his own budget");
}

#[tokio::test]
async fn open_mode_ignores_identity_headers_and_serves_everyone() {
    let app = spawn_app(&[]).await;
    let response = call_as(
        &app,
        &[("X-Auth-Subject", "{forged}")],
        "get_current_year_month",
    )
    .await;
    assert_eq!(response.status(), 200);
}

/// A gateway with three one-page months of apartment sales in 마포구.
async fn three_months() -> MolitStandIn {
    let stand_in = MolitStandIn::start("budget-test-key").await.unwrap();
    for month in ["202407", "202408", "202409"] {
        stand_in.put_generated(Kind::AptTrade, "11440", month, 10);
    }
    stand_in
}

/// Asks for `month` as `identity`; true when the answer is data, false when refused.
async fn trades_as(app: &TestApp, identity: &[(&str, &str)], month: &str) -> bool {
    let arguments = json!({"region_code": "11440", "year_month": month});
    let body: Value = call_with(app, identity, "get_apartment_trades", arguments)
        .await
        .json()
        .await
        .unwrap();
    let result = &body["result"];
    if result["isError"] == true {
        let text = result["content"][0]["text"].as_str().unwrap_or_default();
        assert!(text.contains("DAILY_BUDGET_PER_CALLER"), "{text}");
        false
    } else {
        assert!(result["structuredContent"]["source"].is_object(), "{body}");
        true
    }
}

#[tokio::test]
async fn each_subject_has_its_own_daily_budget() {
    let stand_in = three_months().await;
    let app = guarded(&[
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", "budget-test-key"),
        ("daily_budget_per_caller", "1"),
    ])
    .await;
    let (alice, bob) = (identity(&app, "alice"), identity(&app, "bob"));
    assert!(trades_as(&app, &borrowed(&alice), "202407").await);
    assert!(!trades_as(&app, &borrowed(&alice), "202408").await);
    assert!(
        trades_as(&app, &borrowed(&bob), "202408").await,
        "bob has his own"
    );
    assert_eq!(stand_in.requests(), 2);
}

#[tokio::test]
async fn without_login_every_caller_shares_one_daily_budget() {
    let stand_in = three_months().await;
    let app = spawn_app(&[
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", "budget-test-key"),
        ("daily_budget_per_caller", "1"),
    ])
    .await;
    // Identity headers mean nothing on an open server: a new name is no new budget.
    assert!(trades_as(&app, &[("X-Auth-Subject", "alice")], "202407").await);
    assert!(!trades_as(&app, &[("X-Auth-Subject", "bob")], "202408").await);
    assert!(!trades_as(&app, &[], "202409").await);
    assert_eq!(stand_in.requests(), 1);
}

#[tokio::test]
async fn a_restart_does_not_reset_a_days_spending() {
    let stand_in = three_months().await;
    let dir = tempfile::tempdir().unwrap();
    let settings = [
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", "budget-test-key"),
        ("daily_budget_per_caller", "2"),
        ("cache_store", "disk"),
        ("cache_dir", dir.path().to_str().unwrap()),
    ];
    let before = guarded(&settings).await;
    assert!(trades_as(&before, &borrowed(&identity(&before, "alice")), "202407").await);
    // The server that replaces it reads the same directory, as after an image update.
    let after = guarded(&settings).await;
    let alice = identity(&after, "alice");
    assert!(trades_as(&after, &borrowed(&alice), "202408").await);
    assert!(
        !trades_as(&after, &borrowed(&alice), "202409").await,
        "alice spent her two requests, one of them before the restart"
    );
    assert_eq!(stand_in.requests(), 2);
    let left = after
        .metric(
            "real_estate_mcp_budget_caller_left_today",
            &[("caller", "alice")],
        )
        .await;
    assert_eq!(left, Some(0.0));
}
