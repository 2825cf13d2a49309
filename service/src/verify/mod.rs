//! `real-estate-mcp verify <url>`: every check a person needs before connecting ChatGPT or
//! Claude, run from outside like a client would, each reported as PASS, WARN, FAIL or SKIP
//! with the fix.
//!
//! The checks: the address, reachability and the TLS certificate; the protected-resource
//! metadata (both forms) and its `resource`; the authorization-server metadata on the MCP host
//! (endpoints, PKCE S256, registration); the issuer as the provider spells it; `/mcp` without a
//! token (401 pointing at the metadata, or an open server, which is a warning on a public
//! host); Dynamic Client Registration (only with [`VerifyOptions::register_client`], as it
//! creates a client); with a token (never sent in cleartext beyond loopback) or on an open
//! server, a real MCP exchange; and, when the deployment's configuration is at hand, who may
//! enter and the values that start but cannot work.

mod connect;
mod local;
mod mcp;
mod oauth;
mod probe;
mod report;
mod target;

use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

pub use crate::host::HostKind;
pub use local::LocalConfig;
pub use report::{Check, CheckId, Status, VerifyReport};

use probe::{Failure, Http};
use target::Target;

/// Every check made from outside, in report order: all but [`CheckId::Configuration`], the
/// last, which is made from the deployment's own files.
const FROM_OUTSIDE: &[CheckId] = match CheckId::ALL.split_last() {
    Some((_, outside)) => outside,
    None => &[],
};

/// What to check and how.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The MCP endpoint exactly as it will be given to clients, e.g.
    /// `https://your-domain.ddns.net/mcp` (a bare site address gets `/mcp` added).
    pub url: String,
    /// An access token for the round trip; never printed.
    pub token: Option<SecretString>,
    /// Register a test client with the provider (creates a real client).
    pub register_client: bool,
    /// Accept plain `http://` for loopback hosts without a warning (local tests).
    pub insecure_http_ok_for_loopback: bool,
    /// Time allowed for each request.
    pub timeout: Duration,
    /// Connect to this host (a name or IP address) instead of the URL's, keeping the URL's
    /// host name in `Host` and for the certificate: e.g. `caddy` from a container on the
    /// compose network, where `localhost` is the container itself.
    pub connect_to: Option<String>,
    /// The deployment's configuration, if `verify` runs where it is.
    pub local: LocalConfig,
}

impl VerifyOptions {
    /// Options for `url` with the defaults: no token, no registration, HTTPS expected,
    /// 10 seconds per request.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            token: None,
            register_client: false,
            insecure_http_ok_for_loopback: false,
            timeout: Duration::from_secs(10),
            connect_to: None,
            local: LocalConfig::Absent,
        }
    }
}

/// Runs every check against `opts.url`. Never fails: problems are FAIL lines in the report.
pub async fn run(opts: &VerifyOptions) -> VerifyReport {
    let mut report = from_outside(opts).await;
    local::check(&mut report, &opts.local);
    report
        .checks
        .sort_by_key(|c| CheckId::ALL.iter().position(|id| *id == c.id));
    report
}

