use super::*;

const HEAD: &str = r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>"#;

fn page(code: &str, msg: &str, items: &str, total: u32) -> String {
    format!(
        "{HEAD}<response><header><resultCode>{code}</resultCode><resultMsg>{msg}</resultMsg></header><body><items>{items}</items><numOfRows>1000</numOfRows><pageNo>1</pageNo><totalCount>{total}</totalCount></body></response>"
    )
}

const APT_ITEM: &str = "<item><aptDong> </aptDong><aptNm>래미안대치팰리스</aptNm><buildYear>2015</buildYear><buyerGbn>개인</buyerGbn><cdealDay> </cdealDay><cdealType> </cdealType><dealAmount>  1,125,000</dealAmount><dealDay>7</dealDay><dealMonth>3</dealMonth><dealYear>2025</dealYear><dealingGbn>중개거래</dealingGbn><estateAgentSggNm>서울 강남구</estateAgentSggNm><excluUseAr>84.9981</excluUseAr><floor>12</floor><jibun>1027</jibun><landLeaseholdGbn>N</landLeaseholdGbn><rgstDate>25.04.02</rgstDate><sggCd>11680</sggCd><slerGbn>개인</slerGbn><umdNm>대치동</umdNm></item>";

#[test]
fn a_modern_trade_page_parses_into_typed_deals() {
    let body = page("000", "OK", APT_ITEM, 493);
    let page = parse_page(body.as_bytes()).unwrap();
    assert_eq!(page.total_count, 493);
    assert_eq!(page.page_no, 1);
    assert_eq!(page.num_of_rows, 1000);
    assert_eq!(page.deals.len(), 1);
    let deal = &page.deals[0];
    assert_eq!(deal.name.as_deref(), Some("래미안대치팰리스"));
    assert_eq!(deal.deal_amount, Some(1_125_000));
    assert_eq!(
        (deal.deal_year, deal.deal_month, deal.deal_day),
        (Some(2025), Some(3), Some(7))
    );
    assert_eq!(deal.exclu_use_ar, Some(84.9981));
    assert_eq!(deal.floor, Some(12));
    assert_eq!(deal.umd_nm.as_deref(), Some("대치동"));
    assert_eq!(deal.rgst_date.as_deref(), Some("25.04.02"));
    assert_eq!(deal.apt_dong, None, "a single space is an empty value");
    assert!(!deal.is_cancelled());
}

#[test]
fn the_legacy_success_code_is_success_too() {
    let body = page("00", "NORMAL SERVICE.", APT_ITEM, 1);
    assert_eq!(parse_page(body.as_bytes()).unwrap().deals.len(), 1);
}

#[test]
fn no_data_code_03_is_an_empty_page() {
    let body = page("03", "NO_DATA", "", 0);
    let page = parse_page(body.as_bytes()).unwrap();
    assert!(page.deals.is_empty());
    assert_eq!(page.total_count, 0);
}

#[test]
fn an_empty_month_is_success_with_no_items() {
    let with_empty_items = page("000", "OK", "", 0);
    assert!(
        parse_page(with_empty_items.as_bytes())
            .unwrap()
            .deals
            .is_empty()
    );
    let without_items = format!(
        "{HEAD}<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg></header><body><numOfRows>10</numOfRows><pageNo>1</pageNo><totalCount>0</totalCount></body></response>"
    );
    let page = parse_page(without_items.as_bytes()).unwrap();
    assert!(page.deals.is_empty());
    assert_eq!(page.total_count, 0);
    let self_closing = format!(
        "{HEAD}<response><header><resultCode>000</resultCode></header><body><items/><totalCount>0</totalCount></body></response>"
    );
    assert!(
        parse_page(self_closing.as_bytes())
            .unwrap()
            .deals
            .is_empty()
    );
}

