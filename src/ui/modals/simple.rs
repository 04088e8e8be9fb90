//! The small dialogs: unsaved changes, rename, confirm removal.

use super::{ModalCx, Outcome, ok_cancel, submitted};
use crate::model::DocId;
use crate::ui::commands::After;
use crate::ui::commands::UiCommand;
use egui::Ui;

/// Save / Discard / Cancel before an action that would lose changes.
#[derive(Debug)]
pub struct UnsavedModal {
    /// What to do once the changes are saved or discarded.
    pub after: After,
}

impl UnsavedModal {
    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Unsaved changes");
        let name = cx.ws.map_or("", |w| w.project.name());
        ui.label(format!(
            "“{name}” has changes that are not saved. Save them first?"
        ));
        let mut outcome = if cx.escape {
            Outcome::Close
        } else {
            Outcome::Keep
        };
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                outcome = Outcome::Run(vec![UiCommand::SaveThen(self.after.clone())]);
            }
            if ui.button("Discard").clicked() {
                outcome = Outcome::Run(vec![UiCommand::DiscardThen(self.after.clone())]);
            }
            if ui.button("Cancel").clicked() {
                outcome = Outcome::Close;
            }
        });
        outcome
    }
}

/// Rename an article (`doc`) or, with no `doc`, the project.
#[derive(Debug)]
pub struct RenameModal {
    /// The article, or None for the project.
    pub doc: Option<DocId>,
    /// The title being typed.
    pub title: String,
}

impl RenameModal {
    /// Draws the dialog; Enter renames.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading(if self.doc.is_some() {
            "Rename article"
        } else {
            "Rename project"
        });
        let name = ui.label("Title:");
        let r = ui
            .text_edit_singleline(&mut self.title)
            .labelled_by(name.id);
        if !r.has_focus() && !r.lost_focus() {
            r.request_focus();
        }
        let enter = submitted(ui, &r);
        let (ok, cancel) = ok_cancel(ui, "Rename", !self.title.trim().is_empty(), cx.escape);
        if (ok || enter) && !self.title.trim().is_empty() {
            let title = self.title.clone();
            Outcome::Run(vec![match self.doc {
                Some(doc) => UiCommand::SetDocumentTitle(doc, title),
                None => UiCommand::RenameProject(title),
            }])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}

/// Confirm removing an article (undoable).
#[derive(Debug)]
pub struct ConfirmRemoveModal {
    /// The article.
    pub doc: DocId,
}

impl ConfirmRemoveModal {
    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        let (title, n) = cx
            .ws
            .and_then(|w| {
                w.project
                    .document(self.doc)
                    .map(|d| (d.title.clone(), w.project.span_count_in(self.doc)))
            })
            .unwrap_or_default();
        ui.heading("Remove article?");
        ui.label(format!(
            "Remove “{title}” and its {n} spans from the project? You can undo this (Ctrl+Z)."
        ));
        let (ok, cancel) = ok_cancel(ui, "Remove", true, cx.escape);
        if ok {
            Outcome::Run(vec![UiCommand::ConfirmRemoveDocument(self.doc)])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
