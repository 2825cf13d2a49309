//! real-estate-mcp: an MCP server over Korea's public real-estate data.
//!
//! Data flows one way: [`routes`] (HTTP) or stdio → [`mcp`] (protocol wiring) → [`tools`]
//! (one module per tool family) → [`upstream`] clients → [`cache`]. Nothing reaches back up.

pub mod auth;
pub mod routes;
pub mod tools;
