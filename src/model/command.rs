//! Named user-level commands. The GUI, the CLI and the tests all change a
//! project only by executing these through a [`History`](super::History),
//! which expands them into primitive [`Edit`]s and records the inverse.

use super::conflict::{Alternative, Side};
use super::document::{DocStatus, Document, Event, Fragment, Link, Provenance, Span, Target};
use super::edit::Edit;
use super::error::EditError;
use super::ids::{DocId, EventId, LabelId, LinkId, SpanId};
use super::label::{Label, LinkType};
use super::orphan::Orphan;
use super::pattern::{Pattern, Rejection};
use super::project::Project;
use std::collections::BTreeMap;

/// A user-level action with a human-readable name.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Rename the project.
    RenameProject(String),
    /// Add a document with normalised text; the id is allocated.
    AddDocument {
        /// Display title.
        title: String,
        /// File path or URL the text came from.
        origin: Option<String>,
        /// Normalised text.
        text: String,
    },
    /// Add a document read from a page or file, with where it came from.
    AddSourcedDocument {
        /// Display title.
        title: String,
        /// File path or URL the text came from.
        origin: Option<String>,
        /// Normalised text.
        text: String,
        /// URL, author, date and the rest, as read.
        source: Box<Provenance>,
    },
    /// Correct (or clear) where an article came from.
    SetDocumentSource(DocId, Option<Box<Provenance>>),
    /// Point articles at the files they were read from again (after Save
    /// as moved the project, relative paths are rewritten).
    SetOrigins(Vec<(DocId, Option<String>)>),
    /// Remove a document with all its spans and their links.
    RemoveDocument(DocId),
    /// Change a document title.
    RenameDocument(DocId, String),
    /// Set a document's status (new, in progress, done, skipped).
    SetDocumentStatus(DocId, DocStatus),
    /// Tag a range of a document; the id is allocated.
    AddSpan {
        /// Document to tag.
        doc: DocId,
        /// Label id.
        label: LabelId,
        /// Start (chars).
        start: usize,
        /// End (chars, exclusive).
        end: usize,
        /// Optional note.
        note: Option<String>,
        /// Creation timestamp (RFC 3339), supplied by the caller.
        created: String,
    },
    /// Remove a span and its links.
    RemoveSpan(SpanId),
    /// Change a span's label.
    RetagSpan(SpanId, LabelId),
    /// Change a span's range.
    ResizeSpan(SpanId, usize, usize),
    /// Set or clear a span's note.
    SetNote(SpanId, Option<String>),
    /// Link two spans; the id is allocated.
    AddLink {
        /// Linking span (claim or figure).
        from: SpanId,
        /// Linked span (source).
        to: SpanId,
        /// Link type.
        kind: String,
    },
    /// Remove a link.
    RemoveLink(LinkId),
    /// Tag a span with several fragments and attribute values at once.
    AddSpanWith {
        /// Document to tag.
        doc: DocId,
        /// Label id.
        label: LabelId,
        /// Fragments (one or more, ordered, non-overlapping).
        fragments: Vec<Fragment>,
        /// Attribute values by name.
        attrs: BTreeMap<String, String>,
        /// Optional note.
        note: Option<String>,
        /// Creation time (RFC 3339).
        created: String,
    },
    /// Add a fragment to a span (it becomes discontinuous).
    AddFragment(SpanId, Fragment),
    /// Remove the fragment at this index (a span keeps at least one).
    RemoveFragment(SpanId, usize),
    /// Set (Some) or clear (None) an attribute of a span.
    SetAttr(SpanId, String, Option<String>),
    /// Add an event with a trigger and role-labelled arguments.
    AddEvent {
        /// Event type.
        kind: String,
        /// Trigger span.
        trigger: SpanId,
        /// (role, span or event) arguments.
        args: Vec<(String, Target)>,
        /// Attribute values.
        attrs: BTreeMap<String, String>,
    },
    /// Remove an event.
    RemoveEvent(EventId),
    /// Replace an event's arguments (role, span or event); its spans stay.
    SetEventArgs(EventId, Vec<(String, Target)>),
    /// Append a label to the schema.
    AddLabel(Label),
    /// Remove a label, its spans and their links.
    RemoveLabel(LabelId),
    /// Change a label's name, colour or hotkey.
    UpdateLabel(Label),
    /// Declare or replace a link type's rule.
    SetLinkType(LinkType),
    /// Remove a label's attribute and every span's value of it.
    RemoveAttr {
        /// The label declaring it.
        label: LabelId,
        /// Its name.
        name: String,
    },
    /// Add a project pattern (suggestion rule) at the end.
    AddPattern(Pattern),
    /// Remove the project pattern at this position.
    RemovePattern(usize),
    /// Remember that these suggestions were rejected.
    Reject(Vec<Rejection>),
    /// Replace an article's text: spans without a place become orphans,
    /// the others move, and rejected suggestions follow (see
    /// [`crate::model::anchor`] for how places are found).
    Retext {
        /// The article.
        doc: DocId,
        /// The new text, normalised.
        text: super::text::DocText,
        /// Each span of the article: its new fragments, or None to orphan it.
        places: Vec<(SpanId, Option<Vec<Fragment>>)>,
        /// The article's rejected suggestions that keep a place, moved.
        rejections: Vec<Rejection>,
    },
    /// Give an orphan a place again: the span comes back on these
    /// fragments with its parked links, events and records.
    Reattach(SpanId, Vec<Fragment>),
    /// Drop an orphan with what it parks.
    DiscardOrphan(SpanId),
    /// Settle merge conflict number `index` by taking `take`'s version
    /// (the standing side's: the conflict is just dropped).
    ResolveConflict {
        /// Position in [`Project::conflicts`].
        index: usize,
        /// The side whose version wins.
        take: Side,
    },
    /// Rename a label's attribute, carrying every span's value over.
    RenameAttr {
        /// The label declaring it.
        label: LabelId,
        /// Its current name.
        from: String,
        /// Its new name (not already declared on the label).
        to: String,
    },
    /// Several commands as one undo step.
    Group(String, Vec<Command>),
    /// Checked primitive edits with explicit ids, as one undo step (used by
    /// importers, which must keep or map ids themselves).
    Edits(String, Vec<Edit>),
}

