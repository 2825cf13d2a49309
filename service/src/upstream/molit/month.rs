//! A month of deals as the cache keeps it: parsed in memory, the gateway's own pages on disk.
//!
//! The store keeps the XML pages exactly as they arrived (plus how many deals were kept), so
//! a newer version of this server reads them with its own parser, new fields included.

use std::{sync::Arc, time::SystemTime};

use chrono::{DateTime, Utc};

use super::{Deal, DealLocation, Page, parse_page};
use crate::cache::Cacheable;
use crate::count::count_u32;

/// What the cache keeps per month: everything but the per-call figures.
#[derive(Clone)]
pub(super) struct CachedMonth {
    pub(super) deals: Arc<[Deal]>,
    pub(super) total_count: u32,
    pub(super) truncated: bool,
    pub(super) pages: u32,
    pub(super) fetched_at: DateTime<Utc>,
    weight: u32,
}

impl CachedMonth {
    /// Assembles a month from its pages, in order, keeping at most `kept` deals.
    pub(super) fn from_pages(
        pages: Vec<Page>,
        kept: usize,
        truncated: bool,
        fetched_at: DateTime<Utc>,
    ) -> Self {
        let total_count = pages.first().map_or(0, |page| page.total_count);
        let page_count = count_u32(pages.len());
        let mut deals: Vec<Deal> = pages.into_iter().flat_map(|page| page.deals).collect();
        deals.truncate(kept);
        let weight = deals
            .iter()
            .map(deal_weight)
            .fold(0u32, u32::saturating_add);
        Self {
            deals: deals.into(),
            total_count,
            truncated,
            pages: page_count,
            fetched_at,
            weight,
        }
    }

    /// What the store keeps: a header line (`<deals kept> <truncated 0|1>`) and the pages,
    /// each prefixed by its length.
    pub(super) fn stored(&self, bodies: &[bytes::Bytes]) -> Vec<u8> {
        let header = format!("{} {}", self.deals.len(), u8::from(self.truncated));
        let parts = std::iter::once(header.as_bytes()).chain(bodies.iter().map(|b| b.as_ref()));
        let mut out = Vec::with_capacity(bodies.iter().map(|b| b.len() + 4).sum::<usize>() + 16);
        for part in parts {
            let len = count_u32(part.len());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(part);
        }
        out
    }
}

impl Cacheable for CachedMonth {
    fn weight(&self) -> u32 {
        self.weight
    }

    fn restore(stored: &[u8], stored_at: SystemTime) -> Option<Self> {
        let mut parts = split(stored)?.into_iter();
        let header = std::str::from_utf8(parts.next()?).ok()?;
        let (kept, truncated) = header.split_once(' ')?;
        let kept: usize = kept.parse().ok()?;
        let truncated = truncated == "1";
        let pages = parts
            .map(|body| parse_page(body).ok())
            .collect::<Option<Vec<Page>>>()?;
        if pages.is_empty() {
            return None;
        }
        Some(Self::from_pages(pages, kept, truncated, stored_at.into()))
    }
}

/// The length-prefixed parts of a stored month; `None` when they do not add up.
fn split(mut bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut parts = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
        if rest.len() < len {
            return None;
        }
        let (part, rest) = rest.split_at(len);
        parts.push(part);
        bytes = rest;
    }
    Some(parts)
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
    count_u32(std::mem::size_of::<Deal>() + boxed + heap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg>\
        </header><body><items><item><dealAmount>10,000</dealAmount><dealYear>2025</dealYear>\
        </item><item><dealAmount>20,000</dealAmount><dealYear>2025</dealYear></item></items>\
        <numOfRows>2</numOfRows><pageNo>1</pageNo><totalCount>3</totalCount></body></response>";

    #[test]
    fn a_stored_month_reads_back_as_it_was() {
        let bodies = [bytes::Bytes::from(PAGE), bytes::Bytes::from(PAGE)];
        let pages = bodies.iter().map(|b| parse_page(b).unwrap()).collect();
        let month = CachedMonth::from_pages(pages, 3, true, Utc::now());
        assert_eq!(month.deals.len(), 3);
        let stored = month.stored(&bodies);
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000);
        let back = CachedMonth::restore(&stored, at).unwrap();
        assert_eq!(back.deals, month.deals);
        assert_eq!((back.total_count, back.truncated, back.pages), (3, true, 2));
        assert_eq!(SystemTime::from(back.fetched_at), at);
        assert_eq!(back.weight, month.weight);
    }

    #[test]
    fn a_cut_or_garbled_stored_month_is_refused() {
        let month = CachedMonth::from_pages(
            vec![parse_page(PAGE.as_bytes()).unwrap()],
            9,
            false,
            Utc::now(),
        );
        let stored = month.stored(&[bytes::Bytes::from(PAGE)]);
        let now = SystemTime::now();
        assert!(CachedMonth::restore(&stored[..stored.len() - 1], now).is_none());
        assert!(CachedMonth::restore(&stored[..6], now).is_none());
        assert!(CachedMonth::restore(b"", now).is_none());
        let mut garbled = stored.clone();
        let at = garbled.len() - 20;
        garbled[at] = b'<';
        assert!(CachedMonth::restore(&garbled, now).is_none());
    }
}
