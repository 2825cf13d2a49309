//! `POST /oauth/token` (built-in client credentials) and its tokens at `/auth`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use real_estate_mcp::auth::AuthGate;
use serde_json::Value;
use testkit::oidc::tokens::{self, now};

use crate::helpers::auth::{Answer, BASE, RESOURCE, SECRET, auth, client_gate, send};

const FORM: &str = "application/x-www-form-urlencoded";

fn peer(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 40000))
}

async fn post(gate: &Arc<AuthGate>, body: &str, from: u8) -> Answer {
    post_with(gate, body, from, None).await
}

/// A token request from peer `from`, with one extra header as a client or Caddy sends it.
async fn post_with(
    gate: &Arc<AuthGate>,
    body: &str,
    from: u8,
    header: Option<(&str, String)>,
) -> Answer {
    let mut request = TestRequest::post()
        .uri("/oauth/token")
        .peer_addr(peer(from))
        .insert_header(("content-type", FORM));
    if let Some(header) = header {
        request = request.insert_header(header);
    }
    send(gate, request.set_payload(body.to_owned())).await
}

async fn post_basic(gate: &Arc<AuthGate>, id: &str, secret: &str, body: &str) -> Answer {
    send(
        gate,
        TestRequest::post()
            .uri("/oauth/token")
            .peer_addr(peer(1))
            .insert_header(("content-type", FORM))
            .insert_header((
                "authorization",
                format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
            ))
            .set_payload(body.to_owned()),
    )
    .await
}

fn good_body(secret: &str) -> String {
    format!("grant_type=client_credentials&client_id=scripts&client_secret={secret}")
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[actix_web::test]
async fn post_body_credentials_get_a_token_that_passes_auth() {
    let gate = client_gate(SECRET, &[("OAUTH_TOKEN_TTL", "600")]);
    let answer = post(&gate, &good_body(SECRET), 1).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let body = answer.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    assert!(body.get("scope").is_none());
    let token = body["access_token"].as_str().unwrap();
    let claims = claims_of(token);
    assert_eq!(claims["iss"], BASE);
    assert_eq!(claims["aud"], RESOURCE);
    assert_eq!(claims["sub"], "scripts");
    let exp = claims["exp"].as_u64().unwrap();
    assert!(exp >= now() + 590 && exp <= now() + 600, "{exp}");
    assert!(!answer.body.contains(SECRET));

    let checked = auth(&gate, token).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert_eq!(checked.header("x-auth-subject"), Some("scripts"));
    assert_eq!(checked.header("x-auth-client"), Some("scripts"));
    assert_eq!(checked.header("x-auth-issuer"), Some(BASE));
}

#[actix_web::test]
async fn basic_credentials_and_scopes_work() {
    let gate = client_gate(SECRET, &[("REQUIRED_SCOPES", "mcp read")]);
    let answer = post_basic(&gate, "scripts", SECRET, "grant_type=client_credentials").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["scope"], "mcp read");
    let token = answer.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        auth(&gate, &token).await.header("x-auth-scopes"),
        Some("mcp read")
    );

    let narrow = post_basic(
        &gate,
        "scripts",
        SECRET,
        "grant_type=client_credentials&scope=mcp",
    )
    .await;
    let narrow_token = narrow.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        auth(&gate, &narrow_token).await.status,
        403,
        "required scope missing"
    );
}

#[actix_web::test]
async fn every_failure_is_an_rfc6749_error() {
    let gate = client_gate(SECRET, &[("OAUTH_FAILURE_LIMIT", "100")]);
    let cases = [
        (
            good_body("wrong-secret-wrong-secret-wrong-secret"),
            401,
            "invalid_client",
        ),
        (
            format!("grant_type=client_credentials&client_id=other&client_secret={SECRET}"),
            401,
            "invalid_client",
        ),
        (
            "grant_type=client_credentials".to_owned(),
            401,
            "invalid_client",
        ),
        (
            format!("client_id=scripts&client_secret={SECRET}"),
            400,
            "invalid_request",
        ),
        (
            format!("grant_type=authorization_code&client_id=scripts&client_secret={SECRET}"),
            400,
            "unsupported_grant_type",
        ),
        (
            format!("grant_type=client_credentials&client_secret={SECRET}"),
            400,
            "invalid_request",
        ),
        (
            format!("{}&grant_type=client_credentials", good_body(SECRET)),
            400,
            "invalid_request",
        ),
        (
            format!("{}&scope=admin", good_body(SECRET)),
            400,
            "invalid_scope",
        ),
    ];
    for (body, status, error) in cases {
        let answer = post(&gate, &body, 2).await;
        assert_eq!(
            (answer.status, answer.error().as_str()),
            (status, error),
            "{body}"
        );
        assert!(answer.json()["error_description"].is_string());
        assert!(!answer.body.contains(SECRET), "secret echoed for {body}");
        assert_eq!(answer.header("cache-control"), Some("no-store"));
    }
}

