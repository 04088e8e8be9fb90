//! Three-way merge of project versions, as git's merge driver needs it.
//!
//! Records are matched by id against the common base. From each side:
//! additions are kept (theirs' new ids are renumbered after ours', so they
//! never collide; an identical addition on both sides is taken once),
//! deletions are applied, and changes are merged field by field (label,
//! range and fragments, note, each attribute; a label's name, colour,
//! hotkey and attributes; an article's title and status). A field both sides changed
//! differently is a conflict: ours stands and the conflict keeps theirs'
//! version in the project. A record one side deleted and the other changed
//! is kept as changed, with a conflict offering the deletion. Links, events
//! and brat extras merge as sets of their content.
//!
//! Edits go through the model's checked commands, so the result is a valid
//! project; what cannot be applied (a link whose span the other side
//! deleted) is listed in [`Merged::notes`].

use crate::model::anchor::plan_retext;
use crate::model::{
    Alternative, Command, Conflict, DocId, DocStatus, Document, Edit, Event, EventId, Extra,
    Fragment, History, Label, LabelId, Link, LinkId, Project, Side, SourceId, Span, SpanId, Target,
    span_changes,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The result of a merge.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged project; its conflicts are in [`Project::conflicts`].
    pub project: Project,
    /// Conflicts this merge found (the project may carry older ones too).
    pub new_conflicts: usize,
    /// Changes that could not be applied, for people.
    pub notes: Vec<String>,
}

/// The merged value of one field, or `None` when both sides changed it
/// differently.
fn three<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs {
        Some(ours.clone())
    } else if base == Some(ours) {
        Some(theirs.clone())
    } else if base == Some(theirs) {
        Some(ours.clone())
    } else {
        None
    }
}

/// The fields in which two versions of a span differ.
fn span_fields(a: &Span, b: &Span) -> Vec<String> {
    let mut out = Vec::new();
    if a.label != b.label {
        out.push("label".to_string());
    }
    if a.fragment_list() != b.fragment_list() {
        out.push("range".to_string());
    }
    if a.note != b.note {
        out.push("note".to_string());
    }
    let keys: BTreeSet<&String> = a.attrs.keys().chain(b.attrs.keys()).collect();
    for k in keys {
        if a.attrs.get(k) != b.attrs.get(k) {
            out.push(format!("attribute {k}"));
        }
    }
    out
}

/// Field-level three-way merge of a span. Returns the merged span (ours on
/// conflicting fields), theirs' alternative, and the conflicting fields.
fn merge_span(base: Option<&Span>, ours: &Span, theirs: &Span) -> (Span, Span, Vec<String>) {
    let mut merged = ours.clone();
    let mut alt = ours.clone();
    let mut conflicts = Vec::new();
    /// Some(true): take theirs; Some(false): keep ours; None: conflict.
    fn pick<T: PartialEq + Clone>(
        conflicts: &mut Vec<String>,
        name: String,
        o_val: T,
        t_val: T,
        b_val: Option<T>,
    ) -> Option<bool> {
        match three(b_val.as_ref(), &o_val, &t_val) {
            Some(v) => Some(v == t_val && v != o_val),
            None => {
                conflicts.push(name);
                None
            }
        }
    }
    match pick(
        &mut conflicts,
        "label".into(),
        ours.label.clone(),
        theirs.label.clone(),
        base.map(|b| b.label.clone()),
    ) {
        Some(true) => {
            merged.label = theirs.label.clone();
            alt.label = theirs.label.clone();
        }
        None => alt.label = theirs.label.clone(),
        Some(false) => {}
    }
    let shape = |s: &Span| (s.start, s.end, s.fragments.clone());
    let set_shape = |s: &mut Span, (a, b, f): (usize, usize, thin_vec::ThinVec<Fragment>)| {
        s.start = a;
        s.end = b;
        s.fragments = f;
    };
    match pick(
        &mut conflicts,
        "range".into(),
        shape(ours),
        shape(theirs),
        base.map(shape),
    ) {
        Some(true) => {
            set_shape(&mut merged, shape(theirs));
            set_shape(&mut alt, shape(theirs));
        }
        None => set_shape(&mut alt, shape(theirs)),
        Some(false) => {}
    }
    match pick(
        &mut conflicts,
        "note".into(),
        ours.note.clone(),
        theirs.note.clone(),
        base.map(|b| b.note.clone()),
    ) {
        Some(true) => {
            merged.note = theirs.note.clone();
            alt.note = theirs.note.clone();
        }
        None => alt.note = theirs.note.clone(),
        Some(false) => {}
    }
    let keys: BTreeSet<String> = ours
        .attrs
        .keys()
        .chain(theirs.attrs.keys())
        .cloned()
        .collect();
    for k in keys {
        let (o, t) = (ours.attrs.get(&k).cloned(), theirs.attrs.get(&k).cloned());
        let b = base.map(|b| b.attrs.get(&k).cloned());
        let set = |s: &mut Span, v: &Option<String>| match v {
            Some(v) => {
                s.attrs.insert(k.clone(), v.clone());
            }
            None => {
                s.attrs.remove(&k);
            }
        };
        match pick(&mut conflicts, format!("attribute {k}"), o, t.clone(), b) {
            Some(true) => {
                set(&mut merged, &t);
                set(&mut alt, &t);
            }
            None => set(&mut alt, &t),
            Some(false) => {}
        }
    }
    (merged, alt, conflicts)
}

