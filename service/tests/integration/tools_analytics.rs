//! The analytics tools over MCP: declared with schemas and annotations, structured content
//! always, a PNG image block next to it when a chart is asked for, and tool errors a model
//! can act on.

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};
use testkit::molit::{Item, Kind, MolitStandIn};

use crate::helpers::app::TestApp;
use crate::helpers::mcp::declared;
use crate::helpers::stand_ins::spawn_app_for;

const KEY: &str = "mcp-analytics-key";
const TOOLS: [&str; 4] = [
    "analyze_price_trend",
    "compare_regions",
    "analyze_jeonse_ratio",
    "get_complex_summary",
];

async fn app_with_data() -> (MolitStandIn, TestApp) {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    for month in ["202403", "202404", "202405"] {
        stand_in.put_generated(Kind::AptTrade, "11680", month, 120);
        stand_in.put_generated(Kind::AptRent, "11680", month, 120);
        stand_in.put_generated(Kind::AptTrade, "11440", month, 60);
    }
    let app = spawn_app_for(&stand_in, KEY).await;
    (stand_in, app)
}

fn image_blocks(result: &Value) -> Vec<&Value> {
    result["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|block| block["type"] == "image")
        .collect()
}

#[tokio::test]
async fn the_analytics_tools_are_listed_with_output_schemas_and_annotations() {
    let (_stand_in, app) = app_with_data().await;
    let listed = app.list_tools().await;
    for name in TOOLS {
        let tool = declared(&listed, name);
        assert_eq!(tool["outputSchema"]["type"], "object", "{name}");
        assert!(
            tool["outputSchema"]["properties"]["source"].is_object(),
            "{name}: source"
        );
        assert!(
            tool["outputSchema"]["properties"]["excluded"].is_object(),
            "{name}: excluded"
        );
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{name}");
        assert_eq!(tool["annotations"]["openWorldHint"], true, "{name}");
        assert!(tool["title"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let trend = declared(&listed, "analyze_price_trend");
    assert!(trend["inputSchema"]["properties"]["chart"].is_object());
    assert!(trend["outputSchema"]["properties"]["months"].is_object());
}

#[tokio::test]
async fn a_trend_with_chart_carries_structured_content_text_and_a_png() {
    let (stand_in, app) = app_with_data().await;
    let result = app
        .call_tool(
            "analyze_price_trend",
            json!({"region_code": 11680, "from_month": 202403, "to_month": "202405", "chart": true}),
        )
        .await;
    assert_ne!(result["isError"], true, "{result}");
    let structured = &result["structuredContent"];
    assert_eq!(structured["months"].as_array().unwrap().len(), 3);
    assert_eq!(structured["source"]["upstream_calls"], 3);
    assert_eq!(structured["source"]["cached"], false);
    let text = result["content"][0]["text"].as_str().unwrap();
    let echoed: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        &echoed, structured,
        "the text block repeats the structured content"
    );
    let images = image_blocks(&result);
    assert_eq!(images.len(), 1);
    assert_eq!(images[0]["mimeType"], "image/png");
    let png = STANDARD
        .decode(images[0]["data"].as_str().unwrap())
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(stand_in.requests(), 3);

    let plain = app
        .call_tool(
            "analyze_price_trend",
            json!({"region_code": "강남구", "from_month": "202403", "to_month": "202405"}),
        )
        .await;
    assert!(image_blocks(&plain).is_empty());
    assert_eq!(plain["structuredContent"]["source"]["cached"], true);
    assert_eq!(
        stand_in.requests(),
        3,
        "the second call is served from cache"
    );
}

#[tokio::test]
async fn comparison_and_jeonse_ratio_answer_over_mcp() {
    let (_stand_in, app) = app_with_data().await;
    let compared = app
        .call_tool(
            "compare_regions",
            json!({"regions": ["강남구", 11440], "from_month": "202403", "chart": true}),
        )
        .await;
    assert_ne!(compared["isError"], true, "{compared}");
    let rows = compared["structuredContent"]["regions"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(image_blocks(&compared).len(), 1);

    let ratio = app
        .call_tool(
            "analyze_jeonse_ratio",
            json!({"region_code": "11680", "from_month": "202403", "to_month": "202405",
                   "include_wolse": true, "conversion_rate_pct": 4.5}),
        )
        .await;
    assert_ne!(ratio["isError"], true, "{ratio}");
    let structured = &ratio["structuredContent"];
    assert!(structured["ratio"]["median_pct"].as_f64().unwrap() > 0.0);
    assert_eq!(structured["wolse_conversion"]["rate_pct"], 4.5);
    assert!(image_blocks(&ratio).is_empty());
}

#[tokio::test]
async fn an_ambiguous_complex_is_a_tool_error_listing_the_choices() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    let sale = |name: &str, dong: &str| {
        Item::blank(Kind::AptTrade)
            .set("aptNm", name)
            .set("umdNm", dong)
            .set("excluUseAr", "84.9")
            .set("dealYear", "2024")
            .set("dealMonth", "3")
            .set("dealDay", "4")
            .price(150_000)
    };
    stand_in.put_month(
        Kind::AptTrade,
        "11680",
        "202403",
        vec![
            sale("현대", "압구정동"),
            sale("현대", "대치동"),
            sale("은마", "대치동"),
        ],
    );
    let app = spawn_app_for(&stand_in, KEY).await;
    let result = app
        .call_tool(
            "get_complex_summary",
            json!({"region_code": "11680", "complex_name": "현대", "from_month": "202403",
                   "to_month": "202403"}),
        )
        .await;
    assert_eq!(result["isError"], true, "{result}");
    let message = result["content"][0]["text"].as_str().unwrap();
    assert!(message.contains("현대 (압구정동"), "{message}");
    assert!(message.contains("현대 (대치동"), "{message}");
    assert!(message.contains("`dong`"), "{message}");

    let chosen = app
        .call_tool(
            "get_complex_summary",
            json!({"region_code": "11680", "complex_name": "현대", "dong": "압구정",
                   "from_month": "202403", "to_month": "202403"}),
        )
        .await;
    assert_ne!(chosen["isError"], true, "{chosen}");
    assert_eq!(chosen["structuredContent"]["complex"]["dong"], "압구정동");
    assert_eq!(chosen["structuredContent"]["source"]["cached"], true);
}
