//! The MOLIT client against the stand-in gateway: paging, caps, cache, retries, errors.

use std::time::Duration;

use real_estate_mcp::{
    budget::{Budget, BudgetLimits, CallScope, Scope},
    cache::Freshness,
    upstream::{
        key::ApiKey,
        molit::{
            CachedMonthFacts, Dataset, MolitClient, MolitError, MolitErrorKind, MolitSettings,
        },
    },
};
use testkit::molit::{Fault, Item, Kind, MolitStandIn, SuccessStyle};
use url::Url;

use crate::helpers::upstream::{
    budgeted_molit_client, disk_backing, http, molit_client, molit_client_with,
};

/// A decoded key with every character the portal's Encoding form escapes.
const KEY: &str = "Tk9+s3cr/et+key==";
const ENCODED_KEY: &str = "Tk9%2Bs3cr%2Fet%2Bkey%3D%3D";
const GANGNAM: &str = "11680";

fn amount(item: &Item) -> Option<u64> {
    item.get("dealAmount")?.replace(',', "").trim().parse().ok()
}

#[tokio::test]
async fn a_multi_page_month_is_fetched_completely_and_in_order() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let items = stand_in.put_generated(Kind::AptTrade, GANGNAM, "202503", 2_350);
    let month = molit_client(&stand_in, Some(KEY))
        .fetch_month(Dataset::AptTrade, GANGNAM, 2025, 3)
        .await
        .unwrap();
    assert_eq!(month.deals.len(), 2_350);
    assert_eq!(month.total_count, 2_350);
    assert_eq!(month.pages, 3);
    assert_eq!(month.upstream_calls, 3);
    assert!(!month.truncated);
    assert_eq!(month.freshness, Freshness::Live);
    let expected: Vec<_> = items.iter().map(amount).collect();
    let got: Vec<_> = month.deals.iter().map(|d| d.deal_amount).collect();
    assert_eq!(got, expected);
    assert_eq!(stand_in.requests_for(Kind::AptTrade, GANGNAM, "202503"), 3);
}

#[tokio::test]
async fn pages_are_fetched_concurrently_but_within_the_bound() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::OfficetelTrade, GANGNAM, "202401", 1_000);
    stand_in.set_latency(Duration::from_millis(100));
    let settings = MolitSettings {
        page_size: 100,
        page_concurrency: 3,
        ..MolitSettings::default()
    };
    let month = molit_client_with(&stand_in, Some(KEY), settings)
        .fetch_month(Dataset::OfficetelTrade, GANGNAM, 2024, 1)
        .await
        .unwrap();
    assert_eq!(month.deals.len(), 1_000);
    assert_eq!(month.pages, 10);
    assert!(
        stand_in.max_in_flight() <= 3,
        "{}",
        stand_in.max_in_flight()
    );
    assert!(
        stand_in.max_in_flight() >= 2,
        "pages were fetched one by one"
    );
}

#[tokio::test]
async fn a_huge_month_is_capped_and_flagged() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptRent, GANGNAM, "202312", 2_500);
    let settings = MolitSettings {
        page_size: 500,
        max_rows: 1_200,
        ..MolitSettings::default()
    };
    let month = molit_client_with(&stand_in, Some(KEY), settings)
        .fetch_month(Dataset::AptRent, GANGNAM, 2023, 12)
        .await
        .unwrap();
    assert!(month.truncated);
    assert_eq!(month.deals.len(), 1_200);
    assert_eq!(month.total_count, 2_500);
    assert_eq!(month.pages, 3);
    assert_eq!(stand_in.requests(), 3);
}

#[tokio::test]
async fn a_gateway_serving_smaller_pages_is_still_read_to_the_end() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::RowHouseTrade, GANGNAM, "202402", 250);
    stand_in.set_page_cap(100);
    let month = molit_client(&stand_in, Some(KEY))
        .fetch_month(Dataset::RowHouseTrade, GANGNAM, 2024, 2)
        .await
        .unwrap();
    assert_eq!(month.deals.len(), 250);
    assert_eq!(month.pages, 3);
}

