//! `/auth` against the stand-in OpenID provider: every way a token can be good or bad.

use actix_web::test::TestRequest;
use jsonwebtoken::Algorithm;
use serde_json::json;
use testkit::oidc::tokens::{self, now};
use testkit::oidc::{Mint, OidcProvider, SigningKey};

use crate::helpers::auth::{BASE, RESOURCE, auth, provider_gate, send};

/// The 401 without a token: where the metadata is, and the scope to sign in with (openid by
/// default, so no client is left without one).
const CHALLENGE: &str = "Bearer resource_metadata=\"https://mcp.example.test/.well-known/oauth-protected-resource/mcp\", scope=\"openid\"";

fn description(answer: &crate::helpers::auth::Answer) -> String {
    answer.json()["error_description"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn valid_token_yields_all_four_identity_headers() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let answer = auth(&gate, &provider.sign(&provider.claims(RESOURCE))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("x-auth-subject"), Some("auth0|user-1"));
    assert_eq!(
        answer.header("x-auth-scopes"),
        Some("openid profile read:data")
    );
    assert_eq!(answer.header("x-auth-client"), Some("chatgpt-client"));
    assert_eq!(answer.header("x-auth-issuer"), Some(provider.issuer()));
    assert!(
        !answer.body.contains("auth0|user-1"),
        "claims leaked into the body"
    );
}

#[actix_web::test]
async fn unknown_values_are_sent_as_empty_headers() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let mut claims = provider.claims(RESOURCE);
    for field in ["azp", "scope", "permissions"] {
        claims.as_object_mut().unwrap().remove(field);
    }
    claims["aud"] = json!(RESOURCE);
    let answer = auth(&gate, &provider.sign(&claims)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("x-auth-scopes"), Some(""));
    assert_eq!(answer.header("x-auth-client"), Some(""));
}

#[actix_web::test]
async fn forged_identity_headers_are_ignored() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let forged = |request: TestRequest| {
        request
            .insert_header(("x-auth-subject", "admin"))
            .insert_header(("x-auth-scopes", "everything"))
    };
    let token = provider.sign(&provider.claims(RESOURCE));
    let with_token = send(
        &gate,
        forged(TestRequest::get().uri("/auth"))
            .insert_header(("authorization", format!("Bearer {token}"))),
    )
    .await;
    assert_eq!(with_token.header("x-auth-subject"), Some("auth0|user-1"));
    assert_eq!(
        with_token.header("x-auth-scopes"),
        Some("openid profile read:data")
    );
    let without_token = send(&gate, forged(TestRequest::get().uri("/auth"))).await;
    assert_eq!(without_token.status, 401);
    assert!(without_token.header("x-auth-subject").is_none());
}

#[actix_web::test]
async fn no_token_gets_a_challenge_without_error() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let answer = send(&gate, TestRequest::get().uri("/auth")).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("www-authenticate"), Some(CHALLENGE));
    assert!(answer.json().get("error").is_none());
    let basic = send(
        &gate,
        TestRequest::get()
            .uri("/auth")
            .insert_header(("authorization", "Basic dTpw")),
    )
    .await;
    assert_eq!(basic.header("www-authenticate"), Some(CHALLENGE));
}

#[actix_web::test]
async fn garbage_and_empty_tokens_are_invalid() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    for token in ["garbage", "a.b.c", "", "a.b.c.d"] {
        let answer = auth(&gate, token).await;
        assert_eq!(answer.status, 401, "{token:?}");
        assert_eq!(answer.error(), "invalid_token", "{token:?}");
        let header = answer.header("www-authenticate").unwrap();
        assert!(
            header.starts_with("Bearer error=\"invalid_token\", error_description=\""),
            "{header}"
        );
        assert!(header.ends_with(
            "resource_metadata=\"https://mcp.example.test/.well-known/oauth-protected-resource/mcp\""
        ));
    }
}

#[actix_web::test]
async fn time_audience_and_issuer_are_enforced_with_helpful_descriptions() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let mut expired = provider.claims(RESOURCE);
    expired["exp"] = json!(now() - 120);
    let mut early = provider.claims(RESOURCE);
    early["nbf"] = json!(now() + 600);
    let mut other_audience = provider.claims(RESOURCE);
    other_audience["aud"] = json!(["https://other.example/mcp"]);
    let mut string_audience = provider.claims(RESOURCE);
    string_audience["aud"] = json!("https://other.example/mcp");
    let mut other_issuer = provider.claims(RESOURCE);
    other_issuer["iss"] = json!("https://evil.example/");
    let mut slashless_issuer = provider.claims(RESOURCE);
    slashless_issuer["iss"] = json!(provider.issuer().trim_end_matches('/'));
    let mut no_exp = provider.claims(RESOURCE);
    no_exp.as_object_mut().unwrap().remove("exp");
    let cases = [
        (expired, "expired"),
        (early, "not valid yet"),
        (other_audience, "another audience"),
        (string_audience, "another audience"),
        (other_issuer, "issuer this server does not trust"),
        (slashless_issuer, "issuer this server does not trust"),
        (no_exp, "exp"),
    ];
    for (claims, expected) in cases {
        let answer = auth(&gate, &provider.sign(&claims)).await;
        assert_eq!(answer.status, 401, "{expected}");
        assert_eq!(answer.error(), "invalid_token");
        assert!(
            description(&answer).contains(expected),
            "{expected}: {}",
            answer.body
        );
    }
    let mut within_leeway = provider.claims(RESOURCE);
    within_leeway["exp"] = json!(now() - 5);
    assert_eq!(
        auth(&gate, &provider.sign(&within_leeway)).await.status,
        200
    );
}

