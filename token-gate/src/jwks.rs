//! The external provider's discovery document and signing keys: fetched at startup in the
//! background, refreshed periodically, refetched (once, shared, rate-limited) when a token
//! names an unknown key. A failed fetch keeps the last good keys, up to `JWKS_MAX_AGE_SECS`.
//! Documents are small, come over https (loopback excepted) and never from another origin
//! by redirect.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use url::Url;

use super::urls;

/// Largest discovery document or key set read (Auth0's are a few kilobytes).
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Redirects followed within the provider's own origin.
const MAX_REDIRECTS: usize = 5;

/// The HTTP client for the identity provider: the given timeouts, and redirects followed
/// only within the origin asked (a provider document must not come from elsewhere).
pub fn provider_client(connect: Duration, total: Duration) -> reqwest::Result<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(total)
        .redirect(policy)
        .build()
}

/// What the provider says about itself; only the fields this server uses or republishes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Discovery {
    /// The issuer exactly as the provider spells it (Auth0: with trailing slash).
    pub issuer: String,
    /// Where the signing keys are.
    pub jwks_uri: String,
    /// Authorization code endpoint.
    #[serde(default)]
    pub authorization_endpoint: Option<String>,
    /// Token endpoint.
    #[serde(default)]
    pub token_endpoint: Option<String>,
    /// Dynamic client registration endpoint.
    #[serde(default)]
    pub registration_endpoint: Option<String>,
    /// Userinfo endpoint (used only by the Auth0 fallback).
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    /// Revocation endpoint.
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    /// Response types.
    #[serde(default)]
    pub response_types_supported: Option<Vec<String>>,
    /// Grant types.
    #[serde(default)]
    pub grant_types_supported: Option<Vec<String>>,
    /// PKCE methods.
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// Client authentication methods at the token endpoint.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// Whether the provider accepts an HTTPS URL of a Client ID Metadata Document as
    /// `client_id` instead of a registered client.
    #[serde(default, deserialize_with = "flag")]
    pub client_id_metadata_document_supported: Option<bool>,
    /// Whether authorization responses carry `iss` (RFC 9207).
    #[serde(default, deserialize_with = "flag")]
    pub authorization_response_iss_parameter_supported: Option<bool>,
}

/// An optional boolean flag that ignores any other JSON value: a provider's odd spelling of a
/// flag this server only passes on must not cost the whole discovery document, and with it
/// every token check.
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(serde_json::Value::deserialize(deserializer)?.as_bool())
}

/// A verification key from the provider's JWKS.
#[derive(Clone)]
pub(crate) struct PublicKey {
    kid: Option<String>,
    key: DecodingKey,
    algorithms: Vec<Algorithm>,
}

impl PublicKey {
    /// The decoding key, if this key may verify tokens signed with `alg`.
    pub(crate) fn for_algorithm(&self, alg: Algorithm) -> Option<&DecodingKey> {
        self.algorithms.contains(&alg).then_some(&self.key)
    }
}

/// The provider state as of the last successful fetch.
#[derive(Default)]
pub(crate) struct Snapshot {
    /// The discovery document, once fetched.
    pub(crate) discovery: Option<Arc<Discovery>>,
    keys: Vec<PublicKey>,
    /// When the keys become too old to trust without a refresh.
    keys_expire: Option<Instant>,
}

/// Result of looking up a token's key.
pub(crate) enum KeyLookup<'a> {
    /// The key named by the token.
    Found(&'a PublicKey),
    /// Keys are known, but not this one.
    Unknown,
    /// No usable keys: the provider was never reached, or not for `JWKS_MAX_AGE_SECS`.
    NoKeys,
}

impl Snapshot {
    /// Finds the key a token names; a token without `kid` may use a lone key.
    pub(crate) fn find(&self, kid: Option<&str>) -> KeyLookup<'_> {
        if self.keys.is_empty() || self.expired() {
            return KeyLookup::NoKeys;
        }
        let found = match kid {
            Some(kid) => self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        found.map_or(KeyLookup::Unknown, KeyLookup::Found)
    }

    fn expired(&self) -> bool {
        self.keys_expire.is_some_and(|at| Instant::now() >= at)
    }
}

/// Discovery document and keys of one provider, shared by all requests.
pub(crate) struct KeyStore {
    http: reqwest::Client,
    discovery_url: String,
    configured_issuer: String,
    cooldown: Duration,
    max_age: Duration,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Serialises fetches and remembers when the last unscheduled one ended (or started,
    /// while one that was abandoned midway never ended). Scheduled refreshes do not count:
    /// a key published just after one must still be fetched at its first use.
    fetch: tokio::sync::Mutex<Option<Instant>>,
    /// Whether the last fetch succeeded.
    reachable: AtomicBool,
}

/// Why one fetch failed; logged, never shown to callers.
#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error("request to {0} failed: {1}")]
    Http(String, reqwest::Error),
    #[error("{0} answered HTTP {1}")]
    Status(String, u16),
    #[error("{0} is not a valid document: {1}")]
    Parse(String, String),
    #[error("discovery names issuer {found:?}, but {configured:?} is configured")]
    IssuerMismatch { found: String, configured: String },
    #[error("{0} holds no usable signing key (RS256, PS256 or ES256)")]
    NoUsableKeys(String),
    #[error("{0} is larger than {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge(String),
    #[error("{0} redirects to another origin, which is never followed")]
    Redirected(String),
    #[error("{0} is not https (only loopback addresses may use plain http)")]
    Insecure(String),
}

