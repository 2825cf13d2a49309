//! Bearer token verification: local JWT checks against the provider's keys or our own
//! client-credentials key, the optional Auth0 `/userinfo` fallback for encrypted tokens, and
//! a cache keyed by the token's SHA-256 so repeated requests cost a hash and a lookup.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use moka::Expiry;
use moka::future::Cache;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::identity::Identity;
use super::jwks::{KeyLookup, KeyStore};

/// Clock skew tolerated on `exp` and `nbf`.
pub(crate) const LEEWAY_SECS: u64 = 30;
/// The only algorithms accepted from an external provider (asymmetric, so a published key
/// can never double as an HMAC secret).
const EXTERNAL_ALGORITHMS: [Algorithm; 3] = [Algorithm::RS256, Algorithm::PS256, Algorithm::ES256];
const CACHE_CAPACITY: u64 = 10_000;
const MAX_CACHE_TTL: Duration = Duration::from_secs(24 * 3600);

const MALFORMED: &str = "the bearer token is not a well-formed JWT";
const UNSIGNED: &str = "unsigned tokens (alg none) are never accepted";
const UNKNOWN_ISSUER: &str = "the token was issued by an issuer this server does not trust";
const UNKNOWN_KEY: &str =
    "the token was signed with a key its issuer does not publish; sign in again for a new token";
const BAD_SIGNATURE: &str = "the token signature is invalid";
pub(crate) const NOT_FORWARDABLE: &str =
    "the token carries a subject, client or scope that cannot be forwarded";

/// Why a token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// `invalid_token`, with a description that helps the caller fix it.
    Invalid(Cow<'static, str>),
    /// The keys (or `/userinfo`) needed to decide are unavailable right now.
    Unavailable,
}

fn invalid(description: impl Into<Cow<'static, str>>) -> Rejection {
    Rejection::Invalid(description.into())
}

/// A token that passed every check: who it names, and what the access list looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verified {
    /// The caller, as `/auth` forwards it.
    pub(crate) identity: Identity,
    /// The e-mail address the provider vouches for (`EMAIL_CLAIM`), unless the token says
    /// it is unverified.
    pub(crate) email: Option<String>,
    /// Issued by this server's own `/oauth/token`: the owner's client.
    pub(crate) own: bool,
}

/// Cached outcome of one token, kept until the token expires (or a fixed time for
/// `/userinfo` answers, whose tokens we cannot read).
#[derive(Clone)]
pub(crate) struct Cached {
    /// The caller, or why the token is refused.
    pub(crate) outcome: Result<Arc<Verified>, Arc<str>>,
    /// How long the outcome may be reused.
    pub(crate) ttl: Duration,
}

struct CachedExpiry;

impl Expiry<[u8; 32], Cached> for CachedExpiry {
    fn expire_after_create(&self, _: &[u8; 32], value: &Cached, _: Instant) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// An external OpenID provider.
pub(crate) struct ExternalIssuer {
    /// Issuer as configured; the discovery document's spelling is enforced once known.
    pub(crate) configured_issuer: String,
    /// Audience tokens must contain.
    pub(crate) audience: String,
    /// The claim carrying the user's e-mail address.
    pub(crate) email_claim: String,
    /// The provider's keys.
    pub(crate) keys: Arc<KeyStore>,
    /// Accept encrypted tokens by asking `/userinfo`.
    pub(crate) userinfo_fallback: bool,
    /// Client for `/userinfo`.
    pub(crate) http: reqwest::Client,
}

/// This server as issuer of client-credentials tokens.
pub(crate) struct OwnIssuer {
    /// `PUBLIC_BASE_URL`.
    pub(crate) issuer: String,
    /// The resource URL.
    pub(crate) audience: String,
    /// HS256 key derived from the client secret.
    pub(crate) key: DecodingKey,
}

/// Verifies bearer tokens from either source.
pub(crate) struct Verifier {
    external: Option<ExternalIssuer>,
    own: Option<OwnIssuer>,
    cache: Cache<[u8; 32], Cached>,
}

#[derive(Deserialize)]
struct RawHeader {
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    enc: Option<String>,
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    iss: Option<serde_json::Value>,
    #[serde(default)]
    exp: Option<f64>,
    #[serde(default)]
    scope: Option<serde_json::Value>,
    #[serde(default)]
    permissions: Option<serde_json::Value>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    /// ID-token markers: present in ID tokens, never in access tokens.
    #[serde(default)]
    nonce: Option<serde_json::Value>,
    #[serde(default)]
    at_hash: Option<serde_json::Value>,
    #[serde(default)]
    c_hash: Option<serde_json::Value>,
    /// Keycloak names the token kind in the payload: `Bearer` or `ID`.
    #[serde(default)]
    typ: Option<serde_json::Value>,
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
    /// Everything else, where the configured e-mail claim is found.
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

/// Header `typ` values of access tokens (RFC 9068) and of JWTs that do not say.
const ACCESS_TOKEN_TYPES: [&str; 3] = ["at+jwt", "application/at+jwt", "jwt"];

impl Verifier {
    /// A verifier for the configured sources (at least one).
    pub(crate) fn new(external: Option<ExternalIssuer>, own: Option<OwnIssuer>) -> Self {
        Self {
            external,
            own,
            cache: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .expire_after(CachedExpiry)
                .build(),
        }
    }

