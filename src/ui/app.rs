//! The workbench's state: the open project and how it is viewed, notices,
//! the modal, jobs and the command queue. Drawing lives in `panels/`,
//! changes in `dispatch.rs`.

use super::commands::{CommandQueue, UiCommand};
use super::files::{AppDirs, Dialogs, RecentList, Settings};
use super::jobs::Jobs;
use super::modals::Modal;
use super::text_view::{DocView, Selection};
use crate::formats::ExportFormat;
use crate::model::{DocId, History, LabelId, Project, SpanId};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How the app is started.
pub struct AppOptions {
    /// Project (.ron) or article (.txt) to open; None reopens the last project.
    pub open: Option<PathBuf>,
    /// Use rfd dialogs (false: typed paths only, as in tests).
    pub native_dialogs: bool,
    /// Where recent files and recovery files live.
    pub dirs: AppDirs,
    /// Minimum time between two recovery writes.
    pub autosave_interval: Duration,
    /// Reopen the most recent project when `open` is None.
    pub reopen_last: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            open: None,
            native_dialogs: true,
            dirs: AppDirs::from_env(),
            // With the quiet period, a kill loses at most about 4.8 s.
            autosave_interval: Duration::from_millis(4_500),
            reopen_last: true,
        }
    }
}

/// A message shown as a toast over the bottom of the window: information
/// closes itself after [`NOTICE_SECONDS`], errors stay until dismissed.
#[derive(Debug, Clone)]
pub struct Notice {
    /// True for errors (red), false for information.
    pub error: bool,
    /// The text.
    pub text: String,
    /// When it closes itself (None: when dismissed).
    pub expires: Option<Instant>,
}

/// How long an informational notice stays.
pub const NOTICE_SECONDS: u64 = 6;

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

/// What was selected when a command started or ended; undo restores the
/// first, redo the second (as helix's `Transaction::with_selection`).
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionMark {
    /// The article shown.
    pub doc: Option<DocId>,
    /// The selected span.
    pub span: Option<SpanId>,
    /// The caret or text selection in that article.
    pub text: Option<Selection>,
}

/// (history state, document, counts per label).
type CountsCache = (u64, DocId, Vec<(LabelId, usize)>);

/// An open project and everything about how it is being viewed.
pub struct Workspace {
    /// The project.
    pub project: Project,
    /// Its undo history.
    pub history: History,
    /// Where it is saved (None: never saved).
    pub path: Option<PathBuf>,
    /// The document shown.
    pub current: Option<DocId>,
    /// One view per opened document.
    pub views: HashMap<DocId, DocView>,
    /// The selected span.
    pub selected: Option<SpanId>,
    /// Linking from this span; the next span clicked becomes its source.
    pub link_from: Option<SpanId>,
    /// Labels hidden from the span list.
    pub hidden_labels: BTreeSet<LabelId>,
    /// The note being edited (span, text).
    pub note_draft: Option<(SpanId, String)>,
    /// Number and text attribute fields being edited.
    pub attr_drafts: HashMap<(SpanId, String), String>,
    /// The span a text selection would join as a fragment (F): the one
    /// selected before the selection was made.
    pub fragment_target: Option<SpanId>,
    /// Recovery file for this project.
    pub recovery_file: Option<PathBuf>,
    /// Opened skipping broken records: edits are refused until Save as….
    pub read_only: bool,
    /// Selection before and after each history state's command.
    pub(super) marks: HashMap<u64, (SelectionMark, SelectionMark)>,
    pub(super) list_cache: Option<super::span_list::SpanList>,
    pub(super) counts_cache: Option<CountsCache>,
    /// Another version shown beside ours (Project → Compare with…).
    pub compare: Option<super::review::Comparison>,
    /// Position in the review list (conflicts, then disagreements).
    pub review_cursor: usize,
    /// The find bar, when open.
    pub find: Option<super::assist::Find>,
    /// The current article's suggestions.
    pub suggestions: super::assist::Suggestions,
    /// The orphan that Re-attach and Discard act on.
    pub selected_orphan: Option<SpanId>,
}

