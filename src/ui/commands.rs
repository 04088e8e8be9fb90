//! Everything a user can do in the workbench, as one enum with payloads (in
//! the spirit of rerun's `UICommand`). Panels, modals, key handling and the
//! text view only push [`UiCommand`]s into a [`CommandQueue`]; the dispatcher
//! (`dispatch.rs`) runs them after drawing, and is the only UI code that
//! touches the model's history or starts jobs.
//!
//! [`KEYMAP`] is the one table of keyed commands: the menus, the shortcuts
//! and the F1 help are generated from it, so they cannot disagree.

use super::files::{DialogPurpose, Recovery};
use crate::formats::{ExportFormat, ImportFormat};
use crate::model::{DocId, DocStatus, LabelId, LinkId, SourceEntry, SourceId, SpanId};
use egui::{Key, KeyboardShortcut, Modifiers};
use std::collections::VecDeque;
use std::path::PathBuf;

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    /// Close the window.
    Quit,
    /// Start a new project.
    New,
    /// Open a project (None: ask which).
    Open(Option<PathBuf>),
    /// Back to the start screen.
    Close,
    /// Open a copy of this project as a new, unsaved one.
    OpenCopy(PathBuf),
}

/// How the caret moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// One grapheme left.
    Left,
    /// One grapheme right.
    Right,
    /// To the start of the previous word.
    WordLeft,
    /// To the end of the next word.
    WordRight,
    /// One visual row up.
    Up,
    /// One visual row down.
    Down,
    /// To the start of the line.
    LineStart,
    /// To the end of the line.
    LineEnd,
    /// To the start of the article.
    DocStart,
    /// To the end of the article.
    DocEnd,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// To the end of the clause (from a caret, the selection starts at the
    /// next word).
    ClauseEnd,
    /// To the end of the sentence (likewise).
    SentenceEnd,
}

pub use super::files::Theme;

/// A side panel the View menu can hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidePanel {
    /// The article list (left).
    Articles,
    /// The span list and details (right).
    Spans,
}

/// Where Replace text… takes the new text from.
#[derive(Debug, Clone, PartialEq)]
pub enum RetextSource {
    /// A .txt file.
    File(PathBuf),
    /// The system clipboard.
    Clipboard,
    /// Text pasted into the dialog.
    Text(String),
}

/// Which end of a span a nudge moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The start.
    Start,
    /// The end.
    End,
}

/// What Project → Labels… changes: attribute renames and removals run
/// first (they carry or clear span values), then the edited and new labels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaChange {
    /// (label, old name, new name) for renamed attributes.
    pub renames: Vec<(crate::model::LabelId, String, String)>,
    /// (label, attribute) removed from existing labels.
    pub removals: Vec<(crate::model::LabelId, String)>,
    /// (label as edited, is new).
    pub labels: Vec<(crate::model::Label, bool)>,
    /// The sourcing roles, when they changed.
    pub sourcing: Option<crate::model::Sourcing>,
}

/// Something the user asked for. Payloads carry everything the dispatcher
/// needs, so a command means the same from a key, a menu, a panel or a test.
#[derive(Debug, Clone, PartialEq)]
pub enum UiCommand {
    // ---- project files ----
    /// Start a new, empty project (asks about unsaved changes first).
    NewProject,
    /// Open a project file (asks which).
    Open,
    /// Open this project file (asks about unsaved changes first).
    OpenPath(PathBuf),
    /// Save to the current file (or ask where).
    Save,
    /// Save to a new file.
    SaveAs,
    /// Close the project (back to the start screen).
    CloseProject,
    /// Leave the app.
    Quit,
    /// Save, then do `After` once the save succeeded.
    SaveThen(After),
    /// Drop unsaved changes, then do `After`.
    DiscardThen(After),
    /// Paths chosen in a dialog, typed, or dropped, for this purpose.
    UsePaths(DialogPurpose, Vec<PathBuf>),
    /// Show a native file dialog (Browse… in the export and import dialogs).
    Browse(DialogPurpose),
    /// Open a copy of a project as a new, unsaved project (the sample).
    OpenCopy(PathBuf),
    /// Open an invalid project read-only, leaving out its broken records.
    OpenSkippingBroken(PathBuf),
    /// Ask for a new project name.
    RenameProjectDialog,
    /// Open the schema editor (Project → Labels…).
    EditLabels,
    /// Open the find bar (Ctrl+F), with the selected text if any.
    OpenFind,
    /// Close the find bar and its highlights.
    CloseFind,
    /// The find bar's query or scope changed: search again.
    FindChanged,
    /// Go to the next match.
    FindNext,
    /// Go to the previous match.
    FindPrev,
    /// Tag every match with this label (one undo step), skipping matches
    /// already tagged with it.
    TagAllMatches(LabelId),
    /// Go to the next pending suggestion.
    NextSuggestion,
    /// Go to the previous pending suggestion.
    PrevSuggestion,
    /// Accept the suggestion under the cursor (a tag) and go to the next;
    /// with none under the cursor, go to the first.
    AcceptSuggestion,
    /// Reject the suggestion under the cursor (remembered) and go on.
    RejectSuggestion,
    /// Accept every pending suggestion of the current one's rule in this
    /// article.
    AcceptRule,
    /// Suggest the selected span's text wherever else it occurs (a project
    /// pattern with its label).
    MoreLikeThis,
    /// Edit the project's suggestion patterns (Project → Patterns…).
    EditPatterns,
    /// Apply the patterns dialog: patterns to remove (positions), then to
    /// add, and the built-in rule sets to have off; one undo step.
    ApplyPatterns(
        Vec<usize>,
        Vec<crate::model::Pattern>,
        std::collections::BTreeSet<String>,
    ),
    /// Show or hide suggestions.
    ToggleSuggestions,
    /// Ask which version to compare with (a project file or `git:REV`).
    AskCompare,
    /// Compare with this project file or `git:REV`.
    CompareWith(String),
    /// Stop comparing.
    EndCompare,
    /// Move to the next item of the review list (conflict or disagreement).
    ReviewNext,
    /// Move to the previous item of the review list.
    ReviewPrev,
    /// Move to item N of the review list.
    ReviewSelect(usize),
    /// Settle the item under the review cursor.
    Settle(crate::team::compare::Take),
    /// Apply the schema editor's changes as one undo step.
    ApplySchema(SchemaChange),
    /// Restore a recovery file as the open project.
    RestoreRecovery(Recovery),
    /// Rename the project (undoable).
    RenameProject(String),
    /// Delete a recovery file the user does not want.
    DiscardRecovery(PathBuf),

