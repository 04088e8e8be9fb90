//! Background work: one list of job kinds, one runner, one result type.
//!
//! Every long task (open, save, add articles, export, import, recovery
//! writes) runs on a worker thread and reports exactly one [`JobDone`]. The
//! spinner reads [`Jobs::describe`], so it always names what is running.

use super::commands::RetextSource;
use super::files::write_recovery;
use crate::formats::{self, ExportFormat, Filter, ImportFormat};
use crate::model::anchor::{RetextPlan, plan_retext};
use crate::model::{Command, DocId, Project};
use crate::store;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

/// The kinds of background work, each with its own description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Opening a project file.
    Load,
    /// Saving the project.
    Save,
    /// Reading .txt articles.
    AddArticles,
    /// Writing an export.
    Export,
    /// Reading annotations to import.
    ImportAnnotations,
    /// Re-anchoring an article's spans in its new text.
    Retext,
    /// Writing the recovery file (silent: no spinner).
    Autosave,
}

impl JobKind {
    /// What the spinner says, before the job's own detail.
    pub fn verb(self) -> &'static str {
        match self {
            JobKind::Load => "Opening",
            JobKind::Save => "Saving",
            JobKind::AddArticles => "Adding",
            JobKind::Export => "Exporting to",
            JobKind::ImportAnnotations => "Importing",
            JobKind::Retext => "Re-anchoring the spans of",
            JobKind::Autosave => "Writing the recovery file",
        }
    }

    /// True for work the user asked for and waits on (shown with a spinner).
    pub fn shows_spinner(self) -> bool {
        self != JobKind::Autosave
    }
}

/// A loaded project, its path (None: opened as a copy, or read-only) and
/// the messages to show with it.
#[derive(Debug)]
pub struct Loaded {
    /// What was read.
    pub project: Project,
    /// Where it will be saved (None for a copy or a read-only opening).
    pub path: Option<PathBuf>,
    /// Warnings and notes to show.
    pub notes: Vec<String>,
    /// The file it was read from.
    pub read_from: PathBuf,
}

/// Why a project did not open.
#[derive(Debug)]
pub struct LoadFailure {
    /// The file.
    pub path: PathBuf,
    /// The whole message.
    pub message: String,
    /// For a file that parsed but breaks invariants: each broken record,
    /// which "open skipping the broken records" would leave out.
    pub broken: Vec<String>,
}

/// How a project file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// As itself: saving writes back to it.
    InPlace,
    /// As a new, unsaved copy (the shipped sample).
    Copy,
    /// Read-only, leaving out the records that break invariants.
    SkipBroken,
}

/// What a finished job hands back: one variant per [`JobKind`], plus a
/// panic on the worker thread, which is reported instead of hanging.
#[derive(Debug)]
pub enum JobDone {
    /// A project was read (or why not), and how it was opened.
    Loaded(Box<Result<Loaded, LoadFailure>>, OpenMode),
    /// A save finished: where, the history state it captured, and how.
    Saved {
        /// The file written.
        path: PathBuf,
        /// History state that was saved.
        state: u64,
        /// How it went.
        result: Result<(), String>,
    },
    /// Articles were read: commands, duplicates, failures, or cancelled.
    ArticlesRead(Box<formats::bulk::BulkRead>),
    /// An export finished.
    Exported(Result<formats::Written, String>),
    /// Annotations were read into one command and a report.
    AnnotationsRead(Result<(Command, formats::Report), String>),
    /// A re-text was worked out (or why not).
    RetextPlanned(Result<Arc<RetextPlan>, String>),
    /// The recovery file was written.
    RecoveryWritten(Result<(), String>),
    /// The worker panicked; the message says which job.
    Crashed(JobKind, String),
}

struct Running {
    id: u64,
    kind: JobKind,
    detail: String,
    started: Instant,
    /// Thousandths done, for jobs that report progress.
    progress: Option<Arc<AtomicU32>>,
    /// Items done and in all, for jobs that count.
    counts: Option<Arc<Counts>>,
    /// Set to ask the job to stop, for jobs that can.
    cancel: Option<Arc<AtomicBool>>,
}

/// Items a counting job has done, of how many, and the page it is
/// fetching, if it is fetching one.
#[derive(Debug, Default)]
pub struct Counts {
    done: AtomicUsize,
    total: AtomicUsize,
    fetching: AtomicBool,
    fetched: AtomicU64,
    /// 0 when the server did not say.
    fetch_total: AtomicU64,
}

