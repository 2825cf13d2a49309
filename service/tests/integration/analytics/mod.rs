//! The analytics tools end to end below the protocol: the stand-in gateway, the month cache,
//! bounded fetching, partial failures, exclusions, matching and charts.

mod budget;
mod charts;
mod compare;
mod pairs;
mod trend;

use real_estate_mcp::{
    budget::BudgetLimits,
    regions::RegionIndex,
    tools::analytics::{MarketArgs, Png, PriceTrendArgs},
    upstream::molit::MolitClient,
};
use testkit::molit::{Item, Kind, MolitStandIn};

use crate::helpers::upstream::budgeted_molit_client;

pub(crate) const KEY: &str = "analytics+key/==";

/// The client the analytics tests use: charged to an in-memory budget without limits, as the
/// server's client is charged to its own.
pub(crate) fn client(stand_in: &MolitStandIn, key: &str) -> MolitClient {
    budgeted_molit_client(stand_in, Some(key), BudgetLimits::default())
}

pub(crate) fn regions() -> std::sync::Arc<RegionIndex> {
    RegionIndex::builtin_shared().unwrap()
}

pub(crate) fn trend_args(region: &str, from: &str, to: &str) -> PriceTrendArgs {
    PriceTrendArgs {
        region_code: region.into(),
        market: MarketArgs::months(from, to),
        ..PriceTrendArgs::default()
    }
}

pub(crate) fn amount(item: &Item, tag: &str) -> u64 {
    item.get(tag).unwrap().replace(',', "").parse().unwrap()
}

/// An apartment sale of `name` in `dong`: `area` ㎡, `price` 만원, on 2024-`month`-`day`.
pub(crate) fn sale(name: &str, dong: &str, area: &str, price: u64, month: u32, day: u32) -> Item {
    deal(Kind::AptTrade, name, dong, area, month, day)
        .set("floor", "7")
        .price(price)
}

/// An apartment lease of `name` in `dong`: deposit and monthly rent in 만원, on 2024-`month`-10.
pub(crate) fn lease(
    name: &str,
    dong: &str,
    area: &str,
    deposit: u64,
    rent: u64,
    month: u32,
) -> Item {
    deal(Kind::AptRent, name, dong, area, month, 10).lease(deposit, rent)
}

/// What sales and leases share: a 2015 complex, the 동, the area and the day in 2024.
fn deal(kind: Kind, name: &str, dong: &str, area: &str, month: u32, day: u32) -> Item {
    Item::blank(kind)
        .set("aptNm", name)
        .set("umdNm", dong)
        .set("excluUseAr", area)
        .set("dealYear", "2024")
        .set("dealMonth", month.to_string())
        .set("dealDay", day.to_string())
        .set("buildYear", "2015")
}

/// Decodes `png` and counts pixels of exactly `colour`.
pub(crate) fn pixels_of(png: &Png, colour: [u8; 3]) -> usize {
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png.bytes))
        .read_info()
        .unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    assert_eq!((frame.width, frame.height), (800, 450));
    assert_eq!((png.width, png.height), (800, 450));
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    buffer[..frame.buffer_size()]
        .chunks(3)
        .filter(|px| *px == colour)
        .count()
}

pub(crate) const INK: [u8; 3] = [33, 102, 172];
pub(crate) const BAR: [u8; 3] = [158, 202, 225];
