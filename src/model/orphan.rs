//! Orphans: spans whose text could not be found again with confidence
//! after their article's text was replaced. An orphan is never dropped: it
//! keeps the span whole (label, note, attributes, creation time) with its
//! last quote, and parks the links, events and extra records that used it
//! until it is re-attached to a selection or discarded.

use super::document::{Event, Extra, Link, Span, Target};

/// A span without a place in its article's current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The span as it was: its id, document, label, note, attributes and
    /// creation time. Its offsets are those of the text it last fitted.
    pub span: Span,
    /// The text it covered there (fragments joined with " … ").
    pub quote: String,
    /// Links it took part in, parked (both ends may not exist now).
    pub links: Vec<Link>,
    /// Events that used it (directly or through another event), parked in
    /// the order they can go back in.
    pub events: Vec<Event>,
    /// Extra records (brat `#`, `N`, `*`) about it or its events, parked.
    pub extras: Vec<Extra>,
}

impl Orphan {
    /// Everything a parked record refers to: its spans and events.
    pub fn refs_of_link(link: &Link) -> Vec<Target> {
        vec![Target::Span(link.from), Target::Span(link.to)]
    }

    /// What a parked event refers to: its trigger and arguments.
    pub fn refs_of_event(event: &Event) -> Vec<Target> {
        std::iter::once(Target::Span(event.trigger))
            .chain(event.args.iter().map(|(_, t)| *t))
            .collect()
    }

    /// True when it holds nothing but the span itself.
    pub fn parks_nothing(&self) -> bool {
        self.links.is_empty() && self.events.is_empty() && self.extras.is_empty()
    }
}
