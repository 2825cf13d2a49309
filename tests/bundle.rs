//! The files a person installs: the Dockerfile (hadolint and its structure), the compose file
//! (the properties the deployment relies on), `.env.example` (every variable, and defaults
//! that Caddy accepts), `.dockerignore` (no secrets in the build context, everything the build
//! needs in it), and `docs/configuration.md` (every variable). The variable lists come from
//! the code: the service's settings structs, the Caddyfile and the command line's help.

use std::collections::BTreeSet;
use std::process::Command;

use crate::support::caddy::{CADDY_VARIABLES, CaddySetup};
use crate::support::tools;
use crate::support::variables;
use crate::support::yaml::{self, Yaml};
use real_estate_mcp::VERSION;

use testkit::repo::{self, read};

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
        .arg(repo::root().join("Dockerfile"))
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
    // A runaway cannot take the host's memory or threads.
    assert_eq!(text(&mcp, &["mem_limit"]), "1g");
    let pids: u32 = text(&mcp, &["pids_limit"]).parse().unwrap();
    assert!((64..=4096).contains(&pids), "pids_limit {pids}");
}

#[test]
fn container_logs_rotate() {
    for name in ["mcp", "caddy"] {
        let node = service(name);
        assert_eq!(text(&node, &["logging", "driver"]), "json-file", "{name}");
        assert_eq!(
            text(&node, &["logging", "options", "max-size"]),
            "10m",
            "{name}"
        );
        assert_eq!(
            text(&node, &["logging", "options", "max-file"]),
            "3",
            "{name}"
        );
    }
}

#[test]
fn caddy_gets_only_the_variables_the_caddyfile_reads() {
    let caddy = service("caddy");
    assert!(
        caddy.get("env_file").is_none(),
        "env_file would hand Caddy every secret in .env"
    );
    let environment = caddy.get("environment").unwrap();
    let given: BTreeSet<String> = environment.keys().into_iter().map(str::to_owned).collect();
    let mut used = variables::caddyfile();
    for name in TEST_ONLY {
        used.remove(name);
    }
    assert_eq!(given, used);
    // Each value comes from the variable of the same name, never from another one.
    for name in environment.keys() {
        let value = text(environment, &[name]);
        assert!(
            value.starts_with(&format!("${{{name}")) && value.matches("${").count() == 1,
            "{name}: {value}"
        );
    }
    let compose = read("docker-compose.yml");
    let caddy_block = compose.split("\n  caddy:").nth(1).unwrap();
    for secret in [
        "DATA_GO_KR_API_KEY",
        "ODCLOUD",
        "OAUTH_CLIENT_SECRET",
        "SECRET",
    ] {
        assert!(
            !caddy_block.contains(secret),
            "Caddy's service mentions {secret}"
        );
    }
}

#[test]
fn the_service_image_is_this_release_and_building_it_is_one_override_away() {
    let mcp = service("mcp");
    assert_eq!(
        text(&mcp, &["image"]),
        format!("ghcr.io/real-estate-mcp/real-estate-mcp:{VERSION}"),
        "docker-compose.yml must pin the image of this version"
    );
    assert!(
        mcp.get("build").is_none(),
        "the default pulls, it does not build"
    );
    // The release workflow publishes to ghcr.io/<the GitHub repository>.
    let repository = real_estate_mcp::routes::front::DOCS;
    assert!(
        repository.starts_with("https://github.com/real-estate-mcp/real-estate-mcp/"),
        "the image name must follow the repository: {repository}"
    );
    let build = yaml::parse(&read("docker-compose.build.yml")).unwrap();
    let overridden = build.at(&["services", "mcp"]).unwrap();
    assert_eq!(text(overridden, &["build"]), ".");
    assert_eq!(text(overridden, &["image"]), "real-estate-mcp:local");
    assert_eq!(build.get("services").unwrap().keys(), ["mcp"]);
}

