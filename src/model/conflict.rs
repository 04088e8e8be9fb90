//! Merge conflicts kept in the project: a record both sides of a merge
//! changed differently. The project holds one version (the one that
//! "stands"); the conflict keeps the other, so nothing is lost and the user
//! can settle it later, either way, as an undoable command.

use super::document::{DocStatus, Span};
use super::ids::{DocId, LabelId, SpanId};
use super::label::Label;

/// Which side of a merge a version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Side {
    /// The branch being merged into (git's `%A`).
    Ours,
    /// The branch being merged in (git's `%B`).
    Theirs,
}

impl Side {
    /// `ours` or `theirs`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }
}

/// The version a conflict keeps aside; `None` inside means that side
/// deleted the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alternative {
    /// A span's other version.
    Span(SpanId, Option<Span>),
    /// A label's other version.
    Label(LabelId, Option<Label>),
    /// A document's other title (None: that side deleted the document).
    Document(DocId, Option<String>),
    /// A document's other status.
    Status(DocId, DocStatus),
}

/// One unsettled difference between the two sides of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What differs, for people: e.g. `["label"]`, `["deleted"]`.
    pub fields: Vec<String>,
    /// The side whose version the project holds.
    pub standing: Side,
    /// The other side's version.
    pub other: Alternative,
}

impl Conflict {
    /// "span 12", "label person", "article 3".
    pub fn subject(&self) -> String {
        match &self.other {
            Alternative::Span(id, _) => format!("span {id}"),
            Alternative::Label(id, _) => format!("label {id}"),
            Alternative::Document(id, _) | Alternative::Status(id, _) => format!("article {id}"),
        }
    }

    /// True when the other side deleted the record.
    pub fn other_deleted(&self) -> bool {
        matches!(
            self.other,
            Alternative::Span(_, None)
                | Alternative::Label(_, None)
                | Alternative::Document(_, None)
        )
    }

    /// One line: what differs, and what each side did.
    pub fn describe(&self) -> String {
        if self.other_deleted() {
            format!(
                "{} deleted it, {} changed it ({}); {} stands",
                self.standing.other().as_str(),
                self.standing.as_str(),
                self.fields.join(", "),
                self.standing.as_str()
            )
        } else {
            format!(
                "both changed {}; {} stands",
                self.fields.join(", "),
                self.standing.as_str()
            )
        }
    }
}
