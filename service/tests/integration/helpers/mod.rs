//! What the integration tests share: the application on a loopback port (`app`), wired to the
//! data-service stand-ins (`stand_ins`); MCP clients and results (`mcp`); the auth gate and its
//! routes in-process (`auth`); and the data-service clients pointed at their stand-ins
//! (`upstream`).

pub(crate) mod app;
pub(crate) mod auth;
pub(crate) mod mcp;
pub(crate) mod stand_ins;
pub(crate) mod upstream;
