//! The open project and how it is being viewed: the selection, the views
//! of its articles, drafts, the find bar, the suggestions and a comparison.
//! Below the drawing, the dispatcher and the app: they all read it; only
//! the dispatcher changes the project in it.

use super::assist::{Find, Suggestions};
use super::doc_list::{ArticleList, StatusFilter};
use super::review::Comparison;
use super::span_list::{AllSpans, SpanList};
use super::text_view::{DocView, Selection};
use crate::formats::ExportFormat;
use crate::model::{DocId, History, LabelId, Project, SpanId};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

mod assist;
mod review;
mod sourcing;

pub use sourcing::{Pick, SourceDraft, SourcesWindow, SourcingWindow};

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
    /// The folder relative article origins are read from: the project
    /// file's, also for a copy or a read-only opening (None: the working
    /// directory, for a project never saved).
    pub folder: Option<PathBuf>,
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
    pub(super) list_cache: Option<SpanList>,
    pub(super) counts_cache: Option<CountsCache>,
    /// Another version shown beside ours (Project → Compare with…).
    pub compare: Option<Comparison>,
    /// Position in the review list (conflicts, then disagreements).
    pub review_cursor: usize,
    /// The find bar, when open.
    pub find: Option<Find>,
    /// The current article's suggestions.
    pub suggestions: Suggestions,
    /// The orphan that Re-attach and Discard act on.
    pub selected_orphan: Option<SpanId>,
    /// The article list's filter, order and rows.
    pub articles: ArticleList,
    /// The span list shows every article's spans (else the current one's).
    pub all_spans_shown: bool,
    /// Which articles' spans the all-articles list shows, by status.
    pub all_spans_status: StatusFilter,
    pub(super) all_spans: AllSpans,
    /// Rows of the span list drawn last frame.
    pub span_list_visible: std::ops::Range<usize>,
    /// The selection the span list last scrolled to.
    pub span_list_revealed: Option<SpanId>,
    /// The event Alt+A adds arguments to.
    pub event_target: Option<crate::model::EventId>,
    /// The span list puts each event's arguments under its trigger.
    pub group_events: bool,
    pub(super) groups_cache: Option<GroupsCache>,
    /// (documents' version, article shown) → progress and position, which
    /// every frame shows and a corpus of 10,000 articles would otherwise
    /// count each time.
    corpus_cache: Option<((u64, Option<DocId>), CorpusFacts)>,
    /// The Sources window, when shown.
    pub sources_window: Option<SourcesWindow>,
    /// The Sourcing view, when shown.
    pub sourcing_window: Option<SourcingWindow>,
    /// Articles shown in this workspace so far (see [`Workspace::current_view`]).
    pub(crate) viewed: std::collections::HashSet<DocId>,
    /// The learned taggers and their background training.
    pub learning: crate::ui::learning::Learning,
    /// The Learning panel, when shown.
    pub learning_window: Option<crate::ui::learning::LearningWindow>,
}

/// What the status bar and the article list say about the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusFacts {
    /// Articles done, skipped and in all.
    pub progress: crate::ui::doc_list::Progress,
    /// The shown article's 1-based position, and the count.
    pub position: Option<(usize, usize)>,
}

/// (history state, article, hidden labels) → grouped rows.
pub(super) type GroupsCache = (u64, DocId, BTreeSet<LabelId>, Vec<(SpanId, Option<String>)>);

