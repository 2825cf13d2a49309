//! Applyhome 청약홈 data published by the Korea Real Estate Board on api.odcloud.kr.
//!
//! Two services are read, both JSON with the same envelope
//! (`{currentCount, data, matchCount, page, perPage, totalCount}`) and the same
//! `cond[FIELD::OP]=value` filter syntax:
//!
//! - notices (분양정보): `ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancDetail`. We read this
//!   service rather than the `15101046/v1/uddi:…` file dataset because only this one is
//!   updated daily and accepts the filters the tools offer (`SUBSCRPT_AREA_CODE_NM`,
//!   `HSSPLY_ADRES`, `HOUSE_NM`, `RCRIT_PBLANC_DE`); the file dataset names its columns in
//!   Korean (`주택명`, `모집공고일`, …), is refreshed rarely, and rejects those filters.
//! - statistics (청약 신청·당첨자 정보): `ApplyhomeStatSvc/v1/` and six operations.
//! - per notice: its house-type supply table (`ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancMdl`)
//!   and its competition table (`ApplyhomeInfoCmpetRtSvc/v1/getAPTLttotPblancCmpet`), both
//!   filtered by `HOUSE_MANAGE_NO` / `PBLANC_NO`.

mod cached;
mod client;
mod detail_rows;
mod error;
#[cfg(test)]
mod fixture_tests;
mod lenient;
mod parse;
mod query;

use serde::{Deserialize, Serialize};

use schemars::{self, JsonSchema};

pub use client::{Answer, OdcloudCacheSettings, OdcloudClient};
pub use detail_rows::{CompetitionRow, HouseTypeRow};
pub use error::OdcloudError;
pub use lenient::{Num, Text};
pub use parse::{NoticeRow, Page, Parsed, StatRow, Unreadable, parse_body};
pub use query::{Condition, Op, Query};

/// Upstream field names used in filters, kept in one place so a renamed column is a
/// one-line fix.
pub mod fields {
    /// Notice: house (complex) name, filtered with LIKE.
    pub const HOUSE_NM: &str = "HOUSE_NM";
    /// Notice: supply address, filtered with LIKE.
    pub const HSSPLY_ADRES: &str = "HSSPLY_ADRES";
    /// Notice: short supply-area name (서울, 경기, …), filtered with EQ.
    pub const SUBSCRPT_AREA_CODE_NM: &str = "SUBSCRPT_AREA_CODE_NM";
    /// Notice: recruitment notice date `YYYY-MM-DD`, filtered with GTE/LTE.
    pub const RCRIT_PBLANC_DE: &str = "RCRIT_PBLANC_DE";
    /// Notice, house types, competition: 주택관리번호, filtered with EQ.
    pub const HOUSE_MANAGE_NO: &str = "HOUSE_MANAGE_NO";
    /// Notice, house types, competition: 공고번호, filtered with EQ.
    pub const PBLANC_NO: &str = "PBLANC_NO";
    /// Statistics: the month the figures describe, `YYYYMM`.
    pub const STAT_DE: &str = "STAT_DE";
    /// Statistics: Applyhome supply-area code (100 서울, 410 경기, …).
    pub const SUBSCRPT_AREA_CODE: &str = "SUBSCRPT_AREA_CODE";
    /// Statistics: residence class (01 해당지역, 02 기타지역, 03 기타경기).
    pub const RESIDE_SECD: &str = "RESIDE_SECD";
}

/// Today's date in Korea, the calendar Applyhome's dates and months follow.
pub use crate::kst::today as kst_today;

/// Path of the notice service below the base URL.
pub const NOTICE_PATH: &str = "/ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancDetail";

/// Path prefix of the statistics service below the base URL.
pub const STATISTICS_PATH: &str = "/ApplyhomeStatSvc/v1/";

/// Path of a notice's house-type supply table below the base URL.
pub const HOUSE_TYPES_PATH: &str = "/ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancMdl";

/// Path of a notice's competition table below the base URL.
pub const COMPETITION_PATH: &str = "/ApplyhomeInfoCmpetRtSvc/v1/getAPTLttotPblancCmpet";

/// The six statistics the Applyhome statistics service publishes, one row per month (and
/// region, age band or residence class, depending on the kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatKind {
    /// 지역별 청약 신청자: applications per month and region, split by age band
    /// (30대 이하, 40대, 50대, 60대 이상).
    ApplicantsByRegion,
    /// 연령별 청약 신청자: nationwide applications per month by age band.
    ApplicantsByAge,
    /// 지역별 청약 당첨자: winners per month and region, split by age band.
    WinnersByRegion,
    /// 연령별 청약 당첨자: nationwide winners per month by age band.
    WinnersByAge,
    /// 지역별 청약 경쟁률: households offered, applications and competition rate per month
    /// and region, for special supply (특별공급) and general supply (일반공급).
    CompetitionByRegion,
    /// 지역별 가점제 당첨자: winning 청약 points (가점) per month, region and residence class
    /// (해당지역 / 기타지역 / 기타경기): average, highest and lowest (the cut-off).
    WinningScoresByRegion,
}

