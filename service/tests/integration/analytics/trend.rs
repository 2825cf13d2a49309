//! `analyze_price_trend`: per-month figures, exclusions, the cache, failures and cost.

use std::time::Duration;

use real_estate_mcp::tools::analytics::{
    DealType, FailedMonth, MONTH_CONCURRENCY, PriceTrendArgs, PriceTrendOutput, PropertyType,
    analyze_price_trend,
};
use testkit::molit::{Fault, Kind, MolitStandIn};

use super::{KEY, amount, client, regions, sale, trend_args};

#[tokio::test]
async fn a_trend_summarises_each_month_flags_thin_ones_and_drops_outliers() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let mut items = Vec::new();
    for month in ["202401", "202402", "202404", "202405"] {
        items.extend(stand_in.put_generated(Kind::AptTrade, "11440", month, 60));
    }
    // March: three deals only; June: nothing reported at all.
    let march = stand_in.put_generated(Kind::AptTrade, "11440", "202403", 3);
    // A family transfer at a tenth of the market in May.
    let may = stand_in
        .put_generated(Kind::AptTrade, "11440", "202405", 60)
        .into_iter()
        .chain([sale("은마", "공덕동", "84.9981", 17_000, 5, 3)])
        .collect();
    stand_in.put_month(Kind::AptTrade, "11440", "202405", may);
    let client = client(&stand_in, KEY);
    let regions = regions();
    let out = analyze_price_trend(&client, &regions, &trend_args("마포구", "202401", "202406"))
        .await
        .unwrap()
        .output;
    assert_eq!(out.region.lawd_cd, "11440");
    let labels: Vec<_> = out.months.iter().map(|m| m.year_month.as_str()).collect();
    assert_eq!(
        labels,
        ["202401", "202402", "202403", "202404", "202405", "202406"]
    );
    let thin: Vec<_> = out.months.iter().map(|m| m.thin).collect();
    assert_eq!(thin, [false, false, true, false, false, true]);
    let june = &out.months[5];
    assert_eq!(june.summary.deals_in_month, 0);
    assert!(june.summary.price_manwon.is_none());
    assert_eq!(out.months[4].outliers_excluded, 1);
    assert_eq!(out.coverage.excluded.outliers, 1);
    // March is thin, so neither March nor April gets a month-over-month change.
    assert!(out.months[1].mom_change_pct.is_some());
    assert!(out.months[2].mom_change_pct.is_none());
    assert!(out.months[3].mom_change_pct.is_none());
    assert!(out.months[4].mom_change_pct.is_some());
    let range = out.range_change.as_ref().unwrap();
    assert_eq!(
        (range.from_month.as_str(), range.to_month.as_str()),
        ("202401", "202405")
    );
    // January against the items themselves: cancelled deals out, the rest in.
    let january: Vec<_> = items[..60]
        .iter()
        .filter(|i| i.get("cdealType") != Some("O"))
        .collect();
    let stats = out.months[0].summary.price_manwon.as_ref().unwrap();
    assert_eq!(stats.count as usize, january.len());
    let max = january
        .iter()
        .map(|i| amount(i, "dealAmount"))
        .max()
        .unwrap();
    assert_eq!(stats.max, max);
    let cancelled = items
        .iter()
        .chain(&march)
        .filter(|i| i.get("cdealType") == Some("O"))
        .count();
    assert_eq!(out.coverage.excluded.cancelled_deals as usize, cancelled);
    assert_eq!(
        out.whole_range.price_manwon.as_ref().unwrap().count,
        out.months
            .iter()
            .map(|m| m.summary.price_manwon.as_ref().map_or(0, |p| p.count))
            .sum::<u32>()
    );
    assert!(
        out.coverage
            .notes
            .iter()
            .any(|n| n.contains("202403, 202406")),
        "{:?}",
        out.coverage.notes
    );
    // One page per month, nothing cached yet.
    assert_eq!(out.coverage.source.provenance.upstream_calls, 6);
    assert_eq!(
        (
            out.coverage.source.months_fetched,
            out.coverage.source.months_from_cache
        ),
        (6, 0)
    );
    assert!(!out.coverage.source.provenance.cached);

    let again = analyze_price_trend(&client, &regions, &trend_args("11440", "202401", "202406"))
        .await
        .unwrap()
        .output;
    assert!(again.coverage.source.provenance.cached);
    assert_eq!(again.coverage.source.provenance.upstream_calls, 0);
    assert_eq!(again.coverage.source.fetches[0].months_from_cache.len(), 6);
    assert_eq!(again.months, out.months);
    assert_eq!(stand_in.requests(), 6);
}

