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
mod mcp_guarded;
mod mcp_protocol;
mod molit_client;
mod odcloud;
mod stdio;
mod tools_analytics;
mod tools_more_data;
mod tools_over_http;
mod transactions;
mod verify;
