//! The official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned in
//! `interop/package.json`) against the open deployment: the real binary behind the real
//! Caddy. Every server scenario runs; the ones that do not apply to this server are
//! listed in `interop/conformance-baseline.yml` (why: docs/conformance.md), and the suite
//! itself fails the run when any other scenario fails or a listed one starts passing. Then a
//! strict JSON Schema 2020-12 validator compiles every published tool schema.

use std::time::Duration;

use crate::support::interop;
use crate::support::scratch::Scratch;
use crate::support::stack::{Stack, StackSetup, open_env};

/// The scenarios a server with our capabilities must pass, by name in the suite's summary.
const APPLICABLE: [&str; 6] = [
    "server-initialize",
    "ping",
    "tools-list",
    "prompts-list",
    "resources-list",
    "dns-rebinding-protection",
];

const TIMEOUT: Duration = Duration::from_secs(120);

async fn open_stack() -> Stack {
    Stack::start(&StackSetup::new("none", open_env()))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_official_conformance_suite_passes_every_scenario_that_applies() {
    let stack = open_stack().await;
    // The suite writes a results/ directory where it runs.
    let results = Scratch::new("conformance").unwrap();
    let suite = interop::dir().join("node_modules/@modelcontextprotocol/conformance/dist/index.js");
    let baseline = interop::dir().join("conformance-baseline.yml");
    let mut command = interop::command(interop::node().unwrap());
    command
        .current_dir(results.path())
        .arg(suite)
        .args(["server", "--url", &stack.mcp_url(), "--suite", "all"])
        .arg("--expected-failures")
        .arg(baseline);
    let (stdout, stderr) = interop::run(command, TIMEOUT).await.unwrap();
    for scenario in APPLICABLE {
        let passed = format!("✓ {scenario}: ");
        assert!(
            stdout.lines().any(|line| line.starts_with(&passed)),
            "{scenario} did not pass:\n{stdout}"
        );
    }
    // The suite's client validates the tool list with Ajv, which only warns about formats
    // JSON Schema does not define; a strict client would refuse them.
    assert!(
        !stdout.contains("unknown format") && !stderr.contains("unknown format"),
        "{stdout}\n{stderr}"
    );
}

#[tokio::test]
async fn a_strict_json_schema_2020_12_validator_compiles_every_tool_schema() {
    let stack = open_stack().await;
    let mut command = interop::command(interop::node().unwrap());
    command.arg("strict_schemas.mjs").arg(stack.mcp_url());
    let report = interop::run_json(command, TIMEOUT).await.unwrap();
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    // Every tool has an input and an output schema.
    assert_eq!(
        report["compiled"].as_u64(),
        report["tools"].as_u64().map(|n| n * 2),
        "{report}"
    );
    assert!(report["tools"].as_u64() > Some(20), "{report}");
}
