//! The service's modules import one way (route → tool → upstream client → cache → store) and
//! no two files import each other: checked on the source, so a shortcut fails here rather
//! than in review.

use std::path::Path;

use testkit::imports::{crate_graph, mutual_imports, upward_imports};

/// Each top-level module and the modules above it that it must never name. The region table
/// and the auth gate are crates of their own (`regions/`, `token-gate/`): the compiler keeps
/// them from reaching up.
const LAYERS: &[(&str, &[&str])] = &[
    // The leaves every layer may use: Korean time, saturating counts, the daily budgets, how
    // an outage reads.
    (
        "kst",
        &[
            "budget", "outage", "store", "metrics", "cache", "upstream", "tools", "mcp",
        ],
    ),
    (
        "count",
        &[
            "kst", "budget", "outage", "store", "metrics", "cache", "upstream", "tools", "mcp",
        ],
    ),
    (
        "outage",
        &[
            "budget", "store", "metrics", "cache", "upstream", "tools", "mcp",
        ],
    ),
    (
        "budget",
        &[
            "store", "metrics", "cache", "upstream", "tools", "mcp", "routes", "config",
        ],
    ),
    (
        "store",
        &[
            "metrics", "cache", "upstream", "tools", "mcp", "routes", "startup",
        ],
    ),
    (
        "metrics",
        &["cache", "upstream", "tools", "mcp", "routes", "startup"],
    ),
    (
        "cache",
        &["upstream", "tools", "mcp", "routes", "startup", "config"],
    ),
    (
        "upstream",
        &["tools", "mcp", "routes", "startup", "config", "verify"],
    ),
    ("tools", &["mcp", "routes", "startup", "config", "verify"]),
    ("mcp", &["routes", "startup", "verify"]),
    ("routes", &["startup", "verify"]),
];

fn service_graph() -> testkit::imports::Graph {
    crate_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")).unwrap()
}

#[test]
fn no_module_imports_one_above_it() {
    let graph = service_graph();
    let upward: Vec<_> = LAYERS
        .iter()
        .flat_map(|(lower, higher)| higher.iter().flat_map(|h| upward_imports(&graph, lower, h)))
        .collect();
    assert!(upward.is_empty(), "imports that run upwards: {upward:?}");
    assert!(
        graph.contains_key("tools::analytics::fetch"),
        "the graph read the source"
    );
}

#[test]
fn no_two_files_import_each_other() {
    let pairs = mutual_imports(&service_graph());
    assert!(
        pairs.is_empty(),
        "split these by concept so that one imports the other, not both: {pairs:?}"
    );
}

#[test]
fn the_split_out_crates_need_no_web_framework() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // (crate, never a dependency, only an optional one behind a feature)
    for (krate, banned, optional) in [
        (
            "regions",
            &["actix", "rmcp"][..],
            &["serde", "schemars"][..],
        ),
        ("token-gate", &["actix", "rmcp"][..], &[][..]),
    ] {
        let manifest = std::fs::read_to_string(root.join(krate).join("Cargo.toml")).unwrap();
        let dependencies = manifest
            .split("[dependencies]")
            .nth(1)
            .expect("a [dependencies] table");
        for name in banned {
            assert!(
                !dependencies.contains(name),
                "{krate} depends on {name}: keep it below the protocol and HTTP layers"
            );
        }
        for name in optional {
            for line in dependencies.lines().filter(|l| l.contains(name)) {
                assert!(
                    line.contains("optional = true"),
                    "{krate} needs {name} by default ({line}): keep it behind a feature"
                );
            }
        }
    }
}
