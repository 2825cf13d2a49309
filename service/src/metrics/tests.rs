use super::*;
use crate::budget::{CallScope, Quota};

/// True when `page` has exactly this line: a sample's name, labels and value.
fn has_line(page: &str, line: &str) -> bool {
    page.lines().any(|candidate| candidate == line)
}

#[test]
fn every_figure_appears_with_its_labels() {
    let metrics = Metrics::default();
    metrics.http_request("/mcp", 200);
    metrics.tool_call("get_apartment_trades", "ok");
    metrics.tool_call("get_apartment_trades", "ok");
    metrics.upstream("RTMSDataSvcAptTrade", "ok", 3);
    metrics.upstream("RTMSDataSvcAptTrade", "gateway_22", 1);
    metrics.upstream("RTMSDataSvcAptTrade", "unreachable", 2);
    metrics.lookup("molit", Lookup::Hit);
    metrics.lookup("molit", Lookup::Stale);
    metrics.watch_memory("molit", || 1234);
    let page = metrics.render();

    let expect = [
        r#"real_estate_mcp_http_requests_total{route="/mcp",status="200"} 1"#,
        r#"real_estate_mcp_tool_calls_total{tool="get_apartment_trades",outcome="ok"} 2"#,
        r#"real_estate_mcp_upstream_requests_total{dataset="RTMSDataSvcAptTrade",result="ok"} 3"#,
        r#"real_estate_mcp_upstream_requests_total{dataset="RTMSDataSvcAptTrade",result="gateway_22"} 1"#,
        r#"real_estate_mcp_upstream_requests_total{dataset="RTMSDataSvcAptTrade",result="unreachable"} 2"#,
        r#"real_estate_mcp_cache_lookups_total{cache="molit",result="hit"} 1"#,
        r#"real_estate_mcp_cache_lookups_total{cache="molit",result="stale"} 1"#,
        r#"real_estate_mcp_cache_memory_bytes{cache="molit"} 1234"#,
        r#"real_estate_mcp_cache_lookups_since_install_total{result="hit"} 1"#,
    ];
    for line in expect {
        assert!(has_line(&page, line), "{line} in\n{page}");
    }
    assert!(
        page.contains(r#"real_estate_mcp_build_info{version=""#),
        "{page}"
    );
    assert!(page.contains(r#"cache_store="memory""#), "{page}");
    assert!(page.trim_end().ends_with("# EOF"), "{page}");
    // Without a store there is no disk figure to show; without a budget no spending today.
    assert!(!page.contains("cache_disk_bytes"), "{page}");
    assert!(!page.contains("upstream_requests_today"), "{page}");
}

const TRADES: Quota = Quota {
    id: "RTMSDataSvcAptTrade",
    label: "아파트 매매",
};

/// A server's metrics and budget on the disk store in `dir`, as `startup` wires them.
async fn server_on(dir: &std::path::Path) -> (Metrics, Budget) {
    let opened = OpenedStore::open(&crate::store::StoreSettings::Disk {
        dir: dir.to_owned(),
        max_bytes: 1 << 20,
    })
    .await
    .unwrap();
    let budget = Budget::new(BudgetLimits::default(), opened.budget_usage());
    let usage = Usage::load(opened.store.clone()).await;
    let info = ServerInfo {
        auth_mode: "none",
        store: opened,
    };
    let metrics = Metrics::new(info, usage);
    metrics.watch_budget(budget.clone());
    (metrics, budget)
}

#[tokio::test]
async fn today_s_requests_are_what_the_budget_charged_on_every_server_sharing_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (first, budget) = server_on(dir.path()).await;
    let (second, _) = server_on(dir.path()).await;
    let alice = CallScope::new("alice");
    for _ in 0..3 {
        alice.run(budget.charge(TRADES)).await.unwrap();
    }
    // What the answer's `source.budget` says the dataset spent today.
    let report = budget.report(&alice).await;
    assert_eq!(report.datasets.len(), 1, "{report:?}");
    let spent = report.datasets[0].usage.spent_today;
    assert_eq!(spent, 3);
    let line = format!(
        r#"real_estate_mcp_upstream_requests_today{{dataset="RTMSDataSvcAptTrade"}} {spent}"#
    );
    // Nothing to wait for: no copy is written later, on this server, the other sharing the
    // store, or the one that replaces them.
    let (restarted, _) = server_on(dir.path()).await;
    for metrics in [&first, &second, &restarted] {
        let page = metrics.scrape().await;
        assert!(has_line(&page, &line), "{line} in\n{page}");
        assert!(
            !page.contains("budget_dataset_spent_today"),
            "said once:\n{page}"
        );
    }
}

#[tokio::test]
async fn the_disk_store_is_described_and_measured() {
    let dir = tempfile::tempdir().unwrap();
    let opened = OpenedStore::open(&crate::store::StoreSettings::Disk {
        dir: dir.path().to_owned(),
        max_bytes: 1 << 20,
    })
    .await
    .unwrap();
    let store = opened.store.clone().unwrap();
    store
        .put(
            "k".into(),
            crate::store::Stored {
                body: b"body".to_vec(),
                stored_at: std::time::SystemTime::now(),
                fresh_until: std::time::SystemTime::now(),
            },
        )
        .await
        .unwrap();
    let info = ServerInfo {
        auth_mode: "oauth",
        store: opened,
    };
    let metrics = Metrics::new(info, Usage::in_memory());
    let page = metrics.render();
    assert!(page.contains(r#"auth_mode="oauth""#), "{page}");
    assert!(page.contains(r#"cache_store="disk""#), "{page}");
    assert!(page.contains("cache.sqlite3"), "{page}");
    for line in [
        "real_estate_mcp_cache_disk_entries 1",
        "real_estate_mcp_cache_disk_max_bytes 1048576",
    ] {
        assert!(has_line(&page, line), "{line} in\n{page}");
    }
}
