//! Fetches a whole month of deals for one district, page by page, through the cache.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt, stream};
use url::Url;

use super::{
    Dataset, Deal, MolitError, MolitErrorKind, Page, ParseError, month::CachedMonth, parse_page,
    still_reported,
};
use crate::count::count_u32;
use crate::{
    budget::{self, Budget},
    cache::{Backing, Fetched, Freshness, ResponseCache},
    metrics::Metrics,
    upstream::{
        http::{FetchError, UpstreamHttp},
        key::{ApiKey, scrub},
    },
};

/// How the client pages, caps and caches.
#[derive(Debug, Clone)]
pub struct MolitSettings {
    /// Rows asked for per page (`numOfRows`). Large pages save quota; the gateway has no
    /// documented maximum but very large values have caused 504s on sibling services.
    pub page_size: u32,
    /// Pages of one month fetched at the same time.
    pub page_concurrency: usize,
    /// Most deals kept for one month; beyond it the month is marked truncated.
    pub max_rows: u32,
    /// Cache lifetime of a month that may still change: until 30 days after its last day
    /// (`CACHE_TTL_RECENT_HOURS`).
    pub ttl_recent: Duration,
    /// Cache lifetime of older months (`CACHE_TTL_SETTLED_DAYS`).
    pub ttl_settled: Duration,
    /// Memory the month cache may use, in bytes (approximate).
    pub cache_bytes: u64,
}

