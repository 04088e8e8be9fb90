//! The span panel's list of a document's spans by position, label filter
//! applied. A book has 500k of them, so the list follows edits through the
//! project's order log instead of being rebuilt after each one (a rebuild
//! took 11 ms at 500k spans, more than a 120 Hz frame).

use crate::model::{DocId, DocStatus, LabelId, OrderChange, Project, SpanId};
use std::collections::BTreeSet;

/// More changes than this since the list was made: rebuilding is cheaper
/// than moving the rows for each.
const MAX_CHANGES_FOLLOWED: usize = 64;

/// One document's list. With no label hidden the rows are the project's
/// position index itself, read by row (no copy: 8 MB saved at 500k
/// spans); with a filter they are kept as `(start, span)` in index order.
#[derive(Debug, Clone)]
pub struct SpanList {
    seen: u64,
    doc: DocId,
    hidden: BTreeSet<LabelId>,
    filtered: Option<Vec<(usize, SpanId)>>,
}

impl SpanList {
    /// The list of `doc` built from the index.
    pub fn build(project: &Project, doc: DocId, hidden: &BTreeSet<LabelId>) -> Self {
        SpanList {
            seen: project.order_number(),
            doc,
            hidden: hidden.clone(),
            filtered: (!hidden.is_empty())
                .then(|| project.span_keys_in(doc, |l| !hidden.contains(l))),
        }
    }

