//! How fresh an answer is, as callers are told, and which upstream failures let an expired
//! answer stand in.

use std::time::Duration;

/// Where an answer came from, reported to the caller as the data's freshness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Fetched from the upstream service for this request.
    Live,
    /// A fresh answer from the cache; `age` is how long ago it was fetched.
    Cached {
        /// Time since the upstream answered.
        age: Duration,
    },
    /// The upstream failed and this expired answer stands in for a fresh one.
    Stale {
        /// Time since the upstream answered.
        age: Duration,
        /// Why no fresh answer could be had.
        reason: StaleReason,
    },
}

/// Why an expired answer was served: the upstream failures that allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    /// The key's daily quota for the dataset is used up (until midnight KST).
    QuotaExhausted,
    /// Too many requests per second (HTTP 429 or the gateway's code).
    RateLimited,
    /// The service failed on its side (5xx, or its own failure code).
    Unavailable,
    /// The service did not answer in time.
    Timeout,
    /// The service could not be reached.
    Unreachable,
    /// The service answered something that could not be read.
    Unreadable,
}

impl StaleReason {
    /// What happened, as a clause: "the daily quota … is used up".
    pub fn describe(self) -> &'static str {
        match self {
            StaleReason::QuotaExhausted => {
                "the data portal's daily quota for this dataset is used up (it resets at \
                 midnight KST)"
            }
            StaleReason::RateLimited => "the data portal is limiting requests",
            StaleReason::Unavailable => "the data portal is failing on its side",
            StaleReason::Timeout => "the data portal did not answer in time",
            StaleReason::Unreachable => "the data portal could not be reached",
            StaleReason::Unreadable => "the data portal sent an answer that could not be read",
        }
    }
}

/// An upstream error, as far as the cache needs to know it.
pub trait UpstreamFailure: Clone + Send + Sync + 'static {
    /// Why an expired answer may stand in after this failure, or `None` when it must not
    /// hide it (a missing or rejected key, a permission, a bad request).
    fn stale_reason(&self) -> Option<StaleReason>;
}
