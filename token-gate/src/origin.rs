//! DNS-rebinding defence: which `Host` and `Origin` values may reach the server.
//!
//! A web page in the user's browser can point a name it controls at this server. Browsers
//! then send that name as `Host` and the page's origin as `Origin`, so we accept only the
//! public name from `PUBLIC_BASE_URL`, loopback, the names and addresses listed in
//! `ALLOWED_HOSTS` (e.g. the server's LAN address), and origins configured in
//! `ALLOWED_ORIGINS`. A listed name is safe because a rebinding page can only make the
//! browser send a name its owner controls, never this server's own address or LAN name.
//! `/mcp` and `/auth` apply the same policy.

use url::Url;

use crate::host::{HostKind, name_kind};
use crate::refusals::loggable;

/// The hosts and origins allowed to call the server.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    public_host: Option<String>,
    extra_hosts: Vec<String>,
    origins: Vec<String>,
}

impl OriginPolicy {
    /// Allows the public URL's host and origin, loopback, and `extra_origins`.
    pub fn new(public_base_url: Option<&Url>, extra_origins: &[String]) -> Self {
        let mut origins = extra_origins.to_vec();
        let mut public_host = None;
        if let Some(url) = public_base_url {
            origins.push(url.origin().ascii_serialization());
            public_host = url.host_str().map(str::to_ascii_lowercase);
        }
        Self {
            public_host,
            extra_hosts: Vec::new(),
            origins,
        }
    }

    /// Also allows these host names and addresses (`ALLOWED_HOSTS`, already validated), in
    /// `Host` and as the host of an `Origin`.
    pub fn with_hosts(mut self, hosts: &[String]) -> Self {
        self.extra_hosts = hosts
            .iter()
            .map(|h| unbracket(h).to_ascii_lowercase())
            .collect();
        self
    }

    /// Whether a `Host` header value (name with optional port) names this server.
    pub fn host_allowed(&self, host: &str) -> bool {
        let name = strip_port(host).to_ascii_lowercase();
        is_loopback_name(&name) || self.is_own_name(&name)
    }

    fn is_own_name(&self, name: &str) -> bool {
        let name = unbracket(name);
        self.public_host.as_deref().map(unbracket) == Some(name)
            || self.extra_hosts.iter().any(|h| h == name)
    }

    /// Whether a browser `Origin` may call this server.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim();
        if self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
            return true;
        }
        Url::parse(origin)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
            .is_some_and(|host| {
                is_loopback_name(&host) || self.extra_hosts.iter().any(|h| h == unbracket(&host))
            })
    }
}

fn unbracket(name: &str) -> &str {
    name.trim_start_matches('[').trim_end_matches(']')
}

/// Why a browser `Origin` was refused and what lets it in, for `/auth` and `/mcp` alike.
pub fn origin_refusal(origin: &str) -> String {
    format!(
        "Origin {} is not allowed. Browser clients must come from PUBLIC_BASE_URL or an origin \
         listed in ALLOWED_ORIGINS.",
        loggable(origin)
    )
}

/// Reads one `ALLOWED_HOSTS` entry: an IP address or a host name, lower-cased, IPv6 without
/// brackets; a port is tolerated and dropped (the Host check ignores ports). Never a pattern:
/// `*` would accept the attacker's name in a DNS-rebinding attack, which is what the check
/// exists to refuse. The error says what is wrong with the entry.
pub fn parse_allowed_host(entry: &str) -> Result<String, &'static str> {
    const NOT_A_HOST: &str = "is not a host name or address";
    if entry.contains("://") || entry.contains('/') {
        return Err("takes host names only, without http:// or a path");
    }
    if entry.contains('*') {
        return Err(
            "takes exact names only: a wildcard would accept any web page's name and \
                    undo the DNS-rebinding protection",
        );
    }
    let bare = entry.trim_start_matches('[');
    let host = match bare.split_once(']') {
        Some((v6, rest)) if rest.is_empty() || rest.starts_with(':') => v6,
        Some(_) => return Err(NOT_A_HOST),
        None if entry.parse::<std::net::IpAddr>().is_ok() => entry,
        None => match entry.rsplit_once(':') {
            Some((name, port)) if port.parse::<u16>().is_ok() => name,
            Some(_) => return Err(NOT_A_HOST),
            None => entry,
        },
    };
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Ok(host.to_ascii_lowercase());
    }
    match url::Host::parse(host) {
        Ok(url::Host::Domain(name)) if !name.is_empty() => Ok(name),
        Ok(url::Host::Ipv4(ip)) => Ok(ip.to_string()),
        _ => Err(NOT_A_HOST),
    }
}

fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

fn is_loopback_name(name: &str) -> bool {
    name_kind(name) == HostKind::Loopback
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> OriginPolicy {
        let url = Url::parse("https://home.example.net").unwrap();
        OriginPolicy::new(Some(&url), &["https://ide.example.org".into()])
    }

    #[test]
    fn loopback_and_public_hosts_pass() {
        for host in [
            "127.0.0.1:8080",
            "localhost",
            "[::1]:80",
            "[::ffff:127.0.0.1]:80",
            "home.example.net",
            "HOME.example.net:443",
        ] {
            assert!(policy().host_allowed(host), "{host}");
        }
        assert!(!policy().host_allowed("evil.example.com"));
        assert!(!policy().host_allowed("localhost.evil.example.com"));
        assert!(!policy().host_allowed("app.localhost"));
        assert!(!policy().host_allowed(""));
    }

    #[test]
    fn public_configured_and_loopback_origins_pass() {
        for origin in [
            "https://home.example.net",
            "https://ide.example.org",
            "http://localhost:3000",
            "http://[::1]:5173",
        ] {
            assert!(policy().origin_allowed(origin), "{origin}");
        }
        for origin in [
            "https://evil.example.com",
            "http://home.example.net",
            "null",
            "file://localhost",
        ] {
            assert!(!policy().origin_allowed(origin), "{origin}");
        }
    }

    #[test]
    fn listed_hosts_pass_as_host_and_origin() {
        let lan =
            policy().with_hosts(&["192.168.0.10".into(), "nas.local".into(), "fd00::5".into()]);
        for host in [
            "192.168.0.10",
            "192.168.0.10:80",
            "NAS.local",
            "[fd00::5]:8080",
        ] {
            assert!(lan.host_allowed(host), "{host}");
            assert!(!policy().host_allowed(host), "{host} without ALLOWED_HOSTS");
        }
        assert!(lan.host_allowed("home.example.net"));
        assert!(!lan.host_allowed("192.168.0.11"));
        assert!(!lan.host_allowed("evil.example.com"));
        assert!(lan.origin_allowed("http://192.168.0.10"));
        assert!(lan.origin_allowed("http://nas.local:8080"));
        assert!(!lan.origin_allowed("http://nas.local.evil.example"));
    }

    #[test]
    fn allowed_host_entries_are_exact_names_or_addresses() {
        for (entry, read) in [
            ("192.168.0.10", "192.168.0.10"),
            ("NAS.local", "nas.local"),
            ("[fd00::5]:8080", "fd00::5"),
            ("fd00::5", "fd00::5"),
            ("nas:80", "nas"),
        ] {
            assert_eq!(parse_allowed_host(entry).as_deref(), Ok(read), "{entry}");
        }
        for bad in [
            "*",
            "*.local",
            "http://192.168.0.10",
            "nas/mcp",
            "nas:http",
            "a b",
            "[x]y",
        ] {
            assert!(parse_allowed_host(bad).is_err(), "{bad}");
        }
        assert!(
            parse_allowed_host("*")
                .unwrap_err()
                .contains("DNS-rebinding")
        );
    }
}
