//! A stand-in OpenID provider on 127.0.0.1:0, shaped like an Auth0 tenant: discovery
//! document (issuer with trailing slash), JWKS with keys that tests add and remove,
//! `/userinfo`, Dynamic Client Registration, switches that take it down (503), slow it down,
//! make it answer garbage, oversized key sets, a redirect or a foreign `jwks_uri`, and
//! request counters.

mod keys;
pub mod tokens;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use anyhow::Context;
use serde_json::{Value, json};

pub use keys::SigningKey;

use crate::serve::{Server, lock};

#[derive(Default)]
struct State {
    issuer: String,
    published: Mutex<Vec<SigningKey>>,
    userinfo_subjects: Mutex<HashMap<String, String>>,
    down: AtomicBool,
    garbage: AtomicBool,
    latency: Mutex<Duration>,
    jwks_padding: AtomicUsize,
    discovery_redirect: Mutex<Option<String>>,
    jwks_uri: Mutex<Option<String>>,
    moved_requests: AtomicUsize,
    discovery_requests: AtomicUsize,
    jwks_requests: AtomicUsize,
    userinfo_requests: AtomicUsize,
    registrations: AtomicUsize,
}

/// The running provider; stopped when dropped.
pub struct OidcProvider {
    state: Arc<State>,
    _server: Server,
}

