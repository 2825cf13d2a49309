//! The `real-estate-mcp` command line.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::{Args, Parser, Subcommand};
use real_estate_mcp::{
    advice,
    config::{self, Config},
    keycheck, logging,
    startup::{Application, build_mcp_server, keep_persisting, open_backing},
    status,
    verify::{self, LocalConfig, VerifyOptions},
};
use rmcp::ServiceExt;

/// Where every variable is described, printed under `--help`.
const SETTINGS: &str = concat!(
    "Settings come from environment variables (with Docker: the .env file). Every variable, \
     its default and its meaning: docs/configuration.md, also at ",
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/docs/configuration.md"
);

/// Korean public real-estate data (MOLIT 실거래가, 청약홈) as MCP tools.
#[derive(Parser)]
#[command(name = "real-estate-mcp", version, about, long_about = None, after_help = SETTINGS)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The optional settings file of the commands that read the configuration.
#[derive(Args)]
struct ConfigFile {
    /// A TOML file with settings (keys: the lower-case variable names); environment
    /// variables override it.
    #[arg(long, env = "REAL_ESTATE_MCP_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve MCP over HTTP on LISTEN_ADDR (endpoint /mcp, liveness /healthz).
    #[command(after_help = SETTINGS)]
    Serve(ConfigFile),
    /// Serve MCP over standard input/output, for clients that start local servers.
    #[command(after_help = SETTINGS)]
    Stdio(ConfigFile),
    /// Exit 0 when a local server answers /healthz (for container health checks).
    Healthcheck {
        /// The health URL; defaults to /healthz on LISTEN_ADDR.
        #[arg(long)]
        url: Option<String>,
        #[command(flatten)]
        file: ConfigFile,
    },
    /// Summarise the running server: mode, version, today's data-portal requests, the cache.
    ///
    /// Reads the server's /metrics on LISTEN_ADDR; with Docker run it as
    /// `docker compose exec mcp real-estate-mcp status`.
    Status {
        /// The metrics URL; defaults to /metrics on LISTEN_ADDR.
        #[arg(long)]
        url: Option<String>,
        #[command(flatten)]
        file: ConfigFile,
    },
    /// Ask each data.go.kr dataset once which ones your key is approved for.
    ///
    /// One request per dataset (13 MOLIT, 3 Applyhome), one row each; prints PASS for the
    /// approved ones and the page to apply on for the others. Exits 0 only when all are.
    #[command(after_help = SETTINGS)]
    CheckKey(ConfigFile),
    /// Check a deployment from outside, as ChatGPT and Claude will see it, before connecting.
    ///
    /// Prints PASS, WARN or FAIL for each check with the fix; exits 0 only when none fails.
    Verify {
        /// The MCP URL people will enter, e.g. https://your-domain.ddns.net/mcp
        url: String,
        /// An access token: also runs an MCP round trip with it. Prefer the variable: a value
        /// on the command line shows in the process list and the shell history. Never sent
        /// over plain HTTP except to a loopback address.
        #[arg(long, env = "VERIFY_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Also check this deployment's `.env` (the access list, values that cannot work).
        /// Inside the compose container the configuration is read from its environment.
        #[arg(long, value_name = "FILE")]
        env_file: Option<PathBuf>,
        /// Also register a test client at the provider (creates a client there).
        #[arg(long)]
        register_client: bool,
        /// Accept plain http:// for loopback addresses (local testing).
        #[arg(long)]
        allow_http_loopback: bool,
        /// Connect to HOST (a name or IP address, the URL's port) instead of the URL's host,
        /// still sending the URL's host name: e.g. `caddy` from a container on the compose
        /// network, where localhost is the container itself.
        #[arg(long, value_name = "HOST")]
        connect_to: Option<String>,
        /// Seconds allowed per request.
        #[arg(long, default_value_t = 10)]
        timeout_secs: u64,
        #[command(flatten)]
        file: ConfigFile,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init();
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
    match cli.command {
        Command::Serve(file) => serve(load_config(&file)?).await,
        Command::Stdio(file) => stdio(load_config(&file)?).await,
        Command::Healthcheck { url, file } => Ok(healthcheck(&load_config(&file)?, url).await),
        Command::Status { url, file } => {
            let url = match url {
                Some(url) => url,
                None => local_url(&load_config(&file)?, "/metrics"),
            };
            Ok(status::run(&url, &mut std::io::stdout()).await)
        }
        Command::CheckKey(file) => check_key(&load_config(&file)?).await,
        // `verify` inspects a deployment from outside; the local configuration, when there is
        // one, only adds the checks that cannot be seen from outside (the access list).
        Command::Verify {
            url,
            token,
            file,
            env_file,
            register_client,
            allow_http_loopback,
            connect_to,
            timeout_secs,
        } => {
            let mut options = VerifyOptions::new(url);
            options.token = token
                .filter(|token| !token.trim().is_empty())
                .map(Into::into);
            options.register_client = register_client;
            options.insecure_http_ok_for_loopback = allow_http_loopback;
            options.connect_to = connect_to;
            options.timeout = Duration::from_secs(timeout_secs.max(1));
            options.local = local_config(file.config.as_deref(), env_file.as_deref());
            Ok(verify(&options).await)
        }
    }
}

fn load_config(file: &ConfigFile) -> anyhow::Result<Config> {
    let sources = config::load_sources(file.config.as_deref(), None)?;
    Ok(config::from_sources(&sources)?)
}

/// The deployment's configuration as `verify` finds it where it runs: none at all (no
/// AUTH_MODE anywhere), or what the service would start with, or why it would not start.
fn local_config(file: Option<&std::path::Path>, env_file: Option<&std::path::Path>) -> LocalConfig {
    let sources = match config::load_sources(file, env_file) {
        Ok(sources) => sources,
        Err(e) => return LocalConfig::Invalid(e.to_string()),
    };
    if sources.get_string("auth_mode").is_err() {
        return LocalConfig::Absent;
    }
    match config::from_sources(&sources) {
        Ok(config) => LocalConfig::Valid(Box::new(config)),
        Err(e) => LocalConfig::Invalid(e.to_string()),
    }
}

/// Logs what `advice::review` finds; a server open to the internet is framed so it stands
/// out in `docker compose logs`.
fn log_advice(config: &Config) {
    const RULE: &str = "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!";
    for found in advice::review(config) {
        if found.prominent {
            log::warn!("{RULE}");
            log::warn!(
                "!! OPEN TO THE INTERNET: {} {}",
                found.variable,
                found.problem
            );
            log::warn!("!! fix: {}", found.fix);
            log::warn!("{RULE}");
        } else {
            log::warn!("{} {}; fix: {}", found.variable, found.problem, found.fix);
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    log_advice(&config);
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
    let backing = open_backing(&config).await?;
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

async fn check_key(config: &Config) -> anyhow::Result<ExitCode> {
    let report = keycheck::run(config).await?;
    report.print(&mut std::io::stdout())?;
    Ok(if report.all_approved() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn verify(options: &VerifyOptions) -> ExitCode {
    let report = verify::run(options).await;
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
