//! The suggestion engine: `(label, range, rule, score)` candidates from the
//! built-in rules and the project's own patterns, for one article.
//!
//! What is shown: overlapping candidates of one label keep the best (score,
//! then length); nothing is suggested where a span of that label already
//! overlaps the text, nor what the user rejected; attribute values the
//! label does not declare (or that do not fit) are dropped, so accepting a
//! suggestion is always a valid tag.

use super::rules::{
    Family, KOREAN_CLAUSE_ENDINGS, LEADING_STOPWORDS, Rule, builtin, compile, extend_compound,
    figure_attrs, inside_address, rule_specs,
};
use super::search::Query;
use crate::model::{Command, DocId, LabelId, Project, Rejection};
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
    /// The tag that accepts it: its label and range, with the rule's
    /// attribute values; `created` is the tag's time (RFC 3339).
    pub fn accept(&self, created: &str) -> Command {
        Command::AddSpanWith {
            doc: self.doc,
            label: self.label.clone(),
            fragments: vec![(self.start, self.end)],
            attrs: self.attrs.clone(),
            note: None,
            created: created.to_string(),
        }
    }

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

/// Trims a candidate (byte offsets into `text`, on char boundaries):
/// surrounding spaces and punctuation, and for attributions the leading
/// conjunctions, prepositions and Korean clause endings. None when nothing
/// is left.
fn trim(text: &str, start: usize, end: usize, family: Option<Family>) -> Option<(usize, usize)> {
    let piece = &text[start..end];
    let front = piece.trim_start_matches(|c: char| c.is_whitespace() || ",;:“”\"'‘’(".contains(c));
    let mut a = start + (piece.len() - front.len());
    let back = front.trim_end_matches(|c: char| c.is_whitespace() || ",;:“”\"‘(".contains(c));
    let b = a + back.len();
    if family == Some(Family::Attribution) {
        loop {
            let rest = &text[a..b];
            let Some(word_len) = rest.find(char::is_whitespace) else {
                break;
            };
            let word = rest[..word_len].to_lowercase();
            let clause_end = KOREAN_CLAUSE_ENDINGS.iter().any(|e| word.ends_with(e));
            if !(LEADING_STOPWORDS.contains(&word.as_str()) || clause_end) {
                break;
            }
            let after = rest[word_len..].trim_start();
            a = b - after.len();
        }
    }
    (a < b).then_some((a, b))
}

/// Where the clause before byte `at` starts: back over at most `words`
/// words (letters, digits, ’ ' -) separated by spaces on one line, stopping
/// at punctuation. Returns `at` itself when no word comes right before it.
fn clause_start(text: &str, at: usize, words: usize) -> usize {
    let is_word = |c: char| c.is_alphanumeric() || "’'-".contains(c);
    let mut start = at;
    let mut rest = &text[..at];
    for _ in 0..words {
        let before_space = rest.trim_end_matches(|c: char| c.is_whitespace() && c != '\n');
        if before_space.len() == rest.len() && rest.len() != at {
            break;
        }
        let word_start = before_space.trim_end_matches(is_word);
        if word_start.len() == before_space.len() {
            break;
        }
        start = word_start.len();
        rest = word_start;
    }
    start
}

/// Calls `each(family, byte start, byte end, score)` for every candidate
/// of the built-in rules in `text`, before any filtering.
pub fn for_each_builtin(text: &str, mut each: impl FnMut(Family, usize, usize, f32)) {
    // A regex keeps a matching cache that grows with what it has scanned:
    // for a long text each rule is compiled, run and dropped in turn, so
    // only one cache is ever large.
    if text.len() > FRESH_RULES_BYTES {
        for spec in rule_specs() {
            if let Some(rule) = compile(spec) {
                run_rule(&rule, text, &mut each);
            }
        }
    } else {
        for rule in builtin() {
            run_rule(rule, text, &mut each);
        }
    }
}

/// Above this many bytes, rules are compiled for the one scan.
const FRESH_RULES_BYTES: usize = 1 << 20;

