//! The tool call being served, so that the point where a request is sent knows whom to
//! charge, and the answer can say what the call spent.
//!
//! The MCP layer runs each tool call inside [`CallScope::run`] (a Tokio task-local, so the
//! clients' signatures stay as they are and no layer below the tools needs to know about
//! callers). A request sent outside any call, by a test calling a client directly or by work
//! spawned onto another task, is still charged to its dataset's server-wide budget, only to
//! no caller.

use std::{
    future::Future,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

use super::Quota;

tokio::task_local! {
    static CURRENT: CallScope;
}

/// One tool call: who made it, what it has spent and which datasets it read.
#[derive(Clone)]
pub struct CallScope {
    inner: Arc<Tally>,
}

struct Tally {
    subject: Box<str>,
    spent: AtomicU64,
    datasets: Mutex<Vec<Quota>>,
}

impl CallScope {
    /// A call made by `subject` (the verified subject, or the one shared name of an open
    /// server).
    pub fn new(subject: &str) -> Self {
        Self {
            inner: Arc::new(Tally {
                subject: subject.into(),
                spent: AtomicU64::new(0),
                datasets: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Runs `future` as this call: every request it sends is charged to this caller.
    pub async fn run<F: Future>(&self, future: F) -> F::Output {
        CURRENT.scope(self.clone(), future).await
    }

    /// The caller.
    pub fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// Requests this call has sent so far, retries included.
    pub fn spent(&self) -> u64 {
        self.inner.spent.load(Ordering::Relaxed)
    }

    /// Datasets this call read, from the cache or not, in the order first read.
    pub fn datasets(&self) -> Vec<Quota> {
        self.lock_datasets().clone()
    }

    /// The call the current task is serving, if any.
    pub(super) fn current() -> Option<CallScope> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// Records one request sent for `quota`.
    pub(super) fn record(&self, quota: Quota) {
        self.inner.spent.fetch_add(1, Ordering::Relaxed);
        self.note(quota);
    }

    fn note(&self, quota: Quota) {
        let mut datasets = self.lock_datasets();
        if !datasets.contains(&quota) {
            datasets.push(quota);
        }
    }

    fn lock_datasets(&self) -> std::sync::MutexGuard<'_, Vec<Quota>> {
        self.inner
            .datasets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Notes that the current call reads `quota`'s dataset, so its answer reports that dataset's
/// budget even when everything came from the cache.
pub fn note_read(quota: Quota) {
    if let Some(call) = CallScope::current() {
        call.note(quota);
    }
}
