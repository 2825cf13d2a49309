//! The service restarting under Caddy while clients keep calling: the real binary behind the
//! real Caddy and the project's Caddyfile in guarded mode, killed (SIGKILL) and started again
//! on the same port. Meanwhile Caddy answers 502 and never lets an unauthenticated call
//! through; once the service is back, the same tokens and the same client go on without
//! re-initialising, because the protocol keeps no session and the new process fetches the
//! provider's keys again by itself. And the cache outlives the process: a question asked
//! again after the restart costs the data portal nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::caddy::Caddy;
use crate::support::mcp::{LEGACY, LOAN_FIRST_PAYMENT, McpClient, loan_arguments};
use crate::support::scratch::Scratch;
use crate::support::service::{self, Service};
use crate::support::stack::{
    CLIENT_SECRET, Stack, StackSetup, guarded_env, open_env, request_token,
};
use serde_json::{Value, json};
use testkit::molit::{Kind, MolitStandIn};
use testkit::oidc::OidcProvider;
use tokio::task::JoinHandle;

/// A token from the service's own client-credentials grant, through Caddy.
async fn issued_token(caddy: &Caddy) -> String {
    let answer = request_token(caddy, CLIENT_SECRET).await.unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// A `tools/call` in the 2025-11-25 revision, as a client that initialised once sends it:
/// its status and body. Caddy itself must always answer.
async fn loan_call(client: &McpClient) -> (u16, Value) {
    let params = json!({"name": "calculate_loan_payment", "arguments": loan_arguments()});
    let answer = client
        .legacy(Some(LEGACY), "tools/call", params)
        .await
        .unwrap_or_else(|error| panic!("Caddy itself did not answer: {error}"));
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

fn assert_loan_answer(body: &Value) {
    let payment = &body["result"]["structuredContent"]["first_month_payment_manwon"];
    assert_eq!(*payment, json!(LOAN_FIRST_PAYMENT), "{body}");
}

/// What one calling client saw, in order, with when it saw it.
type Seen = Arc<Mutex<Vec<(Instant, u16)>>>;

/// Calls the loan tool in a loop until `stop`, recording every status; the handle carries
/// any assertion that failed inside the loop.
fn keep_calling(client: McpClient, stop: &Arc<AtomicBool>) -> (Seen, JoinHandle<()>) {
    let seen: Seen = Arc::default();
    let (stop, record) = (Arc::clone(stop), Arc::clone(&seen));
    let handle = tokio::spawn(async move {
        while !stop.load(Ordering::SeqCst) {
            let (status, body) = loan_call(&client).await;
            if status == 200 {
                assert_loan_answer(&body);
            }
            record.lock().unwrap().push((Instant::now(), status));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    (seen, handle)
}

/// The statuses seen strictly after `from` (and before `to`, if given).
fn statuses_between(seen: &Seen, from: Option<Instant>, to: Option<Instant>) -> Vec<u16> {
    let seen = seen.lock().unwrap();
    seen.iter()
        .filter(|(at, _)| from.is_none_or(|from| *at > from) && to.is_none_or(|to| *at < to))
        .map(|(_, status)| *status)
        .collect()
}

#[tokio::test]
async fn a_restart_under_caddy_is_a_502_gap_never_an_open_door_and_needs_no_new_session() {
    let provider = OidcProvider::start().await.unwrap();
    let env = guarded_env(&provider);
    let Stack { service, caddy } = Stack::start(&StackSetup::new("oauth", env.clone()))
        .await
        .unwrap();
    let resource = caddy.http_url("/mcp");
    let token = provider.sign(&provider.claims(&resource));
    let issued = issued_token(&caddy).await;

    // The client initialises once, before the restart, and never again.
    let client = McpClient::new(&resource).with_token(&token);
    let initialize = json!({"protocolVersion": LEGACY, "capabilities": {},
                            "clientInfo": {"name": "restart-test", "version": "1"}});
    let initialized = client.legacy(None, "initialize", initialize).await.unwrap();
    assert_eq!(initialized.status(), 200);
    let (status, body) = loan_call(&client).await;
    assert_eq!(status, 200, "{body}");
    assert_loan_answer(&body);

    let stop = Arc::new(AtomicBool::new(false));
    let (signed_in, signed_in_loop) = keep_calling(client.clone(), &stop);
    let (anonymous, anonymous_loop) = keep_calling(McpClient::new(&resource), &stop);
    tokio::time::sleep(Duration::from_millis(200)).await;

    let addr = service.addr();
    drop(service); // SIGKILL: no graceful shutdown, as when the container dies
    // A call answered just before the kill may be recorded a moment after it.
    let gap = Instant::now() + Duration::from_millis(50);
    let in_gap = |seen: &Seen| statuses_between(seen, Some(gap), None).len() >= 3;
    while !(in_gap(&signed_in) && in_gap(&anonymous)) {
        if signed_in_loop.is_finished() || anonymous_loop.is_finished() {
            break; // a client failed an assertion: awaiting its loop below reports it
        }
        assert!(
            gap.elapsed() < Duration::from_secs(10),
            "the clients stalled"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let restarting = Instant::now();
    let mut same_place = env;
    same_place.extend([
        ("LISTEN_ADDR".to_owned(), addr.to_string()),
        (
            "PUBLIC_BASE_URL".to_owned(),
            format!("http://127.0.0.1:{}", caddy.http_port()),
        ),
    ]);
    let service = Service::start(&same_place).await.unwrap();
    assert_eq!(service.addr(), addr);
    let back = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    signed_in_loop.await.unwrap();
    anonymous_loop.await.unwrap();

    let anonymous = statuses_between(&anonymous, None, None);
    assert!(
        anonymous.iter().all(|s| [401, 502].contains(s)),
        "an unauthenticated call got through or failed oddly: {anonymous:?}"
    );
    assert!(anonymous.contains(&502) && anonymous.contains(&401));
    let all = statuses_between(&signed_in, None, None);
    assert!(all.iter().all(|s| [200, 502].contains(s)), "{all:?}");
    let during = statuses_between(&signed_in, Some(gap), Some(restarting));
    assert!(
        !during.is_empty() && during.iter().all(|s| *s == 502),
        "{during:?}"
    );
    let after = statuses_between(&signed_in, Some(back + Duration::from_millis(100)), None);
    assert!(
        !after.is_empty() && after.iter().all(|s| *s == 200),
        "{after:?}"
    );

    // No initialize and no session: the same client, and a token the old process issued,
    // are served by the new one.
    let (status, body) = loan_call(&client).await;
    assert_eq!(status, 200, "{body}");
    assert_loan_answer(&body);
    let (status, body) = loan_call(&McpClient::new(&resource).with_token(&issued)).await;
    assert_eq!(status, 200, "{body}");
    assert_loan_answer(&body);
}

/// `get_apartment_trades` for 강남구, March 2025, straight to the service: its `source`.
async fn apartment_trades(service: &Service) -> Value {
    let client = McpClient::new(service.direct_url("/mcp"));
    let arguments = json!({"region_code": "11680", "year_month": "202503"});
    let answer = client
        .call_tool("get_apartment_trades", arguments)
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    body["result"]["structuredContent"]["source"].clone()
}

#[tokio::test]
async fn a_restart_between_two_identical_questions_costs_no_upstream_request() {
    const KEY: &str = "restart-test-key";
    let molit = MolitStandIn::start(KEY).await.unwrap();
    molit.put_generated(Kind::AptTrade, "11680", "202503", 1_234);
    let cache = Scratch::new("shared-cache").unwrap();
    let mut env = open_env();
    env.extend([
        ("DATA_GO_KR_API_KEY".to_owned(), KEY.to_owned()),
        (
            "DATA_GO_KR_BASE_URL".to_owned(),
            molit.base_url().to_owned(),
        ),
        ("CACHE_DIR".to_owned(), cache.path().display().to_string()),
    ]);

    let first = Service::start(&env).await.unwrap();
    let source = apartment_trades(&first).await;
    assert_eq!(source["cached"], json!(false), "{source}");
    assert_eq!(source["upstream_calls"], json!(2), "{source}");
    assert_eq!(molit.requests(), 2);
    drop(first); // SIGKILL: no chance to write anything on the way out

    let second = Service::start(&env).await.unwrap();
    let source = apartment_trades(&second).await;
    assert_eq!(source["cached"], json!(true), "{source}");
    assert_eq!(source["stale"], json!(false), "{source}");
    assert_eq!(source["upstream_calls"], json!(0), "{source}");
    assert_eq!(molit.requests(), 2, "the restart cost upstream requests");

    // `status` sees both processes' figures: today's spending and the lookups since install.
    let status = std::process::Command::new(service::binary().unwrap())
        .args(["status", "--url", &second.direct_url("/metrics")])
        .env_clear()
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let words = |start: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(start))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no line {start}:\n{text}"))
    };
    assert_eq!(
        words("RTMSDataSvcAptTrade"),
        "RTMSDataSvcAptTrade 2",
        "{text}"
    );
    assert!(words("hit rate").contains("100% (1 of 1"), "{text}");
    assert!(
        text.contains("50% (1 of 2 lookups answered by the cache) since install"),
        "{text}"
    );
    assert!(text.contains(&cache.path().display().to_string()), "{text}");
}