fn run_rule(rule: &Rule, text: &str, each: &mut impl FnMut(Family, usize, usize, f32)) {
    for m in rule.re.find_iter(text) {
        if m.start() == m.end() {
            continue;
        }
        let a = if rule.extend_left > 0 {
            clause_start(text, m.start(), rule.extend_left)
        } else {
            m.start()
        };
        let mut b = m.end();
        if rule.family != Family::Attribution && inside_address(text, a, b) {
            continue;
        }
        if rule.family == Family::Money {
            b = extend_compound(text, b);
        }
        let Some((a, b)) = within_paragraph(text, a, b, rule.family) else {
            continue;
        };
        let Some((a, b)) = trim(text, a, b, Some(rule.family)) else {
            continue;
        };
        if splits_a_word(text, a, b) {
            continue;
        }
        if rule.family == Family::Count {
            let piece = &text[a..b];
            let last_start = piece.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| {
                i + piece[i..].chars().next().map_or(1, char::len_utf8)
            });
            if NOT_NOUNS.contains(&piece[last_start..].to_lowercase().as_str()) {
                continue;
            }
        }
        each(rule.family, a, b, rule.score);
    }
}

/// True for a letter or digit of a script that separates words with
/// spaces (Korean and Chinese attach particles, so their matches may end
/// inside what a space would delimit).
fn word_char(c: char) -> bool {
    c.is_alphanumeric() && (c as u32) < 0x1100
}

/// True when `a..b` starts or ends inside a word ("reported" out of
/// "reportedly"): no suggestion does.
fn splits_a_word(text: &str, a: usize, b: usize) -> bool {
    let inside_start = text[..a].chars().next_back().is_some_and(word_char)
        && text[a..].chars().next().is_some_and(word_char);
    let inside_end = text[..b].chars().next_back().is_some_and(word_char)
        && text[b..].chars().next().is_some_and(word_char);
    inside_start || inside_end
}

/// The part of a candidate within one paragraph. An attribution keeps the
/// paragraph its cue ends in ("…title\n\nThe minister said"); anything
/// else that crosses a blank line is no figure ("106\n\nCongratulations").
fn within_paragraph(text: &str, a: usize, b: usize, family: Family) -> Option<(usize, usize)> {
    let piece = &text[a..b];
    let Some(first) = piece.find('\n') else {
        return Some((a, b));
    };
    // A single line break (a hard-wrapped paragraph) is no boundary.
    let breaks = |s: &str| {
        s.match_indices('\n')
            .filter(|(i, _)| {
                s[i + 1..]
                    .trim_start_matches([' ', '\t', '\r'])
                    .starts_with('\n')
            })
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    let paragraph_breaks = breaks(piece);
    if paragraph_breaks.is_empty() {
        let _ = first;
        return Some((a, b));
    }
    if family != Family::Attribution {
        return None;
    }
    // After the last blank line of the match.
    let last = paragraph_breaks.last().copied().unwrap_or(0);
    let rest = piece[last..].trim_start_matches(char::is_whitespace);
    let start = b - rest.len();
    (start < b).then_some((start, b))
}

/// One candidate while choosing: byte range, rule and score (in hundredths).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: u32,
    end: u32,
    rule: u16,
    score: u16,
}

impl Candidate {
    fn new(start: usize, end: usize, rule: u16, score: f32) -> Self {
        Candidate {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            rule,
            score: (score * 100.0).round() as u16,
        }
    }
}

/// Where a suggestion comes from: a built-in family or a project pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    /// `money`, `date`, … or `pattern: TEXT`.
    pub name: String,
    /// The built-in family (None for a pattern).
    pub family: Option<Family>,
    /// The label it suggests.
    pub label: LabelId,
    /// How sure it is.
    pub score: f32,
    /// A pattern's attribute values.
    pub attrs: BTreeMap<String, String>,
}

/// One candidate, kept small (a long article has hundreds of thousands):
/// a code-point range and an index into [`Suggested::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compact {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// Index into [`Suggested::rules`].
    pub rule: u16,
    /// Its own confidence in hundredths (a learned suggestion), or
    /// [`RULE_SCORE`]: its rule's score.
    pub score: u16,
}

/// [`Compact::score`] of a candidate scored as its rule is.
pub const RULE_SCORE: u16 = u16::MAX;

/// [`RuleInfo::name`] of the learned suggestions.
pub const LEARNED: &str = "learned";

/// The rules' suggestions for one article before the spans and rejections
/// filter them: overlapping candidates of one label already resolved, in
/// text order.
#[derive(Debug, Clone)]
pub struct Suggested {
    /// The article.
    pub doc: DocId,
    /// The rules that made them.
    pub rules: Vec<RuleInfo>,
    /// The candidates, sorted by start.
    pub items: Vec<Compact>,
}

