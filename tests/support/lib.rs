//! Helpers shared by the end-to-end tests: the Caddy harness, tool lookup and scratch
//! directories, and a strict reader for the compose file. The stand-in service itself is
//! `testkit::site`.

pub mod caddy;
pub mod scratch;
pub mod tools;
pub mod yaml;
