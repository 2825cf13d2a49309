//! Runs the project's own `caddy/Caddyfile` with the real Caddy binary on loopback.
//!
//! Each [`Caddy`] gets free ports, a private data/config directory and its own log files, so
//! many run side by side; it is killed when dropped. Where the service lives is a parameter
//! ([`CaddySetup::mcp_upstream`], [`CaddySetup::auth_upstream`]), so the same harness drives a
//! stand-in or the real binary.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;

use super::scratch::Scratch;
use super::tools;
use testkit::net::{free_port, is_port_clash};

/// Every variable the Caddyfile reads. All are cleared before Caddy starts so that the
/// developer's own environment never leaks into a test.
pub(crate) const CADDY_VARIABLES: [&str; 9] = [
    "DOMAIN",
    "ACME_EMAIL",
    "AUTH_MODE",
    "MCP_UPSTREAM",
    "AUTH_UPSTREAM",
    "MCP_BALANCE",
    "HTTP_PORT",
    "HTTPS_PORT",
    "CADDY_BIND",
];

const START_TIMEOUT: Duration = Duration::from_secs(10);

/// What Caddy logs once its configuration runs and every listener is bound.
const SERVING: &str = "serving initial configuration";

/// The project's Caddyfile.
pub(crate) fn caddyfile() -> PathBuf {
    testkit::repo::root().join("caddy").join("Caddyfile")
}

/// What a Caddy instance is started with.
#[derive(Debug, Clone)]
pub(crate) struct CaddySetup {
    /// `AUTH_MODE`; `None` leaves it unset.
    pub auth_mode: Option<String>,
    /// `MCP_UPSTREAM`: where `/mcp`, the metadata and `/oauth/token` go.
    pub mcp_upstream: String,
    /// `AUTH_UPSTREAM`: where forward_auth sends its `/auth` sub-request.
    pub auth_upstream: String,
    /// `DOMAIN`; `None` serves plain HTTP.
    pub domain: Option<String>,
    /// `HTTP_PORT`; `None` picks a free one. Fixed when the service must know Caddy's URL
    /// (`PUBLIC_BASE_URL`) before Caddy starts.
    pub http_port: Option<u16>,
    /// Listen on 127.0.0.1 only (`CADDY_BIND`); off shows what a server would bind.
    pub loopback_only: bool,
    /// Any other variables, set last.
    pub extra_env: Vec<(String, String)>,
}

impl CaddySetup {
    /// `AUTH_MODE=auth_mode` with both upstreams at `upstream`.
    pub(crate) fn new(auth_mode: &str, upstream: SocketAddr) -> CaddySetup {
        CaddySetup {
            auth_mode: Some(auth_mode.to_owned()),
            mcp_upstream: upstream.to_string(),
            auth_upstream: upstream.to_string(),
            domain: None,
            http_port: None,
            loopback_only: true,
            extra_env: Vec::new(),
        }
    }

    fn env(&self, http_port: u16, https_port: u16) -> Vec<(String, String)> {
        let mut env = vec![
            ("MCP_UPSTREAM".to_owned(), self.mcp_upstream.clone()),
            ("AUTH_UPSTREAM".to_owned(), self.auth_upstream.clone()),
            ("HTTP_PORT".to_owned(), http_port.to_string()),
            ("HTTPS_PORT".to_owned(), https_port.to_string()),
        ];
        if self.loopback_only {
            env.push(("CADDY_BIND".to_owned(), "127.0.0.1".to_owned()));
        }
        if let Some(mode) = &self.auth_mode {
            env.push(("AUTH_MODE".to_owned(), mode.clone()));
        }
        if let Some(domain) = &self.domain {
            env.push(("DOMAIN".to_owned(), domain.clone()));
        }
        env.extend(self.extra_env.iter().cloned());
        env
    }

    fn command(
        &self,
        args: &[&str],
        scratch: &Scratch,
        ports: (u16, u16),
    ) -> anyhow::Result<Command> {
        let mut command = Command::new(tools::caddy()?);
        command.args(args).arg("--config").arg(caddyfile());
        command.args(["--adapter", "caddyfile"]);
        for name in CADDY_VARIABLES {
            command.env_remove(name);
        }
        command
            .env("XDG_DATA_HOME", scratch.path().join("data"))
            .env("XDG_CONFIG_HOME", scratch.path().join("config"))
            .envs(self.env(ports.0, ports.1))
            .current_dir(scratch.path())
            .stdin(Stdio::null());
        Ok(command)
    }

    /// Runs `caddy validate` (offline: parses, adapts and provisions, binds nothing).
    pub(crate) fn validate(&self) -> anyhow::Result<Output> {
        self.offline("validate")
    }

