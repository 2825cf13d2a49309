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
    for command in [
        "serve",
        "stdio",
        "healthcheck",
        "status",
        "check-key",
        "verify",
    ] {
        assert!(help.contains(command), "{command} missing from --help");
    }
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["check-key", "--help"],
    ] {
        let help = String::from_utf8_lossy(&run(args, &[]).stdout).into_owned();
        assert!(help.contains("docs/configuration.md"), "{args:?}: {help}");
        assert!(
            help.contains(&format!(
                "{}/blob/main/docs/configuration.md",
                env!("CARGO_PKG_REPOSITORY")
            )),
            "{args:?}: {help}"
        );
    }
    // `verify` reads the deployment's settings only for the checks that cannot be seen from
    // outside (the access list): from `--env-file`, `--config` or its own environment.
    let verify = String::from_utf8_lossy(&run(&["verify", "--help"], &[]).stdout).into_owned();
    for option in [
        "--allow-http-loopback",
        "--timeout-secs",
        "--connect-to",
        "--env-file",
        "--config",
    ] {
        assert!(verify.contains(option), "{option} missing: {verify}");
    }
    for command in ["serve", "status"] {
        let help = String::from_utf8_lossy(&run(&[command, "--help"], &[]).stdout).into_owned();
        assert!(help.contains("--config <FILE>"), "{command}: {help}");
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

/// `check-key` against the stand-in portals, off the async runtime that serves them.
async fn check_key(env: Vec<(&'static str, String)>) -> (Option<i32>, String) {
    let output = tokio::task::spawn_blocking(move || {
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        run(&["check-key"], &pairs)
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code(), text)
}

mod check_key {
    use testkit::molit::{Fault, Kind, MolitStandIn};
    use testkit::odcloud::{COMPETITION_PATH, OdcloudStandIn, TEST_KEY};

    use super::check_key;

    /// Where the probes ask (see `keycheck`): one month of one district.
    const DISTRICT: &str = "11110";
    const MONTH: &str = "202401";

    async fn portals() -> (MolitStandIn, OdcloudStandIn) {
        let molit = MolitStandIn::start(TEST_KEY).await.unwrap();
        let odcloud = OdcloudStandIn::start().await.unwrap();
        (molit, odcloud)
    }

    fn env(
        molit: &MolitStandIn,
        odcloud: &OdcloudStandIn,
        key: &str,
    ) -> Vec<(&'static str, String)> {
        vec![
            ("DATA_GO_KR_API_KEY", key.to_owned()),
            ("DATA_GO_KR_BASE_URL", molit.base_url().to_owned()),
            ("ODCLOUD_BASE_URL", odcloud.base_url()),
        ]
    }

    /// The line of the dataset `name` and its note, if any.
    fn entry(text: &str, name: &str) -> String {
        let mut lines = text.lines();
        let Some(at) = lines.position(|l| l.contains(&format!(" {name} ("))) else {
            panic!("no line for {name}:\n{text}");
        };
        let all: Vec<&str> = text.lines().collect();
        let mut found = all[at].to_owned();
        if let Some(note) = all.get(at + 1).filter(|l| l.starts_with("      ")) {
            found.push('\n');
            found.push_str(note);
        }
        found
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn names_the_approved_datasets_and_where_to_apply_for_the_others() {
        let (molit, odcloud) = portals().await;
        molit.set_month_fault(
            Kind::AptRent,
            DISTRICT,
            MONTH,
            Some(Fault::key_not_registered(403)),
        );
        let denied = Fault::Gateway {
            code: "20",
            status: 200,
        };
        molit.set_month_fault(Kind::OfficetelRent, DISTRICT, MONTH, Some(denied));
        molit.set_month_fault(
            Kind::LandTrade,
            DISTRICT,
            MONTH,
            Some(Fault::quota_exceeded()),
        );
        odcloud.withhold_approval(COMPETITION_PATH);

        let (code, text) = check_key(env(&molit, &odcloud, TEST_KEY)).await;
        assert_eq!(code, Some(1), "{text}");
        assert!(entry(&text, "아파트 매매").starts_with("PASS"), "{text}");
        for (name, page) in [
            (
                "아파트 전월세",
                "https://www.data.go.kr/data/15126474/openapi.do",
            ),
            (
                "오피스텔 전월세",
                "https://www.data.go.kr/data/15126475/openapi.do",
            ),
            (
                "한국부동산원_청약홈 청약접수 경쟁률 및 특별공급 신청현황",
                "https://www.data.go.kr/data/15098905/openapi.do",
            ),
        ] {
            let found = entry(&text, name);
            assert!(found.starts_with("FAIL"), "{found}");
            assert!(found.contains(&format!("apply at {page}")), "{found}");
        }
        let land = entry(&text, "토지 매매");
        assert!(land.starts_with("WARN") && land.contains("quota"), "{land}");
        assert!(entry(&text, "한국부동산원_청약홈 분양정보 조회 서비스").starts_with("PASS"));
        assert!(text.contains("13 of 16 datasets approved."), "{text}");
        assert!(text.contains("Requests used: 16 "), "{text}");
        assert!(!text.contains("Every dataset refused"), "{text}");
        // Exactly one request per dataset, for one row.
        assert_eq!(molit.requests(), 13);
        assert_eq!(molit.requests_for(Kind::AptTrade, DISTRICT, MONTH), 1);
        assert_eq!(odcloud.requests(), 3);
        assert!(
            odcloud
                .seen()
                .iter()
                .all(|r| r.param("perPage") == Some("1"))
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_key_refused_everywhere_is_called_wrong_and_all_approved_exits_zero() {
        let (molit, odcloud) = portals().await;
        let (code, text) = check_key(env(&molit, &odcloud, "not-the-key")).await;
        assert_eq!(code, Some(1), "{text}");
        assert!(text.contains("Every dataset refused the key"), "{text}");
        assert!(text.contains("0 of 16 datasets approved."), "{text}");
        assert!(!text.contains("not-the-key"), "the key was printed: {text}");

        // The portal's Encoding form of the key works as well.
        let encoded = TEST_KEY
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        let (code, text) = check_key(env(&molit, &odcloud, &encoded)).await;
        assert_eq!(code, Some(0), "{text}");
        assert!(text.contains("16 of 16 datasets approved."), "{text}");
        assert_eq!(molit.requests(), 26);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn without_a_key_nothing_is_asked() {
        let (molit, odcloud) = portals().await;
        let mut vars = env(&molit, &odcloud, "");
        vars.retain(|(k, _)| *k != "DATA_GO_KR_API_KEY");
        let (code, text) = check_key(vars).await;
        assert_eq!(code, Some(1), "{text}");
        assert!(text.contains("SKIP  아파트 매매"), "{text}");
        assert!(text.contains("Requests used: 0 "), "{text}");
        assert!(text.contains("No key is configured"), "{text}");
        assert_eq!(molit.requests() + odcloud.requests() as u32, 0);
    }
}
