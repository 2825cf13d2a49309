//! Stand-in upstream services and identity provider for hermetic tests.
pub mod molit;
