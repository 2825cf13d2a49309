//! The api.odcloud.kr client: builds requests, reads answers, caches them.

use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicU32, AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{Datelike, NaiveDate};
use reqwest::{
    StatusCode,
    header::{AUTHORIZATION, HeaderValue, RETRY_AFTER},
};
use serde::de::DeserializeOwned;

use crate::{
    cache::{CacheWeight, Freshness, ResponseCache},
    upstream::{
        http::{FetchError, RawResponse, UpstreamHttp},
        key::ApiKey,
    },
};

use super::{
    Dataset, StatKind,
    error::{OdcloudError, scrub},
    fields, kst_today,
    parse::{NoticeRow, Page, Parsed, StatRow, parse_body},
};

/// How long answers are kept and how much memory they may use.
#[derive(Debug, Clone)]
pub struct OdcloudCacheSettings {
    /// Upper bound on cached answers, roughly in bytes of upstream JSON.
    pub max_bytes: u64,
    /// Notices change during the day (new notices, corrected schedules).
    pub notice_ttl: Duration,
    /// Statistics that include a recent month, which may still be revised.
    pub recent_statistics_ttl: Duration,
    /// Statistics for months that can no longer change.
    pub settled_statistics_ttl: Duration,
}

impl Default for OdcloudCacheSettings {
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024 * 1024,
            notice_ttl: Duration::from_secs(60 * 60),
            recent_statistics_ttl: Duration::from_secs(6 * 60 * 60),
            settled_statistics_ttl: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

/// A filter operator of the `cond[FIELD::OP]` syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// Equal.
    Eq,
    /// Contains.
    Like,
    /// Greater than or equal (strings compare, so dates and `YYYYMM` work).
    Gte,
    /// Less than or equal.
    Lte,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "EQ",
            Op::Like => "LIKE",
            Op::Gte => "GTE",
            Op::Lte => "LTE",
        }
    }
}

/// One `cond[FIELD::OP]=value` filter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Condition {
    /// Upstream column name (see [`fields`]).
    pub field: &'static str,
    /// Comparison.
    pub op: Op,
    /// Value, sent as is (encoded once by the HTTP client).
    pub value: String,
}

impl Condition {
    /// The query parameter name, e.g. `cond[HOUSE_NM::LIKE]`.
    pub fn param(&self) -> String {
        format!("cond[{}::{}]", self.field, self.op.as_str())
    }
}

/// A page request with its filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    page: u32,
    per_page: u32,
    conditions: Vec<Condition>,
}

impl Query {
    /// Page `page` (1-based) of `per_page` rows, unfiltered.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self {
            page,
            per_page,
            conditions: Vec::new(),
        }
    }

    /// Adds a filter.
    pub fn with(mut self, field: &'static str, op: Op, value: impl Into<String>) -> Self {
        self.conditions.push(Condition {
            field,
            op,
            value: value.into(),
        });
        self
    }

    /// The filters, in the order they were added.
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }

    fn params(&self) -> Vec<(String, String)> {
        let mut params = vec![
            ("page".to_owned(), self.page.to_string()),
            ("perPage".to_owned(), self.per_page.to_string()),
            ("returnType".to_owned(), "JSON".to_owned()),
        ];
        params.extend(self.conditions.iter().map(|c| (c.param(), c.value.clone())));
        params
    }

    /// The cache key part: order-independent, and never containing the service key.
    fn canonical(&self) -> String {
        let mut conditions = self.conditions.clone();
        conditions.sort();
        let mut key = format!("page={}&perPage={}", self.page, self.per_page);
        for c in &conditions {
            key.push('&');
            key.push_str(&c.param());
            key.push('=');
            key.push_str(&c.value);
        }
        key
    }
}

/// A page of rows with where it came from.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    /// The rows and counts.
    pub page: Arc<Page<T>>,
    /// Live or from the cache.
    pub freshness: Freshness,
    /// Upstream requests this answer cost (0 when cached; 2 when a retry was needed).
    pub upstream_calls: u32,
}

struct Fetched<T> {
    page: Arc<Page<T>>,
    attempts: u32,
    weight: u32,
}

// By hand: the rows sit behind an `Arc`, so cloning needs no `T: Clone`.
impl<T> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        Self {
            page: Arc::clone(&self.page),
            attempts: self.attempts,
            weight: self.weight,
        }
    }
}

impl<T> CacheWeight for Fetched<T> {
    fn weight(&self) -> u32 {
        self.weight
    }
}

enum Auth {
    Missing,
    Unusable,
    Ready { header: HeaderValue, raw: String },
}

