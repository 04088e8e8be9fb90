//! Find and suggestions in the window: the find bar's state and matches,
//! and the current article's suggestions.
//!
//! Suggestions are computed from the text (and the project's patterns) once
//! per article — on a background thread for long articles — and filtered
//! against the spans and rejections where they are used: when painted,
//! when stepped to, and (debounced after edits) for the pending count. So an
//! edit never re-runs the rules and never waits for the count.

use crate::assist::learn::{FeatureCache, tag_article};
use crate::assist::search::{Match, Query, search};
use crate::assist::suggest::{Compact, Suggested, Suggestion, candidates};
use crate::model::{DocId, LabelId, Project};
use crate::ui::learning::Trained;
use std::collections::VecDeque;
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
    /// in article id order, then text order).
    pub fn in_doc(&self, doc: DocId) -> &[Match] {
        // Articles are searched in id order: two binary searches, not a
        // scan of every match on every frame.
        let from = self.matches.partition_point(|m| m.doc < doc);
        let to = self.matches.partition_point(|m| m.doc <= doc);
        &self.matches[from..to]
    }

    /// The match the view is at.
    pub fn current_match(&self) -> Option<Match> {
        self.current.and_then(|i| self.matches.get(i).copied())
    }

    /// "3 of 17", "17 matches", "1 match", "no matches".
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
            (1, None) => "1 match".to_string(),
            _ => format!("{n}{more} matches"),
        }
    }
}

/// Texts shorter than this are scanned on the UI thread (a few ms).
const SYNC_CHARS: usize = 200_000;

/// What a list of suggestions was made from: (article, text pointer,
/// patterns, labels and settings, learned taggers' version).
type ListKey = (DocId, usize, usize, u64);

/// Lists kept for articles shown lately, so going back is instant.
const RECENT_LISTS: usize = 4;

/// How long an article is shown before its background scan starts.
const SCAN_DELAY: Duration = Duration::from_millis(150);

/// Rules look only at the text, the labels, the settings and the
/// patterns: a copy of the project with `d` alone and no spans makes the
/// list.
fn bare_project(project: &Project, d: &crate::model::Document) -> Project {
    let mut bare = Project::with_schema("", project.labels().to_vec(), Vec::new());
    let _ = bare.apply(crate::model::Edit::SetSettings(project.settings().clone()));
    let _ = bare.apply(crate::model::Edit::InsertDocument(d.clone()));
    for (i, p) in project.patterns().iter().enumerate() {
        let _ = bare.apply(crate::model::Edit::InsertPattern(i, p.clone()));
    }
    bare
}

/// After an edit, the pending count waits this long for a quiet moment.
const COUNT_DEBOUNCE: Duration = Duration::from_millis(200);

/// The suggestions of one article.
pub struct Suggestions {
    /// Show them (View → Suggestions).
    pub visible: bool,
    /// Shown on a long article too (asked for by the user).
    pub long_ok: bool,
    /// (article, text pointer, patterns and labels) the list was made for.
    key: Option<ListKey>,
    /// Every candidate, filtered only among themselves, sorted by start.
    list: Arc<Suggested>,
    /// Longest candidate, to bound overlap scans.
    max_len: usize,
    /// The background scan running, and the key it is for (one at a time:
    /// paging through articles does not pile scans up).
    pending_rx: Option<(ListKey, Receiver<Suggested>)>,
    /// Lists made for recently shown articles, newest last.
    recent: VecDeque<(ListKey, Arc<Suggested>)>,
    /// The article waiting for a scan, and since when (a scan starts once
    /// it has been shown a moment, not for every article paged through).
    wanted: Option<(DocId, Instant)>,
    /// The suggestion the cursor is on (its range and label).
    pub current: Option<(usize, usize, LabelId)>,
    /// Pending count: (history state it is for, count).
    count: Option<(u64, usize)>,
    /// The taggers whose suggestions join the rules' (None: none yet).
    learned: Option<Arc<Trained>>,
    /// When the history last changed (for the debounce).
    changed_at: Option<(u64, Instant)>,
}

