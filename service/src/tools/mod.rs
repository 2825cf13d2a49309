//! The tool families the MCP server exposes. Each module holds the arguments, the output
//! shape and the logic of its tools; [`crate::mcp`] only wires them to the protocol.

pub mod analytics;
pub mod calendar;
pub mod finance;
pub mod regions;
pub mod subscriptions;
pub mod transactions;

use std::fmt;

use rmcp::schemars::JsonSchema;
use serde::Serialize;

use crate::{budget::BudgetReport, cache::Freshness};

/// A tool failure a person can act on. It reaches the client as a tool result with
/// `isError: true`, never as a protocol error, so a model can read it and correct itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    message: String,
}

impl ToolError {
    /// A failure described by a complete sentence that says what went wrong and what to do.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// An argument that fails validation: names the argument so the caller can fix it.
    pub fn invalid_argument(name: &str, problem: impl fmt::Display) -> Self {
        Self::new(format!("Invalid argument `{name}`: {problem}"))
    }

    /// The message shown to the caller.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

mod context;

pub use context::ToolContext;

/// Where a result's data came from and what it cost. Every upstream-backed tool reports it
/// under `source`, so a model (and the per-call log) reads one shape whatever the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct Provenance {
    /// True when served from this server's cache: no quota was used.
    pub cached: bool,
    /// Seconds since the upstream service answered (0 for a live answer).
    pub age_seconds: u64,
    /// Requests this call sent to the service (0 when cached; 2 when a retry was needed).
    /// Each one counts against the key's daily quota.
    pub upstream_calls: u32,
    /// What the whole call spent of today's request budgets and what is left (caller and
    /// server), with when they reset. Added by the MCP layer once the call is over; the tool
    /// itself leaves it empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<BudgetReport>,
}

impl Provenance {
    /// The report for data with `freshness` that cost `upstream_calls` requests.
    pub fn new(freshness: Freshness, upstream_calls: u32) -> Self {
        let (cached, age_seconds) = match freshness {
            Freshness::Live => (false, 0),
            Freshness::Cached { age } => (true, age.as_secs()),
        };
        Self {
            cached,
            age_seconds,
            upstream_calls,
            budget: None,
        }
    }
}
