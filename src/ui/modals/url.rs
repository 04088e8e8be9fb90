//! Add from URL…: one http(s) address, fetched and read in the background.

use super::{ModalCx, Outcome, ok_cancel, submitted};
use crate::formats::fetch::{is_other_url, is_url};
use crate::ui::commands::UiCommand;
use crate::ui::files::DialogPurpose;
use egui::Ui;
use std::path::PathBuf;

/// The label of the address field (tests find it by this).
pub const URL_LABEL: &str = "Address:";

/// Asks for the address of a page (or a PDF, a Word file…) to add.
#[derive(Debug, Default)]
pub struct UrlModal {
    /// The address typed so far.
    pub text: String,
    /// Why the last try was refused.
    pub why: Option<String>,
}

impl UrlModal {
    /// Draws the dialog; Enter fetches.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Add from URL");
        ui.label("The page is fetched, its main text becomes a new article, and its address, title, author and date are kept (Ctrl+I shows them).");
        let name = ui.label(URL_LABEL);
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut self.text)
                    .desired_width(480.0)
                    .hint_text("https://www.example.org/news/story.html"),
            )
            .labelled_by(name.id);
        if !r.has_focus() && !r.lost_focus() {
            r.request_focus();
        }
        if let Some(why) = &self.why {
            ui.colored_label(ui.visuals().error_fg_color, why);
        }
        let enter = submitted(ui, &r);
        let (ok, cancel) = ok_cancel(ui, "Fetch", !self.text.trim().is_empty(), cx.escape);
        if ok || enter {
            let url = self.text.trim();
            if is_url(url) {
                return Outcome::Run(vec![UiCommand::UsePaths(
                    DialogPurpose::AddArticles,
                    vec![PathBuf::from(url)],
                )]);
            }
            self.why = Some(if is_other_url(url) {
                "Only http:// and https:// addresses can be fetched.".into()
            } else if url.is_empty() {
                "Please type an address.".into()
            } else {
                format!("“{url}” is not a web address: it should start with https:// or http://.")
            });
            return Outcome::Keep;
        }
        if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
