//! The `real-estate-mcp` command line.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};
use real_estate_mcp::{
    config::{self, Config},
    startup::{Application, build_mcp_server, keep_persisting, open_backing},
    status,
    verify::{self, VerifyOptions},
};
use rmcp::ServiceExt;

/// Korean public real-estate data (MOLIT 실거래가, 청약홈) as MCP tools.
///
/// Configuration comes from environment variables (see docs/configuration.md) and,
/// optionally, a TOML file whose keys are the lower-case variable names.
#[derive(Parser)]
#[command(name = "real-estate-mcp", version, about, long_about = None)]
struct Cli {
    /// A TOML file with settings; environment variables override it.
    #[arg(
        long,
        global = true,
        env = "REAL_ESTATE_MCP_CONFIG",
        value_name = "FILE"
    )]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve MCP over HTTP on LISTEN_ADDR (endpoint /mcp, liveness /healthz).
    Serve,
    /// Serve MCP over standard input/output, for clients that start local servers.
    Stdio,
    /// Exit 0 when a local server answers /healthz (for container health checks).
    Healthcheck {
        /// The health URL; defaults to /healthz on LISTEN_ADDR.
        #[arg(long)]
        url: Option<String>,
    },
    /// Summarise the running server: mode, version, today's data-portal requests, the cache.
    ///
    /// Reads the server's /metrics on LISTEN_ADDR; with Docker run it as
    /// `docker compose exec mcp real-estate-mcp status`.
    Status {
        /// The metrics URL; defaults to /metrics on LISTEN_ADDR.
        #[arg(long)]
        url: Option<String>,
    },
    /// Check a deployment from outside, as ChatGPT and Claude will see it, before connecting.
    ///
    /// Prints PASS, WARN or FAIL for each check with the fix; exits 0 only when none fails.
    Verify {
        /// The MCP URL people will enter, e.g. https://your-domain.ddns.net/mcp
        url: String,
        /// An access token: also runs an MCP round trip with it.
        #[arg(long, env = "VERIFY_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Also register a test client at the provider (creates a client there).
        #[arg(long)]
        register_client: bool,
        /// Accept plain http:// for loopback addresses (local testing).
        #[arg(long)]
        allow_http_loopback: bool,
        /// Seconds allowed per request.
        #[arg(long, default_value_t = 10)]
        timeout_secs: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to stderr: stdout belongs to the protocol in stdio mode.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let file = cli.config.as_deref();
    match cli.command {
        Command::Serve => serve(load_config(file)?).await,
        Command::Stdio => stdio(load_config(file)?).await,
        Command::Healthcheck { url } => Ok(healthcheck(&load_config(file)?, url).await),
        Command::Status { url } => {
            let url = match url {
                Some(url) => url,
                None => local_url(&load_config(file)?, "/metrics"),
            };
            Ok(status::run(&url, &mut std::io::stdout()).await)
        }
        // `verify` inspects a deployment from outside: it needs no local configuration.
        Command::Verify {
            url,
            token,
            register_client,
            allow_http_loopback,
            timeout_secs,
        } => Ok(verify(
            url,
            token,
            register_client,
            allow_http_loopback,
            timeout_secs,
        )
        .await),
    }
}

fn load_config(file: Option<&std::path::Path>) -> anyhow::Result<Config> {
    let sources = config::load_sources(file)?;
    Ok(config::from_sources(&sources)?)
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let app = Application::build(config.clone()).await?;
    log::info!(
        "real-estate-mcp {} listening on {} (MCP endpoint /mcp)",
        env!("CARGO_PKG_VERSION"),
        std::net::SocketAddr::new(config.listen_addr.ip(), app.port())
    );
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

async fn stdio(config: Config) -> anyhow::Result<ExitCode> {
    let backing = open_backing(&config).await;
    keep_persisting(&backing.metrics);
    let server = build_mcp_server(&config, &backing)?;
    let running = server.serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    backing.metrics.persist().await;
    Ok(ExitCode::SUCCESS)
}

/// `path` on this machine's own server: LISTEN_ADDR, with a wildcard address read as
/// loopback.
fn local_url(config: &Config, path: &str) -> String {
    let mut addr = config.listen_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    format!("http://{addr}{path}")
}

async fn healthcheck(config: &Config, url: Option<String>) -> ExitCode {
    let url = url.unwrap_or_else(|| local_url(config, "/healthz"));
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("unhealthy: could not build an HTTP client: {e}");
            return ExitCode::FAILURE;
        }
    };
    match client.get(&url).send().await {
        Ok(response) if response.status().is_success() => ExitCode::SUCCESS,
        Ok(response) => {
            eprintln!("unhealthy: {url} answered {}", response.status());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("unhealthy: {url} did not answer: {}", e.without_url());
            ExitCode::FAILURE
        }
    }
}

async fn verify(
    url: String,
    token: Option<String>,
    register_client: bool,
    allow_http_loopback: bool,
    timeout_secs: u64,
) -> ExitCode {
    let mut options = VerifyOptions::new(url);
    options.token = token;
    options.register_client = register_client;
    options.insecure_http_ok_for_loopback = allow_http_loopback;
    options.timeout = Duration::from_secs(timeout_secs.max(1));
    let report = verify::run(&options).await;
    let mut stdout = std::io::stdout();
    if let Err(e) = report.print(&mut stdout) {
        eprintln!("error: could not print the report: {e}");
        return ExitCode::FAILURE;
    }
    if report.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
