//! A gate [`Reply`] as an HTTP response: shared by the auth routes and the MCP endpoint.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;

use crate::auth::Reply;

/// Turns a gate reply into an HTTP response with its JSON body, if it has one (also for the
/// MCP glue, e.g. the 401 of [`AuthGate::caller`]).
pub(super) fn respond(reply: Reply) -> HttpResponse {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    if !reply.body.is_empty() {
        response.insert_header((CONTENT_TYPE, "application/json"));
    }
    for (name, value) in reply.headers {
        response.append_header((name, value));
    }
    response.body(reply.body)
}
