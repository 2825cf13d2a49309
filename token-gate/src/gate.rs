//! [`AuthGate`]: everything the auth routes need, built once from an [`AuthConfig`].

use std::sync::Arc;

use secrecy::ExposeSecret;

use super::access::Candidate;
use super::bearer::{ExternalIssuer, OwnIssuer, Rejection, Verified, Verifier, claimed_subject};
use super::client_credentials::{self, ClientCredentialsIssuer};
use super::identity::{Headers, Identity};
use super::jwks::KeyStore;
use super::metadata::{self, RESOURCE_METADATA_PATH};
use super::refusals::{RefusalLog, loggable};
use super::reply::{Challenger, Reply};
use super::settings::{AuthConfig, AuthMode, GuardedConfig};
use super::token_messages::{TokenError, TokenRequest};
use crate::origin::{OriginPolicy, origin_refusal};

const KEYS_UNAVAILABLE: &str =
    "the identity provider (its keys or /userinfo) is not reachable right now; retry shortly";

/// The auth gate of one server. Open mode holds nothing; guarded mode holds the verifier,
/// the provider's keys and the client-credentials issuer.
pub struct AuthGate {
    guarded: Option<Guarded>,
}

struct Guarded {
    config: GuardedConfig,
    origins: OriginPolicy,
    verifier: Verifier,
    keys: Option<Arc<KeyStore>>,
    issuer: Option<ClientCredentialsIssuer>,
    challenger: Challenger,
    refusals: RefusalLog,
}

impl AuthGate {
    /// Builds the gate and, with an external provider, starts fetching its keys in the
    /// background (startup does not wait). Call it inside the tokio runtime, once per process;
    /// share the `Arc` with every worker.
    ///
    /// `http` must carry the timeouts for the provider (the server uses 5 s to connect and
    /// 10 s in all): they bound how long a request that needs fresh keys can wait on a hung
    /// provider. Build it with [`super::provider_client`] so that redirects to another
    /// origin are not even followed.
    pub fn start(
        config: AuthConfig,
        http: reqwest::Client,
        origins: OriginPolicy,
    ) -> Arc<AuthGate> {
        let AuthConfig::Guarded(config) = config else {
            log::info!("auth: AUTH_MODE=none, the MCP endpoint is open");
            return Arc::new(AuthGate { guarded: None });
        };
        let config = *config;
        let keys = config.provider.as_ref().map(|provider| {
            let keys = Arc::new(KeyStore::new(
                http.clone(),
                provider.discovery_url.clone(),
                provider.issuer.clone(),
                config.jwks_cooldown,
                config.jwks_max_age,
            ));
            keys.spawn_refresh(config.jwks_refresh);
            keys
        });
        let external = config
            .provider
            .as_ref()
            .zip(keys.as_ref())
            .map(|(provider, keys)| {
                if provider.userinfo_fallback {
                    log::warn!(
                        "auth: AUTH0_USERINFO_FALLBACK is on: encrypted Auth0 tokens are accepted \
                     through /userinfo, which does not prove the token was issued for this \
                     server (no audience binding); prefer enabling the Resource Parameter \
                     Compatibility Profile"
                    );
                }
                ExternalIssuer {
                    configured_issuer: provider.issuer.clone(),
                    audience: provider.audience.clone(),
                    email_claim: provider.email_claim.clone(),
                    keys: Arc::clone(keys),
                    userinfo_fallback: provider.userinfo_fallback,
                    http: http.clone(),
                }
            });
        let own = config.client_credentials.as_ref().map(|cc| OwnIssuer {
            issuer: config.public_base_url.clone(),
            audience: config.resource.clone(),
            key: client_credentials::verification_key(cc.client_secret.expose_secret()),
        });
        let issuer = config.client_credentials.as_ref().map(|cc| {
            ClientCredentialsIssuer::new(
                cc,
                &config.public_base_url,
                &config.resource,
                &config.required_scopes,
            )
        });
        log::info!(
            "auth: AUTH_MODE=oauth for {}; provider: {}; allowed users: {}; client \
             credentials: {}",
            config.resource,
            config
                .provider
                .as_ref()
                .map_or("none", |p| p.issuer.as_str()),
            config.access.as_ref().map_or_else(
                || "only the client credentials".to_owned(),
                |a| a.describe()
            ),
            if issuer.is_some() { "on" } else { "off" },
        );
        let challenger = Challenger {
            resource_metadata: format!("{}{RESOURCE_METADATA_PATH}", config.public_base_url),
            sign_in_scope: config.advertised_scopes.join(" "),
            required_scope: config.required_scopes.join(" "),
        };
        Arc::new(AuthGate {
            guarded: Some(Guarded {
                verifier: Verifier::new(external, own),
                keys,
                issuer,
                challenger,
                config,
                origins,
                refusals: RefusalLog::new(),
            }),
        })
    }

