use super::*;
use crate::kst;

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
    metrics.upstream(kst::today(), "RTMSDataSvcAptTrade", "ok", 3);
    metrics.upstream(kst::today(), "RTMSDataSvcAptTrade", "gateway_22", 1);
    metrics.upstream(kst::today(), "RTMSDataSvcAptTrade", "unreachable", 2);
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
        // Every attempt counts, as the budget charges it: one that could not connect too.
        r#"real_estate_mcp_upstream_requests_today{dataset="RTMSDataSvcAptTrade"} 6"#,
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
    // Without a store there is no disk figure to show.
    assert!(!page.contains("cache_disk_bytes"), "{page}");
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
