//! `GET /healthz`: liveness for container health checks. It never calls an upstream service,
//! so a data.go.kr outage does not get the container restarted.

use actix_web::{HttpResponse, Responder, get};

/// Answers 200 with a tiny JSON body while the server is able to serve requests.
#[get("/healthz")]
pub(crate) async fn healthz() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
    }))
}
