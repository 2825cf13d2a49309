//! The transaction tools end to end below the protocol: region and month arguments, the
//! stand-in gateway, the cache and the summary together.

use std::time::Duration;

use real_estate_mcp::{
    budget::CallScope,
    regions::RegionIndex,
    tools::transactions::{self, FilterArgs, TransactionArgs, TransactionsOutput},
    upstream::molit::{Dataset, MolitClient},
};
use testkit::molit::{Fault, Item, Kind, MolitStandIn};

use crate::helpers::upstream::{TOTAL_TIMEOUT, expiring_molit_client, molit_client};

const KEY: &str = "integration+key/==";

fn args(region: &str, month: &str) -> TransactionArgs {
    TransactionArgs {
        region_code: region.into(),
        year_month: month.into(),
        ..TransactionArgs::default()
    }
}

fn amount(item: &Item, tag: &str) -> u64 {
    item.get(tag).unwrap().replace(',', "").parse().unwrap()
}

#[tokio::test]
async fn a_region_name_is_resolved_and_the_whole_month_summarised() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let items = stand_in.put_generated(Kind::AptTrade, "11680", "202503", 1_234);
    let regions = RegionIndex::builtin_shared().unwrap();
    let client = molit_client(&stand_in, Some(KEY));
    let out = transactions::run(
        &client,
        &regions,
        Dataset::AptTrade,
        &args("서울 강남구", "202503"),
    )
    .await
    .unwrap();
    assert_eq!(out.region.lawd_cd, "11680");
    assert_eq!(out.property_type, "아파트 매매");
    // Per-평 prices divide by 전용면적; the answer says so, so nobody compares them with
    // 분양가 평당 on 공급면적.
    assert!(out.area_basis.contains("공급면적"), "{}", out.area_basis);
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("전용면적") && n.contains("공급면적")),
        "{:?}",
        out.notes
    );
    let live: Vec<_> = items
        .iter()
        .filter(|i| i.get("cdealType") != Some("O"))
        .collect();
    let cancelled = items.len() - live.len();
    assert!(cancelled > 0);
    assert_eq!(out.summary.deals_in_month, 1_234);
    assert_eq!(out.summary.cancelled_deals as usize, cancelled);
    let price = out.summary.price_manwon.as_ref().unwrap();
    assert_eq!(price.count as usize, live.len());
    let max = live.iter().map(|i| amount(i, "dealAmount")).max().unwrap();
    let min = live.iter().map(|i| amount(i, "dealAmount")).min().unwrap();
    assert_eq!((price.min, price.max), (min, max));
    assert_eq!(out.rows_returned, 50);
    assert_eq!(out.rows_omitted, 1_184);
    assert!(!out.source.provenance.cached);
    assert_eq!(
        (out.source.pages, out.source.provenance.upstream_calls),
        (2, 2)
    );

    let again = transactions::run(
        &client,
        &regions,
        Dataset::AptTrade,
        &args("11680", "202503"),
    )
    .await
    .unwrap();
    assert!(again.source.provenance.cached);
    assert_eq!(again.source.provenance.upstream_calls, 0);
    assert_eq!(again.summary, out.summary);
    assert_eq!(stand_in.requests(), 2);
}

#[tokio::test]
async fn a_rent_month_is_split_into_jeonse_and_wolse() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let items = stand_in.put_generated(Kind::RowHouseRent, "11680", "202402", 90);
    let regions = RegionIndex::builtin_shared().unwrap();
    let out = transactions::run(
        &molit_client(&stand_in, Some(KEY)),
        &regions,
        Dataset::RowHouseRent,
        &args("11680", "202402"),
    )
    .await
    .unwrap();
    let jeonse = items
        .iter()
        .filter(|i| i.get("monthlyRent") == Some("0"))
        .count();
    assert_eq!(out.summary.jeonse.as_ref().unwrap().count as usize, jeonse);
    assert_eq!(
        out.summary.wolse.as_ref().unwrap().count as usize,
        items.len() - jeonse
    );
    assert_eq!(out.summary.cancelled_deals, 0);
}

