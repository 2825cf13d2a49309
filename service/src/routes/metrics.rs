//! `GET /metrics`: the server's Prometheus metrics, and the middleware that counts every HTTP
//! request. Caddy never routes `/metrics`: only the compose network (a Prometheus next to the
//! service, `real-estate-mcp status` inside the container) reaches it.

use std::sync::Arc;

use actix_web::{
    Error, HttpResponse, Responder,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    get,
    middleware::Next,
    web,
};

use crate::metrics::Metrics;

/// The content type of the OpenMetrics text format, which Prometheus asks for.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Adds `/metrics` for `metrics`.
pub fn configure(cfg: &mut web::ServiceConfig, metrics: Arc<Metrics>) {
    cfg.app_data(web::Data::from(metrics)).service(metrics_page);
}

#[get("/metrics")]
async fn metrics_page(metrics: web::Data<Metrics>) -> impl Responder {
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .body(metrics.scrape().await)
}

/// Counts each request by route pattern (never the raw path, so the label set stays small)
/// and status.
pub async fn count_requests(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.call(request).await;
    if let Some(metrics) = metrics {
        let status = match &response {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        metrics.http_request(&route, status.as_u16());
    }
    response
}
