//! Learned suggestions: one sequence tagger per span label (a structured
//! averaged perceptron, [`perceptron`]), trained on the
//! articles the analyst has annotated, scored on articles it was not
//! trained on, with a threshold per label chosen so that what is shown is
//! at least 85% precise.
//!
//! - **Training articles**: those marked done, and those still `new` that
//!   have spans (hand edits make an article in progress, so a new article's
//!   spans were imported). An article with no span is no negative example.
//! - **Rejected suggestions** teach too: the paragraph of a rejection is a
//!   training sequence with the rejected words outside any span.
//! - **Held-out scores**: every fifth training article (by id) is held out
//!   from [`FOLDS_BELOW`] articles on; with fewer, every article is held
//!   out once (five folds; each in turn under ten). Exact span match.
//! - **Tag set**: each label is evaluated with BIO and with BILOU tags,
//!   and trained on every article with the one whose held-out F1 is
//!   better (BILOU learns where spans end, which pays off with many
//!   examples; BIO splits few examples less).
//! - **Passes**: [`EPOCHS`], fewer on big projects ([`epochs`]).
//! - **Confidence** of a span: the lowest forward–backward probability of
//!   its tokens' tags.

pub mod features;
pub mod perceptron;

use crate::model::{DocId, DocStatus, LabelId, Project};
use features::{Featured, featurize};
use perceptron::{B, Dictionary, I, Model, O, Scheme, Sequence};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

/// Precision a shown suggestion must reach on held-out articles.
pub const TARGET_PRECISION: f32 = 0.85;
/// Fewest spans of a label before it is learned.
pub const MIN_SPANS: usize = 5;
/// Passes over the training data, for up to [`PASS_BUDGET`] / 15
/// paragraphs (about 200 articles).
pub const EPOCHS: usize = 15;
/// Fewest passes: on big projects, past about 10 passes the held-out
/// scores stop rising while each pass costs a second.
pub const MIN_EPOCHS: usize = 10;
/// Paragraphs decoded in all, across the passes, before passes are cut.
pub const PASS_BUDGET: usize = 100_000;

/// Passes over `sequences` training paragraphs: [`EPOCHS`], fewer on big
/// projects, never under [`MIN_EPOCHS`].
pub fn epochs(sequences: usize) -> usize {
    (PASS_BUDGET / sequences.max(1)).clamp(MIN_EPOCHS, EPOCHS)
}

/// Each article's tokens and features, kept while its text is the same.
#[derive(Debug, Default)]
pub struct FeatureCache {
    docs: HashMap<DocId, (usize, Arc<Featured>)>,
}

impl FeatureCache {
    /// The features of `doc`, computed once per text.
    pub fn get(&mut self, project: &Project, doc: DocId) -> Option<Arc<Featured>> {
        let key = text_key(project, doc)?;
        if let Some((k, f)) = self.docs.get(&doc)
            && *k == key
        {
            return Some(f.clone());
        }
        let f = Arc::new(featurize(project.document(doc)?.text.as_str()));
        self.docs.insert(doc, (key, f.clone()));
        Some(f)
    }

