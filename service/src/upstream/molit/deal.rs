//! The typed deal and page the parser produces.

/// One reported deal: the union of the fields every RTMS service sends.
///
/// Values are parsed once here so the tools never re-read strings: amounts are in 만원,
/// areas in ㎡. A field a service does not send, or sends blank (a single space), is `None`;
/// a number that does not parse is `None` too rather than a failed page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deal {
    /// Contract year (`dealYear`).
    pub deal_year: Option<i32>,
    /// Contract month, 1–12 (`dealMonth`, sent without zero padding).
    pub deal_month: Option<u32>,
    /// Contract day, 1–31 (`dealDay`, sent without zero padding).
    pub deal_day: Option<u32>,
    /// 5-digit district code (`sggCd`).
    pub sgg_cd: Option<String>,
    /// District name (`sggNm`; officetel, commercial).
    pub sgg_nm: Option<String>,
    /// Legal dong / eup / myeon name (`umdNm`).
    pub umd_nm: Option<String>,
    /// Lot number (`jibun`), partly masked (`4**`) for some property types.
    pub jibun: Option<String>,
    /// Complex or building name: `aptNm`, `offiNm` or `mhouseNm`, whichever the service sends.
    pub name: Option<String>,
    /// Apartment building number within the complex (`aptDong`).
    pub apt_dong: Option<String>,
    /// Year of construction (`buildYear`).
    pub build_year: Option<i32>,
    /// Floor (`floor`); negative for basements.
    pub floor: Option<i32>,
    /// Exclusive-use area in ㎡ (`excluUseAr`): apartments, officetels, row houses.
    pub exclu_use_ar: Option<f64>,
    /// Land share in ㎡ (`landAr`, row houses).
    pub land_ar: Option<f64>,
    /// Plot area in ㎡ (`plottageAr`, houses and commercial buildings).
    pub plottage_ar: Option<f64>,
    /// Gross floor area in ㎡ (`totalFloorAr`, houses).
    pub total_floor_ar: Option<f64>,
    /// Building area in ㎡ (`buildingAr`, commercial buildings).
    pub building_ar: Option<f64>,
    /// 다세대/연립 or 단독/다가구 (`houseType`).
    pub house_type: Option<String>,
    /// 일반/집합 (`buildingType`, commercial).
    pub building_type: Option<String>,
    /// Main use of the building (`buildingUse`, commercial).
    pub building_use: Option<String>,
    /// Zoning of the land (`landUse`, commercial).
    pub land_use: Option<String>,
    /// Sale price in 만원 (`dealAmount`, sent as `1,125,000`).
    pub deal_amount: Option<u64>,
    /// 중개거래 or 직거래 (`dealingGbn`).
    pub dealing_gbn: Option<String>,
    /// Seller: 개인/법인/기타 (`slerGbn`).
    pub sler_gbn: Option<String>,
    /// Buyer: 개인/법인/기타 (`buyerGbn`).
    pub buyer_gbn: Option<String>,
    /// Districts of the brokers involved (`estateAgentSggNm`).
    pub estate_agent_sgg_nm: Option<String>,
    /// Registration date `YY.MM.DD` once the transfer is registered (`rgstDate`).
    pub rgst_date: Option<String>,
    /// Land-lease apartment marker (`landLeaseholdGbn`).
    pub land_leasehold_gbn: Option<String>,
    /// 지분 when only a share was sold (`shareDealingType`).
    pub share_dealing_type: Option<String>,
    /// `O` when the deal was cancelled (`cdealType`).
    pub cdeal_type: Option<String>,
    /// Cancellation date `YY.MM.DD` (`cdealDay`).
    pub cdeal_day: Option<String>,
    /// Lease deposit in 만원 (`deposit`).
    pub deposit: Option<u64>,
    /// Monthly rent in 만원 (`monthlyRent`); 0 means 전세.
    pub monthly_rent: Option<u64>,
    /// Deposit of the previous lease in 만원 (`preDeposit`), for renewals.
    pub pre_deposit: Option<u64>,
    /// Monthly rent of the previous lease in 만원 (`preMonthlyRent`).
    pub pre_monthly_rent: Option<u64>,
    /// 신규 or 갱신 (`contractType`).
    pub contract_type: Option<String>,
    /// Lease term `YY.MM~YY.MM` (`contractTerm`).
    pub contract_term: Option<String>,
    /// Whether the tenant used the renewal right (`useRRRight`).
    pub use_rr_right: Option<String>,
    /// Land category (지목: 대, 전, 답, 임야, …) (`jimok`, land).
    pub jimok: Option<String>,
    /// Area of land traded in ㎡ (`dealArea`, land).
    pub deal_area: Option<f64>,
    /// 분양권 (presale right) or 입주권 (occupancy right) (`ownershipGbn`, presale rights; the
    /// feed writes one letter, `입` (or `분`), read as the word). Often blank: unknown.
    pub ownership_gbn: Option<String>,
    /// MOLIT's id of the apartment complex, e.g. `11680-3456` (`aptSeq`, detailed apartment
    /// feed): stable across months, unlike the complex name.
    pub apt_seq: Option<String>,
    /// Lot and road-address codes of the detailed apartment feed; boxed because only that
    /// feed sends them, so every other deal stays small.
    pub location: Option<Box<DealLocation>>,
}

