//! The variables each part of the deployment reads, taken from the code (the service's
//! settings structs, the Caddyfile, the command line's help), and the variables the files a
//! person edits or reads list (`.env.example`, `docs/configuration.md`). The bundle tests
//! compare the two sides.

use std::collections::BTreeSet;
use std::process::Command;

use real_estate_mcp::auth::AuthSettings;
use real_estate_mcp::config::{CacheSettings, Settings};

use super::fields;
use testkit::repo::read;

/// The upper-case variable name `text` starts with (empty if none).
fn name_at_start(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
        .collect()
}

/// `NAME=value` lines of `.env.example` as (name, value, active), commented out or not.
pub(crate) fn env_example() -> Vec<(String, String, bool)> {
    read(".env.example")
        .lines()
        .filter_map(|line| {
            let (active, body) = match line.strip_prefix("# ") {
                Some(body) => (false, body),
                None => (true, line),
            };
            let (name, value) = body.split_once('=')?;
            let valid = !name.is_empty() && name_at_start(name) == name;
            valid.then(|| (name.to_owned(), value.to_owned(), active))
        })
        .collect()
}

/// Variables the Caddyfile reads (`{$NAME}` and `{$NAME:default}`), comments aside.
pub(crate) fn caddyfile() -> BTreeSet<String> {
    let caddyfile = read("caddy/Caddyfile");
    let directives: Vec<&str> = caddyfile
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect();
    directives
        .join("\n")
        .split("{$")
        .skip(1)
        .map(name_at_start)
        .filter(|name| !name.is_empty())
        .collect()
}

/// Variables the command line reads (clap's `[env: NAME…]` in the help texts).
pub(crate) fn command_line() -> BTreeSet<String> {
    let binary = super::service::binary().unwrap();
    let mut found = BTreeSet::new();
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["check-key", "--help"],
        &["verify", "--help"],
    ] {
        let output = Command::new(&binary).args(args).output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout).into_owned();
        found.extend(help.split("[env: ").skip(1).map(name_at_start));
    }
    found
}

/// Every variable the service's configuration reads, from its settings structs.
pub(crate) fn service() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = fields::variables::<Settings>().into_iter().collect();
    names.extend(fields::variables::<AuthSettings>());
    names.extend(fields::variables::<CacheSettings>());
    // Read by env_logger, not by the configuration.
    names.insert("RUST_LOG".to_owned());
    names
}

/// The variables `docs/configuration.md` documents: the first cell of the rows of its tables
/// whose first column is "Variable".
pub(crate) fn documented() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut in_variable_table = false;
    for line in read("docs/configuration.md").lines() {
        if !line.starts_with('|') {
            in_variable_table = false;
        } else if line.starts_with("| Variable |") {
            in_variable_table = true;
        } else if in_variable_table
            && let Some(name) = line.strip_prefix("| `").and_then(|r| r.split('`').next())
        {
            found.insert(name.to_owned());
        }
    }
    found
}