    /// The features of `doc` if they are kept for its current text.
    pub fn peek(&self, project: &Project, doc: DocId) -> Option<Arc<Featured>> {
        let key = text_key(project, doc)?;
        self.docs
            .get(&doc)
            .filter(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    }

    /// Computes the features of every article of `docs` not kept yet, on
    /// `threads` threads.
    pub fn fill(&mut self, project: &Project, docs: &[DocId], threads: usize) {
        let missing: Vec<DocId> = docs
            .iter()
            .copied()
            .filter(|d| self.peek(project, *d).is_none())
            .collect();
        let done = in_parallel(missing.len(), threads, |i| {
            let d = missing[i];
            let text = project.document(d).map(|x| x.text.as_str());
            (d, text.map(|t| Arc::new(featurize(t))))
        });
        for (d, f) in done {
            if let (Some(f), Some(key)) = (f, text_key(project, d)) {
                self.docs.insert(d, (key, f));
            }
        }
    }
}

/// Identifies an article's text: the same text keeps its features.
fn text_key(project: &Project, doc: DocId) -> Option<usize> {
    let d = project.document(doc)?;
    Some(Arc::as_ptr(d.text.arc()) as usize)
}

/// Runs `job(0..n)` on up to `threads` threads and returns the results in
/// order. Jobs are handed out one at a time, so a long one does not hold
/// up the rest.
pub fn in_parallel<T: Send>(n: usize, threads: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<T>>> =
        std::sync::Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, n.max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let out = job(i);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(out);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// Threads to train on: every core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// One label's trained tagger.
#[derive(Debug, Clone)]
pub struct Tagger {
    /// The label.
    pub label: LabelId,
    dict: Arc<Dictionary>,
    model: Model,
}

/// How a label's tagger did.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The label.
    pub label: LabelId,
    /// Training articles and spans.
    pub train_docs: usize,
    /// Spans of the label in them.
    pub train_spans: usize,
    /// Held-out precision, recall and F1 of its best guesses (every span
    /// it decodes), exact span match; None when nothing could be held out.
    pub precision: Option<f32>,
    /// Held-out recall.
    pub recall: Option<f32>,
    /// Held-out F1.
    pub f1: Option<f32>,
    /// The lowest confidence shown: the held-out suggestions at or above
    /// it are at least 85% precise. None: nothing is shown (see `why`).
    pub threshold: Option<f32>,
    /// Why nothing is shown, when so.
    pub why: Option<String>,
    /// Milliseconds the final training took.
    pub train_ms: f64,
    /// The B bias chosen on the held-out articles.
    pub bias: f32,
    /// The tag set chosen on the held-out articles.
    pub scheme: Scheme,
}

/// The articles a tagger learns from: done ones, and new ones with spans
/// (imported annotations).
pub fn training_docs(project: &Project) -> Vec<DocId> {
    project
        .documents()
        .filter(|d| match d.status {
            DocStatus::Done => true,
            DocStatus::New => project.span_count_in(d.id) > 0,
            _ => false,
        })
        .map(|d| d.id)
        .collect()
}

/// Labels with at least [`MIN_SPANS`] spans in the training articles.
pub fn learnable_labels(project: &Project, docs: &[DocId]) -> Vec<LabelId> {
    project
        .labels()
        .iter()
        .filter(|l| {
            docs.iter()
                .map(|d| project.spans_in(*d).filter(|s| s.label == l.id).count())
                .sum::<usize>()
                >= MIN_SPANS
        })
        .map(|l| l.id.clone())
        .collect()
}

/// The gold BIO tags of `label` over an article's tokens: a token that
/// overlaps a span's fragment is in it.
fn gold_tags(project: &Project, doc: DocId, label: &LabelId, f: &Featured) -> Vec<usize> {
    let mut tags = vec![O; f.tokens.len()];
    let mut ranges: Vec<(usize, usize)> = project
        .spans_in(doc)
        .filter(|s| s.label == *label)
        .flat_map(|s| s.fragments_iter().collect::<Vec<_>>())
        .collect();
    ranges.sort_unstable();
    for (a, b) in ranges {
        let first = f.tokens.partition_point(|t| t.end <= a);
        let mut open = false;
        for (k, t) in f.tokens[first..].iter().enumerate() {
            if t.start >= b {
                break;
            }
            if tags[first + k] == O {
                tags[first + k] = if open { I } else { B };
            }
            open = true;
        }
    }
    tags
}

/// Feature ids of an article, leaving out features `dict` has not seen.
fn known_ids(f: &Featured, dict: &Dictionary) -> Vec<Vec<u32>> {
    f.features
        .iter()
        .map(|hs| hs.iter().filter_map(|h| dict.get(*h)).collect())
        .collect()
}

/// What one learning run reads: the articles' features, and their feature
/// ids under one dictionary shared by every tagger of the run. A tagger
/// trained on some of the articles has zero weights for features only the
/// others have, so sharing changes no score and encodes each article once.
struct Corpus<'a> {
    project: &'a Project,
    cache: &'a FeatureCache,
    dict: Arc<Dictionary>,
    ids: HashMap<DocId, Vec<Vec<u32>>>,
}

