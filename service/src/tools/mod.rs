//! The tool families the MCP server exposes. Each module holds the arguments, the output
//! shape and the logic of its tools; [`crate::mcp`] only wires them to the protocol.

pub mod calendar;
pub mod finance;
pub mod regions;
pub mod subscriptions;
pub mod transactions;

use std::fmt;

/// A tool failure a person can act on. It reaches the client as a tool result with
/// `isError: true`, never as a protocol error, so a model can read it and correct itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    message: String,
}

impl ToolError {
    /// A failure described by a complete sentence that says what went wrong and what to do.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// An argument that fails validation: names the argument so the caller can fix it.
    pub fn invalid_argument(name: &str, problem: impl fmt::Display) -> Self {
        Self::new(format!("Invalid argument `{name}`: {problem}"))
    }

    /// The message shown to the caller.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

mod context;

pub use context::ToolContext;
