//! The 전세가율 scatter: one point per complex and area band, median sale price across,
//! ratio up; thin groups hollow and grey; a dashed line at the district's median ratio.

use plotters::prelude::{Circle, DashedLineSeries};
use plotters::style::{Color, ShapeStyle};

use super::{
    ChartError, FAMILY, INK, MUTED, Png, district_title, faint, footnote, frame, headroom,
    manwon_label, render,
};
use crate::tools::analytics::{JeonseGroup, JeonseRatioOutput};

/// Draws the scatter of `groups` (every matched group, not only those listed) for `output`.
pub(crate) fn jeonse_ratio(
    output: &JeonseRatioOutput,
    groups: &[JeonseGroup],
) -> Result<Png, ChartError> {
    let right = headroom(
        groups
            .iter()
            .map(|g| g.median_trade_manwon)
            .fold(0.0, f64::max),
    );
    let top = groups
        .iter()
        .map(|g| g.ratio_pct)
        .fold(100.0, f64::max)
        .ceil();
    let median = output.ratio.as_ref().map(|r| r.median_pct);
    let title = district_title(
        &output.region.name,
        &output.property_type,
        "전세가율 (단지·면적대별)",
        &output.span.from_month,
        &output.span.to_month,
    );
    render(|root| {
        let mut chart = frame(root, title, 40, 56)
            .build_cartesian_2d(0f64..right, 0f64..top)
            .map_err(ChartError::new)?;
        chart
            .configure_mesh()
            .light_line_style(faint())
            .x_labels(8)
            .x_label_formatter(&|v| manwon_label(*v))
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .x_desc("매매 중위가")
            .y_desc("전세가율")
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(ChartError::new)?;
        if let Some(median) = median {
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, median), (right, median)],
                    8,
                    6,
                    INK.stroke_width(1),
                ))
                .map_err(ChartError::new)?;
        }
        let points = groups.iter().map(|g| {
            let style: ShapeStyle = if g.thin {
                MUTED.stroke_width(2)
            } else {
                INK.mix(0.7).filled()
            };
            Circle::new((g.median_trade_manwon, g.ratio_pct), 5, style)
        });
        chart.draw_series(points).map_err(ChartError::new)?;
        let median_text =
            median.map_or(String::new(), |m| format!("점선: 중위 전세가율 {m:.1}% · "));
        footnote(
            root,
            &format!(
                "점: 단지·면적대 ({}개) · {median_text}회색: 매매 또는 전세 3건 미만 · 출처: 국토교통부 실거래가",
                groups.len()
            ),
        )
    })
}
