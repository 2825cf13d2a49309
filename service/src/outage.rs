//! How a store that may fail (the SQLite file, Redis) reports it: every failure counted, the
//! first of an outage logged with what happens meanwhile, the recovery logged once too, so a
//! Redis that goes away does not fill the log with a line per request. While it is down the
//! store is tried again only every [`RETRY_EVERY`], so requests do not each wait for a
//! connection attempt.

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// How often a store that failed is tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

/// The health of one store, shared by everything that uses it.
pub struct Outage {
    what: String,
    meanwhile: &'static str,
    down: AtomicBool,
    last_failure: Mutex<Option<Instant>>,
    failures: Arc<AtomicU64>,
}

impl Outage {
    /// Watches `what` (e.g. "the shared cache at redis://valkey:6379"); `meanwhile` says what
    /// the server does while it fails; failures are added to `failures`.
    pub fn new(what: String, meanwhile: &'static str, failures: Arc<AtomicU64>) -> Self {
        Self {
            what,
            meanwhile,
            down: AtomicBool::new(false),
            last_failure: Mutex::new(None),
            failures,
        }
    }

    /// Whether to try the store now: always while it works; during an outage once every
    /// [`RETRY_EVERY`] (a skipped try counts as a failure, the caller falls back).
    pub fn should_try(&self) -> bool {
        if !self.down.load(Ordering::Relaxed) {
            return true;
        }
        let mut last = self
            .last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if last.is_none_or(|at| at.elapsed() >= RETRY_EVERY) {
            // This caller probes; the others keep falling back until it reports.
            *last = Some(Instant::now());
            return true;
        }
        self.failures.fetch_add(1, Ordering::Relaxed);
        false
    }

    /// Notes how the store answered; the value when it did.
    pub fn note<T, E: std::fmt::Display>(&self, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => {
                if self.down.swap(false, Ordering::Relaxed) {
                    log::info!("{} answers again", self.what);
                }
                Some(value)
            }
            Err(error) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                *self
                    .last_failure
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
                if !self.down.swap(true, Ordering::Relaxed) {
                    log::warn!("{} failed ({error}); {}", self.what, self.meanwhile);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn during_an_outage_the_store_is_tried_once_a_second_and_every_failure_counts() {
        let failures = Arc::new(AtomicU64::new(0));
        let outage = Outage::new("the test store".into(), "carrying on", failures.clone());
        assert!(outage.should_try());
        assert_eq!(outage.note::<(), _>(Err("refused")), None);
        assert!(!outage.should_try(), "just failed: not again at once");
        assert_eq!(failures.load(Ordering::Relaxed), 2);
        *outage.last_failure.lock().unwrap() = Some(Instant::now() - RETRY_EVERY);
        assert!(outage.should_try(), "a second later, one probe");
        assert!(!outage.should_try(), "only one");
        assert_eq!(outage.note(Ok::<_, &str>(7)), Some(7));
        assert!(outage.should_try());
    }
}
