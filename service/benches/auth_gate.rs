//! Cost of `/auth` decisions: a token seen before (cache hit, the hot path) versus a token
//! verified for the first time (ES256 signature and claim checks); and the cost of `/mcp`
//! reading its caller: the identity headers alone (what it did before) versus the headers
//! checked against the token Caddy passes on (what it does now, with the cached verdict).

use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use http::header::{HeaderMap, HeaderName, HeaderValue};
use real_estate_mcp::{
    auth::{AuthConfig, AuthGate, AuthSettings, Identity},
    origin::OriginPolicy,
};
use serde_json::{Value, json};
use testkit::oidc::OidcProvider;

const RESOURCE: &str = "https://mcp.example.test/mcp";

fn gate(provider: &OidcProvider) -> Arc<AuthGate> {
    let settings: AuthSettings = serde_json::from_value(json!({
        "auth_mode": "oauth",
        "oidc_issuer": provider.issuer(),
        "allowed_users": "*",
    }))
    .expect("settings");
    let config =
        AuthConfig::from_settings(&settings, Some("https://mcp.example.test")).expect("config");
    AuthGate::start(config, reqwest::Client::new(), OriginPolicy::default())
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (provider, gate) = runtime.block_on(async {
        let provider = OidcProvider::start().await.expect("provider");
        let gate = gate(&provider);
        (provider, gate)
    });
    let header = format!("Bearer {}", provider.sign(&provider.claims(RESOURCE)));
    let warm = runtime.block_on(gate.authorize(Some(&header), None));
    assert_eq!(warm.status, 200, "{}", warm.body);

    c.bench_function("auth/cached_token", |b| {
        b.to_async(&runtime)
            .iter(|| async { gate.authorize(Some(&header), None).await.status })
    });

    // What Caddy sends to /mcp after /auth allowed the request.
    let mut forwarded = HeaderMap::new();
    for (name, value) in [
        ("x-auth-subject", "auth0|user-1"),
        ("x-auth-scopes", "openid profile read:data"),
        ("x-auth-client", "chatgpt-client"),
        ("x-auth-issuer", provider.issuer()),
        ("authorization", header.as_str()),
    ] {
        forwarded.insert(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("header value"),
        );
    }
    let checked = runtime.block_on(gate.caller(&forwarded));
    assert!(
        checked.is_ok_and(|c| c.is_some()),
        "the caller check refused"
    );
    c.bench_function("mcp_caller/headers_only", |b| {
        b.iter(|| Identity::from_forwarded_headers(&forwarded).is_ok())
    });
    c.bench_function("mcp_caller/headers_and_cached_token", |b| {
        b.to_async(&runtime)
            .iter(|| async { gate.caller(&forwarded).await.is_ok() })
    });

    let mut serial = 0_u64;
    c.bench_function("auth/first_sight_es256", |b| {
        b.to_async(&runtime).iter_batched(
            || {
                serial += 1;
                let mut claims: Value = provider.claims(RESOURCE);
                claims["sub"] = json!(format!("user-{serial}"));
                format!("Bearer {}", provider.sign(&claims))
            },
            |header| {
                let gate = Arc::clone(&gate);
                async move { gate.authorize(Some(&header), None).await.status }
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
