//! Field values read from each recorded answer: what the parser makes of real text.

use testkit::molit::{Kind, generate};

use super::{Dataset, page_of, recorded};
use crate::upstream::molit::parse_page;

#[test]
fn apartment_sales_read_names_prices_areas_and_brokers() {
    let page = page_of(Dataset::AptTrade);
    assert_eq!((page.total_count, page.deals.len()), (15, 15));
    let first = &page.deals[0];
    assert_eq!(first.name.as_deref(), Some("산호"));
    assert_eq!(first.deal_amount, Some(215_000));
    assert_eq!(first.exclu_use_ar, Some(103.74));
    assert_eq!(first.floor, Some(9));
    assert_eq!(first.land_leasehold_gbn.as_deref(), Some("N"));
    assert_eq!(first.apt_dong, None, "a single space is no value");
    assert_eq!(first.rgst_date, None);
    assert!(page.deals.iter().all(|d| !d.is_cancelled()));
    assert!(
        page.deals
            .iter()
            .any(|d| d.estate_agent_sgg_nm.as_deref() == Some("서울 용산구, 서울 중구")),
        "two brokers are listed in one value"
    );
}

#[test]
fn apartment_leases_read_jeonse_wolse_and_renewals() {
    let page = page_of(Dataset::AptRent);
    assert_eq!(page.total_count, 571);
    let jeonse = &page.deals[0];
    assert_eq!(
        (jeonse.deposit, jeonse.monthly_rent),
        (Some(36_700), Some(0))
    );
    assert_eq!(jeonse.contract_type, None);
    let renewal = &page.deals[3];
    assert_eq!(renewal.name.as_deref(), Some("은마"));
    assert_eq!(renewal.contract_type.as_deref(), Some("갱신"));
    assert_eq!(
        (renewal.pre_deposit, renewal.pre_monthly_rent),
        (Some(50_000), Some(80))
    );
    assert_eq!(renewal.use_rr_right.as_deref(), Some("사용"));
    assert_eq!(renewal.contract_term.as_deref(), Some("25.08~27.08"));
}

#[test]
fn officetel_answers_read_their_own_name_tag_and_district_name() {
    let trades = page_of(Dataset::OfficetelTrade);
    assert_eq!((trades.total_count, trades.deals.len()), (19, 19));
    assert!(
        trades
            .deals
            .iter()
            .all(|d| d.sgg_nm.as_deref() == Some("서초구"))
    );
    assert!(
        trades
            .deals
            .iter()
            .any(|d| d.name.as_deref() == Some("강남역 I'PARK"))
    );
    assert!(trades.deals.iter().any(|d| d.exclu_use_ar == Some(34.0)));
    let leases = page_of(Dataset::OfficetelRent);
    assert_eq!(leases.total_count, 339);
    assert_eq!(leases.deals[1].monthly_rent, Some(83));
    assert_eq!(leases.deals[2].pre_monthly_rent, Some(80));
}

#[test]
fn row_house_sales_read_house_type_land_share_and_registration() {
    let page = page_of(Dataset::RowHouseTrade);
    assert_eq!((page.total_count, page.deals.len()), (16, 16));
    assert!(
        page.deals
            .iter()
            .all(|d| matches!(d.house_type.as_deref(), Some("다세대" | "연립")))
    );
    assert!(page.deals.iter().any(|d| d.land_ar == Some(82.3083)));
    assert!(
        page.deals
            .iter()
            .any(|d| d.rgst_date.as_deref() == Some("25.06.12"))
    );
    let cancelled: Vec<_> = page.deals.iter().filter(|d| d.is_cancelled()).collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].cdeal_day.as_deref(), Some("25.06.09"));
}

#[test]
fn the_raw_commercial_page_reads_paging_blanks_and_a_cancellation() {
    let page = page_of(Dataset::CommercialTrade);
    assert_eq!(
        (
            page.total_count,
            page.page_no,
            page.num_of_rows,
            page.deals.len()
        ),
        (52, 1, 10, 10),
        "a first page of ten out of 52"
    );
    let cancelled: Vec<_> = page.deals.iter().filter(|d| d.is_cancelled()).collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].cdeal_day.as_deref(), Some("25.02.11"));
    assert_eq!(cancelled[0].building_ar, Some(594.72));
    let blank = &page.deals[2];
    assert_eq!(blank.build_year, None, "a blank build year is unknown");
    assert_eq!(blank.plottage_ar, None);
    assert_eq!(page.deals[4].deal_amount, Some(1_533_000));
    assert_eq!(page.deals[0].jibun.as_deref(), Some("2**"));
    assert_eq!(page.deals[0].building_type.as_deref(), Some("일반"));
    assert_eq!(page.deals[0].share_dealing_type, None);
}