    /// Runs `caddy adapt` and returns the JSON configuration Caddy would run.
    pub(crate) fn adapt(&self) -> anyhow::Result<Value> {
        let output = self.offline("adapt")?;
        if !output.status.success() {
            bail!(
                "caddy adapt failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        serde_json::from_slice(&output.stdout).context("caddy adapt printed no JSON")
    }

    fn offline(&self, verb: &str) -> anyhow::Result<Output> {
        let scratch = Scratch::new("caddy-offline")?;
        self.command(&[verb], &scratch, (80, 443))?
            .output()
            .with_context(|| format!("running caddy {verb}"))
    }
}

/// A running Caddy, killed when dropped.
pub(crate) struct Caddy {
    child: Child,
    http_port: u16,
    https_port: u16,
    scratch: Scratch,
}

impl Caddy {
    /// Starts Caddy and waits until it accepts connections. An error carries Caddy's own
    /// message when it refuses the configuration.
    pub(crate) async fn start(setup: &CaddySetup) -> anyhow::Result<Caddy> {
        let mut last = None;
        // A free port can be taken by someone else between our probe and Caddy's bind. A
        // fixed port is the caller's to retry: it may have handed the port out already.
        let attempts = if setup.http_port.is_some() { 1 } else { 3 };
        for _ in 0..attempts {
            match Self::try_start(setup).await {
                Err(e) if is_port_clash(&e) => last = Some(e),
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("Caddy did not start")))
    }

    async fn try_start(setup: &CaddySetup) -> anyhow::Result<Caddy> {
        let scratch = Scratch::new("caddy")?;
        let http_port = match setup.http_port {
            Some(port) => port,
            None => free_port()?,
        };
        let ports = (http_port, free_port()?);
        let stdout = std::fs::File::create(scratch.path().join("stdout.log"))?;
        let stderr = std::fs::File::create(scratch.path().join("stderr.log"))?;
        let child = setup
            .command(&["run"], &scratch, ports)?
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .context("starting caddy run")?;
        let mut caddy = Caddy {
            child,
            http_port: ports.0,
            https_port: ports.1,
            scratch,
        };
        caddy.wait_until_listening(setup).await?;
        Ok(caddy)
    }

    async fn wait_until_listening(&mut self, setup: &CaddySetup) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                // `caddy run` 2.11.7 exits without printing why a configuration was refused;
                // `caddy validate` prints the reason.
                let reason = setup.validate().map_or_else(
                    |e| format!("(validate failed to run: {e:#})"),
                    |output| String::from_utf8_lossy(&output.stderr).into_owned(),
                );
                bail!(
                    "Caddy exited ({status}) before serving.\nIts log: {}\nValidation: {reason}",
                    self.stderr()
                );
            }
            // Logged once every listener is bound. A successful connect alone proves nothing:
            // the port may belong to whoever took it first, while Caddy is failing to bind it.
            if self.stderr().contains(SERVING) {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                bail!(
                    "Caddy did not start serving on port {} within {START_TIMEOUT:?}: {}",
                    self.http_port,
                    self.stderr()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub(crate) fn http_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http_port)
    }

    /// The plain HTTP port.
    pub(crate) fn http_port(&self) -> u16 {
        self.http_port
    }

    /// The HTTPS port (used only when a domain is set).
    pub(crate) fn https_port(&self) -> u16 {
        self.https_port
    }

    /// Everything Caddy wrote to standard output so far: the JSON access log.
    pub(crate) fn stdout(&self) -> String {
        std::fs::read_to_string(self.scratch.path().join("stdout.log")).unwrap_or_default()
    }

    /// Caddy's own log (standard error) so far.
    pub(crate) fn stderr(&self) -> String {
        std::fs::read_to_string(self.scratch.path().join("stderr.log")).unwrap_or_default()
    }

    /// Waits for an access-log entry whose request URI is `uri` (entries are written just
    /// after the response, so they may trail it slightly).
    pub(crate) async fn access_log_entry(&self, uri: &str) -> anyhow::Result<Value> {
        let started = Instant::now();
        loop {
            let found = self
                .stdout()
                .lines()
                .filter_map(|line| serde_json::from_str::<Value>(line).ok())
                .find(|entry| entry["request"]["uri"] == uri);
            if let Some(entry) = found {
                return Ok(entry);
            }
            if started.elapsed() > Duration::from_secs(5) {
                bail!(
                    "no access-log entry for {uri}; stdout was: {}",
                    self.stdout()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until Caddy's own log contains `needle`.
    pub(crate) async fn wait_for_stderr(
        &self,
        needle: &str,
        timeout: Duration,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        while !self.stderr().contains(needle) {
            if started.elapsed() > timeout {
                bail!("Caddy never logged {needle:?}: {}", self.stderr());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Ok(())
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        // Kill errors mean the process is already gone; either way reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
