//! Unit tests of the pieces every analytics tool shares: exclusions, ranges, changes.

use chrono::{TimeZone, Utc};

use super::{
    CompareRegionsArgs, ComplexSummaryArgs, JeonseRatioArgs, PriceTrendArgs,
    args::{DealType, MarketArgs, MonthRange, PropertyType, RangeEnd},
    clean::{Cleaned, amount_per_m2, drop_far_out, quantile},
    trend::{TrendMonth, change, fill_changes},
};
use crate::{
    tools::{
        calendar::YearMonth,
        transactions::{FilterArgs, TransactionArgs},
    },
    upstream::molit::{Dataset, Deal},
};

fn sale(price: u64, area: f64) -> Deal {
    Deal {
        deal_amount: Some(price),
        exclu_use_ar: Some(area),
        ..Deal::default()
    }
}

#[test]
fn quantiles_interpolate_between_order_statistics() {
    let values = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(quantile(&values, 0.0), 1.0);
    assert_eq!(quantile(&values, 0.25), 1.75);
    assert_eq!(quantile(&values, 0.5), 2.5);
    assert_eq!(quantile(&values, 1.0), 4.0);
    assert!(quantile(&[], 0.5).is_nan());
}

#[test]
fn a_far_out_price_is_dropped_and_counted() {
    // Ten sales near 2,000만원/㎡ and one family transfer at a tenth of that.
    let mut deals: Vec<Deal> = (0..10).map(|i| sale(170_000 + i * 1_000, 84.0)).collect();
    deals.push(sale(17_000, 84.0));
    let refs: Vec<&Deal> = deals.iter().collect();
    let (kept, dropped) = drop_far_out(refs, |d| amount_per_m2(Dataset::AptTrade, d));
    assert_eq!(dropped, 1);
    assert_eq!(kept.len(), 10);
    assert!(kept.iter().all(|d| d.deal_amount >= Some(170_000)));
}

#[test]
fn small_groups_and_deals_without_an_area_are_never_judged() {
    let mut deals: Vec<Deal> = (0..6).map(|i| sale(170_000 + i, 84.0)).collect();
    deals.push(sale(1, 84.0));
    let refs: Vec<&Deal> = deals.iter().collect();
    let (kept, dropped) = drop_far_out(refs, |d| amount_per_m2(Dataset::AptTrade, d));
    assert_eq!(
        (kept.len(), dropped),
        (7, 0),
        "7 deals are below the minimum of 8"
    );

    let mut deals: Vec<Deal> = (0..10).map(|i| sale(170_000 + i * 1_000, 84.0)).collect();
    deals.push(Deal {
        exclu_use_ar: None,
        ..sale(1, 84.0)
    });
    let refs: Vec<&Deal> = deals.iter().collect();
    let (kept, dropped) = drop_far_out(refs, |d| amount_per_m2(Dataset::AptTrade, d));
    assert_eq!((kept.len(), dropped), (11, 0));
}

#[test]
fn only_jeonse_deposits_are_judged_among_leases() {
    let jeonse = Deal {
        deposit: Some(84_000),
        monthly_rent: Some(0),
        exclu_use_ar: Some(84.0),
        ..Deal::default()
    };
    let wolse = Deal {
        monthly_rent: Some(150),
        ..jeonse.clone()
    };
    assert_eq!(amount_per_m2(Dataset::AptRent, &jeonse), Some(1_000.0));
    assert_eq!(amount_per_m2(Dataset::AptRent, &wolse), None);
}

#[test]
fn cancelled_deals_and_outliers_stay_out_of_figures_but_in_the_counts() {
    let mut deals: Vec<Deal> = (0..10).map(|i| sale(170_000 + i * 1_000, 84.0)).collect();
    deals.push(sale(17_000, 84.0));
    deals.push(Deal {
        cdeal_type: Some("O".into()),
        ..sale(900_000, 84.0)
    });
    let group = Cleaned::split(Dataset::AptTrade, deals.iter(), true);
    assert_eq!(
        (group.kept.len(), group.cancelled.len(), group.outliers),
        (10, 1, 1)
    );
    let summary = group.summary(Dataset::AptTrade, 40);
    assert_eq!(summary.deals_in_month, 40);
    assert_eq!(summary.matching_deals, 12);
    assert_eq!(summary.cancelled_deals, 1);
    let price = summary.price_manwon.unwrap();
    assert_eq!((price.count, price.min, price.max), (10, 170_000, 179_000));

    let whole = Cleaned::split(Dataset::AptTrade, deals.iter(), false);
    assert_eq!((whole.kept.len(), whole.outliers), (11, 0));
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 15, 3, 0, 0).unwrap()
}

