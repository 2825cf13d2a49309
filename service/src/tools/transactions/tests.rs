use crate::cache::Freshness;
use std::{sync::Arc, time::Duration};

use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::upstream::molit::Deal;

fn trade(day: u32, price: u64, area: f64, dong: &str, name: &str) -> Deal {
    Deal {
        deal_year: Some(2025),
        deal_month: Some(3),
        deal_day: Some(day),
        umd_nm: Some(dong.into()),
        name: Some(name.into()),
        exclu_use_ar: Some(area),
        deal_amount: Some(price),
        floor: Some(7),
        ..Deal::default()
    }
}

/// A sale where only the day, price and area matter.
fn sale(day: u32, price: u64, area: f64) -> Deal {
    trade(day, price, area, "대치동", "a")
}

fn lease(day: u32, deposit: u64, monthly: u64, area: f64) -> Deal {
    Deal {
        deal_year: Some(2025),
        deal_month: Some(3),
        deal_day: Some(day),
        umd_nm: Some("대치동".into()),
        name: Some("은마".into()),
        exclu_use_ar: Some(area),
        deposit: Some(deposit),
        monthly_rent: Some(monthly),
        ..Deal::default()
    }
}

fn cancelled(mut deal: Deal) -> Deal {
    deal.cdeal_type = Some("O".into());
    deal.cdeal_day = Some("25.04.01".into());
    deal
}

fn month_data(deals: Vec<Deal>) -> MonthData {
    let total = u32::try_from(deals.len()).unwrap();
    MonthData {
        deals: Arc::from(deals),
        total_count: total,
        truncated: false,
        pages: 1,
        upstream_calls: 1,
        freshness: Freshness::Live,
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 26, 5, 0, 0).unwrap(),
    }
}

fn region() -> ResolvedRegion {
    ResolvedRegion {
        lawd_cd: "11680".into(),
        name: "서울특별시 강남구".into(),
        ..ResolvedRegion::default()
    }
}

/// Long after March 2025, so no "recent month" note unless a test asks for one.
fn later() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 6, 0, 0).unwrap()
}

fn march() -> YearMonth {
    YearMonth::new(2025, 3).unwrap()
}

fn run_on(dataset: Dataset, deals: Vec<Deal>, args: TransactionArgs) -> TransactionsOutput {
    let query = Query::from_args(dataset, &args).unwrap();
    answer(
        dataset,
        region(),
        march(),
        &month_data(deals),
        &query,
        later(),
    )
}

/// The arguments every test starts from: 강남구 (11680), March 2025, no filter.
pub(super) fn no_filters() -> TransactionArgs {
    TransactionArgs {
        region_code: "11680".into(),
        year_month: "202503".into(),
        ..TransactionArgs::default()
    }
}

/// The base arguments with `filters`.
pub(super) fn filtered(filters: FilterArgs) -> TransactionArgs {
    TransactionArgs {
        filters,
        ..no_filters()
    }
}

#[test]
fn trade_statistics_leave_cancelled_deals_out_but_count_them() {
    let deals = vec![
        trade(1, 100_000, 84.0, "대치동", "은마"),
        trade(2, 200_000, 84.0, "대치동", "은마"),
        cancelled(trade(3, 900_000, 84.0, "대치동", "은마")),
        trade(4, 300_000, 84.0, "대치동", "은마"),
        trade(5, 400_000, 84.0, "대치동", "은마"),
    ];
    let out = run_on(Dataset::AptTrade, deals, no_filters());
    let summary = &out.summary;
    assert_eq!(
        (
            summary.deals_in_month,
            summary.matching_deals,
            summary.cancelled_deals
        ),
        (5, 5, 1)
    );
    let price = summary.price_manwon.as_ref().unwrap();
    assert_eq!(price.count, 4);
    assert_eq!(price.median, 250_000.0);
    assert_eq!(price.mean, 250_000.0);
    assert_eq!((price.min, price.max), (100_000, 400_000));
    assert!(summary.jeonse.is_none() && summary.wolse.is_none());
    assert_eq!(out.kind, TransactionKind::Trade);
    // The cancelled deal is still listed, flagged.
    let flagged: Vec<_> = out.rows.iter().filter(|r| r.cancelled).collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].cancelled_on.as_deref(), Some("25.04.01"));
}

