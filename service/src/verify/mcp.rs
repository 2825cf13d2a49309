//! The MCP side of `verify`: what `/mcp` says to a client without a token, and a real exchange
//! with one: `server/discover` (MCP 2026-07-28), falling back to `initialize` (2025-11-25),
//! then `tools/list`.

use serde_json::{Value, json};

use super::probe::{Answer, Failure, Http, bearer_challenge, param};
use super::report::{CheckId, VerifyReport};
use super::target::Target;
use crate::auth::{ACCESS_DENIED, AUTH_OFF, GATE_BYPASSED};
use crate::host::HostKind;

const MODERN: &str = "2026-07-28";
const LEGACY: &str = "2025-11-25";
const ACCEPT: &str = "application/json, text/event-stream";

fn modern_request(method: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": method,
        "params": {"_meta": {
            "io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientCapabilities": {},
        }},
    })
}

fn modern_headers(method: &str, token: Option<&str>) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        ("Accept", ACCEPT.to_owned()),
        ("MCP-Protocol-Version", MODERN.to_owned()),
        ("Mcp-Method", method.to_owned()),
    ];
    if let Some(token) = token {
        headers.push(("Authorization", format!("Bearer {token}")));
    }
    headers
}

/// `server/discover` without a token: what every client sends first.
pub(super) async fn probe_without_token(http: &Http, target: &Target) -> Result<Answer, Failure> {
    let body = modern_request("server/discover");
    http.post_json(
        &target.endpoint,
        &modern_headers("server/discover", None),
        &body,
    )
    .await
}

/// What the service's own refusals say is wrong, `(what happened, fix)`: Caddy and the
/// service disagree about `AUTH_MODE` (its 401 for a request that skipped `/auth`, or
/// `/auth`'s 404 on an open service passed back by a guarded Caddy), or the token's user is
/// not on the access list (the 403 names the subject).
fn diagnosis(answer: &Answer) -> Option<(String, String)> {
    let body = answer.json()?;
    let error = body.get("error")?.as_str()?.to_owned();
    if answer.status == 403 && error == ACCESS_DENIED {
        let description = body
            .get("error_description")
            .and_then(|d| d.as_str())
            .unwrap_or_default();
        return Some((
            format!("the token is valid but its user may not enter: {description}"),
            "add the subject it names to ALLOWED_USERS in .env (comma-separated) and run \
             `docker compose up -d`; or use a token of a listed user"
                .to_owned(),
        ));
    }
    let recreate = "both containers read .env, so set AUTH_MODE there once and run `docker \
                    compose up -d --force-recreate`";
    if answer.status == 401 && error == GATE_BYPASSED {
        Some((
            "the service itself answered 401: the request reached it without Caddy checking \
             it with /auth, so Caddy does not run with AUTH_MODE=oauth (the service refused, \
             nothing leaked, but no client can connect)"
                .to_owned(),
            format!(
                "`docker compose exec caddy sh -c 'env | grep AUTH_MODE'` must print \
                 AUTH_MODE=oauth; {recreate}"
            ),
        ))
    } else if answer.status == 404 && error == AUTH_OFF {
        Some((
            "Caddy checks /mcp with the service's /auth (AUTH_MODE=oauth), but the service runs \
             without login (AUTH_MODE=none) and refuses to judge tokens"
                .to_owned(),
            format!(
                "`docker compose logs mcp | grep AUTH_MODE` shows the mode the service started \
                 with; {recreate}"
            ),
        ))
    } else {
        None
    }
}

