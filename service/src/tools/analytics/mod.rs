//! Market analytics over many months of MOLIT deals: `analyze_price_trend`,
//! `compare_regions`, `analyze_jeonse_ratio` and `get_complex_summary`.
//!
//! Each tool fetches whole months through the cached client ([`fetch`], bounded concurrency,
//! failures reported per month), filters with the transaction tools' filters, leaves out
//! cancelled deals and outliers by one documented rule ([`clean`]), and summarises with the
//! transaction tools' statistics, so a month reads the same here as in
//! `get_apartment_trades`. Every result carries a `source` block (months fetched, from cache,
//! upstream calls, failures) and an `excluded` block. Three tools can add a PNG chart
//! ([`chart`]). A question too large for today's request budgets is refused before it
//! spends anything, naming the newest months that fit ([`afford`]).

mod afford;
mod args;
mod bands;
mod chart;
mod clean;
mod compare;
mod complex;
mod complex_bands;
mod complex_match;
mod fetch;
mod jeonse;
mod jeonse_groups;
mod month_key;
mod notes;
mod output;
mod trend;

use crate::tools::ToolError;

pub use args::{DealType, MarketArgs, MonthRange, PropertyType};
pub use chart::Png;
pub use clean::{Exclusions, OUTLIER_RULE};
pub use compare::{
    CompareRegionsArgs, CompareRegionsOutput, MAX_COMPARE_MONTHS, RankBy, RegionRow,
    compare_regions,
};
pub use complex::{
    ComplexSummaryArgs, ComplexSummaryOutput, MAX_COMPLEX_MONTHS, get_complex_summary,
};
pub use complex_bands::{AreaBandSummary, ComplexInfo, RecordHigh};
pub use fetch::{AnalyticsSource, FailedMonth, FetchGroup};
pub use jeonse::{
    DEFAULT_CONVERSION_RATE_PCT, JeonseRatioArgs, JeonseRatioOutput, MAX_JEONSE_MONTHS,
    analyze_jeonse_ratio,
};
pub use jeonse_groups::{JeonseGroup, RatioSpread};
pub use month_key::MONTH_CONCURRENCY;
pub use output::{Coverage, Span};
pub use trend::{
    MAX_TREND_MONTHS, PriceTrendArgs, PriceTrendOutput, RangeChange, THIN_MONTH_DEALS, TrendMonth,
    analyze_price_trend,
};

/// A tool result with the chart asked for, if any. A chart that cannot be drawn leaves
/// `chart` empty and says why in the result's notes; the figures never depend on it.
#[derive(Debug, Clone)]
pub struct Charted<T> {
    /// The structured result.
    pub output: T,
    /// The PNG, when one was asked for and drawn.
    pub chart: Option<Png>,
}

/// A result with notes, where a chart that could not be drawn is explained.
trait Noted {
    fn notes(&mut self) -> &mut Vec<String>;
}

/// Draws the chart of `output` with `draw` when `wanted`; a failure becomes a note.
///
/// Drawing takes about 16 ms of CPU, long enough to stall every other call served by the
/// same async worker, so it runs on Tokio's blocking pool. A panic while drawing is caught
/// there and reported like any other drawing failure; only a runtime shutting down loses
/// the answer.
async fn charted<T, F>(output: T, wanted: bool, draw: F) -> Result<Charted<T>, ToolError>
where
    T: Noted + Send + 'static,
    F: FnOnce(&T) -> Result<Png, chart::ChartError> + Send + 'static,
{
    if !wanted {
        return Ok(Charted {
            output,
            chart: None,
        });
    }
    let drawn = tokio::task::spawn_blocking(move || {
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(&output)));
        (output, drawn)
    })
    .await;
    let Ok((mut output, drawn)) = drawn else {
        return Err(ToolError::new(
            "The server is shutting down and could not finish the answer; ask again in a \
             moment.",
        ));
    };
    let error = match drawn {
        Ok(Ok(png)) => {
            return Ok(Charted {
                output,
                chart: Some(png),
            });
        }
        Ok(Err(error)) => error.to_string(),
        Err(_) => "the chart code failed".to_owned(),
    };
    log::warn!("chart not drawn: {error}");
    output.notes().push(format!(
        "The chart could not be drawn ({error}); every figure above is complete."
    ));
    Ok(Charted {
        output,
        chart: None,
    })
}

#[cfg(test)]
mod tests;
