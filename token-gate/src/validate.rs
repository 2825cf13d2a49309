//! Validation of [`AuthSettings`] into an [`AuthConfig`]. Every problem is a startup error
//! that names the variable and the fix: a guarded deployment never silently degrades into an
//! open one.

use std::time::Duration;

use secrecy::ExposeSecret;

use super::access::{ANYONE, AccessList};
use super::config_error::AuthConfigError;
use super::settings::{
    AuthConfig, AuthSettings, ClientCredentialsConfig, GuardedConfig, ProviderConfig,
};
use super::urls::{self, UrlProblem};

const DEFAULT_TOKEN_TTL_SECS: u64 = 3600;
const MAX_TOKEN_TTL_SECS: u64 = 86_400;
const MIN_SECRET_CHARS: usize = 32;
const DEFAULT_JWKS_REFRESH: Duration = Duration::from_secs(600);
const DEFAULT_JWKS_COOLDOWN: Duration = Duration::from_secs(30);
const DEFAULT_JWKS_MAX_AGE: Duration = Duration::from_secs(86_400);
const DEFAULT_EMAIL_CLAIM: &str = "email";
const DEFAULT_FAILURE_LIMIT: u32 = 5;
const DEFAULT_LOCKOUT: Duration = Duration::from_secs(60);
/// What clients ask for when nothing else is configured: the one scope every OpenID provider
/// grants (Auth0 with or without RBAC, Keycloak, oidc-provider), so no client is left
/// without a scope to request.
const DEFAULT_ADVERTISED_SCOPE: &str = "openid";
/// Asks for a refresh token; a resource must not advertise it (MCP authorization spec), and
/// clients add it themselves when the provider lists it.
const OFFLINE_ACCESS: &str = "offline_access";

/// Variables that only make sense in guarded mode; leaving AUTH_MODE unset while setting one
/// of them is almost certainly a forgotten AUTH_MODE, which must not yield an open server.
const GUARDED_ONLY: [&str; 3] = ["AUTH0_DOMAIN", "OIDC_ISSUER", "OAUTH_CLIENT_ID"];

impl AuthConfig {
    /// Validates the raw variables. `public_base_url` is `PUBLIC_BASE_URL` (owned by the
    /// global settings). Empty values count as unset, as docker-compose passes `VAR=`.
    pub fn from_settings(
        raw: &AuthSettings,
        public_base_url: Option<&str>,
    ) -> Result<AuthConfig, AuthConfigError> {
        let guarded_values = [&raw.auth0_domain, &raw.oidc_issuer, &raw.oauth_client_id];
        match raw.auth_mode.as_deref().map(str::trim) {
            None => {
                if let Some(name) = GUARDED_ONLY
                    .iter()
                    .zip(guarded_values)
                    .find_map(|(name, value)| present(value).map(|_| name))
                {
                    return Err(AuthConfigError::new(
                        "AUTH_MODE",
                        format!(
                            "is unset (open server) while {name} is set; set AUTH_MODE=oauth to \
                             guard the server, or AUTH_MODE=none to run it open on purpose"
                        ),
                    ));
                }
                Ok(AuthConfig::Open)
            }
            Some("none") => {
                if guarded_values.iter().any(|value| present(value).is_some()) {
                    log::warn!(
                        "AUTH_MODE=none: the server is open and the OAuth variables are ignored"
                    );
                }
                Ok(AuthConfig::Open)
            }
            Some("oauth") => {
                guarded(raw, public_base_url).map(|config| AuthConfig::Guarded(Box::new(config)))
            }
            Some("") => Err(AuthConfigError::new(
                "AUTH_MODE",
                "is set but empty; set it to `none` (open) or `oauth` (bearer tokens required)",
            )),
            Some(other) => Err(AuthConfigError::new(
                "AUTH_MODE",
                format!(
                    "unknown value {other:?}; use `none` or `oauth` in lower case (the \
                     Caddyfile imports the routes_<AUTH_MODE> snippet by that exact name)"
                ),
            )),
        }
    }
}

