//! Modal dialogs, one type per dialog (as egui_demo_lib has one type per
//! window). Each keeps its own state across frames, is drawn by
//! `ui(&mut self, ui, cx)`, and answers with an [`Outcome`]: stay open,
//! close, or close and run commands. Dialogs never change the project.

mod attributes;
mod epub;
mod event;
mod export;
mod info;
mod invalid;
mod labels;
mod paste;
mod patterns;
mod recover;
mod retext;
mod simple;
mod source;
mod typed_path;
mod url;

pub use attributes::AttributesModal;
pub use epub::{EpubModal, PER_BOOK, PER_CHAPTER, is_epub};
pub use event::{EventModal, EventStep};
pub use export::{ExportModal, ImportModal};
pub use info::{FIELDS as INFO_FIELDS, InfoModal};
pub use invalid::InvalidProjectModal;
pub use labels::LabelsModal;
pub use paste::PasteModal;
pub use patterns::PatternsModal;
pub use recover::RecoverModal;
pub use retext::{REPLACE_BUTTON, RetextModal};
pub use simple::{ConfirmRemoveModal, RenameModal, UnsavedModal};
pub use source::{SOURCE_FIELD_LABEL, SourcePickerModal};
pub use typed_path::{TYPED_PATH_LABEL, TypedPathModal};
pub use url::{URL_LABEL, UrlModal};

use super::commands::{After, UiCommand};
use super::files::{DialogPurpose, Recovery};
use super::workspace::Workspace;
use crate::model::DocId;
use egui::Ui;
use std::path::{Path, PathBuf};

/// What a dialog wants after a frame.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Stay open.
    Keep,
    /// Close, doing nothing.
    Close,
    /// Close, then run these commands.
    Run(Vec<UiCommand>),
    /// Stay open and run these commands.
    KeepAndRun(Vec<UiCommand>),
}

/// What dialogs may read while drawing.
pub struct ModalCx<'a> {
    /// The open project, if any.
    pub ws: Option<&'a Workspace>,
    /// Native file dialogs are available (show Browse…).
    pub native_dialogs: bool,
    /// Esc was pressed this frame.
    pub escape: bool,
}

/// The dialog shown, if any.
#[derive(Debug)]
pub enum Modal {
    /// Save / Discard / Cancel before losing changes.
    Unsaved(UnsavedModal),
    /// Typed-path fallback for file dialogs.
    TypedPath(TypedPathModal),
    /// The address of a page to fetch and add.
    Url(UrlModal),
    /// EPUB books to add: per chapter or per book?
    Epub(EpubModal),
    /// New article from pasted text.
    Paste(PasteModal),
    /// Rename an article.
    Rename(RenameModal),
    /// See and correct where an article came from.
    Info(Box<InfoModal>),
    /// Confirm removing an article.
    ConfirmRemove(ConfirmRemoveModal),
    /// Offer to restore recovery files.
    Recover(RecoverModal),
    /// Export options.
    Export(ExportModal),
    /// Import options.
    Import(ImportModal),
    /// A project that breaks invariants: open the rest read-only?
    Invalid(InvalidProjectModal),
    /// A span's attributes, by keyboard.
    Attributes(AttributesModal),
    /// The schema editor.
    Labels(LabelsModal),
    /// The project's suggestion patterns.
    Patterns(PatternsModal),
    /// Replace an article's text.
    Retext(RetextModal),
    /// An event's type or an argument's role.
    Event(EventModal),
    /// Who says so: a source span's registry entry.
    SourcePicker(SourcePickerModal),
}

impl Modal {
    /// Save / Discard / Cancel, then `after`.
    pub fn unsaved(after: After) -> Self {
        Modal::Unsaved(UnsavedModal { after })
    }

    /// Asks for a path by typing, prefilled with `text` (selected, so
    /// typing replaces it); `why` says why no dialog was shown.
    pub fn typed_path_in(purpose: DialogPurpose, why: Option<String>, text: String) -> Self {
        Modal::TypedPath(TypedPathModal {
            purpose,
            text,
            why,
            fresh: true,
        })
    }