#[tokio::test]
async fn a_repeated_question_costs_no_second_request() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202201", 1_500);
    let client = molit_client(&stand_in, Some(KEY));
    let first = client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2022, 1)
        .await
        .unwrap();
    let second = client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2022, 1)
        .await
        .unwrap();
    assert_eq!(first.upstream_calls, 2);
    assert_eq!(second.upstream_calls, 0);
    assert!(matches!(second.freshness, Freshness::Cached { .. }));
    assert_eq!(second.deals.len(), 1_500);
    assert_eq!(second.fetched_at, first.fetched_at);
    assert_eq!(stand_in.requests(), 2);
    // Another dataset, district or month is another question.
    client
        .fetch_month(Dataset::AptRent, GANGNAM, 2022, 1)
        .await
        .unwrap();
    client
        .fetch_month(Dataset::AptTrade, "11650", 2022, 1)
        .await
        .unwrap();
    client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2022, 2)
        .await
        .unwrap();
    assert_eq!(stand_in.requests(), 5);
}

#[tokio::test]
async fn a_month_stored_on_disk_is_known_by_its_size_after_a_restart() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202201", 1_500);
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202202", 10);
    let dir = tempfile::tempdir().unwrap();
    let restarted = || molit_client(&stand_in, Some(KEY)).backed_by(&disk_backing(dir.path()));
    restarted()
        .fetch_month(Dataset::AptTrade, GANGNAM, 2022, 1)
        .await
        .unwrap();
    let expiring = MolitSettings {
        ttl_recent: Duration::ZERO,
        ttl_settled: Duration::ZERO,
        ..MolitSettings::default()
    };
    molit_client_with(&stand_in, Some(KEY), expiring)
        .backed_by(&disk_backing(dir.path()))
        .fetch_month(Dataset::AptTrade, GANGNAM, 2022, 2)
        .await
        .unwrap();
    assert_eq!(stand_in.requests(), 3);

    // A new process knows the stored month's size without asking the gateway...
    let client = restarted();
    let facts = |month| client.cached_facts(Dataset::AptTrade, GANGNAM, 2022, month);
    assert_eq!(
        facts(1).await,
        Some(CachedMonthFacts {
            pages: 2,
            total_count: 1_500
        })
    );
    // ...and counts neither an expired month nor an unknown one as free.
    assert_eq!(facts(2).await, None);
    assert_eq!(facts(3).await, None);
    assert_eq!(stand_in.requests(), 3, "peeking sends nothing");
    let month = client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2022, 1)
        .await
        .unwrap();
    assert!(matches!(month.freshness, Freshness::Cached { .. }));
    assert_eq!((month.upstream_calls, month.deals.len()), (0, 1_500));
    assert_eq!(stand_in.requests(), 3);
}

#[tokio::test]
async fn concurrent_identical_questions_share_one_fetch() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::DetachedHouseTrade, GANGNAM, "202105", 30);
    stand_in.set_latency(Duration::from_millis(100));
    let client = molit_client(&stand_in, Some(KEY));
    let calls = (0..6).map(|_| client.fetch_month(Dataset::DetachedHouseTrade, GANGNAM, 2021, 5));
    let results = futures::future::join_all(calls).await;
    let upstream: u32 = results
        .iter()
        .map(|r| r.as_ref().unwrap().upstream_calls)
        .sum();
    assert_eq!(upstream, 1);
    assert_eq!(stand_in.requests(), 1);
}

#[tokio::test]
async fn errors_are_not_cached() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202006", 5);
    stand_in.fail_next([Fault::key_not_registered(200)]);
    let client = molit_client(&stand_in, Some(KEY));
    let error = client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2020, 6)
        .await
        .unwrap_err();
    assert_eq!(error.gateway_code(), Some(30));
    let month = client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2020, 6)
        .await
        .unwrap();
    assert_eq!(month.deals.len(), 5);
    assert_eq!(stand_in.requests(), 2);
}

#[tokio::test]
async fn a_server_error_or_429_is_retried_once() {
    for status in [500, 503, 429] {
        let stand_in = MolitStandIn::start(KEY).await.unwrap();
        stand_in.put_generated(Kind::CommercialTrade, GANGNAM, "202409", 12);
        stand_in.fail_next([Fault::Status(status)]);
        let month = molit_client(&stand_in, Some(KEY))
            .fetch_month(Dataset::CommercialTrade, GANGNAM, 2024, 9)
            .await
            .unwrap();
        assert_eq!(month.deals.len(), 12);
        assert_eq!(month.upstream_calls, 2, "status {status}");
        assert_eq!(stand_in.requests(), 2);
    }
}

