//! `/mcp`: the Streamable HTTP endpoint.
//!
//! rmcp implements the protocol; this route closes the gaps it leaves at the HTTP edge.
//! Clients read the status *and* a JSON-RPC error body to tell a modern server from a legacy
//! one, so every refusal here carries one: 400/−32700 for malformed JSON (rmcp says 415),
//! 400/−32022 with the supported list for an unknown `MCP-Protocol-Version` header (rmcp
//! answers plain text), 405 for GET/DELETE, 403 for a foreign `Origin` or `Host`, 413 for an
//! oversized body. We read the body ourselves before rmcp sees it, so we call rmcp's tower
//! service directly rather than through a streaming bridge.

use std::sync::Arc;

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use http_body_util::{BodyExt, Full};
use rmcp::{
    model::ProtocolVersion,
    transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::never::NeverSessionManager,
    },
};
use serde_json::{Value, json};

use crate::{
    auth::{AuthGate, Headers},
    mcp::{Caller, RealEstateServer},
    origin::{OriginPolicy, origin_refusal},
};

/// Largest request body accepted; MCP requests are small JSON documents.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Everything `/mcp` needs, shared by all workers.
pub struct McpEndpoint {
    service: StreamableHttpService<RealEstateServer, NeverSessionManager>,
    origins: OriginPolicy,
    gate: Arc<AuthGate>,
}

impl McpEndpoint {
    /// Wraps the MCP server in a stateless, JSON-answering transport.
    /// In guarded mode `gate` admits only requests carrying the identity Caddy copied from
    /// `/auth` together with the token it was copied for; in open mode everyone is the
    /// anonymous caller.
    pub fn new(server: RealEstateServer, origins: OriginPolicy, gate: Arc<AuthGate>) -> Self {
        let config = StreamableHttpServerConfig::default()
            .with_legacy_session_mode(false)
            .with_json_response(true)
            .with_max_request_body_bytes(MAX_BODY_BYTES)
            // Host and Origin are checked here, with messages that say which setting to change.
            .disable_allowed_hosts()
            .disable_allowed_origins();
        let service = StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(NeverSessionManager::default()),
            config,
        );
        Self {
            service,
            origins,
            gate,
        }
    }
}

/// Registers `/mcp` (POST, and 405 for every other method).
pub fn configure(cfg: &mut web::ServiceConfig, endpoint: Arc<McpEndpoint>) {
    cfg.app_data(web::Data::from(endpoint)).service(
        web::resource("/mcp")
            .route(web::post().to(post))
            .default_service(web::to(method_not_allowed)),
    );
}

async fn method_not_allowed() -> HttpResponse {
    let mut response = rpc_error(
        StatusCode::METHOD_NOT_ALLOWED,
        -32600,
        "This MCP endpoint is stateless and answers POST only (no SSE stream, no sessions).",
        None,
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    response
}

async fn post(
    request: HttpRequest,
    mut payload: web::Payload,
    endpoint: web::Data<McpEndpoint>,
) -> HttpResponse {
    if let Some(refusal) = foreign_host_or_origin(&endpoint.origins, &request) {
        return refusal;
    }
    let caller = match endpoint.gate.caller(&ActixHeaders(request.headers())).await {
        Ok(Some(identity)) => Caller {
            subject: identity.subject,
        },
        Ok(None) => Caller::anonymous(),
        Err(refusal) => return super::reply::respond(refusal),
    };
    // A body announced as too large is refused before any of it is read, rather than once
    // a megabyte has arrived (or never, if the sender stalls after its headers).
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return rpc_error(
                StatusCode::BAD_REQUEST,
                -32700,
                "The request body could not be read.",
                None,
            );
        };
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return too_large();
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    // As strict as rmcp's own parse (UTF-8 inside strings, nesting depth, number range), so
    // a body it could not read as JSON is a parse error here instead of its 415.
    if let Err(error) = serde_json::from_slice::<Value>(&body) {
        return rpc_error(
            StatusCode::BAD_REQUEST,
            -32700,
            &format!("Parse error: the body is not valid JSON ({error})."),
            None,
        );
    }
    if let Some(refusal) = check_version_header(&request) {
        return refusal;
    }
    forward(&endpoint, &request, body, caller).await
}

