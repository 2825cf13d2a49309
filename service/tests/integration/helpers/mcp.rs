//! MCP as the tests speak it: an rmcp client, its tool calls, and `tools/list` results.

use rmcp::{ClientHandler, model::CallToolRequestParams};
use serde_json::Value;

/// An rmcp client with default capabilities, as IDEs and chat apps present themselves.
#[derive(Clone, Default)]
pub(crate) struct TestClient;

impl ClientHandler for TestClient {}

/// An rmcp `tools/call` of `name` with `arguments`, which must be a JSON object.
pub(crate) fn tool_call(name: &'static str, arguments: Value) -> CallToolRequestParams {
    let Value::Object(arguments) = arguments else {
        panic!("tool arguments must be an object, not {arguments}");
    };
    CallToolRequestParams::new(name).with_arguments(arguments)
}

/// The declaration of `name` in a `tools/list` result, or a panic saying it is not listed.
pub(crate) fn declared<'a>(listed: &'a Value, name: &str) -> &'a Value {
    listed["tools"]
        .as_array()
        .and_then(|tools| tools.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("{name} is not listed"))
}