impl KeyStore {
    /// A store with nothing fetched yet. Keys not refreshed for `max_age` stop being used.
    pub(crate) fn new(
        http: reqwest::Client,
        discovery_url: String,
        configured_issuer: String,
        cooldown: Duration,
        max_age: Duration,
    ) -> Self {
        Self {
            http,
            discovery_url,
            configured_issuer,
            cooldown,
            max_age,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            fetch: tokio::sync::Mutex::new(None),
            reachable: AtomicBool::new(true),
        }
    }

    /// Whether the provider answered the last fetch with usable documents.
    pub(crate) fn reachable(&self) -> bool {
        self.reachable.load(Ordering::Relaxed)
    }

    /// The current state (cheap: one `Arc` clone).
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// How long callers should wait before retrying while no keys are known.
    pub(crate) fn retry_after(&self) -> Duration {
        self.cooldown
    }

    /// Starts the background task: fetch now, then every `interval` (every cooldown while
    /// no keys are known). It stops by itself once the store is dropped.
    pub(crate) fn spawn_refresh(self: &Arc<Self>, interval: Duration) {
        let weak: Weak<Self> = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let Some(store) = weak.upgrade() else { return };
                store.scheduled_fetch().await;
                let wait = if store.snapshot().keys.is_empty() {
                    store.cooldown.min(interval)
                } else {
                    interval
                };
                drop(store);
                tokio::time::sleep(wait).await;
            }
        });
    }

    /// Refetches because a token named a key we do not have (or we have none). Concurrent
    /// callers wait for one fetch; fetches closer together than the cooldown are skipped.
    pub(crate) async fn refetch_for(&self, kid: Option<&str>) {
        self.refetch_unless(|snapshot| matches!(snapshot.find(kid), KeyLookup::Found(_)))
            .await;
    }

    /// Makes sure the discovery document is known, under the same rules as key refetches.
    pub(crate) async fn ensure_discovery(&self) {
        self.refetch_unless(|snapshot| snapshot.discovery.is_some())
            .await;
    }

    async fn refetch_unless(&self, satisfied: impl Fn(&Snapshot) -> bool) {
        let mut last = self.fetch.lock().await;
        if satisfied(&self.snapshot()) {
            return; // another request fetched it while we waited
        }
        if last.is_some_and(|at| at.elapsed() < self.cooldown) {
            return;
        }
        self.timed_fetch(&mut last).await;
    }

    async fn scheduled_fetch(&self) {
        let _serialised = self.fetch.lock().await;
        self.fetch_and_store().await;
    }

    /// Fetches, stamping the cooldown both before (a fetch abandoned by its caller still
    /// counts) and after: requests queued behind a fetch slower than the cooldown must not
    /// each start another one against a provider that is already struggling.
    async fn timed_fetch(&self, last: &mut Option<Instant>) {
        *last = Some(Instant::now());
        self.fetch_and_store().await;
        *last = Some(Instant::now());
    }

    async fn fetch_and_store(&self) {
        let outcome = self.fetch_all().await;
        self.reachable.store(outcome.is_ok(), Ordering::Relaxed);
        match outcome {
            Ok(snapshot) => {
                let snapshot = Arc::new(snapshot);
                match self.snapshot.write() {
                    Ok(mut guard) => *guard = snapshot,
                    Err(poisoned) => *poisoned.into_inner() = snapshot,
                }
            }
            Err(err) => {
                let current = self.snapshot();
                if current.expired() {
                    log::error!(
                        "identity provider keys not refreshed for longer than \
                         JWKS_MAX_AGE_SECS; every provider token gets 503 until it answers: {err}"
                    );
                } else {
                    let kept = current.keys.len();
                    log::warn!("identity provider keys not refreshed ({kept} keys kept): {err}");
                }
            }
        }
    }

    async fn fetch_all(&self) -> Result<Snapshot, FetchError> {
        let discovery: Discovery = self.get_json(&self.discovery_url).await?;
        if discovery.issuer.trim_end_matches('/') != self.configured_issuer.trim_end_matches('/') {
            return Err(FetchError::IssuerMismatch {
                found: discovery.issuer,
                configured: self.configured_issuer.clone(),
            });
        }
        let set: RawJwks = self.get_json(&discovery.jwks_uri).await?;
        let keys: Vec<PublicKey> = set.keys.iter().filter_map(public_key).collect();
        if keys.is_empty() {
            return Err(FetchError::NoUsableKeys(discovery.jwks_uri));
        }
        Ok(Snapshot {
            discovery: Some(Arc::new(discovery)),
            keys,
            keys_expire: Instant::now().checked_add(self.max_age),
        })
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, FetchError> {
        let fail = |make: fn(String) -> FetchError| make(url.to_owned());
        let asked =
            Url::parse(url).map_err(|err| FetchError::Parse(url.to_owned(), err.to_string()))?;
        if !urls::fetchable(&asked) {
            return Err(fail(FetchError::Insecure));
        }
        // No per-request timeout: the client the gate was given carries it, so a hung
        // provider holds the shared refetch for that long at most.
        let mut response = self
            .http
            .get(asked.clone())
            .send()
            .await
            .map_err(|err| FetchError::Http(url.to_owned(), err))?;
        // The server's client stops at a redirect to another origin; any other client may
        // have followed it, but its document is not used either way.
        if response.status().is_redirection() || response.url().origin() != asked.origin() {
            return Err(fail(FetchError::Redirected));
        }
        if !response.status().is_success() {
            return Err(FetchError::Status(
                url.to_owned(),
                response.status().as_u16(),
            ));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64)
        {
            return Err(fail(FetchError::TooLarge));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| FetchError::Http(url.to_owned(), err))?
        {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(fail(FetchError::TooLarge));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body)
            .map_err(|err| FetchError::Parse(url.to_owned(), err.to_string()))
    }
}

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<serde_json::Value>,
}