impl Workspace {
    /// Wraps a project; the first document is shown.
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let current = project.documents().next().map(|d| d.id);
        Workspace {
            project,
            history: History::new(),
            path,
            current,
            views: HashMap::new(),
            selected: None,
            link_from: None,
            hidden_labels: BTreeSet::new(),
            note_draft: None,
            attr_drafts: HashMap::new(),
            fragment_target: None,
            recovery_file: None,
            read_only: false,
            marks: HashMap::new(),
            list_cache: None,
            counts_cache: None,
            compare: None,
            review_cursor: 0,
            find: None,
            suggestions: super::assist::Suggestions::default(),
            selected_orphan: None,
        }
    }

    /// True when there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// The view of the current document (created on demand).
    pub fn current_view(&mut self) -> Option<&mut DocView> {
        let doc = self.current?;
        let text = self.project.document(doc)?.text.clone();
        Some(
            self.views
                .entry(doc)
                .or_insert_with(|| DocView::new(doc, text)),
        )
    }

    /// The selected span's label.
    pub fn selected_label(&self) -> Option<&str> {
        self.selected
            .and_then(|id| self.project.span(id))
            .map(|s| s.label.as_str())
    }

    /// The current document's span list (label filter applied), brought
    /// up to date by following the edits since it was made: a 500k-span
    /// list costs microseconds per edit. None without a current document.
    fn span_list(&mut self) -> Option<(&super::span_list::SpanList, &Project)> {
        let doc = self.current?;
        super::span_list::SpanList::refresh(
            &mut self.list_cache,
            &self.project,
            doc,
            &self.hidden_labels,
        );
        Some((self.list_cache.as_ref()?, &self.project))
    }

    /// Rows in the span list.
    pub fn span_list_len(&mut self) -> usize {
        self.span_list()
            .map_or(0, |(list, project)| list.len(project))
    }

    /// The spans at rows `rows` of the span list (clamped), in order.
    pub fn span_list_rows(&mut self, rows: std::ops::Range<usize>) -> Vec<SpanId> {
        self.span_list().map_or_else(Vec::new, |(list, project)| {
            list.rows(project, rows).into_iter().map(|r| r.1).collect()
        })
    }

    /// Span counts per label in the current document (cached).
    pub fn counts(&mut self) -> Vec<(LabelId, usize)> {
        let Some(doc) = self.current else {
            return Vec::new();
        };
        let state = self.history.current_state();
        match &self.counts_cache {
            Some((s, d, c)) if *s == state && *d == doc => c.clone(),
            _ => {
                let c = self.project.counts_by_label(Some(doc));
                self.counts_cache = Some((state, doc, c.clone()));
                c
            }
        }
    }

    /// Selects a span, shows its document and scrolls to it. Selection is
    /// view state, not a model change.
    pub fn select_span(&mut self, id: SpanId) {
        let Some(span) = self.project.span(id) else {
            return;
        };
        let (doc, start) = (span.doc, span.start);
        self.current = Some(doc);
        self.selected = Some(id);
        self.note_draft = None;
        if let Some(v) = self.current_view() {
            v.selection = None;
            v.scroll_to = Some(start);
        }
    }

    /// What is selected now.
    pub fn mark(&self) -> SelectionMark {
        SelectionMark {
            doc: self.current,
            span: self.selected,
            text: self
                .current
                .and_then(|d| self.views.get(&d))
                .and_then(|v| v.selection),
        }
    }

    /// Selects what `mark` names, as far as it still exists, and scrolls to it.
    pub fn restore_mark(&mut self, mark: &SelectionMark) {
        if let Some(doc) = mark.doc.filter(|d| self.project.document(*d).is_some()) {
            self.current = Some(doc);
        }
        self.selected = mark.span.filter(|s| self.project.span(*s).is_some());
        self.note_draft = None;
        let scroll = self
            .selected
            .and_then(|s| self.project.span(s))
            .map(|s| s.start)
            .or(mark.text.map(|t| t.head));
        let text = mark.text;
        if let Some(v) = self.current_view() {
            let len = v.text().char_len();
            v.selection = text.filter(|t| t.anchor.max(t.head) <= len);
            v.scroll_to = scroll.filter(|s| *s <= len);
        }
    }

    /// Drops state that refers to things that no longer exist.
    pub(super) fn after_change(&mut self) {
        let p = &self.project;
        if self.selected.is_some_and(|s| p.span(s).is_none()) {
            self.selected = None;
        }
        if self.link_from.is_some_and(|s| p.span(s).is_none()) {
            self.link_from = None;
        }
        if self.current.is_some_and(|d| p.document(d).is_none()) {
            self.current = p.documents().next().map(|d| d.id);
        }
        // A view whose article has another text now (replaced, or the
        // replacement undone) is made again; so are the find matches.
        let before = self.views.len();
        self.views.retain(|d, v| {
            p.document(*d)
                .is_some_and(|doc| std::sync::Arc::ptr_eq(doc.text.arc(), v.text().arc()))
        });
        if self.views.len() != before
            && let Some(find) = &mut self.find
        {
            find.refresh(&self.project, self.current);
        }
        if self.selected_orphan.is_some_and(|o| p.orphan(o).is_none()) {
            self.selected_orphan = None;
        }
    }
}

