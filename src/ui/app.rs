//! The whole application's state: the open project's workspace (in
//! `workspace/`), notices, the modal, jobs and the command queue. Drawing
//! lives in `panels/`, changes in `dispatch/`.

use super::commands::{After, CommandQueue, UiCommand};
use super::files::{AppDirs, Dialogs, RecentList, Settings};
use super::jobs::Jobs;
use super::modals::Modal;
use super::workspace::Workspace;
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
    /// Holds every training run of learned suggestions until opened (for
    /// tests that edit while training runs); None: runs start at once.
    pub learn_gate: Option<crate::ui::learning::Gate>,
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
            learn_gate: None,
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
    /// What the shortcut help is filtered by.
    pub(super) help_query: String,
    pub(super) allow_close: bool,
    pub(super) untitled_id: String,
    /// Zoom, theme and panels, remembered between runs.
    pub settings: Settings,
    /// A text field had the keyboard at the end of the last frame (Esc
    /// leaves a field before our keys are read: its keys stay with it).
    pub(super) was_typing: bool,
    pub(super) learn_gate: Option<crate::ui::learning::Gate>,
    /// Article origins the running save rewrote (the state after the
    /// rewrite, and what moved), to report or take back.
    pub(super) moved_origins: Option<(u64, Vec<crate::store::origins::Rebased>)>,
    /// Side panels the user opened although the window is narrow.
    pub(super) unfolded: Unfolded,
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
            help_query: String::new(),
            allow_close: false,
            untitled_id: chrono::Local::now()
                .format("untitled-%Y%m%d-%H%M%S")
                .to_string()
                + &format!("-{}", std::process::id()),
            dirs: options.dirs,
            learn_gate: options.learn_gate,
            unfolded: Default::default(),
            moved_origins: None,
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

    /// The progress of the counting job (adding articles, fetching a page)
    /// that runs, if one does.
    pub fn job_progress(&self) -> Option<super::jobs::JobProgress> {
        self.jobs.counted()
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

/// True for paths that are articles rather than projects: text, web
/// pages, PDF, Word, OpenDocument, EPUB, Markdown.
pub(super) fn is_text_file(p: &Path) -> bool {
    crate::formats::bulk::is_article_file(p)
}

/// Side panels the user unfolded in a narrow window (view state: kept
/// until the window is wide enough not to fold them; `ui::panels` plans
/// the panels with it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Unfolded {
    /// The article list.
    pub articles: bool,
    /// The spans and review column.
    pub right: bool,
}
