//! Fault injection at the data services, seen from an MCP client: the real server on
//! loopback in front of the MOLIT and Applyhome stand-ins, with `UPSTREAM_TIMEOUT_SECS` at
//! its minimum. Whatever the services do (hang, fail, throttle, send garbage or half an
//! answer, flap), every tool call must end within its deadline as a tool error a person can
//! act on, the process must stay healthy, and the cache must only ever hold good answers.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use futures::future::join_all;
use serde_json::{Value, json};
use testkit::{
    molit::{Fault, Kind},
    odcloud::{self, TEST_KEY},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::stand_ins::{AppWithStandIns, spawn_with_stand_ins};

const KEY: &str = "faults+key/==";
const DISTRICT: &str = "11680";

/// Two attempts of one second each, the retry backoff, and slack for a busy CI machine.
const DEADLINE: Duration = Duration::from_secs(5);

/// Both stand-ins behind the server, each service with its own key, and the upstream timeout
/// at its minimum.
async fn stack() -> AppWithStandIns {
    spawn_with_stand_ins(
        KEY,
        &[
            ("odcloud_api_key", TEST_KEY),
            ("upstream_timeout_secs", "1"),
            ("upstream_connect_timeout_secs", "1"),
            ("tool_calls_per_minute", "0"),
        ],
    )
    .await
}

/// One tool call through `/mcp`: its `result` and how long it took.
async fn timed(app: &TestApp, tool: &str, arguments: Value) -> (Value, Duration) {
    let started = Instant::now();
    let result = app.call_tool(tool, arguments).await;
    (result, started.elapsed())
}

async fn trades(app: &TestApp, month: &str) -> (Value, Duration) {
    let arguments = json!({"region_code": DISTRICT, "year_month": month, "limit": 0});
    timed(app, "get_apartment_trades", arguments).await
}

fn error_text(result: &Value) -> Option<&str> {
    (result["isError"] == true).then(|| result["content"][0]["text"].as_str().unwrap_or_default())
}

/// Asserts a successful transaction answer with `deals` deals, and whether it came from
/// the cache.
fn assert_month(result: &Value, deals: u64, cached: bool) {
    assert_eq!(error_text(result), None, "{result}");
    let out = &result["structuredContent"];
    assert_eq!(out["summary"]["deals_in_month"], deals, "{out}");
    assert_eq!(out["source"]["cached"], cached, "{out}");
    if !cached {
        assert!(out["source"]["upstream_calls"].as_u64() > Some(0), "{out}");
    }
}

async fn assert_healthy(app: &TestApp) {
    assert_eq!(app.get("/healthz").await.status(), 200);
    let listed = app.modern("tools/list", None, json!({})).await;
    assert_eq!(listed.status(), 200);
}

struct Case {
    month: &'static str,
    fault: Fault,
    /// A phrase the tool error must contain.
    says: &'static str,
    /// Requests the fault may cost: 2 for what is worth one retry, 1 for what is not.
    requests: u32,
}

#[tokio::test]
async fn every_molit_fault_is_a_timely_tool_error_and_never_cached() {
    let AppWithStandIns { app, molit, .. } = stack().await;
    let cases = [
        ("202401", Fault::Status(500), "HTTP 500", 2),
        ("202402", Fault::Status(503), "HTTP 503", 2),
        ("202403", Fault::Status(429), "HTTP 429", 2),
        ("202404", Fault::Garbage, "could not be read", 1),
        ("202405", Fault::Truncated, "could not be read", 1),
        (
            "202406",
            Fault::Slow(Duration::from_secs(3)),
            "did not answer within",
            2,
        ),
        ("202407", Fault::quota_exceeded(), "quota", 1),
    ]
    .map(|(month, fault, says, requests)| Case {
        month,
        fault,
        says,
        requests,
    });
    let runs = cases.iter().enumerate().map(|(i, case)| {
        let (app, molit) = (&app, &molit);
        async move {
            let deals = 20 + i as u32;
            molit.put_generated(Kind::AptTrade, DISTRICT, case.month, deals);
            molit.set_month_fault(
                Kind::AptTrade,
                DISTRICT,
                case.month,
                Some(case.fault.clone()),
            );
            let (failed, took) = trades(app, case.month).await;
            let text = error_text(&failed).unwrap_or_else(|| panic!("{:?}: {failed}", case.fault));
            assert!(text.contains(case.says), "{:?}: {text}", case.fault);
            assert!(
                !text.contains(KEY) && !text.contains("faults%2Bkey"),
                "{text}"
            );
            assert!(took < DEADLINE, "{:?} took {took:?}", case.fault);
            let spent = molit.requests_for(Kind::AptTrade, DISTRICT, case.month);
            assert_eq!(spent, case.requests, "{:?}", case.fault);

            // The failure was not remembered: once the service heals the answer is live,
            // complete, and only then cached.
            molit.set_month_fault(Kind::AptTrade, DISTRICT, case.month, None);
            let (live, _) = trades(app, case.month).await;
            assert_month(&live, u64::from(deals), false);
            let (again, _) = trades(app, case.month).await;
            assert_month(&again, u64::from(deals), true);
            let after = molit.requests_for(Kind::AptTrade, DISTRICT, case.month);
            assert_eq!(
                after,
                spent + 1,
                "{:?}: the cached answer cost a request",
                case.fault
            );
        }
    });
    join_all(runs).await;
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_month_that_fails_part_way_is_never_cached_in_part() {
    let AppWithStandIns { app, molit, .. } = stack().await;
    // 1,500 deals: two pages of 1,000. Page 1 is served, page 2 fails twice.
    molit.put_generated(Kind::AptTrade, DISTRICT, "202310", 1_500);
    let served = Fault::Slow(Duration::ZERO);
    molit.fail_next([served.clone(), Fault::Status(502), Fault::Status(502)]);
    let (failed, took) = trades(&app, "202310").await;
    assert!(
        error_text(&failed).is_some_and(|t| t.contains("HTTP 502")),
        "{failed}"
    );
    assert!(took < DEADLINE, "took {took:?}");

    // A cut-off second page is not retried: it fails the month at once instead of the
    // month being summarised as if it were smaller.
    molit.put_generated(Kind::AptTrade, DISTRICT, "202311", 1_500);
    molit.fail_next([served, Fault::Truncated]);
    let (cut, _) = trades(&app, "202311").await;
    assert!(
        error_text(&cut).is_some_and(|t| t.contains("could not be read")),
        "{cut}"
    );
    assert_eq!(molit.requests(), 5);

    for month in ["202310", "202311"] {
        let (whole, _) = trades(&app, month).await;
        assert_month(&whole, 1_500, false);
        assert_eq!(whole["structuredContent"]["source"]["pages"], 2);
        assert_month(&trades(&app, month).await.0, 1_500, true);
    }
    assert_healthy(&app).await;
}

#[tokio::test]
async fn a_flapping_service_gives_right_answers_or_clear_errors_never_wrong_ones() {
    let AppWithStandIns { app, molit, .. } = stack().await;
    let months: Vec<String> = (1..=12).map(|m| format!("2022{m:02}")).collect();
    for (i, month) in months.iter().enumerate() {
        molit.put_generated(Kind::AptTrade, DISTRICT, month, 10 + i as u32);
    }
    let deals = |i: usize| 10 + i as u64;
    // One failure is absorbed by the retry and costs a second request.
    molit.fail_next([Fault::Status(503)]);
    let (absorbed, _) = trades(&app, &months[0]).await;
    assert_month(&absorbed, deals(0), false);
    assert_eq!(absorbed["structuredContent"]["source"]["upstream_calls"], 2);

    // Every other request fails, in each way the service fails, while twelve questions
    // arrive together: each answer is either the right month or a clear error.
    let mut pattern = Vec::new();
    for fault in [
        Fault::Status(503),
        Fault::Garbage,
        Fault::Status(429),
        Fault::Truncated,
    ] {
        pattern.extend([fault, Fault::Slow(Duration::ZERO)]);
    }
    molit.fail_next(pattern.iter().cycle().take(24).cloned());
    let answers = join_all(months.iter().map(|month| trades(&app, month))).await;
    let mut served = 0;
    for (i, (result, took)) in answers.iter().enumerate() {
        assert!(*took < DEADLINE, "{} took {took:?}", months[i]);
        match error_text(result) {
            Some(text) => assert!(text.contains("data.go.kr"), "{text}"),
            None => {
                let summary = &result["structuredContent"]["summary"];
                assert_eq!(summary["deals_in_month"], deals(i), "{result}");
                served += 1;
            }
        }
    }
    assert!(served > 0, "the retries should have saved some answers");

    // The service recovers once the queued faults are spent: every month then converges
    // to its right answer, and none is stuck on a remembered failure.
    for (i, month) in months.iter().enumerate() {
        let mut answer = None;
        for _ in 0..8 {
            let (result, _) = trades(&app, month).await;
            if error_text(&result).is_none() {
                answer = Some(result);
                break;
            }
        }
        let result = answer.unwrap_or_else(|| panic!("{month} never recovered"));
        let summary = &result["structuredContent"]["summary"];
        assert_eq!(summary["deals_in_month"], deals(i), "{result}");
    }
    assert_healthy(&app).await;
}

#[tokio::test]
async fn every_applyhome_fault_is_a_timely_tool_error_and_never_cached() {
    let AppWithStandIns { app, odcloud, .. } = stack().await;
    let notices = || timed(&app, "get_apt_subscription_info", json!({"region": "서울"}));
    let cases = [
        (odcloud::Fault::RateLimited, "HTTP 429", 2),
        (odcloud::Fault::ServerError, "HTTP 503", 2),
        (odcloud::Fault::Garbage, "other than the expected data", 1),
        (
            odcloud::Fault::Slow(Duration::from_secs(3)),
            "did not answer within",
            2,
        ),
    ];
    for (fault, says, requests) in cases {
        let before = odcloud.requests();
        odcloud.fail_with(fault);
        let (failed, took) = notices().await;
        let text = error_text(&failed).unwrap_or_else(|| panic!("{fault:?}: {failed}"));
        assert!(text.contains(says), "{fault:?}: {text}");
        assert!(!text.contains(TEST_KEY), "{text}");
        assert!(took < DEADLINE, "{fault:?} took {took:?}");
        assert_eq!(odcloud.requests() - before, requests, "{fault:?}");
        odcloud.heal();
    }
    let (live, _) = notices().await;
    assert_eq!(error_text(&live), None, "{live}");
    assert_eq!(live["structuredContent"]["source"]["cached"], false);
    assert!(live["structuredContent"]["total_count"].as_u64() > Some(0));
    let (cached, _) = notices().await;
    assert_eq!(cached["structuredContent"]["source"]["cached"], true);
    assert_eq!(
        cached["structuredContent"]["notices"],
        live["structuredContent"]["notices"]
    );
    assert_healthy(&app).await;
}

/// A data service that answers 200 and then sends filler until the client hangs up,
/// optionally announcing a size first. Returns its base URL and the bytes it managed to send.
async fn endless_service(announced: Option<u64>) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&sent);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let length =
                    announced.map_or(String::new(), |n| format!("Content-Length: {n}\r\n"));
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n{length}Connection: close\r\n\r\n<response>"
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let filler = vec![b' '; 64 * 1024];
                while socket.write_all(&filler).await.is_ok() {
                    counter.fetch_add(filler.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (base, sent)
}

#[tokio::test]
async fn an_endless_answer_is_cut_off_instead_of_filling_memory() {
    for announced in [None, Some(1 << 40)] {
        let (base, sent) = endless_service(announced).await;
        let app = spawn_app(&[
            ("data_go_kr_base_url", base.as_str()),
            ("data_go_kr_api_key", KEY),
            ("upstream_timeout_secs", "5"),
        ])
        .await;
        let (failed, took) = trades(&app, "202401").await;
        let text = error_text(&failed).unwrap_or_else(|| panic!("{failed}"));
        assert!(text.contains("larger than"), "{announced:?}: {text}");
        assert!(took < DEADLINE, "{announced:?} took {took:?}");
        let read = sent.load(Ordering::Relaxed);
        assert!(
            read < 64 << 20,
            "{announced:?}: {read} bytes were sent before the cut"
        );
        assert_healthy(&app).await;
    }
}