/// A counting job's state, for the progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct JobProgress {
    /// Its kind.
    pub kind: JobKind,
    /// Items done.
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// Seconds left at the rate so far (None until it can be told).
    pub seconds_left: Option<f32>,
    /// Whether it can be cancelled.
    pub cancellable: bool,
    /// Bytes of a page being fetched, and of how many when known.
    pub fetching: Option<(u64, Option<u64>)>,
}

/// Runs jobs on worker threads and hands back their results one at a time.
pub struct Jobs {
    tx: Sender<(u64, JobDone)>,
    rx: Receiver<(u64, JobDone)>,
    running: Vec<Running>,
    next_id: u64,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Jobs {
            tx,
            rx,
            running: Vec::new(),
            next_id: 0,
        }
    }
}

impl Jobs {
    /// Starts `work` on a new thread; the UI is repainted when it finishes.
    /// A panic in `work` comes back as [`JobDone::Crashed`].
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        kind: JobKind,
        detail: String,
        work: impl FnOnce() -> JobDone + Send + 'static,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let done =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
                    JobDone::Crashed(kind, format!("{} failed unexpectedly", kind.verb()))
                });
            let _ = tx.send((id, done));
            ctx.request_repaint();
        });
        self.running.push(Running {
            id,
            kind,
            detail,
            started: Instant::now(),
            progress: None,
            counts: None,
            cancel: None,
        });
    }

    /// Like [`Jobs::spawn`], for work that reports the fraction done
    /// (0..=1) through the function it is given; the spinner shows it.
    pub fn spawn_with_progress(
        &mut self,
        ctx: &egui::Context,
        kind: JobKind,
        detail: String,
        work: impl FnOnce(&dyn Fn(f32)) -> JobDone + Send + 'static,
    ) {
        let progress = Arc::new(AtomicU32::new(0));
        let shared = progress.clone();
        let repaint = ctx.clone();
        self.spawn(ctx, kind, detail, move || {
            let report = move |f: f32| {
                shared.store((f.clamp(0.0, 1.0) * 1000.0) as u32, Ordering::Relaxed);
                repaint.request_repaint();
            };
            work(&report)
        });
        if let Some(r) = self.running.last_mut() {
            r.progress = Some(progress);
        }
    }

    /// The first counting job's progress, if one runs.
    pub fn counted(&self) -> Option<JobProgress> {
        let r = self.running.iter().find(|r| r.counts.is_some())?;
        let c = r.counts.as_ref()?;
        let (done, total) = (
            c.done.load(Ordering::Relaxed),
            c.total.load(Ordering::Relaxed),
        );
        let elapsed = r.started.elapsed().as_secs_f32();
        let seconds_left = (done > 0 && elapsed > 0.5 && total >= done)
            .then(|| elapsed / done as f32 * (total - done) as f32);
        let fetching = c.fetching.load(Ordering::Relaxed).then(|| {
            let t = c.fetch_total.load(Ordering::Relaxed);
            (c.fetched.load(Ordering::Relaxed), (t > 0).then_some(t))
        });
        Some(JobProgress {
            kind: r.kind,
            done,
            total,
            seconds_left,
            cancellable: r.cancel.is_some(),
            fetching,
        })
    }

    /// Asks every job of `kind` that can stop to stop.
    pub fn cancel(&self, kind: JobKind) {
        for r in self.running.iter().filter(|r| r.kind == kind) {
            if let Some(c) = &r.cancel {
                c.store(true, Ordering::Relaxed);
            }
        }
    }

    /// The next finished job, if any.
    pub fn poll(&mut self) -> Option<JobDone> {
        let (id, done) = self.rx.try_recv().ok()?;
        self.running.retain(|r| r.id != id);
        Some(done)
    }

    /// True while a job of this kind runs.
    pub fn is_running(&self, kind: JobKind) -> bool {
        self.running.iter().any(|r| r.kind == kind)
    }

    /// True while work the user waits on runs (anything but autosave).
    pub fn busy(&self) -> bool {
        self.running.iter().any(|r| r.kind.shows_spinner())
    }

    /// "Exporting to /tmp/x.csv… 2 s" for the oldest job with a spinner.
    pub fn describe(&self) -> Option<String> {
        let r = self.running.iter().find(|r| r.kind.shows_spinner())?;
        let more = self
            .running
            .iter()
            .filter(|r| r.kind.shows_spinner())
            .count()
            - 1;
        let more = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        let done = match (&r.progress, &r.counts) {
            (_, Some(c)) => format!(
                " {} of {}",
                c.done.load(Ordering::Relaxed),
                c.total.load(Ordering::Relaxed)
            ),
            (Some(p), None) => format!(" {}%", p.load(Ordering::Relaxed) / 10),
            (None, None) => String::new(),
        };
        Some(format!(
            "{} {}…{done} {:.0} s{more}",
            r.kind.verb(),
            r.detail,
            r.started.elapsed().as_secs_f32()
        ))
    }

    // ---- the jobs themselves ----------------------------------------------

    /// Reads a project file, in place, as a copy, or skipping what is broken.
    pub fn load(&mut self, ctx: &egui::Context, path: PathBuf, mode: OpenMode) {
        let p = path.clone();
        self.spawn(ctx, JobKind::Load, path.display().to_string(), move || {
            JobDone::Loaded(Box::new(read_project(&p, mode)), mode)
        });
    }

    /// Saves a snapshot of the project taken at history state `state`.
    pub fn save(&mut self, ctx: &egui::Context, project: Project, state: u64, path: PathBuf) {
        let p = path.clone();
        self.spawn(ctx, JobKind::Save, path.display().to_string(), move || {
            let result = store::save(&project, &p).map_err(|e| e.to_string());
            JobDone::Saved {
                path: p,
                state,
                result,
            }
        });
    }

    /// Reads articles (files, and every one under a folder) into
    /// `AddDocument` commands, skipping texts whose hash is `known`; counts
    /// as it goes and stops when cancelled.
    pub fn add_articles(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        known: std::collections::HashSet<String>,
        options: formats::extract::Options,
    ) {
        let counts = Arc::new(Counts::default());
        let cancel = Arc::new(AtomicBool::new(false));
        let (c, stop, repaint) = (counts.clone(), cancel.clone(), ctx.clone());
        self.spawn(ctx, JobKind::AddArticles, "articles".into(), move || {
            let files = match formats::bulk::expand(&paths) {
                Ok(files) => files,
                Err(e) => {
                    return JobDone::ArticlesRead(Box::new(formats::bulk::BulkRead {
                        failed: vec![e.to_string()],
                        ..Default::default()
                    }));
                }
            };
            c.total.store(files.len(), Ordering::Relaxed);
            let progress = |done: usize, _total: usize| {
                c.done.store(done, Ordering::Relaxed);
                let was_fetching = c.fetching.swap(false, Ordering::Relaxed);
                // A repaint per file would flood a 10,000-file folder; a
                // fetched page's bar goes at once.
                if done.is_multiple_of(20) || was_fetching {
                    repaint.request_repaint();
                }
            };
            let fetching = |got: u64, total: Option<u64>| {
                c.fetching.store(true, Ordering::Relaxed);
                c.fetched.store(got, Ordering::Relaxed);
                c.fetch_total.store(total.unwrap_or(0), Ordering::Relaxed);
                repaint.request_repaint();
            };
            let read =
                formats::bulk::read_articles(known, &files, &options, &progress, &fetching, &stop);
            JobDone::ArticlesRead(Box::new(read))
        });
        if let Some(r) = self.running.last_mut() {
            r.counts = Some(counts);
            r.cancel = Some(cancel);
        }
    }

    /// Writes an export of `project`.
    pub fn export(
        &mut self,
        ctx: &egui::Context,
        project: Project,
        format: ExportFormat,
        filter: Filter,
        path: PathBuf,
    ) {
        let detail = path.display().to_string();
        self.spawn(ctx, JobKind::Export, detail, move || {
            JobDone::Exported(
                formats::export(&project, format, &path, &filter).map_err(|e| e.to_string()),
            )
        });
    }

    /// Reads annotations to import into `project`.
    pub fn import_annotations(
        &mut self,
        ctx: &egui::Context,
        project: Project,
        format: ImportFormat,
        path: PathBuf,
    ) {
        let detail = path.display().to_string();
        self.spawn(ctx, JobKind::ImportAnnotations, detail, move || {
            JobDone::AnnotationsRead(
                formats::import(&project, format, &path).map_err(|e| e.to_string()),
            )
        });
    }

    /// Works out where the spans of `doc` go in the text from `source`
    /// (read here, off the UI thread, by the usual import rules).
    pub fn plan_retext(
        &mut self,
        ctx: &egui::Context,
        project: Project,
        doc: DocId,
        source: RetextSource,
    ) {
        let title = project
            .document(doc)
            .map_or(String::new(), |d| format!("“{}”", d.title));
        self.spawn_with_progress(ctx, JobKind::Retext, title, move |progress| {
            let read = match source {
                RetextSource::File(path) => crate::formats::text::import_file(&path),
                RetextSource::Text(t) => crate::formats::text::import_bytes(
                    t.as_bytes(),
                    std::path::Path::new("the pasted text"),
                    None,
                ),
                RetextSource::Clipboard => {
                    return JobDone::RetextPlanned(Err(
                        "the clipboard is read by the window".into()
                    ));
                }
            };
            JobDone::RetextPlanned(read.map_err(|e| e.to_string()).and_then(|t| {
                let mut plan =
                    plan_retext(&project, doc, &t.text, progress).map_err(|e| e.to_string())?;
                if let Some(source) = &t.source {
                    plan.read_from(&project, source);
                }
                Ok(Arc::new(plan))
            }))
        });
    }

    /// Writes the recovery file.
    pub fn autosave(&mut self, ctx: &egui::Context, project: Project, file: PathBuf) {
        let detail = file.display().to_string();
        self.spawn(ctx, JobKind::Autosave, detail, move || {
            JobDone::RecoveryWritten(write_recovery(&project, &file))
        });
    }
}

