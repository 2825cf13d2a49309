//! The user documentation as the tests read it: the repository's pages, the pieces of
//! Markdown a translated page must keep exactly as the English one has them
//! ([`markdown`]), and the troubleshooting page's entries for what the service and `verify`
//! print ([`troubleshooting`]).

pub mod markdown;
pub mod troubleshooting;

pub use markdown::{
    code_spans, fenced_blocks, heading_anchors, inline_code, link_targets, variable_names,
};
pub use troubleshooting::{
    Entry, assert_verify_output_documented, bold_quotes, literal_pieces, unexplained,
    verify_sections,
};
