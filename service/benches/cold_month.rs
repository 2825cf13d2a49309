//! A cold month: every page of a 2,350-deal month fetched from the stand-in gateway over
//! loopback, parsed and assembled by a client with an empty cache. This is what the first
//! question about a district and month costs before the network's own latency is added.

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use real_estate_mcp::upstream::{
    http::{HttpSettings, UpstreamHttp},
    key::ApiKey,
    molit::{Dataset, MolitClient, MolitSettings},
};
use testkit::molit::{Kind, MolitStandIn};
use url::Url;

const KEY: &str = "benchKey0123456789";
const DEALS: u32 = 2_350;

fn fresh_client(base_url: &Url) -> MolitClient {
    let http = UpstreamHttp::new(HttpSettings {
        connect_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(10),
    })
    .expect("HTTP client");
    MolitClient::new(http, base_url, ApiKey::parse(KEY), MolitSettings::default())
}

fn cold_month(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let stand_in = runtime.block_on(async {
        let stand_in = MolitStandIn::start(KEY).await.expect("stand-in");
        stand_in.put_generated(Kind::AptTrade, "11680", "202503", DEALS);
        stand_in
    });
    let base_url = Url::parse(stand_in.base_url()).expect("stand-in URL");
    let month = runtime
        .block_on(fresh_client(&base_url).fetch_month(Dataset::AptTrade, "11680", 2025, 3))
        .expect("the month loads");
    assert_eq!((month.deals.len(), month.pages), (DEALS as usize, 3));

    c.bench_function("cold_month/apt_trade_2350_deals_3_pages", |b| {
        b.to_async(&runtime).iter_batched(
            || fresh_client(&base_url),
            |client| async move {
                client
                    .fetch_month(Dataset::AptTrade, "11680", 2025, 3)
                    .await
                    .expect("the month loads")
                    .pages
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, cold_month);
criterion_main!(benches);
