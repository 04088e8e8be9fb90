//! Inter-annotator agreement with exactly bratiaa 0.1.4's definitions
//! (`tests/data/bratiaa/NOTES.md` has the details and its own figures):
//!
//! - each project is one annotator; documents are matched by their text and
//!   only those every annotator has are scored; labels are the union of the
//!   projects' label ids;
//! - **instance mode:** a span is `(label, fragments)`, each annotator's
//!   spans in a document are a set, and a pair's true positives are the
//!   intersection;
//! - **token mode:** each fragment of each (deduplicated) span expands to
//!   every whitespace-delimited token it overlaps, as a multiset, and true
//!   positives are the summed minimum counts;
//! - for a pair, `F1 = 2·tp / (|A| + |B|)` over counts pooled across the
//!   documents and labels of a row (never a mean of F1s); the figures are
//!   the mean and population SD over all pairs, and one undefined (0/0) pair
//!   makes the row undefined, as numpy's `mean`/`std` do.
//!
//! Links are scored the same way (instance mode) over `(from fragments, to
//! fragments, type)`.

use crate::model::{DocId, LabelId, Project};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How spans are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Label and every fragment equal.
    Instance,
    /// Per overlapped whitespace-delimited token.
    Token,
}

impl Mode {
    /// `instance` or `token`, as the CLI and JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Instance => "instance",
            Mode::Token => "token",
        }
    }
}

/// A mean and population SD over annotator pairs; `None` when some pair's
/// F1 is undefined (neither annotator of the pair has anything in the row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Mean F1 over pairs.
    pub mean: Option<f64>,
    /// Population standard deviation of F1 over pairs.
    pub sd: Option<f64>,
}

/// One row of the report: a label or a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Label id or document title.
    pub key: String,
    /// Label name (the document title again for documents).
    pub name: String,
    /// Its score.
    pub score: Score,
}

/// The agreement between two or more annotators' projects.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// The comparison mode.
    pub mode: Mode,
    /// Annotator names, in the order given.
    pub annotators: Vec<String>,
    /// Pairs of annotator indexes, in `combinations` order.
    pub pairs: Vec<(usize, usize)>,
    /// Over everything.
    pub total: Score,
    /// Per label, sorted by id.
    pub labels: Vec<Row>,
    /// Per document every annotator has, in the first project's order.
    pub documents: Vec<Row>,
    /// Link agreement over (from range, to range, type).
    pub links: Score,
    /// Per pair: (true positives, |A| + |B|) over everything.
    pub pair_counts: Vec<(u64, u64)>,
    /// Documents of the first project that some annotator lacks.
    pub documents_skipped: usize,
}

/// Why agreement cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreeError {
    /// Fewer than two annotators.
    #[error("agreement needs two or more projects (got {0})")]
    TooFewAnnotators(usize),
    /// No document is in every project.
    #[error("no article is in every project (articles are matched by their text)")]
    NoCommonDocuments,
}

/// Maximal runs of non-whitespace, as Python's `\S+`: Python's `\s` also
/// counts U+001C–U+001F as whitespace, which Rust's `is_whitespace` does
/// not. Ranges are in code points.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    let is_space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    let mut out = Vec::new();
    let mut start = None;
    let mut n = 0;
    for (i, c) in text.chars().enumerate() {
        match (is_space(c), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
        n = i + 1;
    }
    if let Some(s) = start {
        out.push((s, n));
    }
    out
}

/// The tokens overlapping `[start, end)`: those with `t.start < end` and
/// `t.end > start` (none for an empty range).
fn overlapping(tokens: &[(usize, usize)], start: usize, end: usize) -> &[(usize, usize)] {
    if start >= end {
        return &[];
    }
    let first = tokens.partition_point(|t| t.1 <= start);
    let last = first + tokens[first..].partition_point(|t| t.0 < end);
    &tokens[first..last]
}

type Fragments = Vec<(usize, usize)>;

/// One annotator's spans in one document, by label index.
enum Units {
    /// Sets of fragment lists.
    Instances(Vec<HashSet<Fragments>>),
    /// Multisets of tokens.
    Tokens(Vec<HashMap<(usize, usize), u64>>),
}

impl Units {
    fn size(&self, label: usize) -> u64 {
        match self {
            Units::Instances(v) => v[label].len() as u64,
            Units::Tokens(v) => v[label].values().sum(),
        }
    }

