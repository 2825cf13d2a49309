//! Parsing a full 1,000-row MOLIT page, the size the client asks for. Target: well under 3 ms.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use real_estate_mcp::upstream::molit::parse_page;
use testkit::molit::{Kind, SuccessStyle, generate, render_page};

fn parse_1000_rows(c: &mut Criterion) {
    let mut group = c.benchmark_group("molit_parse");
    for kind in [Kind::AptTrade, Kind::AptRent, Kind::CommercialTrade] {
        let items = generate(kind, "11680", "202503", 1_000);
        let body = render_page(SuccessStyle::Modern, &items, 1, 1_000, 2_350);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(format!("{}_1000_rows", kind.service()), |b| {
            b.iter(|| {
                let page = parse_page(black_box(body.as_bytes())).expect("a valid page");
                assert_eq!(page.deals.len(), 1_000);
                page
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse_1000_rows);
criterion_main!(benches);
