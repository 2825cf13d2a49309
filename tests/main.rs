//! The end-to-end tests, linked into one binary so that an edit to the service rebuilds and
//! links one test executable rather than one per file. Each module holds what used to be its
//! own test file; `support` is the harness they share.

mod support;

mod bundle;
mod caddy_modes;
mod caddy_routes;
mod conformance;
mod docs;
mod faults_restart;
mod replicas;
mod sdk_sign_in;
mod stack_guarded;
mod stack_open;
mod verify_stack;
mod views;

/// A test file `main.rs` does not declare is never compiled: cargo finds no targets in this
/// directory by itself.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let undeclared = testkit::layout::undeclared_modules(here).unwrap();
    assert!(
        undeclared.is_empty(),
        "declare them with `mod`: {undeclared:?}"
    );
}
