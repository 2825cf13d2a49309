//! MCP Apps (the `io.modelcontextprotocol/ui` extension, SEP-1865): four interactive views
//! shipped inside the binary as `ui://` resources, and the `_meta.ui` link from each tool
//! whose result one of them draws.
//!
//! A host that renders apps reads the view named by a tool's `_meta.ui.resourceUri`, shows it
//! in a sandboxed frame and hands it the tool's result; the view draws `structuredContent`
//! and nothing else. Hosts that do not render apps ignore `_meta` and get the same structured
//! content and text as before. The HTML is built from `apps/` (sources, pinned build, size
//! budget: apps/README.md) and committed under `service/assets/views/`, so building the
//! service needs no Node.

use rmcp::{
    handler::server::router::tool::ToolRouter,
    model::{MetaObject, ReadResourceResult, Resource, ResourceContents},
};
use serde_json::json;

use crate::tools::transactions::TRANSACTION_TOOLS;

/// The MIME type of an MCP Apps HTML view.
pub const MIME_TYPE: &str = "text/html;profile=mcp-app";

/// One view: its resource and the tools whose results it draws.
struct View {
    uri: &'static str,
    name: &'static str,
    title: &'static str,
    description: &'static str,
    html: &'static str,
    draws: Draws,
}

/// Which tools' results a view draws.
enum Draws {
    /// These tools, by name.
    These(&'static [&'static str]),
    /// Every transaction tool ([`TRANSACTION_TOOLS`]): one row shape, one view.
    TransactionTools,
}

impl Draws {
    fn includes(&self, tool: &str) -> bool {
        match self {
            Draws::These(tools) => tools.contains(&tool),
            Draws::TransactionTools => TRANSACTION_TOOLS.iter().any(|entry| entry.name == tool),
        }
    }
}

/// A view called `name`: its resource is `ui://real-estate-mcp/<name>`, its page
/// `service/assets/views/<name>.html`.
macro_rules! view {
    ($name:literal, $title:literal, $description:literal, $draws:expr $(,)?) => {
        View {
            uri: concat!("ui://real-estate-mcp/", $name),
            name: $name,
            title: $title,
            description: $description,
            html: include_str!(concat!("../../assets/views/", $name, ".html")),
            draws: $draws,
        }
    };
}

const VIEWS: [View; 4] = [
    view!(
        "price-trend",
        "시세 추이 (price trend)",
        "analyze_price_trend as a chart: the monthly median per 평 or per ㎡ as a \
         line over deal-count bars; hover or tap a month for its figures.",
        Draws::These(&["analyze_price_trend"]),
    ),
    view!(
        "region-comparison",
        "지역 비교 (region comparison)",
        "compare_regions as a ranked bar chart with deal counts; districts with \
         too few deals are marked.",
        Draws::These(&["compare_regions"]),
    ),
    view!(
        "deals",
        "실거래 목록 (a month's deals)",
        "A transaction tool's rows as a table that sorts, filters and pages \
         without asking the server again; cancelled, 지분 and other deals flagged.",
        Draws::TransactionTools,
    ),
    view!(
        "subscription",
        "청약 공고 (subscription notice)",
        "A subscription notice's schedule and house types at a glance, or a list \
         of notices with their key dates.",
        Draws::These(&["get_apt_subscription_detail", "get_apt_subscription_info"]),
    ),
];

/// What the views need from the host: nothing outside the page. Empty domain lists declare
/// no origin for any fetch, script, style, font, image or frame; the host's CSP then allows
/// only the inline code each view carries. A visible border sets the view off from the chat.
fn resource_meta() -> MetaObject {
    let ui = json!({
        "csp": {"connectDomains": [], "resourceDomains": [], "frameDomains": []},
        "prefersBorder": true,
    });
    MetaObject([("ui".to_owned(), ui)].into_iter().collect())
}

/// The views as `resources/list` shows them.
pub(super) fn resources() -> Vec<Resource> {
    VIEWS
        .iter()
        .map(|view| {
            Resource::new(view.uri, view.name)
                .with_title(view.title)
                .with_description(view.description)
                .with_mime_type(MIME_TYPE)
                .with_size(view.html.len() as u64)
                .with_meta(resource_meta())
        })
        .collect()
}

/// The view at `uri` as `resources/read` returns it; `None` for any other URI.
pub(super) fn read(uri: &str) -> Option<ReadResourceResult> {
    let view = VIEWS.iter().find(|view| view.uri == uri)?;
    let contents = ResourceContents::text(view.html, view.uri)
        .with_mime_type(MIME_TYPE)
        .with_meta(resource_meta());
    Some(ReadResourceResult::new(vec![contents]))
}

/// Points each tool a view draws at that view. `visibility: ["model"]` tells the host that
/// only the model calls these tools, never a view: a view cannot spend the data.go.kr quota
/// on its own.
pub(super) fn link<S>(mut router: ToolRouter<S>) -> ToolRouter<S> {
    for (name, route) in router.map.iter_mut() {
        let Some(view) = VIEWS.iter().find(|view| view.draws.includes(name)) else {
            continue;
        };
        let ui = json!({"resourceUri": view.uri, "visibility": ["model"]});
        route
            .attr
            .meta
            .get_or_insert_with(MetaObject::new)
            .0
            .insert("ui".to_owned(), ui);
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_is_a_whole_page_that_loads_nothing() {
        for view in &VIEWS {
            let html = view.html;
            assert!(html.starts_with("<!doctype html>"), "{}", view.name);
            assert!(html.trim_end().ends_with("</html>"), "{}", view.name);
            // The one URL in a view is the SVG namespace, an identifier rather than a request.
            let code = html.replace("http://www.w3.org/2000/svg", "");
            for outside in [
                "http:",
                "https:",
                "//",
                "src=",
                "<link",
                "@import",
                "url(",
                "fetch(",
                "XMLHttpRequest",
                "WebSocket",
                "EventSource",
                "import(",
            ] {
                assert!(!code.contains(outside), "{} contains {outside}", view.name);
            }
        }
    }

    #[test]
    fn each_uri_reads_back_its_own_page_and_nothing_else_reads() {
        for view in &VIEWS {
            let result = read(view.uri).unwrap();
            let value = serde_json::to_value(&result).unwrap();
            assert_eq!(value["contents"][0]["uri"], view.uri);
            assert_eq!(value["contents"][0]["mimeType"], MIME_TYPE);
            assert_eq!(value["contents"][0]["text"], view.html);
            assert_eq!(
                value["contents"][0]["_meta"]["ui"]["csp"]["connectDomains"],
                json!([])
            );
        }
        assert!(read("ui://real-estate-mcp/nothing").is_none());
        assert!(read("file:///etc/passwd").is_none());
    }
}