#[test]
fn a_range_defaults_to_the_current_korean_month() {
    let range = MonthRange::parse("202510", None, 36, now()).unwrap();
    assert_eq!(range.first.to_string(), "202510");
    assert_eq!(range.last.to_string(), "202603");
    assert_eq!(range.months().len(), 6);
    assert_eq!(range.len(), 6);
    for (from, to, months) in [("202503", "202503", 1), ("200601", "202603", 243)] {
        let range = MonthRange::parse(from, Some(to), 300, now()).unwrap();
        assert_eq!((range.len(), range.months().len()), (months, months));
    }
}

#[test]
fn ranges_out_of_order_or_too_long_are_refused_with_a_fix() {
    let reversed = MonthRange::parse("202512", Some("202501"), 36, now()).unwrap_err();
    assert!(
        reversed.message().contains("swap them"),
        "{}",
        reversed.message()
    );
    let long = MonthRange::parse("202301", Some("202512"), 12, now()).unwrap_err();
    assert!(long.message().contains("36 months"), "{}", long.message());
    assert!(long.message().contains("at most 12"), "{}", long.message());
    let future = MonthRange::parse("202601", Some("202612"), 36, now()).unwrap_err();
    assert!(
        future.message().contains("`to_month`"),
        "{}",
        future.message()
    );
}

#[test]
fn property_types_without_the_data_are_refused() {
    let error = PropertyType::Commercial
        .dataset(DealType::Rent)
        .unwrap_err();
    assert!(error.message().contains("`deal_type`"));
    assert_eq!(
        PropertyType::Villa.dataset(DealType::Rent).unwrap(),
        Dataset::RowHouseRent
    );
    let error = PropertyType::SingleHouse.named_pair("tool").unwrap_err();
    assert!(error.message().contains("no names"), "{}", error.message());
    assert_eq!(
        PropertyType::Officetel.named_pair("tool").unwrap(),
        (Dataset::OfficetelTrade, Dataset::OfficetelRent)
    );
}

fn month(label: &str, per_m2: Option<f64>, thin: bool) -> TrendMonth {
    let mut summary = Cleaned::default().summary(Dataset::AptTrade, 0);
    summary.median_price_per_m2_manwon = per_m2;
    TrendMonth {
        year_month: label.into(),
        thin,
        incomplete: false,
        outliers_excluded: 0,
        summary,
        mom_change_pct: None,
        yoy_change_pct: None,
    }
}

#[test]
fn changes_skip_thin_and_missing_months() {
    let labels = ["202401", "202402", "202403", "202405", "202501"];
    let calendar: Vec<YearMonth> = labels
        .iter()
        .map(|l| YearMonth::new(l[..4].parse().unwrap(), l[4..].parse().unwrap()).unwrap())
        .collect();
    let mut months = vec![
        month("202401", Some(1_000.0), false),
        month("202402", Some(1_100.0), false),
        month("202403", Some(5_000.0), true),
        month("202405", Some(1_200.0), false),
        month("202501", Some(1_250.0), false),
    ];
    fill_changes(&mut months, &calendar);
    let changes: Vec<_> = months
        .iter()
        .map(|m| (m.mom_change_pct, m.yoy_change_pct))
        .collect();
    assert_eq!(
        changes,
        [
            (None, None),
            (Some(10.0), None),
            (None, None), // thin: never compared
            (None, None), // 202404 is missing
            (None, Some(25.0)),
        ]
    );
    assert_eq!(change(0.0, 5.0), 0.0);
}

/// A result with notes, for exercising `charted` without a tool.
#[derive(Debug, Default)]
struct NotedOnly(Vec<String>);

impl super::Noted for NotedOnly {
    fn notes(&mut self) -> &mut Vec<String> {
        &mut self.0
    }
}

fn tiny_png() -> super::Png {
    super::Png {
        bytes: vec![1],
        width: 1,
        height: 1,
    }
}

/// On a single-threaded runtime, a chart drawn on the async worker would block the only
/// thread: the task it waits for could never run. Drawn on the blocking pool, it can.
#[tokio::test(flavor = "current_thread")]
async fn charts_are_drawn_off_the_async_worker() {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let signal = tokio::spawn(async move { tx.send(()).ok() });
    let drawn = super::charted(NotedOnly::default(), true, move |_| {
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .map(|()| tiny_png())
            .map_err(|_| super::chart::ChartError::new("the async worker was blocked"))
    })
    .await
    .unwrap();
    assert!(drawn.chart.is_some(), "{:?}", drawn.output.0);
    assert!(drawn.output.0.is_empty());
    signal.await.unwrap();
}

