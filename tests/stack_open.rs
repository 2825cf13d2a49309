//! The open deployment end to end, the two ways Caddy and the service can disagree about
//! `AUTH_MODE` (neither may ever serve a tool to an unauthenticated caller in a guarded
//! configuration), and the warnings the service gives at startup for settings that start
//! but cannot work or leave it open to the internet.

use crate::support::browser;
use crate::support::caddy::{Caddy, CaddySetup};
use crate::support::mcp::{LOAN_FIRST_PAYMENT, McpClient, http, loan_arguments};
use crate::support::scratch::Scratch;
use crate::support::service::Service;
use crate::support::stack::{CLIENT_ID, CLIENT_SECRET, Stack, StackSetup, guarded_env, open_env};
use real_estate_mcp::auth::{AUTH_OFF, GATE_BYPASSED};
use real_estate_mcp::routes::front::DOCS;
use serde_json::{Value, json};
use testkit::oidc::{Mint, OidcProvider};

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("HTTP {status}, not JSON: {text}"))
}

#[tokio::test]
async fn open_mode_serves_tools_and_drops_forged_identity() {
    let stack = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    let client = McpClient::new(stack.mcp_url())
        .with_header("X-Auth-Subject", "admin")
        .with_header("X-Auth-Client", "forged-client");
    assert_eq!(client.discover().await.unwrap().status(), 200);
    let response = client
        .call_tool("calculate_loan_payment", loan_arguments())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(
        body["result"]["structuredContent"]["first_month_payment_manwon"],
        json!(LOAN_FIRST_PAYMENT),
        "{body}"
    );
    let line = stack
        .service
        .tool_call_line("calculate_loan_payment")
        .await
        .unwrap();
    assert!(line.contains("subject=anonymous "), "{line}");

    // No OAuth documents in open mode: the service's own 404 comes back through Caddy.
    let metadata = http()
        .get(
            stack
                .caddy
                .http_url("/.well-known/oauth-protected-resource"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(metadata.status(), 404);

    // The service serves its metrics to whoever reaches its own port (the compose network);
    // Caddy, facing the internet, never routes them.
    let direct = http()
        .get(stack.service.direct_url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 200);
    let page = direct.text().await.unwrap();
    assert!(
        page.contains(
            r#"real_estate_mcp_tool_calls_total{tool="calculate_loan_payment",outcome="ok"} 1"#
        ),
        "{page}"
    );
    let proxied = http()
        .get(stack.caddy.http_url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 404);
    assert!(!proxied.text().await.unwrap().contains("real_estate_mcp"));
}

#[tokio::test]
async fn one_tool_call_writes_one_log_line_at_the_default_filter() {
    let stack = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    // No key configured: the log says so at startup, not only the first chat that needs it.
    assert!(
        stack
            .service
            .log()
            .contains("DATA_GO_KR_API_KEY is not set"),
        "{}",
        stack.service.log()
    );
    let before = stack.service.log().lines().count();
    let response = McpClient::new(stack.mcp_url())
        .call_tool("calculate_loan_payment", loan_arguments())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let line = stack
        .service
        .tool_call_line("calculate_loan_payment")
        .await
        .unwrap();
    // The MCP library's own lines, were they logged, come within moments of the call.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = stack.service.log();
    let new: Vec<&str> = log.lines().skip(before).collect();
    assert_eq!(new, [line.as_str()], "{log}");
    assert!(
        line.contains(" real_estate_mcp::audit] subject=anonymous "),
        "{line}"
    );
}

#[tokio::test]
async fn a_guarded_service_behind_a_caddy_without_auth_mode_still_refuses() {
    // The "Caddy did not read AUTH_MODE" failure: Caddy runs the open route set, so nothing
    // checks tokens on the way in. The service must refuse by itself, token or not.
    let provider = OidcProvider::start().await.unwrap();
    let stack = Stack::start(&StackSetup::new("none", guarded_env(&provider)))
        .await
        .unwrap();
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    for client in [
        McpClient::new(stack.mcp_url()),
        McpClient::new(stack.mcp_url()).with_token(&token),
        McpClient::new(stack.mcp_url())
            .with_token(&token)
            .with_header("X-Auth-Subject", "admin"),
    ] {
        let response = client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{client:?}");
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .contains("resource_metadata="),
            "{client:?}"
        );
        assert_eq!(
            json_of(response).await["error"],
            GATE_BYPASSED,
            "{client:?}"
        );
    }
    assert!(
        stack.service.tool_calls().is_empty(),
        "{}",
        stack.service.log()
    );
    assert!(
        stack
            .service
            .log()
            .contains("is Caddy running with AUTH_MODE=oauth?"),
        "{}",
        stack.service.log()
    );
}

#[tokio::test]
async fn an_open_service_behind_a_guarded_caddy_serves_nothing() {
    // The reverse mismatch: Caddy asks the service's /auth, which does not exist on an open
    // service. Its 404 comes back for every /mcp request.
    let stack = Stack::start(&StackSetup::new("oauth", open_env()))
        .await
        .unwrap();
    for client in [
        McpClient::new(stack.mcp_url()),
        McpClient::new(stack.mcp_url()).with_token("any-token"),
    ] {
        let response = client
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{client:?}");
        assert_eq!(json_of(response).await["error"], AUTH_OFF, "{client:?}");
    }
    assert!(
        stack.service.tool_calls().is_empty(),
        "{}",
        stack.service.log()
    );
}

#[tokio::test]
async fn a_lan_address_needs_allowed_hosts() {
    // Another machine on the LAN opens http://192.168.0.10/mcp: Caddy (no DOMAIN) passes any
    // host on, and the service's Host check refuses a name it was not told about.
    let lan = "192.168.0.10";
    let stack = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    let refused = McpClient::new(stack.mcp_url())
        .with_header("Host", lan)
        .discover()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let body = json_of(refused).await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("ALLOWED_HOSTS=192.168.0.10"), "{body}");

    let mut env = open_env();
    env.push(("ALLOWED_HOSTS".to_owned(), format!("{lan}, nas.local")));
    let stack = Stack::start(&StackSetup::new("none", env)).await.unwrap();
    for host in [lan, "nas.local:80"] {
        let response = McpClient::new(stack.mcp_url())
            .with_header("Host", host)
            .with_header("Origin", &format!("http://{host}"))
            .call_tool("calculate_loan_payment", loan_arguments())
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{host}");
    }
    let foreign = McpClient::new(stack.mcp_url())
        .with_header("Host", "rebind.attacker.example")
        .discover()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
}

