//! Every way a request can fail, what it costs, and what the person is told.

use std::time::Duration;

use real_estate_mcp::upstream::odcloud::{OdcloudError, Op, Query, StatKind, fields};
use testkit::net::closed_address;
use testkit::odcloud::{Fault, OdcloudStandIn, TEST_KEY};

use crate::helpers::upstream::{TOTAL_TIMEOUT, odcloud_client, odcloud_client_at};

/// Per-request limit of the client in timeout tests; the slow fault waits longer.
const SHORT_TIMEOUT: Duration = Duration::from_millis(400);

const WRONG_KEY: &str = "not+the/right==key";

fn query() -> Query {
    Query::new(1, 10)
}

/// No message may ever show a key, in either form.
fn assert_keyless(error: &OdcloudError) {
    let text = error.to_string();
    for key in [TEST_KEY, WRONG_KEY, "odcloud%2Btest", "not%2Bthe"] {
        assert!(!text.contains(key), "key leaked: {text}");
    }
}

#[tokio::test]
async fn a_wrong_key_is_explained_with_the_dataset_page_and_not_retried() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client_at(&upstream.base_url(), Some(WRONG_KEY), TOTAL_TIMEOUT);
    let notices = client.notices(&query()).await.expect_err("rejected");
    assert!(
        matches!(notices, OdcloudError::KeyRejected { code: Some(-4), .. }),
        "{notices:?}"
    );
    assert!(
        notices
            .to_string()
            .contains("https://www.data.go.kr/data/15098547/openapi.do")
    );
    let stats = client
        .statistics(StatKind::WinnersByAge, &query())
        .await
        .expect_err("rejected");
    assert!(
        stats
            .to_string()
            .contains("https://www.data.go.kr/data/15110812/openapi.do")
    );
    assert_eq!(upstream.requests(), 2, "a key error is never retried");
    assert_keyless(&notices);
    assert_keyless(&stats);
}

#[tokio::test]
async fn without_a_key_nothing_is_sent_and_the_setup_is_explained() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client_at(&upstream.base_url(), None, TOTAL_TIMEOUT);
    assert!(!client.has_key());
    let error = client.notices(&query()).await.expect_err("no key");
    assert_eq!(error, OdcloudError::MissingKey);
    assert!(error.to_string().contains("ODCLOUD_API_KEY"));
    assert_eq!(upstream.requests(), 0);
}

#[tokio::test]
async fn a_key_that_cannot_be_a_header_is_refused_before_sending() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client_at(&upstream.base_url(), Some("abc\u{7}def"), TOTAL_TIMEOUT);
    let error = client.notices(&query()).await.expect_err("unusable");
    assert_eq!(error, OdcloudError::UnusableKey);
    assert_eq!(upstream.requests(), 0);
}

#[tokio::test]
async fn rate_limiting_is_retried_once_then_explained() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_with(Fault::RateLimited);
    let error = odcloud_client(&upstream)
        .notices(&query())
        .await
        .expect_err("429");
    assert_eq!(
        error,
        OdcloudError::RateLimited {
            retry_after: Some(7)
        }
    );
    assert!(error.to_string().contains("midnight KST"));
    assert_eq!(upstream.requests(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_once_then_explained() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_with(Fault::ServerError);
    let client = odcloud_client(&upstream);
    let error = client.notices(&query()).await.expect_err("503");
    assert_eq!(error, OdcloudError::Unavailable { status: 503 });
    assert_eq!(upstream.requests(), 2);
    assert_eq!(client.upstream_calls(), 2);
}

#[tokio::test]
async fn a_passing_fault_is_absorbed_by_the_retry_and_counted() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_times(Fault::ServerError, 1);
    let answer = odcloud_client(&upstream)
        .notices(&query())
        .await
        .expect("second try works");
    assert_eq!(answer.upstream_calls, 2);
    assert_eq!(upstream.requests(), 2);
}

#[tokio::test]
async fn errors_are_not_cached() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_times(Fault::ServerError, 2);
    let client = odcloud_client(&upstream);
    client.notices(&query()).await.expect_err("both tries fail");
    let answer = client
        .notices(&query())
        .await
        .expect("asked again, it works");
    assert_eq!(answer.upstream_calls, 1);
    assert_eq!(upstream.requests(), 3);
}

#[tokio::test]
async fn a_slow_service_times_out_after_one_retry() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_with(Fault::Slow(SHORT_TIMEOUT + Duration::from_millis(400)));
    let client = odcloud_client_at(&upstream.base_url(), Some(TEST_KEY), SHORT_TIMEOUT);
    let error = client.notices(&query()).await.expect_err("slow");
    assert_eq!(
        error,
        OdcloudError::Timeout {
            after: SHORT_TIMEOUT
        }
    );
    assert!(error.to_string().contains("second try"));
    assert_eq!(upstream.requests(), 2);
}

#[tokio::test]
async fn garbage_with_a_success_status_is_explained_not_read_as_empty() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    upstream.fail_with(Fault::Garbage);
    let error = odcloud_client(&upstream)
        .notices(&query())
        .await
        .expect_err("garbage");
    assert!(matches!(error, OdcloudError::Garbage { .. }), "{error:?}");
    assert_eq!(upstream.requests(), 1, "a 200 is never retried");
}

#[tokio::test]
async fn a_wrong_base_url_names_the_setting() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client_at(
        &format!("{}/v9", upstream.base_url()),
        Some(TEST_KEY),
        TOTAL_TIMEOUT,
    );
    let error = client.notices(&query()).await.expect_err("unknown service");
    assert!(
        matches!(error, OdcloudError::UnknownService { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("ODCLOUD_BASE_URL"));
}

#[tokio::test]
async fn an_unreachable_service_is_explained() {
    let closed = closed_address().unwrap();
    let client = odcloud_client_at(
        &format!("http://{closed}/api"),
        Some(TEST_KEY),
        TOTAL_TIMEOUT,
    );
    let error = client.notices(&query()).await.expect_err("nobody listens");
    assert!(
        matches!(error, OdcloudError::Unreachable { .. }),
        "{error:?}"
    );
    assert_keyless(&error);
}

#[tokio::test]
async fn any_other_refusal_repeats_the_services_words() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    // The age tables are nationwide: the service has no region filter for them.
    let bad = Query::new(1, 10).with(fields::SUBSCRPT_AREA_CODE, Op::Eq, "100");
    let error = odcloud_client(&upstream)
        .statistics(StatKind::ApplicantsByAge, &bad)
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            OdcloudError::Refused {
                status: 400,
                code: Some(-2),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("SUBSCRPT_AREA_CODE::EQ"));
    assert_keyless(&error);
}