#[tokio::test]
async fn a_failed_month_is_reported_and_the_others_answered() {
    let stand_in = february_fails(Fault::Garbage).await;
    let out = analyze_price_trend(
        &client(&stand_in, KEY),
        &regions(),
        &trend_args("11680", "202401", "202403"),
    )
    .await
    .unwrap()
    .output;
    let failed = only_february_failed(&out);
    assert_eq!(failed.dataset, "RTMSDataSvcAptTrade");
    assert!(!failed.error.is_empty());
    // The failed month's request was sent and counts: two months answered plus that one.
    assert_eq!(out.coverage.source.provenance.upstream_calls, 3);
    assert!(
        out.coverage
            .notes
            .iter()
            .any(|n| n.contains("1 of 3 month fetches failed"))
    );
    assert!(
        out.months[1].mom_change_pct.is_none(),
        "February is missing"
    );
}

#[tokio::test]
async fn when_every_month_fails_the_tool_fails_with_the_reason() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let error = analyze_price_trend(
        &client(&stand_in, "unregistered-key"),
        &regions(),
        &trend_args("11680", "202401", "202403"),
    )
    .await
    .unwrap_err();
    let message = error.message();
    assert!(message.contains("None of the 3 months"), "{message}");
    assert!(
        !message.contains("unregistered-key"),
        "the key must not leak: {message}"
    );
}

#[tokio::test]
async fn months_are_fetched_a_few_at_a_time() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.set_latency(Duration::from_millis(40));
    let out = analyze_price_trend(
        &client(&stand_in, KEY),
        &regions(),
        &trend_args("11680", "202401", "202412"),
    )
    .await
    .unwrap()
    .output;
    assert_eq!(out.months.len(), 12);
    let peak = stand_in.max_in_flight() as usize;
    assert!(peak > 1, "months should overlap, peak {peak}");
    assert!(peak <= MONTH_CONCURRENCY, "peak {peak}");
}

#[tokio::test]
async fn a_cold_trend_costs_exactly_one_call_per_page() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    // 1,500 deals: two pages of 1,000; 800: one page; an empty month: one call.
    let sizes = [
        1_500, 800, 1_500, 0, 1_500, 1_500, 800, 1_500, 1_500, 1_500, 1_500, 2_100,
    ];
    let mut pages = 0;
    for (i, size) in sizes.iter().enumerate() {
        let month = format!("2024{:02}", i + 1);
        stand_in.put_generated(Kind::AptTrade, "11680", &month, *size);
        pages += size.div_ceil(1_000).max(1);
    }
    let out = analyze_price_trend(
        &client(&stand_in, KEY),
        &regions(),
        &trend_args("강남구", "202401", "202412"),
    )
    .await
    .unwrap()
    .output;
    assert_eq!(pages, 22);
    assert_eq!(stand_in.requests(), pages);
    assert_eq!(out.coverage.source.provenance.upstream_calls, pages);
    assert_eq!(out.coverage.source.fetches[0].pages, pages);
    assert_eq!(out.whole_range.deals_in_month, sizes.iter().sum::<u32>());
}

