//! Primitive, invertible edits. Each [`Edit`] checks its preconditions before
//! touching the project and returns its exact inverse, so a sequence of edits
//! can always be rolled back. Commands (see `command.rs`) expand into these.

use super::conflict::Conflict;
use super::document::{
    DocStatus, Document, Event, Extra, Fragment, Link, Provenance, Span, Target,
};
use super::error::EditError;
use super::ids::{DocId, EventId, LabelId, LinkId, SourceId, SpanId};
use super::label::{Label, LinkType};
use super::orphan::Orphan;
use super::pattern::{Pattern, Rejection};
use super::project::{Project, Touched};
use super::source::{SourceEntry, Sourcing};
use super::text::{DocText, text_hash};

/// One primitive change to a project.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Rename the project.
    SetProjectName(String),
    /// Insert a document (its id must be free).
    InsertDocument(Document),
    /// Delete a document that has no spans.
    DeleteDocument(DocId),
    /// Change a document's title.
    SetDocumentTitle(DocId, String),
    /// Change a document's status.
    SetDocumentStatus(DocId, DocStatus),
    /// Set where a document came from; the inverse restores the old one.
    SetDocumentSource(DocId, Option<Box<Provenance>>),
    /// Set the file path or URL a document was read from; the inverse
    /// restores the old one.
    SetDocumentOrigin(DocId, Option<String>),
    /// Insert a span (its id must be free).
    InsertSpan(Span),
    /// Delete a span that has no links.
    DeleteSpan(SpanId),
    /// Change a span's label.
    SetSpanLabel(SpanId, LabelId),
    /// Change a span's range.
    SetSpanRange(SpanId, usize, usize),
    /// Set or clear a span's note.
    SetSpanNote(SpanId, Option<String>),
    /// Replace a span's fragments (one fragment: contiguous again).
    SetSpanFragments(SpanId, Vec<Fragment>),
    /// Set (Some) or clear (None) one attribute of a span.
    SetSpanAttr(SpanId, String, Option<String>),
    /// Insert an event (its id must be free, its spans must exist).
    InsertEvent(Event),
    /// Delete an event no extra refers to.
    DeleteEvent(EventId),
    /// Replace an event's arguments (role, span or event).
    SetEventArgs(EventId, Vec<(String, Target)>),
    /// Insert an extra record (normalisation, note, equivalence) at a position.
    InsertExtra(usize, Extra),
    /// Delete the extra record at a position.
    DeleteExtra(usize),
    /// Insert a link (its id must be free).
    InsertLink(Link),
    /// Delete a link.
    DeleteLink(LinkId),
    /// Insert a label at a schema position.
    InsertLabel(usize, Label),
    /// Delete a label no span uses.
    DeleteLabel(LabelId),
    /// Replace a label's name, colour and hotkey (matched by id).
    UpdateLabel(Label),
    /// Declare a link type's rule, or replace it (matched by id). Refused
    /// when an existing link would break the new rule.
    PutLinkType(LinkType),
    /// Drop a link type's rule (its links become unrestricted).
    DeleteLinkType(String),
    /// Insert a project pattern at a position.
    InsertPattern(usize, Pattern),
    /// Delete the project pattern at a position.
    DeletePattern(usize),
    /// Remember a rejected suggestion (true) or forget it (false).
    SetRejected(Rejection, bool),
    /// Add an orphan (its span id must be free, its document must exist).
    InsertOrphan(Orphan),
    /// Drop an orphan with everything it parks.
    DeleteOrphan(SpanId),
    /// Replace a document's text and move every span of it at once.
    SetDocumentText {
        /// The document.
        doc: DocId,
        /// The new text (already normalised).
        text: DocText,
        /// Where each span of the document goes, as fragments in the new
        /// text; every span of the document must be listed.
        moves: Vec<(SpanId, Vec<Fragment>)>,
    },
    /// Replace the project's settings.
    SetSettings(super::settings::Settings),
    /// Mark (true) or unmark a span's attribute value as possibly stale.
    SetStale(SpanId, String, bool),
    /// Add a source-registry entry (its id unused).
    InsertSource(SourceEntry),
    /// Remove a registry entry no span mentions (deleted spans included).
    DeleteSource(SourceId),
    /// Replace an entry's fields (same id).
    UpdateSource(SourceEntry),
    /// Set (or clear) which entry a span mentions.
    SetMention(SpanId, Option<SourceId>),
    /// Replace the schema's sourcing roles.
    SetSourcing(Sourcing),
    /// Record a merge conflict at a position.
    InsertConflict(usize, Conflict),
    /// Drop the merge conflict at a position.
    DeleteConflict(usize),
}

