//! What the integration tests share: the application on a loopback port (alone or in front
//! of the data-service stand-ins), the auth gate and its routes in-process, and the data
//! service clients pointed at their stand-ins.

pub mod app;
pub mod auth;
pub mod upstream;
