//! The built-in `client_credentials` grant behind `POST /oauth/token`: one configured client,
//! RFC 6749 errors, constant-time secret checks, and HS256 access tokens whose key is derived
//! from the client secret, so tokens survive restarts and a new secret revokes them all.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use secrecy::ExposeSecret;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::settings::ClientCredentialsConfig;
use super::throttle::FailureThrottle;
use super::token_messages::{TokenError, TokenRequest, TokenResponse};

/// Fixed label mixed with the client secret into the signing key. Changing it (or the
/// secret) invalidates every token already issued.
const SIGNING_LABEL: &[u8] = b"real-estate-mcp client-credentials access-token signing key v1";

/// Derives the HS256 key from the client secret: the secret itself never signs anything.
pub(crate) fn signing_key(client_secret: &str) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail; the fallback keeps it total.
    match <Hmac<Sha256> as KeyInit>::new_from_slice(client_secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(SIGNING_LABEL);
            mac.finalize().into_bytes().into()
        }
        Err(_) => Sha256::digest([client_secret.as_bytes(), SIGNING_LABEL].concat()).into(),
    }
}

/// The key that verifies tokens this server issued.
pub(crate) fn verification_key(client_secret: &str) -> DecodingKey {
    DecodingKey::from_secret(&signing_key(client_secret))
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    aud: &'a str,
    sub: &'a str,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    iat: u64,
    nbf: u64,
    exp: u64,
}

/// Issues access tokens to the one configured client.
pub(crate) struct ClientCredentialsIssuer {
    client_id_digest: [u8; 32],
    secret_digest: [u8; 32],
    client_id: String,
    issuer: String,
    audience: String,
    scopes: Vec<String>,
    ttl: Duration,
    key: EncodingKey,
    throttle: FailureThrottle,
}

impl ClientCredentialsIssuer {
    /// `issuer` is `PUBLIC_BASE_URL`; `audience` the resource; `scopes` what tokens may carry.
    pub(crate) fn new(
        config: &ClientCredentialsConfig,
        issuer: &str,
        audience: &str,
        scopes: &[String],
    ) -> Self {
        Self {
            client_id_digest: Sha256::digest(config.client_id.as_bytes()).into(),
            secret_digest: Sha256::digest(config.client_secret.expose_secret().as_bytes()).into(),
            client_id: config.client_id.clone(),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            scopes: scopes.to_vec(),
            ttl: config.token_ttl,
            key: EncodingKey::from_secret(&signing_key(config.client_secret.expose_secret())),
            throttle: FailureThrottle::new(config.failure_limit, config.lockout),
        }
    }

    /// Handles one token request from `address` (the caller's IP, for slowing down guessing).
    pub(crate) fn issue(
        &self,
        request: &TokenRequest,
        address: &str,
    ) -> Result<TokenResponse, TokenError> {
        if let Some(wait) = self.throttle.locked_for(address) {
            let secs = wait.as_secs().max(1);
            return Err(TokenError {
                retry_after: Some(secs),
                ..TokenError::new(
                    429,
                    "slow_down",
                    format!("too many failed client authentications; retry in {secs} seconds"),
                )
            });
        }
        let used_basic = request.basic.is_some();
        let (id, secret) = self.credentials(request)?;
        if !self.matches(id, secret) {
            self.throttle.record_failure(address);
            return Err(TokenError {
                basic_challenge: used_basic,
                ..TokenError::new(
                    401,
                    "invalid_client",
                    "unknown client or wrong client secret",
                )
            });
        }
        self.throttle.record_success(address);
        match request.grant_type.as_deref() {
            Some("client_credentials") => {}
            Some(_) => {
                return Err(TokenError::new(
                    400,
                    "unsupported_grant_type",
                    "this endpoint only issues tokens for grant_type=client_credentials",
                ));
            }
            None => return Err(TokenError::invalid_request("grant_type is required")),
        }
        let scope = self.granted_scope(request.scope.as_deref())?;
        self.sign(scope)
    }

