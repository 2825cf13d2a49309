//! `--connect-to`: reach the deployment at another address than the URL's host resolves to,
//! while every request still names the URL's host.
//!
//! Inside a container `localhost` is the container itself, so a check of `http://localhost/mcp`
//! run with `docker compose run` connects to `caddy` on the compose network instead. The Host
//! header and the TLS server name stay the URL's, so the service's Host check and the
//! certificate are judged exactly as a client on that host would meet them.

use std::net::SocketAddr;

use super::target::Target;

/// The addresses `host` resolves to, on the URL's port, or what went wrong and the fix.
pub(super) async fn resolve(
    target: &Target,
    host: &str,
) -> Result<Vec<SocketAddr>, (String, String)> {
    if target.ip_literal {
        return Err((
            format!(
                "--connect-to {host} needs a host name in the URL, but {} is an IP address",
                target.host
            ),
            "use a name for the same place, e.g. http://localhost/mcp instead of \
             http://127.0.0.1/mcp"
                .to_owned(),
        ));
    }
    let name = host.trim().trim_start_matches('[').trim_end_matches(']');
    let resolved = tokio::net::lookup_host((name, target.port)).await;
    match resolved.map(Iterator::collect::<Vec<_>>) {
        Ok(addrs) if !addrs.is_empty() => Ok(addrs),
        Ok(_) => Err((
            format!("{name} (given with --connect-to) has no address"),
            fix(),
        )),
        Err(e) => Err((
            format!("could not resolve {name} (given with --connect-to): {e}"),
            fix(),
        )),
    }
}

fn fix() -> String {
    "give a host name or IP address this machine can reach. On the compose network the Caddy \
     container is `caddy`, and it has an address only while the stack runs: `docker compose \
     up -d`, then `docker compose ps`"
        .to_owned()
}

/// ` (through <host> at <address>)` for the report.
pub(super) fn describe(host: &str, addrs: &[SocketAddr]) -> String {
    match addrs.first() {
        Some(addr) if addr.ip().to_string() != host.trim() => {
            format!(" (through {} at {})", host.trim(), addr.ip())
        }
        _ => format!(" (through {})", host.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn resolves_names_on_the_urls_port_and_refuses_ip_literal_urls() {
        let target = Target::parse("http://localhost:8123/mcp").unwrap();
        let addrs = resolve(&target, "127.0.0.1").await.unwrap();
        assert_eq!(addrs, ["127.0.0.1:8123".parse::<SocketAddr>().unwrap()]);
        let addrs = resolve(&target, "[::1]").await.unwrap();
        assert_eq!(addrs[0].port(), 8123);

        let literal = Target::parse("http://127.0.0.1/mcp").unwrap();
        let (detail, fix) = resolve(&literal, "caddy").await.unwrap_err();
        assert!(detail.contains("IP address"), "{detail}");
        assert!(fix.contains("http://localhost/mcp"), "{fix}");

        let (detail, fix) = resolve(&target, "no-such-host.invalid").await.unwrap_err();
        assert!(detail.contains("no-such-host.invalid"), "{detail}");
        assert!(fix.contains("docker compose up -d"), "{fix}");
    }

    #[test]
    fn describes_the_detour() {
        let addrs = ["172.18.0.3:80".parse().unwrap()];
        assert_eq!(describe("caddy", &addrs), " (through caddy at 172.18.0.3)");
        assert_eq!(describe("172.18.0.3", &addrs), " (through 172.18.0.3)");
    }
}
