//! `real-estate-mcp verify` against the loopback stack: the real binary behind the real Caddy
//! with the project's Caddyfile and the stand-in OpenID provider. PASS when the stack is right,
//! and the specific FAIL when a fault is injected. The untrusted certificate uses the stand-in
//! service, which records that no request got past the failed handshake.

use std::process::{Command, Output};
use std::time::Duration;

use crate::support::caddy::{Caddy, CaddySetup};
use crate::support::scratch::Scratch;
use crate::support::service::{self, Service};
use crate::support::stack::{Stack, StackSetup, guarded_env, open_env};
use real_estate_mcp::verify::{self, CheckId, Status, VerifyOptions, VerifyReport};
use serde_json::json;
use testkit::net::free_port;
use testkit::oidc::{Mint, OidcProvider};
use testkit::repo;
use testkit::site::{McpGate, Site, SiteOptions};

/// `real-estate-mcp verify <url> --allow-http-loopback [args]` as a person runs it, the token
/// passed through `VERIFY_TOKEN` as the docs suggest (it stays out of the process list).
fn verify_command(url: &str, token: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(service::binary().unwrap());
    command
        .args(["verify", url, "--allow-http-loopback"])
        .args(args)
        .env_clear();
    if let Some(token) = token {
        command.env("VERIFY_TOKEN", token);
    }
    let output = command.output().unwrap();
    testkit::docs::assert_verify_output_documented(&String::from_utf8_lossy(&output.stdout));
    output
}

/// Runs [`verify_command`] off the async runtime, which must keep serving the provider.
async fn verify_binary(
    url: String,
    token: Option<String>,
    args: &'static [&'static str],
) -> (Output, String) {
    let output = tokio::task::spawn_blocking(move || verify_command(&url, token.as_deref(), args))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, text)
}

/// The printed report's line for the check titled `title`, with its fix line if any.
fn lines_of(text: &str, title: &str) -> String {
    let mut found = String::new();
    let mut inside = false;
    for line in text.lines() {
        if !line.starts_with("      fix:") {
            inside = line.get(6..).is_some_and(|rest| rest.starts_with(title));
        }
        if inside {
            found.push_str(line);
            found.push('\n');
        }
    }
    found
}