    /// The mode the gate runs in; in [`AuthMode::OAuth`] the MCP endpoint must require
    /// [`super::Identity::from_forwarded_headers`].
    pub fn mode(&self) -> AuthMode {
        if self.guarded.is_some() {
            AuthMode::OAuth
        } else {
            AuthMode::None
        }
    }

    /// The caller of an MCP request. Open mode: `Ok(None)`, identity headers ignored.
    /// Guarded mode: the identity Caddy copied from `/auth`, checked again against the bearer
    /// token Caddy passes on (a cached verdict: microseconds), whose subject it must name.
    /// Identity headers without a valid token, or naming someone else, mean the request did
    /// not come through the gate: 401 with `/auth`'s challenge (so a client can still start
    /// sign-in) and [`super::GATE_BYPASSED`] in the body. 503 while the provider cannot be
    /// asked.
    pub async fn caller(&self, headers: &impl Headers) -> Result<Option<Identity>, Reply> {
        let Some(guarded) = &self.guarded else {
            return Ok(None);
        };
        let forwarded = Identity::from_forwarded_headers(headers)
            .map_err(|err| guarded.bypassed(&err.to_string()))?;
        let authorization = headers
            .values("authorization")
            .first()
            .map(|value| String::from_utf8_lossy(value));
        let verified = match guarded.decide(authorization.as_deref()).await {
            Ok(verified) => verified,
            Err(reply) if reply.status == 503 => return Err(reply),
            Err(_) => {
                return Err(guarded.bypassed(
                    "it carries identity headers without a bearer token the gate accepts",
                ));
            }
        };
        if verified.identity.subject != forwarded.subject {
            return Err(guarded.bypassed(&format!(
                "X-Auth-Subject {} is not the subject of its token",
                loggable(&forwarded.subject)
            )));
        }
        Ok(Some(verified.identity.clone()))
    }

    /// Whether `POST /oauth/token` exists.
    pub fn issues_tokens(&self) -> bool {
        self.guarded.as_ref().is_some_and(|g| g.issuer.is_some())
    }

    /// The `/auth` decision for Caddy's forward_auth, from the original request's
    /// `Authorization` and `Origin` headers.
    pub async fn authorize(&self, authorization: Option<&str>, origin: Option<&str>) -> Reply {
        let Some(guarded) = &self.guarded else {
            return Reply::not_found();
        };
        if let Some(origin) = origin
            && !guarded.origins.origin_allowed(origin)
        {
            return Reply::error(403, "forbidden_origin", &origin_refusal(origin));
        }
        match guarded.decide(authorization).await {
            Ok(verified) => Reply::allow(&verified.identity),
            Err(refusal) => refusal,
        }
    }

    /// `GET /.well-known/oauth-protected-resource[/mcp]`.
    pub async fn protected_resource_metadata(&self) -> Reply {
        self.document(metadata::protected_resource).await
    }

    /// `GET /.well-known/oauth-authorization-server[/mcp]`.
    pub async fn authorization_server_metadata(&self) -> Reply {
        self.document(metadata::authorization_server).await
    }

    /// `POST /oauth/token`: the raw body, its `Content-Type` and `Authorization` headers, and
    /// `address` (the caller's IP, for slowing down guessing).
    pub fn token(
        &self,
        body: &[u8],
        content_type: Option<&str>,
        authorization: Option<&str>,
        address: &str,
    ) -> Reply {
        let Some(issuer) = self.guarded.as_ref().and_then(|g| g.issuer.as_ref()) else {
            return Reply::not_found();
        };
        let form = content_type
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let outcome = if form {
            TokenRequest::parse(body, authorization)
                .and_then(|request| issuer.issue(&request, address))
        } else {
            Err(TokenError::invalid_request(
                "send the parameters as application/x-www-form-urlencoded",
            ))
        };
        let mut reply = match outcome {
            Ok(token) => Reply {
                status: 200,
                headers: Vec::new(),
                body: serde_json::to_string(&token).unwrap_or_default(),
            },
            Err(err) => Reply::from(err),
        };
        reply.headers.push(("cache-control", "no-store".to_owned()));
        reply.headers.push(("pragma", "no-cache".to_owned()));
        reply
    }