    fn common(&self, other: &Units, label: usize) -> u64 {
        match (self, other) {
            (Units::Instances(a), Units::Instances(b)) => {
                let (small, big) = if a[label].len() <= b[label].len() {
                    (&a[label], &b[label])
                } else {
                    (&b[label], &a[label])
                };
                small.iter().filter(|k| big.contains(*k)).count() as u64
            }
            (Units::Tokens(a), Units::Tokens(b)) => a[label]
                .iter()
                .map(|(k, n)| (*n).min(b[label].get(k).copied().unwrap_or(0)))
                .sum(),
            _ => 0,
        }
    }
}

/// `(from fragments, to fragments, type)` for every link in a document.
type LinkKeys = HashSet<(Fragments, Fragments, String)>;

fn f1(tp: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| 2.0 * tp as f64 / total as f64)
}

/// Mean and population SD; `None` if any value is.
fn mean_sd(values: &[Option<f64>]) -> Score {
    let all: Option<Vec<f64>> = values.iter().copied().collect();
    match all {
        Some(v) if !v.is_empty() => {
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
            Score {
                mean: Some(mean),
                sd: Some(var.sqrt()),
            }
        }
        _ => Score {
            mean: None,
            sd: None,
        },
    }
}

/// Computes the agreement between `projects` (name, project), each one
/// annotator.
pub fn agree(projects: &[(String, &Project)], mode: Mode) -> Result<Agreement, AgreeError> {
    if projects.len() < 2 {
        return Err(AgreeError::TooFewAnnotators(projects.len()));
    }
    let (docs, skipped) = common_documents(projects);
    if docs.is_empty() {
        return Err(AgreeError::NoCommonDocuments);
    }
    let label_names = label_union(projects);
    let label_index: HashMap<&LabelId, usize> = label_names
        .keys()
        .enumerate()
        .map(|(i, l)| (l, i))
        .collect();
    // units[annotator][doc] and links[annotator][doc].
    let mut units: Vec<Vec<Units>> = Vec::new();
    let mut links: Vec<Vec<LinkKeys>> = Vec::new();
    for (a, (_, p)) in projects.iter().enumerate() {
        let ids = docs.iter().map(|(_, ids)| ids[a]);
        units.push(
            ids.clone()
                .map(|d| units_of(p, d, &label_index, mode))
                .collect(),
        );
        let mut by_doc = links_by_doc(p);
        links.push(ids.map(|d| by_doc.remove(&d).unwrap_or_default()).collect());
    }
    let pairs = pairs_of(projects.len());
    let counts = pair_counts_by_doc_and_label(&pairs, &units, label_names.len());
    let pair_counts: Vec<(u64, u64)> = counts
        .iter()
        .map(|c| sum(c.iter().flatten().copied()))
        .collect();
    let total = mean_sd(
        &pair_counts
            .iter()
            .map(|&(tp, n)| f1(tp, n))
            .collect::<Vec<_>>(),
    );
    let labels = label_names
        .iter()
        .enumerate()
        .map(|(l, (id, name))| Row {
            key: id.to_string(),
            name: name.clone(),
            score: score_over_pairs(&counts, |c| sum(c.iter().map(|d| d[l]))),
        })
        .collect();
    let documents = docs
        .iter()
        .enumerate()
        .map(|(d, (title, _))| Row {
            key: title.clone(),
            name: title.clone(),
            score: score_over_pairs(&counts, |c| sum(c[d].iter().copied())),
        })
        .collect();
    Ok(Agreement {
        mode,
        annotators: projects.iter().map(|(n, _)| n.clone()).collect(),
        total,
        labels,
        documents,
        links: link_score(&pairs, &links),
        pairs,
        pair_counts,
        documents_skipped: skipped,
    })
}

/// Documents every project has, matched by text, in the first project's
/// order: (row title, each project's id of it), and how many of the first
/// project's documents some annotator lacks.
fn common_documents(projects: &[(String, &Project)]) -> (Vec<(String, Vec<DocId>)>, usize) {
    let by_text: Vec<HashMap<&str, DocId>> = projects
        .iter()
        .map(|(_, p)| {
            let mut m = HashMap::new();
            for d in p.documents() {
                m.entry(d.text.as_str()).or_insert(d.id);
            }
            m
        })
        .collect();
    let mut docs = Vec::new();
    let mut skipped = 0;
    let mut titles_used: HashMap<String, usize> = HashMap::new();
    for d in projects[0].1.documents() {
        let ids: Option<Vec<DocId>> = by_text
            .iter()
            .map(|m| m.get(d.text.as_str()).copied())
            .collect();
        match ids {
            Some(ids) if ids[0] == d.id => {
                // Titles name rows, so two articles of one title get a suffix.
                let n = titles_used.entry(d.title.clone()).or_insert(0);
                *n += 1;
                let title = if *n == 1 {
                    d.title.clone()
                } else {
                    format!("{} ({n})", d.title)
                };
                docs.push((title, ids));
            }
            Some(_) => {} // the same text twice in the first project
            None => skipped += 1,
        }
    }
    (docs, skipped)
}

