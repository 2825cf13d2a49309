//! Loopback ports for the tests: free ones to start a server on, and closed ones for tests of
//! what happens when a service is down.

use std::net::{SocketAddr, TcpListener, TcpStream};
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

/// A loopback port that was free a moment ago, for a server that must be told its port.
///
/// Another process may take it before the server binds it: start such servers in a loop that
/// retries when [`is_port_clash`] says that is what happened.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Whether a start failed only because someone else took the port meanwhile (worth a retry);
/// the error must carry what the server said (Caddy and redis-server word it differently).
pub fn is_port_clash(error: &anyhow::Error) -> bool {
    format!("{error:#}")
        .to_ascii_lowercase()
        .contains("address already in use")
}