    async fn document(
        &self,
        build: fn(&GuardedConfig, Option<&super::jwks::Discovery>) -> Option<String>,
    ) -> Reply {
        let Some(guarded) = &self.guarded else {
            return Reply::not_found();
        };
        if let Some(keys) = &guarded.keys {
            keys.ensure_discovery().await;
        }
        let snapshot = guarded.keys.as_ref().map(|keys| keys.snapshot());
        let discovery = snapshot.as_ref().and_then(|s| s.discovery.as_deref());
        match build(&guarded.config, discovery) {
            Some(body) => Reply::document(body),
            None => Reply::unavailable(
                guarded.retry_secs(),
                "the identity provider's discovery document is not available yet; retry shortly",
            ),
        }
    }
}

impl Guarded {
    /// The judgement of a bearer credential shared by `/auth` and `/mcp`: the verified token
    /// of a user the access list admits with every required scope, or the reply refusing it.
    /// Refusals of a presented token are logged (rate-limited) with the reason and subject.
    async fn decide(&self, authorization: Option<&str>) -> Result<Arc<Verified>, Reply> {
        let Some(token) = bearer_token(authorization) else {
            return Err(self.challenger.missing_token());
        };
        if token.is_empty() {
            return Err(self
                .challenger
                .invalid_token("the Authorization header holds an empty bearer token"));
        }
        let verified = match self.verifier.verify(token).await {
            Ok(verified) => verified,
            Err(Rejection::Invalid(why)) => {
                self.refusals.warn(|| {
                    let subject = claimed_subject(token).unwrap_or_default();
                    format!(
                        "auth: token refused (invalid_token): {why}; subject {}",
                        loggable(&subject)
                    )
                });
                return Err(self.challenger.invalid_token(&why));
            }
            Err(Rejection::Unavailable) => {
                return Err(Reply::unavailable(self.retry_secs(), KEYS_UNAVAILABLE));
            }
        };
        let candidate = Candidate {
            subject: &verified.identity.subject,
            email: verified.email.as_deref(),
            own: verified.own,
        };
        if let Some(access) = &self.config.access
            && !access.admits(candidate)
        {
            let claim = self
                .config
                .provider
                .as_ref()
                .map(|p| p.email_claim.as_str());
            let unmatched_emails = access.has_emails() && verified.email.is_none();
            self.refusals.warn(|| {
                let mut line = format!(
                    "auth: {} is not in ALLOWED_USERS (access_denied); add it there to let \
                     this user in",
                    loggable(candidate.subject)
                );
                match (&verified.email, claim) {
                    (Some(email), _) => line.push_str(&format!("; e-mail {}", loggable(email))),
                    (None, Some(claim)) if unmatched_emails => line.push_str(&format!(
                        "; the token has no verified e-mail in claim {claim} (EMAIL_CLAIM), \
                         so e-mail entries cannot match it"
                    )),
                    _ => {}
                }
                line
            });
            return Err(Reply::access_denied(candidate.subject));
        }
        let required = &self.config.required_scopes;
        if !required
            .iter()
            .all(|scope| verified.identity.scopes.contains(scope))
        {
            self.refusals.warn(|| {
                format!(
                    "auth: token of {} refused (insufficient_scope): it lacks one of {}",
                    loggable(candidate.subject),
                    required.join(" ")
                )
            });
            return Err(self.challenger.insufficient_scope());
        }
        Ok(verified)
    }

    /// The MCP endpoint's refusal of a request that did not pass the gate, logged.
    fn bypassed(&self, why: &str) -> Reply {
        self.refusals.warn(|| {
            format!(
                "guarded MCP request refused: {why}; the proxy in front did not check it with \
                 /auth (is Caddy running with AUTH_MODE=oauth?)"
            )
        });
        self.challenger.gate_bypassed()
    }

    fn retry_secs(&self) -> u64 {
        self.keys
            .as_ref()
            .map_or(1, |keys| keys.retry_after().as_secs_f64().ceil() as u64)
    }
}

/// The token of `Authorization: Bearer <token>`; `None` when there is no bearer credential.
fn bearer_token(authorization: Option<&str>) -> Option<&str> {
    let value = authorization?.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_token_is_scheme_insensitive_and_ignores_other_schemes() {
        assert_eq!(bearer_token(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer_token(Some("Bearer")), Some(""));
        assert_eq!(bearer_token(Some("Basic abc")), None);
        assert_eq!(bearer_token(None), None);
    }
}
