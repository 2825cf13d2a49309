//! DNS-rebinding defence: which `Host` and `Origin` values may reach `/mcp`.
//!
//! A web page in the user's browser can point a name it controls at this server. Browsers
//! then send that name as `Host` and the page's origin as `Origin`, so we accept only the
//! public name from `PUBLIC_BASE_URL`, loopback, and origins configured explicitly.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, http::header};
use url::Url;

use super::rpc_error;

/// The hosts and origins allowed to call `/mcp`.
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

    /// `Ok` when the request's `Host` and any `Origin` are allowed; else the 403 to send.
    pub fn check(&self, request: &HttpRequest) -> Result<(), HttpResponse> {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !self.host_allowed(host) {
            return Err(rpc_error(
                StatusCode::FORBIDDEN,
                -32600,
                &format!(
                    "Host {host:?} is not allowed. Set PUBLIC_BASE_URL to the URL clients use \
                     (e.g. https://your-domain.ddns.net) so this server accepts that name."
                ),
                None,
            ));
        }
        if let Some(origin) = request.headers().get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or_default();
            if !self.origin_allowed(origin) {
                return Err(rpc_error(
                    StatusCode::FORBIDDEN,
                    -32600,
                    &format!(
                        "Origin {origin:?} is not allowed. Browser clients must come from \
                         PUBLIC_BASE_URL or an origin listed in ALLOWED_ORIGINS."
                    ),
                    None,
                ));
            }
        }
        Ok(())
    }

    fn host_allowed(&self, host: &str) -> bool {
        let name = strip_port(host).to_ascii_lowercase();
        is_loopback_name(&name) || self.public_host.as_deref() == Some(name.as_str())
    }

    /// Whether a browser origin may call this server (also used by the auth gate).
    pub fn origin_allowed(&self, origin: &str) -> bool {
        if self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
            return true;
        }
        Url::parse(origin)
            .ok()
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
    use actix_web::test::TestRequest;

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
            let request = TestRequest::default()
                .insert_header(("host", host))
                .to_http_request();
            assert!(policy().check(&request).is_ok(), "{host}");
        }
    }

    #[test]
    fn a_foreign_host_is_refused() {
        let request = TestRequest::default()
            .insert_header(("host", "evil.example.com"))
            .to_http_request();
        let refusal = policy().check(&request).unwrap_err();
        assert_eq!(refusal.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn origins_are_checked_only_when_present() {
        let allowed = [
            "https://home.example.net",
            "https://ide.example.org",
            "http://localhost:3000",
        ];
        for origin in allowed {
            let request = TestRequest::default()
                .insert_header(("host", "home.example.net"))
                .insert_header(("origin", origin))
                .to_http_request();
            assert!(policy().check(&request).is_ok(), "{origin}");
        }
        let request = TestRequest::default()
            .insert_header(("host", "127.0.0.1"))
            .insert_header(("origin", "https://evil.example.com"))
            .to_http_request();
        assert_eq!(
            policy().check(&request).unwrap_err().status(),
            StatusCode::FORBIDDEN
        );
    }
}
