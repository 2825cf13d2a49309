//! The user documentation in step with the code and with itself: every check `verify` prints
//! has its troubleshooting section, every troubleshooting entry names words the code really
//! prints (the integration and end-to-end tests check the other direction: each FAIL and WARN
//! line they provoke is explained), and the messages it quotes from the service are ones the
//! service prints.

use std::collections::BTreeSet;
use std::path::Path;

use real_estate_mcp::verify::CheckId;
use testkit::docs::{self, verify_sections};

fn read(path: &str) -> String {
    docs::read(path).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The service's source, with Rust's string line continuations joined as they print.
fn service_source() -> String {
    fn collect(dir: &Path, into: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, into);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                into.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut raw = String::new();
    collect(&docs::repo_root().join("service/src"), &mut raw);
    let mut joined = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    while let Some(at) = rest.find("\\\n") {
        joined.push_str(&rest[..at]);
        rest = rest[at + 2..].trim_start();
    }
    joined.push_str(rest);
    joined
}

#[test]
fn every_check_verify_prints_has_a_troubleshooting_section() {
    let titles: BTreeSet<String> = CheckId::ALL
        .iter()
        .map(|id| id.title().to_owned())
        .collect();
    for page in ["docs/troubleshooting.md"] {
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

/// The parts of troubleshooting.md that quote the service's own words (its startup messages,
/// answers and log lines, tool answers); the ChatGPT and Claude part quotes the clients.
const OWN_WORDS: [&str; 3] = [
    "The stack does not start",
    "The server's answers and log lines",
    "Data",
];

#[test]
fn troubleshooting_quotes_only_what_the_service_says() {
    let source = service_source();
    let quotes = docs::bold_quotes(&read("docs/troubleshooting.md"), &OWN_WORDS);
    for section in OWN_WORDS {
        assert!(
            quotes.iter().any(|(s, _)| s == section),
            "docs/troubleshooting.md: no quoted message under \"## {section}\" (renamed?)"
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
        "docs/troubleshooting.md quotes words the service does not print (changed \
         messages?): {stale:#?}"
    );
}
