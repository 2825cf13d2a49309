//! Fetches a whole month of deals for one district, page by page, through the cache.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use futures::{StreamExt, TryStreamExt, stream};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use super::{
    Dataset, Deal, DealLocation, MolitError, MolitErrorKind, Page, ParseError, parse_page,
};
use crate::{
    budget::{self, Budget},
    cache::{CacheWeight, Freshness, ResponseCache},
    upstream::{
        http::{FetchError, UpstreamHttp},
        key::ApiKey,
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
    /// Cache lifetime of the current KST month and the two before it.
    pub ttl_recent: Duration,
    /// Cache lifetime of older months.
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
            ttl_recent: Duration::from_secs(60 * 60),
            ttl_settled: Duration::from_secs(24 * 60 * 60),
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
    /// Requests this call sent upstream (retries included); 0 when served from the cache.
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

/// What the cache keeps per month: everything but the per-call figures.
#[derive(Clone)]
struct CachedMonth {
    deals: Arc<[Deal]>,
    total_count: u32,
    truncated: bool,
    pages: u32,
    upstream_calls: u32,
    fetched_at: DateTime<Utc>,
    weight: u32,
}

impl CacheWeight for CachedMonth {
    fn weight(&self) -> u32 {
        self.weight
    }
}

/// The MOLIT RTMS client.
///
/// A month is fetched whole (page 1, then the remaining pages with bounded concurrency),
/// capped at `max_rows`, and cached under dataset + district + month, never the key.
///
/// Cache lifetime: deals are reported up to 30 days after the contract and cancellations
/// later still, so the current KST month and the two before it get `ttl_recent`; older
/// months barely change and get `ttl_settled`, sparing the daily quota.
#[derive(Clone)]
pub struct MolitClient {
    http: UpstreamHttp,
    base_url: String,
    key: Option<ApiKey>,
    settings: MolitSettings,
    cache: ResponseCache<CachedMonth>,
}

impl MolitClient {
    /// A client for the gateway at `base_url` (e.g. `https://apis.data.go.kr`). Without a key
    /// every fetch fails with a setup message, so the server can still start.
    pub fn new(
        http: UpstreamHttp,
        base_url: &Url,
        key: Option<ApiKey>,
        settings: MolitSettings,
    ) -> Self {
        let cache = ResponseCache::new(settings.cache_bytes);
        Self {
            http,
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
            key,
            settings,
            cache,
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
        let request = MonthRequest {
            dataset,
            key,
            lawd_cd,
            deal_ymd: &deal_ymd,
        };
        let (cached, freshness) = self
            .cache
            .get_or_fetch(cache_key, async {
                let month = self.fetch_whole_month(&request).await?;
                Ok::<_, MolitError>((month, ttl))
            })
            .await
            .map_err(|shared| MolitError::clone(&shared))?;
        Ok(MonthData {
            upstream_calls: match freshness {
                Freshness::Live => cached.upstream_calls,
                Freshness::Cached { .. } => 0,
            },
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

    async fn fetch_whole_month(
        &self,
        request: &MonthRequest<'_>,
    ) -> Result<CachedMonth, MolitError> {
        let (first, mut calls) = self.fetch_page(request, 1).await?;
        let total_count = first.total_count;
        let wanted = total_count.min(self.settings.max_rows);
        // The gateway may serve fewer rows per page than asked; page by what it really serves
        // so no page is skipped.
        let served = u32::try_from(first.deals.len()).unwrap_or(u32::MAX);
        let per_page = served.min(self.settings.page_size.max(1));
        let pages = if per_page == 0 {
            1
        } else {
            wanted.div_ceil(per_page).max(1)
        };
        let mut deals = first.deals;
        if pages > 1 {
            // Refuse now rather than after paying for part of the month.
            let rest = u64::from(pages - 1);
            self.budget()
                .check(request.dataset.quota(), rest)
                .await
                .map_err(|over| {
                    MolitError::new(request.dataset, MolitErrorKind::OverBudget(over))
                })?;
            let rest: Vec<(Page, u32)> = stream::iter(2..=pages)
                .map(|page_no| self.fetch_page(request, page_no))
                .buffered(self.settings.page_concurrency.max(1))
                .try_collect()
                .await?;
            for (page, attempts) in rest {
                calls += attempts;
                deals.extend(page.deals);
            }
        }
        let cap = usize::try_from(self.settings.max_rows).unwrap_or(usize::MAX);
        deals.truncate(cap);
        let weight = deals
            .iter()
            .map(deal_weight)
            .fold(0u32, u32::saturating_add);
        Ok(CachedMonth {
            deals: deals.into(),
            total_count,
            truncated: total_count > self.settings.max_rows,
            pages,
            upstream_calls: calls,
            fetched_at: Utc::now(),
            weight,
        })
    }

    /// One page; returns it with the number of requests it took (1, or 2 after a retry).
    async fn fetch_page(
        &self,
        request: &MonthRequest<'_>,
        page_no: u32,
    ) -> Result<(Page, u32), MolitError> {
        let dataset = request.dataset;
        let url = format!("{}{}", self.base_url, dataset.path());
        let page_no = page_no.to_string();
        let rows = self.settings.page_size.max(1).to_string();
        let raw = self
            .http
            .send(dataset.quota(), |client| {
                client.get(&url).query(&[
                    ("serviceKey", request.key.expose()),
                    ("LAWD_CD", request.lawd_cd),
                    ("DEAL_YMD", request.deal_ymd),
                    ("pageNo", page_no.as_str()),
                    ("numOfRows", rows.as_str()),
                ])
            })
            .await
            .map_err(|error| MolitError::new(dataset, fetch_error_kind(error)))?;
        let kind = match parse_page(&raw.body) {
            Err(ParseError::Gateway { code, message }) => MolitErrorKind::Gateway {
                code,
                message: redact(&message, request.key),
            },
            _ if !raw.status.is_success() => MolitErrorKind::Status(raw.status.as_u16()),
            Ok(page) => return Ok((page, raw.attempts)),
            Err(ParseError::Malformed(detail)) => MolitErrorKind::Malformed(detail),
        };
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

struct MonthRequest<'a> {
    dataset: Dataset,
    key: &'a ApiKey,
    lawd_cd: &'a str,
    deal_ymd: &'a str,
}

fn fetch_error_kind(error: FetchError) -> MolitErrorKind {
    match error {
        FetchError::Timeout(after) => MolitErrorKind::Timeout(after),
        FetchError::Connect(detail) => MolitErrorKind::Unreachable(detail),
        FetchError::Other(detail) => MolitErrorKind::Malformed(detail),
        FetchError::OverBudget(over) => MolitErrorKind::OverBudget(over),
    }
}

/// Months are cached under dataset + district + month, never the key.
fn cache_key(dataset: Dataset, lawd_cd: &str, deal_ymd: &str) -> String {
    format!("{}/{lawd_cd}/{deal_ymd}", dataset.service())
}

/// The gateway's message should never echo the key, but if it does, it stops here.
fn redact(message: &str, key: &ApiKey) -> String {
    let raw = key.expose();
    let encoded = utf8_percent_encode(raw, NON_ALPHANUMERIC).to_string();
    message
        .replace(raw, "<redacted>")
        .replace(&encoded, "<redacted>")
}

/// Cache lifetime of a month, judged against the current month in Korea (UTC+9).
fn ttl_for(settings: &MolitSettings, year: i32, month: u32, now: DateTime<Utc>) -> Duration {
    let kst = now.naive_utc() + TimeDelta::hours(9);
    let current = i64::from(kst.year()) * 12 + i64::from(kst.month());
    let asked = i64::from(year) * 12 + i64::from(month);
    if current - asked <= 2 {
        settings.ttl_recent
    } else {
        settings.ttl_settled
    }
}

/// Rough bytes a deal holds, so the cache bound tracks real memory.
fn deal_weight(deal: &Deal) -> u32 {
    let strings = [
        &deal.sgg_cd,
        &deal.sgg_nm,
        &deal.umd_nm,
        &deal.jibun,
        &deal.name,
        &deal.apt_dong,
        &deal.house_type,
        &deal.building_type,
        &deal.building_use,
        &deal.land_use,
        &deal.dealing_gbn,
        &deal.sler_gbn,
        &deal.buyer_gbn,
        &deal.estate_agent_sgg_nm,
        &deal.rgst_date,
        &deal.land_leasehold_gbn,
        &deal.share_dealing_type,
        &deal.cdeal_type,
        &deal.cdeal_day,
        &deal.contract_type,
        &deal.contract_term,
        &deal.use_rr_right,
        &deal.jimok,
        &deal.ownership_gbn,
        &deal.apt_seq,
    ];
    let located = deal.location.as_deref();
    let heap: usize = strings
        .into_iter()
        .chain(located.into_iter().flat_map(DealLocation::texts))
        .filter_map(Option::as_ref)
        .map(String::len)
        .sum();
    let boxed = located.map_or(0, |_| std::mem::size_of::<DealLocation>());
    u32::try_from(std::mem::size_of::<Deal>() + boxed + heap).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn recent_months_follow_the_korean_calendar() {
        let settings = MolitSettings::default();
        // 2026-11-30 15:30 UTC is already December in Korea.
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 15, 30, 0).unwrap();
        assert_eq!(ttl_for(&settings, 2026, 12, now), settings.ttl_recent);
        assert_eq!(ttl_for(&settings, 2026, 10, now), settings.ttl_recent);
        assert_eq!(ttl_for(&settings, 2026, 9, now), settings.ttl_settled);
        let january = Utc.with_ymd_and_hms(2027, 1, 10, 0, 0, 0).unwrap();
        assert_eq!(ttl_for(&settings, 2026, 11, january), settings.ttl_recent);
        assert_eq!(ttl_for(&settings, 2026, 10, january), settings.ttl_settled);
    }

    #[test]
    fn a_key_echoed_by_the_gateway_is_redacted() {
        let key = ApiKey::parse("ab+c/d==").unwrap();
        let message = redact("bad key ab+c/d== or ab%2Bc%2Fd%3D%3D", &key);
        assert_eq!(message, "bad key <redacted> or <redacted>");
    }
}