/// Seed check 3, or, for a server without OAuth, whether being open is a risk.
pub(super) fn judge_without_token(
    report: &mut VerifyReport,
    target: &Target,
    answer: &Answer,
    guarded: bool,
) {
    let status = answer.status;
    if let Some((detail, fix)) = diagnosis(answer) {
        report.fail(CheckId::Unauthenticated, detail, fix);
        return;
    }
    if status == 401 {
        judge_challenge(report, target, answer);
        return;
    }
    if !guarded && (200..300).contains(&status) {
        if target.kind == HostKind::Public {
            report.warn(
                CheckId::Unauthenticated,
                format!("open: {} answered {status} without a token, so anyone who finds it can use your server and your data quota", target.endpoint),
                "set AUTH_MODE=oauth and configure a provider (docs/setup-oauth.md)",
            );
        } else {
            report.pass(
                CheckId::Unauthenticated,
                format!(
                    "open (AUTH_MODE=none) on a {} address",
                    match target.kind {
                        HostKind::Loopback => "loopback",
                        _ => "private",
                    }
                ),
            );
        }
        return;
    }
    let (detail, fix) = match status {
        200..=299 | 400 | 405 | 406 | 415 => (
            format!("answered {status} without a token although the server publishes OAuth metadata: the request reached the service unguarded"),
            "Caddy did not apply AUTH_MODE=oauth. `docker compose exec caddy sh -c 'env | grep AUTH_MODE'` must print AUTH_MODE=oauth; both containers read .env, so fix it there and run `docker compose up -d --force-recreate`".to_owned(),
        ),
        502..=504 => (
            format!("answered {status}: Caddy could not get an answer from the service"),
            "check `docker compose ps` (mcp must be healthy) and `docker compose logs mcp`".to_owned(),
        ),
        404 => (
            "answered 404: nothing is served at this path".to_owned(),
            "the URL must end in /mcp, and Caddy must use the project's caddy/Caddyfile".to_owned(),
        ),
        301 | 302 | 307 | 308 => (
            format!("redirects ({status}) to {}", answer.header("location").unwrap_or("?")),
            "use the final address (https://…/mcp) as the URL; clients do not follow redirects on POST".to_owned(),
        ),
        _ => (
            format!("answered {status} without a token: {}", answer.excerpt()),
            "expected 401 with a WWW-Authenticate challenge; see docs/troubleshooting.md".to_owned(),
        ),
    };
    report.fail(CheckId::Unauthenticated, detail, fix);
}

fn judge_challenge(report: &mut VerifyReport, target: &Target, answer: &Answer) {
    let expected = target.protected_resource_urls();
    let Some(header) = answer.header("www-authenticate") else {
        report.fail(
            CheckId::Unauthenticated,
            "401 without a WWW-Authenticate header: clients cannot find where to log in",
            "the 401 must come from the service's /auth through Caddy's forward_auth; use the project's caddy/Caddyfile",
        );
        return;
    };
    let pointer = bearer_challenge(header)
        .as_deref()
        .and_then(|params| param(params, "resource_metadata").map(str::to_owned));
    match pointer {
        Some(url) if expected.contains(&url) => report.pass(
            CheckId::Unauthenticated,
            format!("401 with a Bearer challenge pointing at {url}"),
        ),
        Some(url) => report.fail(
            CheckId::Unauthenticated,
            format!("the 401 points clients at {url}, expected {}", expected[0]),
            format!("set PUBLIC_BASE_URL={} in .env and restart", target.origin),
        ),
        None => report.fail(
            CheckId::Unauthenticated,
            format!("the 401's challenge has no resource_metadata: `{header}`"),
            "the service's /auth must answer with resource_metadata; update the service",
        ),
    }
}

/// The JSON-RPC message in an answer, whether sent as JSON or as an event stream.
fn message(answer: &Answer) -> Option<Value> {
    let event_stream = answer
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/event-stream"));
    if !event_stream {
        return answer.json();
    }
    answer
        .body
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .filter_map(|data| serde_json::from_str::<Value>(data.trim()).ok())
        .find(|m| m.get("result").is_some() || m.get("error").is_some())
}

/// A successful exchange: the result, or why not.
enum Exchange {
    Result(Value),
    Refused(String),
    /// The service's answer says what is wrong (see [`diagnosis`]): what, and the fix.
    Diagnosed(String, String),
    Error(String),
}

