//! A stand-in for a deployed real-estate-mcp, seen from outside: the MCP endpoint, the
//! service's `/auth` (Caddy's forward_auth target), the OAuth metadata documents and a tiny
//! OpenID provider (discovery and Dynamic Client Registration) under `/provider/`.
//!
//! The deployment tests put it behind the real Caddy as the upstream service; the `verify`
//! tests talk to it directly. Every request it receives is recorded, so a test can assert what
//! did (and what did not) reach the service. Faults are switched on through [`SiteOptions`].

mod mcp;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use actix_web::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use crate::serve::{Server, lock};

/// Who may reach the stand-in's `/mcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McpGate {
    /// Anyone: an open server, or the fault "Caddy did not guard /mcp".
    Open,
    /// Only requests carrying `Authorization: Bearer <token>`: what Caddy and the service
    /// together look like from outside in guarded mode.
    Bearer,
    /// Only requests carrying a usable `X-Auth-Subject`: the real service behind Caddy.
    IdentityHeader,
}

/// How the stand-in behaves. [`SiteOptions::default`] is a correct guarded deployment.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The base URL clients use (`PUBLIC_BASE_URL`); `None` means the site's own address.
    pub public_base_url: Option<String>,
    /// Whether the OAuth metadata documents are served (AUTH_MODE=oauth).
    pub guarded: bool,
    /// The one bearer token `/auth` and the [`McpGate::Bearer`] gate accept.
    pub token: String,
    /// Who may reach `/mcp`.
    pub mcp_gate: McpGate,
    /// Headers `/auth` returns with its 200 (the identity Caddy copies onto the request).
    pub identity: Vec<(String, String)>,
    /// Fault: the protected-resource metadata names this `resource` instead of the right one.
    pub resource_override: Option<String>,
    /// Fault: the metadata names the provider's issuer without its trailing slash (the usual
    /// Auth0 mistake).
    pub issuer_slash_dropped: bool,
    /// Whether the provider's registration endpoint accepts new clients.
    pub registration_open: bool,
    /// Whether `/mcp` speaks MCP 2026-07-28 (`server/discover`) besides `initialize`.
    pub modern_protocol: bool,
    /// Whether `/mcp` answers as an event stream instead of plain JSON.
    pub sse: bool,
}

impl Default for SiteOptions {
    fn default() -> Self {
        Self {
            public_base_url: None,
            guarded: true,
            token: "stand-in-token".to_owned(),
            mcp_gate: McpGate::Bearer,
            identity: [
                ("X-Auth-Subject", "auth0|stand-in-user"),
                ("X-Auth-Scopes", "mcp:read"),
                ("X-Auth-Client", "stand-in-client"),
                ("X-Auth-Issuer", "https://issuer.invalid/"),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect(),
            resource_override: None,
            issuer_slash_dropped: false,
            registration_open: true,
            modern_protocol: true,
            sse: false,
        }
    }
}

/// One request as the stand-in received it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query, exactly as received.
    pub uri: String,
    /// Header names (lower case) and values, in arrival order.
    pub headers: Vec<(String, String)>,
}

impl SeenRequest {
    /// Every value of one header (name in any case).
    pub fn header(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The request path without the query.
    pub fn path(&self) -> &str {
        self.uri.split('?').next().unwrap_or_default()
    }
}

struct State {
    options: SiteOptions,
    origin: String,
    public_base_url: Mutex<Option<String>>,
    seen: Mutex<Vec<SeenRequest>>,
}

impl State {
    fn base_url(&self) -> String {
        let configured = lock(&self.public_base_url).clone();
        configured.unwrap_or_else(|| self.origin.clone())
    }

    fn issuer(&self) -> String {
        format!("{}/provider/", self.origin)
    }

    fn challenge(&self, token_sent: bool) -> HttpResponse {
        let metadata = format!(
            "{}/.well-known/oauth-protected-resource/mcp",
            self.base_url()
        );
        let value = if token_sent {
            format!(
                "Bearer resource_metadata=\"{metadata}\", error=\"invalid_token\", error_description=\"the token is not valid\""
            )
        } else {
            format!("Bearer resource_metadata=\"{metadata}\"")
        };
        HttpResponse::Unauthorized()
            .insert_header((WWW_AUTHENTICATE, value))
            .json(json!({"error": "unauthorized"}))
    }

    /// `None` when no bearer token was sent, `Some(valid)` otherwise.
    fn bearer(&self, req: &HttpRequest) -> Option<bool> {
        let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
        let token = value.strip_prefix("Bearer ")?;
        Some(token == self.options.token)
    }
}

/// A running stand-in; stopped when dropped.
pub struct Site {
    addr: SocketAddr,
    state: Arc<State>,
    _server: Server,
}

impl Site {
    /// Starts the stand-in on a free loopback port.
    pub async fn start(options: SiteOptions) -> anyhow::Result<Site> {
        let (listener, addr) = Server::bind()?;
        let state = Arc::new(State {
            public_base_url: Mutex::new(options.public_base_url.clone()),
            options,
            origin: format!("http://{addr}"),
            seen: Mutex::new(Vec::new()),
        });
        let shared = web::Data::from(Arc::clone(&state));
        let server = Server::start(listener, move |app| {
            app.app_data(shared.clone())
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::to(dispatch));
        })?;
        Ok(Site {
            addr,
            state,
            _server: server,
        })
    }

