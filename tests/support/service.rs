//! Runs the real `real-estate-mcp serve` binary, the one cargo built for this workspace, on a
//! loopback port the service picks itself, with its log captured for assertions. The process
//! is killed when dropped.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use real_estate_mcp::logging::AUDIT_TARGET;
use testkit::net::closed_address;

use super::scratch::Scratch;

const START_TIMEOUT: Duration = Duration::from_secs(15);

/// What the log line announcing the bound address starts with (see `main.rs`).
const LISTENING: &str = "listening on ";

/// The `real-estate-mcp` binary next to this test executable: tests live in
/// `target/<profile>/deps/`, binaries in `target/<profile>/`. Cargo builds it for
/// `cargo test --workspace` but not for `cargo test -p e2e`, so a missing binary, or one
/// older than the service's sources, is an error that says how to build it.
pub(crate) fn binary() -> anyhow::Result<PathBuf> {
    static CHECKED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    CHECKED
        .get_or_init(|| checked_binary().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(anyhow::Error::msg)
}

fn checked_binary() -> anyhow::Result<PathBuf> {
    const BUILD: &str = "build it with `cargo build -p real-estate-mcp` (`cargo nextest run \
                         --workspace` builds it as well), then run the end-to-end tests again";
    let exe = std::env::current_exe().context("locating the test executable")?;
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .with_context(|| format!("{} has no target directory above it", exe.display()))?;
    let binary = profile_dir.join(format!("real-estate-mcp{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .map_err(|_| anyhow::anyhow!("{} does not exist: {BUILD}", binary.display()))?;
    // `cargo build` lists every file the binary was built from next to it
    // (`real-estate-mcp.d`): the service's and the split-out crates' sources and the assets
    // they embed, but not test-only modules, which cannot make the binary stale. A test build
    // (a clean `cargo nextest run --workspace`) writes no such file; the workspace libraries
    // the binary links, rebuilt whenever their sources change, stand in for them.
    let dep_info = binary.with_extension("d");
    let newest = if dep_info.is_file() {
        let listed = std::fs::read_to_string(&dep_info)
            .with_context(|| format!("reading {}: {BUILD}", dep_info.display()))?;
        newest_change(built_from(&listed)).with_context(|| {
            format!("a source listed in {} is gone: {BUILD}", dep_info.display())
        })?
    } else {
        newest_change(workspace_libraries(&profile_dir.join("deps"))?)
            .context("reading the workspace libraries' times")?
    };
    if newest > built {
        bail!(
            "{} is older than the service's sources: {BUILD}",
            binary.display()
        );
    }
    Ok(binary)
}

/// The latest modification time among `paths`.
fn newest_change(paths: Vec<PathBuf>) -> std::io::Result<SystemTime> {
    paths
        .iter()
        .map(|path| std::fs::metadata(path).and_then(|m| m.modified()))
        .try_fold(SystemTime::UNIX_EPOCH, |newest, change| {
            change.map(|c| newest.max(c))
        })
}

/// The compiled workspace libraries the binary links, as cargo leaves them in `deps`.
fn workspace_libraries(deps: &Path) -> anyhow::Result<Vec<PathBuf>> {
    const LIBRARIES: [&str; 3] = ["libreal_estate_mcp-", "libregions-", "libtoken_gate-"];
    let mut found = Vec::new();
    for entry in std::fs::read_dir(deps).with_context(|| format!("listing {}", deps.display()))? {
        let path = entry?.path();
        let is_library = path.extension().is_some_and(|e| e == "rlib")
            && path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| LIBRARIES.iter().any(|l| n.starts_with(l)));
        if is_library {
            found.push(path);
        }
    }
    Ok(found)
}

/// The sources a cargo dep-info file (`target: a.rs b.rs …`, spaces in names escaped with
/// a backslash) lists for its first target.
fn built_from(dep_info: &str) -> Vec<PathBuf> {
    let line = dep_info.lines().next().unwrap_or_default();
    let sources = line.split_once(": ").map_or("", |(_, rest)| rest);
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut chars = sources.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ' ' => paths.extend((!current.is_empty()).then(|| PathBuf::from(&current))),
            _ => current.push(c),
        }
        if c == ' ' {
            current.clear();
        }
    }
    paths.extend((!current.is_empty()).then(|| PathBuf::from(current)));
    paths
}

