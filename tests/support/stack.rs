//! The deployment on loopback: the real service binary behind the real Caddy running the
//! project's Caddyfile, optionally with the stand-in OpenID provider. Everything is killed
//! when dropped.

use anyhow::bail;
use testkit::net::closed_address;
use testkit::oidc::OidcProvider;

use super::caddy::{Caddy, CaddySetup};
use super::mcp::http;
use super::service::Service;
use testkit::net::{free_port, is_port_clash};

/// The built-in client id the guarded stacks configure.
pub(crate) const CLIENT_ID: &str = "e2e-scripts";
/// Its secret (64 hex characters, like `openssl rand -hex 32`).
pub(crate) const CLIENT_SECRET: &str =
    "5f1c0e9a7b3d4c2e8f6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e";

/// How the two halves of a stack are configured.
#[derive(Debug, Clone)]
pub(crate) struct StackSetup {
    /// `AUTH_MODE` as Caddy reads it.
    pub caddy_mode: String,
    /// The service's variables (`AUTH_MODE` and the rest); `PUBLIC_BASE_URL` is added.
    pub service_env: Vec<(String, String)>,
    /// The host in the service's `PUBLIC_BASE_URL`, on Caddy's port. `127.0.0.1` is what the
    /// tests connect to; anything else is a deployment whose URL differs from the one used.
    pub public_host: String,
    /// Point forward_auth at a closed port: `/auth` is down.
    pub auth_down: bool,
}

impl StackSetup {
    /// Caddy with `caddy_mode` in front of a service configured by `service_env`.
    pub(crate) fn new(caddy_mode: &str, service_env: Vec<(String, String)>) -> StackSetup {
        StackSetup {
            caddy_mode: caddy_mode.to_owned(),
            service_env,
            public_host: "127.0.0.1".to_owned(),
            auth_down: false,
        }
    }
}

/// A running stack.
pub(crate) struct Stack {
    /// The real service.
    pub service: Service,
    /// Caddy in front of it.
    pub caddy: Caddy,
}

impl Stack {
    /// Starts the service, then Caddy in front of it. Caddy's port is chosen first because
    /// the service must know its own public URL; if someone takes that port before Caddy
    /// binds it, the whole stack starts again.
    pub(crate) async fn start(setup: &StackSetup) -> anyhow::Result<Stack> {
        for _ in 0..3 {
            let port = free_port()?;
            let mut env = setup.service_env.clone();
            env.push((
                "PUBLIC_BASE_URL".to_owned(),
                format!("http://{}:{port}", setup.public_host),
            ));
            let service = Service::start(&env).await?;
            let mut caddy_setup = CaddySetup::new(&setup.caddy_mode, service.addr());
            caddy_setup.http_port = Some(port);
            if setup.auth_down {
                caddy_setup.auth_upstream = closed_address()?.to_string();
            }
            match Caddy::start(&caddy_setup).await {
                Ok(caddy) => return Ok(Stack { service, caddy }),
                Err(e) if is_port_clash(&e) => continue,
                Err(e) => return Err(e),
            }
        }
        bail!("Caddy's port was taken three times in a row")
    }

    /// `http://127.0.0.1:<caddy>/mcp`, the URL clients are given.
    pub(crate) fn mcp_url(&self) -> String {
        self.caddy.http_url("/mcp")
    }

    /// The protected resource as the service names it (also the tokens' audience).
    pub(crate) fn resource(&self) -> String {
        self.mcp_url()
    }
}

/// POSTs the client-credentials grant for [`CLIENT_ID`] with `secret` to `/oauth/token`
/// through `caddy`.
pub(crate) async fn request_token(
    caddy: &Caddy,
    secret: &str,
) -> reqwest::Result<reqwest::Response> {
    http()
        .post(caddy.http_url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", secret),
        ])
        .send()
        .await
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The one provider user the guarded stacks let in: the subject of the stand-in provider's
/// tokens ([`OidcProvider::claims`]).
pub(crate) const ALLOWED_SUBJECT: &str = "auth0|user-1";

/// A guarded service that accepts the stand-in provider's tokens of [`ALLOWED_SUBJECT`] and
/// issues its own through the built-in client-credentials grant.
pub(crate) fn guarded_env(provider: &OidcProvider) -> Vec<(String, String)> {
    pairs(&[
        ("AUTH_MODE", "oauth"),
        ("OIDC_ISSUER", provider.issuer()),
        ("ALLOWED_USERS", ALLOWED_SUBJECT),
        ("OAUTH_CLIENT_ID", CLIENT_ID),
        ("OAUTH_CLIENT_SECRET", CLIENT_SECRET),
    ])
}

/// A service without login.
pub(crate) fn open_env() -> Vec<(String, String)> {
    pairs(&[("AUTH_MODE", "none")])
}
