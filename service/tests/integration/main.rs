//! The service's integration tests, linked into one binary so that an edit rebuilds and links
//! the service, actix, rmcp and the TLS stack once rather than once per file. Each module holds
//! what used to be its own test file; `helpers` is what they share.

mod helpers;

mod analytics;
mod auth_caller;
mod auth_client_credentials;
mod auth_config;
mod auth_gate;
mod auth_keys;
mod auth_metadata;
mod auth_userinfo;
mod cli;
mod faults_auth;
mod faults_input;
mod faults_upstream;
mod layers;
mod mcp_guarded;
mod mcp_protocol;
mod molit_client;
mod odcloud;
mod shared_store;
mod stdio;
mod tools_analytics;
mod tools_more_data;
mod tools_over_http;
mod transactions;
mod verify;

/// A file this binary does not declare is never compiled, and a `.rs` file or a directory
/// with a `main.rs` elsewhere under `service/tests` becomes a test binary of its own (data such
/// as fixtures may live there): either way the layout above erodes.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let undeclared = testkit::layout::undeclared_modules(&tests.join("integration")).unwrap();
    assert!(
        undeclared.is_empty(),
        "declare them with `mod`: {undeclared:?}"
    );
    let binaries: Vec<_> = std::fs::read_dir(&tests)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "rs") || path.join("main.rs").is_file()
        })
        .filter(|path| !path.ends_with("integration"))
        .collect();
    assert!(
        binaries.is_empty(),
        "move these into service/tests/integration/: {binaries:?}"
    );
}