fn empty(doc: DocId) -> Suggested {
    Suggested {
        doc,
        rules: Vec::new(),
        items: Vec::new(),
    }
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            visible: true,
            long_ok: false,
            key: None,
            list: Arc::new(empty(DocId(0))),
            max_len: 0,
            pending_rx: None,
            recent: VecDeque::new(),
            wanted: None,
            current: None,
            count: None,
            changed_at: None,
            learned: None,
        }
    }
}

/// Above this many characters (a book, not an article) suggestions are off
/// until asked for: the scan takes about a second and memory grows with it.
pub const LONG_ARTICLE_CHARS: usize = 2_000_000;

/// The rules' candidates for `doc`, with the taggers' suggestions where
/// no rule of their label suggests anything.
fn make_list(bare: &Project, doc: DocId, learned: Option<&Trained>) -> Suggested {
    let mut list = candidates(bare, doc);
    if let Some(t) = learned {
        let mut cache = FeatureCache::default();
        list.add_learned(&tag_article(bare, doc, &t.taggers, &mut cache, None));
    }
    list
}

impl Suggestions {
    /// Learned taggers to suggest from, from now on (lists are redone).
    pub fn set_learned(&mut self, trained: Arc<Trained>) {
        self.learned = Some(trained);
    }

    /// Whether they show on an article of `chars` characters.
    pub fn shows(&self, chars: usize) -> bool {
        self.visible && (chars <= LONG_ARTICLE_CHARS || self.long_ok)
    }

    /// Turns them on (for long articles too), as View → Suggestions or a
    /// suggestion key does.
    pub fn turn_on(&mut self) {
        self.visible = true;
        self.long_ok = true;
    }

