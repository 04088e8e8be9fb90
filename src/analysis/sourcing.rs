//! What the reporting rests on: each claim's and figure's sources, counted
//! per article and for the project, and the editorial checks.
//!
//! Definitions (the README's "Sourcing" section says the same):
//! - A **claim** is a span whose label the schema lists as a claim, or the
//!   content of an attribution relation (the from-end of an attribution
//!   link type; the content role of an attribution event type) that is not
//!   a figure. A **figure** is a span whose label is listed as a figure.
//! - A **source span** is a span whose label is listed as a source, or the
//!   to-end / source role of an attribution relation. It mentions at most
//!   one registry entry.
//! - A claim's **sources** are the distinct entries its attributed source
//!   spans mention; a source span that mentions no entry counts as one
//!   source of its own ("unassigned").
//! - **unsourced**: a claim with no source. **anonymous_only**: a claim
//!   with sources, all of them entries identified as described or
//!   anonymous. **single_source**: a claim with exactly one source.
//! - **distinct_sources**: the entries an article's source spans mention
//!   (a group entry such as "Daily NK sources" is one), bucketed 0 / 1 /
//!   2–3 / 4+. **kinds**: those entries by kind.
//! - A claim's **support** (the bars): `named` if one of its sources is a
//!   named entry; else `unassigned` if one is an unassigned span; else
//!   `described` if one is described; else `anonymous`; `unsourced` when
//!   it has none.

use crate::model::{
    DocId, Identification, Project, SourceId, SourceKind, Span, SpanId, Target, is_bare_reference,
    is_plural_reference,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One source of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceRef {
    /// A registry entry.
    Entry(SourceId),
    /// A source span that mentions no entry.
    Unassigned(SpanId),
}

/// What a claim rests on, at best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Support {
    /// At least one named source.
    Named,
    /// No named source; at least one source span not yet assigned.
    Unassigned,
    /// Only described (and anonymous) sources.
    Described,
    /// Only anonymous sources.
    Anonymous,
    /// No source.
    Unsourced,
}

impl Support {
    /// Every class, in bar order.
    pub const ALL: [Support; 5] = [
        Support::Named,
        Support::Described,
        Support::Anonymous,
        Support::Unassigned,
        Support::Unsourced,
    ];

    /// The word shown in legends and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Named => "named",
            Support::Unassigned => "unassigned",
            Support::Described => "described",
            Support::Anonymous => "anonymous-only",
            Support::Unsourced => "unsourced",
        }
    }
}

/// A claim or figure and its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The span.
    pub span: SpanId,
    /// Its article.
    pub doc: DocId,
    /// Where it starts (code points), for text order.
    pub start: usize,
    /// True for a figure.
    pub figure: bool,
    /// Its distinct sources, sorted.
    pub sources: Vec<SourceRef>,
    /// What it rests on at best.
    pub support: Support,
}

/// An editorial check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// An article whose first sourced claim is not named.
    FirstClaimAnonymous,
    /// A claim whose only support is anonymous.
    AnonymousSupport,
    /// A figure with no source.
    UnsourcedFigure,
    /// A source referred to only as "a source" or "sources".
    BareSource,
    /// A plural mention ("sources") resolving to one entry.
    PluralOneEntry,
}

impl Check {
    /// Every check, in the order findings are listed.
    pub const ALL: [Check; 5] = [
        Check::FirstClaimAnonymous,
        Check::AnonymousSupport,
        Check::UnsourcedFigure,
        Check::BareSource,
        Check::PluralOneEntry,
    ];

    /// The id used in JSON and the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::BareSource => "bare_source",
            Check::PluralOneEntry => "plural_one_entry",
            Check::AnonymousSupport => "anonymous_support",
            Check::FirstClaimAnonymous => "first_claim_anonymous",
            Check::UnsourcedFigure => "unsourced_figure",
        }
    }
}

/// A finding of a check, at a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which check.
    pub check: Check,
    /// The article.
    pub doc: DocId,
    /// The span to jump to.
    pub span: SpanId,
    /// What is wrong, for people.
    pub message: String,
}

