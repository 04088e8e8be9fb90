//! File plumbing for the GUI: native dialogs off the UI thread, the
//! recent-projects list, and recovery files.

use crate::model::Project;
use crate::store;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant, SystemTime};

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Open a project.
    OpenProject,
    /// Choose where to save the project.
    SaveProjectAs,
    /// Choose .txt articles to add.
    AddArticles,
    /// Choose a folder whose articles (in subfolders too) to add.
    AddFolder,
    /// Choose an export destination.
    Export,
    /// Choose a file or folder to import annotations from.
    Import,
    /// Choose another version to compare with (a file or `git:REV`).
    Compare,
    /// Choose the new text of an article (Article → Replace text…).
    ReplaceText,
}

/// The names the file dialogs offer as articles.
const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "html", "htm", "xhtml", "md", "markdown", "pdf", "docx", "odt", "epub",
];

impl DialogPurpose {
    /// Prompt text for the typed-path fallback.
    pub fn prompt(self) -> &'static str {
        match self {
            DialogPurpose::OpenProject => "Path of the project (.ron) to open",
            DialogPurpose::SaveProjectAs => "Path to save the project to (.ron)",
            DialogPurpose::AddArticles => {
                "Paths of articles (.txt, .html, .pdf, .docx, .odt, .epub, .md) or folders of them to add (one per line)"
            }
            DialogPurpose::AddFolder => {
                "Folder of articles to add (its subfolders too; texts already here are skipped)"
            }
            DialogPurpose::Export => "Path to export to",
            DialogPurpose::Import => "Path of the file or folder to import",
            DialogPurpose::ReplaceText => "Path of the article's new text (.txt)",
            DialogPurpose::Compare => {
                "Project to compare with: a .ron path, or git:REV for a git revision of this project (git:HEAD~1, git:alice)"
            }
        }
    }
}

/// The answer of a file dialog.
#[derive(Debug)]
pub struct DialogResult {
    /// What it was for.
    pub purpose: DialogPurpose,
    /// Chosen paths; empty when cancelled or when no dialog could be shown.
    pub paths: Vec<PathBuf>,
    /// How long the dialog was up; a near-instant empty answer means that no
    /// dialog could be shown (no desktop portal, no zenity).
    pub elapsed: Duration,
}

/// Runs native file dialogs on a worker thread and delivers the result over
/// a channel, waking the UI. rfd blocks the calling thread, and on Linux
/// without a portal it returns nothing at once, as if cancelled.
pub struct Dialogs {
    tx: Sender<DialogResult>,
    rx: Receiver<DialogResult>,
    /// False in tests and when the user turned native dialogs off: the
    /// typed-path prompt is used directly.
    pub native: bool,
}

impl Dialogs {
    /// A dialog runner; `native` false skips rfd entirely.
    pub fn new(native: bool) -> Self {
        let (tx, rx) = channel();
        Dialogs { tx, rx, native }
    }

    /// Opens a dialog in the background. `start_dir` and `file_name` seed it.
    pub fn open(
        &mut self,
        ctx: &egui::Context,
        purpose: DialogPurpose,
        start_dir: Option<PathBuf>,
        file_name: Option<String>,
    ) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut d = rfd::FileDialog::new();
            if let Some(dir) = start_dir {
                d = d.set_directory(dir);
            }
            if let Some(name) = file_name {
                d = d.set_file_name(name);
            }
            let paths = match purpose {
                DialogPurpose::OpenProject | DialogPurpose::Compare => d
                    .add_filter("Marginalia project", &["ron"])
                    .pick_file()
                    .into_iter()
                    .collect(),
                DialogPurpose::SaveProjectAs => d
                    .add_filter("Marginalia project", &["ron"])
                    .save_file()
                    .into_iter()
                    .collect(),
                DialogPurpose::AddArticles => d
                    .add_filter("Articles", ARTICLE_EXTENSIONS)
                    .add_filter("All files", &["*"])
                    .pick_files()
                    .unwrap_or_default(),
                DialogPurpose::AddFolder => d.pick_folder().into_iter().collect(),
                DialogPurpose::ReplaceText => d
                    .add_filter("Articles", ARTICLE_EXTENSIONS)
                    .pick_file()
                    .into_iter()
                    .collect(),
                DialogPurpose::Export => d.save_file().into_iter().collect(),
                DialogPurpose::Import => d.pick_file().into_iter().collect(),
            };
            let _ = tx.send(DialogResult {
                purpose,
                paths,
                elapsed: started.elapsed(),
            });
            ctx.request_repaint();
        });
    }

    /// A finished dialog, if any.
    pub fn poll(&mut self) -> Option<DialogResult> {
        self.rx.try_recv().ok()
    }
}

