//! The review list: merge conflicts left in the project, and, while
//! comparing with another annotator's version, the disagreements in the
//! current article. One cursor walks both; keys settle the item under it.

use crate::model::{DocId, Project};
use crate::team::agree::Agreement;
use crate::team::compare::{Disagreement, disagreements, match_documents};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Another version of this project, shown beside ours.
pub struct Comparison {
    /// What it is: a file name or `git:REV`.
    pub name: String,
    /// Their project.
    pub theirs: Project,
    /// Our article → theirs, matched by text.
    pub docs: HashMap<DocId, DocId>,
    /// Disagreements the user kept as ours (nothing changes, so they are
    /// remembered here instead).
    pub kept: HashSet<Disagreement>,
    /// (history state, article) → the disagreements there.
    cache: Option<(u64, DocId, Vec<Disagreement>)>,
    /// (history state) → the agreement figures.
    agreement: Option<(u64, Option<Agreement>)>,
    /// Why each of our articles without a match was not compared.
    pub not_compared: HashMap<DocId, String>,
    /// ((history state, kept count) → disagreements left per article.
    per_article: Option<((u64, usize), HashMap<DocId, usize>)>,
}

impl Comparison {
    /// Compares with `theirs`, named `name`.
    pub fn new(name: String, ours: &Project, theirs: Project) -> Self {
        let docs = match_documents(ours, &theirs);
        let not_compared = not_compared(ours, &theirs, &docs, &name);
        Comparison {
            name,
            theirs,
            docs,
            kept: HashSet::new(),
            cache: None,
            agreement: None,
            not_compared,
            per_article: None,
        }
    }

    /// Disagreements left in each compared article (cached per history
    /// state and settlements kept).
    pub fn per_article(&mut self, ours: &Project, state: u64) -> &HashMap<DocId, usize> {
        let key = (state, self.kept.len());
        if self.per_article.as_ref().is_none_or(|(k, _)| *k != key) {
            let kept = &self.kept;
            let counts = self
                .docs
                .iter()
                .map(|(&doc, &theirs_doc)| {
                    let n = disagreements(ours, doc, &self.theirs, theirs_doc)
                        .iter()
                        .filter(|d| !kept.contains(d))
                        .count();
                    (doc, n)
                })
                .collect();
            self.per_article = Some((key, counts));
        }
        match &self.per_article {
            Some((_, counts)) => counts,
            None => empty(),
        }
    }

    /// The disagreements in our article `doc` not yet kept (cached per
    /// history state).
    pub fn in_document(&mut self, ours: &Project, state: u64, doc: DocId) -> Vec<Disagreement> {
        let fresh = matches!(&self.cache, Some((s, d, _)) if *s == state && *d == doc);
        if !fresh {
            let list = match self.docs.get(&doc) {
                Some(&theirs_doc) => disagreements(ours, doc, &self.theirs, theirs_doc),
                None => Vec::new(),
            };
            self.cache = Some((state, doc, list));
        }
        let kept = &self.kept;
        self.cache
            .as_ref()
            .map(|c| c.2.iter().filter(|d| !kept.contains(d)).copied().collect())
            .unwrap_or_default()
    }

    /// Instance agreement between ours and theirs (cached per history
    /// state); None when no article is shared.
    pub fn agreement(&mut self, ours: &Project, state: u64) -> Option<&Agreement> {
        if !matches!(&self.agreement, Some((s, _)) if *s == state) {
            let pair = [
                ("ours".to_string(), ours),
                (self.name.clone(), &self.theirs),
            ];
            let a = crate::team::agree::agree(&pair, crate::team::agree::Mode::Instance).ok();
            self.agreement = Some((state, a));
        }
        self.agreement.as_ref().and_then(|(_, a)| a.as_ref())
    }
}

fn empty() -> &'static HashMap<DocId, usize> {
    static EMPTY: std::sync::OnceLock<HashMap<DocId, usize>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(HashMap::new)
}

/// Why each of our articles that `docs` does not match was left out:
/// theirs has it with another text (same title or number), or not at all.
fn not_compared(
    ours: &Project,
    theirs: &Project,
    docs: &HashMap<DocId, DocId>,
    name: &str,
) -> HashMap<DocId, String> {
    ours.documents()
        .filter(|d| !docs.contains_key(&d.id))
        .map(|d| {
            let same_title = theirs.documents().find(|t| t.title == d.title);
            let why = match same_title.or_else(|| theirs.document(d.id)) {
                Some(t) => format!(
                    "not compared: {name} has it (article {}) with a different text",
                    t.id
                ),
                None => format!("not compared: {name} does not have it"),
            };
            (d.id, why)
        })
        .collect()
}

/// Merge conflicts per article (a label's conflict belongs to none).
pub fn conflicts_per_article(project: &Project) -> HashMap<DocId, usize> {
    let mut out = HashMap::new();
    for c in project.conflicts() {
        let doc = match &c.other {
            crate::model::Alternative::Span(id, alt) => project
                .span(*id)
                .map(|s| s.doc)
                .or_else(|| alt.as_ref().map(|s| s.doc)),
            crate::model::Alternative::Document(d, _) | crate::model::Alternative::Status(d, _) => {
                Some(*d)
            }
            crate::model::Alternative::Label(..) => None,
        };
        if let Some(d) = doc {
            *out.entry(d).or_default() += 1;
        }
    }
    out
}

/// One entry of the review list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewItem {
    /// A merge conflict, by position in the project's list.
    Conflict(usize),
    /// A disagreement with the compared version, in the current article.
    Disagreement(Disagreement),
}

/// Reads the version to compare with: a project file, or `git:REV` for
/// revision REV of this project's file (run through `git show`).
pub fn load_other(spec: &str, ours: Option<&Path>) -> Result<(String, Project), String> {
    let spec = spec.trim();
    if let Some(rev) = spec.strip_prefix("git:") {
        let path = ours.ok_or("Save the project in a git repository first: git:REV compares with a revision of its file.")?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file = path
            .file_name()
            .ok_or("the project has no file name")?
            .to_string_lossy();
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .arg("show")
            .arg(format!("{rev}:./{file}"))
            .output()
            .map_err(|e| format!("could not run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git show {rev}:{file} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let text =
            String::from_utf8(out.stdout).map_err(|_| format!("{rev}:{file} is not UTF-8"))?;
        let name = format!("git:{rev}");
        let loaded = crate::store::load_str(&text, Path::new(&name)).map_err(|e| e.to_string())?;
        Ok((name, loaded.project))
    } else {
        let path = Path::new(spec);
        let loaded = crate::store::load(path).map_err(|e| e.to_string())?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| spec.to_string());
        Ok((name, loaded.project))
    }
}
