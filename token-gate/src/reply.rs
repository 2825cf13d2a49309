//! Framework-free HTTP answers of the gate: status, headers and a small JSON body. The route
//! layer turns them into actix responses; keeping them plain keeps the rules testable here.

use super::identity::Identity;

/// The `error` code of the MCP endpoint's own 401, sent when a guarded request reaches the
/// service without the identity `/auth` gives. `/auth` never uses it, so whoever reads it
/// (a person, or `verify`) knows the proxy in front skipped the gate: with the project's
/// Caddyfile, Caddy is not running with `AUTH_MODE=oauth`.
pub const GATE_BYPASSED: &str = "auth_gate_bypassed";

/// The `error` code of the 403 for a valid token whose user is not in `ALLOWED_USERS`. Its
/// description names the token's subject, so the owner can copy it into `.env`.
pub const ACCESS_DENIED: &str = "access_denied";

/// The `error` code of `/auth` on an open server. Caddy passes this 404 back, so a guarded
/// Caddy in front of an open service answers `/mcp` with it.
pub const AUTH_OFF: &str = "auth_off";

/// An HTTP answer: status, extra headers, and a JSON body (empty for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Headers to set, beyond `Content-Type: application/json`.
    pub headers: Vec<(&'static str, String)>,
    /// JSON text; never claims, tokens or secrets.
    pub body: String,
}

impl Reply {
    /// A JSON document with status 200.
    pub(crate) fn document(body: String) -> Self {
        Self {
            status: 200,
            headers: vec![("access-control-allow-origin", "*".to_owned())],
            body,
        }
    }

    /// An error body `{"error":…,"error_description":…}` with the given status.
    pub fn error(status: u16, error: &str, description: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: serde_json::json!({"error": error, "error_description": description}).to_string(),
        }
    }

    /// 200 from `/auth` with all four identity headers, always, even when empty: Caddy must
    /// never fall back to a header the client sent itself.
    ///
    /// The body is empty on purpose: Caddy's `forward_auth` never reads a 2xx body, and Go
    /// drops a connection whose body was left unread, so any body at all made Caddy open a
    /// new connection to `/auth` for every guarded request (halving throughput and leaving
    /// thousands of sockets in TIME_WAIT under load).
    pub(crate) fn allow(identity: &Identity) -> Self {
        let mut headers: Vec<(&'static str, String)> = identity.header_values().into();
        headers.push(("cache-control", "no-store".to_owned()));
        Self {
            status: 200,
            headers,
            body: String::new(),
        }
    }

    /// 503 with `Retry-After`, for when the answer depends on a provider we cannot reach.
    pub(crate) fn unavailable(retry_after_secs: u64, description: &str) -> Self {
        let mut reply = Self::error(503, "temporarily_unavailable", description);
        reply
            .headers
            .push(("retry-after", retry_after_secs.max(1).to_string()));
        reply
    }

    /// 403 [`ACCESS_DENIED`]: the token is valid, its user is not on the access list. No
    /// challenge: signing in again would not help, and clients would loop.
    pub(crate) fn access_denied(subject: &str) -> Self {
        Self::error(
            403,
            ACCESS_DENIED,
            &format!(
                "you signed in as {subject}, who is not allowed on this server; its owner can \
                 let you in by adding {subject} to ALLOWED_USERS in .env"
            ),
        )
    }

    /// 404 for endpoints that do not exist in the current mode.
    pub(crate) fn not_found() -> Self {
        Self::error(
            404,
            AUTH_OFF,
            "authentication is off on this server (AUTH_MODE=none)",
        )
    }
}

/// Builds RFC 6750 / RFC 9728 challenges for one deployment.
pub(crate) struct Challenger {
    /// `<PUBLIC_BASE_URL>/.well-known/oauth-protected-resource/mcp`.
    pub(crate) resource_metadata: String,
    /// What a client should ask for at sign-in (the advertised scopes joined by spaces),
    /// named by every 401 challenge; empty when none.
    pub(crate) sign_in_scope: String,
    /// `REQUIRED_SCOPES` joined by spaces: what a 403 `insufficient_scope` names, so the
    /// client's step-up asks for exactly what this server checks.
    pub(crate) required_scope: String,
}

impl Challenger {
    /// 401 without `error`: the client simply has not authenticated yet.
    pub(crate) fn missing_token(&self) -> Reply {
        let mut value = format!("Bearer resource_metadata=\"{}\"", self.resource_metadata);
        if !self.sign_in_scope.is_empty() {
            value.push_str(&format!(", scope=\"{}\"", self.sign_in_scope));
        }
        Reply {
            status: 401,
            headers: vec![("www-authenticate", value)],
            body: serde_json::json!({
                "error_description": "this server needs an OAuth bearer token; connect through \
                                      your MCP client to sign in"
            })
            .to_string(),
        }
    }