/// The counts of one article, or of the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Claims.
    pub claims: usize,
    /// Figures.
    pub figures: usize,
    /// Claims with no source.
    pub unsourced: usize,
    /// Claims resting only on described or anonymous entries.
    pub anonymous_only: usize,
    /// Claims with exactly one source.
    pub single_source: usize,
    /// Distinct entries the source spans mention.
    pub distinct_sources: usize,
    /// Those entries by kind.
    pub kinds: BTreeMap<SourceKind, usize>,
    /// Those entries by identification.
    pub identifications: BTreeMap<Identification, usize>,
    /// Claims by support (figures not included).
    pub support: BTreeMap<Support, usize>,
}

/// One article's sourcing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The article.
    pub doc: DocId,
    /// Its claims and figures, in text order.
    pub claims: Vec<Claim>,
    /// Its source spans (text order) and the entry each mentions.
    pub mentions: Vec<(SpanId, Option<SourceId>)>,
    /// Its counts.
    pub counts: Counts,
    /// Its findings, in text order.
    pub findings: Vec<Finding>,
}

/// One registry entry's use across the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUse {
    /// The entry.
    pub id: SourceId,
    /// Source spans that mention it.
    pub mentions: Vec<SpanId>,
    /// Articles that mention it.
    pub articles: usize,
    /// Claims that rest on it.
    pub claims: Vec<SpanId>,
    /// Figures that rest on it.
    pub figures: Vec<SpanId>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// Each article, in id order.
    pub articles: Vec<Article>,
    /// The project's counts: sums, except `distinct_sources`, `kinds` and
    /// `identifications`, which count distinct entries across articles.
    pub totals: Counts,
    /// Every entry, most-used first (claims, then mentions, then id).
    pub sources: Vec<SourceUse>,
}

impl Analysis {
    /// Every finding, article by article.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.articles.iter().flat_map(|a| a.findings.iter())
    }

    /// The article `doc`'s part.
    pub fn article(&self, doc: DocId) -> Option<&Article> {
        self.articles.iter().find(|a| a.doc == doc)
    }

    /// How many articles fall in each of [`BUCKETS`] of distinct sources.
    pub fn buckets(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for r in &self.articles {
            let b = bucket(r.counts.distinct_sources);
            if let Some(i) = BUCKETS.iter().position(|x| *x == b) {
                out[i] += 1;
            }
        }
        out
    }
}

impl Article {
    /// Mentions of each entry in this article.
    pub fn mentions_by_entry(&self) -> BTreeMap<SourceId, usize> {
        let mut m = BTreeMap::new();
        for e in self.mentions.iter().filter_map(|(_, e)| *e) {
            *m.entry(e).or_default() += 1;
        }
        m
    }
}

/// The buckets of distinct sources per article, in order.
pub const BUCKETS: [&str; 4] = ["0", "1", "2–3", "4+"];

/// The bucket of a distinct-source count: "0", "1", "2–3" or "4+".
pub fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 | 3 => "2–3",
        _ => "4+",
    }
}

/// Analyses every article of the project.
pub fn analyse(project: &Project) -> Analysis {
    let articles: Vec<Article> = project
        .documents()
        .map(|d| analyse_article(project, d.id))
        .collect();
    combine(project, articles)
}

