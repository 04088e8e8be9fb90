//! Comparing two annotators' versions of the same articles, span by span,
//! and the edits that settle each disagreement (curation without a server).
//!
//! Spans of one article are paired in order of certainty: equal label and
//! fragments agree (their links are then compared); equal fragments with
//! another label are a label difference; the same label over overlapping
//! text is a range difference; what is left is extra (only ours) or missing
//! (only theirs).

use crate::model::{Command, DocId, Edit, Fragment, LabelId, LinkId, Project, Span, SpanId};
use std::collections::{BTreeSet, HashMap};

/// Articles of `theirs` matched to ours by their text.
pub fn match_documents(ours: &Project, theirs: &Project) -> HashMap<DocId, DocId> {
    let by_text: HashMap<&str, DocId> = theirs
        .documents()
        .map(|d| (d.text.as_str(), d.id))
        .collect();
    ours.documents()
        .filter_map(|d| by_text.get(d.text.as_str()).map(|t| (d.id, *t)))
        .collect()
}

/// How two versions differ at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Theirs has a span ours lacks.
    Missing,
    /// Ours has a span theirs lacks.
    Extra,
    /// Same text, different label.
    Label,
    /// Same label, overlapping but different text.
    Range,
    /// Same span, different links from it.
    Links,
}

impl Kind {
    /// For lists: "missing", "extra", "different label", …
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Extra => "extra",
            Kind::Label => "different label",
            Kind::Range => "different range",
            Kind::Links => "different links",
        }
    }
}

/// One disagreement: a span of ours, of theirs, or a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Disagreement {
    /// What differs.
    pub kind: Kind,
    /// Our span (None when missing).
    pub ours: Option<SpanId>,
    /// Their span (None when extra).
    pub theirs: Option<SpanId>,
    /// Where it is, in code points of the article (for order and scrolling).
    pub at: usize,
}

type Key = (LabelId, Vec<Fragment>);

fn key(s: &Span) -> Key {
    (s.label.clone(), s.fragment_list())
}

/// A link's far end and type, as content: `(label, fragments, type,
/// outgoing)`.
type LinkKey = (LabelId, Vec<Fragment>, String, bool);

/// Span `id`'s links with their content keys.
fn keyed_links(p: &Project, id: SpanId) -> impl Iterator<Item = (LinkId, LinkKey)> + '_ {
    p.links_of(id).filter_map(move |l| {
        let outgoing = l.from == id;
        let other = p.span(if outgoing { l.to } else { l.from })?;
        let key = (
            other.label.clone(),
            other.fragment_list(),
            l.kind.clone(),
            outgoing,
        );
        Some((l.id, key))
    })
}