/// The union of every project's labels, sorted by id, with the first name
/// seen for each.
fn label_union(projects: &[(String, &Project)]) -> BTreeMap<LabelId, String> {
    let mut label_names = BTreeMap::new();
    for (_, p) in projects {
        for l in p.labels() {
            label_names
                .entry(l.id.clone())
                .or_insert_with(|| l.name.clone());
        }
    }
    label_names
}

/// One annotator's spans in `doc` as `mode` compares them.
fn units_of(p: &Project, doc: DocId, label_index: &HashMap<&LabelId, usize>, mode: Mode) -> Units {
    let mut sets: Vec<HashSet<Fragments>> = vec![HashSet::new(); label_index.len()];
    for s in p.spans_in(doc) {
        if let Some(&l) = label_index.get(&s.label) {
            sets[l].insert(s.fragments_iter().collect());
        }
    }
    if mode == Mode::Instance {
        return Units::Instances(sets);
    }
    let text = p.document(doc).map(|d| d.text.as_str()).unwrap_or("");
    let toks = tokens(text);
    let bags = sets
        .into_iter()
        .map(|set| {
            let mut bag: HashMap<(usize, usize), u64> = HashMap::new();
            for (s, e) in set.into_iter().flatten() {
                for t in overlapping(&toks, s, e) {
                    *bag.entry(*t).or_insert(0) += 1;
                }
            }
            bag
        })
        .collect();
    Units::Tokens(bags)
}

/// Each article's links (by the article of the span they start from), as
/// (from fragments, to fragments, type): one pass over the links, however
/// many articles there are.
fn links_by_doc(p: &Project) -> HashMap<DocId, LinkKeys> {
    let fragments_of = |id| {
        p.span(id)
            .map(|s| s.fragments_iter().collect::<Fragments>())
            .unwrap_or_default()
    };
    let mut out: HashMap<DocId, LinkKeys> = HashMap::new();
    for l in p.links() {
        if let Some(doc) = p.span(l.from).map(|s| s.doc) {
            out.entry(doc).or_default().insert((
                fragments_of(l.from),
                fragments_of(l.to),
                l.kind.clone(),
            ));
        }
    }
    out
}

/// Every pair of annotator indexes, in Python's `combinations` order.
fn pairs_of(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect()
}

