//! Applyhome (api.odcloud.kr) answers, read as both row types the client asks for: a page,
//! the service's refusal envelope or `Unreadable`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use real_estate_mcp::upstream::odcloud::{NoticeRow, StatRow, parse_body};

fuzz_target!(|body: &[u8]| {
    let _ = parse_body::<NoticeRow>(body);
    let _ = parse_body::<StatRow>(body);
});
