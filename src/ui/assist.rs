//! Find and suggestions in the window: the find bar's state and matches,
//! and the current article's suggestions.
//!
//! Suggestions are computed from the text (and the project's patterns) once
//! per article — on a background thread for long articles — and filtered
//! against the spans and rejections where they are used: when painted,
//! when stepped to, and (debounced after edits) for the pending count. So an
//! edit never re-runs the rules and never waits for the count.

use crate::assist::search::{Match, Query, search};
use crate::assist::suggest::{Suggestion, suggest};
use crate::model::{DocId, LabelId, Project};
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// The find bar.
#[derive(Debug, Default)]
pub struct Find {
    /// What is typed, and how to match it.
    pub query: Query,
    /// Search every article (false: the current one).
    pub whole_project: bool,
    /// The matches, in article then text order.
    pub matches: Vec<Match>,
    /// The match the view is at.
    pub current: Option<usize>,
    /// Why the query cannot run (a bad regex).
    pub error: Option<String>,
    /// The label "Tag all as" uses.
    pub tag_label: Option<LabelId>,
    /// Put the keyboard in the field on the next frame.
    pub focus: bool,
    /// The article the matches were found in (current-article scope).
    pub searched_doc: Option<DocId>,
}

impl Find {
    /// Runs the query again (after it or the scope changed).
    pub fn refresh(&mut self, project: &Project, current: Option<DocId>) {
        let only: Option<Vec<DocId>> = if self.whole_project {
            None
        } else {
            Some(current.into_iter().collect())
        };
        self.searched_doc = current;
        match search(project, &self.query, only.as_deref()) {
            Ok(m) => {
                self.matches = m;
                self.error = None;
            }
            Err(e) => {
                self.matches.clear();
                self.error = Some(e.to_string());
            }
        }
        self.current = None;
    }

    /// The matches in `doc`: one contiguous run of the list (matches are
    /// in article order, then text order).
    pub fn in_doc(&self, doc: DocId) -> &[Match] {
        let from = self.matches.iter().position(|m| m.doc == doc);
        match from {
            Some(a) => {
                let n = self.matches[a..]
                    .iter()
                    .take_while(|m| m.doc == doc)
                    .count();
                &self.matches[a..a + n]
            }
            None => &[],
        }
    }

    /// The match the view is at.
    pub fn current_match(&self) -> Option<Match> {
        self.current.and_then(|i| self.matches.get(i).copied())
    }

    /// "3 of 17", "17 matches", "no matches".
    pub fn count_text(&self) -> String {
        let n = self.matches.len();
        let more = if n >= crate::assist::search::MAX_MATCHES {
            "+"
        } else {
            ""
        };
        match (n, self.current) {
            (0, _) => "no matches".to_string(),
            (_, Some(i)) => format!("{} of {n}{more}", i + 1),
            _ => format!("{n}{more} matches"),
        }
    }
}

/// Texts shorter than this are scanned on the UI thread (a few ms).
const SYNC_CHARS: usize = 200_000;

/// After an edit, the pending count waits this long for a quiet moment.
const COUNT_DEBOUNCE: Duration = Duration::from_millis(200);

/// The suggestions of one article.
pub struct Suggestions {
    /// Show them (View → Suggestions).
    pub visible: bool,
    /// (article, text pointer, patterns) the raw list was made for.
    key: Option<(DocId, usize, usize)>,
    /// Every candidate, filtered only among themselves, sorted by start.
    raw: Arc<Vec<Suggestion>>,
    /// Longest raw suggestion, to bound overlap scans.
    max_len: usize,
    pending_rx: Option<(DocId, Receiver<Vec<Suggestion>>)>,
    /// The suggestion the cursor is on (its range and label).
    pub current: Option<(usize, usize, LabelId)>,
    /// Pending count: (history state it is for, count).
    count: Option<(u64, usize)>,
    /// When the history last changed (for the debounce).
    changed_at: Option<(u64, Instant)>,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            visible: true,
            key: None,
            raw: Arc::new(Vec::new()),
            max_len: 0,
            pending_rx: None,
            current: None,
            count: None,
            changed_at: None,
        }
    }
}

/// Is `s` still to be shown (no span of its label over it, not rejected)?
pub fn is_pending(project: &Project, s: &Suggestion) -> bool {
    !project.rejected().contains(&s.rejection())
        && !project
            .spans_overlapping(s.doc, s.start..s.end)
            .iter()
            .any(|x| x.label == s.label)
}

