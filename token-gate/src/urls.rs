//! URL rules shared by configuration and the `/auth` origin check: what counts as a public
//! origin, an issuer, and a loopback host (where plain http is tolerated for tests).

use url::Url;

use crate::host::{HostKind, host_kind};

/// Why a configured URL was refused; the text tells the user what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    /// Not parseable as an absolute URL.
    #[error("is not a valid URL ({0}); write it like https://host.example")]
    Malformed(String),
    /// http on a host other than loopback, or another scheme.
    #[error("must use https (plain http is only accepted for loopback hosts)")]
    NotHttps,
    /// Something beyond what the value may hold.
    #[error("must not contain {0}")]
    Extra(&'static str),
}

/// Normalises `PUBLIC_BASE_URL` to its origin (`https://host[:port]`, no trailing slash).
pub(crate) fn public_origin(value: &str) -> Result<String, UrlProblem> {
    let url = parse_secure(value)?;
    if !matches!(url.path(), "" | "/") {
        return Err(UrlProblem::Extra(
            "a path; give only the origin, e.g. https://host.example (the MCP endpoint is /mcp)",
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// An OpenID issuer, kept exactly as written (tokens must match it byte for byte).
pub(crate) fn issuer(value: &str) -> Result<String, UrlProblem> {
    parse_secure(value)?;
    Ok(value.to_owned())
}

/// Auth0 issuer `https://<domain>/` from a bare domain; a pasted `https://…/` is tolerated.
pub(crate) fn auth0_issuer(domain: &str) -> Result<String, UrlProblem> {
    if domain.starts_with("http://") {
        return Err(UrlProblem::NotHttps);
    }
    let bare = domain.strip_prefix("https://").unwrap_or(domain);
    let bare = bare.strip_suffix('/').unwrap_or(bare);
    if bare.contains('/') {
        return Err(UrlProblem::Extra(
            "a path; give the tenant host only, e.g. tenant.us.auth0.com",
        ));
    }
    let url = Url::parse(&format!("https://{bare}/"))
        .map_err(|err| UrlProblem::Malformed(err.to_string()))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlProblem::Malformed("no host".to_owned()));
    }
    reject_extras(&url)?;
    Ok(format!("https://{bare}/"))
}

/// Whether the server may fetch provider documents from `url`: https, or plain http on a
/// loopback host (the tests' stand-in provider).
pub(crate) fn fetchable(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    }
}

fn parse_secure(value: &str) -> Result<Url, UrlProblem> {
    let url = Url::parse(value).map_err(|err| UrlProblem::Malformed(err.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => return Err(UrlProblem::NotHttps),
    }
    reject_extras(&url)?;
    Ok(url)
}

fn reject_extras(url: &Url) -> Result<(), UrlProblem> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlProblem::Extra("a user name or password"));
    }
    if url.query().is_some() {
        return Err(UrlProblem::Extra("a query string"));
    }
    if url.fragment().is_some() {
        return Err(UrlProblem::Extra("a fragment"));
    }
    Ok(())
}

fn is_loopback(url: &Url) -> bool {
    url.host()
        .is_some_and(|host| host_kind(&host) == HostKind::Loopback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_origin_is_normalised_without_trailing_slash() {
        assert_eq!(
            public_origin("https://Host.Example/").as_deref(),
            Ok("https://host.example")
        );
        assert_eq!(
            public_origin("http://127.0.0.1:8080").as_deref(),
            Ok("http://127.0.0.1:8080")
        );
    }

    #[test]
    fn public_origin_refuses_http_paths_and_garbage() {
        assert_eq!(
            public_origin("http://host.example"),
            Err(UrlProblem::NotHttps)
        );
        assert!(matches!(
            public_origin("https://host.example/mcp"),
            Err(UrlProblem::Extra(_))
        ));
        assert!(matches!(
            public_origin("host.example"),
            Err(UrlProblem::Malformed(_))
        ));
        assert!(matches!(
            public_origin("https://user:pw@host.example"),
            Err(UrlProblem::Extra(_))
        ));
    }

    #[test]
    fn provider_documents_are_fetched_over_https_or_loopback_only() {
        let ok = |url: &str| fetchable(&Url::parse(url).unwrap());
        assert!(ok("https://t.us.auth0.com/.well-known/jwks.json"));
        assert!(ok("http://127.0.0.1:9000/jwks"));
        assert!(ok("http://localhost/jwks"));
        assert!(!ok("http://idp.localhost:8080/jwks"));
        assert!(!ok("http://localhost.example.com/jwks"));
        assert!(!ok("http://t.us.auth0.com/.well-known/jwks.json"));
        assert!(!ok("http://192.168.0.2/jwks"));
        assert!(!ok("file:///etc/passwd"));
    }

    #[test]
    fn auth0_issuer_has_trailing_slash_and_tolerates_pasted_urls() {
        let expected = Ok("https://t.us.auth0.com/".to_owned());
        assert_eq!(auth0_issuer("t.us.auth0.com"), expected);
        assert_eq!(auth0_issuer("https://t.us.auth0.com/"), expected);
        assert_eq!(
            auth0_issuer("http://t.us.auth0.com"),
            Err(UrlProblem::NotHttps)
        );
        assert!(auth0_issuer("t.us.auth0.com/x").is_err());
        assert!(auth0_issuer("bad host").is_err());
    }

    #[test]
    fn issuer_is_kept_verbatim_and_http_only_on_loopback() {
        assert_eq!(
            issuer("http://127.0.0.1:9/").as_deref(),
            Ok("http://127.0.0.1:9/")
        );
        assert_eq!(issuer("http://idp.example/"), Err(UrlProblem::NotHttps));
        assert_eq!(issuer("ftp://idp.example/"), Err(UrlProblem::NotHttps));
    }
}
