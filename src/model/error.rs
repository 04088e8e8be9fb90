//! Why an edit was refused. An edit that returns an error changed nothing.

use super::ids::{DocId, EventId, LabelId, LinkId, SpanId};
use thiserror::Error;

/// Reasons an edit cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    /// A source-registry entry or mention is not acceptable.
    #[error("{0}")]
    BadSource(String),
    /// The document does not exist.
    #[error("document {0} does not exist")]
    UnknownDocument(DocId),
    /// The span does not exist.
    #[error("span {0} does not exist")]
    UnknownSpan(SpanId),
    /// The link does not exist.
    #[error("link {0} does not exist")]
    UnknownLink(LinkId),
    /// The label is not in the schema.
    #[error("label \"{0}\" is not in the project's label schema")]
    UnknownLabel(LabelId),
    /// A document with this id exists already.
    #[error("document id {0} is already used")]
    DuplicateDocumentId(DocId),
    /// A span with this id exists already.
    #[error("span id {0} is already used")]
    DuplicateSpanId(SpanId),
    /// A link with this id exists already.
    #[error("link id {0} is already used")]
    DuplicateLinkId(LinkId),
    /// A label with this id exists already.
    #[error("label \"{0}\" already exists")]
    DuplicateLabel(LabelId),
    /// The label id has the wrong syntax.
    #[error("{0}")]
    BadLabelId(String),
    /// The same link exists already.
    #[error("span {0} is already linked to span {1}")]
    DuplicateLink(SpanId, SpanId),
    /// A declared link type does not allow these labels.
    #[error(
        "span {from} ({from_label}) cannot be linked to span {to} ({to_label}) as {kind}: {kind} links go {rule}"
    )]
    LinkRule {
        /// The link type.
        kind: String,
        /// The linking span.
        from: SpanId,
        /// Its label.
        from_label: LabelId,
        /// The linked span.
        to: SpanId,
        /// Its label.
        to_label: LabelId,
        /// The rule, e.g. "claim or figure → source".
        rule: String,
    },
    /// The fragments are not ordered, non-overlapping, non-empty ranges.
    #[error(
        "span {0}: fragments must be two or more ordered, non-overlapping, non-empty ranges inside the text ({1})"
    )]
    BadFragments(SpanId, String),
    /// An attribute is not declared by the label or its value does not fit.
    #[error("span {0}: {1}")]
    BadAttribute(SpanId, String),
    /// A project pattern cannot be added or removed.
    #[error("pattern: {0}")]
    BadPattern(String),
    /// No merge conflict at this position.
    #[error("there is no conflict number {0}")]
    UnknownConflict(usize),
    /// A schema change to a label's attributes cannot be made.
    #[error("label {0}: {1}")]
    BadSchema(LabelId, String),
    /// An event names a span that does not exist, or has an empty type.
    #[error("event {0}: {1}")]
    BadEvent(EventId, String),
    /// An event id is taken.
    #[error("event id {0} is already used")]
    DuplicateEventId(EventId),
    /// No such event.
    #[error("event {0} does not exist")]
    UnknownEvent(EventId),
    /// An extra record refers to something that does not exist.
    #[error("{0}")]
    BadExtra(String),
    /// A span or event is still referred to by a normalisation, note or
    /// equivalence.
    #[error("{0} is still referred to by a normalisation, note or equivalence")]
    StillReferred(String),
    /// A span still takes part in events.
    #[error("span {0} is still part of an event")]
    SpanInEvents(SpanId),
    /// A span cannot link to itself.
    #[error("span {0} cannot be linked to itself")]
    SelfLink(SpanId),
    /// Link types are single words.
    #[error("link type {0:?} must be a single non-empty word")]
    BadLinkType(String),
    /// The range is empty, reversed or past the end of the text.
    #[error("range {start}..{end} is not a non-empty range inside the text ({len} characters)")]
    BadRange {
        /// Requested start.
        start: usize,
        /// Requested end.
        end: usize,
        /// Text length in chars.
        len: usize,
    },
    /// A hotkey is already bound to another label.
    #[error("key {0:?} already tags label \"{1}\"")]
    HotkeyTaken(char, LabelId),
    /// Names may not be blank.
    #[error("the name may not be empty")]
    EmptyName,
    /// Documents are removed together with their spans (use the command).
    #[error("document {0} still has spans")]
    DocumentHasSpans(DocId),
    /// Spans are removed together with their links (use the command).
    #[error("span {0} still has links")]
    SpanHasLinks(SpanId),
    /// Labels are removed together with their spans (use the command).
    #[error("label \"{0}\" is still used by spans")]
    LabelInUse(LabelId),
    /// Nothing to do.
    #[error("nothing to undo")]
    NothingToUndo,
    /// Nothing to do.
    #[error("nothing to redo")]
    NothingToRedo,
    /// No orphan has this id.
    #[error("span {0} is not an orphan")]
    UnknownOrphan(SpanId),
    /// A re-text cannot be applied as planned.
    #[error("replacing the text of document {0}: {1}")]
    BadRetext(DocId, String),
    /// A span of this label over exactly this text exists already: a second
    /// one would look like one and count twice.
    #[error("span {0} already has this label and covers exactly this text")]
    SameSpan(SpanId),
    /// The text being imported is empty.
    #[error("the text is empty")]
    EmptyText,
}