fn link_keys(p: &Project, id: SpanId) -> BTreeSet<LinkKey> {
    keyed_links(p, id).map(|(_, k)| k).collect()
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// The disagreements between our article `doc` and their article
/// `their_doc`, in text order.
pub fn disagreements(
    ours: &Project,
    doc: DocId,
    theirs: &Project,
    their_doc: DocId,
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut their_by_key: HashMap<Key, Vec<&Span>> = HashMap::new();
    for t in theirs.spans_in(their_doc) {
        their_by_key.entry(key(t)).or_default().push(t);
    }
    // 1. Equal spans agree; their links may not.
    let mut our_left: Vec<&Span> = Vec::new();
    for o in ours.spans_in(doc) {
        match their_by_key.get_mut(&key(o)).and_then(|v| v.pop()) {
            Some(t) => {
                if link_keys(ours, o.id) != link_keys(theirs, t.id) {
                    out.push(Disagreement {
                        kind: Kind::Links,
                        ours: Some(o.id),
                        theirs: Some(t.id),
                        at: o.start,
                    });
                }
            }
            None => our_left.push(o),
        }
    }
    // Their twin of a span ours has (a duplicate on their side) is not
    // missing from ours.
    let our_keys: std::collections::HashSet<Key> = ours.spans_in(doc).map(key).collect();
    let mut their_left: Vec<&Span> = their_by_key
        .into_iter()
        .filter(|(k, _)| !our_keys.contains(k))
        .flat_map(|(_, v)| v)
        .collect();
    their_left.sort_by_key(|s| (s.start, s.id));
    // 2. Same text, another label; 3. same label, overlapping text.
    type Pairs = fn(&Span, &Span) -> bool;
    let rounds: [(Kind, Pairs); 2] = [
        (Kind::Label, |o, t| o.fragment_list() == t.fragment_list()),
        (Kind::Range, |o, t| o.label == t.label && overlaps(o, t)),
    ];
    for (kind, pairs) in rounds {
        let mut still = Vec::new();
        for o in our_left {
            match their_left.iter().position(|t| pairs(o, t)) {
                Some(i) => {
                    let t = their_left.remove(i);
                    out.push(Disagreement {
                        kind,
                        ours: Some(o.id),
                        theirs: Some(t.id),
                        at: o.start.min(t.start),
                    });
                }
                None => still.push(o),
            }
        }
        our_left = still;
    }
    out.extend(our_left.into_iter().map(|o| Disagreement {
        kind: Kind::Extra,
        ours: Some(o.id),
        theirs: None,
        at: o.start,
    }));
    out.extend(their_left.into_iter().map(|t| Disagreement {
        kind: Kind::Missing,
        ours: None,
        theirs: Some(t.id),
        at: t.start,
    }));
    out.sort_by_key(|d| (d.at, d.kind, d.ours, d.theirs));
    out
}

/// Which version to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Keep ours as it is.
    Ours,
    /// Make ours like theirs.
    Theirs,
    /// Keep ours and add theirs.
    Both,
}

