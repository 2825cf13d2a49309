//! Clients for the public data services the tools read from, one module per service, and
//! the HTTP plumbing they share.

pub mod deadline;
pub mod http;
pub mod key;
pub mod molit;
pub mod odcloud;
