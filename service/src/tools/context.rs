//! What tools need to do their work: the region table and the upstream clients.

use std::{sync::Arc, time::Duration};

use crate::{
    budget::Budget,
    metrics::Metrics,
    regions::RegionIndex,
    upstream::{molit::MolitClient, odcloud::OdcloudClient},
};

/// Shared, read-only dependencies of every tool, built once at startup
/// ([`crate::startup::build_mcp_server`]).
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