#[tokio::test]
async fn bad_arguments_cost_no_upstream_request() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let regions = RegionIndex::builtin_shared().unwrap();
    let client = molit_client(&stand_in, Some(KEY));
    let cases = [
        (args("중구", "202503"), "several districts"),
        (args("없는구역이름", "202503"), "region_code"),
        (args("11680", "200512"), "year_month"),
        (args("11680", "2025-13"), "year_month"),
        (args("11680", "209901"), "future"),
        (
            TransactionArgs {
                limit: Some(1_000),
                ..args("11680", "202503")
            },
            "limit",
        ),
    ];
    for (bad, needle) in cases {
        let error = transactions::run(&client, &regions, Dataset::AptTrade, &bad)
            .await
            .unwrap_err();
        assert!(error.message().contains(needle), "{}", error.message());
    }
    assert_eq!(stand_in.requests(), 0);
}

#[tokio::test]
async fn upstream_failures_become_tool_errors_a_person_can_act_on() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let regions = RegionIndex::builtin_shared().unwrap();
    let without_key = transactions::run(
        &molit_client(&stand_in, None),
        &regions,
        Dataset::OfficetelTrade,
        &args("11680", "202503"),
    )
    .await
    .unwrap_err();
    assert!(without_key.message().contains("DATA_GO_KR_API_KEY"));

    stand_in.fail_next([Fault::quota_exceeded()]);
    let quota = transactions::run(
        &molit_client(&stand_in, Some(KEY)),
        &regions,
        Dataset::OfficetelTrade,
        &args("11680", "202503"),
    )
    .await
    .unwrap_err();
    assert!(quota.message().contains("midnight Korea time"));
    assert!(!quota.message().contains(KEY));
}

/// A successful call of the `dataset` tool with `args`.
async fn answer(
    client: &MolitClient,
    dataset: Dataset,
    args: &TransactionArgs,
) -> TransactionsOutput {
    let regions = RegionIndex::builtin_shared().unwrap();
    transactions::run(client, &regions, dataset, args)
        .await
        .unwrap()
}

/// An apartment sale in `dong` of `price` 만원 in March 2025.
fn sale_in(dong: &str, price: u64) -> Item {
    Item::blank(Kind::AptTrade)
        .set("aptNm", "테스트")
        .set("umdNm", dong)
        .set("excluUseAr", "84.9")
        .set("dealYear", "2025")
        .set("dealMonth", "3")
        .set("dealDay", "10")
        .price(price)
}

#[tokio::test]
async fn a_month_before_a_reorganisation_is_read_under_the_old_code_when_the_new_one_is_empty() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    // 목포시 was 46110 until 2026-07, 12110 since; suppose MOLIT kept old months under 46110.
    stand_in.put_month(
        Kind::AptTrade,
        "46110",
        "202503",
        vec![sale_in("용당동", 20_000), sale_in("산정동", 30_000)],
    );
    let client = molit_client(&stand_in, Some(KEY));
    let out = answer(&client, Dataset::AptTrade, &args("12110", "202503")).await;
    assert_eq!(out.region.lawd_cd, "12110");
    assert_eq!(out.summary.matching_deals, 2);
    assert_eq!(out.source.provenance.upstream_calls, 2);
    let former = &out.source.former_codes;
    assert_eq!(former.len(), 1);
    assert_eq!(
        (former[0].lawd_cd.as_str(), former[0].deals_kept),
        ("46110", 2)
    );
    assert!(out.notes[0].contains("46110"), "{:?}", out.notes);
    assert_eq!(stand_in.requests_for(Kind::AptTrade, "12110", "202503"), 1);
    assert_eq!(stand_in.requests_for(Kind::AptTrade, "46110", "202503"), 1);

    // After the change the new code's empty month is simply empty: no extra request.
    let after = answer(&client, Dataset::AptTrade, &args("12110", "202608")).await;
    assert_eq!(after.summary.matching_deals, 0);
    assert!(after.source.former_codes.is_empty());
    assert_eq!(stand_in.requests_for(Kind::AptTrade, "46110", "202608"), 0);

    // When the new code has the old months (MOLIT re-keyed them), the old code is not asked.
    stand_in.put_month(
        Kind::AptTrade,
        "12110",
        "202502",
        vec![sale_in("용당동", 25_000)],
    );
    let rekeyed = answer(&client, Dataset::AptTrade, &args("목포시", "202502")).await;
    assert_eq!(rekeyed.summary.matching_deals, 1);
    assert!(rekeyed.source.former_codes.is_empty());
    assert_eq!(stand_in.requests_for(Kind::AptTrade, "46110", "202502"), 0);
}

