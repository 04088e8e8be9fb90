//! Unlimited undo/redo over named commands, plus "saved" tracking.
//!
//! Each entry stores only the primitive edits and their inverses, never a
//! snapshot of the project, so memory grows with the size of the changes,
//! not with the size of the documents.

use super::command::{Command, Created};
use super::document::DocStatus;
use super::edit::Edit;
use super::error::EditError;
use super::ids::DocId;
use super::project::Project;

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    forward: Vec<Edit>,
    inverse: Vec<Edit>,
    /// Unique id of the state this entry leads to.
    state: u64,
}

/// Undo and redo stacks for one project.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    next_state: u64,
    saved_state: u64,
}

impl History {
    /// An empty history; the current state counts as saved.
    pub fn new() -> Self {
        History {
            next_state: 1,
            ..Default::default()
        }
    }

    /// Executes a command, records it, and clears the redo stack.
    /// On error the project is unchanged and nothing is recorded.
    pub fn execute(
        &mut self,
        project: &mut Project,
        command: Command,
    ) -> Result<Created, EditError> {
        self.execute_marking(project, command, false)
    }

    /// Executes a command an analyst gave (in the window or on the command
    /// line): as [`History::execute`], and an article still `new` that the
    /// command annotated becomes `in-progress` in the same undo step. An
    /// article the command added stays `new`; merges and imports of whole
    /// corpora go through [`History::execute`] and change no status.
    pub fn execute_by_hand(
        &mut self,
        project: &mut Project,
        command: Command,
    ) -> Result<Created, EditError> {
        self.execute_marking(project, command, true)
    }

    fn execute_marking(
        &mut self,
        project: &mut Project,
        command: Command,
        mark: bool,
    ) -> Result<Created, EditError> {
        let name = command.name(project);
        let (mut forward, mut inverse, created) = command.execute(project)?;
        if forward.is_empty() {
            return Ok(created);
        }
        if mark {
            for doc in started_articles(project, &forward, &inverse) {
                let edit = Edit::SetDocumentStatus(doc, DocStatus::InProgress);
                // The article exists: the edit cannot fail.
                if let Ok(undo) = project.apply(edit.clone()) {
                    forward.push(edit);
                    inverse.insert(0, undo);
                }
            }
        }
        let state = self.fresh_state();
        self.undo.push(Entry {
            name,
            forward,
            inverse,
            state,
        });
        self.redo.clear();
        Ok(created)
    }

    /// Undoes the last command and returns its name.
    pub fn undo(&mut self, project: &mut Project) -> Result<String, EditError> {
        let entry = self.undo.pop().ok_or(EditError::NothingToUndo)?;
        match project.apply_all(entry.inverse.clone()) {
            Ok(_) => {
                let name = entry.name.clone();
                self.redo.push(entry);
                Ok(name)
            }
            Err(e) => {
                self.undo.push(entry);
                Err(e)
            }
        }
    }

    /// Redoes the last undone command and returns its name.
    pub fn redo(&mut self, project: &mut Project) -> Result<String, EditError> {
        let entry = self.redo.pop().ok_or(EditError::NothingToRedo)?;
        match project.apply_all(entry.forward.clone()) {
            Ok(_) => {
                let name = entry.name.clone();
                self.undo.push(entry);
                Ok(name)
            }
            Err(e) => {
                self.redo.push(entry);
                Err(e)
            }
        }
    }

    /// Name of the command [`undo`](Self::undo) would revert.
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|e| e.name.as_str())
    }

    /// Name of the command [`redo`](Self::redo) would re-apply.
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|e| e.name.as_str())
    }

    /// Number of undoable steps.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Number of redoable steps.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    /// Identifies the current state; equal ids mean equal content.
    pub fn current_state(&self) -> u64 {
        self.undo.last().map_or(0, |e| e.state)
    }

    /// Records the current state as the saved one.
    pub fn mark_saved(&mut self) {
        self.saved_state = self.current_state();
    }

    /// Records `state` (from [`current_state`](Self::current_state) when a
    /// background save started) as the saved one.
    pub fn mark_saved_state(&mut self, state: u64) {
        self.saved_state = state;
    }

    /// Marks the project as changed since the last save even without a
    /// command (e.g. a project that was created in memory and never saved).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    /// True when the project differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.current_state() != self.saved_state
    }

    fn fresh_state(&mut self) -> u64 {
        self.next_state = self.next_state.max(1);
        let s = self.next_state;
        self.next_state += 1;
        s
    }
}

/// The `new` articles whose annotations these edits changed (read from the
/// edits and their inverses, so a deleted span still names its article),
/// leaving out articles the same edits inserted.
fn started_articles(project: &Project, forward: &[Edit], inverse: &[Edit]) -> Vec<DocId> {
    let span_doc = |id| project.span(id).map(|s| s.doc);
    let mut inserted = std::collections::BTreeSet::new();
    let mut touched = std::collections::BTreeSet::new();
    for edit in forward.iter().chain(inverse) {
        let doc = match edit {
            Edit::InsertDocument(d) => {
                inserted.insert(d.id);
                None
            }
            Edit::InsertSpan(s) => Some(s.doc),
            Edit::SetSpanLabel(id, _)
            | Edit::SetSpanRange(id, ..)
            | Edit::SetSpanNote(id, _)
            | Edit::SetSpanFragments(id, _)
            | Edit::SetSpanAttr(id, ..)
            | Edit::SetStale(id, ..)
            | Edit::SetMention(id, _) => span_doc(*id),
            Edit::InsertLink(l) => span_doc(l.from).or_else(|| span_doc(l.to)),
            Edit::InsertEvent(e) => span_doc(e.trigger),
            Edit::SetEventArgs(id, _) => project.event(*id).and_then(|e| span_doc(e.trigger)),
            Edit::SetRejected(r, _) => Some(r.doc),
            Edit::InsertOrphan(o) => Some(o.span.doc),
            Edit::SetDocumentText { doc, .. } => Some(*doc),
            _ => None,
        };
        touched.extend(doc);
    }
    touched
        .into_iter()
        .filter(|d| !inserted.contains(d))
        .filter(|d| {
            project
                .document(*d)
                .is_some_and(|d| d.status == DocStatus::New)
        })
        .collect()
}