    fn credentials<'r>(&self, request: &'r TokenRequest) -> Result<(&'r str, &'r str), TokenError> {
        match (&request.basic, &request.body_client_secret) {
            (Some(_), Some(_)) => Err(TokenError::invalid_request(
                "use either HTTP Basic or client_secret in the body, not both",
            )),
            (Some((id, secret)), None) => {
                if request
                    .body_client_id
                    .as_ref()
                    .is_some_and(|body_id| body_id != id)
                {
                    return Err(TokenError::invalid_request(
                        "client_id in the body differs from the Basic credentials",
                    ));
                }
                Ok((id, secret.expose_secret()))
            }
            (None, Some(secret)) => match &request.body_client_id {
                Some(id) => Ok((id, secret.expose_secret())),
                None => Err(TokenError::invalid_request("client_id is required")),
            },
            (None, None) => Err(TokenError::new(
                401,
                "invalid_client",
                "client authentication is required (HTTP Basic or client_id and client_secret)",
            )),
        }
    }

    /// Compares digests so neither the content nor the length of the secret leaks through
    /// timing, and checks id and secret together so a wrong id costs the same as a wrong secret.
    fn matches(&self, id: &str, secret: &str) -> bool {
        let id: [u8; 32] = Sha256::digest(id.as_bytes()).into();
        let secret: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        (id.ct_eq(&self.client_id_digest) & secret.ct_eq(&self.secret_digest)).into()
    }

    fn granted_scope(&self, requested: Option<&str>) -> Result<Option<String>, TokenError> {
        let granted: Vec<&str> = match requested {
            None => self.scopes.iter().map(String::as_str).collect(),
            Some(requested) => {
                let requested: Vec<&str> = requested.split_whitespace().collect();
                if let Some(unknown) = requested
                    .iter()
                    .find(|s| !self.scopes.iter().any(|known| known == *s))
                {
                    return Err(TokenError::new(
                        400,
                        "invalid_scope",
                        format!("the scope `{unknown}` is not offered by this server"),
                    ));
                }
                requested
            }
        };
        Ok((!granted.is_empty()).then(|| granted.join(" ")))
    }

    fn sign(&self, scope: Option<String>) -> Result<TokenResponse, TokenError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let claims = Claims {
            iss: &self.issuer,
            aud: &self.audience,
            sub: &self.client_id,
            client_id: &self.client_id,
            scope: scope.as_deref(),
            iat: now,
            nbf: now,
            exp: now + self.ttl.as_secs(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("at+jwt".to_owned());
        let access_token = jsonwebtoken::encode(&header, &claims, &self.key).map_err(|err| {
            log::error!("could not sign a client-credentials token: {err}");
            TokenError::new(
                500,
                "server_error",
                "the token could not be signed; try again",
            )
        })?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.ttl.as_secs(),
            scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(scopes: &[&str]) -> ClientCredentialsIssuer {
        let config = ClientCredentialsConfig {
            client_id: "scripts".into(),
            client_secret: "s".repeat(40).into(),
            token_ttl: Duration::from_secs(600),
            failure_limit: 3,
            lockout: Duration::from_secs(60),
        };
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        ClientCredentialsIssuer::new(
            &config,
            "https://h.example",
            "https://h.example/mcp",
            &scopes,
        )
    }

    fn form(body: &str) -> TokenRequest {
        TokenRequest::parse(body.as_bytes(), None).unwrap()
    }

    #[test]
    fn signing_key_depends_on_the_secret() {
        assert_eq!(
            signing_key("a".repeat(32).as_str()),
            signing_key(&"a".repeat(32))
        );
        assert_ne!(signing_key(&"a".repeat(32)), signing_key(&"b".repeat(32)));
        assert_ne!(&signing_key(&"a".repeat(32))[..], "a".repeat(32).as_bytes());
    }

    #[test]
    fn scopes_are_limited_to_those_offered() {
        let issuer = issuer(&["mcp", "read"]);
        let secret = "s".repeat(40);
        let ask = |scope: &str| {
            issuer.issue(
                &form(&format!(
                    "grant_type=client_credentials&client_id=scripts&client_secret={secret}{scope}"
                )),
                "a",
            )
        };
        assert_eq!(ask("&scope=read").unwrap().scope.as_deref(), Some("read"));
        assert_eq!(ask("").unwrap().scope.as_deref(), Some("mcp read"));
        let err = ask("&scope=admin").unwrap_err();
        assert_eq!(err.error, "invalid_scope");
    }
}
