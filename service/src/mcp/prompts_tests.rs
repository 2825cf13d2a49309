use chrono::TimeZone;
use rmcp::model::ContentBlock;

use super::*;

/// 1 December 2026, 00:30 in Seoul (still 30 November in UTC).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 15, 30, 0).unwrap()
}

fn regions() -> std::sync::Arc<RegionIndex> {
    RegionIndex::builtin_shared().unwrap()
}

fn text(result: &GetPromptResult) -> &str {
    assert_eq!(result.messages.len(), 1);
    assert_eq!(result.messages[0].role, Role::User);
    match &result.messages[0].content {
        ContentBlock::Text(text) => &text.text,
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn a_price_trend_names_the_tool_with_the_code_and_months_filled_in() {
    let args = PriceTrendPrompt {
        region: "마포구".into(),
        months: Some("6".into()),
        area: Some("34평".into()),
        ..Default::default()
    };
    let result = price_trend(&regions(), &args, now()).unwrap();
    let text = text(&result);
    assert!(text.contains("analyze_price_trend"), "{text}");
    assert!(text.contains("region_code \"11440\""), "{text}");
    // The newest month (202612 in Korea) still fills up: six months ending with 202611.
    assert!(
        text.contains("from_month \"202606\", to_month \"202611\""),
        "{text}"
    );
    assert!(text.contains("property_type \"apartment\""), "{text}");
    assert!(text.contains("deal_type \"trade\""), "{text}");
    assert!(text.contains("area_min/area_max"), "{text}");
    assert!(result.description.unwrap().contains("서울특별시 마포구"));
}

#[test]
fn korean_type_names_map_to_the_tools_values() {
    let args = PriceTrendPrompt {
        region: "11440".into(),
        property_type: Some("오피스텔".into()),
        deal_type: Some("전세".into()),
        ..Default::default()
    };
    let result = price_trend(&regions(), &args, now()).unwrap();
    let text = text(&result);
    assert!(text.contains("property_type \"officetel\""), "{text}");
    assert!(text.contains("deal_type \"rent\""), "{text}");
    assert!(text.contains("from_month \"202512\""), "{text}");
}

#[test]
fn an_ambiguous_region_is_passed_on_for_the_model_to_ask_about() {
    let args = PriceTrendPrompt {
        region: "중구".into(),
        ..Default::default()
    };
    let result = price_trend(&regions(), &args, now()).unwrap();
    assert!(text(&result).contains("region_code \"중구\""));
}

#[test]
fn bad_arguments_are_invalid_params_naming_the_argument() {
    let cases = [
        PriceTrendPrompt {
            region: " ".into(),
            ..Default::default()
        },
        PriceTrendPrompt {
            region: "마포구".into(),
            months: Some("40".into()),
            ..Default::default()
        },
        PriceTrendPrompt {
            region: "마포구".into(),
            property_type: Some("성".into()),
            ..Default::default()
        },
        PriceTrendPrompt {
            region: "마포구".into(),
            deal_type: Some("buy".into()),
            ..Default::default()
        },
    ];
    for (args, argument) in cases
        .iter()
        .zip(["region", "months", "property_type", "deal_type"])
    {
        let error = price_trend(&regions(), args, now()).unwrap_err();
        assert_eq!(error.code, rmcp::model::ErrorCode::INVALID_PARAMS);
        assert!(
            error.message.contains(&format!("`{argument}`")),
            "{error:?}"
        );
    }
}

#[test]
fn a_jeonse_check_adds_the_complex_summary_when_a_complex_is_named() {
    let plain = JeonseCheckPrompt {
        region: "노원구".into(),
        ..Default::default()
    };
    let result = jeonse_check(&regions(), &plain, now()).unwrap();
    let text_plain = text(&result);
    assert!(text_plain.contains("analyze_jeonse_ratio"), "{text_plain}");
    assert!(text_plain.contains("from_month \"202606\""), "{text_plain}");
    assert!(!text_plain.contains("get_complex_summary"), "{text_plain}");

    let with_complex = JeonseCheckPrompt {
        complex: Some("은마".into()),
        months: Some("3개월".into()),
        ..plain
    };
    let result = jeonse_check(&regions(), &with_complex, now()).unwrap();
    let text = text(&result);
    assert!(text.contains("complex_name \"은마\""), "{text}");
    assert!(text.contains("from_month \"202609\""), "{text}");
}

#[test]
fn a_subscription_digest_counts_days_back_from_today_in_korea() {
    let args = SubscriptionDigestPrompt {
        region: Some("서울".into()),
        days: None,
    };
    let result = subscription(&args, now()).unwrap();
    let digest = text(&result);
    assert!(digest.contains("get_apt_subscription_info"), "{digest}");
    assert!(digest.contains("region \"서울\""), "{digest}");
    // 30 days before 1 December 2026 (Seoul).
    assert!(
        digest.contains("notice_date_from \"2026-11-01\""),
        "{digest}"
    );
    assert!(digest.contains("get_apt_subscription_detail"), "{digest}");

    let nationwide = subscription(&SubscriptionDigestPrompt::default(), now()).unwrap();
    assert!(!text(&nationwide).contains("region \""));
}