#[test]
fn an_odd_count_takes_the_middle_value() {
    let deals = vec![sale(1, 5, 10.0), sale(1, 1, 10.0), sale(1, 100, 10.0)];
    let price = run_on(Dataset::AptTrade, deals, no_filters())
        .summary
        .price_manwon
        .unwrap();
    assert_eq!(price.median, 5.0);
    assert_eq!(price.mean, 35.3);
}

#[test]
fn prices_per_m2_and_per_pyeong_use_the_median_ratio() {
    let deals = vec![
        sale(1, 100_000, 100.0), // 1,000 per ㎡
        sale(2, 150_000, 100.0), // 1,500
        sale(3, 100_000, 50.0),  // 2,000
    ];
    let summary = run_on(Dataset::AptTrade, deals, no_filters()).summary;
    assert_eq!(summary.median_price_per_m2_manwon, Some(1_500.0));
    // 1,500 × 400/121 = 4,958.68…
    assert_eq!(summary.median_price_per_pyeong_manwon, Some(4_958.7));
}

#[test]
fn leases_separate_jeonse_from_wolse() {
    let deals = vec![
        lease(1, 50_000, 0, 84.0),
        lease(2, 60_000, 0, 84.0),
        lease(3, 70_000, 0, 84.0),
        lease(4, 1_000, 100, 84.0),
        lease(5, 2_000, 150, 84.0),
    ];
    let out = run_on(Dataset::AptRent, deals, no_filters());
    assert_eq!(out.kind, TransactionKind::Rent);
    assert!(out.summary.price_manwon.is_none());
    let jeonse = out.summary.jeonse.unwrap();
    assert_eq!(jeonse.count, 3);
    assert_eq!(jeonse.deposit_manwon.unwrap().median, 60_000.0);
    assert_eq!(jeonse.median_deposit_per_m2_manwon, Some(714.3));
    let wolse = out.summary.wolse.unwrap();
    assert_eq!(wolse.count, 2);
    assert_eq!(wolse.deposit_manwon.unwrap().median, 1_500.0);
    assert_eq!(wolse.monthly_rent_manwon.unwrap().median, 125.0);
    let types: Vec<_> = out
        .rows
        .iter()
        .map(|r| r.lease_type.as_deref().unwrap())
        .collect();
    assert_eq!(types, ["월세", "월세", "전세", "전세", "전세"]);
}

#[test]
fn a_lease_month_without_wolse_reports_zero_not_nothing() {
    let out = run_on(
        Dataset::OfficetelRent,
        vec![lease(1, 20_000, 0, 30.0)],
        no_filters(),
    );
    let wolse = out.summary.wolse.clone().unwrap();
    assert_eq!(wolse.count, 0);
    assert!(wolse.deposit_manwon.is_none());
    let json = serde_json::to_value(&out.summary).unwrap();
    assert_eq!(json["wolse"], json!({ "count": 0 }));
}

#[test]
fn filters_match_dong_name_and_area() {
    let deals = vec![
        trade(1, 1, 84.9981, "대치동", "래미안대치팰리스"),
        trade(2, 2, 59.97, "대치동", "래미안대치팰리스"),
        trade(3, 3, 84.5, "역삼동", "역삼푸르지오"),
        trade(4, 4, 84.5, "대치동", "은마"),
        Deal {
            exclu_use_ar: None,
            ..trade(5, 5, 0.0, "대치동", "래미안대치팰리스")
        },
    ];
    let args = filtered(FilterArgs {
        dong: Some(" 대치 ".into()),
        name_contains: Some("래미안 대치".into()),
        area_min: Some(80.0),
        area_max: Some(84.9981),
    });
    let out = run_on(Dataset::AptTrade, deals, args);
    let prices: Vec<_> = out.rows.iter().map(|r| r.price_manwon.unwrap()).collect();
    assert_eq!(prices, [1]);
    assert_eq!(out.summary.matching_deals, 1);
    assert_eq!(out.summary.deals_in_month, 5);
    assert_eq!(out.filters.dong.as_deref(), Some("대치"));
    assert_eq!(out.filters.name_contains.as_deref(), Some("래미안 대치"));
}

