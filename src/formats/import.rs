//! Shared machinery for importers: maps external documents, labels and span
//! ids onto a project and plans checked edits with fresh ids. Nothing is
//! applied here; the caller runs the edits as one undoable command.

use super::common::label_id_from;
use crate::model::{
    AttrDef, AttrKind, DocId, DocText, Document, Edit, Event, EventId, Extra, Identification,
    Label, LabelId, Link, LinkId, LinkType, NextIds, Project, Rgb, SourceEntry, SourceId,
    SourceKind, Span, SpanId, Target, guess_identification, text::normalize_newlines,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// What an import did and what it could not map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// New documents added (text not already in the project).
    pub documents_added: usize,
    /// Spans added.
    pub spans_added: usize,
    /// Links added.
    pub links_added: usize,
    /// Labels added to the schema, as "external → id".
    pub labels_added: Vec<String>,
    /// Spans already present (same document, range and label), skipped.
    pub duplicates: usize,
    /// Things that could not be imported, with the reason.
    pub skipped: Vec<String>,
    /// Things imported from a malformed input after a repair the import
    /// could check (a brat text field broken over lines), with what was
    /// done.
    pub repaired: Vec<String>,
}

impl Report {
    /// True when the input had problems: something not imported, or
    /// repaired (the CLI exits 1).
    pub fn has_problems(&self) -> bool {
        !self.skipped.is_empty() || !self.repaired.is_empty()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} document(s), {} span(s), {} link(s) imported",
            self.documents_added, self.spans_added, self.links_added
        )?;
        if !self.labels_added.is_empty() {
            write!(f, "; labels added: {}", self.labels_added.join(", "))?;
        }
        if self.duplicates > 0 {
            write!(f, "; {} duplicate span(s) skipped", self.duplicates)?;
        }
        if !self.skipped.is_empty() {
            write!(f, "; {} item(s) not imported:", self.skipped.len())?;
            for s in &self.skipped {
                write!(f, "\n  - {s}")?;
            }
        }
        if !self.repaired.is_empty() {
            write!(
                f,
                "\n{} item(s) imported from malformed lines, after checking them:",
                self.repaired.len()
            )?;
            for s in &self.repaired {
                write!(f, "\n  - {s}")?;
            }
        }
        Ok(())
    }
}

/// Distinct colours for labels added by an import.
const PALETTE: [Rgb; 6] = [
    Rgb(0x9b, 0x59, 0xb6),
    Rgb(0xd9, 0x53, 0x4f),
    Rgb(0x16, 0xa0, 0x85),
    Rgb(0x8e, 0x6e, 0x3c),
    Rgb(0xe8, 0x43, 0x93),
    Rgb(0x7f, 0x8c, 0x8d),
];

/// Adds (or widens) attribute `name` on a label being planned.
fn merge_attr(label: &mut Label, name: &str, kind: AttrKind) {
    match (label.attributes.iter_mut().find(|a| a.name == name), kind) {
        (Some(a), AttrKind::Values(new)) => {
            if let AttrKind::Values(old) = &mut a.kind {
                for v in new {
                    if !old.contains(&v) {
                        old.push(v);
                    }
                }
            }
        }
        (Some(_), _) => {}
        (None, kind) => label.attributes.push(AttrDef::new(name, kind)),
    }
}

