//! The end-to-end tests, linked into one binary so that an edit to the service rebuilds and
//! links one test executable rather than one per file. Each module holds what used to be its
//! own test file; `support` is the harness they share.

mod support;

mod bundle;
mod caddy_modes;
mod caddy_routes;
mod faults_restart;
mod stack_guarded;
mod stack_open;
mod verify_stack;
