//! The metadata documents, byte for byte, and which endpoints exist in each mode.

use actix_web::test::TestRequest;
use testkit::oidc::OidcProvider;

use crate::helpers::auth::{SECRET, client_gate, gate, provider_gate, send};

const PRM_PATHS: [&str; 2] = [
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp",
];
const AS_PATHS: [&str; 2] = [
    "/.well-known/oauth-authorization-server",
    "/.well-known/oauth-authorization-server/mcp",
];

async fn get(
    gate: &std::sync::Arc<real_estate_mcp::auth::AuthGate>,
    path: &str,
) -> crate::helpers::auth::Answer {
    send(gate, TestRequest::get().uri(path)).await
}

#[actix_web::test]
async fn provider_documents_are_byte_exact() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(
        &provider,
        &[("REQUIRED_SCOPES", "read:data offline_access")],
    );
    let issuer = provider.issuer();
    let prm = format!(
        r#"{{"resource":"https://mcp.example.test/mcp","authorization_servers":["{issuer}"],"scopes_supported":["openid","read:data"],"bearer_methods_supported":["header"]}}"#
    );
    let as_doc = format!(
        r#"{{"issuer":"{issuer}","authorization_endpoint":"{issuer}authorize","token_endpoint":"{issuer}oauth/token","registration_endpoint":"{issuer}oidc/register","revocation_endpoint":"{issuer}oauth/revoke","jwks_uri":"{issuer}.well-known/jwks.json","response_types_supported":["code","token","id_token","code token"],"code_challenge_methods_supported":["S256","plain"],"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","private_key_jwt"]}}"#
    );
    for path in PRM_PATHS {
        let answer = get(&gate, path).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.body, prm, "{path}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    }
    for path in AS_PATHS {
        let answer = get(&gate, path).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.body, as_doc, "{path}");
    }
}

#[actix_web::test]
async fn both_sources_list_the_provider_first() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(
        &provider,
        &[
            ("OAUTH_CLIENT_ID", "scripts"),
            ("OAUTH_CLIENT_SECRET", SECRET),
        ],
    );
    let issuer = provider.issuer();
    let expected = format!(
        r#"{{"resource":"https://mcp.example.test/mcp","authorization_servers":["{issuer}","https://mcp.example.test"],"scopes_supported":["openid"],"bearer_methods_supported":["header"]}}"#
    );
    assert_eq!(get(&gate, PRM_PATHS[1]).await.body, expected);
    let as_doc = get(&gate, AS_PATHS[0]).await.json();
    assert_eq!(as_doc["token_endpoint"], format!("{issuer}oauth/token"));
}

#[actix_web::test]
async fn client_credentials_documents_are_byte_exact() {
    let gate = client_gate(SECRET, &[("REQUIRED_SCOPES", "mcp")]);
    let prm = r#"{"resource":"https://mcp.example.test/mcp","authorization_servers":["https://mcp.example.test"],"scopes_supported":["mcp"],"bearer_methods_supported":["header"]}"#;
    let as_doc = r#"{"issuer":"https://mcp.example.test","token_endpoint":"https://mcp.example.test/oauth/token","response_types_supported":[],"grant_types_supported":["client_credentials"],"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]}"#;
    for path in PRM_PATHS {
        assert_eq!(get(&gate, path).await.body, prm, "{path}");
    }
    for path in AS_PATHS {
        assert_eq!(get(&gate, path).await.body, as_doc, "{path}");
    }
}

#[actix_web::test]
async fn open_mode_has_no_metadata_no_token_endpoint_and_a_404_auth() {
    let gate = gate(&[("AUTH_MODE", "none")]);
    for path in PRM_PATHS.into_iter().chain(AS_PATHS) {
        assert_eq!(get(&gate, path).await.status, 404, "{path}");
    }
    let token = send(&gate, TestRequest::post().uri("/oauth/token")).await;
    assert_eq!(token.status, 404);
    let answer = send(
        &gate,
        TestRequest::get()
            .uri("/auth")
            .insert_header(("x-auth-subject", "admin")),
    )
    .await;
    assert_eq!(answer.status, 404);
    assert!(answer.header("x-auth-subject").is_none());
}

#[actix_web::test]
async fn provider_only_mode_has_no_token_endpoint() {
    let provider = OidcProvider::start().await.unwrap();
    let gate = provider_gate(&provider, &[]);
    let answer = send(&gate, TestRequest::post().uri("/oauth/token")).await;
    assert_eq!(answer.status, 404);
}