    // ---- articles ----
    /// Add .txt articles (asks which).
    AddArticles,
    /// Add every article under a folder (asks which).
    AddFolder,
    /// Fetch a page by its address and add it (asks which).
    AddFromUrl,
    /// Add these articles; EPUB books as one article each when
    /// `whole_book`, else one per chapter.
    AddArticlesWith {
        /// Files, folders and http(s) addresses.
        paths: Vec<PathBuf>,
        /// Each book as one article.
        whole_book: bool,
    },
    /// Stop adding articles (nothing is added).
    CancelAdding,
    /// New article from the clipboard (opens the paste dialog).
    PasteArticle,
    /// New article from this text (opens the paste dialog to confirm it).
    PasteText(String),
    /// Add an article with this title and text.
    AddPastedArticle {
        /// Title (may be empty: taken from the text).
        title: String,
        /// The article text, imported by the usual rules.
        text: String,
    },
    /// Rename the current article (opens the dialog).
    RenameDocument,
    /// Show where the current article came from, to check and correct it
    /// (opens the dialog).
    ArticleInfo,
    /// Set (or clear) where an article came from (undoable).
    SetArticleSource(DocId, Option<Box<crate::model::Provenance>>),
    /// Rename an article.
    SetDocumentTitle(DocId, String),
    /// Remove the current article (asks first).
    RemoveDocument,
    /// Remove an article and its spans (undoable).
    ConfirmRemoveDocument(DocId),
    /// Show an article.
    ShowDocument(DocId),
    /// Open Article → Replace text… for the current article.
    ReplaceText,
    /// Work out where the spans of `doc` go in a new text (in the
    /// background); the dialog shows the result.
    PlanRetext {
        /// The article.
        doc: DocId,
        /// Where the new text comes from.
        source: RetextSource,
    },
    /// Replace the text as planned (one undo step).
    ApplyRetext(std::sync::Arc<crate::model::anchor::RetextPlan>),
    /// Choose the orphan that Re-attach and Discard act on.
    SelectOrphan(Option<SpanId>),
    /// Re-attach the chosen orphan (or the article's first) to the text
    /// selection.
    ReattachOrphan,
    /// Discard an orphan (undoable).
    DiscardOrphan(SpanId),
    /// Show the next article.
    NextArticle,
    /// Show the previous article.
    PrevArticle,
    /// Start a new event with the selected span as its trigger (asks the
    /// type).
    NewEvent,
    /// Create an event with no arguments yet; it becomes the one Alt+A
    /// adds arguments to.
    CreateEvent {
        /// Its type.
        kind: String,
        /// The trigger span.
        trigger: crate::model::SpanId,
    },
    /// Add the selected span to the event being built (asks the role).
    AddToEvent,
    /// Add an argument to an event.
    AddEventArgument {
        /// The event.
        event: crate::model::EventId,
        /// The argument's role.
        role: String,
        /// The argument.
        target: crate::model::Target,
    },
    /// Remove an event's argument at this position (its span stays).
    RemoveEventArgument(crate::model::EventId, usize),
    /// Remove an event; its spans stay.
    RemoveEvent(crate::model::EventId),
    /// Make this event the one Alt+A adds arguments to (None: none).
    ChooseEvent(Option<crate::model::EventId>),
    /// Show the next article that is neither done nor skipped.
    NextUnfinished,
    /// Show the previous article that is neither done nor skipped.
    PrevUnfinished,
    /// Give the article filter the keyboard (showing the list if hidden).
    GoToArticle,
    /// Show the first article the filter lists.
    GoToFirstListed,
    /// Mark the current article with this status; marking it again with
    /// done or skipped puts it back in progress.
    MarkArticle(DocStatus),
    /// Set an article's status.
    SetArticleStatus(DocId, DocStatus),

    // ---- export and import ----
    /// Open the export dialog.
    Export,
    /// Write an export in the background.
    StartExport {
        /// Format.
        format: ExportFormat,
        /// Only the current article.
        current_only: bool,
        /// Only the labels shown in the span list.
        shown_only: bool,
        /// Destination (a folder for brat).
        path: PathBuf,
    },
    /// Open the import dialog.
    ImportAnnotations,
    /// Read annotations in the background, applied as one undo step.
    StartImport {
        /// Format.
        format: ImportFormat,
        /// Input file or folder.
        path: PathBuf,
    },

