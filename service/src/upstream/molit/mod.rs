//! MOLIT real-transaction services (실거래가, apis.data.go.kr "RTMS"): which datasets exist,
//! how their answers are parsed, what their errors mean, and the client that fetches a whole
//! month of deals for one district.

mod client;
mod deal;
mod error;
mod fields;
#[cfg(test)]
mod fixture_tests;
mod month;
mod parse;
mod reporting;

pub use client::{CachedMonthFacts, MolitClient, MolitSettings, MonthData};
pub use deal::{Deal, DealLocation, Page};
pub use error::{MolitError, MolitErrorKind};
pub use parse::{ParseError, parse_page};
pub use reporting::still_reported;

/// Whether a dataset reports sales or leases; it decides which prices a deal carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DealKind {
    /// 매매: a price (`dealAmount`).
    Trade,
    /// 전월세: a deposit and a monthly rent.
    Rent,
}

/// The MOLIT datasets the tools read. Each needs its own approval on data.go.kr even though
/// one portal key serves them all, which is why every error names the dataset's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// Apartment sales (아파트 매매).
    AptTrade,
    /// Apartment leases (아파트 전월세).
    AptRent,
    /// Officetel sales (오피스텔 매매).
    OfficetelTrade,
    /// Officetel leases (오피스텔 전월세).
    OfficetelRent,
    /// Row-house and multi-family sales (연립다세대 매매, "빌라").
    RowHouseTrade,
    /// Row-house and multi-family leases (연립다세대 전월세).
    RowHouseRent,
    /// Detached and multi-household sales (단독/다가구 매매).
    DetachedHouseTrade,
    /// Detached and multi-household leases (단독/다가구 전월세).
    DetachedHouseRent,
    /// Commercial and business building sales (상업업무용 매매).
    CommercialTrade,
    /// Apartment sales with the detail fields (아파트 매매 상세): road address, lot codes and
    /// the complex id (`aptSeq`) on top of everything `AptTrade` sends.
    AptTradeDetailed,
    /// Resales of presale and occupancy rights (분양권·입주권 전매).
    PresaleRightTrade,
    /// Land sales (토지 매매).
    LandTrade,
    /// Factory and warehouse sales (공장·창고 등 매매).
    FactoryWarehouseTrade,
}

impl Dataset {
    /// Every dataset, in the order the tools list them.
    pub const ALL: [Dataset; 13] = [
        Dataset::AptTrade,
        Dataset::AptRent,
        Dataset::OfficetelTrade,
        Dataset::OfficetelRent,
        Dataset::RowHouseTrade,
        Dataset::RowHouseRent,
        Dataset::DetachedHouseTrade,
        Dataset::DetachedHouseRent,
        Dataset::CommercialTrade,
        Dataset::AptTradeDetailed,
        Dataset::PresaleRightTrade,
        Dataset::LandTrade,
        Dataset::FactoryWarehouseTrade,
    ];

