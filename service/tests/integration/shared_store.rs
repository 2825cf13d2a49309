//! Replicas sharing one Redis (`CACHE_URL`), against a real `redis-server`: answers, budgets
//! and in-flight fetches are shared; an unreachable Redis stops the start with a message that
//! says what to do, and one that goes away mid-run costs answers nothing.

use std::time::Duration;

use real_estate_mcp::{config, startup::Application};
use serde_json::{Value, json};
use testkit::molit::{Kind, MolitStandIn};
use testkit::redis::RedisServer;

use crate::helpers::app::{TestApp, spawn_app};

const KEY: &str = "shared-store-key";

/// Months no replica has fetched before Redis comes back: one per try of
/// `redis_going_away_mid_run_costs_no_answer` while the replicas reconnect.
const AFTER_THE_OUTAGE: [&str; 6] = ["202410", "202411", "202412", "202501", "202502", "202503"];

/// Two servers on one Redis, as two replicas behind Caddy.
async fn replicas(
    redis: &RedisServer,
    stand_in: &MolitStandIn,
    extra: &[(&str, &str)],
) -> (TestApp, TestApp) {
    let url = redis.url();
    let mut settings = vec![
        ("data_go_kr_base_url", stand_in.base_url()),
        ("data_go_kr_api_key", KEY),
        ("cache_url", url.as_str()),
    ];
    settings.extend_from_slice(extra);
    (spawn_app(&settings).await, spawn_app(&settings).await)
}

fn month(year_month: &str) -> Value {
    json!({"region_code": "11440", "year_month": year_month})
}

async fn stand_in() -> MolitStandIn {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    for month in ["202407", "202408", "202409"]
        .into_iter()
        .chain(AFTER_THE_OUTAGE)
    {
        stand_in.put_generated(Kind::AptTrade, "11440", month, 10);
    }
    stand_in
}

