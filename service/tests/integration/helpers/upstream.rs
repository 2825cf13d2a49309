//! The data-service clients pointed at their stand-ins, built the way `startup` builds them
//! but with timeouts and backoff sized for tests.

use std::{path::Path, sync::Arc, time::Duration};

use real_estate_mcp::{
    budget::{Budget, BudgetLimits},
    cache::Backing,
    metrics::Metrics,
    store::SqliteStore,
    upstream::{
        http::{HttpSettings, UpstreamHttp},
        key::ApiKey,
        molit::{MolitClient, MolitSettings},
        odcloud::{OdcloudCacheSettings, OdcloudClient},
    },
};
use testkit::{
    molit::MolitStandIn,
    odcloud::{OdcloudStandIn, TEST_KEY},
};
use url::Url;

/// Per-request limit of the ordinary test client: generous, so a loaded CI machine never
/// turns a slow answer into an unexpected retry (which would change request counts).
pub(crate) const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client both data services share, giving up on a request after `total_timeout`.
pub(crate) fn http(total_timeout: Duration) -> UpstreamHttp {
    UpstreamHttp::new(HttpSettings {
        connect_timeout: Duration::from_secs(1),
        total_timeout,
        retry_backoff: Duration::from_millis(10),
    })
    .expect("the upstream HTTP client builds")
}

/// What a client caches through to survive a restart: a SQLite store in `dir`, as the server
/// opens it. Clients given backings on the same `dir` share what is stored, as a server and
/// the server that replaces it do.
pub(crate) fn disk_backing(dir: &Path) -> Backing {
    let store = SqliteStore::open(dir, 1 << 30).expect("the cache store opens");
    Backing {
        store: Some(Arc::new(store)),
        metrics: Arc::new(Metrics::default()),
        ..Backing::default()
    }
}

/// A MOLIT client for `stand_in` with default settings, sending `key` (none: no key set).
pub(crate) fn molit_client(stand_in: &MolitStandIn, key: Option<&str>) -> MolitClient {
    molit_client_with(stand_in, key, MolitSettings::default())
}

/// A MOLIT client for `stand_in` with `settings`.
pub(crate) fn molit_client_with(
    stand_in: &MolitStandIn,
    key: Option<&str>,
    settings: MolitSettings,
) -> MolitClient {
    MolitClient::new(
        http(TOTAL_TIMEOUT),
        &Url::parse(stand_in.base_url()).expect("the stand-in's URL parses"),
        key.and_then(ApiKey::parse),
        settings,
    )
}

/// A MOLIT client for `stand_in` whose months expire as soon as they arrive, so every
/// question asks the gateway (and an expired copy is at hand when it fails), giving up on a
/// request after `total_timeout`.
pub(crate) fn expiring_molit_client(
    stand_in: &MolitStandIn,
    key: Option<&str>,
    total_timeout: Duration,
) -> MolitClient {
    let settings = MolitSettings {
        ttl_recent: Duration::ZERO,
        ttl_settled: Duration::ZERO,
        ..MolitSettings::default()
    };
    MolitClient::new(
        http(total_timeout),
        &Url::parse(stand_in.base_url()).expect("the stand-in's URL parses"),
        key.and_then(ApiKey::parse),
        settings,
    )
}

/// A MOLIT client for `stand_in` whose requests are charged to in-memory daily budgets with
/// `limits`.
pub(crate) fn budgeted_molit_client(
    stand_in: &MolitStandIn,
    key: Option<&str>,
    limits: BudgetLimits,
) -> MolitClient {
    MolitClient::new(
        http(TOTAL_TIMEOUT).with_budget(Budget::in_memory(limits)),
        &Url::parse(stand_in.base_url()).expect("the stand-in's URL parses"),
        key.and_then(ApiKey::parse),
        MolitSettings::default(),
    )
}

/// An Applyhome client for `stand_in` with the key it accepts.
pub(crate) fn odcloud_client(stand_in: &OdcloudStandIn) -> OdcloudClient {
    odcloud_client_at(&stand_in.base_url(), Some(TEST_KEY), TOTAL_TIMEOUT)
}

/// An Applyhome client for `stand_in` whose notices expire as soon as they arrive, so every
/// question asks the service (and an expired copy is at hand when it fails).
pub(crate) fn expiring_odcloud_client(stand_in: &OdcloudStandIn) -> OdcloudClient {
    let settings = OdcloudCacheSettings {
        notice_ttl: Duration::ZERO,
        ..OdcloudCacheSettings::default()
    };
    odcloud_client_caching(
        &stand_in.base_url(),
        Some(TEST_KEY),
        TOTAL_TIMEOUT,
        settings,
    )
}

/// An Applyhome client for any `base_url`, sending `key`, giving up after `total_timeout`.
pub(crate) fn odcloud_client_at(
    base_url: &str,
    key: Option<&str>,
    total_timeout: Duration,
) -> OdcloudClient {
    odcloud_client_caching(
        base_url,
        key,
        total_timeout,
        OdcloudCacheSettings::default(),
    )
}

fn odcloud_client_caching(
    base_url: &str,
    key: Option<&str>,
    total_timeout: Duration,
    settings: OdcloudCacheSettings,
) -> OdcloudClient {
    OdcloudClient::new(
        http(total_timeout),
        base_url,
        key.and_then(ApiKey::parse),
        settings,
    )
}