/// The project's analysis from its articles' (which may have been
/// computed at different times, as long as the registry is the same).
pub fn combine(project: &Project, articles: Vec<Article>) -> Analysis {
    let mut totals = Counts::default();
    let mut uses: BTreeMap<SourceId, SourceUse> = BTreeMap::new();
    for a in &articles {
        let c = &a.counts;
        totals.claims += c.claims;
        totals.figures += c.figures;
        totals.unsourced += c.unsourced;
        totals.anonymous_only += c.anonymous_only;
        totals.single_source += c.single_source;
        for (s, n) in &c.support {
            *totals.support.entry(*s).or_default() += n;
        }
        let mut here = BTreeSet::new();
        for (span, entry) in &a.mentions {
            if let Some(e) = entry {
                let u = uses.entry(*e).or_insert_with(|| SourceUse {
                    id: *e,
                    mentions: Vec::new(),
                    articles: 0,
                    claims: Vec::new(),
                    figures: Vec::new(),
                });
                u.mentions.push(*span);
                if here.insert(*e) {
                    u.articles += 1;
                }
            }
        }
        for claim in &a.claims {
            for r in &claim.sources {
                if let SourceRef::Entry(e) = r
                    && let Some(u) = uses.get_mut(e)
                {
                    if claim.figure {
                        u.figures.push(claim.span);
                    } else {
                        u.claims.push(claim.span);
                    }
                }
            }
        }
    }
    let entries: BTreeSet<SourceId> = uses.keys().copied().collect();
    tally_entries(project, &entries, &mut totals);
    // Entries nobody mentions are listed too, last.
    for e in project.sources() {
        uses.entry(e.id).or_insert_with(|| SourceUse {
            id: e.id,
            mentions: Vec::new(),
            articles: 0,
            claims: Vec::new(),
            figures: Vec::new(),
        });
    }
    let mut sources: Vec<SourceUse> = uses.into_values().collect();
    sources.sort_by(|a, b| {
        (b.claims.len(), b.mentions.len(), a.id).cmp(&(a.claims.len(), a.mentions.len(), b.id))
    });
    Analysis {
        articles,
        totals,
        sources,
    }
}

/// Counts `entries` by kind and identification into `counts`.
fn tally_entries(project: &Project, entries: &BTreeSet<SourceId>, counts: &mut Counts) {
    counts.distinct_sources = entries.len();
    for e in entries.iter().filter_map(|e| project.source(*e)) {
        *counts.kinds.entry(e.kind).or_default() += 1;
        *counts.identifications.entry(e.identification).or_default() += 1;
    }
}

/// The spans of one article in their sourcing roles.
#[derive(Default)]
struct Roles {
    /// (span, start, figure) for every claim and figure.
    claims: BTreeMap<SpanId, (usize, bool)>,
    /// Source spans with their start.
    sources: BTreeMap<SpanId, usize>,
    /// content span → its source spans.
    attributed: HashMap<SpanId, BTreeSet<SpanId>>,
}

/// Analyses one article.
pub fn analyse_article(project: &Project, doc: DocId) -> Article {
    let roles = roles_in(project, doc);
    let mentions: Vec<(SpanId, Option<SourceId>)> = {
        let mut v: Vec<(usize, SpanId)> = roles.sources.iter().map(|(s, at)| (*at, *s)).collect();
        v.sort_unstable();
        v.into_iter()
            .map(|(_, s)| (s, project.mention(s)))
            .collect()
    };
    let mut claims: Vec<Claim> = roles
        .claims
        .iter()
        .map(|(span, (start, figure))| {
            let mut sources: Vec<SourceRef> = roles
                .attributed
                .get(span)
                .into_iter()
                .flatten()
                .map(|s| match project.mention(*s) {
                    Some(e) => SourceRef::Entry(e),
                    None => SourceRef::Unassigned(*s),
                })
                .collect();
            sources.sort_unstable();
            sources.dedup();
            let support = support_of(project, &sources);
            Claim {
                span: *span,
                doc,
                start: *start,
                figure: *figure,
                sources,
                support,
            }
        })
        .collect();
    claims.sort_by_key(|c| (c.start, c.span));
    let mut counts = Counts::default();
    for c in &claims {
        if c.figure {
            counts.figures += 1;
            continue;
        }
        counts.claims += 1;
        *counts.support.entry(c.support).or_default() += 1;
        match c.support {
            Support::Unsourced => counts.unsourced += 1,
            Support::Described | Support::Anonymous => counts.anonymous_only += 1,
            _ => {}
        }
        if c.sources.len() == 1 {
            counts.single_source += 1;
        }
    }
    let entries: BTreeSet<SourceId> = mentions.iter().filter_map(|(_, e)| *e).collect();
    tally_entries(project, &entries, &mut counts);
    let findings = findings_of(project, doc, &claims, &mentions);
    Article {
        doc,
        claims,
        mentions,
        counts,
        findings,
    }
}