    /// Makes sure the list for `doc` exists or is being made; returns true
    /// while it is not ready. Long articles are scanned in the background,
    /// one scan at a time, once shown for [`SCAN_DELAY`]; lists of recent
    /// articles are kept.
    pub fn ensure(&mut self, ctx: Option<&egui::Context>, project: &Project, doc: DocId) -> bool {
        let Some(d) = project.document(doc) else {
            return false;
        };
        let version = self.learned.as_ref().map_or(0, |t| t.version);
        let key = (
            doc,
            d.text.as_str().as_ptr() as usize,
            schema_key(project),
            version,
        );
        self.collect_scan();
        if self.key == Some(key) {
            return false;
        }
        if let Some(list) = self
            .recent
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, l)| l.clone())
        {
            self.set_list(key, list);
            return false;
        }
        if d.text.char_len() < SYNC_CHARS || ctx.is_none() {
            let list = Arc::new(make_list(
                &bare_project(project, d),
                doc,
                self.learned.as_deref(),
            ));
            self.remember(key, list.clone());
            self.set_list(key, list);
            return false;
        }
        // Nothing to show until this article's list is made.
        self.list = Arc::new(empty(doc));
        self.key = None;
        let since = match self.wanted {
            Some((d, t)) if d == doc => t,
            _ => {
                self.wanted = Some((doc, Instant::now()));
                Instant::now()
            }
        };
        if self.pending_rx.is_some() || since.elapsed() < SCAN_DELAY {
            if let Some(c) = ctx {
                c.request_repaint_after(SCAN_DELAY);
            }
            return true;
        }
        let bare = bare_project(project, d);
        let (tx, rx) = channel();
        let repaint = ctx.cloned();
        let learned = self.learned.clone();
        std::thread::spawn(move || {
            let list = make_list(&bare, doc, learned.as_deref());
            let _ = tx.send(list);
            if let Some(c) = repaint {
                c.request_repaint();
            }
        });
        self.pending_rx = Some((key, rx));
        true
    }

    /// Takes in a finished background scan, whichever article it was for.
    fn collect_scan(&mut self) {
        let Some((key, rx)) = &self.pending_rx else {
            return;
        };
        let key = *key;
        match rx.try_recv() {
            Ok(list) => {
                self.pending_rx = None;
                self.remember(key, Arc::new(list));
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.pending_rx = None,
        }
    }

    fn remember(&mut self, key: ListKey, list: Arc<Suggested>) {
        self.recent.retain(|(k, _)| *k != key);
        self.recent.push_back((key, list));
        while self.recent.len() > RECENT_LISTS {
            self.recent.pop_front();
        }
    }

    /// True once the list for the shown article is made (not being made
    /// in the background).
    pub fn ready(&self) -> bool {
        self.key.is_some()
    }

    fn set_list(&mut self, key: ListKey, list: Arc<Suggested>) {
        self.max_len = list
            .items
            .iter()
            .map(|c| (c.end - c.start) as usize)
            .max()
            .unwrap_or(0);
        self.list = list;
        self.key = Some(key);
        self.count = None;
    }

    /// The list (its article, rules and candidates).
    pub fn list(&self) -> &Suggested {
        &self.list
    }

    /// Candidates overlapping `range` of the list's article.
    pub fn overlapping(&self, range: Range<usize>) -> &[Compact] {
        let items = &self.list.items;
        let from = items.partition_point(|c| c.start as usize + self.max_len < range.start);
        let to = items.partition_point(|c| (c.start as usize) < range.end);
        if from >= to {
            return &[];
        }
        &items[from..to]
    }

    /// The first pending candidate after (`forward`) or before position
    /// `at` (starting there too when `inclusive`), wrapping around.
    pub fn step(
        &self,
        project: &Project,
        at: usize,
        forward: bool,
        inclusive: bool,
    ) -> Option<Compact> {
        let items = &self.list.items;
        let pending = |c: &&Compact| self.list.is_pending(project, c);
        let found = if forward {
            let i = items.partition_point(|c| {
                (c.start as usize) < at || (!inclusive && c.start as usize == at)
            });
            items[i..]
                .iter()
                .find(pending)
                .or_else(|| items[..i].iter().find(pending))
        } else {
            let i = items.partition_point(|c| (c.start as usize) < at);
            items[..i]
                .iter()
                .rev()
                .find(pending)
                .or_else(|| items[i..].iter().rev().find(pending))
        };
        found.copied()
    }

    /// The pending suggestion at the cursor, in full.
    pub fn current_suggestion(&self, project: &Project) -> Option<Suggestion> {
        let (a, b, label) = self.current.as_ref()?;
        self.overlapping(*a..*b)
            .iter()
            .find(|c| c.start as usize == *a && c.end as usize == *b && self.list.label(c) == label)
            .filter(|c| self.list.is_pending(project, c))
            .map(|c| self.list.expand(project, c))
    }

    /// Where the suggestion at the cursor comes from ("learned · 0.93").
    pub fn current_origin(&self) -> Option<String> {
        let (a, b, label) = self.current.as_ref()?;
        self.overlapping(*a..*b)
            .iter()
            .find(|c| c.start as usize == *a && c.end as usize == *b && self.list.label(c) == label)
            .map(|c| self.list.origin(c))
    }

    /// Pending suggestions of the rule named `rule` for `label`, in full.
    /// (A rule suggests one label; the learned rule, one per label.)
    pub fn pending_of_rule(
        &self,
        project: &Project,
        rule: &str,
        label: &LabelId,
    ) -> Vec<Suggestion> {
        let Some(index) = self
            .list
            .rules
            .iter()
            .position(|r| r.name == rule && r.label == *label)
        else {
            return Vec::new();
        };
        self.list
            .items
            .iter()
            .filter(|c| usize::from(c.rule) == index && self.list.is_pending(project, c))
            .map(|c| self.list.expand(project, c))
            .collect()
    }

    /// How many suggestions are pending (recounted once the history has
    /// been still for a moment; the old count until then).
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
        if quiet || self.list.items.len() < 5_000 || self.count.is_none() {
            let list = &self.list;
            let n = list
                .items
                .iter()
                .filter(|c| list.is_pending(project, c))
                .count();
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

/// Changes whenever the project's patterns or label ids change.
fn schema_key(project: &Project) -> usize {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for l in project.labels() {
        l.id.hash(&mut h);
    }
    for p in project.patterns() {
        p.text.hash(&mut h);
        p.regex.hash(&mut h);
        p.case_sensitive.hash(&mut h);
        p.label.hash(&mut h);
        p.attributes.hash(&mut h);
    }
    project.settings().rules_off.hash(&mut h);
    project.settings().learned.hash(&mut h);
    h.finish() as usize
}