/// The checks a client could make.
async fn from_outside(opts: &VerifyOptions) -> VerifyReport {
    let mut report = VerifyReport::new(opts.url.trim());
    let target = match Target::parse(&opts.url) {
        Ok(target) => target,
        Err(problem) => {
            report.fail(
                CheckId::Address,
                problem,
                "pass the address clients will use, e.g. https://your-domain.ddns.net/mcp",
            );
            report.skip_rest(FROM_OUTSIDE, "not checked: the address is not usable");
            return report;
        }
    };
    report.url = target.endpoint.clone();
    check_address(&mut report, &target, opts);
    let connect_to = match &opts.connect_to {
        None => None,
        Some(host) => match connect::resolve(&target, host).await {
            Ok(addrs) => Some(addrs),
            Err((detail, fix)) => {
                report.fail(CheckId::Reachable, detail, fix);
                report.skip_rest(FROM_OUTSIDE, "not checked: --connect-to could not be used");
                return report;
            }
        },
    };
    let overrides = connect_to
        .as_ref()
        .map(|addrs| (target.host.as_str(), addrs.as_slice()));
    let http = match Http::new(opts.timeout, overrides) {
        Ok(http) => http,
        Err(problem) => {
            report.fail(CheckId::Reachable, problem, "report this as a bug");
            report.skip_rest(FROM_OUTSIDE, "not checked");
            return report;
        }
    };
    let [first_url, _] = target.protected_resource_urls();
    let first = match http.get(&first_url).await {
        Ok(answer) => answer,
        Err(failure) => {
            report_unreachable(&mut report, &target, &failure);
            report.skip_rest(FROM_OUTSIDE, "not checked: the server could not be reached");
            return report;
        }
    };
    let via = match (&opts.connect_to, &connect_to) {
        (Some(host), Some(addrs)) => connect::describe(host, addrs),
        _ => String::new(),
    };
    report.pass(
        CheckId::Reachable,
        format!("{} answers{via}", target.origin),
    );
    if target.https {
        report.pass(CheckId::Certificate, format!("valid for {}", target.host));
    } else {
        report.skip(CheckId::Certificate, "plain HTTP: no certificate involved");
    }

    let metadata = oauth::MetadataLookup::complete(&http, &target, &first).await;
    let probe = match mcp::probe_without_token(&http, &target).await {
        Ok(answer) => answer,
        Err(failure) => {
            report.fail(
                CheckId::Unauthenticated,
                failure.describe(),
                "see `docker compose logs caddy`",
            );
            report.skip_rest(FROM_OUTSIDE, "not checked: /mcp did not answer");
            return report;
        }
    };
    let guarded = !metadata.absent() || probe.status == 401;
    if guarded {
        check_guarded(&mut report, &http, &target, opts, &metadata).await;
    } else {
        report.skip_rest(
            &[
                CheckId::ProtectedResource,
                CheckId::Resource,
                CheckId::AuthorizationServer,
                CheckId::Issuer,
                CheckId::Registration,
            ],
            "no OAuth metadata: the server runs without login (AUTH_MODE=none)",
        );
    }
    mcp::judge_without_token(&mut report, &target, &probe, guarded);
    match (guarded, opts.token.as_ref().map(|t| t.expose_secret())) {
        (true, None) => report.skip(
            CheckId::RoundTrip,
            "not tried: pass a token (--token) to make a real MCP call",
        ),
        (true, Some(_)) if !token_may_travel(&target) => report.fail(
            CheckId::RoundTrip,
            format!(
                "the token was not sent: {} is plain HTTP to another machine, where anyone on \
                 the way could read it",
                target.endpoint
            ),
            "check the https:// address (set DOMAIN so Caddy serves HTTPS), or run verify on \
             the server itself against http://localhost/mcp",
        ),
        (true, Some(token)) => mcp::round_trip(&http, &mut report, &target, Some(token)).await,
        (false, _) if (200..300).contains(&probe.status) => {
            mcp::round_trip(&http, &mut report, &target, None).await;
        }
        (false, _) => report.skip(CheckId::RoundTrip, "not tried: /mcp does not answer"),
    }
    report
}

async fn check_guarded(
    report: &mut VerifyReport,
    http: &Http,
    target: &Target,
    opts: &VerifyOptions,
    metadata: &oauth::MetadataLookup,
) {
    let document = metadata.report(report);
    let host_copy = oauth::check_authorization_server(http, report, target).await;
    let provider = match &document {
        Some(document) => {
            oauth::check_resource(report, target, document);
            oauth::check_issuer(http, report, document, host_copy.as_ref()).await
        }
        None => {
            report.skip_rest(
                &[CheckId::Resource, CheckId::Issuer],
                "not checked: no metadata",
            );
            None
        }
    };
    oauth::check_registration(
        http,
        report,
        opts.register_client,
        provider.as_ref(),
        host_copy.as_ref(),
    )
    .await;
}

