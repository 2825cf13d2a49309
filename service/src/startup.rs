//! Builds the HTTP application from validated configuration.

use std::{
    net::TcpListener,
    sync::{Arc, Weak},
    time::Duration,
};

use actix_web::{App, HttpResponse, HttpServer, dev::Server, middleware::from_fn, web};
use anyhow::Context;

use crate::{
    auth::{AuthConfig, AuthGate, AuthMode, provider_client},
    budget::Budget,
    cache::Backing,
    config::{self, Config},
    mcp::{CallLimiter, RealEstateServer},
    metrics::{Metrics, ServerInfo, Usage},
    origin::OriginPolicy,
    regions::RegionIndex,
    routes::{self, front::FrontPage, mcp::McpEndpoint},
    store::OpenedStore,
    tools::ToolContext,
    upstream::{
        http::UpstreamHttp,
        molit::{MolitClient, MolitSettings},
        odcloud::{OdcloudCacheSettings, OdcloudClient},
    },
};

/// How often counters and buffered cache bookkeeping are written to the store.
const PERSIST_EVERY: Duration = Duration::from_secs(10);

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    metrics: Arc<Metrics>,
}

impl Application {
    /// Loads everything the server needs and binds `config.listen_addr` (port 0 picks one).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let backing = open_backing(&config).await?;
        let server = build_mcp_server(&config, &backing)?;
        let metrics = Arc::clone(&backing.metrics);
        keep_persisting(&metrics);
        let origins = OriginPolicy::new(config.public_base_url.as_ref(), &config.extra_origins)
            .with_hosts(&config.extra_hosts);
        let identity_http = provider_client(Duration::from_secs(5), Duration::from_secs(10))
            .context("could not build the HTTP client for the identity provider")?;
        let front = Arc::new(FrontPage::new(
            config.public_base_url.clone(),
            matches!(config.auth, AuthConfig::Guarded(_)),
            origins.clone(),
        ));
        let gate = AuthGate::start(config.auth.clone(), identity_http, origins.clone());
        let endpoint = Arc::new(McpEndpoint::new(server, origins, gate.clone()));
        let listener = TcpListener::bind(config.listen_addr).with_context(|| {
            format!(
                "could not listen on {} (LISTEN_ADDR): is another program using the port?",
                config.listen_addr
            )
        })?;
        let port = listener.local_addr()?.port();
        let shared = Arc::clone(&metrics);
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(routes::metrics::count_requests))
                .configure(|cfg| routes::metrics::configure(cfg, shared.clone()))
                .service(routes::health::healthz)
                .configure(|cfg| routes::front::configure(cfg, front.clone()))
                .configure(|cfg| routes::mcp::configure(cfg, endpoint.clone()))
                .configure(|cfg| routes::auth::configure(cfg, gate.clone()))
                .default_service(web::to(not_found))
        })
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            metrics,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is asked to stop (SIGINT/SIGTERM), then writes what the
    /// store has not yet received.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.metrics.persist().await;
        served
    }
}

/// Opens the cache store `config` asks for and the metrics every part of the server
/// shares, with the counters the store kept from earlier runs. Fails only when a shared
/// store (`CACHE_URL`) does not answer.
pub async fn open_backing(config: &Config) -> anyhow::Result<Backing> {
    let opened = OpenedStore::open(&config.cache.store).await?;
    let usage = Usage::load(opened.store.clone()).await;
    let budget = Budget::new(config.budget, opened.budget_usage());
    let info = ServerInfo {
        auth_mode: match config.auth.mode() {
            AuthMode::None => "none",
            AuthMode::OAuth => "oauth",
        },
        store: opened.clone(),
    };
    let metrics = Metrics::new(info, usage);
    metrics.watch_budget(budget.clone());
    Ok(Backing {
        store: opened.store,
        metrics: Arc::new(metrics),
        budget,
    })
}

/// Writes counters to the store every few seconds while `metrics` is in use.
pub fn keep_persisting(metrics: &Arc<Metrics>) {
    let metrics: Weak<Metrics> = Arc::downgrade(metrics);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PERSIST_EVERY);
        every.tick().await;
        loop {
            every.tick().await;
            let Some(metrics) = metrics.upgrade() else {
                break;
            };
            metrics.persist().await;
        }
    });
}

/// The MCP server with its tools, shared by the HTTP and stdio transports.
pub fn build_mcp_server(config: &Config, backing: &Backing) -> anyhow::Result<RealEstateServer> {
    log_key_status(config);
    let context = Arc::new(tool_context(config, backing)?);
    Ok(RealEstateServer::new(
        context,
        CallLimiter::new(config.tool_calls_per_minute),
    ))
}

/// Builds the clients, caching through `backing`, and loads the region table described
/// by `config`.
fn tool_context(config: &Config, backing: &Backing) -> anyhow::Result<ToolContext> {
    let regions = match &config.region_codes_file {
        Some(path) => Arc::new(
            RegionIndex::from_code_go_kr_file(path)
                .context("REGION_CODES_FILE could not be loaded")?,
        ),
        None => RegionIndex::builtin_shared().context("the built-in region table is damaged")?,
    };
    log::info!(
        "region table: {} ({} 시군구, {} 읍면동)",
        regions.source(),
        regions.sigungu_count(),
        regions.dong_count()
    );
    let budget = backing.budget.clone();
    log::info!(
        "daily budgets of data.go.kr requests (reset at midnight KST): {} per caller, {} per \
         dataset",
        shown(config.budget.per_caller),
        shown(config.budget.per_dataset)
    );
    let http = UpstreamHttp::new(config.http.clone())
        .context("could not build the HTTP client for the data services")?
        .with_budget(budget.clone());
    // Applyhome answers are small next to MOLIT months: an eighth of the budget is ample.
    let odcloud_bytes = config.cache_max_bytes / 8;
    let molit = MolitClient::new(
        http.clone(),
        &config.data_go_kr_base_url,
        config.data_go_kr_key.clone(),
        MolitSettings {
            cache_bytes: config.cache_max_bytes - odcloud_bytes,
            ttl_recent: config.cache.ttl_recent,
            ttl_settled: config.cache.ttl_settled,
            ..MolitSettings::default()
        },
    )
    .backed_by(backing);
    let odcloud = OdcloudClient::new(
        http.clone(),
        config::url_text(&config.odcloud_base_url),
        config.odcloud_key.clone(),
        OdcloudCacheSettings {
            max_bytes: odcloud_bytes,
            ..OdcloudCacheSettings::default()
        },
    )
    .backed_by(backing);
    Ok(ToolContext {
        regions,
        molit,
        odcloud,
        metrics: Arc::clone(&backing.metrics),
        budget,
        tool_deadline: config.tool_deadline,
    })
}

fn shown(limit: Option<u64>) -> String {
    limit.map_or_else(|| "unlimited".to_owned(), |n| n.to_string())
}

/// Says at startup whether the data tools can work, so a missing key is found in the log
/// rather than in a chat.
fn log_key_status(config: &Config) {
    if config.data_go_kr_key.is_none() {
        log::warn!(
            "DATA_GO_KR_API_KEY is not set: the data tools will only explain how to get a key \
             (the calculators and region lookup work). Get one at https://www.data.go.kr \
             (docs/data-go-kr.md), set it in .env, restart, and run `real-estate-mcp check-key`"
        );
    } else {
        log::info!(
            "data.go.kr key set; `real-estate-mcp check-key` shows which datasets it is \
             approved for (one request each)"
        );
    }
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({
        "error": "not_found",
        "error_description": "Nothing here. The MCP endpoint is /mcp.",
    }))
}
