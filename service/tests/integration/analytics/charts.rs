//! Every chart type: an 800×450 PNG that decodes and shows what was drawn.

use real_estate_mcp::tools::analytics::{
    CompareRegionsArgs, JeonseRatioArgs, MarketArgs, PriceTrendArgs, analyze_jeonse_ratio,
    analyze_price_trend, compare_regions,
};
use testkit::molit::{Kind, MolitStandIn};

use super::{BAR, INK, KEY, client, pixels_of, regions, trend_args};

#[tokio::test]
async fn every_chart_type_decodes_as_an_800_by_450_png_with_ink() {
    let stand_in = MolitStandIn::start(KEY).await.unwrap();
    for month in 1..=6 {
        let month = format!("2024{month:02}");
        stand_in.put_generated(Kind::AptTrade, "11680", &month, 90);
        stand_in.put_generated(Kind::AptRent, "11680", &month, 90);
        stand_in.put_generated(Kind::AptTrade, "11440", &month, 30);
    }
    let client = client(&stand_in, KEY);
    let regions = regions();
    let trend = analyze_price_trend(
        &client,
        &regions,
        &PriceTrendArgs {
            chart: Some(true),
            ..trend_args("11680", "202401", "202406")
        },
    )
    .await
    .unwrap();
    let png = trend.chart.as_ref().expect("trend chart");
    assert!(pixels_of(png, INK) > 200, "the price line");
    assert!(pixels_of(png, BAR) > 5_000, "the count bars");
    assert!(png.bytes.len() < 200_000, "{} bytes", png.bytes.len());

    let unasked = analyze_price_trend(&client, &regions, &trend_args("11680", "202401", "202406"))
        .await
        .unwrap();
    assert!(unasked.chart.is_none());

    let compare = compare_regions(
        &client,
        &regions,
        &CompareRegionsArgs {
            regions: vec!["11680".into(), "11440".into()],
            market: MarketArgs::months("202401", "202406"),
            chart: Some(true),
            ..CompareRegionsArgs::default()
        },
    )
    .await
    .unwrap();
    assert!(pixels_of(compare.chart.as_ref().expect("bar chart"), BAR) > 10_000);

    let jeonse = analyze_jeonse_ratio(
        &client,
        &regions,
        &JeonseRatioArgs {
            region_code: "11680".into(),
            market: MarketArgs::months("202401", "202406"),
            chart: Some(true),
            ..JeonseRatioArgs::default()
        },
    )
    .await
    .unwrap();
    let scatter = jeonse.chart.as_ref().expect("scatter");
    assert!(jeonse.output.ratio.is_some());
    // Points are drawn with transparency over white, so look for their blended colour.
    let mut reader = png::Decoder::new(std::io::Cursor::new(&scatter.bytes))
        .read_info()
        .unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let bluish = buffer[..frame.buffer_size()]
        .chunks(3)
        .filter(|px| px[2] > 150 && px[0] < 120)
        .count();
    assert!(bluish > 500, "{bluish} point pixels");
}
