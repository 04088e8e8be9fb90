//! Offer to restore recovery files left by a crash.

use super::{ModalCx, Outcome};
use crate::ui::commands::UiCommand;
use crate::ui::files::{Recovery, age};
use egui::{RichText, Ui};

/// Recovery files the user has not decided on yet.
#[derive(Debug)]
pub struct RecoverModal {
    /// The files still offered.
    pub list: Vec<Recovery>,
}

impl RecoverModal {
    /// Draws the dialog: Restore one, Discard some, or decide later.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Recover unsaved work?");
        ui.label(
            "Marginalia did not shut down cleanly. These recovery files hold edits that were not saved:",
        );
        let mut chosen = None;
        let mut discarded = None;
        for (i, r) in self.list.iter().enumerate() {
            ui.group(|ui| {
                ui.label(RichText::new(&r.summary).strong());
                ui.label(format!("Written {}", age(r.modified)));
                ui.label(match &r.project_path {
                    Some(p) => format!("Project: {}", p.display()),
                    None => "Project: never saved".to_string(),
                });
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        chosen = Some(i);
                    }
                    if ui.button("Discard").clicked() {
                        discarded = Some(i);
                    }
                });
            });
        }
        if let Some(i) = chosen {
            let r = self.list.remove(i);
            return Outcome::Run(vec![UiCommand::RestoreRecovery(r)]);
        }
        if let Some(i) = discarded {
            let r = self.list.remove(i);
            let discard = vec![UiCommand::DiscardRecovery(r.file)];
            return if self.list.is_empty() {
                Outcome::Run(discard)
            } else {
                Outcome::KeepAndRun(discard)
            };
        }
        if ui.button("Decide later").clicked() || cx.escape {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