/// Where the app keeps its own files. `MARGINALIA_CONFIG_DIR` and
/// `MARGINALIA_DATA_DIR` override the platform folders (tests use them).
pub struct AppDirs {
    /// Holds `recent.json`.
    pub config: Option<PathBuf>,
    /// Holds recovery files of unsaved projects and crash reports.
    pub data: Option<PathBuf>,
}

impl AppDirs {
    /// The platform's folders (via the `directories` crate) or the overrides.
    pub fn from_env() -> Self {
        let dirs = directories::ProjectDirs::from("org", "Marginalia", "marginalia");
        let config = std::env::var_os("MARGINALIA_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.config_dir().to_path_buf()));
        let data = std::env::var_os("MARGINALIA_DATA_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.data_dir().to_path_buf()));
        AppDirs { config, data }
    }

    /// Folder for recovery files of never-saved projects.
    pub fn unsaved_recovery_dir(&self) -> Option<PathBuf> {
        self.data.as_ref().map(|d| d.join("recovery"))
    }
}

/// Most-recently-used projects: ordered, de-duplicated, capped, pruned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentList {
    /// Newest first.
    pub paths: Vec<PathBuf>,
}

/// How many recent projects are remembered.
pub const RECENT_CAP: usize = 10;

impl RecentList {
    /// Loads `recent.json` from `dir`, dropping files that no longer exist.
    pub fn load(dir: Option<&Path>) -> Self {
        let paths: Vec<PathBuf> = dir
            .and_then(|d| std::fs::read_to_string(d.join("recent.json")).ok())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let mut list = RecentList { paths };
        list.prune();
        list
    }

    /// Drops missing files and duplicates, and caps the length.
    pub fn prune(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.paths.retain(|p| p.is_file() && seen.insert(p.clone()));
        self.paths.truncate(RECENT_CAP);
    }

    /// Moves `path` to the front.
    pub fn touch(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|p| p != &path);
        self.paths.insert(0, path);
        self.paths.truncate(RECENT_CAP);
    }

    /// Writes `recent.json` atomically into `dir`.
    pub fn save(&self, dir: Option<&Path>) -> Result<(), String> {
        let Some(dir) = dir else {
            return Ok(());
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let json = serde_json::to_string_pretty(&self.paths).map_err(|e| e.to_string())?;
        store::atomic_write(&dir.join("recent.json"), json.as_bytes(), false)
            .map_err(|e| e.to_string())
    }
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    /// Follow the system.
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// View settings remembered between runs (`settings.json` in the config
/// folder): zoom, theme, and which side panels show.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// egui zoom factor (1.0 = 100%).
    pub zoom: f32,
    /// Colour theme.
    pub theme: Theme,
    /// The article list shows.
    pub show_articles: bool,
    /// The span list and details show.
    pub show_spans: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            zoom: 1.0,
            theme: Theme::System,
            show_articles: true,
            show_spans: true,
        }
    }
}

impl Settings {
    /// Reads `settings.json` from `dir`; defaults when missing or unreadable.
    pub fn load(dir: Option<&Path>) -> Self {
        let mut s: Settings = dir
            .and_then(|d| std::fs::read_to_string(d.join("settings.json")).ok())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        s.zoom = if s.zoom.is_finite() {
            s.zoom.clamp(0.5, 3.0)
        } else {
            1.0
        };
        s
    }

