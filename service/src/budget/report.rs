//! The `budget` block of every data answer's `source`: what the call spent and what is left.

use schemars::JsonSchema;
use serde::Serialize;

/// What a call spent of the daily data.go.kr budgets and what is left today. The MCP layer
/// fills it in after the tool ran, because only it sees the whole call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BudgetReport {
    /// Requests this call sent to data.go.kr and api.odcloud.kr, retries and failed fetches
    /// included; 0 when everything came from the cache.
    pub spent: u64,
    /// The caller's daily budget, every dataset together (on a server without login, one
    /// budget everybody shares).
    pub caller: Usage,
    /// The server's daily budget of each dataset this call read (the portal's quota is per
    /// dataset).
    pub datasets: Vec<DatasetUsage>,
    /// When the budgets start again: the next midnight in Korea, RFC 3339.
    pub resets_at: String,
}

/// One daily budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Usage {
    /// Requests counted today (since midnight KST).
    pub spent_today: u64,
    /// Requests still allowed today; absent when this budget is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_today: Option<u64>,
    /// The daily limit; absent when this budget is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_limit: Option<u64>,
}

impl Usage {
    pub(super) fn new(spent_today: u64, limit: Option<u64>) -> Self {
        Self {
            spent_today,
            left_today: limit.map(|limit| limit.saturating_sub(spent_today)),
            daily_limit: limit,
        }
    }
}

/// The server's budget of one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DatasetUsage {
    /// The data.go.kr service whose quota it guards, e.g. `RTMSDataSvcAptTrade`.
    pub dataset: String,
    /// Spent and left today, every caller together.
    #[serde(flatten)]
    pub usage: Usage,
}
