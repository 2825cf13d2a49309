//! A streaming reader for the RTMS XML answers.
//!
//! The gateway answers either a `<response>` envelope (data, or a result code) or an
//! `OpenAPI_ServiceResponse` envelope (key and quota problems). We walk the events once,
//! keep only the fields we know, and never expand entities beyond the five predefined ones
//! and character references, nor accept a DTD: the answer comes from the network.

use quick_xml::{Reader, escape::resolve_predefined_entity, events::Event};

use super::{
    Deal, Page,
    fields::{Field, text},
};
use crate::count::count_u32;

/// Why an answer could not be turned into a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The gateway reported an error code, in either envelope.
    #[error("the service answered with error code {code} ({message})")]
    Gateway {
        /// The code as sent (`30`, `22`, …; empty if the envelope had none).
        code: String,
        /// The gateway's own words (`SERVICE_KEY_IS_NOT_REGISTERED_ERROR`, …).
        message: String,
    },
    /// The body is not a well-formed answer (HTML error page, cut-off body, …).
    #[error("the answer could not be read: {0}")]
    Malformed(String),
}

/// Parses one RTMS answer. Success codes `000` and `00` give a page; `03` (no data) gives
/// an empty page; any other code, the `OpenAPI_ServiceResponse` envelope, or a body that is
/// not a complete answer is an error.
pub fn parse_page(body: &[u8]) -> Result<Page, ParseError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ParseError::Malformed("the answer is not UTF-8 text".into()))?;
    let mut reader = Reader::from_str(text);
    let mut doc = Document {
        deals: Vec::with_capacity(estimated_items(text.len())),
        ..Document::default()
    };
    let mut stack: Vec<Node> = Vec::with_capacity(8);
    let mut buf = String::with_capacity(64);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ParseError::Malformed(format!("not well-formed XML ({e})")))?;
        match event {
            Event::Start(start) => {
                let node = doc.child_of(stack.last().copied(), start.name().as_ref())?;
                doc.open(node);
                stack.push(node);
                buf.clear();
            }
            Event::Empty(start) => {
                let node = doc.child_of(stack.last().copied(), start.name().as_ref())?;
                doc.open(node);
                doc.close(node, "")?;
            }
            Event::End(_) => {
                if let Some(node) = stack.pop() {
                    doc.close(node, &buf)?;
                }
                buf.clear();
            }
            Event::Text(content) => match stack.last() {
                Some(Node::Leaf(_)) => buf.push_str(&content),
                None if !content.trim().is_empty() => {
                    return Err(ParseError::Malformed("text outside any element".into()));
                }
                _ => {}
            },
            Event::CData(content) => {
                if matches!(stack.last(), Some(Node::Leaf(_))) {
                    buf.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                if matches!(stack.last(), Some(Node::Leaf(_))) {
                    push_reference(&mut buf, &reference)?;
                }
            }
            Event::DocType(_) => {
                return Err(ParseError::Malformed(
                    "a document type declaration is not accepted".into(),
                ));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    doc.finish()
}

/// Room for the items a body of `len` bytes probably holds (an item takes 300 to 700 bytes),
/// so a 1,000-row page is not copied while its vector grows.
fn estimated_items(len: usize) -> usize {
    (len / 300).min(4_096)
}

/// Resolves `&lt;`-style and `&#…;` references; any other entity is refused, never fetched.
fn push_reference(buf: &mut String, reference: &str) -> Result<(), ParseError> {
    if let Some(text) = resolve_predefined_entity(reference) {
        buf.push_str(text);
        return Ok(());
    }
    let char_ref = quick_xml::events::BytesRef::new(reference);
    match char_ref.resolve_char_ref() {
        Ok(Some(c)) => {
            buf.push(c);
            Ok(())
        }
        _ => Err(ParseError::Malformed(format!(
            "unknown entity reference `&{reference};`"
        ))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Response,
    ServiceError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Response,
    Header,
    Body,
    Items,
    Item,
    ServiceError,
    MsgHeader,
    Leaf(Leaf),
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    ResultCode,
    ResultMsg,
    TotalCount,
    PageNo,
    NumOfRows,
    ErrMsg,
    AuthMsg,
    ReasonCode,
    Field(Field),
}

/// What we have read so far.
#[derive(Default)]
struct Document {
    root: Option<Root>,
    root_closed: bool,
    result_code: Option<String>,
    result_msg: Option<String>,
    err_msg: Option<String>,
    auth_msg: Option<String>,
    reason_code: Option<String>,
    total_count: Option<u32>,
    page_no: Option<u32>,
    num_of_rows: Option<u32>,
    current: Deal,
    deals: Vec<Deal>,
}

impl Document {
    fn child_of(&mut self, parent: Option<Node>, tag: &str) -> Result<Node, ParseError> {
        let Some(parent) = parent else {
            return self.root_node(tag);
        };
        Ok(match (parent, tag) {
            (Node::Response, "header") => Node::Header,
            (Node::Response, "body") => Node::Body,
            (Node::Header, "resultCode") => Node::Leaf(Leaf::ResultCode),
            (Node::Header, "resultMsg") => Node::Leaf(Leaf::ResultMsg),
            (Node::Body, "items") => Node::Items,
            (Node::Body, "totalCount") => Node::Leaf(Leaf::TotalCount),
            (Node::Body, "pageNo") => Node::Leaf(Leaf::PageNo),
            (Node::Body, "numOfRows") => Node::Leaf(Leaf::NumOfRows),
            (Node::Items, "item") => Node::Item,
            (Node::Item, tag) => {
                Field::from_tag(tag).map_or(Node::Ignored, |f| Node::Leaf(Leaf::Field(f)))
            }
            (Node::ServiceError, "cmmMsgHeader") => Node::MsgHeader,
            (Node::MsgHeader, "errMsg") => Node::Leaf(Leaf::ErrMsg),
            (Node::MsgHeader, "returnAuthMsg") => Node::Leaf(Leaf::AuthMsg),
            (Node::MsgHeader, "returnReasonCode") => Node::Leaf(Leaf::ReasonCode),
            _ => Node::Ignored,
        })
    }

    fn root_node(&mut self, tag: &str) -> Result<Node, ParseError> {
        if self.root.is_some() {
            return Err(ParseError::Malformed("more than one root element".into()));
        }
        let (root, node) = match tag {
            "response" => (Root::Response, Node::Response),
            "OpenAPI_ServiceResponse" => (Root::ServiceError, Node::ServiceError),
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(ParseError::Malformed(format!(
                    "unexpected root element <{shown}>"
                )));
            }
        };
        self.root = Some(root);
        Ok(node)
    }

    fn open(&mut self, node: Node) {
        if node == Node::Item {
            self.current = Deal::default();
        }
    }

    fn close(&mut self, node: Node, raw: &str) -> Result<(), ParseError> {
        match node {
            Node::Item => self.deals.push(std::mem::take(&mut self.current)),
            Node::Response | Node::ServiceError => self.root_closed = true,
            Node::Leaf(Leaf::Field(field)) => field.assign(&mut self.current, raw),
            Node::Leaf(Leaf::ResultCode) => self.result_code = text(raw),
            Node::Leaf(Leaf::ResultMsg) => self.result_msg = text(raw),
            Node::Leaf(Leaf::ErrMsg) => self.err_msg = text(raw),
            Node::Leaf(Leaf::AuthMsg) => self.auth_msg = text(raw),
            Node::Leaf(Leaf::ReasonCode) => self.reason_code = text(raw),
            Node::Leaf(Leaf::TotalCount) => self.total_count = count(raw, "totalCount")?,
            Node::Leaf(Leaf::PageNo) => self.page_no = count(raw, "pageNo")?,
            Node::Leaf(Leaf::NumOfRows) => self.num_of_rows = count(raw, "numOfRows")?,
            Node::Header | Node::Body | Node::Items | Node::MsgHeader | Node::Ignored => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<Page, ParseError> {
        let Some(root) = self.root else {
            return Err(ParseError::Malformed(
                "the answer is empty or not XML".into(),
            ));
        };
        if !self.root_closed {
            return Err(ParseError::Malformed(
                "the answer was cut off before its end".into(),
            ));
        }
        if root == Root::ServiceError {
            return Err(ParseError::Gateway {
                code: self.reason_code.unwrap_or_default(),
                message: self.auth_msg.or(self.err_msg).unwrap_or_default(),
            });
        }
        let code = self
            .result_code
            .ok_or_else(|| ParseError::Malformed("the answer carries no result code".into()))?;
        match code_number(&code) {
            Some(0) => {
                let found = count_u32(self.deals.len());
                Ok(Page {
                    total_count: self.total_count.unwrap_or(found),
                    page_no: self.page_no.unwrap_or(1),
                    num_of_rows: self.num_of_rows.unwrap_or(found),
                    deals: self.deals,
                })
            }
            Some(3) => Ok(Page {
                total_count: 0,
                page_no: self.page_no.unwrap_or(1),
                num_of_rows: self.num_of_rows.unwrap_or(0),
                deals: Vec::new(),
            }),
            _ => Err(ParseError::Gateway {
                code,
                message: self.result_msg.unwrap_or_default(),
            }),
        }
    }
}

/// The numeric value of a result code: `000`, `00` and `0` are all success, `03` and `3`
/// both mean no data, and so on; `None` for a code that is not a number.
pub(crate) fn code_number(code: &str) -> Option<u16> {
    let code = code.trim();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    code.parse().ok()
}

fn count(raw: &str, tag: &str) -> Result<Option<u32>, ParseError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    trimmed
        .parse()
        .map(Some)
        .map_err(|_| ParseError::Malformed(format!("<{tag}> is not a number: {trimmed:.20}")))
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
