//! HTTP requests for `verify`: no redirects followed (a redirect is itself a finding), bounded
//! bodies, and transport failures sorted into what a person can act on.

use std::error::Error as _;
use std::net::SocketAddr;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

/// Largest body read from any answer. Metadata documents are a few kilobytes, but
/// `tools/list` carries every tool's input and output schema (several hundred kilobytes).
const MAX_BODY: usize = 8 * 1024 * 1024;

/// A received answer.
#[derive(Debug, Clone)]
pub(super) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The body as JSON, if it is JSON.
    pub(super) fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// A header's value as text.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A short one-line excerpt of the body for messages.
    pub(super) fn excerpt(&self) -> String {
        let flat: String = self.body.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.char_indices().nth(160) {
            Some((cut, _)) => format!("{}…", &flat[..cut]),
            None if flat.is_empty() => "(empty body)".to_owned(),
            None => flat,
        }
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// The certificate was refused (expired, self-signed, wrong host name, …).
    Certificate(String),
    /// The TLS handshake failed for another reason (e.g. plain HTTP on the HTTPS port).
    Tls(String),
    /// No connection: DNS, refused, unreachable.
    Connect(String),
    /// No answer in time.
    Timeout,
    /// Anything else.
    Other(String),
}

impl Failure {
    fn classify(error: &reqwest::Error) -> Failure {
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(inner) = source {
            chain.push_str(": ");
            chain.push_str(&inner.to_string());
            source = inner.source();
        }
        let lower = chain.to_ascii_lowercase();
        if lower.contains("certificate") || lower.contains("unknownissuer") {
            Failure::Certificate(chain)
        } else if lower.contains("tls")
            || lower.contains("handshake")
            || lower.contains("corrupt message")
        {
            Failure::Tls(chain)
        } else if error.is_timeout() {
            Failure::Timeout
        } else if error.is_connect() {
            Failure::Connect(chain)
        } else {
            Failure::Other(chain)
        }
    }

    /// A sentence describing the failure.
    pub(super) fn describe(&self) -> String {
        match self {
            Failure::Certificate(e) => format!("the TLS certificate was refused ({e})"),
            Failure::Tls(e) => format!("the TLS handshake failed ({e})"),
            Failure::Connect(e) => format!("could not connect ({e})"),
            Failure::Timeout => "no answer before the timeout".to_owned(),
            Failure::Other(e) => format!("the request failed ({e})"),
        }
    }
}

/// The client all checks share.
pub(super) struct Http {
    client: reqwest::Client,
}

impl Http {
    /// A client with `timeout` per request. `connect_to` sends every request for that host
    /// name to those addresses instead of where DNS points (the URL's port is kept, and the
    /// name is still sent in `Host` and checked against the certificate).
    pub(super) fn new(
        timeout: Duration,
        connect_to: Option<(&str, &[SocketAddr])>,
    ) -> Result<Http, String> {
        let mut builder = reqwest::Client::builder();
        if let Some((host, addrs)) = connect_to {
            builder = builder.resolve_to_addrs(host, addrs);
        }
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!(
                "real-estate-mcp-verify/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| format!("cannot set up an HTTP client: {e}"))?;
        Ok(Http { client })
    }

    pub(super) async fn get(&self, url: &str) -> Result<Answer, Failure> {
        let request = self.client.get(url).header("Accept", "application/json");
        Self::send(request).await
    }

    /// POSTs a JSON body with extra headers.
    pub(super) async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &Value,
    ) -> Result<Answer, Failure> {
        let mut request = self.client.post(url).json(body);
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        Self::send(request).await
    }

    async fn send(request: reqwest::RequestBuilder) -> Result<Answer, Failure> {
        let mut response = request.send().await.map_err(|e| Failure::classify(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| Failure::classify(&e))? {
            let room = MAX_BODY.saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if bytes.len() >= MAX_BODY {
                break;
            }
        }
        Ok(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// Reads a `WWW-Authenticate: Bearer k="v", …` challenge into its parameters. `None` when the
/// scheme is not Bearer.
pub(super) fn bearer_challenge(header: &str) -> Option<Vec<(String, String)>> {
    let header = header.trim();
    let scheme_end = header.find(char::is_whitespace).unwrap_or(header.len());
    if !header[..scheme_end].eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = header[scheme_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim().to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((at, c)) = chars.next() {
                match c {
                    '\\' => text.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = Some(at + 1);
                        break;
                    }
                    c => text.push(c),
                }
            }
            value = text;
            rest = &quoted[end?..];
        } else {
            let stop = rest.find(',').unwrap_or(rest.len());
            value = rest[..stop].trim().to_owned();
            rest = &rest[stop..];
        }
        params.push((key, value));
        rest = rest
            .trim_start()
            .strip_prefix(',')
            .unwrap_or(rest)
            .trim_start();
    }
    Some(params)
}

/// One parameter of a parsed challenge.
pub(super) fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bearer_challenges() {
        let p = bearer_challenge(
            r#"Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/mcp", error="invalid_token", error_description="token \"expired\"""#,
        )
        .unwrap();
        assert_eq!(
            param(&p, "resource_metadata"),
            Some("https://h/.well-known/oauth-protected-resource/mcp")
        );
        assert_eq!(param(&p, "error"), Some("invalid_token"));
        assert_eq!(param(&p, "error_description"), Some("token \"expired\""));

        let p = bearer_challenge("bearer realm=x,scope=\"a b\"").unwrap();
        assert_eq!(param(&p, "realm"), Some("x"));
        assert_eq!(param(&p, "scope"), Some("a b"));
        assert_eq!(bearer_challenge("Bearer").unwrap(), Vec::new());
        assert!(bearer_challenge("Basic realm=\"x\"").is_none());
        assert!(bearer_challenge("Bearer realm=\"unterminated").is_none());
    }

    #[test]
    fn excerpts_are_short_and_single_line() {
        let answer = Answer {
            status: 200,
            headers: HeaderMap::new(),
            body: format!("line one\n  line two {}", "x".repeat(400)),
        };
        let excerpt = answer.excerpt();
        assert!(excerpt.starts_with("line one line two x"));
        assert_eq!(excerpt.chars().count(), 161);
    }
}
