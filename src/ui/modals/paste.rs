//! New article from pasted text.

use super::{ModalCx, Outcome, ok_cancel};
use crate::ui::commands::UiCommand;
use egui::Ui;

/// Title and text of an article to add.
#[derive(Debug)]
pub struct PasteModal {
    /// The title (prefilled from the first line).
    pub title: String,
    /// The article text.
    pub text: String,
}

impl PasteModal {
    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Paste article");
        ui.horizontal(|ui| {
            let name = ui.label("Title:");
            ui.text_edit_singleline(&mut self.title)
                .labelled_by(name.id);
        });
        let name = ui.label("Text:");
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .desired_width(480.0)
                        .desired_rows(10)
                        .hint_text("Paste the article text here (Ctrl+V)"),
                )
                .labelled_by(name.id);
            });
        ui.label("Ctrl+Enter adds the article.");
        let (ok, cancel) = ok_cancel(ui, "Add article", true, cx.escape);
        let ok = ok || ui.input(crate::ui::key_events::command_enter);
        if ok {
            // Taken, not cloned: the text may be megabytes.
            Outcome::Run(vec![UiCommand::AddPastedArticle {
                title: std::mem::take(&mut self.title),
                text: std::mem::take(&mut self.text),
            }])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
