//! Typed settings, read from environment variables and optionally a TOML file.
//!
//! Every variable is the upper-case form of a field below (`LISTEN_ADDR` → `listen_addr`);
//! a TOML file uses the lower-case keys. Environment variables win over the file. Problems are
//! reported at startup, naming the variable and the fix, so a misconfigured server never
//! starts half-working.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::{
    auth::{AuthConfig, AuthSettings},
    budget::BudgetLimits,
    upstream::{http::HttpSettings, key::ApiKey},
};

pub mod cache;

pub use cache::{CacheConfig, CacheSettings};

/// Raw settings exactly as configured (strings are trimmed and checked in [`Settings::validate`]).
/// Keys arrive as [`SecretString`]s, so `{:?}` on the raw settings never shows one.
#[derive(Debug, Deserialize)]
pub struct Settings {
    /// `LISTEN_ADDR`: address the HTTP server binds.
    #[serde(default = "default_listen_addr")]
    pub listen_addr: String,
    /// `PUBLIC_BASE_URL`: the URL clients use to reach this server (e.g. through Caddy).
    pub public_base_url: Option<String>,
    /// `DOMAIN`: Caddy's site address; read only to warn about values that cannot work.
    pub domain: Option<String>,
    /// `ALLOWED_ORIGINS`: extra browser origins allowed to call `/mcp`, comma-separated.
    pub allowed_origins: Option<String>,
    /// `ALLOWED_HOSTS`: extra host names or addresses accepted in `Host`, comma-separated.
    pub allowed_hosts: Option<String>,
    /// `DATA_GO_KR_API_KEY`: the data.go.kr service key (Encoding or Decoding form).
    pub data_go_kr_api_key: Option<SecretString>,
    /// `ODCLOUD_API_KEY`: key for api.odcloud.kr; falls back to the data.go.kr key.
    pub odcloud_api_key: Option<SecretString>,
    /// `ODCLOUD_SERVICE_KEY`: older name of `ODCLOUD_API_KEY`.
    pub odcloud_service_key: Option<SecretString>,
    /// `DATA_GO_KR_BASE_URL`: MOLIT gateway base URL (a mirror or a test stand-in).
    #[serde(default = "default_data_go_kr_base_url")]
    pub data_go_kr_base_url: String,
    /// `ODCLOUD_BASE_URL`: Applyhome base URL.
    #[serde(default = "default_odcloud_base_url")]
    pub odcloud_base_url: String,
    /// `UPSTREAM_CONNECT_TIMEOUT_SECS`: connect timeout for upstream calls.
    #[serde(default = "default_connect_timeout")]
    pub upstream_connect_timeout_secs: u64,
    /// `UPSTREAM_TIMEOUT_SECS`: total timeout for one upstream call.
    #[serde(default = "default_total_timeout")]
    pub upstream_timeout_secs: u64,
    /// `TOOL_DEADLINE_SECS`: time one tool call may spend on upstream requests, retries
    /// and pages together.
    #[serde(default = "default_tool_deadline")]
    pub tool_deadline_secs: u64,
    /// `CACHE_MAX_MB`: memory bound of the upstream answer cache.
    #[serde(default = "default_cache_max_mb")]
    pub cache_max_mb: u64,
    /// `REGION_CODES_FILE`: a code.go.kr 법정동코드 download replacing the built-in table.
    pub region_codes_file: Option<String>,
    /// `TOOL_CALLS_PER_MINUTE`: per-caller limit on tool calls (0 disables it).
    #[serde(default = "default_tool_calls_per_minute")]
    pub tool_calls_per_minute: u32,
    /// `DAILY_BUDGET_PER_CALLER`: upstream requests one caller may cause per KST day (0
    /// disables it).
    #[serde(default = "default_daily_budget_per_caller")]
    pub daily_budget_per_caller: u32,
    /// `DAILY_BUDGET_PER_DATASET`: upstream requests the server may send to one dataset per
    /// KST day (0 disables it).
    #[serde(default = "default_daily_budget_per_dataset")]
    pub daily_budget_per_dataset: u32,
}

