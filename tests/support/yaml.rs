//! `docker-compose.yml` read by a YAML 1.2 parser (saphyr), then held to what the compose
//! checks can trust. Compose reads some things a plain YAML reader does not: merge keys
//! (`<<: *defaults` copies entries into a mapping) and tags (`!reset`, `!override`) change
//! what a service gets, so a file using them is refused rather than checked as if they were
//! ordinary keys and values. So are several documents, keys that are not scalars, and keys
//! that repeat once read as text (`mcp` and `"mcp"`).

use anyhow::{Context, bail};
use saphyr::{LoadableYamlNode, Scalar, Yaml as Node};

/// A parsed node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Yaml {
    /// A scalar as text: strings without their quotes, `true`, `8080`; null (`key:` with
    /// nothing after it, `~`) is empty.
    Scalar(String),
    /// A mapping, in file order.
    Map(Vec<(String, Yaml)>),
    /// A sequence.
    Seq(Vec<Yaml>),
}

impl Yaml {
    /// The value under `key` in a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of mapping keys.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&Yaml> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The scalar's text.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// A mapping's keys.
    pub(crate) fn keys(&self) -> Vec<&str> {
        match self {
            Yaml::Map(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// A sequence's items as text. Panics, naming the node, unless this is a sequence of
    /// scalars: a check that expects short syntax must not pass over long syntax it skipped.
    pub(crate) fn strings(&self) -> Vec<&str> {
        let Yaml::Seq(items) = self else {
            panic!("expected a sequence, found {self:?}");
        };
        items
            .iter()
            .map(|item| {
                item.as_str()
                    .unwrap_or_else(|| panic!("expected a scalar item, found {item:?}"))
            })
            .collect()
    }
}

/// Parses a file that must hold exactly one document.
pub(crate) fn parse(source: &str) -> anyhow::Result<Yaml> {
    let documents = Node::load_from_str(source).context("not valid YAML")?;
    match documents.as_slice() {
        [document] => convert(document, "the document"),
        other => bail!("expected exactly one YAML document, found {}", other.len()),
    }
}

fn convert(node: &Node, path: &str) -> anyhow::Result<Yaml> {
    Ok(match node {
        Node::Value(scalar) => Yaml::Scalar(text(scalar)),
        Node::Sequence(items) => Yaml::Seq(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| convert(item, &format!("{path}[{index}]")))
                .collect::<anyhow::Result<_>>()?,
        ),
        Node::Mapping(entries) => {
            let mut map: Vec<(String, Yaml)> = Vec::new();
            for (key, value) in entries {
                let Node::Value(key) = key else {
                    bail!("{path}: a key that is not a scalar ({key:?})");
                };
                let key = text(key);
                if key == "<<" {
                    bail!("{path}: merge keys (<<) are not supported; write the entries out");
                }
                if map.iter().any(|(k, _)| *k == key) {
                    bail!("{path}: duplicate key {key}");
                }
                let value = convert(value, &format!("{path}.{key}"))?;
                map.push((key, value));
            }
            Yaml::Map(map)
        }
        Node::Tagged(tag, _) => bail!("{path}: tags ({tag}) are not supported"),
        other => bail!("{path}: unsupported YAML node {other:?}"),
    })
}

fn text(scalar: &Scalar) -> String {
    match scalar {
        Scalar::Null => String::new(),
        Scalar::Boolean(value) => value.to_string(),
        Scalar::Integer(value) => value.to_string(),
        Scalar::FloatingPoint(value) => value.to_string(),
        Scalar::String(value) => value.to_string(),
    }
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
            "# top\nname: x\nservices:\n  a:\n    ports:\n      - \"80:80\"  # web\n      - 443:443/udp\n    environment:\n      ADDR: 0.0.0.0:8080\n    read_only: true\n    empty:\nvolumes:\n  data:\n",
        )
        .unwrap();
        assert_eq!(doc.get("name"), Some(&s("x")));
        let a = doc.at(&["services", "a"]).unwrap();
        assert_eq!(a.get("ports").unwrap().strings(), ["80:80", "443:443/udp"]);
        assert_eq!(a.at(&["environment", "ADDR"]), Some(&s("0.0.0.0:8080")));
        assert_eq!(a.get("read_only"), Some(&s("true")));
        assert_eq!(a.get("empty"), Some(&s("")));
        assert_eq!(doc.get("volumes").unwrap().keys(), ["data"]);
    }

    #[test]
    fn reads_what_yaml_means_in_any_style() {
        let doc = parse("a: [1, \"two\"]\nb: {c: d}\nanchor: &x 1\nalias: *x\ntext: |\n  line\n")
            .unwrap();
        assert_eq!(doc.get("a").unwrap().strings(), ["1", "two"]);
        assert_eq!(doc.at(&["b", "c"]), Some(&s("d")));
        assert_eq!(doc.get("alias"), Some(&s("1")));
        assert_eq!(doc.get("text"), Some(&s("line\n")));
    }

    #[test]
    fn refuses_what_compose_would_read_differently() {
        for bad in [
            "base: &b\n  ports:\n    - \"22:22\"\nmcp:\n  <<: *b\n",
            "ports: !reset []\n",
            "a: !override\n  b: c\n",
            "a: 1\na: 2\n",
            "a: 1\n\"a\": 2\n",
            "1: x\n\"1\": y\n",
            "? [a, b]\n: c\n",
            "a: 1\n---\nb: 2\n",
            "",
            "a:\n\t- b\n",
            "a: 1\n  b: 2\n",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    #[should_panic(expected = "expected a scalar item")]
    fn long_syntax_is_not_skipped_by_strings() {
        parse("ports:\n  - target: 80\n    published: 8080\n")
            .unwrap()
            .get("ports")
            .unwrap()
            .strings();
    }
}
