//! Tools that pair sales with leases by complex: `analyze_jeonse_ratio` and
//! `get_complex_summary`, with name matching and its ambiguity errors.

use real_estate_mcp::tools::analytics::{
    ComplexSummaryArgs, JeonseRatioArgs, MarketArgs, analyze_jeonse_ratio, get_complex_summary,
};
use testkit::molit::{Kind, MolitStandIn};

use super::{INK, KEY, client, lease, pixels_of, regions, sale};

/// Two complexes with sales and leases, one with leases only.
fn jeonse_market(stand_in: &MolitStandIn) {
    let sales = vec![
        sale("테스트아파트", "대치동", "84.9", 100_000, 3, 1),
        sale("테스트아파트", "대치동", "84.9", 110_000, 3, 2),
        sale("테스트아파트", "대치동", "84.9", 120_000, 3, 3),
        sale("비교단지", "역삼동", "59.9", 80_000, 3, 4),
        sale("비교단지", "역삼동", "59.9", 90_000, 3, 5).cancelled("24.04.01"),
        // A land-lease flat: sold without the land, never paired.
        sale("테스트아파트", "대치동", "84.9", 30_000, 3, 6).set("landLeaseholdGbn", "Y"),
    ];
    stand_in.put_deals(Kind::AptTrade, "11680", sales);
    let leases = vec![
        lease("테스트 아파트", "대치동", "84.9", 55_000, 0, 3),
        lease("테스트아파트", "대치동", "84.9", 60_000, 0, 3),
        lease("테스트아파트", "대치동", "84.9", 65_000, 0, 3),
        lease("테스트아파트", "대치동", "84.9", 10_000, 100, 3),
        lease("비교단지", "역삼동", "59.9", 48_000, 0, 3),
        lease("전세만단지", "개포동", "84.9", 70_000, 0, 3),
        // Converted with include_wolse, but its group has no sales: not in the ratio.
        lease("전세만단지", "개포동", "84.9", 20_000, 150, 3),
    ];
    stand_in.put_deals(Kind::AptRent, "11680", leases);
}

#[tokio::test]
async fn the_jeonse_ratio_pairs_sales_and_leases_like_for_like() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    jeonse_market(&stand_in);
    let client = client(&stand_in, KEY);
    let args = JeonseRatioArgs {
        region_code: "11680".into(),
        market: MarketArgs::months("202403", "202403"),
        chart: Some(true),
        ..JeonseRatioArgs::default()
    };
    let charted = analyze_jeonse_ratio(&client, &regions(), &args)
        .await
        .unwrap();
    let out = &charted.output;
    let groups: Vec<_> = out
        .groups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.area_band.as_str(),
                g.ratio_pct,
                g.trades,
                g.leases,
                g.thin,
            )
        })
        .collect();
    // 60,000 ÷ 110,000 and 48,000 ÷ 80,000; the cancelled sale never counts.
    assert_eq!(
        groups,
        [
            ("테스트아파트", "60–85㎡", 54.5, 3, 3, false),
            ("비교단지", "40–60㎡", 60.0, 1, 1, true),
        ]
    );
    let ratio = out.ratio.as_ref().unwrap();
    assert_eq!(
        (ratio.min_pct, ratio.max_pct, ratio.groups),
        (54.5, 60.0, 2)
    );
    assert_eq!(ratio.median_pct, 57.3);
    assert_eq!((ratio.trades, ratio.leases), (4, 4));
    assert_eq!((out.trade_only_groups, out.lease_only_groups), (0, 1));
    assert_eq!(out.thin_groups, 1);
    assert_eq!(out.coverage.excluded.cancelled_deals, 1);
    assert_eq!(out.coverage.excluded.share_or_land_lease_sales, Some(1));
    assert!(
        out.coverage.notes.iter().any(|n| n.contains("land-lease")),
        "{:?}",
        out.coverage.notes
    );
    assert!(out.wolse_conversion.is_none());
    assert_eq!(out.coverage.source.months_requested, 2);
    assert!(
        pixels_of(charted.chart.as_ref().unwrap(), INK) > 50,
        "points drawn"
    );

    let with_wolse = JeonseRatioArgs {
        include_wolse: Some(true),
        conversion_rate_pct: Some(5.0),
        chart: None,
        ..args.clone()
    };
    let out = analyze_jeonse_ratio(&client, &regions(), &with_wolse)
        .await
        .unwrap()
        .output;
    // 10,000 + 100 × 12 ÷ 0.05 = 34,000; median of 34,000 55,000 60,000 65,000 = 57,500.
    let first = &out.groups[0];
    assert_eq!((first.leases, first.median_lease_manwon), (4, 57_500.0));
    assert_eq!(first.ratio_pct, 52.3);
    // Only the 월세 lease of a matched group enters the ratio; the lease-only group's does not.
    let conversion = out.wolse_conversion.as_ref().unwrap();
    assert_eq!((conversion.rate_pct, conversion.converted_leases), (5.0, 1));
    assert_eq!(out.lease_only_groups, 1);
    assert!(out.coverage.source.provenance.cached);

    let bad_rate = JeonseRatioArgs {
        conversion_rate_pct: Some(40.0),
        ..args
    };
    let error = analyze_jeonse_ratio(&client, &regions(), &bad_rate)
        .await
        .unwrap_err();
    assert!(error.message().contains("`conversion_rate_pct`"));
}

