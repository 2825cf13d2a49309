//! DNS-rebinding defence: which `Host` and `Origin` values may reach the server.
//!
//! A web page in the user's browser can point a name it controls at this server. Browsers
//! then send that name as `Host` and the page's origin as `Origin`, so we accept only the
//! public name from `PUBLIC_BASE_URL`, loopback, and origins configured in
//! `ALLOWED_ORIGINS`. `/mcp` and `/auth` apply the same policy.

use url::Url;

/// The hosts and origins allowed to call the server.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    public_host: Option<String>,
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
            origins,
        }
    }

    /// Whether a `Host` header value (name with optional port) names this server.
    pub fn host_allowed(&self, host: &str) -> bool {
        let name = strip_port(host).to_ascii_lowercase();
        is_loopback_name(&name) || self.public_host.as_deref() == Some(name.as_str())
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
            .is_some_and(|host| is_loopback_name(&host))
    }
}

fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

fn is_loopback_name(name: &str) -> bool {
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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
            "home.example.net",
            "HOME.example.net:443",
        ] {
            assert!(policy().host_allowed(host), "{host}");
        }
        assert!(!policy().host_allowed("evil.example.com"));
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
}
