//! The troubleshooting page as the tests read it. Entries for `verify` are written as a
//! level-3 heading holding only the check's title as a code span, followed by bullets that
//! start with the status and the words that identify the line, as printed:
//!
//! ```text
//! ### `issuer`
//!
//! - **FAIL** `They differ only in the trailing slash`: why, and what to do.
//! - **FAIL** `cannot read the discovery document`, `but the provider calls itself`: …
//! ```
//!
//! The service's own messages are quoted as `**"…"**`, with `…` for what it fills in.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::markdown::{blocks, next_span};

/// One troubleshooting entry: the status it explains and the words that identify the line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// `FAIL` or `WARN`.
    pub status: String,
    /// Text the printed line contains after the check's title.
    pub words: String,
}

/// Every check section of a troubleshooting page: its title and its entries.
pub fn verify_sections(markdown: &str) -> BTreeMap<String, Vec<Entry>> {
    let mut sections: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for item in blocks(markdown) {
        if item.starts_with('#') {
            // Only a level-3 heading that is one code span and nothing else names a check.
            current = item.strip_prefix("### ").and_then(|text| {
                let text = text.trim();
                let inner = text.strip_prefix('`')?.strip_suffix('`')?;
                (!inner.contains('`')).then(|| inner.to_owned())
            });
            if let Some(title) = &current {
                sections.entry(title.clone()).or_default();
            }
            continue;
        }
        let (Some(title), Some(rest)) = (&current, item.strip_prefix("- **")) else {
            continue;
        };
        let Some((status, rest)) = rest.split_once("**") else {
            continue;
        };
        if !matches!(status, "FAIL" | "WARN") {
            continue;
        }
        let entries = sections.entry(title.clone()).or_default();
        for words in leading_spans(rest) {
            entries.push(Entry {
                status: status.to_owned(),
                words,
            });
        }
    }
    sections
}

/// The FAIL and WARN lines of a printed `verify` report that no entry of `sections` explains:
/// the line's check has no section, or none of its entries with that status names words the
/// line contains.
pub fn unexplained(printed: &str, sections: &BTreeMap<String, Vec<Entry>>) -> Vec<String> {
    let mut missing = Vec::new();
    for line in printed.lines() {
        let Some((status, rest)) = line.split_once("  ") else {
            continue;
        };
        if !matches!(status, "FAIL" | "WARN") {
            continue;
        }
        let explained = sections.iter().any(|(title, entries)| {
            rest.strip_prefix(title.as_str())
                .and_then(|after| after.strip_prefix(": "))
                .is_some_and(|detail| {
                    entries
                        .iter()
                        .any(|e| e.status == status && detail.contains(&e.words))
                })
        });
        if !explained {
            missing.push(line.to_owned());
        }
    }
    missing
}

/// Panics unless every FAIL and WARN line of `printed` is explained in
/// `docs/troubleshooting.md`; call it on every report a test makes `verify` print.
pub fn assert_verify_output_documented(printed: &str) {
    // Read and parsed once per test binary: many tests call this, the page does not change.
    static SECTIONS: OnceLock<BTreeMap<String, Vec<Entry>>> = OnceLock::new();
    let sections =
        SECTIONS.get_or_init(|| verify_sections(&crate::repo::read("docs/troubleshooting.md")));
    let missing = unexplained(printed, sections);
    assert!(
        missing.is_empty(),
        "docs/troubleshooting.md (and docs/ko/troubleshooting.md) explain no such line of \
         `verify`; add an entry under the check's heading: {missing:#?}\n{printed}"
    );
}

/// The texts quoted as `**"…"**` under the page's level-2 headings named in `sections`: the
/// words a person sees, quoted exactly. The level-2 heading that holds a quote is returned
/// with it.
pub fn bold_quotes(markdown: &str, sections: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut current: Option<&str> = None;
    for block in blocks(markdown) {
        if let Some(title) = block.strip_prefix("## ") {
            current = sections.iter().copied().find(|s| *s == title.trim());
            continue;
        }
        let Some(section) = current else { continue };
        let mut rest = block.as_str();
        while let Some(start) = rest.find("**\"") {
            let after = &rest[start + 3..];
            let Some(end) = after.find("\"**") else { break };
            found.push((section.to_owned(), after[..end].to_owned()));
            rest = &after[end + 3..];
        }
    }
    found
}

/// The pieces of a quote that must be printed word for word: the parts between the `…` that
/// stand for a name, a number or a date the message fills in.
pub fn literal_pieces(quote: &str) -> Vec<&str> {
    quote
        .split('…')
        .map(|piece| piece.trim_matches(|c: char| c.is_whitespace() || c == ','))
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// The code spans at the start of `text`, separated by commas or spaces: the words an entry
/// names before its explanation starts.
fn leading_spans(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text.trim_start_matches([' ', ',']);
    while let Some((content, after, 0)) = next_span(rest) {
        found.push(content);
        rest = after.trim_start_matches([' ', ',']);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "## What verify reports\n\n### `issuer`\n\n- **FAIL** `differ only in \
        the trailing slash`, ``no `x` field``: why.\n  More of it.\n- **WARN** `is\n  plain \
        HTTP`: a wrapped span.\n- **PASS** `ignored`\n\n### `other`: not a check\n\n- **FAIL** \
        `not collected`\n\n```\n### `in a block`\n```\n";

    #[test]
    fn sections_hold_the_words_of_fail_and_warn_entries() {
        let sections = verify_sections(PAGE);
        assert_eq!(sections.keys().collect::<Vec<_>>(), ["issuer"]);
        let words: Vec<_> = sections["issuer"]
            .iter()
            .map(|e| e.words.as_str())
            .collect();
        assert_eq!(
            words,
            [
                "differ only in the trailing slash",
                "no `x` field",
                "is plain HTTP"
            ]
        );
    }

    #[test]
    fn printed_lines_are_matched_by_title_status_and_words() {
        let sections = verify_sections(PAGE);
        let printed = "Checking x\nPASS  issuer: fine\nFAIL  issuer: they differ only in the \
            trailing slash.\nWARN  issuer: x is plain HTTP\nFAIL  issuer: x is plain HTTP\n\
            FAIL  address: no section\n      fix: not a check line\n";
        assert_eq!(
            unexplained(printed, &sections),
            ["FAIL  issuer: x is plain HTTP", "FAIL  address: no section"]
        );
    }

    #[test]
    fn bold_quotes_are_taken_from_the_named_sections_only() {
        let page = "## Ours\n\n**\"No request was sent: … is used up\"**. Why.\n- \
            **\"the token has\n  expired\"**: wrapped.\n\n## Theirs\n\n**\"Error creating \
            connector\"**\n";
        assert_eq!(
            bold_quotes(page, &["Ours"]),
            [
                (
                    "Ours".to_owned(),
                    "No request was sent: … is used up".to_owned()
                ),
                ("Ours".to_owned(), "the token has expired".to_owned()),
            ]
        );
        assert_eq!(
            literal_pieces("No request was sent: … is used up"),
            ["No request was sent:", "is used up"]
        );
    }
}
