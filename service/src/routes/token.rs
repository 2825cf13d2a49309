//! `POST /oauth/token`: the built-in client-credentials grant.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, X_FORWARDED_FOR};
use actix_web::{HttpRequest, HttpResponse, web};

use super::reply::respond;
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

/// The caller's address for slowing down guessing: the one Caddy put in `X-Forwarded-For`
/// (it replaces whatever the client sent there), else the peer. Never the `Forwarded`
/// header, which Caddy passes through from the client (the Caddyfile deletes it too), and
/// never a value that is not an address.
fn client_address(req: &HttpRequest) -> String {
    let forwarded_for = req
        .headers()
        .get_all(X_FORWARDED_FOR)
        .last()
        .and_then(|value| value.to_str().ok());
    address_from(forwarded_for, req.peer_addr())
}

fn address_from(forwarded_for: Option<&str>, peer: Option<SocketAddr>) -> String {
    // Caddy sets one address; were there several, the last is the one its peer was seen as.
    let from_proxy = forwarded_for
        .and_then(|list| list.rsplit(',').next())
        .and_then(|entry| entry.trim().parse::<IpAddr>().ok());
    from_proxy
        .or(peer.map(|addr| addr.ip()))
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_from_x_forwarded_for_or_the_peer_only() {
        let peer = Some(SocketAddr::from(([10, 0, 0, 9], 5000)));
        assert_eq!(address_from(Some("203.0.113.7"), peer), "203.0.113.7");
        assert_eq!(
            address_from(Some("1.1.1.1, 203.0.113.7"), peer),
            "203.0.113.7"
        );
        assert_eq!(address_from(Some(" 2001:db8::1 "), peer), "2001:db8::1");
        for malformed in ["for=1.2.3.4", "", "unknown", "1.2.3.4:80", "<script>"] {
            assert_eq!(
                address_from(Some(malformed), peer),
                "10.0.0.9",
                "{malformed}"
            );
        }
        assert_eq!(address_from(None, peer), "10.0.0.9");
        assert_eq!(address_from(None, None), "unknown");
    }
}
