//! `compare_regions`: same terms for every district, ranking, failures and refusals.

use real_estate_mcp::tools::analytics::{CompareRegionsArgs, MarketArgs, RankBy, compare_regions};
use testkit::molit::{Fault, Kind, MolitStandIn};

use super::{BAR, KEY, client, pixels_of, regions, sale};

#[tokio::test]
async fn regions_are_compared_on_the_same_terms_and_ranked() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    for month in ["202403", "202404"] {
        stand_in.put_generated(Kind::AptTrade, "11680", month, 80);
        stand_in.put_generated(Kind::AptTrade, "11440", month, 40);
    }
    // 서초구 had nothing; 용산구's April fails.
    stand_in.put_generated(Kind::AptTrade, "11170", "202403", 20);
    stand_in.set_month_fault(Kind::AptTrade, "11170", "202404", Some(Fault::Garbage));
    let args = CompareRegionsArgs {
        regions: vec![
            "강남구".into(),
            "11440".into(),
            "서초구".into(),
            "용산구".into(),
        ],
        market: MarketArgs::months("202403", "202404"),
        rank_by: RankBy::DealCount,
        chart: Some(true),
        ..CompareRegionsArgs::default()
    };
    let charted = compare_regions(&client(&stand_in, KEY), &regions(), &args)
        .await
        .unwrap();
    let out = &charted.output;
    let order: Vec<_> = out
        .regions
        .iter()
        .map(|r| (r.region.lawd_cd.as_str(), r.rank))
        .collect();
    assert_eq!(
        order,
        [
            ("11680", Some(1)),
            ("11440", Some(2)),
            ("11170", Some(3)),
            ("11650", Some(4))
        ]
    );
    let counts: Vec<_> = out.regions.iter().map(|r| r.rank_value).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(out.regions[3].rank_value, Some(0.0));
    assert!(out.regions[3].thin);
    let yongsan = &out.regions[2];
    assert_eq!((yongsan.months_fetched, yongsan.months_failed), (1, 1));
    assert_eq!(out.coverage.source.failed_months.len(), 1);
    assert_eq!(out.coverage.source.months_requested, 8);
    let png = charted.chart.as_ref().expect("chart");
    assert!(pixels_of(png, BAR) > 5_000, "bars drawn");

    let repeated = CompareRegionsArgs {
        regions: vec!["강남구".into(), "11680".into()],
        ..args.clone()
    };
    let error = compare_regions(&client(&stand_in, KEY), &regions(), &repeated)
        .await
        .unwrap_err();
    assert!(
        error.message().contains("already in the list"),
        "{}",
        error.message()
    );
    let single = CompareRegionsArgs {
        regions: vec!["강남구".into()],
        ..args
    };
    let error = compare_regions(&client(&stand_in, KEY), &regions(), &single)
        .await
        .unwrap_err();
    assert!(error.message().contains("2 to 8"), "{}", error.message());
}

#[tokio::test]
async fn dongs_named_as_regions_are_compared_as_dongs_from_one_fetch() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let sales = vec![
        sale("단지", "공덕동", "84", 100_000, 3, 1),
        sale("단지", "공덕동", "84", 104_000, 3, 2),
        sale("단지", "신공덕동", "84", 60_000, 3, 3),
        sale("단지", "아현동", "84", 80_000, 3, 4),
    ];
    stand_in.put_deals(Kind::AptTrade, "11440", sales);
    let args = CompareRegionsArgs {
        regions: vec!["공덕동".into(), "아현동".into(), "마포구".into()],
        market: MarketArgs::months("202403", "202403"),
        rank_by: RankBy::DealCount,
        ..CompareRegionsArgs::default()
    };
    let out = compare_regions(&client(&stand_in, KEY), &regions(), &args)
        .await
        .unwrap()
        .output;
    let counts: Vec<_> = out
        .regions
        .iter()
        .map(|r| (r.region.dong.as_deref(), r.summary.matching_deals))
        .collect();
    assert_eq!(
        counts,
        [(None, 4), (Some("공덕동"), 2), (Some("아현동"), 1)]
    );
    assert_eq!(
        stand_in.requests(),
        1,
        "one district, one month, one request"
    );
    assert_eq!(out.coverage.source.months_requested, 1);
    assert!(
        out.coverage
            .notes
            .iter()
            .any(|n| n.contains("only deals in 아현동")),
        "{:?}",
        out.coverage.notes
    );
}
