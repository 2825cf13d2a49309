//! `verify` against a stand-in deployment on loopback: PASS when everything is right, and the
//! specific FAIL (or WARN) for each fault a person could run into.

use real_estate_mcp::verify::{self, CheckId, Status, VerifyOptions, VerifyReport};
use testkit::net::closed_address;
use testkit::site::{McpGate, Site, SiteOptions};

const TOKEN: &str = "stand-in-token";

async fn verify_site(
    options: SiteOptions,
    token: Option<&str>,
    register: bool,
) -> (VerifyReport, Site) {
    let site = Site::start(options).await.unwrap();
    let mut opts = VerifyOptions::new(site.url("/mcp"));
    opts.token = token.map(Into::into);
    opts.register_client = register;
    opts.insecure_http_ok_for_loopback = true;
    (documented(verify::run(&opts).await), site)
}

/// The report, after checking that docs/troubleshooting.md explains each of its FAIL and WARN
/// lines: every fault these tests provoke is one a person can look up.
fn documented(report: VerifyReport) -> VerifyReport {
    testkit::docs::assert_verify_output_documented(&printed(&report));
    report
}

fn printed(report: &VerifyReport) -> String {
    let mut out = Vec::new();
    report.print(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn detail(report: &VerifyReport, id: CheckId) -> String {
    report
        .check(id)
        .map(|c| c.detail.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_correct_guarded_deployment_passes_every_check() {
    let (report, site) = verify_site(SiteOptions::default(), Some(TOKEN), true).await;
    let text = printed(&report);
    assert!(report.all_passed(), "{text}");
    // Plain HTTP on loopback has no certificate to check, and no .env was given.
    let checked = CheckId::ALL
        .into_iter()
        .filter(|id| !matches!(id, CheckId::Certificate | CheckId::Configuration));
    for id in checked {
        assert_eq!(report.status(id), Some(Status::Pass), "{id:?}\n{text}");
    }
    assert_eq!(report.status(CheckId::Certificate), Some(Status::Skip));
    assert!(
        detail(&report, CheckId::RoundTrip).contains("server/discover"),
        "{text}"
    );
    assert!(
        detail(&report, CheckId::RoundTrip).contains("2 tools"),
        "{text}"
    );
    // Neither the token nor the registered client's secret is ever shown.
    assert!(
        !text.contains(TOKEN) && !text.contains("stand-in-registered-secret"),
        "{text}"
    );
    assert!(text.contains("stand-in-registered-client"), "{text}");
    assert_eq!(site.seen_at("/provider/oidc/register").len(), 1);
}

#[tokio::test]
async fn registration_is_only_tried_when_asked() {
    let (report, site) = verify_site(SiteOptions::default(), None, false).await;
    assert!(report.all_passed(), "{}", printed(&report));
    assert_eq!(report.status(CheckId::Registration), Some(Status::Skip));
    assert_eq!(report.status(CheckId::RoundTrip), Some(Status::Skip));
    assert!(site.seen_at("/provider/oidc/register").is_empty());
}

#[tokio::test]
async fn a_wrong_resource_is_the_resource_failure() {
    let options = SiteOptions {
        resource_override: Some("https://other.example/mcp/".to_owned()),
        ..SiteOptions::default()
    };
    let (report, site) = verify_site(options, Some(TOKEN), false).await;
    let text = printed(&report);
    assert!(!report.all_passed());
    assert_eq!(
        report.status(CheckId::Resource),
        Some(Status::Fail),
        "{text}"
    );
    let fix = report
        .check(CheckId::Resource)
        .unwrap()
        .fix
        .clone()
        .unwrap();
    assert!(
        fix.contains(&format!("PUBLIC_BASE_URL={}", site.url(""))),
        "{fix}"
    );
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .collect();
    assert_eq!(failed.len(), 1, "{text}");
}

#[tokio::test]
async fn an_open_mcp_behind_oauth_metadata_is_the_unguarded_failure() {
    let options = SiteOptions {
        mcp_gate: McpGate::Open,
        ..SiteOptions::default()
    };
    let (report, _site) = verify_site(options, None, false).await;
    let text = printed(&report);
    assert_eq!(
        report.status(CheckId::Unauthenticated),
        Some(Status::Fail),
        "{text}"
    );
    assert!(
        detail(&report, CheckId::Unauthenticated).contains("unguarded"),
        "{text}"
    );
    let fix = report
        .check(CheckId::Unauthenticated)
        .unwrap()
        .fix
        .clone()
        .unwrap();
    assert!(fix.contains("AUTH_MODE"), "{fix}");
    assert!(!report.all_passed());
}

#[tokio::test]
async fn an_issuer_spelled_without_its_slash_is_the_issuer_failure() {
    let options = SiteOptions {
        issuer_slash_dropped: true,
        ..SiteOptions::default()
    };
    let (report, site) = verify_site(options, None, false).await;
    let text = printed(&report);
    assert_eq!(report.status(CheckId::Issuer), Some(Status::Fail), "{text}");
    let issuer = detail(&report, CheckId::Issuer);
    assert!(
        issuer.contains(&site.issuer()) && issuer.contains("trailing slash"),
        "{text}"
    );
}

#[tokio::test]
async fn closed_registration_is_the_registration_failure() {
    let options = SiteOptions {
        registration_open: false,
        ..SiteOptions::default()
    };
    let (report, _site) = verify_site(options, None, true).await;
    let text = printed(&report);
    assert_eq!(
        report.status(CheckId::Registration),
        Some(Status::Fail),
        "{text}"
    );
    assert!(
        detail(&report, CheckId::Registration).contains("disabled"),
        "{text}"
    );
}

#[tokio::test]
async fn a_refused_token_is_the_round_trip_failure() {
    let (report, _site) = verify_site(SiteOptions::default(), Some("wrong-token"), false).await;
    let text = printed(&report);
    assert_eq!(
        report.status(CheckId::RoundTrip),
        Some(Status::Fail),
        "{text}"
    );
    assert!(
        detail(&report, CheckId::RoundTrip).contains("refused"),
        "{text}"
    );
    assert!(!text.contains("wrong-token"), "{text}");
}

#[tokio::test]
async fn a_legacy_streaming_server_falls_back_to_initialize_with_a_warning() {
    let options = SiteOptions {
        modern_protocol: false,
        sse: true,
        ..SiteOptions::default()
    };
    let (report, _site) = verify_site(options, Some(TOKEN), false).await;
    let text = printed(&report);
    assert_eq!(
        report.status(CheckId::RoundTrip),
        Some(Status::Warn),
        "{text}"
    );
    let round_trip = detail(&report, CheckId::RoundTrip);
    assert!(
        round_trip.contains("initialize") && round_trip.contains("2 tools"),
        "{text}"
    );
    assert!(report.all_passed(), "{text}");
}

#[tokio::test]
async fn an_open_server_on_loopback_passes_and_skips_the_oauth_checks() {
    let options = SiteOptions {
        guarded: false,
        mcp_gate: McpGate::Open,
        ..SiteOptions::default()
    };
    let (report, _site) = verify_site(options, None, false).await;
    let text = printed(&report);
    assert!(report.all_passed(), "{text}");
    assert_eq!(
        report.status(CheckId::Unauthenticated),
        Some(Status::Pass),
        "{text}"
    );
    assert!(
        detail(&report, CheckId::Unauthenticated).contains("open"),
        "{text}"
    );
    assert_eq!(
        report.status(CheckId::ProtectedResource),
        Some(Status::Skip)
    );
    assert_eq!(
        report.status(CheckId::RoundTrip),
        Some(Status::Pass),
        "{text}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_the_reachability_failure() {
    let url = format!("http://{}/mcp", closed_address().unwrap());
    let report = documented(verify::run(&VerifyOptions::new(url)).await);
    let text = printed(&report);
    assert_eq!(
        report.status(CheckId::Reachable),
        Some(Status::Fail),
        "{text}"
    );
    assert_eq!(
        report.status(CheckId::Address),
        Some(Status::Warn),
        "{text}"
    );
    // Every check is reported, the local configuration last (none here: nothing to read).
    assert_eq!(report.checks.len(), 11, "{text}");
    assert_eq!(report.status(CheckId::RoundTrip), Some(Status::Skip));
    assert_eq!(report.checks[10].id, CheckId::Configuration);
    assert_eq!(report.checks[10].status, Status::Skip);
}

#[tokio::test]
async fn an_unusable_address_fails_before_any_request() {
    let report = documented(verify::run(&VerifyOptions::new("your-domain.ddns.net/mcp")).await);
    assert_eq!(report.status(CheckId::Address), Some(Status::Fail));
    assert!(!report.all_passed());
}

#[tokio::test]
async fn address_and_connect_to_faults_are_named_before_anything_is_asked() {
    let closed = closed_address().unwrap();
    let slash = documented(verify::run(&VerifyOptions::new(format!("http://{closed}/mcp/"))).await);
    assert_eq!(slash.status(CheckId::Address), Some(Status::Fail));
    assert!(detail(&slash, CheckId::Address).contains("ends with a slash"));

    let mut literal = VerifyOptions::new(format!("http://{closed}/mcp"));
    literal.connect_to = Some("localhost".to_owned());
    let literal = documented(verify::run(&literal).await);
    assert!(detail(&literal, CheckId::Reachable).contains("needs a host name"));

    let mut unknown = VerifyOptions::new(format!("http://localhost:{}/mcp", closed.port()));
    unknown.connect_to = Some("no-such-host.invalid".to_owned());
    let unknown = documented(verify::run(&unknown).await);
    assert_eq!(unknown.status(CheckId::Reachable), Some(Status::Fail));
    assert_eq!(unknown.status(CheckId::RoundTrip), Some(Status::Skip));
}
