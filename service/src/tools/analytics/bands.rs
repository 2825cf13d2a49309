//! Area bands: like-for-like groups of flat sizes, on exclusive area (전용면적).
//!
//! The bands are the size classes Korean housing statistics use (한국부동산원): up to 40㎡,
//! 40–60㎡, 60–85㎡ (국민평형, "34평" = 84㎡ exclusive), 85–102㎡, 102–135㎡, over 135㎡.
//! Upper bounds are inclusive, so 84.99㎡ and 85㎡ both fall in 60–85㎡ as the law counts
//! them.

/// Upper bounds (inclusive) and labels, smallest first; the last band has no upper bound.
const BANDS: [(f64, &str); 6] = [
    (40.0, "≤40㎡"),
    (60.0, "40–60㎡"),
    (85.0, "60–85㎡"),
    (102.0, "85–102㎡"),
    (135.0, "102–135㎡"),
    (f64::INFINITY, ">135㎡"),
];

/// The band an exclusive area falls in.
pub(super) fn band_of(area_m2: f64) -> &'static str {
    BANDS
        .iter()
        .find(|(upper, _)| area_m2 <= *upper)
        .map_or(BANDS[BANDS.len() - 1].1, |(_, label)| label)
}

/// Position of a band label in size order, for sorting.
pub(super) fn band_order(label: &str) -> usize {
    BANDS
        .iter()
        .position(|(_, l)| *l == label)
        .unwrap_or(BANDS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_statistical_size_classes() {
        assert_eq!(band_of(39.6), "≤40㎡");
        assert_eq!(band_of(59.97), "40–60㎡");
        assert_eq!(band_of(84.9981), "60–85㎡");
        assert_eq!(band_of(85.0), "60–85㎡");
        assert_eq!(band_of(85.01), "85–102㎡");
        assert_eq!(band_of(114.73), "102–135㎡");
        assert_eq!(band_of(250.0), ">135㎡");
        assert!(band_order("≤40㎡") < band_order(">135㎡"));
    }
}
