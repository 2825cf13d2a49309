//! The user documentation as the tests read it: the troubleshooting page's entries for the
//! lines `verify` prints, and the pieces of Markdown (fenced blocks, code spans) that a
//! translated page must keep exactly as the English one has them.
//!
//! Troubleshooting entries for `verify` are written as a level-3 heading holding only the
//! check's title as a code span, followed by bullets that start with the status and the words
//! that identify the line, as printed:
//!
//! ```text
//! ### `issuer`
//!
//! - **FAIL** `They differ only in the trailing slash`: why, and what to do.
//! - **FAIL** `cannot read the discovery document`, `but the provider calls itself`: …
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .map_or_else(|| here.to_path_buf(), Path::to_path_buf)
}

/// A file of the repository, by its path from the root (e.g. `docs/troubleshooting.md`).
pub fn read(relative: &str) -> anyhow::Result<String> {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

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
    let page = read("docs/troubleshooting.md").unwrap_or_else(|e| panic!("{e:#}"));
    let missing = unexplained(printed, &verify_sections(&page));
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

/// The targets of the page's Markdown links (`[text](target)`), outside fenced code blocks
/// and code spans, in order.
pub fn link_targets(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    for block in blocks(markdown) {
        let mut rest = block.as_str();
        while let Some(at) = rest.find("](") {
            // A code span that opens before the link holds text, not links: skip past it.
            if let Some((_, after, start)) = next_span(rest)
                && start < at
            {
                rest = after;
                continue;
            }
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].trim().to_owned());
            rest = &after[end + 1..];
        }
    }
    found
}

/// The anchors GitHub gives the page's headings: the heading's text in lower case, without
/// punctuation (letters of every script, digits, `-` and `_` stay), spaces turned into `-`;
/// a repeated anchor gets `-1`, `-2`, … .
pub fn heading_anchors(markdown: &str) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    for block in blocks(markdown) {
        let Some(text) = block.strip_prefix('#') else {
            continue;
        };
        let text = text.trim_start_matches('#').trim();
        let slug: String = text
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut anchor = slug.clone();
        let mut n = 0;
        while found.contains(&anchor) {
            n += 1;
            anchor = format!("{slug}-{n}");
        }
        found.insert(anchor);
    }
    found
}

/// The code spans of the page's text, outside fenced code blocks.
pub fn inline_code(markdown: &str) -> Vec<String> {
    blocks(markdown)
        .iter()
        .flat_map(|block| code_spans(block))
        .collect()
}

/// The page's paragraphs, list items and headings, each joined onto one line, leaving out
/// fenced code blocks. A list item or paragraph continues on the following non-blank lines
/// that do not start a new item or heading.
fn blocks(markdown: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut open = false;
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            open = false;
            continue;
        }
        if fenced || line.trim().is_empty() {
            open = false;
            continue;
        }
        let starts_item = line.starts_with('#') || line.starts_with("- ") || line.starts_with('|');
        match found.last_mut() {
            Some(last) if open && !starts_item => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => found.push(line.trim_end().to_owned()),
        }
        open = !line.starts_with('#');
    }
    found
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

/// Every code span of `text` (CommonMark: a run of backticks up to the next run of the same
/// length; one space on each side stripped when both are there).
pub fn code_spans(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some((content, after, _)) = next_span(rest) {
        found.push(content);
        rest = after;
    }
    found
}

/// The first code span of `text`: its content, the text after it, and where it starts.
fn next_span(text: &str) -> Option<(String, &str, usize)> {
    let mut search = 0;
    loop {
        let start = search + text[search..].find('`')?;
        let ticks = text[start..].len() - text[start..].trim_start_matches('`').len();
        let body = start + ticks;
        let mut at = body;
        while let Some(offset) = text[at..].find('`') {
            let close = at + offset;
            let run = text[close..].len() - text[close..].trim_start_matches('`').len();
            if run == ticks {
                let inner = &text[body..close];
                let inner = match inner.strip_prefix(' ').and_then(|i| i.strip_suffix(' ')) {
                    Some(stripped) if !stripped.trim().is_empty() => stripped,
                    _ => inner,
                };
                return Some((inner.to_owned(), &text[close + run..], start));
            }
            at = close + run;
        }
        // An opening run without its closing run is literal text.
        search = body;
    }
}

/// The fenced code blocks of `markdown`, each without comment lines and trailing comments
/// (`#` in shell and ini, `//` in JavaScript), which a translation may put in its own words.
pub fn fenced_blocks(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(lines) => found.push(lines.join("\n")),
                None => current = Some(Vec::new()),
            }
            continue;
        }
        if let Some(lines) = current.as_mut() {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') || trimmed.starts_with("//") {
                continue;
            }
            let code = line
                .split_once(" #")
                .map_or(line, |(code, _)| code)
                .trim_end();
            if !code.is_empty() {
                lines.push(code.to_owned());
            }
        }
    }
    found
}

/// The names written in capitals with an underscore (`DATA_GO_KR_API_KEY`, `AUTH_MODE`)
/// anywhere on the page: the variables it mentions.
pub fn variable_names(markdown: &str) -> std::collections::BTreeSet<String> {
    markdown
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| {
            word.contains('_')
                && word.starts_with(|c: char| c.is_ascii_uppercase())
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && !word.ends_with('_')
        })
        .map(str::to_owned)
        .collect()
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

    #[test]
    fn links_and_anchors_are_read_as_github_shows_them() {
        let page = "# Title\n\n## 3. 집 IP를 따라가는 호스트 이름 (DDNS)\n\n### `/mcp without a \
            token`\n\n## Data\n\n## Data\n\nSee [a](b.md#c) and `[x](not-a-link)`,\n\
            [d](#data-1).\n\n```\n[e](in-a-block)\n```\n";
        assert_eq!(link_targets(page), ["b.md#c", "#data-1"]);
        let anchors: Vec<_> = heading_anchors(page).into_iter().collect();
        assert_eq!(
            anchors,
            [
                "3-집-ip를-따라가는-호스트-이름-ddns",
                "data",
                "data-1",
                "mcp-without-a-token",
                "title"
            ]
        );
    }

    #[test]
    fn code_spans_follow_commonmark() {
        assert_eq!(code_spans("a `b` ``c `d` e`` `unclosed"), ["b", "c `d` e"]);
        assert_eq!(code_spans("`` `x` ``"), ["`x`"]);
    }

    #[test]
    fn blocks_lose_their_comments_and_pages_their_variables() {
        let page = "Set `AUTH_MODE` and DATA_GO_KR_API_KEY, not HTTP or _X.\n\n```bash\n\
            # a comment\ndocker compose up -d   # start\n```\n```js\n// note\nlet a = 1;\n```\n";
        assert_eq!(fenced_blocks(page), ["docker compose up -d", "let a = 1;"]);
        let names: Vec<_> = variable_names(page).into_iter().collect();
        assert_eq!(names, ["AUTH_MODE", "DATA_GO_KR_API_KEY"]);
    }
}
