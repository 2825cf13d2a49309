//! `docs/tools.md` against the live tool list, so the page cannot go stale.
//!
//! Two blocks of the page are generated from what `tools/list` publishes (the reference
//! table of every tool with its arguments, and the transaction tools' table from
//! [`TRANSACTION_TOOLS`]); the hand-written prose around them (example questions, how to
//! read the results) is checked to name only tools that exist and to cover each one.
//! `UPDATE_TOOL_DOCS=1 cargo test -p real-estate-mcp tool_docs` rewrites the blocks.

use std::{collections::BTreeSet, path::PathBuf};

use rmcp::model::Tool;
use serde_json::Value;

use super::router::published_tools;
use crate::tools::transactions::TRANSACTION_TOOLS;

/// The page, from the crate's directory.
fn page_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/tools.md")
}

/// The tools in the order the page lists them: by family, then as `tools/list` has them.
fn tools_by_family() -> Vec<(Family, Tool)> {
    let mut tools: Vec<(Family, Tool)> = published_tools()
        .list_all()
        .into_iter()
        .map(|tool| (Family::of(&tool.name), tool))
        .collect();
    tools.sort_by_key(|(family, _)| *family);
    tools
}

/// What a tool reads, which decides where the page lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Lookup,
    Calculator,
    Applyhome,
    Transactions,
    Analytics,
}

impl Family {
    fn of(name: &str) -> Family {
        if TRANSACTION_TOOLS.iter().any(|tool| tool.name == name) {
            return Family::Transactions;
        }
        match name {
            "get_region_code" | "get_current_year_month" => Family::Lookup,
            "analyze_price_trend"
            | "compare_regions"
            | "analyze_jeonse_ratio"
            | "get_complex_summary" => Family::Analytics,
            _ if name.starts_with("calculate_") => Family::Calculator,
            _ if name.starts_with("get_apt_subscription_") => Family::Applyhome,
            _ => panic!("{name}: say in mcp/reference.rs which family the new tool belongs to"),
        }
    }

    fn reads(self) -> &'static str {
        match self {
            Family::Lookup => "built in; no quota",
            Family::Calculator => "arithmetic; no quota",
            Family::Applyhome => "Applyhome (api.odcloud.kr): 1 call per page, cached",
            Family::Transactions => "MOLIT 실거래가: 1 call per page of the month, cached",
            Family::Analytics => "MOLIT 실거래가, many months: 1 call per page not cached",
        }
    }
}

/// The arguments of `tool`, required ones in bold.
fn arguments(tool: &Tool) -> String {
    let schema = Value::Object(tool.input_schema.as_ref().clone());
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let names: Vec<String> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| {
            if required.contains(name.as_str()) {
                format!("**`{name}`**")
            } else {
                format!("`{name}`")
            }
        })
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The reference table of every tool.
fn reference_table() -> String {
    let mut table = String::from(
        "| Tool | What it gives | Arguments (required in bold) | Reads |\n|---|---|---|---|\n",
    );
    for (family, tool) in tools_by_family() {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            tool.name,
            tool.title.as_deref().unwrap_or_default(),
            arguments(&tool),
            family.reads()
        ));
    }
    table
}

/// The transaction tools' table, from [`TRANSACTION_TOOLS`].
fn transaction_table() -> String {
    let mut table =
        String::from("| Tool | Data | `area_m2` is | `name_contains` |\n|---|---|---|---|\n");
    for tool in TRANSACTION_TOOLS {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            tool.name,
            tool.about,
            tool.area_basis,
            if tool.named { "yes" } else { "no (no names)" }
        ));
    }
    table
}

/// The generated blocks: the marker name and the text between its markers.
fn blocks() -> [(&'static str, String); 2] {
    [
        ("reference", reference_table()),
        ("transactions", transaction_table()),
    ]
}

fn begin(name: &str) -> String {
    format!("<!-- BEGIN GENERATED {name}: edit mcp/reference.rs, not this table -->\n")
}

fn end(name: &str) -> String {
    format!("<!-- END GENERATED {name} -->")
}

/// `page` with every generated block replaced by its current text; `None` when a marker is
/// missing.
fn regenerate(page: &str) -> Option<String> {
    let mut page = page.to_owned();
    for (name, text) in blocks() {
        let (begin, end) = (begin(name), end(name));
        let start = page.find(&begin)? + begin.len();
        let stop = start + page[start..].find(&end)?;
        page.replace_range(start..stop, &text);
    }
    Some(page)
}

/// The page without its generated blocks: what people wrote.
fn prose(page: &str) -> String {
    let mut prose = page.to_owned();
    for (name, _) in blocks() {
        let (begin, end) = (begin(name), end(name));
        if let (Some(start), Some(stop)) = (prose.find(&begin), prose.find(&end)) {
            prose.replace_range(start..stop + end.len(), "");
        }
    }
    prose
}

/// Tool-like names the text mentions in backticks (`get_…`, `analyze_…`, …).
fn mentioned(text: &str) -> BTreeSet<String> {
    const PREFIXES: [&str; 4] = ["get_", "analyze_", "compare_", "calculate_"];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| PREFIXES.iter().any(|prefix| word.starts_with(prefix)))
        .filter(|word| word.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn tool_docs_are_generated_from_the_live_tool_list() {
    let path = page_path();
    let page = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let fresh = regenerate(&page).unwrap_or_else(|| {
        panic!("docs/tools.md lost a `<!-- BEGIN/END GENERATED … -->` marker pair")
    });
    if std::env::var_os("UPDATE_TOOL_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    }
    assert!(
        fresh == page,
        "docs/tools.md is out of date with the tool list: run \
         `UPDATE_TOOL_DOCS=1 cargo test -p real-estate-mcp tool_docs` and commit the change"
    );
}

#[test]
fn tool_docs_prose_names_only_live_tools_and_covers_each() {
    let page = std::fs::read_to_string(page_path()).unwrap_or_default();
    let prose = prose(&page);
    let live: BTreeSet<String> = published_tools()
        .list_all()
        .into_iter()
        .map(|tool| tool.name.into_owned())
        .collect();
    let named = mentioned(&prose);
    let unknown: Vec<_> = named.difference(&live).collect();
    assert!(
        unknown.is_empty(),
        "docs/tools.md names tools that do not exist: {unknown:?}"
    );
    let undocumented: Vec<_> = live
        .iter()
        .filter(|name| Family::of(name) != Family::Transactions)
        .filter(|name| !prose.contains(&format!("### `{name}`")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "docs/tools.md has no `### ` section for {undocumented:?}"
    );
}
