//! File commands and background jobs: open, save, articles, export, import,
//! recovery, and what comes back from the jobs.

use crate::formats::{ExportFormat, Filter};
use crate::model::{Command, Project};
use crate::store::origins::Rebased;
use crate::ui::app::App;
use crate::ui::commands::After;
use crate::ui::commands::UiCommand;
use crate::ui::files::{DialogPurpose, DialogResult, Recovery, find_recoveries, recovery_path_for};
use crate::ui::jobs::{JobDone, JobKind, LoadFailure, Loaded, OpenMode};
use crate::ui::modals::Modal;
use crate::ui::workspace::{Workspace, safe_stem};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Recovery writes wait for this long a pause in editing (or at most this
/// much past the interval), so the snapshot never lands mid-gesture.
const AUTOSAVE_QUIET: Duration = Duration::from_millis(300);

/// The name of a new project until it is saved (then it takes the file's).
const UNTITLED: &str = "Untitled project";

impl App {
    /// File, article, export and dialog commands; anything else is ignored.
    pub(super) fn dispatch_files(&mut self, ctx: &egui::Context, command: UiCommand) {
        match command {
            UiCommand::NewProject => self.guard_unsaved(ctx, After::New),
            UiCommand::Open => self.guard_unsaved(ctx, After::Open(None)),
            UiCommand::OpenPath(p) => self.guard_unsaved(ctx, After::Open(Some(p))),
            UiCommand::CloseProject => self.guard_unsaved(ctx, After::Close),
            UiCommand::Quit => self.guard_unsaved(ctx, After::Quit),
            UiCommand::Save => match self.ws.as_ref().map(|w| w.path.clone()) {
                Some(Some(path)) => self.start_save(ctx, path),
                Some(None) => self.ask_path(ctx, DialogPurpose::SaveProjectAs),
                None => {}
            },
            UiCommand::SaveAs if self.ws.is_some() => {
                self.ask_path(ctx, DialogPurpose::SaveProjectAs);
            }
            UiCommand::SaveThen(after) => self.save_then(ctx, after),
            UiCommand::DiscardThen(after) => {
                self.discard_recovery();
                if let Some(ws) = &mut self.ws {
                    // Nothing is lost by the next step now: mark as saved.
                    ws.history.mark_saved();
                }
                self.do_after(ctx, after);
            }
            UiCommand::UsePaths(purpose, paths) => self.use_paths(ctx, purpose, paths),
            UiCommand::Browse(purpose) => self.dialogs.open(ctx, purpose, None, None),
            UiCommand::OpenCopy(p) => self.guard_unsaved(ctx, After::OpenCopy(p)),
            UiCommand::OpenSkippingBroken(p) => {
                self.discard_recovery();
                self.ws = None;
                self.jobs.load(ctx, p, OpenMode::SkipBroken);
            }
            UiCommand::RestoreRecovery(r) => self.restore(r),
            UiCommand::DiscardRecovery(file) => {
                if let Err(e) = std::fs::remove_file(&file) {
                    self.error(format!("Could not delete {}: {e}", file.display()));
                }
            }
            UiCommand::AddArticles => self.ask_path(ctx, DialogPurpose::AddArticles),
            UiCommand::AddFolder => self.ask_path(ctx, DialogPurpose::AddFolder),
            UiCommand::AddArticlesWith { paths, whole_book } => {
                self.add_articles(ctx, paths, whole_book);
            }
            UiCommand::AddFromUrl => {
                self.modal = Some(Modal::Url(crate::ui::modals::UrlModal::default()));
            }
            UiCommand::CancelAdding => self.jobs.cancel(JobKind::AddArticles),
            UiCommand::PasteArticle => {
                let text = arboard::Clipboard::new()
                    .and_then(|mut c| c.get_text())
                    .unwrap_or_default();
                self.modal = Some(Modal::paste(&text));
            }
            UiCommand::PasteText(text) => self.modal = Some(Modal::paste(&text)),
            UiCommand::AddPastedArticle { title, text } => self.add_pasted(title, text),
            UiCommand::Export => {
                if let Some(ws) = &self.ws {
                    self.modal = Some(Modal::export(ws));
                }
            }
            UiCommand::StartExport {
                format,
                current_only,
                shown_only,
                path,
            } => self.start_export(ctx, format, current_only, shown_only, path),
            UiCommand::ImportAnnotations if self.ws.is_some() => {
                self.modal = Some(Modal::import());
            }
            UiCommand::StartImport { format, path } => {
                if let Some(ws) = &self.ws {
                    let project = ws.project.clone();
                    self.jobs.import_annotations(ctx, project, format, path);
                }
            }
            _ => {}
        }
    }

    fn guard_unsaved(&mut self, ctx: &egui::Context, after: After) {
        if self.ws.as_ref().is_some_and(Workspace::is_dirty) {
            self.modal = Some(Modal::unsaved(after));
        } else {
            self.do_after(ctx, after);
        }
    }

    fn do_after(&mut self, ctx: &egui::Context, after: After) {
        match after {
            After::Quit => {
                self.discard_recovery();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            After::New => {
                self.discard_recovery();
                self.notices.clear();
                self.new_project();
            }
            After::Close => {
                self.discard_recovery();
                self.notices.clear();
                self.ws = None;
            }
            After::OpenCopy(path) => {
                self.discard_recovery();
                self.notices.clear();
                self.ws = None;
                self.jobs.load(ctx, path, OpenMode::Copy);
            }
            After::Open(Some(path)) => {
                self.discard_recovery();
                self.ws = None;
                self.notices.clear();
                self.jobs.load(ctx, path, OpenMode::InPlace);
            }
            After::Open(None) => self.ask_path(ctx, DialogPurpose::OpenProject),
        }
    }

    /// Saves, then does `after` once the save succeeded.
    fn save_then(&mut self, ctx: &egui::Context, after: After) {
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

    /// Asks for a path with a native dialog, or the typed-path prompt.
    fn ask_path(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if !self.dialogs.native {
            self.modal = Some(Modal::typed_path_in(
                purpose,
                None,
                self.path_prefill(purpose),
            ));
            return;
        }
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
    }

    /// What a typed-path prompt starts with: the project's folder (or the
    /// working folder) and, for Save as, the project's file name.
    pub(crate) fn path_prefill(&self, purpose: DialogPurpose) -> String {
        let ws = self.ws.as_ref();
        let dir = ws
            .and_then(|w| w.path.as_ref())
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .or_else(|| std::env::current_dir().ok());
        let Some(dir) = dir else {
            return String::new();
        };
        match purpose {
            DialogPurpose::SaveProjectAs => {
                let name = ws
                    .and_then(|w| w.path.as_ref())
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .or_else(|| ws.map(|w| format!("{}.ron", safe_stem(w.project.name()))))
                    .unwrap_or_else(|| "project.ron".into());
                dir.join(name).display().to_string()
            }
            _ => format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR),
        }
    }

    /// A native dialog answered.
    pub(crate) fn on_dialog(&mut self, ctx: &egui::Context, r: DialogResult) {
        if matches!(
            r.purpose,
            DialogPurpose::Export | DialogPurpose::Import | DialogPurpose::ReplaceText
        ) {
            // The export/import dialog stays open; fill in its path field.
            match r.paths.into_iter().next() {
                Some(p) => {
                    if let Some(m) = &mut self.modal {
                        m.set_path(&p);
                    }
                }
                None => self.info(
                    "No file was chosen (or no file dialog is available here): type the path in the field.",
                ),
            }
            return;
        }
        if r.paths.is_empty() {
            // rfd answers "nothing" both for cancel and when no dialog exists.
            let why = if r.elapsed < Duration::from_millis(400) {
                "No file dialog could be shown on this system (no desktop portal or zenity). Type the path instead:"
            } else {
                "No file was chosen. You can also type the path:"
            };
            let text = self.path_prefill(r.purpose);
            self.modal = Some(Modal::typed_path_in(r.purpose, Some(why.into()), text));
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
                    self.jobs.load(ctx, p, OpenMode::InPlace);
                }
            }
            DialogPurpose::SaveProjectAs => {
                if let Some(p) = paths.into_iter().next() {
                    self.start_save(ctx, p);
                }
            }
            DialogPurpose::AddArticles | DialogPurpose::AddFolder => {
                let books = paths
                    .iter()
                    .filter(|p| crate::ui::modals::is_epub(p))
                    .count();
                if books > 0 {
                    self.modal = Some(Modal::Epub(crate::ui::modals::EpubModal { paths, books }));
                } else {
                    self.add_articles(ctx, paths, false);
                }
            }
            DialogPurpose::Export | DialogPurpose::Import | DialogPurpose::ReplaceText => {
                if let (Some(p), Some(m)) = (paths.into_iter().next(), &mut self.modal) {
                    m.set_path(&p);
                }
            }
            DialogPurpose::Compare => {
                if let Some(p) = paths.into_iter().next() {
                    self.queue
                        .push(UiCommand::CompareWith(p.to_string_lossy().into_owned()));
                }
            }
        }
    }

    /// Starts reading `paths` into articles (a new project if none is open).
    fn add_articles(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>, whole_book: bool) {
        if self.ws.is_none() {
            self.new_project();
        }
        let known = self
            .ws
            .as_ref()
            .map(|w| crate::formats::bulk::known_texts(&w.project))
            .unwrap_or_default();
        let options = crate::formats::extract::Options {
            whole_book,
            ..Default::default()
        };
        self.jobs.add_articles(ctx, paths, known, options);
    }

    /// An empty project: nothing to save until something is added.
    fn new_project(&mut self) {
        let mut ws = Workspace::new(Project::new(UNTITLED), None);
        ws.recovery_file = self.untitled_recovery_file();
        self.ws = Some(ws);
    }

    fn untitled_recovery_file(&self) -> Option<PathBuf> {
        self.dirs
            .unsaved_recovery_dir()
            .map(|d| d.join(format!("{}.ron", self.untitled_id)))
    }

    fn add_pasted(&mut self, title: String, text: String) {
        let imported = match crate::formats::text::import_pasted(&text, Some(&title)) {
            Ok(t) => t,
            Err(e) => {
                self.error(e.to_string());
                self.modal = Some(Modal::paste_titled(title, text));
                return;
            }
        };
        if self.ws.is_none() {
            self.new_project();
        }
        let Some(ws) = &mut self.ws else { return };
        match ws.exec(Command::AddDocument {
            title: imported.title,
            origin: None,
            text: imported.text,
        }) {
            Ok(c) => ws.current = c.documents.first().copied().or(ws.current),
            Err(e) => self.error(e),
        }
    }

    /// Saves to `path` in the background; the project stays editable.
    pub fn start_save(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(ws) = &mut self.ws else { return };
        let path = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path
        };
        // A new project takes the name of the file it is first saved as.
        if ws.project.name() == UNTITLED
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            && !stem.trim().is_empty()
        {
            let read_only = std::mem::take(&mut ws.read_only);
            let _ = ws.exec(Command::RenameProject(stem.to_string()));
            ws.read_only = read_only;
        }
        self.moved_origins = move_origins(ws, &path);
        let project = ws.project.clone();
        let state = ws.history.current_state();
        self.jobs.save(ctx, project, state, path);
    }

    fn start_export(
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
        self.jobs.export(ctx, project, format, filter, path);
    }

    /// Forgets unsaved changes' recovery file (after Discard).
    fn discard_recovery(&mut self) {
        if let Some(ws) = &mut self.ws
            && let Some(rec) = ws.recovery_file.take()
        {
            let _ = std::fs::remove_file(rec);
        }
    }

    /// On a clean exit with nothing unsaved, no recovery file is needed.
    pub(crate) fn forget_recovery_on_clean_exit(&mut self) {
        if self.ws.as_ref().is_some_and(|w| !w.is_dirty()) {
            self.discard_recovery();
        }
    }

    /// Offers the recovery files of never-saved projects (at start).
    pub(crate) fn offer_unsaved_recoveries(&mut self) {
        let recoveries = find_recoveries(None, &self.dirs);
        if !recoveries.is_empty() {
            self.modal = Some(Modal::recover(recoveries));
        }
    }

    /// Restores a recovery file as the open project, marked unsaved.
    fn restore(&mut self, r: Recovery) {
        match crate::store::load(&r.file) {
            Ok(loaded) => {
                let mut ws = Workspace::new(loaded.project, r.project_path.clone());
                ws.history.mark_unsaved();
                ws.recovery_file = Some(r.file.clone());
                self.ws = Some(ws);
                self.autosave.last_state = 0;
                self.info(format!(
                    "Restored unsaved work from {}. Save to keep it.",
                    r.file.display()
                ));
            }
            Err(e) => self.error(format!("Could not restore {}: {e}", r.file.display())),
        }
    }

    fn save_recent(&mut self) {
        if let Err(e) = self.recent.save(self.dirs.config.as_deref()) {
            eprintln!("marginalia: cannot save the recent-projects list: {e}");
        }
    }

    // ---- what comes back from the jobs ---------------------------------

    /// Takes every finished job and dialog and acts on it.
    pub(crate) fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(r) = self.dialogs.poll() {
            self.on_dialog(ctx, r);
        }
        while let Some(done) = self.jobs.poll() {
            self.on_job_done(ctx, done);
        }
    }

    fn on_job_done(&mut self, ctx: &egui::Context, done: JobDone) {
        match done {
            JobDone::Loaded(result, mode) => match *result {
                Ok(loaded) => self.open_loaded(loaded, mode),
                Err(e) => self.load_failed(e),
            },
            JobDone::Saved {
                path,
                state,
                result,
            } => self.finish_save(ctx, path, state, result),
            JobDone::ArticlesRead(read) => self.add_read_articles(*read),
            JobDone::RetextPlanned(result) => self.retext_planned(result),
            JobDone::Exported(Ok(w)) => {
                let dir = w
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
                    "Exported {} span(s) to {} in {dir}",
                    w.spans,
                    names.join(", ")
                ));
            }
            JobDone::Exported(Err(e)) => self.error(format!("Export failed: {e}")),
            JobDone::AnnotationsRead(Ok((command, report))) => {
                match self.ws.as_mut().map(|ws| ws.exec(command)) {
                    Some(Ok(_)) => self.info(format!("Imported: {report}")),
                    Some(Err(e)) => self.error(format!("Import failed: {e}")),
                    None => {}
                }
            }
            JobDone::AnnotationsRead(Err(e)) => self.error(format!("Import failed: {e}")),
            JobDone::RecoveryWritten(Ok(())) => {}
            JobDone::RecoveryWritten(Err(e)) => {
                self.error(format!("Could not write the recovery file: {e}"));
            }
            JobDone::Crashed(kind, e) => {
                if kind == JobKind::Save {
                    self.after_save = None;
                }
                self.error(format!("{e}. Your work is still open."));
            }
        }
    }

    fn load_failed(&mut self, e: LoadFailure) {
        self.error(format!("Could not open the project: {}", e.message));
        if !e.broken.is_empty() {
            self.modal = Some(Modal::Invalid(crate::ui::modals::InvalidProjectModal {
                path: e.path,
                broken: e.broken,
            }));
        }
    }

    fn open_loaded(&mut self, loaded: Loaded, mode: OpenMode) {
        let Loaded {
            project,
            path,
            notes,
            read_from,
        } = loaded;
        for w in notes {
            self.info(w);
        }
        if let Some(p) = &path {
            self.recent.touch(p);
            self.save_recent();
            let project_time = std::fs::metadata(p).and_then(|m| m.modified()).ok();
            let recoveries: Vec<Recovery> = find_recoveries(Some(p), &self.dirs)
                .into_iter()
                .filter(|r| project_time.is_none_or(|t| r.modified >= t))
                .collect();
            if !recoveries.is_empty() {
                self.modal = Some(Modal::recover(recoveries));
            }
        }
        let mut ws = Workspace::new(project, path.clone());
        ws.folder = read_from.parent().map(Path::to_path_buf);
        ws.recovery_file = path.as_deref().map(recovery_path_for);
        ws.read_only = mode == OpenMode::SkipBroken;
        if mode == OpenMode::Copy {
            // Never saved: Save asks where, and the work is autosaved.
            ws.history.mark_unsaved();
            ws.recovery_file = self.untitled_recovery_file();
        }
        self.ws = Some(ws);
        self.autosave.last_state = 0;
    }

    fn finish_save(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        state: u64,
        result: Result<(), String>,
    ) {
        let moved = self.moved_origins.take();
        if let Err(e) = result {
            self.after_save = None;
            // The project is not in the new folder: its origins go back.
            if let (Some(ws), Some((after, _))) = (&mut self.ws, &moved)
                && ws.history.current_state() == *after
            {
                let _ = ws.history.undo(&mut ws.project);
                ws.after_change();
            }
            self.error(format!(
                "Not saved: {e}. Your work is still open; try Save as… to another folder."
            ));
            return;
        }
        self.notices.retain(|n| !n.text.starts_with("Not saved"));
        if let Some(ws) = &mut self.ws {
            ws.history.mark_saved_state(state);
            ws.read_only = false;
            // The project is safely on disk: its recovery files go.
            if let Some(rec) = ws.recovery_file.take() {
                let _ = std::fs::remove_file(rec);
            }
            let _ = std::fs::remove_file(recovery_path_for(&path));
            ws.path = Some(path.clone());
            ws.folder = path.parent().map(Path::to_path_buf);
            ws.recovery_file = Some(recovery_path_for(&path));
        }
        self.recent.touch(&path);
        self.save_recent();
        self.info(format!("Saved {}", path.display()));
        if let Some((_, moved)) = moved {
            self.info(moved_origins_text(&moved));
        }
        if let Some(after) = self.after_save.take() {
            self.do_after(ctx, after);
        }
    }

    /// Adds what a bulk read found, in one undo step, and says what was
    /// skipped; a cancelled read adds nothing.
    fn add_read_articles(&mut self, read: crate::formats::bulk::BulkRead) {
        if read.cancelled {
            self.info(if read.read == 0 {
                "Cancelled: nothing was added.".to_string()
            } else {
                format!(
                    "Cancelled after reading {} file(s): nothing was added.",
                    read.read
                )
            });
            return;
        }
        let Some(ws) = &mut self.ws else { return };
        let commands = read.commands.clone();
        let n = commands.len();
        if n == 0 {
            let text = read.describe(0);
            if read.failed.is_empty() {
                self.info(text);
            } else {
                self.error(text);
            }
            return;
        }
        match ws.exec(Command::Group(format!("add {n} article(s)"), commands)) {
            Ok(created) => {
                if let Some(first) = created.documents.first() {
                    ws.show_article(*first);
                }
                let text = read.describe(created.documents.len());
                if read.failed.is_empty() {
                    self.info(format!("{text} Ctrl+Z takes them out again."));
                } else {
                    self.error(text);
                }
            }
            Err(e) => self.error(format!("Articles not added: {e}")),
        }
    }

    // ---- autosave -------------------------------------------------------

    /// Writes the recovery file when there are unsaved edits, after a pause
    /// in editing, at most every `autosave_interval`.
    pub(crate) fn autosave_tick(&mut self, ctx: &egui::Context) {
        if self.jobs.is_running(JobKind::Autosave) {
            return;
        }
        let Some(ws) = &self.ws else { return };
        let clock = &mut self.autosave;
        let state = ws.history.current_state();
        if !ws.is_dirty() {
            // Back at the saved state (undone, or saved): a snapshot
            // written meanwhile would offer stale work after a crash.
            if clock.last_write.take().is_some()
                && let Some(file) = &ws.recovery_file
                && ws.path.as_deref() != Some(file.as_path())
            {
                let _ = std::fs::remove_file(file);
            }
            return;
        }
        if state == clock.last_state && clock.last_write.is_some() {
            return;
        }
        // Track when the project last changed, so the write (which clones
        // the project on this thread) lands in a pause, not mid-gesture.
        if clock.last_change.is_none_or(|(s, _)| s != state) {
            clock.last_change = Some((state, Instant::now()));
        }
        let quiet = clock
            .last_change
            .is_some_and(|(_, t)| t.elapsed() >= AUTOSAVE_QUIET);
        let due = match clock.last_write.map(|t| t.elapsed()) {
            None => quiet,
            Some(e) => e >= clock.interval && (quiet || e >= clock.interval + AUTOSAVE_QUIET),
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
        self.autosave.last_write = Some(Instant::now());
        self.autosave.last_state = state;
        if let Some(ws) = &mut self.ws {
            ws.recovery_file = Some(file.clone());
        }
        self.jobs.autosave(ctx, project, file);
    }
}

/// Rewrites the relative article origins for a project about to be saved
/// at `path`, as one undo step; returns the state after it and what moved.
fn move_origins(ws: &mut Workspace, path: &Path) -> Option<(u64, Vec<Rebased>)> {
    let from = ws.folder.as_deref().unwrap_or(Path::new(""));
    let to = path.parent().unwrap_or(Path::new(""));
    let moved = crate::store::origins::rebased(&ws.project, from, to);
    if moved.is_empty() {
        return None;
    }
    let origins = moved.iter().map(|r| (r.doc, Some(r.new.clone()))).collect();
    // Saving a read-only copy elsewhere is how it is repaired: allowed.
    let read_only = std::mem::take(&mut ws.read_only);
    let done = ws.exec(Command::SetOrigins(origins));
    ws.read_only = read_only;
    done.ok().map(|_| (ws.history.current_state(), moved))
}

/// "The file of 2 article(s) is now named from the new folder: …".
fn moved_origins_text(moved: &[Rebased]) -> String {
    let first = moved
        .first()
        .map(|r| format!(" ({} → {})", r.old, r.new))
        .unwrap_or_default();
    format!(
        "{} article file path(s) rewritten relative to the new folder{first}; Undo puts them back",
        moved.len()
    )
}
