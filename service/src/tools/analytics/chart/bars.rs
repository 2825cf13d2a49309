//! The comparison chart: one bar per district in rank order, the ranked figure written above
//! each bar with its deal count; thin districts in grey.

use plotters::prelude::{IntoFont, IntoSegmentedCoord, Rectangle, SegmentValue, Text};
use plotters::style::{
    Color,
    text_anchor::{HPos, Pos, VPos},
};

use super::{
    BAR, ChartError, FAMILY, GREY_TEXT, MUTED, Png, faint, footnote, frame, headroom, last_index,
    manwon_label, month_label, render, short_region, thousands,
};
use crate::tools::analytics::{
    CompareRegionsOutput, RankBy, RegionRow, THIN_MONTH_DEALS, clean::headline_count,
};

/// Draws the comparison chart of `output`.
pub(crate) fn region_comparison(output: &CompareRegionsOutput) -> Result<Png, ChartError> {
    let rows: Vec<&RegionRow> = output.regions.iter().collect();
    let n = last_index(rows.len());
    let labels = labels(&rows);
    let top = headroom(rows.iter().filter_map(|r| r.rank_value).fold(0.0, f64::max));
    let (what, value_label): (&str, fn(f64) -> String) = match output.rank_by {
        RankBy::MedianPricePerM2 => ("㎡당 중위가", |v| manwon_label(v)),
        RankBy::MedianPrice => ("중위가", |v| manwon_label(v)),
        RankBy::DealCount => ("거래 건수", |v| {
            format!("{}건", thousands(v.round() as i64))
        }),
    };
    let period = if output.span.from_month == output.span.to_month {
        month_label(&output.span.from_month)
    } else {
        format!(
            "{}–{}",
            month_label(&output.span.from_month),
            month_label(&output.span.to_month)
        )
    };
    let title = format!("{} {what} 비교 · {period}", output.property_type);
    render(|root| {
        let mut chart = frame(root, title, 40, 70)
            .build_cartesian_2d((0..n).into_segmented(), 0f64..top)
            .map_err(ChartError::new)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(faint())
            .x_labels(rows.len().max(1))
            .x_label_formatter(&|value| match value {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(6)
            .y_label_formatter(&|v| value_label(*v))
            .y_desc(what)
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(ChartError::new)?;
        let bars = rows.iter().enumerate().filter_map(|(i, row)| {
            let value = row.rank_value?;
            let i = i as u32;
            let colour = if row.thin { MUTED } else { BAR };
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), value),
                ],
                colour.filled(),
            );
            bar.set_margin(0, 0, 12, 12);
            Some(bar)
        });
        chart.draw_series(bars).map_err(ChartError::new)?;
        let anchor = Pos::new(HPos::Center, VPos::Bottom);
        let style = (FAMILY, 13).into_font().color(&GREY_TEXT).pos(anchor);
        let captions = rows.iter().enumerate().filter_map(|(i, row)| {
            let value = row.rank_value?;
            let text = format!(
                "{} ({}건)",
                value_label(value),
                thousands(i64::from(headline_count(&row.summary)))
            );
            Some(Text::new(
                text,
                (SegmentValue::CenterOf(i as u32), value + top * 0.01),
                style.clone(),
            ))
        });
        chart.draw_series(captions).map_err(ChartError::new)?;
        let empty = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.rank_value.is_none());
        let none = empty.map(|(i, _)| {
            Text::new(
                "거래 없음",
                (SegmentValue::CenterOf(i as u32), 0.0),
                style.clone(),
            )
        });
        chart.draw_series(none).map_err(ChartError::new)?;
        footnote(
            root,
            &format!(
                "순위 기준: {what} · 취소·이상치 제외 · 회색: 거래 {THIN_MONTH_DEALS}건 미만 · 출처: 국토교통부 실거래가"
            ),
        )
    })
}

/// Short district names, or full ones when two short names would read the same (서울 중구
/// and 부산 중구).
fn labels(rows: &[&RegionRow]) -> Vec<String> {
    let short: Vec<&str> = rows.iter().map(|r| short_region(&r.region.name)).collect();
    let unique = short
        .iter()
        .enumerate()
        .all(|(i, name)| !short[..i].contains(name));
    if unique {
        short.into_iter().map(str::to_owned).collect()
    } else {
        rows.iter().map(|r| r.region.name.clone()).collect()
    }
}
