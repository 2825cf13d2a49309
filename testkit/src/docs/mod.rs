//! The user documentation as the tests read it: the repository's pages, the pieces of
//! Markdown a translated page must keep exactly as the English one has them
//! ([`markdown`]), and the troubleshooting page's entries for what the service and `verify`
//! print ([`troubleshooting`]).

pub mod markdown;
pub mod troubleshooting;

use std::path::{Path, PathBuf};

use anyhow::Context;

pub use markdown::{
    code_spans, fenced_blocks, heading_anchors, inline_code, link_targets, variable_names,
};
pub use troubleshooting::{
    Entry, assert_verify_output_documented, bold_quotes, literal_pieces, unexplained,
    verify_sections,
};

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
