//! real-estate-mcp: an MCP server over Korea's public real-estate data.
//!
//! Data flows one way: [`routes`] (HTTP) or stdio → [`mcp`] (protocol wiring) → [`tools`]
//! (one module per tool family) → [`upstream`] clients → [`cache`]. Nothing reaches back up.

pub mod auth;
pub mod cache;
pub mod config;
pub mod mcp;
pub mod origin;
pub mod regions;
pub mod routes;
pub mod startup;
pub mod store;
pub mod tools;
pub mod upstream;
pub mod verify;