/// `counts[pair][doc][label] = (tp, |A| + |B|)`.
fn pair_counts_by_doc_and_label(
    pairs: &[(usize, usize)],
    units: &[Vec<Units>],
    n_labels: usize,
) -> Vec<Vec<Vec<(u64, u64)>>> {
    pairs
        .iter()
        .map(|&(i, j)| {
            units[i]
                .iter()
                .zip(&units[j])
                .map(|(a, b)| {
                    (0..n_labels)
                        .map(|l| (a.common(b, l), a.size(l) + b.size(l)))
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn sum(it: impl Iterator<Item = (u64, u64)>) -> (u64, u64) {
    it.fold((0, 0), |(t, n), (a, b)| (t + a, n + b))
}

/// A row's score: each pair's F1 over the counts `pool` sums from that
/// pair's `[doc][label]` table.
fn score_over_pairs(
    counts: &[Vec<Vec<(u64, u64)>>],
    pool: impl Fn(&[Vec<(u64, u64)>]) -> (u64, u64),
) -> Score {
    let f1s: Vec<Option<f64>> = counts
        .iter()
        .map(|c| {
            let (tp, n) = pool(c);
            f1(tp, n)
        })
        .collect();
    mean_sd(&f1s)
}

/// Link agreement: per pair, F1 of the link sets pooled over documents.
fn link_score(pairs: &[(usize, usize)], links: &[Vec<LinkKeys>]) -> Score {
    let f1s: Vec<Option<f64>> = pairs
        .iter()
        .map(|&(i, j)| {
            let (mut tp, mut n) = (0, 0);
            for (a, b) in links[i].iter().zip(&links[j]) {
                tp += a.intersection(b).count() as u64;
                n += (a.len() + b.len()) as u64;
            }
            f1(tp, n)
        })
        .collect();
    mean_sd(&f1s)
}

impl Agreement {
    /// The JSON form the CLI prints: `{"mode", "annotators", "pairs",
    /// "total": {"mean", "sd"}, "labels": {id: {"name", "mean", "sd"}},
    /// "documents": {title: {"mean", "sd"}}, "links": {"mean", "sd"}}`;
    /// an undefined value is `null`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value, json};
        let score = |s: &Score| json!({"mean": s.mean, "sd": s.sd});
        let mut labels = Map::new();
        for r in &self.labels {
            labels.insert(
                r.key.clone(),
                json!({"name": r.name, "mean": r.score.mean, "sd": r.score.sd}),
            );
        }
        let mut documents = Map::new();
        for r in &self.documents {
            documents.insert(r.key.clone(), score(&r.score));
        }
        json!({
            "mode": self.mode.as_str(),
            "annotators": self.annotators.len(),
            "pairs": self.pairs.len(),
            "total": score(&self.total),
            "labels": Value::Object(labels),
            "documents": Value::Object(documents),
            "links": score(&self.links),
        })
    }

    /// A plain-text report: the totals, then a row per label and document.
    pub fn report(&self) -> String {
        let fmt = |s: &Score| match (s.mean, s.sd) {
            (Some(m), Some(sd)) => format!("{m:.3}  {sd:.3}"),
            _ => "  –      –".to_string(),
        };
        let width = self
            .labels
            .iter()
            .map(|r| r.key.chars().count())
            .chain(self.documents.iter().map(|r| r.key.chars().count()))
            .max()
            .unwrap_or(0)
            .clamp(12, 48);
        let mut out = format!(
            "Agreement ({} mode): {} annotators ({}), {} pairs, {} articles\n\n{:width$}  mean    sd\n",
            self.mode.as_str(),
            self.annotators.len(),
            self.annotators.join(", "),
            self.pairs.len(),
            self.documents.len(),
            "",
        );
        out.push_str(&format!("{:width$}  {}\n", "Total", fmt(&self.total)));
        out.push_str(&format!("{:width$}  {}\n", "Links", fmt(&self.links)));
        out.push_str("\nPer label\n");
        for r in &self.labels {
            let key: String = r.key.chars().take(width).collect();
            out.push_str(&format!("{key:width$}  {}\n", fmt(&r.score)));
        }
        out.push_str("\nPer article\n");
        for r in &self.documents {
            let key: String = r.key.chars().take(width).collect();
            out.push_str(&format!("{key:width$}  {}\n", fmt(&r.score)));
        }
        if self.documents_skipped > 0 {
            out.push_str(&format!(
                "\n{} article(s) of {} are not in every project and were left out.\n",
                self.documents_skipped, self.annotators[0]
            ));
        }
        out.push_str("\nF1 = 2·tp/(|A|+|B|) per pair, pooled; mean and population SD over pairs; – where a pair has nothing to compare.\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_pythons_whitespace() {
        // U+001C..U+001F are whitespace to Python's \s, not to Rust.
        assert_eq!(tokens("ab\u{1c}cd  é"), vec![(0, 2), (3, 5), (7, 8)]);
        assert_eq!(tokens("  "), vec![]);
        let t = tokens("Human Rights Watch");
        // A sub-token span expands to every token it touches.
        assert_eq!(overlapping(&t, 8, 15), &[(6, 12), (13, 18)]);
        assert_eq!(overlapping(&t, 5, 6), &[] as &[(usize, usize)]);
        assert_eq!(overlapping(&t, 3, 3), &[] as &[(usize, usize)]);
    }

    #[test]
    fn mean_and_population_sd_and_undefined_rows() {
        let s = mean_sd(&[Some(0.5), Some(1.0)]);
        assert_eq!(s.mean, Some(0.75));
        assert_eq!(s.sd, Some(0.25), "population, not sample, SD");
        assert_eq!(mean_sd(&[Some(1.0), None]).mean, None);
        assert_eq!(f1(0, 0), None);
        assert_eq!(f1(1, 4), Some(0.5));
    }
}
