//! HTTP access shared by the upstream clients: timeouts, one retry with backoff, the tool
//! call's deadline, and the daily budgets charged for every request actually sent.
//!
//! The daily quota is the scarce resource, so we retry only what is worth retrying
//! (timeouts, connection failures, 429 and 5xx) and only once. Service-level errors that
//! arrive inside a body (bad key, quota used up) are for the service clients to read; a
//! retry could never fix them. Each attempt is charged to the [`Budget`] just before it is
//! sent; one the budget cannot cover is not sent, and a retry it cannot cover is skipped.
//! Inside a tool call ([`super::deadline`]) an attempt gets at most the time the call has
//! left, a retry is sent only when a useful attempt still fits, and nothing is sent once
//! the time is up.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::{RequestBuilder, Response, StatusCode, header::HeaderMap};

use super::deadline::{self, Deadline};
use crate::budget::{Budget, OverBudget, Quota};

/// Largest answer read from a data service. A full 1,000-row MOLIT page is under 1 MiB and
/// Applyhome pages are smaller still; a body past this is not an answer, and reading it whole
/// (a broken proxy streaming forever) could exhaust a small server's memory within the
/// timeout.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

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
    /// Not sent, cut short, or not retried: the tool call's deadline (its whole time limit,
    /// given here) left no time for it.
    #[error("the tool call's time limit of {0:?} ran out")]
    Deadline(Duration),
    /// Not sent: the daily budget cannot cover it.
    #[error("{0}")]
    OverBudget(OverBudget),
}

/// The shared client: one connection pool and one set of budgets for every upstream service.
#[derive(Clone)]
pub struct UpstreamHttp {
    client: reqwest::Client,
    settings: HttpSettings,
    budget: Budget,
}

impl std::fmt::Debug for UpstreamHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamHttp")
            .field("settings", &self.settings)
            .field("limits", &self.budget.limits())
            .finish_non_exhaustive()
    }
}

impl UpstreamHttp {
    /// Builds the pooled client (rustls; system proxy settings are honoured), with requests
    /// counted but not limited until [`UpstreamHttp::with_budget`].
    pub fn new(settings: HttpSettings) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.total_timeout)
            .user_agent(concat!("real-estate-mcp/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            settings,
            budget: Budget::default(),
        })
    }

    /// The same client, charging every request to `budget`.
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// The budgets requests are charged to.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// The underlying client, for building requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends the request built by `build`, retrying once on a transient failure; each
    /// attempt is charged to `quota`'s dataset and the current caller.
    ///
    /// `build` is called per attempt sent, because a `RequestBuilder` cannot be reused.
    pub async fn send(
        &self,
        quota: Quota,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<RawResponse, FetchError> {
        let first = self.attempt(quota, &build, 1).await;
        if !is_transient(&first) {
            return first;
        }
        if !deadline::allows(self.settings.retry_backoff + deadline::MIN_ATTEMPT) {
            // A retry would not be answered in time for the caller: spare the quota, and
            // explain the failure that happened rather than the retry that did not.
            return first;
        }
        tokio::time::sleep(self.settings.retry_backoff).await;
        match self.attempt(quota, &build, 2).await {
            // No budget for the retry: the first failure is the one to explain.
            Err(FetchError::OverBudget(_)) => first,
            second => second,
        }
    }

    async fn attempt(
        &self,
        quota: Quota,
        build: &impl Fn(&reqwest::Client) -> RequestBuilder,
        attempts: u32,
    ) -> Result<RawResponse, FetchError> {
        let limit = self.attempt_limit()?;
        self.budget
            .charge(quota)
            .await
            .map_err(FetchError::OverBudget)?;
        let response = build(&self.client)
            .timeout(limit.time)
            .send()
            .await
            .map_err(|e| limit.classify(e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_body(response, &limit).await?;
        Ok(RawResponse {
            status,
            headers,
            body,
            attempts,
        })
    }

    /// The time the next attempt may take: the request timeout, or less when the tool
    /// call's deadline is nearer; an error when not even [`deadline::MIN_ATTEMPT`] is left.
    fn attempt_limit(&self) -> Result<AttemptLimit, FetchError> {
        let own = self.settings.total_timeout;
        let Some(call) = deadline::current() else {
            return Ok(AttemptLimit {
                time: own,
                call: None,
            });
        };
        let left = call.remaining();
        if left < deadline::MIN_ATTEMPT {
            return Err(FetchError::Deadline(call.limit()));
        }
        Ok(AttemptLimit {
            time: own.min(left),
            call: (left < own).then_some(call),
        })
    }
}

/// How long one attempt may take, and the call deadline when that is what bounds it.
struct AttemptLimit {
    time: Duration,
    call: Option<Deadline>,
}

impl AttemptLimit {
    fn classify(&self, error: reqwest::Error) -> FetchError {
        // The URL carries the service key in its query: never let it reach a message.
        let error = error.without_url();
        if error.is_timeout() {
            match self.call {
                Some(call) => FetchError::Deadline(call.limit()),
                None => FetchError::Timeout(self.time),
            }
        } else if error.is_connect() {
            FetchError::Connect(error.to_string())
        } else {
            FetchError::Other(error.to_string())
        }
    }
}

/// Reads the body up to [`MAX_BODY_BYTES`], refusing a larger one as soon as it shows.
async fn read_body(mut response: Response, limit: &AttemptLimit) -> Result<Bytes, FetchError> {
    let too_large = || {
        FetchError::Other(format!(
            "the answer is larger than {} MiB",
            MAX_BODY_BYTES >> 20
        ))
    };
    let announced = response.content_length().unwrap_or(0);
    if announced > MAX_BODY_BYTES as u64 {
        return Err(too_large());
    }
    let mut body = BytesMut::with_capacity(announced as usize);
    while let Some(chunk) = response.chunk().await.map_err(|e| limit.classify(e))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn is_transient(result: &Result<RawResponse, FetchError>) -> bool {
    match result {
        Ok(response) => {
            response.status == StatusCode::TOO_MANY_REQUESTS || response.status.is_server_error()
        }
        Err(FetchError::Timeout(_) | FetchError::Connect(_)) => true,
        Err(FetchError::Other(_) | FetchError::OverBudget(_) | FetchError::Deadline(_)) => false,
    }
}