/// Ids created by executing a command, so callers can report them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Created {
    /// Documents created.
    pub documents: Vec<DocId>,
    /// Spans created.
    pub spans: Vec<SpanId>,
    /// Links created.
    pub links: Vec<LinkId>,
    /// Links removed because a retag would have broken their rule.
    pub removed_links: Vec<LinkId>,
    /// Events created.
    pub events: Vec<EventId>,
    /// What the command removed, read from its inverse edits: the
    /// cascades a caller must tell the user about.
    pub removed: Removed,
}

/// What a command removed: spans, links, events and extras (brat notes and
/// normalisations), as they were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    /// Spans removed.
    pub spans: Vec<SpanId>,
    /// Links removed.
    pub links: Vec<LinkId>,
    /// Events removed, as they were (type and arguments).
    pub events: Vec<Event>,
    /// Notes, normalisations and other extras removed.
    pub extras: usize,
}

impl Removed {
    /// Reads what `inverse` (a command's inverse edits) puts back.
    fn from_inverse(inverse: &[Edit]) -> Self {
        let mut out = Removed::default();
        for edit in inverse {
            match edit {
                Edit::InsertSpan(s) => out.spans.push(s.id),
                Edit::InsertLink(l) => out.links.push(l.id),
                Edit::InsertEvent(e) => out.events.push(e.clone()),
                Edit::InsertExtra(..) => out.extras += 1,
                _ => {}
            }
        }
        out.spans.sort_unstable();
        out.links.sort_unstable();
        out.events.sort_by_key(|e| e.id);
        out
    }

