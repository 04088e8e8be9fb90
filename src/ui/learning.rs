//! Learned suggestions in the window: the taggers are trained on a
//! background thread, never on the frame.
//!
//! - A project trains when it opens, and again after edits that change
//!   what it learns from (the training articles, their spans, the
//!   rejections, the labels), once the history has been still for
//!   [`DEBOUNCE`].
//! - One run at a time, and at most one queued: edits made while a run
//!   goes on only mark that another is due, which starts when it ends.
//! - The project is copied for the run (texts are shared, not copied); the
//!   features of each article are kept between runs.
//! - Closing the project (dropping this) stops a run between two labels.

use crate::assist::learn::{self, FeatureCache, Report, Tagger};
use crate::model::{DocId, LabelId, Project};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant, SystemTime};

/// How long the history stays still before a run starts.
pub const DEBOUNCE: Duration = Duration::from_millis(1_500);

/// What one run trained.
#[derive(Debug)]
pub struct Trained {
    /// A tagger and its report per learnable label.
    pub taggers: Vec<(Tagger, Report)>,
    /// Training articles it used.
    pub docs: usize,
    /// When it finished.
    pub finished: SystemTime,
    /// How long the whole run took (every label, evaluation included).
    pub took: Duration,
    /// Changes with every run, so suggestion lists made before are redone.
    pub version: u64,
}

/// A run in progress.
struct Run {
    rx: Receiver<(Vec<(Tagger, Report)>, FeatureCache)>,
    started: Instant,
    docs: usize,
    labels: Vec<LabelId>,
    /// Labels finished so far.
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
}

/// Something a test can hold a run at, to see the window go on without it.
pub type Gate = Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>;

/// Waits until `gate` is opened (at most a minute: a test that forgets
/// to open it still ends).
fn wait_for(gate: &Gate) {
    let (open, cv) = &**gate;
    let mut o = open.lock().unwrap_or_else(|e| e.into_inner());
    let until = Instant::now() + Duration::from_secs(60);
    while !*o && Instant::now() < until {
        o = cv
            .wait_timeout(o, Duration::from_millis(100))
            .map(|(g, _)| g)
            .unwrap_or_else(|e| e.into_inner().0);
    }
}

/// The taggers of one project, and their training.
#[derive(Default)]
pub struct Learning {
    trained: Option<Arc<Trained>>,
    running: Option<Run>,
    /// The features of each article, kept between runs (with the worker
    /// while a run goes on).
    cache: Option<FeatureCache>,
    /// What the latest started run learned from.
    last_key: Option<u64>,
    /// The history state last looked at, and since when it is still.
    seen: Option<(u64, Instant)>,
    /// The history state whose training data was last compared.
    checked: Option<u64>,
    versions: u64,
    /// While set and closed, a run waits before training (tests only).
    pub gate: Option<Gate>,
}

impl Drop for Learning {
    fn drop(&mut self) {
        if let Some(run) = &self.running {
            run.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// What the training data is: changes whenever a run would learn
/// something else.
fn training_key(project: &Project, docs: &[DocId]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for d in docs {
        (d, project.annotation_stamp(*d)).hash(&mut h);
    }
    for r in project.rejected() {
        (r.doc, r.start, r.end, &r.label).hash(&mut h);
    }
    for l in project.labels() {
        l.id.hash(&mut h);
    }
    h.finish()
}

impl Learning {
    /// The latest trained taggers (None before the first run ends).
    pub fn trained(&self) -> Option<&Arc<Trained>> {
        self.trained.as_ref()
    }

    /// While a run goes on: since when, labels done, labels in all.
    pub fn progress(&self) -> Option<(Instant, usize, usize)> {
        self.running
            .as_ref()
            .map(|r| (r.started, r.done.load(Ordering::Relaxed), r.labels.len()))
    }

    /// True while a run goes on.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Takes in a finished run and starts one when the training data has
    /// changed and the history has been still for [`DEBOUNCE`] (at once
    /// for the first). Returns the newly trained taggers, when a run just
    /// ended. Never waits.
    pub fn poll(
        &mut self,
        ctx: Option<&egui::Context>,
        project: &Project,
        state: u64,
    ) -> Option<Arc<Trained>> {
        let finished = self.collect();
        match self.seen {
            Some((s, _)) if s == state => {}
            _ => self.seen = Some((state, Instant::now())),
        }
        let quiet =
            self.last_key.is_none() || self.seen.is_some_and(|(_, t)| t.elapsed() >= DEBOUNCE);
        if self.running.is_none() && self.checked != Some(state) {
            if quiet {
                self.checked = Some(state);
                self.start_if_changed(ctx, project);
            } else if let Some(c) = ctx {
                c.request_repaint_after(DEBOUNCE);
            }
        }
        if self.running.is_some()
            && let Some(c) = ctx
        {
            // The panel's "training…" line and the run's end.
            c.request_repaint_after(Duration::from_millis(250));
        }
        finished
    }

    fn collect(&mut self) -> Option<Arc<Trained>> {
        let run = self.running.as_ref()?;
        let (taggers, cache) = match run.rx.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                // The worker panicked: try again after the next edit.
                self.running = None;
                return None;
            }
        };
        let run = self.running.take()?;
        self.cache = Some(cache);
        // Look again: edits made during the run may need another.
        self.checked = None;
        self.versions += 1;
        let trained = Arc::new(Trained {
            taggers,
            docs: run.docs,
            finished: SystemTime::now(),
            took: run.started.elapsed(),
            version: self.versions,
        });
        self.trained = Some(trained.clone());
        Some(trained)
    }

    fn start_if_changed(&mut self, ctx: Option<&egui::Context>, project: &Project) {
        let docs = learn::training_docs(project);
        let key = training_key(project, &docs);
        if self.last_key == Some(key) {
            return;
        }
        self.last_key = Some(key);
        let labels = learn::learnable_labels(project, &docs);
        let n_docs = docs.len();
        let snapshot = project.clone();
        let mut cache = self.cache.take().unwrap_or_default();
        let (tx, rx) = channel();
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (done_w, cancel_w, labels_w) = (done.clone(), cancel.clone(), labels.clone());
        let gate = self.gate.clone();
        let repaint = ctx.cloned();
        let spawned = std::thread::Builder::new()
            .name("marginalia-learn".into())
            .spawn(move || {
                if let Some(g) = gate {
                    wait_for(&g);
                }
                let progress = learn::Progress {
                    stop: &|| cancel_w.load(Ordering::Relaxed),
                    label_done: &|| {
                        done_w.fetch_add(1, Ordering::Relaxed);
                    },
                };
                let threads = learn::threads();
                let learned =
                    learn::learn_labels(&snapshot, &labels_w, &docs, &mut cache, threads, progress);
                let Some(taggers) = learned else { return };
                let _ = tx.send((taggers, cache));
                if let Some(c) = repaint {
                    c.request_repaint();
                }
            });
        if spawned.is_ok() {
            self.running = Some(Run {
                rx,
                started: Instant::now(),
                docs: n_docs,
                labels,
                done,
                cancel,
            });
        }
    }
}

/// The Learning panel's own state: thresholds being dragged, not yet set.
#[derive(Debug, Default)]
pub struct LearningWindow {
    /// Label → the threshold under the pointer while its slider is dragged.
    pub drafts: std::collections::HashMap<LabelId, f32>,
}