#[actix_web::test]
async fn forbidden_algorithms_and_forgeries_are_refused() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let claims = provider.claims(RESOURCE);
    let key = provider.current_key().unwrap();
    let valid = provider.sign(&claims);
    let forgeries = [
        (tokens::unsigned(&claims), "alg none"),
        (
            tokens::hs256(key.public_pem().as_bytes(), Some(key.kid()), &claims),
            "algorithm",
        ),
        (tokens::hs256(b"guess", None, &claims), "algorithm"),
        (tokens::tampered(&valid, "auth0|admin"), "signature"),
    ];
    for (token, expected) in forgeries {
        let answer = auth(&gate, &token).await;
        assert_eq!(answer.status, 401, "{expected}");
        assert!(
            description(&answer).contains(expected),
            "{expected}: {}",
            answer.body
        );
    }
    assert_eq!(auth(&gate, &valid).await.status, 200);
}

#[actix_web::test]
async fn rsa_keys_verify_rs256_and_ps256() {
    let provider = OidcProvider::start().await.unwrap();
    let rs = SigningKey::rsa("rsa-1", Algorithm::RS256).unwrap();
    let ps = SigningKey::rsa("rsa-2", Algorithm::PS256).unwrap();
    provider.publish(&rs);
    provider.publish(&ps);
    let gate = provider_gate(&provider, &[]);
    let claims = provider.claims(RESOURCE);
    assert_eq!(auth(&gate, &rs.sign(&claims)).await.status, 200);
    assert_eq!(auth(&gate, &ps.sign(&claims)).await.status, 200);
    let confused = tokens::hs256(rs.public_pem().as_bytes(), Some("rsa-1"), &claims);
    assert_eq!(auth(&gate, &confused).await.status, 401);
}

#[actix_web::test]
async fn encrypted_auth0_tokens_are_explained_without_fallback() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let token = tokens::encrypted(provider.issuer(), "n1");
    provider.accept_at_userinfo(&token, "auth0|user-1");
    let answer = auth(&gate, &token).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error(), "invalid_token");
    let why = description(&answer);
    assert!(
        why.contains("Resource Parameter Compatibility Profile"),
        "{why}"
    );
    assert!(why.contains(RESOURCE), "{why}");
    assert!(
        answer
            .header("www-authenticate")
            .unwrap()
            .contains("Compatibility Profile")
    );
    assert_eq!(provider.userinfo_requests(), 0);
}

#[actix_web::test]
async fn required_scopes_answer_403_insufficient_scope() {
    let provider = OidcProvider::start().await.unwrap();
    let granted = provider_gate(&provider, &[("REQUIRED_SCOPES", "read:data")]);
    let token = provider.sign(&provider.claims(RESOURCE));
    assert_eq!(auth(&granted, &token).await.status, 200);
    let strict = provider_gate(&provider, &[("REQUIRED_SCOPES", "read:data admin")]);
    let answer = auth(&strict, &token).await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.error(), "insufficient_scope");
    let header = answer.header("www-authenticate").unwrap();
    assert!(
        header.starts_with("Bearer error=\"insufficient_scope\", scope=\"read:data admin\""),
        "{header}"
    );
    assert!(header.contains(&format!(
        "resource_metadata=\"{BASE}/.well-known/oauth-protected-resource/mcp\""
    )));
    let missing = send(&strict, TestRequest::get().uri("/auth")).await;
    assert_eq!(
        missing.header("www-authenticate"),
        Some(
            CHALLENGE
                .replace("openid", "openid read:data admin")
                .as_str()
        )
    );
}

#[actix_web::test]
async fn foreign_origins_are_refused_before_anything_else() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let token = provider.sign(&provider.claims(RESOURCE));
    let with_origin = |origin: &str| {
        TestRequest::get()
            .uri("/auth")
            .insert_header(("origin", origin.to_owned()))
            .insert_header(("authorization", format!("Bearer {token}")))
    };
    let evil = send(&gate, with_origin("https://evil.example")).await;
    assert_eq!(evil.status, 403);
    assert!(evil.header("www-authenticate").is_none());
    // The refusal says what lets an origin in, as `/mcp` does.
    assert!(
        evil.body.contains("https://evil.example") && evil.body.contains("ALLOWED_ORIGINS"),
        "{}",
        evil.body
    );
    assert_eq!(send(&gate, with_origin("null")).await.status, 403);
    assert_eq!(send(&gate, with_origin(BASE)).await.status, 200);
    assert_eq!(
        send(&gate, with_origin("http://localhost:6274"))
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn auth_accepts_any_method_caddy_might_use() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let token = provider.sign(&provider.claims(RESOURCE));
    let answer = send(
        &gate,
        TestRequest::post()
            .uri("/auth")
            .insert_header(("authorization", format!("Bearer {token}"))),
    )
    .await;
    assert_eq!(answer.status, 200);
}

