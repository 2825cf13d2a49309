//! real-estate-mcp: an MCP server over Korea's public real-estate data.
//!
//! Data flows one way: [`routes`] (HTTP) or stdio → [`mcp`] (protocol wiring) → [`tools`]
//! (one module per tool family) → [`upstream`] clients → [`cache`] → [`metrics`] → [`store`].
//! Nothing reaches back up. [`budget`] (the daily budgets, charged by the upstream clients)
//! and [`outage`] import nothing of these, so every layer, the store included, may use them;
//! so may the leaves [`kst`] (Korean time) and [`count`] (saturating counts). [`status`]
//! reads a running server's metrics from outside.

/// This build's version: the release tag without its `v`, and the image tag
/// `docker-compose.yml` pins.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod advice;
pub mod budget;
pub mod cache;
pub mod config;
pub mod count;
pub mod keycheck;
pub mod kst;
pub mod logging;
pub mod mcp;
pub mod metrics;
pub mod outage;
pub mod routes;
pub mod startup;
pub mod status;
pub mod store;
pub mod tools;
pub mod upstream;
pub mod verify;

/// The legal-district table and its lookup, a crate of its own (`regions/`): it needs
/// nothing from the server.
pub use regions;

/// The auth gate (bearer tokens, OAuth metadata, client credentials) and the Host/Origin
/// policy, a crate of its own (`token-gate/`) that needs no HTTP framework; the routes that
/// serve it live in [`routes`].
pub use token_gate as auth;
/// Where a host is reachable from: loopback, a private network or the internet (part of the
/// gate's crate, whose Host and Origin checks judge by it too).
pub use token_gate::host;
/// Which `Host` and `Origin` values may reach the server (part of the gate's crate).
pub use token_gate::origin;
