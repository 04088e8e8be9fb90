//! The workbench application: state, actions, panels and modals.

use super::actions::Action;
use super::files::{
    AppDirs, DialogPurpose, DialogResult, Dialogs, Job, RecentList, Recovery, find_recoveries,
    recovery_path_for, write_recovery,
};
use super::text_view::{DocView, Selection};
use crate::formats::text::import_file;
use crate::formats::{self, ExportFormat, Filter, ImportFormat};
use crate::model::{Command, DocId, History, LabelId, Project, SpanId};
use crate::store;
use egui::{Key, Modifiers};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Recovery writes wait for this long a pause in editing (or at most this
/// much past the interval), so the snapshot never lands mid-gesture.
const AUTOSAVE_QUIET: Duration = Duration::from_millis(300);

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
            // With the quiet period below, a kill loses at most about 4.8 s.
            autosave_interval: Duration::from_millis(4_500),
            reopen_last: true,
        }
    }
}

/// A message shown in the window until dismissed.
#[derive(Debug, Clone)]
pub struct Notice {
    /// True for errors (red), false for information.
    pub error: bool,
    /// The text.
    pub text: String,
}

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
}

/// Modal dialogs.
#[derive(Debug, Clone)]
pub enum ModalKind {
    /// Save / Discard / Cancel.
    Unsaved(After),
    /// Typed-path fallback for file dialogs.
    TypedPath {
        /// What the path is for.
        purpose: DialogPurpose,
        /// The path being typed.
        text: String,
        /// Why we ask (e.g. no dialog could be shown).
        why: Option<String>,
    },
    /// New article from pasted text.
    Paste {
        /// Title.
        title: String,
        /// Text.
        text: String,
    },
    /// Rename a document.
    Rename(DocId, String),
    /// Confirm removing a document.
    ConfirmRemove(DocId),
    /// Offer to restore recovery files.
    Recover(Vec<Recovery>),
    /// Export options.
    Export {
        /// Format.
        format: ExportFormat,
        /// Only the current article.
        current_only: bool,
        /// Only the labels shown in the span list.
        shown_labels_only: bool,
        /// Destination file (folder for brat).
        path: String,
    },
    /// Import options.
    Import {
        /// Format.
        format: ImportFormat,
        /// Input file or folder.
        path: String,
    },
}

/// (history state, document, counts per label).
type CountsCache = (u64, DocId, Vec<(LabelId, usize)>);
/// A loaded project, its path and its warnings; or why it failed.
type LoadOutcome = Result<(Project, Option<PathBuf>, Vec<String>), String>;
/// Where a save went, the history state it captured, and how it went.
type SaveOutcome = (PathBuf, u64, Result<(), String>);

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
    /// Recovery file for this project.
    pub recovery_file: Option<PathBuf>,
    pub(super) list_cache: Option<(u64, DocId, BTreeSet<LabelId>, Vec<SpanId>)>,
    pub(super) counts_cache: Option<CountsCache>,
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
            recovery_file: None,
            list_cache: None,
            counts_cache: None,
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

    /// Executes a command through the history; returns an error message.
    pub fn exec(&mut self, command: Command) -> Result<crate::model::Created, String> {
        let r = self.history.execute(&mut self.project, command);
        self.after_change();
        r.map_err(|e| e.to_string())
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
        self.views.retain(|d, _| p.document(*d).is_some());
    }

    /// Span ids of the current document passing the label filter, by position.
    /// Cached per history state so a 100k-span list costs nothing per frame.
    pub fn filtered_spans(&mut self) -> &[SpanId] {
        let Some(doc) = self.current else {
            return &[];
        };
        let state = self.history.current_state();
        let fresh = matches!(&self.list_cache, Some((s, d, f, _)) if *s == state && *d == doc && *f == self.hidden_labels);
        if !fresh {
            let hidden = &self.hidden_labels;
            let ids = self.project.span_ids_in(doc, |l| !hidden.contains(l));
            self.list_cache = Some((state, doc, self.hidden_labels.clone(), ids));
        }
        self.list_cache.as_ref().map_or(&[], |c| &c.3)
    }

    /// Forgets the cached span list and counts (used by the perf harness).
    pub fn invalidate_caches(&mut self) {
        self.list_cache = None;
        self.counts_cache = None;
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

    /// Selects a span, shows its document and scrolls to it.
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
}