impl Default for MolitSettings {
    fn default() -> Self {
        Self {
            page_size: 1000,
            page_concurrency: 4,
            max_rows: 20_000,
            ttl_recent: Duration::from_secs(6 * 60 * 60),
            ttl_settled: Duration::from_secs(30 * 24 * 60 * 60),
            cache_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A month of deals for one district and dataset, with where it came from.
#[derive(Debug, Clone)]
pub struct MonthData {
    /// The deals, in the service's order, at most `max_rows` of them.
    pub deals: Arc<[Deal]>,
    /// Deals the service reports for the month (may exceed `deals.len()` when truncated).
    pub total_count: u32,
    /// True when the month held more than `max_rows` deals and the rest were not fetched.
    pub truncated: bool,
    /// Pages fetched to assemble the month.
    pub pages: u32,
    /// Requests this call sent upstream (retries included); 0 when served from the cache, the
    /// failed attempts when an expired copy stands in.
    pub upstream_calls: u32,
    /// Live or cached (and how old).
    pub freshness: Freshness,
    /// When the upstream answered.
    pub fetched_at: DateTime<Utc>,
}

/// What the cache knows of a month's size, without its deals: what fetching it again, or a
/// month like it, would cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachedMonthFacts {
    /// Pages the month took.
    pub pages: u32,
    /// Deals the service reported for it.
    pub total_count: u32,
}

/// The MOLIT RTMS client.
///
/// A month is fetched whole (page 1, then the remaining pages with bounded concurrency),
/// capped at `max_rows`, and cached under dataset + district + month, never the key.
///
/// Cache lifetime (see [`still_reported`]): a month gets `ttl_recent` until deals can no
/// longer be reported for it, `ttl_settled` after that, sparing the daily quota.
#[derive(Clone)]
pub struct MolitClient {
    http: UpstreamHttp,
    base_url: String,
    key: Option<ApiKey>,
    settings: MolitSettings,
    cache: ResponseCache<CachedMonth, MolitError>,
    metrics: Arc<Metrics>,
}

impl MolitClient {
    /// A client for the gateway at `base_url` (e.g. `https://apis.data.go.kr`), caching in
    /// memory only. Without a key every fetch fails with a setup message, so the server can
    /// still start.
    pub fn new(
        http: UpstreamHttp,
        base_url: &Url,
        key: Option<ApiKey>,
        settings: MolitSettings,
    ) -> Self {
        let backing = Backing::default();
        Self {
            http,
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
            key,
            cache: ResponseCache::new(CACHE_NAME, settings.cache_bytes, &backing),
            settings,
            metrics: backing.metrics,
        }
    }

    /// The same client caching through the server's store and counting in its metrics.
    pub fn backed_by(self, backing: &Backing) -> Self {
        Self {
            cache: ResponseCache::new(CACHE_NAME, self.settings.cache_bytes, backing),
            metrics: Arc::clone(&backing.metrics),
            ..self
        }
    }

    /// Every deal of `dataset` in district `lawd_cd` (5 digits) for `year`-`month`, from
    /// the cache when it holds the month, otherwise from every page of the service.
    pub async fn fetch_month(
        &self,
        dataset: Dataset,
        lawd_cd: &str,
        year: i32,
        month: u32,
    ) -> Result<MonthData, MolitError> {
        budget::note_read(dataset.quota());
        let key = self
            .key
            .as_ref()
            .ok_or_else(|| MolitError::new(dataset, MolitErrorKind::MissingKey))?;
        let deal_ymd = format!("{year:04}{month:02}");
        let cache_key = cache_key(dataset, lawd_cd, &deal_ymd);
        let ttl = ttl_for(&self.settings, year, month, Utc::now());
        let sent = AtomicU32::new(0);
        let request = MonthRequest {
            dataset,
            key,
            lawd_cd,
            deal_ymd: &deal_ymd,
            sent: &sent,
        };
        let (cached, freshness) = self
            .cache
            .get_or_fetch(&cache_key, async {
                let (month, bodies) = self.fetch_whole_month(&request).await?;
                let stored = month.stored(&bodies);
                Ok(Fetched {
                    value: month,
                    stored,
                    ttl,
                })
            })
            .await
            // A failed month reports what it sent; a caller that only waited for another's
            // fetch sent nothing.
            .map_err(|error| error.after_calls(sent.load(Ordering::Relaxed)))?;
        Ok(MonthData {
            // What this call sent, whatever answered it: a stale copy served after failed
            // attempts cost those attempts.
            upstream_calls: sent.into_inner(),
            deals: cached.deals,
            total_count: cached.total_count,
            truncated: cached.truncated,
            pages: cached.pages,
            freshness,
            fetched_at: cached.fetched_at,
        })
    }

    /// The size of a month the cache holds, or `None` when fetching it would cost quota.
    pub async fn cached_facts(
        &self,
        dataset: Dataset,
        lawd_cd: &str,
        year: i32,
        month: u32,
    ) -> Option<CachedMonthFacts> {
        let key = cache_key(dataset, lawd_cd, &format!("{year:04}{month:02}"));
        self.cache.peek(&key).await.map(|cached| CachedMonthFacts {
            pages: cached.pages,
            total_count: cached.total_count,
        })
    }

    /// Rows asked for per page.
    pub fn page_size(&self) -> u32 {
        self.settings.page_size.max(1)
    }

    /// Most pages one month can take: what an unknown month may cost at worst.
    pub fn page_cap(&self) -> u32 {
        self.settings.max_rows.div_ceil(self.page_size()).max(1)
    }

    /// The budgets this client's requests are charged to.
    pub fn budget(&self) -> &Budget {
        self.http.budget()
    }

    /// Every page of the month, assembled, with the pages' bodies for the store.
    async fn fetch_whole_month(
        &self,
        request: &MonthRequest<'_>,
    ) -> Result<(CachedMonth, Vec<Bytes>), MolitError> {
        let (first, first_body) = self.fetch_page(request, 1).await?;
        let total_count = first.total_count;
        let wanted = total_count.min(self.settings.max_rows);
        // The gateway may serve fewer rows per page than asked; page by what it really serves
        // so no page is skipped.
        let served = count_u32(first.deals.len());
        let per_page = served.min(self.settings.page_size.max(1));
        let page_count = if per_page == 0 {
            1
        } else {
            wanted.div_ceil(per_page).max(1)
        };
        let mut pages = vec![first];
        let mut bodies = vec![first_body];
        if page_count > 1 {
            // Refuse now rather than after paying for part of the month.
            let rest = u64::from(page_count - 1);
            self.budget()
                .check(request.dataset.quota(), rest)
                .await
                .map_err(|over| {
                    MolitError::new(request.dataset, MolitErrorKind::OverBudget(over))
                })?;
            let rest: Vec<(Page, Bytes)> = stream::iter(2..=page_count)
                .map(|page_no| self.fetch_page(request, page_no))
                .buffered(self.settings.page_concurrency.max(1))
                .try_collect()
                .await?;
            for (page, body) in rest {
                pages.push(page);
                bodies.push(body);
            }
        }
        let cap = usize::try_from(self.settings.max_rows).unwrap_or(usize::MAX);
        let truncated = total_count > self.settings.max_rows;
        let month = CachedMonth::from_pages(pages, cap, truncated, Utc::now());
        Ok((month, bodies))
    }

    /// One page with its body; the requests it took (1, or 2 after a retry) are added to
    /// `request.sent` whether it succeeds or not.
    async fn fetch_page(
        &self,
        request: &MonthRequest<'_>,
        page_no: u32,
    ) -> Result<(Page, Bytes), MolitError> {
        let dataset = request.dataset;
        let url = format!("{}{}", self.base_url, dataset.path());
        let page_no = page_no.to_string();
        let rows = self.settings.page_size.max(1).to_string();
        let attempts = AtomicU32::new(0);
        let sent = self
            .http
            .send(dataset.quota(), |client| {
                // Called once per attempt sent, after the budget charged it.
                attempts.fetch_add(1, Ordering::Relaxed);
                client.get(&url).query(&[
                    ("serviceKey", request.key.expose()),
                    ("LAWD_CD", request.lawd_cd),
                    ("DEAL_YMD", request.deal_ymd),
                    ("pageNo", page_no.as_str()),
                    ("numOfRows", rows.as_str()),
                ])
            })
            .await;
        let attempts = attempts.into_inner();
        request.sent.fetch_add(attempts, Ordering::Relaxed);
        let spent = |result: &str| self.metrics.upstream(dataset.service(), result, attempts);
        let raw = sent.map_err(|error| {
            let kind = fetch_error_kind(error);
            spent(&result_label(&kind));
            MolitError::new(dataset, kind)
        })?;
        let kind = match parse_page(&raw.body) {
            Err(ParseError::Gateway { code, message }) => MolitErrorKind::Gateway {
                code,
                message: scrub(&message, request.key.expose()),
            },
            _ if !raw.status.is_success() => MolitErrorKind::Status(raw.status.as_u16()),
            Ok(page) => {
                spent("ok");
                return Ok((page, raw.body));
            }
            Err(ParseError::Malformed(detail)) => MolitErrorKind::Malformed(detail),
        };
        spent(&result_label(&kind));
        log::warn!(
            "{} {} {} page {}: {:?}",
            dataset.service(),
            request.lawd_cd,
            request.deal_ymd,
            page_no,
            kind
        );
        Err(MolitError::new(dataset, kind))
    }
}

/// The cache's name in metrics and in the store's keys.
const CACHE_NAME: &str = "molit";

/// How an exchange ended, as the `result` label of `upstream_requests_total`.
fn result_label(kind: &MolitErrorKind) -> String {
    match kind {
        MolitErrorKind::MissingKey => "missing_key".into(),
        MolitErrorKind::Gateway { code, .. } => format!("gateway_{code}"),
        MolitErrorKind::Status(status) => format!("http_{status}"),
        MolitErrorKind::Timeout(_) => "timeout".into(),
        MolitErrorKind::Unreachable(_) => "unreachable".into(),
        MolitErrorKind::Malformed(_) => "malformed".into(),
        MolitErrorKind::OverBudget(_) => "over_budget".into(),
        MolitErrorKind::Deadline(_) => "deadline".into(),
    }
}

struct MonthRequest<'a> {
    dataset: Dataset,
    key: &'a ApiKey,
    lawd_cd: &'a str,
    deal_ymd: &'a str,
    /// Requests sent for this month so far, retries and failures included.
    sent: &'a AtomicU32,
}

fn fetch_error_kind(error: FetchError) -> MolitErrorKind {
    match error {
        FetchError::Timeout(after) => MolitErrorKind::Timeout(after),
        FetchError::Connect(detail) => MolitErrorKind::Unreachable(detail),
        FetchError::Other(detail) => MolitErrorKind::Malformed(detail),
        FetchError::OverBudget(over) => MolitErrorKind::OverBudget(over),
        FetchError::Deadline(limit) => MolitErrorKind::Deadline(limit),
    }
}

/// Months are cached under dataset + district + month, never the key.
fn cache_key(dataset: Dataset, lawd_cd: &str, deal_ymd: &str) -> String {
    format!("{}/{lawd_cd}/{deal_ymd}", dataset.service())
}

/// Cache lifetime of a month: `ttl_recent` while deals can still be reported for it
/// ([`still_reported`]), `ttl_settled` after, when only a rare late cancellation changes it.
fn ttl_for(settings: &MolitSettings, year: i32, month: u32, now: DateTime<Utc>) -> Duration {
    if still_reported(year, month, now) {
        settings.ttl_recent
    } else {
        settings.ttl_settled
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_month_is_cached_briefly_while_deals_can_still_be_reported() {
        let settings = MolitSettings::default();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
        assert_eq!(ttl_for(&settings, 2026, 10, now), settings.ttl_recent);
        assert_eq!(ttl_for(&settings, 2026, 9, now), settings.ttl_settled);
    }
}
