//! Fault injection at the identity provider, beyond what the `auth_keys` tests show (down at
//! startup, down later, rotation, one shared refetch): a provider that hangs or crawls, a
//! sustained flood of unknown key ids, a provider that publishes garbage, an empty or an
//! oversized key set, redirects elsewhere or names a key set over plain http, and the whole
//! server starting while the provider cannot be reached.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use real_estate_mcp::auth::{AuthGate, provider_client};
use serde_json::json;
use testkit::net::closed_address;
use testkit::oidc::tokens::segment;
use testkit::oidc::{OidcProvider, SigningKey};

use crate::helpers::auth::{BASE, RESOURCE, auth, eventually, gate_with_http};

/// The provider timeout the gates below are given (the server uses 10 s).
const PROVIDER_TIMEOUT: Duration = Duration::from_millis(300);
/// A provider slower than this is hung as far as the gate is concerned.
const HUNG: Duration = Duration::from_secs(30);
/// What "at once" means for an answer that needs no provider: far below the timeout's
/// multiples, with slack for a loaded CI machine.
const AT_ONCE: Duration = Duration::from_millis(250);

/// A gate trusting `provider` whose provider requests time out after [`PROVIDER_TIMEOUT`].
fn gate(provider: &OidcProvider, extra: &[(&str, &str)]) -> Arc<AuthGate> {
    let mut pairs = vec![
        ("AUTH_MODE", "oauth"),
        ("OIDC_ISSUER", provider.issuer()),
        ("ALLOWED_USERS", "*"),
    ];
    pairs.extend_from_slice(extra);
    gate_with_http(
        &pairs,
        provider_client(PROVIDER_TIMEOUT, PROVIDER_TIMEOUT).unwrap(),
    )
}

/// A fresh token for `subject` signed by `key` (fresh, so the verification cache cannot
/// answer for it).
fn token(provider: &OidcProvider, key: &SigningKey, subject: &str) -> String {
    let mut claims = provider.claims(RESOURCE);
    claims["sub"] = json!(subject);
    key.sign(&claims)
}

async fn timed_auth(gate: &Arc<AuthGate>, token: &str) -> (u16, String, Duration) {
    let started = Instant::now();
    let answer = auth(gate, token).await;
    (answer.status, answer.body, started.elapsed())
}

#[actix_web::test]
async fn a_hung_provider_delays_only_the_requests_that_need_it_and_those_boundedly() {
    let provider = OidcProvider::start().await.unwrap();
    // A cooldown shorter than the timeout: the burst below must still share one fetch.
    let gate = gate(&provider, &[("JWKS_COOLDOWN_SECS", "0.2")]);
    let key = provider.current_key().unwrap();
    assert_eq!(
        auth(&gate, &token(&provider, &key, "warm-up")).await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(250)).await; // let the startup fetch's cooldown pass
    let fetched = provider.discovery_requests();

    provider.set_latency(HUNG);
    let (status, body, took) = timed_auth(&gate, &token(&provider, &key, "known-key")).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        took < AT_ONCE,
        "a known key waited {took:?} on the hung provider"
    );

    // Twenty tokens naming keys nobody published arrive together: one refetch is tried,
    // it times out, and every one of them is answered within that one timeout: 503, as the
    // provider may have published the key meanwhile (not 401, which would end the session).
    let started = Instant::now();
    let strangers = (0..20).map(|i| {
        let gate = Arc::clone(&gate);
        let token = SigningKey::ec(&format!("stranger-{i}"))
            .unwrap()
            .sign(&provider.claims(RESOURCE));
        async move { gate.authorize(Some(&format!("Bearer {token}")), None).await }
    });
    let replies = futures::future::join_all(strangers).await;
    let took = started.elapsed();
    assert!(
        replies
            .iter()
            .all(|r| r.status == 503 && r.headers.iter().any(|(name, _)| *name == "retry-after")),
        "{replies:?}"
    );
    assert!(took < PROVIDER_TIMEOUT * 3, "the burst took {took:?}");
    assert_eq!(
        provider.discovery_requests(),
        fetched + 1,
        "one refetch for the burst"
    );

    // Known keys still decide at once while that refetch is being waited out elsewhere.
    let (status, _, took) = timed_auth(&gate, &token(&provider, &key, "still-known")).await;
    assert_eq!((status, took < AT_ONCE), (200, true), "{took:?}");
}