fn read_project(p: &std::path::Path, mode: OpenMode) -> Result<Loaded, LoadFailure> {
    let named = |w: &crate::model::Problem| format!("{}: {w}", p.display());
    let failure = |e: store::StoreError| LoadFailure {
        path: p.to_path_buf(),
        message: e.to_string(),
        broken: e.problems().iter().map(ToString::to_string).collect(),
    };
    match mode {
        OpenMode::InPlace | OpenMode::Copy => {
            let l = store::load(p).map_err(failure)?;
            let mut notes: Vec<String> = l.warnings.iter().map(named).collect();
            let path = if mode == OpenMode::Copy {
                notes.push(format!(
                    "Opened a copy of {}: use Save as… to keep your work; the original stays as it is.",
                    p.display()
                ));
                None
            } else {
                Some(p.to_path_buf())
            };
            Ok(Loaded {
                project: l.project,
                path,
                notes,
                read_from: p.to_path_buf(),
            })
        }
        OpenMode::SkipBroken => {
            let (project, problems) = store::load_skipping_broken(p).map_err(failure)?;
            let skipped = problems
                .iter()
                .filter(|x| x.severity == crate::model::Severity::Error)
                .count();
            let mut notes = vec![format!(
                "Opened {} read-only, leaving out {skipped} broken record(s); the file was not changed. Save as… keeps a repaired copy.",
                p.display()
            )];
            notes.extend(problems.iter().map(named));
            Ok(Loaded {
                project,
                path: None,
                notes,
                read_from: p.to_path_buf(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn wait(jobs: &mut Jobs) -> JobDone {
        for _ in 0..500 {
            if let Some(d) = jobs.poll() {
                return d;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("job did not finish");
    }

    #[test]
    fn every_running_job_is_named_and_autosave_is_silent() {
        let ctx = egui::Context::default();
        let mut jobs = Jobs::default();
        let (tx, rx) = channel::<()>();
        jobs.spawn(&ctx, JobKind::Autosave, "r.ron".into(), move || {
            let _ = rx.recv();
            JobDone::RecoveryWritten(Ok(()))
        });
        assert!(!jobs.busy(), "autosave shows no spinner");
        assert_eq!(jobs.describe(), None);
        let (tx2, rx2) = channel::<()>();
        jobs.spawn(&ctx, JobKind::Export, "/tmp/x.csv".into(), move || {
            let _ = rx2.recv();
            JobDone::Exported(Err("stopped".into()))
        });
        assert!(jobs.busy());
        let d = jobs.describe().unwrap_or_default();
        assert!(d.starts_with("Exporting to /tmp/x.csv…"), "{d}");
        tx2.send(()).ok();
        assert!(matches!(wait(&mut jobs), JobDone::Exported(Err(_))));
        assert!(!jobs.busy() && jobs.is_running(JobKind::Autosave));
        tx.send(()).ok();
        assert!(matches!(wait(&mut jobs), JobDone::RecoveryWritten(Ok(()))));
        assert!(!jobs.is_running(JobKind::Autosave));
    }

    #[test]
    fn a_panicking_job_reports_instead_of_hanging() {
        let ctx = egui::Context::default();
        let mut jobs = Jobs::default();
        jobs.spawn(&ctx, JobKind::Save, "p.ron".into(), || {
            panic!("boom");
        });
        assert!(matches!(
            wait(&mut jobs),
            JobDone::Crashed(JobKind::Save, _)
        ));
        assert!(!jobs.busy());
    }
}
