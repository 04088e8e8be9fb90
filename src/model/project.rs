//! The project: schema, documents, spans and links, plus derived indexes.
//!
//! Fields are private so that the only way to change a project is through
//! [`Edit`](super::edit::Edit)s, which check the invariants first:
//! - spans lie inside their document's text with `start < end`;
//! - every span names an existing document and label;
//! - every link names existing, distinct spans;
//! - ids are never reused (the counters in [`NextIds`] only grow).

use super::conflict::Conflict;
use super::document::{Document, Event, Extra, Fragment, Link, Span, Target};
use super::error::EditError;
use super::ids::{DocId, EventId, LabelId, LinkId, NextIds, SourceId, SpanId};
use super::label::{Label, LinkType, default_link_types, default_schema};
use super::order_log::{OrderChange, OrderLog};
use super::orphan::Orphan;
use super::pattern::{Pattern, Rejection};
use super::runs::{Keyed, RunTable, SpanTable};
use super::settings::Settings;
use super::source::{SourceEntry, Sourcing, default_sourcing};
use super::text::DocText;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

/// The spans an event uses (trigger first); event arguments are not spans.
fn event_spans(e: &Event) -> Vec<SpanId> {
    std::iter::once(e.trigger)
        .chain(e.args.iter().filter_map(|a| match a.1 {
            Target::Span(s) => Some(s),
            Target::Event(_) => None,
        }))
        .collect()
}

/// What the position index keeps of a span, so that lists and overlap
/// queries never have to look the span up (sequential, cache-friendly).
#[derive(Debug, Clone, PartialEq, Eq)]
struct IndexRow {
    start: usize,
    id: SpanId,
    end: usize,
    label: LabelId,
}

impl IndexRow {
    fn of(span: &Span) -> Self {
        IndexRow {
            start: span.start,
            id: span.id,
            end: span.end,
            label: span.label.clone(),
        }
    }
}

impl Keyed for IndexRow {
    type Key = (usize, SpanId);
    fn key(&self) -> (usize, SpanId) {
        (self.start, self.id)
    }
}

/// Per-document span index ordered by start offset.
#[derive(Debug, Clone, Default)]
struct DocSpans {
    by_start: RunTable<IndexRow>,
    /// Span count per label, kept up to date on every edit.
    label_counts: HashMap<LabelId, usize>,
    /// Upper bound on span length in this document; bounds overlap scans.
    max_len: usize,
}

/// A whole annotation project.
#[derive(Debug, Clone)]
pub struct Project {
    name: String,
    labels: Vec<Label>,
    link_types: Vec<LinkType>,
    documents: BTreeMap<DocId, Document>,
    spans: SpanTable,
    links: BTreeMap<LinkId, Link>,
    events: BTreeMap<EventId, Event>,
    extras: Vec<Extra>,
    conflicts: Vec<Conflict>,
    patterns: Vec<Pattern>,
    rejected: BTreeSet<Rejection>,
    orphans: BTreeMap<SpanId, Orphan>,
    settings: Settings,
    /// Attribute values that may be stale: (span, attribute) whose text
    /// changed after the value was typed by hand. An entry counts only
    /// while the span exists and has that attribute (see [`Project::stale`]),
    /// so removing a span or a value needs no edit of its own here.
    stale: BTreeSet<(SpanId, String)>,
    /// The source registry.
    sources: BTreeMap<SourceId, SourceEntry>,
    /// Which entry each source span mentions. Like `stale`, an entry
    /// counts only while its span exists (see [`Project::mention`]): a
    /// deleted span's mention comes back with it on undo, untouched.
    mentions: BTreeMap<SpanId, SourceId>,
    /// Which labels are claims, figures and sources; which relations
    /// attribute.
    sourcing: Sourcing,
    next: NextIds,
    by_doc: HashMap<DocId, DocSpans>,
    /// (span, link) for both ends of every link: one 16-byte entry per
    /// end in a B-tree (a map of small vectors cost 80 bytes per span).
    links_by_span: BTreeSet<(SpanId, LinkId)>,
    events_by_span: HashMap<SpanId, BTreeSet<EventId>>,
    /// Changes to the span order, for lists that follow edits.
    order_log: OrderLog,
    /// The stamp of the last edit of each article's annotations, and of
    /// the schema or registry (`stamps.0`), from one counter (`stamps.1`):
    /// an analysis kept per article knows which to redo. Not part of
    /// equality.
    stamps: (u64, u64, HashMap<DocId, u64>),
    /// Bumped by every change to any document (its text, title, status,
    /// or the set of documents), so views of the article list can tell
    /// when to work their rows out again. Not part of equality.
    doc_version: u64,
}

/// What an edit touched, for the analysis stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Touched {
    /// Nothing an analysis reads.
    Nothing,
    /// One article.
    Article(DocId),
    /// The schema or the registry: every article.
    Everything,
}

/// Content equality: counters and indexes are ignored, so that "undo all"
/// compares equal to the start state even though ids were consumed.
impl PartialEq for Project {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.labels == other.labels
            && self.link_types == other.link_types
            && self.documents == other.documents
            && self.spans == other.spans
            && self.links == other.links
            && self.events == other.events
            && self.extras == other.extras
            && self.conflicts == other.conflicts
            && self.patterns == other.patterns
            && self.rejected == other.rejected
            && self.orphans == other.orphans
            && self.settings == other.settings
            && self.stale().eq(other.stale())
            && self.sources == other.sources
            && self.mentions().eq(other.mentions())
            && self.sourcing == other.sourcing
    }
}

impl Project {
    /// An empty project with the default schema.
    pub fn new(name: &str) -> Self {
        Self::with_labels(name, default_schema())
    }

    /// An empty project with the given labels and the default link rules
    /// that fit them (not validated; use
    /// [`Edit::InsertLabel`](super::edit::Edit) for checked insertion).
    pub fn with_labels(name: &str, labels: Vec<Label>) -> Self {
        let link_types = default_link_types(&labels);
        Self::with_schema(name, labels, link_types)
    }

    /// An empty project with the given labels and link rules.
    pub fn with_schema(name: &str, labels: Vec<Label>, link_types: Vec<LinkType>) -> Self {
        let sourcing = default_sourcing(&labels, &link_types);
        Project {
            name: name.to_string(),
            labels,
            link_types,
            documents: BTreeMap::new(),
            spans: SpanTable::default(),
            links: BTreeMap::new(),
            events: BTreeMap::new(),
            extras: Vec::new(),
            conflicts: Vec::new(),
            patterns: Vec::new(),
            rejected: BTreeSet::new(),
            orphans: BTreeMap::new(),
            settings: Settings::default(),
            stale: BTreeSet::new(),
            sources: BTreeMap::new(),
            mentions: BTreeMap::new(),
            sourcing,
            next: NextIds::default(),
            by_doc: HashMap::new(),
            links_by_span: BTreeSet::new(),
            events_by_span: HashMap::new(),
            order_log: OrderLog::default(),
            stamps: (0, 0, HashMap::new()),
            doc_version: 0,
        }
    }