#[tokio::test]
async fn a_persistent_server_error_fails_after_one_retry() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.set_month_fault(Kind::AptTrade, GANGNAM, "202409", Some(Fault::Status(503)));
    let error = molit_client(&stand_in, Some(KEY))
        .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &MolitErrorKind::Status(503));
    assert!(error.to_string().contains("try again"));
    assert_eq!(stand_in.requests(), 2);
}

#[tokio::test]
async fn key_and_quota_errors_are_not_retried() {
    let faults = [
        (Fault::key_not_registered(200), 30),
        (Fault::key_not_registered(403), 30),
        (Fault::quota_exceeded(), 22),
    ];
    for (fault, code) in faults {
        let stand_in = MolitStandIn::start(KEY).await.unwrap();
        stand_in.fail_next([fault.clone()]);
        let error = molit_client(&stand_in, Some(KEY))
            .fetch_month(Dataset::OfficetelRent, GANGNAM, 2024, 9)
            .await
            .unwrap_err();
        assert_eq!(error.gateway_code(), Some(code), "{fault:?}");
        assert_eq!(stand_in.requests(), 1, "{fault:?} was retried");
        let message = error.to_string();
        assert!(!message.contains(KEY) && !message.contains(ENCODED_KEY));
        if code == 30 {
            assert!(message.contains("https://www.data.go.kr/data/15126475/openapi.do"));
        } else {
            assert!(message.contains("midnight Korea time"));
        }
    }
}

#[tokio::test]
async fn a_wrong_key_gets_code_30_with_the_dataset_page() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.set_key_error_status(403);
    let error = molit_client_with(
        &stand_in,
        Some("someone-elses-key"),
        MolitSettings::default(),
    )
    .fetch_month(Dataset::RowHouseRent, GANGNAM, 2024, 9)
    .await
    .unwrap_err();
    assert_eq!(error.gateway_code(), Some(30));
    assert!(error.to_string().contains("15126473"));
    assert!(!error.to_string().contains("someone-elses-key"));
}

#[tokio::test]
async fn a_slow_gateway_times_out_with_a_clear_error() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.fail_next([
        Fault::Slow(Duration::from_secs(3)),
        Fault::Slow(Duration::from_secs(3)),
    ]);
    let client = MolitClient::new(
        http(Duration::from_millis(300)),
        &Url::parse(stand_in.base_url()).unwrap(),
        ApiKey::parse(KEY),
        MolitSettings::default(),
    );
    let error = client
        .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), MolitErrorKind::Timeout(_)));
    assert!(error.to_string().contains("did not answer"));
    assert_eq!(stand_in.requests(), 2);
}

#[tokio::test]
async fn garbage_and_cut_off_answers_are_clear_errors() {
    for fault in [Fault::Garbage, Fault::Truncated] {
        let stand_in = MolitStandIn::start(KEY).await.unwrap();
        stand_in.put_generated(Kind::AptTrade, GANGNAM, "202409", 40);
        stand_in.fail_next([fault.clone()]);
        let error = molit_client(&stand_in, Some(KEY))
            .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), MolitErrorKind::Malformed(_)),
            "{fault:?}"
        );
        assert!(error.to_string().contains("could not be read"));
    }
}

#[tokio::test]
async fn the_encoding_form_of_the_key_works() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202409", 3);
    let month = molit_client_with(&stand_in, Some(ENCODED_KEY), MolitSettings::default())
        .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
        .await
        .unwrap();
    assert_eq!(month.deals.len(), 3);
    assert_eq!(stand_in.requests_with_key(KEY), 1);
}

#[tokio::test]
async fn the_stand_in_refuses_a_key_encoded_twice() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let url = format!(
        "{}/1613000/RTMSDataSvcAptTrade/getRTMSDataSvcAptTrade",
        stand_in.base_url()
    );
    let body = reqwest::Client::new()
        .get(&url)
        .query(&[
            ("serviceKey", ENCODED_KEY),
            ("LAWD_CD", GANGNAM),
            ("DEAL_YMD", "202409"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("<returnReasonCode>30</returnReasonCode>"),
        "{body}"
    );
    assert_eq!(stand_in.requests_with_key(ENCODED_KEY), 1);
}

#[tokio::test]
async fn legacy_success_codes_and_empty_months_are_understood() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.set_style(SuccessStyle::Legacy);
    stand_in.put_generated(Kind::DetachedHouseRent, GANGNAM, "201905", 7);
    let client = molit_client(&stand_in, Some(KEY));
    let month = client
        .fetch_month(Dataset::DetachedHouseRent, GANGNAM, 2019, 5)
        .await
        .unwrap();
    assert_eq!(month.deals.len(), 7);
    let empty = client
        .fetch_month(Dataset::DetachedHouseRent, GANGNAM, 2019, 6)
        .await
        .unwrap();
    assert!(empty.deals.is_empty());
    assert_eq!(
        (empty.total_count, empty.pages, empty.upstream_calls),
        (0, 1, 1)
    );
}