    // ---- editing ----
    /// Undo the last command.
    Undo,
    /// Redo the last undone command.
    Redo,
    /// Tag the selection with this label, or retag the selected span.
    Tag(LabelId),
    /// Tag an exact range of an article (the headless driver, scripts).
    TagRange {
        /// The article.
        doc: DocId,
        /// The label.
        label: LabelId,
        /// Start, in chars.
        start: usize,
        /// End, in chars.
        end: usize,
    },
    /// Give a span another label.
    Retag {
        /// The span.
        span: SpanId,
        /// Its new label.
        label: LabelId,
    },
    /// Delete the selected span.
    DeleteSelected,
    /// Delete a span and its links.
    RemoveSpan(SpanId),
    /// Move a span's ends.
    ResizeSpan {
        /// The span.
        span: SpanId,
        /// New start, in chars.
        start: usize,
        /// New end, in chars.
        end: usize,
    },
    /// Move one end of the selected span by a motion.
    NudgeSelected(Edge, Motion),
    /// Set or clear (None) attribute values of a span, as one undo step.
    SetAttrs {
        /// The span.
        span: SpanId,
        /// (name, value); None clears.
        values: Vec<(String, Option<String>)>,
    },
    /// Open the attribute editor of the selected span (keyboard).
    EditAttributes,
    /// Add a fragment to a span.
    AddFragment {
        /// The span.
        span: SpanId,
        /// Start, in chars.
        start: usize,
        /// End, in chars.
        end: usize,
    },
    /// Add the text selection as a fragment of the span selected before it.
    AddSelectionAsFragment,
    /// Remove a span's fragment.
    RemoveFragment {
        /// The span.
        span: SpanId,
        /// Which fragment, in order.
        index: usize,
    },
    /// Set or clear (None) a span's note.
    SetNote {
        /// The span.
        span: SpanId,
        /// The note; None or empty clears it.
        note: Option<String>,
    },
    /// Link the selected span to a source: the next span clicked.
    StartLink,
    /// Link the selected claim or figure to the nearest source attribution:
    /// in its paragraph, else the previous one.
    LinkNearestSource,
    /// Link `from` to `to` (`attributed_to`).
    Link {
        /// The claim or figure.
        from: SpanId,
        /// Its source.
        to: SpanId,
    },
    /// Remove a link.
    RemoveLink(LinkId),

    // ---- selection and navigation ----
    /// A span was clicked: link to it while linking, otherwise select it
    /// (scrolling to it when the click came from the span list).
    ClickSpan {
        /// The span clicked.
        span: SpanId,
        /// Scroll the text to it.
        scroll: bool,
    },
    /// Select a span and scroll to it (None clears the span selection).
    SelectSpan(Option<SpanId>),
    /// Select the next span in the article.
    NextSpan,
    /// Select the previous span in the article.
    PrevSpan,
    /// Select the next claim or figure that has no source.
    NextUnsourced,
    /// Select the previous claim or figure that has no source.
    PrevUnsourced,
    /// Select the sentence around the caret.
    SelectSentence,
    /// Move or extend (`extend`) the caret.
    Caret {
        /// How.
        motion: Motion,
        /// Keep the anchor (Shift).
        extend: bool,
    },
    /// Cancel linking, or clear the selection.
    Cancel,
    /// Show or hide a label in the span list.
    SetLabelShown(LabelId, bool),
    /// Show or hide the keyboard shortcuts.
    ToggleHelp,
    /// Larger text and controls.
    ZoomIn,
    /// Smaller text and controls.
    ZoomOut,
    /// Back to 100%.
    ZoomReset,
    /// Choose the colour theme.
    SetTheme(Theme),
    /// Show or hide a side panel.
    TogglePanel(SidePanel),

    // ---- sources ----
    /// Open the source picker for the selected source span.
    PickSource,
    /// Make a source span mention an entry (None: none).
    AssignSource {
        /// The source span.
        span: SpanId,
        /// The entry.
        source: Option<SourceId>,
    },
    /// Add a registry entry (its id is given then) and assign it to a
    /// source span, as one undo step.
    NewSourceFor {
        /// The source span.
        span: SpanId,
        /// The entry.
        entry: Box<SourceEntry>,
    },
    /// Replace an entry's fields (rename, kind…).
    UpdateSource(Box<SourceEntry>),
    /// Merge entry `from` into `into`.
    MergeSources {
        /// The entry that goes.
        from: SourceId,
        /// The entry that stays.
        into: SourceId,
    },
    /// Split mentions off an entry into a new one.
    SplitSource {
        /// The entry.
        source: SourceId,
        /// The mentions that move.
        spans: Vec<SpanId>,
        /// The new entry's name.
        name: String,
    },
    /// Remove an entry (its mentions become unassigned).
    RemoveSource(SourceId),
    /// Show or hide the Sources window (the registry).
    ToggleSources,
    /// Show or hide the Sourcing view (the analysis and its charts).
    ToggleSourcing,
    /// Show or hide the Learning panel (the taggers and their scores).
    ToggleLearning,
    /// Turn a label's learned suggestions on or off, or set the lowest
    /// confidence shown (one undoable step).
    SetLearned(crate::model::LabelId, crate::model::LearnedSetting),
}

impl UiCommand {
    /// True for commands that open a dialog or field that takes typing:
    /// once one of them came from a key, the rest of that frame's keys
    /// belong to it, not to the workbench.
    pub fn takes_the_keyboard(&self) -> bool {
        matches!(
            self,
            UiCommand::Open
                | UiCommand::SaveAs
                | UiCommand::AddArticles
                | UiCommand::AddFromUrl
                | UiCommand::PasteArticle
                | UiCommand::RenameDocument
                | UiCommand::ArticleInfo
                | UiCommand::RenameProjectDialog
                | UiCommand::EditLabels
                | UiCommand::EditPatterns
                | UiCommand::AskCompare
                | UiCommand::Export
                | UiCommand::ImportAnnotations
                | UiCommand::ReplaceText
                | UiCommand::EditAttributes
                | UiCommand::OpenFind
                | UiCommand::PickSource
        )
    }
}

