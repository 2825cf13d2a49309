//! The `real-estate-mcp` command line.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};
use real_estate_mcp::{
    config::{self, Config, Settings},
    startup::{Application, build_mcp_server},
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
    let sources = config::load_sources(cli.config.as_deref())?;
    let settings: Settings = config::extract(&sources)?;
    let config = settings.validate()?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Stdio => stdio(config).await,
        Command::Healthcheck { url } => Ok(healthcheck(&config, url).await),
    }
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
    let server = build_mcp_server(&config)?;
    let running = server.serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(ExitCode::SUCCESS)
}

async fn healthcheck(config: &Config, url: Option<String>) -> ExitCode {
    let url = url.unwrap_or_else(|| {
        let mut addr = config.listen_addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        format!("http://{addr}/healthz")
    });
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
