//! Where a host is reachable from: loopback, a private network, or the internet. Used by
//! `verify` for the address it checks and by the startup review of `DOMAIN` and
//! `PUBLIC_BASE_URL`.

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
            if name == "localhost" || name.ends_with(".localhost") {
                HostKind::Loopback
            } else if [".local", ".lan", ".internal", ".home.arpa", ".test"]
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