#[tokio::test]
async fn a_month_one_replica_fetched_costs_the_other_nothing() {
    let redis = RedisServer::start().unwrap();
    let stand_in = stand_in().await;
    let (a, b) = replicas(&redis, &stand_in, &[]).await;
    let first = a.call_tool("get_apartment_trades", month("202407")).await;
    assert_eq!(first["structuredContent"]["source"]["upstream_calls"], 1);
    let second = b.call_tool("get_apartment_trades", month("202407")).await;
    assert_eq!(second["structuredContent"]["source"]["upstream_calls"], 0);
    assert_eq!(
        second["structuredContent"]["transactions"], first["structuredContent"]["transactions"],
        "the same answer"
    );
    assert_eq!(stand_in.requests(), 1);
    let page = b.get("/metrics").await.text().await.unwrap();
    assert!(page.contains(r#"cache_store="redis""#), "{page}");
    assert!(page.contains(r#"result="disk_hit""#), "{page}");
    let summary = status_of(&b).await;
    assert!(
        summary.contains("shared with the other replicas in redis://127.0.0.1"),
        "{summary}"
    );
    assert!(summary.contains("in Redis"), "{summary}");
}

#[tokio::test]
async fn the_budget_is_one_across_replicas() {
    let redis = RedisServer::start().unwrap();
    let stand_in = stand_in().await;
    let (a, b) = replicas(&redis, &stand_in, &[("daily_budget_per_caller", "2")]).await;
    let mut answer = Value::Null;
    for (app, year_month) in [(&a, "202407"), (&b, "202408")] {
        answer = app
            .call_tool("get_apartment_trades", month(year_month))
            .await;
        assert_ne!(answer["isError"], true, "{answer}");
    }
    let refused = a.call_tool("get_apartment_trades", month("202409")).await;
    assert_eq!(refused["isError"], true, "{refused}");
    let text = refused["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("DAILY_BUDGET_PER_CALLER"), "{text}");
    assert_eq!(stand_in.requests(), 2);
    // Today's requests are one figure: what the last answer's `source.budget` says, on both
    // replicas' pages and in `status`, at once (each replica sent one of the two).
    let datasets = &answer["structuredContent"]["source"]["budget"]["datasets"];
    assert_eq!(datasets[0]["dataset"], "RTMSDataSvcAptTrade", "{answer}");
    assert_eq!(datasets[0]["spent_today"], 2, "{answer}");
    for app in [&a, &b] {
        assert_eq!(requests_today(app).await, Some(2.0));
        let summary = status_of(app).await;
        let squeezed = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            summary
                .lines()
                .any(|l| squeezed(l) == "RTMSDataSvcAptTrade 2"),
            "{summary}"
        );
    }
}

/// What `real-estate-mcp status` prints for `app`.
async fn status_of(app: &TestApp) -> String {
    let page = app.get("/metrics").await.text().await.unwrap();
    let figures = real_estate_mcp::status::Figures::new(real_estate_mcp::status::parse(&page));
    let mut summary = Vec::new();
    real_estate_mcp::status::write(&mut summary, &figures, real_estate_mcp::kst::today()).unwrap();
    String::from_utf8(summary).unwrap()
}

/// Today's requests to the apartment-trade dataset as `app`'s `/metrics` shows them.
async fn requests_today(app: &TestApp) -> Option<f64> {
    app.metric(
        "real_estate_mcp_upstream_requests_today",
        &[("dataset", "RTMSDataSvcAptTrade")],
    )
    .await
}

#[tokio::test]
async fn today_s_requests_are_one_figure_even_while_a_request_is_in_flight() {
    let redis = RedisServer::start().unwrap();
    let stand_in = stand_in().await;
    stand_in.set_latency(Duration::from_millis(1500));
    let (a, b) = replicas(&redis, &stand_in, &[]).await;
    let (answer, ()) = tokio::join!(
        a.call_tool("get_apartment_trades", month("202407")),
        async {
            // The portal holds the request it received (the budget charged it before it was
            // sent): both replicas count it already, as the budgets do.
            let arrived = async {
                while stand_in.requests() == 0 {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            };
            tokio::time::timeout(Duration::from_secs(10), arrived)
                .await
                .expect("the call reached the portal within 10 s");
            assert_eq!(requests_today(&a).await, Some(1.0), "the sending replica");
            assert_eq!(requests_today(&b).await, Some(1.0), "the other replica");
        }
    );
    let datasets = &answer["structuredContent"]["source"]["budget"]["datasets"];
    assert_eq!(datasets[0]["spent_today"], 1, "{answer}");
    assert_eq!(requests_today(&b).await, Some(1.0));
}

#[tokio::test]
async fn replicas_asking_for_one_month_at_once_send_one_request() {
    let redis = RedisServer::start().unwrap();
    let stand_in = stand_in().await;
    stand_in.set_latency(Duration::from_millis(400));
    let (a, b) = replicas(&redis, &stand_in, &[]).await;
    let (first, second) = tokio::join!(
        a.call_tool("get_apartment_trades", month("202407")),
        b.call_tool("get_apartment_trades", month("202407")),
    );
    for answer in [&first, &second] {
        assert_ne!(answer["isError"], true, "{answer}");
    }
    assert_eq!(
        stand_in.requests(),
        1,
        "one replica waited for the other's fetch"
    );
}

#[tokio::test]
async fn an_unreachable_redis_stops_the_start_and_says_what_to_do() {
    let closed = testkit::net::closed_address().unwrap();
    let sources = ::config::Config::builder()
        .set_override("listen_addr", "127.0.0.1:0")
        .unwrap()
        .set_override("cache_url", format!("redis://:secret-pw@{closed}"))
        .unwrap()
        .build()
        .unwrap();
    let error = match Application::build(config::from_sources(&sources).unwrap()).await {
        Ok(_) => panic!("a server started without its shared store"),
        Err(error) => format!("{error:#}"),
    };
    assert!(error.contains("CACHE_URL"), "{error}");
    // The fix names the compose file that starts the shared cache, and that file exists.
    assert!(error.contains("-f docker-compose.replicas.yml"), "{error}");
    let compose =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docker-compose.replicas.yml");
    assert!(compose.is_file(), "{}", compose.display());
    assert!(!error.contains("secret-pw"), "{error}");
}

#[tokio::test]
async fn redis_going_away_mid_run_costs_no_answer() {
    let mut redis = RedisServer::start().unwrap();
    let stand_in = stand_in().await;
    // A budget that outlasts every try below (each may cost two requests).
    let (a, b) = replicas(&redis, &stand_in, &[("daily_budget_per_caller", "20")]).await;
    let answer = a.call_tool("get_apartment_trades", month("202407")).await;
    assert_ne!(answer["isError"], true, "{answer}");
    redis.stop();
    for year_month in ["202408", "202409"] {
        let asked = std::time::Instant::now();
        let answer = a.call_tool("get_apartment_trades", month(year_month)).await;
        assert_ne!(answer["isError"], true, "{answer}");
        assert_eq!(answer["structuredContent"]["source"]["upstream_calls"], 1);
        // Not a benchmark: the gap between waiting on Redis at every step (seconds) and
        // trying it once a second (a fraction of one).
        assert!(
            asked.elapsed() < Duration::from_millis(2500),
            "{:?}",
            asked.elapsed()
        );
    }
    let failures = a
        .metric("real_estate_mcp_cache_store_failures_total", &[])
        .await;
    assert!(failures.is_some_and(|n| n > 0.0), "{failures:?}");
    // Once Redis is back, the replicas share again: a month `a` fetches for the first time
    // costs `b` nothing. They reconnect within a second or so (each tries once a second), so
    // each try takes a month neither has seen, within a bounded time.
    redis.restart().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut tries = Vec::new();
    for year_month in AFTER_THE_OUTAGE {
        let fetched = a.call_tool("get_apartment_trades", month(year_month)).await;
        assert_eq!(
            fetched["structuredContent"]["source"]["upstream_calls"], 1,
            "{fetched}"
        );
        let sent = stand_in.requests();
        let shared = b.call_tool("get_apartment_trades", month(year_month)).await;
        assert_ne!(shared["isError"], true, "{shared}");
        let calls = shared["structuredContent"]["source"]["upstream_calls"].clone();
        tries.push(format!("{year_month}: b sent {calls}"));
        if calls == 0 {
            assert_eq!(stand_in.requests(), sent, "b asked the portal nothing");
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{tries:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    panic!("the replicas did not share again after Redis came back: {tries:?}");
}
