//! Whether every test file is compiled: a suite linked into one binary runs only the files its
//! `main.rs` (and each directory's `mod.rs`) declare, and cargo says nothing about the rest.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The `.rs` files and module directories under `dir` that the module file next to them
/// (`main.rs` at the top, `mod.rs` below) does not declare with `mod name;`.
pub fn undeclared_modules(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    collect(dir, "main.rs", &mut missing)?;
    Ok(missing)
}

fn collect(dir: &Path, module_file: &str, missing: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let declarations = std::fs::read_to_string(dir.join(module_file))
        .with_context(|| format!("reading {}", dir.join(module_file).display()))?;
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|entry| entry.path());
    for entry in entries {
        let path = entry.path();
        let name = if path.is_dir() && path.join("mod.rs").is_file() {
            collect(&path, "mod.rs", missing)?;
            path.file_name()
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && path.file_name().is_some_and(|file| file != module_file)
        {
            path.file_stem()
        } else {
            continue;
        };
        let name = name.and_then(|n| n.to_str()).unwrap_or_default();
        let declared = declarations
            .lines()
            .map(str::trim)
            .any(|line| without_visibility(line) == format!("mod {name};"));
        if !declared {
            missing.push(path);
        }
    }
    Ok(())
}

/// `mod x;` of `pub mod x;`, `pub(crate) mod x;`, `pub(super) mod x;` and the like.
fn without_visibility(line: &str) -> &str {
    let Some(rest) = line.strip_prefix("pub") else {
        return line;
    };
    let rest = match rest.strip_prefix('(') {
        Some(scoped) => scoped.split_once(')').map_or(rest, |(_, after)| after),
        None if rest.starts_with(' ') => rest,
        None => return line,
    };
    rest.trim_start()
}

#[cfg(test)]
mod tests {
    use super::without_visibility;

    #[test]
    fn declarations_read_the_same_whatever_their_visibility() {
        for line in [
            "mod a;",
            "pub mod a;",
            "pub(crate) mod a;",
            "pub(in crate::x) mod a;",
        ] {
            assert_eq!(without_visibility(line), "mod a;", "{line}");
        }
        assert_eq!(without_visibility("pubmod a;"), "pubmod a;");
    }
}
