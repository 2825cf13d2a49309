//! The trend chart: median price per 평 as a line (left axis) over deal-count bars (right
//! axis). Thin months are drawn as hollow grey points and grey bars, and the line breaks
//! where a month is missing.

use plotters::prelude::{Circle, IntoSegmentedCoord, LineSeries, Rectangle, SegmentValue};
use plotters::style::{Color, ShapeStyle};

use super::{
    BAR, ChartError, FAMILY, INK, MUTED, Png, district_title, faint, footnote, frame, last_index,
    manwon_label, month_label, render, thousands,
};
use crate::tools::analytics::{
    PriceTrendOutput, THIN_MONTH_DEALS,
    clean::{headline_count, headline_per_pyeong},
};

/// Draws the trend chart of `output`.
pub(crate) fn trend(output: &PriceTrendOutput) -> Result<Png, ChartError> {
    let months = &output.months;
    let n = last_index(months.len());
    let values: Vec<Option<f64>> = months
        .iter()
        .map(|m| headline_per_pyeong(&m.summary))
        .collect();
    // Thin months get a hollow point but no line: one odd sale must not look like a move.
    let solid: Vec<Option<f64>> = months
        .iter()
        .zip(&values)
        .map(|(m, v)| v.filter(|_| !m.thin))
        .collect();
    let counts: Vec<u32> = months.iter().map(|m| headline_count(&m.summary)).collect();
    let (low, high) = value_span(&values);
    // Bars fill the lower half at most and the line sits in the upper part, so neither hides
    // the other.
    let top_count = ((f64::from(counts.iter().copied().max().unwrap_or(0)) * 2.2).ceil() as u32)
        .max(THIN_MONTH_DEALS * 2);
    let title = district_title(
        &output.region.name,
        &output.property_type,
        "평당 중위가",
        &output.span.from_month,
        &output.span.to_month,
    );
    render(|root| {
        let mut chart = frame(root, title, 36, 70)
            .right_y_label_area_size(56)
            .build_cartesian_2d((0..n).into_segmented(), low..high)
            .map_err(ChartError::new)?
            .set_secondary_coord((0..n).into_segmented(), 0u32..top_count);
        let step = (months.len() / 12).max(1);
        let label_of = |value: &SegmentValue<u32>| match value {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => months
                .get(*i as usize)
                .filter(|_| (*i as usize).is_multiple_of(step))
                .map(|m| month_label(&m.year_month))
                .unwrap_or_default(),
            SegmentValue::Last => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(faint())
            .x_labels(months.len().max(1))
            .x_label_formatter(&label_of)
            .y_labels(6)
            .y_label_formatter(&|v| manwon_label(*v))
            .y_desc("평당 중위가")
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(ChartError::new)?;
        chart
            .configure_secondary_axes()
            .y_labels(6)
            .y_label_formatter(&|v| thousands(i64::from(*v)))
            .y_desc("거래 건수")
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(ChartError::new)?;
        let bars = months
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (m, count))| {
                let i = i as u32;
                let colour = if m.thin { MUTED } else { BAR };
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0),
                        (SegmentValue::Exact(i + 1), *count),
                    ],
                    colour.filled(),
                );
                bar.set_margin(0, 0, 3, 3);
                bar
            });
        chart.draw_secondary_series(bars).map_err(ChartError::new)?;
        for run in runs(&solid) {
            let points = run.iter().map(|(i, v)| (SegmentValue::CenterOf(*i), *v));
            chart
                .draw_series(LineSeries::new(points, INK.stroke_width(2)))
                .map_err(ChartError::new)?;
        }
        let dots = months
            .iter()
            .zip(&values)
            .enumerate()
            .filter_map(|(i, (m, v))| {
                let style: ShapeStyle = if m.thin {
                    MUTED.stroke_width(2)
                } else {
                    INK.filled()
                };
                v.map(|v| Circle::new((SegmentValue::CenterOf(i as u32), v), 4, style))
            });
        chart.draw_series(dots).map_err(ChartError::new)?;
        footnote(
            root,
            &format!(
                "선: 전용면적 평당 중위가(만원, 취소·이상치 제외) · 막대: 거래 건수 · 회색: 거래 {THIN_MONTH_DEALS}건 미만 · 출처: 국토교통부 실거래가"
            ),
        )
    })
}

/// The price axis: fitted to the values rather than from zero, so a 3 % move shows (the
/// labels carry the scale), with more room below so the line clears the count bars.
fn value_span(values: &[Option<f64>]) -> (f64, f64) {
    let (low, high) = values
        .iter()
        .flatten()
        .fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    if !low.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((high - low) * 0.25).max(high * 0.05).max(1.0);
    ((low - 3.0 * pad).max(0.0), high + pad)
}

/// Consecutive months that have a value, as (index, value) runs: the line breaks at gaps.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(u32, f64)>> {
    let mut runs: Vec<Vec<(u32, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) => current.push((i as u32, *v)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_breaks_at_missing_months() {
        let values = [Some(1.0), None, Some(2.0), Some(3.0), None];
        assert_eq!(
            runs(&values),
            vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]
        );
        assert!(runs(&[None, None]).is_empty());
    }

    #[test]
    fn the_price_axis_is_padded_around_the_values() {
        let (low, high) = value_span(&[Some(6_000.0), None, Some(6_400.0)]);
        assert!(low > 4_000.0 && low < 6_000.0, "{low}");
        assert!(high > 6_400.0 && high < 7_000.0, "{high}");
        assert_eq!(value_span(&[None]), (0.0, 1.0));
    }
}