    /// Writes `settings.json` atomically into `dir`.
    pub fn save(&self, dir: Option<&Path>) -> Result<(), String> {
        let Some(dir) = dir else {
            return Ok(());
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        store::atomic_write(&dir.join("settings.json"), json.as_bytes(), false)
            .map_err(|e| e.to_string())
    }
}

/// The recovery file of a saved project: `NAME.ron.recovery` beside it.
pub fn recovery_path_for(project_path: &Path) -> PathBuf {
    let mut name = project_path.file_name().unwrap_or_default().to_os_string();
    name.push(".recovery");
    project_path.with_file_name(name)
}

/// A recovery file found on start.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    /// The recovery file.
    pub file: PathBuf,
    /// The project it belongs to (None for a never-saved project).
    pub project_path: Option<PathBuf>,
    /// When it was written.
    pub modified: SystemTime,
    /// What it holds, e.g. "“Name”: 2 article(s), 112 spans, 57 links".
    pub summary: String,
}

/// Reads a recovery file once to describe it: what it holds, and how it
/// differs from the saved project when there is one. None when it holds
/// exactly what the saved file holds (nothing to recover).
fn summarize(file: &Path, project_path: Option<&Path>) -> Option<String> {
    let snapshot = match store::load(file) {
        Ok(l) => l.project,
        Err(e) => return Some(format!("unreadable: {e}")),
    };
    let holds = format!(
        "“{}”: {} article(s), {} spans, {} links",
        snapshot.name(),
        snapshot.documents().len(),
        snapshot.spans().len(),
        snapshot.links().len()
    );
    let saved = project_path.and_then(|p| store::load(p).ok());
    match saved {
        Some(saved) => {
            let d = crate::model::Difference::between(&saved.project, &snapshot);
            (!d.is_none()).then(|| format!("{holds}. Against the saved file: {}", d.describe()))
        }
        None => Some(holds),
    }
}

/// Recovery files left behind: the one beside `project_path` (if newer than
/// the project), or the never-saved ones in the data folder.
pub fn find_recoveries(project_path: Option<&Path>, dirs: &AppDirs) -> Vec<Recovery> {
    let mut out = Vec::new();
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let Some(project) = project_path {
        let rec = recovery_path_for(project);
        if let Some(rec_time) = modified(&rec) {
            match summarize(&rec, Some(project)) {
                Some(summary) => out.push(Recovery {
                    summary,
                    file: rec,
                    project_path: Some(project.to_path_buf()),
                    modified: rec_time,
                }),
                // The saved file holds the same: nothing would be recovered.
                None => {
                    let _ = std::fs::remove_file(&rec);
                }
            }
        }
        return out;
    }
    if let Some(dir) = dirs.unsaved_recovery_dir()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "ron")
                && let Some(t) = modified(&p)
            {
                out.push(Recovery {
                    summary: summarize(&p, None).unwrap_or_default(),
                    file: p,
                    project_path: None,
                    modified: t,
                });
            }
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.modified));
    out
}

/// Writes a recovery snapshot atomically (never over the project itself).
pub fn write_recovery(project: &Project, file: &Path) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = store::to_ron_string(project).map_err(|e| e.to_string())?;
    store::atomic_write(file, text.as_bytes(), false).map_err(|e| e.to_string())
}

/// "3 minutes ago"-style age of a time.
pub fn age(t: SystemTime) -> String {
    let secs = t.elapsed().map(|d| d.as_secs()).unwrap_or(0);
    let local: chrono::DateTime<chrono::Local> = t.into();
    let ago = match secs {
        0..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86399 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86400),
    };
    format!("{} ({ago})", local.format("%Y-%m-%d %H:%M:%S"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_orders_dedups_caps_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for i in 0..12 {
            let p = dir.path().join(format!("p{i}.ron"));
            std::fs::write(&p, "x").unwrap();
            files.push(p);
        }
        let mut r = RecentList::default();
        for f in &files {
            r.touch(f);
        }
        r.touch(&files[3]);
        assert_eq!(r.paths.len(), RECENT_CAP);
        assert_eq!(r.paths[0], std::fs::canonicalize(&files[3]).unwrap());
        assert_eq!(r.paths.iter().filter(|p| p.ends_with("p3.ron")).count(), 1);
        r.save(Some(dir.path())).unwrap();
        std::fs::remove_file(&files[11]).unwrap();
        let loaded = RecentList::load(Some(dir.path()));
        assert_eq!(loaded.paths.len(), RECENT_CAP - 1);
        assert!(!loaded.paths.iter().any(|p| p.ends_with("p11.ron")));
    }
}