/// The whole application.
pub struct App {
    /// The open project, if any (None: start screen).
    pub ws: Option<Workspace>,
    pub(super) dirs: AppDirs,
    /// Recent projects.
    pub recent: RecentList,
    /// Messages shown until dismissed.
    pub notices: Vec<Notice>,
    /// The modal dialog shown, if any.
    pub modal: Option<ModalKind>,
    pub(super) dialogs: Dialogs,
    pub(super) after_save: Option<After>,
    pub(super) pending_after: Option<After>,
    pub(super) load_job: Option<Job<LoadOutcome>>,
    pub(super) save_job: Option<Job<SaveOutcome>>,
    pub(super) import_job: Option<Job<Vec<Result<Command, String>>>>,
    pub(super) export_job: Option<Job<Result<formats::Written, String>>>,
    pub(super) annotations_job: Option<Job<Result<(Command, formats::Report), String>>>,
    pub(super) autosave_job: Option<Job<Result<(), String>>>,
    pub(super) autosave_interval: Duration,
    pub(super) last_autosave: Option<Instant>,
    pub(super) last_autosave_state: u64,
    pub(super) last_change: Option<(u64, Instant)>,
    pub(super) last_title: String,
    pub(super) show_help: bool,
    pub(super) allow_close: bool,
    pub(super) untitled_id: String,
}