    /// The loopback address the stand-in listens on (what Caddy's upstream points at).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A URL on the stand-in itself, e.g. `url("/mcp")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.state.origin)
    }

    /// Sets the base URL clients use, e.g. Caddy's address once it is known.
    pub fn set_public_base_url(&self, url: &str) {
        *lock(&self.state.public_base_url) = Some(url.to_owned());
    }

    /// The provider's issuer as its discovery document spells it (with a trailing slash).
    pub fn issuer(&self) -> String {
        self.state.issuer()
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<SeenRequest> {
        lock(&self.state.seen).clone()
    }

    /// The requests received for one path (query ignored).
    pub fn seen_at(&self, path: &str) -> Vec<SeenRequest> {
        self.seen()
            .into_iter()
            .filter(|r| r.path() == path)
            .collect()
    }
}

async fn dispatch(req: HttpRequest, body: web::Bytes, state: web::Data<State>) -> HttpResponse {
    record(&state, &req);
    let method = req.method().as_str();
    match (method, req.path()) {
        (_, "/healthz") => HttpResponse::Ok().body("ok"),
        (_, "/auth") => auth(&state, &req),
        ("POST", "/mcp") => match refusal(&state, &req) {
            None => mcp::answer(&state.options, &req, &body),
            Some(refusal) => refusal,
        },
        (_, "/mcp") => HttpResponse::MethodNotAllowed()
            .insert_header(("Allow", "POST"))
            .finish(),
        (
            "GET",
            "/.well-known/oauth-protected-resource" | "/.well-known/oauth-protected-resource/mcp",
        ) if state.options.guarded => HttpResponse::Ok().json(protected_resource(&state)),
        (
            "GET",
            "/.well-known/oauth-authorization-server"
            | "/.well-known/oauth-authorization-server/mcp",
        ) if state.options.guarded => HttpResponse::Ok().json(provider_metadata(&state)),
        ("POST", "/oauth/token") => HttpResponse::Ok().json(json!({
            "access_token": state.options.token,
            "token_type": "Bearer",
            "expires_in": 3600,
        })),
        ("GET", "/provider/.well-known/openid-configuration") => {
            HttpResponse::Ok().json(provider_metadata(&state))
        }
        ("POST", "/provider/oidc/register") => register(&state, &body),
        _ => HttpResponse::NotFound().finish(),
    }
}

fn record(state: &State, req: &HttpRequest) {
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let uri = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |pq| pq.as_str().to_owned());
    lock(&state.seen).push(SeenRequest {
        method: req.method().as_str().to_owned(),
        uri,
        headers,
    });
}

fn auth(state: &State, req: &HttpRequest) -> HttpResponse {
    match state.bearer(req) {
        Some(true) => {
            let mut ok = HttpResponse::Ok();
            for (name, value) in &state.options.identity {
                ok.insert_header((name.as_str(), value.as_str()));
            }
            ok.finish()
        }
        Some(false) => state.challenge(true),
        None => state.challenge(false),
    }
}

/// The answer that keeps a request out of `/mcp`, or `None` when the gate lets it in.
fn refusal(state: &State, req: &HttpRequest) -> Option<HttpResponse> {
    match state.options.mcp_gate {
        McpGate::Open => None,
        McpGate::Bearer => match state.bearer(req) {
            Some(true) => None,
            sent => Some(state.challenge(sent.is_some())),
        },
        McpGate::IdentityHeader => {
            let subject = req
                .headers()
                .get("X-Auth-Subject")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            (subject.is_empty() || subject.starts_with('{')).then(|| state.challenge(false))
        }
    }
}

fn protected_resource(state: &State) -> Value {
    let resource = state
        .options
        .resource_override
        .clone()
        .unwrap_or_else(|| format!("{}/mcp", state.base_url()));
    let mut issuer = state.issuer();
    if state.options.issuer_slash_dropped {
        issuer.pop();
    }
    json!({
        "resource": resource,
        "authorization_servers": [issuer],
        "scopes_supported": [],
        "bearer_methods_supported": ["header"],
    })
}

fn provider_metadata(state: &State) -> Value {
    let issuer = state.issuer();
    json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}authorize"),
        "token_endpoint": format!("{issuer}oauth/token"),
        "registration_endpoint": format!("{issuer}oidc/register"),
        "jwks_uri": format!("{issuer}.well-known/jwks.json"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256", "plain"],
    })
}

fn register(state: &State, body: &[u8]) -> HttpResponse {
    if !state.options.registration_open {
        return HttpResponse::Forbidden().json(json!({
            "error": "insufficient_scope",
            "error_description": "Dynamic Client Registration is disabled for this tenant",
        }));
    }
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return HttpResponse::BadRequest().json(json!({"error": "invalid_client_metadata"}));
    };
    HttpResponse::Created().json(json!({
        "client_id": "stand-in-registered-client",
        "client_secret": "stand-in-registered-secret",
        "client_name": request.get("client_name").cloned().unwrap_or(Value::Null),
        "redirect_uris": request.get("redirect_uris").cloned().unwrap_or(Value::Null),
    }))
}