fn too_large() -> HttpResponse {
    rpc_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        -32600,
        "The request body is larger than 1 MiB.",
        None,
    )
}

fn foreign_host_or_origin(policy: &OriginPolicy, request: &HttpRequest) -> Option<HttpResponse> {
    let header_text = |name| {
        request
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or_default())
    };
    let host = header_text(header::HOST).unwrap_or_default();
    if !policy.host_allowed(host) {
        let message = format!(
            "Host {host:?} is not allowed. Set PUBLIC_BASE_URL to the URL clients use \
             (e.g. https://your-domain.ddns.net) so this server accepts that name, or list \
             other names and addresses it is reached by in ALLOWED_HOSTS (e.g. \
             ALLOWED_HOSTS=192.168.0.10 for a LAN address)."
        );
        return Some(rpc_error(StatusCode::FORBIDDEN, -32600, &message, None));
    }
    let origin = header_text(header::ORIGIN)?;
    if policy.origin_allowed(origin) {
        return None;
    }
    Some(rpc_error(
        StatusCode::FORBIDDEN,
        -32600,
        &origin_refusal(origin),
        None,
    ))
}

fn check_version_header(request: &HttpRequest) -> Option<HttpResponse> {
    let value = request.headers().get("mcp-protocol-version")?;
    let known = ProtocolVersion::KNOWN_VERSIONS;
    let text = value.to_str().unwrap_or_default();
    if known.iter().any(|v| v.as_str() == text) {
        return None;
    }
    let supported: Vec<&str> = known.iter().map(|v| v.as_str()).collect();
    Some(rpc_error(
        StatusCode::BAD_REQUEST,
        -32022,
        &format!(
            "Unsupported protocol version {text:?}; this server supports {}.",
            supported.join(", ")
        ),
        Some(json!({ "supported": supported, "requested": text })),
    ))
}

async fn forward(
    endpoint: &McpEndpoint,
    request: &HttpRequest,
    body: Bytes,
    caller: Caller,
) -> HttpResponse {
    let mut builder = http::Request::builder()
        .method(http::Method::POST)
        .uri(request.uri().to_string());
    for (name, value) in request.headers() {
        // Tokens stop here: tools never need them and must never forward them upstream.
        if name == header::AUTHORIZATION {
            continue;
        }
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    // We always answer JSON, so a client that only says it accepts JSON (or anything) is
    // served instead of getting rmcp's 406.
    builder = builder.header(
        header::ACCEPT.as_str(),
        "application/json, text/event-stream",
    );
    let Ok(mut bridged) = builder.body(Full::new(body)) else {
        return rpc_error(
            StatusCode::BAD_REQUEST,
            -32600,
            "The request headers could not be read.",
            None,
        );
    };
    bridged.extensions_mut().insert(caller);
    let response = endpoint.service.handle(bridged).await;
    let (parts, body) = response.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(never) => match never {},
    };
    let status =
        StatusCode::from_u16(parts.status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let is_json = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if status.is_client_error() && !is_json {
        let text = String::from_utf8_lossy(&body);
        // rmcp says 415 both for a foreign Content-Type and for JSON that is not a JSON-RPC
        // message; with a JSON Content-Type only the second is possible, and that is a bad
        // request, not a media-type problem.
        let status = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE && declares_json(request) {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
        return rpc_error(status, -32600, text.trim(), None);
    }
    let mut out = HttpResponse::build(status);
    for (name, value) in &parts.headers {
        out.append_header((name.as_str(), value.as_bytes()));
    }
    out.body(body)
}

fn declares_json(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// A JSON-RPC error response with no request id (the request may not have had one).
pub fn rpc_error(
    status: StatusCode,
    code: i64,
    message: &str,
    data: Option<Value>,
) -> HttpResponse {
    let mut error = json!({ "code": code, "message": message });
    if let Some(data) = data {
        error["data"] = data;
    }
    HttpResponse::build(status).json(json!({ "jsonrpc": "2.0", "error": error }))
}

/// The gate reads request headers through [`Headers`]; this lends it actix's map.
struct ActixHeaders<'a>(&'a header::HeaderMap);

impl Headers for ActixHeaders<'_> {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.0.get_all(name).map(|v| v.as_bytes()).collect()
    }
}
