//! The suggestion engine: `(label, range, rule, score)` candidates from the
//! built-in rules and the project's own patterns, for one article.
//!
//! What is shown: overlapping candidates of one label keep the best (score,
//! then length); nothing is suggested where a span of that label already
//! overlaps the text, nor what the user rejected; attribute values the
//! label does not declare (or that do not fit) are dropped, so accepting a
//! suggestion is always a valid tag.

use super::rules::{Family, KOREAN_CLAUSE_ENDINGS, LEADING_STOPWORDS, builtin, figure_attrs};
use super::search::{Query, find_in_text};
use crate::model::{DocId, LabelId, Project, Rejection};
use std::collections::BTreeMap;

/// One suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The article.
    pub doc: DocId,
    /// The label to tag with.
    pub label: LabelId,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The rule: a built-in family (`money`, `date`, `attribution`, …) or
    /// `pattern: TEXT`.
    pub rule: String,
    /// How sure the rule is, 0–1.
    pub score: f32,
    /// Attribute values the tag gets (only those the label declares).
    pub attrs: BTreeMap<String, String>,
}

impl Suggestion {
    /// The rejection that would hide it.
    pub fn rejection(&self) -> Rejection {
        Rejection {
            doc: self.doc,
            start: self.start,
            end: self.end,
            label: self.label.clone(),
        }
    }
}

/// Words that end in "s" but count nothing ("2016 was", "10 is").
const NOT_NOUNS: &[&str] = &[
    "was", "is", "has", "its", "this", "his", "hers", "ours", "yours", "theirs", "us", "as",
    "does", "plus", "less", "across", "always", "perhaps", "besides", "whereas", "thus", "yes",
    "unless", "was", "process", "access", "business", "press", "gas", "bus", "news", "series",
];

/// Trims a candidate: leading conjunctions and prepositions (for
/// attributions), and surrounding spaces and punctuation. Returns the new
/// code-point range, or None when nothing is left.
fn trim(
    chars: &[char],
    start: usize,
    end: usize,
    family: Option<Family>,
) -> Option<(usize, usize)> {
    let (mut a, mut b) = (start, end);
    let junk = |c: char| c.is_whitespace() || ",;:“”\"'‘’(".contains(c);
    while a < b && junk(chars[a]) {
        a += 1;
    }
    while a < b && (chars[b - 1].is_whitespace() || ",;:“”\"‘(".contains(chars[b - 1])) {
        b -= 1;
    }
    if family == Some(Family::Attribution) {
        loop {
            let word_end = (a..b).find(|&i| chars[i].is_whitespace()).unwrap_or(b);
            let word: String = chars[a..word_end].iter().collect::<String>().to_lowercase();
            let clause_end = KOREAN_CLAUSE_ENDINGS.iter().any(|e| word.ends_with(e));
            if word_end < b && (LEADING_STOPWORDS.contains(&word.as_str()) || clause_end) {
                a = word_end;
                while a < b && chars[a].is_whitespace() {
                    a += 1;
                }
            } else {
                break;
            }
        }
    }
    (a < b).then_some((a, b))
}

/// Candidates of the built-in rules in one text, before filtering: (family,
/// start, end, score), in code points.
pub fn builtin_candidates(text: &str) -> Vec<(Family, usize, usize, f32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for rule in builtin() {
        for (a, b) in find_in_text(&rule.re, text, usize::MAX) {
            let Some((a, b)) = trim(&chars, a, b, Some(rule.family)) else {
                continue;
            };
            if rule.family == Family::Count {
                let last: String = chars[a..b]
                    .iter()
                    .rev()
                    .take_while(|c| c.is_alphanumeric())
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>()
                    .to_lowercase();
                if NOT_NOUNS.contains(&last.as_str()) {
                    continue;
                }
            }
            out.push((rule.family, a, b, rule.score));
        }
    }
    out
}