impl<'a> Corpus<'a> {
    /// Encodes `docs` (whose features `cache` holds).
    fn new(project: &'a Project, cache: &'a FeatureCache, docs: &[DocId]) -> Self {
        let mut dict = Dictionary::default();
        let mut ids = HashMap::new();
        for d in docs {
            if let Some(f) = cache.peek(project, *d) {
                let encoded = f
                    .features
                    .iter()
                    .map(|hs| hs.iter().map(|h| dict.add(*h)).collect())
                    .collect();
                ids.insert(*d, encoded);
            }
        }
        Corpus {
            project,
            cache,
            dict: Arc::new(dict),
            ids,
        }
    }

    /// An article's features and feature ids.
    fn doc(&self, doc: DocId) -> Option<(Arc<Featured>, &[Vec<u32>])> {
        let f = self.cache.peek(self.project, doc)?;
        Some((f, self.ids.get(&doc)?.as_slice()))
    }
}

/// An article's feature ids, gold tags and the paragraphs to learn from.
type TrainingDoc<'c> = (&'c [Vec<u32>], Vec<usize>, Vec<std::ops::Range<usize>>);

/// Trains `label`'s tagger on `docs` (with the rejections of the project
/// outside them as negatives).
fn train(corpus: &Corpus, label: &LabelId, docs: &[DocId], scheme: Scheme) -> Tagger {
    let project = corpus.project;
    let mut data: Vec<TrainingDoc> = Vec::new();
    for d in docs {
        let Some((f, ids)) = corpus.doc(*d) else {
            continue;
        };
        let tags = scheme.from_bio(&gold_tags(project, *d, label, &f));
        data.push((ids, tags, f.paragraphs.clone()));
    }
    // Rejected suggestions elsewhere: their paragraphs, as they are.
    let in_training: BTreeSet<DocId> = docs.iter().copied().collect();
    let mut rejected: HashMap<DocId, Vec<usize>> = HashMap::new();
    for r in project.rejected().iter().filter(|r| r.label == *label) {
        if !in_training.contains(&r.doc) {
            rejected.entry(r.doc).or_default().push(r.start);
        }
    }
    for (d, starts) in rejected {
        let Some((f, ids)) = corpus.doc(d) else {
            continue;
        };
        let tags = scheme.from_bio(&gold_tags(project, d, label, &f));
        let paras: Vec<_> = f
            .paragraphs
            .iter()
            .filter(|p| {
                starts.iter().any(|s| {
                    let (a, b) = (f.tokens[p.start].start, f.tokens[p.end - 1].end);
                    (a..b).contains(s)
                })
            })
            .cloned()
            .collect();
        data.push((ids, tags, paras));
    }
    let sequences: Vec<Sequence> = data
        .iter()
        .flat_map(|(feats, tags, paras)| {
            paras.iter().map(move |p| Sequence {
                features: feats[p.clone()].iter().map(Vec::as_slice).collect(),
                tags: tags[p.clone()].to_vec(),
            })
        })
        .collect();
    let epochs = epochs(sequences.len());
    let model = perceptron::train(scheme, &sequences, corpus.dict.len(), epochs, 0x5eed);
    Tagger {
        label: label.clone(),
        dict: corpus.dict.clone(),
        model,
    }
}

impl Tagger {
    /// The spans it finds in an article, `(start, end, confidence)` in code
    /// points, in text order.
    pub fn tag(&self, f: &Featured) -> Vec<(usize, usize, f32)> {
        self.find(f, true)
    }

    /// The spans with their confidence (`with_confidence`), or with 1.0
    /// (the decoding alone, for choosing the bias).
    fn find(&self, f: &Featured, with_confidence: bool) -> Vec<(usize, usize, f32)> {
        self.spans(f, &self.score(f), with_confidence)
    }

    /// Each paragraph's emission scores (without the bias): the costly
    /// part of tagging, done once when the same article is decoded with
    /// several biases and temperatures.
    fn score(&self, f: &Featured) -> Vec<Vec<[f32; perceptron::TAGS]>> {
        self.score_ids(f, &known_ids(f, &self.dict))
    }

    /// [`Self::score`] of an article already encoded with the tagger's
    /// dictionary.
    fn score_ids(&self, f: &Featured, feats: &[Vec<u32>]) -> Vec<Vec<[f32; perceptron::TAGS]>> {
        f.paragraphs
            .iter()
            .map(|p| {
                let seq: Vec<&[u32]> = feats[p.clone()].iter().map(Vec::as_slice).collect();
                self.model.scores(&seq)
            })
            .collect()
    }

