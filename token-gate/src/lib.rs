//! The auth gate of a guarded deployment: `/auth` for Caddy's forward_auth, the OAuth
//! metadata documents, and the built-in client-credentials token endpoint.
//!
//! Start with [`AuthConfig::from_settings`] at startup, build one [`AuthGate`] with
//! [`AuthGate::start`], and register its routes (the service's `routes::auth::configure`).
//! In guarded mode the MCP endpoint reads the caller with [`AuthGate::caller`]: the identity
//! headers Caddy copied, checked against the token they were copied for. Nothing here depends
//! on an HTTP framework: replies are plain [`Reply`] values and request headers are read
//! through [`Headers`], which the service implements for its framework's header map.

mod access;
mod bearer;
mod client_credentials;
mod config_error;
mod gate;
pub mod host;
mod identity;
mod jwks;
mod metadata;
pub mod origin;
mod refusals;
mod reply;
mod settings;
mod throttle;
mod token_messages;
mod urls;
mod userinfo;
mod validate;

pub use access::{ANYONE, AccessList};
pub use config_error::AuthConfigError;
pub use gate::AuthGate;
pub use identity::{
    CLIENT_HEADER, Headers, ISSUER_HEADER, Identity, IdentityError, SCOPES_HEADER, SUBJECT_HEADER,
};
pub use jwks::{Discovery, provider_client};
pub use metadata::{RESOURCE_METADATA_PATH, TOKEN_PATH};
pub use refusals::LINES_PER_MINUTE as REFUSAL_LINES_PER_MINUTE;
pub use reply::{ACCESS_DENIED, AUTH_OFF, GATE_BYPASSED, Reply};
pub use settings::{
    AuthConfig, AuthMode, AuthSettings, ClientCredentialsConfig, GuardedConfig, ProviderConfig,
};
pub use token_messages::{TokenError, TokenRequest, TokenResponse};
pub use urls::UrlProblem;
