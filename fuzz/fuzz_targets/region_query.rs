//! The region query parser behind `get_region_code` and every `region_code` argument:
//! any text gets an answer, and a resolved answer is always a current five-digit district.
#![no_main]

use libfuzzer_sys::fuzz_target;
use real_estate_mcp::regions::{Lookup, RegionIndex};

fuzz_target!(|query: &str| {
    let index = RegionIndex::builtin_shared().expect("the built-in table loads");
    if let Lookup::Resolved(found) = index.lookup(query) {
        assert_eq!(found.lawd_cd.len(), 5, "{found:?}");
        assert!(index.name_of(&found.lawd_cd).is_some(), "{found:?}");
    }
});
