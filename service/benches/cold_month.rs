//! A cold month: every page of a 2,350-deal month fetched from the stand-in gateway over
//! loopback, parsed and assembled by a client with an empty cache. This is what the first
//! question about a district and month costs before the network's own latency is added.

mod month;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn cold_month(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (_stand_in, base_url) = month::stand_in(&runtime);
    month::load(&runtime, &month::client(&base_url));

    c.bench_function("cold_month/apt_trade_2350_deals_3_pages", |b| {
        b.to_async(&runtime).iter_batched(
            || month::client(&base_url),
            |client| async move { month::fetch(&client).await.expect("the month loads").pages },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, cold_month);
criterion_main!(benches);
