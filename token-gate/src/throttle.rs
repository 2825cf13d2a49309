//! Slows down guessing at `/oauth/token`: an address that fails client authentication too
//! often is refused outright (without checking credentials) until its lockout ends. IPv6
//! callers count per /64 network (one subscriber's allocation), and the number of addresses
//! tracked is bounded whatever callers send.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use moka::{ops::compute::Op, policy::EvictionPolicy, sync::Cache};

/// Addresses tracked at most; beyond that, the one seen longest ago is forgotten.
const MAX_TRACKED: u64 = 10_000;

/// The failures of one address (or IPv6 /64). The cache forgets an entry `lockout` after
/// its last failure, which both resets the count and ends a lockout.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    locked_until: Option<Instant>,
}

/// Per-address failure counter with a fixed lockout.
pub(crate) struct FailureThrottle {
    limit: u32,
    lockout: Duration,
    entries: Cache<String, Failures>,
}

impl FailureThrottle {
    /// `limit` failures (each within `lockout` of the previous) lock the address for `lockout`.
    pub(crate) fn new(limit: u32, lockout: Duration) -> Self {
        Self {
            limit: limit.max(1),
            lockout,
            // Least recently used goes first, so a spray over many addresses cannot keep a
            // new guesser out of the table (moka's default admission would).
            entries: Cache::builder()
                .max_capacity(MAX_TRACKED)
                .time_to_live(lockout)
                .eviction_policy(EvictionPolicy::lru())
                .build(),
        }
    }

    /// Remaining lockout of `address`, if it is locked.
    pub(crate) fn locked_for(&self, address: &str) -> Option<Duration> {
        let until = self.entries.get(&key(address))?.locked_until?;
        until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    }

    /// Counts a failed authentication; the `limit`-th locks the address. Writing the entry
    /// restarts its time to live, so failures further apart than the lockout never add up.
    pub(crate) fn record_failure(&self, address: &str) {
        let (limit, lockout) = (self.limit, self.lockout);
        self.entries
            .entry(key(address))
            .and_compute_with(|current| {
                let mut failures = current.map_or(
                    Failures {
                        count: 0,
                        locked_until: None,
                    },
                    |entry| entry.into_value(),
                );
                failures.count += 1;
                if failures.count >= limit {
                    failures.count = 0;
                    failures.locked_until = Some(Instant::now() + lockout);
                }
                Op::Put(failures)
            });
    }

    /// Forgets the failures of an address that authenticated.
    pub(crate) fn record_success(&self, address: &str) {
        self.entries.invalidate(&key(address));
    }

    #[cfg(test)]
    fn tracked(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
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
    fn failures_further_apart_than_the_lockout_do_not_add_up_and_lockouts_end() {
        let lockout = Duration::from_millis(150);
        let throttle = FailureThrottle::new(2, lockout);
        throttle.record_failure("a");
        std::thread::sleep(lockout * 2);
        throttle.record_failure("a");
        assert!(throttle.locked_for("a").is_none());
        throttle.record_failure("a");
        assert!(throttle.locked_for("a").is_some_and(|left| left <= lockout));
        std::thread::sleep(lockout * 2);
        assert!(throttle.locked_for("a").is_none());
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