/// One complex sold in two sizes over January to March 2024, leased in February; a second
/// complex whose name also starts with 래미안.
fn complex_market(stand_in: &MolitStandIn) {
    let palace = "래미안대치팰리스";
    let sales = vec![
        sale(palace, "대치동", "84.97", 250_000, 1, 5),
        sale(palace, "대치동", "84.97", 240_000, 1, 20),
        sale("래미안도곡", "도곡동", "84.9", 200_000, 1, 9),
        sale(palace, "대치동", "84.97", 260_000, 2, 3),
        sale(palace, "대치동", "84.97", 300_000, 2, 10).cancelled("24.03.02"),
        sale(palace, "대치동", "114.5", 330_000, 2, 11),
        sale(palace, "대치동", "84.97", 255_000, 3, 2),
        sale(palace, "대치동", "84.97", 270_000, 3, 28),
    ];
    stand_in.put_deals(Kind::AptTrade, "11680", sales);
    let leases = vec![
        lease(palace, "대치동", "84.97", 130_000, 0, 2),
        lease(palace, "대치동", "84.97", 140_000, 0, 2),
        lease(palace, "대치동", "84.97", 50_000, 300, 2),
    ];
    stand_in.put_deals(Kind::AptRent, "11680", leases);
}

#[tokio::test]
async fn a_complex_summary_lists_bands_recent_deals_cancellations_and_record_highs() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    complex_market(&stand_in);
    let args = ComplexSummaryArgs {
        region_code: "강남구".into(),
        complex_name: "래미안 대치".into(),
        from_month: "202401".into(),
        to_month: Some("202403".into()),
        ..ComplexSummaryArgs::default()
    };
    let out = get_complex_summary(&client(&stand_in, KEY), &regions(), &args)
        .await
        .unwrap();
    assert_eq!(out.complex.name, "래미안대치팰리스");
    assert_eq!(out.complex.dong, "대치동");
    assert_eq!(out.complex.build_year, Some(2015));
    let bands: Vec<_> = out
        .area_bands
        .iter()
        .map(|b| b.area_band.as_str())
        .collect();
    assert_eq!(bands, ["60–85㎡", "102–135㎡"]);
    let small = &out.area_bands[0];
    let sales = small.sales.as_ref().unwrap();
    assert_eq!(
        (sales.count, sales.median, sales.max),
        (5, 255_000.0, 270_000)
    );
    assert_eq!(small.cancelled_sales, 1);
    assert_eq!(small.jeonse.as_ref().unwrap().median, 135_000.0);
    assert_eq!(small.wolse_count, 1);
    assert_eq!(small.jeonse_ratio_pct, Some(52.9));
    let records: Vec<_> = out
        .record_highs
        .iter()
        .map(|r| (r.date.as_str(), r.price_manwon, r.previous_high_manwon))
        .collect();
    assert_eq!(
        records,
        [
            ("2024-03-28", 270_000, 260_000),
            ("2024-02-03", 260_000, 250_000)
        ],
        "the cancelled 300,000 sale sets no record"
    );
    assert_eq!(out.cancellations.len(), 1);
    assert_eq!(out.cancellations[0].price_manwon, Some(300_000));
    let dates: Vec<_> = out.recent_trades.iter().map(|r| r.date.as_str()).collect();
    assert_eq!(dates.first(), Some(&"2024-03-28"));
    assert_eq!(out.recent_trades.len(), 7);
    assert_eq!(out.recent_leases.len(), 3);
    assert_eq!(out.coverage.source.months_requested, 6);
}

#[tokio::test]
async fn an_ambiguous_complex_name_lists_the_candidates() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    complex_market(&stand_in);
    let client = client(&stand_in, KEY);
    let args = ComplexSummaryArgs {
        region_code: "11680".into(),
        complex_name: "래미안".into(),
        from_month: "202401".into(),
        to_month: Some("202403".into()),
        ..ComplexSummaryArgs::default()
    };
    let error = get_complex_summary(&client, &regions(), &args)
        .await
        .unwrap_err();
    let message = error.message();
    assert!(message.contains("matches 2 complexes"), "{message}");
    assert!(
        message.contains("래미안대치팰리스 (대치동, 10 deals)"),
        "{message}"
    );
    assert!(
        message.contains("래미안도곡 (도곡동, 1 deals)"),
        "{message}"
    );
    let calls = stand_in.requests();

    let unknown = ComplexSummaryArgs {
        complex_name: "없는단지".into(),
        ..args.clone()
    };
    let error = get_complex_summary(&client, &regions(), &unknown)
        .await
        .unwrap_err();
    assert!(
        error.message().contains("no complex named like"),
        "{}",
        error.message()
    );
    assert_eq!(stand_in.requests(), calls, "the retry is served from cache");

    for (complex_name, dong, name) in [
        ("가".repeat(51), None, "`complex_name`"),
        ("래미안".to_owned(), Some("가".repeat(51)), "`dong`"),
    ] {
        let long = ComplexSummaryArgs {
            complex_name,
            dong,
            ..args.clone()
        };
        let error = get_complex_summary(&client, &regions(), &long)
            .await
            .unwrap_err();
        let message = error.message();
        assert!(message.contains(name), "{message}");
        assert!(message.contains("longer than 50 characters"), "{message}");
    }
    assert_eq!(
        stand_in.requests(),
        calls,
        "a bad argument costs no request"
    );

    let narrowed = ComplexSummaryArgs {
        dong: Some("도곡".into()),
        ..args
    };
    let out = get_complex_summary(&client, &regions(), &narrowed)
        .await
        .unwrap();
    assert_eq!(out.complex.name, "래미안도곡");
}
