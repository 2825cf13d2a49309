//! Which modules of a crate import which: enough of Rust's `use` paths (`crate::…`,
//! `super::…`, nested `{…}` groups, inline `mod tests { … }`) to check that data flows one way
//! and that no two files import each other. It reads text, not a syntax tree, so it only
//! needs to be right for code that `cargo fmt` has formatted.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

/// Module path (`tools::analytics::fetch`, empty for the crate root) → the modules it names.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Reads every `.rs` file under `src` (a crate's `src/` directory) and builds its graph.
pub fn crate_graph(src: &Path) -> anyhow::Result<Graph> {
    let files: Vec<(String, String)> = crate::repo::rust_files(src)?
        .into_iter()
        .map(|(path, text)| {
            let relative = path.strip_prefix(src).unwrap_or(&path);
            (relative.to_string_lossy().replace('\\', "/"), text)
        })
        .collect();
    Ok(graph(&files))
}

/// The graph of in-memory files, each given by its path under `src/` and its text.
pub fn graph(files: &[(String, String)]) -> Graph {
    let modules: BTreeMap<String, &str> = files
        .iter()
        .map(|(path, text)| (module_of(path), text.as_str()))
        .collect();
    modules
        .iter()
        .map(|(module, text)| {
            let here: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
            let named = used_paths(text)
                .into_iter()
                .filter_map(|(depth, path)| {
                    let mut full: Vec<&str> = match path.first().map(String::as_str) {
                        Some("crate") => Vec::new(),
                        // `super` in a file's own inline `mod tests` names the file itself.
                        Some("super") if depth > 0 => here.clone(),
                        Some("super") => here[..here.len().saturating_sub(1)].to_vec(),
                        _ => return None,
                    };
                    full.extend(path[1..].iter().map(String::as_str));
                    deepest_module(&modules, &full)
                })
                .filter(|named| named != module)
                .collect();
            (module.clone(), named)
        })
        .collect()
}

/// Pairs of modules that import each other, each pair once, sorted.
pub fn mutual_imports(graph: &Graph) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (a, named) in graph {
        for b in named {
            if a < b && graph.get(b).is_some_and(|back| back.contains(a)) {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    pairs
}

/// Imports from a module under `lower` (a top-level module) into one under `higher`.
pub fn upward_imports(graph: &Graph, lower: &str, higher: &str) -> Vec<(String, String)> {
    let under = |module: &str, top: &str| module == top || module.starts_with(&format!("{top}::"));
    graph
        .iter()
        .filter(|(module, _)| under(module, lower))
        .flat_map(|(module, named)| {
            named
                .iter()
                .filter(|target| under(target, higher))
                .map(|target| (module.clone(), target.clone()))
        })
        .collect()
}

fn module_of(path: &str) -> String {
    let path = path.strip_suffix(".rs").unwrap_or(path);
    let mut parts: Vec<&str> = path.split('/').collect();
    if matches!(parts.last(), Some(&("mod" | "lib" | "main"))) {
        parts.pop();
    }
    parts.join("::")
}

fn deepest_module(modules: &BTreeMap<String, &str>, path: &[&str]) -> Option<String> {
    (0..=path.len())
        .rev()
        .map(|len| path[..len].join("::"))
        .find(|candidate| modules.contains_key(candidate))
}

/// Every `crate::…` and `super::…` path in `text` outside comments, groups expanded, each
/// with how many inline modules enclose it.
fn used_paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let inline = inline_modules(&code);
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (start, _) in code.char_indices() {
        let rest = &code[start..];
        if !(rest.starts_with("crate::") || rest.starts_with("super::")) {
            continue;
        }
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
            continue;
        }
        let depth = inline.iter().filter(|r| r.contains(&start)).count();
        let (tree, _) = read_tree(rest);
        for path in expand(&tree) {
            found.push((depth, path));
        }
    }
    found
}

/// Byte ranges of `mod name { … }` blocks.
fn inline_modules(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut search = 0;
    while let Some(offset) = code[search..].find("mod ") {
        let at = search + offset;
        search = at + 4;
        let after = &code[at + 4..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].trim_start().starts_with('{') {
            continue;
        }
        let open = at + 4 + name_len + after[name_len..].find('{').unwrap_or(0);
        if let Some(close) = matching_brace(code, open) {
            ranges.push(open..close);
        }
    }
    ranges
}