/// A FIFO of commands emitted during one frame.
#[derive(Debug, Default)]
pub struct CommandQueue(VecDeque<UiCommand>);

impl CommandQueue {
    /// Adds a command to run after drawing.
    pub fn push(&mut self, command: UiCommand) {
        self.0.push_back(command);
    }

    /// Takes the oldest command.
    pub fn pop(&mut self) -> Option<UiCommand> {
        self.0.pop_front()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where a shortcut is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    /// Everywhere, even while typing in a text field (Ctrl+S…).
    Global,
    /// Only while no text field has the keyboard (plain keys: J, L, Delete…).
    Workbench,
}

impl KeyContext {
    /// True when shortcuts of the two contexts can fire at the same moment.
    pub fn overlaps(self, other: KeyContext) -> bool {
        self == KeyContext::Global || other == KeyContext::Global || self == other
    }
}

/// The menu a binding appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// File.
    File,
    /// Edit.
    Edit,
    /// Tag (after the label entries).
    Tag,
    /// View.
    View,
    /// Article.
    Article,
    /// Project.
    Project,
    /// Help.
    Help,
    /// In no menu (listed in the help only).
    None,
}

/// One row of the keymap.
#[derive(Debug)]
pub struct Binding {
    /// What the keys do.
    pub command: UiCommand,
    /// Menu and help text; bindings with the same title share a help row.
    pub title: &'static str,
    /// The keys; the first is shown in menus.
    pub keys: &'static [KeyboardShortcut],
    /// When the keys are live.
    pub context: KeyContext,
    /// Which menu shows it.
    pub menu: Menu,
    /// A separator goes above this entry in its menu.
    pub separator_before: bool,
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CMD: Modifiers = Modifiers::COMMAND;
const ALT: Modifiers = Modifiers::ALT;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};
const ALT_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::ALT
};
const CMD_ALT: Modifiers = Modifiers {
    alt: true,
    ..Modifiers::COMMAND
};
const CMD_ALT_SHIFT: Modifiers = Modifiers {
    alt: true,
    shift: true,
    ..Modifiers::COMMAND
};

const fn bind(
    command: UiCommand,
    title: &'static str,
    keys: &'static [KeyboardShortcut],
    context: KeyContext,
    menu: Menu,
) -> Binding {
    Binding {
        command,
        title,
        keys,
        context,
        menu,
        separator_before: false,
    }
}

const fn after_separator(mut b: Binding) -> Binding {
    b.separator_before = true;
    b
}

use KeyContext::{Global, Workbench};

const fn caret(motion: Motion, extend: bool) -> UiCommand {
    UiCommand::Caret { motion, extend }
}