/// Runs merge steps on the project being built, noting what is refused.
struct Builder {
    project: Project,
    history: History,
    conflicts: Vec<Conflict>,
    notes: Vec<String>,
}

impl Builder {
    fn exec(&mut self, command: Command, what: impl FnOnce() -> String) -> bool {
        match self.history.execute(&mut self.project, command) {
            Ok(_) => true,
            Err(e) => {
                self.notes.push(format!("{}: {e}", what()));
                false
            }
        }
    }

    fn edit(&mut self, edit: Edit, what: impl FnOnce() -> String) -> bool {
        self.exec(Command::Edits("merge".into(), vec![edit]), what)
    }

    fn conflict(&mut self, standing: Side, fields: Vec<String>, other: Alternative) {
        self.conflicts.push(Conflict {
            fields,
            standing,
            other,
        });
    }

    /// Turns span `ours` (present in the project) into `want`.
    fn reshape_span(&mut self, ours: &Span, want: &Span) {
        for command in span_changes(ours, want) {
            let id = want.id;
            self.exec(command, || format!("span {id}"));
        }
    }
}

/// Merges `theirs` into `ours`, both descended from `base`.
///
/// An article whose text was replaced on one side (`retext`) is first
/// replaced, with the same re-anchoring, in the base and on the other
/// side, so that spans are compared in one text: the moves the
/// replacement made are not mistaken for edits. When both sides replaced
/// it differently, ours' text stays and a note says so.
pub fn merge(base: &Project, ours: &Project, theirs: &Project) -> Merged {
    let mut notes = Vec::new();
    let (mut base, mut ours, mut theirs) = (base.clone(), ours.clone(), theirs.clone());
    for d in base.documents().map(|d| d.id).collect::<Vec<_>>() {
        let text = |p: &Project| p.document(d).map(|x| x.text.as_str().to_string());
        let (b, o, t) = (text(&base), text(&ours), text(&theirs));
        let (Some(b), Some(o), Some(t)) = (b, o, t) else {
            continue;
        };
        // Which text wins, and which sides must be carried over to it.
        let (text, other) = if o == b && t == b {
            continue;
        } else if o == t {
            (o, None)
        } else if t == b {
            (o, Some(false))
        } else if o == b {
            (t, Some(true))
        } else {
            notes.push(format!(
                "article {d}: both sides replaced its text differently; ours is kept and theirs' spans were re-anchored in it"
            ));
            (o, Some(false))
        };
        let mut sides: Vec<&mut Project> = vec![&mut base];
        match other {
            Some(true) => sides.push(&mut ours),
            Some(false) => sides.push(&mut theirs),
            None => {}
        }
        for side in sides {
            let result = plan_retext(side, d, &text, &|_| {})
                .and_then(|plan| History::new().execute(side, plan.command()).map(|_| ()));
            if let Err(e) = result {
                notes.push(format!(
                    "article {d}: its new text could not be carried over: {e}"
                ));
            }
        }
    }
    let mut merged = merge_aligned(&base, &ours, &theirs);
    notes.append(&mut merged.notes);
    merged.notes = notes;
    merged
}

