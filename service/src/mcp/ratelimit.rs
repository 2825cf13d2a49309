//! Per-caller limit on tool calls.
//!
//! Every caller shares one daily data.go.kr quota, so one busy user (or a model stuck in a
//! loop) must not be able to spend it for everyone.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};

/// A token bucket per caller subject.
#[derive(Clone)]
pub struct CallLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<String>>>,
}

impl CallLimiter {
    /// `per_minute: None` disables the limit.
    pub fn new(per_minute: Option<u32>) -> Self {
        let limiter = per_minute
            .and_then(NonZeroU32::new)
            .map(|n| Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_minute(n))));
        Self { limiter }
    }

    /// Takes one call from `subject`'s budget, or says how long to wait.
    pub fn check(&self, subject: &str) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter
            .check_key(&subject.to_owned())
            .map_err(|not_until| {
                not_until.wait_time_from(governor::clock::DefaultClock::default().now())
            })?;
        // Forget callers idle long enough to have a full bucket again; keeps memory flat.
        if limiter.len() > 1024 {
            limiter.retain_recent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subject_has_its_own_budget() {
        let limiter = CallLimiter::new(Some(2));
        assert!(limiter.check("alice").is_ok());
        assert!(limiter.check("alice").is_ok());
        let wait = limiter.check("alice").unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(30));
        assert!(limiter.check("bob").is_ok());
    }

    #[test]
    fn no_limit_when_disabled() {
        let limiter = CallLimiter::new(None);
        for _ in 0..1000 {
            assert!(limiter.check("alice").is_ok());
        }
    }
}
