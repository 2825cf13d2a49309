//! Region lookup latency: every tool call that names a place goes through it, so a lookup
//! must stay in microseconds. Also measures building the index, which happens once at startup.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use real_estate_mcp::{
    regions::{Lookup, RegionIndex},
    tools::regions::resolve_region_argument,
};

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

/// What a transaction tool does with its `region_code`: the lookup plus the district's
/// former codes. A district carved out of a split one (인천 제물포구, 부천 원미구) also
/// carries the 읍면동 that pick its share of the old code's deals.
fn resolve_argument(c: &mut Criterion) {
    let index = RegionIndex::builtin().expect("built-in table loads");
    let mut group = c.benchmark_group("region_argument");
    for (name, value, formers) in [
        ("unchanged", "11440", 0),
        ("split_incheon_jemulpo", "28125", 2),
        ("split_bucheon_wonmi", "41192", 1),
    ] {
        let region = resolve_region_argument(&index, value).expect("resolves");
        assert_eq!(region.formers.len(), formers, "{value}");
        group.bench_function(name, |b| {
            b.iter(|| resolve_region_argument(&index, black_box(value)))
        });
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    c.bench_function("region_index_build", |b| {
        b.iter(|| RegionIndex::builtin().expect("built-in table loads"))
    });
}

criterion_group!(benches, lookups, resolve_argument, build);
criterion_main!(benches);
