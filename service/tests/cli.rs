//! The command line as a person meets it: help, version, configuration errors.

use std::process::{Command, Output};

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_real-estate-mcp"));
    command.args(args).env_clear().env("RUST_LOG", "error");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[test]
fn version_and_help_are_readable() {
    let version = run(&["--version"], &[]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("real-estate-mcp {}", env!("CARGO_PKG_VERSION"))
    );
    let help = String::from_utf8_lossy(&run(&["--help"], &[]).stdout).into_owned();
    for command in ["serve", "stdio", "healthcheck", "status", "verify"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
}

#[test]
fn a_bad_value_stops_startup_naming_the_variable() {
    let out = run(&["serve"], &[("UPSTREAM_TIMEOUT_SECS", "soon")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("UPSTREAM_TIMEOUT_SECS"), "{stderr}");
}

#[test]
fn an_empty_value_means_the_default_except_for_auth_mode() {
    // A config error exits 2; an unhealthy target exits 1: here the config must load.
    let closed = "http://127.0.0.1:1/healthz";
    let out = run(
        &["healthcheck", "--url", closed],
        &[
            ("CACHE_MAX_MB", ""),
            ("LISTEN_ADDR", ""),
            ("DATA_GO_KR_BASE_URL", ""),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run(&["healthcheck", "--url", closed], &[("AUTH_MODE", "")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AUTH_MODE is empty"));
}

#[test]
fn a_guarded_mode_without_a_token_source_refuses_to_start() {
    let out = run(
        &["serve"],
        &[
            ("AUTH_MODE", "oauth"),
            ("PUBLIC_BASE_URL", "https://home.example.net"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn status_without_a_running_server_says_so_and_fails() {
    let out = run(&["status", "--url", "http://127.0.0.1:1/metrics"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not running"), "{stderr}");
    assert!(
        stderr.contains("docker compose exec mcp real-estate-mcp status"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