fn default_listen_addr() -> String {
    "127.0.0.1:8080".into()
}
fn default_data_go_kr_base_url() -> String {
    "https://apis.data.go.kr".into()
}
fn default_odcloud_base_url() -> String {
    "https://api.odcloud.kr/api".into()
}
fn default_connect_timeout() -> u64 {
    5
}
fn default_total_timeout() -> u64 {
    15
}
/// Under the 30 s some hosts allow a tool call and half the 60 s of the MCP TypeScript SDK,
/// ChatGPT and Codex (docs/configuration.md), so an answer always arrives while the client
/// still waits.
fn default_tool_deadline() -> u64 {
    25
}
fn default_cache_max_mb() -> u64 {
    256
}
fn default_tool_calls_per_minute() -> u32 {
    60
}
/// A fifth of one dataset's development quota: a handful of people (or one looping model)
/// cannot use it up, and one person still gets a dozen cold multi-month analyses a day.
fn default_daily_budget_per_caller() -> u32 {
    2_000
}
/// 80% of a development key's 10,000 daily calls per 2024 MOLIT dataset: headroom for the
/// owner's other programs on the same key (and for a memory-only server's restart, which
/// forgets today's count).
fn default_daily_budget_per_dataset() -> u32 {
    8_000
}

/// A configuration problem, phrased for the person editing `.env`.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(String);

impl ConfigError {
    fn variable(name: &str, problem: impl std::fmt::Display) -> Self {
        Self(format!("{name} {problem}"))
    }
}

/// Validated settings the rest of the program uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind.
    pub listen_addr: SocketAddr,
    /// Public URL without a trailing slash, when the server sits behind a proxy.
    pub public_base_url: Option<Url>,
    /// `DOMAIN` as written (Caddy's; see [`crate::advice`]).
    pub domain: Option<String>,
    /// Origins allowed besides the public one and loopback.
    pub extra_origins: Vec<String>,
    /// Host names and addresses allowed besides the public one and loopback (lower case,
    /// IPv6 without brackets).
    pub extra_hosts: Vec<String>,
    /// MOLIT key, if configured.
    pub data_go_kr_key: Option<ApiKey>,
    /// Applyhome key, if configured (falls back to the MOLIT key).
    pub odcloud_key: Option<ApiKey>,
    /// MOLIT base URL.
    pub data_go_kr_base_url: Url,
    /// Applyhome base URL.
    pub odcloud_base_url: Url,
    /// Timeouts for upstream calls.
    pub http: HttpSettings,
    /// Time one tool call may take, across its pages and retries.
    pub tool_deadline: Duration,
    /// Memory cache bound in bytes.
    pub cache_max_bytes: u64,
    /// Where cached answers survive restarts, and how long months stay fresh.
    pub cache: CacheConfig,
    /// Region table override.
    pub region_codes_file: Option<PathBuf>,
    /// Tool calls allowed per caller per minute; `None` means unlimited.
    pub tool_calls_per_minute: Option<u32>,
    /// Daily budgets of upstream requests.
    pub budget: BudgetLimits,
    /// Open or guarded, and how tokens are checked.
    pub auth: AuthConfig,
}

/// Known keys, so a deserialisation error can name the variable a person actually edits.
const KEYS: &[&str] = &[
    "listen_addr",
    "public_base_url",
    "domain",
    "allowed_origins",
    "allowed_hosts",
    "data_go_kr_api_key",
    "odcloud_api_key",
    "odcloud_service_key",
    "data_go_kr_base_url",
    "odcloud_base_url",
    "upstream_connect_timeout_secs",
    "upstream_timeout_secs",
    "tool_deadline_secs",
    "cache_max_mb",
    "region_codes_file",
    "tool_calls_per_minute",
    "daily_budget_per_caller",
    "daily_budget_per_dataset",
];

