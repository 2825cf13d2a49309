//! Which `<item>` tags we keep, how each value is read, and a shortcut for finding them.

use super::{Deal, DealLocation};

/// The item tags we keep; anything else inside `<item>` is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    DealYear,
    DealMonth,
    DealDay,
    SggCd,
    SggNm,
    UmdNm,
    Jibun,
    Name,
    AptDong,
    BuildYear,
    Floor,
    ExcluUseAr,
    LandAr,
    PlottageAr,
    TotalFloorAr,
    BuildingAr,
    HouseType,
    BuildingType,
    BuildingUse,
    LandUse,
    DealAmount,
    DealingGbn,
    SlerGbn,
    BuyerGbn,
    EstateAgentSggNm,
    RgstDate,
    LandLeaseholdGbn,
    ShareDealingType,
    CdealType,
    CdealDay,
    Deposit,
    MonthlyRent,
    PreDeposit,
    PreMonthlyRent,
    ContractType,
    ContractTerm,
    UseRrRight,
    Jimok,
    DealArea,
    OwnershipGbn,
    AptSeq,
    Location(Part),
}

/// A field of [`DealLocation`] (detailed apartment feed only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    UmdCd,
    LandCd,
    Bonbun,
    Bubun,
    RoadNm,
    RoadNmSggCd,
    RoadNmCd,
    RoadNmSeq,
    RoadNmbCd,
    RoadNmBonbun,
    RoadNmBubun,
}

/// Every tag we keep and the field it fills; `aptNm`, `offiNm` and `mhouseNm` all name the
/// complex or building. The tags of the detailed apartment feed (`aptSeq` and the lot and
/// road-address codes) are those its public API description lists for
/// `getRTMSDataSvcAptTradeDev`. The commercial feed's specification spells the cancellation
/// tag `cdealtype` in its field table (its example and every recorded answer say
/// `cdealType`), so both spellings mark a cancelled deal.
const TAGS: [(&str, Field); 55] = [
    ("dealYear", Field::DealYear),
    ("dealMonth", Field::DealMonth),
    ("dealDay", Field::DealDay),
    ("sggCd", Field::SggCd),
    ("sggNm", Field::SggNm),
    ("umdNm", Field::UmdNm),
    ("jibun", Field::Jibun),
    ("aptNm", Field::Name),
    ("offiNm", Field::Name),
    ("mhouseNm", Field::Name),
    ("aptDong", Field::AptDong),
    ("buildYear", Field::BuildYear),
    ("floor", Field::Floor),
    ("excluUseAr", Field::ExcluUseAr),
    ("landAr", Field::LandAr),
    ("plottageAr", Field::PlottageAr),
    ("totalFloorAr", Field::TotalFloorAr),
    ("buildingAr", Field::BuildingAr),
    ("houseType", Field::HouseType),
    ("buildingType", Field::BuildingType),
    ("buildingUse", Field::BuildingUse),
    ("landUse", Field::LandUse),
    ("dealAmount", Field::DealAmount),
    ("dealingGbn", Field::DealingGbn),
    ("slerGbn", Field::SlerGbn),
    ("buyerGbn", Field::BuyerGbn),
    ("estateAgentSggNm", Field::EstateAgentSggNm),
    ("rgstDate", Field::RgstDate),
    ("landLeaseholdGbn", Field::LandLeaseholdGbn),
    ("shareDealingType", Field::ShareDealingType),
    ("cdealType", Field::CdealType),
    ("cdealtype", Field::CdealType),
    ("cdealDay", Field::CdealDay),
    ("deposit", Field::Deposit),
    ("monthlyRent", Field::MonthlyRent),
    ("preDeposit", Field::PreDeposit),
    ("preMonthlyRent", Field::PreMonthlyRent),
    ("contractType", Field::ContractType),
    ("contractTerm", Field::ContractTerm),
    ("useRRRight", Field::UseRrRight),
    ("jimok", Field::Jimok),
    ("dealArea", Field::DealArea),
    ("ownershipGbn", Field::OwnershipGbn),
    ("aptSeq", Field::AptSeq),
    ("umdCd", Field::Location(Part::UmdCd)),
    ("landCd", Field::Location(Part::LandCd)),
    ("bonbun", Field::Location(Part::Bonbun)),
    ("bubun", Field::Location(Part::Bubun)),
    ("roadNm", Field::Location(Part::RoadNm)),
    ("roadNmSggCd", Field::Location(Part::RoadNmSggCd)),
    ("roadNmCd", Field::Location(Part::RoadNmCd)),
    ("roadNmSeq", Field::Location(Part::RoadNmSeq)),
    ("roadNmbCd", Field::Location(Part::RoadNmbCd)),
    ("roadNmBonbun", Field::Location(Part::RoadNmBonbun)),
    ("roadNmBubun", Field::Location(Part::RoadNmBubun)),
];