/// `verify::run` as the library offers it, and the printed report.
async fn verify_url(url: &str, token: Option<&str>) -> (VerifyReport, String) {
    let mut opts = VerifyOptions::new(url);
    opts.token = token.map(Into::into);
    opts.insecure_http_ok_for_loopback = true;
    let report = verify::run(&opts).await;
    let mut out = Vec::new();
    report.print(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    testkit::docs::assert_verify_output_documented(&text);
    (report, text)
}

async fn guarded_stack(public_host: &str) -> (OidcProvider, Stack) {
    let provider = OidcProvider::start().await.unwrap();
    let mut setup = StackSetup::new("oauth", guarded_env(&provider));
    setup.public_host = public_host.to_owned();
    let stack = Stack::start(&setup).await.unwrap();
    (provider, stack)
}

#[tokio::test]
async fn the_binary_passes_a_guarded_stack_and_exits_zero() {
    let (provider, stack) = guarded_stack("127.0.0.1").await;
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    let (output, text) = verify_binary(stack.mcp_url(), Some(token), &["--register-client"]).await;
    assert!(output.status.success(), "{text}");
    for title in [
        "address",
        "server reachable",
        "protected-resource metadata",
        "resource matches the URL",
        "authorization-server metadata",
        "issuer",
        "/mcp without a token",
        "client registration (DCR)",
        "MCP round trip",
    ] {
        assert!(
            lines_of(&text, title).starts_with("PASS"),
            "{title}:\n{text}"
        );
    }
    assert!(
        lines_of(&text, "TLS certificate").starts_with("SKIP"),
        "{text}"
    );
    assert!(
        lines_of(&text, "MCP round trip").contains("real-estate-mcp "),
        "the round trip names the server: {text}"
    );
    assert!(
        text.contains("dcr-client-1") && !text.contains("dcr-secret"),
        "{text}"
    );
    assert_eq!(provider.registrations(), 1);
}

#[tokio::test]
async fn a_public_base_url_unlike_the_url_used_is_the_resource_failure() {
    // The service believes it is http://localhost:<port>; people were given 127.0.0.1.
    let (provider, stack) = guarded_stack("localhost").await;
    let resource = stack.mcp_url().replace("127.0.0.1", "localhost");
    let token = provider.mint(Mint::Valid, &resource).unwrap();
    let (output, text) = verify_binary(stack.mcp_url(), Some(token), &[]).await;
    assert_eq!(output.status.code(), Some(1), "{text}");
    let resource_lines = lines_of(&text, "resource matches the URL");
    assert!(resource_lines.starts_with("FAIL"), "{text}");
    assert!(resource_lines.contains(&resource), "{text}");
    let fix = format!("PUBLIC_BASE_URL={} ", stack.caddy.http_url(""));
    assert!(resource_lines.contains(&fix), "{text}");
    assert!(lines_of(&text, "issuer").starts_with("PASS"), "{text}");
}

#[tokio::test]
async fn a_guarded_service_behind_a_caddy_without_auth_mode_is_named_as_such() {
    let provider = OidcProvider::start().await.unwrap();
    let stack = Stack::start(&StackSetup::new("none", guarded_env(&provider)))
        .await
        .unwrap();
    let token = provider.mint(Mint::Valid, &stack.resource()).unwrap();
    let (report, text) = verify_url(&stack.mcp_url(), Some(&token)).await;
    assert!(!report.all_passed(), "{text}");
    for id in [CheckId::Unauthenticated, CheckId::RoundTrip] {
        let check = report.check(id).unwrap();
        assert_eq!(check.status, Status::Fail, "{id:?}\n{text}");
        assert!(check.detail.contains("without Caddy checking it"), "{text}");
        let fix = check.fix.as_deref().unwrap_or_default();
        assert!(fix.contains("AUTH_MODE=oauth"), "{text}");
    }
    // The metadata is right: only Caddy is at fault.
    assert_eq!(
        report.status(CheckId::Resource),
        Some(Status::Pass),
        "{text}"
    );
}

#[tokio::test]
async fn an_open_service_behind_a_guarded_caddy_is_named_as_such() {
    let stack = Stack::start(&StackSetup::new("oauth", open_env()))
        .await
        .unwrap();
    let (report, text) = verify_url(&stack.mcp_url(), None).await;
    let check = report.check(CheckId::Unauthenticated).unwrap();
    assert_eq!(check.status, Status::Fail, "{text}");
    assert!(check.detail.contains("AUTH_MODE=none"), "{text}");
}

#[tokio::test]
async fn an_untrusted_certificate_is_the_certificate_failure() {
    // For `localhost` Caddy signs its own certificate, which no client trusts.
    let options = SiteOptions {
        mcp_gate: McpGate::IdentityHeader,
        ..SiteOptions::default()
    };
    let site = Site::start(options).await.unwrap();
    let mut setup = CaddySetup::new("oauth", site.addr());
    setup.domain = Some("localhost".to_owned());
    let caddy = Caddy::start(&setup).await.unwrap();
    caddy
        .wait_for_stderr("certificate obtained successfully", Duration::from_secs(20))
        .await
        .unwrap();

    let url = format!("https://localhost:{}/mcp", caddy.https_port());
    // The printed report is all a person sees: no TLS library line on top of it.
    let (output, text) = verify_binary(url.clone(), None, &[]).await;
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        lines_of(&text, "TLS certificate").starts_with("FAIL"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "stray log lines: {stderr}");
    let report = verify::run(&VerifyOptions::new(url)).await;
    let mut out = Vec::new();
    report.print(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    testkit::docs::assert_verify_output_documented(&text);
    assert_eq!(
        report.status(CheckId::Certificate),
        Some(Status::Fail),
        "{text}"
    );
    let detail = &report.check(CheckId::Certificate).unwrap().detail;
    assert!(detail.contains("certificate was refused"), "{text}");
    assert!(
        site.seen().is_empty(),
        "a request got past the failed handshake: {text}"
    );
}

#[tokio::test]
async fn connect_to_reaches_the_stack_where_the_urls_host_does_not() {
    // As from a container, where `localhost` is the container itself: Caddy listens on
    // another address (here 127.0.0.2; on the compose network the `caddy` container), and
    // the service, told PUBLIC_BASE_URL=http://localhost:<port>, must see that host name.
    let port = free_port().unwrap();
    let mut env = open_env();
    env.push((
        "PUBLIC_BASE_URL".to_owned(),
        format!("http://localhost:{port}"),
    ));
    let service = Service::start(&env).await.unwrap();
    let mut setup = CaddySetup::new("none", service.addr());
    setup.http_port = Some(port);
    setup.loopback_only = false;
    setup.extra_env = vec![("CADDY_BIND".to_owned(), "127.0.0.2".to_owned())];
    let _caddy = Caddy::start(&setup).await.unwrap();
    let url = format!("http://localhost:{port}/mcp");

    let (output, text) = verify_binary(url.clone(), None, &[]).await;
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        lines_of(&text, "server reachable").starts_with("FAIL"),
        "{text}"
    );

    let (output, text) = verify_binary(url, None, &["--connect-to", "127.0.0.2"]).await;
    assert!(output.status.success(), "{text}");
    let reachable = lines_of(&text, "server reachable");
    assert!(reachable.contains("(through 127.0.0.2)"), "{text}");
    assert!(
        lines_of(&text, "MCP round trip").starts_with("PASS"),
        "{text}"
    );
    assert!(text.contains("Checking http://localhost:"), "{text}");
}

/// Runs `scripts/verify.sh` where the only programs are the basic system ones and a fake
/// `docker` that records its arguments, as for a person with nothing but Docker installed.
fn verify_script(args: &[&str], env: &[(&str, &str)]) -> (Output, Vec<String>) {
    let scratch = Scratch::new("verify-sh").unwrap();
    let bin = scratch.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let record = scratch.path().join("docker-args");
    let fake = bin.join("docker");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > {}\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let output = Command::new("bash")
        .arg(repo::root().join("scripts/verify.sh"))
        .args(args)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let recorded = std::fs::read_to_string(&record).unwrap_or_default();
    (output, recorded.lines().map(str::to_owned).collect())
}

#[test]
fn verify_sh_with_only_docker_checks_loopback_through_caddy_and_passes_the_token_by_name() {
    let run = ["compose", "run", "--rm", "--no-deps", "-T"];
    let (output, args) = verify_script(
        &["http://localhost/mcp", "--allow-http-loopback"],
        &[("VERIFY_TOKEN", "secret-token-value")],
    );
    assert!(output.status.success(), "{output:?}");
    let mut expected: Vec<&str> = run.to_vec();
    expected.extend([
        "-e",
        "VERIFY_TOKEN",
        "mcp",
        "verify",
        "http://localhost/mcp",
    ]);
    expected.extend(["--allow-http-loopback", "--connect-to", "caddy"]);
    assert_eq!(args, expected);

    for url in [
        "http://localhost:8080/mcp",
        "http://127.0.0.1/mcp",
        "http://[::1]/mcp",
    ] {
        let (_, args) = verify_script(&[url], &[]);
        assert_eq!(args[args.len() - 2..], ["--connect-to", "caddy"], "{url}");
        assert!(!args.contains(&"-e".to_owned()), "{args:?}");
    }
    // A public address is checked from the container the way the host would: DNS, router.
    let (_, args) = verify_script(&["https://my.ddns.net/mcp"], &[]);
    assert_eq!(
        args.last().map(String::as_str),
        Some("https://my.ddns.net/mcp")
    );
    // An explicit --connect-to is left alone.
    let (_, args) = verify_script(&["http://localhost/mcp", "--connect-to", "10.0.0.5"], &[]);
    assert_eq!(
        args.iter().filter(|a| *a == "--connect-to").count(),
        1,
        "{args:?}"
    );
}

#[tokio::test]
async fn a_token_of_a_user_outside_the_access_list_is_named_with_the_fix() {
    let (provider, stack) = guarded_stack("127.0.0.1").await;
    let mut claims = provider.claims(&stack.resource());
    claims["sub"] = json!("auth0|stranger-7");
    let (report, text) = verify_url(&stack.mcp_url(), Some(&provider.sign(&claims))).await;
    let check = report.check(CheckId::RoundTrip).unwrap();
    assert_eq!(check.status, Status::Fail, "{text}");
    assert!(check.detail.contains("auth0|stranger-7"), "{text}");
    let fix = check.fix.as_deref().unwrap_or_default();
    assert!(fix.contains("ALLOWED_USERS"), "{text}");
}

#[tokio::test]
async fn the_access_list_is_reported_from_the_deployments_env_file() {
    let (provider, stack) = guarded_stack("127.0.0.1").await;
    let scratch = Scratch::new("verify-env").unwrap();
    let env_file = scratch.path().join(".env");
    let base = stack.caddy.http_url("");
    let cases = [
        (Some("ALLOWED_USERS=auth0|user-1"), "PASS", "1 subject"),
        (Some("ALLOWED_USERS=*"), "WARN", "anyone who can log in"),
        (Some("# ALLOWED_USERS="), "FAIL", "ALLOWED_USERS"),
        (None, "SKIP", "--env-file"),
    ];
    for (line, status, needle) in cases {
        let mut args = Vec::new();
        if let Some(line) = line {
            let text = format!(
                "AUTH_MODE=oauth\nPUBLIC_BASE_URL={base}\nOIDC_ISSUER={}\n{line}\n",
                provider.issuer()
            );
            std::fs::write(&env_file, text).unwrap();
            args = vec!["--env-file".to_owned(), env_file.display().to_string()];
        }
        let url = stack.mcp_url();
        let output = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            verify_command(&url, None, &args)
        })
        .await
        .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let lines = lines_of(&text, "configuration (.env)");
        assert!(lines.starts_with(status), "{line:?}:\n{text}");
        assert!(lines.contains(needle), "{line:?}:\n{text}");
    }
}
