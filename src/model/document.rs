//! Documents, spans and links: the annotated data.

use super::ids::{DocId, LabelId, LinkId, SpanId};
use super::text::{DocText, text_hash};

/// One article. Its text never changes after import, so spans stay anchored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable id.
    pub id: DocId,
    /// Display title.
    pub title: String,
    /// Where the text came from: a file path or a URL.
    pub origin: Option<String>,
    /// The stored text (normalised: no BOM, LF line endings).
    pub text: DocText,
    /// `sha256:` hash of the text, to detect edits made outside Marginalia.
    pub hash: String,
}

impl Document {
    /// Builds a document and computes its hash.
    pub fn new(id: DocId, title: &str, origin: Option<String>, text: &str) -> Self {
        Document {
            id,
            title: title.to_string(),
            origin,
            hash: text_hash(text),
            text: DocText::new(text),
        }
    }
}

impl Document {
    /// Builds a document from parts already computed (the loader hashes on
    /// another thread and fills the hash in with `set_document_hash`).
    pub fn from_parts(
        id: DocId,
        title: &str,
        origin: Option<String>,
        text: DocText,
        hash: String,
    ) -> Self {
        Document {
            id,
            title: title.to_string(),
            origin,
            text,
            hash,
        }
    }
}

/// A tagged half-open range `[start, end)` of code points in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Stable id, unique in the project.
    pub id: SpanId,
    /// The document the span belongs to.
    pub doc: DocId,
    /// The label from the schema.
    pub label: LabelId,
    /// First code point covered.
    pub start: usize,
    /// One past the last code point covered (`start < end`).
    pub end: usize,
    /// Free-text note by the analyst.
    pub note: Option<String>,
    /// Creation time, RFC 3339 UTC (e.g. `2026-11-23T01:02:03Z`).
    pub created: String,
}

impl Span {
    /// The span's range.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A directed link between two spans, e.g. claim `attributed_to` source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Stable id.
    pub id: LinkId,
    /// Source end of the link (typically a claim or figure).
    pub from: SpanId,
    /// Target end of the link (typically a source attribution).
    pub to: SpanId,
    /// Link type, e.g. `attributed_to`.
    pub kind: String,
}