impl App {
    /// Creates the app and starts opening `options.open` (or the last project).
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        let recent = RecentList::load(options.dirs.config.as_deref());
        let mut app = App {
            ws: None,
            recent,
            notices: Vec::new(),
            modal: None,
            dialogs: Dialogs::new(options.native_dialogs),
            after_save: None,
            pending_after: None,
            load_job: None,
            save_job: None,
            import_job: None,
            export_job: None,
            annotations_job: None,
            autosave_job: None,
            autosave_interval: options.autosave_interval,
            last_autosave: None,
            last_autosave_state: 0,
            last_change: None,
            last_title: String::new(),
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
            Some(path) if is_text_file(&path) => app.new_project_with_articles(ctx, vec![path]),
            Some(path) => app.start_load(ctx, path),
            None => app.offer_unsaved_recoveries(),
        }
        app
    }

    // ---- notices --------------------------------------------------------

    /// Shows an error in the window and logs it to stderr.
    pub fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        eprintln!("marginalia: error: {text}");
        self.notices.push(Notice { error: true, text });
    }

    /// Shows an informational message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            error: false,
            text: text.into(),
        });
    }

    /// True when some background job is running.
    pub fn busy(&self) -> bool {
        self.load_job.is_some()
            || self.save_job.is_some()
            || self.import_job.is_some()
            || self.export_job.is_some()
            || self.annotations_job.is_some()
    }

    // ---- opening and saving -------------------------------------------

    pub(super) fn start_load(&mut self, ctx: &egui::Context, path: PathBuf) {
        let p = path.clone();
        self.load_job = Some(Job::spawn(
            ctx,
            format!("Opening {}", path.display()),
            move || {
                store::load(&p)
                    .map(|l| {
                        let warnings = l
                            .warnings
                            .iter()
                            .map(|w| format!("{}: {w}", p.display()))
                            .collect();
                        (l.project, Some(p.clone()), warnings)
                    })
                    .map_err(|e| e.to_string())
            },
        ));
    }

    pub(super) fn open_loaded(
        &mut self,
        project: Project,
        path: Option<PathBuf>,
        warnings: Vec<String>,
    ) {
        for w in warnings {
            self.info(w);
        }
        if let Some(p) = &path {
            self.recent.touch(p);
            self.save_recent();
            let recoveries: Vec<Recovery> = find_recoveries(Some(p), &self.dirs)
                .into_iter()
                .filter(|r| {
                    let project_time = std::fs::metadata(p).and_then(|m| m.modified()).ok();
                    project_time.is_none_or(|t| r.modified >= t)
                })
                .collect();
            if !recoveries.is_empty() {
                self.modal = Some(ModalKind::Recover(recoveries));
            }
        }
        let mut ws = Workspace::new(project, path.clone());
        ws.recovery_file = path.as_deref().map(recovery_path_for);
        self.ws = Some(ws);
        self.last_autosave_state = 0;
    }

    pub(super) fn offer_unsaved_recoveries(&mut self) {
        let recoveries = find_recoveries(None, &self.dirs);
        if !recoveries.is_empty() {
            self.modal = Some(ModalKind::Recover(recoveries));
        }
    }

    pub(super) fn save_recent(&mut self) {
        if let Err(e) = self.recent.save(self.dirs.config.as_deref()) {
            eprintln!("marginalia: cannot save the recent-projects list: {e}");
        }
    }

    pub(super) fn new_project(&mut self) {
        let mut ws = Workspace::new(Project::new("Untitled project"), None);
        ws.history.mark_unsaved();
        ws.recovery_file = self.untitled_recovery_file();
        self.ws = Some(ws);
    }

    pub(super) fn untitled_recovery_file(&self) -> Option<PathBuf> {
        self.dirs
            .unsaved_recovery_dir()
            .map(|d| d.join(format!("{}.ron", self.untitled_id)))
    }

    pub(super) fn new_project_with_articles(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        self.new_project();
        self.start_import(ctx, paths);
    }

    /// Imports articles in the background; they are added as one undo step.
    pub(super) fn start_import(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        let n = paths.len();
        self.import_job = Some(Job::spawn(
            ctx,
            format!("Adding {n} article(s)"),
            move || {
                paths
                    .iter()
                    .map(|p| {
                        import_file(p)
                            .map(|t| Command::AddDocument {
                                title: t.title,
                                origin: t.origin,
                                text: t.text,
                            })
                            .map_err(|e| e.to_string())
                    })
                    .collect()
            },
        ));
    }

    /// Saves to `path` in the background; the project stays editable.
    pub fn start_save(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(ws) = &self.ws else {
            return;
        };
        let path = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path
        };
        let project = ws.project.clone();
        let state = ws.history.current_state();
        let p = path.clone();
        self.save_job = Some(Job::spawn(
            ctx,
            format!("Saving {}", path.display()),
            move || {
                let r = store::save(&project, &p).map_err(|e| e.to_string());
                (p, state, r)
            },
        ));
    }

    pub(super) fn finish_save(&mut self, path: PathBuf, state: u64, result: Result<(), String>) {
        match result {
            Ok(()) => {
                if let Some(ws) = &mut self.ws {
                    ws.history.mark_saved_state(state);
                    // The project is safely on disk: its recovery files go.
                    if let Some(rec) = ws.recovery_file.take() {
                        let _ = std::fs::remove_file(rec);
                    }
                    let _ = std::fs::remove_file(recovery_path_for(&path));
                    ws.path = Some(path.clone());
                    ws.recovery_file = Some(recovery_path_for(&path));
                }
                self.recent.touch(&path);
                self.save_recent();
                self.info(format!("Saved {}", path.display()));
                if let Some(after) = self.after_save.take() {
                    self.pending_after = Some(after);
                }
            }
            Err(e) => {
                self.after_save = None;
                self.error(format!(
                    "Not saved: {e}. Your work is still open; try Save as… to another folder."
                ));
            }
        }
    }

    /// Forgets unsaved changes' recovery file (after Discard).
    pub(super) fn discard_recovery(&mut self) {
        if let Some(ws) = &mut self.ws
            && let Some(rec) = ws.recovery_file.take()
        {
            let _ = std::fs::remove_file(rec);
        }
    }

    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if let Some(job) = &self.autosave_job {
            match job.poll() {
                Some(Ok(())) => self.autosave_job = None,
                Some(Err(e)) => {
                    self.autosave_job = None;
                    self.error(format!("Could not write the recovery file: {e}"));
                }
                None => return,
            }
        }
        let Some(ws) = &self.ws else {
            return;
        };
        let state = ws.history.current_state();
        if !ws.is_dirty() || state == self.last_autosave_state && self.last_autosave.is_some() {
            return;
        }
        // Track when the project last changed, so the write (which clones
        // the project on this thread) lands in a pause, not mid-gesture.
        if self.last_change.is_none_or(|(s, _)| s != state) {
            self.last_change = Some((state, Instant::now()));
        }
        let quiet = self
            .last_change
            .is_some_and(|(_, t)| t.elapsed() >= AUTOSAVE_QUIET);
        let since_write = self.last_autosave.map(|t| t.elapsed());
        let due = match since_write {
            None => quiet,
            Some(e) => {
                e >= self.autosave_interval
                    && (quiet || e >= self.autosave_interval + AUTOSAVE_QUIET)
            }
        };
        if !due {
            ctx.request_repaint_after(AUTOSAVE_QUIET);
            return;
        }
        let Some(file) = ws
            .recovery_file
            .clone()
            .or_else(|| self.untitled_recovery_file())
        else {
            return;
        };
        if ws.path.as_deref() == Some(file.as_path()) {
            return; // never write over the project itself
        }
        let project = ws.project.clone();
        self.last_autosave = Some(Instant::now());
        self.last_autosave_state = state;
        if let Some(ws) = &mut self.ws {
            ws.recovery_file = Some(file.clone());
        }
        self.autosave_job = Some(Job::spawn(ctx, "Writing recovery file".into(), move || {
            write_recovery(&project, &file)
        }));
    }

    // ---- actions ---------------------------------------------------------

    /// Runs a UI action (from a menu, a shortcut or a test).
    pub fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::NewProject => self.guard_unsaved(ctx, After::New),
            Action::Open => self.guard_unsaved(ctx, After::Open(None)),
            Action::CloseProject => self.guard_unsaved(ctx, After::Close),
            Action::Quit => self.guard_unsaved(ctx, After::Quit),
            Action::Save => match self.ws.as_ref().map(|w| w.path.clone()) {
                Some(Some(path)) => self.start_save(ctx, path),
                Some(None) => self.ask_path(ctx, DialogPurpose::SaveProjectAs),
                None => {}
            },
            Action::SaveAs => {
                if self.ws.is_some() {
                    self.ask_path(ctx, DialogPurpose::SaveProjectAs);
                }
            }
            Action::AddArticles => self.ask_path(ctx, DialogPurpose::AddArticles),
            Action::PasteArticle => {
                let text = arboard::Clipboard::new()
                    .and_then(|mut c| c.get_text())
                    .unwrap_or_default();
                let title = crate::formats::text::title_from(&text).unwrap_or_default();
                self.modal = Some(ModalKind::Paste { title, text });
            }
            Action::RenameDocument => {
                if let Some(ws) = &self.ws
                    && let Some(d) = ws.current.and_then(|d| ws.project.document(d))
                {
                    self.modal = Some(ModalKind::Rename(d.id, d.title.clone()));
                }
            }
            Action::RemoveDocument => {
                if let Some(d) = self.ws.as_ref().and_then(|w| w.current) {
                    self.modal = Some(ModalKind::ConfirmRemove(d));
                }
            }
            Action::Export => {
                if let Some(ws) = &self.ws {
                    let format = ExportFormat::Csv;
                    self.modal = Some(ModalKind::Export {
                        format,
                        current_only: false,
                        shown_labels_only: !ws.hidden_labels.is_empty(),
                        path: default_export_path(ws, format),
                    });
                }
            }
            Action::ImportAnnotations => {
                if self.ws.is_some() {
                    self.modal = Some(ModalKind::Import {
                        format: ImportFormat::Brat,
                        path: String::new(),
                    });
                }
            }
            Action::ShortcutHelp => self.show_help = !self.show_help,
            Action::Undo | Action::Redo => {
                let Some(ws) = &mut self.ws else { return };
                let r = if action == Action::Undo {
                    ws.history.undo(&mut ws.project)
                } else {
                    ws.history.redo(&mut ws.project)
                };
                ws.after_change();
                if let Err(e) = r {
                    self.info(e.to_string());
                }
            }
            Action::DeleteSpan => {
                let Some(ws) = &mut self.ws else { return };
                if let Some(id) = ws.selected {
                    let next = ws
                        .current
                        .and_then(|d| ws.project.next_span_in(d, Some(id)));
                    if let Err(e) = ws.exec(Command::RemoveSpan(id)) {
                        self.error(e);
                    } else if let Some(n) = next.filter(|n| *n != id) {
                        ws.selected = Some(n);
                    }
                }
            }
            Action::NextSpan | Action::PrevSpan => {
                let Some(ws) = &mut self.ws else { return };
                let Some(doc) = ws.current else { return };
                let next = if action == Action::NextSpan {
                    ws.project.next_span_in(doc, ws.selected)
                } else {
                    ws.project.prev_span_in(doc, ws.selected)
                };
                if let Some(id) = next {
                    ws.select_span(id);
                }
            }
            Action::LinkToSource => {
                let Some(ws) = &mut self.ws else { return };
                match ws.selected {
                    Some(id) => ws.link_from = Some(id),
                    None => self
                        .info("Select a claim or figure first, then press L and click its source."),
                }
            }
            Action::Cancel => {
                if let Some(ws) = &mut self.ws
                    && ws.link_from.take().is_none()
                {
                    ws.selected = None;
                    if let Some(v) = ws.current_view() {
                        v.selection = None;
                    }
                }
                self.show_help = false;
            }
        }
    }

    /// Tags the selection with `label`, or retags the selected span.
    pub fn tag(&mut self, label: LabelId) {
        let Some(ws) = &mut self.ws else { return };
        if let Some(id) = ws.selected {
            if ws.project.span(id).is_some_and(|s| s.label != label)
                && let Err(e) = ws.exec(Command::RetagSpan(id, label))
            {
                self.error(e);
            }
            return;
        }
        let Some(doc) = ws.current else { return };
        let Some(range) = ws.current_view().and_then(|v| v.snapped_selection()) else {
            self.info("Select some text first (drag, or Shift+arrows), then press a label key.");
            return;
        };
        let command = Command::AddSpan {
            doc,
            label,
            start: range.start,
            end: range.end,
            note: None,
            created: crate::cli::now_rfc3339(),
        };
        match ws.exec(command) {
            Ok(created) => {
                if let Some(id) = created.spans.first() {
                    ws.selected = Some(*id);
                    if let Some(v) = ws.current_view() {
                        v.selection = Some(Selection::caret(range.end));
                    }
                }
            }
            Err(e) => self.error(e),
        }
    }

    pub(super) fn guard_unsaved(&mut self, ctx: &egui::Context, after: After) {
        if self.ws.as_ref().is_some_and(Workspace::is_dirty) {
            self.modal = Some(ModalKind::Unsaved(after));
        } else {
            self.do_after(ctx, after);
        }
    }

    pub(super) fn do_after(&mut self, ctx: &egui::Context, after: After) {
        match after {
            After::Quit => {
                self.discard_recovery();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            After::New => {
                self.discard_recovery();
                self.new_project();
            }
            After::Close => {
                self.discard_recovery();
                self.ws = None;
            }
            After::Open(Some(path)) => {
                self.discard_recovery();
                self.ws = None;
                self.start_load(ctx, path);
            }
            After::Open(None) => self.ask_path(ctx, DialogPurpose::OpenProject),
        }
    }

    /// Asks for a path with a native dialog, or the typed-path prompt.
    pub fn ask_path(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if self.dialogs.native {
            let dir = self
                .ws
                .as_ref()
                .and_then(|w| w.path.as_ref())
                .and_then(|p| p.parent().map(Path::to_path_buf));
            let name = (purpose == DialogPurpose::SaveProjectAs).then(|| {
                self.ws.as_ref().map_or("project.ron".into(), |w| {
                    format!("{}.ron", safe_stem(w.project.name()))
                })
            });
            self.dialogs.open(ctx, purpose, dir, name);
        } else {
            self.modal = Some(ModalKind::TypedPath {
                purpose,
                text: String::new(),
                why: None,
            });
        }
    }

    pub(super) fn on_dialog(&mut self, ctx: &egui::Context, r: DialogResult) {
        if matches!(r.purpose, DialogPurpose::Export | DialogPurpose::Import) {
            // The export/import dialog stays open; fill in its path field.
            match (r.paths.into_iter().next(), &mut self.modal) {
                (Some(p), Some(ModalKind::Export { path, .. } | ModalKind::Import { path, .. })) => {
                    *path = p.display().to_string();
                }
                (None, _) => self.info("No file was chosen (or no file dialog is available here): type the path in the field."),
                _ => {}
            }
            return;
        }
        if r.paths.is_empty() {
            // rfd answers "nothing" both for cancel and when no dialog exists.
            let why = if r.elapsed < Duration::from_millis(400) {
                "No file dialog could be shown on this system (no desktop portal or zenity). Type the path instead:".to_string()
            } else {
                "No file was chosen. You can also type the path:".to_string()
            };
            self.modal = Some(ModalKind::TypedPath {
                purpose: r.purpose,
                text: String::new(),
                why: Some(why),
            });
            return;
        }
        self.use_paths(ctx, r.purpose, r.paths);
    }

    /// Acts on chosen paths (from a dialog, a typed prompt or a drop).
    pub fn use_paths(&mut self, ctx: &egui::Context, purpose: DialogPurpose, paths: Vec<PathBuf>) {
        match purpose {
            DialogPurpose::OpenProject => {
                if let Some(p) = paths.into_iter().next() {
                    self.discard_recovery();
                    self.start_load(ctx, p);
                }
            }
            DialogPurpose::SaveProjectAs => {
                if let Some(p) = paths.into_iter().next() {
                    self.start_save(ctx, p);
                }
            }
            DialogPurpose::AddArticles => {
                if self.ws.is_none() {
                    self.new_project();
                }
                self.start_import(ctx, paths);
            }
            DialogPurpose::Export | DialogPurpose::Import => {
                if let (
                    Some(p),
                    Some(ModalKind::Export { path, .. } | ModalKind::Import { path, .. }),
                ) = (paths.into_iter().next(), &mut self.modal)
                {
                    *path = p.display().to_string();
                }
            }
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (texts, others): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| is_text_file(p));
        if let Some(project) = others.into_iter().next() {
            self.guard_unsaved(ctx, After::Open(Some(project)));
        } else if !texts.is_empty() {
            self.use_paths(ctx, DialogPurpose::AddArticles, texts);
        }
    }

    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(r) = self.dialogs.poll() {
            self.on_dialog(ctx, r);
        }
        if let Some(r) = self.load_job.as_ref().and_then(Job::poll) {
            self.load_job = None;
            match r {
                Ok((project, path, warnings)) => self.open_loaded(project, path, warnings),
                Err(e) => self.error(format!("Could not open the project: {e}")),
            }
        }
        if let Some((path, state, r)) = self.save_job.as_ref().and_then(Job::poll) {
            self.save_job = None;
            self.finish_save(path, state, r);
        }
        if let Some(results) = self.import_job.as_ref().and_then(Job::poll) {
            self.import_job = None;
            let mut commands = Vec::new();
            for r in results {
                match r {
                    Ok(c) => commands.push(c),
                    Err(e) => self.error(format!("Article not added: {e}")),
                }
            }
            if !commands.is_empty()
                && let Some(ws) = &mut self.ws
            {
                let n = commands.len();
                match ws.exec(Command::Group(format!("add {n} article(s)"), commands)) {
                    Ok(created) => {
                        if let Some(first) = created.documents.first() {
                            ws.current = Some(*first);
                        }
                    }
                    Err(e) => self.error(format!("Articles not added: {e}")),
                }
            }
        }
        if let Some(r) = self.export_job.as_ref().and_then(Job::poll) {
            self.export_job = None;
            match r {
                Ok(w) => {
                    let where_ = w
                        .files
                        .first()
                        .and_then(|f| f.parent())
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let names: Vec<String> = w
                        .files
                        .iter()
                        .filter_map(|f| f.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect();
                    self.info(format!(
                        "Exported {} span(s) to {} in {where_}",
                        w.spans,
                        names.join(", ")
                    ));
                }
                Err(e) => self.error(format!("Export failed: {e}")),
            }
        }
        if let Some(r) = self.annotations_job.as_ref().and_then(Job::poll) {
            self.annotations_job = None;
            match r {
                Ok((command, report)) => match self.ws.as_mut().map(|ws| ws.exec(command)) {
                    Some(Ok(_)) => self.info(format!("Imported: {report}")),
                    Some(Err(e)) => self.error(format!("Import failed: {e}")),
                    None => {}
                },
                Err(e) => self.error(format!("Import failed: {e}")),
            }
        }
        if let Some(after) = self.pending_after.take() {
            self.do_after(ctx, after);
        }
    }
}

