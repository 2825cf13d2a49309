//! The two public metadata documents of a guarded deployment: Protected Resource Metadata
//! (RFC 9728), which modern clients read first, and a copy of the authorization server's
//! metadata (RFC 8414) for older clients that look for it on the MCP host.

use serde::Serialize;

use super::jwks::Discovery;
use super::settings::GuardedConfig;

/// Path of the built-in token endpoint.
pub const TOKEN_PATH: &str = "/oauth/token";
/// Path of the resource metadata that 401 challenges point to.
pub const RESOURCE_METADATA_PATH: &str = "/.well-known/oauth-protected-resource/mcp";

#[derive(Serialize)]
struct ProtectedResource<'a> {
    resource: &'a str,
    authorization_servers: Vec<&'a str>,
    scopes_supported: Vec<&'a str>,
    bearer_methods_supported: [&'static str; 1],
}

#[derive(Serialize)]
struct AuthorizationServer<'a> {
    issuer: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_endpoint: Option<&'a str>,
    token_endpoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration_endpoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revocation_endpoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jwks_uri: Option<&'a str>,
    response_types_supported: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_types_supported: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_challenge_methods_supported: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_endpoint_auth_methods_supported: Option<Vec<&'a str>>,
    /// Client ID Metadata Documents: clients that prefer them to dynamic registration look
    /// for this flag, so it is passed on exactly as the provider states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id_metadata_document_supported: Option<bool>,
    /// RFC 9207: tells clients the provider puts `iss` in authorization responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_response_iss_parameter_supported: Option<bool>,
}

/// The protected resource document. `None` while an external provider is configured but its
/// discovery document has not been fetched yet: its issuer's exact spelling is not known,
/// and a wrong `authorization_servers[0]` would break clients.
pub(crate) fn protected_resource(
    config: &GuardedConfig,
    discovery: Option<&Discovery>,
) -> Option<String> {
    let mut servers = Vec::new();
    if config.provider.is_some() {
        servers.push(discovery?.issuer.as_str());
    }
    if config.client_credentials.is_some() {
        servers.push(config.public_base_url.as_str());
    }
    let document = ProtectedResource {
        resource: &config.resource,
        authorization_servers: servers,
        scopes_supported: config
            .advertised_scopes
            .iter()
            .map(String::as_str)
            .collect(),
        bearer_methods_supported: ["header"],
    };
    serde_json::to_string(&document).ok()
}

/// The authorization server document served on the MCP host. With an external provider it
/// copies the provider's endpoints (the flow users go through); with only client
/// credentials it describes the built-in token endpoint. `None` until discovery is known.
///
/// With both sources the provider's copy wins: one document has one `token_endpoint`, and
/// the clients reading this document run the authorization-code flow against the provider.
/// Scripts find the built-in endpoint through the documentation and the second entry of
/// `authorization_servers`.
pub(crate) fn authorization_server(
    config: &GuardedConfig,
    discovery: Option<&Discovery>,
) -> Option<String> {
    let token_endpoint = format!("{}{TOKEN_PATH}", config.public_base_url);
    let document = match (&config.provider, discovery) {
        (Some(_), None) => return None,
        (Some(_), Some(discovery)) => provider_copy(discovery),
        (None, _) => AuthorizationServer {
            issuer: &config.public_base_url,
            authorization_endpoint: None,
            token_endpoint: Some(&token_endpoint),
            registration_endpoint: None,
            revocation_endpoint: None,
            jwks_uri: None,
            response_types_supported: Vec::new(),
            grant_types_supported: Some(vec!["client_credentials"]),
            code_challenge_methods_supported: None,
            token_endpoint_auth_methods_supported: Some(vec![
                "client_secret_basic",
                "client_secret_post",
            ]),
            client_id_metadata_document_supported: None,
            authorization_response_iss_parameter_supported: None,
        },
    };
    serde_json::to_string(&document).ok()
}

fn provider_copy(discovery: &Discovery) -> AuthorizationServer<'_> {
    // OAuth 2.1 requires S256; MCP clients refuse servers that do not list it.
    let mut pkce = strings(&discovery.code_challenge_methods_supported).unwrap_or_default();
    if !pkce.contains(&"S256") {
        pkce.insert(0, "S256");
    }
    AuthorizationServer {
        issuer: &discovery.issuer,
        authorization_endpoint: discovery.authorization_endpoint.as_deref(),
        token_endpoint: discovery.token_endpoint.as_deref(),
        registration_endpoint: discovery.registration_endpoint.as_deref(),
        revocation_endpoint: discovery.revocation_endpoint.as_deref(),
        jwks_uri: Some(&discovery.jwks_uri),
        response_types_supported: strings(&discovery.response_types_supported)
            .unwrap_or_else(|| vec!["code"]),
        grant_types_supported: strings(&discovery.grant_types_supported),
        code_challenge_methods_supported: Some(pkce),
        token_endpoint_auth_methods_supported: strings(
            &discovery.token_endpoint_auth_methods_supported,
        ),
        client_id_metadata_document_supported: discovery.client_id_metadata_document_supported,
        authorization_response_iss_parameter_supported: discovery
            .authorization_response_iss_parameter_supported,
    }
}

fn strings(list: &Option<Vec<String>>) -> Option<Vec<&str>> {
    list.as_ref()
        .map(|items| items.iter().map(String::as_str).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery(extra: serde_json::Value) -> Discovery {
        let mut document = serde_json::json!({
            "issuer": "https://id.example/",
            "jwks_uri": "https://id.example/jwks",
            "authorization_endpoint": "https://id.example/authorize",
        });
        if let (Some(document), Some(extra)) = (document.as_object_mut(), extra.as_object()) {
            document.extend(extra.clone());
        }
        serde_json::from_value(document).unwrap()
    }

    fn copy(discovery: &Discovery) -> serde_json::Value {
        serde_json::to_value(provider_copy(discovery)).unwrap()
    }

    #[test]
    fn support_flags_are_passed_on_as_the_provider_states_them() {
        let flags = serde_json::json!({
            "client_id_metadata_document_supported": true,
            "authorization_response_iss_parameter_supported": false,
        });
        let document = copy(&discovery(flags));
        assert_eq!(document["client_id_metadata_document_supported"], true);
        assert_eq!(
            document["authorization_response_iss_parameter_supported"],
            false
        );
        let silent = copy(&discovery(serde_json::json!({})));
        assert!(
            silent
                .get("client_id_metadata_document_supported")
                .is_none()
        );
        assert!(
            silent
                .get("authorization_response_iss_parameter_supported")
                .is_none()
        );
    }

    #[test]
    fn an_oddly_spelled_flag_is_dropped_not_fatal() {
        let odd = discovery(serde_json::json!({"client_id_metadata_document_supported": "yes"}));
        assert_eq!(odd.client_id_metadata_document_supported, None);
        assert_eq!(odd.issuer, "https://id.example/");
    }
}
