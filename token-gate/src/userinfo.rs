//! The opt-in `/userinfo` fallback for Auth0's encrypted tokens, which no resource server
//! can read: Auth0 says whose token it is. Called once per token and cached, because Auth0
//! allows only 5 calls per minute per user.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::bearer::{
    Cached, ExternalIssuer, NOT_FORWARDABLE, Verified, forwardable, marked_unverified,
};
use super::identity::Identity;
use super::urls;

/// How long an identity learnt from `/userinfo` is reused; keeps a busy user at a few calls
/// per hour.
const USERINFO_TTL: Duration = Duration::from_secs(15 * 60);
/// How long a token `/userinfo` refused stays refused without asking again.
const USERINFO_REFUSAL_TTL: Duration = Duration::from_secs(60);

impl ExternalIssuer {
    /// Asks `/userinfo` who the token belongs to. `Err` means "unknown right now" (not
    /// cached); a refusal is cached briefly so a bad token cannot drain the user's quota.
    pub(crate) async fn ask_userinfo(&self, token: &str) -> Result<Cached, ()> {
        #[derive(Deserialize)]
        struct UserInfo {
            sub: String,
            #[serde(default)]
            email_verified: Option<serde_json::Value>,
            #[serde(flatten)]
            other: serde_json::Map<String, serde_json::Value>,
        }
        self.keys.ensure_discovery().await;
        let snapshot = self.keys.snapshot();
        let Some(discovery) = snapshot.discovery.as_ref() else {
            return Err(());
        };
        let Some(endpoint) = discovery.userinfo_endpoint.as_deref() else {
            log::warn!("AUTH0_USERINFO_FALLBACK is on but the provider names no userinfo_endpoint");
            return Err(());
        };
        if !url::Url::parse(endpoint).is_ok_and(|url| urls::fetchable(&url)) {
            log::warn!("the provider's userinfo_endpoint is not https; tokens are not sent there");
            return Err(());
        }
        let response = self
            .http
            .get(endpoint)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|err| log::warn!("userinfo request failed: {err}"))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Ok(Cached {
                outcome: Err(Arc::from(
                    "the identity provider did not accept the encrypted token; sign in again",
                )),
                ttl: USERINFO_REFUSAL_TTL,
            });
        }
        if !status.is_success() {
            log::warn!("userinfo answered HTTP {}", status.as_u16());
            return Err(());
        }
        let mut info: UserInfo = response
            .json()
            .await
            .map_err(|err| log::warn!("userinfo answer unreadable: {err}"))?;
        let email = info
            .other
            .remove(&self.email_claim)
            .and_then(|value| value.as_str().map(str::to_owned))
            .filter(|_| !marked_unverified(info.email_verified.as_ref()));
        let identity = Identity {
            subject: info.sub,
            scopes: Vec::new(),
            client: String::new(),
            issuer: discovery.issuer.clone(),
        };
        let outcome = if forwardable(&identity) {
            Ok(Arc::new(Verified {
                identity,
                email,
                own: false,
            }))
        } else {
            Err(Arc::from(NOT_FORWARDABLE))
        };
        Ok(Cached {
            outcome,
            ttl: USERINFO_TTL,
        })
    }
}
