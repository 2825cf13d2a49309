//! Startup validation of the auth variables: every mistake names the variable at fault.

use std::time::Duration;

use real_estate_mcp::auth::{AuthConfig, AuthMode};

use crate::helpers::auth::settings;

fn error_variable(pairs: &[(&str, &str)], base: Option<&str>) -> &'static str {
    match AuthConfig::from_settings(&settings(pairs), base) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(err) => err.variable,
    }
}

const SECRET: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn default_is_open_and_explicit_none_too() {
    let open = AuthConfig::from_settings(&settings(&[]), None).unwrap();
    assert_eq!(open.mode(), AuthMode::None);
    let none = AuthConfig::from_settings(&settings(&[("AUTH_MODE", "none")]), None).unwrap();
    assert_eq!(none.mode(), AuthMode::None);
}

#[test]
fn unknown_or_empty_mode_is_refused() {
    assert_eq!(error_variable(&[("AUTH_MODE", "OAuth")], None), "AUTH_MODE");
    assert_eq!(error_variable(&[("AUTH_MODE", "open")], None), "AUTH_MODE");
    assert_eq!(error_variable(&[("AUTH_MODE", "")], None), "AUTH_MODE");
}

#[test]
fn forgotten_mode_with_a_token_source_is_refused_not_open() {
    let err =
        AuthConfig::from_settings(&settings(&[("AUTH0_DOMAIN", "t.auth0.com")]), None).unwrap_err();
    assert_eq!(err.variable, "AUTH_MODE");
    assert!(err.to_string().contains("AUTH_MODE=oauth"), "{err}");
}

#[test]
fn guarded_mode_needs_a_secure_public_base_url() {
    let pairs = [
        ("AUTH_MODE", "oauth"),
        ("AUTH0_DOMAIN", "t.auth0.com"),
        ("ALLOWED_USERS", "*"),
    ];
    assert_eq!(error_variable(&pairs, None), "PUBLIC_BASE_URL");
    assert_eq!(error_variable(&pairs, Some("")), "PUBLIC_BASE_URL");
    assert_eq!(
        error_variable(&pairs, Some("http://mcp.example")),
        "PUBLIC_BASE_URL"
    );
    assert_eq!(
        error_variable(&pairs, Some("mcp.example")),
        "PUBLIC_BASE_URL"
    );
    assert_eq!(
        error_variable(&pairs, Some("https://mcp.example/x")),
        "PUBLIC_BASE_URL"
    );
    assert!(AuthConfig::from_settings(&settings(&pairs), Some("http://127.0.0.1:8080")).is_ok());
}

#[test]
fn guarded_mode_needs_a_token_source() {
    let err = AuthConfig::from_settings(
        &settings(&[("AUTH_MODE", "oauth")]),
        Some("https://h.example"),
    )
    .unwrap_err();
    assert_eq!(err.variable, "AUTH_MODE");
    assert!(err.problem.contains("AUTH0_DOMAIN"), "{err}");
}

#[test]
fn provider_urls_are_checked() {
    let base = Some("https://h.example");
    let oauth = ("AUTH_MODE", "oauth");
    assert_eq!(
        error_variable(&[oauth, ("OIDC_ISSUER", "http://idp.example/")], base),
        "OIDC_ISSUER"
    );
    assert_eq!(
        error_variable(&[oauth, ("OIDC_ISSUER", "not a url")], base),
        "OIDC_ISSUER"
    );
    assert_eq!(
        error_variable(&[oauth, ("AUTH0_DOMAIN", "http://t.auth0.com")], base),
        "AUTH0_DOMAIN"
    );
    assert_eq!(
        error_variable(
            &[
                oauth,
                ("AUTH0_DOMAIN", "t.auth0.com"),
                ("OIDC_ISSUER", "https://i.example/")
            ],
            base
        ),
        "OIDC_ISSUER"
    );
    assert_eq!(
        error_variable(
            &[
                oauth,
                ("AUTH0_DOMAIN", "t.auth0.com"),
                ("AUTH0_AUDIENCE", "a b")
            ],
            base
        ),
        "AUTH0_AUDIENCE"
    );
}

