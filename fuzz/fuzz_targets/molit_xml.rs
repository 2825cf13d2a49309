//! MOLIT RTMS answers: whatever the gateway (or something pretending to be it) sends must
//! parse into a page or a `ParseError`, never a panic, and a page holds no more deals than
//! the body has room for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use real_estate_mcp::upstream::molit::parse_page;

fuzz_target!(|body: &[u8]| {
    if let Ok(page) = parse_page(body) {
        // The smallest deal is `<item/>`, seven bytes.
        assert!(
            page.deals.len() <= body.len() / 7,
            "{} deals",
            page.deals.len()
        );
    }
});