/// Plans an import into a project.
pub struct Planner<'p> {
    project: &'p Project,
    next: NextIds,
    edits: Vec<Edit>,
    /// External document key → (target id, text).
    docs: HashMap<String, (DocId, DocText)>,
    /// Texts of documents added by this import → id.
    new_texts: HashMap<String, DocId>,
    /// External label → target label id.
    labels: HashMap<String, LabelId>,
    declared: HashMap<String, (String, Rgb)>,
    added_labels: Vec<Label>,
    /// (external document key, external span key) → target span.
    spans: HashMap<(String, String), SpanId>,
    /// (document, start, end, label) → the span there, existing or planned.
    existing: HashMap<(DocId, usize, usize, LabelId), SpanId>,
    links: HashSet<(SpanId, SpanId, String)>,
    /// Labels of the spans this import adds, for the link rules.
    planned_labels: HashMap<SpanId, LabelId>,
    /// Where each planned span's and event's insert edit sits.
    span_edit: HashMap<SpanId, usize>,
    event_edit: HashMap<EventId, usize>,
    /// (document key, external event key) → planned event.
    events: HashMap<(String, String), EventId>,
    /// Values seen per (label, attribute), to declare them at the end.
    attr_values: BTreeMap<(LabelId, String), BTreeSet<String>>,
    /// Relation type → its role names, when not `Arg1`/`Arg2`.
    link_roles: BTreeMap<String, (String, String)>,
    extras_planned: usize,
    /// External source key → the registry entry planned or reused.
    sources: HashMap<String, SourceId>,
    /// Registry entries described by the input (a brat export's
    /// `marginalia-sources.tsv`), by external key.
    known_sources: HashMap<String, SourceEntry>,
}

impl<'p> Planner<'p> {
    /// A planner for `project`.
    pub fn new(project: &'p Project) -> Self {
        let existing = project
            .spans()
            .map(|s| ((s.doc, s.start, s.end, s.label.clone()), s.id))
            .collect();
        let links = project
            .links()
            .map(|l| (l.from, l.to, l.kind.clone()))
            .collect();
        Planner {
            project,
            next: project.next_ids(),
            edits: Vec::new(),
            docs: HashMap::new(),
            new_texts: HashMap::new(),
            labels: HashMap::new(),
            declared: HashMap::new(),
            added_labels: Vec::new(),
            spans: HashMap::new(),
            existing,
            links,
            planned_labels: HashMap::new(),
            span_edit: HashMap::new(),
            event_edit: HashMap::new(),
            events: HashMap::new(),
            attr_values: BTreeMap::new(),
            link_roles: BTreeMap::new(),
            extras_planned: 0,
            sources: HashMap::new(),
            known_sources: HashMap::new(),
        }
    }

    /// Registry entries the input describes, by external key (their ids
    /// are replaced when planned).
    pub fn know_sources(&mut self, entries: HashMap<String, SourceEntry>) {
        self.known_sources = entries;
    }

    /// Makes an imported span mention the registry entry the input calls
    /// `source_key` (named `name` when the input says nothing more). The
    /// entry is planned once per key: a named entry the project already
    /// has (same name or alias) is reused; into a project without a
    /// registry the input's numeric ids are kept.
    pub fn mention(
        &mut self,
        doc_key: &str,
        span_key: &str,
        source_key: &str,
        name: &str,
        report: &mut Report,
    ) {
        let Some(span) = self.target(Some(doc_key), span_key) else {
            report.skipped.push(format!(
                "{doc_key}: a source reference names {span_key}, which was not imported"
            ));
            return;
        };
        let id = match self.sources.get(source_key) {
            Some(id) => *id,
            None => match self.plan_source(source_key, name) {
                Some(id) => id,
                None => {
                    report.skipped.push(format!(
                        "{doc_key}: the source reference of {span_key} has no name"
                    ));
                    return;
                }
            },
        };
        self.edits.push(Edit::SetMention(span, Some(id)));
    }

    /// Plans (or finds) the entry for `key`.
    fn plan_source(&mut self, key: &str, name: &str) -> Option<SourceId> {
        let mut entry = self.known_sources.get(key).cloned().unwrap_or_else(|| {
            SourceEntry::new(
                SourceId(0),
                name,
                guess_identification(name),
                SourceKind::Other,
            )
        });
        if entry.name.trim().is_empty() {
            return None;
        }
        let reuse = (entry.identification == Identification::Named)
            .then(|| {
                self.project.sources().find(|e| {
                    e.identification == Identification::Named && e.answers_to(&entry.name)
                })
            })
            .flatten();
        if let Some(e) = reuse {
            self.sources.insert(key.to_string(), e.id);
            return Some(e.id);
        }
        let taken = |n: u64| self.sources.values().any(|s| s.0 == n);
        let id = match key.parse::<u64>() {
            Ok(n) if n > 0 && self.project.sources().len() == 0 && !taken(n) => SourceId(n),
            _ => {
                let highest = self.sources.values().map(|s| s.0 + 1).max().unwrap_or(1);
                SourceId(self.next.source.max(highest))
            }
        };
        self.next.source = self.next.source.max(id.0 + 1);
        entry.id = id;
        if entry.check().is_err() {
            entry.wikidata = None;
            entry.aliases.retain(|a| !a.trim().is_empty());
        }
        self.sources.insert(key.to_string(), id);
        self.edits.push(Edit::InsertSource(entry));
        Some(id)
    }