impl App {
    /// Title for the window: project name, `*` when dirty.
    pub fn window_title(&self) -> String {
        match &self.ws {
            Some(ws) => format!(
                "{}{} — Marginalia",
                ws.project.name(),
                if ws.is_dirty() { " *" } else { "" }
            ),
            None => "Marginalia".into(),
        }
    }

    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        if self.modal.is_some() {
            return;
        }
        // Shortcuts with more modifiers first: egui matches Ctrl+Z "logically"
        // even when Shift is also down, so Ctrl+Shift+Z must be tried before.
        let mut bindings: Vec<(Action, egui::KeyboardShortcut)> = Action::ALL
            .iter()
            .filter(|a| !typing || a.works_while_typing())
            .flat_map(|a| {
                a.shortcut()
                    .into_iter()
                    .chain(a.alternates().iter().copied())
                    .map(move |sc| (*a, sc))
            })
            .collect();
        bindings.sort_by_key(|(_, sc)| {
            let m = sc.modifiers;
            std::cmp::Reverse(
                m.shift as u8 + m.ctrl as u8 + m.command as u8 + m.alt as u8 + m.mac_cmd as u8,
            )
        });
        for (action, sc) in bindings {
            if ctx.input_mut(|i| i.consume_shortcut(&sc)) {
                self.run_action(ctx, action);
            }
        }
        if typing {
            return;
        }
        // eframe turns Ctrl+V (and Ctrl+Shift+V) into a Paste event with the
        // clipboard text, not a key press: outside a text field, that text
        // becomes a new article (the paste dialog asks for the title).
        let pasted = ctx.input(|i| {
            i.events.iter().find_map(|e| match e {
                egui::Event::Paste(t) => Some(t.clone()),
                _ => None,
            })
        });
        if let Some(text) = pasted {
            let title = crate::formats::text::title_from(&text).unwrap_or_default();
            self.modal = Some(ModalKind::Paste { title, text });
            return;
        }
        let Some(ws) = &mut self.ws else { return };
        // Label hotkeys come as text events so that any character works.
        let typed: Vec<String> = ctx.input(|i| {
            i.events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect()
        });
        for t in typed {
            let mut chars = t.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && let Some(label) = ws.project.labels().iter().find(|l| l.hotkey == Some(c))
            {
                let id = label.id.clone();
                self.tag(id);
                return;
            }
        }
        self.caret_keys(ctx);
    }

    /// Arrow keys: move or extend the caret, or nudge the selected span.
    pub(super) fn caret_keys(&mut self, ctx: &egui::Context) {
        let Some(ws) = &mut self.ws else { return };
        let keys = [
            Key::ArrowLeft,
            Key::ArrowRight,
            Key::ArrowUp,
            Key::ArrowDown,
            Key::Home,
            Key::End,
        ];
        let pressed: Vec<(Key, Modifiers)> = ctx.input(|i| {
            keys.iter()
                .filter(|k| i.key_pressed(**k))
                .map(|k| (*k, i.modifiers))
                .collect()
        });
        for (key, m) in pressed {
            // Alt(+Shift)+Left/Right: move the selected span's start (end).
            if m.alt
                && let Some(id) = ws.selected
                && let Some(span) = ws.project.span(id)
                && matches!(key, Key::ArrowLeft | Key::ArrowRight)
            {
                let Some(text) = ws.project.document(span.doc).map(|d| d.text.clone()) else {
                    continue;
                };
                let at = if m.shift { span.end } else { span.start };
                let moved = match (key, m.command) {
                    (Key::ArrowLeft, false) => text.prev_grapheme(at),
                    (Key::ArrowRight, false) => text.next_grapheme(at),
                    (Key::ArrowLeft, true) => text.prev_word_start(at),
                    _ => text.next_word_end(at),
                };
                let (s, e) = if m.shift {
                    (span.start, moved)
                } else {
                    (moved, span.end)
                };
                if s < e
                    && let Err(err) = ws.exec(Command::ResizeSpan(id, s, e))
                {
                    self.notices.push(Notice {
                        error: true,
                        text: err,
                    });
                }
                continue;
            }
            let selected_span = ws
                .selected
                .and_then(|id| ws.project.span(id))
                .map(|s| (s.start, s.end));
            let Some(view) = ws.current_view() else {
                return;
            };
            let text = view.text().clone();
            let current = view
                .selection
                .unwrap_or(Selection::caret(selected_span.map_or(0, |s| s.1)));
            let head = current.head;
            let new_head = match key {
                Key::ArrowLeft if m.command => text.prev_word_start(head),
                Key::ArrowRight if m.command => text.next_word_end(head),
                Key::ArrowLeft => text.prev_grapheme(head),
                Key::ArrowRight => text.next_grapheme(head),
                Key::ArrowUp => view.caret_row_move(head, -1),
                Key::ArrowDown => view.caret_row_move(head, 1),
                Key::Home => text.line_around(head).start,
                _ => text.line_around(head).end,
            };
            view.selection = Some(if m.shift {
                Selection {
                    anchor: current.anchor,
                    head: new_head,
                    exact: true,
                }
            } else {
                Selection::caret(new_head)
            });
            view.scroll_to = Some(new_head);
            ws.selected = None;
        }
    }
}

