//! Region lookup latency: every tool call that names a place goes through it, so a lookup
//! must stay in microseconds. Also measures building the index, which happens once at startup.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use real_estate_mcp::regions::{Lookup, RegionIndex};

fn lookups(c: &mut Criterion) {
    let index = RegionIndex::builtin().expect("built-in table loads");
    let cases = [
        ("code", "11440", "resolved"),
        ("abbreviated_name", "서울 중구", "resolved"),
        ("dong", "공덕동", "resolved"),
        ("ambiguous", "중구", "ambiguous"),
        ("typo", "마프구", "not_found"),
        ("typo_dong_in_context", "서울 마포구 공덕똥", "not_found"),
    ];
    let mut group = c.benchmark_group("region_lookup");
    for (name, query, expected) in cases {
        let status = match index.lookup(query) {
            Lookup::Resolved(_) => "resolved",
            Lookup::Ambiguous { .. } => "ambiguous",
            Lookup::Renamed(_) => "renamed",
            Lookup::NotFound { .. } => "not_found",
        };
        assert_eq!(status, expected, "{query}");
        group.bench_function(name, |b| b.iter(|| index.lookup(black_box(query))));
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    c.bench_function("region_index_build", |b| {
        b.iter(|| RegionIndex::builtin().expect("built-in table loads"))
    });
}

criterion_group!(benches, lookups, build);
criterion_main!(benches);
