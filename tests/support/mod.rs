//! Helpers shared by the end-to-end tests: the Caddy harness, the real service binary and
//! the two together as a stack, the official SDKs and suites of `interop/`, the browser
//! checks, MCP requests as clients send them, the variables each part
//! reads, tool lookup and scratch directories, and a strict reader for the compose file. The
//! stand-in service used to test Caddy's header handling precisely is `testkit::site`.

pub(crate) mod browser;
pub(crate) mod caddy;
pub(crate) mod fields;
pub(crate) mod interop;
pub(crate) mod mcp;
pub(crate) mod scratch;
pub(crate) mod service;
pub(crate) mod stack;
pub(crate) mod tools;
pub(crate) mod variables;
pub(crate) mod yaml;
