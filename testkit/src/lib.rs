//! Stand-in upstream services and identity provider for hermetic tests.

pub mod docs;
pub mod imports;
pub mod layout;
pub mod molit;
pub mod net;
pub mod odcloud;
pub mod oidc;
pub mod redis;
pub mod repo;
mod serve;
pub mod site;