fn guarded(
    raw: &AuthSettings,
    public_base_url: Option<&str>,
) -> Result<GuardedConfig, AuthConfigError> {
    let base = public_base_url
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            AuthConfigError::new(
                "PUBLIC_BASE_URL",
                "is required with AUTH_MODE=oauth; set it to the public origin users type, \
                 e.g. https://your-domain.example",
            )
        })?;
    let base =
        urls::public_origin(base).map_err(|problem| url_error("PUBLIC_BASE_URL", problem))?;
    let resource = format!("{base}/mcp");
    let provider = provider(raw, &resource)?;
    let client_credentials = client_credentials(raw)?;
    if provider.is_none() && client_credentials.is_none() {
        return Err(AuthConfigError::new(
            "AUTH_MODE",
            "is `oauth` but no token source is configured; set AUTH0_DOMAIN (Auth0), \
             OIDC_ISSUER (another OpenID provider), or OAUTH_CLIENT_ID and \
             OAUTH_CLIENT_SECRET (built-in client credentials)",
        ));
    }
    let required_scopes = scopes(raw.required_scopes.as_deref());
    let advertised_scopes = advertised_scopes(raw, provider.is_some(), &required_scopes)?;
    let access = AccessList::parse(raw.allowed_users.as_deref())?;
    if provider.is_some() && access.is_none() {
        // Anyone who can sign up at the provider gets a valid token: without a list the
        // server would be open to strangers, so refuse to start rather than guess.
        return Err(AuthConfigError::new(
            "ALLOWED_USERS",
            format!(
                "is required with an OpenID provider: list who may use the server (token \
                 subjects such as auth0|64f0…, or e-mail addresses), separated by commas; the \
                 service names the subject of every refused login in its log. To let in anyone \
                 who can log in at the provider, write ALLOWED_USERS={ANYONE}"
            ),
        ));
    }
    let jwks_refresh = seconds(
        &raw.jwks_refresh_secs,
        "JWKS_REFRESH_SECS",
        DEFAULT_JWKS_REFRESH,
    )?;
    let jwks_max_age = seconds(
        &raw.jwks_max_age_secs,
        "JWKS_MAX_AGE_SECS",
        DEFAULT_JWKS_MAX_AGE,
    )?;
    if jwks_max_age <= jwks_refresh {
        return Err(AuthConfigError::new(
            "JWKS_MAX_AGE_SECS",
            format!(
                "must be longer than JWKS_REFRESH_SECS ({} s), or keys would expire between two \
                 refreshes (default {})",
                jwks_refresh.as_secs_f64(),
                DEFAULT_JWKS_MAX_AGE.as_secs()
            ),
        ));
    }
    Ok(GuardedConfig {
        public_base_url: base,
        resource,
        provider,
        client_credentials,
        required_scopes,
        advertised_scopes,
        access,
        jwks_refresh,
        jwks_cooldown: seconds(
            &raw.jwks_cooldown_secs,
            "JWKS_COOLDOWN_SECS",
            DEFAULT_JWKS_COOLDOWN,
        )?,
        jwks_max_age,
    })
}

fn provider(raw: &AuthSettings, resource: &str) -> Result<Option<ProviderConfig>, AuthConfigError> {
    let fallback = boolean(&raw.auth0_userinfo_fallback, "AUTH0_USERINFO_FALLBACK")?;
    let (issuer, (audience, audience_variable)) =
        match (present(&raw.auth0_domain), present(&raw.oidc_issuer)) {
            (Some(_), Some(_)) => {
                return Err(AuthConfigError::new(
                    "OIDC_ISSUER",
                    "is set together with AUTH0_DOMAIN; keep only one external provider",
                ));
            }
            (Some(domain), None) => {
                let issuer = urls::auth0_issuer(domain)
                    .map_err(|problem| url_error("AUTH0_DOMAIN", problem))?;
                (
                    issuer,
                    audience(&raw.auth0_audience, "AUTH0_AUDIENCE", resource)?,
                )
            }
            (None, Some(issuer)) => {
                // The fallback stays available here: an Auth0 tenant behind a custom domain is
                // configured through OIDC_ISSUER.
                let issuer =
                    urls::issuer(issuer).map_err(|problem| url_error("OIDC_ISSUER", problem))?;
                (
                    issuer,
                    audience(&raw.oidc_audience, "OIDC_AUDIENCE", resource)?,
                )
            }
            (None, None) => {
                if fallback {
                    return Err(AuthConfigError::new(
                        "AUTH0_USERINFO_FALLBACK",
                        "is on but no provider is configured; set AUTH0_DOMAIN (or OIDC_ISSUER for \
                     an Auth0 custom domain) or remove the fallback",
                    ));
                }
                return Ok(None);
            }
        };
    let discovery_url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let email_claim = present(&raw.email_claim).unwrap_or(DEFAULT_EMAIL_CLAIM);
    if email_claim.chars().any(char::is_whitespace) {
        return Err(AuthConfigError::new(
            "EMAIL_CLAIM",
            "must be one claim name without spaces, e.g. email or https://your-domain/email",
        ));
    }
    Ok(Some(ProviderConfig {
        issuer,
        audience,
        audience_variable,
        email_claim: email_claim.to_owned(),
        discovery_url,
        userinfo_fallback: fallback,
    }))
}

