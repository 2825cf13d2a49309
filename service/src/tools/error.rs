//! How tools fail: one message a person (or a model) can act on. The upstream clients keep
//! their own error types; the conversions live here so that nothing below the tools names a
//! tool type.

use std::fmt;

use crate::upstream::{molit::MolitError, odcloud::OdcloudError};

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

impl From<MolitError> for ToolError {
    fn from(error: MolitError) -> Self {
        ToolError::new(error.to_string())
    }
}

impl From<OdcloudError> for ToolError {
    fn from(error: OdcloudError) -> Self {
        ToolError::new(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::molit::{Dataset, MolitErrorKind};

    #[test]
    fn upstream_failures_keep_their_message() {
        let molit = MolitError::new(Dataset::RowHouseRent, MolitErrorKind::MissingKey);
        let message = molit.to_string();
        assert_eq!(ToolError::from(molit).message(), message);
        let odcloud = ToolError::from(OdcloudError::Unavailable { status: 503 });
        assert!(odcloud.message().contains("HTTP 503"));
    }
}