#[test]
fn the_replicas_override_shares_one_pinned_valkey_between_two_services_behind_caddy() {
    let replicas = yaml::parse(&read("docker-compose.replicas.yml")).unwrap();
    let services = replicas.get("services").unwrap();
    assert_eq!(services.keys(), ["valkey", "mcp", "mcp-2", "caddy"]);
    let image = text(services, &["valkey", "image"]);
    let tag = image.strip_prefix("valkey/valkey:").unwrap_or_default();
    assert!(
        tag.split('-')
            .next()
            .is_some_and(|v| v.split('.').count() == 3),
        "pin the full Valkey version: {image}"
    );
    assert!(
        services.at(&["valkey", "ports"]).is_none(),
        "Valkey stays private"
    );
    for mcp in ["mcp", "mcp-2"] {
        assert_eq!(
            text(services, &[mcp, "environment", "CACHE_URL"]),
            "redis://valkey:6379"
        );
    }
    assert_eq!(text(services, &["mcp-2", "extends", "service"]), "mcp");
    assert_eq!(
        text(services, &["mcp-2", "extends", "file"]),
        "docker-compose.yml"
    );
    let caddy = services.at(&["caddy", "environment"]).unwrap();
    assert_eq!(text(caddy, &["MCP_BALANCE"]), "replicas");
    for upstream in ["MCP_UPSTREAM", "AUTH_UPSTREAM"] {
        assert_eq!(text(caddy, &[upstream]), "mcp:8080 mcp-2:8080");
    }
    // The default stays one service.
    assert_eq!(
        text(&service("caddy"), &["environment", "MCP_BALANCE"]),
        "${MCP_BALANCE:-single}"
    );
    assert!(compose().at(&["services", "valkey"]).is_none());
}

