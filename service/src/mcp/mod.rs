//! The MCP side of the server: the rmcp handler that exposes the tool families, the prompts
//! for common questions, the district table as resources and the interactive views (MCP
//! Apps) that draw the tools' results.
//!
//! Tool logic lives in [`crate::tools`]; this module declares the tools to the protocol
//! (names, titles, descriptions, annotations), and applies what every call shares: bad
//! arguments become tool errors instead of protocol errors, callers are rate-limited, each
//! call runs as its caller for the daily budgets and reports them, and each call is logged
//! once.

mod apps;
mod budgeted;
mod charted;
mod handler;
mod instructions;
mod outline;
mod prompts;
mod ratelimit;
#[cfg(test)]
mod reference;
mod resources;
mod router;
mod schemas;
mod transaction_tools;

pub use apps::MIME_TYPE as VIEW_MIME_TYPE;
pub use handler::{Caller, RealEstateServer};
pub use ratelimit::CallLimiter;
pub use schemas::STANDARD_FORMATS;

use rmcp::model::{ContentBlock, IntoContents};

use crate::tools::ToolError;

/// A tool failure reaches the client as a text block in a result marked `isError`.
impl IntoContents for ToolError {
    fn into_contents(self) -> Vec<ContentBlock> {
        vec![ContentBlock::text(self.message())]
    }
}
