//! Unlimited undo/redo over named commands, plus "saved" tracking.
//!
//! Each entry stores only the primitive edits and their inverses, never a
//! snapshot of the project, so memory grows with the size of the changes,
//! not with the size of the documents.

use super::command::{Command, Created};
use super::edit::Edit;
use super::error::EditError;
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
        let name = command.name(project);
        let (forward, inverse, created) = command.execute(project)?;
        if forward.is_empty() {
            return Ok(created);
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
