//! An invalid project: say what is broken, offer to open the rest.

use super::{ModalCx, Outcome, ok_cancel};
use crate::ui::commands::UiCommand;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// The records that break invariants, and the offer to skip them.
#[derive(Debug)]
pub struct InvalidProjectModal {
    /// The file (never written to).
    pub path: PathBuf,
    /// One line per broken record.
    pub broken: Vec<String>,
}

impl InvalidProjectModal {
    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("This project has broken records");
        ui.label(format!(
            "{} could not be opened as it is. These records break the project's rules:",
            self.path.display()
        ));
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for b in &self.broken {
                    // Monospace at body size: the records must be read.
                    ui.label(RichText::new(b).monospace());
                }
            });
        ui.label(
            "You can open the rest read-only to rescue it: nothing is written to this file, and Save as… keeps a repaired copy.",
        );
        let (ok, cancel) = ok_cancel(ui, "Open read-only, skipping them", true, cx.escape);
        if ok {
            Outcome::Run(vec![UiCommand::OpenSkippingBroken(self.path.clone())])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
