//! The tool families the MCP server exposes. Each module holds the arguments, the output
//! shape and the logic of its tools; [`crate::mcp`] only wires them to the protocol.

pub mod analytics;
pub mod calendar;
pub mod district_months;
pub mod finance;
pub mod regions;
pub mod subscriptions;
pub mod transactions;

use std::time::Duration;

use schemars::JsonSchema;
use serde::Serialize;

use crate::{
    budget::BudgetReport,
    cache::{Freshness, StaleReason},
};

mod context;
mod error;

pub use context::ToolContext;
pub use error::ToolError;

/// Where a result's data came from and what it cost. Every upstream-backed tool reports it
/// under `source`, so a model (and the per-call log) reads one shape whatever the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Provenance {
    /// True when served from this server's cache: no quota was used.
    pub cached: bool,
    /// Seconds since the upstream service answered (0 for a live answer).
    pub age_seconds: u64,
    /// Requests this call sent to the service (0 when cached; 2 when a retry was needed; the
    /// failed attempts when `stale`). Each one counts against the key's daily quota.
    pub upstream_calls: u32,
    /// True when the service failed (quota used up, outage, timeout) and an expired copy
    /// from the cache answers instead: the data may miss recent changes.
    pub stale: bool,
    /// When `stale`: what failed and how old the copy is, in a sentence to pass on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the whole call spent of today's request budgets and what is left (caller and
    /// server), with when they reset. Added by the MCP layer once the call is over; the tool
    /// itself leaves it empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<BudgetReport>,
}

impl Provenance {
    /// The report for data with `freshness` that cost `upstream_calls` requests.
    pub fn new(freshness: Freshness, upstream_calls: u32) -> Self {
        let (cached, age, note) = match freshness {
            Freshness::Live => (false, Duration::ZERO, None),
            Freshness::Cached { age } => (true, age, None),
            Freshness::Stale { age, reason } => (true, age, Some(stale_note(age, reason))),
        };
        Self {
            cached,
            age_seconds: age.as_secs(),
            upstream_calls,
            stale: note.is_some(),
            note,
            budget: None,
        }
    }
}

/// The sentence that goes with an expired answer.
pub fn stale_note(age: Duration, reason: StaleReason) -> String {
    format!(
        "No fresh answer could be had because {}, so this is the copy this server cached {} \
         ago; it may miss changes since then. Say so when you use it.",
        reason.describe(),
        describe_age(age)
    )
}

/// An age as people say it: "45 minutes", "3 hours", "2 days".
fn describe_age(age: Duration) -> String {
    let minutes = age.as_secs() / 60;
    let (n, unit) = match minutes {
        0..=89 => (minutes.max(1), "minute"),
        90..=2159 => ((minutes + 30) / 60, "hour"),
        _ => ((minutes + 720) / 1440, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod provenance_tests {
    use super::*;

    #[test]
    fn an_expired_answer_says_why_and_how_old() {
        let stale = Provenance::new(
            Freshness::Stale {
                age: Duration::from_secs(26 * 3600),
                reason: StaleReason::QuotaExhausted,
            },
            0,
        );
        assert!(stale.cached && stale.stale);
        assert_eq!(stale.age_seconds, 26 * 3600);
        let note = stale.note.unwrap();
        assert!(note.contains("quota"), "{note}");
        assert!(note.contains("26 hours ago"), "{note}");
        let fresh = Provenance::new(
            Freshness::Cached {
                age: Duration::ZERO,
            },
            0,
        );
        assert!(!fresh.stale && fresh.note.is_none());
        let json = serde_json::to_value(&fresh).unwrap();
        assert_eq!(json["stale"], false);
        assert!(json.get("note").is_none());
    }

    #[test]
    fn ages_read_naturally() {
        let age = |secs| describe_age(Duration::from_secs(secs));
        assert_eq!(age(5), "1 minute");
        assert_eq!(age(45 * 60), "45 minutes");
        assert_eq!(age(3 * 3600), "3 hours");
        assert_eq!(age(36 * 3600), "2 days");
    }
}