/// Every keyed command, in menu order. Commands that only come from panels
/// (a click on a link's ✕, a dialog's button) are not listed.
pub static KEYMAP: &[Binding] = &[
    // File.
    bind(
        UiCommand::NewProject,
        "New project",
        &[sc(CMD, Key::N)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::Open,
        "Open…",
        &[sc(CMD, Key::O)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::Save,
        "Save",
        &[sc(CMD, Key::S)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::SaveAs,
        "Save as…",
        &[sc(CMD_SHIFT, Key::S)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::RenameProjectDialog,
        "Rename project…",
        &[],
        Workbench,
        Menu::Project,
    ),
    bind(
        UiCommand::EditLabels,
        "Labels…",
        &[],
        Workbench,
        Menu::Project,
    ),
    bind(
        UiCommand::EditPatterns,
        "Suggestion rules…",
        &[],
        Workbench,
        Menu::Project,
    ),
    after_separator(bind(
        UiCommand::AskCompare,
        "Compare with…",
        &[],
        Workbench,
        Menu::Project,
    )),
    bind(
        UiCommand::EndCompare,
        "End comparison",
        &[],
        Workbench,
        Menu::Project,
    ),
    bind(
        UiCommand::CloseProject,
        "Close project",
        &[sc(CMD, Key::W)],
        Global,
        Menu::File,
    ),
    after_separator(bind(
        UiCommand::AddArticles,
        "Add articles…",
        &[sc(CMD_SHIFT, Key::A)],
        Global,
        Menu::File,
    )),
    bind(
        UiCommand::AddFolder,
        "Add a folder of articles…",
        &[sc(CMD_ALT, Key::A)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::AddFromUrl,
        "Add from URL…",
        &[sc(CMD_SHIFT, Key::L)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::PasteArticle,
        "Paste article…",
        &[sc(CMD_SHIFT, Key::V)],
        Global,
        Menu::File,
    ),
    bind(
        UiCommand::RenameDocument,
        "Rename article…",
        &[sc(NONE, Key::F2)],
        Workbench,
        Menu::Article,
    ),
    bind(
        UiCommand::ArticleInfo,
        "Article info (URL, author, date)…",
        &[sc(CMD, Key::I)],
        Workbench,
        Menu::Article,
    ),
    bind(
        UiCommand::ReplaceText,
        "Replace text…",
        &[sc(CMD_SHIFT, Key::R)],
        Global,
        Menu::Article,
    ),
    bind(
        UiCommand::ReattachOrphan,
        "Re-attach orphan to selection",
        &[sc(NONE, Key::R)],
        Workbench,
        Menu::Article,
    ),
    after_separator(bind(
        UiCommand::MarkArticle(DocStatus::Done),
        "Mark article done",
        &[sc(CMD, Key::D)],
        Workbench,
        Menu::Article,
    )),
    bind(
        UiCommand::MarkArticle(DocStatus::Skipped),
        "Mark article skipped",
        &[sc(CMD, Key::K)],
        Workbench,
        Menu::Article,
    ),
    bind(
        UiCommand::MarkArticle(DocStatus::InProgress),
        "Mark article in progress",
        &[],
        Workbench,
        Menu::Article,
    ),
    bind(
        UiCommand::MarkArticle(DocStatus::New),
        "Mark article new",
        &[],
        Workbench,
        Menu::Article,
    ),
    after_separator(bind(
        UiCommand::RemoveDocument,
        "Remove article…",
        &[],
        Workbench,
        Menu::Article,
    )),
    after_separator(bind(
        UiCommand::Export,
        "Export…",
        &[sc(CMD, Key::E)],
        Global,
        Menu::File,
    )),
    bind(
        UiCommand::ImportAnnotations,
        "Import annotations…",
        &[sc(CMD_SHIFT, Key::I)],
        Global,
        Menu::File,
    ),
    after_separator(bind(
        UiCommand::Quit,
        "Quit",
        &[sc(CMD, Key::Q)],
        Global,
        Menu::File,
    )),
    // Edit.
    bind(
        UiCommand::Undo,
        "Undo",
        &[sc(CMD, Key::Z)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::Redo,
        "Redo",
        &[sc(CMD_SHIFT, Key::Z), sc(CMD, Key::Y)],
        Workbench,
        Menu::Edit,
    ),
    after_separator(bind(
        UiCommand::DeleteSelected,
        "Delete span",
        &[sc(NONE, Key::Delete), sc(NONE, Key::Backspace)],
        Workbench,
        Menu::Edit,
    )),
    bind(
        UiCommand::StartLink,
        "Link to source…",
        &[sc(NONE, Key::L)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::LinkNearestSource,
        "Link to the nearest source",
        &[sc(SHIFT, Key::L)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::Cancel,
        "Cancel linking / clear selection",
        &[sc(NONE, Key::Escape)],
        Workbench,
        Menu::Edit,
    ),
    // Tag: selection helpers and navigation (the labels come first).
    after_separator(bind(
        caret(Motion::ClauseEnd, true),
        "Select to the end of the clause",
        &[sc(NONE, Key::E)],
        Workbench,
        Menu::Tag,
    )),
    bind(
        caret(Motion::SentenceEnd, true),
        "Select to the end of the sentence",
        &[sc(SHIFT, Key::E)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::SelectSentence,
        "Select the sentence",
        &[sc(NONE, Key::S)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::AddSelectionAsFragment,
        "Add the selection as a fragment of the last span",
        &[sc(NONE, Key::F)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::NewEvent,
        "New event with the selected span as trigger…",
        &[sc(CMD_SHIFT, Key::E)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::AddToEvent,
        "Add the selected span to the event being built…",
        &[sc(ALT, Key::A)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::PickSource,
        "Who says so? Assign the selected source span to a source…",
        &[sc(NONE, Key::W)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::EditAttributes,
        "Edit the selected span's attributes…",
        &[sc(NONE, Key::V)],
        Workbench,
        Menu::Tag,
    ),
    after_separator(bind(
        UiCommand::NextSpan,
        "Next span",
        &[sc(NONE, Key::Tab), sc(NONE, Key::J)],
        Workbench,
        Menu::Tag,
    )),
    bind(
        UiCommand::PrevSpan,
        "Previous span",
        &[sc(SHIFT, Key::Tab), sc(NONE, Key::K)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::NextUnsourced,
        "Next claim or figure without a source",
        &[sc(NONE, Key::U)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::PrevUnsourced,
        "Previous claim or figure without a source",
        &[sc(SHIFT, Key::U)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::NextArticle,
        "Next article",
        &[sc(CMD, Key::PageDown)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::PrevArticle,
        "Previous article",
        &[sc(CMD, Key::PageUp)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::NextUnfinished,
        "Next article not done",
        &[sc(CMD_SHIFT, Key::PageDown)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::PrevUnfinished,
        "Previous article not done",
        &[sc(CMD_SHIFT, Key::PageUp)],
        Workbench,
        Menu::Tag,
    ),
    bind(
        UiCommand::GoToArticle,
        "Go to article… (filter by title, number or file)",
        &[sc(CMD, Key::G), sc(CMD, Key::P)],
        Workbench,
        Menu::Article,
    ),
    // Find and suggest (Edit menu).
    after_separator(bind(
        UiCommand::OpenFind,
        "Find…",
        &[sc(CMD, Key::F)],
        Global,
        Menu::Edit,
    )),
    bind(
        UiCommand::FindNext,
        "Find next",
        &[sc(NONE, Key::F3)],
        Global,
        Menu::Edit,
    ),
    bind(
        UiCommand::FindPrev,
        "Find previous",
        &[sc(SHIFT, Key::F3)],
        Global,
        Menu::Edit,
    ),
    after_separator(bind(
        UiCommand::NextSuggestion,
        "Next suggestion",
        &[sc(NONE, Key::G)],
        Workbench,
        Menu::Edit,
    )),
    bind(
        UiCommand::PrevSuggestion,
        "Previous suggestion",
        &[sc(SHIFT, Key::G)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::AcceptSuggestion,
        "Accept suggestion",
        &[sc(NONE, Key::A)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::RejectSuggestion,
        "Reject suggestion",
        &[sc(NONE, Key::X)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::AcceptRule,
        "Accept all of this rule in the article",
        &[sc(SHIFT, Key::A)],
        Workbench,
        Menu::Edit,
    ),
    bind(
        UiCommand::MoreLikeThis,
        "Suggest more like this span",
        &[sc(NONE, Key::M)],
        Workbench,
        Menu::Edit,
    ),
    // Review (Project menu): conflicts and disagreements.
    after_separator(bind(
        UiCommand::ReviewNext,
        "Next conflict or disagreement",
        &[sc(NONE, Key::N)],
        Workbench,
        Menu::Project,
    )),
    bind(
        UiCommand::ReviewPrev,
        "Previous conflict or disagreement",
        &[sc(SHIFT, Key::N)],
        Workbench,
        Menu::Project,
    ),
    bind(
        UiCommand::Settle(crate::team::compare::Take::Ours),
        "Keep ours",
        &[sc(NONE, Key::O)],
        Workbench,
        Menu::Project,
    ),
    bind(
        UiCommand::Settle(crate::team::compare::Take::Theirs),
        "Take theirs",
        &[sc(NONE, Key::T)],
        Workbench,
        Menu::Project,
    ),
    bind(
        UiCommand::Settle(crate::team::compare::Take::Both),
        "Keep both",
        &[sc(NONE, Key::B)],
        Workbench,
        Menu::Project,
    ),
    // View.
    bind(
        UiCommand::ZoomIn,
        "Zoom in",
        &[sc(CMD, Key::Equals), sc(CMD, Key::Plus)],
        Global,
        Menu::View,
    ),
    bind(
        UiCommand::ZoomOut,
        "Zoom out",
        &[sc(CMD, Key::Minus)],
        Global,
        Menu::View,
    ),
    bind(
        UiCommand::ZoomReset,
        "Actual size",
        &[sc(CMD, Key::Num0)],
        Global,
        Menu::View,
    ),
    bind(
        UiCommand::ToggleSuggestions,
        "Suggestions",
        &[],
        Workbench,
        Menu::View,
    ),
    after_separator(bind(
        UiCommand::ToggleSourcing,
        "Sourcing view",
        &[sc(CMD_SHIFT, Key::O)],
        Global,
        Menu::View,
    )),
    bind(
        UiCommand::ToggleSources,
        "Sources (the registry)",
        &[sc(CMD_SHIFT, Key::U)],
        Global,
        Menu::View,
    ),
    bind(
        UiCommand::ToggleLearning,
        "Learning (learned suggestions)",
        &[sc(CMD_SHIFT, Key::M)],
        Global,
        Menu::View,
    ),
    after_separator(bind(
        UiCommand::SetTheme(Theme::System),
        "Theme: follow the system",
        &[],
        Workbench,
        Menu::View,
    )),
    bind(
        UiCommand::SetTheme(Theme::Light),
        "Theme: light",
        &[],
        Workbench,
        Menu::View,
    ),
    bind(
        UiCommand::SetTheme(Theme::Dark),
        "Theme: dark",
        &[],
        Workbench,
        Menu::View,
    ),
    after_separator(bind(
        UiCommand::TogglePanel(SidePanel::Articles),
        "Show the article list",
        &[],
        Workbench,
        Menu::View,
    )),
    bind(
        UiCommand::TogglePanel(SidePanel::Spans),
        "Show the span list",
        &[],
        Workbench,
        Menu::View,
    ),
    // Help.
    bind(
        UiCommand::ToggleHelp,
        "Keyboard shortcuts",
        &[sc(NONE, Key::F1), sc(NONE, Key::Questionmark)],
        Global,
        Menu::Help,
    ),
    // Caret and selection (the text view).
    bind(
        caret(Motion::Left, false),
        "Move the caret",
        &[
            sc(NONE, Key::ArrowLeft),
            sc(NONE, Key::ArrowRight),
            sc(NONE, Key::ArrowUp),
            sc(NONE, Key::ArrowDown),
            sc(NONE, Key::Home),
            sc(NONE, Key::End),
        ],
        Workbench,
        Menu::None,
    ),
    bind(
        caret(Motion::PageUp, false),
        "Move the caret by a page",
        &[sc(NONE, Key::PageUp), sc(NONE, Key::PageDown)],
        Workbench,
        Menu::None,
    ),
    bind(
        caret(Motion::DocStart, false),
        "Go to the start / end of the article",
        &[sc(CMD, Key::Home), sc(CMD, Key::End)],
        Workbench,
        Menu::None,
    ),
    bind(
        caret(Motion::WordLeft, false),
        "Move the caret by word",
        &[sc(CMD, Key::ArrowLeft), sc(CMD, Key::ArrowRight)],
        Workbench,
        Menu::None,
    ),
    bind(
        caret(Motion::Left, true),
        "Extend the selection",
        &[
            sc(SHIFT, Key::ArrowLeft),
            sc(SHIFT, Key::ArrowRight),
            sc(SHIFT, Key::ArrowUp),
            sc(SHIFT, Key::ArrowDown),
            sc(SHIFT, Key::Home),
            sc(SHIFT, Key::End),
            sc(SHIFT, Key::PageUp),
            sc(SHIFT, Key::PageDown),
            sc(CMD_SHIFT, Key::Home),
            sc(CMD_SHIFT, Key::End),
        ],
        Workbench,
        Menu::None,
    ),
    bind(
        caret(Motion::WordLeft, true),
        "Extend the selection by word",
        &[
            sc(CMD_SHIFT, Key::ArrowLeft),
            sc(CMD_SHIFT, Key::ArrowRight),
        ],
        Workbench,
        Menu::None,
    ),
    // Span nudges.
    bind(
        UiCommand::NudgeSelected(Edge::Start, Motion::Left),
        "Move the selected span's start",
        &[sc(ALT, Key::ArrowLeft), sc(ALT, Key::ArrowRight)],
        Workbench,
        Menu::None,
    ),
    bind(
        UiCommand::NudgeSelected(Edge::End, Motion::Left),
        "Move the selected span's end",
        &[
            sc(ALT_SHIFT, Key::ArrowLeft),
            sc(ALT_SHIFT, Key::ArrowRight),
        ],
        Workbench,
        Menu::None,
    ),
    bind(
        UiCommand::NudgeSelected(Edge::Start, Motion::WordLeft),
        "Move the selected span's start or end by word",
        &[
            sc(CMD_ALT, Key::ArrowLeft),
            sc(CMD_ALT, Key::ArrowRight),
            sc(CMD_ALT_SHIFT, Key::ArrowLeft),
            sc(CMD_ALT_SHIFT, Key::ArrowRight),
        ],
        Workbench,
        Menu::None,
    ),
];

/// The command a key of `binding` stands for. Most rows have one command
/// for all their keys; the grouped rows (arrows, Shift+arrows, page keys,
/// nudges) map each key to its own motion or edge.
pub fn command_for(binding: &Binding, key: &KeyboardShortcut) -> UiCommand {
    let motion = match (key.logical_key, key.modifiers.command) {
        (Key::ArrowLeft, _) => Motion::Left,
        (Key::ArrowRight, _) => Motion::Right,
        (Key::ArrowUp, _) => Motion::Up,
        (Key::ArrowDown, _) => Motion::Down,
        (Key::Home, false) => Motion::LineStart,
        (Key::End, false) => Motion::LineEnd,
        (Key::Home, true) => Motion::DocStart,
        (Key::End, true) => Motion::DocEnd,
        (Key::PageUp, _) => Motion::PageUp,
        _ => Motion::PageDown,
    };
    let word = |m: Motion| match m {
        Motion::Left => Motion::WordLeft,
        _ => Motion::WordRight,
    };
    match binding.command {
        UiCommand::Caret {
            motion: Motion::Left | Motion::PageUp | Motion::DocStart,
            extend,
        } => UiCommand::Caret { motion, extend },
        UiCommand::Caret {
            motion: Motion::WordLeft,
            extend,
        } => UiCommand::Caret {
            motion: word(motion),
            extend,
        },
        UiCommand::NudgeSelected(edge, Motion::Left) => UiCommand::NudgeSelected(edge, motion),
        UiCommand::NudgeSelected(_, Motion::WordLeft) => {
            let edge = if key.modifiers.shift {
                Edge::End
            } else {
                Edge::Start
            };
            UiCommand::NudgeSelected(edge, word(motion))
        }
        ref other => other.clone(),
    }
}

/// How a shortcut is written in menus and the help: "Ctrl+Shift+Z", "?",
/// "Alt+←", "Esc".
pub fn key_text(shortcut: &KeyboardShortcut) -> String {
    let m = shortcut.modifiers;
    let mut out = String::new();
    if m.mac_cmd || (m.command && cfg!(target_os = "macos")) {
        out.push_str("Cmd+");
    } else if m.ctrl || m.command {
        out.push_str("Ctrl+");
    }
    if m.alt {
        out.push_str("Alt+");
    }
    if m.shift {
        out.push_str("Shift+");
    }
    out.push_str(match shortcut.logical_key {
        Key::ArrowLeft => "←",
        Key::ArrowRight => "→",
        Key::ArrowUp => "↑",
        Key::ArrowDown => "↓",
        Key::Escape => "Esc",
        Key::Minus => "-",
        k => k.symbol_or_name(),
    });
    out
}

/// The binding whose command is `command`, for its title and shortcut.
pub fn binding_of(command: &UiCommand) -> Option<&'static Binding> {
    KEYMAP.iter().find(|b| &b.command == command)
}

/// The workbench command a typed character also presses, if any: a label
/// hotkey on it would run the command and tag at once. Letters typed with
/// Shift (`A`) are the Shift+key shortcut.
pub fn command_on_typed_key(c: char) -> Option<&'static Binding> {
    let upper: String = c.to_uppercase().collect();
    let key = Key::from_name(&upper).or_else(|| Key::from_name(&c.to_string()))?;
    let modifiers = if c.is_uppercase() { SHIFT } else { NONE };
    KEYMAP.iter().find(|b| {
        b.context == KeyContext::Workbench
            && b.keys
                .iter()
                .any(|k| k.logical_key == key && k.modifiers == modifiers)
    })
}

/// Every (shortcut, command) pair, more modifiers first: egui matches
/// Ctrl+Z "logically" even while Shift is down, so Ctrl+Shift+Z must be
/// tried before it.
pub fn shortcuts_by_precedence() -> Vec<(KeyboardShortcut, &'static Binding)> {
    let mut all: Vec<(KeyboardShortcut, &'static Binding)> = KEYMAP
        .iter()
        .flat_map(|b| b.keys.iter().map(move |k| (*k, b)))
        .collect();
    all.sort_by_key(|(k, _)| std::cmp::Reverse(modifier_count(k.modifiers)));
    all
}

fn modifier_count(m: Modifiers) -> u8 {
    m.shift as u8 + m.ctrl as u8 + m.command as u8 + m.alt as u8 + m.mac_cmd as u8
}

/// Keys that are not shortcuts, listed in the help after the keymap.
pub const POINTER_KEYS: &[(&str, &str)] = &[
    ("Drag", "Select text (snaps to words)"),
    ("Alt + drag", "Select exact characters (no word snapping)"),
    ("Shift + click", "Extend the selection"),
    ("Double-click", "Select a word"),
    (
        "Click a span",
        "Select it; click again where spans overlap to cycle",
    ),
    (
        "Ctrl + drag",
        "Add the dragged text as a fragment of the selected span (a discontinuous span)",
    ),
    (
        "Enter, Shift + Enter (in the find field)",
        "Next / previous match",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The clashes in `keymap`: two bindings live at the same time on one
    /// key, a key twice in a row, or a label hotkey on a plain command key.
    fn clashes(keymap: &[Binding], labels: &[crate::model::Label]) -> Vec<String> {
        let mut clashes = Vec::new();
        for (i, a) in keymap.iter().enumerate() {
            for b in keymap.iter().skip(i + 1) {
                if !a.context.overlaps(b.context) {
                    continue;
                }
                for ka in a.keys {
                    if b.keys.contains(ka) {
                        clashes.push(format!("{:?}: {} / {}", ka, a.title, b.title));
                    }
                }
            }
            // Within one row, each key once.
            for (j, k) in a.keys.iter().enumerate() {
                if a.keys[j + 1..].contains(k) {
                    clashes.push(format!("{k:?} twice in {}", a.title));
                }
            }
        }
        for label in labels {
            let Some(c) = label.hotkey else { continue };
            if let Some(b) = command_on_typed_key(c) {
                clashes.push(format!("label key {c} / {}", b.title));
            }
        }
        clashes
    }

    /// Two bindings live at the same time must not share a key (rerun's
    /// shortcut-clash test). Label hotkeys of the default schema must not
    /// take a plain key of the keymap either.
    #[test]
    fn no_two_commands_share_a_shortcut_in_one_context() {
        let found = clashes(KEYMAP, &crate::model::default_schema());
        assert!(found.is_empty(), "shortcut clashes: {found:#?}");
    }

    #[test]
    fn the_clash_check_finds_clashes() {
        const CTRL_S: &[KeyboardShortcut] = &[sc(CMD, Key::S)];
        const K_TWICE: &[KeyboardShortcut] = &[sc(NONE, Key::K), sc(NONE, Key::K)];
        let keymap = [
            bind(UiCommand::Save, "Save", CTRL_S, Global, Menu::File),
            // Live everywhere: clashes with Save while not typing too.
            bind(UiCommand::NextSpan, "Next", CTRL_S, Workbench, Menu::None),
            bind(UiCommand::PrevSpan, "Prev", K_TWICE, Workbench, Menu::None),
        ];
        let mut labels = crate::model::default_schema();
        labels[0].hotkey = Some('l'); // the link key
        let found = clashes(&keymap, &labels);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("Save / Next"));
        assert!(found[1].contains("twice in Prev"));
        assert!(found[2].starts_with("label key l / "));
    }

    #[test]
    fn typed_keys_are_matched_to_their_commands() {
        let title = |c| command_on_typed_key(c).map(|b| b.title);
        assert_eq!(title('l'), Some("Link to source…"));
        assert_eq!(
            title('x'),
            binding_of(&UiCommand::RejectSuggestion).map(|b| b.title)
        );
        assert_eq!(
            title('A'),
            binding_of(&UiCommand::AcceptRule).map(|b| b.title)
        );
        assert_eq!(title('1'), None, "a label's key");
        assert_eq!(title('q'), None);
    }

    #[test]
    fn grouped_rows_map_each_key_to_its_own_motion() {
        let extend = binding_of(&UiCommand::Caret {
            motion: Motion::Left,
            extend: true,
        })
        .expect("extend row");
        assert_eq!(
            command_for(extend, &sc(SHIFT, Key::End)),
            UiCommand::Caret {
                motion: Motion::LineEnd,
                extend: true
            }
        );
        assert_eq!(
            command_for(extend, &sc(CMD_SHIFT, Key::End)),
            UiCommand::Caret {
                motion: Motion::DocEnd,
                extend: true
            }
        );
        let doc = binding_of(&UiCommand::Caret {
            motion: Motion::DocStart,
            extend: false,
        })
        .expect("doc row");
        assert_eq!(
            command_for(doc, &sc(CMD, Key::End)),
            UiCommand::Caret {
                motion: Motion::DocEnd,
                extend: false
            }
        );
        let words = binding_of(&UiCommand::Caret {
            motion: Motion::WordLeft,
            extend: false,
        })
        .expect("word row");
        assert_eq!(
            command_for(words, &sc(CMD, Key::ArrowRight)),
            UiCommand::Caret {
                motion: Motion::WordRight,
                extend: false
            }
        );
        let nudge = binding_of(&UiCommand::NudgeSelected(Edge::Start, Motion::WordLeft))
            .expect("nudge row");
        assert_eq!(
            command_for(nudge, &sc(CMD_ALT_SHIFT, Key::ArrowRight)),
            UiCommand::NudgeSelected(Edge::End, Motion::WordRight)
        );
    }

    #[test]
    fn keys_are_written_as_users_read_them() {
        assert_eq!(key_text(&sc(NONE, Key::Questionmark)), "?");
        assert_eq!(
            key_text(&sc(CMD_SHIFT, Key::Z)),
            if cfg!(target_os = "macos") {
                "Cmd+Shift+Z"
            } else {
                "Ctrl+Shift+Z"
            }
        );
        assert_eq!(key_text(&sc(ALT_SHIFT, Key::ArrowLeft)), "Alt+Shift+←");
        assert_eq!(key_text(&sc(NONE, Key::Escape)), "Esc");
    }

    #[test]
    fn more_modifiers_are_tried_first() {
        let order = shortcuts_by_precedence();
        let pos = |k: KeyboardShortcut| {
            order
                .iter()
                .position(|(s, _)| *s == k)
                .unwrap_or_else(|| panic!("{k:?} is not in the keymap"))
        };
        assert!(pos(sc(CMD_SHIFT, Key::Z)) < pos(sc(CMD, Key::Z)));
        assert!(pos(sc(SHIFT, Key::A)) < pos(sc(NONE, Key::A)));
    }
}
