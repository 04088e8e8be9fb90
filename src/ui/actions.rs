//! Named UI actions (in the spirit of rerun's `UICommand`): one list drives
//! the menus, the keyboard shortcuts and the shortcut help, so they can
//! never disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Something the user can ask the workbench to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Start a new, empty project.
    NewProject,
    /// Open a project file.
    Open,
    /// Save to the current file (or ask where).
    Save,
    /// Save to a new file.
    SaveAs,
    /// Close the project (back to the start screen).
    CloseProject,
    /// Add .txt articles.
    AddArticles,
    /// New article from the clipboard.
    PasteArticle,
    /// Rename the current article.
    RenameDocument,
    /// Remove the current article (asks first; undoable).
    RemoveDocument,
    /// Export spans to a file format.
    Export,
    /// Import annotations from a file.
    ImportAnnotations,
    /// Leave the app.
    Quit,
    /// Undo the last command.
    Undo,
    /// Redo the last undone command.
    Redo,
    /// Delete the selected span.
    DeleteSpan,
    /// Select the next span in the document.
    NextSpan,
    /// Select the previous span in the document.
    PrevSpan,
    /// Link the selected claim or figure to a source (click it next).
    LinkToSource,
    /// Cancel linking / clear the selection.
    Cancel,
    /// Show the keyboard shortcuts.
    ShortcutHelp,
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, in menu order.
    pub const ALL: [Action; 20] = [
        Action::NewProject,
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::CloseProject,
        Action::AddArticles,
        Action::PasteArticle,
        Action::RenameDocument,
        Action::RemoveDocument,
        Action::Export,
        Action::ImportAnnotations,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::DeleteSpan,
        Action::NextSpan,
        Action::PrevSpan,
        Action::LinkToSource,
        Action::Cancel,
        Action::ShortcutHelp,
    ];

    /// Menu text.
    pub fn title(self) -> &'static str {
        match self {
            Action::NewProject => "New project",
            Action::Open => "Open…",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::CloseProject => "Close project",
            Action::AddArticles => "Add articles…",
            Action::PasteArticle => "Paste article…",
            Action::RenameDocument => "Rename article…",
            Action::RemoveDocument => "Remove article…",
            Action::Export => "Export…",
            Action::ImportAnnotations => "Import annotations…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::DeleteSpan => "Delete span",
            Action::NextSpan => "Next span",
            Action::PrevSpan => "Previous span",
            Action::LinkToSource => "Link to source…",
            Action::Cancel => "Cancel / clear selection",
            Action::ShortcutHelp => "Keyboard shortcuts",
        }
    }

    /// The primary shortcut (shown in menus).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        Some(match self {
            Action::NewProject => sc(CMD, Key::N),
            Action::Open => sc(CMD, Key::O),
            Action::Save => sc(CMD, Key::S),
            Action::SaveAs => sc(CMD_SHIFT, Key::S),
            Action::CloseProject => sc(CMD, Key::W),
            Action::AddArticles => sc(CMD_SHIFT, Key::A),
            Action::PasteArticle => sc(CMD_SHIFT, Key::V),
            Action::Export => sc(CMD, Key::E),
            Action::ImportAnnotations => sc(CMD_SHIFT, Key::I),
            Action::Quit => sc(CMD, Key::Q),
            Action::Undo => sc(CMD, Key::Z),
            Action::Redo => sc(CMD_SHIFT, Key::Z),
            Action::DeleteSpan => sc(Modifiers::NONE, Key::Delete),
            Action::NextSpan => sc(Modifiers::NONE, Key::Tab),
            Action::PrevSpan => sc(Modifiers::SHIFT, Key::Tab),
            Action::LinkToSource => sc(Modifiers::NONE, Key::L),
            Action::Cancel => sc(Modifiers::NONE, Key::Escape),
            Action::ShortcutHelp => sc(Modifiers::NONE, Key::F1),
            Action::RenameDocument => sc(Modifiers::NONE, Key::F2),
            Action::RemoveDocument => return None,
        })
    }

    /// Extra shortcuts that do the same thing.
    pub fn alternates(self) -> &'static [KeyboardShortcut] {
        const REDO_Y: [KeyboardShortcut; 1] = [sc(CMD, Key::Y)];
        const DELETE_BACK: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::Backspace)];
        const NEXT_J: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::J)];
        const PREV_K: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::K)];
        const HELP_Q: [KeyboardShortcut; 1] = [sc(Modifiers::SHIFT, Key::Slash)];
        match self {
            Action::Redo => &REDO_Y,
            Action::DeleteSpan => &DELETE_BACK,
            Action::NextSpan => &NEXT_J,
            Action::PrevSpan => &PREV_K,
            Action::ShortcutHelp => &HELP_Q,
            _ => &[],
        }
    }

    /// Whether the shortcut works while a text field has keyboard focus.
    /// Plain keys (Delete, J, L, 1…) must not fire while typing a note.
    pub fn works_while_typing(self) -> bool {
        matches!(
            self,
            Action::NewProject
                | Action::Open
                | Action::Save
                | Action::SaveAs
                | Action::CloseProject
                | Action::AddArticles
                | Action::Export
                | Action::ImportAnnotations
                | Action::Quit
                | Action::ShortcutHelp
        )
    }
}

/// Other keys, listed in the shortcut help next to the actions.
pub const OTHER_KEYS: &[(&str, &str)] = &[
    (
        "1 / 2 / 3 (and custom label keys)",
        "Tag the selection, or retag the selected span",
    ),
    ("Drag", "Select text (snaps to words)"),
    ("Alt + drag", "Select exact characters (no word snapping)"),
    ("Shift + click", "Extend the selection"),
    ("Double-click", "Select a word"),
    (
        "Click a span",
        "Select it; click again where spans overlap to cycle",
    ),
    ("← → ↑ ↓", "Move the caret"),
    ("Shift + arrows", "Extend the selection"),
    ("Ctrl + Shift + ← →", "Extend the selection by word"),
    ("Alt + ← →", "Move the selected span's start"),
    ("Alt + Shift + ← →", "Move the selected span's end"),
    ("Ctrl + Y", "Redo"),
    ("Backspace", "Delete the selected span"),
    ("J / K", "Next / previous span"),
    ("?", "Keyboard shortcuts"),
];