    /// What went besides the spans `asked` for, in words ("Attribution
    /// event #1 with 3 arguments, 2 links"); None when nothing else went.
    pub fn besides(&self, asked: &[SpanId]) -> Option<String> {
        let mut parts: Vec<String> = self
            .events
            .iter()
            .map(|e| {
                let n = e.args.len();
                format!(
                    "{} event #{} with {n} argument{}",
                    e.kind,
                    e.id,
                    if n == 1 { "" } else { "s" }
                )
            })
            .collect();
        let spans = self.spans.iter().filter(|s| !asked.contains(s)).count();
        let mut count = |n: usize, one: &str, many: &str| {
            if n > 0 {
                parts.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        };
        count(spans, "other span", "other spans");
        count(self.links.len(), "link", "links");
        count(
            self.extras,
            "note or normalisation",
            "notes or normalisations",
        );
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl Command {
    /// The name shown in menus, e.g. "tag claim" for "Undo: tag claim".
    pub fn name(&self, project: &Project) -> String {
        let label_name = |id: &LabelId| {
            project
                .label(id)
                .map_or_else(|| id.to_string(), |l| l.name.to_lowercase())
        };
        match self {
            Command::RenameProject(_) => "rename project".into(),
            Command::AddDocument { .. } | Command::AddSourcedDocument { .. } => {
                "add article".into()
            }
            Command::SetDocumentSource(..) => "edit article info".into(),
            Command::SetOrigins(..) => "re-point article files".into(),
            Command::RemoveDocument(_) => "remove article".into(),
            Command::RenameDocument(..) => "rename article".into(),
            Command::SetDocumentStatus(_, status) => {
                format!("mark article {}", status.title().to_lowercase())
            }
            Command::AddSpan { label, .. } => format!("tag {}", label_name(label)),
            Command::RemoveSpan(_) => "delete span".into(),
            Command::RetagSpan(_, label) => format!("retag as {}", label_name(label)),
            Command::ResizeSpan(..) => "resize span".into(),
            Command::SetNote(..) => "edit note".into(),
            Command::AddLink { .. } => "link to source".into(),
            Command::RemoveLink(_) => "remove link".into(),
            Command::AddSpanWith { label, .. } => format!("tag {}", label_name(label)),
            Command::AddFragment(..) => "add fragment".into(),
            Command::RemoveFragment(..) => "remove fragment".into(),
            Command::SetAttr(_, k, Some(_)) => format!("set {k}"),
            Command::SetAttr(_, k, None) => format!("clear {k}"),
            Command::AddEvent { kind, .. } => format!("add {kind} event"),
            Command::RemoveEvent(_) => "remove event".into(),
            Command::SetEventArgs(..) => "edit event arguments".into(),
            Command::AddLabel(l) => format!("add label {}", l.id),
            Command::RemoveLabel(l) => format!("remove label {l}"),
            Command::UpdateLabel(l) => format!("edit label {}", l.id),
            Command::SetLinkType(t) => format!("set the rule of {}", t.id),
            Command::RenameAttr { from, to, .. } => format!("rename {from} to {to}"),
            Command::RemoveAttr { name, .. } => format!("remove attribute {name}"),
            Command::ResolveConflict { take, .. } => format!("take {}", take.as_str()),
            Command::AddPattern(p) => format!("add pattern “{}”", p.text),
            Command::RemovePattern(_) => "remove pattern".into(),
            Command::Retext { .. } => "replace text".into(),
            Command::Reattach(..) => "re-attach orphan".into(),
            Command::DiscardOrphan(_) => "discard orphan".into(),
            Command::Reject(r) if r.len() == 1 => "reject suggestion".into(),
            Command::Reject(r) => format!("reject {} suggestions", r.len()),
            Command::Group(name, _) | Command::Edits(name, _) => name.clone(),
        }
    }

    /// Applies the command to `project` atomically and returns the forward
    /// edits, their inverses (in undo order) and the created ids.
    pub(crate) fn execute(
        self,
        project: &mut Project,
    ) -> Result<(Vec<Edit>, Vec<Edit>, Created), EditError> {
        let mut forward = Vec::new();
        let mut inverse = Vec::new();
        let mut created = Created::default();
        match self.execute_into(project, &mut forward, &mut inverse, &mut created) {
            Ok(()) => {
                inverse.reverse();
                created.removed = Removed::from_inverse(&inverse);
                Ok((forward, inverse, created))
            }
            Err(e) => {
                for inv in inverse.into_iter().rev() {
                    let _ = project.apply(inv);
                }
                Err(e)
            }
        }
    }

    /// Expands and applies step by step, because later steps (ids, cascades)
    /// depend on the state left by earlier ones.
    fn execute_into(
        self,
        p: &mut Project,
        forward: &mut Vec<Edit>,
        inverse: &mut Vec<Edit>,
        created: &mut Created,
    ) -> Result<(), EditError> {
        let mut run = |p: &mut Project, edit: Edit| -> Result<(), EditError> {
            let inv = p.apply(edit.clone())?;
            forward.push(edit);
            inverse.push(inv);
            Ok(())
        };
        match self {
            Command::RenameProject(name) => run(p, Edit::SetProjectName(name)),
            Command::AddDocument {
                title,
                origin,
                text,
            } => {
                let id = DocId(p.next_ids().document);
                run(
                    p,
                    Edit::InsertDocument(Document::new(id, &title, origin, &text)),
                )?;
                created.documents.push(id);
                Ok(())
            }
            Command::AddSourcedDocument {
                title,
                origin,
                text,
                source,
            } => {
                let id = DocId(p.next_ids().document);
                let mut doc = Document::new(id, &title, origin, &text);
                doc.source = Some(source);
                run(p, Edit::InsertDocument(doc))?;
                created.documents.push(id);
                Ok(())
            }
            Command::SetDocumentSource(doc, source) => run(p, Edit::SetDocumentSource(doc, source)),
            Command::SetOrigins(origins) => {
                for (doc, origin) in origins {
                    run(p, Edit::SetDocumentOrigin(doc, origin))?;
                }
                Ok(())
            }
            Command::RemoveDocument(doc) => {
                if p.document(doc).is_none() {
                    return Err(EditError::UnknownDocument(doc));
                }
                let spans: Vec<SpanId> = p.spans_in(doc).map(|s| s.id).collect();
                remove_spans(p, &spans, &mut run)?;
                let orphans: Vec<SpanId> = p.orphans_in(doc).map(|o| o.span.id).collect();
                for id in orphans {
                    run(p, Edit::DeleteOrphan(id))?;
                }
                forget_suggestions(p, |_, d| d == Some(doc), &mut run)?;
                run(p, Edit::DeleteDocument(doc))
            }
            Command::RenameDocument(doc, title) => run(p, Edit::SetDocumentTitle(doc, title)),
            Command::SetDocumentStatus(doc, status) => run(p, Edit::SetDocumentStatus(doc, status)),
            Command::AddSpan {
                doc,
                label,
                start,
                end,
                note,
                created: when,
            } => {
                if let Some(twin) = p.same_span(doc, &label, &[(start, end)], None) {
                    return Err(EditError::SameSpan(twin));
                }
                let id = SpanId(p.next_ids().span);
                let note = note.filter(|n| !n.trim().is_empty());
                run(
                    p,
                    Edit::InsertSpan(Span::new(id, doc, label, start..end, note, when)),
                )?;
                created.spans.push(id);
                Ok(())
            }
            Command::RemoveSpan(id) => {
                if p.span(id).is_none() {
                    return Err(EditError::UnknownSpan(id));
                }
                remove_spans(p, &[id], &mut run)
            }
            Command::RetagSpan(id, label) => {
                if let Some(s) = p.span(id)
                    && let Some(twin) = p.same_span(s.doc, &label, &s.fragment_list(), Some(id))
                {
                    return Err(EditError::SameSpan(twin));
                }
                // Links that the new label would break go in the same step.
                let broken = p.links_broken_by_retag(id, &label);
                for link in &broken {
                    run(p, Edit::DeleteLink(*link))?;
                }
                created.removed_links.extend(broken);
                // Attribute values the new label does not take are cleared.
                let stale: Vec<String> = match (p.span(id), p.label(&label)) {
                    (Some(s), Some(l)) => s
                        .attrs
                        .iter()
                        .filter(|(k, v)| l.attribute(k).is_none_or(|d| d.check(v).is_err()))
                        .map(|(k, _)| k.clone())
                        .collect(),
                    _ => Vec::new(),
                };
                for key in stale {
                    run(p, Edit::SetSpanAttr(id, key, None))?;
                }
                run(p, Edit::SetSpanLabel(id, label))
            }
            Command::ResizeSpan(id, start, end) => run(p, Edit::SetSpanRange(id, start, end)),
            Command::SetNote(id, note) => run(p, Edit::SetSpanNote(id, note)),
            Command::AddLink { from, to, kind } => {
                let id = LinkId(p.next_ids().link);
                run(p, Edit::InsertLink(Link { id, from, to, kind }))?;
                created.links.push(id);
                Ok(())
            }
            Command::RemoveLink(id) => run(p, Edit::DeleteLink(id)),
            Command::AddSpanWith {
                doc,
                label,
                fragments,
                attrs,
                note,
                created: when,
            } => {
                let (Some(first), Some(last)) = (fragments.first(), fragments.last()) else {
                    return Err(EditError::BadFragments(
                        SpanId(p.next_ids().span),
                        "none".into(),
                    ));
                };
                if let Some(twin) = p.same_span(doc, &label, &fragments, None) {
                    return Err(EditError::SameSpan(twin));
                }
                let id = SpanId(p.next_ids().span);
                let mut span = Span::new(
                    id,
                    doc,
                    label,
                    first.0..last.1,
                    note.filter(|n| !n.trim().is_empty()),
                    when,
                );
                if fragments.len() > 1 {
                    span.fragments = fragments.into();
                }
                span.attrs = attrs.into();
                run(p, Edit::InsertSpan(span))?;
                created.spans.push(id);
                Ok(())
            }
            Command::AddFragment(id, fragment) => {
                let span = p.span(id).ok_or(EditError::UnknownSpan(id))?;
                let mut list = span.fragment_list();
                list.push(fragment);
                list.sort_unstable();
                run(p, Edit::SetSpanFragments(id, list))
            }
            Command::RemoveFragment(id, index) => {
                let span = p.span(id).ok_or(EditError::UnknownSpan(id))?;
                let mut list = span.fragment_list();
                if list.len() < 2 || index >= list.len() {
                    return Err(EditError::BadFragments(
                        id,
                        format!("no fragment {index} to remove"),
                    ));
                }
                list.remove(index);
                run(p, Edit::SetSpanFragments(id, list))
            }
            Command::SetAttr(id, key, value) => {
                // The analyst set it: no longer "may be stale".
                if p.is_stale(id, &key) {
                    run(p, Edit::SetStale(id, key.clone(), false))?;
                }
                run(p, Edit::SetSpanAttr(id, key, value))
            }
            Command::AddEvent {
                kind,
                trigger,
                args,
                attrs,
            } => {
                let id = EventId(p.next_ids().event);
                run(
                    p,
                    Edit::InsertEvent(Event {
                        id,
                        kind,
                        trigger,
                        args,
                        attrs,
                    }),
                )?;
                created.events.push(id);
                Ok(())
            }
            Command::RemoveEvent(id) => {
                if p.event(id).is_none() {
                    return Err(EditError::UnknownEvent(id));
                }
                remove_event(p, id, &mut run)
            }
            Command::SetEventArgs(id, args) => run(p, Edit::SetEventArgs(id, args)),
            Command::AddLabel(label) => {
                let at = p.labels().len();
                run(p, Edit::InsertLabel(at, label))
            }
            Command::RemoveLabel(id) => {
                if p.label(&id).is_none() {
                    return Err(EditError::UnknownLabel(id));
                }
                let spans: Vec<SpanId> =
                    p.spans().filter(|s| s.label == id).map(|s| s.id).collect();
                remove_spans(p, &spans, &mut run)?;
                let orphans: Vec<SpanId> = p
                    .orphans()
                    .filter(|o| o.span.label == id)
                    .map(|o| o.span.id)
                    .collect();
                for orphan in orphans {
                    run(p, Edit::DeleteOrphan(orphan))?;
                }
                forget_suggestions(p, |l, _| *l == id, &mut run)?;
                // Link rules stop naming it; a side left with no label
                // (no link could match it any more) takes the rule along.
                let rules: Vec<LinkType> = p
                    .link_types()
                    .iter()
                    .filter(|t| t.from.contains(&id) || t.to.contains(&id))
                    .cloned()
                    .collect();
                for mut rule in rules {
                    let (had_from, had_to) = (!rule.from.is_empty(), !rule.to.is_empty());
                    rule.from.retain(|l| *l != id);
                    rule.to.retain(|l| *l != id);
                    if (had_from && rule.from.is_empty()) || (had_to && rule.to.is_empty()) {
                        run(p, Edit::DeleteLinkType(rule.id))?;
                    } else {
                        run(p, Edit::PutLinkType(rule))?;
                    }
                }
                run(p, Edit::DeleteLabel(id))
            }
            Command::UpdateLabel(label) => run(p, Edit::UpdateLabel(label)),
            Command::SetLinkType(rule) => run(p, Edit::PutLinkType(rule)),
            Command::RenameAttr { label, from, to } => rename_attr(p, &label, &from, &to, &mut run),
            Command::RemoveAttr { label, name } => {
                let mut without = p
                    .label(&label)
                    .cloned()
                    .ok_or_else(|| EditError::UnknownLabel(label.clone()))?;
                let before = without.attributes.len();
                without.attributes.retain(|a| a.name != name);
                if without.attributes.len() == before {
                    return Err(EditError::BadSchema(
                        label,
                        format!("no attribute {name:?}"),
                    ));
                }
                let values: Vec<SpanId> = p
                    .spans()
                    .filter(|s| s.label == label && s.attrs.contains_key(&name))
                    .map(|s| s.id)
                    .collect();
                for span in values {
                    run(p, Edit::SetSpanAttr(span, name.clone(), None))?;
                }
                update_orphan_attrs(p, &label, |a| a.remove(&name).is_some(), &mut run)?;
                run(p, Edit::UpdateLabel(without))
            }
            Command::Edits(_, edits) => {
                for e in edits {
                    if let Edit::InsertDocument(d) = &e {
                        created.documents.push(d.id);
                    }
                    if let Edit::InsertSpan(sp) = &e {
                        created.spans.push(sp.id);
                    }
                    if let Edit::InsertLink(l) = &e {
                        created.links.push(l.id);
                    }
                    if let Edit::InsertEvent(ev) = &e {
                        created.events.push(ev.id);
                    }
                    run(p, e)?;
                }
                Ok(())
            }
            Command::AddPattern(pattern) => {
                let at = p.patterns().len();
                run(p, Edit::InsertPattern(at, pattern))
            }
            Command::RemovePattern(index) => run(p, Edit::DeletePattern(index)),
            Command::Reject(list) => {
                for r in list {
                    run(p, Edit::SetRejected(r, true))?;
                }
                Ok(())
            }
            Command::Retext {
                doc,
                text,
                places,
                rejections,
            } => retext(p, doc, text, places, rejections, &mut run),
            Command::Reattach(id, fragments) => reattach(p, id, fragments, &mut run),
            Command::DiscardOrphan(id) => run(p, Edit::DeleteOrphan(id)),
            Command::ResolveConflict { index, take } => {
                let conflict = p
                    .conflicts()
                    .get(index)
                    .cloned()
                    .ok_or(EditError::UnknownConflict(index))?;
                if take != conflict.standing {
                    for c in take_alternative(p, &conflict.other) {
                        let (f, i, _) = c.execute(p)?;
                        forward.extend(f);
                        inverse.extend(i.into_iter().rev());
                    }
                }
                let edit = Edit::DeleteConflict(index);
                inverse.push(p.apply(edit.clone())?);
                forward.push(edit);
                Ok(())
            }
            Command::Group(_, commands) => {
                for c in commands {
                    let (f, i, made) = c.execute(p)?;
                    forward.extend(f);
                    // `i` is in undo order; `inverse` is kept in apply order.
                    inverse.extend(i.into_iter().rev());
                    created.documents.extend(made.documents);
                    created.spans.extend(made.spans);
                    created.links.extend(made.links);
                    created.removed_links.extend(made.removed_links);
                    created.events.extend(made.events);
                }
                Ok(())
            }
        }
    }
}

/// Removes the extra records that refer to `t`, last first so positions
/// stay valid.
fn remove_extras(
    p: &mut Project,
    t: Target,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    for index in p.extras_of(t).into_iter().rev() {
        run(p, Edit::DeleteExtra(index))?;
    }
    Ok(())
}

/// The commands that turn span `current` into `want` (same id), changing
/// only what differs: attribute values that go or change are cleared first
/// (they must fit the label), a retag drops the links the new label cannot
/// have, then fragments, note and the new attribute values are set.
pub fn span_changes(current: &Span, want: &Span) -> Vec<Command> {
    let id = want.id;
    let mut out = Vec::new();
    let cleared: Vec<Edit> = current
        .attrs
        .keys()
        .filter(|k| current.attrs.get(*k) != want.attrs.get(*k))
        .map(|k| Edit::SetSpanAttr(id, k.clone(), None))
        .collect();
    if !cleared.is_empty() {
        out.push(Command::Edits("clear attributes".into(), cleared));
    }
    if current.label != want.label {
        out.push(Command::RetagSpan(id, want.label.clone()));
    }
    let mut rest = Vec::new();
    if current.fragment_list() != want.fragment_list() {
        rest.push(Edit::SetSpanFragments(id, want.fragments_iter().collect()));
    }
    if current.note != want.note {
        rest.push(Edit::SetSpanNote(id, want.note.clone()));
    }
    for (k, v) in &want.attrs {
        if current.attrs.get(k) != Some(v) {
            rest.push(Edit::SetSpanAttr(id, k.clone(), Some(v.clone())));
        }
    }
    if !rest.is_empty() {
        out.push(Command::Edits("change span".into(), rest));
    }
    out
}

/// The commands that make the project hold a conflict's other version.
fn take_alternative(p: &Project, other: &Alternative) -> Vec<Command> {
    match other {
        Alternative::Span(id, None) => p
            .span(*id)
            .map(|_| Command::RemoveSpan(*id))
            .into_iter()
            .collect(),
        Alternative::Span(_, Some(want)) => {
            let Some(cur) = p.span(want.id) else {
                return vec![Command::Edits(
                    "restore span".into(),
                    vec![Edit::InsertSpan(want.clone())],
                )];
            };
            span_changes(cur, want)
        }
        Alternative::Label(id, None) => p
            .label(id)
            .map(|_| Command::RemoveLabel(id.clone()))
            .into_iter()
            .collect(),
        Alternative::Label(id, Some(l)) => vec![if p.label(id).is_some() {
            Command::UpdateLabel(l.clone())
        } else {
            Command::AddLabel(l.clone())
        }],
        Alternative::Document(id, None) => p
            .document(*id)
            .map(|_| Command::RemoveDocument(*id))
            .into_iter()
            .collect(),
        Alternative::Document(id, Some(title)) => {
            vec![Command::RenameDocument(*id, title.clone())]
        }
        Alternative::Status(id, status) => vec![Command::SetDocumentStatus(*id, *status)],
    }
}

/// Drops the patterns and rejections that `gone(label, doc)` says belong
/// to a label or an article being removed (patterns have no article).
fn forget_suggestions(
    p: &mut Project,
    gone: impl Fn(&LabelId, Option<DocId>) -> bool,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    let patterns: Vec<usize> = p
        .patterns()
        .iter()
        .enumerate()
        .filter(|(_, x)| gone(&x.label, None))
        .map(|(i, _)| i)
        .collect();
    for i in patterns.into_iter().rev() {
        run(p, Edit::DeletePattern(i))?;
    }
    let rejected: Vec<Rejection> = p
        .rejected()
        .iter()
        .filter(|r| gone(&r.label, Some(r.doc)))
        .cloned()
        .collect();
    for r in rejected {
        run(p, Edit::SetRejected(r, false))?;
    }
    Ok(())
}

/// Renames attribute `from` of `label` to `to`: the label first declares
/// both names, every span's value moves to the new key, then the old
/// declaration goes, so each step is a checked edit with its inverse.
fn rename_attr(
    p: &mut Project,
    label: &LabelId,
    from: &str,
    to: &str,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    let bad = |why: String| EditError::BadSchema(label.clone(), why);
    let old = p
        .label(label)
        .cloned()
        .ok_or_else(|| EditError::UnknownLabel(label.clone()))?;
    let to = to.trim();
    if to.is_empty() || to.chars().any(char::is_whitespace) {
        return Err(bad("an attribute name is one word".into()));
    }
    let Some(at) = old.attributes.iter().position(|a| a.name == from) else {
        return Err(bad(format!("no attribute {from:?}")));
    };
    if old.attribute(to).is_some() {
        return Err(bad(format!("an attribute {to:?} already exists")));
    }
    let mut both = old.clone();
    let mut renamed_def = old.attributes[at].clone();
    renamed_def.name = to.to_string();
    both.attributes.push(renamed_def.clone());
    run(p, Edit::UpdateLabel(both))?;
    let carried: Vec<(SpanId, String)> = p
        .spans()
        .filter(|s| s.label == *label)
        .filter_map(|s| s.attrs.get(from).map(|v| (s.id, v.clone())))
        .collect();
    for (span, value) in carried {
        run(p, Edit::SetSpanAttr(span, to.to_string(), Some(value)))?;
        run(p, Edit::SetSpanAttr(span, from.to_string(), None))?;
    }
    update_orphan_attrs(
        p,
        label,
        |a| match a.remove(from) {
            Some(v) => {
                a.insert(to.to_string(), v);
                true
            }
            None => false,
        },
        run,
    )?;
    let mut done = old;
    done.attributes[at] = renamed_def;
    run(p, Edit::UpdateLabel(done))
}

/// Applies `change` to the attribute values of every orphan of `label`
/// (a schema change reaches orphans too); `change` says whether it
/// changed anything.
fn update_orphan_attrs(
    p: &mut Project,
    label: &LabelId,
    change: impl Fn(&mut BTreeMap<String, String>) -> bool,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    let changed: Vec<Orphan> = p
        .orphans()
        .filter(|o| o.span.label == *label)
        .filter_map(|o| {
            let mut o = o.clone();
            change(&mut o.span.attrs).then_some(o)
        })
        .collect();
    for o in changed {
        run(p, Edit::DeleteOrphan(o.span.id))?;
        run(p, Edit::InsertOrphan(o))?;
    }
    Ok(())
}

/// Removes an event after the events that have it as an argument and the
/// extras that refer to it. Absent events (already removed through another
/// path, e.g. an event using a span twice) are skipped.
fn remove_event(
    p: &mut Project,
    id: EventId,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    if p.event(id).is_none() {
        return Ok(());
    }
    for parent in p.events_referring_to(id) {
        remove_event(p, parent, run)?;
    }
    remove_extras(p, Target::Event(id), run)?;
    run(p, Edit::DeleteEvent(id))
}

/// Removes spans after removing every link that touches them.
fn remove_spans(
    p: &mut Project,
    spans: &[SpanId],
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    for &id in spans {
        let events: Vec<EventId> = p.events_of(id).map(|e| e.id).collect();
        for event in events {
            remove_event(p, event, run)?;
        }
        remove_extras(p, Target::Span(id), run)?;
        let links: Vec<LinkId> = p.links_of(id).map(|l| l.id).collect();
        for link in links {
            run(p, Edit::DeleteLink(link))?;
        }
        run(p, Edit::DeleteSpan(id))?;
    }
    Ok(())
}

/// Replaces a document's text: orphans first (in the old text, where they
/// still fit), the article's rejections forgotten, then the text and every
/// span's place in one edit, then the rejections that keep a place.
fn retext(
    p: &mut Project,
    doc: DocId,
    text: super::text::DocText,
    places: Vec<(SpanId, Option<Vec<Fragment>>)>,
    rejections: Vec<Rejection>,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    if p.document(doc).is_none() {
        return Err(EditError::UnknownDocument(doc));
    }
    // A conflict keeps the other side's span with offsets in this text.
    let conflicted = p.conflicts().iter().any(|c| {
        matches!(&c.other, Alternative::Span(_, Some(s)) if s.doc == doc)
            || matches!(&c.other, Alternative::Span(id, None) if p.span(*id).is_some_and(|s| s.doc == doc))
    });
    if conflicted {
        return Err(EditError::BadRetext(
            doc,
            "it has unsettled merge conflicts; settle them first".into(),
        ));
    }
    let mut moves = Vec::with_capacity(places.len());
    for (id, place) in places {
        match place {
            Some(fragments) => moves.push((id, fragments)),
            None => orphan_span(p, id, run)?,
        }
    }
    let old: Vec<Rejection> = p
        .rejected()
        .iter()
        .filter(|r| r.doc == doc)
        .cloned()
        .collect();
    for r in old {
        run(p, Edit::SetRejected(r, false))?;
    }
    run(p, Edit::SetDocumentText { doc, text, moves })?;
    for r in rejections {
        run(p, Edit::SetRejected(r, true))?;
    }
    Ok(())
}

/// Turns a span into an orphan that parks its links, the events that use
/// it (and the events that use those) and the records about them.
fn orphan_span(
    p: &mut Project,
    id: SpanId,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    let span = p.span(id).ok_or(EditError::UnknownSpan(id))?.clone();
    let quote = p
        .document(span.doc)
        .map(|d| span.quote(&d.text))
        .unwrap_or_default();
    // Removal order is parents first; they go back in the reverse order.
    fn gather(p: &Project, event: EventId, out: &mut Vec<Event>, extras: &mut Vec<usize>) {
        if out.iter().any(|e| e.id == event) {
            return;
        }
        for parent in p.events_referring_to(event) {
            gather(p, parent, out, extras);
        }
        extras.extend(p.extras_of(Target::Event(event)));
        if let Some(e) = p.event(event) {
            out.push(e.clone());
        }
    }
    let mut events = Vec::new();
    let mut extra_at = p.extras_of(Target::Span(id));
    let direct: Vec<EventId> = p.events_of(id).map(|e| e.id).collect();
    for e in direct {
        gather(p, e, &mut events, &mut extra_at);
    }
    events.reverse();
    extra_at.sort_unstable();
    extra_at.dedup();
    let extras = extra_at
        .iter()
        .filter_map(|&i| p.extras().get(i).cloned())
        .collect();
    let links = p.links_of(id).cloned().collect();
    remove_spans(p, &[id], run)?;
    run(
        p,
        Edit::InsertOrphan(Orphan {
            span,
            quote,
            links,
            events,
            extras,
        }),
    )
}

/// Puts an orphan back on `fragments` and restores what it parks: a
/// record whose other end is another orphan moves to that orphan; one
/// whose other end was deleted since is dropped with it.
fn reattach(
    p: &mut Project,
    id: SpanId,
    fragments: Vec<Fragment>,
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    let orphan = p.orphan(id).ok_or(EditError::UnknownOrphan(id))?.clone();
    let mut span = orphan.span.clone();
    // Values of attributes the label no longer declares cannot come back.
    if let Some(l) = p.label(&span.label) {
        span.attrs.retain(|k, _| l.attribute(k).is_some());
    }
    if !span.set_fragments(fragments) {
        return Err(EditError::BadFragments(id, "none".into()));
    }
    run(p, Edit::DeleteOrphan(id))?;
    run(p, Edit::InsertSpan(span))?;
    let exists = |p: &Project, t: Target| match t {
        Target::Span(s) => p.span(s).is_some(),
        Target::Event(e) => p.event(e).is_some(),
    };
    // What cannot go back yet, by the orphan that will hold it.
    let mut handed: BTreeMap<SpanId, Orphan> = BTreeMap::new();
    let mut hand_over = |p: &Project, refs: Vec<Target>, put: &mut dyn FnMut(&mut Orphan)| {
        let holder = refs
            .into_iter()
            .filter(|t| !exists(p, *t))
            .find_map(|t| p.orphan_holding(t));
        if let Some(h) = holder
            && let Some(o) = p.orphan(h)
        {
            put(handed.entry(h).or_insert_with(|| o.clone()));
        }
    };
    for link in orphan.links {
        let refs = Orphan::refs_of_link(&link);
        if refs.iter().all(|t| exists(p, *t)) {
            run(p, Edit::InsertLink(link))?;
        } else {
            hand_over(p, refs, &mut |o| o.links.push(link.clone()));
        }
    }
    for event in orphan.events {
        let refs = Orphan::refs_of_event(&event);
        if refs.iter().all(|t| exists(p, *t)) {
            run(p, Edit::InsertEvent(event))?;
        } else {
            hand_over(p, refs, &mut |o| o.events.push(event.clone()));
        }
    }
    for extra in orphan.extras {
        let refs = extra.targets();
        if refs.iter().all(|t| exists(p, *t)) {
            let at = p.extras().len();
            run(p, Edit::InsertExtra(at, extra))?;
        } else {
            hand_over(p, refs, &mut |o| o.extras.push(extra.clone()));
        }
    }
    for (holder, updated) in handed {
        run(p, Edit::DeleteOrphan(holder))?;
        run(p, Edit::InsertOrphan(updated))?;
    }
    Ok(())
}