#[test]
fn land_sales_read_category_area_shares_and_cancellations() {
    let page = page_of(Dataset::LandTrade);
    assert_eq!(page.total_count, 48);
    assert_eq!(page.deals[0].umd_nm.as_deref(), Some("조종면 대보리"));
    assert_eq!(page.deals[0].jimok.as_deref(), Some("임야"));
    assert_eq!(page.deals[2].share_dealing_type.as_deref(), Some("지분"));
    assert_eq!(page.deals[2].deal_area, Some(92.56));
    assert!(page.deals[3].is_cancelled());
    assert_eq!(page.deals[3].deal_area, Some(36893.0));
}

#[test]
fn the_detailed_apartment_page_reads_lot_and_road_address_codes() {
    let page = page_of(Dataset::AptTradeDetailed);
    assert_eq!(
        (page.total_count, page.num_of_rows, page.deals.len()),
        (49, 100, 5),
        "five of a 49-deal month asked 100 to a page"
    );
    let first = &page.deals[0];
    assert_eq!(first.name.as_deref(), Some("인왕산2차아이파크"));
    assert_eq!(first.apt_seq.as_deref(), Some("11110-2417"));
    assert_eq!(first.deal_amount, Some(63_400));
    assert_eq!(first.dealing_gbn, None, "2015 deals carry no deal type");
    let place = first.location.as_deref().expect("an address");
    assert_eq!(place.umd_cd.as_deref(), Some("18700"));
    assert_eq!(place.land_cd.as_deref(), Some("1"));
    assert_eq!(
        (place.bonbun.as_deref(), place.bubun.as_deref()),
        (Some("0088"), Some("0000"))
    );
    assert_eq!(place.road_nm.as_deref(), Some("통일로18길"));
    assert_eq!(place.road_nm_bonbun.as_deref(), Some("00034"));
    assert_eq!(place.road_nm_cd.as_deref(), Some("4100482"));
    assert_eq!(place.road_nmb_cd.as_deref(), Some("0"));
    let blank = page
        .deals
        .iter()
        .find(|d| d.name.as_deref() == Some("삼성"))
        .and_then(|d| d.location.as_deref())
        .expect("the 평창동 deal");
    assert_eq!(blank.road_nmb_cd, None, "a blank code is no code");
    assert_eq!(blank.road_nm_seq.as_deref(), Some("00"));
}

#[test]
fn presale_rights_read_the_one_letter_code_as_a_word() {
    let deals: Vec<_> = recorded(Dataset::PresaleRightTrade)
        .pages()
        .iter()
        .map(|(_, xml)| parse_page(xml.as_bytes()).expect("parses").deals.remove(0))
        .collect();
    let ownership: Vec<_> = deals.iter().map(|d| d.ownership_gbn.as_deref()).collect();
    assert_eq!(
        ownership,
        [None, Some("입주권"), Some("입주권")],
        "`입` is an occupancy right; a blank says nothing"
    );
    assert_eq!(
        deals[0].name.as_deref(),
        Some("평택화양 서희스타힐스 센트럴파크")
    );
    assert_eq!(deals[0].jibun.as_deref(), Some("산184-2"));
    assert_eq!(deals[1].deal_amount, Some(125_430));
    assert_eq!(deals[1].sgg_nm.as_deref(), Some("광명시"));
    assert_eq!(deals[2].exclu_use_ar, Some(84.9811));
    assert_eq!(
        deals[2].estate_agent_sgg_nm.as_deref(),
        Some("경기 하남시, 서울 광진구")
    );
    assert!(deals.iter().all(|d| !d.is_cancelled()));
}

#[test]
fn the_stand_in_sends_only_the_ownership_codes_seen_live() {
    let served = generate(Kind::PresaleRightTrade, "11680", "202506", 40);
    let codes: std::collections::BTreeSet<_> = served
        .iter()
        .filter_map(|item| item.get("ownershipGbn"))
        .collect();
    assert_eq!(
        codes,
        [" ", "입"].into_iter().collect(),
        "the recordings show `입` and a blank, never the words"
    );
}