    /// Registers an external document: matched to a project document with
    /// the same (normalised) text, or added.
    pub fn document(
        &mut self,
        key: &str,
        title: &str,
        origin: Option<String>,
        text: &str,
        report: &mut Report,
    ) {
        let text = normalize_newlines(text).into_owned();
        if text.is_empty() {
            report
                .skipped
                .push(format!("document {key}: the text is empty"));
            return;
        }
        // Each project document is claimed by at most one external one, so
        // two articles with the same text stay two documents.
        let claimed: HashSet<DocId> = self.docs.values().map(|(id, _)| *id).collect();
        let found = self
            .project
            .documents()
            .find(|d| d.text.as_str() == text && !claimed.contains(&d.id))
            .map(|d| (d.id, d.text.clone()))
            .or_else(|| {
                self.new_texts
                    .get(&text)
                    .filter(|id| !claimed.contains(id))
                    .map(|id| (*id, DocText::new(text.as_str())))
            });
        let entry = match found {
            Some(e) => e,
            None => {
                let id = DocId(self.next.document);
                self.next.document += 1;
                let doc = Document::new(id, title, origin, &text);
                let t = doc.text.clone();
                self.edits.push(Edit::InsertDocument(doc));
                self.new_texts.insert(text, id);
                report.documents_added += 1;
                (id, t)
            }
        };
        self.docs.insert(key.to_string(), entry);
    }

    /// Tells the planner a label's display name and colour, used if it has
    /// to be added to the schema.
    pub fn declare_label(&mut self, external: &str, name: &str, color: Rgb) {
        self.declared
            .insert(external.to_string(), (name.to_string(), color));
    }

    /// The target label for an external label, adding it when unknown.
    fn map_label(&mut self, external: &str, report: &mut Report) -> LabelId {
        if let Some(id) = self.labels.get(external) {
            return id.clone();
        }
        let wanted = external.trim();
        // Names are kept exactly, case included: "Organization" stays
        // "Organization", so the schema still matches its annotation.conf.
        let known = self
            .project
            .labels()
            .iter()
            .chain(self.added_labels.iter())
            .find(|l| l.id.as_str() == wanted)
            .map(|l| l.id.clone());
        let id = match known {
            Some(id) => id,
            None => {
                let id =
                    LabelId::new(wanted).unwrap_or_else(|_| LabelId(label_id_from(wanted).into()));
                let taken = |id: &LabelId, p: &Planner| {
                    p.project.label(id).is_some() || p.added_labels.iter().any(|l| &l.id == id)
                };
                let mut unique = id.clone();
                let mut n = 2;
                while taken(&unique, self) {
                    // Keep within the 64-char id limit when adding "_n".
                    let suffix = format!("_{n}");
                    let base: String = id.as_str().chars().take(64 - suffix.len()).collect();
                    unique = LabelId(format!("{base}{suffix}").into());
                    n += 1;
                }
                let (mut name, color) = self.declared.get(external).cloned().unwrap_or_else(|| {
                    let i = self.added_labels.len() % PALETTE.len();
                    (wanted.to_string(), PALETTE[i])
                });
                if name.trim().is_empty() {
                    // A blank external label still needs a visible name.
                    name = unique.to_string();
                }
                let label = Label::new(unique.clone(), &name, color, None);
                let index = self.project.labels().len() + self.added_labels.len();
                self.edits.push(Edit::InsertLabel(index, label.clone()));
                self.added_labels.push(label);
                report.labels_added.push(format!("{external} → {unique}"));
                unique
            }
        };
        self.labels.insert(external.to_string(), id.clone());
        id
    }