#[test]
fn client_credentials_are_checked() {
    let base = Some("https://h.example");
    let oauth = ("AUTH_MODE", "oauth");
    assert_eq!(
        error_variable(
            &[
                oauth,
                ("OAUTH_CLIENT_ID", "scripts"),
                ("OAUTH_CLIENT_SECRET", "short")
            ],
            base
        ),
        "OAUTH_CLIENT_SECRET"
    );
    assert_eq!(
        error_variable(&[oauth, ("OAUTH_CLIENT_ID", "scripts")], base),
        "OAUTH_CLIENT_SECRET"
    );
    assert_eq!(
        error_variable(&[oauth, ("OAUTH_CLIENT_SECRET", SECRET)], base),
        "OAUTH_CLIENT_ID"
    );
    assert_eq!(
        error_variable(
            &[
                oauth,
                ("OAUTH_CLIENT_ID", "{bad}"),
                ("OAUTH_CLIENT_SECRET", SECRET)
            ],
            base
        ),
        "OAUTH_CLIENT_ID"
    );
    assert_eq!(
        error_variable(
            &[
                oauth,
                ("OAUTH_CLIENT_ID", "s"),
                ("OAUTH_CLIENT_SECRET", SECRET),
                ("OAUTH_TOKEN_TTL", "1h")
            ],
            base
        ),
        "OAUTH_TOKEN_TTL"
    );
}

#[test]
fn tuning_values_and_flags_are_checked() {
    let base = Some("https://h.example");
    let oauth = ("AUTH_MODE", "oauth");
    let auth0 = ("AUTH0_DOMAIN", "t.auth0.com");
    let anyone = ("ALLOWED_USERS", "*");
    assert_eq!(
        error_variable(&[oauth, auth0, ("AUTH0_USERINFO_FALLBACK", "maybe")], base),
        "AUTH0_USERINFO_FALLBACK"
    );
    assert_eq!(
        error_variable(
            &[
                oauth,
                ("OAUTH_CLIENT_ID", "s"),
                ("OAUTH_CLIENT_SECRET", SECRET),
                ("AUTH0_USERINFO_FALLBACK", "true")
            ],
            base
        ),
        "AUTH0_USERINFO_FALLBACK"
    );
    assert_eq!(
        error_variable(&[oauth, auth0, anyone, ("JWKS_REFRESH_SECS", "-1")], base),
        "JWKS_REFRESH_SECS"
    );
    assert_eq!(
        error_variable(&[oauth, auth0, anyone, ("JWKS_COOLDOWN_SECS", "x")], base),
        "JWKS_COOLDOWN_SECS"
    );
    assert_eq!(
        error_variable(&[oauth, auth0, anyone, ("JWKS_MAX_AGE_SECS", "600")], base),
        "JWKS_MAX_AGE_SECS",
        "keys would expire before the next refresh"
    );
    assert_eq!(
        error_variable(&[oauth, auth0, anyone, ("EMAIL_CLAIM", "e mail")], base),
        "EMAIL_CLAIM"
    );
}

#[test]
fn a_provider_without_an_access_list_refuses_to_start() {
    let base = Some("https://h.example");
    for provider in [
        ("AUTH0_DOMAIN", "t.auth0.com"),
        ("OIDC_ISSUER", "https://sso.example/realms/home"),
    ] {
        for empty in [None, Some(""), Some(" , ")] {
            let mut pairs = vec![("AUTH_MODE", "oauth"), provider];
            pairs.extend(empty.map(|value| ("ALLOWED_USERS", value)));
            let err = AuthConfig::from_settings(&settings(&pairs), base).unwrap_err();
            assert_eq!(err.variable, "ALLOWED_USERS", "{provider:?} {empty:?}");
            assert!(err.problem.contains("ALLOWED_USERS=*"), "{err}");
        }
    }
    let mixed = [
        ("AUTH_MODE", "oauth"),
        ("AUTH0_DOMAIN", "t.auth0.com"),
        ("ALLOWED_USERS", "*, auth0|1"),
    ];
    assert_eq!(error_variable(&mixed, base), "ALLOWED_USERS");
}

#[test]
fn the_access_list_is_optional_with_client_credentials_alone() {
    let config = AuthConfig::from_settings(
        &settings(&[
            ("AUTH_MODE", "oauth"),
            ("OAUTH_CLIENT_ID", "scripts"),
            ("OAUTH_CLIENT_SECRET", SECRET),
        ]),
        Some("https://h.example"),
    )
    .unwrap();
    let AuthConfig::Guarded(config) = config else {
        panic!("expected guarded mode");
    };
    assert_eq!(config.access, None);
}

