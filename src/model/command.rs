//! Named user-level commands. The GUI, the CLI and the tests all change a
//! project only by executing these through a [`History`](super::History),
//! which expands them into primitive [`Edit`]s and records the inverse.

use super::document::{Document, Link, Span};
use super::edit::Edit;
use super::error::EditError;
use super::ids::{DocId, LabelId, LinkId, SpanId};
use super::label::{Label, LinkType};
use super::project::Project;

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
    /// Remove a document with all its spans and their links.
    RemoveDocument(DocId),
    /// Change a document title.
    RenameDocument(DocId, String),
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
    /// Append a label to the schema.
    AddLabel(Label),
    /// Remove a label, its spans and their links.
    RemoveLabel(LabelId),
    /// Change a label's name, colour or hotkey.
    UpdateLabel(Label),
    /// Declare or replace a link type's rule.
    SetLinkType(LinkType),
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
            Command::AddDocument { .. } => "add article".into(),
            Command::RemoveDocument(_) => "remove article".into(),
            Command::RenameDocument(..) => "rename article".into(),
            Command::AddSpan { label, .. } => format!("tag {}", label_name(label)),
            Command::RemoveSpan(_) => "delete span".into(),
            Command::RetagSpan(_, label) => format!("retag as {}", label_name(label)),
            Command::ResizeSpan(..) => "resize span".into(),
            Command::SetNote(..) => "edit note".into(),
            Command::AddLink { .. } => "link to source".into(),
            Command::RemoveLink(_) => "remove link".into(),
            Command::AddLabel(l) => format!("add label {}", l.id),
            Command::RemoveLabel(l) => format!("remove label {l}"),
            Command::UpdateLabel(l) => format!("edit label {}", l.id),
            Command::SetLinkType(t) => format!("set the rule of {}", t.id),
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
            Command::RemoveDocument(doc) => {
                if p.document(doc).is_none() {
                    return Err(EditError::UnknownDocument(doc));
                }
                let spans: Vec<SpanId> = p.spans_in(doc).map(|s| s.id).collect();
                remove_spans(p, &spans, &mut run)?;
                run(p, Edit::DeleteDocument(doc))
            }
            Command::RenameDocument(doc, title) => run(p, Edit::SetDocumentTitle(doc, title)),
            Command::AddSpan {
                doc,
                label,
                start,
                end,
                note,
                created: when,
            } => {
                let id = SpanId(p.next_ids().span);
                let note = note.filter(|n| !n.trim().is_empty());
                run(
                    p,
                    Edit::InsertSpan(Span {
                        id,
                        doc,
                        label,
                        start,
                        end,
                        note,
                        created: when,
                    }),
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
                // Links that the new label would break go in the same step.
                let broken = p.links_broken_by_retag(id, &label);
                for link in &broken {
                    run(p, Edit::DeleteLink(*link))?;
                }
                created.removed_links.extend(broken);
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
                run(p, Edit::DeleteLabel(id))
            }
            Command::UpdateLabel(label) => run(p, Edit::UpdateLabel(label)),
            Command::SetLinkType(rule) => run(p, Edit::PutLinkType(rule)),
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
                    run(p, e)?;
                }
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
                }
                Ok(())
            }
        }
    }
}

/// Removes spans after removing every link that touches them.
fn remove_spans(
    p: &mut Project,
    spans: &[SpanId],
    run: &mut impl FnMut(&mut Project, Edit) -> Result<(), EditError>,
) -> Result<(), EditError> {
    for &id in spans {
        let links: Vec<LinkId> = p.links_of(id).map(|l| l.id).collect();
        for link in links {
            run(p, Edit::DeleteLink(link))?;
        }
        run(p, Edit::DeleteSpan(id))?;
    }
    Ok(())
}
