//! Log lines about refused requests: one line per refusal with the reason and the subject
//! (never the token), so the owner can see why someone could not get in, but at most
//! [`LINES_PER_MINUTE`] a minute, so a flood of bad tokens cannot fill the disk. The next line
//! that is written says how many were left out.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::{DefaultDirectRateLimiter, Quota};

/// Refusal lines written per minute at most (a burst of as many, then one every 2 s).
pub const LINES_PER_MINUTE: NonZeroU32 = NonZeroU32::new(30).unwrap();

/// A rate-limited warning log for refusals.
pub(crate) struct RefusalLog {
    limiter: DefaultDirectRateLimiter,
    suppressed: AtomicU64,
}

impl RefusalLog {
    pub(crate) fn new() -> Self {
        Self {
            limiter: DefaultDirectRateLimiter::direct(Quota::per_minute(LINES_PER_MINUTE)),
            suppressed: AtomicU64::new(0),
        }
    }

    /// Logs the line `line` builds (only called when it will be written), or counts it.
    pub(crate) fn warn(&self, line: impl FnOnce() -> String) {
        if self.limiter.check().is_err() {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let skipped = self.suppressed.swap(0, Ordering::Relaxed);
        let line = line();
        if skipped > 0 {
            log::warn!("{line} ({skipped} earlier refusals were not logged)");
        } else {
            log::warn!("{line}");
        }
    }
}

/// A value from a token or a header, fit for one log line: control characters escaped (no
/// forged line breaks), at most 128 characters.
pub(crate) fn loggable(value: &str) -> String {
    let short: String = value.chars().take(128).collect();
    format!("{short:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_cut_to_the_budget() {
        let log = RefusalLog::new();
        let mut built = 0;
        for _ in 0..1000 {
            log.warn(|| {
                built += 1;
                String::new()
            });
        }
        assert_eq!(built, LINES_PER_MINUTE.get());
        assert_eq!(
            log.suppressed.load(Ordering::Relaxed),
            1000 - u64::from(LINES_PER_MINUTE.get())
        );
    }

    #[test]
    fn values_cannot_forge_lines() {
        assert_eq!(loggable("a\nb"), "\"a\\nb\"");
        assert_eq!(loggable(&"x".repeat(500)).len(), 130);
    }
}