/// Reads settings from an optional TOML file, an optional `.env` file (as docker compose
/// reads it) and the process environment; later sources win.
pub fn load_sources(
    file: Option<&Path>,
    env_file: Option<&Path>,
) -> Result<config::Config, ConfigError> {
    let dotenv = env_file.map(read_env_file).transpose()?;
    // Empty values are skipped below, but an empty AUTH_MODE is a mistake about security,
    // not a request for the default: refuse it, as Caddy does.
    let mode = std::env::var("AUTH_MODE")
        .ok()
        .or_else(|| dotenv.as_ref()?.get("AUTH_MODE").cloned());
    if mode.is_some_and(|mode| mode.trim().is_empty()) {
        return Err(ConfigError::variable(
            "AUTH_MODE",
            "is empty: set it to `none` (open server) or `oauth` (login required)",
        ));
    }
    let mut builder = config::Config::builder();
    if let Some(path) = file {
        builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
    }
    if let Some(values) = dotenv {
        builder = builder.add_source(
            config::Environment::default()
                .source(Some(values))
                .ignore_empty(true),
        );
    }
    builder
        // `NAME=` in .env means "not set": a blank line must not stop the server.
        .add_source(config::Environment::default().ignore_empty(true))
        .build()
        .map_err(|e| ConfigError(format!("{e}; check the file's TOML syntax")))
}

/// The `NAME=value` lines of a `.env` file: comments, blank lines, `export ` and quotes
/// handled as docker compose does for the simple values this project uses.
pub fn read_env_file(path: &Path) -> Result<config::Map<String, String>, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("could not read {}: {e}", path.display())))?;
    Ok(parse_env_file(&text))
}

fn parse_env_file(text: &str) -> config::Map<String, String> {
    let mut values = config::Map::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let quoted = ['"', '\''].into_iter().find_map(|quote| {
            value
                .strip_prefix(quote)
                .and_then(|rest| rest.split_once(quote))
                .map(|(inner, _)| inner)
        });
        // Unquoted, ` #` starts a comment.
        let value = quoted.unwrap_or_else(|| value.split(" #").next().unwrap_or_default().trim());
        values.insert(name.trim().to_owned(), value.to_owned());
    }
    values
}

/// Reads and validates the whole configuration: the server's settings and the auth gate's.
pub fn from_sources(sources: &config::Config) -> Result<Config, ConfigError> {
    let settings: Settings = extract(sources)?;
    let auth: AuthSettings = extract(sources)?;
    let mut config = settings.validate()?;
    config.cache = extract::<CacheSettings>(sources)?.validate()?;
    config.auth = AuthConfig::from_settings(&auth, non_empty(&settings.public_base_url))
        .map_err(|e| ConfigError(e.to_string()))?;
    Ok(config)
}

/// Deserialises one settings struct from the loaded sources, naming variables in errors.
pub fn extract<T: serde::de::DeserializeOwned>(sources: &config::Config) -> Result<T, ConfigError> {
    sources.clone().try_deserialize().map_err(|e| {
        let mut message = e.to_string();
        for key in KEYS.iter().chain(&cache::KEYS) {
            message = message.replace(&format!("\"{key}\""), &key.to_uppercase());
            message = message.replace(&format!("`{key}`"), &key.to_uppercase());
        }
        ConfigError(format!("{message}; fix the variable's value in .env"))
    })
}

