//! The outcome of `verify`: one line per check, each failure or warning with the fix.

use std::fmt;
use std::io::{self, Write};

/// How one check turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Right as it is.
    Pass,
    /// Works, but deserves a look (e.g. an open server on a public domain).
    Warn,
    /// A client will fail to connect, or the server is not protected as configured.
    Fail,
    /// Not checked: not applicable, needs an option, or an earlier failure prevents it.
    Skip,
}

impl Status {
    /// The word printed at the start of the line.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        }
    }
}

/// The checks, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckId {
    /// The URL itself: HTTPS, ends at the MCP endpoint, no trailing slash.
    Address,
    /// The server answers at all.
    Reachable,
    /// The TLS certificate is valid for the host.
    Certificate,
    /// Protected-resource metadata (RFC 9728) is served in both forms.
    ProtectedResource,
    /// Its `resource` equals the URL exactly.
    Resource,
    /// Authorization-server metadata on the MCP host: endpoints, PKCE S256, registration.
    AuthorizationServer,
    /// The advertised authorization server is the provider's issuer, spelled exactly.
    Issuer,
    /// `/mcp` without a token: 401 with a challenge pointing at the metadata (or an open server).
    Unauthenticated,
    /// The provider's Dynamic Client Registration accepts a client.
    Registration,
    /// A real MCP exchange: `server/discover`, or `initialize`, then `tools/list`.
    RoundTrip,
    /// The deployment's own configuration, when `verify` can read it: who may enter, and
    /// values that start but cannot work.
    Configuration,
}

impl CheckId {
    /// Every check, in the order they are reported; [`CheckId::Configuration`] comes last.
    pub const ALL: [CheckId; 11] = [
        CheckId::Address,
        CheckId::Reachable,
        CheckId::Certificate,
        CheckId::ProtectedResource,
        CheckId::Resource,
        CheckId::AuthorizationServer,
        CheckId::Issuer,
        CheckId::Unauthenticated,
        CheckId::Registration,
        CheckId::RoundTrip,
        CheckId::Configuration,
    ];

    /// A short name a person recognises.
    pub fn title(self) -> &'static str {
        match self {
            CheckId::Address => "address",
            CheckId::Reachable => "server reachable",
            CheckId::Certificate => "TLS certificate",
            CheckId::ProtectedResource => "protected-resource metadata",
            CheckId::Resource => "resource matches the URL",
            CheckId::AuthorizationServer => "authorization-server metadata",
            CheckId::Issuer => "issuer",
            CheckId::Unauthenticated => "/mcp without a token",
            CheckId::Registration => "client registration (DCR)",
            CheckId::RoundTrip => "MCP round trip",
            CheckId::Configuration => "configuration (.env)",
        }
    }
}

/// One reported check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// Its outcome.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about it (for failures and warnings).
    pub fix: Option<String>,
}

/// Every check's outcome for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The URL that was checked.
    pub url: String,
    /// The checks in the order they ran.
    pub checks: Vec<Check>,
}

impl VerifyReport {
    pub(super) fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            checks: Vec::new(),
        }
    }

    /// True when no check failed (warnings and skipped checks do not fail a run).
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
    }

    /// The outcome of one check, if it was reported.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The status of one check, if it was reported.
    pub fn status(&self, id: CheckId) -> Option<Status> {
        self.check(id).map(|c| c.status)
    }

    pub(super) fn pass(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Status::Pass, detail.into(), None);
    }

    pub(super) fn skip(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Status::Skip, detail.into(), None);
    }

    pub(super) fn warn(&mut self, id: CheckId, detail: impl Into<String>, fix: impl Into<String>) {
        self.push(id, Status::Warn, detail.into(), Some(fix.into()));
    }

    pub(super) fn fail(&mut self, id: CheckId, detail: impl Into<String>, fix: impl Into<String>) {
        self.push(id, Status::Fail, detail.into(), Some(fix.into()));
    }

    /// Marks every check not reported yet as skipped for `reason`.
    pub(super) fn skip_rest(&mut self, ids: &[CheckId], reason: &str) {
        for &id in ids {
            if self.check(id).is_none() {
                self.skip(id, reason);
            }
        }
    }

    fn push(&mut self, id: CheckId, status: Status, detail: String, fix: Option<String>) {
        self.checks.push(Check {
            id,
            status,
            detail,
            fix,
        });
    }

    /// Writes the report for a person: one line per check, fixes indented below, a summary.
    pub fn print(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, "Checking {}", self.url)?;
        for check in &self.checks {
            writeln!(
                w,
                "{}  {}: {}",
                check.status.label(),
                check.id.title(),
                check.detail
            )?;
            if let Some(fix) = &check.fix {
                writeln!(w, "      fix: {fix}")?;
            }
        }
        writeln!(w, "{self}")
    }
}

impl fmt::Display for VerifyReport {
    /// The one-line summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |s| self.checks.iter().filter(|c| c.status == s).count();
        let (failed, warned) = (count(Status::Fail), count(Status::Warn));
        write!(
            f,
            "{} passed, {failed} failed, {warned} warnings, {} skipped.",
            count(Status::Pass),
            count(Status::Skip)
        )?;
        if failed > 0 {
            write!(f, " Fix the FAIL lines, then run verify again.")?;
        } else {
            write!(f, " Ready to connect a client.")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_decide_and_are_printed_with_their_fix() {
        let mut report = VerifyReport::new("https://example.test/mcp");
        report.pass(CheckId::Address, "https");
        report.warn(CheckId::Unauthenticated, "open", "set AUTH_MODE=oauth");
        assert!(report.all_passed());
        report.fail(CheckId::Resource, "wrong", "set PUBLIC_BASE_URL");
        report.skip_rest(&[CheckId::Resource, CheckId::RoundTrip], "no token");
        assert!(!report.all_passed());
        assert_eq!(report.status(CheckId::Resource), Some(Status::Fail));
        assert_eq!(report.status(CheckId::RoundTrip), Some(Status::Skip));

        let mut out = Vec::new();
        report.print(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                "FAIL  resource matches the URL: wrong\n      fix: set PUBLIC_BASE_URL\n"
            )
        );
        assert!(
            text.contains("WARN  /mcp without a token: open\n      fix: set AUTH_MODE=oauth\n")
        );
        assert!(text.ends_with("1 passed, 1 failed, 1 warnings, 1 skipped. Fix the FAIL lines, then run verify again.\n"));
    }
}