    /// The spans decoded from the paragraphs' scores.
    fn spans(
        &self,
        f: &Featured,
        scores: &[Vec<[f32; perceptron::TAGS]>],
        with_confidence: bool,
    ) -> Vec<(usize, usize, f32)> {
        let mut out = Vec::new();
        for (p, scored) in f.paragraphs.iter().zip(scores) {
            let tags = self.model.viterbi_scored(scored);
            if !tags.iter().any(|t| Scheme::opens(*t)) {
                continue;
            }
            let marg = if with_confidence {
                self.model.marginals_scored(scored)
            } else {
                vec![[1.0; perceptron::TAGS]; scored.len()]
            };
            let mut i = 0;
            while i < tags.len() {
                if !Scheme::opens(tags[i]) {
                    i += 1;
                    continue;
                }
                let mut j = i + 1;
                while j < tags.len() && Scheme::continues(tags[j]) {
                    j += 1;
                }
                let conf = (i..j).map(|k| marg[k][tags[k]]).fold(1.0f32, f32::min);
                let (a, b) = (f.tokens[p.start + i].start, f.tokens[p.start + j - 1].end);
                out.push((a, b, conf));
                i = j;
            }
        }
        out
    }
}

/// B biases tried on held-out articles.
const BIASES: [f32; 8] = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];
/// Temperatures tried for the confidences.
const TEMPERATURES: [f32; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

/// Below this many training articles every article is held out once
/// (five folds, or each in turn under ten); from it on, one fifth.
pub const FOLDS_BELOW: usize = 50;

/// Taggers trained without some articles, with those articles: every
/// fifth held out (from [`FOLDS_BELOW`] on), else five folds, or each in
/// turn under ten articles.
fn folds(
    corpus: &Corpus,
    label: &LabelId,
    docs: &[DocId],
    scheme: Scheme,
) -> Vec<(Tagger, Vec<DocId>)> {
    let fold = |k: usize, n: usize| -> (Vec<DocId>, Vec<DocId>) {
        let (test, train): (Vec<_>, Vec<_>) =
            docs.iter().enumerate().partition(|(i, _)| i % n == k);
        (
            train.into_iter().map(|(_, d)| *d).collect(),
            test.into_iter().map(|(_, d)| *d).collect(),
        )
    };
    let splits: Vec<(Vec<DocId>, Vec<DocId>)> = if docs.len() >= FOLDS_BELOW {
        vec![fold(4, 5)]
    } else if docs.len() >= 10 {
        (0..5).map(|k| fold(k, 5)).collect()
    } else {
        (0..docs.len()).map(|k| fold(k, docs.len())).collect()
    };
    splits
        .into_iter()
        .map(|(train_docs, test)| (train(corpus, label, &train_docs, scheme), test))
        .collect()
}

/// A tagger trained without some articles, with each of those articles,
/// its features and its paragraphs' scores.
struct Fold {
    tagger: Tagger,
    held_out: Vec<HeldOut>,
}

/// One held-out article, scored once by its fold's tagger.
struct HeldOut {
    doc: DocId,
    features: Arc<Featured>,
    scores: Vec<Vec<[f32; perceptron::TAGS]>>,
    gold: BTreeSet<(usize, usize)>,
}

/// Scores each fold's held-out articles once.
fn score_folds(corpus: &Corpus, folds: Vec<(Tagger, Vec<DocId>)>) -> Vec<Fold> {
    folds
        .into_iter()
        .map(|(tagger, test)| {
            let held_out = test
                .iter()
                .filter_map(|d| {
                    let (features, ids) = corpus.doc(*d)?;
                    let gold = corpus
                        .project
                        .spans_in(*d)
                        .filter(|s| s.label == tagger.label)
                        .map(|s| (s.start, s.end))
                        .collect();
                    let scores = tagger.score_ids(&features, ids);
                    Some(HeldOut {
                        doc: *d,
                        features,
                        scores,
                        gold,
                    })
                })
                .collect();
            Fold { tagger, held_out }
        })
        .collect()
}

/// (confidence, right) of every held-out guess with this bias and
/// temperature, and the held-out gold count.
fn guesses(
    project: &Project,
    folds: &mut [Fold],
    bias: f32,
    temperature: Option<f32>,
) -> (Vec<(f32, bool)>, usize) {
    let mut out = Vec::new();
    let mut gold_total = 0;
    for fold in folds.iter_mut() {
        fold.tagger.model.b_bias = bias;
        fold.tagger.model.temperature = temperature.unwrap_or(1.0);
        for h in &fold.held_out {
            gold_total += h.gold.len();
            // For the confidences (their fit and the threshold), the
            // same words guessed again in one article count once: one
            // article repeating a name must not decide what is shown.
            let mut seen = BTreeSet::new();
            let found = fold
                .tagger
                .spans(&h.features, &h.scores, temperature.is_some());
            for (a, b, c) in found {
                if temperature.is_some() {
                    let text = project
                        .document(h.doc)
                        .map(|x| x.text.slice(a..b).to_lowercase());
                    if !seen.insert(text) {
                        continue;
                    }
                }
                out.push((c, h.gold.contains(&(a, b))));
            }
        }
    }
    (out, gold_total)
}

/// How well confidences predict being right (lower is better).
fn log_loss(guesses: &[(f32, bool)]) -> f32 {
    guesses
        .iter()
        .map(|(c, ok)| {
            let c = c.clamp(1e-4, 1.0 - 1e-4);
            -(if *ok { c.ln() } else { (1.0 - c).ln() })
        })
        .sum::<f32>()
        / guesses.len().max(1) as f32
}

/// Precision, recall and F1 of `guesses` against `gold` spans.
fn prf(guesses: &[(f32, bool)], gold: usize) -> (f32, f32, f32) {
    let right = guesses.iter().filter(|g| g.1).count() as f32;
    let p = if guesses.is_empty() {
        0.0
    } else {
        right / guesses.len() as f32
    };
    let r = if gold == 0 { 0.0 } else { right / gold as f32 };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// The lowest confidence whose guesses at or above it are at least
/// [`TARGET_PRECISION`] precise (keeping the most guesses), or why none is.
pub fn choose_threshold(guesses: &[(f32, bool)]) -> Result<f32, String> {
    let mut sorted = guesses.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut right = 0;
    let mut best: Option<f32> = None;
    let mut best_precision = 0.0f32;
    for (n, (c, ok)) in sorted.iter().enumerate() {
        right += usize::from(*ok);
        let precision = right as f32 / (n + 1) as f32;
        best_precision = best_precision.max(if n >= 4 { precision } else { 0.0 });
        // Ties: a threshold keeps every guess of its confidence.
        let last_of_tie = sorted.get(n + 1).is_none_or(|next| next.0 < *c);
        if n >= 4 && precision >= TARGET_PRECISION && last_of_tie {
            best = Some(*c);
        }
    }
    best.ok_or_else(|| {
        if sorted.len() < 5 {
            format!("only {} held-out guesses: too few to trust", sorted.len())
        } else {
            format!(
                "held-out precision reaches {:.0}% at best (85% needed)",
                best_precision * 100.0
            )
        }
    })
}

/// Trains and evaluates a tagger for each of `labels` (all learnable ones
/// when empty), on every core.
pub fn learn(
    project: &Project,
    labels: &[LabelId],
    cache: &mut FeatureCache,
) -> Vec<(Tagger, Report)> {
    let docs = training_docs(project);
    let labels = if labels.is_empty() {
        learnable_labels(project, &docs)
    } else {
        labels.to_vec()
    };
    let quiet = Progress {
        stop: &|| false,
        label_done: &|| {},
    };
    learn_labels(project, &labels, &docs, cache, threads(), quiet).unwrap_or_default()
}

/// How a caller follows a run: `stop` is asked before each piece of work
/// (true ends the run early), `label_done` is called as each label's
/// tagger is ready.
#[derive(Clone, Copy)]
pub struct Progress<'a> {
    /// True: end the run (asked between pieces).
    pub stop: &'a (dyn Fn() -> bool + Sync),
    /// A label is done.
    pub label_done: &'a (dyn Fn() + Sync),
}

/// The articles whose features training reads: the training articles and
/// those with rejected suggestions.
fn feature_docs(project: &Project, docs: &[DocId]) -> Vec<DocId> {
    let mut all: BTreeSet<DocId> = docs.iter().copied().collect();
    all.extend(project.rejected().iter().map(|r| r.doc));
    all.into_iter().collect()
}

/// The tag sets each label is evaluated with; the one with the better
/// held-out F1 is trained on every article (BIO on a tie, and when
/// nothing can be held out).
const SCHEMES: [Scheme; 2] = [Scheme::Bio, Scheme::Bilou];

/// What a label's held-out articles say about one tag set.
#[derive(Default)]
struct Evaluation {
    scheme: Scheme,
    train_spans: usize,
    precision: Option<f32>,
    recall: Option<f32>,
    f1: Option<f32>,
    threshold: Option<f32>,
    why: Option<String>,
    bias: f32,
    temperature: f32,
}

/// A label's chosen evaluation and its final tagger, with how long
/// training that took.
type Finished = (Evaluation, Tagger, f64);

/// Where one label's evaluations wait for its final training: one place
/// per tag set, in the order of [`SCHEMES`], and how many were handed in.
#[derive(Default)]
struct Slot {
    handed: Mutex<(usize, [Option<Evaluation>; SCHEMES.len()])>,
    ready: Condvar,
}

impl Slot {
    /// Waits for every tag set's evaluation; `None` when one was not made
    /// (the run was stopped, or the evaluation panicked).
    fn wait(&self) -> Option<Vec<Evaluation>> {
        let mut handed = self
            .ready
            .wait_while(self.handed.lock().ok()?, |h| h.0 < SCHEMES.len())
            .ok()?;
        std::mem::take(&mut handed.1).into_iter().collect()
    }
}

/// Hands one evaluation to its [`Slot`] when dropped, so also when the
/// evaluation panics (as nothing): the final training then ends instead of
/// waiting forever, and the panic comes out of the run.
struct Handoff<'a> {
    slot: &'a Slot,
    scheme: usize,
    result: Option<Evaluation>,
}

