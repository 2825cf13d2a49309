//! The unit a multi-month question is fetched in: one month of one dataset for one district,
//! and how one such month is read.

use std::sync::Arc;

use super::args::MonthRange;
use crate::{
    regions::Former,
    tools::{
        calendar::YearMonth,
        district_months::{DistrictMonth, fetch_district_month},
        regions::ResolvedRegion,
    },
    upstream::molit::{Dataset, MolitClient, MolitError},
};

/// Months fetched at the same time. Each month's pages are fetched with the client's own
/// bound, so at most this many times `page_concurrency` requests are in flight.
pub const MONTH_CONCURRENCY: usize = 4;

/// One month of one dataset for one district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MonthKey {
    pub(super) dataset: Dataset,
    pub(super) lawd_cd: String,
    pub(super) month: YearMonth,
    /// The district's codes before a reorganisation, read when `lawd_cd` has nothing for a
    /// month before the change ([`fetch_district_month`]); shared with the region.
    pub(super) formers: Arc<[Former]>,
}

impl MonthKey {
    /// Every month of `range` for each of `datasets` in one district, month by month.
    pub(super) fn for_months(
        datasets: &[Dataset],
        region: &ResolvedRegion,
        range: MonthRange,
    ) -> Vec<Self> {
        range
            .months()
            .into_iter()
            .flat_map(|month| {
                datasets.iter().map(move |&dataset| MonthKey {
                    dataset,
                    lawd_cd: region.lawd_cd.clone(),
                    month,
                    formers: region.formers.clone(),
                })
            })
            .collect()
    }
}

/// One month, through the client's cache, from the district's former code when its own
/// has nothing for a month before a reorganisation.
pub(super) async fn fetch_one(
    client: &MolitClient,
    key: &MonthKey,
) -> Result<DistrictMonth, MolitError> {
    fetch_district_month(client, key.dataset, &key.lawd_cd, &key.formers, key.month).await
}
