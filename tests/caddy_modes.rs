//! AUTH_MODE decides, when Caddy starts, whether /mcp is open or guarded. Only `none` and
//! `oauth` may start; every other value (unset, empty, a typo, a glob) must stop Caddy.
//! DOMAIN decides whether the site is HTTPS, and with it HSTS.

use std::net::SocketAddr;
use std::time::Duration;

use crate::support::caddy::{Caddy, CaddySetup};
use serde_json::{Value, json};

fn upstream() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9))
}

fn setup(mode: Option<&str>) -> CaddySetup {
    let mut setup = CaddySetup::new("", upstream());
    setup.auth_mode = mode.map(str::to_owned);
    setup
}

/// Values an administrator could plausibly end up with in `.env`, none of them valid.
const REFUSED: [Option<&str>; 13] = [
    None,
    Some(""),
    Some("open"),
    Some("OAuth"),
    Some("oauth2"),
    Some("none oauth"),
    Some("*"),
    Some("?"),
    Some("o*"),
    Some("nonE?"),
    Some("]"),
    Some("[a-z]*"),
    Some("../Caddyfile"),
];

#[test]
fn none_and_oauth_validate() {
    for mode in ["none", "oauth"] {
        let output = setup(Some(mode)).validate().unwrap();
        assert!(
            output.status.success(),
            "AUTH_MODE={mode} should validate: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn every_other_auth_mode_fails_validation() {
    for mode in REFUSED {
        let output = setup(mode).validate().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "AUTH_MODE={mode:?} validated: {stderr}"
        );
        assert!(
            stderr.contains("invoke") || stderr.contains("routes_"),
            "AUTH_MODE={mode:?} failed for an unexpected reason: {stderr}"
        );
    }
}

#[test]
fn troubleshooting_quotes_what_caddy_really_prints() {
    let guide = testkit::repo::read("docs/troubleshooting.md");
    // (AUTH_MODE, what `caddy validate` prints, the part of it the guide quotes)
    let cases = [
        (
            "OAuth",
            "File to import not found: routes_OAuth",
            "`File to import not found: routes_",
        ),
        (
            "o auth",
            "File to import not found: routes_o,",
            "`File to import not found: routes_",
        ),
        (
            "*",
            "cannot invoke named route 'auth_mode_*', which was not defined",
            "`cannot invoke named route 'auth_mode_…', which was not defined`",
        ),
        (
            "oauth x",
            "parsing caddyfile tokens for 'invoke': wrong argument count or unexpected line \
             ending after 'x'",
            "`parsing caddyfile tokens for 'invoke': wrong argument count or unexpected line \
             ending after '…'`",
        ),
    ];
    for (mode, printed, quoted) in cases {
        let output = setup(Some(mode)).validate().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(printed), "AUTH_MODE={mode:?}: {stderr}");
        assert!(guide.contains(quoted), "troubleshooting.md lacks {quoted}");
    }
    let mut empty_domain = setup(Some("none"));
    empty_domain.domain = Some(String::new());
    let output = empty_domain.validate().unwrap();
    let printed = "server block without any key is global configuration, and if used, it must \
                   be first";
    assert!(String::from_utf8_lossy(&output.stderr).contains(printed));
    assert!(guide.contains(&format!("`{printed}`")));
}

#[tokio::test]
async fn unset_empty_unknown_and_glob_values_stop_caddy_from_starting() {
    // The same adapt step refuses them all (see the validation test); starting one of each
    // kind shows that `caddy run`, which compose uses, exits instead of serving.
    let kinds = [
        None,
        Some(""),
        Some("open"),
        Some("*"),
        Some("?"),
        Some("]"),
    ];
    for mode in kinds {
        match Caddy::start(&setup(mode)).await {
            Ok(caddy) => panic!(
                "AUTH_MODE={mode:?} started a Caddy on port {}",
                caddy.http_port()
            ),
            Err(e) => {
                let message = format!("{e:#}");
                assert!(
                    message.contains("exited")
                        && (message.contains("invoke") || message.contains("routes_")),
                    "AUTH_MODE={mode:?}: unexpected failure {message}"
                );
            }
        }
    }
}

#[tokio::test]
async fn none_and_oauth_start() {
    for mode in ["none", "oauth"] {
        let caddy = Caddy::start(&setup(Some(mode))).await.unwrap();
        let status = reqwest::get(caddy.http_url("/nowhere"))
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "AUTH_MODE={mode}");
    }
}