impl Project {
    /// Applies one edit and returns its inverse. On error nothing changed.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let touched = self.touched_by(&edit);
        let inverse = self.apply_unstamped(edit)?;
        self.stamp(touched);
        Ok(inverse)
    }

    /// What an edit changes, for [`Project::annotation_stamp`]: one
    /// article's annotations, or the schema and registry that every
    /// article's analysis reads.
    fn touched_by(&self, edit: &Edit) -> Touched {
        let span_doc = |id: &SpanId| {
            self.span(*id)
                .or_else(|| self.orphan(*id).map(|o| &o.span))
                .map(|s| s.doc)
        };
        let doc = match edit {
            Edit::InsertDocument(d) => Some(d.id),
            Edit::DeleteDocument(d)
            | Edit::SetDocumentTitle(d, _)
            | Edit::SetDocumentStatus(d, _)
            | Edit::SetDocumentSource(d, _)
            | Edit::SetDocumentOrigin(d, _) => Some(*d),
            Edit::SetDocumentText { doc, .. } => Some(*doc),
            Edit::InsertSpan(s) => Some(s.doc),
            Edit::InsertOrphan(o) => Some(o.span.doc),
            Edit::DeleteSpan(id)
            | Edit::SetSpanLabel(id, _)
            | Edit::SetSpanRange(id, ..)
            | Edit::SetSpanNote(id, _)
            | Edit::SetSpanFragments(id, _)
            | Edit::SetSpanAttr(id, ..)
            | Edit::SetStale(id, ..)
            | Edit::SetMention(id, _)
            | Edit::DeleteOrphan(id) => span_doc(id),
            Edit::InsertLink(l) => span_doc(&l.from),
            Edit::DeleteLink(id) => self.link(*id).and_then(|l| span_doc(&l.from)),
            Edit::InsertEvent(e) => span_doc(&e.trigger),
            Edit::DeleteEvent(id) | Edit::SetEventArgs(id, _) => {
                self.event(*id).and_then(|e| span_doc(&e.trigger))
            }
            Edit::InsertLabel(..)
            | Edit::DeleteLabel(_)
            | Edit::UpdateLabel(_)
            | Edit::PutLinkType(_)
            | Edit::DeleteLinkType(_)
            | Edit::InsertSource(_)
            | Edit::DeleteSource(_)
            | Edit::UpdateSource(_)
            | Edit::SetSourcing(_) => return Touched::Everything,
            _ => None,
        };
        doc.map_or(Touched::Nothing, Touched::Article)
    }

    /// Applies one edit without stamping what it touched.
    fn apply_unstamped(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::SetProjectName(name) => {
                if name.trim().is_empty() {
                    return Err(EditError::EmptyName);
                }
                Ok(Edit::SetProjectName(self.raw_set_name(name)))
            }
            Edit::InsertDocument(doc) => {
                if self.document(doc.id).is_some() {
                    return Err(EditError::DuplicateDocumentId(doc.id));
                }
                if doc.text.char_len() == 0 {
                    return Err(EditError::EmptyText);
                }
                let id = doc.id;
                self.raw_insert_document(doc);
                Ok(Edit::DeleteDocument(id))
            }
            Edit::DeleteDocument(id) => {
                if self.document(id).is_none() {
                    return Err(EditError::UnknownDocument(id));
                }
                if self.span_count_in(id) > 0 || self.orphans_in(id).next().is_some() {
                    return Err(EditError::DocumentHasSpans(id));
                }
                let doc = self
                    .raw_remove_document(id)
                    .ok_or(EditError::UnknownDocument(id))?;
                Ok(Edit::InsertDocument(doc))
            }
            Edit::SetDocumentTitle(id, title) => {
                if title.trim().is_empty() {
                    return Err(EditError::EmptyName);
                }
                let doc = self
                    .raw_document_mut(id)
                    .ok_or(EditError::UnknownDocument(id))?;
                let old = std::mem::replace(&mut doc.title, title);
                Ok(Edit::SetDocumentTitle(id, old))
            }
            Edit::SetDocumentStatus(id, status) => {
                let doc = self
                    .raw_document_mut(id)
                    .ok_or(EditError::UnknownDocument(id))?;
                let old = std::mem::replace(&mut doc.status, status);
                Ok(Edit::SetDocumentStatus(id, old))
            }
            Edit::SetDocumentSource(id, source) => {
                let doc = self
                    .raw_document_mut(id)
                    .ok_or(EditError::UnknownDocument(id))?;
                let old = std::mem::replace(&mut doc.source, source);
                Ok(Edit::SetDocumentSource(id, old))
            }
            Edit::SetDocumentOrigin(id, origin) => {
                let doc = self
                    .raw_document_mut(id)
                    .ok_or(EditError::UnknownDocument(id))?;
                let old = std::mem::replace(&mut doc.origin, origin);
                Ok(Edit::SetDocumentOrigin(id, old))
            }
            Edit::InsertSpan(span) => {
                self.check_span(&span)?;
                let id = span.id;
                self.raw_insert_span(span);
                Ok(Edit::DeleteSpan(id))
            }
            Edit::DeleteSpan(id) => {
                if self.span(id).is_none() {
                    return Err(EditError::UnknownSpan(id));
                }
                if self.links_of(id).next().is_some() {
                    return Err(EditError::SpanHasLinks(id));
                }
                if self.events_of(id).next().is_some() {
                    return Err(EditError::SpanInEvents(id));
                }
                if !self.extras_of(Target::Span(id)).is_empty() {
                    return Err(EditError::StillReferred(format!("span {id}")));
                }
                let span = self.raw_remove_span(id).ok_or(EditError::UnknownSpan(id))?;
                Ok(Edit::InsertSpan(span))
            }
            Edit::SetSpanLabel(id, label) => {
                if self.label(&label).is_none() {
                    return Err(EditError::UnknownLabel(label));
                }
                // Attributes must be declared by the new label, and links
                // must keep fitting their rules (commands remove what would
                // not, first).
                if let Some(span) = self.span(id) {
                    self.check_attrs(id, &label, &span.attrs.clone())?;
                }
                if let Some(broken) = self.links_broken_by_retag(id, &label).first()
                    && let Some(l) = self.link(*broken)
                {
                    return Err(self
                        .check_link_rule(&l.kind, l.from, l.to, Some((id, &label)))
                        .err()
                        .unwrap_or(EditError::UnknownLink(*broken)));
                }
                let old = self
                    .raw_update_span(id, |s| std::mem::replace(&mut s.label, label))
                    .ok_or(EditError::UnknownSpan(id))?;
                Ok(Edit::SetSpanLabel(id, old))
            }
            Edit::SetSpanRange(id, start, end) => {
                let span = self.span(id).ok_or(EditError::UnknownSpan(id))?;
                self.check_span_fields(span.doc, &span.label, start, end)?;
                // A discontinuous span moves its outer ends: the first
                // fragment's start and the last one's end.
                let mut moved = span.clone();
                if let Some(first) = moved.fragments.first_mut() {
                    first.0 = start;
                }
                if let Some(last) = moved.fragments.last_mut() {
                    last.1 = end;
                }
                moved.start = start;
                moved.end = end;
                self.check_span_shape(&moved)?;
                let (old_start, old_end) = self
                    .raw_update_span(id, |s| {
                        let old = (s.start, s.end);
                        *s = moved;
                        old
                    })
                    .ok_or(EditError::UnknownSpan(id))?;
                Ok(Edit::SetSpanRange(id, old_start, old_end))
            }
            Edit::SetSpanFragments(id, fragments) => {
                let span = self.span(id).ok_or(EditError::UnknownSpan(id))?;
                let old = span.fragment_list();
                let mut moved = span.clone();
                if !moved.set_fragments(fragments) {
                    return Err(EditError::BadFragments(id, "none".into()));
                }
                self.check_span_fields(moved.doc, &moved.label, moved.start, moved.end)?;
                self.check_span_shape(&moved)?;
                self.raw_update_span(id, |s| *s = moved)
                    .ok_or(EditError::UnknownSpan(id))?;
                Ok(Edit::SetSpanFragments(id, old))
            }
            Edit::SetSpanAttr(id, key, value) => {
                let span = self.span(id).ok_or(EditError::UnknownSpan(id))?;
                let mut attrs = span.attrs.clone();
                let old = match value.clone() {
                    Some(v) => attrs.insert(key.clone(), v),
                    None => attrs.remove(&key),
                };
                self.check_attrs(id, &span.label, &attrs)?;
                self.raw_update_span(id, |s| s.attrs = attrs)
                    .ok_or(EditError::UnknownSpan(id))?;
                Ok(Edit::SetSpanAttr(id, key, old))
            }
            Edit::InsertEvent(event) => {
                self.check_event(&event)?;
                let id = event.id;
                self.raw_insert_event(event);
                Ok(Edit::DeleteEvent(id))
            }
            Edit::DeleteEvent(id) => {
                if !self.extras_of(Target::Event(id)).is_empty()
                    || !self.events_referring_to(id).is_empty()
                {
                    return Err(EditError::StillReferred(format!("event {id}")));
                }
                let event = self
                    .raw_remove_event(id)
                    .ok_or(EditError::UnknownEvent(id))?;
                Ok(Edit::InsertEvent(event))
            }
            Edit::SetEventArgs(id, args) => {
                self.check_event_args(id, &args)?;
                let mut event = self
                    .raw_remove_event(id)
                    .ok_or(EditError::UnknownEvent(id))?;
                let old = std::mem::replace(&mut event.args, args);
                self.raw_insert_event(event);
                Ok(Edit::SetEventArgs(id, old))
            }
            Edit::InsertPattern(index, pattern) => {
                if pattern.text.is_empty() {
                    return Err(EditError::BadPattern("the pattern is empty".into()));
                }
                if self.label(&pattern.label).is_none() {
                    return Err(EditError::UnknownLabel(pattern.label));
                }
                let at = self.raw_insert_pattern(index, pattern);
                Ok(Edit::DeletePattern(at))
            }
            Edit::DeletePattern(index) => {
                let pattern = self
                    .raw_remove_pattern(index)
                    .ok_or_else(|| EditError::BadPattern(format!("there is no pattern {index}")))?;
                Ok(Edit::InsertPattern(index, pattern))
            }
            Edit::SetSettings(settings) => Ok(Edit::SetSettings(self.raw_set_settings(settings))),
            Edit::SetStale(id, name, on) => {
                if on && !self.span(id).is_some_and(|s| s.attrs.contains_key(&name)) {
                    return Err(EditError::BadAttribute(
                        id,
                        format!("has no {name} value to mark as stale"),
                    ));
                }
                if self.raw_set_stale(id, name.clone(), on) {
                    Ok(Edit::SetStale(id, name, !on))
                } else {
                    // Already so: the inverse changes nothing either.
                    Ok(Edit::SetStale(id, name, on))
                }
            }
            Edit::InsertSource(entry) => {
                entry.check().map_err(EditError::BadSource)?;
                if self.source(entry.id).is_some() {
                    return Err(EditError::BadSource(format!(
                        "source {} already exists",
                        entry.id
                    )));
                }
                let id = entry.id;
                self.raw_put_source(entry);
                Ok(Edit::DeleteSource(id))
            }
            Edit::DeleteSource(id) => {
                if !self.all_mentions_of(id).is_empty() {
                    return Err(EditError::BadSource(format!(
                        "source {id} is still mentioned; re-point or clear its mentions first"
                    )));
                }
                let old = self
                    .raw_remove_source(id)
                    .ok_or_else(|| EditError::BadSource(format!("source {id} does not exist")))?;
                Ok(Edit::InsertSource(old))
            }
            Edit::UpdateSource(entry) => {
                entry.check().map_err(EditError::BadSource)?;
                if self.source(entry.id).is_none() {
                    return Err(EditError::BadSource(format!(
                        "source {} does not exist",
                        entry.id
                    )));
                }
                let old = self.raw_put_source(entry).ok_or_else(|| {
                    EditError::BadSource("the source vanished while updating".into())
                })?;
                Ok(Edit::UpdateSource(old))
            }
            Edit::SetMention(span, source) => {
                if let Some(s) = source {
                    if self.source(s).is_none() {
                        return Err(EditError::BadSource(format!("source {s} does not exist")));
                    }
                    // A deleted span's recorded mention may be re-pointed
                    // (a merge), so that undoing the deletion finds it.
                    let known = self.span(span).is_some()
                        || self.orphan(span).is_some()
                        || self.recorded_mention(span).is_some();
                    if !known {
                        return Err(EditError::UnknownSpan(span));
                    }
                }
                Ok(Edit::SetMention(span, self.raw_set_mention(span, source)))
            }
            Edit::SetSourcing(sourcing) => Ok(Edit::SetSourcing(self.raw_set_sourcing(sourcing))),
            Edit::SetRejected(r, on) => {
                if self.raw_set_rejected(r.clone(), on) {
                    Ok(Edit::SetRejected(r, !on))
                } else {
                    // Already so: the inverse changes nothing either.
                    Ok(Edit::SetRejected(r, on))
                }
            }
            Edit::InsertOrphan(orphan) => {
                let id = orphan.span.id;
                if self.span(id).is_some() || self.orphan(id).is_some() {
                    return Err(EditError::DuplicateSpanId(id));
                }
                if self.document(orphan.span.doc).is_none() {
                    return Err(EditError::UnknownDocument(orphan.span.doc));
                }
                if self.label(&orphan.span.label).is_none() {
                    return Err(EditError::UnknownLabel(orphan.span.label));
                }
                self.raw_insert_orphan(orphan);
                Ok(Edit::DeleteOrphan(id))
            }
            Edit::DeleteOrphan(id) => {
                let orphan = self
                    .raw_remove_orphan(id)
                    .ok_or(EditError::UnknownOrphan(id))?;
                Ok(Edit::InsertOrphan(orphan))
            }
            Edit::SetDocumentText { doc, text, moves } => {
                let moves = self.check_retext(doc, &text, moves)?;
                let back: Vec<(SpanId, Vec<Fragment>)> = moves
                    .iter()
                    .filter_map(|(id, _)| self.span(*id).map(|s| (*id, s.fragment_list())))
                    .collect();
                let hash = text_hash(text.as_str());
                let (old_text, _) = self
                    .raw_set_document_text(doc, text, hash, &moves)
                    .ok_or(EditError::UnknownDocument(doc))?;
                Ok(Edit::SetDocumentText {
                    doc,
                    text: old_text,
                    moves: back,
                })
            }
            Edit::InsertConflict(index, conflict) => {
                let at = index.min(self.conflicts().len());
                self.raw_insert_conflict(at, conflict);
                Ok(Edit::DeleteConflict(at))
            }
            Edit::DeleteConflict(index) => {
                let conflict = self
                    .raw_remove_conflict(index)
                    .ok_or(EditError::UnknownConflict(index))?;
                Ok(Edit::InsertConflict(index, conflict))
            }
            Edit::InsertExtra(index, extra) => {
                self.check_extra(&extra)?;
                let at = index.min(self.extras().len());
                self.raw_insert_extra(at, extra);
                Ok(Edit::DeleteExtra(at))
            }
            Edit::DeleteExtra(index) => {
                let extra = self
                    .raw_remove_extra(index)
                    .ok_or_else(|| EditError::BadExtra(format!("no extra record {index}")))?;
                Ok(Edit::InsertExtra(index, extra))
            }
            Edit::SetSpanNote(id, note) => {
                let note = note.filter(|n| !n.trim().is_empty());
                let old = self
                    .raw_update_span(id, |s| std::mem::replace(&mut s.note, note))
                    .ok_or(EditError::UnknownSpan(id))?;
                Ok(Edit::SetSpanNote(id, old))
            }
            Edit::InsertLink(link) => {
                self.check_link(&link)?;
                let id = link.id;
                self.raw_insert_link(link);
                Ok(Edit::DeleteLink(id))
            }
            Edit::DeleteLink(id) => {
                let link = self.raw_remove_link(id).ok_or(EditError::UnknownLink(id))?;
                Ok(Edit::InsertLink(link))
            }
            Edit::InsertLabel(index, label) => {
                self.check_label(&label)?;
                let id = label.id.clone();
                self.raw_insert_label(index, label);
                Ok(Edit::DeleteLabel(id))
            }
            Edit::DeleteLabel(id) => {
                if self.label(&id).is_none() {
                    return Err(EditError::UnknownLabel(id));
                }
                if self.label_in_use(&id) {
                    return Err(EditError::LabelInUse(id));
                }
                let (index, label) = self
                    .raw_remove_label(&id)
                    .ok_or(EditError::UnknownLabel(id))?;
                Ok(Edit::InsertLabel(index, label))
            }
            Edit::UpdateLabel(label) => {
                let id = label.id.clone();
                let old = self.raw_replace_label(label)?;
                // Spans keep fitting the label's attribute declarations.
                let broken = self
                    .spans()
                    .filter(|s| s.label == id)
                    .find_map(|s| self.check_attrs(s.id, &s.label, &s.attrs).err());
                if let Some(e) = broken {
                    let _ = self.raw_replace_label(old);
                    return Err(e);
                }
                Ok(Edit::UpdateLabel(old))
            }
            Edit::PutLinkType(rule) => {
                if rule.id.trim().is_empty() || rule.id.chars().any(char::is_whitespace) {
                    return Err(EditError::BadLinkType(rule.id));
                }
                if let Some(l) = rule
                    .from
                    .iter()
                    .chain(&rule.to)
                    .find(|l| self.label(l).is_none())
                {
                    return Err(EditError::UnknownLabel(l.clone()));
                }
                let id = rule.id.clone();
                let old = self.raw_put_link_type(rule);
                if let Err(e) = self.check_links_of_type(&id) {
                    // Put the old rule back: nothing changed.
                    match old.clone() {
                        Some(o) => self.raw_put_link_type(o),
                        None => self.raw_remove_link_type(&id),
                    };
                    return Err(e);
                }
                Ok(match old {
                    Some(o) => Edit::PutLinkType(o),
                    None => Edit::DeleteLinkType(id),
                })
            }
            Edit::DeleteLinkType(id) => {
                let old = self
                    .raw_remove_link_type(&id)
                    .ok_or(EditError::BadLinkType(id))?;
                Ok(Edit::PutLinkType(old))
            }
        }
    }

    /// Checks a re-text: the text is non-empty, every span of the document
    /// is listed exactly once, and each new place is well-formed fragments
    /// inside the new text. Returns the moves sorted by span id.
    fn check_retext(
        &self,
        doc: DocId,
        text: &DocText,
        mut moves: Vec<(SpanId, Vec<Fragment>)>,
    ) -> Result<Vec<(SpanId, Vec<Fragment>)>, EditError> {
        if self.document(doc).is_none() {
            return Err(EditError::UnknownDocument(doc));
        }
        if text.char_len() == 0 {
            return Err(EditError::EmptyText);
        }
        let bad = |m: String| EditError::BadRetext(doc, m);
        moves.sort_by_key(|(id, _)| *id);
        if moves.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(bad("a span is placed twice".into()));
        }
        if moves.len() != self.span_count_in(doc) {
            return Err(bad(format!(
                "{} of its {} spans are placed; every span must be placed or orphaned first",
                moves.len(),
                self.span_count_in(doc)
            )));
        }
        let len = text.char_len();
        for (id, fragments) in &moves {
            let span = self.span(*id).ok_or(EditError::UnknownSpan(*id))?;
            if span.doc != doc {
                return Err(bad(format!("span {id} belongs to another document")));
            }
            let ordered = !fragments.is_empty()
                && fragments.iter().all(|&(a, b)| a < b && b <= len)
                && fragments.windows(2).all(|w| w[0].1 <= w[1].0);
            if !ordered {
                return Err(bad(format!(
                    "span {id}: {fragments:?} are not ordered ranges inside the new text ({len} characters)"
                )));
            }
        }
        Ok(moves)
    }

    /// Applies edits in order, atomically: if one fails, the ones already
    /// applied are rolled back and the error is returned. On success returns
    /// the inverses in the order they must be applied to undo.
    pub fn apply_all(&mut self, edits: Vec<Edit>) -> Result<Vec<Edit>, EditError> {
        let mut inverses = Vec::with_capacity(edits.len());
        for edit in edits {
            match self.apply(edit) {
                Ok(inv) => inverses.push(inv),
                Err(e) => {
                    for inv in inverses.into_iter().rev() {
                        // Inverses of edits that just succeeded cannot fail.
                        let _ = self.apply(inv);
                    }
                    return Err(e);
                }
            }
        }
        inverses.reverse();
        Ok(inverses)
    }
}
