//! The one error type of auth configuration, shared by the parts that read variables.

/// A configuration problem found at startup. The message names the variable and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct AuthConfigError {
    /// The environment variable at fault, upper-case as the user writes it.
    pub variable: &'static str,
    /// What is wrong and what to do about it.
    pub problem: String,
}

impl AuthConfigError {
    pub(crate) fn new(variable: &'static str, problem: impl Into<String>) -> Self {
        Self {
            variable,
            problem: problem.into(),
        }
    }
}