/// What `sources` amount to.
fn support_of(project: &Project, sources: &[SourceRef]) -> Support {
    let ident = |r: &SourceRef| match r {
        SourceRef::Entry(e) => project.source(*e).map(|e| e.identification),
        SourceRef::Unassigned(_) => None,
    };
    if sources.is_empty() {
        Support::Unsourced
    } else if sources
        .iter()
        .any(|r| ident(r) == Some(Identification::Named))
    {
        Support::Named
    } else if sources.iter().any(|r| ident(r).is_none()) {
        Support::Unassigned
    } else if sources
        .iter()
        .any(|r| ident(r) == Some(Identification::Described))
    {
        Support::Described
    } else {
        Support::Anonymous
    }
}

/// Sorts the article's spans into claims, figures and sources, and follows
/// the attribution links and events.
fn roles_in(project: &Project, doc: DocId) -> Roles {
    let sourcing = project.sourcing();
    let mut roles = Roles::default();
    let mut seen_events = BTreeSet::new();
    let is_figure = |s: &Span| sourcing.figures.contains(&s.label);
    for s in project.spans_in(doc) {
        if sourcing.claims.contains(&s.label) || is_figure(s) {
            roles.claims.insert(s.id, (s.start, is_figure(s)));
        }
        if sourcing.sources.contains(&s.label) {
            roles.sources.insert(s.id, s.start);
        }
        for l in project.links_of(s.id) {
            if l.from == s.id && sourcing.attribution(&l.kind).is_some() {
                attribute(project, &mut roles, l.from, Some(l.to), &is_figure);
            }
        }
        for e in project.events_of(s.id) {
            let Some(rule) = sourcing.attribution(&e.kind) else {
                continue;
            };
            if rule.content.is_none() || !seen_events.insert(e.id) {
                continue;
            }
            let role_spans = |role: &Option<String>| -> Vec<SpanId> {
                e.args
                    .iter()
                    .filter(|(r, _)| Some(r) == role.as_ref())
                    .filter_map(|(_, t)| match t {
                        Target::Span(id) => Some(*id),
                        Target::Event(_) => None,
                    })
                    .collect()
            };
            let sources = role_spans(&rule.source);
            for content in role_spans(&rule.content) {
                if sources.is_empty() {
                    attribute(project, &mut roles, content, None, &is_figure);
                }
                for src in &sources {
                    attribute(project, &mut roles, content, Some(*src), &is_figure);
                }
            }
        }
    }
    roles
}

/// Records that `content` is attributed to `source` (or to nothing).
fn attribute(
    project: &Project,
    roles: &mut Roles,
    content: SpanId,
    source: Option<SpanId>,
    is_figure: &dyn Fn(&Span) -> bool,
) {
    if let Some(c) = project.span(content) {
        roles
            .claims
            .entry(content)
            .or_insert((c.start, is_figure(c)));
    }
    let set = roles.attributed.entry(content).or_default();
    if let Some(s) = source.and_then(|s| project.span(s)) {
        set.insert(s.id);
        roles.sources.insert(s.id, s.start);
    }
}