async fn exchange(
    http: &Http,
    target: &Target,
    headers: &[(&str, String)],
    body: &Value,
) -> (Exchange, Option<Answer>) {
    let answer = match http.post_json(&target.endpoint, headers, body).await {
        Ok(answer) => answer,
        Err(failure) => return (Exchange::Error(failure.describe()), None),
    };
    if let Some((detail, fix)) = diagnosis(&answer) {
        return (Exchange::Diagnosed(detail, fix), Some(answer));
    }
    if matches!(answer.status, 401 | 403) {
        let reason = answer
            .header("www-authenticate")
            .and_then(bearer_challenge)
            .and_then(|p| {
                param(&p, "error_description")
                    .or(param(&p, "error"))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| answer.excerpt());
        return (
            Exchange::Refused(format!("HTTP {}: {reason}", answer.status)),
            Some(answer),
        );
    }
    let outcome = match message(&answer) {
        Some(m) if m.get("result").is_some() => Exchange::Result(m["result"].clone()),
        Some(m) => Exchange::Error(format!("HTTP {}: {}", answer.status, m["error"])),
        None => Exchange::Error(format!("HTTP {}: {}", answer.status, answer.excerpt())),
    };
    (outcome, Some(answer))
}

/// `initialize` answers with `serverInfo`; `server/discover` (2026-07-28) moved it into `_meta`.
fn server_name(result: &Value) -> String {
    let info = match result.get("serverInfo") {
        Some(info) => info,
        None => &result["_meta"]["io.modelcontextprotocol/serverInfo"],
    };
    match (info["name"].as_str(), info["version"].as_str()) {
        (Some(name), Some(version)) => format!("{name} {version}"),
        (Some(name), None) => name.to_owned(),
        _ => "the server".to_owned(),
    }
}

fn tool_count(result: &Value) -> usize {
    result["tools"].as_array().map_or(0, Vec::len)
}

/// A full exchange, with `token` when given.
pub(super) async fn round_trip(
    http: &Http,
    report: &mut VerifyReport,
    target: &Target,
    token: Option<&str>,
) {
    let (discovered, _) = exchange(
        http,
        target,
        &modern_headers("server/discover", token),
        &modern_request("server/discover"),
    )
    .await;
    let refused = |report: &mut VerifyReport, reason: String| {
        report.fail(
            CheckId::RoundTrip,
            format!("the token was refused: {reason}"),
            format!(
                "get a fresh token whose audience is {} (Auth0: the API identifier) from the \
                 issuer the metadata names",
                target.endpoint
            ),
        )
    };
    match discovered {
        Exchange::Result(result) => {
            let (listed, _) = exchange(
                http,
                target,
                &modern_headers("tools/list", token),
                &modern_request("tools/list"),
            )
            .await;
            match listed {
                Exchange::Result(tools) => report.pass(
                    CheckId::RoundTrip,
                    format!(
                        "{} answered server/discover (MCP {MODERN}) and lists {} tools",
                        server_name(&result),
                        tool_count(&tools)
                    ),
                ),
                Exchange::Refused(reason) => refused(report, reason),
                Exchange::Diagnosed(detail, fix) => report.fail(CheckId::RoundTrip, detail, fix),
                Exchange::Error(reason) => report.fail(
                    CheckId::RoundTrip,
                    format!("server/discover worked but tools/list failed: {reason}"),
                    "see `docker compose logs mcp`",
                ),
            }
        }
        Exchange::Refused(reason) => refused(report, reason),
        Exchange::Diagnosed(detail, fix) => report.fail(CheckId::RoundTrip, detail, fix),
        Exchange::Error(modern_error) => {
            legacy_round_trip(http, report, target, token, &modern_error).await
        }
    }
}

async fn legacy_round_trip(
    http: &Http,
    report: &mut VerifyReport,
    target: &Target,
    token: Option<&str>,
    modern_error: &str,
) {
    let mut headers = vec![("Accept", ACCEPT.to_owned())];
    if let Some(token) = token {
        headers.push(("Authorization", format!("Bearer {token}")));
    }
    let initialize = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": LEGACY,
            "capabilities": {},
            "clientInfo": {"name": "real-estate-mcp-verify", "version": env!("CARGO_PKG_VERSION")},
        },
    });
    let (initialized, answer) = exchange(http, target, &headers, &initialize).await;
    let result = match initialized {
        Exchange::Result(result) => result,
        Exchange::Diagnosed(detail, fix) => {
            report.fail(CheckId::RoundTrip, detail, fix);
            return;
        }
        Exchange::Refused(reason) | Exchange::Error(reason) => {
            report.fail(
                CheckId::RoundTrip,
                format!("server/discover failed ({modern_error}) and initialize failed ({reason})"),
                "see `docker compose logs mcp`; a token must be valid for this URL",
            );
            return;
        }
    };
    let version = result["protocolVersion"]
        .as_str()
        .unwrap_or(LEGACY)
        .to_owned();
    headers.push(("MCP-Protocol-Version", version.clone()));
    if let Some(session) = answer.as_ref().and_then(|a| a.header("mcp-session-id")) {
        headers.push(("Mcp-Session-Id", session.to_owned()));
    }
    let notification = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    // A notification has no result to judge; a failure shows in tools/list.
    let _ = http
        .post_json(&target.endpoint, &headers, &notification)
        .await;
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    match exchange(http, target, &headers, &list).await.0 {
        Exchange::Result(tools) => report.warn(
            CheckId::RoundTrip,
            format!(
                "{} answered initialize (MCP {version}) and lists {} tools, but not server/discover ({modern_error})",
                server_name(&result),
                tool_count(&tools)
            ),
            "Claude opens with server/discover since August 2026: update the service",
        ),
        Exchange::Diagnosed(detail, fix) => report.fail(CheckId::RoundTrip, detail, fix),
        Exchange::Refused(reason) | Exchange::Error(reason) => report.fail(
            CheckId::RoundTrip,
            format!("initialize worked but tools/list failed: {reason}"),
            "see `docker compose logs mcp`",
        ),
    }
}
