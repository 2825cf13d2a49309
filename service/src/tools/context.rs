//! What tools need to do their work: the region table and the upstream clients.

use std::sync::Arc;

use anyhow::Context;

use crate::{config::Config, regions::RegionIndex};

/// Shared, read-only dependencies of every tool, built once at startup.
pub struct ToolContext {
    /// The legal-district table (built in, or `REGION_CODES_FILE`).
    pub regions: Arc<RegionIndex>,
}

impl ToolContext {
    /// Builds the clients and loads the region table described by `config`.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
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
        Ok(Self { regions })
    }
}
