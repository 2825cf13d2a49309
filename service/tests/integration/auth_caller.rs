//! What the MCP endpoint sees: identity headers as Caddy copies them from `/auth`, and the
//! refusal of forged or placeholder values in guarded mode.

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use real_estate_mcp::auth::{
    CLIENT_HEADER, GATE_BYPASSED, ISSUER_HEADER, SCOPES_HEADER, SUBJECT_HEADER,
};

use crate::helpers::auth::{SECRET, auth, client_gate, gate};

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

#[actix_web::test]
async fn identity_copied_from_auth_reaches_the_mcp_endpoint() {
    let gate = client_gate(SECRET, &[]);
    let token = gate
        .token(
            format!("grant_type=client_credentials&client_id=scripts&client_secret={SECRET}")
                .as_bytes(),
            Some("application/x-www-form-urlencoded"),
            None,
            "127.0.0.1",
        )
        .body;
    let token: serde_json::Value = serde_json::from_str(&token).unwrap();
    let answer = auth(&gate, token["access_token"].as_str().unwrap()).await;
    // No body: Caddy drops the connection after an unread one (see `Reply::allow`).
    assert_eq!((answer.status, answer.body.as_str()), (200, ""));
    assert_eq!(answer.header("content-type"), None);
    // Caddy's copy_headers: exactly the four identity headers, as /auth sent them.
    let mut copied = HeaderMap::new();
    for name in [SUBJECT_HEADER, SCOPES_HEADER, CLIENT_HEADER, ISSUER_HEADER] {
        let value = answer
            .headers
            .get(name)
            .expect("every identity header on a 2xx")
            .clone();
        copied.insert(HeaderName::from_static(name), value);
    }
    let identity = gate.caller(&copied).unwrap().unwrap();
    assert_eq!(identity.subject, "scripts");
    assert_eq!(identity.client, "scripts");
    assert_eq!(identity.issuer, crate::helpers::auth::BASE);
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
        let reply = gate.caller(&map).unwrap_err();
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
        gate.caller(&headers(&[(SUBJECT_HEADER, "admin")])).unwrap(),
        None
    );
    assert_eq!(gate.caller(&headers(&[])).unwrap(), None);
}