    /// Verifies one bearer token.
    pub(crate) async fn verify(&self, token: &str) -> Result<Arc<Verified>, Rejection> {
        let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(cached) = self.cache.get(&hash).await {
            return cached.outcome.map_err(|why| invalid(why.to_string()));
        }
        let parts: Vec<&str> = token.split('.').collect();
        match parts.as_slice() {
            [header, _, _, _, _] => self.encrypted(token, header, hash).await,
            [header, payload, _] => {
                let (verified, exp) = self.signed(token, header, payload).await?;
                let verified = Arc::new(verified);
                if let Some(ttl) = ttl_until(exp) {
                    let outcome = Ok(Arc::clone(&verified));
                    self.cache.insert(hash, Cached { outcome, ttl }).await;
                }
                Ok(verified)
            }
            _ => Err(invalid(MALFORMED)),
        }
    }

    async fn signed(
        &self,
        token: &str,
        header: &str,
        payload: &str,
    ) -> Result<(Verified, f64), Rejection> {
        let header: RawHeader = decode_segment(header).ok_or(invalid(MALFORMED))?;
        if let Some(typ) = header
            .typ
            .as_deref()
            .filter(|t| !ACCESS_TOKEN_TYPES.contains(&t.to_ascii_lowercase().as_str()))
        {
            return Err(invalid(format!(
                "the token is not an access token (its header says typ {typ:?}); the client \
                 must send the access token the provider issued for this server"
            )));
        }
        if header.crit.is_some() {
            return Err(invalid(
                "the token uses critical header extensions this server does not understand",
            ));
        }
        let alg = header.alg.as_deref().unwrap_or_default();
        if alg.eq_ignore_ascii_case("none") {
            return Err(invalid(UNSIGNED));
        }
        let alg: Algorithm = alg.parse().map_err(|_| invalid(algorithm_refused()))?;
        // The unverified issuer only picks which key and rules apply; the checks that follow
        // enforce it exactly.
        let claimed: Option<Claims> = decode_segment(payload);
        let claimed_issuer = claimed
            .as_ref()
            .and_then(|c| c.iss.as_ref())
            .and_then(|iss| iss.as_str());
        if let (Some(own), Some(iss)) = (&self.own, claimed_issuer)
            && iss == own.issuer
        {
            return own.verify(token, alg);
        }
        if let (Some(external), Some(iss)) = (&self.external, claimed_issuer)
            && iss.trim_end_matches('/') == external.configured_issuer.trim_end_matches('/')
        {
            return external.verify(token, alg, header.kid.as_deref()).await;
        }
        Err(invalid(UNKNOWN_ISSUER))
    }