/// When the recovery file was last written, and for which state.
#[derive(Debug)]
pub(super) struct AutosaveClock {
    pub interval: Duration,
    pub last_write: Option<Instant>,
    pub last_state: u64,
    /// When the project last changed (state, time).
    pub last_change: Option<(u64, Instant)>,
}

/// The whole application.
pub struct App {
    /// The open project, if any (None: start screen).
    pub ws: Option<Workspace>,
    /// Recent projects.
    pub recent: RecentList,
    /// Messages shown until dismissed.
    pub notices: Vec<Notice>,
    /// The modal dialog shown, if any.
    pub modal: Option<Modal>,
    /// Commands emitted this frame, run after drawing.
    pub queue: CommandQueue,
    pub(super) dirs: AppDirs,
    pub(super) dialogs: Dialogs,
    pub(super) jobs: Jobs,
    /// Run after the running save succeeds (Save in the unsaved prompt).
    pub(super) after_save: Option<After>,
    pub(super) autosave: AutosaveClock,
    pub(super) last_title: String,
    pub(super) show_help: bool,
    pub(super) allow_close: bool,
    pub(super) untitled_id: String,
    /// Zoom, theme and panels, remembered between runs.
    pub settings: Settings,
    /// A text field had the keyboard at the end of the last frame (Esc
    /// leaves a field before our keys are read: its keys stay with it).
    pub(super) was_typing: bool,
}