impl OidcProvider {
    /// Starts the provider with one published ES256 key (`kid` "key-1"). Call inside a
    /// tokio/actix runtime.
    pub async fn start() -> anyhow::Result<Self> {
        let (listener, addr) = Server::bind()?;
        let state = Arc::new(State {
            issuer: format!("http://{addr}/"),
            ..State::default()
        });
        lock(&state.published).push(SigningKey::ec("key-1")?);
        let data = web::Data::from(Arc::clone(&state));
        let server = Server::start(listener, move |app| {
            app.app_data(data.clone())
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(discovery),
                )
                .route("/.well-known/jwks.json", web::get().to(jwks))
                .route(
                    "/moved/openid-configuration",
                    web::get().to(moved_discovery),
                )
                .route("/userinfo", web::get().to(userinfo))
                .route("/oidc/register", web::post().to(register));
        })?;
        Ok(Self {
            state,
            _server: server,
        })
    }

    /// The issuer, Auth0 style: `http://127.0.0.1:<port>/`.
    pub fn issuer(&self) -> &str {
        &self.state.issuer
    }

    /// The userinfo endpoint URL.
    pub fn userinfo_url(&self) -> String {
        format!("{}userinfo", self.state.issuer)
    }

    /// The first published key (what [`OidcProvider::sign`] uses).
    pub fn current_key(&self) -> Option<SigningKey> {
        lock(&self.state.published).first().cloned()
    }

    /// Publishes a key in the JWKS.
    pub fn publish(&self, key: &SigningKey) {
        lock(&self.state.published).push(key.clone());
    }

    /// Removes a key from the JWKS.
    pub fn retire(&self, kid: &str) {
        lock(&self.state.published).retain(|key| key.kid() != kid);
    }

    /// Takes the provider down (every endpoint answers 503) or brings it back.
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::SeqCst);
    }

    /// Delays every answer by `latency` (longer than a client's timeout: a hung provider).
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.state.latency) = latency;
    }

    /// Makes discovery and JWKS answer 200 with an HTML page instead of JSON, or stops it.
    pub fn set_garbage(&self, garbage: bool) {
        self.state.garbage.store(garbage, Ordering::SeqCst);
    }

    /// Pads the JWKS answer with `bytes` bytes of filler (an oversized document), or stops.
    pub fn set_jwks_padding(&self, bytes: usize) {
        self.state.jwks_padding.store(bytes, Ordering::SeqCst);
    }

    /// Makes the discovery document answer `302 Found` to `location`, or stops. The same
    /// document is also served at `/moved/openid-configuration` (see [`Self::moved_url`]).
    pub fn set_discovery_redirect(&self, location: Option<String>) {
        *lock(&self.state.discovery_redirect) = location;
    }

    /// The discovery document at another path of this server, reached through `host`
    /// (`127.0.0.1` is the same origin as the issuer, `localhost` another one).
    pub fn moved_url(&self, host: &str) -> String {
        self.state.issuer.replace("127.0.0.1", host) + "moved/openid-configuration"
    }

    /// Requests for the moved discovery document so far.
    pub fn moved_requests(&self) -> usize {
        self.state.moved_requests.load(Ordering::SeqCst)
    }

    /// Makes the discovery document name `uri` as its `jwks_uri`, or the real one again.
    pub fn set_jwks_uri(&self, uri: Option<String>) {
        *lock(&self.state.jwks_uri) = uri;
    }

    /// Makes `/userinfo` answer `{"sub": subject}` for `token`; other tokens get 401.
    pub fn accept_at_userinfo(&self, token: &str, subject: &str) {
        lock(&self.state.userinfo_subjects).insert(token.to_owned(), subject.to_owned());
    }

    /// Discovery document requests so far.
    pub fn discovery_requests(&self) -> usize {
        self.state.discovery_requests.load(Ordering::SeqCst)
    }

    /// JWKS requests so far.
    pub fn jwks_requests(&self) -> usize {
        self.state.jwks_requests.load(Ordering::SeqCst)
    }

    /// `/userinfo` requests so far.
    pub fn userinfo_requests(&self) -> usize {
        self.state.userinfo_requests.load(Ordering::SeqCst)
    }

    /// Clients registered through `/oidc/register` so far.
    pub fn registrations(&self) -> usize {
        self.state.registrations.load(Ordering::SeqCst)
    }

    /// Claims of a valid access token for `audience`, valid for an hour. Like Auth0 with
    /// the compatibility profile: `aud` is an array, scopes in `scope` and `permissions`.
    pub fn claims(&self, audience: &str) -> Value {
        let now = tokens::now();
        json!({
            "iss": self.issuer(),
            "sub": "auth0|user-1",
            "aud": [audience, self.userinfo_url()],
            "azp": "chatgpt-client",
            "iat": now,
            "exp": now + 3600,
            "scope": "openid profile",
            "permissions": ["read:data"],
        })
    }

    /// Signs `claims` with the current key.
    pub fn sign(&self, claims: &Value) -> String {
        self.current_key()
            .map(|key| key.sign(claims))
            .unwrap_or_default()
    }

    /// A token of the given kind for `audience`: one valid token and every hostile shape a
    /// resource server must refuse.
    pub fn mint(&self, kind: Mint, audience: &str) -> anyhow::Result<String> {
        let mut claims = self.claims(audience);
        let now = tokens::now();
        let key = self.current_key().context("no published key")?;
        Ok(match kind {
            Mint::Valid => key.sign(&claims),
            Mint::Expired => {
                claims["exp"] = json!(now - 300);
                key.sign(&claims)
            }
            Mint::NotYetValid => {
                claims["nbf"] = json!(now + 600);
                key.sign(&claims)
            }
            Mint::WrongAudience => {
                claims["aud"] = json!(["https://someone-else.example/mcp"]);
                key.sign(&claims)
            }
            Mint::WrongIssuer => {
                claims["iss"] = json!("https://impostor.example/");
                key.sign(&claims)
            }
            Mint::AlgNone => tokens::unsigned(&claims),
            Mint::Hs256WithPublicKey => {
                tokens::hs256(key.public_pem().as_bytes(), Some(key.kid()), &claims)
            }
            Mint::Tampered => tokens::tampered(&key.sign(&claims), "auth0|admin"),
            Mint::UnknownKid => SigningKey::ec("never-published")?.sign(&claims),
            Mint::Encrypted => tokens::encrypted(self.issuer(), &now.to_string()),
            Mint::IdToken => {
                claims["nonce"] = json!("n-0S6_WzA2Mj");
                key.sign(&claims)
            }
        })
    }
}

/// Kinds of token [`OidcProvider::mint`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mint {
    /// Signed by the current key, valid for an hour.
    Valid,
    /// `exp` five minutes ago.
    Expired,
    /// `nbf` ten minutes ahead.
    NotYetValid,
    /// `aud` naming another resource.
    WrongAudience,
    /// `iss` naming another issuer (signed by our key all the same).
    WrongIssuer,
    /// `alg: none`, no signature.
    AlgNone,
    /// HS256 keyed with the provider's public key (algorithm confusion).
    Hs256WithPublicKey,
    /// Valid signature over different claims.
    Tampered,
    /// Signed by a key the JWKS never lists.
    UnknownKid,
    /// Five-part JWE like Auth0 without the compatibility profile.
    Encrypted,
    /// An ID token (`nonce`) for the right audience, as a confused client might send it.
    IdToken,
}

impl Mint {
    /// Every hostile kind (all but [`Mint::Valid`]).
    pub const HOSTILE: [Mint; 10] = [
        Mint::Expired,
        Mint::NotYetValid,
        Mint::WrongAudience,
        Mint::WrongIssuer,
        Mint::AlgNone,
        Mint::Hs256WithPublicKey,
        Mint::Tampered,
        Mint::UnknownKid,
        Mint::Encrypted,
        Mint::IdToken,
    ];
}

