//! The files a person installs: the Dockerfile (hadolint and its structure), the compose file
//! (the properties the deployment relies on), `.env.example` (every variable, and defaults
//! that Caddy accepts), `.dockerignore` (no secrets in the build context, everything the build
//! needs in it), and `docs/configuration.md` (every variable). The variable lists come from
//! the code: the service's settings structs, the Caddyfile and the command line's help.

use std::collections::BTreeSet;
use std::process::Command;

use e2e::caddy::{CADDY_VARIABLES, CaddySetup};
use e2e::tools::{self, repo_root};
use e2e::variables;
use e2e::yaml::{self, Yaml};

fn read(path: &str) -> String {
    let full = repo_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {}: {e}", full.display()))
}

fn compose() -> Yaml {
    yaml::parse(&read("docker-compose.yml")).unwrap()
}

fn service(name: &str) -> Yaml {
    compose()
        .at(&["services", name])
        .unwrap_or_else(|| panic!("no service {name}"))
        .clone()
}

fn text<'a>(node: &'a Yaml, path: &[&str]) -> &'a str {
    node.at(path)
        .and_then(Yaml::as_str)
        .unwrap_or_else(|| panic!("{path:?} missing in {node:?}"))
}

#[test]
fn hadolint_passes_the_dockerfile() {
    let hadolint = tools::hadolint().unwrap();
    let output = Command::new(hadolint)
        .arg(repo_root().join("Dockerfile"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "hadolint: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn dockerfile_builds_in_stages_and_runs_unprivileged_with_a_health_check() {
    let dockerfile = read("Dockerfile");
    let instructions: Vec<&str> = dockerfile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && !l.is_empty())
        .collect();
    let froms: Vec<&&str> = instructions
        .iter()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert!(
        froms.len() >= 3,
        "expected a dependency-caching multi-stage build: {froms:?}"
    );
    assert!(
        dockerfile.contains("cargo chef cook --release"),
        "dependencies are not cached"
    );
    let last_from = froms.last().unwrap();
    assert!(
        last_from.contains("distroless") || last_from.contains("slim"),
        "{last_from}"
    );
    let runtime = dockerfile.split(**last_from).nth(1).unwrap();
    let user = runtime
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the runtime stage sets no USER");
    let uid = user.split(':').next().unwrap();
    assert!(uid != "0" && uid != "root", "runs as {user}");
    assert!(
        runtime.contains("HEALTHCHECK"),
        "no HEALTHCHECK in the runtime stage"
    );
    assert!(
        runtime.contains("\"healthcheck\"]"),
        "HEALTHCHECK must use the binary"
    );
}

#[test]
fn compose_runs_exactly_the_service_and_caddy() {
    assert_eq!(compose().get("services").unwrap().keys(), ["mcp", "caddy"]);
}

#[test]
fn the_service_publishes_no_port_and_runs_locked_down() {
    let mcp = service("mcp");
    assert_eq!(text(&mcp, &["build"]), ".");
    assert!(mcp.get("ports").is_none(), "mcp must not publish ports");
    assert_eq!(mcp.get("env_file").unwrap().strings(), [".env"]);
    assert_eq!(text(&mcp, &["environment", "LISTEN_ADDR"]), "0.0.0.0:8080");
    assert_eq!(text(&mcp, &["restart"]), "unless-stopped");
    assert_eq!(text(&mcp, &["read_only"]), "true");
    let user = text(&mcp, &["user"]);
    assert!(
        !user.starts_with('0') && !user.starts_with("root"),
        "{user}"
    );
    assert_eq!(mcp.get("cap_drop").unwrap().strings(), ["ALL"]);
    let test = mcp.at(&["healthcheck", "test"]).unwrap().strings();
    assert_eq!(
        test,
        ["CMD", "/usr/local/bin/real-estate-mcp", "healthcheck"]
    );
}

#[test]
fn the_cache_lives_in_a_named_volume_the_unprivileged_service_can_write() {
    let mcp = service("mcp");
    let dir = text(&mcp, &["environment", "CACHE_DIR"]);
    let volumes = mcp.get("volumes").unwrap().strings();
    let mount = volumes
        .iter()
        .find(|v| v.ends_with(&format!(":{dir}")))
        .unwrap_or_else(|| panic!("CACHE_DIR {dir} is not kept in a volume: {volumes:?}"));
    let name = mount.split(':').next().unwrap();
    assert!(
        compose().get("volumes").unwrap().get(name).is_some(),
        "{name} is not a named volume"
    );
    // A new named volume takes the owner of the image's directory: it must be the user the
    // service runs as, or the read-only container cannot write its cache anywhere.
    let dockerfile = read("Dockerfile");
    let runtime = dockerfile.rsplit("\nFROM ").next().unwrap();
    let user = runtime
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .unwrap();
    assert_eq!(text(&mcp, &["user"]), user);
    assert!(
        runtime.lines().any(|l| l.starts_with("COPY ")
            && l.contains(&format!("--chown={user} "))
            && l.ends_with(&format!(" {dir}"))),
        "the runtime stage does not create {dir} for {user}"
    );
    assert!(runtime.contains(&format!("CACHE_DIR={dir}")), "{runtime}");
}

#[test]
fn caddy_is_pinned_published_persistent_and_waits_for_a_healthy_service() {
    let caddy = service("caddy");
    let image = text(&caddy, &["image"]);
    let version = image
        .strip_prefix("caddy:")
        .and_then(|tag| tag.strip_suffix("-alpine"))
        .unwrap_or_else(|| panic!("not a pinned caddy alpine image: {image}"));
    let parts: Vec<u32> = version.split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(parts.len(), 3, "pin a full version, not {version}");
    assert!(
        parts >= vec![2, 11, 2],
        "Caddy {version} forwards forged identity headers"
    );

    assert_eq!(
        caddy.get("ports").unwrap().strings(),
        ["80:80", "443:443", "443:443/udp"]
    );
    let volumes = caddy.get("volumes").unwrap().strings();
    assert!(
        volumes.contains(&"./caddy/Caddyfile:/etc/caddy/Caddyfile:ro"),
        "{volumes:?}"
    );
    assert!(repo_root().join("caddy/Caddyfile").is_file());
    let declared = compose().get("volumes").unwrap().clone();
    for target in ["/data", "/config"] {
        let mount = volumes
            .iter()
            .find(|v| v.ends_with(&format!(":{target}")))
            .unwrap_or_else(|| panic!("{target} is not kept in a volume"));
        let name = mount.split(':').next().unwrap();
        assert!(declared.get(name).is_some(), "{name} is not a named volume");
    }
    assert_eq!(caddy.get("env_file").unwrap().strings(), [".env"]);
    assert_eq!(
        text(&caddy, &["depends_on", "mcp", "condition"]),
        "service_healthy"
    );
    assert_eq!(text(&caddy, &["restart"]), "unless-stopped");
    assert_eq!(text(&caddy, &["read_only"]), "true");
    assert_eq!(caddy.get("cap_drop").unwrap().strings(), ["ALL"]);
    assert_eq!(
        caddy.get("cap_add").unwrap().strings(),
        ["NET_BIND_SERVICE"]
    );
}

#[test]
fn auth_mode_reaches_both_containers_only_from_the_env_file() {
    for name in ["mcp", "caddy"] {
        let node = service(name);
        assert!(
            node.at(&["environment", "AUTH_MODE"]).is_none(),
            "{name} overrides AUTH_MODE, so Caddy and the service could disagree"
        );
    }
}

/// What the Caddyfile reads only so that the tests can run Caddy on loopback: compose
/// publishes ports 80 and 443, so these must never appear in a user's `.env`.
const TEST_ONLY: [&str; 3] = ["HTTP_PORT", "HTTPS_PORT", "CADDY_BIND"];

#[test]
fn the_harness_clears_exactly_the_caddyfiles_variables() {
    let harness: BTreeSet<String> = CADDY_VARIABLES.iter().map(|v| (*v).to_owned()).collect();
    assert_eq!(harness, variables::caddyfile());
}

#[test]
fn env_example_lists_every_variable_and_nothing_else() {
    assert!(
        variables::service().len() > 20,
        "{:?}",
        variables::service()
    );
    let mut expected = variables::service();
    expected.extend(variables::caddyfile());
    for name in TEST_ONLY {
        expected.remove(name);
    }
    let listed: BTreeSet<String> = variables::env_example()
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    let missing: Vec<_> = expected.difference(&listed).collect();
    assert!(missing.is_empty(), "missing from .env.example: {missing:?}");
    let unknown: Vec<_> = listed.difference(&expected).collect();
    assert!(
        unknown.is_empty(),
        ".env.example lists what nothing reads: {unknown:?}"
    );
}

#[test]
fn configuration_docs_describe_every_variable_and_nothing_else() {
    let mut expected = variables::service();
    expected.extend(variables::caddyfile());
    expected.extend(variables::command_line());
    assert!(expected.contains("VERIFY_TOKEN"), "{expected:?}");
    let documented = variables::documented();
    let missing: Vec<_> = expected.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "missing from docs/configuration.md: {missing:?}"
    );
    let unknown: Vec<_> = documented.difference(&expected).collect();
    assert!(
        unknown.is_empty(),
        "documented but read by nothing: {unknown:?}"
    );
}

