//! The api.odcloud.kr client: builds requests, reads answers, caches them.

use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicU32, AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::NaiveDate;
use reqwest::{
    StatusCode,
    header::{AUTHORIZATION, HeaderValue, RETRY_AFTER},
};
use serde::de::DeserializeOwned;

use crate::count::count_u32;
use crate::{
    cache::{Backing, Fetched, Freshness},
    metrics::Metrics,
    upstream::{
        http::{FetchError, RawResponse, UpstreamHttp},
        key::{ApiKey, scrub},
    },
};

use super::{
    Dataset, StatKind,
    cached::{CachedPage, Caches, PageCache},
    detail_rows::{CompetitionRow, HouseTypeRow},
    error::OdcloudError,
    kst_today,
    parse::{NoticeRow, Page, Parsed, StatRow, parse_body},
    query::{Query, competition_settled, is_settled},
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
    /// A notice's house-type table: fixed once published, but a corrected notice (정정공고)
    /// can change it.
    pub house_type_ttl: Duration,
    /// Competition figures while applications are open or just closed: they grow each
    /// application day.
    pub recent_competition_ttl: Duration,
    /// Competition figures of a notice whose applications closed days ago: final.
    pub settled_competition_ttl: Duration,
}

impl Default for OdcloudCacheSettings {
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024 * 1024,
            notice_ttl: Duration::from_secs(60 * 60),
            recent_statistics_ttl: Duration::from_secs(6 * 60 * 60),
            settled_statistics_ttl: Duration::from_secs(7 * 24 * 60 * 60),
            house_type_ttl: Duration::from_secs(6 * 60 * 60),
            recent_competition_ttl: Duration::from_secs(60 * 60),
            settled_competition_ttl: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

/// A page of rows with where it came from.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    /// The rows and counts.
    pub page: Arc<Page<T>>,
    /// Live or from the cache.
    pub freshness: Freshness,
    /// Upstream requests this answer cost (0 when cached; 2 when a retry was needed; the
    /// failed attempts when an expired copy stands in).
    pub upstream_calls: u32,
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
    caches: Caches,
    settings: OdcloudCacheSettings,
    calls: Arc<AtomicU64>,
    metrics: Arc<Metrics>,
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
        let backing = Backing::default();
        Self {
            http,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            auth: Arc::new(auth),
            caches: Caches::new(cache.max_bytes, &backing),
            settings: cache,
            calls: Arc::new(AtomicU64::new(0)),
            metrics: backing.metrics,
        }
    }

    /// The same client caching through the server's store and counting in its metrics.
    pub fn backed_by(self, backing: &Backing) -> Self {
        Self {
            caches: Caches::new(self.settings.max_bytes, backing),
            metrics: Arc::clone(&backing.metrics),
            ..self
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
        self.fetch(&self.caches.notices, Dataset::Notices, query, ttl)
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
        self.fetch(
            &self.caches.statistics,
            Dataset::Statistics(kind),
            query,
            ttl,
        )
        .await
    }

    /// A notice's house-type supply table (주택형별 공급세대·분양최고금액).
    pub async fn house_types(&self, query: &Query) -> Result<Answer<HouseTypeRow>, OdcloudError> {
        let ttl = self.settings.house_type_ttl;
        self.fetch(&self.caches.house_types, Dataset::HouseTypes, query, ttl)
            .await
    }

    /// A notice's competition table. `application_end` is the notice's last application
    /// day (`RCEPT_ENDDE`): once it is two days past in Korea the figures are final and
    /// kept long; before that, or when it is unknown, they are refreshed hourly.
    pub async fn competition(
        &self,
        query: &Query,
        application_end: Option<NaiveDate>,
    ) -> Result<Answer<CompetitionRow>, OdcloudError> {
        let ttl = if competition_settled(application_end, kst_today()) {
            self.settings.settled_competition_ttl
        } else {
            self.settings.recent_competition_ttl
        };
        self.fetch(&self.caches.competition, Dataset::Competition, query, ttl)
            .await
    }

    async fn fetch<T>(
        &self,
        cache: &PageCache<T>,
        dataset: Dataset,
        query: &Query,
        ttl: Duration,
    ) -> Result<Answer<T>, OdcloudError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        crate::budget::note_read(dataset.quota());
        let (header, raw_key) = match &*self.auth {
            Auth::Missing => return Err(OdcloudError::MissingKey),
            Auth::Unusable => return Err(OdcloudError::UnusableKey),
            Auth::Ready { header, raw } => (header, raw.as_str()),
        };
        let path = dataset.path();
        let url = format!("{}{path}", self.base_url);
        let cache_key = format!("{path}?{}", query.canonical());
        // Requests this call sends (none when another answers it), retries included.
        let sent_here = AtomicU32::new(0);
        let fetched = cache
            .get_or_fetch(&cache_key, async {
                let params = query.params();
                let attempts = AtomicU32::new(0);
                let sent = self
                    .http
                    .send(dataset.quota(), |client| {
                        attempts.fetch_add(1, Ordering::Relaxed);
                        client
                            .get(&url)
                            .header(AUTHORIZATION, header.clone())
                            .query(&params)
                    })
                    .await;
                let attempts = attempts.into_inner();
                sent_here.store(attempts, Ordering::Relaxed);
                self.calls.fetch_add(u64::from(attempts), Ordering::Relaxed);
                let spent = |result: &str| {
                    let quota = dataset.quota().id;
                    self.metrics.upstream(quota, result, attempts)
                };
                // Messages never hold the key, so they are safe to log as they are.
                let page = sent
                    .map_err(OdcloudError::from)
                    .and_then(|raw| interpret::<T>(&raw, dataset, raw_key).map(|page| (raw, page)))
                    .inspect_err(|e| {
                        spent(&e.result_label());
                        log::warn!("Applyhome {path} failed after {attempts} request(s): {e}")
                    });
                let (raw, page) = page?;
                spent("ok");
                log::debug!(
                    "Applyhome {path}: {} of {} rows in {attempts} request(s)",
                    page.rows.len(),
                    page.match_count
                );
                let weight = count_u32(raw.body.len());
                let value = CachedPage {
                    page: Arc::new(page),
                    weight,
                };
                Ok(Fetched {
                    value,
                    stored: raw.body.to_vec(),
                    ttl,
                })
            })
            .await?;
        let (fetched, freshness) = fetched;
        Ok(Answer {
            // A stale copy served after failed attempts cost those attempts.
            upstream_calls: sent_here.into_inner(),
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
            FetchError::OverBudget(over) => OdcloudError::OverBudget(over),
            FetchError::Deadline(limit) => OdcloudError::Deadline { limit },
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
