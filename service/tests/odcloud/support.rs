//! Shared set-up: a stand-in and a client pointed at it, with short timeouts.

use std::time::Duration;

use real_estate_mcp::upstream::{
    http::{HttpSettings, UpstreamHttp},
    key::ApiKey,
    odcloud::{OdcloudCacheSettings, OdcloudClient},
};
use testkit::odcloud::{OdcloudStandIn, TEST_KEY};

/// Per-request limit of the ordinary test client: generous, so a loaded CI machine never
/// turns a slow answer into an unexpected retry (which would change request counts).
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// Per-request limit of the client in timeout tests; the slow fault waits longer.
pub const SHORT_TIMEOUT: Duration = Duration::from_millis(400);

pub async fn stand_in() -> OdcloudStandIn {
    OdcloudStandIn::start().await.expect("stand-in starts")
}

pub fn client_with(base_url: &str, key: Option<&str>) -> OdcloudClient {
    client_timing_out_after(base_url, key, TOTAL_TIMEOUT)
}

pub fn client_timing_out_after(
    base_url: &str,
    key: Option<&str>,
    timeout: Duration,
) -> OdcloudClient {
    client_caching(base_url, key, timeout, OdcloudCacheSettings::default())
}

/// A client whose answers expire as soon as they arrive, so every question asks the service.
pub fn expiring_client(stand_in: &OdcloudStandIn) -> OdcloudClient {
    let settings = OdcloudCacheSettings {
        notice_ttl: Duration::ZERO,
        ..OdcloudCacheSettings::default()
    };
    client_caching(
        &stand_in.base_url(),
        Some(TEST_KEY),
        TOTAL_TIMEOUT,
        settings,
    )
}

fn client_caching(
    base_url: &str,
    key: Option<&str>,
    timeout: Duration,
    settings: OdcloudCacheSettings,
) -> OdcloudClient {
    let http = UpstreamHttp::new(HttpSettings {
        connect_timeout: Duration::from_secs(1),
        total_timeout: timeout,
        retry_backoff: Duration::from_millis(10),
    })
    .expect("http client builds");
    OdcloudClient::new(http, base_url, key.and_then(ApiKey::parse), settings)
}

pub fn client(stand_in: &OdcloudStandIn) -> OdcloudClient {
    client_with(&stand_in.base_url(), Some(TEST_KEY))
}