    /// Project name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The label schema, in display order.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }
    /// The declared link types with the labels they may connect.
    pub fn link_types(&self) -> &[LinkType] {
        &self.link_types
    }

    /// The declared link type `kind`, if any.
    pub fn link_type(&self, kind: &str) -> Option<&LinkType> {
        self.link_types.iter().find(|t| t.id == kind)
    }

    /// True when a span labelled `label` may start a link of some declared
    /// type (or when no type is declared at all).
    pub fn can_link_from(&self, label: &LabelId) -> bool {
        self.link_types.is_empty()
            || self
                .link_types
                .iter()
                .any(|t| t.from.is_empty() || t.from.contains(label))
    }

    /// Checks a link of type `kind` from `from` to `to` against its declared
    /// rule, with the spans' labels as they are now (or `relabel` for one).
    pub fn check_link_rule(
        &self,
        kind: &str,
        from: SpanId,
        to: SpanId,
        relabel: Option<(SpanId, &LabelId)>,
    ) -> Result<(), EditError> {
        let Some(rule) = self.link_type(kind) else {
            return Ok(());
        };
        let label_of = |id: SpanId| -> Result<&LabelId, EditError> {
            match relabel {
                Some((s, l)) if s == id => Ok(l),
                _ => self
                    .spans
                    .get(&id)
                    .map(|s| &s.label)
                    .ok_or(EditError::UnknownSpan(id)),
            }
        };
        let (from_label, to_label) = (label_of(from)?, label_of(to)?);
        if rule.allows(from_label, to_label) {
            return Ok(());
        }
        Err(EditError::LinkRule {
            kind: kind.to_string(),
            from,
            from_label: from_label.clone(),
            to,
            to_label: to_label.clone(),
            rule: rule.describe(),
        })
    }

    /// Links of `span` that would break their rule if it were labelled `label`.
    pub fn links_broken_by_retag(&self, span: SpanId, label: &LabelId) -> Vec<LinkId> {
        self.links_of(span)
            .filter(|l| {
                self.check_link_rule(&l.kind, l.from, l.to, Some((span, label)))
                    .is_err()
            })
            .map(|l| l.id)
            .collect()
    }

    /// A label by id.
    pub fn label(&self, id: &LabelId) -> Option<&Label> {
        self.labels.iter().find(|l| &l.id == id)
    }

    /// What people call label `id`: its name, or the id itself when the
    /// schema no longer has it.
    pub fn label_name<'a>(&'a self, id: &'a LabelId) -> &'a str {
        self.label(id).map_or(id.as_str(), |l| l.name.as_str())
    }
    /// Documents in id order.
    pub fn documents(&self) -> impl ExactSizeIterator<Item = &Document> {
        self.documents.values()
    }
    /// A document by id.
    pub fn document(&self, id: DocId) -> Option<&Document> {
        self.documents.get(&id)
    }
    /// All spans in id order.
    pub fn spans(&self) -> impl ExactSizeIterator<Item = &Span> {
        self.spans.values()
    }
    /// A span by id.
    pub fn span(&self, id: SpanId) -> Option<&Span> {
        self.spans.get(&id)
    }
    /// All links in id order.
    pub fn links(&self) -> impl ExactSizeIterator<Item = &Link> {
        self.links.values()
    }
    /// A link by id.
    pub fn link(&self, id: LinkId) -> Option<&Link> {
        self.links.get(&id)
    }
    /// A number that changes whenever any document changes (its text,
    /// title or status, or the set of documents) and never otherwise.
    pub fn documents_version(&self) -> u64 {
        self.doc_version
    }

    /// The id counters.
    pub fn next_ids(&self) -> NextIds {
        self.next
    }

    /// Sets a document's stored text hash (used by the loader).
    pub fn set_document_hash(&mut self, id: DocId, hash: String) {
        self.doc_version += 1;
        if let Some(d) = self.documents.get_mut(&id) {
            d.hash = hash;
        }
    }

    /// Raises the id counters to at least `next` (used by the loader).
    pub fn reserve_ids(&mut self, next: NextIds) {
        self.next.document = self.next.document.max(next.document);
        self.next.span = self.next.span.max(next.span);
        self.next.link = self.next.link.max(next.link);
        self.next.event = self.next.event.max(next.event);
        self.next.source = self.next.source.max(next.source);
    }

    /// Spans of one document ordered by (start, id).
    pub fn spans_in(&self, doc: DocId) -> impl Iterator<Item = &Span> {
        self.by_doc
            .get(&doc)
            .into_iter()
            .flat_map(|d| d.by_start.values())
            .filter_map(|r| self.spans.get(&r.id))
    }

    /// Number of spans in one document.
    pub fn span_count_in(&self, doc: DocId) -> usize {
        self.by_doc.get(&doc).map_or(0, |d| d.by_start.len())
    }

    /// The span of `doc` with this label over exactly these fragments
    /// (ordered; one for a contiguous span), other than `except`: tagging
    /// it again would stack an identical twin.
    pub fn same_span(
        &self,
        doc: DocId,
        label: &LabelId,
        fragments: &[Fragment],
        except: Option<SpanId>,
    ) -> Option<SpanId> {
        let (first, last) = (fragments.first()?, fragments.last()?);
        self.spans_overlapping(doc, first.0..last.1)
            .into_iter()
            .find(|s| {
                Some(s.id) != except
                    && s.label == *label
                    && s.start == first.0
                    && s.end == last.1
                    && s.fragments_iter().eq(fragments.iter().copied())
            })
            .map(|s| s.id)
    }

