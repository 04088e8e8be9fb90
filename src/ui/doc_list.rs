//! The article list's rows: the project's articles filtered as the analyst
//! types (title, number or file name), narrowed by status and sorted. Only
//! the visible rows are drawn, so a corpus of 10,000 articles costs what
//! ten do; the rows are worked out again only when the project, the filter
//! or the sort changes.

use crate::model::{DocId, DocStatus, Document, Project};

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArticleSort {
    /// As in the project (by id: the order they were added).
    #[default]
    Corpus,
    /// By title, ignoring case.
    Title,
    /// Most spans first.
    Spans,
    /// New, in progress, done, skipped; corpus order within each.
    Status,
}

impl ArticleSort {
    /// Every order, for the menu.
    pub const ALL: [ArticleSort; 4] = [
        ArticleSort::Corpus,
        ArticleSort::Title,
        ArticleSort::Spans,
        ArticleSort::Status,
    ];

    /// For people.
    pub fn title(self) -> &'static str {
        match self {
            ArticleSort::Corpus => "Corpus order",
            ArticleSort::Title => "Title",
            ArticleSort::Spans => "Most spans",
            ArticleSort::Status => "Status",
        }
    }
}

/// Which articles the list shows, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Every article.
    #[default]
    All,
    /// New and in progress.
    NotDone,
    /// Only this status.
    Only(DocStatus),
}

impl StatusFilter {
    /// Every choice, for the menu.
    pub const ALL: [StatusFilter; 6] = [
        StatusFilter::All,
        StatusFilter::NotDone,
        StatusFilter::Only(DocStatus::New),
        StatusFilter::Only(DocStatus::InProgress),
        StatusFilter::Only(DocStatus::Done),
        StatusFilter::Only(DocStatus::Skipped),
    ];

    /// For people.
    pub fn title(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::NotDone => "Not done",
            StatusFilter::Only(s) => s.title(),
        }
    }

    /// Whether an article of this status is shown.
    pub fn keeps(self, status: DocStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::NotDone => !status.is_finished(),
            StatusFilter::Only(s) => s == status,
        }
    }
}

/// The article list's state: what the analyst typed and chose, and the
/// rows that follow from it.
#[derive(Debug, Clone, Default)]
pub struct ArticleList {
    /// The filter text.
    pub filter: String,
    /// The order.
    pub sort: ArticleSort,
    /// Which statuses show.
    pub show: StatusFilter,
    /// Give the filter box the keyboard on the next frame.
    pub focus_filter: bool,
    /// Scroll the current article into view on the next frame.
    pub reveal: bool,
    /// Scroll so that this row is at the top on the next frame.
    pub scroll_to_row: Option<usize>,
    cache: Option<Cached>,
    /// Each article's title and file name, lowercased, for the filter;
    /// made again only when the articles change.
    names: Option<(u64, std::sync::Arc<[String]>)>,
}

#[derive(Debug, Clone)]
struct Cached {
    key: (u64, String, ArticleSort, StatusFilter),
    rows: std::sync::Arc<[DocId]>,
}

impl ArticleList {
    /// The rows for `project` at history state `state`, worked out again
    /// only when the filter or the choices changed, or what they depend
    /// on: the articles (their titles and statuses), and for the span-count
    /// order the history state.
    pub fn rows(&mut self, project: &Project, state: u64) -> std::sync::Arc<[DocId]> {
        let state = if self.sort == ArticleSort::Spans {
            state
        } else {
            project.documents_version()
        };
        let fresh = self.cache.as_ref().is_some_and(|c| {
            c.key.0 == state
                && c.key.1 == self.filter
                && c.key.2 == self.sort
                && c.key.3 == self.show
        });
        if !fresh {
            let version = project.documents_version();
            let names = match &self.names {
                Some((v, names)) if *v == version => names.clone(),
                _ => {
                    let names: std::sync::Arc<[String]> = searchable_names(project).into();
                    self.names = Some((version, names.clone()));
                    names
                }
            };
            let rows = rows_among(project, &names, &self.filter, self.sort, self.show).into();
            let key = (state, self.filter.clone(), self.sort, self.show);
            self.cache = Some(Cached { key, rows });
        }
        self.cache
            .as_ref()
            .map_or_else(|| std::sync::Arc::from(Vec::new()), |c| c.rows.clone())
    }

    /// True when the filter or the status choice hides articles.
    pub fn is_narrowed(&self) -> bool {
        !self.filter.trim().is_empty() || self.show != StatusFilter::All
    }
}

/// The articles `filter` and `show` keep, in `sort` order.
pub fn rows_for(
    project: &Project,
    filter: &str,
    sort: ArticleSort,
    show: StatusFilter,
) -> Vec<DocId> {
    rows_among(project, &searchable_names(project), filter, sort, show)
}

