//! The user documentation in step with the code and with itself: every check `verify` prints
//! has its troubleshooting section, every troubleshooting entry names words the code really
//! prints (the integration and end-to-end tests check the other direction: each FAIL and WARN
//! line they provoke is explained), the messages it quotes from the service are ones the
//! service prints, and every English setup page has its Korean twin with the same commands,
//! variables, `verify` entries and links between the two.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use real_estate_mcp::verify::CheckId;
use testkit::docs::{self, fenced_blocks, inline_code, variable_names, verify_sections};
use testkit::repo::{self, read};

/// The setup path: each English page and its Korean twin.
const TWINS: [(&str, &str); 7] = [
    ("README.md", "README.ko.md"),
    ("docs/setup-docker.md", "docs/ko/setup-docker.md"),
    ("docs/data-go-kr.md", "docs/ko/data-go-kr.md"),
    ("docs/setup-oauth.md", "docs/ko/setup-oauth.md"),
    ("docs/connect-chatgpt.md", "docs/ko/connect-chatgpt.md"),
    ("docs/connect-claude.md", "docs/ko/connect-claude.md"),
    ("docs/troubleshooting.md", "docs/ko/troubleshooting.md"),
];

/// Code spans that start with one of these are commands a person types.
const PROGRAMS: [&str; 11] = [
    "docker",
    "real-estate-mcp",
    "scripts/",
    "cargo",
    "curl",
    "git",
    "nslookup",
    "chmod",
    "timedatectl",
    "npx",
    "openssl",
];

/// The service's source (its own crate and the crates split out of it), with Rust's string
/// line continuations joined as they print.
fn service_source() -> String {
    let raw: String = ["service/src", "token-gate/src", "regions/src"]
        .into_iter()
        .flat_map(|krate| repo::rust_files(&repo::root().join(krate)).unwrap())
        .map(|(_, text)| text)
        .collect();
    let mut joined = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    while let Some(at) = rest.find("\\\n") {
        joined.push_str(&rest[..at]);
        rest = rest[at + 2..].trim_start();
    }
    joined.push_str(rest);
    joined
}

fn commands(markdown: &str) -> BTreeSet<String> {
    inline_code(markdown)
        .into_iter()
        .filter(|span| PROGRAMS.iter().any(|program| span.starts_with(program)))
        .collect()
}

/// The link from the page `from` to the page `to`, both relative to the repository root.
fn link(from: &str, to: &str) -> String {
    let base: Vec<Component> = Path::new(from).parent().unwrap().components().collect();
    let target: Vec<Component> = Path::new(to).components().collect();
    let shared = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in shared..base.len() {
        path.push("..");
    }
    for part in &target[shared..] {
        path.push(part);
    }
    path.display().to_string()
}

fn links_to(markdown: &str, target: &str) -> bool {
    markdown.contains(&format!("]({target})")) || markdown.contains(&format!("]({target}#"))
}

/// What differs between two sets, for a message.
fn difference(english: &BTreeSet<String>, korean: &BTreeSet<String>) -> String {
    let only_en: Vec<_> = english.difference(korean).collect();
    let only_ko: Vec<_> = korean.difference(english).collect();
    format!("only in English: {only_en:?}; only in Korean: {only_ko:?}")
}

#[test]
fn every_check_verify_prints_has_a_troubleshooting_section() {
    let titles: BTreeSet<String> = CheckId::ALL
        .iter()
        .map(|id| id.title().to_owned())
        .collect();
    for page in ["docs/troubleshooting.md", "docs/ko/troubleshooting.md"] {
        let sections = verify_sections(&read(page));
        let documented: BTreeSet<String> = sections.keys().cloned().collect();
        assert_eq!(
            documented, titles,
            "{page}: one section per check, headed by its title as a code span"
        );
        for (title, entries) in &sections {
            assert!(
                !entries.is_empty(),
                "{page}: `{title}` explains no FAIL line"
            );
        }
    }
}

#[test]
fn troubleshooting_entries_name_words_the_code_prints() {
    let source = service_source();
    let stale: Vec<String> = verify_sections(&read("docs/troubleshooting.md"))
        .into_iter()
        .flat_map(|(title, entries)| entries.into_iter().map(move |e| (title.clone(), e)))
        .filter(|(_, entry)| !source.contains(&entry.words))
        .map(|(title, entry)| format!("{title}: {} `{}`", entry.status, entry.words))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/troubleshooting.md names words no code prints (changed messages?): {stale:#?}"
    );
}