impl Field {
    pub(super) fn assign(self, deal: &mut Deal, raw: &str) {
        match self {
            Field::DealYear => deal.deal_year = int(raw),
            Field::DealMonth => deal.deal_month = int_in(raw, 1, 12),
            Field::DealDay => deal.deal_day = int_in(raw, 1, 31),
            Field::SggCd => deal.sgg_cd = text(raw),
            Field::SggNm => deal.sgg_nm = text(raw),
            Field::UmdNm => deal.umd_nm = text(raw),
            Field::Jibun => deal.jibun = text(raw),
            Field::Name => deal.name = text(raw),
            Field::AptDong => deal.apt_dong = text(raw),
            Field::BuildYear => deal.build_year = int(raw),
            Field::Floor => deal.floor = int(raw),
            Field::ExcluUseAr => deal.exclu_use_ar = area(raw),
            Field::LandAr => deal.land_ar = area(raw),
            Field::PlottageAr => deal.plottage_ar = area(raw),
            Field::TotalFloorAr => deal.total_floor_ar = area(raw),
            Field::BuildingAr => deal.building_ar = area(raw),
            Field::HouseType => deal.house_type = text(raw),
            Field::BuildingType => deal.building_type = text(raw),
            Field::BuildingUse => deal.building_use = text(raw),
            Field::LandUse => deal.land_use = text(raw),
            Field::DealAmount => deal.deal_amount = amount(raw),
            Field::DealingGbn => deal.dealing_gbn = text(raw),
            Field::SlerGbn => deal.sler_gbn = text(raw),
            Field::BuyerGbn => deal.buyer_gbn = text(raw),
            Field::EstateAgentSggNm => deal.estate_agent_sgg_nm = text(raw),
            Field::RgstDate => deal.rgst_date = text(raw),
            Field::LandLeaseholdGbn => deal.land_leasehold_gbn = text(raw),
            Field::ShareDealingType => deal.share_dealing_type = text(raw),
            Field::CdealType => deal.cdeal_type = text(raw),
            Field::CdealDay => deal.cdeal_day = text(raw),
            Field::Deposit => deal.deposit = amount(raw),
            Field::MonthlyRent => deal.monthly_rent = amount(raw),
            Field::PreDeposit => deal.pre_deposit = amount(raw),
            Field::PreMonthlyRent => deal.pre_monthly_rent = amount(raw),
            Field::ContractType => deal.contract_type = text(raw),
            Field::ContractTerm => deal.contract_term = text(raw),
            Field::UseRrRight => deal.use_rr_right = text(raw),
            Field::Jimok => deal.jimok = text(raw),
            Field::DealArea => deal.deal_area = area(raw),
            Field::OwnershipGbn => deal.ownership_gbn = text(raw).map(ownership),
            Field::AptSeq => deal.apt_seq = text(raw),
            Field::Location(part) => {
                // Blank parts leave the box unallocated, so a deal without an address stays small.
                if let Some(value) = text(raw) {
                    *part.slot(deal.location.get_or_insert_with(Box::default)) = Some(value);
                }
            }
        }
    }
}

