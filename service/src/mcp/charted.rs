//! Results that may carry a chart: the structured content, the same JSON as text for clients
//! that read only text, and the PNG as an MCP image block after it.

use base64::{Engine, engine::general_purpose::STANDARD};
use rmcp::model::{CallToolResult, ContentBlock};
use serde::Serialize;

use crate::tools::{ToolError, analytics::Charted};

/// The tool result for `charted`: structured content always, an image block when drawn.
pub(super) fn charted_result<T: Serialize>(
    charted: Charted<T>,
) -> Result<CallToolResult, ToolError> {
    let value = serde_json::to_value(&charted.output).map_err(|error| {
        ToolError::new(format!(
            "The result could not be encoded ({error}); this is a server bug, please report it."
        ))
    })?;
    let mut result = CallToolResult::structured(value);
    if let Some(png) = charted.chart {
        result.content.push(ContentBlock::image(
            STANDARD.encode(&png.bytes),
            "image/png",
        ));
    }
    Ok(result)
}