/// The editorial checks of one article.
fn findings_of(
    project: &Project,
    doc: DocId,
    claims: &[Claim],
    mentions: &[(SpanId, Option<SourceId>)],
) -> Vec<Finding> {
    let mut out: Vec<(usize, Finding)> = Vec::new();
    let text_of = |id: SpanId| -> (usize, String) {
        match (project.span(id), project.document(doc)) {
            (Some(s), Some(d)) => (s.start, s.quote(&d.text)),
            _ => (0, String::new()),
        }
    };
    let mut push = |at: usize, check: Check, span: SpanId, message: String| {
        out.push((
            at,
            Finding {
                check,
                doc,
                span,
                message,
            },
        ))
    };
    for (span, entry) in mentions {
        let (at, text) = text_of(*span);
        if is_bare_reference(&text) {
            push(
                at,
                Check::BareSource,
                *span,
                format!("“{text}” says nothing of who the source is or how they know"),
            );
        }
        if let Some(e) = entry.and_then(|e| project.source(e))
            && is_plural_reference(&text)
        {
            push(
                at,
                Check::PluralOneEntry,
                *span,
                format!(
                    "“{text}” is plural but resolves to one source, “{}”",
                    e.name
                ),
            );
        }
    }
    let first_sourced = claims
        .iter()
        .find(|c| !c.figure && c.support != Support::Unsourced);
    if let Some(c) = first_sourced
        && matches!(c.support, Support::Described | Support::Anonymous)
    {
        let (at, text) = text_of(c.span);
        push(
            at,
            Check::FirstClaimAnonymous,
            c.span,
            format!(
                "the article's first sourced claim rests on no named source: “{}”",
                short(&text)
            ),
        );
    }
    for c in claims {
        let (at, text) = text_of(c.span);
        if !c.figure && c.support == Support::Anonymous {
            push(
                at,
                Check::AnonymousSupport,
                c.span,
                format!("only anonymous sources support “{}”", short(&text)),
            );
        }
        if c.figure && c.support == Support::Unsourced {
            push(
                at,
                Check::UnsourcedFigure,
                c.span,
                format!("the figure “{}” has no source", short(&text)),
            );
        }
    }
    out.sort_by_key(|(at, f)| (*at, f.check));
    out.into_iter().map(|(_, f)| f).collect()
}

/// The analysis kept up to date article by article: after an edit only
/// the articles it touched are analysed again (see
/// [`Project::annotation_stamp`]), a few at a time within a time budget,
/// so that a window never waits for a whole corpus.
#[derive(Debug, Default)]
pub struct Cache {
    articles: HashMap<DocId, (u64, Article)>,
    combined: Option<std::sync::Arc<Analysis>>,
    /// An article was analysed (or dropped) since the last combination.
    changed: bool,
}

/// How far a [`Cache`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Articles up to date.
    pub fresh: usize,
    /// Articles in the project.
    pub total: usize,
}

impl Freshness {
    /// True when every article is up to date and combined.
    pub fn done(&self) -> bool {
        self.fresh == self.total
    }
}

impl Cache {
    /// Brings the cache up to date, analysing stale articles until `budget`
    /// has passed (at least one per call), and combines them once all are
    /// fresh.
    pub fn refresh(&mut self, project: &Project, budget: std::time::Duration) -> Freshness {
        let started = std::time::Instant::now();
        let before = self.articles.len();
        self.articles.retain(|d, _| project.document(*d).is_some());
        self.changed |= self.articles.len() != before;
        let mut fresh = 0;
        let mut worked = false;
        for doc in project.documents() {
            let stamp = project.annotation_stamp(doc.id);
            if self.articles.get(&doc.id).is_some_and(|(s, _)| *s == stamp) {
                fresh += 1;
                continue;
            }
            if worked && started.elapsed() >= budget {
                continue;
            }
            self.articles
                .insert(doc.id, (stamp, analyse_article(project, doc.id)));
            self.changed = true;
            worked = true;
            fresh += 1;
        }
        let total = project.documents().len();
        if fresh == total && (self.changed || self.combined.is_none()) {
            let mut articles: Vec<Article> =
                self.articles.values().map(|(_, a)| a.clone()).collect();
            articles.sort_by_key(|a| a.doc);
            self.combined = Some(std::sync::Arc::new(combine(project, articles)));
            self.changed = false;
        }
        Freshness { fresh, total }
    }

    /// The latest complete analysis (possibly from before the last edits,
    /// while [`Cache::refresh`] catches up).
    pub fn analysis(&self) -> Option<std::sync::Arc<Analysis>> {
        self.combined.clone()
    }
}

/// The first 60 characters of a quote, with "…" when cut.
fn short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

#[cfg(test)]
mod tests;