/// Each article's lowercased title and file name (one line each), in
/// corpus order: what the filter's words are looked for in.
fn searchable_names(project: &Project) -> Vec<String> {
    project
        .documents()
        .map(|d| {
            let mut name = d.title.to_lowercase();
            if let Some(file) = file_name(d) {
                name.push('\n');
                name.push_str(&file.to_lowercase());
            }
            name
        })
        .collect()
}

/// [`rows_for`] with the names already made.
fn rows_among(
    project: &Project,
    names: &[String],
    filter: &str,
    sort: ArticleSort,
    show: StatusFilter,
) -> Vec<DocId> {
    let query = Query::new(filter);
    let mut rows: Vec<(usize, &Document)> = project
        .documents()
        .zip(names)
        .enumerate()
        .filter(|(_, (d, _))| show.keeps(d.status))
        .filter(|(i, (d, name))| query.matches(*i + 1, d, name))
        .map(|(i, (d, _))| (i, d))
        .collect();
    match sort {
        ArticleSort::Corpus => {}
        ArticleSort::Title => rows.sort_by_cached_key(|(i, d)| (d.title.to_lowercase(), *i)),
        ArticleSort::Spans => {
            rows.sort_by_cached_key(|(i, d)| (std::cmp::Reverse(project.span_count_in(d.id)), *i))
        }
        ArticleSort::Status => rows.sort_by_key(|(i, d)| (d.status, *i)),
    }
    rows.into_iter().map(|(_, d)| d.id).collect()
}

/// What the analyst typed, split into words: each must match the title,
/// the file name or (as a number) the article's id or position.
struct Query {
    words: Vec<String>,
}

impl Query {
    fn new(text: &str) -> Self {
        Query {
            words: text.split_whitespace().map(str::to_lowercase).collect(),
        }
    }

    /// Whether the article at 1-based `position`, whose lowercased title
    /// and file name are `name`, matches every word. A word never holds
    /// the newline between the two, so it matches within one of them.
    fn matches(&self, position: usize, doc: &Document, name: &str) -> bool {
        self.words.iter().all(|w| {
            let number = w.strip_prefix('#').unwrap_or(w).parse::<u64>().ok();
            number.is_some_and(|n| n == doc.id.0 || n == position as u64)
                || name.contains(w.as_str())
        })
    }
}

/// The file an article came from (the last part of its origin), or the
/// stem it was imported under.
pub fn file_name(doc: &Document) -> Option<&str> {
    doc.origin
        .as_deref()
        .map(|o| o.rsplit(['/', '\\']).next().unwrap_or(o))
        .or(doc.stem.as_deref())
}

/// How far the corpus has got: articles done, skipped, and in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Articles done.
    pub done: usize,
    /// Articles skipped.
    pub skipped: usize,
    /// Every article.
    pub total: usize,
}

impl Progress {
    /// Counts `project`'s articles.
    pub fn of(project: &Project) -> Self {
        let mut p = Progress {
            done: 0,
            skipped: 0,
            total: project.documents().len(),
        };
        for d in project.documents() {
            match d.status {
                DocStatus::Done => p.done += 1,
                DocStatus::Skipped => p.skipped += 1,
                _ => {}
            }
        }
        p
    }

    /// The share of articles done or skipped, 0 to 1.
    pub fn finished_share(&self) -> f32 {
        if self.total == 0 {
            return 0.0;
        }
        (self.done + self.skipped) as f32 / self.total as f32
    }

    /// "312 of 1,005 done", with ", 4 skipped" when any are.
    pub fn describe(&self) -> String {
        let mut s = format!("{} of {} done", thousands(self.done), thousands(self.total));
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", thousands(self.skipped)));
        }
        s
    }
}

/// 1005 as "1,005".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The 1-based position of `doc` in the project's order, and the count.
pub fn position(project: &Project, doc: DocId) -> Option<(usize, usize)> {
    let at = project.documents().position(|d| d.id == doc)?;
    Some((at + 1, project.documents().len()))
}

