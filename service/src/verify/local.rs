//! What `verify` can know that no answer from outside tells it: the deployment's own
//! configuration, when it runs where that is (inside the compose container, or with
//! `--env-file .env`). The service never publishes its access list, so this is where
//! `verify` reports it.

use super::report::{CheckId, VerifyReport};
use crate::advice;
use crate::config::Config;

/// The configuration `verify` found where it runs.
#[derive(Debug, Clone, Default)]
pub enum LocalConfig {
    /// No `AUTH_MODE` anywhere: `verify` runs away from the deployment.
    #[default]
    Absent,
    /// A configuration the service would refuse to start with, and why.
    Invalid(String),
    /// What the service would start with.
    Valid(Box<Config>),
}

/// Reports [`CheckId::Configuration`].
pub(super) fn check(report: &mut VerifyReport, local: &LocalConfig) {
    let config = match local {
        LocalConfig::Absent => {
            report.skip(
                CheckId::Configuration,
                "no deployment configuration here: run scripts/verify.sh next to your .env (or \
                 pass --env-file .env) to check it and the access list too",
            );
            return;
        }
        LocalConfig::Invalid(problem) => {
            report.fail(
                CheckId::Configuration,
                format!("the service refuses to start with this configuration: {problem}"),
                "fix the variable it names in .env, then `docker compose up -d`",
            );
            return;
        }
        LocalConfig::Valid(config) => config,
    };
    let summary = advice::access_summary(config);
    let found = advice::review(config);
    if found.is_empty() {
        report.pass(CheckId::Configuration, summary);
        return;
    }
    let problems: Vec<String> = found
        .iter()
        .map(|a| format!("{} {}", a.variable, a.problem))
        .collect();
    let fixes: Vec<&str> = found.iter().map(|a| a.fix.as_str()).collect();
    report.warn(
        CheckId::Configuration,
        format!("{summary}; {}", problems.join("; ")),
        fixes.join("; "),
    );
}
