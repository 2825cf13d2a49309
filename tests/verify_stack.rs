//! `real-estate-mcp verify` against the loopback stack (the real Caddy with the project's
//! Caddyfile in front of the stand-in service): PASS when the stack is right, and the specific
//! FAIL when a fault is injected.

use std::time::Duration;

use e2e::caddy::{Caddy, CaddySetup};
use real_estate_mcp::verify::{self, CheckId, Status, VerifyOptions, VerifyReport};
use testkit::site::{McpGate, Site, SiteOptions};

const TOKEN: &str = "stack-token";

fn service_options() -> SiteOptions {
    SiteOptions {
        token: TOKEN.to_owned(),
        mcp_gate: McpGate::IdentityHeader,
        ..SiteOptions::default()
    }
}

async fn verify_through(
    caddy: &Caddy,
    token: Option<&str>,
    register: bool,
) -> (VerifyReport, String) {
    let mut opts = VerifyOptions::new(caddy.http_url("/mcp"));
    opts.token = token.map(str::to_owned);
    opts.register_client = register;
    opts.insecure_http_ok_for_loopback = true;
    let report = verify::run(&opts).await;
    let mut out = Vec::new();
    report.print(&mut out).unwrap();
    (report, String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn a_guarded_stack_passes_every_check_with_a_token() {
    let site = Site::start(service_options()).await.unwrap();
    let caddy = Caddy::start(&CaddySetup::new("oauth", site.addr()))
        .await
        .unwrap();
    site.set_public_base_url(&caddy.http_url(""));

    let (report, text) = verify_through(&caddy, Some(TOKEN), true).await;
    assert!(report.all_passed(), "{text}");
    for id in [
        CheckId::ProtectedResource,
        CheckId::Resource,
        CheckId::AuthorizationServer,
        CheckId::Issuer,
        CheckId::Unauthenticated,
        CheckId::Registration,
        CheckId::RoundTrip,
    ] {
        assert_eq!(report.status(id), Some(Status::Pass), "{id:?}\n{text}");
    }
    // The round trip really went through forward_auth with the identity /auth gave.
    let calls = site.seen_at("/mcp");
    assert!(
        calls
            .iter()
            .any(|r| r.header("x-auth-subject") == ["auth0|stand-in-user"])
    );
}

#[tokio::test]
async fn a_caddy_that_ignored_auth_mode_is_the_unguarded_failure() {
    // The service publishes OAuth metadata and (wrongly) trusts every request; Caddy runs the
    // open route set, as it would if it never saw AUTH_MODE=oauth.
    let options = SiteOptions {
        mcp_gate: McpGate::Open,
        ..service_options()
    };
    let site = Site::start(options).await.unwrap();
    let caddy = Caddy::start(&CaddySetup::new("none", site.addr()))
        .await
        .unwrap();
    site.set_public_base_url(&caddy.http_url(""));

    let (report, text) = verify_through(&caddy, None, false).await;
    assert!(!report.all_passed(), "{text}");
    assert_eq!(
        report.status(CheckId::Unauthenticated),
        Some(Status::Fail),
        "{text}"
    );
    assert!(text.contains("AUTH_MODE"), "{text}");
}

#[tokio::test]
async fn a_wrong_public_base_url_is_the_resource_failure() {
    let site = Site::start(service_options()).await.unwrap();
    let caddy = Caddy::start(&CaddySetup::new("oauth", site.addr()))
        .await
        .unwrap();
    site.set_public_base_url(&caddy.http_url("/"));

    let (report, text) = verify_through(&caddy, Some(TOKEN), false).await;
    assert_eq!(
        report.status(CheckId::Resource),
        Some(Status::Fail),
        "{text}"
    );
    assert_eq!(report.status(CheckId::Issuer), Some(Status::Pass), "{text}");
}

#[tokio::test]
async fn an_untrusted_certificate_is_the_certificate_failure() {
    // For `localhost` Caddy signs its own certificate, which no client trusts.
    let site = Site::start(service_options()).await.unwrap();
    let mut setup = CaddySetup::new("oauth", site.addr());
    setup.domain = Some("localhost".to_owned());
    let caddy = Caddy::start(&setup).await.unwrap();
    caddy
        .wait_for_stderr("certificate obtained successfully", Duration::from_secs(20))
        .await
        .unwrap();

    let url = format!("https://localhost:{}/mcp", caddy.https_port());
    let report = verify::run(&VerifyOptions::new(url)).await;
    let mut out = Vec::new();
    report.print(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        report.status(CheckId::Certificate),
        Some(Status::Fail),
        "{text}"
    );
    let detail = &report.check(CheckId::Certificate).unwrap().detail;
    assert!(detail.contains("certificate was refused"), "{text}");
    assert!(
        site.seen().is_empty(),
        "a request got past the failed handshake: {text}"
    );
}
