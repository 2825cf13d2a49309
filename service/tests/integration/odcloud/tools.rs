//! The two tools end to end: arguments in, readable output out.

use real_estate_mcp::tools::subscriptions::{
    NoticeStatus, Residence, StatKind, SubscriptionInfoArgs, SubscriptionResultsArgs,
    subscription_info, subscription_results,
};
use testkit::odcloud::{OdcloudStandIn, TEST_KEY, data};

use crate::helpers::upstream::{TOTAL_TIMEOUT, odcloud_client, odcloud_client_at};

#[tokio::test]
async fn notices_for_a_region_and_period_come_back_readable() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let out = subscription_info(
        &odcloud_client(&upstream),
        SubscriptionInfoArgs {
            region: Some("서울특별시".into()),
            notice_date_from: Some("2025-02-01".into()),
            notice_date_to: Some("2025-06-30".into()),
            ..Default::default()
        },
    )
    .await
    .expect("notices");
    let names: Vec<_> = out
        .notices
        .iter()
        .filter_map(|n| n.house_name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            "사당 센트럴 아이파크",
            "마포 리버 스위트",
            "잠실 래미안 아이파크"
        ]
    );
    assert_eq!(out.total_count, 3);
    assert!(!out.has_more);
    assert_eq!(
        out.filters,
        [
            "공급지역 = 서울",
            "모집공고일 ≥ 2025-02-01",
            "모집공고일 ≤ 2025-06-30"
        ]
    );
    assert!(!out.source.cached);

    let first = &out.notices[0];
    assert_eq!(first.region.as_deref(), Some("서울"));
    assert_eq!(first.notice_date.as_deref(), Some("2025-02-05"));
    assert_eq!(first.application_start.as_deref(), Some("2025-02-15"));
    assert_eq!(first.winners_announced.as_deref(), Some("2025-02-23"));
    assert_eq!(first.move_in.as_deref(), Some("2028-02"));
    assert_eq!(first.overheated_district, Some(true));
    // Seoul complexes have 해당지역, 기타경기 and 기타지역 windows in both ranks.
    assert_eq!(first.priority_periods.len(), 6);
    assert!(
        first
            .priority_periods
            .iter()
            .any(|p| p.rank == 2 && p.residence == Residence::OtherGyeonggi)
    );
    // The fixture's windows are all in 2025, long past.
    assert!(out.notices.iter().all(|n| n.status == NoticeStatus::Closed));
}

#[tokio::test]
async fn address_and_name_searches_narrow_the_notices() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let by_address = subscription_info(
        &client,
        SubscriptionInfoArgs {
            address_contains: Some("수원시".into()),
            ..Default::default()
        },
    )
    .await
    .expect("by address");
    assert_eq!(by_address.total_count, 2);
    let public = by_address
        .notices
        .iter()
        .find(|n| n.supply_kind.as_deref() == Some("국민"))
        .expect("the public complex");
    assert_eq!(public.builder, None);
    assert_eq!(public.special_supply_start, None);
    assert_eq!(public.house_type.as_deref(), Some("신혼희망타운"));

    let by_name = subscription_info(
        &client,
        SubscriptionInfoArgs {
            house_name_contains: Some("푸르지오".into()),
            ..Default::default()
        },
    )
    .await
    .expect("by name");
    assert_eq!(by_name.total_count, 3);
    let songdo = subscription_info(
        &client,
        SubscriptionInfoArgs {
            house_name_contains: Some("송도".into()),
            ..Default::default()
        },
    )
    .await
    .expect("songdo");
    // Sent as "1,052": read as a number all the same.
    assert_eq!(songdo.notices[0].total_households, Some(1052));
}

#[tokio::test]
async fn notices_page_with_limit_and_report_what_is_left() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let all = data::notices().len() as u64;
    let page = |page| SubscriptionInfoArgs {
        page: Some(page),
        limit: Some(5),
        ..Default::default()
    };
    let first = subscription_info(&client, page(1)).await.expect("page 1");
    assert_eq!(
        (first.total_count, first.notices.len(), first.has_more),
        (all, 5, true)
    );
    let last = subscription_info(&client, page(3)).await.expect("page 3");
    assert_eq!(
        (last.notices.len() as u64, last.has_more),
        (all - 10, false)
    );
    let again = subscription_info(&client, page(1))
        .await
        .expect("page 1 again");
    assert!(again.source.cached);
    assert_eq!(again.source.upstream_calls, 0);
    assert_eq!(upstream.requests(), 2);
}

#[tokio::test]
async fn competition_for_one_region_and_month_reads_rates() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let out = subscription_results(
        &odcloud_client(&upstream),
        SubscriptionResultsArgs {
            year_month: Some("202503".into()),
            region: Some("경기".into()),
            ..SubscriptionResultsArgs::of(StatKind::CompetitionByRegion)
        },
    )
    .await
    .expect("competition");
    assert_eq!(out.title, "지역별 청약 경쟁률");
    assert_eq!(out.total_count, 1);
    let row = &out.rows[0];
    assert_eq!(row.region.as_deref(), Some("경기"));
    assert_eq!(row.region_code.as_deref(), Some("410"));
    let raw = data::statistics("getAPTCmpetrtAreaStat")
        .expect("table")
        .into_iter()
        .find(|r| r["STAT_DE"] == "202503" && r["SUBSCRPT_AREA_CODE"] == "410")
        .expect("fixture row");
    assert_eq!(row.general_supply_households, raw["SUPLY_HSHLDCO"].as_u64());
    let published: Option<f64> = raw["SUPLY_CMPET_RATE"]
        .as_str()
        .and_then(|r| r.parse().ok());
    assert_eq!(row.general_supply_rate, published);
    assert_eq!(row.age_30_or_under, None);
    let seen = upstream.last().expect("request");
    assert!(
        seen.path
            .ends_with("/ApplyhomeStatSvc/v1/getAPTCmpetrtAreaStat")
    );
    assert_eq!(seen.param("cond[SUBSCRPT_AREA_CODE::EQ]"), Some("410"));
}

