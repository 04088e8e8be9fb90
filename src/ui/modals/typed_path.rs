//! The typed-path prompt: the fallback when no native file dialog exists.

use super::{ModalCx, Outcome, enter_pressed, expand_tilde, newline_on_shift_enter, ok_cancel};
use crate::ui::commands::UiCommand;
use crate::ui::files::DialogPurpose;
use egui::Ui;
use std::path::PathBuf;

/// The label of the path field (tests find it by this).
pub const TYPED_PATH_LABEL: &str = "Path:";

/// Asks for one path (several, one per line, for articles).
#[derive(Debug)]
pub struct TypedPathModal {
    /// What the path is for.
    pub purpose: DialogPurpose,
    /// The text typed so far.
    pub text: String,
    /// Why we ask (no dialog could be shown, nothing typed…).
    pub why: Option<String>,
    /// The prefilled text is selected on the first frame: typing replaces
    /// it, End or → keeps it.
    pub fresh: bool,
}

impl TypedPathModal {
    /// Draws the prompt; Enter submits a single path.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading(self.purpose.prompt());
        if let Some(w) = &self.why {
            ui.label(w);
        }
        let multiline = self.purpose == DialogPurpose::AddArticles;
        if multiline {
            ui.label(
                "One path or https:// address per line (Shift+Enter for a new line); Enter adds them.",
            );
        }
        let name = ui.label(TYPED_PATH_LABEL);
        let output = if multiline {
            egui::TextEdit::multiline(&mut self.text)
                .desired_width(480.0)
                .hint_text("/path/to/article.html")
                .return_key(newline_on_shift_enter())
                .show(ui)
        } else {
            egui::TextEdit::singleline(&mut self.text)
                .desired_width(480.0)
                .hint_text("/path/to/file")
                .show(ui)
        };
        let r = (*output.response).clone().labelled_by(name.id);
        if std::mem::take(&mut self.fresh) {
            crate::ui::key_events::select_all(ui.ctx(), r.id, output.state, &self.text);
        }
        let enter = enter_pressed(ui) && (r.has_focus() || r.lost_focus());
        if !enter && !r.has_focus() && !r.lost_focus() {
            r.request_focus();
        }
        let (ok, cancel) = ok_cancel(ui, "OK", true, cx.escape);
        if ok || enter {
            let paths: Vec<PathBuf> = self
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(expand_tilde)
                .collect();
            if paths.is_empty() {
                self.why = Some("Please type a path.".into());
                return Outcome::Keep;
            }
            return Outcome::Run(vec![UiCommand::UsePaths(self.purpose, paths)]);
        }
        if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