#[tokio::test]
async fn a_split_district_keeps_only_the_old_deals_inside_its_own_dongs() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    // 제물포구 (28125) took the inland part of 중구 (28110) and the whole of 동구 (28140);
    // 영종도's 운서동 went to 영종구.
    stand_in.put_month(
        Kind::AptTrade,
        "28110",
        "202503",
        vec![sale_in("신포동", 40_000), sale_in("운서동", 50_000)],
    );
    stand_in.put_month(
        Kind::AptTrade,
        "28140",
        "202503",
        vec![sale_in("송림동", 30_000)],
    );
    let out = answer(
        &molit_client(&stand_in, Some(KEY)),
        Dataset::AptTrade,
        &args("28125", "202503"),
    )
    .await;
    let mut dongs: Vec<_> = out.rows.iter().filter_map(|r| r.dong.as_deref()).collect();
    dongs.sort_unstable();
    assert_eq!(dongs, ["송림동", "신포동"]);
    let read: Vec<_> = out
        .source
        .former_codes
        .iter()
        .map(|f| (f.lawd_cd.as_str(), f.deals_reported, f.deals_kept))
        .collect();
    assert_eq!(read, [("28110", 2, 1), ("28140", 1, 1)]);
    assert_eq!(out.source.provenance.upstream_calls, 3);
}

#[tokio::test]
async fn share_sales_and_land_lease_flats_are_marked_and_kept_out_of_per_area_medians() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let whole = [
        sale_in("신포동", 40_000),
        sale_in("신포동", 42_000),
        sale_in("신포동", 44_000),
    ];
    let land_lease = sale_in("신포동", 15_000).set("landLeaseholdGbn", "Y");
    let mut items: Vec<Item> = whole
        .iter()
        .cloned()
        .map(|i| i.set("landLeaseholdGbn", "N"))
        .collect();
    items.push(land_lease);
    stand_in.put_month(Kind::AptTrade, "11680", "202503", items);
    let land = |price: u64, share: &str| {
        Item::blank(Kind::LandTrade)
            .set("umdNm", "대치동")
            .set("dealArea", "100")
            .set("dealYear", "2025")
            .set("dealMonth", "3")
            .set("dealDay", "5")
            .set("shareDealingType", share)
            .price(price)
    };
    stand_in.put_month(
        Kind::LandTrade,
        "11680",
        "202503",
        vec![land(100_000, " "), land(120_000, " "), land(9_000, "지분")],
    );
    let client = molit_client(&stand_in, Some(KEY));

    let flats = answer(&client, Dataset::AptTrade, &args("11680", "202503")).await;
    // 42,000만원 ÷ 84.9㎡, the land-lease flat's 15,000 left out.
    assert_eq!(flats.summary.median_price_per_m2_manwon, Some(494.7));
    assert_eq!(flats.summary.land_lease_deals, Some(1));
    assert_eq!(flats.summary.price_manwon.as_ref().unwrap().count, 4);
    let marked: Vec<_> = flats.rows.iter().map(|r| r.land_lease).collect();
    assert_eq!(marked.iter().filter(|m| **m == Some(true)).count(), 1);
    assert!(marked.iter().all(Option::is_some));
    assert!(
        flats.notes.iter().any(|n| n.contains("1 land-lease flat")),
        "{:?}",
        flats.notes
    );

    let plots = answer(&client, Dataset::LandTrade, &args("11680", "202503")).await;
    // (1,000 + 1,200) ÷ 2 per ㎡; the 지분 sale's 90 per ㎡ is left out.
    assert_eq!(plots.summary.median_price_per_m2_manwon, Some(1_100.0));
    assert_eq!(plots.summary.share_deals, Some(1));
    assert_eq!(
        plots
            .rows
            .iter()
            .filter(|r| r.share_deal == Some(true))
            .count(),
        1
    );
    assert!(
        plots.notes.iter().any(|n| n.contains("1 share sale")),
        "{:?}",
        plots.notes
    );
    assert!(
        !plots.notes.iter().any(|n| n.contains("공급면적")),
        "land has no 공급면적"
    );
}

