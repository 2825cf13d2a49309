//! Helpers shared by the end-to-end tests: the Caddy harness, the real service binary and
//! the two together as a stack, the official SDKs and suites of `interop/`, the browser
//! checks, MCP requests as clients send them, the variables each part
//! reads, tool lookup and scratch directories, and a strict reader for the compose file. The
//! stand-in service used to test Caddy's header handling precisely is `testkit::site`.

pub mod browser;
pub mod caddy;
pub mod fields;
pub mod interop;
pub mod mcp;
pub mod scratch;
pub mod service;
pub mod stack;
pub mod tools;
pub mod variables;
pub mod yaml;
