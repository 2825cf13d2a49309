//! PNG charts drawn in-process: a trend line over deal-count bars, a region comparison bar
//! chart and a 전세가율 scatter.
//!
//! Drawing uses `plotters` on an RGB bitmap with a bundled Hangul font (NanumSquare, OFL,
//! `service/assets/fonts/`), so no system font, fontconfig or network is involved, and the
//! bitmap is encoded with `png`. Charts are 800×450: readable in a chat window without
//! zooming, and 20–40 KB each.

mod bars;
mod scatter;
mod trend;

use std::{fmt, sync::OnceLock};

use crate::count::count_u32;

use plotters::{
    coord::Shift,
    prelude::{BitMapBackend, ChartBuilder, DrawingArea, IntoDrawingArea, IntoFont},
    style::{Color, FontStyle, RGBColor, WHITE, register_font},
};

pub(super) use bars::region_comparison;
pub(super) use scatter::jeonse_ratio;
pub(super) use trend::trend;

/// Chart width in pixels.
pub(super) const WIDTH: u32 = 800;
/// Chart height in pixels.
pub(super) const HEIGHT: u32 = 450;

/// The bundled font (see `service/assets/fonts/README.md` for source and licence).
static FONT: &[u8] = include_bytes!("../../../../assets/fonts/NanumSquareR.ttf");
/// The family every text style names; plotters looks fonts up by family.
const FAMILY: &str = "sans-serif";

/// Line and point colour.
const INK: RGBColor = RGBColor(33, 102, 172);
/// Bar colour.
const BAR: RGBColor = RGBColor(158, 202, 225);
/// Colour of flagged (thin) data.
const MUTED: RGBColor = RGBColor(189, 189, 189);
/// Colour of explanatory text.
const GREY_TEXT: RGBColor = RGBColor(90, 90, 90);

/// An encoded chart.
#[derive(Clone, PartialEq, Eq)]
pub struct Png {
    /// The PNG file.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl fmt::Debug for Png {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Png({}×{}, {} bytes)",
            self.width,
            self.height,
            self.bytes.len()
        )
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChartError(String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

impl ChartError {
    pub(super) fn new(detail: impl fmt::Display) -> Self {
        Self(detail.to_string())
    }
}

/// Registers the bundled font once per process.
fn font_ready() -> Result<(), ChartError> {
    static READY: OnceLock<bool> = OnceLock::new();
    let ok = *READY.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError::new(
            "the bundled chart font could not be loaded",
        ))
    }
}

/// Draws with `paint` on a white 800×450 canvas and encodes the result as PNG.
fn render(
    paint: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<Png, ChartError> {
    font_ready()?;
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(ChartError::new)?;
        paint(&root)?;
        root.present().map_err(ChartError::new)?;
    }
    encode(&pixels)
}

fn encode(rgb: &[u8]) -> Result<Png, ChartError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(ChartError::new)?;
        writer.write_image_data(rgb).map_err(ChartError::new)?;
        writer.finish().map_err(ChartError::new)?;
    }
    Ok(Png {
        bytes,
        width: WIDTH,
        height: HEIGHT,
    })
}

/// An amount in 만원 as people say it: `12.3억` from 1억 up, `8,500만` below, `0` for zero.
fn manwon_label(value: f64) -> String {
    if value.abs() < 0.5 {
        "0".to_owned()
    } else if value.abs() >= 10_000.0 {
        format!("{:.1}억", value / 10_000.0)
    } else {
        format!("{}만", thousands(value.round() as i64))
    }
}

/// `8500` → `8,500`.
fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `202503` → `25.03`: short enough for 36 labels on one axis.
fn month_label(year_month: &str) -> String {
    match (year_month.get(2..4), year_month.get(4..6)) {
        (Some(year), Some(month)) => format!("{year}.{month}"),
        _ => year_month.to_owned(),
    }
}

/// The last index of `len` categories: plotters' integer ranges include their end, so
/// `0..=last` segmented gives exactly `len` slots.
fn last_index(len: usize) -> u32 {
    count_u32(len.saturating_sub(1))
}

/// Faint grid lines: the default fine mesh crowds a small chart.
fn faint() -> plotters::style::RGBAColor {
    plotters::style::BLACK.mix(0.06)
}

/// A ceiling with headroom for labels above the highest value.
fn headroom(max: f64) -> f64 {
    if max <= 0.0 { 1.0 } else { max * 1.15 }
}

/// A note line under the plot, in grey.
/// The frame every chart shares: the title on top, the margins and the label areas.
fn frame<'a, 'b>(
    root: &'a DrawingArea<BitMapBackend<'b>, Shift>,
    title: String,
    x_label_area: u32,
    y_label_area: u32,
) -> ChartBuilder<'a, 'b, BitMapBackend<'b>> {
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, (FAMILY, 22).into_font())
        .margin(14)
        .margin_bottom(34)
        .x_label_area_size(x_label_area)
        .y_label_area_size(y_label_area);
    builder
}

/// "마포구 아파트 {what} · 2024.03–2024.08": one district's chart over a range of months.
fn district_title(region: &str, property_type: &str, what: &str, from: &str, to: &str) -> String {
    format!(
        "{} {property_type} {what} · {}–{}",
        short_region(region),
        month_label(from),
        month_label(to)
    )
}

/// `서울특별시 마포구` → `마포구`; a one-word name stays whole.
fn short_region(name: &str) -> &str {
    match name.split_once(' ') {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => name,
    }
}

fn footnote(root: &DrawingArea<BitMapBackend<'_>, Shift>, text: &str) -> Result<(), ChartError> {
    use plotters::prelude::{IntoFont, Text};
    let style = (FAMILY, 13).into_font().color(&GREY_TEXT.mix(1.0));
    let y = i32::try_from(HEIGHT).unwrap_or(i32::MAX) - 20;
    root.draw(&Text::new(text.to_owned(), (16, y), style))
        .map_err(ChartError::new)
}

#[cfg(test)]
mod tests;
