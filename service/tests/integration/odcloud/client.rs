//! What the client sends, how it pages, and what it caches.

use real_estate_mcp::{
    cache::{Freshness, StaleReason},
    upstream::odcloud::{Op, Query, StatKind, fields},
};
use testkit::odcloud::{Fault, KeyVia, OdcloudStandIn, TEST_KEY, data};

use crate::helpers::upstream::{
    TOTAL_TIMEOUT, disk_backing, expiring_odcloud_client, odcloud_client, odcloud_client_at,
};

#[tokio::test]
async fn the_key_travels_in_the_infuser_header_and_never_in_the_url() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let answer = odcloud_client(&upstream)
        .notices(&Query::new(1, 3))
        .await
        .expect("notices");
    assert_eq!(answer.page.rows.len(), 3);
    let seen = upstream.last().expect("a request");
    assert_eq!(
        seen.path,
        "/api/ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancDetail"
    );
    assert_eq!(seen.key_via, Some(KeyVia::Header));
    assert!(seen.key_ok);
    assert_eq!(seen.param("serviceKey"), None);
    assert!(seen.params.iter().all(|(_, v)| !v.contains(TEST_KEY)));
    assert_eq!(seen.param("returnType"), Some("JSON"));
    assert_eq!(seen.param("page"), Some("1"));
    assert_eq!(seen.param("perPage"), Some("3"));
}

#[tokio::test]
async fn the_portals_encoding_form_of_the_key_works_too() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let encoded = "odcloud%2Btest%2Fkey%3D%3D";
    let answer = odcloud_client_at(&upstream.base_url(), Some(encoded), TOTAL_TIMEOUT)
        .notices(&Query::new(1, 1))
        .await;
    assert!(answer.is_ok(), "{answer:?}");
    assert!(upstream.last().is_some_and(|s| s.key_ok));
}

#[tokio::test]
async fn filters_reach_the_service_decoded_exactly_once() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let query = Query::new(1, 50)
        .with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "서울")
        .with(fields::HSSPLY_ADRES, Op::Like, "서초구 방배동")
        .with(fields::RCRIT_PBLANC_DE, Op::Gte, "2025-01-01")
        .with(fields::RCRIT_PBLANC_DE, Op::Lte, "2025-03-31");
    let answer = odcloud_client(&upstream)
        .notices(&query)
        .await
        .expect("notices");
    let seen = upstream.last().expect("a request");
    assert_eq!(seen.param("cond[SUBSCRPT_AREA_CODE_NM::EQ]"), Some("서울"));
    assert_eq!(
        seen.param("cond[HSSPLY_ADRES::LIKE]"),
        Some("서초구 방배동")
    );
    assert_eq!(seen.param("cond[RCRIT_PBLANC_DE::GTE]"), Some("2025-01-01"));
    assert_eq!(seen.param("cond[RCRIT_PBLANC_DE::LTE]"), Some("2025-03-31"));
    let names: Vec<_> = answer
        .page
        .rows
        .iter()
        .filter_map(|r| r.house_nm.get())
        .collect();
    assert_eq!(names, ["방배 더 리버파크 자이"]);
    assert_eq!(answer.page.match_count, 1);
    assert_eq!(answer.page.total_count, data::notices().len() as u64);
}

#[tokio::test]
async fn pages_follow_page_and_per_page() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let first = client.notices(&Query::new(1, 5)).await.expect("page 1");
    let third = client.notices(&Query::new(3, 5)).await.expect("page 3");
    let all = data::notices();
    let id = |v: &serde_json::Value| v["HOUSE_MANAGE_NO"].as_str().map(str::to_owned);
    let first_ids: Vec<_> = first
        .page
        .rows
        .iter()
        .map(|r| r.house_manage_no.get().map(str::to_owned))
        .collect();
    let expected: Vec<_> = all[..5].iter().map(id).collect();
    assert_eq!(first_ids, expected);
    assert_eq!(third.page.rows.len(), all.len() - 10);
    assert_eq!(third.page.page, 3);
}