#[tokio::test]
async fn a_dong_named_in_region_code_narrows_the_answer_to_that_dong_and_says_so() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_month(
        Kind::AptTrade,
        "11440",
        "202503",
        vec![
            sale_in("공덕동", 100_000),
            sale_in("공덕동", 110_000),
            // Same letters, another dong: must not pass for 공덕동.
            sale_in("신공덕동", 90_000),
            sale_in("아현동", 120_000),
        ],
    );
    let client = molit_client(&stand_in, Some(KEY));
    let out = answer(&client, Dataset::AptTrade, &args("공덕동", "202503")).await;
    assert_eq!(out.region.lawd_cd, "11440");
    assert_eq!(out.region.dong.as_deref(), Some("공덕동"));
    assert_eq!(out.filters.dong.as_deref(), Some("공덕동"));
    assert!(out.filters.dong_from_region_code);
    assert_eq!(out.summary.deals_in_month, 4);
    assert_eq!(out.summary.matching_deals, 2);
    assert!(out.rows.iter().all(|r| r.dong.as_deref() == Some("공덕동")));
    assert!(
        out.notes[0].contains("only deals in 공덕동") && out.notes[0].contains("\"11440\""),
        "{:?}",
        out.notes
    );

    // An explicit `dong` wins, and the answer says the named dong was not used.
    let explicit = TransactionArgs {
        filters: FilterArgs {
            dong: Some("아현".into()),
            ..FilterArgs::default()
        },
        ..args("공덕동", "202503")
    };
    let out = answer(&client, Dataset::AptTrade, &explicit).await;
    assert_eq!(out.summary.matching_deals, 1);
    assert!(!out.filters.dong_from_region_code);
    assert!(out.notes[0].contains("used instead"), "{:?}", out.notes);

    // The district itself is unfiltered, and the month was fetched once.
    let district = answer(&client, Dataset::AptTrade, &args("마포구", "202503")).await;
    assert_eq!(district.summary.matching_deals, 4);
    assert_eq!(district.region.dong, None);
    assert_eq!(stand_in.requests(), 1);
}

#[tokio::test]
async fn an_expired_month_answers_when_the_gateway_fails_and_says_how_old() {
    let regions = RegionIndex::builtin_shared().unwrap();
    // With the requests each failure takes: a 5xx and a timeout are retried once.
    let faults = [
        (Fault::Status(503), "failing on its side", 2),
        (Fault::quota_exceeded(), "quota", 1),
        (Fault::Slow(Duration::from_secs(2)), "in time", 2),
    ];
    for (fault, reason, attempts) in faults {
        let stand_in = MolitStandIn::start(KEY).await.unwrap();
        stand_in.put_generated(Kind::AptTrade, "11680", "202410", 40);
        let client = expiring_molit_client(&stand_in, Some(KEY), Duration::from_millis(500));
        let month = args("11680", "202410");
        let fresh = transactions::run(&client, &regions, Dataset::AptTrade, &month)
            .await
            .unwrap();
        assert!(!fresh.source.provenance.stale);

        stand_in.set_month_fault(Kind::AptTrade, "11680", "202410", Some(fault));
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let before = stand_in.requests();
        let call = CallScope::new("alice");
        let stale = call
            .run(transactions::run(
                &client,
                &regions,
                Dataset::AptTrade,
                &month,
            ))
            .await
            .unwrap_or_else(|e| panic!("{reason}: {}", e.message()));
        let source = &stale.source.provenance;
        assert!(source.stale && source.cached, "{reason}: {source:?}");
        // The failed attempts were sent: the answer and the budget both say what they cost.
        assert_eq!(stand_in.requests() - before, attempts, "{reason}");
        assert_eq!(source.upstream_calls, attempts, "{reason}: {source:?}");
        assert_eq!(call.spent(), u64::from(attempts), "{reason}");
        assert!(source.age_seconds >= 1, "{reason}: {source:?}");
        let note = source.note.as_deref().unwrap();
        assert!(note.contains(reason), "{note}");
        assert!(note.contains("1 minute ago"), "{note}");
        assert_eq!(stale.summary, fresh.summary);
    }
}

#[tokio::test]
async fn a_key_error_is_never_answered_with_an_expired_month() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    stand_in.put_generated(Kind::AptTrade, "11680", "202410", 40);
    let regions = RegionIndex::builtin_shared().unwrap();
    let client = expiring_molit_client(&stand_in, Some(KEY), TOTAL_TIMEOUT);
    let month = args("11680", "202410");
    transactions::run(&client, &regions, Dataset::AptTrade, &month)
        .await
        .unwrap();
    for fault in [
        Fault::key_not_registered(403),
        Fault::Gateway {
            code: "20",
            status: 200,
        },
    ] {
        stand_in.set_month_fault(Kind::AptTrade, "11680", "202410", Some(fault));
        let error = transactions::run(&client, &regions, Dataset::AptTrade, &month)
            .await
            .unwrap_err();
        assert!(error.message().contains("15126469"), "{}", error.message());
    }
}