/// Client for the Applyhome notice and statistics services.
///
/// The key goes in the `Authorization: Infuser <key>` header rather than the `serviceKey`
/// query parameter, which the service also accepts: a header cannot be encoded twice (the
/// usual cause of "key not registered" with the portal's Encoding key), and the key never
/// sits in a URL, where proxies, access logs and error messages could pick it up.
#[derive(Clone)]
pub struct OdcloudClient {
    http: UpstreamHttp,
    base_url: String,
    auth: Arc<Auth>,
    notices: ResponseCache<Fetched<NoticeRow>>,
    statistics: ResponseCache<Fetched<StatRow>>,
    settings: OdcloudCacheSettings,
    calls: Arc<AtomicU64>,
}

impl fmt::Debug for OdcloudClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OdcloudClient")
            .field("base_url", &self.base_url)
            .field("has_key", &self.has_key())
            .field("upstream_calls", &self.upstream_calls())
            .finish_non_exhaustive()
    }
}

impl OdcloudClient {
    /// A client for `base_url` (e.g. `https://api.odcloud.kr/api`). Without a key every
    /// data call answers [`OdcloudError::MissingKey`]; the server still starts.
    pub fn new(
        http: UpstreamHttp,
        base_url: impl Into<String>,
        key: Option<ApiKey>,
        cache: OdcloudCacheSettings,
    ) -> Self {
        let auth = match key {
            None => Auth::Missing,
            Some(key) => match HeaderValue::from_str(&format!("Infuser {}", key.expose())) {
                Ok(mut header) => {
                    header.set_sensitive(true);
                    Auth::Ready {
                        header,
                        raw: key.expose().to_owned(),
                    }
                }
                Err(_) => Auth::Unusable,
            },
        };
        // Half the budget each: notices are asked for more, statistics pages are larger.
        let half = cache.max_bytes / 2;
        Self {
            http,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            auth: Arc::new(auth),
            notices: ResponseCache::new(half),
            statistics: ResponseCache::new(half),
            settings: cache,
            calls: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Whether a usable key is configured.
    pub fn has_key(&self) -> bool {
        matches!(*self.auth, Auth::Ready { .. })
    }

    /// Upstream requests sent since start, retries included: each one costs quota.
    pub fn upstream_calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// A page of APT notices (분양정보).
    pub async fn notices(&self, query: &Query) -> Result<Answer<NoticeRow>, OdcloudError> {
        let ttl = self.settings.notice_ttl;
        self.fetch(&self.notices, Dataset::Notices, query, ttl)
            .await
    }

    /// A page of one statistics table.
    pub async fn statistics(
        &self,
        kind: StatKind,
        query: &Query,
    ) -> Result<Answer<StatRow>, OdcloudError> {
        let ttl = if is_settled(query, kst_today()) {
            self.settings.settled_statistics_ttl
        } else {
            self.settings.recent_statistics_ttl
        };
        self.fetch(&self.statistics, Dataset::Statistics(kind), query, ttl)
            .await
    }

    async fn fetch<T>(
        &self,
        cache: &ResponseCache<Fetched<T>>,
        dataset: Dataset,
        query: &Query,
        ttl: Duration,
    ) -> Result<Answer<T>, OdcloudError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let (header, raw_key) = match &*self.auth {
            Auth::Missing => return Err(OdcloudError::MissingKey),
            Auth::Unusable => return Err(OdcloudError::UnusableKey),
            Auth::Ready { header, raw } => (header, raw.as_str()),
        };
        let path = dataset.path();
        let url = format!("{}{path}", self.base_url);
        let cache_key = format!("{path}?{}", query.canonical());
        let fetched = cache
            .get_or_fetch(cache_key, async {
                let params = query.params();
                let attempts = AtomicU32::new(0);
                let sent = self
                    .http
                    .send(|client| {
                        attempts.fetch_add(1, Ordering::Relaxed);
                        client
                            .get(&url)
                            .header(AUTHORIZATION, header.clone())
                            .query(&params)
                    })
                    .await;
                let attempts = attempts.into_inner();
                self.calls.fetch_add(u64::from(attempts), Ordering::Relaxed);
                let raw = sent.map_err(OdcloudError::from)?;
                let page = interpret::<T>(&raw, dataset, raw_key)?;
                let weight = u32::try_from(raw.body.len()).unwrap_or(u32::MAX);
                let fetched = Fetched {
                    page: Arc::new(page),
                    attempts,
                    weight,
                };
                Ok::<_, OdcloudError>((fetched, ttl))
            })
            .await
            .map_err(Arc::unwrap_or_clone)?;
        let (fetched, freshness) = fetched;
        Ok(Answer {
            upstream_calls: match freshness {
                Freshness::Live => fetched.attempts,
                Freshness::Cached { .. } => 0,
            },
            page: fetched.page,
            freshness,
        })
    }
}

impl From<FetchError> for OdcloudError {
    fn from(error: FetchError) -> Self {
        match error {
            FetchError::Timeout(after) => OdcloudError::Timeout { after },
            FetchError::Connect(detail) => OdcloudError::Unreachable { detail },
            FetchError::Other(detail) => OdcloudError::Transport { detail },
        }
    }
}

/// Turns an HTTP exchange into rows or the error that explains it. The error envelope's
/// code wins over the status, because the gateway reuses statuses across causes.
fn interpret<T: DeserializeOwned>(
    raw: &RawResponse,
    dataset: Dataset,
    key: &str,
) -> Result<Page<T>, OdcloudError> {
    let status = raw.status;
    let parsed = parse_body::<T>(&raw.body);
    if let Ok(Parsed::Refusal { code, msg }) = &parsed {
        return Err(match code {
            -4 | -401 => OdcloudError::KeyRejected {
                dataset,
                code: Some(*code),
            },
            -3 => OdcloudError::UnknownService { dataset },
            _ => by_status(raw, dataset).unwrap_or(OdcloudError::Refused {
                status: status.as_u16(),
                code: Some(*code),
                message: msg.as_deref().map(|m| scrub(m, key)),
            }),
        });
    }
    if let Some(error) = by_status(raw, dataset) {
        return Err(error);
    }
    match parsed {
        Ok(Parsed::Page(page)) if status.is_success() => Ok(page),
        Err(unreadable) if status.is_success() => Err(OdcloudError::Garbage {
            detail: unreadable.0,
        }),
        _ => Err(OdcloudError::Refused {
            status: status.as_u16(),
            code: None,
            message: None,
        }),
    }
}

/// Errors that the status alone explains.
fn by_status(raw: &RawResponse, dataset: Dataset) -> Option<OdcloudError> {
    let status = raw.status;
    if status == StatusCode::TOO_MANY_REQUESTS {
        let retry_after = raw
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        return Some(OdcloudError::RateLimited { retry_after });
    }
    if status.is_server_error() {
        return Some(OdcloudError::Unavailable {
            status: status.as_u16(),
        });
    }
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Some(OdcloudError::KeyRejected {
            dataset,
            code: None,
        }),
        StatusCode::NOT_FOUND => Some(OdcloudError::UnknownService { dataset }),
        _ => None,
    }
}