fn client_credentials(
    raw: &AuthSettings,
) -> Result<Option<ClientCredentialsConfig>, AuthConfigError> {
    let (client_id, secret) = match (
        present(&raw.oauth_client_id),
        raw.oauth_client_secret
            .as_ref()
            .and_then(|secret| present_text(secret.expose_secret())),
    ) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(AuthConfigError::new(
                "OAUTH_CLIENT_SECRET",
                "is missing while OAUTH_CLIENT_ID is set; generate one with \
                 `openssl rand -hex 32`",
            ));
        }
        (None, Some(_)) => {
            return Err(AuthConfigError::new(
                "OAUTH_CLIENT_ID",
                "is missing while OAUTH_CLIENT_SECRET is set; choose a client name such as \
                 `scripts`",
            ));
        }
        (Some(id), Some(secret)) => (id, secret),
    };
    let id_ok = client_id.len() <= 128
        && client_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !id_ok {
        return Err(AuthConfigError::new(
            "OAUTH_CLIENT_ID",
            "may only hold letters, digits, `-`, `_` and `.` (at most 128); it becomes the \
             token subject",
        ));
    }
    if secret.chars().count() < MIN_SECRET_CHARS {
        return Err(AuthConfigError::new(
            "OAUTH_CLIENT_SECRET",
            format!(
                "is shorter than {MIN_SECRET_CHARS} characters; generate a strong one with \
                 `openssl rand -hex 32`"
            ),
        ));
    }
    let ttl = match present(&raw.oauth_token_ttl) {
        None => DEFAULT_TOKEN_TTL_SECS,
        Some(value) => match value.parse::<u64>() {
            Ok(secs) if (60..=MAX_TOKEN_TTL_SECS).contains(&secs) => secs,
            _ => {
                return Err(AuthConfigError::new(
                    "OAUTH_TOKEN_TTL",
                    format!(
                        "must be a whole number of seconds between 60 and {MAX_TOKEN_TTL_SECS} \
                         (default {DEFAULT_TOKEN_TTL_SECS})"
                    ),
                ));
            }
        },
    };
    let failure_limit = match present(&raw.oauth_failure_limit) {
        None => DEFAULT_FAILURE_LIMIT,
        Some(value) => value
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                AuthConfigError::new(
                    "OAUTH_FAILURE_LIMIT",
                    format!("must be a positive whole number (default {DEFAULT_FAILURE_LIMIT})"),
                )
            })?,
    };
    Ok(Some(ClientCredentialsConfig {
        client_id: client_id.to_owned(),
        client_secret: secret.into(),
        token_ttl: Duration::from_secs(ttl),
        failure_limit,
        lockout: seconds(
            &raw.oauth_failure_lockout_secs,
            "OAUTH_FAILURE_LOCKOUT_SECS",
            DEFAULT_LOCKOUT,
        )?,
    }))
}

fn audience(
    value: &Option<String>,
    variable: &'static str,
    resource: &str,
) -> Result<(String, &'static str), AuthConfigError> {
    match present(value) {
        None => Ok((resource.to_owned(), variable)),
        Some(audience) if audience.chars().any(char::is_whitespace) => Err(AuthConfigError::new(
            variable,
            format!("must be a single identifier without spaces; usually {resource}"),
        )),
        Some(audience) => Ok((audience.to_owned(), variable)),
    }
}

fn scopes(value: Option<&str>) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for scope in value
        .unwrap_or_default()
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        if !scopes.iter().any(|known| known == scope) {
            scopes.push(scope.to_owned());
        }
    }
    scopes
}

/// `ADVERTISED_SCOPES` (default `openid` when a provider signs people in, nothing with only
/// the built-in client credentials, whose callers name their scope themselves), followed by
/// every required scope it does not list yet.
fn advertised_scopes(
    raw: &AuthSettings,
    has_provider: bool,
    required: &[String],
) -> Result<Vec<String>, AuthConfigError> {
    let mut advertised = match present(&raw.advertised_scopes) {
        Some(value) => scopes(Some(value)),
        None if has_provider => vec![DEFAULT_ADVERTISED_SCOPE.to_owned()],
        None => Vec::new(),
    };
    if advertised.iter().any(|scope| scope == OFFLINE_ACCESS) {
        return Err(AuthConfigError::new(
            "ADVERTISED_SCOPES",
            "must not list offline_access: clients add it themselves when the provider offers \
             refresh tokens; remove it (the default, openid, suits most providers)",
        ));
    }
    for scope in required {
        if scope != OFFLINE_ACCESS && !advertised.contains(scope) {
            advertised.push(scope.clone());
        }
    }
    Ok(advertised)
}

fn boolean(value: &Option<String>, variable: &'static str) -> Result<bool, AuthConfigError> {
    match present(value).map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0" | "no" | "off") => Ok(false),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some(_) => Err(AuthConfigError::new(variable, "must be `true` or `false`")),
    }
}

/// Seconds, fractions allowed so tests can use short intervals.
fn seconds(
    value: &Option<String>,
    variable: &'static str,
    default: Duration,
) -> Result<Duration, AuthConfigError> {
    let Some(text) = present(value) else {
        return Ok(default);
    };
    text.parse::<f64>()
        .ok()
        .filter(|secs| secs.is_finite() && *secs > 0.0 && *secs <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            AuthConfigError::new(
                variable,
                format!(
                    "must be a number of seconds between 0 and 86400 (default {})",
                    default.as_secs()
                ),
            )
        })
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().and_then(present_text)
}

fn present_text(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

fn url_error(variable: &'static str, problem: UrlProblem) -> AuthConfigError {
    AuthConfigError::new(variable, problem.to_string())
}
