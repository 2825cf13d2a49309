//! `POST /oauth/token`: the built-in client-credentials grant.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::respond;
use crate::auth::{AuthGate, Reply, TokenRequest};

/// Token requests are a few hundred bytes; anything much larger is not one.
pub(crate) const MAX_BODY_BYTES: usize = 8 * 1024;

/// Parses the form and hands it to the gate.
pub(crate) async fn issue(
    req: HttpRequest,
    body: web::Bytes,
    gate: web::Data<AuthGate>,
) -> HttpResponse {
    let form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form {
        return respond(Reply::error(
            400,
            "invalid_request",
            "send the parameters as application/x-www-form-urlencoded",
        ));
    }
    let authorization = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let reply = match TokenRequest::parse(&body, authorization) {
        Ok(request) => gate.token(&request, &client_address(&req)),
        Err(err) => Reply::error(err.status, err.error, &err.description),
    };
    respond(reply)
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