/// A running `real-estate-mcp serve`.
pub(crate) struct Service {
    child: Child,
    addr: SocketAddr,
    scratch: Scratch,
}

impl Service {
    /// Starts the service with exactly `env` (the test's own environment is not inherited,
    /// so a developer's `.env` exports never leak in), logging at the default filter unless
    /// `env` sets `RUST_LOG`. The data portals point at a closed loopback port: nothing
    /// reaches the internet. Waits until the service listens.
    pub(crate) async fn start(env: &[(String, String)]) -> anyhow::Result<Service> {
        let scratch = Scratch::new("service")?;
        let stderr = std::fs::File::create(scratch.path().join("stderr.log"))?;
        let nowhere = format!("http://{}", closed_address()?);
        let child = Command::new(binary()?)
            .arg("serve")
            .env_clear()
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .env("DATA_GO_KR_BASE_URL", &nowhere)
            .env("ODCLOUD_BASE_URL", &nowhere)
            // Its own cache on disk, unless the test shares one between services.
            .env("CACHE_DIR", scratch.path().join("cache"))
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(scratch.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .context("starting real-estate-mcp serve")?;
        let mut service = Service {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            scratch,
        };
        service.addr = service.wait_until_listening().await?;
        Ok(service)
    }

    async fn wait_until_listening(&mut self) -> anyhow::Result<SocketAddr> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "real-estate-mcp serve exited ({status}) before listening: {}",
                    self.log()
                );
            }
            if let Some(addr) = listening_address(&self.log()) {
                return Ok(addr);
            }
            if started.elapsed() > START_TIMEOUT {
                bail!(
                    "real-estate-mcp serve did not listen within {START_TIMEOUT:?}: {}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Where the service listens (Caddy's upstream).
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr><path>`, bypassing Caddy.
    pub(crate) fn direct_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Everything the service logged so far (standard error).
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.scratch.path().join("stderr.log")).unwrap_or_default()
    }

    /// The per-call log lines (the audit target) so far.
    pub(crate) fn tool_calls(&self) -> Vec<String> {
        let marker = format!(" {AUDIT_TARGET}] ");
        self.log()
            .lines()
            .filter(|line| line.contains(&marker))
            .map(str::to_owned)
            .collect()
    }

    /// Waits for the audit line of `tool` (written as the call completes, so it can trail
    /// the response by a moment).
    pub(crate) async fn tool_call_line(&self, tool: &str) -> anyhow::Result<String> {
        let needle = format!(" tool={tool} ");
        let started = Instant::now();
        loop {
            if let Some(line) = self.tool_calls().into_iter().find(|l| l.contains(&needle)) {
                return Ok(line);
            }
            if started.elapsed() > Duration::from_secs(5) {
                bail!("no audit line for {tool}; the log was: {}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // Kill errors mean the process is already gone; either way reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address in `… listening on 127.0.0.1:41234 (MCP endpoint /mcp)`.
fn listening_address(log: &str) -> Option<SocketAddr> {
    log.lines().find_map(|line| {
        let rest = &line[line.find(LISTENING)? + LISTENING.len()..];
        rest.split_whitespace().next()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::listening_address;

    #[test]
    fn reads_the_bound_address_from_the_log() {
        let log = "[2026-01-01T00:00:00Z INFO  actix_server::builder] starting 2 workers\n\
                   [2026-01-01T00:00:00Z INFO  real_estate_mcp] real-estate-mcp 0.1.0 \
                   listening on 127.0.0.1:41234 (MCP endpoint /mcp)\n";
        assert_eq!(
            listening_address(log),
            Some("127.0.0.1:41234".parse().unwrap())
        );
        assert_eq!(listening_address("starting 2 workers"), None);
    }
}

#[test]
fn dep_info_lists_every_source_once_spaces_included() {
    let listed = "/t/real-estate-mcp: /a/lib.rs /b/my\\ file.rs /c/x.tsv\n\n/a/lib.rs:\n";
    let expected: Vec<PathBuf> = ["/a/lib.rs", "/b/my file.rs", "/c/x.tsv"]
        .map(PathBuf::from)
        .to_vec();
    assert_eq!(built_from(listed), expected);
}
