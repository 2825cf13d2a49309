//! Key handling against the stand-in provider: background fetch at startup, rotation, the
//! shared and rate-limited refetch on an unknown kid, and provider outages.

use std::time::Duration;

use serde_json::json;
use testkit::oidc::{OidcProvider, SigningKey};

use crate::helpers::auth::{RESOURCE, auth, eventually, provider_gate};

#[actix_web::test]
async fn keys_are_fetched_in_the_background_at_startup() {
    let provider = OidcProvider::start().await.unwrap();
    let _gate = provider_gate(&provider, &[]);
    assert!(eventually(|| async { provider.jwks_requests() == 1 }).await);
    assert_eq!(provider.discovery_requests(), 1);
}

#[actix_web::test]
async fn unknown_kid_refetches_once_then_rotation_is_picked_up() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let claims = provider.claims(RESOURCE);
    assert_eq!(auth(&gate, &provider.sign(&claims)).await.status, 200);
    tokio::time::sleep(Duration::from_millis(250)).await; // let the startup cooldown pass
    let fetched = provider.jwks_requests();

    let next = SigningKey::ec("key-2").unwrap();
    let rotated = next.sign(&claims);
    let answer = auth(&gate, &rotated).await;
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("does not publish"), "{}", answer.body);
    assert_eq!(
        provider.jwks_requests(),
        fetched + 1,
        "one refetch for the unknown kid"
    );
    assert_eq!(auth(&gate, &rotated).await.status, 401);
    assert_eq!(
        provider.jwks_requests(),
        fetched + 1,
        "cooldown holds further refetches"
    );

    provider.publish(&next);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(auth(&gate, &rotated).await.status, 200);
    assert_eq!(provider.jwks_requests(), fetched + 2);
}

#[actix_web::test]
async fn concurrent_requests_share_one_refetch() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[("JWKS_COOLDOWN_SECS", "30")]);
    assert_eq!(
        auth(&gate, &provider.sign(&provider.claims(RESOURCE)))
            .await
            .status,
        200
    );
    let fetched = provider.jwks_requests();
    let next = SigningKey::ec("key-2").unwrap();
    provider.publish(&next);
    let requests = (0..8).map(|i| {
        let mut claims = provider.claims(RESOURCE);
        claims["sub"] = json!(format!("user-{i}"));
        let token = next.sign(&claims);
        let gate = gate.clone();
        async move {
            gate.authorize(Some(&format!("Bearer {token}")), None)
                .await
                .status
        }
    });
    let statuses = futures::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(provider.jwks_requests(), fetched + 1);
}

#[actix_web::test]
async fn provider_down_at_startup_gives_503_then_recovers() {
    let provider = OidcProvider::start().await.unwrap();
    provider.set_down(true);
    let gate = provider_gate(&provider, &[]);
    let token = provider.sign(&provider.claims(RESOURCE));
    let answer = auth(&gate, &token).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.header("retry-after"), Some("1"));
    assert!(answer.header("x-auth-subject").is_none());
    let metadata = crate::helpers::auth::send(
        &gate,
        actix_web::test::TestRequest::get().uri("/.well-known/oauth-protected-resource"),
    )
    .await;
    assert_eq!(metadata.status, 503);

    provider.set_down(false);
    assert!(eventually(|| async { auth(&gate, &token).await.status == 200 }).await);
}

#[actix_web::test]
async fn provider_down_later_keeps_the_last_good_keys() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[("JWKS_REFRESH_SECS", "0.05")]);
    assert_eq!(
        auth(&gate, &provider.sign(&provider.claims(RESOURCE)))
            .await
            .status,
        200
    );
    provider.set_down(true);
    let before = provider.discovery_requests();
    assert!(eventually(|| async { provider.discovery_requests() >= before + 2 }).await);
    let mut fresh = provider.claims(RESOURCE);
    fresh["sub"] = json!("auth0|user-2");
    let answer = auth(&gate, &provider.sign(&fresh)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("x-auth-subject"), Some("auth0|user-2"));
}

#[actix_web::test]
async fn retired_keys_stop_verifying_new_tokens_after_refresh() {
    let provider = OidcProvider::start().await.unwrap();
    let next = SigningKey::ec("key-2").unwrap();
    provider.publish(&next);
    let gate = provider_gate(&provider, &[("JWKS_REFRESH_SECS", "0.05")]);
    let old = provider.current_key().unwrap();
    assert_eq!(
        auth(&gate, &old.sign(&provider.claims(RESOURCE)))
            .await
            .status,
        200
    );
    provider.retire(old.kid());
    let before = provider.jwks_requests();
    assert!(eventually(|| async { provider.jwks_requests() > before }).await);
    let mut fresh = provider.claims(RESOURCE);
    fresh["sub"] = json!("auth0|user-3");
    assert_eq!(auth(&gate, &old.sign(&fresh)).await.status, 401);
    assert_eq!(auth(&gate, &next.sign(&fresh)).await.status, 200);
}