/// The merge proper, once every shared article has one text.
fn merge_aligned(base: &Project, ours: &Project, theirs: &Project) -> Merged {
    let mut m = Aligned {
        base,
        ours,
        theirs,
        b: Builder {
            project: ours.clone(),
            history: History::new(),
            conflicts: Vec::new(),
            notes: Vec::new(),
        },
        doc_map: HashMap::new(),
        reinstated: HashSet::new(),
        span_map: HashMap::new(),
        event_map: HashMap::new(),
    };
    m.name();
    m.labels();
    m.documents();
    m.spans();
    m.spans_theirs_deleted();
    m.links();
    m.events();
    m.extras();
    m.sources();
    m.documents_theirs_deleted();
    m.labels_theirs_deleted();
    m.link_rules();
    m.finish()
}

/// Theirs' id of a link, after its spans are mapped: (from, to, type).
type LinkKey = (SpanId, SpanId, String);

/// A merge in progress: the three versions, the project being built, and
/// where each of theirs' records went in it.
struct Aligned<'a> {
    base: &'a Project,
    ours: &'a Project,
    theirs: &'a Project,
    b: Builder,
    /// Theirs' article id → its id in the result.
    doc_map: HashMap<DocId, DocId>,
    /// Articles ours deleted and theirs' changes brought back.
    reinstated: HashSet<DocId>,
    /// Theirs' span id → its id in the result.
    span_map: HashMap<SpanId, SpanId>,
    /// Theirs' event id → its id in the result.
    event_map: HashMap<EventId, EventId>,
}

fn spans_of(p: &Project, doc: DocId) -> Vec<Span> {
    p.spans_in(doc).cloned().collect()
}

