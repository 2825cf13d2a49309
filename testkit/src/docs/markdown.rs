//! Markdown as GitHub shows it, read just far enough for the docs tests: paragraphs and list
//! items joined onto one line, code spans, fenced blocks, links and heading anchors.

use std::collections::BTreeSet;

/// The code spans of the page's text, outside fenced code blocks.
pub fn inline_code(markdown: &str) -> Vec<String> {
    blocks(markdown)
        .iter()
        .flat_map(|block| code_spans(block))
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
pub fn heading_anchors(markdown: &str) -> BTreeSet<String> {
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

/// The page's paragraphs, list items and headings, each joined onto one line, leaving out
/// fenced code blocks. A list item or paragraph continues on the following non-blank lines
/// that do not start a new item or heading.
pub(super) fn blocks(markdown: &str) -> Vec<String> {
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
pub(super) fn next_span(text: &str) -> Option<(String, &str, usize)> {
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
pub fn variable_names(markdown: &str) -> BTreeSet<String> {
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
}
