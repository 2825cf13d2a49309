//! `POST /oauth/token`: the built-in client-credentials grant.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::respond;
use crate::auth::{AuthGate, Reply};

/// Token requests are a few hundred bytes; anything much larger is not one.
pub(crate) const MAX_BODY_BYTES: usize = 8 * 1024;

/// Hands the request to the gate.
pub(crate) async fn issue(
    req: HttpRequest,
    body: web::Bytes,
    gate: web::Data<AuthGate>,
) -> HttpResponse {
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    respond(gate.token(
        &body,
        header(CONTENT_TYPE),
        header(AUTHORIZATION),
        &client_address(&req),
    ))
}

/// Anything but POST.
pub(crate) async fn method_not_allowed() -> HttpResponse {
    let mut reply = Reply::error(405, "invalid_request", "use POST");
    reply.headers.push((ALLOW.as_str(), "POST".to_owned()));
    respond(reply)
}

/// The caller's IP: the one Caddy put in `X-Forwarded-For` (the service port is reachable
/// only through Caddy, which replaces client-sent values), else the peer address.
fn client_address(req: &HttpRequest) -> String {
    let info = req.connection_info();
    let raw = info.realip_remote_addr().unwrap_or("unknown");
    raw.parse::<SocketAddr>()
        .map(|addr| addr.ip())
        .or_else(|_| raw.trim_matches(['[', ']']).parse::<IpAddr>())
        .map_or_else(|_| raw.to_owned(), |ip| ip.to_string())
}