fn check_address(report: &mut VerifyReport, target: &Target, opts: &VerifyOptions) {
    let added = if target.path_added {
        " (/mcp added: give clients this full address)"
    } else {
        ""
    };
    if target.endpoint.ends_with('/') {
        report.fail(
            CheckId::Address,
            format!("{} ends with a slash", target.endpoint),
            "drop the trailing slash: clients compare the address with the metadata byte for byte",
        );
    } else if target.https {
        report.pass(CheckId::Address, format!("{}{added}", target.endpoint));
    } else if target.kind == HostKind::Loopback && opts.insecure_http_ok_for_loopback {
        report.pass(
            CheckId::Address,
            format!(
                "{}{added}: plain HTTP accepted on loopback",
                target.endpoint
            ),
        );
    } else if target.kind == HostKind::Loopback {
        report.warn(
            CheckId::Address,
            format!("{}{added} is plain HTTP", target.endpoint),
            "fine for a local test; ChatGPT and Claude need https:// (set DOMAIN in .env)",
        );
    } else {
        report.fail(
            CheckId::Address,
            format!("{}{added} is plain HTTP", target.endpoint),
            "ChatGPT and Claude connect only over HTTPS: set DOMAIN in .env so Caddy gets a \
             certificate, and use https://",
        );
    }
}

/// A token goes only where nobody on the way can read it: over HTTPS, or to this machine.
fn token_may_travel(target: &Target) -> bool {
    target.https || target.kind == HostKind::Loopback
}

fn report_unreachable(report: &mut VerifyReport, target: &Target, failure: &Failure) {
    match failure {
        Failure::Certificate(_) | Failure::Tls(_) => {
            report.pass(
                CheckId::Reachable,
                format!("{} accepts connections", target.origin),
            );
            report.fail(
                CheckId::Certificate,
                failure.describe(),
                "Caddy gets the certificate by itself once DOMAIN's DNS record points at this \
                 machine and ports 80 and 443 are forwarded to it; `docker compose logs caddy` \
                 shows why it could not (allow a minute after the first start)",
            );
        }
        _ if target.kind != HostKind::Public => report.fail(
            CheckId::Reachable,
            failure.describe(),
            "is the stack running? `docker compose ps` should show both containers up, and \
             `docker compose logs caddy` why not",
        ),
        _ => report.fail(
            CheckId::Reachable,
            failure.describe(),
            format!(
                "check that {} resolves to your public IP (DDNS), that the router forwards \
                 ports 80 and 443 to this machine, and `docker compose ps`. From inside your \
                 own network some routers cannot reach their public address: try from a \
                 phone on mobile data, or check everything but DNS and the router with \
                 --connect-to 127.0.0.1 on the server (scripts/verify.sh … --connect-to caddy \
                 with only Docker)",
                target.host
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address_status(url: &str, loopback_ok: bool) -> Status {
        let mut opts = VerifyOptions::new(url);
        opts.insecure_http_ok_for_loopback = loopback_ok;
        let mut report = VerifyReport::new(url);
        check_address(&mut report, &Target::parse(url).unwrap(), &opts);
        report.status(CheckId::Address).unwrap()
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert_eq!(
            address_status("https://my.ddns.net/mcp", false),
            Status::Pass
        );
        assert_eq!(address_status("http://my.ddns.net/mcp", true), Status::Fail);
        assert_eq!(address_status("http://192.168.0.2/mcp", true), Status::Fail);
        assert_eq!(address_status("http://localhost/mcp", false), Status::Warn);
        assert_eq!(address_status("http://localhost/mcp", true), Status::Pass);
        assert_eq!(
            address_status("https://my.ddns.net/mcp/", false),
            Status::Fail
        );
    }

    #[test]
    fn tokens_travel_only_over_https_or_to_loopback() {
        let may = |url: &str| token_may_travel(&Target::parse(url).unwrap());
        assert!(may("https://my.ddns.net/mcp"));
        assert!(may("https://192.168.0.2/mcp"));
        assert!(may("http://localhost:8080/mcp"));
        assert!(may("http://127.0.0.1/mcp"));
        assert!(!may("http://my.ddns.net/mcp"));
        assert!(!may("http://192.168.0.2/mcp"));
        assert!(!may("http://nas.local/mcp"));
    }

    #[test]
    fn debug_output_hides_the_token() {
        let mut opts = VerifyOptions::new("https://my.ddns.net/mcp");
        opts.token = Some("secret-token-value".into());
        assert!(!format!("{opts:?}").contains("secret-token-value"));
    }
}
