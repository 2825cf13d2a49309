use super::*;
use crate::{
    budget::{Budget, BudgetLimits, CallScope, Quota},
    metrics::{Lookup, Metrics},
};

const TRADES: Quota = Quota {
    id: "RTMSDataSvcAptTrade",
    label: "아파트 매매",
};

fn summary(metrics: &Metrics) -> String {
    let figures = Figures::new(parse(&metrics.render()));
    assert!(figures.is_ours());
    let mut out = Vec::new();
    report::write(&mut out, &figures, kst::today()).unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn the_summary_shows_mode_spending_and_hit_rates() {
    const STATS: Quota = Quota {
        id: "ApplyhomeStatSvc",
        label: "청약 통계",
    };
    let metrics = Metrics::default();
    let budget = Budget::default();
    metrics.watch_budget(budget.clone());
    // Today's figures are what the budget charged; the results since start are counted apart.
    for quota in [TRADES, TRADES, TRADES, STATS] {
        budget.charge(quota).await.unwrap();
    }
    metrics.upstream("RTMSDataSvcAptTrade", "ok", 3);
    metrics.upstream("ApplyhomeStatSvc", "gateway_22", 1);
    for lookup in [Lookup::Hit, Lookup::DiskHit, Lookup::Hit, Lookup::Miss] {
        metrics.lookup("molit", lookup);
    }
    metrics.tool_call("get_apartment_trades", "ok");
    metrics.scrape().await;
    let text = summary(&metrics);
    assert!(
        text.starts_with(&format!("real-estate-mcp {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("AUTH_MODE=none"), "{text}");
    assert!(text.contains(&kst::today().to_string()), "{text}");
    let line = |start: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line {start} in\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("RTMSDataSvcAptTrade"), "RTMSDataSvcAptTrade 3");
    assert_eq!(line("ApplyhomeStatSvc"), "ApplyhomeStatSvc 1");
    assert_eq!(line("total"), "total 4");
    assert!(
        line("results since start").contains("gateway_22 1"),
        "{text}"
    );
    assert!(line("hit rate").contains("75% (3 of 4"), "{text}");
    assert!(text.contains("memory only (CACHE_STORE=memory)"), "{text}");
    assert!(
        line("Tool calls since start").contains("1 (ok 1)"),
        "{text}"
    );
}

#[test]
fn a_quiet_server_says_so() {
    let text = summary(&Metrics::default());
    assert!(text.contains("none yet"), "{text}");
    assert!(text.contains("no lookups"), "{text}");
}

#[tokio::test]
async fn no_server_is_a_failure_that_says_what_to_do() {
    let mut out = Vec::new();
    let code = run("http://127.0.0.1:1/metrics", &mut out).await;
    assert_eq!(code, ExitCode::FAILURE);
    assert!(out.is_empty());
}

#[tokio::test]
async fn the_summary_shows_budgets_and_the_biggest_spenders() {
    let metrics = Metrics::default();
    let budget = Budget::in_memory(BudgetLimits {
        per_caller: Some(5),
        per_dataset: Some(100),
    });
    metrics.watch_budget(budget.clone());
    let (alice, bob) = (CallScope::new("alice"), CallScope::new("bob"));
    for _ in 0..3 {
        alice.run(budget.charge(TRADES)).await.unwrap();
    }
    bob.run(budget.charge(TRADES)).await.unwrap();
    let figures = Figures::new(parse(&metrics.scrape().await));
    let mut out = Vec::new();
    report::write(&mut out, &figures, kst::today()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let squeezed = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines: Vec<String> = text.lines().map(squeezed).collect();
    let has = |l: &str| lines.iter().any(|line| line == l);
    assert!(
        has("budgets: 5 a day per caller, 100 a day per dataset"),
        "{text}"
    );
    assert!(has("RTMSDataSvcAptTrade 4"), "{text}");
    assert!(
        has("left today in the RTMSDataSvcAptTrade budget: 96"),
        "{text}"
    );
    assert!(
        has("Callers today (2 spent; the biggest spenders)"),
        "{text}"
    );
    let alice_at = lines.iter().position(|l| l == "alice 3 (2 left)");
    let bob_at = lines.iter().position(|l| l == "bob 1 (4 left)");
    assert!(alice_at.is_some() && alice_at < bob_at, "{text}");
}