#[tokio::test]
async fn winning_scores_filter_by_residence() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let out = subscription_results(
        &odcloud_client(&upstream),
        SubscriptionResultsArgs {
            from_year_month: Some("202501".into()),
            to_year_month: Some("202502".into()),
            region: Some("부산".into()),
            residence: Some(Residence::Local),
            ..SubscriptionResultsArgs::of(StatKind::WinningScoresByRegion)
        },
    )
    .await
    .expect("scores");
    assert_eq!(out.rows.len(), 2);
    for row in &out.rows {
        assert_eq!(row.residence.as_deref(), Some("해당지역"));
        let (low, high, avg) = (
            row.lowest_score.unwrap(),
            row.highest_score.unwrap(),
            row.average_score.unwrap(),
        );
        assert!(low <= avg && avg <= high && high <= 84.0, "{row:?}");
    }
}

#[tokio::test]
async fn nationwide_age_tables_add_up_their_bands() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let out = subscription_results(
        &odcloud_client(&upstream),
        SubscriptionResultsArgs {
            from_year_month: Some("2025-04".into()),
            ..SubscriptionResultsArgs::of(StatKind::ApplicantsByAge)
        },
    )
    .await
    .expect("ages");
    let months: Vec<_> = out
        .rows
        .iter()
        .filter_map(|r| r.year_month.as_deref())
        .collect();
    assert_eq!(months, ["202504", "202505", "202506"]);
    for row in &out.rows {
        let bands = [
            row.age_30_or_under,
            row.age_40s,
            row.age_50s,
            row.age_60_or_over,
        ];
        assert_eq!(row.total, Some(bands.iter().flatten().sum::<u64>()));
        assert_eq!(row.region, None);
    }
}

#[tokio::test]
async fn bad_arguments_cost_no_request() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let info = subscription_info(
        &client,
        SubscriptionInfoArgs {
            region: Some("강남구".into()),
            ..Default::default()
        },
    )
    .await
    .expect_err("not an area");
    assert!(info.message().contains("address_contains"));
    let results = subscription_results(
        &client,
        SubscriptionResultsArgs {
            region: Some("서울".into()),
            ..SubscriptionResultsArgs::of(StatKind::WinnersByAge)
        },
    )
    .await
    .expect_err("nationwide table");
    assert!(results.message().contains("winners_by_region"));
    assert_eq!(upstream.requests(), 0);
}

#[tokio::test]
async fn upstream_failures_reach_the_tool_as_actionable_messages() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let no_key = odcloud_client_at(&upstream.base_url(), None, TOTAL_TIMEOUT);
    let missing = subscription_info(&no_key, SubscriptionInfoArgs::default())
        .await
        .expect_err("no key");
    assert!(missing.message().contains("ODCLOUD_API_KEY"));

    let wrong = odcloud_client_at(&upstream.base_url(), Some("wrong-key"), TOTAL_TIMEOUT);
    let rejected = subscription_results(
        &wrong,
        SubscriptionResultsArgs::of(StatKind::WinnersByRegion),
    )
    .await
    .expect_err("wrong key");
    assert!(rejected.message().contains("15110812"));
    assert!(!rejected.message().contains("wrong-key"));
    assert!(!rejected.message().contains(TEST_KEY));
}

#[tokio::test]
async fn the_merged_gwangju_jeonnam_is_explained_without_spending_a_request() {
    let upstream = OdcloudStandIn::start().await.unwrap();
    let client = odcloud_client(&upstream);
    let info = subscription_info(
        &client,
        SubscriptionInfoArgs {
            region: Some("전남광주통합특별시".into()),
            ..Default::default()
        },
    )
    .await
    .expect_err("two areas");
    let results = subscription_results(
        &client,
        SubscriptionResultsArgs {
            region: Some("전남광주".into()),
            ..SubscriptionResultsArgs::of(StatKind::CompetitionByRegion)
        },
    )
    .await
    .expect_err("two areas");
    for error in [info, results] {
        let message = error.message();
        for needle in ["2026-07", "광주 (500)", "전남 (513)", "two calls"] {
            assert!(message.contains(needle), "{needle}: {message}");
        }
    }
    assert_eq!(upstream.requests(), 0);
    // The old names still reach the two areas.
    let gwangju = subscription_results(
        &client,
        SubscriptionResultsArgs {
            region: Some("광주광역시".into()),
            ..SubscriptionResultsArgs::of(StatKind::CompetitionByRegion)
        },
    )
    .await
    .expect("광주 alone");
    assert_eq!(gwangju.filters, ["공급지역 = 광주 (500)"]);
}
