//! The month the cold and cached benchmarks fetch, so their figures compare directly: 2,350
//! apartment sales in 강남구 for March 2025, three pages, served by the MOLIT stand-in over
//! loopback; and a client with an empty memory cache for it.

use std::time::Duration;

use real_estate_mcp::upstream::{
    http::{HttpSettings, UpstreamHttp},
    key::ApiKey,
    molit::{Dataset, MolitClient, MolitError, MolitSettings, MonthData},
};
use testkit::molit::{Kind, MolitStandIn};
use tokio::runtime::Runtime;
use url::Url;

/// The deals in the month.
pub(crate) const DEALS: u32 = 2_350;
/// Its pages at the client's 1,000 rows a page.
pub(crate) const PAGES: u32 = 3;

const KEY: &str = "benchKey0123456789";

/// The stand-in serving the month (it stops when dropped) and its base URL.
pub(crate) fn stand_in(runtime: &Runtime) -> (MolitStandIn, Url) {
    let stand_in = runtime.block_on(async {
        let stand_in = MolitStandIn::start(KEY).await.expect("stand-in");
        stand_in.put_generated(Kind::AptTrade, "11680", "202503", DEALS);
        stand_in
    });
    let base_url = Url::parse(stand_in.base_url()).expect("stand-in URL");
    (stand_in, base_url)
}

/// A client with an empty memory cache, asking the stand-in at `base_url`.
pub(crate) fn client(base_url: &Url) -> MolitClient {
    let http = UpstreamHttp::new(HttpSettings {
        connect_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(10),
    })
    .expect("HTTP client");
    MolitClient::new(http, base_url, ApiKey::parse(KEY), MolitSettings::default())
}

/// The month, as `client` answers it.
pub(crate) async fn fetch(client: &MolitClient) -> Result<MonthData, MolitError> {
    client
        .fetch_month(Dataset::AptTrade, "11680", 2025, 3)
        .await
}

/// Fetches the month once through `client` and checks it came whole: every deal, every page.
pub(crate) fn load(runtime: &Runtime, client: &MolitClient) -> MonthData {
    let month = runtime.block_on(fetch(client)).expect("the month loads");
    assert_eq!((month.deals.len(), month.pages), (DEALS as usize, PAGES));
    month
}