#[tokio::test]
async fn without_a_key_nothing_is_sent() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let error = molit_client_with(&stand_in, None, MolitSettings::default())
        .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &MolitErrorKind::MissingKey);
    assert!(error.to_string().contains("DATA_GO_KR_API_KEY"));
    assert_eq!(stand_in.requests(), 0);
}

#[tokio::test]
async fn quota_use_is_counted_per_key() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.accept_key("second-key");
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202409", 1_001);
    molit_client(&stand_in, Some(KEY))
        .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
        .await
        .unwrap();
    molit_client_with(&stand_in, Some("second-key"), MolitSettings::default())
        .fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9)
        .await
        .unwrap();
    assert_eq!(stand_in.requests_with_key(KEY), 2);
    assert_eq!(stand_in.requests_with_key("second-key"), 2);
}

/// A client whose requests are charged to budgets of `per_caller` and `per_dataset` a day.
fn budgeted(stand_in: &MolitStandIn, per_caller: u64, per_dataset: u64) -> MolitClient {
    let limits = BudgetLimits {
        per_caller: Some(per_caller),
        per_dataset: Some(per_dataset),
    };
    budgeted_molit_client(stand_in, Some(KEY), limits)
}

#[tokio::test]
async fn budgets_count_every_request_sent_retries_included_and_cache_hits_free() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202503", 2_350);
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202504", 10);
    let client = budgeted(&stand_in, 100, 100);
    let alice = CallScope::new("alice");
    let fetch = |month| client.fetch_month(Dataset::AptTrade, GANGNAM, 2025, month);
    alice.run(fetch(3)).await.unwrap();
    assert_eq!(alice.spent(), 3, "three pages");
    alice.run(fetch(3)).await.unwrap();
    assert_eq!(alice.spent(), 3, "the repeat came from the cache");
    stand_in.fail_next([Fault::Status(503)]);
    alice.run(fetch(4)).await.unwrap();
    assert_eq!(alice.spent(), 5, "a retry is a second request");
    let report = client.budget().report(&alice).await;
    assert_eq!(report.caller.left_today, Some(95));
    assert_eq!(report.datasets[0].dataset, "RTMSDataSvcAptTrade");
    assert_eq!(report.datasets[0].usage.spent_today, 5);
    assert_eq!(stand_in.requests(), 5);
}

#[tokio::test]
async fn a_miss_several_callers_wait_for_is_paid_once_by_the_one_that_sent_it() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptRent, GANGNAM, "202402", 30);
    stand_in.set_latency(Duration::from_millis(100));
    let client = budgeted(&stand_in, 100, 100);
    let (alice, bob) = (CallScope::new("alice"), CallScope::new("bob"));
    let fetch = || client.fetch_month(Dataset::AptRent, GANGNAM, 2024, 2);
    let (a, b) = tokio::join!(alice.run(fetch()), bob.run(fetch()));
    assert_eq!(a.unwrap().upstream_calls + b.unwrap().upstream_calls, 1);
    assert_eq!(alice.spent() + bob.spent(), 1);
    let report = client.budget().report(&alice).await;
    assert_eq!(report.datasets[0].usage.spent_today, 1);
    assert_eq!(stand_in.requests(), 1);
}

#[tokio::test]
async fn a_spent_budget_sends_nothing_and_skips_a_retry_it_cannot_cover() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202409", 5);
    let client = budgeted(&stand_in, 1, 100);
    let alice = CallScope::new("alice");
    let fetch = || client.fetch_month(Dataset::AptTrade, GANGNAM, 2024, 9);
    stand_in.fail_next([Fault::Status(503)]);
    let error = alice.run(fetch()).await.unwrap_err();
    assert_eq!(
        error.kind(),
        &MolitErrorKind::Status(503),
        "the first failure is explained"
    );
    assert_eq!(stand_in.requests(), 1, "no retry beyond the budget");
    let error = alice.run(fetch()).await.unwrap_err();
    let MolitErrorKind::OverBudget(over) = error.kind() else {
        panic!("{error}");
    };
    assert_eq!(over.scope, Scope::Caller);
    let text = error.to_string();
    assert!(text.contains("DAILY_BUDGET_PER_CALLER"), "{text}");
    assert!(text.contains("00:00 KST"), "{text}");
    assert_eq!(stand_in.requests(), 1, "nothing was sent");
    // Another caller still has a budget of their own.
    CallScope::new("bob").run(fetch()).await.unwrap();
}