/// The command that settles `d` in our project (`doc`) by taking `take`;
/// None when nothing changes (taking ours, or both of an extra span).
pub fn settle(
    ours: &Project,
    doc: DocId,
    theirs: &Project,
    d: &Disagreement,
    take: Take,
    now: &str,
) -> Option<Command> {
    let their_span = d.theirs.and_then(|id| theirs.span(id));
    let our_span = d.ours.and_then(|id| ours.span(id));
    let add_theirs = |t: &Span| Command::AddSpanWith {
        doc,
        label: t.label.clone(),
        fragments: t.fragment_list(),
        attrs: (*t.attrs).clone(),
        note: t.note.clone(),
        created: now.to_string(),
    };
    match (take, d.kind) {
        (Take::Ours, _) | (Take::Both, Kind::Extra) => None,
        (Take::Theirs | Take::Both, Kind::Missing) => their_span.map(add_theirs),
        (Take::Theirs, Kind::Extra) => d.ours.map(Command::RemoveSpan),
        (Take::Theirs, Kind::Label) => {
            Some(Command::RetagSpan(our_span?.id, their_span?.label.clone()))
        }
        (Take::Theirs, Kind::Range) => Some(Command::Edits(
            "take their range".into(),
            vec![Edit::SetSpanFragments(
                our_span?.id,
                their_span?.fragment_list(),
            )],
        )),
        (Take::Both, Kind::Label | Kind::Range) => their_span.map(add_theirs),
        (Take::Theirs | Take::Both, Kind::Links) => {
            let (o, t) = (our_span?, their_span?);
            let want = link_keys(theirs, t.id);
            let have = link_keys(ours, o.id);
            let mut commands = Vec::new();
            if take == Take::Theirs {
                for (link, k) in keyed_links(ours, o.id) {
                    if !want.contains(&k) {
                        commands.push(Command::RemoveLink(link));
                    }
                }
            }
            // Their links whose far end we have too (same label and text).
            for (label, fragments, kind, outgoing) in want.difference(&have) {
                let far = ours
                    .spans_in(doc)
                    .find(|s| s.label == *label && s.fragment_list() == *fragments);
                if let Some(far) = far {
                    let (from, to) = if *outgoing {
                        (o.id, far.id)
                    } else {
                        (far.id, o.id)
                    };
                    commands.push(Command::AddLink {
                        from,
                        to,
                        kind: kind.clone(),
                    });
                }
            }
            (!commands.is_empty()).then(|| Command::Group("take their links".into(), commands))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::History;

    fn project(spans: &[(&str, usize, usize)]) -> (Project, DocId) {
        let mut p = Project::new("p");
        let mut h = History::new();
        let doc = h
            .execute(
                &mut p,
                Command::AddDocument {
                    title: "t".into(),
                    origin: None,
                    text: "Prices rose 10% on Monday, a trader said in Dandong.".into(),
                },
            )
            .unwrap()
            .documents[0];
        for (label, a, b) in spans {
            h.execute(
                &mut p,
                Command::AddSpan {
                    doc,
                    label: LabelId((*label).into()),
                    start: *a,
                    end: *b,
                    note: None,
                    created: "2026-01-01T00:00:00Z".into(),
                },
            )
            .unwrap();
        }
        (p, doc)
    }

    #[test]
    fn each_kind_of_disagreement_is_found_and_settled() {
        let (mut ours, doc) = project(&[
            ("claim", 0, 15),   // same in theirs
            ("figure", 12, 15), // theirs: claim (label)
            ("source", 27, 41), // theirs: 27..48 (range)
            ("figure", 19, 25), // extra
        ]);
        let (theirs, tdoc) = project(&[
            ("claim", 0, 15),
            ("claim", 12, 15),
            ("source", 27, 48),
            ("figure", 42, 48), // missing (overlaps nothing of ours)
        ]);
        let list = disagreements(&ours, doc, &theirs, tdoc);
        let kinds: Vec<Kind> = list.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            vec![Kind::Label, Kind::Extra, Kind::Range, Kind::Missing]
        );
        // Taking theirs for each, in turn, leaves nothing to settle.
        let mut h = History::new();
        for d in &list {
            if let Some(c) = settle(&ours, doc, &theirs, d, Take::Theirs, "now") {
                h.execute(&mut ours, c).unwrap();
            }
        }
        assert_eq!(disagreements(&ours, doc, &theirs, tdoc), vec![]);
    }

    #[test]
    fn their_duplicate_of_a_span_we_have_is_not_missing() {
        let (ours, doc) = project(&[("claim", 0, 15)]);
        let (mut theirs, tdoc) = project(&[("claim", 0, 15)]);
        // Theirs holds an identical twin, as an import of a corpus may.
        let twin = theirs.spans().next().unwrap().clone();
        let id = SpanId(theirs.next_ids().span);
        History::new()
            .execute(
                &mut theirs,
                Command::Edits("import".into(), vec![Edit::InsertSpan(Span { id, ..twin })]),
            )
            .unwrap();
        assert_eq!(theirs.duplicate_spans().len(), 1);
        assert_eq!(disagreements(&ours, doc, &theirs, tdoc), vec![]);
    }

    #[test]
    fn different_links_are_found_and_taking_theirs_swaps_them() {
        let spans = [("figure", 12, 15), ("source", 27, 40), ("source", 44, 51)];
        let link = |p: &mut Project, to: usize| {
            let ids: Vec<SpanId> = p.spans().map(|s| s.id).collect();
            History::new()
                .execute(
                    p,
                    Command::AddLink {
                        from: ids[0],
                        to: ids[to],
                        kind: "attributed_to".into(),
                    },
                )
                .unwrap();
        };
        let (mut ours, doc) = project(&spans);
        link(&mut ours, 1);
        let (mut theirs, tdoc) = project(&spans);
        link(&mut theirs, 2);
        let list = disagreements(&ours, doc, &theirs, tdoc);
        assert_eq!(list.iter().filter(|d| d.kind == Kind::Links).count(), 3);
        let figure = list
            .iter()
            .find(|d| d.kind == Kind::Links && d.at == 12)
            .unwrap();
        let c = settle(&ours, doc, &theirs, figure, Take::Theirs, "now").unwrap();
        History::new().execute(&mut ours, c).unwrap();
        assert_eq!(disagreements(&ours, doc, &theirs, tdoc), vec![]);
    }
}