#[tokio::test]
async fn a_chart_that_panics_becomes_a_note_and_the_figures_stay() {
    let drawn = super::charted(NotedOnly::default(), true, |_| -> Result<super::Png, _> {
        panic!("a broken font")
    })
    .await
    .unwrap();
    assert!(drawn.chart.is_none());
    assert!(
        drawn.output.0[0].contains("could not be drawn"),
        "{:?}",
        drawn.output.0
    );
    let skipped = super::charted(NotedOnly::default(), false, |_| Ok(tiny_png()))
        .await
        .unwrap();
    assert!(skipped.chart.is_none() && skipped.output.0.is_empty());
}

#[test]
fn the_shared_arguments_read_flat_with_numbers_and_defaults() {
    let args: PriceTrendArgs = serde_json::from_value(serde_json::json!({
        "region_code": 11440,
        "from_month": 202403,
        "area_min": 80,
        "deal_type": "rent",
    }))
    .unwrap();
    assert_eq!(args.region_code, "11440");
    assert_eq!(args.deal_type, DealType::Rent);
    assert_eq!(&*args.market.from_month, "202403");
    assert_eq!(args.market.to_month, None);
    assert_eq!(args.market.filters.area_min, Some(80.0));
    assert_eq!(args.market.property_type, PropertyType::Apartment);
    let missing =
        serde_json::from_value::<JeonseRatioArgs>(serde_json::json!({"region_code": "노원구"}))
            .unwrap_err();
    assert!(missing.to_string().contains("from_month"), "{missing}");
}

#[test]
fn one_step_checks_filters_months_and_the_outlier_choice() {
    // 15 May 2024 in Korea.
    let now = Utc.with_ymd_and_hms(2024, 5, 15, 3, 0, 0).unwrap();
    let since = MarketArgs::months("202403", "202403");
    let one = MarketArgs {
        to_month: None,
        ..since.clone()
    };
    let market = one
        .prepare("t", Dataset::AptTrade, 12, RangeEnd::FromMonth, now)
        .unwrap();
    assert_eq!(
        (market.range.first, market.range.last),
        (ym(2024, 3), ym(2024, 3))
    );
    assert!(market.drop_outliers);
    let market = one
        .prepare("t", Dataset::AptTrade, 12, RangeEnd::ThisMonth, now)
        .unwrap();
    assert_eq!(market.range.last, ym(2024, 5));

    let named = MarketArgs {
        filters: FilterArgs {
            name_contains: Some("래미안".into()),
            ..FilterArgs::default()
        },
        exclude_outliers: Some(false),
        ..since.clone()
    };
    assert!(
        !named
            .prepare("t", Dataset::AptTrade, 12, RangeEnd::ThisMonth, now)
            .unwrap()
            .drop_outliers
    );
    let refused = named
        .prepare("t", Dataset::CommercialTrade, 12, RangeEnd::ThisMonth, now)
        .unwrap_err();
    assert!(
        refused.message().contains("`name_contains`"),
        "{}",
        refused.message()
    );
    let too_long = MarketArgs::months("202001", "202403")
        .prepare("t", Dataset::AptTrade, 12, RangeEnd::ThisMonth, now)
        .unwrap_err();
    assert!(
        too_long.message().contains("`from_month`"),
        "{}",
        too_long.message()
    );
}

#[test]
fn documented_enums_are_published_as_plain_value_lists() {
    let schema = rmcp::handler::server::tool::schema_for_type::<PropertyType>();
    assert_eq!(schema.get("type"), Some(&serde_json::json!("string")));
    assert_eq!(
        schema.get("enum"),
        Some(&serde_json::json!([
            "apartment",
            "officetel",
            "villa",
            "single_house",
            "commercial"
        ]))
    );
    assert!(!schema.contains_key("oneOf") && !schema.contains_key("description"));
}

#[test]
fn filter_and_month_arguments_read_the_same_in_every_tool() {
    let properties = |schema: schemars::Schema| schema.get("properties").cloned().unwrap();
    let deals = properties(schemars::schema_for!(TransactionArgs));
    let month = &deals["year_month"]["pattern"];
    for tool in [
        properties(schemars::schema_for!(PriceTrendArgs)),
        properties(schemars::schema_for!(CompareRegionsArgs)),
        properties(schemars::schema_for!(JeonseRatioArgs)),
    ] {
        for name in ["dong", "name_contains", "area_min", "area_max"] {
            assert_eq!(tool[name], deals[name], "{name}");
        }
        assert_eq!(&tool["from_month"]["pattern"], month);
        assert_eq!(&tool["to_month"]["pattern"], month);
    }
    let complex = properties(schemars::schema_for!(ComplexSummaryArgs));
    assert_eq!(&complex["from_month"]["pattern"], month);
    assert_eq!(complex["dong"]["maxLength"], deals["dong"]["maxLength"]);
}

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth::new(year, month).unwrap()
}
