//! One deadline per tool call, across every page, month and retry it sends.
//!
//! Clients give up on a tool call after a fixed time (60 s for the MCP TypeScript SDK that
//! Claude Desktop and many hosts use, about 60 s in ChatGPT, 60 s in Codex, 30 s in some
//! hosts), and an answer that arrives after that is thrown away while its requests still
//! cost quota. So the MCP layer runs each call inside [`Deadline::run`], and the HTTP layer
//! asks [`remaining`] before every attempt: a request is given at most the time left, a retry
//! is sent only when a useful attempt still fits, and nothing is sent once the time is up.
//! The tools then answer with what arrived and say what did not.
//!
//! Work outside any call (a test calling a client directly, the key check) has no deadline;
//! each request is still bounded by its own timeout.

use std::{future::Future, time::Duration};

use tokio::time::Instant;

/// Least time worth starting a request with: a data.go.kr page rarely arrives faster, and a
/// request cut off sooner would only spend quota.
pub const MIN_ATTEMPT: Duration = Duration::from_secs(1);

tokio::task_local! {
    static CURRENT: Deadline;
}

/// When the current tool call must be answered by, and the limit it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// A deadline `limit` from now.
    pub fn after(limit: Duration) -> Self {
        Self {
            at: Instant::now() + limit,
            limit,
        }
    }

    /// Runs `future` under this deadline: every upstream request it sends respects it.
    pub async fn run<F: Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }

    /// The whole time the call was given (`TOOL_DEADLINE_SECS`).
    pub fn limit(self) -> Duration {
        self.limit
    }

    /// Time left before the deadline (zero once it has passed).
    pub fn remaining(self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }
}

/// The deadline of the tool call the current task is serving, if any.
pub fn current() -> Option<Deadline> {
    CURRENT.try_with(|deadline| *deadline).ok()
}

/// Time left for the current call, or `None` outside any call.
pub fn remaining() -> Option<Duration> {
    current().map(Deadline::remaining)
}

/// Whether `needed` more time fits before the current call's deadline (always outside one).
pub fn allows(needed: Duration) -> bool {
    remaining().is_none_or(|left| left >= needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_deadline_is_seen_inside_the_call_and_counts_down() {
        assert_eq!(remaining(), None);
        assert!(allows(Duration::from_secs(3600)));
        Deadline::after(Duration::from_millis(1_500))
            .run(async {
                let limit = current().map(Deadline::limit);
                assert_eq!(limit, Some(Duration::from_millis(1_500)));
                assert!(allows(MIN_ATTEMPT));
                tokio::time::sleep(Duration::from_millis(600)).await;
                assert!(remaining() <= Some(Duration::from_millis(900)));
                assert!(!allows(MIN_ATTEMPT));
                tokio::time::sleep(Duration::from_millis(1_000)).await;
                assert_eq!(remaining(), Some(Duration::ZERO));
            })
            .await;
    }
}