impl Suggested {
    /// No candidates yet, for article `doc`.
    pub fn empty(doc: DocId) -> Self {
        Suggested {
            doc,
            rules: Vec::new(),
            items: Vec::new(),
        }
    }

    /// The pending candidates, in full, in text order.
    pub fn pending(&self, project: &Project) -> Vec<Suggestion> {
        self.items
            .iter()
            .filter(|c| self.is_pending(project, c))
            .map(|c| self.expand(project, c))
            .collect()
    }

    /// The label of a candidate.
    pub fn label(&self, c: &Compact) -> &LabelId {
        &self.rules[usize::from(c.rule)].label
    }

    /// True unless a span of its label overlaps it or it was rejected.
    pub fn is_pending(&self, project: &Project, c: &Compact) -> bool {
        let label = self.label(c);
        let range = c.start as usize..c.end as usize;
        if project.has_span_with_label(self.doc, range.clone(), label) {
            return false;
        }
        // Asked per suggestion per frame: no allocation unless something
        // was ever rejected.
        let rejected = project.rejected();
        rejected.is_empty()
            || !rejected.contains(&Rejection {
                doc: self.doc,
                start: range.start,
                end: range.end,
                label: label.clone(),
            })
    }

    /// The full suggestion: its rule's name and the attribute values read
    /// from the text (only those the label declares and that fit).
    pub fn expand(&self, project: &Project, c: &Compact) -> Suggestion {
        let info = &self.rules[usize::from(c.rule)];
        let (start, end) = (c.start as usize, c.end as usize);
        let mut attrs = match info.family {
            Some(Family::Attribution) => BTreeMap::new(),
            Some(f) => project
                .document(self.doc)
                .map(|d| figure_attrs(f, d.text.slice(start..end)))
                .unwrap_or_default(),
            None => info.attrs.clone(),
        };
        if let Some(label) = project.label(&info.label) {
            // A range's low end alone would read as an exact value.
            if attrs.contains_key("value_max") && label.attribute("value_max").is_none() {
                attrs.remove("value");
            }
            attrs.retain(|k, v| label.attribute(k).is_some_and(|def| def.check(v).is_ok()));
        }
        Suggestion {
            doc: self.doc,
            label: info.label.clone(),
            start,
            end,
            rule: info.name.clone(),
            score: if c.score == RULE_SCORE {
                info.score
            } else {
                f32::from(c.score) / 100.0
            },
            attrs,
        }
    }

    /// "money · 0.90", "learned · 0.93": where a candidate comes from and
    /// how sure it is, for tooltips and the status bar.
    pub fn origin(&self, c: &Compact) -> String {
        let info = &self.rules[usize::from(c.rule)];
        let score = if c.score == RULE_SCORE {
            info.score
        } else {
            f32::from(c.score) / 100.0
        };
        format!("{} · {score:.2}", info.name)
    }

    /// Adds learned suggestions `(label, start, end, confidence)`, one
    /// rule named [`LEARNED`] per label. Where a rule's candidate of the
    /// same label overlaps one, the rule's stands and the learned one is
    /// left out: one suggestion per place.
    pub fn add_learned(&mut self, learned: &[(LabelId, usize, usize, f32)]) {
        let ruled = self.items.len();
        let longest = self
            .items
            .iter()
            .map(|c| c.end - c.start)
            .max()
            .unwrap_or(0);
        let mut added = Vec::new();
        for (label, start, end, score) in learned {
            let (Ok(a), Ok(b)) = (u32::try_from(*start), u32::try_from(*end)) else {
                continue;
            };
            let items = &self.items[..ruled];
            let from = items.partition_point(|c| c.start.saturating_add(longest) < a);
            let to = items.partition_point(|c| c.start < b);
            let overlapped = items[from..to.max(from)]
                .iter()
                .any(|c| c.end > a && self.label(c) == label);
            if overlapped {
                continue;
            }
            let rule = match self
                .rules
                .iter()
                .position(|r| r.name == LEARNED && r.label == *label)
            {
                Some(i) => i,
                None => {
                    self.rules.push(RuleInfo {
                        name: LEARNED.to_string(),
                        family: None,
                        label: label.clone(),
                        score: 0.0,
                        attrs: BTreeMap::new(),
                    });
                    self.rules.len() - 1
                }
            };
            let Ok(rule) = u16::try_from(rule) else {
                continue;
            };
            added.push(Compact {
                start: a,
                end: b,
                rule,
                score: (score.clamp(0.0, 1.0) * 100.0).round() as u16,
            });
        }
        self.items.extend(added);
        self.items.sort_by_key(|c| (c.start, c.end, c.rule));
    }
}

