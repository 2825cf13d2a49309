//! The opt-in `/userinfo` fallback for encrypted Auth0 tokens: once per token, cached.

use testkit::oidc::OidcProvider;
use testkit::oidc::tokens;

use crate::helpers::auth::{auth, provider_gate};

const FALLBACK: (&str, &str) = ("AUTH0_USERINFO_FALLBACK", "true");

#[actix_web::test]
async fn encrypted_token_is_accepted_through_one_userinfo_call() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[FALLBACK]);
    let token = tokens::encrypted(provider.issuer(), "ok");
    provider.accept_at_userinfo(&token, "auth0|user-9");
    for _ in 0..3 {
        let answer = auth(&gate, &token).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.header("x-auth-subject"), Some("auth0|user-9"));
        assert_eq!(answer.header("x-auth-issuer"), Some(provider.issuer()));
        assert_eq!(answer.header("x-auth-scopes"), Some(""));
    }
    assert_eq!(provider.userinfo_requests(), 1);
}

#[actix_web::test]
async fn concurrent_requests_share_one_userinfo_call() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[FALLBACK]);
    let token = tokens::encrypted(provider.issuer(), "busy");
    provider.accept_at_userinfo(&token, "auth0|user-9");
    let header = format!("Bearer {token}");
    let calls = (0..6).map(|_| gate.authorize(Some(&header), None));
    let statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|reply| reply.status)
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(provider.userinfo_requests(), 1);
}

#[actix_web::test]
async fn refused_tokens_are_remembered_and_outages_are_503() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[FALLBACK]);
    let unknown = tokens::encrypted(provider.issuer(), "unknown");
    for _ in 0..3 {
        let answer = auth(&gate, &unknown).await;
        assert_eq!(answer.status, 401);
        assert_eq!(answer.error(), "invalid_token");
    }
    assert_eq!(
        provider.userinfo_requests(),
        1,
        "a refusal must not drain the quota"
    );

    let later = tokens::encrypted(provider.issuer(), "later");
    provider.accept_at_userinfo(&later, "auth0|user-9");
    assert_eq!(auth(&gate, &later).await.status, 200);
    provider.set_down(true);
    let during = tokens::encrypted(provider.issuer(), "during");
    let answer = auth(&gate, &during).await;
    assert_eq!(answer.status, 503);
    assert!(answer.header("retry-after").is_some());
    assert_eq!(
        auth(&gate, &later).await.status,
        200,
        "cached answers survive outages"
    );
}

#[actix_web::test]
async fn fallback_identities_cannot_meet_required_scopes() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[FALLBACK, ("REQUIRED_SCOPES", "read:data")]);
    let token = tokens::encrypted(provider.issuer(), "scoped");
    provider.accept_at_userinfo(&token, "auth0|user-9");
    assert_eq!(auth(&gate, &token).await.status, 403);
}