#[tokio::test]
async fn a_month_the_budget_cannot_finish_stops_after_its_first_page() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptRent, GANGNAM, "202409", 2_350);
    let client = budgeted(&stand_in, 100, 2);
    let error = CallScope::new("alice")
        .run(client.fetch_month(Dataset::AptRent, GANGNAM, 2024, 9))
        .await
        .unwrap_err();
    let MolitErrorKind::OverBudget(over) = error.kind() else {
        panic!("{error}");
    };
    assert_eq!((over.needed, over.left), (2, 1));
    assert!(
        error.to_string().contains("needs 2 more requests"),
        "{error}"
    );
    assert_eq!(stand_in.requests(), 1);
}

#[tokio::test]
async fn a_month_that_fails_part_way_reports_the_requests_it_spent() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202503", 2_500);
    stand_in.set_page_fault(
        Kind::AptTrade,
        GANGNAM,
        "202503",
        3,
        Some(Fault::Status(500)),
    );
    let budget = Budget::in_memory(BudgetLimits::default());
    let client = MolitClient::new(
        http(Duration::from_secs(10)).with_budget(budget.clone()),
        &Url::parse(stand_in.base_url()).unwrap(),
        ApiKey::parse(KEY),
        MolitSettings::default(),
    );
    let alice = CallScope::new("alice");
    let error = alice
        .run(client.fetch_month(Dataset::AptTrade, GANGNAM, 2025, 3))
        .await
        .unwrap_err();
    // Page 1, page 2, and page 3 twice (the retry): all sent, all charged.
    assert_eq!(stand_in.requests(), 4);
    assert_eq!(error.upstream_calls(), 4);
    assert_eq!(alice.spent(), 4);
    let message = error.to_string();
    assert!(
        message.contains("4 data.go.kr requests were already sent"),
        "{message}"
    );
    assert!(budget.report(&alice).await.caller.spent_today == 4);

    // Another caller asking later pays again, and is told what it paid.
    let bob = CallScope::new("bob");
    let again = bob
        .run(client.fetch_month(Dataset::AptTrade, GANGNAM, 2025, 3))
        .await
        .unwrap_err();
    assert_eq!((again.upstream_calls(), bob.spent()), (4, 4));
}

#[tokio::test]
async fn inside_a_tool_call_no_request_outlives_its_deadline_and_no_late_retry_is_sent() {
    use real_estate_mcp::upstream::deadline::Deadline;

    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, GANGNAM, "202503", 10);
    let client = molit_client(&stand_in, Some(KEY));
    let within =
        |limit| Deadline::after(limit).run(client.fetch_month(Dataset::AptTrade, GANGNAM, 2025, 3));
    let out_of_time = |error: MolitError| {
        assert!(
            matches!(error.kind(), MolitErrorKind::Deadline(_)),
            "{error}"
        );
        assert!(error.to_string().contains("TOOL_DEADLINE_SECS"), "{error}");
    };

    // A slow answer is cut off at the call's deadline, not the 10 s request timeout.
    stand_in.fail_next([Fault::Slow(Duration::from_secs(4))]);
    out_of_time(within(Duration::from_millis(1_500)).await.unwrap_err());
    assert_eq!(stand_in.requests(), 1, "no retry after the deadline");

    // A failure with too little time left for a useful retry is not retried, and is the
    // failure explained: the portal answered 503, it did not run out of time.
    stand_in.set_latency(Duration::from_millis(700));
    stand_in.fail_next([Fault::Status(503)]);
    let unavailable = within(Duration::from_millis(1_500)).await.unwrap_err();
    assert!(
        matches!(unavailable.kind(), MolitErrorKind::Status(503)),
        "{unavailable}"
    );
    assert_eq!(stand_in.requests(), 2);

    // With time to spare the retry goes out as before.
    stand_in.set_latency(Duration::ZERO);
    stand_in.fail_next([Fault::Status(503)]);
    let month = within(Duration::from_secs(5)).await.unwrap();
    assert_eq!((month.deals.len(), month.upstream_calls), (10, 2));
}
