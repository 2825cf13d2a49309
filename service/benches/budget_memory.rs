//! Memory held by the daily budgets after many distinct callers: each of N callers spends
//! one request through the real path (a call scope, the budget, the in-memory usage store),
//! and a counting allocator reports the bytes still held afterwards. The store tracks at most
//! `MAX_TRACKED_CALLERS` callers a day, so the figure stops growing there whatever N is.
//!
//!   cargo bench -p real-estate-mcp --bench budget_memory

use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicIsize, Ordering},
};

use real_estate_mcp::budget::{
    Budget, BudgetLimits, CallScope, MAX_TRACKED_CALLERS, MemoryUsage, Quota,
};

/// The system allocator, keeping a running total of the bytes currently allocated.
struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

fn track(bytes: usize, sign: isize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    LIVE_BYTES.fetch_add(sign * bytes, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; only sizes are recorded.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            track(layout.size(), 1);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        track(layout.size(), -1);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            track(layout.size(), -1);
            track(new_size, 1);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TRADES: Quota = Quota {
    id: "RTMSDataSvcAptTrade",
    label: "아파트 매매",
};

/// Bytes held by budgets that `callers` distinct callers each tried to spend one request of,
/// with how many callers are tracked one by one and how many were refused (the callers past
/// the table share one budget).
fn held_after(runtime: &tokio::runtime::Runtime, callers: u32) -> (isize, usize, u32) {
    let store = std::sync::Arc::new(MemoryUsage::default());
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let budget = Budget::new(
        BudgetLimits {
            per_caller: Some(2_000),
            per_dataset: None,
        },
        store.clone(),
    );
    let refused = runtime.block_on(async {
        let mut refused = 0;
        for n in 0..callers {
            // Long subjects, as an identity provider's `sub` can be: the store keeps a hash.
            let call = CallScope::new(&format!("auth0|{n:0>40}"));
            if call.run(budget.charge(TRADES)).await.is_err() {
                refused += 1;
            }
        }
        refused
    });
    let held = LIVE_BYTES.load(Ordering::Relaxed) - before;
    (held, store.tracked_callers(), refused)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    println!(
        "daily budget memory (in-memory usage store, {MAX_TRACKED_CALLERS} callers tracked at most)"
    );
    println!(
        "{:>10}  {:>8}  {:>8}  {:>12}",
        "callers", "tracked", "refused", "bytes held"
    );
    for callers in [1_000, 10_000, 100_000, 1_000_000] {
        let (held, tracked, refused) = held_after(&runtime, callers);
        println!("{callers:>10}  {tracked:>8}  {refused:>8}  {held:>12}");
    }
}
