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

#[actix_web::test]
async fn a_new_key_works_at_once_after_startup_and_after_a_scheduled_refresh() {
    let provider = OidcProvider::start().await.unwrap();
    // The production cooldown: under the old rule the startup fetch (and every scheduled
    // refresh) held a rotated key back for up to this long.
    let settings = [("JWKS_COOLDOWN_SECS", "30"), ("JWKS_REFRESH_SECS", "0.3")];
    let gate = provider_gate(&provider, &settings);
    assert!(eventually(|| async { provider.jwks_requests() == 1 }).await);
    let rotated = SigningKey::ec("key-2").unwrap();
    provider.publish(&rotated);
    let answer = auth(&gate, &rotated.sign(&provider.claims(RESOURCE))).await;
    assert_eq!(answer.status, 200, "right after startup: {}", answer.body);

    // Unknown kids cost at most one unscheduled fetch per cooldown: that one is spent.
    let fetched = provider.jwks_requests();
    for n in 0..5 {
        let stranger = SigningKey::ec(&format!("stranger-{n}")).unwrap();
        let answer = auth(&gate, &stranger.sign(&provider.claims(RESOURCE))).await;
        assert_eq!(answer.status, 401, "{}", answer.body);
    }
    assert!(
        provider.jwks_requests() <= fetched + 1,
        "{} fetches for five strangers",
        provider.jwks_requests() - fetched
    );

    // Another server that has only had its scheduled fetches: startup, then a refresh.
    drop(gate);
    let fresh = provider_gate(&provider, &settings);
    let before = provider.jwks_requests();
    assert!(eventually(|| async { provider.jwks_requests() >= before + 2 }).await);
    let again = SigningKey::ec("key-3").unwrap();
    provider.publish(&again);
    let answer = auth(&fresh, &again.sign(&provider.claims(RESOURCE))).await;
    assert_eq!(answer.status, 200, "right after a refresh: {}", answer.body);
}

#[actix_web::test]
async fn an_unknown_kid_while_the_provider_is_down_is_503_not_401() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    assert_eq!(
        auth(&gate, &provider.sign(&provider.claims(RESOURCE)))
            .await
            .status,
        200
    );
    tokio::time::sleep(Duration::from_millis(250)).await; // past the cooldown
    provider.set_down(true);
    let rotated = SigningKey::ec("key-2").unwrap();
    let token = rotated.sign(&provider.claims(RESOURCE));
    let answer = auth(&gate, &token).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.header("retry-after").is_some());
    // Known keys keep working meanwhile.
    let mut known = provider.claims(RESOURCE);
    known["sub"] = json!("auth0|user-9");
    assert_eq!(auth(&gate, &provider.sign(&known)).await.status, 200);

    provider.publish(&rotated);
    provider.set_down(false);
    assert!(eventually(|| async { auth(&gate, &token).await.status == 200 }).await);
}

#[actix_web::test]
async fn keys_that_could_not_be_refreshed_expire_after_the_maximum_age() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(
        &provider,
        &[("JWKS_REFRESH_SECS", "0.1"), ("JWKS_MAX_AGE_SECS", "0.6")],
    );
    let token = |n: u32| {
        let mut claims = provider.claims(RESOURCE);
        claims["sub"] = json!(format!("auth0|user-{n}"));
        provider.sign(&claims)
    };
    assert_eq!(auth(&gate, &token(1)).await.status, 200);
    provider.set_down(true);
    assert_eq!(
        auth(&gate, &token(2)).await.status,
        200,
        "still fresh enough"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    let answer = auth(&gate, &token(3)).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.header("retry-after").is_some());
    provider.set_down(false);
    assert!(eventually(|| async { auth(&gate, &token(4)).await.status == 200 }).await);
}
