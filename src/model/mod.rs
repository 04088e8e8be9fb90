//! The annotation model: documents, spans, labels, links, and invertible
//! edits with undo/redo. Pure data and logic: no GUI and no I/O.

pub mod anchor;
mod clause;
mod command;
mod conflict;
mod diff;
mod document;
mod edit;
mod error;
mod history;
mod ids;
mod label;
mod navigate;
mod order_log;
mod orphan;
mod pattern;
mod project;
pub mod registry;
mod runs;
mod settings;
mod source;
pub mod text;
mod validate;

pub use command::{Command, Created, Removed, span_changes};
pub use conflict::{Alternative, Conflict, Side};
pub use diff::Difference;
pub use document::{
    Attrs, DocStatus, Document, Event, Extra, Fragment, Link, Provenance, Span, Target,
};
pub use edit::Edit;
pub use error::EditError;
pub use history::History;
pub use ids::{DocId, EventId, LabelId, LinkId, NextIds, SourceId, SpanId};
pub use label::{
    ATTRIBUTED_TO, AttrDef, AttrKind, CLAIM, FIGURE, Label, LinkType, Rgb, SOURCE,
    default_link_types, default_schema, parse_number, parse_number_or_range, range_end_attribute,
};
pub use order_log::OrderChange;
pub use orphan::Orphan;
pub use pattern::{Pattern, Rejection};
pub use project::Project;
pub use settings::{LearnedSetting, Settings};
pub use source::{
    Attribution, Identification, SourceEntry, SourceKind, Sourcing, default_sourcing,
    guess_identification, guess_kind, is_bare_reference, is_plural_reference, is_wikidata_id,
    name_key,
};
pub use text::DocText;
pub use validate::{Problem, Severity, grapheme_problems};

#[cfg(test)]
mod tests;
