//! The transaction tools end to end below the protocol: region and month arguments, the
//! stand-in gateway, the cache and the summary together.

use std::time::Duration;

use real_estate_mcp::{
    budget::CallScope,
    regions::RegionIndex,
    tools::transactions::{self, TransactionArgs},
    upstream::molit::Dataset,
};
use testkit::molit::{Fault, Item, Kind, MolitStandIn};

use crate::helpers::upstream::{TOTAL_TIMEOUT, expiring_molit_client, molit_client};

const KEY: &str = "integration+key/==";

fn args(region: &str, month: &str) -> TransactionArgs {
    TransactionArgs {
        region_code: region.into(),
        year_month: month.into(),
        ..TransactionArgs::default()
    }
}

fn amount(item: &Item, tag: &str) -> u64 {
    item.get(tag).unwrap().replace(',', "").parse().unwrap()
}

#[tokio::test]
async fn a_region_name_is_resolved_and_the_whole_month_summarised() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let items = stand_in.put_generated(Kind::AptTrade, "11680", "202503", 1_234);
    let regions = RegionIndex::builtin_shared().unwrap();
    let client = molit_client(&stand_in, Some(KEY));
    let out = transactions::run(
        &client,
        &regions,
        Dataset::AptTrade,
        &args("서울 강남구", "202503"),
    )
    .await
    .unwrap();
    assert_eq!(out.region.lawd_cd, "11680");
    assert_eq!(out.property_type, "아파트 매매");
    let live: Vec<_> = items
        .iter()
        .filter(|i| i.get("cdealType") != Some("O"))
        .collect();
    let cancelled = items.len() - live.len();
    assert!(cancelled > 0);
    assert_eq!(out.summary.deals_in_month, 1_234);
    assert_eq!(out.summary.cancelled_deals as usize, cancelled);
    let price = out.summary.price_manwon.as_ref().unwrap();
    assert_eq!(price.count as usize, live.len());
    let max = live.iter().map(|i| amount(i, "dealAmount")).max().unwrap();
    let min = live.iter().map(|i| amount(i, "dealAmount")).min().unwrap();
    assert_eq!((price.min, price.max), (min, max));
    assert_eq!(out.rows_returned, 50);
    assert_eq!(out.rows_omitted, 1_184);
    assert!(!out.source.provenance.cached);
    assert_eq!(
        (out.source.pages, out.source.provenance.upstream_calls),
        (2, 2)
    );

    let again = transactions::run(
        &client,
        &regions,
        Dataset::AptTrade,
        &args("11680", "202503"),
    )
    .await
    .unwrap();
    assert!(again.source.provenance.cached);
    assert_eq!(again.source.provenance.upstream_calls, 0);
    assert_eq!(again.summary, out.summary);
    assert_eq!(stand_in.requests(), 2);
}

#[tokio::test]
async fn a_rent_month_is_split_into_jeonse_and_wolse() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let items = stand_in.put_generated(Kind::RhRent, "11680", "202402", 90);
    let regions = RegionIndex::builtin_shared().unwrap();
    let out = transactions::run(
        &molit_client(&stand_in, Some(KEY)),
        &regions,
        Dataset::RhRent,
        &args("11680", "202402"),
    )
    .await
    .unwrap();
    let jeonse = items
        .iter()
        .filter(|i| i.get("monthlyRent") == Some("0"))
        .count();
    assert_eq!(out.summary.jeonse.as_ref().unwrap().count as usize, jeonse);
    assert_eq!(
        out.summary.wolse.as_ref().unwrap().count as usize,
        items.len() - jeonse
    );
    assert_eq!(out.summary.cancelled_deals, 0);
}

#[tokio::test]
async fn bad_arguments_cost_no_upstream_request() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let regions = RegionIndex::builtin_shared().unwrap();
    let client = molit_client(&stand_in, Some(KEY));
    let cases = [
        (args("중구", "202503"), "several districts"),
        (args("없는구역이름", "202503"), "region_code"),
        (args("11680", "200512"), "year_month"),
        (args("11680", "2025-13"), "year_month"),
        (args("11680", "209901"), "future"),
        (
            TransactionArgs {
                limit: Some(1_000),
                ..args("11680", "202503")
            },
            "limit",
        ),
    ];
    for (bad, needle) in cases {
        let error = transactions::run(&client, &regions, Dataset::AptTrade, &bad)
            .await
            .unwrap_err();
        assert!(error.message().contains(needle), "{}", error.message());
    }
    assert_eq!(stand_in.requests(), 0);
}