/// Every handler in the adapted JSON configuration, depth first.
fn handlers(config: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    let mut stack = vec![config];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.contains_key("handler") {
                    found.push(value);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

fn domain_setup(mode: &str) -> CaddySetup {
    let mut setup = setup(Some(mode));
    setup.domain = Some("mcp.example.com".to_owned());
    setup.loopback_only = false;
    setup.extra_env = vec![("ACME_EMAIL".to_owned(), "admin@example.com".to_owned())];
    setup
}

#[test]
fn a_real_domain_validates_in_both_modes_with_https_and_acme_email() {
    for mode in ["none", "oauth"] {
        let output = domain_setup(mode).validate().unwrap();
        assert!(
            output.status.success(),
            "AUTH_MODE={mode} with a domain: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let config = domain_setup(mode).adapt().unwrap();
        let server = &config["apps"]["http"]["servers"]["srv0"];
        assert_eq!(server["listen"], serde_json::json!([":443"]), "{config}");
        assert_eq!(
            server["routes"][0]["match"][0]["host"][0],
            "mcp.example.com"
        );
        let policies = &config["apps"]["tls"]["automation"]["policies"];
        assert_eq!(policies[0]["issuers"][0]["email"], "admin@example.com");
    }
}

#[test]
fn only_oauth_mode_calls_auth_and_nothing_compresses() {
    for mode in ["none", "oauth"] {
        let config = domain_setup(mode).adapt().unwrap();
        let all = handlers(&config);
        assert!(
            all.iter().all(|h| h["handler"] != "encode"),
            "AUTH_MODE={mode} compresses responses: {config}"
        );
        let auth_calls: Vec<_> = all
            .iter()
            .filter(|h| h["rewrite"]["uri"] == "/auth")
            .collect();
        if mode == "oauth" {
            assert_eq!(auth_calls.len(), 1, "{config}");
        } else {
            assert!(auth_calls.is_empty(), "open mode calls /auth: {config}");
        }
    }
}

#[test]
fn the_caddyfile_is_formatted_as_caddy_prints_it() {
    // Caddy logs a warning on every start for an unformatted file; keep the logs clean.
    let caddyfile = crate::support::caddy::caddyfile();
    let output = std::process::Command::new(crate::support::tools::caddy().unwrap())
        .arg("fmt")
        .arg(&caddyfile)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let original = std::fs::read_to_string(&caddyfile).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        original,
        "run `caddy fmt --overwrite caddy/Caddyfile`"
    );
}

/// The `Strict-Transport-Security` header of a 404 from `url`.
async fn hsts(client: &reqwest::Client, url: &str) -> Option<String> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 404, "{url}");
    response
        .headers()
        .get("strict-transport-security")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn hsts_is_sent_on_the_https_site_only() {
    // `localhost` gets a certificate from Caddy's own authority: HTTPS without ACME.
    let mut https = setup(Some("oauth"));
    https.domain = Some("localhost".to_owned());
    let secure = Caddy::start(&https).await.unwrap();
    secure
        .wait_for_stderr("certificate obtained successfully", Duration::from_secs(20))
        .await
        .unwrap();
    let address = SocketAddr::from(([127, 0, 0, 1], secure.https_port()));
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .resolve("localhost", address)
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/nothing-here", secure.https_port());
    let header = hsts(&client, &url).await;
    assert!(
        header.as_deref().is_some_and(|h| h.starts_with("max-age=")),
        "{header:?}"
    );

    let plain = Caddy::start(&setup(Some("oauth"))).await.unwrap();
    let header = hsts(&reqwest::Client::new(), &plain.http_url("/nothing-here")).await;
    assert_eq!(header, None);
}

/// Two replicas, as docker-compose.replicas.yml sets them.
fn replicas_setup(mode: &str, balance: &str) -> CaddySetup {
    let mut setup = setup(Some(mode));
    setup.mcp_upstream = "127.0.0.1:9 127.0.0.1:11".to_owned();
    setup.auth_upstream = setup.mcp_upstream.clone();
    setup
        .extra_env
        .push(("MCP_BALANCE".to_owned(), balance.to_owned()));
    setup
}

#[test]
fn replicas_validate_in_both_modes_with_health_checks_and_retries_everywhere() {
    for mode in ["none", "oauth"] {
        let config = replicas_setup(mode, "replicas").adapt().unwrap();
        let proxies: Vec<&Value> = handlers(&config)
            .into_iter()
            .filter(|h| h["handler"] == "reverse_proxy")
            .collect();
        // /mcp (and forward_auth's /auth in oauth mode), the metadata, the front page.
        assert_eq!(proxies.len(), if mode == "oauth" { 4 } else { 3 }, "{mode}");
        for proxy in proxies {
            assert_eq!(
                proxy["upstreams"].as_array().map(Vec::len),
                Some(2),
                "{proxy}"
            );
            assert_eq!(
                proxy["health_checks"]["active"]["uri"], "/healthz",
                "{proxy}"
            );
            assert_eq!(
                proxy["load_balancing"]["try_duration"], 5_000_000_000_u64,
                "{proxy}"
            );
            // A request whose replica died mid-answer is sent again, POST included.
            assert_eq!(
                proxy["load_balancing"]["retry_match"][0]["method"],
                json!(["GET", "POST"]),
                "{proxy}"
            );
        }
    }
}

#[test]
fn one_service_has_no_health_checks_and_an_unknown_balance_stops_caddy() {
    let config = setup(Some("oauth")).adapt().unwrap();
    for proxy in handlers(&config)
        .into_iter()
        .filter(|h| h["handler"] == "reverse_proxy")
    {
        assert!(proxy.get("health_checks").is_none(), "{proxy}");
        assert!(proxy.get("load_balancing").is_none(), "{proxy}");
    }
    for balance in ["replica", "*", ""] {
        let output = replicas_setup("none", balance).validate().unwrap();
        assert!(
            !output.status.success(),
            "MCP_BALANCE={balance:?} validated"
        );
    }
}
