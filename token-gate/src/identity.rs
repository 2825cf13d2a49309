//! Who is calling: produced by `/auth` from a verified token, and read back by the MCP
//! endpoint from the headers Caddy copies onto the original request.

/// Header carrying the token subject.
pub const SUBJECT_HEADER: &str = "x-auth-subject";
/// Header carrying the granted scopes, space-separated.
pub const SCOPES_HEADER: &str = "x-auth-scopes";
/// Header carrying the OAuth client the token was issued to.
pub const CLIENT_HEADER: &str = "x-auth-client";
/// Header carrying the token issuer.
pub const ISSUER_HEADER: &str = "x-auth-issuer";

/// The caller of a guarded request. Empty strings mean "unknown" (e.g. no client claim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Token subject (`sub`); never empty.
    pub subject: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// OAuth client (`azp` or `client_id`), empty when unknown.
    pub client: String,
    /// Token issuer.
    pub issuer: String,
}

/// Why the identity headers on a guarded request cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// No or empty `X-Auth-Subject`: the request did not pass `/auth`.
    #[error("the request carries no authenticated subject; it must come through the auth gate")]
    MissingSubject,
    /// A value starting with `{`: Caddy copied an unresolved placeholder.
    #[error("an identity header holds an unresolved proxy placeholder; check the Caddyfile")]
    Placeholder,
    /// Bytes that are not text, or a header sent twice.
    #[error("an identity header is malformed or repeated")]
    Malformed,
}

impl Identity {
    /// The four header values `/auth` answers with, in a fixed order. Every one is always
    /// present (possibly empty) so Caddy never falls back to a client-sent header.
    pub fn header_values(&self) -> [(&'static str, String); 4] {
        [
            (SUBJECT_HEADER, self.subject.clone()),
            (SCOPES_HEADER, self.scopes.join(" ")),
            (CLIENT_HEADER, self.client.clone()),
            (ISSUER_HEADER, self.issuer.clone()),
        ]
    }

    /// Reads the identity Caddy copied from `/auth` onto a guarded MCP request. Refuses a
    /// missing or empty subject and any value that looks like a Caddy placeholder, so a
    /// misconfigured proxy yields 401 rather than an open server.
    pub fn from_forwarded_headers(headers: &impl Headers) -> Result<Identity, IdentityError> {
        let subject = single(headers, SUBJECT_HEADER)?.ok_or(IdentityError::MissingSubject)?;
        if subject.trim().is_empty() {
            return Err(IdentityError::MissingSubject);
        }
        let scopes = single(headers, SCOPES_HEADER)?.unwrap_or_default();
        let client = single(headers, CLIENT_HEADER)?.unwrap_or_default();
        let issuer = single(headers, ISSUER_HEADER)?.unwrap_or_default();
        Ok(Identity {
            subject: subject.to_owned(),
            scopes: scopes.split_whitespace().map(str::to_owned).collect(),
            client: client.to_owned(),
            issuer: issuer.to_owned(),
        })
    }
}

/// Request headers as the gate reads them, whatever the HTTP framework.
pub trait Headers {
    /// Every value of the header `name` (lower-case), in the order the request carried them.
    fn values(&self, name: &str) -> Vec<&[u8]>;
}

/// The `http` crate's map, which the gate's own tests and any tower-based caller use.
impl Headers for http::HeaderMap {
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.get_all(name).iter().map(|v| v.as_bytes()).collect()
    }
}

fn single<'h>(headers: &'h impl Headers, name: &str) -> Result<Option<&'h str>, IdentityError> {
    let mut values = headers.values(name).into_iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(IdentityError::Malformed);
    }
    // UTF-8 rather than `to_str` (visible ASCII only): Caddy copies the bytes `/auth` sent,
    // and a provider may use non-ASCII subjects.
    let text = std::str::from_utf8(value).map_err(|_| IdentityError::Malformed)?;
    if text.trim_start().starts_with('{') {
        return Err(IdentityError::Placeholder);
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn reads_all_four_headers() {
        let identity = Identity::from_forwarded_headers(&headers(&[
            (SUBJECT_HEADER, "auth0|42"),
            (SCOPES_HEADER, "read:data  mcp"),
            (CLIENT_HEADER, "abc"),
            (ISSUER_HEADER, "https://t.auth0.com/"),
        ]))
        .unwrap();
        assert_eq!(identity.subject, "auth0|42");
        assert_eq!(identity.scopes, ["read:data", "mcp"]);
        assert_eq!(identity.client, "abc");
        assert_eq!(identity.issuer, "https://t.auth0.com/");
    }

    #[test]
    fn non_ascii_subjects_round_trip() {
        let mut map = HeaderMap::new();
        map.insert(
            HeaderName::from_static(SUBJECT_HEADER),
            HeaderValue::from_bytes("사용자".as_bytes()).unwrap(),
        );
        let identity = Identity::from_forwarded_headers(&map).unwrap();
        assert_eq!(identity.subject, "사용자");
    }

    #[test]
    fn optional_headers_may_be_absent_or_empty() {
        let identity = Identity::from_forwarded_headers(&headers(&[
            (SUBJECT_HEADER, "s"),
            (CLIENT_HEADER, ""),
        ]))
        .unwrap();
        assert!(identity.scopes.is_empty());
        assert_eq!(identity.client, "");
    }

    #[test]
    fn refuses_missing_empty_and_placeholder_subjects() {
        assert_eq!(
            Identity::from_forwarded_headers(&HeaderMap::new()),
            Err(IdentityError::MissingSubject)
        );
        assert_eq!(
            Identity::from_forwarded_headers(&headers(&[(SUBJECT_HEADER, " ")])),
            Err(IdentityError::MissingSubject)
        );
        assert_eq!(
            Identity::from_forwarded_headers(&headers(&[(
                SUBJECT_HEADER,
                "{http.reverse_proxy.header.X-Auth-Subject}"
            )])),
            Err(IdentityError::Placeholder)
        );
    }

    #[test]
    fn refuses_placeholder_in_any_header_and_repeated_subjects() {
        assert_eq!(
            Identity::from_forwarded_headers(&headers(&[
                (SUBJECT_HEADER, "s"),
                (SCOPES_HEADER, "{http.reverse_proxy.header.X-Auth-Scopes}"),
            ])),
            Err(IdentityError::Placeholder)
        );
        assert_eq!(
            Identity::from_forwarded_headers(&headers(&[
                (SUBJECT_HEADER, "a"),
                (SUBJECT_HEADER, "b"),
            ])),
            Err(IdentityError::Malformed)
        );
    }

    #[test]
    fn header_values_always_has_four_entries() {
        let identity = Identity {
            subject: "s".into(),
            scopes: vec!["a".into(), "b".into()],
            client: String::new(),
            issuer: "i".into(),
        };
        let values = identity.header_values();
        assert_eq!(values[1], (SCOPES_HEADER, "a b".to_owned()));
        assert_eq!(values[2], (CLIENT_HEADER, String::new()));
    }
}
