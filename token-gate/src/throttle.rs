//! Slows down guessing at `/oauth/token`: an address that fails client authentication too
//! often is refused outright (without checking credentials) until its lockout ends. IPv6
//! callers count per /64 network (one subscriber's allocation), and the number of addresses
//! tracked is bounded whatever callers send.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses tracked at most; beyond that, stale entries go first, then the oldest.
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
        let key = key(address);
        self.with_entries(|entries| {
            let until = entries.get(&key)?.locked_until?;
            until.checked_duration_since(now).filter(|d| !d.is_zero())
        })
    }

    /// Counts a failed authentication; the `limit`-th locks the address.
    pub(crate) fn record_failure(&self, address: &str) {
        let now = Instant::now();
        let (limit, lockout) = (self.limit, self.lockout);
        let key = key(address);
        self.with_entries(|entries| {
            if entries.len() >= MAX_TRACKED && !entries.contains_key(&key) {
                entries.retain(|_, f| {
                    now.duration_since(f.last) < lockout
                        || f.locked_until.is_some_and(|until| until > now)
                });
                // Guessing spread over this many addresses: make room by forgetting the one
                // seen longest ago rather than growing (or forgetting everyone's lockout).
                if entries.len() >= MAX_TRACKED
                    && let Some(oldest) = entries
                        .iter()
                        .min_by_key(|(_, f)| f.last)
                        .map(|(k, _)| k.clone())
                {
                    entries.remove(&oldest);
                }
            }
            let entry = entries.entry(key).or_insert(Failures {
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
        let key = key(address);
        self.with_entries(|entries| entries.remove(&key));
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.with_entries(|entries| entries.len())
    }

    fn with_entries<T>(&self, f: impl FnOnce(&mut HashMap<String, Failures>) -> T) -> T {
        let mut guard = match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }
}

/// What failures are counted under: the address, or its /64 network for IPv6.
fn key(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
        Ok(ip) => ip.to_canonical().to_string(),
        Err(_) => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_network_share_a_count() {
        let throttle = FailureThrottle::new(2, Duration::from_secs(60));
        throttle.record_failure("2001:db8:1:2::1");
        throttle.record_failure("2001:db8:1:2:ffff::9");
        assert!(throttle.locked_for("2001:db8:1:2::77").is_some());
        assert!(throttle.locked_for("2001:db8:1:3::1").is_none());
        assert_eq!(key("::ffff:192.0.2.1"), "192.0.2.1");
    }

    #[test]
    fn memory_stays_bounded_and_recent_lockouts_survive_a_spray() {
        let throttle = FailureThrottle::new(1, Duration::from_secs(60));
        throttle.record_failure("192.0.2.1");
        for n in 0..(MAX_TRACKED as u32 + 500) {
            throttle.record_failure(&std::net::Ipv4Addr::from(0x0a00_0000 + n).to_string());
        }
        assert!(throttle.tracked() <= MAX_TRACKED);
        // The spray evicts the oldest entries one at a time; the latest ones stay locked.
        let last = std::net::Ipv4Addr::from(0x0a00_0000 + MAX_TRACKED as u32 + 499);
        assert!(throttle.locked_for(&last.to_string()).is_some());
    }

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
