//! The real implementations the interoperability tests drive, installed in `interop/` by
//! `scripts/install-interop-tools.sh`: Node 24 and the official Python SDK (in
//! `interop/.venv`), the official TypeScript SDK, `oidc-provider` and the MCP conformance
//! suite (in `interop/node_modules`). A missing install is an error that says how to fix it,
//! never a skipped test.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::scratch::Scratch;
use testkit::repo;

const INSTALL: &str = "run `bash scripts/install-interop-tools.sh` (scripts/test.sh does)";

/// `interop/`, where the scripts and their pinned packages live.
pub(crate) fn dir() -> PathBuf {
    repo::root().join("interop")
}

fn installed(path: PathBuf) -> anyhow::Result<PathBuf> {
    if path.exists() {
        Ok(path)
    } else {
        bail!("{} is missing: {INSTALL}", path.display())
    }
}

/// Node 24 from `interop/.venv`.
pub(crate) fn node() -> anyhow::Result<PathBuf> {
    installed(dir().join(".venv/bin/node"))?;
    installed(dir().join("node_modules/.package-lock.sha256"))?;
    Ok(dir().join(".venv/bin/node"))
}

/// The Python that has the official MCP SDK.
pub(crate) fn python() -> anyhow::Result<PathBuf> {
    installed(dir().join(".venv/bin/python"))
}

/// A command in `interop/` with a clean environment: only `PATH` and `HOME` pass, so a
/// developer's proxy or Node settings never change what the test sees.
pub(crate) fn command(program: PathBuf) -> Command {
    let mut command = Command::new(program);
    command.current_dir(dir()).env_clear().kill_on_drop(true);
    for name in ["PATH", "HOME"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
}

/// Runs `command` to the end within `timeout` and returns its standard output and error. A
/// non-zero exit or a timeout is an error carrying both, so the tool's own message reaches
/// the test log.
pub(crate) async fn run(
    mut command: Command,
    timeout: Duration,
) -> anyhow::Result<(String, String)> {
    let shown = format!("{:?}", command.as_std());
    let output = tokio::time::timeout(timeout, command.stdin(Stdio::null()).output())
        .await
        .with_context(|| format!("{shown} did not finish within {timeout:?}"))?
        .with_context(|| format!("starting {shown}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        bail!("{shown} failed ({}):\n{stderr}\n{stdout}", output.status);
    }
    Ok((stdout, stderr))
}

/// [`run`] for the scripts of `interop/`, whose last output line is a JSON document.
pub(crate) async fn run_json(command: Command, timeout: Duration) -> anyhow::Result<Value> {
    let (stdout, stderr) = run(command, timeout).await?;
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).with_context(|| format!("no JSON printed:\n{stdout}\n{stderr}"))
}

/// How the OpenID provider presents itself (see `interop/provider.mjs`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ProviderShape {
    /// Issuer with a trailing slash; OpenID scopes also reach the access token.
    Auth0,
    /// Issuer under `/realms/mcp` without a trailing slash; Client ID Metadata Documents on.
    Keycloak,
}

/// `oidc-provider` running `interop/provider.mjs`; stopped when dropped.
pub(crate) struct OpenIdProvider {
    issuer: String,
    _child: Child,
    _scratch: Scratch,
}

impl OpenIdProvider {
    /// Starts the provider and waits for the issuer it prints.
    pub(crate) async fn start(shape: ProviderShape) -> anyhow::Result<OpenIdProvider> {
        Self::start_with(shape, &[]).await
    }

    /// [`OpenIdProvider::start`] with extra arguments for `provider.mjs` (e.g.
    /// `withhold-once:SCOPE`).
    pub(crate) async fn start_with(
        shape: ProviderShape,
        extra: &[&str],
    ) -> anyhow::Result<OpenIdProvider> {
        let scratch = Scratch::new("oidc-provider")?;
        let stderr = std::fs::File::create(scratch.path().join("stderr.log"))?;
        let argument = match shape {
            ProviderShape::Auth0 => "auth0",
            ProviderShape::Keycloak => "keycloak",
        };
        let mut child = command(node()?)
            .args(["provider.mjs", argument])
            .args(extra)
            // Held open: the provider stops when its input closes, even if we are killed.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .context("starting interop/provider.mjs")?;
        let stdout = child.stdout.take().context("provider stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .context("oidc-provider did not start within 20 s")??;
        let log = || std::fs::read_to_string(scratch.path().join("stderr.log")).unwrap_or_default();
        let issuer = line
            .and_then(|line| serde_json::from_str::<Value>(&line).ok())
            .and_then(|v| v["issuer"].as_str().map(str::to_owned))
            .with_context(|| format!("oidc-provider printed no issuer: {}", log()))?;
        Ok(OpenIdProvider {
            issuer,
            _child: child,
            _scratch: scratch,
        })
    }

    /// The issuer exactly as the provider spells it.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    /// What the provider logged so far (its errors explain a refused sign-in).
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self._scratch.path().join("stderr.log")).unwrap_or_default()
    }
}