#[actix_web::test]
async fn a_provider_hung_at_startup_gets_503_within_the_timeout_never_a_hang() {
    let provider = OidcProvider::start().await.unwrap();
    provider.set_latency(HUNG);
    let gate = gate(&provider, &[("JWKS_COOLDOWN_SECS", "0.2")]);
    let key = provider.current_key().unwrap();
    let (status, body, took) = timed_auth(&gate, &token(&provider, &key, "early")).await;
    assert_eq!(status, 503, "{body}");
    assert!(took < PROVIDER_TIMEOUT * 4, "took {took:?}");

    // Slow but within the timeout: keys arrive and the same kind of token is accepted.
    provider.set_latency(Duration::from_millis(50));
    assert!(
        eventually(|| async { auth(&gate, &token(&provider, &key, "later")).await.status == 200 })
            .await
    );
}

#[actix_web::test]
async fn a_flood_of_unknown_key_ids_costs_at_most_one_fetch_per_cooldown() {
    let provider = OidcProvider::start().await.unwrap();
    let cooldown = Duration::from_millis(250);
    let gate = gate(&provider, &[("JWKS_COOLDOWN_SECS", "0.25")]);
    let key = provider.current_key().unwrap();
    assert_eq!(
        auth(&gate, &token(&provider, &key, "warm-up")).await.status,
        200
    );
    let before = provider.jwks_requests();

    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let flooders = (0..4).map(|worker| {
        let (gate, sent) = (Arc::clone(&gate), Arc::clone(&sent));
        let claims = provider.claims(RESOURCE);
        async move {
            let mut n = 0;
            while started.elapsed() < Duration::from_millis(1_300) {
                let forged = SigningKey::ec(&format!("flood-{worker}-{n}"))
                    .unwrap()
                    .sign(&claims);
                let reply = gate
                    .authorize(Some(&format!("Bearer {forged}")), None)
                    .await;
                assert_eq!(reply.status, 401, "{}", reply.body);
                sent.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }
    });
    futures::future::join_all(flooders).await;
    let elapsed = started.elapsed();
    let fetches = provider.jwks_requests() - before;
    let windows = (elapsed.as_secs_f64() / cooldown.as_secs_f64()).ceil() as usize;
    let sent = sent.load(Ordering::Relaxed);
    assert!(
        sent > 4 * windows,
        "too few requests to prove anything: {sent}"
    );
    assert!(
        fetches <= windows + 1,
        "{fetches} key fetches for {sent} forged tokens in {elapsed:?}"
    );
    // The provider's real keys are untouched by the flood.
    assert_eq!(
        auth(&gate, &token(&provider, &key, "after")).await.status,
        200
    );
}

#[actix_web::test]
async fn a_broken_or_empty_key_set_keeps_the_last_good_keys_until_a_real_rotation() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = gate(
        &provider,
        &[
            ("JWKS_REFRESH_SECS", "0.05"),
            ("JWKS_COOLDOWN_SECS", "0.05"),
        ],
    );
    let old = provider.current_key().unwrap();
    assert_eq!(
        auth(&gate, &token(&provider, &old, "first")).await.status,
        200
    );

    let refreshed = |after: usize| {
        let provider = &provider;
        async move { eventually(|| async { provider.jwks_requests() > after + 1 }).await }
    };
    provider.set_garbage(true);
    let at = provider.discovery_requests();
    assert!(eventually(|| async { provider.discovery_requests() > at + 1 }).await);
    let answer = auth(&gate, &token(&provider, &old, "during-garbage")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    provider.set_garbage(false);

    provider.retire(old.kid());
    assert!(refreshed(provider.jwks_requests()).await);
    let answer = auth(&gate, &token(&provider, &old, "during-empty-set")).await;
    assert_eq!(
        answer.status, 200,
        "an empty key set locked everyone out: {}",
        answer.body
    );

    // A real rotation replaces the whole set: the new key works (once a fetch after the
    // cooldown sees it), the old one no longer.
    let next = SigningKey::ec("key-2").unwrap();
    provider.publish(&next);
    let rotated = token(&provider, &next, "rotated");
    assert!(eventually(|| async { auth(&gate, &rotated).await.status == 200 }).await);
    assert!(refreshed(provider.jwks_requests()).await);
    assert_eq!(
        auth(&gate, &token(&provider, &old, "stale")).await.status,
        401
    );
}

#[actix_web::test]
async fn an_oversized_key_set_is_not_read() {
    let provider = OidcProvider::start().await.unwrap();
    provider.set_jwks_padding(300 * 1024);
    let gate = gate(&provider, &[("JWKS_COOLDOWN_SECS", "0.1")]);
    let key = provider.current_key().unwrap();
    let answer = auth(&gate, &token(&provider, &key, "big")).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    provider.set_jwks_padding(1024);
    assert!(
        eventually(|| async { auth(&gate, &token(&provider, &key, "small")).await.status == 200 })
            .await
    );
}

#[actix_web::test]
async fn provider_documents_come_over_https_and_from_the_providers_origin_only() {
    let provider = OidcProvider::start().await.unwrap();
    let key = provider.current_key().unwrap();

    // A key set over plain http on a public host is never requested at all.
    provider.set_jwks_uri(Some("http://keys.example/jwks.json".to_owned()));
    let plain = gate(&provider, &[("JWKS_COOLDOWN_SECS", "0.1")]);
    assert_eq!(auth(&plain, &token(&provider, &key, "a")).await.status, 503);
    provider.set_jwks_uri(None);

    // A redirect to another origin (here: the same server named `localhost`) is not
    // followed by the server's client, and its document would not be used by any client.
    provider.set_discovery_redirect(Some(provider.moved_url("localhost")));
    let redirected = gate(&provider, &[("JWKS_COOLDOWN_SECS", "0.1")]);
    assert_eq!(
        auth(&redirected, &token(&provider, &key, "b")).await.status,
        503
    );
    assert_eq!(provider.moved_requests(), 0, "the redirect was followed");
    let following = crate::helpers::auth::provider_gate(&provider, &[]);
    assert_eq!(
        auth(&following, &token(&provider, &key, "c")).await.status,
        503
    );
    assert!(provider.moved_requests() > 0, "that client did not follow");

    // Within the provider's own origin a redirect is fine.
    provider.set_discovery_redirect(Some(provider.moved_url("127.0.0.1")));
    let same_origin = gate(&provider, &[]);
    assert!(
        eventually(|| async {
            auth(&same_origin, &token(&provider, &key, "d"))
                .await
                .status
                == 200
        })
        .await
    );
}

#[actix_web::test]
async fn the_server_starts_and_stays_healthy_while_the_provider_is_unreachable() {
    let issuer = format!("http://{}/", closed_address().unwrap());
    let app = crate::helpers::app::spawn_app(&[
        ("auth_mode", "oauth"),
        ("public_base_url", BASE),
        ("oidc_issuer", issuer.as_str()),
        ("allowed_users", "*"),
        ("jwks_cooldown_secs", "0.2"),
    ])
    .await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let answer = app
        .http
        .get(app.url("/auth"))
        .bearer_auth("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    let provider_token = format!(
        "{}.{}.c2ln",
        segment(json!({"alg": "ES256", "kid": "key-1"}).to_string()),
        segment(json!({"iss": issuer, "sub": "u", "aud": RESOURCE}).to_string())
    );
    let answer = app
        .http
        .get(app.url("/auth"))
        .bearer_auth(provider_token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 503);
    assert!(answer.headers().contains_key("retry-after"));
    // And /mcp stays shut to anyone Caddy did not vouch for.
    let listed = app.modern("tools/list", None, json!({})).await;
    assert_eq!(listed.status(), 401);
}