/// Turns one JWK into a verification key, or skips it: encryption keys, symmetric keys
/// (an HS* token must never verify against published material) and unsupported curves.
fn public_key(raw: &serde_json::Value) -> Option<PublicKey> {
    let jwk: Jwk = serde_json::from_value(raw.clone()).ok()?;
    if matches!(
        jwk.common.public_key_use,
        Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
    ) {
        return None;
    }
    let family: &[Algorithm] = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => &[Algorithm::RS256, Algorithm::PS256],
        AlgorithmParameters::EllipticCurve(params) if params.curve == EllipticCurve::P256 => {
            &[Algorithm::ES256]
        }
        _ => return None,
    };
    let algorithms: Vec<Algorithm> = match jwk.common.key_algorithm {
        None => family.to_vec(),
        Some(declared) => {
            let declared = declared.to_string().parse::<Algorithm>().ok();
            family
                .iter()
                .copied()
                .filter(|alg| Some(*alg) == declared)
                .collect()
        }
    };
    if algorithms.is_empty() {
        return None;
    }
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    Some(PublicKey {
        kid: jwk.common.key_id.clone(),
        key,
        algorithms,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    fn rsa(kid: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut key = json!({"kty": "RSA", "kid": kid, "n": N, "e": "AQAB"});
        if let (Some(key), Some(extra)) = (key.as_object_mut(), extra.as_object()) {
            key.extend(extra.clone());
        }
        key
    }

    #[test]
    fn rsa_keys_allow_rs256_and_ps256_unless_alg_narrows() {
        let key = public_key(&rsa("a", json!({"use": "sig"}))).unwrap();
        assert!(key.for_algorithm(Algorithm::RS256).is_some());
        assert!(key.for_algorithm(Algorithm::PS256).is_some());
        assert!(key.for_algorithm(Algorithm::HS256).is_none());
        let narrowed = public_key(&rsa("b", json!({"alg": "RS256"}))).unwrap();
        assert!(narrowed.for_algorithm(Algorithm::PS256).is_none());
    }

    #[test]
    fn symmetric_encryption_and_odd_keys_are_skipped() {
        assert!(public_key(&json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"})).is_none());
        assert!(public_key(&rsa("e", json!({"use": "enc"}))).is_none());
        assert!(public_key(&rsa("r", json!({"alg": "RS512"}))).is_none());
        assert!(public_key(&json!({"kty": "weird"})).is_none());
    }

    #[test]
    fn lookup_distinguishes_unknown_kid_from_no_keys() {
        let empty = Snapshot::default();
        assert!(matches!(empty.find(Some("a")), KeyLookup::NoKeys));
        let one = Snapshot {
            discovery: None,
            keys: vec![public_key(&rsa("a", json!({}))).unwrap()],
            keys_expire: None,
        };
        assert!(matches!(one.find(Some("a")), KeyLookup::Found(_)));
        assert!(matches!(one.find(Some("b")), KeyLookup::Unknown));
        assert!(matches!(one.find(None), KeyLookup::Found(_)));
        let expired = Snapshot {
            keys_expire: Some(Instant::now()),
            ..one
        };
        assert!(matches!(expired.find(Some("a")), KeyLookup::NoKeys));
    }
}
