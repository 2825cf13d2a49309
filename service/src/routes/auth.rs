//! `/auth`, the target of Caddy's `forward_auth`, and the registration of every auth route.

use std::sync::Arc;

use actix_web::http::header::{AUTHORIZATION, ORIGIN};
use actix_web::{HttpRequest, HttpResponse, web};

use super::{metadata, reply::respond, token};
use crate::auth::{AuthGate, AuthMode, TOKEN_PATH};

/// Registers the auth routes for the gate's mode. Open mode registers only `/auth`, which
/// answers 404, so a Caddy misconfigured to call it fails closed; the metadata documents and
/// the token endpoint do not exist there. Guarded mode registers `/auth`, both metadata
/// documents (with and without the `/mcp` suffix) and, with client credentials configured,
/// `POST /oauth/token`.
pub fn configure(cfg: &mut web::ServiceConfig, gate: Arc<AuthGate>) {
    let data = web::Data::from(gate);
    cfg.service(
        web::resource("/auth")
            .app_data(data.clone())
            .route(web::route().to(authorize)),
    );
    if data.mode() == AuthMode::None {
        return;
    }
    for path in [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
    ] {
        cfg.service(
            web::resource(path)
                .app_data(data.clone())
                .route(web::get().to(metadata::protected_resource)),
        );
    }
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/oauth-authorization-server/mcp",
    ] {
        cfg.service(
            web::resource(path)
                .app_data(data.clone())
                .route(web::get().to(metadata::authorization_server)),
        );
    }
    if data.issues_tokens() {
        cfg.service(
            web::resource(TOKEN_PATH)
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(token::MAX_BODY_BYTES))
                .route(web::post().to(token::issue))
                .default_service(web::to(token::method_not_allowed)),
        );
    }
}

/// Caddy sends every forward_auth sub-request as GET, with the client's headers. Header
/// bytes that are not text are passed on lossily: they then fail as a malformed token or a
/// foreign origin instead of looking absent.
async fn authorize(req: HttpRequest, gate: web::Data<AuthGate>) -> HttpResponse {
    let text = |name| {
        req.headers()
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()))
    };
    let (authorization, origin) = (text(AUTHORIZATION), text(ORIGIN));
    respond(
        gate.authorize(authorization.as_deref(), origin.as_deref())
            .await,
    )
}
