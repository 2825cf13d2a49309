//! The `/auth` decision Caddy asks for on every guarded request: the `Authorization` value
//! is split into scheme and token, the token's segments are decoded and its signature
//! checked. Whatever the header holds, the gate answers (never panics) and never lets it
//! through: the fuzzer does not know the client secret the tokens are signed with.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use real_estate_mcp::{
    auth::{AuthConfig, AuthGate, AuthSettings},
    origin::OriginPolicy,
};

const BASE: &str = "https://mcp.example.test";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

/// A guarded gate with only the built-in client credentials: verification is entirely
/// local, so every input takes the same deterministic path.
fn gate() -> &'static Arc<AuthGate> {
    static GATE: OnceLock<Arc<AuthGate>> = OnceLock::new();
    GATE.get_or_init(|| {
        let settings = AuthSettings {
            auth_mode: Some("oauth".into()),
            oauth_client_id: Some("fuzz".into()),
            oauth_client_secret: Some("0123456789abcdef0123456789abcdef-fuzz".into()),
            required_scopes: Some("mcp".into()),
            ..AuthSettings::default()
        };
        let config = AuthConfig::from_settings(&settings, Some(BASE)).expect("config");
        let public = BASE.parse().expect("url");
        let origins = OriginPolicy::new(Some(&public), &[]);
        runtime().block_on(async { AuthGate::start(config, reqwest::Client::new(), origins) })
    })
}

fuzz_target!(|header: &[u8]| {
    // The route passes header bytes on lossily, exactly like this.
    let header = String::from_utf8_lossy(header);
    let reply = runtime().block_on(gate().authorize(Some(&header), None));
    assert!(
        [401, 403].contains(&reply.status),
        "status {} for {header:?}: {}",
        reply.status,
        reply.body
    );
});
