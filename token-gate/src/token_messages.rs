//! The messages of `POST /oauth/token`: the parsed request (form body plus optional HTTP
//! Basic credentials), the RFC 6749 success answer and its errors.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;
use secrecy::SecretString;
use serde::Serialize;

use crate::reply::Reply;

/// A parsed token request (form body plus optional HTTP Basic credentials).
#[derive(Debug, Default)]
pub struct TokenRequest {
    pub(crate) grant_type: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) body_client_id: Option<String>,
    pub(crate) body_client_secret: Option<SecretString>,
    pub(crate) basic: Option<(String, SecretString)>,
}

/// An RFC 6749 §5.2 error, ready to be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    /// HTTP status.
    pub status: u16,
    /// The RFC 6749 error code.
    pub error: &'static str,
    /// What went wrong and what to do; never echoes credentials.
    pub description: String,
    /// Whether to answer with `WWW-Authenticate: Basic` (client used Basic auth).
    pub basic_challenge: bool,
    /// Seconds to wait, for a slowed-down address.
    pub retry_after: Option<u64>,
}

impl TokenError {
    pub(crate) fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            basic_challenge: false,
            retry_after: None,
        }
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_request", description)
    }
}

impl From<TokenError> for Reply {
    /// The RFC 6749 JSON body, with the Basic challenge and `Retry-After` the error asks for.
    fn from(err: TokenError) -> Self {
        let mut reply = Reply::error(err.status, err.error, &err.description);
        if err.basic_challenge {
            reply.headers.push((
                "www-authenticate",
                "Basic realm=\"real-estate-mcp\"".to_owned(),
            ));
        }
        if let Some(secs) = err.retry_after {
            reply.headers.push(("retry-after", secs.to_string()));
        }
        reply
    }
}

/// A successful token response (RFC 6749 §5.1). Its `Debug` leaves the token out.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct TokenResponse {
    /// The signed JWT.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Granted scopes, when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish()
    }
}

impl TokenRequest {
    /// Parses an `application/x-www-form-urlencoded` body and the `Authorization` header.
    /// Repeated parameters and undecodable Basic credentials are `invalid_request`.
    pub fn parse(body: &[u8], authorization: Option<&str>) -> Result<TokenRequest, TokenError> {
        let mut request = TokenRequest::default();
        let mut client_secret = None;
        for (name, value) in url::form_urlencoded::parse(body) {
            let slot = match name.as_ref() {
                "grant_type" => &mut request.grant_type,
                "scope" => &mut request.scope,
                "client_id" => &mut request.body_client_id,
                "client_secret" => &mut client_secret,
                _ => continue,
            };
            if slot.is_some() {
                return Err(TokenError::invalid_request(format!(
                    "the parameter `{name}` appears more than once"
                )));
            }
            *slot = Some(value.into_owned());
        }
        request.body_client_secret = client_secret.map(SecretString::from);
        request.basic = authorization.map(parse_basic).transpose()?.flatten();
        Ok(request)
    }
}

/// Splits `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). Other schemes
/// are not client authentication and are ignored.
fn parse_basic(header: &str) -> Result<Option<(String, SecretString)>, TokenError> {
    let Some((scheme, encoded)) = header.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let malformed = || TokenError::invalid_request("the Basic authorization header is malformed");
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let text = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = text.split_once(':').ok_or_else(malformed)?;
    let unescape = |part: &str| -> Result<String, TokenError> {
        percent_decode_str(&part.replace('+', " "))
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| malformed())
    };
    Ok(Some((unescape(id)?, unescape(secret)?.into())))
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn basic_credentials_are_url_decoded() {
        let header = format!("Basic {}", STANDARD.encode("my%20id:p%3Ass+word"));
        let request = TokenRequest::parse(b"grant_type=client_credentials", Some(&header)).unwrap();
        let (id, secret) = request.basic.unwrap();
        assert_eq!(
            (id.as_str(), secret.expose_secret()),
            ("my id", "p:ss word")
        );
        assert!(TokenRequest::parse(b"", Some("Basic !!!")).is_err());
        assert!(
            TokenRequest::parse(b"", Some("Bearer x"))
                .unwrap()
                .basic
                .is_none()
        );
    }

    #[test]
    fn debug_output_never_shows_client_secrets() {
        let header = format!("Basic {}", STANDARD.encode("id:basic-secret"));
        let request = TokenRequest::parse(b"client_secret=body-secret", Some(&header)).unwrap();
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("basic-secret") && !shown.contains("body-secret"),
            "{shown}"
        );
        assert_eq!(
            request.body_client_secret.unwrap().expose_secret(),
            "body-secret"
        );
    }

    #[test]
    fn repeated_parameters_are_refused() {
        let err = TokenRequest::parse(b"scope=a&scope=b", None).unwrap_err();
        assert_eq!(err.error, "invalid_request");
    }

    #[test]
    fn error_body_is_rfc6749_json() {
        let err = TokenError::invalid_request("grant_type is required");
        assert_eq!(
            Reply::from(err).body,
            r#"{"error":"invalid_request","error_description":"grant_type is required"}"#
        );
    }

    #[test]
    fn a_token_response_never_shows_its_token_in_debug() {
        let response = TokenResponse {
            access_token: "eyJ.secret-token.sig".to_owned(),
            token_type: "Bearer",
            expires_in: 3600,
            scope: None,
        };
        let shown = format!("{response:?}");
        assert!(!shown.contains("secret-token"), "{shown}");
        assert!(shown.contains("3600"), "{shown}");
    }
}
