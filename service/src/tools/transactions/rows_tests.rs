use super::*;

fn sale(price: u64) -> Deal {
    Deal {
        deal_year: Some(2025),
        deal_month: Some(3),
        deal_day: Some(9),
        sgg_cd: Some("11680".into()),
        umd_nm: Some("대치동".into()),
        deal_amount: Some(price),
        ..Deal::default()
    }
}

fn located(road: &str, main: &str, sub: &str, underground: &str) -> DealLocation {
    DealLocation {
        umd_cd: Some("10600".into()),
        road_nm: Some(road.into()),
        road_nm_bonbun: Some(main.into()),
        road_nm_bubun: Some(sub.into()),
        road_nmb_cd: Some(underground.into()),
        ..DealLocation::default()
    }
}

#[test]
fn road_addresses_drop_the_zero_padding_and_mark_underground_buildings() {
    let cases = [
        (
            located("삼성로51길", "00037", "00000", "0"),
            "삼성로51길 37",
        ),
        (located("테헤란로", "152", "0", "1"), "테헤란로 지하 152"),
        (located("강남대로", "0318", "0001", "0"), "강남대로 318-1"),
        (located("선릉로", "", "", ""), "선릉로"),
        (located("선릉로", "12가", "", "0"), "선릉로"),
    ];
    for (location, expected) in cases {
        assert_eq!(road_address(&location).as_deref(), Some(expected));
    }
    assert_eq!(road_address(&DealLocation::default()), None);
}

#[test]
fn detailed_apartment_rows_carry_the_complex_id_address_and_dong_code() {
    let deal = Deal {
        name: Some("래미안대치팰리스".into()),
        exclu_use_ar: Some(84.97),
        apt_seq: Some("11680-4127".into()),
        location: Some(Box::new(located("삼성로51길", "37", "0", "0"))),
        ..sale(285_000)
    };
    let row = TransactionRow::from_deal(Dataset::AptTradeDetailed, &deal);
    assert_eq!(row.complex_id.as_deref(), Some("11680-4127"));
    assert_eq!(row.road_address.as_deref(), Some("삼성로51길 37"));
    assert_eq!(row.legal_dong_code.as_deref(), Some("1168010600"));
    assert_eq!(row.area_m2, Some(84.97));
    assert_eq!(row.share_deal, None);

    let odd_code = Deal {
        location: Some(Box::new(DealLocation {
            umd_cd: Some("106".into()),
            ..DealLocation::default()
        })),
        ..sale(1)
    };
    let row = TransactionRow::from_deal(Dataset::AptTradeDetailed, &odd_code);
    assert_eq!(
        row.legal_dong_code, None,
        "a short code is not passed off as one"
    );
    assert_eq!(row.road_address, None);
}

#[test]
fn land_rows_measure_the_land_traded_and_flag_share_sales() {
    let deal = Deal {
        deal_area: Some(330.0),
        jimok: Some("대".into()),
        land_use: Some("제2종일반주거".into()),
        share_dealing_type: Some("지분".into()),
        ..sale(330_000)
    };
    let row = TransactionRow::from_deal(Dataset::LandTrade, &deal);
    assert_eq!(row.area_m2, Some(330.0));
    assert_eq!(row.land_category.as_deref(), Some("대"));
    assert_eq!(row.share_deal, Some(true));
    // 1,000만원 per ㎡ is 3,305.8만원 per 평.
    assert_eq!(row.price_per_pyeong_manwon, Some(3_305.8));
    assert_eq!(
        area_basis(Dataset::LandTrade),
        "거래면적 (area of land traded, ㎡)"
    );
}

#[test]
fn industrial_rows_read_like_commercial_ones() {
    let deal = Deal {
        building_ar: Some(1_230.5),
        plottage_ar: Some(2_100.0),
        building_use: Some("공장".into()),
        exclu_use_ar: Some(1.0),
        ..sale(410_000)
    };
    let row = TransactionRow::from_deal(Dataset::FactoryWarehouseTrade, &deal);
    assert_eq!(row.area_m2, Some(1_230.5));
    assert_eq!(row.land_area_m2, Some(2_100.0));
    assert_eq!(row.share_deal, Some(false));
}

#[test]
fn presale_rows_say_which_right_was_sold() {
    let deal = Deal {
        name: Some("올림픽파크포레온".into()),
        exclu_use_ar: Some(84.98),
        ownership_gbn: Some("입주권".into()),
        ..sale(230_000)
    };
    let row = TransactionRow::from_deal(Dataset::PresaleRightTrade, &deal);
    assert_eq!(row.ownership.as_deref(), Some("입주권"));
    assert_eq!(row.area_m2, Some(84.98));
    assert_eq!(row.share_deal, None);
    let json = serde_json::to_value(&row).unwrap();
    for absent in ["complex_id", "road_address", "land_category", "build_year"] {
        assert!(json.get(absent).is_none(), "{absent} should be left out");
    }
}