#[test]
fn explicit_anyone_and_named_users_start() {
    for (value, expected) in [
        ("*", "`*`: anyone who can log in at the provider"),
        (
            "auth0|64f0, google-oauth2|1 owner@example.com",
            "2 subjects and 1 e-mail address",
        ),
    ] {
        let config = AuthConfig::from_settings(
            &settings(&[
                ("AUTH_MODE", "oauth"),
                ("AUTH0_DOMAIN", "t.auth0.com"),
                ("ALLOWED_USERS", value),
            ]),
            Some("https://h.example"),
        )
        .unwrap();
        let AuthConfig::Guarded(config) = config else {
            panic!("expected guarded mode");
        };
        assert_eq!(config.access.unwrap().describe(), expected);
        let provider = config.provider.unwrap();
        assert_eq!(provider.email_claim, "email");
        assert_eq!(provider.audience_variable, "AUTH0_AUDIENCE");
        assert_eq!(config.jwks_max_age, Duration::from_secs(86_400));
    }
}

#[test]
fn auth0_defaults_are_derived_from_the_domain_and_base_url() {
    let config = AuthConfig::from_settings(
        &settings(&[
            ("AUTH_MODE", "oauth"),
            ("AUTH0_DOMAIN", "tenant.us.auth0.com"),
            ("ALLOWED_USERS", "auth0|1"),
            ("OAUTH_CLIENT_ID", "scripts"),
            ("OAUTH_CLIENT_SECRET", SECRET),
            ("REQUIRED_SCOPES", "read:data, mcp read:data"),
            ("AUTH0_USERINFO_FALLBACK", ""),
        ]),
        Some("https://Mcp.Example/"),
    )
    .unwrap();
    let AuthConfig::Guarded(config) = config else {
        panic!("expected guarded mode");
    };
    assert_eq!(config.public_base_url, "https://mcp.example");
    assert_eq!(config.resource, "https://mcp.example/mcp");
    assert_eq!(config.required_scopes, ["read:data", "mcp"]);
    assert_eq!(config.advertised_scopes, ["openid", "read:data", "mcp"]);
    assert_eq!(config.jwks_refresh, Duration::from_secs(600));
    let provider = config.provider.as_ref().unwrap();
    assert_eq!(provider.issuer, "https://tenant.us.auth0.com/");
    assert_eq!(provider.audience, "https://mcp.example/mcp");
    assert_eq!(
        provider.discovery_url,
        "https://tenant.us.auth0.com/.well-known/openid-configuration"
    );
    assert!(!provider.userinfo_fallback);
    let client = config.client_credentials.as_ref().unwrap();
    assert_eq!(client.token_ttl, Duration::from_secs(3600));
    let debug = format!("{config:?}");
    assert!(!debug.contains(SECRET), "secret leaked into Debug: {debug}");
}

fn advertised(pairs: &[(&str, &str)]) -> Vec<String> {
    match AuthConfig::from_settings(&settings(pairs), Some("https://mcp.example")) {
        Ok(AuthConfig::Guarded(config)) => config.advertised_scopes,
        other => panic!("expected guarded mode, got {other:?}"),
    }
}

#[test]
fn a_client_always_has_a_scope_to_ask_for() {
    let provider = [
        ("AUTH_MODE", "oauth"),
        ("OIDC_ISSUER", "https://id.example/realms/x"),
        ("ALLOWED_USERS", "user-1"),
    ];
    // Nothing configured: openid, which every OpenID provider grants.
    assert_eq!(advertised(&provider), ["openid"]);
    // Required scopes are always advertised too (offline_access never is).
    let required = [
        &provider[..],
        &[("REQUIRED_SCOPES", "mcp:use offline_access")],
    ]
    .concat();
    assert_eq!(advertised(&required), ["openid", "mcp:use"]);
    let chosen = [
        &required[..],
        &[("ADVERTISED_SCOPES", "mcp:tools, mcp:use")],
    ]
    .concat();
    assert_eq!(advertised(&chosen), ["mcp:tools", "mcp:use"]);
    // docker-compose passes an empty value for a variable left blank in .env.
    let blank = [&provider[..], &[("ADVERTISED_SCOPES", " ")]].concat();
    assert_eq!(advertised(&blank), ["openid"]);
    // Built-in client credentials only: callers name their scope themselves.
    let scripts = [
        ("AUTH_MODE", "oauth"),
        ("OAUTH_CLIENT_ID", "scripts"),
        ("OAUTH_CLIENT_SECRET", SECRET),
    ];
    assert!(advertised(&scripts).is_empty());
    let refresh = [
        &provider[..],
        &[("ADVERTISED_SCOPES", "openid offline_access")],
    ]
    .concat();
    assert_eq!(
        error_variable(&refresh, Some("https://mcp.example")),
        "ADVERTISED_SCOPES"
    );
}

#[test]
fn raw_settings_debug_hides_the_secret() {
    let raw = settings(&[("OAUTH_CLIENT_SECRET", SECRET)]);
    assert!(!format!("{raw:?}").contains(SECRET));
}