impl<'a> Handoff<'a> {
    fn new(slot: &'a Slot, scheme: usize) -> Self {
        Self {
            slot,
            scheme,
            result: None,
        }
    }
}

impl Drop for Handoff<'_> {
    fn drop(&mut self) {
        // A poisoned lock still holds the count; hand in regardless.
        let mut handed = self
            .slot
            .handed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        handed.1[self.scheme] = self.result.take();
        handed.0 += 1;
        drop(handed);
        self.slot.ready.notify_all();
    }
}

/// The evaluation to keep: the better held-out F1, the first on a tie.
fn better(a: Evaluation, b: Evaluation) -> Evaluation {
    if b.f1.unwrap_or(-1.0) > a.f1.unwrap_or(-1.0) {
        b
    } else {
        a
    }
}

/// Trains and evaluates the taggers of `labels` on the training articles
/// `docs` (see [`training_docs`]), on up to `threads` threads. Returns
/// None when `progress.stop` ended the run early.
pub fn learn_labels(
    project: &Project,
    labels: &[LabelId],
    docs: &[DocId],
    cache: &mut FeatureCache,
    threads: usize,
    progress: Progress,
) -> Option<Vec<(Tagger, Report)>> {
    let all = feature_docs(project, docs);
    cache.fill(project, &all, threads);
    let corpus = Corpus::new(project, cache, &all);
    // Jobs: every label's evaluation with each tag set, then every
    // label's final tagger, which waits for its evaluations (already
    // handed out, as they come first in the queue, so nothing waits on a
    // job nobody runs). Evaluations first keeps both cores busy longest.
    let evaluations = labels.len() * SCHEMES.len();
    let spans: Vec<usize> = labels.iter().map(|l| spans_of(project, l, docs)).collect();
    let slots: Vec<Slot> = labels.iter().map(|_| Slot::default()).collect();
    let finished = in_parallel(
        evaluations + labels.len(),
        threads,
        |i| -> Option<Finished> {
            if i < evaluations {
                let (l, s) = (i / SCHEMES.len(), i % SCHEMES.len());
                let mut handoff = Handoff::new(&slots[l], s);
                if !(progress.stop)() {
                    let e = evaluate(&corpus, &labels[l], docs, SCHEMES[s], spans[l]);
                    handoff.result = Some(e);
                }
                return None;
            }
            let l = i - evaluations;
            // In the order of SCHEMES, so a tie keeps the first.
            let chosen = slots[l].wait()?.into_iter().reduce(better)?;
            if (progress.stop)() {
                return None;
            }
            let started = Instant::now();
            let tagger = train(&corpus, &labels[l], docs, chosen.scheme);
            let train_ms = started.elapsed().as_secs_f64() * 1000.0;
            (progress.label_done)();
            Some((chosen, tagger, train_ms))
        },
    );
    if finished.len() != evaluations + labels.len() {
        return None;
    }
    let by_label = finished.into_iter().skip(evaluations);
    labels
        .iter()
        .zip(by_label)
        .map(|(label, f)| {
            let (e, mut tagger, train_ms) = f?;
            tagger.model.b_bias = e.bias;
            tagger.model.temperature = e.temperature;
            let report = Report {
                label: label.clone(),
                train_docs: docs.len(),
                train_spans: e.train_spans,
                precision: e.precision,
                recall: e.recall,
                f1: e.f1,
                threshold: e.threshold,
                why: e.why,
                train_ms,
                bias: e.bias,
                scheme: e.scheme,
            };
            Some((tagger, report))
        })
        .collect()
}