#[test]
fn latin_names_match_without_regard_to_case() {
    let deals = vec![trade(1, 1, 30.0, "역삼동", "Gangnam SKY Tower")];
    let args = filtered(FilterArgs {
        name_contains: Some("skytower".into()),
        ..FilterArgs::default()
    });
    assert_eq!(run_on(Dataset::OfficetelTrade, deals, args).rows.len(), 1);
}

#[test]
fn limit_cuts_rows_but_not_the_summary() {
    let deals: Vec<_> = (0..60)
        .map(|i| sale(1 + i % 28, 1_000 + u64::from(i), 84.0))
        .collect();
    let args = TransactionArgs {
        limit: Some(10),
        ..no_filters()
    };
    let out = run_on(Dataset::AptTrade, deals.clone(), args);
    assert_eq!((out.rows_returned, out.rows_omitted), (10, 50));
    assert_eq!(out.rows.len(), 10);
    assert_eq!(out.summary.price_manwon.as_ref().unwrap().count, 60);
    assert!(out.notes.iter().any(|n| n.contains("10 newest of 60")));
    let summary_only = run_on(
        Dataset::AptTrade,
        deals.clone(),
        TransactionArgs {
            limit: Some(0),
            ..no_filters()
        },
    );
    assert!(summary_only.rows.is_empty());
    assert_eq!(summary_only.rows_omitted, 60);
    let default = run_on(Dataset::AptTrade, deals, no_filters());
    assert_eq!(default.rows_returned, DEFAULT_LIMIT);
}

#[test]
fn rows_come_newest_first() {
    let deals = vec![sale(3, 30, 84.0), sale(28, 280, 84.0), sale(15, 150, 84.0)];
    let out = run_on(Dataset::AptTrade, deals, no_filters());
    let dates: Vec<_> = out.rows.iter().map(|r| r.date.as_str()).collect();
    assert_eq!(dates, ["2025-03-28", "2025-03-15", "2025-03-03"]);
}

#[test]
fn rows_carry_the_fields_of_their_property_type_only() {
    let trade_row = run_on(
        Dataset::AptTrade,
        vec![trade(7, 169_000, 84.9981, "대치동", "은마")],
        no_filters(),
    )
    .rows
    .remove(0);
    let json = serde_json::to_value(&trade_row).unwrap();
    assert_eq!(json["date"], "2025-03-07");
    assert_eq!(json["price_manwon"], 169_000);
    assert_eq!(json["price_per_pyeong_manwon"], 6_572.8);
    assert_eq!(json["area_m2"], 84.9981);
    assert_eq!(json["cancelled"], false);
    for absent in [
        "deposit_manwon",
        "lease_type",
        "share_deal",
        "house_type",
        "cancelled_on",
    ] {
        assert!(json.get(absent).is_none(), "{absent} should be left out");
    }

    let house = Deal {
        total_floor_ar: Some(165.3),
        plottage_ar: Some(200.0),
        house_type: Some("다가구".into()),
        exclu_use_ar: None,
        name: None,
        ..trade(1, 250_000, 0.0, "역삼동", "")
    };
    let row = run_on(Dataset::DetachedHouseTrade, vec![house], no_filters())
        .rows
        .remove(0);
    assert_eq!(
        row.area_m2,
        Some(165.3),
        "houses are measured by gross floor area"
    );
    assert_eq!(row.land_area_m2, Some(200.0));
    assert_eq!(row.house_type.as_deref(), Some("다가구"));

    let shop = Deal {
        building_ar: Some(330.0),
        share_dealing_type: Some("지분".into()),
        building_use: Some("제2종근린생활".into()),
        ..trade(1, 500_000, 0.0, "역삼동", "")
    };
    let row = run_on(Dataset::CommercialTrade, vec![shop], no_filters())
        .rows
        .remove(0);
    assert_eq!(row.area_m2, Some(330.0));
    assert_eq!(row.share_deal, Some(true));

    let renewal = Deal {
        contract_type: Some("갱신".into()),
        use_rr_right: Some("사용".into()),
        pre_deposit: Some(45_000),
        ..lease(2, 50_000, 0, 59.9)
    };
    let row = run_on(Dataset::AptRent, vec![renewal], no_filters())
        .rows
        .remove(0);
    assert_eq!(row.renewal_right_used, Some(true));
    assert_eq!(row.previous_deposit_manwon, Some(45_000));
    assert!(row.price_manwon.is_none());
}

