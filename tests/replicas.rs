//! Two real `real-estate-mcp serve` processes sharing one real `redis-server` (`CACHE_URL`),
//! behind the real Caddy with the project's Caddyfile in `MCP_BALANCE=replicas` mode, as
//! docker-compose.replicas.yml runs them: a month one replica fetched costs the other
//! nothing, a caller's budget is one across both, and a replica killed under load costs the
//! clients no error because Caddy retries the other.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use testkit::molit::{Kind, MolitStandIn};
use testkit::oidc::OidcProvider;
use testkit::redis::RedisServer;

use crate::support::caddy::{Caddy, CaddySetup};
use crate::support::mcp::{LOAN_FIRST_PAYMENT, McpClient, loan_arguments};
use crate::support::service::Service;
use crate::support::stack::guarded_env;
use testkit::net::{free_port, is_port_clash};

const KEY: &str = "replicas-test-key";

/// Redis, the portal stand-in, two replicas and Caddy in front of them.
struct Replicas {
    caddy: Caddy,
    replicas: Vec<Service>,
    stand_in: MolitStandIn,
    _redis: RedisServer,
}

impl Replicas {
    /// Starts everything; `env` configures both replicas (AUTH_MODE and the rest).
    async fn start(mode: &str, env: &[(String, String)]) -> Replicas {
        let redis = RedisServer::start().unwrap();
        let stand_in = MolitStandIn::start(KEY).await.unwrap();
        for month in ["202407", "202408", "202409"] {
            stand_in.put_generated(Kind::AptTrade, "11440", month, 10);
        }
        for _ in 0..3 {
            let port = free_port().unwrap();
            let mut env = env.to_vec();
            env.extend(
                [
                    ("AUTH_MODE", mode.to_owned()),
                    ("CACHE_URL", redis.url()),
                    ("DATA_GO_KR_BASE_URL", stand_in.base_url().to_owned()),
                    ("DATA_GO_KR_API_KEY", KEY.to_owned()),
                    ("PUBLIC_BASE_URL", format!("http://127.0.0.1:{port}")),
                ]
                .map(|(k, v)| (k.to_owned(), v)),
            );
            let replicas = vec![
                Service::start(&env).await.unwrap(),
                Service::start(&env).await.unwrap(),
            ];
            let upstreams = format!("{} {}", replicas[0].addr(), replicas[1].addr());
            let mut setup = CaddySetup::new(mode, replicas[0].addr());
            setup.mcp_upstream = upstreams.clone();
            setup.auth_upstream = upstreams;
            setup.http_port = Some(port);
            setup
                .extra_env
                .push(("MCP_BALANCE".to_owned(), "replicas".to_owned()));
            match Caddy::start(&setup).await {
                Ok(caddy) => {
                    return Replicas {
                        caddy,
                        replicas,
                        stand_in,
                        _redis: redis,
                    };
                }
                Err(e) if is_port_clash(&e) => continue,
                Err(e) => panic!("{e:#}"),
            }
        }
        panic!("Caddy's port was taken three times in a row")
    }

    fn url(&self) -> String {
        self.caddy.http_url("/mcp")
    }
}

fn month(year_month: &str) -> Value {
    json!({"region_code": "11440", "year_month": year_month})
}

/// The JSON-RPC `result` of a `tools/call`, which must be answered with 200.
async fn result(client: &McpClient, tool: &str, arguments: Value) -> Value {
    let answer = client.call_tool(tool, arguments).await.unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    body["result"].clone()
}

fn upstream_calls(result: &Value) -> u64 {
    result["structuredContent"]["source"]["upstream_calls"]
        .as_u64()
        .unwrap_or_else(|| panic!("no upstream_calls in {result}"))
}

