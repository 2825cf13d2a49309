//! The cache's settings: where answers survive restarts and how long a month stays fresh.
//! Read like the other settings (environment variables, optional TOML file), checked once.

use std::{path::PathBuf, time::Duration};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::ConfigError;
use crate::store::{SharedUrl, StoreSettings};

/// Raw cache settings as configured. `CACHE_URL` may carry a password, so it arrives as a
/// [`SecretString`] and `{:?}` never shows it.
#[derive(Debug, Deserialize)]
pub struct CacheSettings {
    /// `CACHE_STORE`: `disk` (answers survive restarts) or `memory`.
    #[serde(default = "default_store")]
    pub cache_store: String,
    /// `CACHE_URL`: Redis or Valkey shared by replicas; replaces the on-disk store.
    pub cache_url: Option<SecretString>,
    /// `CACHE_DIR`: the directory of the on-disk store.
    pub cache_dir: Option<String>,
    /// `CACHE_DISK_MAX_MB`: the on-disk store's bound.
    #[serde(default = "default_disk_max_mb")]
    pub cache_disk_max_mb: u64,
    /// `CACHE_TTL_RECENT_HOURS`: lifetime of a month that may still change.
    #[serde(default = "default_ttl_recent_hours")]
    pub cache_ttl_recent_hours: u64,
    /// `CACHE_TTL_SETTLED_DAYS`: lifetime of an older month.
    #[serde(default = "default_ttl_settled_days")]
    pub cache_ttl_settled_days: u64,
}

/// The variables of [`CacheSettings`], lower-case, so errors can name them.
pub(super) const KEYS: [&str; 6] = [
    "cache_store",
    "cache_url",
    "cache_dir",
    "cache_disk_max_mb",
    "cache_ttl_recent_hours",
    "cache_ttl_settled_days",
];

fn default_store() -> String {
    "disk".into()
}
fn default_disk_max_mb() -> u64 {
    1024
}
fn default_ttl_recent_hours() -> u64 {
    6
}
fn default_ttl_settled_days() -> u64 {
    30
}

/// Validated cache settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// Where answers survive restarts.
    pub store: StoreSettings,
    /// Lifetime of a month that may still change (until 30 days after its end).
    pub ttl_recent: Duration,
    /// Lifetime of an older month.
    pub ttl_settled: Duration,
}

impl Default for CacheConfig {
    /// Memory only, with the default lifetimes: what a server built in code gets.
    fn default() -> Self {
        Self {
            store: StoreSettings::Memory,
            ttl_recent: Duration::from_secs(default_ttl_recent_hours() * 3600),
            ttl_settled: Duration::from_secs(default_ttl_settled_days() * 86_400),
        }
    }
}

impl CacheSettings {
    /// Checks every value.
    pub fn validate(&self) -> Result<CacheConfig, ConfigError> {
        let recent = whole(
            "CACHE_TTL_RECENT_HOURS",
            self.cache_ttl_recent_hours,
            1,
            24 * 7,
        )?;
        let settled = whole(
            "CACHE_TTL_SETTLED_DAYS",
            self.cache_ttl_settled_days,
            1,
            365,
        )?;
        Ok(CacheConfig {
            store: self.store()?,
            ttl_recent: Duration::from_secs(recent * 3600),
            ttl_settled: Duration::from_secs(settled * 86_400),
        })
    }

    fn store(&self) -> Result<StoreSettings, ConfigError> {
        if let Some(url) = self.cache_url.as_ref().map(|u| u.expose_secret().trim())
            && !url.is_empty()
        {
            return shared(url);
        }
        match self.cache_store.trim() {
            "memory" => Ok(StoreSettings::Memory),
            "disk" => {
                let max_mb = whole("CACHE_DISK_MAX_MB", self.cache_disk_max_mb, 1, 1 << 20)?;
                let dir = match self.cache_dir.as_deref().map(str::trim) {
                    Some(dir) if !dir.is_empty() => PathBuf::from(dir),
                    _ => default_dir().ok_or_else(|| {
                        ConfigError::variable(
                            "CACHE_DIR",
                            "is not set and this system has no standard cache directory: set \
                             it to a directory this server may write, or set \
                             CACHE_STORE=memory",
                        )
                    })?,
                };
                Ok(StoreSettings::Disk {
                    dir,
                    max_bytes: max_mb * 1024 * 1024,
                })
            }
            other => Err(ConfigError::variable(
                "CACHE_STORE",
                format!("must be `disk` (answers survive restarts) or `memory` (got {other:?})"),
            )),
        }
    }
}

