//! Slows down guessing at `/oauth/token`: an address that fails client authentication too
//! often is refused outright (without checking credentials) until its lockout ends.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses tracked at most; beyond that, stale entries are dropped first.
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Per-address failure counter with a fixed lockout.
pub(crate) struct FailureThrottle {
    limit: u32,
    lockout: Duration,
    entries: Mutex<HashMap<String, Failures>>,
}

impl FailureThrottle {
    /// `limit` failures (each within `lockout` of the previous) lock the address for `lockout`.
    pub(crate) fn new(limit: u32, lockout: Duration) -> Self {
        Self {
            limit: limit.max(1),
            lockout,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Remaining lockout of `address`, if it is locked.
    pub(crate) fn locked_for(&self, address: &str) -> Option<Duration> {
        let now = Instant::now();
        self.with_entries(|entries| {
            let until = entries.get(address)?.locked_until?;
            until.checked_duration_since(now).filter(|d| !d.is_zero())
        })
    }

    /// Counts a failed authentication; the `limit`-th locks the address.
    pub(crate) fn record_failure(&self, address: &str) {
        let now = Instant::now();
        let (limit, lockout) = (self.limit, self.lockout);
        self.with_entries(|entries| {
            if entries.len() >= MAX_TRACKED && !entries.contains_key(address) {
                entries.retain(|_, f| now.duration_since(f.last) < lockout);
                if entries.len() >= MAX_TRACKED {
                    // Spread guessing across this many addresses: start over rather than grow.
                    entries.clear();
                }
            }
            let entry = entries.entry(address.to_owned()).or_insert(Failures {
                count: 0,
                last: now,
                locked_until: None,
            });
            if now.duration_since(entry.last) >= lockout {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if entry.count >= limit {
                entry.count = 0;
                entry.locked_until = Some(now + lockout);
            }
        });
    }

    /// Forgets the failures of an address that authenticated.
    pub(crate) fn record_success(&self, address: &str) {
        self.with_entries(|entries| entries.remove(address));
    }

    fn with_entries<T>(&self, f: impl FnOnce(&mut HashMap<String, Failures>) -> T) -> T {
        let mut guard = match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_limit_and_only_that_address() {
        let throttle = FailureThrottle::new(3, Duration::from_secs(60));
        throttle.record_failure("a");
        throttle.record_failure("a");
        assert!(throttle.locked_for("a").is_none());
        throttle.record_failure("a");
        assert!(throttle.locked_for("a").is_some());
        assert!(throttle.locked_for("b").is_none());
    }

    #[test]
    fn success_clears_the_count() {
        let throttle = FailureThrottle::new(2, Duration::from_secs(60));
        throttle.record_failure("a");
        throttle.record_success("a");
        throttle.record_failure("a");
        assert!(throttle.locked_for("a").is_none());
    }
}