impl Suggestions {
    /// Makes sure the raw list for `doc` exists or is being made; returns
    /// true while a background scan runs.
    pub fn ensure(&mut self, ctx: Option<&egui::Context>, project: &Project, doc: DocId) -> bool {
        let Some(d) = project.document(doc) else {
            return false;
        };
        let key = (
            doc,
            d.text.as_str().as_ptr() as usize,
            patterns_key(project),
        );
        if let Some((for_doc, rx)) = &self.pending_rx {
            if *for_doc == doc {
                if let Ok(list) = rx.try_recv() {
                    self.set_raw(key, list);
                    self.pending_rx = None;
                    return false;
                }
                return true;
            }
            self.pending_rx = None;
        }
        if self.key == Some(key) {
            return false;
        }
        // Rules look only at the text and the patterns: a copy of the
        // project without spans makes the raw list.
        let mut bare = Project::with_schema("", project.labels().to_vec(), Vec::new());
        let _ = bare.apply(crate::model::Edit::InsertDocument(d.clone()));
        for (i, p) in project.patterns().iter().enumerate() {
            let _ = bare.apply(crate::model::Edit::InsertPattern(i, p.clone()));
        }
        if d.text.char_len() < SYNC_CHARS || ctx.is_none() {
            let list = suggest(&bare, doc);
            self.set_raw(key, list);
            return false;
        }
        let (tx, rx) = channel();
        let repaint = ctx.cloned();
        std::thread::spawn(move || {
            let list = suggest(&bare, doc);
            let _ = tx.send(list);
            if let Some(c) = repaint {
                c.request_repaint();
            }
        });
        self.pending_rx = Some((doc, rx));
        self.raw = Arc::new(Vec::new());
        self.key = None;
        true
    }

    fn set_raw(&mut self, key: (DocId, usize, usize), list: Vec<Suggestion>) {
        self.max_len = list.iter().map(|s| s.end - s.start).max().unwrap_or(0);
        self.raw = Arc::new(list);
        self.key = Some(key);
        self.count = None;
    }

    /// Raw suggestions overlapping `range` of the article the list is for.
    pub fn overlapping(&self, range: Range<usize>) -> &[Suggestion] {
        let from = self
            .raw
            .partition_point(|s| s.start + self.max_len < range.start);
        let to = self.raw.partition_point(|s| s.start < range.end);
        if from >= to {
            return &[];
        }
        &self.raw[from..to]
    }

    /// The first pending suggestion after (`forward`) or before position
    /// `at` (starting there too when `inclusive`), wrapping around.
    pub fn step(
        &self,
        project: &Project,
        at: usize,
        forward: bool,
        inclusive: bool,
    ) -> Option<&Suggestion> {
        let pending = |s: &&Suggestion| is_pending(project, s);
        if forward {
            let i = self
                .raw
                .partition_point(|s| s.start < at || (!inclusive && s.start == at));
            self.raw[i..]
                .iter()
                .find(pending)
                .or_else(|| self.raw[..i].iter().find(pending))
        } else {
            let i = self.raw.partition_point(|s| s.start < at);
            self.raw[..i]
                .iter()
                .rev()
                .find(pending)
                .or_else(|| self.raw[i..].iter().rev().find(pending))
        }
    }

    /// The pending suggestion at the cursor, if it is still pending.
    pub fn current_suggestion(&self, project: &Project) -> Option<&Suggestion> {
        let (a, b, label) = self.current.as_ref()?;
        self.overlapping(*a..*b)
            .iter()
            .find(|s| s.start == *a && s.end == *b && s.label == *label)
            .filter(|s| is_pending(project, s))
    }

    /// Pending suggestions of `rule` in the article.
    pub fn pending_of_rule<'a>(
        &'a self,
        project: &'a Project,
        rule: &'a str,
    ) -> Vec<&'a Suggestion> {
        self.raw
            .iter()
            .filter(|s| s.rule == rule && is_pending(project, s))
            .collect()
    }

    /// How many suggestions are pending (recounted once the history has
    /// been still for a moment; None until then).
    pub fn pending_count(&mut self, project: &Project, state: u64) -> Option<usize> {
        match self.changed_at {
            Some((s, _)) if s == state => {}
            _ => self.changed_at = Some((state, Instant::now())),
        }
        if let Some((s, n)) = self.count
            && s == state
        {
            return Some(n);
        }
        let quiet = self
            .changed_at
            .is_some_and(|(_, t)| t.elapsed() >= COUNT_DEBOUNCE);
        if quiet || self.raw.len() < 5_000 || self.count.is_none() {
            let n = self.raw.iter().filter(|s| is_pending(project, s)).count();
            self.count = Some((state, n));
            return Some(n);
        }
        self.count.map(|(_, n)| n)
    }

    /// True when the count is stale and should be redrawn soon.
    pub fn count_stale(&self, state: u64) -> bool {
        self.count.is_some_and(|(s, _)| s != state)
    }
}

/// Changes whenever the project's patterns change.
fn patterns_key(project: &Project) -> usize {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in project.patterns() {
        p.text.hash(&mut h);
        p.regex.hash(&mut h);
        p.case_sensitive.hash(&mut h);
        p.label.hash(&mut h);
        p.attributes.hash(&mut h);
    }
    h.finish() as usize
}