fn matching_brace(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A use tree: a path, then either nothing or a `{…}` group of further trees.
#[derive(Debug)]
struct Tree {
    path: Vec<String>,
    group: Vec<Tree>,
}

/// Reads one tree from the start of `text`; returns it and the bytes consumed.
fn read_tree(text: &str) -> (Tree, usize) {
    let mut tree = Tree {
        path: Vec::new(),
        group: Vec::new(),
    };
    let mut i = 0;
    loop {
        let rest = &text[i..];
        let skipped = rest.len() - rest.trim_start().len();
        i += skipped;
        let rest = &text[i..];
        if rest.starts_with('{') {
            i += 1;
            loop {
                let rest = &text[i..];
                let skipped = rest.len() - rest.trim_start().len();
                i += skipped;
                match text[i..].chars().next() {
                    None => return (tree, i),
                    Some('}') => return (tree, i + 1),
                    Some(',') => i += 1,
                    Some(_) => {
                        let (inner, used) = read_tree(&text[i..]);
                        i += used.max(1);
                        tree.group.push(inner);
                    }
                }
            }
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return (tree, i);
        }
        tree.path.push(rest[..len].to_owned());
        i += len;
        if text[i..].starts_with("::") {
            i += 2;
        } else {
            return (tree, i);
        }
    }
}

fn expand(tree: &Tree) -> Vec<Vec<String>> {
    if tree.group.is_empty() {
        return vec![tree.path.clone()];
    }
    tree.group
        .iter()
        .flat_map(expand)
        .map(|tail| {
            let mut path = tree.path.clone();
            // `self` in a group names the group's own path.
            path.extend(tail.into_iter().filter(|part| part != "self"));
            path
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    #[test]
    fn nested_groups_and_super_resolve_to_modules() {
        let graph = graph(&files(&[
            ("lib.rs", "pub mod a;\npub mod b;\n"),
            ("a/mod.rs", "mod x;\nmod y;\n"),
            (
                "a/x.rs",
                "use super::{y::Thing, z};\nuse crate::{b::{self, c::D}};\n",
            ),
            ("a/y.rs", "// use super::x;\nconst S: &str = \"가\";\n"),
            ("b/mod.rs", "pub mod c;\n"),
            ("b/c.rs", "pub struct D;\n"),
        ]));
        let named: Vec<_> = graph["a::x"].iter().map(String::as_str).collect();
        assert_eq!(named, ["a", "a::y", "b", "b::c"]);
        assert!(graph["a::y"].is_empty(), "comments are not imports");
    }

    #[test]
    fn two_files_naming_each_other_are_found() {
        let graph = graph(&files(&[
            ("a.rs", "use crate::b::B;\npub struct A;\n"),
            ("b.rs", "use super::a::A;\npub struct B;\n"),
            ("c.rs", "use crate::a::A;\n"),
        ]));
        assert_eq!(mutual_imports(&graph), [("a".to_owned(), "b".to_owned())]);
    }

    #[test]
    fn super_inside_a_files_test_module_names_the_file() {
        let graph = graph(&files(&[
            ("p/mod.rs", "mod a;\nmod b;\n"),
            (
                "p/a.rs",
                "use super::b::B;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
            ),
            ("p/b.rs", "pub struct B;\n"),
        ]));
        let named: Vec<_> = graph["p::a"].iter().map(String::as_str).collect();
        assert_eq!(named, ["p::b"]);
    }

    #[test]
    fn an_import_from_a_higher_layer_is_found() {
        let graph = graph(&files(&[
            ("upstream/mod.rs", "use crate::tools::ToolError;\n"),
            ("tools/mod.rs", "use crate::upstream::Client;\n"),
        ]));
        assert_eq!(
            upward_imports(&graph, "upstream", "tools"),
            [("upstream".to_owned(), "tools".to_owned())]
        );
        assert!(upward_imports(&graph, "tools", "routes").is_empty());
    }
}
