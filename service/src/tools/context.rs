//! What tools need to do their work: the region table and the upstream clients.

use std::{sync::Arc, time::Duration};

use anyhow::Context;

use crate::{
    budget::Budget,
    cache::Backing,
    config::Config,
    metrics::Metrics,
    regions::RegionIndex,
    upstream::{
        http::UpstreamHttp,
        molit::{MolitClient, MolitSettings},
        odcloud::{OdcloudCacheSettings, OdcloudClient},
    },
};

/// Shared, read-only dependencies of every tool, built once at startup.
pub struct ToolContext {
    /// The legal-district table (built in, or `REGION_CODES_FILE`).
    pub regions: Arc<RegionIndex>,
    /// MOLIT 실거래가 months.
    pub molit: MolitClient,
    /// Applyhome (청약홈) notices and statistics.
    pub odcloud: OdcloudClient,
    /// The server's metrics (tool calls are counted by the MCP handler).
    pub metrics: Arc<Metrics>,
    /// The daily budgets both clients' requests are charged to.
    pub budget: Budget,
    /// Time one tool call may take across its pages and retries (`TOOL_DEADLINE_SECS`).
    pub tool_deadline: Duration,
}

impl ToolContext {
    /// Builds the clients, caching through `backing`, and loads the region table described
    /// by `config`.
    pub fn from_config(config: &Config, backing: &Backing) -> anyhow::Result<Self> {
        let regions = match &config.region_codes_file {
            Some(path) => Arc::new(
                RegionIndex::from_code_go_kr_file(path)
                    .context("REGION_CODES_FILE could not be loaded")?,
            ),
            None => {
                RegionIndex::builtin_shared().context("the built-in region table is damaged")?
            }
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
            crate::config::url_text(&config.odcloud_base_url),
            config.odcloud_key.clone(),
            OdcloudCacheSettings {
                max_bytes: odcloud_bytes,
                ..OdcloudCacheSettings::default()
            },
        )
        .backed_by(backing);
        Ok(Self {
            regions,
            molit,
            odcloud,
            metrics: Arc::clone(&backing.metrics),
            budget,
            tool_deadline: config.tool_deadline,
        })
    }
}

fn shown(limit: Option<u64>) -> String {
    limit.map_or_else(|| "unlimited".to_owned(), |n| n.to_string())
}