impl App {
    /// Creates the app and starts opening `options.open` (or the last project).
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        let recent = RecentList::load(options.dirs.config.as_deref());
        let settings = Settings::load(options.dirs.config.as_deref());
        apply_settings(ctx, &settings);
        let mut app = App {
            ws: None,
            recent,
            notices: Vec::new(),
            modal: None,
            queue: CommandQueue::default(),
            dialogs: Dialogs::new(options.native_dialogs),
            jobs: Jobs::default(),
            after_save: None,
            autosave: AutosaveClock {
                interval: options.autosave_interval,
                last_write: None,
                last_state: 0,
                last_change: None,
            },
            last_title: String::new(),
            settings,
            was_typing: false,
            show_help: false,
            allow_close: false,
            untitled_id: chrono::Local::now()
                .format("untitled-%Y%m%d-%H%M%S")
                .to_string()
                + &format!("-{}", std::process::id()),
            dirs: options.dirs,
        };
        let target = options.open.or_else(|| {
            options
                .reopen_last
                .then(|| app.recent.paths.first().cloned())
                .flatten()
        });
        match target {
            Some(path) if is_text_file(&path) => {
                app.dispatch(
                    ctx,
                    UiCommand::UsePaths(super::files::DialogPurpose::AddArticles, vec![path]),
                );
            }
            Some(path) => app.dispatch(
                ctx,
                UiCommand::UsePaths(super::files::DialogPurpose::OpenProject, vec![path]),
            ),
            None => app.offer_unsaved_recoveries(),
        }
        app
    }

    /// Shows an error in the window and logs it to stderr.
    pub fn error(&mut self, text: impl Into<String>) {
        self.notify(true, text.into());
    }

    /// Shows an informational message and logs it to stderr.
    pub fn info(&mut self, text: impl Into<String>) {
        self.notify(false, text.into());
    }

    /// The one place notices are made, so each is also logged.
    fn notify(&mut self, error: bool, text: String) {
        let kind = if error { "error" } else { "info" };
        eprintln!("marginalia: {kind}: {text}");
        let expires = (!error).then(|| Instant::now() + Duration::from_secs(NOTICE_SECONDS));
        // The same message again replaces the old one instead of stacking.
        self.notices.retain(|n| n.text != text);
        self.notices.push(Notice {
            error,
            text,
            expires,
        });
    }

    /// Drops the notices whose time is up at `now`; returns when the next
    /// one will be, to repaint then.
    pub fn expire_notices(&mut self, now: Instant) -> Option<Duration> {
        self.notices.retain(|n| n.expires.is_none_or(|t| t > now));
        self.notices
            .iter()
            .filter_map(|n| n.expires)
            .min()
            .map(|t| t.saturating_duration_since(now))
    }

    /// True while work the user waits on runs in the background.
    pub fn busy(&self) -> bool {
        self.jobs.busy()
    }

    /// What the spinner says, when something runs.
    pub fn job_description(&self) -> Option<String> {
        self.jobs.describe()
    }

    /// Title for the window: project name, `*` when dirty.
    pub fn window_title(&self) -> String {
        match &self.ws {
            Some(ws) => format!(
                "{}{}{} — Marginalia",
                ws.project.name(),
                if ws.read_only { " (read-only)" } else { "" },
                if ws.is_dirty() { " *" } else { "" }
            ),
            None => "Marginalia".into(),
        }
    }

    /// True once the app has agreed to close the window (Quit with nothing
    /// left unsaved, or after Save or Discard in the prompt).
    pub fn will_close(&self) -> bool {
        self.allow_close
    }

    /// Runs one command now (tests and the headless driver; the window
    /// queues commands and runs them after drawing).
    pub fn run(&mut self, ctx: &egui::Context, command: UiCommand) {
        self.dispatch(ctx, command);
    }
}

/// Applies zoom and theme; our keymap owns the zoom keys (so that they
/// show in menus and help), so egui's own zoom keys are turned off.
pub(super) fn apply_settings(ctx: &egui::Context, s: &Settings) {
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
    ctx.set_zoom_factor(s.zoom);
    ctx.set_theme(match s.theme {
        super::commands::Theme::System => egui::ThemePreference::System,
        super::commands::Theme::Light => egui::ThemePreference::Light,
        super::commands::Theme::Dark => egui::ThemePreference::Dark,
    });
}

/// True for paths that are articles rather than projects.
pub(super) fn is_text_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// A file-name-safe version of a project name.
pub(super) fn safe_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "project".into()
    } else {
        s.chars().take(60).collect()
    }
}

/// A sensible export destination: next to the project, named after it.
pub(super) fn default_export_path(ws: &Workspace, format: ExportFormat) -> String {
    let dir = ws
        .path
        .as_ref()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let stem = safe_stem(ws.project.name());
    let name = match format.extension() {
        Some(ext) => format!("{stem}.{ext}"),
        None => format!("{stem}-brat"),
    };
    dir.join(name).display().to_string()
}
