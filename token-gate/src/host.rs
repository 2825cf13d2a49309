//! Where a host is reachable from: loopback, a private network, or the internet. The one
//! place that judges it: the Host and Origin checks and the plain-HTTP rule for public URLs
//! here, and the service's `verify` and startup review of `DOMAIN` and `PUBLIC_BASE_URL`.

use std::net::IpAddr;

use url::Host;

/// Where a host is reachable from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// This machine only (`localhost`, 127.0.0.0/8, ::1).
    Loopback,
    /// A private network address or a local-only name (`.local`, `.lan`, `.home.arpa`, …).
    Private,
    /// Anything else: reachable from the internet.
    Public,
}

/// Classifies a parsed host name or address.
pub fn host_kind(host: &Host<&str>) -> HostKind {
    match host {
        Host::Ipv4(ip) => ip_kind(IpAddr::V4(*ip)),
        Host::Ipv6(ip) => ip_kind(IpAddr::V6(*ip)),
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            // Only the name itself: outside a browser, `app.localhost` is resolved like any
            // other name and may lead off this machine, so it is no place for plain HTTP.
            if name == "localhost" {
                HostKind::Loopback
            } else if [
                ".localhost",
                ".local",
                ".lan",
                ".internal",
                ".home.arpa",
                ".test",
            ]
            .iter()
            .any(|suffix| name.ends_with(suffix))
                || !name.contains('.')
            {
                HostKind::Private
            } else {
                HostKind::Public
            }
        }
    }
}

/// Classifies a bare name or address as a `Host` header or an `Origin` carries it, without
/// the port (IPv6 with or without its brackets).
pub fn name_kind(name: &str) -> HostKind {
    let name = name.trim_start_matches('[').trim_end_matches(']');
    match name.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => host_kind(&Host::Ipv4(ip)),
        Ok(IpAddr::V6(ip)) => host_kind(&Host::Ipv6(ip)),
        Err(_) => host_kind(&Host::Domain(name)),
    }
}

fn ip_kind(ip: IpAddr) -> HostKind {
    // `::ffff:127.0.0.1` is 127.0.0.1.
    match ip.to_canonical() {
        IpAddr::V4(v4) if v4.is_loopback() => HostKind::Loopback,
        IpAddr::V4(v4) if v4.is_private() || v4.is_link_local() => HostKind::Private,
        // 100.64.0.0/10: carrier-grade NAT and tailnets.
        IpAddr::V4(v4) if v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64 => {
            HostKind::Private
        }
        IpAddr::V6(v6) if v6.is_loopback() => HostKind::Loopback,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xfe00) == 0xfc00 => HostKind::Private,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80 => HostKind::Private,
        _ => HostKind::Public,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_judged_as_written_in_headers() {
        for name in ["localhost", "LocalHost.", "127.0.0.1", "127.1.2.3"] {
            assert_eq!(name_kind(name), HostKind::Loopback, "{name}");
        }
        for name in ["::1", "[::1]", "::ffff:127.0.0.1"] {
            assert_eq!(name_kind(name), HostKind::Loopback, "{name}");
        }
        for name in [
            "192.168.0.10",
            "[fd00::1]",
            "nas.local",
            "nas",
            "100.100.1.1",
            "app.localhost",
        ] {
            assert_eq!(name_kind(name), HostKind::Private, "{name}");
        }
        for name in [
            "home.example.net",
            "8.8.8.8",
            "localhost.example.net",
            "[2001:db8::1]",
        ] {
            assert_eq!(name_kind(name), HostKind::Public, "{name}");
        }
    }
}
