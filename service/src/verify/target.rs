//! The URL being verified: its form, where its metadata lives, and whether its host is public.

use url::{Host, Url};

use crate::host::{HostKind, host_kind};

/// The MCP endpoint URL as a client will use it.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The endpoint exactly as clients will send it (and `resource` must spell it).
    pub endpoint: String,
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The endpoint's path, e.g. `/mcp`.
    pub path: String,
    pub https: bool,
    pub host: String,
    /// The port connections go to (the URL's, or the scheme's default).
    pub port: u16,
    /// The host is written as an IP address, so no name resolution is involved.
    pub ip_literal: bool,
    pub kind: HostKind,
    /// The site address was given without a path, so `/mcp` was added.
    pub path_added: bool,
}

impl Target {
    /// Parses what the person typed. The error says what is wrong with it.
    pub(super) fn parse(input: &str) -> Result<Target, String> {
        let trimmed = input.trim();
        let url = Url::parse(trimmed)
            .map_err(|e| format!("`{trimmed}` is not a URL ({e}); give the full address, e.g. https://your-domain.ddns.net/mcp"))?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(format!(
                    "`{other}:` URLs are not MCP endpoints; use https://"
                ));
            }
        };
        let host = url
            .host()
            .ok_or_else(|| format!("`{trimmed}` has no host name"))?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`{trimmed}` has a query or fragment; clients need the bare endpoint, e.g. {}/mcp",
                url.origin().ascii_serialization()
            ));
        }
        let kind = host_kind(&host);
        let origin = url.origin().ascii_serialization();
        let (path, path_added) = match url.path() {
            "" | "/" => ("/mcp".to_owned(), true),
            path => (path.to_owned(), false),
        };
        let endpoint = if path_added {
            format!("{origin}{path}")
        } else {
            trimmed.to_owned()
        };
        Ok(Target {
            endpoint,
            origin,
            path,
            https,
            host: host.to_string(),
            port: url
                .port_or_known_default()
                .unwrap_or(if https { 443 } else { 80 }),
            ip_literal: !matches!(host, Host::Domain(_)),
            kind,
            path_added,
        })
    }

    /// Protected-resource metadata URLs: the path-suffixed form first (RFC 9728; the one
    /// ChatGPT fetches), then the root form.
    pub(super) fn protected_resource_urls(&self) -> [String; 2] {
        let base = format!("{}/.well-known/oauth-protected-resource", self.origin);
        [format!("{base}{}", self.path), base]
    }

    /// Authorization-server metadata copies on the MCP host: the root form the seed's check
    /// uses first, then the path-suffixed form.
    pub(super) fn authorization_server_urls(&self) -> [String; 2] {
        let base = format!("{}/.well-known/oauth-authorization-server", self.origin);
        [base.clone(), format!("{base}{}", self.path)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_endpoint_exactly_and_derives_metadata_urls() {
        let t = Target::parse(" https://my.ddns.net/mcp ").unwrap();
        assert_eq!(t.endpoint, "https://my.ddns.net/mcp");
        assert!(t.https && !t.path_added);
        assert_eq!(t.kind, HostKind::Public);
        assert_eq!(
            t.protected_resource_urls(),
            [
                "https://my.ddns.net/.well-known/oauth-protected-resource/mcp",
                "https://my.ddns.net/.well-known/oauth-protected-resource",
            ]
        );
        assert_eq!(
            t.authorization_server_urls()[0],
            "https://my.ddns.net/.well-known/oauth-authorization-server"
        );
    }

    #[test]
    fn a_site_address_gets_the_mcp_path() {
        let t = Target::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(t.endpoint, "http://127.0.0.1:8080/mcp");
        assert_eq!((t.port, t.ip_literal), (8080, true));
        let named = Target::parse("https://my.ddns.net/mcp").unwrap();
        assert_eq!((named.port, named.ip_literal), (443, false));
        assert!(t.path_added && !t.https);
        assert_eq!(t.kind, HostKind::Loopback);
    }

    #[test]
    fn classifies_hosts() {
        for (url, kind) in [
            ("http://localhost/mcp", HostKind::Loopback),
            ("http://[::1]/mcp", HostKind::Loopback),
            ("http://192.168.1.10/mcp", HostKind::Private),
            ("http://100.101.1.2/mcp", HostKind::Private),
            ("http://nas.local/mcp", HostKind::Private),
            ("http://nas/mcp", HostKind::Private),
            ("http://[fd00::1]/mcp", HostKind::Private),
            ("https://8.8.8.8/mcp", HostKind::Public),
            ("https://example.com/mcp", HostKind::Public),
        ] {
            assert_eq!(Target::parse(url).unwrap().kind, kind, "{url}");
        }
    }

    #[test]
    fn refuses_what_no_client_could_use() {
        for bad in [
            "my.ddns.net/mcp",
            "ftp://x.example/mcp",
            "https://x.example/mcp?a=1",
            "https://x.example/mcp#f",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