    /// Plans a span. Out-of-range spans are reported, duplicates skipped.
    #[allow(clippy::too_many_arguments)]
    pub fn span(
        &mut self,
        doc_key: &str,
        span_key: &str,
        label: &str,
        range: Range<usize>,
        note: Option<String>,
        created: &str,
        report: &mut Report,
    ) -> Option<SpanId> {
        let Some((doc, text)) = self.docs.get(doc_key).cloned() else {
            report
                .skipped
                .push(format!("span {span_key}: unknown document {doc_key}"));
            return None;
        };
        let why = if range.start > range.end {
            Some("is reversed (its end comes before its start)")
        } else if range.start == range.end {
            Some("is empty")
        } else if range.end > text.char_len() {
            Some("is outside the text")
        } else {
            None
        };
        if let Some(why) = why {
            report.skipped.push(format!(
                "span {span_key}: range {}..{} {why} ({} characters in {doc_key})",
                range.start,
                range.end,
                text.char_len()
            ));
            return None;
        }
        let label = self.map_label(label, report);
        let key = (doc, range.start, range.end, label.clone());
        if let Some(&same) = self.existing.get(&key) {
            // The same span again (in the project, or earlier in this
            // import): what refers to this key refers to that one.
            report.duplicates += 1;
            self.spans
                .insert((doc_key.to_string(), span_key.to_string()), same);
            return Some(same);
        }
        let id = SpanId(self.next.span);
        self.next.span += 1;
        self.existing.insert(key, id);
        self.planned_labels.insert(id, label.clone());
        self.span_edit.insert(id, self.edits.len());
        self.edits.push(Edit::InsertSpan(Span::new(
            id,
            doc,
            label,
            range,
            note.filter(|n| !n.trim().is_empty()),
            if created.is_empty() {
                crate::clock::now_rfc3339()
            } else {
                created.to_string()
            },
        )));
        self.spans
            .insert((doc_key.to_string(), span_key.to_string()), id);
        report.spans_added += 1;
        Some(id)
    }

    /// The target span planned for an external span key.
    pub fn target(&self, doc_key: Option<&str>, span_key: &str) -> Option<SpanId> {
        match doc_key {
            Some(d) => self
                .spans
                .get(&(d.to_string(), span_key.to_string()))
                .copied(),
            None => self
                .spans
                .iter()
                .find(|((_, k), _)| k == span_key)
                .map(|(_, id)| *id),
        }
    }

    /// Sets a note on a planned span.
    pub fn note(&mut self, doc_key: &str, span_key: &str, note: &str, report: &mut Report) {
        let Some(id) = self.target(Some(doc_key), span_key) else {
            report
                .skipped
                .push(format!("note on {span_key}: no such span"));
            return;
        };
        for e in &mut self.edits {
            if let Edit::InsertSpan(s) = e
                && s.id == id
            {
                s.note = Some(match s.note.take() {
                    Some(old) => format!("{old}\n{note}"),
                    None => note.to_string(),
                });
                return;
            }
        }
    }

    /// Plans a link between two external spans (duplicates are skipped).
    pub fn link(
        &mut self,
        doc_key: Option<&str>,
        from: &str,
        to: &str,
        kind: &str,
        report: &mut Report,
    ) {
        let (Some(f), Some(t)) = (self.target(doc_key, from), self.target(doc_key, to)) else {
            report
                .skipped
                .push(format!("link {from} → {to}: an end was not imported"));
            return;
        };
        let kind = match kind.split_whitespace().collect::<Vec<_>>().join("_") {
            k if k.is_empty() => "related".to_string(),
            k => k,
        };
        if f == t || self.links.contains(&(f, t, kind.clone())) {
            return;
        }
        // A link that breaks the project's rule for its type is reported,
        // not imported (the import as a whole still goes in).
        if let (Some(rule), Some(fl), Some(tl)) = (
            self.project.link_type(&kind),
            self.label_of(f),
            self.label_of(t),
        ) && !rule.allows(&fl, &tl)
        {
            report.skipped.push(format!(
                "link {from} → {to}: {kind} links go {}, not {fl} → {tl}",
                rule.describe()
            ));
            return;
        }
        self.links.insert((f, t, kind.clone()));
        let id = LinkId(self.next.link);
        self.next.link += 1;
        self.edits.push(Edit::InsertLink(Link {
            id,
            from: f,
            to: t,
            kind,
        }));
        report.links_added += 1;
    }