impl StatKind {
    /// Every kind, in the order the service documents them.
    pub const ALL: [StatKind; 6] = [
        StatKind::ApplicantsByRegion,
        StatKind::ApplicantsByAge,
        StatKind::WinnersByRegion,
        StatKind::WinnersByAge,
        StatKind::CompetitionByRegion,
        StatKind::WinningScoresByRegion,
    ];

    /// The upstream operation name.
    pub fn operation(self) -> &'static str {
        match self {
            StatKind::ApplicantsByRegion => "getAPTReqstAreaStat",
            StatKind::ApplicantsByAge => "getAPTReqstAgeStat",
            StatKind::WinnersByRegion => "getAPTPrzwnerAreaStat",
            StatKind::WinnersByAge => "getAPTPrzwnerAgeStat",
            StatKind::CompetitionByRegion => "getAPTCmpetrtAreaStat",
            StatKind::WinningScoresByRegion => "getAPTApsPrzwnerStat",
        }
    }

    /// The Korean title Applyhome uses.
    pub fn title(self) -> &'static str {
        match self {
            StatKind::ApplicantsByRegion => "지역별 청약 신청자",
            StatKind::ApplicantsByAge => "연령별 청약 신청자",
            StatKind::WinnersByRegion => "지역별 청약 당첨자",
            StatKind::WinnersByAge => "연령별 청약 당첨자",
            StatKind::CompetitionByRegion => "지역별 청약 경쟁률",
            StatKind::WinningScoresByRegion => "지역별 가점제 당첨자 (당첨 가점)",
        }
    }

    /// Whether rows are split by region, so a region filter means something.
    pub fn has_region(self) -> bool {
        !matches!(self, StatKind::ApplicantsByAge | StatKind::WinnersByAge)
    }

    /// Whether rows are split by residence class (only the winning-score table is).
    pub fn has_residence(self) -> bool {
        self == StatKind::WinningScoresByRegion
    }
}

/// Which upstream dataset a request reads; errors use it to name the data.go.kr page
/// where the key must be approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// 청약홈 분양정보 조회 서비스.
    Notices,
    /// 청약홈 청약 신청·당첨자 정보 조회 서비스, one of its six operations.
    Statistics(StatKind),
    /// The house-type table of a notice; part of the notice service's approval.
    HouseTypes,
    /// 청약홈 청약접수 경쟁률 및 특별공급 신청현황: a separate approval.
    Competition,
}

impl Dataset {
    /// Path below the base URL.
    pub fn path(self) -> String {
        match self {
            Dataset::Notices => NOTICE_PATH.to_owned(),
            Dataset::Statistics(kind) => format!("{STATISTICS_PATH}{}", kind.operation()),
            Dataset::HouseTypes => HOUSE_TYPES_PATH.to_owned(),
            Dataset::Competition => COMPETITION_PATH.to_owned(),
        }
    }

    /// The dataset's name on data.go.kr, as a person searches for it.
    pub fn portal_name(self) -> &'static str {
        match self {
            Dataset::Notices | Dataset::HouseTypes => "한국부동산원_청약홈 분양정보 조회 서비스",
            Dataset::Statistics(_) => "한국부동산원_청약홈 청약 신청·당첨자 정보 조회 서비스",
            Dataset::Competition => "한국부동산원_청약홈 청약접수 경쟁률 및 특별공급 신청현황",
        }
    }

    /// The daily quota its requests count against: one per approval on data.go.kr (the six
    /// statistics share one, as do notices and their house types).
    pub fn quota(self) -> crate::budget::Quota {
        let id = match self {
            Dataset::Notices | Dataset::HouseTypes => "ApplyhomeInfoDetailSvc",
            Dataset::Statistics(_) => "ApplyhomeStatSvc",
            Dataset::Competition => "ApplyhomeInfoCmpetRtSvc",
        };
        crate::budget::Quota {
            id,
            label: self.portal_name(),
        }
    }

    /// The dataset's page on data.go.kr, where the key is applied for. The competition
    /// service's id (15098905) is the one public code reads its operation list from.
    pub fn portal_page(self) -> &'static str {
        match self {
            Dataset::Notices | Dataset::HouseTypes => {
                "https://www.data.go.kr/data/15098547/openapi.do"
            }
            Dataset::Statistics(_) => "https://www.data.go.kr/data/15110812/openapi.do",
            Dataset::Competition => "https://www.data.go.kr/data/15098905/openapi.do",
        }
    }
}