    async fn encrypted(
        &self,
        token: &str,
        header: &str,
        hash: [u8; 32],
    ) -> Result<Arc<Verified>, Rejection> {
        let header: RawHeader = decode_segment(header).ok_or(invalid(MALFORMED))?;
        if header.enc.is_none() && header.alg.as_deref() != Some("dir") {
            return Err(invalid(MALFORMED));
        }
        let Some(external) = self.external.as_ref().filter(|e| e.userinfo_fallback) else {
            let audience = self.external.as_ref().map_or("", |e| e.audience.as_str());
            return Err(invalid(format!(
                "the token is encrypted (JWE) and cannot be verified by this server; Auth0 \
                 issues such tokens when the tenant setting Resource Parameter Compatibility \
                 Profile is off: turn it on (Settings, Advanced) and make sure an API with \
                 identifier {audience} exists, then reconnect"
            )));
        };
        let cached = self
            .cache
            .try_get_with(hash, external.ask_userinfo(token))
            .await
            .map_err(|_| Rejection::Unavailable)?;
        cached.outcome.map_err(|why| invalid(why.to_string()))
    }
}

impl OwnIssuer {
    fn verify(&self, token: &str, alg: Algorithm) -> Result<(Verified, f64), Rejection> {
        if alg != Algorithm::HS256 {
            return Err(invalid(algorithm_refused()));
        }
        let claims = decode(token, &self.key, alg, &self.issuer, &self.audience)?;
        let (verified, exp) = identity(claims, &self.issuer, None)?;
        Ok((
            Verified {
                own: true,
                ..verified
            },
            exp,
        ))
    }
}

impl ExternalIssuer {
    async fn verify(
        &self,
        token: &str,
        alg: Algorithm,
        kid: Option<&str>,
    ) -> Result<(Verified, f64), Rejection> {
        if !EXTERNAL_ALGORITHMS.contains(&alg) {
            return Err(invalid(algorithm_refused()));
        }
        let mut snapshot = self.keys.snapshot();
        if !matches!(snapshot.find(kid), KeyLookup::Found(_)) {
            self.keys.refetch_for(kid).await;
            snapshot = self.keys.snapshot();
        }
        let key = match snapshot.find(kid) {
            KeyLookup::Found(key) => key,
            // The provider may have published the key since: we cannot tell while it does
            // not answer, so the caller is asked to retry rather than told the token is bad.
            KeyLookup::Unknown if !self.keys.reachable() => return Err(Rejection::Unavailable),
            KeyLookup::Unknown => return Err(invalid(UNKNOWN_KEY)),
            KeyLookup::NoKeys => return Err(Rejection::Unavailable),
        };
        let decoding = key.for_algorithm(alg).ok_or(invalid(
            "the token's algorithm does not match the key it names",
        ))?;
        let issuer = snapshot
            .discovery
            .as_ref()
            .map_or(self.configured_issuer.as_str(), |d| d.issuer.as_str());
        let claims = decode(token, decoding, alg, issuer, &self.audience)?;
        identity(claims, issuer, Some(&self.email_claim))
    }
}

fn decode(
    token: &str,
    key: &DecodingKey,
    alg: Algorithm,
    issuer: &str,
    audience: &str,
) -> Result<Claims, Rejection> {
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.validate_nbf = true;
    validation.leeway = LEEWAY_SECS;
    jsonwebtoken::decode::<Claims>(token, key, &validation)
        .map(|data| data.claims)
        .map_err(|err| {
            invalid(match err.into_kind() {
                ErrorKind::ExpiredSignature => {
                    Cow::Borrowed("the token has expired; sign in again to get a new one")
                }
                ErrorKind::ImmatureSignature => Cow::Borrowed(
                    "the token is not valid yet (nbf is in the future); check the clocks",
                ),
                ErrorKind::InvalidAudience => Cow::Owned(format!(
                    "the token was issued for another audience; it must contain {audience}"
                )),
                ErrorKind::InvalidIssuer => Cow::Borrowed(UNKNOWN_ISSUER),
                ErrorKind::InvalidSignature => Cow::Borrowed(BAD_SIGNATURE),
                ErrorKind::InvalidAlgorithm => Cow::Owned(algorithm_refused()),
                ErrorKind::MissingRequiredClaim(claim) => {
                    Cow::Owned(format!("the token lacks the required {claim} claim"))
                }
                ErrorKind::InvalidClaimFormat(claim) => {
                    Cow::Owned(format!("the token's {claim} claim is malformed"))
                }
                _ => Cow::Borrowed(MALFORMED),
            })
        })
}

/// The verified caller of a token whose signature and registered claims passed; refuses ID
/// tokens. `email_claim` is where an external provider puts the user's address.
fn identity(
    mut claims: Claims,
    issuer: &str,
    email_claim: Option<&str>,
) -> Result<(Verified, f64), Rejection> {
    if let Some(marker) = id_token_marker(&claims) {
        return Err(invalid(format!(
            "the token is an ID token (it carries {marker}), not an access token; the client \
             must send the access token the provider issued for this server"
        )));
    }
    let email = email_claim
        .and_then(|name| claims.other.remove(name))
        .and_then(|value| value.as_str().map(str::to_owned))
        .filter(|_| !marked_unverified(claims.email_verified.as_ref()));
    let mut scopes: Vec<String> = Vec::new();
    for value in [&claims.scope, &claims.permissions].into_iter().flatten() {
        let found: Vec<&str> = match value {
            serde_json::Value::String(text) => text.split_whitespace().collect(),
            serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        for scope in found {
            if !scopes.iter().any(|known| known == scope) {
                scopes.push(scope.to_owned());
            }
        }
    }
    let identity = Identity {
        subject: claims.sub.unwrap_or_default(),
        scopes,
        client: claims.azp.or(claims.client_id).unwrap_or_default(),
        issuer: issuer.to_owned(),
    };
    if !forwardable(&identity) {
        return Err(invalid(NOT_FORWARDABLE));
    }
    let verified = Verified {
        identity,
        email,
        own: false,
    };
    Ok((verified, claims.exp.unwrap_or_default()))
}

/// Whether the provider says the e-mail address is not verified: `false`, or `"false"` as
/// some providers write it. No `email_verified` at all does not count against it.
pub(crate) fn marked_unverified(email_verified: Option<&serde_json::Value>) -> bool {
    match email_verified {
        Some(serde_json::Value::Bool(verified)) => !verified,
        Some(serde_json::Value::String(text)) => text.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// What shows a token to be an ID token: `nonce` and the hash claims (OpenID Connect Core
/// §2, §3.3.2.11) or Keycloak's payload `typ: ID`.
fn id_token_marker(claims: &Claims) -> Option<&'static str> {
    if claims.nonce.is_some() {
        Some("nonce")
    } else if claims.at_hash.is_some() || claims.c_hash.is_some() {
        Some("a hash of the code or access token")
    } else if claims
        .typ
        .as_ref()
        .and_then(|t| t.as_str())
        .is_some_and(|t| t.eq_ignore_ascii_case("id"))
    {
        Some("typ ID")
    } else {
        None
    }
}

/// The subject a token claims, unverified and shortened: for log lines about refused tokens
/// (never the token itself).
pub(crate) fn claimed_subject(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Subject {
        sub: String,
    }
    let payload = token.split('.').nth(1)?;
    let Subject { sub } = decode_segment(payload)?;
    Some(sub.chars().take(128).collect())
}

/// Values end up in HTTP headers and are re-checked by the MCP endpoint, which refuses
/// anything starting with `{`; refuse them here already, with a clear reason.
pub(crate) fn forwardable(identity: &Identity) -> bool {
    let safe = |value: &str| !value.starts_with('{') && !value.chars().any(char::is_control);
    !identity.subject.trim().is_empty()
        && safe(&identity.subject)
        && safe(&identity.client)
        && identity.scopes.iter().all(|scope| safe(scope))
}

fn algorithm_refused() -> String {
    "the token's signing algorithm is not accepted: external providers must use RS256, PS256 \
     or ES256, and HS256 is only accepted for tokens from this server's /oauth/token"
        .to_owned()
}

fn decode_segment<T: serde::de::DeserializeOwned>(segment: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn ttl_until(exp: f64) -> Option<Duration> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    let left = exp - now;
    (left.is_finite() && left > 0.0).then(|| Duration::from_secs_f64(left).min(MAX_CACHE_TTL))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity_with(subject: &str, client: &str, scope: &str) -> Identity {
        Identity {
            subject: subject.into(),
            scopes: scope.split_whitespace().map(str::to_owned).collect(),
            client: client.into(),
            issuer: "i".into(),
        }
    }

    #[test]
    fn scopes_come_from_scope_and_permissions_without_duplicates() {
        let claims: Claims = serde_json::from_value(serde_json::json!({
            "sub": "u", "exp": 10, "scope": "a b", "permissions": ["b", "c"], "azp": "cli"
        }))
        .unwrap();
        let (verified, exp) = identity(claims, "iss", Some("email")).unwrap();
        assert_eq!(verified.identity.scopes, ["a", "b", "c"]);
        assert_eq!(verified.identity.client, "cli");
        assert_eq!(exp, 10.0);
    }

    fn claims_of(value: serde_json::Value) -> Claims {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn id_tokens_are_recognised_by_their_markers() {
        for marked in [
            serde_json::json!({"sub": "u", "nonce": "n"}),
            serde_json::json!({"sub": "u", "at_hash": "h"}),
            serde_json::json!({"sub": "u", "c_hash": "h"}),
            serde_json::json!({"sub": "u", "typ": "ID"}),
        ] {
            let refused = identity(claims_of(marked.clone()), "i", None).unwrap_err();
            assert!(matches!(refused, Rejection::Invalid(why) if why.contains("ID token")));
        }
        let keycloak_access = serde_json::json!({"sub": "u", "typ": "Bearer"});
        assert!(identity(claims_of(keycloak_access), "i", None).is_ok());
    }

    #[test]
    fn the_email_claim_counts_unless_marked_unverified() {
        let email = |value: serde_json::Value, claim: &str| {
            identity(claims_of(value), "i", Some(claim))
                .unwrap()
                .0
                .email
        };
        let plain = serde_json::json!({"sub": "u", "email": "a@b.example"});
        assert_eq!(
            email(plain.clone(), "email").as_deref(),
            Some("a@b.example")
        );
        assert_eq!(email(plain, "https://h/email"), None);
        let namespaced = serde_json::json!({"sub": "u", "https://h/email": "a@b.example"});
        assert!(email(namespaced, "https://h/email").is_some());
        for unverified in [serde_json::json!(false), serde_json::json!("false")] {
            let claims = serde_json::json!({"sub": "u", "email": "a@b.example", "email_verified": unverified});
            assert_eq!(email(claims, "email"), None);
        }
        let verified =
            serde_json::json!({"sub": "u", "email": "a@b.example", "email_verified": "true"});
        assert!(email(verified, "email").is_some());
    }

    #[test]
    fn the_claimed_subject_is_read_without_verification_and_shortened() {
        let payload = URL_SAFE_NO_PAD.encode(format!("{{\"sub\":\"{}\"}}", "x".repeat(300)));
        let subject = claimed_subject(&format!("e30.{payload}.sig")).unwrap();
        assert_eq!(subject.len(), 128);
        assert_eq!(claimed_subject("garbage"), None);
    }

    #[test]
    fn placeholder_like_or_control_values_are_not_forwardable() {
        assert!(forwardable(&identity_with("auth0|1", "", "")));
        assert!(!forwardable(&identity_with("", "", "")));
        assert!(!forwardable(&identity_with("{x}", "", "")));
        assert!(!forwardable(&identity_with("a\nb", "", "")));
        assert!(!forwardable(&identity_with("a", "{c}", "")));
    }

    #[test]
    fn cache_ttl_only_for_future_expiry() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!(ttl_until(now - 5.0).is_none());
        assert!(ttl_until(now + 100.0).is_some_and(|d| d <= Duration::from_secs(100)));
        assert_eq!(ttl_until(now + 1e9), Some(MAX_CACHE_TTL));
    }
}