/// The suggestions for article `doc` of `project`.
pub fn suggest(project: &Project, doc: DocId) -> Vec<Suggestion> {
    let Some(d) = project.document(doc) else {
        return Vec::new();
    };
    let text = d.text.as_str();
    let chars: Vec<char> = text.chars().collect();
    let mut candidates: Vec<Suggestion> = Vec::new();
    // Built-in rules suggest the default labels, when the project has them.
    for (family, start, end, score) in builtin_candidates(text) {
        let label = LabelId(family.label().to_string());
        if project.label(&label).is_none() {
            continue;
        }
        let covered: String = chars[start..end].iter().collect();
        let attrs = match family {
            Family::Attribution => BTreeMap::new(),
            _ => figure_attrs(family, &covered),
        };
        candidates.push(Suggestion {
            doc,
            label,
            start,
            end,
            rule: family.name().to_string(),
            score,
            attrs,
        });
    }
    // The project's own patterns come first: they are the user's word.
    for p in project.patterns() {
        if project.label(&p.label).is_none() {
            continue;
        }
        let query = Query {
            pattern: p.text.clone(),
            regex: p.regex,
            case_sensitive: p.case_sensitive,
        };
        let Ok(Some(re)) = query.compile() else {
            continue;
        };
        for (a, b) in find_in_text(&re, text, usize::MAX) {
            let Some((a, b)) = trim(&chars, a, b, None) else {
                continue;
            };
            candidates.push(Suggestion {
                doc,
                label: p.label.clone(),
                start: a,
                end: b,
                rule: format!("pattern: {}", p.text),
                score: 1.0,
                attrs: p.attributes.clone(),
            });
        }
    }
    // Best first; a candidate overlapping a kept one of its label goes.
    // Scores within a tenth of each other count as equal, and then the
    // longer candidate wins ("a few years ago" over "a few years").
    let bucket = |s: f32| (s * 10.0).floor() as i32;
    candidates.sort_by(|x, y| {
        bucket(y.score)
            .cmp(&bucket(x.score))
            .then((y.end - y.start).cmp(&(x.end - x.start)))
            .then(y.score.total_cmp(&x.score))
            .then(x.start.cmp(&y.start))
    });
    let mut kept: BTreeMap<LabelId, Vec<(usize, usize)>> = BTreeMap::new();
    let mut out = Vec::new();
    for mut c in candidates {
        let taken = kept.entry(c.label.clone()).or_default();
        if taken.iter().any(|&(a, b)| a < c.end && c.start < b) {
            continue;
        }
        let already = project
            .spans_overlapping(doc, c.start..c.end)
            .iter()
            .any(|s| s.label == c.label);
        if already || project.rejected().contains(&c.rejection()) {
            continue;
        }
        taken.push((c.start, c.end));
        if let Some(label) = project.label(&c.label) {
            c.attrs
                .retain(|k, v| label.attribute(k).is_some_and(|def| def.check(v).is_ok()));
        }
        out.push(c);
    }
    out.sort_by_key(|s| (s.start, s.end, s.label.clone()));
    out
}

/// Precision and recall of the built-in rules against a hand-annotated
/// project, per family and per label: a suggestion is right when it covers
/// at least half of an annotated span of its label, and an annotation is
/// found when some suggestion of its label covers at least half of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    /// family → (suggestions, right ones, annotations it found).
    pub families: BTreeMap<&'static str, (usize, usize, usize)>,
    /// label → (suggestions, right ones, annotations, found).
    pub labels: BTreeMap<String, (usize, usize, usize, usize)>,
}