#[test]
fn the_docs_name_the_image_of_this_version() {
    let image = "ghcr.io/real-estate-mcp/real-estate-mcp:";
    let mut pages = vec!["README.md".to_owned(), "docker-compose.yml".to_owned()];
    for entry in std::fs::read_dir(repo::root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(format!(
                "docs/{}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    let mut seen = 0;
    for page in pages {
        let text = read(&page);
        for (at, _) in text.match_indices(image) {
            let tag: String = text[at + image.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                .collect();
            assert_eq!(tag, VERSION, "{page} names {image}{tag}");
            seen += 1;
        }
    }
    assert!(seen >= 2, "the image is named {seen} times");
}

#[test]
fn the_changelog_describes_this_version() {
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.contains("[Keep a Changelog]"),
        "not in Keep a Changelog form"
    );
    let releases: Vec<&str> = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .filter_map(|l| l.split(']').next())
        .collect();
    assert_eq!(releases.first(), Some(&"Unreleased"), "{releases:?}");
    assert_eq!(
        releases.get(1),
        Some(&VERSION),
        "newest release first: {releases:?}"
    );
    for heading in changelog.lines().filter(|l| l.starts_with("### ")) {
        let kinds = [
            "Added",
            "Changed",
            "Deprecated",
            "Removed",
            "Fixed",
            "Security",
        ];
        assert!(
            kinds.iter().any(|k| heading == format!("### {k}")),
            "{heading}"
        );
    }
}

#[test]
fn jactionlint_passes_the_workflows() {
    // The default profile (see .github/jactionlint.yaml), shellcheck on every run: step.
    let output = Command::new(tools::jactionlint().unwrap())
        .arg("--no-online")
        .arg(format!(
            "--shellcheck={}",
            tools::shellcheck().unwrap().display()
        ))
        .current_dir(repo::root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "jactionlint: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for workflow in ["ci.yml", "release.yml"] {
        assert!(
            repo::root()
                .join(".github/workflows")
                .join(workflow)
                .is_file()
        );
    }
}

#[test]
fn shellcheck_passes_the_scripts() {
    let mut scripts: Vec<_> = std::fs::read_dir(repo::root().join("scripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.push(repo::root().join(".ci/run"));
    assert!(scripts.len() > 3, "{scripts:?}");
    let output = Command::new(tools::shellcheck().unwrap())
        .args(&scripts)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "shellcheck: {}",
        String::from_utf8_lossy(&output.stdout)
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
    assert!(repo::root().join("caddy/Caddyfile").is_file());
    let declared = compose().get("volumes").unwrap().clone();
    for target in ["/data", "/config"] {
        let mount = volumes
            .iter()
            .find(|v| v.ends_with(&format!(":{target}")))
            .unwrap_or_else(|| panic!("{target} is not kept in a volume"));
        let name = mount.split(':').next().unwrap();
        assert!(declared.get(name).is_some(), "{name} is not a named volume");
    }
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
fn auth_mode_reaches_both_containers_from_one_source() {
    // Both take it from .env through the same interpolation (compose prefers a variable
    // exported in the shell over .env, for both alike), and compose refuses to start
    // without it rather than leave Caddy and the service to disagree.
    let values: Vec<String> = ["mcp", "caddy"]
        .iter()
        .map(|name| text(&service(name), &["environment", "AUTH_MODE"]).to_owned())
        .collect();
    assert_eq!(values[0], values[1]);
    assert!(values[0].starts_with("${AUTH_MODE:?"), "{}", values[0]);
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
    // build. The region table is compiled in from `regions/data/`.
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches('/').to_owned())
        .collect();
    let members = workspace_members();
    assert_eq!(
        members,
        ["regions", "service", "testkit", "tests", "token-gate"]
    );
    let mut needed: Vec<String> = [
        "Cargo.toml",
        "Cargo.lock",
        "service/benches",
        "regions/data",
    ]
    .map(str::to_owned)
    .to_vec();
    for member in &members {
        needed.push(member.clone());
        needed.push(format!("{member}/Cargo.toml"));
    }
    for path in &needed {
        assert!(repo::root().join(path).exists(), "{path} does not exist");
        let excluded_by = ignored.iter().find(|entry| {
            entry.as_str() == "*" || path == *entry || path.starts_with(&format!("{entry}/"))
        });
        assert!(
            excluded_by.is_none(),
            ".dockerignore entry {excluded_by:?} keeps {path} out of the image build"
        );
    }
}

#[test]
fn the_data_go_kr_guide_lists_every_dataset_the_service_reads() {
    use real_estate_mcp::{keycheck, upstream::molit};
    let guide = read("docs/data-go-kr.md");
    for dataset in molit::Dataset::ALL {
        for needed in [dataset.service().to_owned(), dataset.page_url()] {
            assert!(guide.contains(&needed), "docs/data-go-kr.md lacks {needed}");
        }
    }
    for dataset in keycheck::APPLYHOME {
        assert!(
            guide.contains(dataset.portal_page()),
            "docs/data-go-kr.md lacks {}",
            dataset.portal_page()
        );
    }
}

#[test]
fn the_readme_layout_names_every_crate_and_service_module() {
    let readme = read("README.md");
    let layout = readme
        .split("## Layout")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README.md has a Layout section");
    for member in workspace_members() {
        assert!(
            layout.contains(&format!("| `{member}/` |")),
            "the README's layout table has no row for {member}/"
        );
    }
    let service_row = layout
        .lines()
        .find(|line| line.starts_with("| `service/` |"))
        .expect("a service/ row");
    let mut modules: Vec<String> = std::fs::read_dir(repo::root().join("service/src"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            (path.is_dir() || path.extension().is_some_and(|ext| ext == "rs")).then_some(name)
        })
        .filter(|name| name != "lib")
        .collect();
    modules.sort();
    modules.dedup();
    let missing: Vec<_> = modules
        .iter()
        .filter(|name| !service_row.contains(&format!("`{name}")))
        .collect();
    assert!(
        missing.is_empty(),
        "the README's service/ row omits {missing:?}"
    );
    assert!(
        repo::root().join("ARCHITECTURE.md").is_file() && readme.contains("(ARCHITECTURE.md)"),
        "the README links ARCHITECTURE.md"
    );
}
