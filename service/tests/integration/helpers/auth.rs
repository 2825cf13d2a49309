//! Helpers shared by the auth integration tests: settings from pairs, a gate against the
//! stand-in provider, and one-shot HTTP calls through the real actix routes.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::HeaderMap;
use actix_web::{App, test};
use real_estate_mcp::auth::{AuthConfig, AuthGate, AuthSettings};
use real_estate_mcp::origin::OriginPolicy;
use real_estate_mcp::routes::auth::configure;
use serde_json::Value;
use testkit::oidc::OidcProvider;

/// The public origin every guarded test uses (never contacted).
pub(crate) const BASE: &str = "https://mcp.example.test";
/// The resource derived from it.
pub(crate) const RESOURCE: &str = "https://mcp.example.test/mcp";
/// A client secret long enough to be accepted.
pub(crate) const SECRET: &str = "0123456789abcdef0123456789abcdef-first";

/// Settings from `(VARIABLE, value)` pairs, as the config crate would deliver them.
pub(crate) fn settings(pairs: &[(&str, &str)]) -> AuthSettings {
    let map: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), Value::from(*v)))
        .collect();
    serde_json::from_value(Value::Object(map)).expect("settings")
}

/// Starts a gate from pairs and `PUBLIC_BASE_URL` = [`BASE`].
pub(crate) fn gate(pairs: &[(&str, &str)]) -> Arc<AuthGate> {
    gate_with_http(pairs, reqwest::Client::new())
}

/// [`gate`] reaching the provider through `http` (e.g. one with a short timeout).
pub(crate) fn gate_with_http(pairs: &[(&str, &str)], http: reqwest::Client) -> Arc<AuthGate> {
    let config = AuthConfig::from_settings(&settings(pairs), Some(BASE)).expect("valid config");
    let public = url::Url::parse(BASE).expect("base url");
    AuthGate::start(config, http, OriginPolicy::new(Some(&public), &[]))
}

/// A gate trusting `provider`, with short cooldowns so tests stay fast, letting in anyone
/// the provider vouches for (`extra` may name an `ALLOWED_USERS` list instead).
pub(crate) fn provider_gate(provider: &OidcProvider, extra: &[(&str, &str)]) -> Arc<AuthGate> {
    let mut pairs = vec![
        ("AUTH_MODE", "oauth"),
        ("OIDC_ISSUER", provider.issuer()),
        ("JWKS_COOLDOWN_SECS", "0.2"),
        ("ALLOWED_USERS", "*"),
    ];
    pairs.extend_from_slice(extra);
    gate(&pairs)
}

/// A gate with only client credentials.
pub(crate) fn client_gate(secret: &str, extra: &[(&str, &str)]) -> Arc<AuthGate> {
    let mut pairs = vec![
        ("AUTH_MODE", "oauth"),
        ("OAUTH_CLIENT_ID", "scripts"),
        ("OAUTH_CLIENT_SECRET", secret),
    ];
    pairs.extend_from_slice(extra);
    gate(&pairs)
}

/// A token from the gate's own client-credentials grant, for a gate configured with client
/// `scripts` and [`SECRET`] (its subject is `scripts`).
pub(crate) fn issued_token(gate: &AuthGate) -> String {
    let issued = gate.token(
        format!("grant_type=client_credentials&client_id=scripts&client_secret={SECRET}")
            .as_bytes(),
        Some("application/x-www-form-urlencoded"),
        None,
        "127.0.0.1",
    );
    let body: Value = serde_json::from_str(&issued.body).expect("token JSON");
    body["access_token"].as_str().unwrap_or_default().to_owned()
}

/// One HTTP answer.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// A header as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }

    /// The `error` field of a JSON body.
    pub(crate) fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
}

/// Sends one request through the routes registered by `configure`.
pub(crate) async fn send(gate: &Arc<AuthGate>, request: test::TestRequest) -> Answer {
    let gate = Arc::clone(gate);
    let app = test::init_service(App::new().configure(move |cfg| configure(cfg, gate))).await;
    let response = test::call_service(&app, request.to_request()).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = test::read_body(response).await;
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// `GET /auth` with `Authorization: Bearer <token>`.
pub(crate) async fn auth(gate: &Arc<AuthGate>, token: &str) -> Answer {
    send(
        gate,
        test::TestRequest::get()
            .uri("/auth")
            .insert_header(("authorization", format!("Bearer {token}"))),
    )
    .await
}

/// Polls `condition` every 20 ms for up to two seconds.
pub(crate) async fn eventually<F, Fut>(mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..100 {
        if condition().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