/// Spans of `label` in `docs`.
fn spans_of(project: &Project, label: &LabelId, docs: &[DocId]) -> usize {
    docs.iter()
        .map(|d| project.spans_in(*d).filter(|s| s.label == *label).count())
        .sum()
}

/// Held-out scores of `label`'s tagger, the B bias with the best held-out
/// F1, the temperature whose confidences fit best, and the threshold.
fn evaluate(
    corpus: &Corpus,
    label: &LabelId,
    docs: &[DocId],
    scheme: Scheme,
    train_spans: usize,
) -> Evaluation {
    let project = corpus.project;
    let mut e = Evaluation {
        scheme,
        train_spans,
        temperature: 1.0,
        ..Evaluation::default()
    };
    if docs.len() < 2 {
        e.why = Some("needs at least 2 annotated articles (marked done, or imported)".into());
        return e;
    }
    if train_spans < MIN_SPANS {
        e.why = Some(format!(
            "needs at least {MIN_SPANS} spans; has {train_spans}"
        ));
        return e;
    }
    let mut folds = score_folds(corpus, folds(corpus, label, docs, scheme));
    // The bias with the best held-out F1 (decoding ignores the
    // temperature), then the temperature whose confidences fit best.
    let mut best = (f32::NEG_INFINITY, 0.0, (0.0, 0.0, 0.0));
    for b in BIASES {
        let (g, gold) = guesses(project, &mut folds, b, None);
        let scores = prf(&g, gold);
        if scores.2 > best.0 {
            best = (scores.2, b, scores);
        }
    }
    e.bias = best.1;
    let (p, r, f) = best.2;
    (e.precision, e.recall, e.f1) = (Some(p), Some(r), Some(f));
    let mut fit = (f32::INFINITY, 1.0, Vec::new());
    for t in TEMPERATURES {
        let (g, _) = guesses(project, &mut folds, e.bias, Some(t));
        let loss = log_loss(&g);
        if loss < fit.0 {
            fit = (loss, t, g);
        }
    }
    e.temperature = fit.1;
    match choose_threshold(&fit.2) {
        Ok(t) => e.threshold = Some(t),
        Err(why) => e.why = Some(why),
    }
    e
}

