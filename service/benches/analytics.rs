//! Cost of a 12-month `analyze_price_trend` for a busy district (1,500 apartment sales a
//! month, two pages each) answered from a warm cache: filtering, outlier fences and the
//! per-month and pooled statistics over 18,000 deals. Target: under 50 ms. Also the same
//! trend with its PNG chart, to show what `chart: true` adds.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use real_estate_mcp::{
    regions::RegionIndex,
    tools::analytics::{MarketArgs, PriceTrendArgs, analyze_price_trend},
    upstream::{
        http::{HttpSettings, UpstreamHttp},
        key::ApiKey,
        molit::{MolitClient, MolitSettings},
    },
};
use testkit::molit::{Kind, MolitStandIn};
use url::Url;

const KEY: &str = "bench-key";
const DEALS_PER_MONTH: u32 = 1_500;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let stand_in = runtime.block_on(async {
        let stand_in = MolitStandIn::start(KEY).await.expect("stand-in");
        for month in 1..=12 {
            stand_in.put_generated(
                Kind::AptTrade,
                "11680",
                &format!("2024{month:02}"),
                DEALS_PER_MONTH,
            );
        }
        stand_in
    });
    let http = UpstreamHttp::new(HttpSettings {
        connect_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(10),
        retry_backoff: Duration::from_millis(10),
    })
    .expect("http");
    let client = MolitClient::new(
        http,
        &Url::parse(stand_in.base_url()).expect("url"),
        ApiKey::parse(KEY),
        MolitSettings::default(),
    );
    let regions = RegionIndex::builtin_shared().expect("regions");
    let args = PriceTrendArgs {
        region_code: "강남구".into(),
        market: MarketArgs::months("202401", "202412"),
        ..PriceTrendArgs::default()
    };
    let cold = runtime
        .block_on(analyze_price_trend(&client, &regions, &args))
        .expect("cold trend");
    assert_eq!(cold.output.coverage.source.provenance.upstream_calls, 24);

    c.bench_function("analytics/trend_12_months_warm", |b| {
        b.to_async(&runtime).iter(|| async {
            let out = analyze_price_trend(&client, &regions, &args)
                .await
                .expect("warm trend");
            assert!(out.output.coverage.source.provenance.cached);
            out.output.months.len()
        })
    });

    let charted = PriceTrendArgs {
        chart: Some(true),
        ..args.clone()
    };
    c.bench_function("analytics/trend_12_months_warm_with_chart", |b| {
        b.to_async(&runtime).iter(|| async {
            let out = analyze_price_trend(&client, &regions, &charted)
                .await
                .expect("charted trend");
            out.chart.map(|png| png.bytes.len())
        })
    });
    drop(stand_in);
}

criterion_group!(benches, bench);
criterion_main!(benches);
