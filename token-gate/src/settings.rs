//! The auth variables as they arrive from the environment, and the validated configuration
//! they become (see `validate` for the rules).

use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;

use super::access::AccessList;

/// Raw auth variables. The lead flattens this into the global settings; keys arrive
/// lower-cased from the environment (`AUTH_MODE` → `auth_mode`). Every field is a string so
/// that validation, not deserialisation, reports what is wrong and how to fix it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthSettings {
    /// `none` (default) or `oauth`.
    pub auth_mode: Option<String>,
    /// Auth0 tenant host, e.g. `tenant.us.auth0.com`.
    pub auth0_domain: Option<String>,
    /// Audience Auth0 puts in access tokens; defaults to `<PUBLIC_BASE_URL>/mcp`.
    pub auth0_audience: Option<String>,
    /// Issuer of any other OpenID provider.
    pub oidc_issuer: Option<String>,
    /// Audience of that provider's tokens; defaults to `<PUBLIC_BASE_URL>/mcp`.
    pub oidc_audience: Option<String>,
    /// Client id for the built-in client-credentials grant.
    pub oauth_client_id: Option<String>,
    /// Client secret for the built-in grant (at least 32 characters).
    pub oauth_client_secret: Option<SecretString>,
    /// Lifetime of built-in access tokens in seconds (default 3600).
    pub oauth_token_ttl: Option<String>,
    /// Scopes every token must carry, separated by spaces or commas.
    pub required_scopes: Option<String>,
    /// Scopes clients are told to ask for at sign-in (default `openid` with a provider).
    pub advertised_scopes: Option<String>,
    /// `true` to accept Auth0's encrypted tokens by asking `/userinfo` once per token.
    pub auth0_userinfo_fallback: Option<String>,
    /// Seconds between periodic refreshes of the provider's keys (default 600).
    pub jwks_refresh_secs: Option<String>,
    /// Minimum seconds between two unscheduled key fetches (default 30); also the
    /// `Retry-After` given while no keys are available.
    pub jwks_cooldown_secs: Option<String>,
    /// Failed client authentications per address before it is slowed down (default 5).
    pub oauth_failure_limit: Option<String>,
    /// Seconds an address waits after reaching the failure limit (default 60).
    pub oauth_failure_lockout_secs: Option<String>,
    /// Who may enter with a provider's token: subjects and e-mail addresses, or `*`.
    pub allowed_users: Option<String>,
    /// The token claim carrying the user's e-mail address (default `email`).
    pub email_claim: Option<String>,
    /// Seconds the provider's keys stay usable when they cannot be refreshed (default 86400).
    pub jwks_max_age_secs: Option<String>,
}

/// Which gate is in front of the MCP endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// Open server: no metadata endpoints, identity headers ignored.
    #[default]
    None,
    /// Every MCP request needs a valid bearer token checked by `/auth`.
    OAuth,
}

/// Validated auth configuration, built once at startup.
#[derive(Debug, Clone, Default)]
pub enum AuthConfig {
    /// `AUTH_MODE=none`.
    #[default]
    Open,
    /// `AUTH_MODE=oauth` with at least one usable token source.
    Guarded(Box<GuardedConfig>),
}

impl AuthConfig {
    /// The mode this configuration runs in.
    pub fn mode(&self) -> AuthMode {
        match self {
            Self::Open => AuthMode::None,
            Self::Guarded(_) => AuthMode::OAuth,
        }
    }
}

/// Everything a guarded deployment needs.
#[derive(Debug, Clone)]
pub struct GuardedConfig {
    /// `PUBLIC_BASE_URL` as an origin without trailing slash, e.g. `https://host`.
    pub public_base_url: String,
    /// The protected resource, `<PUBLIC_BASE_URL>/mcp`, byte for byte what users type.
    pub resource: String,
    /// External OpenID provider, if configured.
    pub provider: Option<ProviderConfig>,
    /// Built-in client credentials, if configured.
    pub client_credentials: Option<ClientCredentialsConfig>,
    /// Scopes every token must carry.
    pub required_scopes: Vec<String>,
    /// Scopes clients should ask for at sign-in: `scopes_supported` of the resource metadata
    /// and `scope` of the 401 challenge. Never empty with a provider (a client left without
    /// a scope sends none or a stray `offline_access`, which strict providers refuse), always
    /// holds every required scope, never `offline_access`.
    pub advertised_scopes: Vec<String>,
    /// Who may enter with a provider's token; `None` only without a provider.
    pub access: Option<AccessList>,
    /// Interval of the periodic key refresh.
    pub jwks_refresh: Duration,
    /// Minimum spacing of unscheduled key fetches; `Retry-After` while keyless.
    pub jwks_cooldown: Duration,
    /// How long keys that could not be refreshed stay usable.
    pub jwks_max_age: Duration,
}

/// An external OpenID provider whose tokens are verified against its published keys.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    /// The issuer as configured (Auth0: `https://<domain>/`). The discovery document's
    /// spelling wins once it is fetched.
    pub issuer: String,
    /// The audience tokens must name.
    pub audience: String,
    /// The variable that sets it (`AUTH0_AUDIENCE` or `OIDC_AUDIENCE`), for messages.
    pub audience_variable: &'static str,
    /// The claim carrying the user's e-mail address, for e-mail entries of the access list.
    pub email_claim: String,
    /// Where the discovery document lives.
    pub discovery_url: String,
    /// Accept encrypted Auth0 tokens through `/userinfo` (no audience binding).
    pub userinfo_fallback: bool,
}

/// The built-in client-credentials grant.
#[derive(Debug, Clone)]
pub struct ClientCredentialsConfig {
    /// The only client id accepted.
    pub client_id: String,
    /// Its secret; also the root of the token signing key.
    pub client_secret: SecretString,
    /// Lifetime of issued tokens.
    pub token_ttl: Duration,
    /// Failed authentications per address before it is slowed down.
    pub failure_limit: u32,
    /// How long an address waits once it reached the limit.
    pub lockout: Duration,
}