    /// Spans that repeat another's label and fragments exactly:
    /// `(duplicate, the span it repeats)`, the later id first.
    /// One pass over each article's position index: twins share a start.
    pub fn duplicate_spans(&self) -> Vec<(SpanId, SpanId)> {
        let mut out = Vec::new();
        for doc in self.documents.keys() {
            let mut same_start: Vec<&Span> = Vec::new();
            for s in self.spans_in(*doc) {
                if same_start.first().is_some_and(|f| f.start != s.start) {
                    same_start.clear();
                }
                let twin = same_start.iter().find(|o| {
                    o.end == s.end
                        && o.label == s.label
                        && o.fragments_iter().eq(s.fragments_iter())
                });
                if let Some(o) = twin {
                    out.push((s.id.max(o.id), s.id.min(o.id)));
                } else {
                    same_start.push(s);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Spans of `doc` that overlap the char range `range`, ordered by start.
    /// Costs O(log n + k) for k spans starting within `max span length` of
    /// the range, so it stays cheap for a visible paragraph in a huge text.
    pub fn spans_overlapping(&self, doc: DocId, range: Range<usize>) -> Vec<&Span> {
        let Some(d) = self.by_doc.get(&doc) else {
            return Vec::new();
        };
        let lo = range.start.saturating_sub(d.max_len);
        d.by_start
            .starting_at(&(lo, SpanId(0)))
            .take_while(|r| r.start < range.end)
            .filter(|r| r.end > range.start)
            .filter_map(|r| self.spans.get(&r.id))
            .collect()
    }

    /// True when a span of `label` in `doc` overlaps `range` (no
    /// allocation: the suggestion painter asks this per suggestion).
    pub fn has_span_with_label(&self, doc: DocId, range: Range<usize>, label: &LabelId) -> bool {
        let Some(d) = self.by_doc.get(&doc) else {
            return false;
        };
        let lo = range.start.saturating_sub(d.max_len);
        d.by_start
            .starting_at(&(lo, SpanId(0)))
            .take_while(|r| r.start < range.end)
            .any(|r| r.end > range.start && r.label == *label)
    }

    /// Spans whose range contains char offset `at` (half-open), innermost last.
    pub fn spans_at(&self, doc: DocId, at: usize) -> Vec<&Span> {
        let mut spans = self.spans_overlapping(doc, at..at + 1);
        // A discontinuous span covers only its fragments, not the gaps.
        spans.retain(|s| {
            s.fragments.is_empty() || s.fragments.iter().any(|(a, b)| *a <= at && at < *b)
        });
        spans
    }

    /// Links that start or end at `span`, in id order.
    pub fn links_of(&self, span: SpanId) -> impl Iterator<Item = &Link> {
        self.links_by_span
            .range((span, LinkId(0))..=(span, LinkId(u64::MAX)))
            .filter_map(|(_, id)| self.links.get(id))
    }

    /// The normalisations, other notes and equivalences, in order.
    pub fn extras(&self) -> &[Extra] {
        &self.extras
    }

    /// Positions of the extras that refer to `t`.
    pub fn extras_of(&self, t: Target) -> Vec<usize> {
        self.extras
            .iter()
            .enumerate()
            .filter(|(_, e)| e.refers_to(t))
            .map(|(i, _)| i)
            .collect()
    }

    /// Checks that every span and event an extra refers to exists.
    pub fn check_extra(&self, extra: &Extra) -> Result<(), EditError> {
        for t in extra.targets() {
            let ok = match t {
                Target::Span(s) => self.spans.contains_key(&s),
                Target::Event(e) => self.events.contains_key(&e),
            };
            if !ok {
                return Err(EditError::BadExtra(format!("{t:?} does not exist")));
            }
        }
        Ok(())
    }

    pub(crate) fn raw_insert_extra(&mut self, index: usize, extra: Extra) {
        let at = index.min(self.extras.len());
        self.extras.insert(at, extra);
    }

    pub(crate) fn raw_remove_extra(&mut self, index: usize) -> Option<Extra> {
        (index < self.extras.len()).then(|| self.extras.remove(index))
    }

    /// The project's own suggestion patterns, in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Suggestions the user rejected.
    pub fn rejected(&self) -> &BTreeSet<Rejection> {
        &self.rejected
    }

    pub(crate) fn raw_insert_pattern(&mut self, index: usize, pattern: Pattern) -> usize {
        let at = index.min(self.patterns.len());
        self.patterns.insert(at, pattern);
        at
    }

    pub(crate) fn raw_remove_pattern(&mut self, index: usize) -> Option<Pattern> {
        (index < self.patterns.len()).then(|| self.patterns.remove(index))
    }

    /// The project's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn raw_set_settings(&mut self, settings: Settings) -> Settings {
        std::mem::replace(&mut self.settings, settings)
    }

    /// Attribute values that may be stale, as (span, attribute): the
    /// span's text changed after the value was typed by hand. Only entries
    /// whose span exists and still has the value are listed.
    pub fn stale(&self) -> impl Iterator<Item = (SpanId, &str)> + '_ {
        self.stale
            .iter()
            .filter(|(id, name)| self.span(*id).is_some_and(|s| s.attrs.contains_key(name)))
            .map(|(id, name)| (*id, name.as_str()))
    }

    /// A number that changes whenever article `doc`'s text or
    /// annotations change (its spans, links, events, mentions), or the
    /// schema or the registry changes; never otherwise. Not persisted.
    pub fn annotation_stamp(&self, doc: DocId) -> u64 {
        self.stamps
            .2
            .get(&doc)
            .copied()
            .unwrap_or(0)
            .max(self.stamps.0)
    }

    /// Records that an edit touched `what`.
    pub(crate) fn stamp(&mut self, what: Touched) {
        match what {
            Touched::Nothing => {}
            Touched::Article(doc) => {
                self.stamps.1 += 1;
                self.stamps.2.insert(doc, self.stamps.1);
            }
            Touched::Everything => {
                self.stamps.1 += 1;
                self.stamps.0 = self.stamps.1;
            }
        }
    }

    /// The source registry, by id.
    pub fn sources(&self) -> impl ExactSizeIterator<Item = &SourceEntry> + '_ {
        self.sources.values()
    }

    /// Registry entry `id`.
    pub fn source(&self, id: SourceId) -> Option<&SourceEntry> {
        self.sources.get(&id)
    }

    /// The entry span `span` mentions, while the span exists.
    pub fn mention(&self, span: SpanId) -> Option<SourceId> {
        self.mentions
            .get(&span)
            .copied()
            .filter(|_| self.span(span).is_some())
    }

    /// (span, entry) for every existing span that mentions an entry, by span id.
    pub fn mentions(&self) -> impl Iterator<Item = (SpanId, SourceId)> + '_ {
        self.mentions
            .iter()
            .map(|(s, e)| (*s, *e))
            .filter(|(s, _)| self.span(*s).is_some())
    }

    /// Every recorded mention of entry `id`, including those of deleted
    /// spans and orphans (which come back on undo or re-attachment): what a
    /// merge must re-point and a removal must clear.
    pub fn all_mentions_of(&self, id: SourceId) -> Vec<SpanId> {
        self.mentions
            .iter()
            .filter(|(_, e)| **e == id)
            .map(|(s, _)| *s)
            .collect()
    }

