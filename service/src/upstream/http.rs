//! HTTP access shared by the upstream clients: timeouts and one retry with backoff.
//!
//! The daily quota is the scarce resource, so we retry only what is worth retrying
//! (timeouts, connection failures, 429 and 5xx) and only once. Service-level errors that
//! arrive inside a body (bad key, quota used up) are for the service clients to read; a
//! retry could never fix them.

use std::time::Duration;

use bytes::Bytes;
use reqwest::{RequestBuilder, StatusCode, header::HeaderMap};

/// Timeouts and backoff for upstream requests.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub total_timeout: Duration,
    /// Pause before the single retry.
    pub retry_backoff: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(15),
            retry_backoff: Duration::from_millis(500),
        }
    }
}

/// A completed HTTP exchange, whatever its status; the service client interprets it.
#[derive(Debug)]
pub struct RawResponse {
    /// The final HTTP status.
    pub status: StatusCode,
    /// Response headers (e.g. `Retry-After`).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// How many requests were sent (1 or 2): each one costs quota.
    pub attempts: u32,
}

/// A request that produced no HTTP answer at all.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer within the configured time.
    #[error("the service did not answer within {0:?}")]
    Timeout(Duration),
    /// The service could not be reached.
    #[error("could not connect to the service ({0})")]
    Connect(String),
    /// Anything else the HTTP layer reported (TLS, malformed response, body cut off).
    #[error("the exchange with the service failed ({0})")]
    Other(String),
}

/// The shared client: one connection pool for every upstream service.
#[derive(Debug, Clone)]
pub struct UpstreamHttp {
    client: reqwest::Client,
    settings: HttpSettings,
}

impl UpstreamHttp {
    /// Builds the pooled client (rustls; system proxy settings are honoured).
    pub fn new(settings: HttpSettings) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.total_timeout)
            .user_agent(concat!("real-estate-mcp/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, settings })
    }

    /// The underlying client, for building requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends the request built by `build`, retrying once on a transient failure.
    ///
    /// `build` is called per attempt because a `RequestBuilder` cannot be reused.
    pub async fn send(
        &self,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<RawResponse, FetchError> {
        let first = self.attempt(&build, 1).await;
        if !is_transient(&first) {
            return first;
        }
        tokio::time::sleep(self.settings.retry_backoff).await;
        self.attempt(&build, 2).await
    }

    async fn attempt(
        &self,
        build: &impl Fn(&reqwest::Client) -> RequestBuilder,
        attempts: u32,
    ) -> Result<RawResponse, FetchError> {
        let response = build(&self.client)
            .send()
            .await
            .map_err(|e| self.classify(e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| self.classify(e))?;
        Ok(RawResponse {
            status,
            headers,
            body,
            attempts,
        })
    }

    fn classify(&self, error: reqwest::Error) -> FetchError {
        // The URL carries the service key in its query: never let it reach a message.
        let error = error.without_url();
        if error.is_timeout() {
            FetchError::Timeout(self.settings.total_timeout)
        } else if error.is_connect() {
            FetchError::Connect(error.to_string())
        } else {
            FetchError::Other(error.to_string())
        }
    }
}

fn is_transient(result: &Result<RawResponse, FetchError>) -> bool {
    match result {
        Ok(response) => {
            response.status == StatusCode::TOO_MANY_REQUESTS || response.status.is_server_error()
        }
        Err(FetchError::Timeout(_) | FetchError::Connect(_)) => true,
        Err(FetchError::Other(_)) => false,
    }
}