/// The lot and road-address parts only `RTMSDataSvcAptTradeDev` sends, as sent (codes keep
/// their zero padding).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealLocation {
    /// Legal dong code within the district, 5 digits (`umdCd`); `sggCd` + `umdCd` is the
    /// 10-digit 법정동코드.
    pub umd_cd: Option<String>,
    /// Lot type (`landCd`): 1 for ordinary land (대지), 2 for mountain lots (산).
    pub land_cd: Option<String>,
    /// Main lot number (`bonbun`).
    pub bonbun: Option<String>,
    /// Sub lot number (`bubun`).
    pub bubun: Option<String>,
    /// Road name (`roadNm`), e.g. 테헤란로.
    pub road_nm: Option<String>,
    /// District code of the road (`roadNmSggCd`).
    pub road_nm_sgg_cd: Option<String>,
    /// Road code (`roadNmCd`).
    pub road_nm_cd: Option<String>,
    /// Road serial (`roadNmSeq`).
    pub road_nm_seq: Option<String>,
    /// 0 above ground, 1 underground (`roadNmbCd`).
    pub road_nmb_cd: Option<String>,
    /// Main building number on the road (`roadNmBonbun`).
    pub road_nm_bonbun: Option<String>,
    /// Sub building number on the road (`roadNmBubun`).
    pub road_nm_bubun: Option<String>,
}

impl DealLocation {
    /// The strings it holds, for the cache's memory estimate.
    pub(super) fn texts(&self) -> [&Option<String>; 11] {
        [
            &self.umd_cd,
            &self.land_cd,
            &self.bonbun,
            &self.bubun,
            &self.road_nm,
            &self.road_nm_sgg_cd,
            &self.road_nm_cd,
            &self.road_nm_seq,
            &self.road_nmb_cd,
            &self.road_nm_bonbun,
            &self.road_nm_bubun,
        ]
    }
}

impl Deal {
    /// A cancelled deal: the services fill `cdealType` only when a deal was called off.
    pub fn is_cancelled(&self) -> bool {
        self.cdeal_type.is_some()
    }

    /// A share sale (`shareDealingType` 지분): the price is for a share of the property.
    pub fn is_share_sale(&self) -> bool {
        self.share_dealing_type.as_deref().map(str::trim) == Some("지분")
    }

    /// A land-lease flat (토지임대부, `landLeaseholdGbn` `Y`): the buyer gets the building
    /// and leases the land, so the price is far below a flat sold with its land. Public
    /// clients document `Y`; no recording with it was found (docs/upstream-notes.md).
    pub fn is_land_lease(&self) -> bool {
        self.land_leasehold_gbn
            .as_deref()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("Y"))
    }

    /// A sale whose price does not buy a whole property with its land (a share sale or a
    /// land-lease flat): left out of per-area medians.
    pub fn is_partial_interest(&self) -> bool {
        self.is_share_sale() || self.is_land_lease()
    }
}

/// One page of a month's deals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Deals in the whole month for the district, not just this page. When the service
    /// omits it, the number of deals on the page.
    pub total_count: u32,
    /// The page number the service reports (1 when omitted).
    pub page_no: u32,
    /// The page size the service reports (the page's length when omitted).
    pub num_of_rows: u32,
    /// The deals on this page, in the service's order.
    pub deals: Vec<Deal>,
}