    /// The recorded mention of `span`, whether or not the span exists now.
    pub(crate) fn recorded_mention(&self, span: SpanId) -> Option<SourceId> {
        self.mentions.get(&span).copied()
    }

    /// The orphans' mentions, which a file keeps with its live ones.
    pub fn orphan_mentions(&self) -> impl Iterator<Item = (SpanId, SourceId)> + '_ {
        self.mentions
            .iter()
            .map(|(s, e)| (*s, *e))
            .filter(|(s, _)| self.orphan(*s).is_some())
    }

    /// The schema's sourcing roles.
    pub fn sourcing(&self) -> &Sourcing {
        &self.sourcing
    }

    /// The id the next new registry entry gets.
    pub fn next_source_id(&self) -> SourceId {
        SourceId(self.next.source)
    }

    pub(crate) fn raw_put_source(&mut self, entry: SourceEntry) -> Option<SourceEntry> {
        self.next.source = self.next.source.max(entry.id.0 + 1);
        self.sources.insert(entry.id, entry)
    }

    pub(crate) fn raw_remove_source(&mut self, id: SourceId) -> Option<SourceEntry> {
        self.sources.remove(&id)
    }

    pub(crate) fn raw_set_mention(
        &mut self,
        span: SpanId,
        source: Option<SourceId>,
    ) -> Option<SourceId> {
        match source {
            Some(s) => self.mentions.insert(span, s),
            None => self.mentions.remove(&span),
        }
    }

    pub(crate) fn raw_set_sourcing(&mut self, sourcing: Sourcing) -> Sourcing {
        std::mem::replace(&mut self.sourcing, sourcing)
    }

    /// True when span `id`'s attribute `name` may be stale.
    pub fn is_stale(&self, id: SpanId, name: &str) -> bool {
        self.stale.contains(&(id, name.to_string()))
            && self.span(id).is_some_and(|s| s.attrs.contains_key(name))
    }

    /// Marks (true) or unmarks a value as possibly stale; true when the
    /// set changed.
    pub(crate) fn raw_set_stale(&mut self, id: SpanId, name: String, on: bool) -> bool {
        if on {
            self.stale.insert((id, name))
        } else {
            self.stale.remove(&(id, name))
        }
    }

    pub(crate) fn raw_set_rejected(&mut self, r: Rejection, on: bool) -> bool {
        if on {
            self.rejected.insert(r)
        } else {
            self.rejected.remove(&r)
        }
    }

    /// Every orphan (a span without a place in its article's text), by id.
    pub fn orphans(&self) -> impl ExactSizeIterator<Item = &Orphan> {
        self.orphans.values()
    }

    /// An orphan by its span id.
    pub fn orphan(&self, id: SpanId) -> Option<&Orphan> {
        self.orphans.get(&id)
    }

    /// The orphans of one article, by id.
    pub fn orphans_in(&self, doc: DocId) -> impl Iterator<Item = &Orphan> {
        self.orphans.values().filter(move |o| o.span.doc == doc)
    }

    /// The orphan that parks the link, event or span `t` refers to, if any
    /// (the orphan of that span, or the one parking that event).
    pub fn orphan_holding(&self, t: Target) -> Option<SpanId> {
        match t {
            Target::Span(id) => self.orphans.contains_key(&id).then_some(id),
            Target::Event(id) => self
                .orphans
                .values()
                .find(|o| o.events.iter().any(|e| e.id == id))
                .map(|o| o.span.id),
        }
    }

    pub(crate) fn raw_insert_orphan(&mut self, orphan: Orphan) {
        // Ids of parked records stay taken.
        self.next.span = self.next.span.max(orphan.span.id.0 + 1);
        for l in &orphan.links {
            self.next.link = self.next.link.max(l.id.0 + 1);
        }
        for e in &orphan.events {
            self.next.event = self.next.event.max(e.id.0 + 1);
        }
        self.orphans.insert(orphan.span.id, orphan);
    }

    pub(crate) fn raw_remove_orphan(&mut self, id: SpanId) -> Option<Orphan> {
        self.orphans.remove(&id)
    }

    /// Replaces a document's text and hash and moves its spans to
    /// `moves` (id, fragments) in one go, rebuilding the document's index;
    /// returns the old text and hash. The caller has checked the moves.
    pub(crate) fn raw_set_document_text(
        &mut self,
        id: DocId,
        text: DocText,
        hash: String,
        moves: &[(SpanId, Vec<Fragment>)],
    ) -> Option<(DocText, String)> {
        self.doc_version += 1;
        let doc = self.documents.get_mut(&id)?;
        let old_text = std::mem::replace(&mut doc.text, text);
        let old_hash = std::mem::replace(&mut doc.hash, hash);
        for (sid, fragments) in moves {
            if let Some(span) = self.spans.get_mut(sid) {
                span.set_fragments(fragments.clone());
            }
        }
        // Rebuild the position index of this document in bulk.
        let ids: Vec<SpanId> = self
            .by_doc
            .get(&id)
            .map(|d| d.by_start.values().map(|r| r.id).collect())
            .unwrap_or_default();
        let mut index = DocSpans::default();
        let mut rows = Vec::with_capacity(ids.len());
        for sid in ids {
            if let Some(span) = self.spans.get(&sid) {
                rows.push(IndexRow::of(span));
                *index.label_counts.entry(span.label.clone()).or_insert(0) += 1;
                index.max_len = index.max_len.max(span.end - span.start);
            }
        }
        // Sorted once and taken over run by run: no insert per span.
        rows.sort_unstable_by_key(Keyed::key);
        index.by_start = RunTable::from_sorted(rows);
        self.by_doc.insert(id, index);
        self.order_log.push(OrderChange::Rebuilt(id));
        Some((old_text, old_hash))
    }

    /// Unsettled merge conflicts, in the order the merge found them.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    pub(crate) fn raw_insert_conflict(&mut self, index: usize, conflict: Conflict) {
        let at = index.min(self.conflicts.len());
        self.conflicts.insert(at, conflict);
    }

    pub(crate) fn raw_remove_conflict(&mut self, index: usize) -> Option<Conflict> {
        (index < self.conflicts.len()).then(|| self.conflicts.remove(index))
    }

    /// Every event, by id.
    pub fn events(&self) -> impl ExactSizeIterator<Item = &Event> {
        self.events.values()
    }

    /// An event by id.
    pub fn event(&self, id: EventId) -> Option<&Event> {
        self.events.get(&id)
    }

    /// The events whose spans all pass `keep` and whose argument events are
    /// returned too (an export of some spans writes these), in id order.
    pub fn events_among(&self, keep: impl Fn(SpanId) -> bool) -> Vec<&Event> {
        Self::events_among_these(self.events.values().collect(), keep)
    }

    /// As [`Project::events_among`], among `candidates` only (say, one
    /// article's events, gathered once for a whole export).
    pub fn events_among_these(
        candidates: Vec<&Event>,
        keep: impl Fn(SpanId) -> bool,
    ) -> Vec<&Event> {
        let mut out: Vec<&Event> = Vec::new();
        let mut done = BTreeSet::new();
        let mut pending: Vec<&Event> = candidates.into_iter().filter(|e| keep(e.trigger)).collect();
        loop {
            let before = pending.len();
            pending.retain(|e| {
                let ready = e.args.iter().all(|(_, a)| match *a {
                    Target::Span(s) => keep(s),
                    Target::Event(ev) => done.contains(&ev),
                });
                if ready {
                    done.insert(e.id);
                    out.push(e);
                }
                !ready
            });
            if pending.len() == before {
                break;
            }
        }
        out.sort_by_key(|e| e.id);
        out
    }

    /// Events that have event `id` among their arguments.
    pub fn events_referring_to(&self, id: EventId) -> Vec<EventId> {
        self.events
            .values()
            .filter(|e| e.args.iter().any(|a| a.1 == Target::Event(id)))
            .map(|e| e.id)
            .collect()
    }

    /// Events that use `span` as trigger or argument.
    pub fn events_of(&self, span: SpanId) -> impl Iterator<Item = &Event> {
        self.events_by_span
            .get(&span)
            .into_iter()
            .flatten()
            .filter_map(|id| self.events.get(id))
    }

    /// Checks that a span's fragments and attributes fit its range, text and
    /// label.
    pub fn check_span_shape(&self, span: &Span) -> Result<(), EditError> {
        if !span.fragments.is_empty() {
            let f = &span.fragments;
            let len = self
                .documents
                .get(&span.doc)
                .map_or(0, |d| d.text.char_len());
            let ordered = f.len() >= 2
                && f.iter().all(|(s, e)| s < e && *e <= len)
                && f.windows(2).all(|w| w[0].1 <= w[1].0)
                && f.first().map(|x| x.0) == Some(span.start)
                && f.last().map(|x| x.1) == Some(span.end);
            if !ordered {
                let list: Vec<String> = f.iter().map(|(s, e)| format!("{s}..{e}")).collect();
                return Err(EditError::BadFragments(span.id, list.join(";")));
            }
        }
        self.check_attrs(span.id, &span.label, &span.attrs)
    }

    /// Checks attribute values against the label's declarations.
    pub fn check_attrs(
        &self,
        span: SpanId,
        label: &LabelId,
        attrs: &BTreeMap<String, String>,
    ) -> Result<(), EditError> {
        let Some(l) = self.label(label) else {
            return Err(EditError::UnknownLabel(label.clone()));
        };
        for (k, v) in attrs {
            let def = l.attribute(k).ok_or_else(|| {
                EditError::BadAttribute(span, format!("{label} has no attribute {k:?}"))
            })?;
            def.check(v).map_err(|e| EditError::BadAttribute(span, e))?;
        }
        Ok(())
    }

    /// Checks that `event` could be inserted as it stands.
    pub fn check_event(&self, event: &Event) -> Result<(), EditError> {
        if self.events.contains_key(&event.id) {
            return Err(EditError::DuplicateEventId(event.id));
        }
        self.check_event_fields(event)
    }

    /// Checks an event's type, spans, argument events and roles.
    fn check_event_fields(&self, event: &Event) -> Result<(), EditError> {
        if event.kind.trim().is_empty() || event.kind.chars().any(char::is_whitespace) {
            return Err(EditError::BadEvent(
                event.id,
                "the type must be one word".into(),
            ));
        }
        for s in event_spans(event) {
            if !self.spans.contains_key(&s) {
                return Err(EditError::BadEvent(
                    event.id,
                    format!("span {s} does not exist"),
                ));
            }
        }
        // Event arguments must already exist, which also rules out cycles:
        // an event can only point at events inserted before it.
        for (_, arg) in &event.args {
            if let Target::Event(e) = *arg
                && (e == event.id || !self.events.contains_key(&e))
            {
                return Err(EditError::BadEvent(
                    event.id,
                    format!("argument event {e} does not exist"),
                ));
            }
        }
        if event
            .args
            .iter()
            .any(|(r, _)| r.trim().is_empty() || r.chars().any(char::is_whitespace))
        {
            return Err(EditError::BadEvent(
                event.id,
                "roles must be single words".into(),
            ));
        }
        Ok(())
    }

    /// Checks that event `id` could take `args` as its arguments: as for a
    /// new event, and no argument event may lead back to it.
    pub fn check_event_args(
        &self,
        id: EventId,
        args: &[(String, Target)],
    ) -> Result<(), EditError> {
        let event = self.events.get(&id).ok_or(EditError::UnknownEvent(id))?;
        let candidate = Event {
            args: args.to_vec(),
            ..event.clone()
        };
        self.check_event_fields(&candidate)?;
        let mut stack: Vec<EventId> = args
            .iter()
            .filter_map(|(_, a)| match a {
                Target::Event(e) => Some(*e),
                Target::Span(_) => None,
            })
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(e) = stack.pop() {
            if e == id {
                return Err(EditError::BadEvent(
                    id,
                    "an argument event leads back to this event".into(),
                ));
            }
            if seen.insert(e)
                && let Some(ev) = self.events.get(&e)
            {
                stack.extend(ev.args.iter().filter_map(|(_, a)| match a {
                    Target::Event(x) => Some(*x),
                    Target::Span(_) => None,
                }));
            }
        }
        Ok(())
    }

    /// The span after `from` (by position) in `doc`, or the first one.
    pub fn next_span_in(&self, doc: DocId, from: Option<SpanId>) -> Option<SpanId> {
        let d = self.by_doc.get(&doc)?;
        let key = from.and_then(|id| self.spans.get(&id).map(|s| (s.start, id)));
        match key {
            Some(k) => d
                .by_start
                .starting_at(&k)
                .find(|r| r.key() > k)
                .or_else(|| d.by_start.values().next()),
            None => d.by_start.values().next(),
        }
        .map(|r| r.id)
    }

    /// The span before `from` (by position) in `doc`, or the last one.
    pub fn prev_span_in(&self, doc: DocId, from: Option<SpanId>) -> Option<SpanId> {
        let d = self.by_doc.get(&doc)?;
        let key = from.and_then(|id| self.spans.get(&id).map(|s| (s.start, id)));
        match key {
            Some(k) => d
                .by_start
                .below_key(&k)
                .next_back()
                .or_else(|| d.by_start.values().next_back()),
            None => d.by_start.values().next_back(),
        }
        .map(|r| r.id)
    }

    /// Finds a document by id (as text) or by exact title.
    pub fn find_document(&self, key: &str) -> Option<&Document> {
        if let Ok(n) = key.trim().parse::<u64>()
            && let Some(d) = self.documents.get(&DocId(n))
        {
            return Some(d);
        }
        self.documents.values().find(|d| d.title == key)
    }

    // ---- checks (no mutation) ---------------------------------------------

    /// Checks that `span` could be inserted as it stands.
    pub fn check_span(&self, span: &Span) -> Result<(), EditError> {
        if self.spans.contains_key(&span.id) || self.orphans.contains_key(&span.id) {
            return Err(EditError::DuplicateSpanId(span.id));
        }
        self.check_span_fields(span.doc, &span.label, span.start, span.end)?;
        self.check_span_shape(span)
    }

    /// Checks the document, label and range of a would-be span.
    pub fn check_span_fields(
        &self,
        doc: DocId,
        label: &LabelId,
        start: usize,
        end: usize,
    ) -> Result<(), EditError> {
        let d = self
            .documents
            .get(&doc)
            .ok_or(EditError::UnknownDocument(doc))?;
        if self.label(label).is_none() {
            return Err(EditError::UnknownLabel(label.clone()));
        }
        let len = d.text.char_len();
        if start >= end || end > len {
            return Err(EditError::BadRange { start, end, len });
        }
        Ok(())
    }

    /// Checks that `link` could be inserted as it stands.
    pub fn check_link(&self, link: &Link) -> Result<(), EditError> {
        if self.links.contains_key(&link.id) {
            return Err(EditError::DuplicateLinkId(link.id));
        }
        self.check_link_ends(link)?;
        if self
            .links_of(link.from)
            .any(|l| l.from == link.from && l.to == link.to && l.kind == link.kind)
        {
            return Err(EditError::DuplicateLink(link.from, link.to));
        }
        self.check_link_rule(&link.kind, link.from, link.to, None)
    }

    /// The checks of a link on its own: both ends exist and differ, and
    /// its type is one word.
    fn check_link_ends(&self, link: &Link) -> Result<(), EditError> {
        for end in [link.from, link.to] {
            if !self.spans.contains_key(&end) {
                return Err(EditError::UnknownSpan(end));
            }
        }
        if link.from == link.to {
            return Err(EditError::SelfLink(link.from));
        }
        if link.kind.trim().is_empty() || link.kind.chars().any(char::is_whitespace) {
            return Err(EditError::BadLinkType(link.kind.clone()));
        }
        Ok(())
    }

    /// Checks that `label` could be inserted.
    pub fn check_label(&self, label: &Label) -> Result<(), EditError> {
        LabelId::new(label.id.as_str()).map_err(EditError::BadLabelId)?;
        if self.label(&label.id).is_some() {
            return Err(EditError::DuplicateLabel(label.id.clone()));
        }
        self.check_label_fields(label)
    }

    fn check_label_fields(&self, label: &Label) -> Result<(), EditError> {
        if label.name.trim().is_empty() {
            return Err(EditError::EmptyName);
        }
        if let Some(key) = label.hotkey
            && let Some(other) = self
                .labels
                .iter()
                .find(|l| l.hotkey == Some(key) && l.id != label.id)
        {
            return Err(EditError::HotkeyTaken(key, other.id.clone()));
        }
        Ok(())
    }

    // ---- raw mutation, used only by `edit.rs` after checks ----------------

    pub(crate) fn raw_set_name(&mut self, name: String) -> String {
        std::mem::replace(&mut self.name, name)
    }

    pub(crate) fn raw_insert_document(&mut self, doc: Document) {
        self.doc_version += 1;
        self.next.document = self.next.document.max(doc.id.0 + 1);
        self.by_doc.entry(doc.id).or_default();
        self.order_log.push(OrderChange::Rebuilt(doc.id));
        self.documents.insert(doc.id, doc);
    }

    pub(crate) fn raw_remove_document(&mut self, id: DocId) -> Option<Document> {
        self.doc_version += 1;
        self.by_doc.remove(&id);
        self.order_log.push(OrderChange::Rebuilt(id));
        self.documents.remove(&id)
    }

    pub(crate) fn raw_document_mut(&mut self, id: DocId) -> Option<&mut Document> {
        self.doc_version += 1;
        self.documents.get_mut(&id)
    }

    /// The schema's copy of a label id, so that spans share its text.
    fn shared_label(&self, id: LabelId) -> LabelId {
        match self.labels.iter().find(|l| l.id == id) {
            Some(l) => l.id.clone(),
            None => id,
        }
    }

    pub(crate) fn raw_insert_span(&mut self, mut span: Span) {
        span.label = self.shared_label(span.label);
        self.next.span = self.next.span.max(span.id.0 + 1);
        let d = self.by_doc.entry(span.doc).or_default();
        d.by_start.insert(IndexRow::of(&span));
        match d.label_counts.get_mut(&span.label) {
            Some(n) => *n += 1,
            None => {
                d.label_counts.insert(span.label.clone(), 1);
            }
        }
        d.max_len = d.max_len.max(span.end - span.start);
        self.order_log.push(OrderChange::Span {
            doc: span.doc,
            id: span.id,
            old_start: None,
        });
        self.spans.insert(span);
    }

    /// Inserts many spans with the same checks as [`Edit::InsertSpan`]
    /// (each refused span comes back with its error; the others go in).
    /// Into a project without spans, the indexes are built in one pass
    /// from sorted lists instead of one insertion at a time: this is how a
    /// project file is loaded.
    ///
    /// [`Edit::InsertSpan`]: super::edit::Edit::InsertSpan
    pub fn insert_spans(&mut self, spans: Vec<Span>) -> Vec<(SpanId, EditError)> {
        self.insert_spans_with(spans, |_| ()).0
    }

    /// Like [`Project::insert_spans`], and runs `side` over the spans that
    /// went in, in id order, part by part: when the project had no spans,
    /// on the two cores, one part on another thread while the indexes are
    /// built (the store checks span ends against grapheme boundaries
    /// there, without a copy of 500k ends). The parts' results come back
    /// in order, or None if `side` panicked.
    pub fn insert_spans_with<R: Send>(
        &mut self,
        mut spans: Vec<Span>,
        side: impl Fn(&[Span]) -> R + Sync,
    ) -> (Vec<(SpanId, EditError)>, Option<Vec<R>>) {
        let mut refused = Vec::new();
        if !self.spans.is_empty() {
            let mut inserted = Vec::new();
            for span in spans {
                let id = span.id;
                match self.check_span(&span) {
                    Ok(()) => {
                        inserted.push(span.clone());
                        self.raw_insert_span(span);
                    }
                    Err(e) => refused.push((id, e)),
                }
            }
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| vec![side(&inserted)]));
            return (refused, result.ok());
        }
        spans.sort_by_key(|s| s.id);
        // Filtered in place: a book's spans are never held twice.
        let mut last_kept = None;
        spans.retain_mut(|span| {
            let checked = if last_kept == Some(span.id) || self.orphans.contains_key(&span.id) {
                Err(EditError::DuplicateSpanId(span.id))
            } else {
                self.check_span_fields(span.doc, &span.label, span.start, span.end)
                    .and_then(|()| self.check_span_shape(span))
            };
            match checked {
                Ok(()) => {
                    span.label = self.shared_label(span.label.clone());
                    last_kept = Some(span.id);
                    true
                }
                Err(e) => {
                    refused.push((span.id, e));
                    false
                }
            }
        });
        let kept = spans;
        // The other thread takes more: this one builds the index first.
        let (first, second) = kept.split_at(kept.len() * 3 / 5);
        let side = &side;
        let result = std::thread::scope(|scope| {
            let other = scope.spawn(move || side(first));
            self.build_position_index(first, second);
            let mine = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| side(second)));
            Some(vec![other.join().ok()?, mine.ok()?])
        });
        if let Some(last) = kept.last() {
            self.next.span = self.next.span.max(last.id.0 + 1);
        }
        self.spans = SpanTable::from_sorted(kept);
        (refused, result)
    }

    /// Builds the position index and label counts of `kept` (sorted by id,
    /// checked) in one pass per document.
    fn build_position_index(&mut self, first: &[Span], second: &[Span]) {
        // Per document: its index entries, unsorted.
        type Entries = Vec<IndexRow>;
        let mut per_doc: HashMap<DocId, Entries> = HashMap::new();
        let mut counts: HashMap<DocId, HashMap<LabelId, usize>> = HashMap::new();
        let mut longest: HashMap<DocId, usize> = HashMap::new();
        for span in first.iter().chain(second) {
            per_doc
                .entry(span.doc)
                .or_default()
                .push(IndexRow::of(span));
            let c = counts.entry(span.doc).or_default();
            match c.get_mut(&span.label) {
                Some(n) => *n += 1,
                None => {
                    c.insert(span.label.clone(), 1);
                }
            }
            let l = longest.entry(span.doc).or_default();
            *l = (*l).max(span.end - span.start);
        }
        for (doc, mut entries) in per_doc {
            entries.sort_unstable_by_key(Keyed::key);
            let index = self.by_doc.entry(doc).or_default();
            index.by_start = RunTable::from_sorted(entries);
            index.label_counts = counts.remove(&doc).unwrap_or_default();
            index.max_len = longest.get(&doc).copied().unwrap_or(0);
            self.order_log.push(OrderChange::Rebuilt(doc));
        }
    }

    /// Inserts many links with the same checks as [`Edit::InsertLink`],
    /// returning the refused ones with their errors. Into a project without
    /// links the maps are built from sorted lists in one pass.
    ///
    /// [`Edit::InsertLink`]: super::edit::Edit::InsertLink
    pub fn insert_links(&mut self, mut links: Vec<Link>) -> Vec<(LinkId, EditError)> {
        let mut refused = Vec::new();
        if !self.links.is_empty() {
            for link in links {
                let id = link.id;
                match self.check_link(&link) {
                    Ok(()) => self.raw_insert_link(link),
                    Err(e) => refused.push((id, e)),
                }
            }
            return refused;
        }
        links.sort_by_key(|l| l.id);
        let mut kept: Vec<Link> = Vec::with_capacity(links.len());
        let mut seen: std::collections::HashSet<(SpanId, SpanId, &str)> =
            std::collections::HashSet::with_capacity(links.len());
        for link in &links {
            let checked = (|| {
                if kept.last().is_some_and(|k| k.id == link.id) {
                    return Err(EditError::DuplicateLinkId(link.id));
                }
                self.check_link_ends(link)?;
                if !seen.insert((link.from, link.to, link.kind.as_str())) {
                    return Err(EditError::DuplicateLink(link.from, link.to));
                }
                self.check_link_rule(&link.kind, link.from, link.to, None)
            })();
            match checked {
                Ok(()) => kept.push(link.clone()),
                Err(e) => refused.push((link.id, e)),
            }
        }
        drop(seen);
        let mut by_span: Vec<(SpanId, LinkId)> = Vec::with_capacity(kept.len() * 2);
        for l in &kept {
            by_span.push((l.from, l.id));
            by_span.push((l.to, l.id));
        }
        // Sorted and deduplicated by the set's bulk build.
        self.links_by_span = by_span.into_iter().collect();
        if let Some(last) = kept.last() {
            self.next.link = self.next.link.max(last.id.0 + 1);
        }
        self.links = kept.into_iter().map(|l| (l.id, l)).collect();
        refused
    }

    pub(crate) fn raw_remove_span(&mut self, id: SpanId) -> Option<Span> {
        let span = self.spans.remove(&id)?;
        self.order_log.push(OrderChange::Span {
            doc: span.doc,
            id,
            old_start: Some(span.start),
        });
        if let Some(d) = self.by_doc.get_mut(&span.doc) {
            d.by_start.remove(&(span.start, id));
            if let Some(n) = d.label_counts.get_mut(&span.label) {
                *n = n.saturating_sub(1);
            }
        }
        let ends: Vec<(SpanId, LinkId)> = self
            .links_by_span
            .range((id, LinkId(0))..=(id, LinkId(u64::MAX)))
            .copied()
            .collect();
        for end in ends {
            self.links_by_span.remove(&end);
        }
        Some(span)
    }

    /// Mutates a span in place, keeping the position index in step.
    pub(crate) fn raw_update_span<R>(
        &mut self,
        id: SpanId,
        f: impl FnOnce(&mut Span) -> R,
    ) -> Option<R> {
        let span = self.spans.get_mut(&id)?;
        let (old_start, old_label) = (span.start, span.label.clone());
        let r = f(span);
        let (doc, len) = (span.doc, span.end - span.start);
        let entry = IndexRow::of(span);
        if let Some(d) = self.by_doc.get_mut(&doc) {
            if entry.label != old_label {
                if let Some(n) = d.label_counts.get_mut(&old_label) {
                    *n = n.saturating_sub(1);
                }
                *d.label_counts.entry(entry.label.clone()).or_default() += 1;
            }
            d.by_start.remove(&(old_start, id));
            d.by_start.insert(entry);
            d.max_len = d.max_len.max(len);
        }
        self.order_log.push(OrderChange::Span {
            doc,
            id,
            old_start: Some(old_start),
        });
        Some(r)
    }

    pub(crate) fn raw_insert_link(&mut self, link: Link) {
        self.next.link = self.next.link.max(link.id.0 + 1);
        for end in [link.from, link.to] {
            self.links_by_span.insert((end, link.id));
        }
        self.links.insert(link.id, link);
    }

    pub(crate) fn raw_remove_link(&mut self, id: LinkId) -> Option<Link> {
        let link = self.links.remove(&id)?;
        for end in [link.from, link.to] {
            self.links_by_span.remove(&(end, id));
        }
        Some(link)
    }

    pub(crate) fn raw_insert_label(&mut self, index: usize, label: Label) {
        let index = index.min(self.labels.len());
        self.labels.insert(index, label);
    }

    pub(crate) fn raw_remove_label(&mut self, id: &LabelId) -> Option<(usize, Label)> {
        let index = self.labels.iter().position(|l| &l.id == id)?;
        Some((index, self.labels.remove(index)))
    }

    pub(crate) fn raw_replace_label(&mut self, label: Label) -> Result<Label, EditError> {
        self.check_label_fields(&label)?;
        let slot = self
            .labels
            .iter_mut()
            .find(|l| l.id == label.id)
            .ok_or_else(|| EditError::UnknownLabel(label.id.clone()))?;
        Ok(std::mem::replace(slot, label))
    }

    pub(crate) fn raw_insert_event(&mut self, event: Event) {
        self.next.event = self.next.event.max(event.id.0 + 1);
        for s in event_spans(&event) {
            self.events_by_span.entry(s).or_default().insert(event.id);
        }
        self.events.insert(event.id, event);
    }

    pub(crate) fn raw_remove_event(&mut self, id: EventId) -> Option<Event> {
        let event = self.events.remove(&id)?;
        for s in event_spans(&event) {
            if let Some(set) = self.events_by_span.get_mut(&s) {
                set.remove(&id);
                if set.is_empty() {
                    self.events_by_span.remove(&s);
                }
            }
        }
        Some(event)
    }

    /// Declares or replaces a link type; returns the rule it replaced.
    pub(crate) fn raw_put_link_type(&mut self, rule: LinkType) -> Option<LinkType> {
        match self.link_types.iter_mut().find(|t| t.id == rule.id) {
            Some(slot) => Some(std::mem::replace(slot, rule)),
            None => {
                self.link_types.push(rule);
                None
            }
        }
    }

    /// Removes a link type's rule.
    pub(crate) fn raw_remove_link_type(&mut self, id: &str) -> Option<LinkType> {
        let at = self.link_types.iter().position(|t| t.id == id)?;
        Some(self.link_types.remove(at))
    }

    /// Checks every link of type `kind` against its rule.
    pub(crate) fn check_links_of_type(&self, kind: &str) -> Result<(), EditError> {
        self.links
            .values()
            .filter(|l| l.kind == kind)
            .try_for_each(|l| self.check_link_rule(&l.kind, l.from, l.to, None))
    }

    /// Ids of a document's spans by position whose label passes `keep`.
    /// Reads only the position index, so it stays fast on 100k spans.
    pub fn span_ids_in(&self, doc: DocId, keep: impl Fn(&LabelId) -> bool) -> Vec<SpanId> {
        self.by_doc.get(&doc).map_or_else(Vec::new, |d| {
            d.by_start
                .values()
                .filter(|r| keep(&r.label))
                .map(|r| r.id)
                .collect()
        })
    }

    /// The number of the latest change to any document's span order (see
    /// [`Project::order_changes_since`]).
    pub fn order_number(&self) -> u64 {
        self.order_log.latest()
    }

    /// The changes to span order after [`Project::order_number`] returned
    /// `seen`, oldest first; None when they are not known (a list built
    /// from another project, or too far behind): rebuild it then.
    pub fn order_changes_since(&self, seen: u64) -> Option<impl Iterator<Item = &OrderChange>> {
        self.order_log.since(seen)
    }

    /// `(start, id)` of the document's spans whose label passes `keep`, in
    /// index order (start, then id).
    pub fn span_keys_in(
        &self,
        doc: DocId,
        keep: impl Fn(&LabelId) -> bool,
    ) -> Vec<(usize, SpanId)> {
        self.by_doc.get(&doc).map_or_else(Vec::new, |d| {
            d.by_start
                .values()
                .filter(|r| keep(&r.label))
                .map(Keyed::key)
                .collect()
        })
    }

    /// `(start, id)` of the document's spans at positions `rows` of its
    /// index (clamped), without going through the others before them.
    pub fn span_keys_at(&self, doc: DocId, rows: Range<usize>) -> Vec<(usize, SpanId)> {
        self.by_doc.get(&doc).map_or_else(Vec::new, |d| {
            d.by_start
                .starting_at_row(rows.start)
                .take(rows.len())
                .map(Keyed::key)
                .collect()
        })
    }

    /// The row of span `id` in its document's position order (by start,
    /// then id), or None when it is not a span of `doc`.
    pub fn span_row_in(&self, doc: DocId, id: SpanId) -> Option<usize> {
        let s = self.span(id).filter(|s| s.doc == doc)?;
        let d = self.by_doc.get(&doc)?;
        Some(d.by_start.rank(&(s.start, id)))
    }

    /// Whether any span uses the label.
    pub fn label_in_use(&self, id: &LabelId) -> bool {
        self.spans.values().any(|s| &s.label == id)
            || self.orphans.values().any(|o| &o.span.label == id)
    }

    /// Counts spans per label id, in schema order (labels with no spans
    /// count 0). O(labels × documents): the counts are kept up to date.
    pub fn counts_by_label(&self, doc: Option<DocId>) -> Vec<(LabelId, usize)> {
        let count = |id: &LabelId| match doc {
            Some(d) => self
                .by_doc
                .get(&d)
                .and_then(|x| x.label_counts.get(id))
                .copied()
                .unwrap_or(0),
            None => self
                .by_doc
                .values()
                .filter_map(|x| x.label_counts.get(id))
                .sum(),
        };
        self.labels
            .iter()
            .map(|l| (l.id.clone(), count(&l.id)))
            .collect()
    }
}