#[tokio::test]
async fn a_month_one_replica_fetched_costs_the_other_nothing() {
    let stack = Replicas::start("none", &[]).await;
    let (a, b) = (&stack.replicas[0], &stack.replicas[1]);
    let via_a = result(
        &McpClient::new(a.direct_url("/mcp")),
        "get_apartment_trades",
        month("202407"),
    )
    .await;
    assert_eq!(upstream_calls(&via_a), 1);
    let via_b = result(
        &McpClient::new(b.direct_url("/mcp")),
        "get_apartment_trades",
        month("202407"),
    )
    .await;
    assert_eq!(upstream_calls(&via_b), 0, "{via_b}");
    // Through Caddy, whichever replica answers, the month is paid for.
    let client = McpClient::new(stack.url());
    for _ in 0..4 {
        let answer = result(&client, "get_apartment_trades", month("202407")).await;
        assert_eq!(upstream_calls(&answer), 0, "{answer}");
    }
    assert_eq!(stack.stand_in.requests(), 1);
    for replica in &stack.replicas {
        assert!(
            replica.tool_calls().len() >= 3,
            "Caddy spreads the calls: {:?}",
            replica.tool_calls()
        );
    }
}

#[tokio::test]
async fn a_callers_budget_is_one_across_both_replicas_behind_guarded_caddy() {
    let provider = OidcProvider::start().await.unwrap();
    let mut env = guarded_env(&provider);
    env.retain(|(k, _)| k != "AUTH_MODE");
    env.push(("DAILY_BUDGET_PER_CALLER".to_owned(), "2".to_owned()));
    let stack = Replicas::start("oauth", &env).await;
    let token = provider.sign(&provider.claims(&stack.url()));
    let client = McpClient::new(stack.url()).with_token(&token);
    for year_month in ["202407", "202408"] {
        let answer = result(&client, "get_apartment_trades", month(year_month)).await;
        assert_ne!(answer["isError"], true, "{answer}");
    }
    let refused = result(&client, "get_apartment_trades", month("202409")).await;
    assert_eq!(refused["isError"], true, "{refused}");
    let text = refused["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("DAILY_BUDGET_PER_CALLER"), "{text}");
    assert_eq!(stack.stand_in.requests(), 2);
    // Round robin: each replica answered at least one of the three calls.
    for replica in &stack.replicas {
        assert!(!replica.tool_calls().is_empty(), "{}", replica.log());
    }
    // Without a token nothing gets through either replica.
    let anonymous = McpClient::new(stack.url())
        .call_tool("get_apartment_trades", month("202407"))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_replica_killed_under_load_costs_the_clients_no_error() {
    // The per-minute brake on tool calls is each replica's own; this load would trip it.
    let unlimited = [("TOOL_CALLS_PER_MINUTE".to_owned(), "0".to_owned())];
    let mut stack = Replicas::start("none", &unlimited).await;
    let client = McpClient::new(stack.url());
    let stop = Arc::new(AtomicBool::new(false));
    let mut loops = Vec::new();
    for _ in 0..4 {
        let (client, stop) = (client.clone(), Arc::clone(&stop));
        loops.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let answer = client
                    .call_tool("calculate_loan_payment", loan_arguments())
                    .await
                    .unwrap_or_else(|e| panic!("Caddy itself did not answer: {e}"));
                let status = answer.status().as_u16();
                if status == 200 {
                    let body: Value = answer.json().await.unwrap();
                    let payment =
                        &body["result"]["structuredContent"]["first_month_payment_manwon"];
                    assert_eq!(*payment, json!(LOAN_FIRST_PAYMENT), "{body}");
                }
                statuses.push(status);
            }
            statuses
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let killed = Instant::now();
    drop(stack.replicas.remove(1)); // SIGKILL, as when a container dies
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::SeqCst);
    let mut statuses = Vec::new();
    for handle in loops {
        statuses.extend(handle.await.unwrap());
    }
    let failed = statuses.iter().filter(|s| **s != 200).count();
    // The figure docs/scaling.md quotes.
    eprintln!(
        "replica killed under load: {} requests in {:?}, {failed} failed",
        statuses.len(),
        killed.elapsed() + Duration::from_millis(500)
    );
    assert!(
        statuses.len() > 20,
        "the clients kept calling: {statuses:?}"
    );
    assert_eq!(failed, 0, "{statuses:?}");
}