/// Waits out the configured latency, then the answer the down and garbage switches call
/// for, if any.
async fn misbehaviour(state: &State, documents: bool) -> Option<HttpResponse> {
    let latency = *lock(&state.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if state.down.load(Ordering::SeqCst) {
        return Some(
            HttpResponse::ServiceUnavailable().json(json!({"error": "temporarily_unavailable"})),
        );
    }
    (documents && state.garbage.load(Ordering::SeqCst)).then(|| {
        HttpResponse::Ok()
            .content_type("text/html")
            .body("<html><body>Maintenance</body></html>")
    })
}

async fn discovery(state: web::Data<State>) -> HttpResponse {
    state.discovery_requests.fetch_add(1, Ordering::SeqCst);
    if let Some(response) = misbehaviour(&state, true).await {
        return response;
    }
    if let Some(location) = lock(&state.discovery_redirect).clone() {
        return HttpResponse::Found()
            .insert_header(("location", location))
            .finish();
    }
    discovery_document(&state)
}

async fn moved_discovery(state: web::Data<State>) -> HttpResponse {
    state.moved_requests.fetch_add(1, Ordering::SeqCst);
    discovery_document(&state)
}

fn discovery_document(state: &State) -> HttpResponse {
    let issuer = &state.issuer;
    let jwks_uri = lock(&state.jwks_uri)
        .clone()
        .unwrap_or_else(|| format!("{issuer}.well-known/jwks.json"));
    HttpResponse::Ok().json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}authorize"),
        "token_endpoint": format!("{issuer}oauth/token"),
        "device_authorization_endpoint": format!("{issuer}oauth/device/code"),
        "userinfo_endpoint": format!("{issuer}userinfo"),
        "mfa_challenge_endpoint": format!("{issuer}mfa/challenge"),
        "jwks_uri": jwks_uri,
        "registration_endpoint": format!("{issuer}oidc/register"),
        "revocation_endpoint": format!("{issuer}oauth/revoke"),
        "scopes_supported": ["openid", "profile", "offline_access", "name", "email"],
        "response_types_supported": ["code", "token", "id_token", "code token"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["public"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "id_token_signing_alg_values_supported": ["HS256", "RS256", "PS256"],
        "request_uri_parameter_supported": false,
    }))
}

async fn jwks(state: web::Data<State>) -> HttpResponse {
    state.jwks_requests.fetch_add(1, Ordering::SeqCst);
    if let Some(response) = misbehaviour(&state, true).await {
        return response;
    }
    let keys: Vec<Value> = lock(&state.published)
        .iter()
        .map(|key| key.jwk().clone())
        .collect();
    let padding = state.jwks_padding.load(Ordering::SeqCst);
    if padding > 0 {
        return HttpResponse::Ok().json(json!({ "keys": keys, "padding": "x".repeat(padding) }));
    }
    HttpResponse::Ok().json(json!({ "keys": keys }))
}

async fn userinfo(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    state.userinfo_requests.fetch_add(1, Ordering::SeqCst);
    if let Some(response) = misbehaviour(&state, false).await {
        return response;
    }
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let subject = token.and_then(|t| lock(&state.userinfo_subjects).get(t).cloned());
    match subject {
        Some(sub) => HttpResponse::Ok().json(json!({"sub": sub, "name": "Test User"})),
        None => HttpResponse::Unauthorized().json(json!({"error": "invalid_token"})),
    }
}

/// Dynamic Client Registration (RFC 7591) as Auth0 answers it: 201 with a fresh client id for
/// a JSON body that lists `redirect_uris`, 400 `invalid_redirect_uri` otherwise.
async fn register(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    if let Some(response) = misbehaviour(&state, false).await {
        return response;
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or_default();
    let redirects = request.get("redirect_uris").and_then(Value::as_array);
    if redirects.is_none_or(|list| list.is_empty()) {
        return HttpResponse::BadRequest().json(json!({
            "error": "invalid_redirect_uri",
            "error_description": "redirect_uris is required",
        }));
    }
    let number = state.registrations.fetch_add(1, Ordering::SeqCst) + 1;
    HttpResponse::Created().json(json!({
        "client_id": format!("dcr-client-{number}"),
        "client_secret": format!("dcr-secret-{number}"),
        "client_name": request.get("client_name").cloned().unwrap_or(Value::Null),
        "redirect_uris": redirects,
    }))
}
