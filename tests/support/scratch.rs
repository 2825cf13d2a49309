//! A private temporary directory per test fixture, removed when dropped. Tests write nothing
//! into the repository: Caddy's data, config and logs all go here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;

/// A directory under the system's temporary directory, unique to this process and fixture.
pub(crate) struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Creates a fresh directory whose name starts with `label`.
    pub(crate) fn new(label: &str) -> anyhow::Result<Scratch> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "e2e-{label}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path)
            .with_context(|| format!("creating scratch directory {}", path.display()))?;
        Ok(Scratch { path })
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover directory in /tmp is harmless and must not fail a test.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