#[actix_web::test]
async fn malformed_requests_are_refused() {
    let gate = client_gate(SECRET, &[]);
    let basic_wrong = post_basic(&gate, "scripts", "nope", "grant_type=client_credentials").await;
    assert_eq!(basic_wrong.status, 401);
    assert_eq!(
        basic_wrong.header("www-authenticate"),
        Some("Basic realm=\"real-estate-mcp\"")
    );
    let both = post_basic(&gate, "scripts", SECRET, &good_body(SECRET)).await;
    assert_eq!(
        (both.status, both.error().as_str()),
        (400, "invalid_request")
    );
    let json = send(
        &gate,
        TestRequest::post()
            .uri("/oauth/token")
            .insert_header(("content-type", "application/json"))
            .set_payload(r#"{"grant_type":"client_credentials"}"#),
    )
    .await;
    assert_eq!(
        (json.status, json.error().as_str()),
        (400, "invalid_request")
    );
    let get = send(&gate, TestRequest::get().uri("/oauth/token")).await;
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));
}

#[actix_web::test]
async fn repeated_failures_from_one_address_are_slowed_down() {
    let gate = client_gate(
        SECRET,
        &[
            ("OAUTH_FAILURE_LIMIT", "3"),
            ("OAUTH_FAILURE_LOCKOUT_SECS", "0.3"),
        ],
    );
    for _ in 0..3 {
        assert_eq!(
            post(&gate, &good_body("x".repeat(40).as_str()), 7)
                .await
                .status,
            401
        );
    }
    let locked = post(&gate, &good_body(SECRET), 7).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(locked.error(), "slow_down");
    assert_eq!(locked.header("retry-after"), Some("1"));
    assert_eq!(
        post(&gate, &good_body(SECRET), 8).await.status,
        200,
        "other addresses unaffected"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(post(&gate, &good_body(SECRET), 7).await.status, 200);
}

/// A wrong-secret request from peer `from` with one extra header.
async fn post_wrong_with(gate: &Arc<AuthGate>, from: u8, header: (&str, String)) -> Answer {
    post_with(gate, &good_body(&"x".repeat(40)), from, Some(header)).await
}

#[actix_web::test]
async fn a_forged_forwarded_header_neither_evades_nor_triggers_the_lockout() {
    let gate = client_gate(SECRET, &[("OAUTH_FAILURE_LIMIT", "3")]);
    // Evading: every guess claims another address.
    for n in 0..10 {
        let forged = ("forwarded", format!("for=198.51.100.{n}"));
        let answer = post_wrong_with(&gate, 7, forged).await;
        let expected = if n < 3 { 401 } else { 429 };
        assert_eq!(answer.status, expected, "guess {n}: {}", answer.body);
    }
    // Triggering: guesses that claim to come from the owner's address (10.0.0.8).
    for _ in 0..3 {
        let forged = ("forwarded", "for=10.0.0.8".to_owned());
        post_wrong_with(&gate, 9, forged).await;
    }
    assert_eq!(post(&gate, &good_body(SECRET), 8).await.status, 200);
}

#[actix_web::test]
async fn the_address_caddy_sets_in_x_forwarded_for_is_the_one_counted() {
    let gate = client_gate(SECRET, &[("OAUTH_FAILURE_LIMIT", "2")]);
    // Behind Caddy every request comes from Caddy's address; X-Forwarded-For tells callers
    // apart.
    for _ in 0..2 {
        let caller = ("x-forwarded-for", "203.0.113.5".to_owned());
        post_wrong_with(&gate, 1, caller).await;
    }
    let locked = post_wrong_with(&gate, 1, ("x-forwarded-for", "203.0.113.5".to_owned())).await;
    assert_eq!(locked.status, 429);
    let other = post_wrong_with(&gate, 1, ("x-forwarded-for", "203.0.113.6".to_owned())).await;
    assert_eq!(other.status, 401, "another caller behind the same proxy");
}

#[actix_web::test]
async fn tokens_survive_restarts_and_a_new_secret_revokes_them() {
    let first = client_gate(SECRET, &[]);
    let token = post(&first, &good_body(SECRET), 1).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let restarted = client_gate(SECRET, &[]);
    assert_eq!(auth(&restarted, &token).await.status, 200);
    let new_secret = "fedcba9876543210fedcba9876543210-second";
    let rotated = client_gate(new_secret, &[]);
    let answer = auth(&rotated, &token).await;
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("signature"), "{}", answer.body);
}

#[actix_web::test]
async fn own_issuer_tokens_must_be_hs256_with_the_derived_key() {
    let gate = client_gate(SECRET, &[]);
    let claims = serde_json::json!({
        "iss": BASE, "aud": RESOURCE, "sub": "scripts", "exp": now() + 600
    });
    let raw_secret = tokens::hs256(SECRET.as_bytes(), None, &claims);
    assert_eq!(
        auth(&gate, &raw_secret).await.status,
        401,
        "the secret itself must not sign"
    );
    assert_eq!(auth(&gate, &tokens::unsigned(&claims)).await.status, 401);
}