    /// Number of rows.
    pub fn len(&self, project: &Project) -> usize {
        match &self.filtered {
            Some(rows) => rows.len(),
            None => project.span_count_in(self.doc),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self, project: &Project) -> bool {
        self.len(project) == 0
    }

    /// `(start, span)` of the rows in `range` (clamped), in position order.
    pub fn rows(&self, project: &Project, range: std::ops::Range<usize>) -> Vec<(usize, SpanId)> {
        match &self.filtered {
            Some(rows) => {
                let end = range.end.min(rows.len());
                rows.get(range.start.min(end)..end)
                    .unwrap_or_default()
                    .to_vec()
            }
            None => project.span_keys_at(self.doc, range),
        }
    }

    /// The row of span `id`, or None when the list does not show it.
    pub fn row_of(&self, project: &Project, id: SpanId) -> Option<usize> {
        let span = project.span(id).filter(|s| s.doc == self.doc)?;
        match &self.filtered {
            Some(rows) => rows.binary_search(&(span.start, id)).ok(),
            None => project.span_row_in(self.doc, id),
        }
    }

    /// Brings `list` up to date with `project` for `doc` and `hidden`:
    /// follows the changes since it was made, or rebuilds it. Returns
    /// whether it was rebuilt.
    pub fn refresh(
        list: &mut Option<SpanList>,
        project: &Project,
        doc: DocId,
        hidden: &BTreeSet<LabelId>,
    ) -> bool {
        let followed = list
            .as_mut()
            .filter(|l| l.doc == doc && &l.hidden == hidden)
            .is_some_and(|l| l.follow(project));
        if !followed {
            *list = Some(SpanList::build(project, doc, hidden));
        }
        !followed
    }

    /// Applies the changes since `seen`; false when they are unknown,
    /// too many, or rebuild the document.
    fn follow(&mut self, project: &Project) -> bool {
        let latest = project.order_number();
        if latest == self.seen {
            return true;
        }
        let Some(changes) = project.order_changes_since(self.seen) else {
            return false;
        };
        let Some(rows) = &mut self.filtered else {
            // The index is the list: it is already up to date.
            self.seen = latest;
            return true;
        };
        let changes: Vec<OrderChange> = changes.take(MAX_CHANGES_FOLLOWED + 1).copied().collect();
        if changes.len() > MAX_CHANGES_FOLLOWED {
            return false;
        }
        for change in changes {
            match change {
                OrderChange::Rebuilt(d) if d == self.doc => return false,
                OrderChange::Rebuilt(_) => {}
                OrderChange::Span { doc, .. } if doc != self.doc => {}
                OrderChange::Span { id, old_start, .. } => {
                    if let Some(old) = old_start
                        && let Ok(i) = rows.binary_search(&(old, id))
                    {
                        rows.remove(i);
                    }
                    // Where it is now: later changes to the same span find
                    // it already there.
                    let now = project
                        .span(id)
                        .filter(|s| s.doc == self.doc && !self.hidden.contains(&s.label));
                    if let Some(s) = now
                        && let Err(i) = rows.binary_search(&(s.start, id))
                    {
                        rows.insert(i, (s.start, id));
                    }
                }
            }
        }
        self.seen = latest;
        true
    }
}

/// Every article's spans in one list: articles in corpus order, spans by
/// position in each, labels in `hidden` and articles whose status is not
/// kept left out. Worked out again when the project or the choices change.
#[derive(Debug, Clone, Default)]
pub struct AllSpans {
    key: Option<(u64, BTreeSet<LabelId>, [bool; 4])>,
    rows: Vec<SpanId>,
}

impl AllSpans {
    /// The rows for `project` at history state `state`. `statuses[i]`
    /// says whether articles of status `DocStatus::ALL[i]` show.
    pub fn rows(
        &mut self,
        project: &Project,
        state: u64,
        hidden: &BTreeSet<LabelId>,
        statuses: [bool; 4],
    ) -> &[SpanId] {
        let key = (state, hidden.clone(), statuses);
        if self.key.as_ref() != Some(&key) {
            let keep = |s: DocStatus| {
                DocStatus::ALL
                    .iter()
                    .position(|x| *x == s)
                    .is_some_and(|i| statuses[i])
            };
            self.rows = project
                .documents()
                .filter(|d| keep(d.status))
                .flat_map(|d| project.span_ids_in(d.id, |l| !hidden.contains(l)))
                .collect();
            self.key = Some(key);
        }
        &self.rows
    }
}

/// One article's spans with each event's arguments under its trigger:
/// (span, role) rows, where the role is None for a span in its own place.
/// A span that is an argument of an event on this article is listed under
/// the trigger instead (once per event).
pub fn event_groups(
    project: &Project,
    doc: DocId,
    hidden: &BTreeSet<LabelId>,
) -> Vec<(SpanId, Option<String>)> {
    let shown = |id: &SpanId| {
        project
            .span(*id)
            .is_some_and(|s| s.doc == doc && !hidden.contains(&s.label))
    };
    let order = project.span_ids_in(doc, |l| !hidden.contains(l));
    let mut under_trigger: BTreeSet<SpanId> = BTreeSet::new();
    for id in &order {
        for e in project.events_of(*id).filter(|e| e.trigger == *id) {
            for (_, t) in &e.args {
                if let crate::model::Target::Span(s) = t
                    && *s != *id
                    && shown(s)
                {
                    under_trigger.insert(*s);
                }
            }
        }
    }
    let mut rows = Vec::with_capacity(order.len());
    for id in order {
        let triggers: Vec<_> = project.events_of(id).filter(|e| e.trigger == id).collect();
        if under_trigger.contains(&id) && triggers.is_empty() {
            continue;
        }
        rows.push((id, None));
        for e in triggers {
            for (role, t) in &e.args {
                if let crate::model::Target::Span(s) = t
                    && *s != id
                    && shown(s)
                {
                    rows.push((*s, Some(role.clone())));
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, History};
    use proptest::prelude::*;

    fn project(n: usize) -> (Project, History) {
        let mut p = Project::new("t");
        let mut h = History::new();
        h.execute(
            &mut p,
            Command::AddDocument {
                title: "a".into(),
                origin: None,
                text: "word ".repeat(200),
            },
        )
        .unwrap();
        h.execute(
            &mut p,
            Command::AddDocument {
                title: "b".into(),
                origin: None,
                text: "other ".repeat(50),
            },
        )
        .unwrap();
        for i in 0..n {
            add(
                &mut p,
                &mut h,
                DocId(1),
                (i * 7) % 900,
                ["claim", "figure"][i % 2],
            );
        }
        (p, h)
    }

    fn add(p: &mut Project, h: &mut History, doc: DocId, start: usize, label: &str) {
        let _ = h.execute(
            p,
            Command::AddSpan {
                doc,
                label: LabelId(label.into()),
                start,
                end: start + 3,
                note: None,
                created: "2026-11-24T00:00:00Z".into(),
            },
        );
    }

    #[derive(Debug, Clone)]
    enum Step {
        Add(usize, bool),
        AddOther,
        Delete(usize),
        Move(usize, usize),
        Retag(usize),
        Undo,
        Redo,
        Hide(bool),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0..990usize, any::<bool>()).prop_map(|(s, f)| Step::Add(s, f)),
            Just(Step::AddOther),
            (0..200usize).prop_map(Step::Delete),
            (0..200usize, 0..990usize).prop_map(|(i, s)| Step::Move(i, s)),
            (0..200usize).prop_map(Step::Retag),
            Just(Step::Undo),
            Just(Step::Redo),
            any::<bool>().prop_map(Step::Hide),
        ]
    }

    proptest! {
        /// After any run of edits, undos and filter changes, the followed
        /// list equals a list built from scratch.
        #[test]
        fn a_followed_list_equals_a_rebuilt_one(steps in prop::collection::vec(step(), 1..60)) {
            let (mut p, mut h) = project(30);
            let mut hidden = BTreeSet::new();
            let mut list = None;
            SpanList::refresh(&mut list, &p, DocId(1), &hidden);
            for s in steps {
                let ids: Vec<SpanId> = p.spans_in(DocId(1)).map(|s| s.id).collect();
                let pick = |i: usize| ids.get(i % ids.len().max(1)).copied();
                match s {
                    Step::Add(start, fig) => add(&mut p, &mut h, DocId(1), start, if fig { "figure" } else { "claim" }),
                    Step::AddOther => add(&mut p, &mut h, DocId(2), 3, "claim"),
                    Step::Delete(i) => if let Some(id) = pick(i) {
                        let _ = h.execute(&mut p, Command::RemoveSpan(id));
                    },
                    Step::Move(i, start) => if let Some(id) = pick(i) {
                        let _ = h.execute(&mut p, Command::ResizeSpan(id, start, start + 2));
                    },
                    Step::Retag(i) => if let Some(id) = pick(i) {
                        let label = if p.span(id).is_some_and(|s| s.label.as_str() == "claim") { "figure" } else { "claim" };
                        let _ = h.execute(&mut p, Command::RetagSpan(id, LabelId(label.into())));
                    },
                    Step::Undo => { let _ = h.undo(&mut p); },
                    Step::Redo => { let _ = h.redo(&mut p); },
                    Step::Hide(on) => {
                        if on { hidden.insert(LabelId("figure".into())); } else { hidden.clear(); }
                    }
                }
                SpanList::refresh(&mut list, &p, DocId(1), &hidden);
                let all = |l: &SpanList| l.rows(&p, 0..usize::MAX);
                let fresh = SpanList::build(&p, DocId(1), &hidden);
                // Built from scratch, and read straight from the spans.
                let mut truth: Vec<(usize, SpanId)> = p
                    .spans()
                    .filter(|s| s.doc == DocId(1) && !hidden.contains(&s.label))
                    .map(|s| (s.start, s.id))
                    .collect();
                truth.sort();
                prop_assert_eq!(all(list.as_ref().unwrap()), all(&fresh));
                prop_assert_eq!(&all(&fresh), &truth);
                let mid = truth.len() / 2;
                prop_assert_eq!(list.as_ref().unwrap().rows(&p, mid..mid + 3), truth[mid..(mid + 3).min(truth.len())].to_vec());
            }
        }
    }

    #[test]
    fn an_edit_is_followed_not_rebuilt() {
        let (mut p, mut h) = project(10);
        let mut list = None;
        let hidden: BTreeSet<LabelId> = [LabelId("source".into())].into();
        assert!(SpanList::refresh(&mut list, &p, DocId(1), &hidden));
        add(&mut p, &mut h, DocId(1), 500, "claim");
        assert!(!SpanList::refresh(&mut list, &p, DocId(1), &hidden));
        assert_eq!(list.as_ref().unwrap().len(&p), 11);
        h.undo(&mut p).unwrap();
        assert!(!SpanList::refresh(&mut list, &p, DocId(1), &hidden));
        assert_eq!(list.as_ref().unwrap().len(&p), 10);
        // A command touching more spans than are worth following rebuilds.
        for i in 0..=MAX_CHANGES_FOLLOWED {
            add(&mut p, &mut h, DocId(1), 600 + i, "figure");
        }
        assert!(SpanList::refresh(&mut list, &p, DocId(1), &hidden));
    }

    #[test]
    fn another_project_or_document_rebuilds() {
        let (p, _) = project(10);
        let (q, _) = project(12);
        let hidden = BTreeSet::new();
        let mut list = None;
        assert!(SpanList::refresh(&mut list, &p, DocId(1), &hidden));
        assert!(!SpanList::refresh(&mut list, &p, DocId(1), &hidden));
        assert!(SpanList::refresh(&mut list, &q, DocId(1), &hidden));
        assert_eq!(list.as_ref().unwrap().len(&q), 12);
        assert!(SpanList::refresh(&mut list, &q, DocId(2), &hidden));
        assert!(list.as_ref().unwrap().is_empty(&q));
    }

    #[test]
    fn rows_are_found_by_span_and_every_article_lists_in_order() {
        let (mut p, mut h) = project(40);
        add(&mut p, &mut h, DocId(2), 10, "claim");
        add(&mut p, &mut h, DocId(2), 3, "figure");
        for hidden in [BTreeSet::new(), [LabelId("figure".into())].into()] {
            let list = SpanList::build(&p, DocId(1), &hidden);
            let rows = list.rows(&p, 0..list.len(&p));
            for (i, (_, id)) in rows.iter().enumerate() {
                assert_eq!(list.row_of(&p, *id), Some(i));
            }
            let other = p.spans_in(DocId(2)).next().unwrap().id;
            assert_eq!(list.row_of(&p, other), None, "another article's span");
        }
        let mut all = AllSpans::default();
        let every = all.rows(&p, 1, &BTreeSet::new(), [true; 4]).to_vec();
        assert_eq!(every.len(), p.spans().len());
        let docs: Vec<DocId> = every.iter().map(|id| p.span(*id).unwrap().doc).collect();
        assert!(docs.windows(2).all(|w| w[0] <= w[1]), "articles in order");
        let second: Vec<usize> = every
            .iter()
            .filter_map(|id| p.span(*id).filter(|s| s.doc == DocId(2)).map(|s| s.start))
            .collect();
        assert_eq!(second, [3, 10], "by position within an article");
        h.execute(
            &mut p,
            Command::SetDocumentStatus(DocId(1), DocStatus::Done),
        )
        .unwrap();
        let not_done = all.rows(&p, 2, &BTreeSet::new(), [true, true, false, false]);
        assert_eq!(not_done.len(), 2, "done articles left out");
        let claims = all.rows(&p, 2, &[LabelId("figure".into())].into(), [true; 4]);
        assert!(
            claims
                .iter()
                .all(|id| p.span(*id).unwrap().label.as_str() == "claim")
        );
    }

    #[test]
    fn events_group_their_arguments_under_the_trigger() {
        let (mut p, mut h) = project(0);
        for start in [0, 10, 20, 30] {
            add(&mut p, &mut h, DocId(1), start, "claim");
        }
        let ids: Vec<SpanId> = p.spans_in(DocId(1)).map(|s| s.id).collect();
        h.execute(
            &mut p,
            Command::AddEvent {
                kind: "Attribution".into(),
                trigger: ids[2],
                args: vec![
                    ("Source".into(), crate::model::Target::Span(ids[0])),
                    ("Content".into(), crate::model::Target::Span(ids[3])),
                ],
                attrs: Default::default(),
            },
        )
        .unwrap();
        let rows = event_groups(&p, DocId(1), &BTreeSet::new());
        let want = vec![
            (ids[1], None),
            (ids[2], None),
            (ids[0], Some("Source".to_string())),
            (ids[3], Some("Content".to_string())),
        ];
        assert_eq!(rows, want);
    }
}