/// Scores the built-in rules on `project`'s annotations, suggesting on
/// the bare text (as if nothing were tagged yet).
pub fn quality(project: &Project) -> Quality {
    let mut bare = Project::with_schema("bare", project.labels().to_vec(), Vec::new());
    let mut q = Quality::default();
    for d in project.documents() {
        let _ = bare.apply(crate::model::Edit::InsertDocument(d.clone()));
        let found = suggest(&bare, d.id);
        let gold: Vec<_> = project
            .spans_in(d.id)
            .filter(|s| s.label.as_str() == "figure" || s.label.as_str() == "source")
            .collect();
        let covers = |s: &Suggestion, g: &crate::model::Span| {
            let inside: usize = g
                .fragments_iter()
                .map(|(a, b)| b.min(s.end).saturating_sub(a.max(s.start)))
                .sum();
            let len: usize = g.fragments_iter().map(|(a, b)| b - a).sum();
            s.label == g.label && inside * 2 >= len
        };
        for s in &found {
            let right = gold.iter().any(|g| covers(s, g));
            let fam = Family::ALL
                .iter()
                .find(|f| f.name() == s.rule)
                .map_or("pattern", |f| f.name());
            let e = q.families.entry(fam).or_default();
            e.0 += 1;
            e.1 += usize::from(right);
            let l = q.labels.entry(s.label.to_string()).or_default();
            l.0 += 1;
            l.1 += usize::from(right);
        }
        for g in &gold {
            let l = q.labels.entry(g.label.to_string()).or_default();
            l.2 += 1;
            let hits: Vec<&Suggestion> = found.iter().filter(|s| covers(s, g)).collect();
            if !hits.is_empty() {
                l.3 += 1;
            }
            for h in hits.iter().take(1) {
                let fam = Family::ALL
                    .iter()
                    .find(|f| f.name() == h.rule)
                    .map_or("pattern", |f| f.name());
                q.families.entry(fam).or_default().2 += 1;
            }
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, History};

    /// A project with one article of `text` and the default schema.
    fn article(text: &str) -> (Project, DocId) {
        let mut p = Project::new("t");
        let doc = History::new()
            .execute(
                &mut p,
                Command::AddDocument {
                    title: "t".into(),
                    origin: None,
                    text: text.into(),
                },
            )
            .unwrap()
            .documents[0];
        (p, doc)
    }

    /// (label, covered text, rule) of every suggestion.
    fn found(text: &str) -> Vec<(String, String, String)> {
        let (p, doc) = article(text);
        let chars: Vec<char> = text.chars().collect();
        suggest(&p, doc)
            .into_iter()
            .map(|s| {
                let t: String = chars[s.start..s.end].iter().collect();
                (s.label.to_string(), t, s.rule)
            })
            .collect()
    }

    fn has(text: &str, label: &str, covered: &str) {
        let all = found(text);
        assert!(
            all.iter().any(|(l, t, _)| l == label && t == covered),
            "{label} {covered:?} not suggested in {text:?}; got {all:?}"
        );
    }

    #[test]
    fn money_in_many_currencies_and_forms() {
        has("It cost $4.25 each.", "figure", "$4.25");
        has(
            "A fine of 323 million euros was paid.",
            "figure",
            "323 million euros",
        );
        has("Rice sells for 10 yuan a kilo.", "figure", "10 yuan");
        has("The fee was ₩5,000 per visit.", "figure", "₩5,000");
        has("They paid KRW 10,000 in cash.", "figure", "KRW 10,000");
        has(
            "the deal is worth $ 75 million , officials said",
            "figure",
            "$ 75 million",
        );
        has(
            "wages of about rmb 1,000 a month",
            "figure",
            "about rmb 1,000",
        );
        has(
            "He was fined two million dollars.",
            "figure",
            "two million dollars",
        );
        has("노동자들은 한 달에 10위안을 받는다.", "figure", "10위안");
        has("월급은 5,000원이다.", "figure", "5,000원");
    }

    #[test]
    fn percentages_counts_number_words_ranges_and_dates() {
        has(
            "Prices rose 19 per cent last year.",
            "figure",
            "19 per cent",
        );
        has("prices rose 50 % in march", "figure", "50 %");
        has(
            "Nearly twenty-five workers left.",
            "figure",
            "Nearly twenty-five workers",
        );
        has(
            "Hundreds of workers gathered.",
            "figure",
            "Hundreds of workers",
        );
        has(
            "The gap is between 10 and 20.",
            "figure",
            "between 10 and 20",
        );
        has("It has been closed since Feb. 24.", "figure", "Feb. 24");
        has(
            "It reopened in March 2020 and again on the 15th.",
            "figure",
            "in March 2020",
        );
        has(
            "It reopened in March 2020 and again on the 15th.",
            "figure",
            "the 15th",
        );
        has("2020년 3월 공장이 문을 닫았다.", "figure", "2020년 3월");
        // "May" alone is a verb, not a month.
        assert!(
            found("May I ask why?").iter().all(|(_, t, _)| t != "May"),
            "{:?}",
            found("May I ask why?")
        );
        // "2016 was" counts nothing.
        assert!(
            found("2016 was hard.")
                .iter()
                .all(|(_, t, _)| t != "2016 was")
        );
    }

    #[test]
    fn attributions_take_the_source_with_the_cue() {
        has(
            "“We are closed,” a China-based source told Daily NK on Wednesday.",
            "source",
            "a China-based source told Daily NK on Wednesday",
        );
        has(
            "Prices are up, the official said.",
            "source",
            "the official said",
        );
        has(
            "The market closed, according to sources in Ryanggang Province.",
            "source",
            "according to sources in Ryanggang Province",
        );
        has("“It is over,” said a source.", "source", "said a source");
        has("Yonhap reported the closure.", "source", "Yonhap reported");
        has(
            "공장이 문을 닫았다고 현지 소식통이 전했다.",
            "source",
            "현지 소식통이 전했다",
        );
    }

    #[test]
    fn tagged_and_rejected_text_is_not_suggested_and_attributes_fit_the_label() {
        let text = "Workers earn about RMB 1,000 and 50% go home.";
        let (mut p, doc) = article(text);
        let first = suggest(&p, doc);
        let money = first.iter().find(|s| s.rule == "money").unwrap().clone();
        assert_eq!(money.attrs.get("value").map(String::as_str), Some("1000"));
        assert_eq!(money.attrs.get("unit").map(String::as_str), Some("RMB"));
        assert_eq!(
            money.attrs.get("approximate").map(String::as_str),
            Some("true")
        );
        let mut h = History::new();
        h.execute(
            &mut p,
            Command::AddSpan {
                doc,
                label: LabelId("figure".into()),
                start: money.start + 6,
                end: money.end,
                note: None,
                created: "2026-01-01T00:00:00Z".into(),
            },
        )
        .unwrap();
        let percent = first.iter().find(|s| s.rule == "percent").unwrap().clone();
        h.execute(&mut p, Command::Reject(vec![percent.rejection()]))
            .unwrap();
        let after = suggest(&p, doc);
        assert!(after.iter().all(|s| s.rule != "money"), "tagged: {after:?}");
        assert!(
            after.iter().all(|s| s.rule != "percent"),
            "rejected: {after:?}"
        );
        h.undo(&mut p).unwrap();
        assert!(suggest(&p, doc).iter().any(|s| s.rule == "percent"));
    }

    #[test]
    fn project_patterns_suggest_their_label_and_attributes() {
        let (mut p, doc) = article("Kim Jong Un visited. Later kim jong un left.");
        let mut attrs = BTreeMap::new();
        attrs.insert("kind".to_string(), "official".to_string());
        History::new()
            .execute(
                &mut p,
                Command::AddPattern(crate::model::Pattern {
                    text: "Kim Jong Un".into(),
                    regex: false,
                    case_sensitive: false,
                    label: LabelId("source".into()),
                    attributes: attrs,
                }),
            )
            .unwrap();
        let s: Vec<_> = suggest(&p, doc)
            .into_iter()
            .filter(|s| s.rule.starts_with("pattern"))
            .collect();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].attrs.get("kind").map(String::as_str), Some("official"));
    }
}