impl Part {
    fn slot(self, location: &mut DealLocation) -> &mut Option<String> {
        match self {
            Part::UmdCd => &mut location.umd_cd,
            Part::LandCd => &mut location.land_cd,
            Part::Bonbun => &mut location.bonbun,
            Part::Bubun => &mut location.bubun,
            Part::RoadNm => &mut location.road_nm,
            Part::RoadNmSggCd => &mut location.road_nm_sgg_cd,
            Part::RoadNmCd => &mut location.road_nm_cd,
            Part::RoadNmSeq => &mut location.road_nm_seq,
            Part::RoadNmbCd => &mut location.road_nmb_cd,
            Part::RoadNmBonbun => &mut location.road_nm_bonbun,
            Part::RoadNmBubun => &mut location.road_nm_bubun,
        }
    }
}

impl Field {
    /// The field `tag` fills, or `None` for a tag we do not keep.
    pub(super) fn from_tag(tag: &str) -> Option<Self> {
        TAGS.iter()
            .find(|(name, _)| *name == tag)
            .map(|(_, field)| *field)
    }
}

/// The presale feed writes the kind of right as one letter (`입`; its specification names
/// the field 분양권/입주권 구분), so the letters become the words; anything else is kept.
fn ownership(code: String) -> String {
    match code.as_str() {
        "입" => "입주권".to_owned(),
        "분" => "분양권".to_owned(),
        _ => code,
    }
}

pub(super) fn text(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn int<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().parse().ok()
}

fn int_in(raw: &str, min: u32, max: u32) -> Option<u32> {
    int::<u32>(raw).filter(|v| (min..=max).contains(v))
}

/// Areas come as `84.9981` or `200`; a thousands comma (`1,652.9`, possible for land and
/// factory plots) is accepted too rather than losing the value.
fn area(raw: &str) -> Option<f64> {
    let trimmed = raw.trim();
    let value = if trimmed.contains(',') {
        trimmed.replace(',', "").parse().ok()
    } else {
        trimmed.parse().ok()
    };
    value.filter(|v: &f64| v.is_finite() && *v >= 0.0)
}

/// `1,125,000` → 1125000. Commas and surrounding spaces are the only extras accepted.
fn amount(raw: &str) -> Option<u64> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for byte in trimmed.bytes() {
        match byte {
            b',' => {}
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
            }
            _ => return None,
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_accept_commas_only() {
        assert_eq!(amount("1,125,000"), Some(1_125_000));
        assert_eq!(amount(" 0 "), Some(0));
        assert_eq!(amount(" "), None);
        assert_eq!(amount("-5"), None);
        assert_eq!(amount("99999999999999999999999"), None);
    }

    #[test]
    fn the_three_name_tags_fill_one_field() {
        for tag in ["aptNm", "offiNm", "mhouseNm"] {
            assert_eq!(Field::from_tag(tag), Some(Field::Name));
        }
        assert_eq!(Field::from_tag("brandNew"), None);
    }

    #[test]
    fn address_parts_fill_the_box_only_when_present() {
        let mut deal = Deal::default();
        Field::from_tag("roadNm").unwrap().assign(&mut deal, " ");
        assert!(deal.location.is_none(), "a blank part allocates nothing");
        Field::from_tag("roadNm")
            .unwrap()
            .assign(&mut deal, "테헤란로");
        Field::from_tag("roadNmBonbun")
            .unwrap()
            .assign(&mut deal, "00152");
        let location = deal.location.unwrap();
        assert_eq!(location.road_nm.as_deref(), Some("테헤란로"));
        assert_eq!(location.road_nm_bonbun.as_deref(), Some("00152"));
        assert_eq!(location.bubun, None);
    }

    #[test]
    fn ownership_letters_become_words_and_blanks_stay_unknown() {
        for (raw, read) in [
            ("입", Some("입주권")),
            ("분", Some("분양권")),
            ("입주권", Some("입주권")),
            (" ", None),
        ] {
            let mut deal = Deal::default();
            Field::OwnershipGbn.assign(&mut deal, raw);
            assert_eq!(deal.ownership_gbn.as_deref(), read, "{raw:?}");
        }
    }

    #[test]
    fn every_kept_tag_is_listed_once() {
        let mut names: Vec<_> = TAGS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TAGS.len());
    }
}
