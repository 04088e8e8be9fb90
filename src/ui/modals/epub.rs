//! Books among the articles to add: one article per chapter, or per book?

use super::{ModalCx, Outcome, enter_pressed};
use crate::ui::commands::UiCommand;
use egui::Ui;
use std::path::PathBuf;

/// The button that adds each chapter as an article (the default: Enter).
pub const PER_CHAPTER: &str = "One article per chapter";
/// The button that adds each book as one article.
pub const PER_BOOK: &str = "Each book as one article";

/// Asks how the EPUB files among `paths` become articles.
#[derive(Debug)]
pub struct EpubModal {
    /// Everything to add (the books and any other files).
    pub paths: Vec<PathBuf>,
    /// How many of them are EPUB books.
    pub books: usize,
}

impl EpubModal {
    /// Draws the question; Enter takes the default (per chapter).
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Add books");
        ui.label(if self.books == 1 {
            "This EPUB book can become one article per chapter, or a single article.".to_string()
        } else {
            format!(
                "These {} EPUB books can each become one article per chapter, or a single article.",
                self.books
            )
        });
        let mut whole_book = None;
        let mut cancel = cx.escape;
        ui.horizontal(|ui| {
            if ui.button(PER_CHAPTER).clicked() {
                whole_book = Some(false);
            }
            if ui.button(PER_BOOK).clicked() {
                whole_book = Some(true);
            }
            cancel |= ui.button("Cancel").clicked();
        });
        if cancel {
            return Outcome::Close;
        }
        if whole_book.is_none() && enter_pressed(ui) {
            whole_book = Some(false);
        }
        match whole_book {
            Some(whole_book) => Outcome::Run(vec![UiCommand::AddArticlesWith {
                paths: std::mem::take(&mut self.paths),
                whole_book,
            }]),
            None => Outcome::Keep,
        }
    }
}

/// Whether `path` names an EPUB book.
pub fn is_epub(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("epub"))
}