fn is_text_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// A file-name-safe version of a project name.
fn safe_stem(name: &str) -> String {
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

impl App {
    /// What the running background job is doing.
    pub(super) fn job_description(&self) -> String {
        let job = self
            .load_job
            .as_ref()
            .map(|j| (j.what.clone(), j.started))
            .or_else(|| self.save_job.as_ref().map(|j| (j.what.clone(), j.started)))
            .or_else(|| {
                self.import_job
                    .as_ref()
                    .map(|j| (j.what.clone(), j.started))
            });
        match job {
            Some((what, started)) => format!("{what}… {:.0} s", started.elapsed().as_secs_f32()),
            None => String::new(),
        }
    }

    /// Saves, then does `after` once the save succeeded.
    pub(super) fn after_save_then(&mut self, ctx: &egui::Context, after: After) {
        match self.ws.as_ref().map(|w| w.path.clone()) {
            Some(Some(path)) => {
                self.after_save = Some(after);
                self.start_save(ctx, path);
            }
            Some(None) => {
                self.after_save = Some(after);
                self.ask_path(ctx, DialogPurpose::SaveProjectAs);
            }
            None => self.do_after(ctx, after),
        }
    }

    /// Drops the unsaved changes, then does `after`.
    pub(super) fn discard_then(&mut self, ctx: &egui::Context, after: After) {
        self.discard_recovery();
        if let Some(ws) = &mut self.ws {
            // Nothing is lost by the next step now: mark as saved.
            ws.history.mark_saved();
        }
        self.do_after(ctx, after);
    }

    /// Starts an empty project (used by paste on the start screen).
    pub(super) fn new_project_public(&mut self) {
        self.new_project();
    }

    /// Restores a recovery file as the open project, marked unsaved.
    pub(super) fn restore(&mut self, r: Recovery) {
        match store::load(&r.file) {
            Ok(loaded) => {
                let mut ws = Workspace::new(loaded.project, r.project_path.clone());
                ws.history.mark_unsaved();
                ws.recovery_file = Some(r.file.clone());
                self.ws = Some(ws);
                self.last_autosave_state = 0;
                self.info(format!(
                    "Restored unsaved work from {}. Save to keep it.",
                    r.file.display()
                ));
            }
            Err(e) => self.error(format!("Could not restore {}: {e}", r.file.display())),
        }
    }

    /// On a clean exit with nothing unsaved, no recovery file is needed.
    pub(super) fn forget_recovery_on_clean_exit(&mut self) {
        if self.ws.as_ref().is_some_and(|w| !w.is_dirty()) {
            self.discard_recovery();
        }
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

impl App {
    /// Starts an export in the background.
    pub(super) fn start_export(
        &mut self,
        ctx: &egui::Context,
        format: ExportFormat,
        current_only: bool,
        shown_only: bool,
        path: PathBuf,
    ) {
        let Some(ws) = &self.ws else { return };
        let filter = Filter {
            doc: if current_only { ws.current } else { None },
            labels: shown_only.then(|| {
                ws.project
                    .labels()
                    .iter()
                    .map(|l| l.id.clone())
                    .filter(|id| !ws.hidden_labels.contains(id))
                    .collect()
            }),
        };
        let project = ws.project.clone();
        self.export_job = Some(Job::spawn(
            ctx,
            format!("Exporting to {}", path.display()),
            move || formats::export(&project, format, &path, &filter).map_err(|e| e.to_string()),
        ));
    }

    /// Reads annotations in the background; they are applied as one undo step.
    pub(super) fn start_import_annotations(
        &mut self,
        ctx: &egui::Context,
        format: ImportFormat,
        path: PathBuf,
    ) {
        let Some(ws) = &self.ws else { return };
        let project = ws.project.clone();
        self.annotations_job = Some(Job::spawn(
            ctx,
            format!("Importing {}", path.display()),
            move || formats::import(&project, format, &path).map_err(|e| e.to_string()),
        ));
    }
}
