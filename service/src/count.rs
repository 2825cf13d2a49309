//! Counts as the `u32` the outputs, cache weights and page tallies use: a leaf every layer
//! may import, so none writes the conversion by hand.

/// A count or length as a `u32`, saturating: no real count comes near the limit, and a figure
/// that did would read as "at least this many".
pub fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
