//! The log filter: `RUST_LOG` on top of a default that keeps libraries' routine lines out.
//!
//! The MCP library logs four INFO lines per request (a span, "Service initialized", "input
//! stream terminated", "serve finished") and the TLS verifier an ERROR line for a refused
//! certificate that the caller already reports in its own words. They are lowered here
//! before `RUST_LOG` is applied, so a plain `RUST_LOG=info` (or `debug`) still leaves one
//! line per tool call; naming a library in `RUST_LOG` (`rmcp=debug`) brings its lines back.

/// The log target of the one line written per tool call (who, which tool, outcome, time,
/// quota used). Under the crate's own name so `RUST_LOG=warn,real_estate_mcp=info` keeps it.
pub const AUDIT_TARGET: &str = "real_estate_mcp::audit";

/// Applied before `RUST_LOG`: each can be overridden by naming the same target there.
const QUIET: &str = "rmcp=warn,tracing::span=warn,rustls_platform_verifier=off";

/// The level used when `RUST_LOG` is unset or empty.
const DEFAULT_LEVEL: &str = "info";

/// The `RUST_LOG`-syntax filters to apply, in order: later directives for the same target
/// win. `user` is `RUST_LOG`; empty counts as unset, as for every other variable.
pub fn filters(user: Option<&str>) -> [&str; 2] {
    let user = user.map(str::trim).filter(|u| !u.is_empty());
    [QUIET, user.unwrap_or(DEFAULT_LEVEL)]
}

/// Sends logs to standard error (standard output belongs to the protocol in stdio mode),
/// filtered by `RUST_LOG` over the quiet defaults.
pub fn init() {
    let user = std::env::var("RUST_LOG").ok();
    let mut builder = env_logger::Builder::new();
    for filter in filters(user.as_deref()) {
        builder.parse_filters(filter);
    }
    builder.target(env_logger::Target::Stderr).init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use log::{Level, Log, Metadata};

    fn enabled(user: Option<&str>, target: &str, level: Level) -> bool {
        let mut builder = env_logger::Builder::new();
        for filter in filters(user) {
            builder.parse_filters(filter);
        }
        let logger = builder.build();
        logger.enabled(&Metadata::builder().target(target).level(level).build())
    }

    #[test]
    fn library_request_lines_stay_out_and_the_audit_line_stays_in() {
        for user in [None, Some(""), Some("info"), Some("debug")] {
            assert!(!enabled(user, "rmcp::service", Level::Info), "{user:?}");
            assert!(!enabled(user, "tracing::span", Level::Info), "{user:?}");
            assert!(enabled(user, AUDIT_TARGET, Level::Info), "{user:?}");
            assert!(enabled(user, "rmcp::service", Level::Warn), "{user:?}");
        }
        assert!(enabled(
            Some("warn,real_estate_mcp=info"),
            AUDIT_TARGET,
            Level::Info
        ));
        assert!(!enabled(
            Some("warn,real_estate_mcp=info"),
            "actix_server::builder",
            Level::Info
        ));
    }

    #[test]
    fn naming_a_library_brings_its_lines_back() {
        assert!(enabled(
            Some("info,rmcp=info"),
            "rmcp::service",
            Level::Info
        ));
        assert!(!enabled(
            None,
            "rustls_platform_verifier::verification",
            Level::Error
        ));
    }
}