impl Settings {
    /// Checks every value and turns it into a [`Config`] (with an open auth gate and a
    /// memory-only cache; see [`from_sources`] for the whole configuration).
    pub fn validate(&self) -> Result<Config, ConfigError> {
        let listen_addr = self.listen_addr.trim().parse().map_err(|_| {
            ConfigError::variable(
                "LISTEN_ADDR",
                format!(
                    "must be an address and port such as 127.0.0.1:8080 or 0.0.0.0:8080 (got {:?})",
                    self.listen_addr
                ),
            )
        })?;
        let public_base_url = non_empty(&self.public_base_url)
            .map(|raw| parse_base_url("PUBLIC_BASE_URL", raw))
            .transpose()?;
        let extra_origins = non_empty(&self.allowed_origins)
            .map(|raw| {
                raw.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(|o| {
                        let url = parse_base_url("ALLOWED_ORIGINS", o)?;
                        Ok(url.origin().ascii_serialization())
                    })
                    .collect::<Result<Vec<_>, ConfigError>>()
            })
            .transpose()?
            .unwrap_or_default();
        let extra_hosts = non_empty(&self.allowed_hosts)
            .map(|raw| {
                raw.split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(|entry| {
                        crate::origin::parse_allowed_host(entry).map_err(|problem| {
                            ConfigError::variable(
                                "ALLOWED_HOSTS",
                                format!(
                                    "{problem} (got {entry:?}): list host names or IP \
                                     addresses as clients type them, comma-separated, e.g. \
                                     ALLOWED_HOSTS=192.168.0.10,nas.local"
                                ),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, ConfigError>>()
            })
            .transpose()?
            .unwrap_or_default();
        let key = |value: &Option<SecretString>| {
            value
                .as_ref()
                .and_then(|secret| ApiKey::parse(secret.expose_secret()))
        };
        let data_go_kr_key = key(&self.data_go_kr_api_key);
        let odcloud_key = key(&self.odcloud_api_key)
            .or_else(|| key(&self.odcloud_service_key))
            .or_else(|| data_go_kr_key.clone());
        let http = HttpSettings {
            connect_timeout: seconds(
                "UPSTREAM_CONNECT_TIMEOUT_SECS",
                self.upstream_connect_timeout_secs,
                1,
                60,
            )?,
            total_timeout: seconds("UPSTREAM_TIMEOUT_SECS", self.upstream_timeout_secs, 1, 300)?,
            ..HttpSettings::default()
        };
        if !(1..=16_384).contains(&self.cache_max_mb) {
            return Err(ConfigError::variable(
                "CACHE_MAX_MB",
                format!("must be between 1 and 16384 (got {})", self.cache_max_mb),
            ));
        }
        Ok(Config {
            listen_addr,
            public_base_url,
            domain: non_empty(&self.domain).map(str::to_owned),
            extra_origins,
            extra_hosts,
            data_go_kr_key,
            odcloud_key,
            data_go_kr_base_url: parse_base_url("DATA_GO_KR_BASE_URL", &self.data_go_kr_base_url)?,
            odcloud_base_url: parse_base_url("ODCLOUD_BASE_URL", &self.odcloud_base_url)?,
            http,
            tool_deadline: seconds("TOOL_DEADLINE_SECS", self.tool_deadline_secs, 2, 300)?,
            cache_max_bytes: self.cache_max_mb * 1024 * 1024,
            cache: CacheConfig::default(),
            region_codes_file: non_empty(&self.region_codes_file).map(PathBuf::from),
            tool_calls_per_minute: (self.tool_calls_per_minute > 0)
                .then_some(self.tool_calls_per_minute),
            budget: BudgetLimits {
                per_caller: limit(self.daily_budget_per_caller),
                per_dataset: limit(self.daily_budget_per_dataset),
            },
            auth: AuthConfig::default(),
        })
    }
}

/// A daily limit, where 0 means none.
fn limit(value: u32) -> Option<u64> {
    (value > 0).then_some(u64::from(value))
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn seconds(name: &str, value: u64, min: u64, max: u64) -> Result<Duration, ConfigError> {
    if (min..=max).contains(&value) {
        Ok(Duration::from_secs(value))
    } else {
        Err(ConfigError::variable(
            name,
            format!("must be between {min} and {max} seconds (got {value})"),
        ))
    }
}

/// Parses an http(s) URL and drops a trailing slash so joining paths is predictable.
fn parse_base_url(name: &str, raw: &str) -> Result<Url, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|e| {
        ConfigError::variable(
            name,
            format!("must be a full URL such as https://example.com ({e}; got {raw:?})"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ConfigError::variable(
            name,
            format!("must start with https:// or http:// and name a host (got {raw:?})"),
        ));
    }
    Ok(url)
}

/// The URL as text without the trailing slash `Url` adds to an empty path.
pub fn url_text(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

/// Sources holding exactly `pairs` (lower-case variable names), for tests.
#[cfg(test)]
pub(crate) fn test_sources(pairs: &[(&str, &str)]) -> config::Config {
    let mut builder = config::Config::builder();
    for (k, v) in pairs {
        builder = builder.set_override(*k, *v).unwrap();
    }
    builder.build().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        from_sources(&test_sources(pairs))
    }

    #[test]
    fn raw_settings_never_show_keys_or_secrets() {
        let sources = test_sources(&[
            ("data_go_kr_api_key", "molit-key-value"),
            ("odcloud_api_key", "odcloud-key-value"),
            ("oauth_client_secret", "client-secret-value"),
        ]);
        let raw = format!(
            "{:?} {:?}",
            extract::<Settings>(&sources).unwrap(),
            extract::<AuthSettings>(&sources).unwrap()
        );
        for secret in [
            "molit-key-value",
            "odcloud-key-value",
            "client-secret-value",
        ] {
            assert!(!raw.contains(secret), "{secret} in {raw}");
        }
        assert!(raw.contains("data_go_kr_api_key"), "{raw}");
    }

    #[test]
    fn defaults_are_safe_and_local() {
        let config = settings(&[]).unwrap();
        assert_eq!(config.listen_addr.to_string(), "127.0.0.1:8080");
        assert!(config.public_base_url.is_none());
        assert!(config.data_go_kr_key.is_none());
        assert_eq!(config.tool_calls_per_minute, Some(60));
        assert_eq!(config.budget.per_caller, Some(2_000));
        assert_eq!(config.budget.per_dataset, Some(8_000));
    }

    #[test]
    fn a_zero_budget_is_no_budget() {
        let config = settings(&[
            ("daily_budget_per_caller", "0"),
            ("daily_budget_per_dataset", "500"),
        ])
        .unwrap();
        assert_eq!(config.budget.per_caller, None);
        assert_eq!(config.budget.per_dataset, Some(500));
        let error = settings(&[("daily_budget_per_caller", "-1")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("DAILY_BUDGET_PER_CALLER"), "{error}");
    }

    #[test]
    fn a_bad_listen_address_names_the_variable() {
        let error = settings(&[("listen_addr", "localhost")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("LISTEN_ADDR"), "{error}");
    }

    #[test]
    fn a_non_numeric_timeout_names_the_variable() {
        let error = settings(&[("upstream_timeout_secs", "soon")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("UPSTREAM_TIMEOUT_SECS"), "{error}");
    }

    #[test]
    fn the_odcloud_key_falls_back_to_the_data_go_kr_key() {
        let config = settings(&[("data_go_kr_api_key", "abc%2Bdef")]).unwrap();
        assert_eq!(config.odcloud_key.unwrap().expose(), "abc+def");
        let config =
            settings(&[("data_go_kr_api_key", "a"), ("odcloud_service_key", "b")]).unwrap();
        assert_eq!(config.odcloud_key.unwrap().expose(), "b");
    }

    #[test]
    fn base_urls_lose_their_trailing_slash() {
        let config = settings(&[("public_base_url", "https://home.example.net/")]).unwrap();
        assert_eq!(
            url_text(&config.public_base_url.unwrap()),
            "https://home.example.net"
        );
    }

    #[test]
    fn allowed_hosts_are_read_as_a_list_and_refusals_name_the_variable() {
        let config = settings(&[("allowed_hosts", " 192.168.0.10, NAS.local ,")]).unwrap();
        assert_eq!(config.extra_hosts, ["192.168.0.10", "nas.local"]);
        let error = settings(&[("allowed_hosts", "nas,*")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("ALLOWED_HOSTS"), "{error}");
        assert!(
            error.contains("DNS-rebinding") && error.contains("\"*\""),
            "{error}"
        );
    }

    #[test]
    fn env_files_are_read_as_compose_reads_them() {
        let values = parse_env_file(
            "# comment\nAUTH_MODE=oauth\nexport DOMAIN=home.ddns.net # mine\n\
             ALLOWED_USERS=\"auth0|1, a@b.example\"\nEMPTY=\n  \nnot a line\n",
        );
        assert_eq!(values["AUTH_MODE"], "oauth");
        assert_eq!(values["DOMAIN"], "home.ddns.net");
        assert_eq!(values["ALLOWED_USERS"], "auth0|1, a@b.example");
        assert_eq!(values["EMPTY"], "");
        assert_eq!(values.len(), 4);
    }

    #[test]
    fn a_malformed_url_is_rejected() {
        let error = settings(&[("public_base_url", "home.example.net")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("PUBLIC_BASE_URL"), "{error}");
    }
}

#[cfg(test)]
mod auth_tests {
    use super::*;

    #[test]
    fn a_guarded_mode_without_a_token_source_refuses_to_start() {
        let sources = config::Config::builder()
            .set_override("auth_mode", "oauth")
            .unwrap()
            .set_override("public_base_url", "https://home.example.net")
            .unwrap()
            .build()
            .unwrap();
        let error = from_sources(&sources).unwrap_err().to_string();
        assert!(
            error.contains("AUTH0_DOMAIN") || error.contains("OIDC_ISSUER"),
            "{error}"
        );
    }
}
