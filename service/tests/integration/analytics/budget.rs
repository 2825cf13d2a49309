//! Multi-month questions against today's budgets: checked before anything is spent, sized
//! from cached neighbours, refused with the newest months that fit.

use real_estate_mcp::{
    budget::{BudgetLimits, CallScope},
    tools::analytics::{JeonseRatioArgs, MarketArgs, analyze_jeonse_ratio, analyze_price_trend},
};
use testkit::molit::{Kind, MolitStandIn};

use super::{KEY, regions, trend_args};
use crate::helpers::upstream::{budgeted_molit_client, disk_backing};

const MAPO: &str = "11440";

/// `deals` apartment sales (and as many leases) in every month of 2024.
async fn a_year_of(deals: u32) -> MolitStandIn {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    for month in 1..=12 {
        let ymd = format!("2024{month:02}");
        stand_in.put_generated(Kind::AptTrade, MAPO, &ymd, deals);
        stand_in.put_generated(Kind::AptRent, MAPO, &ymd, deals);
    }
    stand_in
}

fn per_caller(limit: u64) -> BudgetLimits {
    BudgetLimits {
        per_caller: Some(limit),
        per_dataset: None,
    }
}

#[tokio::test]
async fn a_trend_too_big_for_the_budget_names_the_newest_months_that_fit() {
    let stand_in = a_year_of(30).await;
    let client = budgeted_molit_client(&stand_in, Some(KEY), per_caller(5));
    let alice = CallScope::new("alice");
    let regions = regions();
    let asked = trend_args("마포구", "202401", "202412");
    let refused = alice
        .run(analyze_price_trend(&client, &regions, &asked))
        .await
        .unwrap_err();
    let text = refused.message();
    // One month was fetched to learn how big this district's months are: one page each.
    assert_eq!(stand_in.requests(), 1, "{text}");
    assert!(text.contains("up to 11 data.go.kr requests"), "{text}");
    assert!(text.contains("only 4 of this caller's 5"), "{text}");
    assert!(text.contains("The newest 5 months fit"), "{text}");
    assert!(
        text.contains("from_month=202408 and to_month=202412"),
        "{text}"
    );
    assert!(text.contains("00:00 KST"), "{text}");

    let smaller = trend_args("마포구", "202408", "202412");
    let out = alice
        .run(analyze_price_trend(&client, &regions, &smaller))
        .await
        .unwrap()
        .output;
    assert!(out.coverage.source.failed_months.is_empty());
    assert_eq!(
        out.coverage.source.months_from_cache, 1,
        "the sizing month was kept"
    );
    assert_eq!(alice.spent(), 5);
    assert_eq!(stand_in.requests(), 5);
}

#[tokio::test]
async fn cached_months_cost_nothing_and_size_the_rest() {
    let stand_in = a_year_of(30).await;
    let client = budgeted_molit_client(&stand_in, Some(KEY), per_caller(12));
    let alice = CallScope::new("alice");
    let regions = regions();
    let second_half = trend_args("마포구", "202407", "202412");
    alice
        .run(analyze_price_trend(&client, &regions, &second_half))
        .await
        .unwrap();
    assert_eq!(alice.spent(), 6);
    // Six months cached, six to fetch at about one request each: exactly what is left.
    let year = trend_args("마포구", "202401", "202412");
    let out = alice
        .run(analyze_price_trend(&client, &regions, &year))
        .await
        .unwrap()
        .output;
    assert_eq!(out.coverage.source.months_fetched, 12);
    assert_eq!(out.coverage.source.months_from_cache, 6);
    assert_eq!(alice.spent(), 12);
    assert_eq!(stand_in.requests(), 12);
}

#[tokio::test]
async fn months_kept_on_disk_across_a_restart_cost_nothing_and_size_the_rest() {
    let stand_in = a_year_of(30).await;
    let dir = tempfile::tempdir().unwrap();
    let second_half = trend_args("마포구", "202407", "202412");
    let before = budgeted_molit_client(&stand_in, Some(KEY), per_caller(6))
        .backed_by(&disk_backing(dir.path()));
    CallScope::new("alice")
        .run(analyze_price_trend(&before, &regions(), &second_half))
        .await
        .unwrap();
    assert_eq!(stand_in.requests(), 6);

    // After a restart memory is empty: only the disk says which months are cached, and how
    // big the others will be. Six fetches at about one request each: exactly what is left.
    let after = budgeted_molit_client(&stand_in, Some(KEY), per_caller(6))
        .backed_by(&disk_backing(dir.path()));
    let bob = CallScope::new("bob");
    let year = trend_args("마포구", "202401", "202412");
    let out = bob
        .run(analyze_price_trend(&after, &regions(), &year))
        .await
        .unwrap()
        .output;
    assert_eq!(out.coverage.source.months_fetched, 12);
    assert_eq!(out.coverage.source.months_from_cache, 6);
    assert_eq!(bob.spent(), 6);
    assert_eq!(stand_in.requests(), 12);
}

#[tokio::test]
async fn each_dataset_answers_to_the_servers_budget_for_it() {
    let stand_in = a_year_of(30).await;
    let limits = BudgetLimits {
        per_caller: None,
        per_dataset: Some(4),
    };
    let client = budgeted_molit_client(&stand_in, Some(KEY), limits);
    let args = JeonseRatioArgs {
        region_code: MAPO.into(),
        market: MarketArgs::months("202401", "202406"),
        ..JeonseRatioArgs::default()
    };
    let refused = CallScope::new("alice")
        .run(analyze_jeonse_ratio(&client, &regions(), &args))
        .await
        .unwrap_err();
    let text = refused.message();
    // June of both datasets sized the question; three more months of each fit.
    assert_eq!(stand_in.requests(), 2, "{text}");
    assert!(text.contains("DAILY_BUDGET_PER_DATASET"), "{text}");
    assert!(text.contains("아파트 매매 (RTMSDataSvcAptTrade)"), "{text}");
    assert!(
        text.contains("from_month=202403 and to_month=202406"),
        "{text}"
    );
}
