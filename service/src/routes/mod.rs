//! HTTP routes. Each handler checks what HTTP must check and hands the rest to the layer
//! below it (the MCP server, the auth gate).

pub mod auth;
pub mod front;
pub mod health;
pub mod mcp;
pub mod metadata;
pub mod metrics;
mod reply;
pub mod token;
