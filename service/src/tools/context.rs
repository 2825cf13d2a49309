//! What tools need to do their work: the region table and the upstream clients.

use crate::config::Config;

/// Shared, read-only dependencies of every tool, built once at startup.
pub struct ToolContext {}

impl ToolContext {
    /// Builds the clients and loads the region table described by `config`.
    pub fn from_config(_config: &Config) -> anyhow::Result<Self> {
        Ok(Self {})
    }
}
