//! What the Applyhome caches keep: a parsed page in memory, the service's JSON on disk (a
//! newer version of this server reads it with its own parser).

use std::{sync::Arc, time::SystemTime};

use serde::de::DeserializeOwned;

use super::{
    OdcloudError,
    detail_rows::{CompetitionRow, HouseTypeRow},
    parse::{NoticeRow, Page, Parsed, StatRow, parse_body},
};
use crate::cache::{Backing, Cacheable, ResponseCache};
use crate::count::count_u32;

/// A page as the cache keeps it; the store keeps the upstream's JSON as it arrived.
pub(super) struct CachedPage<T> {
    pub(super) page: Arc<Page<T>>,
    pub(super) weight: u32,
}

// By hand: the rows sit behind an `Arc`, so cloning needs no `T: Clone`.
impl<T> Clone for CachedPage<T> {
    fn clone(&self) -> Self {
        Self {
            page: Arc::clone(&self.page),
            weight: self.weight,
        }
    }
}

impl<T: DeserializeOwned + Send + Sync + 'static> Cacheable for CachedPage<T> {
    fn weight(&self) -> u32 {
        self.weight
    }

    fn restore(stored: &[u8], _stored_at: SystemTime) -> Option<Self> {
        match parse_body::<T>(stored) {
            Ok(Parsed::Page(page)) => Some(Self {
                page: Arc::new(page),
                weight: count_u32(stored.len()),
            }),
            _ => None,
        }
    }
}

/// One memory cache per kind of answer, named as in metrics and the store.
pub(super) type PageCache<T> = ResponseCache<CachedPage<T>, OdcloudError>;

#[derive(Clone)]
pub(super) struct Caches {
    pub(super) notices: PageCache<NoticeRow>,
    pub(super) statistics: PageCache<StatRow>,
    pub(super) house_types: PageCache<HouseTypeRow>,
    pub(super) competition: PageCache<CompetitionRow>,
}

impl Caches {
    pub(super) fn new(max_bytes: u64, backing: &Backing) -> Self {
        // Notices are asked for most and statistics pages are the largest: three eighths
        // each. A notice's house types and competition table are small: an eighth each.
        let eighth = max_bytes / 8;
        Self {
            notices: ResponseCache::new("applyhome_notices", 3 * eighth, backing),
            statistics: ResponseCache::new("applyhome_statistics", 3 * eighth, backing),
            house_types: ResponseCache::new("applyhome_house_types", eighth, backing),
            competition: ResponseCache::new("applyhome_competition", eighth, backing),
        }
    }
}