#[test]
fn a_cancelled_deal_keeps_its_cancellation_date() {
    let item = "<item><cdealDay>25.03.20</cdealDay><cdealType>O</cdealType><dealAmount>98,000</dealAmount></item>";
    let page = parse_page(page("000", "OK", item, 1).as_bytes()).unwrap();
    let deal = &page.deals[0];
    assert!(deal.is_cancelled());
    assert_eq!(deal.cdeal_day.as_deref(), Some("25.03.20"));
    assert_eq!(deal.deal_amount, Some(98_000));
}

#[test]
fn the_commercial_feed_cancellation_tag_is_read_in_either_spelling() {
    // The 상업업무용 (CommercialTrade) specification's field table writes `cdealtype`; its example
    // and every recorded answer write `cdealType`. Either must mark the deal cancelled.
    for tag in ["cdealtype", "cdealType"] {
        let item = format!(
            "<item><buildingUse>업무</buildingUse><{tag}>O</{tag}><dealAmount>650,000</dealAmount></item>"
        );
        let deal = parse_page(page("000", "OK", &item, 1).as_bytes())
            .unwrap()
            .deals
            .remove(0);
        assert!(deal.is_cancelled(), "{tag}");
        assert_eq!(deal.cdeal_type.as_deref(), Some("O"), "{tag}");
    }
    let blank = "<item><cdealtype> </cdealtype><dealAmount>1</dealAmount></item>";
    let deal = parse_page(page("000", "OK", blank, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert!(
        !deal.is_cancelled(),
        "a blank lower-case tag is not a cancellation"
    );
}

#[test]
fn floors_may_be_negative_or_blank() {
    let items = "<item><floor>-1</floor></item><item><floor> </floor></item><item></item><item><floor/></item>";
    let page = parse_page(page("000", "OK", items, 4).as_bytes()).unwrap();
    let floors: Vec<_> = page.deals.iter().map(|d| d.floor).collect();
    assert_eq!(floors, vec![Some(-1), None, None, None]);
}

#[test]
fn rent_fields_parse_with_zero_monthly_rent_for_jeonse() {
    let item = "<item><aptNm>은마</aptNm><contractTerm>25.04~27.04</contractTerm><contractType>갱신</contractType><dealDay>15</dealDay><dealMonth>3</dealMonth><dealYear>2025</dealYear><deposit>70,000</deposit><excluUseAr>76.79</excluUseAr><floor>5</floor><monthlyRent>0</monthlyRent><preDeposit>65,000</preDeposit><preMonthlyRent>0</preMonthlyRent><useRRRight>사용</useRRRight></item>";
    let deal = parse_page(page("000", "OK", item, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.deposit, Some(70_000));
    assert_eq!(deal.monthly_rent, Some(0));
    assert_eq!(deal.pre_deposit, Some(65_000));
    assert_eq!(deal.contract_type.as_deref(), Some("갱신"));
    assert_eq!(deal.contract_term.as_deref(), Some("25.04~27.04"));
    assert_eq!(deal.use_rr_right.as_deref(), Some("사용"));
    assert_eq!(deal.deal_amount, None);
    assert!(!deal.is_cancelled(), "rent items carry no cdealType");
}

#[test]
fn names_of_every_property_type_land_in_one_field() {
    for tag in ["aptNm", "offiNm", "mhouseNm"] {
        let item = format!("<item><{tag}>이름</{tag}></item>");
        let deal = parse_page(page("000", "OK", &item, 1).as_bytes())
            .unwrap()
            .deals
            .remove(0);
        assert_eq!(deal.name.as_deref(), Some("이름"), "{tag}");
    }
}

#[test]
fn house_and_commercial_areas_are_kept_apart() {
    let item = "<item><buildingAr>330.5</buildingAr><buildingType>일반</buildingType><buildingUse>제2종근린생활</buildingUse><landUse>일반상업</landUse><plottageAr>200</plottageAr><shareDealingType>지분</shareDealingType><totalFloorAr>150.25</totalFloorAr><houseType>다가구</houseType><landAr>40.1</landAr></item>";
    let deal = parse_page(page("000", "OK", item, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.building_ar, Some(330.5));
    assert_eq!(deal.plottage_ar, Some(200.0));
    assert_eq!(deal.total_floor_ar, Some(150.25));
    assert_eq!(deal.land_ar, Some(40.1));
    assert_eq!(deal.building_use.as_deref(), Some("제2종근린생활"));
    assert_eq!(deal.share_dealing_type.as_deref(), Some("지분"));
    assert_eq!(deal.house_type.as_deref(), Some("다가구"));
}

#[test]
fn the_detailed_apartment_feed_keeps_the_complex_id_and_address_codes() {
    let item = "<item><aptDong>101</aptDong><aptNm>래미안대치팰리스</aptNm><aptSeq>11680-4127</aptSeq><bonbun>0316</bonbun><bubun>0000</bubun><buildYear>2015</buildYear><dealAmount>285,000</dealAmount><dealDay>3</dealDay><dealMonth>3</dealMonth><dealYear>2025</dealYear><excluUseAr>84.97</excluUseAr><landCd>1</landCd><roadNm>삼성로51길</roadNm><roadNmBonbun>00037</roadNmBonbun><roadNmBubun>00000</roadNmBubun><roadNmCd>4166391</roadNmCd><roadNmSeq>01</roadNmSeq><roadNmSggCd>11680</roadNmSggCd><roadNmbCd>0</roadNmbCd><sggCd>11680</sggCd><umdCd>10600</umdCd><umdNm>대치동</umdNm></item>";
    let deal = parse_page(page("000", "OK", item, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.apt_seq.as_deref(), Some("11680-4127"));
    let location = deal.location.unwrap();
    assert_eq!(location.umd_cd.as_deref(), Some("10600"));
    assert_eq!(location.road_nm.as_deref(), Some("삼성로51길"));
    assert_eq!(location.road_nm_bonbun.as_deref(), Some("00037"));
    assert_eq!(location.road_nmb_cd.as_deref(), Some("0"));
    assert_eq!(location.bonbun.as_deref(), Some("0316"));
}

#[test]
fn land_and_presale_fields_parse() {
    let land = "<item><dealArea>1,652.9</dealArea><jimok>임야</jimok><landUse>자연녹지</landUse><shareDealingType>지분</shareDealingType></item>";
    let deal = parse_page(page("000", "OK", land, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.jimok.as_deref(), Some("임야"));
    assert_eq!(
        deal.deal_area,
        Some(1652.9),
        "a thousands comma does not lose the area"
    );
    assert_eq!(deal.land_use.as_deref(), Some("자연녹지"));
    assert!(deal.location.is_none());
    let presale = "<item><aptNm>올림픽파크포레온</aptNm><ownershipGbn>입주권</ownershipGbn></item>";
    let deal = parse_page(page("000", "OK", presale, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.ownership_gbn.as_deref(), Some("입주권"));
}

#[test]
fn unknown_tags_and_nested_unknown_elements_are_skipped() {
    let item = "<item><brandNewTag>x</brandNewTag><dealAmount>5,000</dealAmount><extra><deep>1</deep></extra><umdNm>역삼동</umdNm></item>";
    let body = format!(
        "{HEAD}<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg><newHeader>1</newHeader></header><body><items>{item}</items><totalCount>1</totalCount><surprise/></body></response>"
    );
    let deal = parse_page(body.as_bytes()).unwrap().deals.remove(0);
    assert_eq!(deal.deal_amount, Some(5_000));
    assert_eq!(deal.umd_nm.as_deref(), Some("역삼동"));
}

#[test]
fn malformed_numbers_become_unknown_values_not_failures() {
    let item = "<item><dealAmount>12억</dealAmount><excluUseAr>n/a</excluUseAr><dealMonth>13</dealMonth><dealDay>0</dealDay><floor>지하</floor></item>";
    let deal = parse_page(page("000", "OK", item, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.deal_amount, None);
    assert_eq!(deal.exclu_use_ar, None);
    assert_eq!(deal.deal_month, None);
    assert_eq!(deal.deal_day, None);
    assert_eq!(deal.floor, None);
}

#[test]
fn predefined_entities_and_character_references_are_resolved() {
    let item = "<item><aptNm>A&amp;B &#54620;&#xAE00;</aptNm></item>";
    let deal = parse_page(page("000", "OK", item, 1).as_bytes())
        .unwrap()
        .deals
        .remove(0);
    assert_eq!(deal.name.as_deref(), Some("A&B 한글"));
}

#[test]
fn custom_entities_and_doctypes_are_refused() {
    let entity = page("000", "OK", "<item><aptNm>&xxe;</aptNm></item>", 1);
    assert!(matches!(
        parse_page(entity.as_bytes()),
        Err(ParseError::Malformed(_))
    ));
    let dtd = format!(
        "{HEAD}<!DOCTYPE response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><response><header><resultCode>000</resultCode></header></response>"
    );
    assert!(matches!(
        parse_page(dtd.as_bytes()),
        Err(ParseError::Malformed(_))
    ));
}

#[test]
fn the_service_error_envelope_is_a_gateway_error() {
    let body = "<OpenAPI_ServiceResponse>\n\t<cmmMsgHeader>\n\t\t<errMsg>SERVICE ERROR</errMsg>\n\t\t<returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg>\n\t\t<returnReasonCode>30</returnReasonCode>\n\t</cmmMsgHeader>\n</OpenAPI_ServiceResponse>";
    assert_eq!(
        parse_page(body.as_bytes()),
        Err(ParseError::Gateway {
            code: "30".into(),
            message: "SERVICE_KEY_IS_NOT_REGISTERED_ERROR".into()
        })
    );
}

#[test]
fn an_error_code_inside_the_response_envelope_is_a_gateway_error() {
    let body = page(
        "22",
        "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR",
        "",
        0,
    );
    assert_eq!(
        parse_page(body.as_bytes()),
        Err(ParseError::Gateway {
            code: "22".into(),
            message: "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR".into()
        })
    );
}

#[test]
fn garbage_is_malformed() {
    let cases: [&[u8]; 8] = [
        b"",
        b"Internal Server Error",
        b"<html><body>502 Bad Gateway</body></html>",
        b"{\"resultCode\":\"000\"}",
        b"\xff\xfe<response/>",
        b"<response><header><resultMsg>OK</resultMsg></header></response>",
        b"<response><header><resultCode>000</resultCode></header><body><totalCount>many</totalCount></body></response>",
        b"<response></response><response></response>",
    ];
    for body in cases {
        assert!(
            matches!(parse_page(body), Err(ParseError::Malformed(_))),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn a_cut_off_body_is_malformed() {
    let full = page("000", "OK", APT_ITEM, 1);
    let cut = &full.as_bytes()[..full.len() / 2];
    let cut = match std::str::from_utf8(cut) {
        Ok(text) => text.to_owned(),
        Err(e) => String::from_utf8_lossy(&cut[..e.valid_up_to()]).into_owned(),
    };
    assert!(matches!(
        parse_page(cut.as_bytes()),
        Err(ParseError::Malformed(_))
    ));
}

#[test]
fn missing_counts_fall_back_to_the_page_itself() {
    let body = format!(
        "{HEAD}<response><header><resultCode>000</resultCode></header><body><items>{APT_ITEM}{APT_ITEM}</items></body></response>"
    );
    let page = parse_page(body.as_bytes()).unwrap();
    assert_eq!(
        (page.total_count, page.page_no, page.num_of_rows),
        (2, 1, 2)
    );
}

#[test]
fn result_codes_are_compared_by_value() {
    assert_eq!(code_number("000"), Some(0));
    assert_eq!(code_number("00"), Some(0));
    assert_eq!(code_number(" 03 "), Some(3));
    assert_eq!(code_number("030"), Some(30));
    assert_eq!(code_number("INFO-000"), None);
    assert_eq!(code_number(""), None);
}