    /// 401 from the MCP endpoint itself: the request carries no identity from `/auth`, so it
    /// did not pass the gate. The challenge is the one `/auth` gives, so a client can still
    /// start sign-in; the body names the real cause with [`GATE_BYPASSED`].
    pub(crate) fn gate_bypassed(&self) -> Reply {
        let mut reply = self.missing_token();
        reply.body = serde_json::json!({
            "error": GATE_BYPASSED,
            "error_description": "this request reached the MCP service without passing the \
                                  auth gate; the proxy in front must check /mcp with the \
                                  service's /auth (Caddy: AUTH_MODE=oauth in .env)",
        })
        .to_string();
        reply
    }

    /// 401 `invalid_token` with a description that says what to fix.
    pub(crate) fn invalid_token(&self, description: &str) -> Reply {
        let value = format!(
            "Bearer error=\"invalid_token\", error_description=\"{}\", resource_metadata=\"{}\"",
            header_safe(description),
            self.resource_metadata
        );
        let mut reply = Reply::error(401, "invalid_token", description);
        reply.headers.push(("www-authenticate", value));
        reply
    }

    /// 403 `insufficient_scope`, naming the scopes needed so the client can ask for them.
    pub(crate) fn insufficient_scope(&self) -> Reply {
        let description = format!(
            "the token lacks a required scope; sign in again asking for: {}",
            self.required_scope
        );
        let value = format!(
            "Bearer error=\"insufficient_scope\", scope=\"{}\", error_description=\"{}\", \
             resource_metadata=\"{}\"",
            self.required_scope,
            header_safe(&description),
            self.resource_metadata
        );
        let mut reply = Reply::error(403, "insufficient_scope", &description);
        reply.headers.push(("www-authenticate", value));
        reply
    }
}

/// RFC 6750 restricts `error_description` to printable ASCII without `"` and `\`.
fn header_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' | '\\' => '\'',
            ' '..='~' => c,
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenger(scope: &str) -> Challenger {
        Challenger {
            resource_metadata: "https://h/.well-known/oauth-protected-resource/mcp".into(),
            sign_in_scope: scope.into(),
            required_scope: String::new(),
        }
    }

    #[test]
    fn missing_token_challenge_has_no_error() {
        let reply = challenger("").missing_token();
        assert_eq!(reply.status, 401);
        assert_eq!(
            reply.headers,
            [(
                "www-authenticate",
                "Bearer resource_metadata=\"https://h/.well-known/oauth-protected-resource/mcp\""
                    .to_owned()
            )]
        );
        let with_scope = challenger("mcp").missing_token();
        assert!(with_scope.headers[0].1.ends_with(", scope=\"mcp\""));
    }

    #[test]
    fn step_up_names_the_required_scopes_and_sign_in_the_advertised_ones() {
        let challenger = Challenger {
            resource_metadata: "https://h/m".into(),
            sign_in_scope: "openid mcp:use".into(),
            required_scope: "mcp:use".into(),
        };
        let header = &challenger.insufficient_scope().headers[0].1;
        assert!(
            header.starts_with("Bearer error=\"insufficient_scope\", scope=\"mcp:use\", "),
            "{header}"
        );
        assert!(
            header.ends_with("resource_metadata=\"https://h/m\""),
            "{header}"
        );
        assert!(
            challenger.missing_token().headers[0]
                .1
                .ends_with(", scope=\"openid mcp:use\"")
        );
    }

    #[test]
    fn the_services_own_refusal_keeps_the_challenge_and_names_the_bypass() {
        let challenger = challenger("");
        let own = challenger.gate_bypassed();
        let from_auth = challenger.missing_token();
        assert_eq!(own.status, 401);
        assert_eq!(own.headers, from_auth.headers);
        let body: serde_json::Value = serde_json::from_str(&own.body).unwrap();
        assert_eq!(body["error"], GATE_BYPASSED);
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .contains("AUTH_MODE=oauth")
        );
        assert!(!from_auth.body.contains(GATE_BYPASSED));
    }

    #[test]
    fn access_denied_names_the_subject_in_one_plain_sentence() {
        let reply = Reply::access_denied("auth0|42");
        let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(
            body["error_description"],
            "you signed in as auth0|42, who is not allowed on this server; its owner can let \
             you in by adding auth0|42 to ALLOWED_USERS in .env"
        );
    }

    #[test]
    fn descriptions_are_made_header_safe() {
        assert_eq!(header_safe("a \"b\" \\ é"), "a 'b' ' ?");
        let reply = challenger("").invalid_token("bad \"x\"");
        assert!(reply.headers[0].1.contains("error_description=\"bad 'x'\""));
    }

    #[test]
    fn allow_has_no_body_so_caddy_keeps_the_connection() {
        let reply = Reply::allow(&Identity {
            subject: "s".into(),
            scopes: Vec::new(),
            client: String::new(),
            issuer: String::new(),
        });
        assert_eq!((reply.status, reply.body.as_str()), (200, ""));
    }

    #[test]
    fn allow_always_sends_four_identity_headers() {
        let reply = Reply::allow(&Identity {
            subject: "s".into(),
            scopes: Vec::new(),
            client: String::new(),
            issuer: String::new(),
        });
        let names: Vec<&str> = reply.headers.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "x-auth-subject",
                "x-auth-scopes",
                "x-auth-client",
                "x-auth-issuer",
                "cache-control"
            ]
        );
    }
}
