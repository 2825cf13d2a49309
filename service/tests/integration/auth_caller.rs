//! What the MCP endpoint sees: identity headers as Caddy copies them from `/auth`, checked
//! again against the bearer token Caddy passes on, and the refusal of forged or placeholder
//! values in guarded mode.

use http::header::{HeaderMap, HeaderName, HeaderValue};
use real_estate_mcp::auth::{
    CLIENT_HEADER, GATE_BYPASSED, ISSUER_HEADER, SCOPES_HEADER, SUBJECT_HEADER,
};
use testkit::oidc::OidcProvider;

use crate::helpers::auth::{
    RESOURCE, SECRET, auth, client_gate, gate, issued_token, provider_gate,
};

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[actix_web::test]
async fn identity_copied_from_auth_reaches_the_mcp_endpoint() {
    let gate = client_gate(SECRET, &[]);
    let token = issued_token(&gate);
    let answer = auth(&gate, &token).await;
    // No body: Caddy drops the connection after an unread one (see `Reply::allow`).
    assert_eq!((answer.status, answer.body.as_str()), (200, ""));
    assert_eq!(answer.header("content-type"), None);
    // Caddy's copy_headers: exactly the four identity headers, as /auth sent them.
    let mut copied = HeaderMap::new();
    for name in [SUBJECT_HEADER, SCOPES_HEADER, CLIENT_HEADER, ISSUER_HEADER] {
        let value = answer
            .headers
            .get(name)
            .expect("every identity header on a 2xx");
        let value = HeaderValue::from_bytes(value.as_bytes()).expect("a header value");
        copied.insert(HeaderName::from_static(name), value);
    }
    // ... and passes the client's Authorization header on to the service.
    copied.insert(
        HeaderName::from_static("authorization"),
        HeaderValue::from_str(&bearer(&token)).unwrap(),
    );
    let identity = gate.caller(&copied).await.unwrap().unwrap();
    assert_eq!(identity.subject, "scripts");
    assert_eq!(identity.client, "scripts");
    assert_eq!(identity.issuer, crate::helpers::auth::BASE);
}

#[actix_web::test]
async fn identity_headers_need_the_token_they_were_copied_for() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[("ALLOWED_USERS", "auth0|user-1")]);
    let token = provider.sign(&provider.claims(RESOURCE));
    let mut other = provider.claims(RESOURCE);
    other["sub"] = serde_json::json!("auth0|user-2");
    let others_token = provider.sign(&other);
    let subject = (SUBJECT_HEADER, "auth0|user-1");
    let refused = [
        // Anyone who reaches the service port and names an identity (the attack).
        headers(&[subject]),
        // A valid token of someone else, claiming the owner's identity.
        headers(&[subject, ("authorization", &bearer(&others_token))]),
        // Garbage, an unknown scheme, a token alone without the gate's headers.
        headers(&[subject, ("authorization", "Bearer not.a.token")]),
        headers(&[subject, ("authorization", "Basic dTpw")]),
        headers(&[("authorization", &bearer(&token))]),
    ];
    for map in refused {
        let reply = gate.caller(&map).await.unwrap_err();
        assert_eq!(reply.status, 401, "{map:?}");
        let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(body["error"], GATE_BYPASSED, "{map:?}");
    }
    let served = headers(&[subject, ("authorization", &bearer(&token))]);
    let identity = gate.caller(&served).await.unwrap().unwrap();
    assert_eq!(identity.subject, "auth0|user-1");
    assert_eq!(identity.client, "chatgpt-client");
}

#[actix_web::test]
async fn the_mcp_endpoint_applies_the_access_list_too() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[("ALLOWED_USERS", "auth0|someone-else")]);
    let token = provider.sign(&provider.claims(RESOURCE));
    let map = headers(&[
        (SUBJECT_HEADER, "auth0|user-1"),
        ("authorization", &bearer(&token)),
    ]);
    assert_eq!(gate.caller(&map).await.unwrap_err().status, 401);
}

#[actix_web::test]
async fn guarded_mode_refuses_missing_forged_placeholder_headers() {
    let gate = client_gate(SECRET, &[]);
    let refusals = [
        headers(&[]),
        headers(&[(SUBJECT_HEADER, "")]),
        headers(&[(SUBJECT_HEADER, "{http.reverse_proxy.header.X-Auth-Subject}")]),
        headers(&[
            (SUBJECT_HEADER, "admin"),
            (CLIENT_HEADER, "{http.reverse_proxy.header.X-Auth-Client}"),
        ]),
    ];
    for map in refusals {
        let reply = gate.caller(&map).await.unwrap_err();
        assert_eq!(reply.status, 401, "{map:?}");
        assert!(reply.headers.iter().any(|(name, value)| *name == "www-authenticate"
            && value.contains("resource_metadata=\"https://mcp.example.test/.well-known/oauth-protected-resource/mcp\"")));
        // Unlike /auth's 401, this one says the request skipped the gate.
        let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(body["error"], GATE_BYPASSED, "{map:?}");
    }
}

#[actix_web::test]
async fn open_mode_ignores_identity_headers() {
    let gate = gate(&[]);
    assert_eq!(
        gate.caller(&headers(&[(SUBJECT_HEADER, "admin")]))
            .await
            .unwrap(),
        None
    );
    assert_eq!(gate.caller(&headers(&[])).await.unwrap(), None);
}
