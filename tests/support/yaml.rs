//! A strict reader for the small block-style YAML subset `docker-compose.yml` is written in:
//! nested mappings, sequences of scalars, plain and quoted scalars, comments. Anything else
//! (flow collections, anchors, block scalars, tabs, several documents) is an error rather than
//! a silent misreading, so the compose checks cannot be fooled by syntax this reader skips.

use anyhow::{Context, bail};

/// A parsed node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    /// A scalar with its quotes removed (`key:` with nothing after it is an empty scalar).
    Scalar(String),
    /// A mapping, in file order.
    Map(Vec<(String, Yaml)>),
    /// A sequence.
    Seq(Vec<Yaml>),
}

impl Yaml {
    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> Option<&Yaml> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// A mapping's keys.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Yaml::Map(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// A sequence's scalar items (empty for anything else).
    pub fn strings(&self) -> Vec<&str> {
        match self {
            Yaml::Seq(items) => items.iter().filter_map(Yaml::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

struct Line {
    number: usize,
    indent: usize,
    text: String,
}

/// Parses a whole document.
pub fn parse(source: &str) -> anyhow::Result<Yaml> {
    let mut lines = Vec::new();
    for (index, raw) in source.lines().enumerate() {
        let number = index + 1;
        if raw.contains('\t') {
            bail!("line {number}: tabs are not allowed in YAML indentation");
        }
        let text = strip_comment(raw).trim_end();
        if text.trim().is_empty() {
            continue;
        }
        if text == "---" || text == "..." {
            bail!("line {number}: only a single document is supported");
        }
        let indent = text.len() - text.trim_start().len();
        lines.push(Line {
            number,
            indent,
            text: text.trim_start().to_owned(),
        });
    }
    let mut position = 0;
    let root = match lines.first() {
        Some(first) => block(&lines, &mut position, first.indent)?,
        None => Yaml::Map(Vec::new()),
    };
    if let Some(extra) = lines.get(position) {
        bail!("line {}: unexpected indentation", extra.number);
    }
    Ok(root)
}

fn block(lines: &[Line], position: &mut usize, indent: usize) -> anyhow::Result<Yaml> {
    let is_seq = lines[*position].text.starts_with('-');
    let mut map = Vec::new();
    let mut seq = Vec::new();
    while let Some(line) = lines.get(*position) {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            bail!("line {}: unexpected indentation", line.number);
        }
        if line.text.starts_with('-') != is_seq {
            bail!("line {}: a mapping and a sequence are mixed", line.number);
        }
        *position += 1;
        if is_seq {
            let item = line.text.strip_prefix("- ").unwrap_or_default();
            if item.is_empty() || split_key(item).is_some() || item.ends_with(':') {
                bail!(
                    "line {}: only scalar sequence items are supported",
                    line.number
                );
            }
            seq.push(scalar(item, line.number)?);
            continue;
        }
        let (key, value) = split_key(&line.text)
            .or_else(|| line.text.strip_suffix(':').map(|key| (key, "")))
            .with_context(|| format!("line {}: expected `key: value`", line.number))?;
        let key = unquote(key, line.number)?;
        let value = match lines.get(*position) {
            Some(next) if value.is_empty() && next.indent > indent => {
                block(lines, position, next.indent)?
            }
            _ => scalar(value, line.number)?,
        };
        if map.iter().any(|(k, _)| *k == key) {
            bail!("line {}: duplicate key {key}", line.number);
        }
        map.push((key, value));
    }
    Ok(if is_seq {
        Yaml::Seq(seq)
    } else {
        Yaml::Map(map)
    })
}

/// `key: value` split at the first `: ` outside quotes (a `:` inside a plain scalar such as
/// `0.0.0.0:8080` does not count).
fn split_key(text: &str) -> Option<(&str, &str)> {
    if text.starts_with(['"', '\'']) {
        let quote = text.chars().next()?;
        let end = text[1..].find(quote)? + 1;
        let rest = text[end + 1..].strip_prefix(':')?;
        return Some((&text[..=end], rest.trim()));
    }
    let at = text.find(": ")?;
    Some((&text[..at], text[at + 2..].trim()))
}

fn scalar(text: &str, number: usize) -> anyhow::Result<Yaml> {
    if text.starts_with(['[', '{', '&', '*', '|', '>', '!', '@', '`']) {
        bail!("line {number}: unsupported YAML syntax {text:?} (use block style)");
    }
    Ok(Yaml::Scalar(unquote(text, number)?))
}

fn unquote(text: &str, number: usize) -> anyhow::Result<String> {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote) {
            let inner = inner
                .strip_suffix(quote)
                .with_context(|| format!("line {number}: unterminated quote in {text:?}"))?;
            if inner.contains(quote) || inner.contains('\\') {
                bail!("line {number}: escapes inside quotes are not supported: {text:?}");
            }
            return Ok(inner.to_owned());
        }
    }
    Ok(text.to_owned())
}

/// Removes a `#` comment that starts a line or follows a space, outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous == ' ' => return &line[..at],
            None => {}
        }
        previous = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::{Yaml, parse};

    fn s(text: &str) -> Yaml {
        Yaml::Scalar(text.to_owned())
    }

    #[test]
    fn reads_nested_maps_sequences_and_quoted_scalars() {
        let doc = parse(
            "# top\nname: x\nservices:\n  a:\n    ports:\n      - \"80:80\"  # web\n      - 443:443/udp\n    environment:\n      ADDR: 0.0.0.0:8080\n    empty:\nvolumes:\n  data:\n",
        )
        .unwrap();
        assert_eq!(doc.get("name"), Some(&s("x")));
        let a = doc.at(&["services", "a"]).unwrap();
        assert_eq!(a.get("ports").unwrap().strings(), ["80:80", "443:443/udp"]);
        assert_eq!(a.at(&["environment", "ADDR"]), Some(&s("0.0.0.0:8080")));
        assert_eq!(a.get("empty"), Some(&s("")));
        assert_eq!(doc.get("volumes").unwrap().keys(), ["data"]);
    }

    #[test]
    fn refuses_what_it_cannot_read_faithfully() {
        for bad in [
            "a: [1, 2]\n",
            "a: {b: c}\n",
            "a: &x 1\n",
            "a: |\n  text\n",
            "a:\n\t- b\n",
            "a:\n  - b: c\n",
            "a: 1\na: 2\n",
            "a: 1\n  b: 2\n",
            "---\na: 1\n",
            "a:\n  - x\n  y: z\n",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }
}