#[tokio::test]
async fn the_front_door_reads_well_in_a_real_browser() {
    // The open stack of a first local run, and a guarded one as it looks once public.
    let open = Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap();
    let public = "https://your-domain.ddns.net";
    let guarded_env: Vec<(String, String)> = [
        ("AUTH_MODE", "oauth"),
        ("PUBLIC_BASE_URL", public),
        ("OAUTH_CLIENT_ID", CLIENT_ID),
        ("OAUTH_CLIENT_SECRET", CLIENT_SECRET),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let service = Service::start(&guarded_env).await.unwrap();
    let caddy = Caddy::start(&CaddySetup::new("oauth", service.addr()))
        .await
        .unwrap();
    let docs = format!("{DOCS}/");
    let cases = json!([
        {"name": "open", "url": open.caddy.http_url("/"), "mcp": open.mcp_url(),
         "mode": "open", "docs": docs},
        {"name": "guarded", "url": caddy.http_url("/"), "mcp": format!("{public}/mcp"),
         "mode": "oauth", "docs": docs},
    ]);
    // FRONT_DOOR_SCREENSHOTS=docs/img keeps the pictures (README shows front-door-guarded-*).
    let scratch = Scratch::new("front-door").unwrap();
    let shots = std::env::var_os("FRONT_DOOR_SCREENSHOTS")
        .map_or_else(|| scratch.path().to_path_buf(), std::path::PathBuf::from);
    let report = browser::check(
        "front_door.py",
        [cases.to_string().into(), shots.clone().into_os_string()],
    )
    .await;
    assert!(
        report.contains("4 page views checked, 0 problems"),
        "{report}"
    );
    let picture = std::fs::metadata(shots.join("front-door-guarded-light.png")).unwrap();
    assert!(
        picture.len() > 10_000,
        "screenshot of {} bytes",
        picture.len()
    );
    // The page costs nothing: no upstream request, no tool call.
    assert!(open.service.tool_calls().is_empty());
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn open_mode_on_a_public_domain_warns_prominently_at_start() {
    let public = Service::start(&env(&[("AUTH_MODE", "none"), ("DOMAIN", "home.ddns.net")]))
        .await
        .unwrap();
    let log = public.log();
    let warning: Vec<&str> = log.lines().filter(|l| l.contains(" WARN ")).collect();
    assert!(
        warning
            .iter()
            .any(|l| l.contains("OPEN TO THE INTERNET") && l.contains("home.ddns.net")),
        "{log}"
    );
    assert!(
        warning.iter().any(|l| l.contains("AUTH_MODE=oauth")),
        "{log}"
    );

    let local = Service::start(&env(&[("AUTH_MODE", "none")]))
        .await
        .unwrap();
    assert!(
        !local.log().contains("OPEN TO THE INTERNET"),
        "{}",
        local.log()
    );
}

#[tokio::test]
async fn values_that_start_but_cannot_work_are_named_at_start() {
    let provider = OidcProvider::start().await.unwrap();
    let service = Service::start(&env(&[
        ("AUTH_MODE", "oauth"),
        ("PUBLIC_BASE_URL", "https://home.ddns.net"),
        ("DOMAIN", "https://home.ddns.net/"),
        ("OIDC_ISSUER", provider.issuer()),
        ("OIDC_AUDIENCE", "https://home.ddns.net/mcp/"),
        ("ALLOWED_USERS", "auth0|user-1"),
    ]))
    .await
    .unwrap();
    let log = service.log();
    let warned = |variable: &str, text: &str| {
        log.lines()
            .any(|l| l.contains(" WARN ") && l.contains(variable) && l.contains(text))
    };
    assert!(warned("DOMAIN", "DOMAIN=home.ddns.net"), "{log}");
    assert!(warned("OIDC_AUDIENCE", "trailing slash"), "{log}");
}
