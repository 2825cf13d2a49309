//! The public OAuth metadata documents (guarded mode only).

use actix_web::{HttpResponse, web};

use super::reply::respond;
use crate::auth::AuthGate;

/// `GET /.well-known/oauth-protected-resource` and its `/mcp` form.
pub(crate) async fn protected_resource(gate: web::Data<AuthGate>) -> HttpResponse {
    respond(gate.protected_resource_metadata().await)
}

/// `GET /.well-known/oauth-authorization-server` and its `/mcp` form.
pub(crate) async fn authorization_server(gate: web::Data<AuthGate>) -> HttpResponse {
    respond(gate.authorization_server_metadata().await)
}