#[tokio::test]
async fn a_lease_trend_follows_jeonse_deposits_and_keeps_wolse_apart() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let items = stand_in.put_generated(Kind::OfficetelRent, "11680", "202402", 45);
    let mut args = PriceTrendArgs {
        deal_type: DealType::Rent,
        ..trend_args("11680", "202402", "202402")
    };
    args.market.property_type = PropertyType::Officetel;
    let out = analyze_price_trend(&client(&stand_in, KEY), &regions(), &args)
        .await
        .unwrap()
        .output;
    assert_eq!(out.property_type, "오피스텔 전월세");
    assert!(out.measure.starts_with("전세 deposit"));
    let summary = &out.months[0].summary;
    let jeonse: Vec<u64> = items
        .iter()
        .filter(|i| i.get("monthlyRent") == Some("0"))
        .map(|i| amount(i, "deposit"))
        .collect();
    let deposits = summary
        .jeonse
        .as_ref()
        .unwrap()
        .deposit_manwon
        .as_ref()
        .unwrap();
    assert_eq!(deposits.count as usize, jeonse.len());
    assert_eq!(deposits.max, *jeonse.iter().max().unwrap());
    let wolse = summary.wolse.as_ref().unwrap();
    assert_eq!(wolse.count as usize, items.len() - jeonse.len());

    let mut commercial = args;
    commercial.market.property_type = PropertyType::Commercial;
    let error = analyze_price_trend(&client(&stand_in, KEY), &regions(), &commercial)
        .await
        .unwrap_err();
    assert!(
        error.message().contains("no lease data"),
        "{}",
        error.message()
    );
}

#[tokio::test]
async fn months_before_a_reorganisation_fall_back_to_the_old_code_only_when_empty() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    // 목포시: 46110 until 2026-07, 12110 since. April is only under the old code, May under
    // the new one.
    let april = stand_in.put_generated(Kind::AptTrade, "46110", "202404", 12);
    stand_in.put_generated(Kind::AptTrade, "12110", "202405", 9);
    let client = client(&stand_in, KEY);
    let out = analyze_price_trend(
        &client,
        &regions(),
        &trend_args("목포시", "202404", "202405"),
    )
    .await
    .unwrap()
    .output;
    assert_eq!(out.region.lawd_cd, "12110");
    let deals: Vec<_> = out
        .months
        .iter()
        .map(|m| m.summary.deals_in_month)
        .collect();
    assert_eq!(deals, [april.len() as u32, 9]);
    let group = &out.coverage.source.fetches[0];
    assert_eq!(group.region_code, "12110");
    let fallback: Vec<_> = group
        .former_code_months
        .iter()
        .map(|m| (m.year_month.as_str(), m.former_codes[0].lawd_cd.as_str()))
        .collect();
    assert_eq!(fallback, [("202404", "46110")]);
    assert_eq!(out.coverage.source.provenance.upstream_calls, 3);
    assert!(
        out.coverage
            .notes
            .iter()
            .any(|n| n.contains("46110") && n.contains("202404")),
        "{:?}",
        out.coverage.notes
    );
    assert_eq!(stand_in.requests_for(Kind::AptTrade, "46110", "202405"), 0);
}

#[tokio::test]
async fn a_month_the_deadline_cuts_off_is_reported_and_the_others_answered() {
    use real_estate_mcp::upstream::deadline::Deadline;

    let stand_in = february_fails(Fault::Slow(Duration::from_secs(5))).await;
    let client = client(&stand_in, KEY);
    let regions = regions();
    let out = Deadline::after(Duration::from_secs(2))
        .run(analyze_price_trend(
            &client,
            &regions,
            &trend_args("11680", "202401", "202403"),
        ))
        .await
        .unwrap()
        .output;
    let failed = only_february_failed(&out);
    assert!(
        failed.error.contains("TOOL_DEADLINE_SECS"),
        "{}",
        failed.error
    );
    assert_eq!(stand_in.requests_for(Kind::AptTrade, "11680", "202402"), 1);
}

/// A stand-in with January to March 2024 in 강남구, 30 sales each, whose February requests
/// meet `fault`.
async fn february_fails(fault: Fault) -> MolitStandIn {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    for month in ["202401", "202402", "202403"] {
        stand_in.put_generated(Kind::AptTrade, "11680", month, 30);
    }
    stand_in.set_month_fault(Kind::AptTrade, "11680", "202402", Some(fault));
    stand_in
}

/// Checks that January and March answered and that February alone failed, after one request,
/// and returns February's failure.
fn only_february_failed(out: &PriceTrendOutput) -> &FailedMonth {
    let labels: Vec<_> = out.months.iter().map(|m| m.year_month.as_str()).collect();
    assert_eq!(labels, ["202401", "202403"]);
    let [failed] = out.coverage.source.failed_months.as_slice() else {
        panic!("one failed month: {:?}", out.coverage.source.failed_months);
    };
    assert_eq!(failed.year_month, "202402");
    assert_eq!(failed.upstream_calls, 1);
    failed
}
