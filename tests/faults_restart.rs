//! The service restarting under Caddy while clients keep calling: the real binary behind the
//! real Caddy and the project's Caddyfile in guarded mode, killed (SIGKILL) and started again
//! on the same port. Meanwhile Caddy answers 502, never lets an unauthenticated call through,
//! and once the service is back the same token and the same client go on without
//! re-initialising: the protocol keeps no session.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use e2e::caddy::{Caddy, CaddySetup, free_port};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

const CLIENT_ID: &str = "restart-test";
const CLIENT_SECRET: &str = "0123456789abcdef0123456789abcdef-restart";

/// The `real-estate-mcp` binary cargo built next to this test, refused when it is older than
/// the service's sources (it would test yesterday's code).
fn service_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let binary = profile_dir.join(format!("real-estate-mcp{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    let sources = e2e::tools::repo_root().join("service");
    let newest = newest_file(&sources.join("src")).max(newest_file(&sources.join("Cargo.toml")));
    assert!(
        built.is_some_and(|built| built >= newest),
        "{} is missing or older than service/src: build it first with \
         `cargo build -p real-estate-mcp` (the workspace test run builds it too)",
        binary.display()
    );
    binary
}

fn newest_file(path: &Path) -> SystemTime {
    let Ok(meta) = std::fs::metadata(path) else {
        return SystemTime::UNIX_EPOCH;
    };
    if !meta.is_dir() {
        return meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| newest_file(&entry.path()))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The service process, killed when dropped.
struct Service(Child);

impl Service {
    /// Starts `real-estate-mcp serve` on `port` in guarded mode with built-in client
    /// credentials, with nothing from the developer's environment, and waits for `/healthz`.
    async fn start(port: u16) -> Service {
        let child = Command::new(service_binary())
            .arg("serve")
            .env_clear()
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("AUTH_MODE", "oauth")
            .env("PUBLIC_BASE_URL", "https://mcp.example.test")
            .env("OAUTH_CLIENT_ID", CLIENT_ID)
            .env("OAUTH_CLIENT_SECRET", CLIENT_SECRET)
            .env("TOOL_CALLS_PER_MINUTE", "0")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut service = Service(child);
        let health = format!("http://127.0.0.1:{port}/healthz");
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = service.0.try_wait() {
                panic!("the service exited during startup: {status}");
            }
            let answer = client().get(&health).send().await;
            if answer.is_ok_and(|a| a.status() == 200) {
                return service;
            }
            assert!(started.elapsed() < Duration::from_secs(15), "no /healthz");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, as when the container is killed or crashes.
    fn kill(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // Already gone after `kill`; otherwise the test failed midway and must not leak it.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn token(caddy: &Caddy) -> String {
    let answer = client()
        .post(caddy.http_url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// One JSON-RPC POST through Caddy, speaking the 2025-11-25 revision without a session.
async fn rpc(caddy: &Caddy, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = client()
        .post(caddy.http_url("/mcp"))
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2025-11-25")
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    match request.send().await {
        Ok(answer) => {
            let status = answer.status().as_u16();
            (status, answer.json().await.unwrap_or(Value::Null))
        }
        Err(error) => panic!("Caddy itself did not answer: {error}"),
    }
}

fn loan_call() -> Value {
    json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
        "name": "calculate_loan_payment",
        "arguments": {"principal_manwon": 30000, "annual_rate_percent": 4, "term_months": 360}}})
}

fn assert_loan_answer(body: &Value) {
    let payment = &body["result"]["structuredContent"]["first_month_payment_manwon"];
    assert_eq!(*payment, json!(143.22), "{body}");
}

/// What one calling client saw, in order, with when it saw it.
type Seen = Arc<Mutex<Vec<(Instant, u16)>>>;

/// Calls the loan tool in a loop until `stop`, recording every status; the handle carries
/// any assertion that failed inside the loop.
fn keep_calling(
    caddy: &Arc<Caddy>,
    token: Option<String>,
    stop: &Arc<AtomicBool>,
) -> (Seen, JoinHandle<()>) {
    let seen: Seen = Arc::default();
    let (caddy, stop, record) = (Arc::clone(caddy), Arc::clone(stop), Arc::clone(&seen));
    let handle = tokio::spawn(async move {
        while !stop.load(Ordering::SeqCst) {
            let (status, body) = rpc(&caddy, token.as_deref(), &loan_call()).await;
            if status == 200 {
                assert_loan_answer(&body);
            }
            record.lock().unwrap().push((Instant::now(), status));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    (seen, handle)
}

fn statuses(seen: &Seen) -> Vec<u16> {
    seen.lock().unwrap().iter().map(|(_, s)| *s).collect()
}

#[tokio::test]
async fn a_restart_under_caddy_is_a_502_gap_never_an_open_door_and_needs_no_new_session() {
    let port = free_port().unwrap();
    let upstream = SocketAddr::from(([127, 0, 0, 1], port));
    let service = Service::start(port).await;
    let caddy = Arc::new(
        Caddy::start(&CaddySetup::new("oauth", upstream))
            .await
            .unwrap(),
    );
    let token = token(&caddy).await;

    // The client initialises once, before the restart, and never again.
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "restart-test", "version": "1"}}});
    let (status, body) = rpc(&caddy, Some(&token), &initialize).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = rpc(&caddy, Some(&token), &loan_call()).await;
    assert_eq!(status, 200, "{body}");
    assert_loan_answer(&body);

    let stop = Arc::new(AtomicBool::new(false));
    let (signed_in, signed_in_loop) = keep_calling(&caddy, Some(token.clone()), &stop);
    let (anonymous, anonymous_loop) = keep_calling(&caddy, None, &stop);
    tokio::time::sleep(Duration::from_millis(200)).await;

    service.kill();
    // A call answered just before the kill may be recorded a moment after it.
    let gap = Instant::now() + Duration::from_millis(50);
    // Keep the service down until both clients have run into the gap a few times.
    let in_gap = |seen: &Seen| {
        let seen = seen.lock().unwrap();
        seen.iter().filter(|(at, _)| *at > gap).count() >= 3
    };
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
    let service = Service::start(port).await;
    let back = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    signed_in_loop.await.unwrap();
    anonymous_loop.await.unwrap();

    let anonymous = statuses(&anonymous);
    assert!(
        anonymous.iter().all(|s| [401, 502].contains(s)),
        "an unauthenticated call got through or failed oddly: {anonymous:?}"
    );
    assert!(anonymous.contains(&502) && anonymous.contains(&401));
    let seen = signed_in.lock().unwrap().clone();
    assert!(seen.iter().all(|(_, s)| [200, 502].contains(s)), "{seen:?}");
    let during: Vec<u16> = seen
        .iter()
        .filter(|(at, _)| *at > gap && *at < restarting)
        .map(|(_, s)| *s)
        .collect();
    assert!(during.iter().all(|s| *s == 502), "{during:?}");
    let after: Vec<u16> = seen
        .iter()
        .filter(|(at, _)| *at > back + Duration::from_millis(100))
        .map(|(_, s)| *s)
        .collect();
    assert!(
        !after.is_empty() && after.iter().all(|s| *s == 200),
        "{after:?}"
    );

    // The same token and client, with no initialize and no session id, are served.
    let (status, body) = rpc(&caddy, Some(&token), &loan_call()).await;
    assert_eq!(status, 200, "{body}");
    assert_loan_answer(&body);
    drop(service);
}