    /// The gateway's service name, e.g. `RTMSDataSvcAptTrade`.
    pub fn service(self) -> &'static str {
        match self {
            Dataset::AptTrade => "RTMSDataSvcAptTrade",
            Dataset::AptRent => "RTMSDataSvcAptRent",
            Dataset::OfficetelTrade => "RTMSDataSvcOffiTrade",
            Dataset::OfficetelRent => "RTMSDataSvcOffiRent",
            Dataset::RowHouseTrade => "RTMSDataSvcRHTrade",
            Dataset::RowHouseRent => "RTMSDataSvcRHRent",
            Dataset::DetachedHouseTrade => "RTMSDataSvcSHTrade",
            Dataset::DetachedHouseRent => "RTMSDataSvcSHRent",
            Dataset::CommercialTrade => "RTMSDataSvcNrgTrade",
            Dataset::AptTradeDetailed => "RTMSDataSvcAptTradeDev",
            Dataset::PresaleRightTrade => "RTMSDataSvcSilvTrade",
            Dataset::LandTrade => "RTMSDataSvcLandTrade",
            Dataset::FactoryWarehouseTrade => "RTMSDataSvcInduTrade",
        }
    }

    /// The data.go.kr dataset id, where a user applies for access.
    ///
    /// The 2024 services were published as one numbered series (15126463–15126475). Land
    /// (15126466) and factories (15126470) are the two ids of that series our reference
    /// lacked: public projects' code and setup notes map them this way, and they are the
    /// only two numbers of the series no other dataset uses.
    pub fn dataset_id(self) -> &'static str {
        match self {
            Dataset::AptTrade => "15126469",
            Dataset::AptRent => "15126474",
            Dataset::OfficetelTrade => "15126464",
            Dataset::OfficetelRent => "15126475",
            Dataset::RowHouseTrade => "15126467",
            Dataset::RowHouseRent => "15126473",
            Dataset::DetachedHouseTrade => "15126465",
            Dataset::DetachedHouseRent => "15126472",
            Dataset::CommercialTrade => "15126463",
            Dataset::AptTradeDetailed => "15126468",
            Dataset::PresaleRightTrade => "15126471",
            Dataset::LandTrade => "15126466",
            Dataset::FactoryWarehouseTrade => "15126470",
        }
    }

    /// The dataset's page on data.go.kr (apply for access, check approval, raise the quota).
    pub fn page_url(self) -> String {
        format!(
            "https://www.data.go.kr/data/{}/openapi.do",
            self.dataset_id()
        )
    }

    /// The Korean name people use for the data, e.g. `아파트 매매`.
    pub fn label(self) -> &'static str {
        match self {
            Dataset::AptTrade => "아파트 매매",
            Dataset::AptRent => "아파트 전월세",
            Dataset::OfficetelTrade => "오피스텔 매매",
            Dataset::OfficetelRent => "오피스텔 전월세",
            Dataset::RowHouseTrade => "연립다세대 매매",
            Dataset::RowHouseRent => "연립다세대 전월세",
            Dataset::DetachedHouseTrade => "단독/다가구 매매",
            Dataset::DetachedHouseRent => "단독/다가구 전월세",
            Dataset::CommercialTrade => "상업업무용 매매",
            Dataset::AptTradeDetailed => "아파트 매매 (상세)",
            Dataset::PresaleRightTrade => "분양권·입주권 전매",
            Dataset::LandTrade => "토지 매매",
            Dataset::FactoryWarehouseTrade => "공장·창고 매매",
        }
    }

    /// The daily quota its requests count against: one per service on data.go.kr.
    pub fn quota(self) -> crate::budget::Quota {
        crate::budget::Quota {
            id: self.service(),
            label: self.label(),
        }
    }

    /// Sales or leases.
    pub fn kind(self) -> DealKind {
        match self {
            Dataset::AptRent
            | Dataset::OfficetelRent
            | Dataset::RowHouseRent
            | Dataset::DetachedHouseRent => DealKind::Rent,
            Dataset::AptTrade
            | Dataset::OfficetelTrade
            | Dataset::RowHouseTrade
            | Dataset::DetachedHouseTrade
            | Dataset::CommercialTrade
            | Dataset::AptTradeDetailed
            | Dataset::PresaleRightTrade
            | Dataset::LandTrade
            | Dataset::FactoryWarehouseTrade => DealKind::Trade,
        }
    }

    /// The request path under the base URL: `/1613000/{Service}/get{Service}`.
    pub fn path(self) -> String {
        format!("/1613000/{0}/get{0}", self.service())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_has_a_distinct_service_and_page() {
        let mut services: Vec<_> = Dataset::ALL.iter().map(|d| d.service()).collect();
        services.sort_unstable();
        services.dedup();
        assert_eq!(services.len(), Dataset::ALL.len());
        let mut ids: Vec<_> = Dataset::ALL.iter().map(|d| d.dataset_id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Dataset::ALL.len());
    }

    #[test]
    fn paths_and_pages_follow_the_portal_layout() {
        assert_eq!(
            Dataset::RowHouseTrade.path(),
            "/1613000/RTMSDataSvcRHTrade/getRTMSDataSvcRHTrade"
        );
        assert_eq!(
            Dataset::AptTrade.page_url(),
            "https://www.data.go.kr/data/15126469/openapi.do"
        );
        assert_eq!(Dataset::DetachedHouseRent.kind(), DealKind::Rent);
        assert_eq!(Dataset::CommercialTrade.kind(), DealKind::Trade);
        assert_eq!(
            Dataset::AptTradeDetailed.path(),
            "/1613000/RTMSDataSvcAptTradeDev/getRTMSDataSvcAptTradeDev"
        );
        assert_eq!(
            Dataset::LandTrade.page_url(),
            "https://www.data.go.kr/data/15126466/openapi.do"
        );
        assert_eq!(Dataset::PresaleRightTrade.kind(), DealKind::Trade);
    }
}