#[tokio::test]
async fn a_repeated_question_costs_no_second_call() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let query = Query::new(1, 20).with(fields::STAT_DE, Op::Eq, "202503");
    let first = client
        .statistics(StatKind::CompetitionByRegion, &query)
        .await
        .expect("first");
    let second = client
        .statistics(StatKind::CompetitionByRegion, &query)
        .await
        .expect("second");
    assert_eq!(upstream.requests(), 1);
    assert_eq!(client.upstream_calls(), 1);
    assert_eq!(first.freshness, Freshness::Live);
    assert_eq!(first.upstream_calls, 1);
    assert!(matches!(second.freshness, Freshness::Cached { .. }));
    assert_eq!(second.upstream_calls, 0);
    assert_eq!(first.page, second.page);

    // A different table, page or filter is a different question.
    client
        .statistics(StatKind::WinnersByRegion, &query)
        .await
        .expect("other kind");
    client
        .statistics(StatKind::CompetitionByRegion, &Query::new(2, 20))
        .await
        .expect("other page");
    assert_eq!(upstream.requests(), 3);
}

#[tokio::test]
async fn filter_order_does_not_split_the_cache() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let filters = [
        (fields::HOUSE_NM, Op::Like, "자이"),
        (fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "서울"),
        (fields::RCRIT_PBLANC_DE, Op::Gte, "2025-01-01"),
    ];
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let query = order.iter().fold(Query::new(1, 10), |query, &i| {
            let (field, op, value) = filters[i];
            query.with(field, op, value)
        });
        client.notices(&query).await.expect("notices");
    }
    assert_eq!(upstream.requests(), 1);
}

#[tokio::test]
async fn identical_questions_asked_together_share_one_call() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_with(testkit::odcloud::Fault::Slow(
        std::time::Duration::from_millis(100),
    ));
    let client = odcloud_client(&upstream);
    let query = Query::new(1, 10).with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "경기");
    let asks = (0..6).map(|_| client.notices(&query));
    let answers = futures::future::join_all(asks).await;
    assert!(answers.iter().all(Result::is_ok));
    assert_eq!(upstream.requests(), 1);
}

#[tokio::test]
async fn every_statistics_table_is_served_and_read() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    for kind in StatKind::ALL {
        let answer = client
            .statistics(
                kind,
                &Query::new(1, 1000).with(fields::STAT_DE, Op::Eq, "202502"),
            )
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let expected = data::statistics(kind.operation()).expect("known table");
        let in_month = expected.iter().filter(|r| r["STAT_DE"] == "202502").count();
        assert_eq!(answer.page.rows.len(), in_month, "{kind:?}");
        assert!(
            answer
                .page
                .rows
                .iter()
                .all(|r| r.stat_de.get() == Some("202502"))
        );
    }
}

#[tokio::test]
async fn a_restarted_client_answers_from_the_store_without_a_request() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backed = || odcloud_client(&upstream).backed_by(&disk_backing(dir.path()));
    let query = Query::new(1, 5);
    let first = backed().notices(&query).await.expect("notices");
    assert_eq!(first.freshness, Freshness::Live);
    let again = backed().notices(&query).await.expect("notices");
    assert!(matches!(again.freshness, Freshness::Cached { .. }));
    assert_eq!(again.upstream_calls, 0);
    assert_eq!(again.page, first.page);
    assert_eq!(upstream.requests(), 1);
}

#[tokio::test]
async fn an_expired_page_answers_while_the_service_fails() {
    for (fault, reason) in [
        (Fault::ServerError, StaleReason::Unavailable),
        (Fault::RateLimited, StaleReason::RateLimited),
        (Fault::Garbage, StaleReason::Unreadable),
    ] {
        let upstream = OdcloudStandIn::start().await.unwrap();
        let client = expiring_odcloud_client(&upstream);
        let query = Query::new(1, 5);
        let fresh = client.notices(&query).await.expect("notices");
        upstream.fail_with(fault);
        let stale = client.notices(&query).await.expect("an expired page");
        assert!(
            matches!(stale.freshness, Freshness::Stale { reason: r, .. } if r == reason),
            "{:?}",
            stale.freshness
        );
        assert_eq!(stale.page, fresh.page);
    }
}