    /// The label of a planned or existing span.
    fn label_of(&self, id: SpanId) -> Option<LabelId> {
        self.planned_labels
            .get(&id)
            .cloned()
            .or_else(|| self.project.span(id).map(|s| s.label.clone()))
    }

    /// Makes a planned span discontinuous (brat `T` lines with `;`).
    pub fn set_fragments(&mut self, id: SpanId, fragments: &[Range<usize>]) {
        if fragments.len() < 2 {
            return;
        }
        if let Some(Edit::InsertSpan(s)) =
            self.span_edit.get(&id).and_then(|i| self.edits.get_mut(*i))
        {
            s.fragments = fragments.iter().map(|r| (r.start, r.end)).collect();
        }
    }

    /// Records the file stem a newly added document came from.
    pub fn set_stem(&mut self, doc_key: &str, stem: &str) {
        let Some((id, _)) = self.docs.get(doc_key) else {
            return;
        };
        for e in &mut self.edits {
            if let Edit::InsertDocument(d) = e
                && d.id == *id
            {
                d.stem = Some(stem.to_string());
            }
        }
    }

    /// Plans an event: a trigger and role-labelled arguments, all spans of
    /// the same document (brat `E` lines).
    pub fn event(
        &mut self,
        doc_key: &str,
        event_key: &str,
        kind: &str,
        trigger: &str,
        args: &[(String, String)],
        report: &mut Report,
    ) {
        let Some(t) = self.target(Some(doc_key), trigger) else {
            report.skipped.push(format!(
                "event {event_key}: its trigger {trigger} was not imported"
            ));
            return;
        };
        let mut resolved = Vec::new();
        for (role, key) in args {
            // An argument is a span or another event of the same document.
            let Some(t) = self.target_of(doc_key, key) else {
                report.skipped.push(format!(
                    "event {event_key}: argument {role}:{key} is not a span or event that was imported"
                ));
                return;
            };
            resolved.push((role.clone(), t));
        }
        let id = EventId(self.next.event);
        self.next.event += 1;
        self.events
            .insert((doc_key.to_string(), event_key.to_string()), id);
        self.event_edit.insert(id, self.edits.len());
        self.edits.push(Edit::InsertEvent(Event {
            id,
            kind: kind.to_string(),
            trigger: t,
            args: resolved,
            attrs: BTreeMap::new(),
        }));
    }

    /// Plans an attribute value on a span or event (brat `A`/`M` lines);
    /// `None` is a flag. Labels get the attribute declared at the end.
    pub fn attribute(
        &mut self,
        doc_key: &str,
        target: &str,
        name: &str,
        value: Option<&str>,
        report: &mut Report,
    ) {
        let value = value.unwrap_or("true").to_string();
        if let Some(ev) = self
            .events
            .get(&(doc_key.to_string(), target.to_string()))
            .copied()
        {
            if let Some(Edit::InsertEvent(e)) = self
                .event_edit
                .get(&ev)
                .and_then(|i| self.edits.get_mut(*i))
            {
                e.attrs.insert(name.to_string(), value);
            }
            return;
        }
        let Some(id) = self.target(Some(doc_key), target) else {
            report.skipped.push(format!(
                "attribute {name} on {target}: no such span was imported"
            ));
            return;
        };
        let Some(Edit::InsertSpan(s)) =
            self.span_edit.get(&id).and_then(|i| self.edits.get_mut(*i))
        else {
            report.skipped.push(format!(
                "attribute {name} on {target}: the span was already in the project"
            ));
            return;
        };
        // A value the project's own declaration refuses is reported.
        if let Some(def) = self.project.label(&s.label).and_then(|l| l.attribute(name))
            && let Err(e) = def.check(&value)
        {
            report.skipped.push(format!("attribute on {target}: {e}"));
            return;
        }
        s.attrs.insert(name.to_string(), value.clone());
        self.attr_values
            .entry((s.label.clone(), name.to_string()))
            .or_default()
            .insert(value);
    }