impl Aligned<'_> {
    /// Whether `side` changed any span of label `id` since the base.
    fn label_spans_changed(&self, side: &Project, id: &LabelId) -> bool {
        side.spans()
            .filter(|s| s.label == *id)
            .any(|s| self.base.span(s.id) != Some(s))
    }

    fn name(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        if ours.name() == base.name() && theirs.name() != base.name() {
            self.b
                .exec(Command::RenameProject(theirs.name().to_string()), || {
                    "project name".into()
                });
        }
    }

    /// Labels theirs added or changed (deletions come last).
    fn labels(&mut self) {
        for t in self.theirs.labels() {
            let (bl, ol) = (self.base.label(&t.id), self.ours.label(&t.id));
            match (bl, ol) {
                (_, Some(o)) if o == t => {}
                (_, Some(o)) => self.label_both_kept(bl, o, t),
                (None, None) => self.label_theirs_added(t),
                (Some(bl), None) => {
                    // Ours deleted it: theirs' changes to it bring it back.
                    if t != bl || self.label_spans_changed(self.theirs, &t.id) {
                        let at = self.b.project.labels().len();
                        let id = t.id.clone();
                        self.b
                            .edit(Edit::InsertLabel(at, t.clone()), || format!("label {id}"));
                        self.b.conflict(
                            Side::Theirs,
                            vec!["label or its spans".into()],
                            Alternative::Label(t.id.clone(), None),
                        );
                    }
                }
            }
        }
    }

    /// A label both sides have, merged field by field.
    fn label_both_kept(&mut self, bl: Option<&Label>, o: &Label, t: &Label) {
        let mut merged = o.clone();
        let mut alt = o.clone();
        let mut fields = Vec::new();
        macro_rules! field {
            ($f:ident, $name:expr) => {
                match three(bl.map(|x| &x.$f), &o.$f, &t.$f) {
                    Some(v) => {
                        merged.$f = v.clone();
                        alt.$f = v;
                    }
                    None => {
                        alt.$f = t.$f.clone();
                        fields.push($name.to_string());
                    }
                }
            };
        }
        field!(name, "name");
        field!(color, "colour");
        field!(hotkey, "hotkey");
        field!(attributes, "attributes");
        if merged != *o {
            let id = t.id.clone();
            if !self.b.exec(Command::UpdateLabel(merged.clone()), || {
                format!("label {id}")
            }) {
                fields.push("attributes".into());
            }
        }
        if !fields.is_empty() {
            fields.dedup();
            self.b.conflict(
                Side::Ours,
                fields,
                Alternative::Label(t.id.clone(), Some(alt)),
            );
        }
    }

    fn label_theirs_added(&mut self, t: &Label) {
        let at = self.b.project.labels().len();
        let mut label = t.clone();
        // A hotkey ours gave another label stays with ours.
        if self
            .b
            .project
            .labels()
            .iter()
            .any(|l| l.hotkey == t.hotkey && t.hotkey.is_some())
        {
            label.hotkey = None;
        }
        let id = t.id.clone();
        self.b
            .edit(Edit::InsertLabel(at, label), || format!("label {id}"));
    }

    /// Articles theirs added or changed; fills `doc_map`.
    fn documents(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        let ours_new_docs: HashMap<&str, DocId> = ours
            .documents()
            .filter(|d| base.document(d.id).is_none())
            .map(|d| (d.text.as_str(), d.id))
            .collect();
        for t in theirs.documents() {
            if let Some(bd) = base.document(t.id) {
                self.doc_map.insert(t.id, t.id);
                match ours.document(t.id) {
                    Some(o) => {
                        self.document_title(&bd.title, &o.title, t);
                        self.document_status(bd.status, o.status, t);
                    }
                    None => {
                        // Ours deleted it; theirs' changes in it bring it back.
                        if t.title != bd.title
                            || t.status != bd.status
                            || spans_of(theirs, t.id) != spans_of(base, t.id)
                        {
                            let doc = t.clone();
                            self.b
                                .edit(Edit::InsertDocument(doc), || format!("article {}", t.id));
                            self.reinstated.insert(t.id);
                            self.b.conflict(
                                Side::Theirs,
                                vec!["article or its spans".into()],
                                Alternative::Document(t.id, None),
                            );
                        }
                    }
                }
            } else if let Some(&same) = ours_new_docs.get(t.text.as_str()) {
                self.doc_map.insert(t.id, same);
            } else {
                let id = DocId(self.b.project.next_ids().document);
                let mut doc = t.clone();
                doc.id = id;
                self.b
                    .edit(Edit::InsertDocument(doc), || format!("article {}", t.title));
                self.doc_map.insert(t.id, id);
            }
        }
    }

    fn document_title(&mut self, base: &str, ours: &str, t: &Document) {
        match three(Some(&base), &ours, &t.title.as_str()) {
            Some(title) if title != ours => {
                let title = title.to_string();
                self.b.exec(Command::RenameDocument(t.id, title), || {
                    format!("article {}", t.id)
                });
            }
            Some(_) => {}
            None => self.b.conflict(
                Side::Ours,
                vec!["title".into()],
                Alternative::Document(t.id, Some(t.title.clone())),
            ),
        }
    }

    /// An article's status, merged as one field.
    fn document_status(&mut self, base: DocStatus, ours: DocStatus, t: &Document) {
        match three(Some(&base), &ours, &t.status) {
            Some(status) if status != ours => {
                self.b.exec(Command::SetDocumentStatus(t.id, status), || {
                    format!("article {}", t.id)
                });
            }
            Some(_) => {}
            None => self.b.conflict(
                Side::Ours,
                vec!["status".into()],
                Alternative::Status(t.id, t.status),
            ),
        }
    }

    /// Spans theirs added or changed; fills `span_map`.
    fn spans(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        let ours_new_spans: HashMap<(DocId, LabelId, Vec<Fragment>), SpanId> = ours
            .spans()
            .filter(|s| base.span(s.id).is_none())
            .map(|s| ((s.doc, s.label.clone(), s.fragment_list()), s.id))
            .collect();
        for t in theirs.spans() {
            let Some(&doc) = self.doc_map.get(&t.doc) else {
                continue;
            };
            if let Some(bs) = base.span(t.id) {
                self.span_map.insert(t.id, t.id);
                self.span_in_base(bs, t);
                continue;
            }
            let mut span = t.clone();
            span.doc = doc;
            let key = (doc, t.label.clone(), t.fragment_list());
            if let Some(&same) = ours_new_spans.get(&key) {
                // Both added the same span: once, its other fields merged.
                self.span_map.insert(t.id, same);
                if let Some(o) = ours.span(same) {
                    span.id = same;
                    self.span_both_changed(None, o, &span);
                }
            } else {
                let id = SpanId(self.b.project.next_ids().span);
                span.id = id;
                if self
                    .b
                    .edit(Edit::InsertSpan(span), || format!("their span {}", t.id))
                {
                    self.span_map.insert(t.id, id);
                }
            }
        }
    }

    /// Theirs' version `t` of base span `bs`.
    fn span_in_base(&mut self, bs: &Span, t: &Span) {
        match self.ours.span(t.id) {
            Some(o) if o == t => {}
            Some(o) => {
                if self.b.project.span(o.id).is_some() {
                    self.span_both_changed(Some(bs), o, t);
                } else {
                    let (_, alt, fields) = merge_span(Some(bs), o, t);
                    if !fields.is_empty() {
                        self.b
                            .conflict(Side::Ours, fields, Alternative::Span(t.id, Some(alt)));
                    }
                }
            }
            None => {
                // Ours deleted it: kept if theirs changed it.
                let reinstated = self.reinstated.contains(&t.doc);
                if t != bs || reinstated {
                    self.b
                        .edit(Edit::InsertSpan(t.clone()), || format!("span {}", t.id));
                    if !reinstated {
                        self.b.conflict(
                            Side::Theirs,
                            span_fields(bs, t),
                            Alternative::Span(t.id, None),
                        );
                    }
                }
            }
        }
    }

    /// Merges `t` into ours' span `o` (present in the project).
    fn span_both_changed(&mut self, bs: Option<&Span>, o: &Span, t: &Span) {
        let (merged, alt, fields) = merge_span(bs, o, t);
        if merged != *o {
            self.b.reshape_span(o, &merged);
        }
        if !fields.is_empty() {
            self.b
                .conflict(Side::Ours, fields, Alternative::Span(o.id, Some(alt)));
        }
    }

    fn spans_theirs_deleted(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        for bs in base.spans() {
            if theirs.span(bs.id).is_some() {
                continue;
            }
            let Some(o) = ours.span(bs.id) else { continue };
            if self.b.project.span(bs.id).is_none() {
                continue;
            }
            if o == bs {
                self.b
                    .exec(Command::RemoveSpan(bs.id), || format!("span {}", bs.id));
            } else {
                self.b.conflict(
                    Side::Ours,
                    span_fields(bs, o),
                    Alternative::Span(bs.id, None),
                );
            }
        }
    }

    /// Links, as sets of (from, to, type).
    fn links(&mut self) {
        let key = |l: &Link| (l.from, l.to, l.kind.clone());
        let base_links: HashSet<LinkKey> = self.base.links().map(key).collect();
        let ours_links: HashMap<LinkKey, LinkId> =
            self.ours.links().map(|l| (key(l), l.id)).collect();
        let span_map = &self.span_map;
        let mapped = |l: &Link| -> Option<LinkKey> {
            Some((
                *span_map.get(&l.from)?,
                *span_map.get(&l.to)?,
                l.kind.clone(),
            ))
        };
        let theirs_links: Vec<LinkKey> = self.theirs.links().filter_map(mapped).collect();
        let theirs_set: HashSet<&LinkKey> = theirs_links.iter().collect();
        let mut gone: Vec<LinkId> = ours_links
            .iter()
            .filter(|(k, _)| base_links.contains(*k) && !theirs_set.contains(k))
            .map(|(_, id)| *id)
            .collect();
        gone.sort();
        for id in gone {
            if self.b.project.links().any(|l| l.id == id) {
                self.b.edit(Edit::DeleteLink(id), || format!("link {id}"));
            }
        }
        for k in &theirs_links {
            if !base_links.contains(k) && !ours_links.contains_key(k) {
                self.link_theirs_added(k.clone());
            }
        }
    }

    fn link_theirs_added(&mut self, (from, to, kind): LinkKey) {
        if self.b.project.span(from).is_none() || self.b.project.span(to).is_none() {
            self.b.notes.push(format!(
                "their {kind} link {from} → {to} was left out: ours deleted one of its spans"
            ));
            return;
        }
        let id = LinkId(self.b.project.next_ids().link);
        self.b
            .edit(Edit::InsertLink(Link { id, from, to, kind }), || {
                format!("their link {from} → {to}")
            });
    }

    /// Theirs' event with its spans and argument events mapped into the
    /// result, or `None` if one of them is not there.
    fn map_event(&self, e: &Event) -> Option<Event> {
        let mut out = e.clone();
        out.trigger = *self.span_map.get(&e.trigger)?;
        for (_, a) in &mut out.args {
            *a = match *a {
                Target::Span(s) => Target::Span(*self.span_map.get(&s)?),
                Target::Event(ev) => Target::Event(*self.event_map.get(&ev)?),
            };
        }
        Some(out)
    }

    /// Events, as sets of their content; fills `event_map`.
    fn events(&mut self) {
        let content = |e: &Event| (e.kind.clone(), e.trigger, e.args.clone(), e.attrs.clone());
        let base_events: HashSet<_> = self.base.events().map(content).collect();
        let ours_events: HashMap<_, EventId> =
            self.ours.events().map(|e| (content(e), e.id)).collect();
        let mut theirs_events = HashSet::new();
        for e in self.theirs.events() {
            // In id order, an event's argument events come first.
            let Some(mut m) = self.map_event(e) else {
                self.b.notes.push(format!(
                    "their event {} was left out: its spans are gone",
                    e.id
                ));
                continue;
            };
            let c = content(&m);
            if let Some(&id) = ours_events.get(&c) {
                self.event_map.insert(e.id, id);
            } else if base_events.contains(&c) {
                // In base, deleted by ours: stays deleted.
            } else {
                m.id = EventId(self.b.project.next_ids().event);
                if self.b.edit(Edit::InsertEvent(m.clone()), || {
                    format!("their event {}", e.id)
                }) {
                    self.event_map.insert(e.id, m.id);
                }
            }
            theirs_events.insert(c);
        }
        let ours_in_order: BTreeMap<_, _> = ours_events.iter().collect();
        for (c, id) in ours_in_order.into_iter().rev() {
            if base_events.contains(c)
                && !theirs_events.contains(c)
                && self.b.project.event(*id).is_some()
            {
                self.b
                    .exec(Command::RemoveEvent(*id), || format!("event {id}"));
            }
        }
    }

    /// Brat extras, as a set.
    fn extras(&mut self) {
        let map_target = |t: Target| match t {
            Target::Span(s) => self.span_map.get(&s).map(|s| Target::Span(*s)),
            Target::Event(e) => self.event_map.get(&e).map(|e| Target::Event(*e)),
        };
        let theirs_extras: Vec<Extra> = self
            .theirs
            .extras()
            .iter()
            .filter_map(|x| x.map_targets(map_target))
            .collect();
        let base = self.base;
        for (i, x) in self.b.project.extras().to_vec().iter().enumerate().rev() {
            if base.extras().contains(x) && !theirs_extras.contains(x) {
                self.b.edit(Edit::DeleteExtra(i), || "a brat note".into());
            }
        }
        for x in theirs_extras {
            if !base.extras().contains(&x) && !self.b.project.extras().contains(&x) {
                let at = self.b.project.extras().len();
                self.b
                    .edit(Edit::InsertExtra(at, x), || "their brat note".into());
            }
        }
    }

    fn documents_theirs_deleted(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        for bd in base.documents() {
            let (Some(o), None) = (ours.document(bd.id), theirs.document(bd.id)) else {
                continue;
            };
            if self.b.project.document(bd.id).is_none() {
                continue;
            }
            if o.title == bd.title
                && o.status == bd.status
                && spans_of(ours, bd.id) == spans_of(base, bd.id)
            {
                self.b.exec(Command::RemoveDocument(bd.id), || {
                    format!("article {}", bd.id)
                });
            } else {
                self.b.conflict(
                    Side::Ours,
                    vec!["article or its spans".into()],
                    Alternative::Document(bd.id, None),
                );
            }
        }
    }

    fn labels_theirs_deleted(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        for bl in base.labels() {
            let (Some(o), None) = (ours.label(&bl.id), theirs.label(&bl.id)) else {
                continue;
            };
            if o == bl && !self.label_spans_changed(ours, &bl.id) {
                self.b.exec(Command::RemoveLabel(bl.id.clone()), || {
                    format!("label {}", bl.id)
                });
            } else {
                self.b.conflict(
                    Side::Ours,
                    vec!["label or its spans".into()],
                    Alternative::Label(bl.id.clone(), None),
                );
            }
        }
    }

    /// Link rules: theirs' change when ours left the rule alone.
    fn link_rules(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        let ids: BTreeSet<&str> = base
            .link_types()
            .iter()
            .chain(theirs.link_types())
            .map(|t| t.id.as_str())
            .collect();
        for id in ids {
            let find = |p: &Project| p.link_type(id).cloned();
            let (bt, ot, tt) = (find(base), find(ours), find(theirs));
            if ot == bt && tt != bt {
                let edit = match tt {
                    Some(rule) => Edit::PutLinkType(rule),
                    None => Edit::DeleteLinkType(id.to_string()),
                };
                self.b.edit(edit, || format!("link rule {id}"));
            }
        }
    }

    /// Records the conflicts in the project and retires every id.
    /// The source registry and the mentions. An entry theirs added joins
    /// (one ours has by the same name and identification is the same
    /// entry; another gets a new id); an entry theirs changed takes theirs'
    /// fields when ours did not change it (both did: ours stands, noted);
    /// an entry theirs removed goes when ours did not change it. Each
    /// span's mention follows the three-way rule (both changed it
    /// differently: ours stands, noted).
    fn sources(&mut self) {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        let roles = (base.sourcing(), ours.sourcing(), theirs.sourcing());
        if roles.0 == roles.1 && roles.2 != roles.0 {
            self.b.edit(Edit::SetSourcing(roles.2.clone()), || {
                "sourcing roles".into()
            });
        } else if roles.0 != roles.1 && roles.0 != roles.2 && roles.1 != roles.2 {
            self.b.notes.push(
                "sourcing roles: both sides changed which labels and relations count; ours are kept"
                    .into(),
            );
        }
        let mut map: HashMap<SourceId, SourceId> = HashMap::new();
        for t in theirs.sources() {
            match (base.source(t.id), ours.source(t.id)) {
                (Some(b), Some(o)) => {
                    map.insert(t.id, t.id);
                    if t == b || t == o {
                        continue;
                    }
                    if o == b {
                        self.b
                            .edit(Edit::UpdateSource(t.clone()), || format!("source {}", t.id));
                    } else {
                        self.b.notes.push(format!(
                            "source {} (“{}”): both sides changed it; ours is kept (theirs: “{}”, {}, {})",
                            t.id, o.name, t.name, t.identification, t.kind
                        ));
                    }
                }
                (Some(b), None) => {
                    if t != b {
                        self.b.notes.push(format!(
                            "source {} (“{}”): ours removed it and theirs changed it; it stays removed",
                            t.id, t.name
                        ));
                    }
                }
                (None, _) => {
                    let same =
                        self.b.project.sources().find(|o| {
                            o.identification == t.identification && o.answers_to(&t.name)
                        });
                    let id = match same {
                        Some(o) => o.id,
                        None => {
                            let next = self
                                .b
                                .project
                                .next_source_id()
                                .0
                                .max(theirs.next_source_id().0)
                                .max(ours.next_source_id().0);
                            let mut entry = t.clone();
                            entry.id = SourceId(next);
                            self.b
                                .edit(Edit::InsertSource(entry), || format!("source “{}”", t.name));
                            SourceId(next)
                        }
                    };
                    map.insert(t.id, id);
                }
            }
        }
        for (t_span, r_span) in self.span_map.clone() {
            let tm = theirs.mention(t_span).and_then(|e| map.get(&e).copied());
            let in_base = base.span(t_span).is_some() && t_span == r_span;
            let bm = if in_base { base.mention(t_span) } else { None };
            let om = self.b.project.mention(r_span);
            if tm == bm || tm == om {
                continue;
            }
            if om == bm {
                self.b.edit(Edit::SetMention(r_span, tm), || {
                    format!("the source of span {r_span}")
                });
            } else {
                self.b.notes.push(format!(
                    "span {r_span}: both sides gave it another source; ours is kept"
                ));
            }
        }
        // Entries theirs removed, unless ours changed them.
        for b in base.sources() {
            if theirs.source(b.id).is_none() && ours.source(b.id) == Some(b) {
                match crate::model::registry::remove(&self.b.project, b.id) {
                    Ok(c) => {
                        self.b.exec(c, || format!("source {}", b.id));
                    }
                    Err(e) => self.b.notes.push(format!("source {}: {e}", b.id)),
                }
            }
        }
    }

    fn finish(mut self) -> Merged {
        let new_conflicts = self.b.conflicts.len();
        for c in std::mem::take(&mut self.b.conflicts) {
            let at = self.b.project.conflicts().len();
            self.b
                .edit(Edit::InsertConflict(at, c), || "conflict".into());
        }
        let mut project = self.b.project;
        // Ids either side ever handed out stay retired.
        project.reserve_ids(self.ours.next_ids());
        project.reserve_ids(self.theirs.next_ids());
        Merged {
            project,
            new_conflicts,
            notes: self.b.notes,
        }
    }
}
