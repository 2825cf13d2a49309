//! HTTP routes. Handlers only translate between HTTP and the logic modules they call.

pub mod auth;
pub mod metadata;
pub mod token;