#[test]
fn the_source_reports_cache_state_and_cost() {
    let mut data = month_data(vec![sale(1, 1, 84.0)]);
    data.freshness = Freshness::Cached {
        age: Duration::from_secs(95),
    };
    data.upstream_calls = 0;
    data.pages = 3;
    let query = Query::from_args(Dataset::AptTrade, &no_filters()).unwrap();
    let out = answer(Dataset::AptTrade, region(), march(), &data, &query, later());
    assert_eq!(out.source.dataset, "RTMSDataSvcAptTrade");
    assert!(out.source.provenance.cached);
    assert_eq!(out.source.provenance.age_seconds, 95);
    assert_eq!(out.source.provenance.upstream_calls, 0);
    assert_eq!(out.source.pages, 3);
    assert_eq!(out.source.fetched_at, "2026-11-26T05:00:00Z");
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(
        json["source"]["cached"], true,
        "the call log reads source.cached"
    );
    assert_eq!(json["region"]["name"], "서울특별시 강남구");
    assert_eq!(json["year_month"], "202503");
}

#[test]
fn notes_explain_recent_truncated_and_empty_months() {
    let query = Query::from_args(Dataset::AptTrade, &no_filters()).unwrap();
    let april = Utc.with_ymd_and_hms(2025, 4, 10, 0, 0, 0).unwrap();
    let recent = answer(
        Dataset::AptTrade,
        region(),
        march(),
        &month_data(vec![sale(1, 1, 84.0)]),
        &query,
        april,
    );
    assert!(recent.notes.iter().any(|n| n.contains("202503 is recent")));
    // A settled month says only which area its per-평 prices divide by.
    assert_eq!(
        run_on(Dataset::AptTrade, vec![sale(1, 1, 84.0)], no_filters()).notes,
        [super::per_area_note(Dataset::AptTrade).unwrap()]
    );

    let mut capped = month_data(vec![sale(1, 1, 84.0)]);
    capped.truncated = true;
    capped.total_count = 25_000;
    let out = answer(
        Dataset::AptTrade,
        region(),
        march(),
        &capped,
        &query,
        later(),
    );
    assert!(out.source.truncated);
    assert!(out.notes.iter().any(|n| n.contains("25000 deals")));

    let empty = run_on(Dataset::AptTrade, vec![], no_filters());
    assert!(
        empty
            .notes
            .iter()
            .any(|n| n
                .contains("No 아파트 매매 deals were reported for 서울특별시 강남구 in 202503"))
    );
    assert!(empty.summary.price_manwon.is_none());

    let args = filtered(FilterArgs {
        dong: Some("없는동".into()),
        ..FilterArgs::default()
    });
    let unmatched = run_on(Dataset::AptTrade, vec![sale(1, 1, 84.0)], args);
    assert!(
        unmatched
            .notes
            .iter()
            .any(|n| n.contains("matched the filters"))
    );
}

#[test]
fn every_dataset_has_its_tool() {
    let mut names: Vec<_> = Dataset::ALL.iter().map(|d| tool_name(*d)).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Dataset::ALL.len());
    assert_eq!(tool_name(Dataset::RowHouseRent), "get_villa_rent");
    assert_eq!(tool_name(Dataset::CommercialTrade), "get_commercial_trade");
}