#[test]
fn env_example_holds_no_secret_and_its_defaults_start_caddy() {
    let variables = variables::env_example();
    for (name, value, _) in &variables {
        if name.contains("SECRET") || name.ends_with("_KEY") {
            assert!(value.is_empty(), "{name} ships with a value");
        }
    }
    let active = |name: &str| {
        variables
            .iter()
            .find(|(n, _, active)| n == name && *active)
            .map(|(_, v, _)| v.clone())
    };
    let mode = active("AUTH_MODE").expect("AUTH_MODE must be set explicitly");
    let mut setup = CaddySetup::new(&mode, "127.0.0.1:9".parse().unwrap());
    setup.loopback_only = false;
    // docker-compose.yml turns an empty DOMAIN into `http://`.
    let domain = active("DOMAIN").unwrap_or_default();
    setup.domain = Some(if domain.is_empty() {
        "http://".to_owned()
    } else {
        domain
    });
    setup.extra_env = vec![(
        "ACME_EMAIL".to_owned(),
        active("ACME_EMAIL").unwrap_or_default(),
    )];
    let output = setup.validate().unwrap();
    assert!(
        output.status.success(),
        "the shipped .env.example does not start Caddy: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn dockerignore_keeps_secrets_and_build_output_out_of_the_image() {
    let ignore = read(".dockerignore");
    let entries: Vec<&str> = ignore.lines().map(str::trim).collect();
    for needed in [".env", "target/", ".git/"] {
        assert!(entries.contains(&needed), "{needed} is not ignored");
    }
}

/// The workspace members, from the root `Cargo.toml`.
fn workspace_members() -> Vec<String> {
    let manifest = read("Cargo.toml");
    let list = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("members = ["))
        .expect("no members list in Cargo.toml");
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn dockerignore_keeps_everything_the_workspace_build_reads() {
    // cargo (and cargo-chef) load every member's manifest and each declared target even when
    // building one package: a missing `tests/` crate or `service/benches` file fails the image
    // build. The service also compiles its region table in from `service/data/`.
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches('/').to_owned())
        .collect();
    let members = workspace_members();
    assert_eq!(members, ["service", "testkit", "tests"]);
    let mut needed: Vec<String> = [
        "Cargo.toml",
        "Cargo.lock",
        "service/benches",
        "service/data",
    ]
    .map(str::to_owned)
    .to_vec();
    for member in &members {
        needed.push(member.clone());
        needed.push(format!("{member}/Cargo.toml"));
    }
    for path in &needed {
        assert!(repo_root().join(path).exists(), "{path} does not exist");
        let excluded_by = ignored.iter().find(|entry| {
            entry.as_str() == "*" || path == *entry || path.starts_with(&format!("{entry}/"))
        });
        assert!(
            excluded_by.is_none(),
            ".dockerignore entry {excluded_by:?} keeps {path} out of the image build"
        );
    }
}