/// The parts of each troubleshooting page that quote the service's own words (its startup
/// messages, answers and log lines, tool answers); the ChatGPT and Claude part quotes the
/// clients. The Korean page quotes the same English messages, as the service prints them.
const OWN_WORDS: [(&str, [&str; 3]); 2] = [
    (
        "docs/troubleshooting.md",
        [
            "The stack does not start",
            "The server's answers and log lines",
            "Data",
        ],
    ),
    (
        "docs/ko/troubleshooting.md",
        ["스택이 시작되지 않을 때", "서버의 응답과 로그", "데이터"],
    ),
];

#[test]
fn troubleshooting_quotes_only_what_the_service_says() {
    let source = service_source();
    for (page, sections) in OWN_WORDS {
        let quotes = docs::bold_quotes(&read(page), &sections);
        for section in sections {
            assert!(
                quotes.iter().any(|(s, _)| s == section),
                "{page}: no quoted message under \"## {section}\" (renamed?)"
            );
        }
        let stale: Vec<String> = quotes
            .iter()
            .flat_map(|(section, quote)| {
                docs::literal_pieces(quote)
                    .into_iter()
                    .filter(|piece| !source.contains(piece))
                    .map(move |piece| format!("{section}: \"{piece}\" (in \"{quote}\")"))
            })
            .collect();
        assert!(
            stale.is_empty(),
            "{page} quotes words the service does not print (changed messages?): {stale:#?}"
        );
    }
}

#[test]
fn the_korean_troubleshooting_page_explains_the_same_verify_lines() {
    assert_eq!(
        verify_sections(&read("docs/ko/troubleshooting.md")),
        verify_sections(&read("docs/troubleshooting.md")),
        "the Korean page keeps the English entries' words, as verify prints them"
    );
}

#[test]
fn every_setup_page_has_a_korean_twin_with_the_same_commands_and_variables() {
    let mut problems = Vec::new();
    for (english_path, korean_path) in TWINS {
        let english = read(english_path);
        let korean = read(korean_path);
        let (en_blocks, ko_blocks) = (fenced_blocks(&english), fenced_blocks(&korean));
        if en_blocks != ko_blocks {
            let first = en_blocks
                .iter()
                .zip(&ko_blocks)
                .find(|(en, ko)| en != ko)
                .map(|(en, ko)| format!("English:\n{en}\nKorean:\n{ko}"))
                .unwrap_or_else(|| {
                    format!("{} blocks against {}", en_blocks.len(), ko_blocks.len())
                });
            problems.push(format!(
                "{korean_path}: code blocks differ; first difference:\n{first}"
            ));
        }
        let (en_commands, ko_commands) = (commands(&english), commands(&korean));
        if en_commands != ko_commands {
            problems.push(format!(
                "{korean_path}: inline commands differ: {}",
                difference(&en_commands, &ko_commands)
            ));
        }
        let (en_names, ko_names) = (variable_names(&english), variable_names(&korean));
        if en_names != ko_names {
            problems.push(format!(
                "{korean_path}: variable names differ: {}",
                difference(&en_names, &ko_names)
            ));
        }
        if !links_to(&english, &link(english_path, korean_path)) {
            problems.push(format!("{english_path} does not link to {korean_path}"));
        }
        if !links_to(&korean, &link(korean_path, english_path)) {
            problems.push(format!("{korean_path} does not link to {english_path}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn links_between_twins_are_relative_to_the_page() {
    assert_eq!(link("README.md", "README.ko.md"), "README.ko.md");
    assert_eq!(
        link("docs/setup-oauth.md", "docs/ko/setup-oauth.md"),
        "ko/setup-oauth.md"
    );
    assert_eq!(
        link("docs/ko/setup-oauth.md", "docs/setup-oauth.md"),
        "../setup-oauth.md"
    );
}

/// Every page of the user documentation, English and Korean.
fn user_pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_owned(), "README.ko.md".to_owned()];
    for dir in ["docs", "docs/ko"] {
        let mut found: Vec<String> = std::fs::read_dir(repo::root().join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".md"))
            .map(|name| format!("{dir}/{name}"))
            .collect();
        found.sort();
        pages.extend(found);
    }
    pages
}

#[test]
fn every_link_between_the_pages_reaches_its_file_and_heading() {
    let mut broken = Vec::new();
    for page in user_pages() {
        let markdown = read(&page);
        let dir = Path::new(&page).parent().unwrap_or(Path::new(""));
        for target in docs::link_targets(&markdown) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target.as_str(), ""));
            let path = if file.is_empty() {
                PathBuf::from(&page)
            } else {
                dir.join(file)
            };
            let Ok(text) = std::fs::read_to_string(repo::root().join(&path)) else {
                if !repo::root().join(&path).exists() {
                    broken.push(format!("{page}: ({target}): no such file"));
                }
                continue;
            };
            if !anchor.is_empty() && !docs::heading_anchors(&text).contains(anchor) {
                broken.push(format!("{page}: ({target}): no such heading"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}