/// A `CACHE_URL`, checked for what can be checked without connecting.
fn shared(url: &str) -> Result<StoreSettings, ConfigError> {
    let problem = match url::Url::parse(url) {
        Ok(parsed) if !["redis", "rediss", "valkey", "valkeys"].contains(&parsed.scheme()) => {
            format!(
                "must start with redis:// (or rediss:// for TLS), got {}://",
                parsed.scheme()
            )
        }
        Ok(parsed) if parsed.host_str().is_none_or(str::is_empty) => {
            "names no host: write it as redis://HOST:6379 (e.g. redis://valkey:6379)".to_owned()
        }
        Ok(_) => return Ok(StoreSettings::Shared(SharedUrl(url.to_owned()))),
        Err(e) => format!("is not a URL ({e}): write it as redis://HOST:6379"),
    };
    Err(ConfigError::variable("CACHE_URL", problem))
}

/// The platform's cache directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux,
/// `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) plus `real-estate-mcp`.
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("real-estate-mcp"))
}

fn whole(name: &str, value: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::variable(
            name,
            format!("must be between {min} and {max} (got {value})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<CacheConfig, ConfigError> {
        super::super::extract::<CacheSettings>(&super::super::test_sources(pairs))?.validate()
    }

    #[test]
    fn the_cache_is_on_disk_unless_memory_is_asked_for() {
        let config = settings(&[("cache_dir", "/srv/cache"), ("cache_disk_max_mb", "10")]).unwrap();
        assert_eq!(
            config.store,
            StoreSettings::Disk {
                dir: PathBuf::from("/srv/cache"),
                max_bytes: 10 << 20
            }
        );
        assert_eq!(config.ttl_recent, Duration::from_secs(6 * 3600));
        assert_eq!(config.ttl_settled, Duration::from_secs(30 * 86_400));
        let config =
            settings(&[("cache_store", "memory"), ("cache_ttl_recent_hours", "1")]).unwrap();
        assert_eq!(config.store, StoreSettings::Memory);
        assert_eq!(config.ttl_recent, Duration::from_secs(3600));
    }

    #[test]
    fn a_cache_url_shares_the_store_and_is_never_shown_with_its_password() {
        let pairs = [("cache_url", "redis://:hunter2@valkey:6379/0")];
        let raw =
            super::super::extract::<CacheSettings>(&super::super::test_sources(&pairs)).unwrap();
        let shown = format!("{raw:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let config = settings(&pairs).unwrap();
        assert_eq!(
            config.store,
            StoreSettings::Shared(SharedUrl("redis://:hunter2@valkey:6379/0".into()))
        );
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("valkey"),
            "{shown}"
        );
        let config = settings(&[("cache_url", " ")]).unwrap();
        assert!(matches!(config.store, StoreSettings::Disk { .. }));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("cache_url", "http://valkey:6379"),
            ("cache_url", "valkey:6379"),
            ("cache_url", "redis://"),
            ("cache_store", "redis"),
            ("cache_disk_max_mb", "0"),
            ("cache_disk_max_mb", "lots"),
            ("cache_ttl_recent_hours", "0"),
            ("cache_ttl_settled_days", "400"),
        ] {
            let error = settings(&[(name, value)]).unwrap_err().to_string();
            assert!(error.contains(&name.to_uppercase()), "{error}");
        }
    }

    #[test]
    fn the_default_directory_is_the_users_cache_directory() {
        let dir = default_dir().unwrap();
        assert!(dir.ends_with("real-estate-mcp"), "{}", dir.display());
    }
}