    /// The paste dialog, titled from the text's first line.
    pub fn paste(text: &str) -> Self {
        let title = crate::formats::text::title_from(text).unwrap_or_default();
        Self::paste_titled(title, text.to_string())
    }

    /// The paste dialog with a given title.
    pub fn paste_titled(title: String, text: String) -> Self {
        Modal::Paste(PasteModal { title, text })
    }

    /// Rename article `doc` (None: the project), now titled `title`.
    pub fn rename(doc: Option<DocId>, title: String) -> Self {
        Modal::Rename(RenameModal { doc, title })
    }

    /// Confirm removing article `doc`.
    pub fn confirm_remove(doc: DocId) -> Self {
        Modal::ConfirmRemove(ConfirmRemoveModal { doc })
    }

    /// Offer these recovery files.
    pub fn recover(list: Vec<Recovery>) -> Self {
        Modal::Recover(RecoverModal { list })
    }

    /// Export options, defaulting to CSV next to the project.
    pub fn export(ws: &Workspace) -> Self {
        Modal::Export(ExportModal::new(ws))
    }

    /// Import options.
    pub fn import() -> Self {
        Modal::Import(ImportModal::default())
    }

    /// Fills the path field (a native dialog answered for Browse…).
    pub fn set_path(&mut self, path: &Path) {
        let text = path.display().to_string();
        match self {
            Modal::Export(m) => m.path = text,
            Modal::Import(m) => m.path = text,
            Modal::Retext(m) => m.path = text,
            Modal::TypedPath(m) => m.text = text,
            _ => {}
        }
    }

    /// Draws the dialog's body.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        match self {
            Modal::Unsaved(m) => m.ui(ui, cx),
            Modal::TypedPath(m) => m.ui(ui, cx),
            Modal::Url(m) => m.ui(ui, cx),
            Modal::Epub(m) => m.ui(ui, cx),
            Modal::Paste(m) => m.ui(ui, cx),
            Modal::Rename(m) => m.ui(ui, cx),
            Modal::Info(m) => m.ui(ui, cx),
            Modal::ConfirmRemove(m) => m.ui(ui, cx),
            Modal::Recover(m) => m.ui(ui, cx),
            Modal::Export(m) => m.ui(ui, cx),
            Modal::Import(m) => m.ui(ui, cx),
            Modal::Invalid(m) => m.ui(ui, cx),
            Modal::Attributes(m) => m.ui(ui, cx),
            Modal::Labels(m) => m.ui(ui, cx),
            Modal::Patterns(m) => m.ui(ui, cx),
            Modal::Retext(m) => m.ui(ui, cx),
            Modal::Event(m) => m.ui(ui, cx),
            Modal::SourcePicker(m) => m.ui(ui, cx),
        }
    }
}

/// OK / Cancel buttons; Esc cancels. Returns (ok, cancel).
fn ok_cancel(ui: &mut Ui, ok_text: &str, ok_enabled: bool, escape: bool) -> (bool, bool) {
    let mut ok = false;
    let mut cancel = escape;
    ui.horizontal(|ui| {
        ok = ui
            .add_enabled(ok_enabled, egui::Button::new(ok_text))
            .clicked();
        cancel |= ui.button("Cancel").clicked();
    });
    (ok, cancel)
}

/// `~/x` → `$HOME/x`.
pub(crate) fn expand_tilde(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

/// True when Enter was pressed while `response`'s single-line field had
/// focus (egui drops the focus on Enter, so ask both).
fn submitted(ui: &Ui, response: &egui::Response) -> bool {
    response.lost_focus() && enter_pressed(ui)
}

/// Enter without Shift this frame (Shift+Enter starts a line in fields
/// that take several).
fn enter_pressed(ui: &Ui) -> bool {
    ui.input(crate::ui::key_events::plain_enter)
}

/// Shift+Enter inserts a newline in a multi-line field, so Enter can submit.
fn newline_on_shift_enter() -> egui::KeyboardShortcut {
    egui::KeyboardShortcut::new(egui::Modifiers::SHIFT, egui::Key::Enter)
}