/// Statistics are published about two months late and then stay put, so a query whose
/// months all end before the month three back from today can be kept for long. A query
/// without an upper month bound reaches the newest data and is never settled.
fn is_settled(query: &Query, today: NaiveDate) -> bool {
    let upper = query
        .conditions()
        .iter()
        .filter(|c| c.field == fields::STAT_DE && matches!(c.op, Op::Eq | Op::Lte))
        .filter_map(|c| month_index(&c.value))
        .min();
    let this_month = today.year() * 12 + today.month0() as i32;
    upper.is_some_and(|upper| upper <= this_month - 3)
}

/// `YYYYMM` as a month count, for comparisons.
fn month_index(value: &str) -> Option<i32> {
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = value[..4].parse().ok()?;
    let month: i32 = value[4..].parse().ok()?;
    (1..=12).contains(&month).then_some(year * 12 + month - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn cache_keys_ignore_filter_order() {
        let a = Query::new(1, 10)
            .with(fields::HOUSE_NM, Op::Like, "자이")
            .with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "서울");
        let b = Query::new(1, 10)
            .with(fields::SUBSCRPT_AREA_CODE_NM, Op::Eq, "서울")
            .with(fields::HOUSE_NM, Op::Like, "자이");
        assert_eq!(a.canonical(), b.canonical());
        assert_ne!(a.canonical(), Query::new(2, 10).canonical());
    }

    #[test]
    fn params_carry_paging_json_and_filters() {
        let q = Query::new(3, 50).with(fields::RCRIT_PBLANC_DE, Op::Gte, "2025-01-01");
        let params = q.params();
        assert!(params.contains(&("perPage".into(), "50".into())));
        assert!(params.contains(&("returnType".into(), "JSON".into())));
        assert!(params.contains(&("cond[RCRIT_PBLANC_DE::GTE]".into(), "2025-01-01".into())));
    }

    #[test]
    fn only_bounded_old_months_are_settled() {
        let today = day(2025, 6, 15);
        let month = |op, v: &str| Query::new(1, 10).with(fields::STAT_DE, op, v);
        assert!(is_settled(&month(Op::Eq, "202503"), today));
        assert!(!is_settled(&month(Op::Eq, "202504"), today));
        assert!(is_settled(&month(Op::Lte, "202412"), today));
        assert!(!is_settled(&month(Op::Gte, "202001"), today));
        assert!(!is_settled(&Query::new(1, 10), today));
        assert!(!is_settled(&month(Op::Eq, "2025-3"), today));
    }
}