#[tokio::test]
async fn upstream_failures_become_tool_errors_a_person_can_act_on() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let regions = RegionIndex::builtin_shared().unwrap();
    let without_key = transactions::run(
        &molit_client(&stand_in, None),
        &regions,
        Dataset::OffiTrade,
        &args("11680", "202503"),
    )
    .await
    .unwrap_err();
    assert!(without_key.message().contains("DATA_GO_KR_API_KEY"));

    stand_in.fail_next([Fault::quota_exceeded()]);
    let quota = transactions::run(
        &molit_client(&stand_in, Some(KEY)),
        &regions,
        Dataset::OffiTrade,
        &args("11680", "202503"),
    )
    .await
    .unwrap_err();
    assert!(quota.message().contains("midnight Korea time"));
    assert!(!quota.message().contains(KEY));
}

#[tokio::test]
async fn an_expired_month_answers_when_the_gateway_fails_and_says_how_old() {
    let regions = RegionIndex::builtin_shared().unwrap();
    // With the requests each failure takes: a 5xx and a timeout are retried once.
    let faults = [
        (Fault::Status(503), "failing on its side", 2),
        (Fault::quota_exceeded(), "quota", 1),
        (Fault::Slow(Duration::from_secs(2)), "in time", 2),
    ];
    for (fault, reason, attempts) in faults {
        let stand_in = MolitStandIn::start(KEY).await.unwrap();
        stand_in.put_generated(Kind::AptTrade, "11680", "202410", 40);
        let client = expiring_molit_client(&stand_in, Some(KEY), Duration::from_millis(500));
        let month = args("11680", "202410");
        let fresh = transactions::run(&client, &regions, Dataset::AptTrade, &month)
            .await
            .unwrap();
        assert!(!fresh.source.provenance.stale);

        stand_in.set_month_fault(Kind::AptTrade, "11680", "202410", Some(fault));
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let before = stand_in.requests();
        let call = CallScope::new("alice");
        let stale = call
            .run(transactions::run(
                &client,
                &regions,
                Dataset::AptTrade,
                &month,
            ))
            .await
            .unwrap_or_else(|e| panic!("{reason}: {}", e.message()));
        let source = &stale.source.provenance;
        assert!(source.stale && source.cached, "{reason}: {source:?}");
        // The failed attempts were sent: the answer and the budget both say what they cost.
        assert_eq!(stand_in.requests() - before, attempts, "{reason}");
        assert_eq!(source.upstream_calls, attempts, "{reason}: {source:?}");
        assert_eq!(call.spent(), u64::from(attempts), "{reason}");
        assert!(source.age_seconds >= 1, "{reason}: {source:?}");
        let note = source.note.as_deref().unwrap();
        assert!(note.contains(reason), "{note}");
        assert!(note.contains("1 minute ago"), "{note}");
        assert_eq!(stale.summary, fresh.summary);
    }
}

#[tokio::test]
async fn a_key_error_is_never_answered_with_an_expired_month() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, "11680", "202410", 40);
    let regions = RegionIndex::builtin_shared().unwrap();
    let client = expiring_molit_client(&stand_in, Some(KEY), TOTAL_TIMEOUT);
    let month = args("11680", "202410");
    transactions::run(&client, &regions, Dataset::AptTrade, &month)
        .await
        .unwrap();
    for fault in [
        Fault::key_not_registered(403),
        Fault::Gateway {
            code: "20",
            status: 200,
        },
    ] {
        stand_in.set_month_fault(Kind::AptTrade, "11680", "202410", Some(fault));
        let error = transactions::run(&client, &regions, Dataset::AptTrade, &month)
            .await
            .unwrap_err();
        assert!(error.message().contains("15126469"), "{}", error.message());
    }
}
