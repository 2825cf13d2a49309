use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use chrono::TimeZone;

use super::*;

/// Two datasets, for every test of the budgets.
pub(super) const TRADES: Quota = Quota {
    id: "RTMSDataSvcAptTrade",
    label: "아파트 매매",
};
pub(super) const RENTS: Quota = Quota {
    id: "RTMSDataSvcAptRent",
    label: "아파트 전월세",
};

fn limits(per_caller: u64, per_dataset: u64) -> BudgetLimits {
    BudgetLimits {
        per_caller: Some(per_caller),
        per_dataset: Some(per_dataset),
    }
}

/// A budget whose clock reads `seconds` (UTC epoch seconds), movable by the test.
fn budget_at(limits: BudgetLimits, seconds: Arc<AtomicI64>) -> Budget {
    Budget::with_clock(limits, Arc::new(MemoryUsage::default()), move || {
        Utc.timestamp_opt(seconds.load(Ordering::SeqCst), 0)
            .single()
            .unwrap_or_default()
    })
}

#[tokio::test]
async fn each_caller_has_a_budget_and_the_dataset_budget_binds_them_all() {
    let budget = Budget::in_memory(limits(2, 3));
    let alice = CallScope::new("alice");
    let bob = CallScope::new("bob");
    for _ in 0..2 {
        alice.run(budget.charge(TRADES)).await.unwrap();
    }
    let refused = alice.run(budget.charge(RENTS)).await.unwrap_err();
    assert_eq!(refused.scope, Scope::Caller);
    assert_eq!(alice.spent(), 2);
    bob.run(budget.charge(TRADES)).await.unwrap();
    let refused = bob.run(budget.charge(TRADES)).await.unwrap_err();
    assert_eq!(refused.scope, Scope::Dataset(TRADES));
    // Rents have a budget of their own.
    bob.run(budget.charge(RENTS)).await.unwrap();
    // Outside any call only the dataset is charged.
    assert!(budget.charge(TRADES).await.is_err());
    budget.charge(RENTS).await.unwrap();

    let report = budget.report(&bob).await;
    assert_eq!(report.spent, 2);
    assert_eq!(report.caller.spent_today, 2);
    assert_eq!(report.caller.left_today, Some(0));
    let datasets: Vec<_> = report
        .datasets
        .iter()
        .map(|d| (d.dataset.as_str(), d.usage.spent_today, d.usage.left_today))
        .collect();
    assert_eq!(
        datasets,
        [
            ("RTMSDataSvcAptTrade", 3, Some(0)),
            ("RTMSDataSvcAptRent", 2, Some(1))
        ]
    );
}

#[tokio::test]
async fn the_budgets_start_again_at_midnight_in_korea() {
    // 2026-05-01 23:30 KST.
    let clock = Arc::new(AtomicI64::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 14, 30, 0)
            .unwrap()
            .timestamp(),
    ));
    let budget = budget_at(limits(1, 10), clock.clone());
    let call = CallScope::new("alice");
    call.run(budget.charge(TRADES)).await.unwrap();
    let refused = call.run(budget.charge(TRADES)).await.unwrap_err();
    assert!(refused.to_string().contains("in 30 minutes"), "{refused}");
    assert_eq!(
        budget.report(&call).await.resets_at,
        "2026-05-02T00:00:00+09:00"
    );
    // 00:00:01 KST on the 2nd.
    clock.store(
        Utc.with_ymd_and_hms(2026, 5, 1, 15, 0, 1)
            .unwrap()
            .timestamp(),
        Ordering::SeqCst,
    );
    call.run(budget.charge(TRADES)).await.unwrap();
    assert_eq!(budget.report(&call).await.caller.spent_today, 1);
}

#[tokio::test]
async fn switched_off_budgets_still_count_and_report_no_limit() {
    let budget = Budget::default();
    let call = CallScope::new("anonymous");
    for _ in 0..5 {
        call.run(budget.charge(TRADES)).await.unwrap();
    }
    let allowance = call.run(budget.allowance(&[TRADES])).await;
    assert!(allowance.is_unlimited());
    let report = budget.report(&call).await;
    assert_eq!(report.caller.spent_today, 5);
    assert_eq!(report.caller.left_today, None);
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["caller"].get("daily_limit").is_none(), "{json}");
}

#[tokio::test]
async fn a_check_counts_nothing_and_names_the_tighter_budget() {
    let budget = Budget::in_memory(limits(10, 4));
    let call = CallScope::new("alice");
    call.run(budget.charge(TRADES)).await.unwrap();
    assert!(call.run(budget.check(TRADES, 3)).await.is_ok());
    let over = call.run(budget.check(TRADES, 4)).await.unwrap_err();
    assert_eq!(
        (over.scope, over.left, over.needed),
        (Scope::Dataset(TRADES), 3, 4)
    );
    assert_eq!(budget.report(&call).await.caller.spent_today, 1);
}