/// The next (or previous) article after `from`, in corpus order and
/// wrapping, whose status is not finished.
pub fn next_unfinished(project: &Project, from: Option<DocId>, forward: bool) -> Option<DocId> {
    let ids: Vec<(DocId, DocStatus)> = project.documents().map(|d| (d.id, d.status)).collect();
    let n = ids.len();
    let at = from.and_then(|f| ids.iter().position(|(d, _)| *d == f));
    (1..=n)
        .map(|k| match (at, forward) {
            (Some(a), true) => (a + k) % n,
            (Some(a), false) => (a + n - k % n) % n,
            (None, true) => k - 1,
            (None, false) => n - k,
        })
        .map(|i| ids[i])
        .find(|(d, s)| Some(*d) != from && !s.is_finished())
        .map(|(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, History};

    fn corpus() -> Project {
        let mut p = Project::new("c");
        let mut h = History::new();
        for (title, origin) in [
            ("Workers in China", Some("news/nk-workers.txt")),
            ("Border trade resumes", None),
            ("Quarantine in Sinuiju", Some("C:\\files\\sinuiju-2020.txt")),
            ("workers' wages", None),
        ] {
            h.execute(
                &mut p,
                Command::AddDocument {
                    title: title.into(),
                    origin: origin.map(String::from),
                    text: format!("{title}. Text."),
                },
            )
            .unwrap();
        }
        h.execute(
            &mut p,
            Command::SetDocumentStatus(DocId(2), DocStatus::Done),
        )
        .unwrap();
        h.execute(
            &mut p,
            Command::SetDocumentStatus(DocId(3), DocStatus::Skipped),
        )
        .unwrap();
        p
    }

    fn ids(v: Vec<DocId>) -> Vec<u64> {
        v.into_iter().map(|d| d.0).collect()
    }

    #[test]
    fn the_filter_matches_title_number_and_file_name_by_every_word() {
        let p = corpus();
        let rows = |f: &str| ids(rows_for(&p, f, ArticleSort::Corpus, StatusFilter::All));
        assert_eq!(rows(""), [1, 2, 3, 4]);
        assert_eq!(rows("WORKERS"), [1, 4], "case does not matter");
        assert_eq!(rows("workers wages"), [4], "every word must match");
        assert_eq!(rows("3"), [3], "a number is an id or a position");
        assert_eq!(rows("#2"), [2]);
        assert_eq!(rows("sinuiju-2020"), [3], "the file name, Windows path");
        assert_eq!(rows("nk-workers.txt"), [1]);
        assert_eq!(
            rows("news"),
            Vec::<u64>::new(),
            "the folder is not the name"
        );
        assert_eq!(rows("nothing"), Vec::<u64>::new());
    }

    #[test]
    fn sorts_and_status_choices() {
        let p = corpus();
        let rows = |s, f| ids(rows_for(&p, "", s, f));
        assert_eq!(rows(ArticleSort::Title, StatusFilter::All), [2, 3, 1, 4]);
        assert_eq!(rows(ArticleSort::Status, StatusFilter::All), [1, 4, 2, 3]);
        assert_eq!(rows(ArticleSort::Corpus, StatusFilter::NotDone), [1, 4]);
        assert_eq!(
            rows(ArticleSort::Corpus, StatusFilter::Only(DocStatus::Skipped)),
            [3]
        );
    }

    #[test]
    fn the_next_unfinished_article_wraps_and_skips_finished_ones() {
        let p = corpus();
        let next = |from: Option<u64>, fwd| next_unfinished(&p, from.map(DocId), fwd).map(|d| d.0);
        assert_eq!(next(Some(1), true), Some(4));
        assert_eq!(next(Some(4), true), Some(1), "wraps");
        assert_eq!(next(Some(4), false), Some(1));
        assert_eq!(next(Some(1), false), Some(4), "wraps back");
        assert_eq!(next(Some(2), true), Some(4));
        assert_eq!(next(None, true), Some(1));
        assert_eq!(next(None, false), Some(4));
        let mut q = corpus();
        let mut h = History::new();
        for d in [1, 4] {
            h.execute(
                &mut q,
                Command::SetDocumentStatus(DocId(d), DocStatus::Done),
            )
            .unwrap();
        }
        assert_eq!(next_unfinished(&q, Some(DocId(1)), true), None);
    }

    #[test]
    fn progress_counts_and_thousands() {
        let p = corpus();
        let progress = Progress::of(&p);
        assert_eq!((progress.done, progress.skipped, progress.total), (1, 1, 4));
        assert_eq!(progress.describe(), "1 of 4 done, 1 skipped");
        assert_eq!(thousands(1005), "1,005");
        assert_eq!(thousands(312), "312");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(0), "0");
    }

    #[test]
    fn rows_are_cached_until_something_changes() {
        let p = corpus();
        let mut list = ArticleList::default();
        assert_eq!(list.rows(&p, 7).len(), 4);
        list.filter = "work".into();
        assert_eq!(list.rows(&p, 7).len(), 2);
        // A renamed article is seen (the documents' version moved); a new
        // history state alone does not rebuild corpus-ordered rows.
        let mut q = p.clone();
        History::new()
            .execute(
                &mut q,
                Command::RenameDocument(DocId(2), "More work".into()),
            )
            .unwrap();
        let renamed = list.rows(&q, 7);
        assert_eq!(renamed.len(), 3);
        assert!(std::sync::Arc::ptr_eq(&renamed, &list.rows(&q, 8)));
        // Ordered by span count, a new state is worked out again.
        list.sort = ArticleSort::Spans;
        let by_spans = list.rows(&q, 8);
        assert!(!std::sync::Arc::ptr_eq(&by_spans, &list.rows(&q, 9)));
    }
}