impl Workspace {
    /// Wraps a project; the first document is shown.
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let current = project.documents().next().map(|d| d.id);
        Workspace {
            project,
            history: History::new(),
            folder: path
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf),
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
            suggestions: Suggestions::default(),
            selected_orphan: None,
            articles: ArticleList::default(),
            all_spans_shown: false,
            all_spans_status: StatusFilter::All,
            all_spans: AllSpans::default(),
            span_list_visible: 0..0,
            span_list_revealed: None,
            event_target: None,
            group_events: false,
            groups_cache: None,
            sources_window: None,
            sourcing_window: None,
            viewed: Default::default(),
            learning: Default::default(),
            learning_window: None,
            corpus_cache: None,
        }
    }

    /// True when there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// The view of the current document (created on demand). A view made
    /// for an article shown for the first time in this workspace starts at
    /// the top: egui keeps scroll offsets by id, and article 1 of the
    /// project open before would lend its place. A view made again (its
    /// text replaced) stays where it was.
    pub fn current_view(&mut self) -> Option<&mut DocView> {
        let doc = self.current?;
        let text = self.project.document(doc)?.text.clone();
        let viewed = &mut self.viewed;
        Some(self.views.entry(doc).or_insert_with(|| {
            let mut v = DocView::new(doc, text);
            if viewed.insert(doc) {
                v.set_scroll_offset(0.0);
            }
            v
        }))
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
    fn span_list(&mut self) -> Option<(&SpanList, &Project)> {
        let doc = self.current?;
        SpanList::refresh(
            &mut self.list_cache,
            &self.project,
            doc,
            &self.hidden_labels,
        );
        Some((self.list_cache.as_ref()?, &self.project))
    }

    /// Every article's spans, as the all-articles list shows them.
    fn all_span_rows(&mut self) -> &[SpanId] {
        let state = self.history.current_state();
        let statuses = crate::model::DocStatus::ALL.map(|s| self.all_spans_status.keeps(s));
        self.all_spans
            .rows(&self.project, state, &self.hidden_labels, statuses)
    }

    /// Progress and the shown article's position (cached per history state
    /// and article).
    pub fn corpus_facts(&mut self) -> CorpusFacts {
        let key = (self.project.documents_version(), self.current);
        if let Some((k, facts)) = &self.corpus_cache
            && *k == key
        {
            return *facts;
        }
        let facts = CorpusFacts {
            progress: crate::ui::doc_list::Progress::of(&self.project),
            position: self
                .current
                .and_then(|d| crate::ui::doc_list::position(&self.project, d)),
        };
        self.corpus_cache = Some((key, facts));
        facts
    }

    /// The current article's rows grouped by event, when asked for.
    fn grouped_rows(&mut self) -> Option<&[(SpanId, Option<String>)]> {
        if !self.group_events || self.all_spans_shown {
            return None;
        }
        let doc = self.current?;
        let state = self.history.current_state();
        let fresh = self
            .groups_cache
            .as_ref()
            .is_some_and(|(s, d, h, _)| *s == state && *d == doc && *h == self.hidden_labels);
        if !fresh {
            let rows = super::span_list::event_groups(&self.project, doc, &self.hidden_labels);
            self.groups_cache = Some((state, doc, self.hidden_labels.clone(), rows));
        }
        self.groups_cache.as_ref().map(|c| c.3.as_slice())
    }

    /// The span list's rows in `rows` with the role each is listed under
    /// (None: in its own place).
    pub fn span_list_entries(
        &mut self,
        rows: std::ops::Range<usize>,
    ) -> Vec<(SpanId, Option<String>)> {
        if let Some(grouped) = self.grouped_rows() {
            let end = rows.end.min(grouped.len());
            return grouped[rows.start.min(end)..end].to_vec();
        }
        self.span_list_rows(rows)
            .into_iter()
            .map(|id| (id, None))
            .collect()
    }

    /// Rows in the span list.
    pub fn span_list_len(&mut self) -> usize {
        if let Some(grouped) = self.grouped_rows() {
            return grouped.len();
        }
        if self.all_spans_shown {
            return self.all_span_rows().len();
        }
        self.span_list()
            .map_or(0, |(list, project)| list.len(project))
    }

    /// The spans at rows `rows` of the span list (clamped), in order.
    pub fn span_list_rows(&mut self, rows: std::ops::Range<usize>) -> Vec<SpanId> {
        if self.all_spans_shown {
            let all = self.all_span_rows();
            let end = rows.end.min(all.len());
            return all[rows.start.min(end)..end].to_vec();
        }
        self.span_list().map_or_else(Vec::new, |(list, project)| {
            list.rows(project, rows).into_iter().map(|r| r.1).collect()
        })
    }

    /// The row of span `id` in the span list, if it lists it.
    pub fn span_list_row_of(&mut self, id: SpanId) -> Option<usize> {
        if let Some(grouped) = self.grouped_rows() {
            return grouped.iter().position(|(s, _)| *s == id);
        }
        if self.all_spans_shown {
            return self.all_span_rows().iter().position(|s| *s == id);
        }
        self.span_list()
            .and_then(|(list, project)| list.row_of(project, id))
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

    /// Shows an article from the keyboard (next, go to…): nothing is
    /// selected in it, and the article list scrolls to its row.
    pub fn show_article(&mut self, doc: DocId) {
        self.current = Some(doc);
        self.selected = None;
        self.articles.reveal = true;
    }

    /// Selects a span, shows its document and scrolls to it. Selection is
    /// view state, not a model change.
    pub fn select_span(&mut self, id: SpanId) {
        let Some(span) = self.project.span(id) else {
            return;
        };
        let (doc, start) = (span.doc, span.start);
        if self.current != Some(doc) {
            self.articles.reveal = true;
        }
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

impl Workspace {
    /// Why linking cannot start from the selection, if it cannot.
    pub fn cannot_start_link(&self) -> Option<String> {
        let ws = self;
        let Some(span) = ws.selected.and_then(|id| ws.project.span(id)) else {
            return Some(
                "Select a claim or figure first, then press L and click its source.".into(),
            );
        };
        if ws.project.can_link_from(&span.label) {
            return None;
        }
        let name = ws
            .project
            .label(&span.label)
            .map_or(span.label.as_str(), |l| l.name.as_str());
        let rules: Vec<String> = ws
            .project
            .link_types()
            .iter()
            .map(|t| format!("{}: {}", t.id, t.describe()))
            .collect();
        Some(format!(
            "A {name} span cannot be linked to a source ({}).",
            rules.join("; ")
        ))
    }
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
