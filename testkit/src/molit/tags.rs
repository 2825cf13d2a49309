//! The tags each RTMS service writes in every item, sorted as the services write them.
//!
//! From the reference's table of live responses (factories write the commercial tags); the
//! detailed apartment feed's are those its public API description lists for
//! `getRTMSDataSvcAptTradeDev`. The services share most of their tags, so each kind is the
//! groups it carries plus the tags only it (and a few like it) writes.

use super::items::Kind;

/// In every item of every service: when and where the deal was.
const DEAL: &str = "dealDay dealMonth dealYear sggCd umdNm";
/// In every sale: the price, how it was brokered and whether it was cancelled.
const SALE: &str = "cdealDay cdealType dealAmount dealingGbn estateAgentSggNm";
/// Who sold to whom: every sale but land's.
const PARTIES: &str = "buyerGbn slerGbn";
/// In every lease: the terms, the previous terms and the renewal right.
const LEASE: &str = "buildYear contractTerm contractType deposit monthlyRent preDeposit \
                     preMonthlyRent useRRRight";
/// A unit in a building of many: its area, floor and lot.
const UNIT: &str = "excluUseAr floor jibun";
/// An apartment sale's own tags.
const APT_SALE: &str = "aptDong aptNm buildYear landLeaseholdGbn rgstDate";
/// What the detailed apartment feed adds: lot and road codes and the complex id.
const APT_DETAIL: &str = "aptSeq bonbun bubun landCd roadNm roadNmBonbun roadNmBubun roadNmCd \
                          roadNmSeq roadNmSggCd roadNmbCd umdCd";

/// The groups of tags `kind` carries besides [`DEAL`], each a space-separated list.
fn groups(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::AptTrade => &[SALE, PARTIES, UNIT, APT_SALE],
        Kind::AptRent => &[LEASE, UNIT, "aptNm"],
        Kind::OfficetelTrade => &[SALE, PARTIES, UNIT, "buildYear offiNm sggNm"],
        Kind::OfficetelRent => &[LEASE, UNIT, "offiNm sggNm"],
        Kind::RowHouseTrade => &[
            SALE,
            PARTIES,
            UNIT,
            "buildYear houseType landAr mhouseNm rgstDate",
        ],
        Kind::RowHouseRent => &[LEASE, UNIT, "houseType mhouseNm"],
        Kind::DetachedHouseTrade => &[
            SALE,
            PARTIES,
            "buildYear houseType jibun plottageAr totalFloorAr",
        ],
        Kind::DetachedHouseRent => &[LEASE, "houseType totalFloorAr"],
        Kind::CommercialTrade | Kind::FactoryWarehouseTrade => &[
            SALE,
            PARTIES,
            "buildYear buildingAr buildingType buildingUse floor jibun landUse plottageAr sggNm \
             shareDealingType",
        ],
        Kind::AptTradeDetailed => &[SALE, PARTIES, UNIT, APT_SALE, APT_DETAIL],
        Kind::PresaleRightTrade => &[SALE, PARTIES, UNIT, "aptNm ownershipGbn sggNm"],
        Kind::LandTrade => &[SALE, "dealArea jibun jimok landUse sggNm shareDealingType"],
    }
}

/// The tags of `kind`, sorted.
pub(super) fn of(kind: Kind) -> Vec<&'static str> {
    let mut tags: Vec<_> = [DEAL]
        .iter()
        .chain(groups(kind))
        .flat_map(|group| group.split_whitespace())
        .collect();
    tags.sort_unstable();
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_kind_names_a_tag_twice() {
        for kind in Kind::ALL {
            let mut tags = of(kind);
            let count = tags.len();
            tags.dedup();
            assert_eq!(tags.len(), count, "{kind:?} repeats a tag");
        }
    }
}