    /// Resolves an external span (`T…`) or event (`E…`) key.
    /// Records the role names of a relation type's two ends (brat `R`
    /// lines other than `Arg1`/`Arg2`); the type is declared with them at
    /// the end. A type keeps the first pair it was seen with.
    pub fn relation_roles(&mut self, kind: &str, first: &str, second: &str, report: &mut Report) {
        let pair = (first.to_string(), second.to_string());
        match self.link_roles.get(kind) {
            Some(known) if *known != pair => report.skipped.push(format!(
                "relation type {kind}: roles {first}/{second} differ from {}/{} used before; the first pair is kept",
                known.0, known.1
            )),
            Some(_) => {}
            None => {
                self.link_roles.insert(kind.to_string(), pair);
            }
        }
    }

    /// True when an event with this external key has been planned.
    pub fn has_event(&self, doc_key: &str, key: &str) -> bool {
        self.events
            .contains_key(&(doc_key.to_string(), key.to_string()))
    }

    fn target_of(&self, doc_key: &str, key: &str) -> Option<Target> {
        if let Some(e) = self.events.get(&(doc_key.to_string(), key.to_string())) {
            return Some(Target::Event(*e));
        }
        self.target(Some(doc_key), key).map(Target::Span)
    }

    /// Plans a normalisation, a note of another type, or an equivalence
    /// (brat `N`, `#`, `*`); `targets` are external keys.
    pub fn extra(
        &mut self,
        doc_key: &str,
        targets: &[&str],
        make: impl FnOnce(Vec<Target>) -> Extra,
        report: &mut Report,
    ) {
        let mut resolved = Vec::new();
        for key in targets {
            match self.target_of(doc_key, key) {
                Some(t) => resolved.push(t),
                None => {
                    report.skipped.push(format!(
                        "{doc_key}: a record refers to {key}, which was not imported"
                    ));
                    return;
                }
            }
        }
        let index = self.project.extras().len() + self.extras_planned;
        self.extras_planned += 1;
        self.edits.push(Edit::InsertExtra(index, make(resolved)));
    }

    /// The planned edits, in an order that applies cleanly. Attributes the
    /// spans use are declared on their labels first.
    pub fn finish(mut self) -> Vec<Edit> {
        let mut updates = Vec::new();
        for (kind, roles) in std::mem::take(&mut self.link_roles) {
            let rule = match self.project.link_type(&kind) {
                Some(t) if t.roles.as_ref() == Some(&roles) => continue,
                Some(t) => LinkType {
                    roles: Some(roles),
                    ..t.clone()
                },
                None => LinkType {
                    id: kind,
                    from: Vec::new(),
                    to: Vec::new(),
                    roles: Some(roles),
                },
            };
            updates.push(Edit::PutLinkType(rule));
        }
        for ((label, name), values) in std::mem::take(&mut self.attr_values) {
            let kind = if values.iter().all(|v| v == "true") {
                AttrKind::Flag
            } else {
                AttrKind::Values(values.into_iter().collect())
            };
            let added = self.edits.iter_mut().find_map(|e| match e {
                Edit::InsertLabel(_, l) if l.id == label => Some(l),
                _ => None,
            });
            match added {
                Some(l) => merge_attr(l, &name, kind),
                None => {
                    let Some(mut l) = self.project.label(&label).cloned() else {
                        continue;
                    };
                    if l.attribute(&name).is_some() {
                        continue;
                    }
                    if let Some(Edit::UpdateLabel(prev)) = updates
                        .iter_mut()
                        .find(|e: &&mut Edit| matches!(e, Edit::UpdateLabel(p) if p.id == label))
                    {
                        merge_attr(prev, &name, kind);
                    } else {
                        merge_attr(&mut l, &name, kind);
                        updates.push(Edit::UpdateLabel(l));
                    }
                }
            }
        }
        updates.extend(self.edits);
        updates
    }
}