/// What the taggers find in `doc` that is to be shown: `(label, start,
/// end, confidence)` at or above each label's threshold — `min_score` (0
/// to 1) when given, else the analyst's own for the label, else the one
/// measured on held-out articles — leaving out labels the analyst turned
/// off. Spans and rejections are not looked at here (see
/// [`Suggested::is_pending`](crate::assist::suggest::Suggested::is_pending)).
pub fn tag_article(
    project: &Project,
    doc: DocId,
    learned: &[(Tagger, Report)],
    cache: &mut FeatureCache,
    min_score: Option<f32>,
) -> Vec<(LabelId, usize, usize, f32)> {
    let Some(f) = cache.get(project, doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (tagger, report) in learned {
        let setting = project.settings().learned(&tagger.label);
        if setting.off {
            continue;
        }
        let chosen = setting.min_score.map(|p| f32::from(p) / 100.0);
        let Some(threshold) = min_score.or(chosen).or(report.threshold) else {
            continue;
        };
        for (start, end, score) in tagger.tag(&f) {
            if score >= threshold {
                out.push((tagger.label.clone(), start, end, score));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_jobs_come_back_in_order_and_a_stopped_run_gives_nothing() {
        let squares = in_parallel(20, 3, |i| i * i);
        assert_eq!(squares, (0..20).map(|i| i * i).collect::<Vec<_>>());
        assert!(in_parallel(0, 2, |i| i).is_empty());
        let p = Project::new("p");
        let stopped = Progress {
            stop: &|| true,
            label_done: &|| {},
        };
        let mut cache = FeatureCache::default();
        let label = LabelId("claim".into());
        assert!(learn_labels(&p, &[label], &[], &mut cache, 2, stopped).is_none());
    }

    #[test]
    fn evaluations_reach_their_final_training_in_tag_set_order_even_when_one_panics() {
        let handed_in = |scheme: usize| Evaluation {
            scheme: SCHEMES[scheme],
            ..Evaluation::default()
        };
        let slot = Slot::default();
        std::thread::scope(|s| {
            for scheme in (0..SCHEMES.len()).rev() {
                let slot = &slot;
                s.spawn(move || Handoff::new(slot, scheme).result = Some(handed_in(scheme)));
            }
        });
        let schemes: Vec<Scheme> = slot
            .wait()
            .unwrap_or_default()
            .iter()
            .map(|e| e.scheme)
            .collect();
        assert_eq!(schemes, SCHEMES.to_vec());

        let slot = Slot::default();
        std::thread::scope(|s| {
            s.spawn(|| Handoff::new(&slot, 0).result = Some(handed_in(0)));
            let failing = s.spawn(|| {
                let _handoff = Handoff::new(&slot, 1);
                panic!("an evaluation fails");
            });
            assert!(failing.join().is_err());
        });
        // Checked before waiting, so a lost hand-in fails instead of hanging.
        let handed = slot.handed.lock().map(|h| h.0).unwrap_or_default();
        assert_eq!(
            handed,
            SCHEMES.len(),
            "the panicking evaluation is handed in"
        );
        assert!(slot.wait().is_none(), "no final training without both");
    }

    #[test]
    fn the_tag_set_with_the_better_held_out_f1_is_kept_bio_on_a_tie() {
        let scored = |scheme, f1| Evaluation {
            scheme,
            f1,
            ..Evaluation::default()
        };
        let pick = |a, b| better(scored(Scheme::Bio, a), scored(Scheme::Bilou, b)).scheme;
        assert_eq!(pick(Some(0.5), Some(0.6)), Scheme::Bilou);
        assert_eq!(pick(Some(0.6), Some(0.5)), Scheme::Bio);
        assert_eq!(pick(Some(0.5), Some(0.5)), Scheme::Bio);
        assert_eq!(pick(None, None), Scheme::Bio, "nothing held out");
    }

    #[test]
    fn the_threshold_keeps_the_most_guesses_at_85_percent() {
        let g = |c: f32, ok: bool| (c, ok);
        // 0.9 and above: 9 right of 10 (90%); down to 0.5: 10 of 14 (71%).
        let mut guesses: Vec<(f32, bool)> =
            (0..9).map(|i| g(0.99 - i as f32 * 0.01, true)).collect();
        guesses.push(g(0.9, false));
        guesses.extend([g(0.6, false), g(0.55, false), g(0.5, false), g(0.5, true)]);
        assert_eq!(choose_threshold(&guesses), Ok(0.9));
        let bad: Vec<(f32, bool)> = (0..10).map(|i| g(i as f32 / 10.0, i % 2 == 0)).collect();
        assert!(choose_threshold(&bad).unwrap_err().contains("85% needed"));
        assert!(
            choose_threshold(&[g(0.9, true)])
                .unwrap_err()
                .contains("too few")
        );
    }
}
