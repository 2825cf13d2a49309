//! Loopback addresses for tests of what happens when a service is down.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::Context;

/// A loopback address where nothing listens (a service that is down).
///
/// Not a port that was free a moment ago: the kernel hands such ports out again to the next
/// `bind(0)`, e.g. to a stand-in or a Caddy started right after, which would then answer for
/// the "down" service. Ports below 1024 are never handed out that way, so one that refuses a
/// connection now stays closed.
pub fn closed_address() -> anyhow::Result<SocketAddr> {
    [9, 1, 3, 11, 13, 17, 19]
        .into_iter()
        .map(|port| SocketAddr::from(([127, 0, 0, 1], port)))
        .find(|addr| {
            TcpStream::connect_timeout(addr, Duration::from_millis(200))
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused)
        })
        .context("every candidate privileged loopback port accepts connections")
}