/// Every candidate for article `doc`, before the spans and rejections
/// filter them.
pub fn candidates(project: &Project, doc: DocId) -> Suggested {
    let mut out = Suggested {
        doc,
        rules: Vec::new(),
        items: Vec::new(),
    };
    let Some(d) = project.document(doc) else {
        return out;
    };
    let text = d.text.as_str();
    // Built-in rules suggest the default labels, when the project has them
    // and has not turned the rule set off.
    for family in Family::ALL {
        let label = LabelId(family.label().into());
        if project.label(&label).is_some() && project.settings().rule_on(family.name()) {
            out.rules.push(RuleInfo {
                name: family.name().to_string(),
                family: Some(family),
                label,
                score: 0.0,
                attrs: BTreeMap::new(),
            });
        }
    }
    let rule_of: Vec<Option<u16>> = Family::ALL
        .iter()
        .map(|f| {
            out.rules
                .iter()
                .position(|r| r.family == Some(*f))
                .map(|i| i as u16)
        })
        .collect();
    // Candidates in byte offsets, kept small: a long article has hundreds
    // of thousands.
    let mut found: Vec<Candidate> = Vec::new();
    for_each_builtin(text, |family, a, b, score| {
        let slot = Family::ALL.iter().position(|f| *f == family);
        if let Some(rule) = slot.and_then(|i| rule_of[i]) {
            found.push(Candidate::new(a, b, rule, score));
        }
    });
    // The project's own patterns: the user's word, scored highest.
    for p in project.patterns() {
        if project.label(&p.label).is_none() || out.rules.len() >= usize::from(u16::MAX) {
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
        let index = out.rules.len() as u16;
        out.rules.push(RuleInfo {
            name: format!("pattern: {}", p.text),
            family: None,
            label: p.label.clone(),
            score: 1.0,
            attrs: p.attributes.clone(),
        });
        for m in re.find_iter(text) {
            if let Some((a, b)) = trim(text, m.start(), m.end(), None) {
                found.push(Candidate::new(a, b, index, 1.0));
            }
        }
    }
    // Best first; a candidate overlapping a kept one of its label goes.
    // Scores within a tenth of each other count as equal, and then the
    // longer candidate wins ("a few years ago" over "a few years").
    // Candidates only compete with those they overlap, so the choice is
    // made per cluster of overlapping candidates of one label (no memory
    // beyond the list itself).
    let label_rank: Vec<usize> = {
        let mut distinct: Vec<&LabelId> = out.rules.iter().map(|r| &r.label).collect();
        distinct.sort();
        distinct.dedup();
        out.rules
            .iter()
            .map(|r| distinct.binary_search(&&r.label).unwrap_or(0))
            .collect()
    };
    let rank = |c: &Candidate| label_rank[usize::from(c.rule)];
    found.sort_unstable_by_key(|c| (rank(c), c.start, c.end, c.rule));
    let better = |x: &Candidate, y: &Candidate| {
        (x.score / 10)
            .cmp(&(y.score / 10))
            .then((x.end - x.start).cmp(&(y.end - y.start)))
            .then(x.score.cmp(&y.score))
            .then(y.start.cmp(&x.start))
    };
    let mut keep = vec![false; found.len()];
    let mut i = 0;
    while i < found.len() {
        // One cluster: candidates of one label chained by overlaps.
        let mut j = i + 1;
        let mut reach = found[i].end;
        while j < found.len() && rank(&found[j]) == rank(&found[i]) && found[j].start < reach {
            reach = reach.max(found[j].end);
            j += 1;
        }
        let mut order: Vec<usize> = (i..j).collect();
        order.sort_unstable_by(|&x, &y| better(&found[y], &found[x]));
        let mut kept: Vec<usize> = Vec::new();
        for k in order {
            let c = found[k];
            if kept
                .iter()
                .all(|&o| found[o].end <= c.start || c.end <= found[o].start)
            {
                kept.push(k);
                keep[k] = true;
            }
        }
        i = j;
    }
    let mut flags = keep.into_iter();
    found.retain(|_| flags.next().unwrap_or(false));
    found.sort_unstable_by_key(|c| (c.start, c.end, c.rule));
    out.items = found
        .into_iter()
        .map(|c| Compact {
            start: d.text.char_of(c.start as usize) as u32,
            end: d.text.char_of(c.end as usize) as u32,
            rule: c.rule,
            score: RULE_SCORE,
        })
        .collect();
    for r in &mut out.rules {
        if let Some(f) = r.family {
            r.score = builtin()
                .iter()
                .filter(|x| x.family == f)
                .map(|x| x.score)
                .fold(0.0, f32::max);
        }
    }
    out
}

/// The pending suggestions for article `doc` of `project`, in text order.
pub fn suggest(project: &Project, doc: DocId) -> Vec<Suggestion> {
    candidates(project, doc).pending(project)
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
        // The family a rule name belongs to ("pattern" for project patterns).
        let family = |rule: &str| {
            Family::ALL
                .iter()
                .find(|f| f.name() == rule)
                .map_or("pattern", |f| f.name())
        };
        for s in &found {
            let right = gold.iter().any(|g| covers(s, g));
            let e = q.families.entry(family(&s.rule)).or_default();
            e.0 += 1;
            e.1 += usize::from(right);
            let l = q.labels.entry(s.label.to_string()).or_default();
            l.0 += 1;
            l.1 += usize::from(right);
        }
        for g in &gold {
            let l = q.labels.entry(g.label.to_string()).or_default();
            l.2 += 1;
            // Found, and credited to the family of the first suggestion
            // that covers it.
            if let Some(h) = found.iter().find(|s| covers(s, g)) {
                l.3 += 1;
                q.families.entry(family(&h.rule)).or_default().2 += 1;
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

    /// Money and percentages as news writes them, tokenised or not: names
    /// and codes from the ISO 4217 table, withdrawn currencies, minor
    /// units, compound amounts, uncommon signs, Indian scales.
    #[test]
    fn money_and_percentages_from_the_currency_table() {
        for (text, want) in [
            (
                "nokia agreed to pay 420 million finnish markka for the cable maker .",
                "420 million finnish markka",
            ),
            (
                "the fund raised 125 million australian dollars last year .",
                "125 million australian dollars",
            ),
            (
                "shell sold it for 250 million dutch guilders in 1988 .",
                "250 million dutch guilders",
            ),
            ("Shares closed at 197 pence on Friday.", "197 pence"),
            ("The stamp now costs one penny more.", "one penny"),
            ("They issued a 12-cent stamp.", "12-cent"),
            ("Collectors prize the old one-yen coins.", "one-yen"),
            (
                "The ticket was thirteen dollars and forty-five cents, he said.",
                "thirteen dollars and forty-five cents",
            ),
            ("A coffee is 3 dollars 50 cents here.", "3 dollars 50 cents"),
            ("The vendor asked 15 dollars 50.", "15 dollars 50"),
            ("Entry costs 100 ₡ at the gate.", "100 ₡"),
            ("A khachapuri was 100₾ in Tbilisi.", "100₾"),
            ("Rent in Vientiane is 100,000 ₭ a week.", "100,000 ₭"),
            ("Noodles cost 100元 there.", "100元"),
            ("Tea is 100,000 ரூ now.", "100,000 ரூ"),
            ("The fine was 35 lakh rupees.", "35 lakh rupees"),
            (
                "A flat sells for 12,34,567.89 rupees.",
                "12,34,567.89 rupees",
            ),
            ("Exports reached hk $ 10.05 billion .", "hk $ 10.05 billion"),
            ("The simulator costs c $ 16.4 million .", "c $ 16.4 million"),
            ("It was paid 10,000 swiss francs.", "10,000 swiss francs"),
            ("Revenue was 30 musd in 2019.", "30 musd"),
            ("He donated half a million usd.", "half a million usd"),
            (
                "Approval reached 100 percentage in the poll.",
                "100 percentage",
            ),
            (
                "It rose by thirty percentage over the year.",
                "thirty percentage",
            ),
            (
                "They kept per cent of twenty-two of the vote.",
                "per cent of twenty-two",
            ),
            ("We just need minus five percent.", "minus five percent"),
        ] {
            has(text, "figure", want);
        }
        // Not money: an article before `$`, a possessive, a word code, an
        // address.
        has("a $ 300 million contract", "figure", "$ 300 million");
        has(
            "the company ' s $ 500 million bonds",
            "figure",
            "$ 500 million",
        );
        let all = found("ALL 5 solutions are wrong.");
        assert!(all.iter().all(|(_, _, rule)| rule != "money"), "{all:?}");
        assert!(
            found("See https://www.example.com/search?q=30%25%2020% for more.").is_empty(),
            "{:?}",
            found("See https://www.example.com/search?q=30%25%2020% for more.")
        );
        // The values: minor units from the table's exponent.
        let value = |text: &str| {
            let (p, doc) = article(text);
            suggest(&p, doc)
                .into_iter()
                .find(|s| s.rule == "money")
                .map(|s| (s.attrs.get("value").cloned(), s.attrs.get("unit").cloned()))
        };
        let some = |v: &str, u: &str| Some((Some(v.to_string()), Some(u.to_string())));
        assert_eq!(
            value("It was 420 million finnish markka."),
            some("420000000", "FIM")
        );
        assert_eq!(value("It was 197 pence."), some("1.97", "GBP"));
        assert_eq!(
            value("It was thirteen dollars and forty-five cents."),
            some("13.45", "USD")
        );
        assert_eq!(value("It was 35 lakh rupees."), some("3500000", "INR"));
    }

    /// No suggestion crosses a blank line between paragraphs or ends inside
    /// a word; a count of people is a count.
    #[test]
    fn suggestions_stay_in_their_paragraph_and_on_word_boundaries() {
        let all = found("The club has 106\n\nCongratulations to all members.");
        assert!(all.iter().all(|(_, t, _)| !t.contains('\n')), "{all:?}");
        has(
            "Article title\n\nThe minister said the plan works.",
            "source",
            "The minister said",
        );
        let all = found("Several of these managers have reportedly asked for help.");
        assert!(
            all.iter().all(|(_, t, _)| !t.ends_with("reported")),
            "{all:?}"
        );
        has("Only 42 people attended the rally.", "figure", "42 people");
        has("About 300 cars were seized.", "figure", "About 300 cars");
        has("Some 12 children were hurt.", "figure", "Some 12 children");
    }

    /// Rules suggest only for labels the project has, and only the rule
    /// sets it has on.
    #[test]
    fn rule_sets_follow_the_schema_and_the_project_settings() {
        let text = "The fee was RMB 10 on Monday, a source said.";
        let (mut p, doc) = article(text);
        let rules = |p: &Project| {
            let mut r: Vec<String> = suggest(p, doc).into_iter().map(|s| s.rule).collect();
            r.sort();
            r.dedup();
            r
        };
        assert_eq!(rules(&p), ["attribution", "date", "money"]);
        let mut settings = crate::model::Settings::default();
        settings.rules_off.insert("date".into());
        settings.rules_off.insert("money".into());
        History::new()
            .execute(
                &mut p,
                Command::Edits(
                    "rules".into(),
                    vec![crate::model::Edit::SetSettings(settings)],
                ),
            )
            .unwrap();
        assert_eq!(rules(&p), ["attribution"]);
        // A schema without figures (PolNeAR's) gets no figure suggestions.
        History::new()
            .execute(&mut p, Command::RemoveLabel(LabelId("figure".into())))
            .unwrap();
        History::new()
            .execute(
                &mut p,
                Command::Edits(
                    "rules".into(),
                    vec![crate::model::Edit::SetSettings(Default::default())],
                ),
            )
            .unwrap();
        assert_eq!(rules(&p), ["attribution"]);
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
        attrs.insert("status".to_string(), "disputed".to_string());
        History::new()
            .execute(
                &mut p,
                Command::AddPattern(crate::model::Pattern {
                    text: "Kim Jong Un".into(),
                    regex: false,
                    case_sensitive: false,
                    label: LabelId("claim".into()),
                    attributes: attrs,
                }),
            )
            .unwrap();
        let s: Vec<_> = suggest(&p, doc)
            .into_iter()
            .filter(|s| s.rule.starts_with("pattern"))
            .collect();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].attrs.get("status").map(String::as_str),
            Some("disputed")
        );
    }
}
