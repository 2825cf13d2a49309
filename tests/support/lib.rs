//! Helpers shared by the end-to-end tests: the Caddy harness, tool lookup and scratch
//! directories. The stand-in service itself is `testkit::site`.

pub mod caddy;
pub mod scratch;
pub mod tools;