#[actix_web::test]
async fn every_hostile_token_kind_is_refused_as_invalid_token() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    assert_eq!(
        auth(&gate, &provider.mint(Mint::Valid, RESOURCE).unwrap())
            .await
            .status,
        200
    );
    for kind in Mint::HOSTILE {
        let answer = auth(&gate, &provider.mint(kind, RESOURCE).unwrap()).await;
        assert_eq!(
            (answer.status, answer.error().as_str()),
            (401, "invalid_token"),
            "{kind:?}"
        );
        assert!(answer.header("x-auth-subject").is_none(), "{kind:?}");
    }
}

#[actix_web::test]
async fn id_tokens_and_other_token_types_are_refused() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let key = provider.current_key().unwrap();
    let claims = provider.claims(RESOURCE);
    for typ in ["at+jwt", "application/at+jwt", "JWT"] {
        let answer = auth(&gate, &key.sign_typed(&claims, typ)).await;
        assert_eq!(answer.status, 200, "{typ}: {}", answer.body);
    }
    let answer = auth(&gate, &key.sign_typed(&claims, "id_token+jwt")).await;
    assert_eq!(answer.status, 401);
    assert!(
        description(&answer).contains("not an access token"),
        "{}",
        answer.body
    );
    // An ID token for the right audience: only its nonce gives it away.
    let answer = auth(&gate, &provider.mint(Mint::IdToken, RESOURCE).unwrap()).await;
    assert_eq!(answer.status, 401);
    assert!(description(&answer).contains("ID token"), "{}", answer.body);
}

/// A token for `subject` with extra claims.
fn token_of(provider: &OidcProvider, subject: &str, extra: serde_json::Value) -> String {
    let mut claims = provider.claims(RESOURCE);
    claims["sub"] = json!(subject);
    if let (Some(claims), Some(extra)) = (claims.as_object_mut(), extra.as_object()) {
        claims.extend(extra.clone());
    }
    provider.sign(&claims)
}

#[actix_web::test]
async fn the_access_list_admits_listed_subjects_and_names_everyone_else() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[("ALLOWED_USERS", "auth0|owner, auth0|friend")]);
    for listed in ["auth0|owner", "auth0|friend"] {
        let answer = auth(&gate, &token_of(&provider, listed, json!({}))).await;
        assert_eq!(answer.status, 200, "{listed}: {}", answer.body);
        assert_eq!(answer.header("x-auth-subject"), Some(listed));
    }
    // A stranger who signed up at the provider holds a perfectly valid token.
    let answer = auth(&gate, &token_of(&provider, "auth0|stranger", json!({}))).await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.error(), "access_denied");
    let why = description(&answer);
    assert!(
        why.contains("auth0|stranger") && why.contains("ALLOWED_USERS"),
        "{why}"
    );
    assert!(answer.header("x-auth-subject").is_none());
    // No challenge: signing in again would not help, and clients would loop.
    assert!(answer.header("www-authenticate").is_none());
}

#[actix_web::test]
async fn email_entries_match_the_verified_address_in_the_configured_claim() {
    let provider = OidcProvider::start().await.unwrap();
    let list = ("ALLOWED_USERS", "Owner@Example.com");
    let standard = provider_gate(&provider, &[list]);
    let owner = token_of(&provider, "auth0|1", json!({"email": "owner@example.com"}));
    assert_eq!(auth(&standard, &owner).await.status, 200);
    let unverified = token_of(
        &provider,
        "auth0|2",
        json!({"email": "owner@example.com", "email_verified": false}),
    );
    assert_eq!(auth(&standard, &unverified).await.status, 403);
    let stranger = token_of(&provider, "auth0|3", json!({"email": "x@example.com"}));
    assert_eq!(auth(&standard, &stranger).await.status, 403);

    // Auth0 puts the address in a namespaced claim that an Action adds.
    let claim = "https://mcp.example.test/email";
    let auth0 = provider_gate(&provider, &[list, ("EMAIL_CLAIM", claim)]);
    let namespaced = token_of(&provider, "auth0|4", json!({claim: "owner@example.com"}));
    assert_eq!(auth(&auth0, &namespaced).await.status, 200);
    assert_eq!(
        auth(&auth0, &owner).await.status,
        403,
        "wrong claim counted"
    );
}

#[actix_web::test]
async fn the_owners_client_credentials_pass_any_access_list() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(
        &provider,
        &[
            ("ALLOWED_USERS", "auth0|owner"),
            ("OAUTH_CLIENT_ID", "scripts"),
            ("OAUTH_CLIENT_SECRET", crate::helpers::auth::SECRET),
        ],
    );
    let answer = auth(&gate, &crate::helpers::auth::issued_token(&gate)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("x-auth-subject"), Some("scripts"));
}
