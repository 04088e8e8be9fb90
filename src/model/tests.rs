//! Model tests: commands, cascades, undo/redo, and proptest invariants.

use super::*;
use proptest::prelude::*;

const TEXTS: [&str; 4] = [
    "“Many factories have opened,” a China-based source told Daily NK on Wednesday. RMB 10 [USD 1.41] per day.",
    "북한 노동자들이 중국에서 일하고 있다. 👩‍👩‍👧 family e\u{301}te’s 10% rise.\n\tSecond paragraph.",
    "short",
    // What the hand-written RON writer must escape.
    "A \"quoted\" back\\slash, a bell\u{7}, an escape\u{1b} and NUL\u{0}; tab\there.\nNext line ends with \\",
];

fn add_doc(p: &mut Project, h: &mut History, text: &str) -> DocId {
    h.execute(
        p,
        Command::AddDocument {
            title: "t".into(),
            origin: None,
            text: text.into(),
        },
    )
    .unwrap()
    .documents[0]
}

fn add_span(
    p: &mut Project,
    h: &mut History,
    doc: DocId,
    label: &str,
    r: (usize, usize),
) -> SpanId {
    h.execute(
        p,
        Command::AddSpan {
            doc,
            label: LabelId(label.into()),
            start: r.0,
            end: r.1,
            note: None,
            created: "2026-01-01T00:00:00Z".into(),
        },
    )
    .unwrap()
    .spans[0]
}

#[test]
fn undo_names_and_retag() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let s = add_span(&mut p, &mut h, d, FIGURE, (85, 91));
    assert_eq!(h.undo_name(), Some("tag figure"));
    h.execute(&mut p, Command::RetagSpan(s, LabelId(CLAIM.into())))
        .unwrap();
    assert_eq!(h.undo_name(), Some("retag as claim"));
    assert_eq!(p.span(s).unwrap().label.as_str(), CLAIM);
    assert_eq!(h.undo(&mut p).unwrap(), "retag as claim");
    assert_eq!(p.span(s).unwrap().label.as_str(), FIGURE);
    assert_eq!(h.redo_name(), Some("retag as claim"));
    h.redo(&mut p).unwrap();
    assert_eq!(p.span(s).unwrap().label.as_str(), CLAIM);
}

#[test]
fn deleting_a_span_deletes_its_links_and_undo_restores_both() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let claim = add_span(&mut p, &mut h, d, CLAIM, (1, 28));
    let source = add_span(&mut p, &mut h, d, SOURCE, (31, 77));
    h.execute(
        &mut p,
        Command::AddLink {
            from: claim,
            to: source,
            kind: ATTRIBUTED_TO.into(),
        },
    )
    .unwrap();
    let before = p.clone();
    let created = h.execute(&mut p, Command::RemoveSpan(source)).unwrap();
    assert_eq!(created.removed.spans, [source]);
    assert_eq!(
        created.removed.besides(&[source]).as_deref(),
        Some("1 link")
    );
    assert_eq!(p.links().len(), 0);
    assert_eq!(p.links_of(claim).count(), 0);
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    assert_eq!(p.links_of(claim).count(), 1);
}

fn link(p: &mut Project, h: &mut History, from: SpanId, to: SpanId) -> Result<Created, EditError> {
    h.execute(
        p,
        Command::AddLink {
            from,
            to,
            kind: ATTRIBUTED_TO.into(),
        },
    )
}

#[test]
fn links_must_fit_their_declared_rule() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let claim = add_span(&mut p, &mut h, d, CLAIM, (1, 28));
    let claim2 = add_span(&mut p, &mut h, d, CLAIM, (80, 90));
    let source = add_span(&mut p, &mut h, d, SOURCE, (31, 77));
    let before = p.clone();
    let e = link(&mut p, &mut h, claim, claim2).unwrap_err();
    assert!(matches!(e, EditError::LinkRule { .. }), "{e}");
    assert!(e.to_string().contains("claim or figure → source"), "{e}");
    assert!(
        link(&mut p, &mut h, source, claim).is_err(),
        "source → claim"
    );
    assert_eq!(p, before, "nothing created");
    link(&mut p, &mut h, claim, source).unwrap();
    // An undeclared type is not restricted.
    h.execute(
        &mut p,
        Command::AddLink {
            from: claim2,
            to: claim,
            kind: "contradicts".into(),
        },
    )
    .unwrap();
}

#[test]
fn a_retag_that_breaks_links_removes_them_in_the_same_undo_step() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let claim = add_span(&mut p, &mut h, d, CLAIM, (1, 28));
    let source = add_span(&mut p, &mut h, d, SOURCE, (31, 77));
    link(&mut p, &mut h, claim, source).unwrap();
    let before = p.clone();
    // claim → source would become source → source.
    let made = h
        .execute(&mut p, Command::RetagSpan(claim, LabelId(SOURCE.into())))
        .unwrap();
    assert_eq!(made.removed_links.len(), 1);
    assert_eq!(p.links().len(), 0);
    // The primitive edit alone is refused: the invariant holds.
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    assert!(matches!(
        p.apply(Edit::SetSpanLabel(claim, LabelId(SOURCE.into()))),
        Err(EditError::LinkRule { .. })
    ));
    // A retag that keeps the rule keeps the link.
    let made = h
        .execute(&mut p, Command::RetagSpan(claim, LabelId(FIGURE.into())))
        .unwrap();
    assert!(made.removed_links.is_empty());
    assert_eq!(p.links().len(), 1);
}

#[test]
fn a_new_rule_is_refused_while_links_break_it() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let claim = add_span(&mut p, &mut h, d, CLAIM, (1, 28));
    let source = add_span(&mut p, &mut h, d, SOURCE, (31, 77));
    link(&mut p, &mut h, claim, source).unwrap();
    let only_figures = LinkType {
        id: ATTRIBUTED_TO.into(),
        from: vec![LabelId(FIGURE.into())],
        to: vec![LabelId(SOURCE.into())],
        roles: None,
    };
    let before = p.clone();
    assert!(
        h.execute(&mut p, Command::SetLinkType(only_figures))
            .is_err()
    );
    assert_eq!(p, before);
    let wider = LinkType {
        id: ATTRIBUTED_TO.into(),
        from: vec![],
        to: vec![LabelId(SOURCE.into())],
        roles: None,
    };
    h.execute(&mut p, Command::SetLinkType(wider.clone()))
        .unwrap();
    assert_eq!(p.link_type(ATTRIBUTED_TO), Some(&wider));
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

#[test]
fn removing_a_document_cascades_and_ids_are_never_reused() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[1]);
    let s = add_span(&mut p, &mut h, d, CLAIM, (0, 2));
    h.execute(&mut p, Command::RemoveDocument(d)).unwrap();
    assert_eq!(p.spans().len(), 0);
    assert_eq!(p.documents().len(), 0);
    h.undo(&mut p).unwrap();
    assert_eq!(p.span(s).unwrap().doc, d);
    h.undo(&mut p).unwrap(); // untag
    let s2 = add_span(&mut p, &mut h, d, CLAIM, (0, 2));
    assert_ne!(s, s2, "span ids must not be reused after undo");
    assert!(h.redo_name().is_none(), "a new command clears redo");
}

#[test]
fn refused_edits_change_nothing() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[2]);
    let before = p.clone();
    let bad = [
        Command::AddSpan {
            doc: d,
            label: LabelId(CLAIM.into()),
            start: 3,
            end: 99,
            note: None,
            created: String::new(),
        },
        Command::AddSpan {
            doc: d,
            label: LabelId("nope".into()),
            start: 0,
            end: 1,
            note: None,
            created: String::new(),
        },
        Command::AddSpan {
            doc: DocId(42),
            label: LabelId(CLAIM.into()),
            start: 0,
            end: 1,
            note: None,
            created: String::new(),
        },
        Command::AddLink {
            from: SpanId(1),
            to: SpanId(2),
            kind: ATTRIBUTED_TO.into(),
        },
        Command::RetagSpan(SpanId(9), LabelId(CLAIM.into())),
        Command::AddLabel(Label::new(
            LabelId("date".into()),
            "Date",
            Rgb(1, 2, 3),
            Some('1'),
        )),
        Command::Group(
            "half".into(),
            vec![
                Command::RenameProject("renamed".into()),
                Command::RemoveSpan(SpanId(77)),
            ],
        ),
    ];
    for c in bad {
        assert!(h.execute(&mut p, c.clone()).is_err(), "{c:?} should fail");
        assert_eq!(p, before, "{c:?} changed the project");
    }
    assert_eq!(h.undo_len(), 1);
}

#[test]
fn overlap_queries_and_navigation() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let outer = add_span(&mut p, &mut h, d, CLAIM, (0, 60));
    let inner = add_span(&mut p, &mut h, d, FIGURE, (85, 91));
    let nested = add_span(&mut p, &mut h, d, SOURCE, (10, 20));
    let ids = |v: Vec<&Span>| v.iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(ids(p.spans_overlapping(d, 15..16)), vec![outer, nested]);
    assert_eq!(ids(p.spans_overlapping(d, 60..85)), vec![]);
    assert_eq!(ids(p.spans_at(d, 90)), vec![inner]);
    assert_eq!(p.next_span_in(d, None), Some(outer));
    assert_eq!(p.next_span_in(d, Some(outer)), Some(nested));
    assert_eq!(p.next_span_in(d, Some(inner)), Some(outer), "wraps around");
    assert_eq!(p.prev_span_in(d, Some(outer)), Some(inner), "wraps around");
}

#[test]
fn label_schema_edits() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let date = Label::new(LabelId("date".into()), "Date", Rgb(9, 9, 9), Some('4'));
    h.execute(&mut p, Command::AddLabel(date.clone())).unwrap();
    add_span(&mut p, &mut h, d, "date", (71, 80));
    let mut renamed = date.clone();
    renamed.name = "Date or time".into();
    h.execute(&mut p, Command::UpdateLabel(renamed)).unwrap();
    assert_eq!(p.label(&date.id).unwrap().name, "Date or time");
    h.execute(&mut p, Command::RemoveLabel(date.id.clone()))
        .unwrap();
    assert!(p.label(&date.id).is_none());
    assert_eq!(p.spans().len(), 0);
    h.undo(&mut p).unwrap();
    assert_eq!(p.spans().len(), 1);
    assert_eq!(p.labels().len(), 4);
}

// ---- property tests ------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    AddDoc(usize, String),
    RemoveDoc(usize),
    AddSpan(usize, usize, usize, usize),
    /// A two-fragment span with an attribute value: (doc, label, start,
    /// len, gap, len2, attribute, value).
    AddSpanWith(usize, usize, usize, usize, usize, usize, usize, String),
    RemoveSpan(usize),
    Retag(usize, usize),
    Resize(usize, usize, usize),
    AddFragment(usize, usize, usize),
    RemoveFragment(usize, usize),
    SetAttr(usize, usize, Option<String>),
    Note(usize, Option<String>),
    Link(usize, usize),
    Unlink(usize),
    AddEvent(usize, usize, usize, String),
    RemoveEvent(usize),
    EventArgs(usize, usize, String, bool),
    AddLabel(u8),
    RemoveLabel(usize),
    RenameDoc(usize, String),
    Status(usize, usize),
    /// Replace a document's text: keep a prefix, cut a piece, add text.
    Retext(usize, usize, usize, String),
    Reattach(usize, usize, usize),
    DiscardOrphan(usize),
    AddPattern(String, usize),
    RemovePattern(usize),
    Reject(usize, usize, usize, usize),
    Settings(Vec<usize>),
    Stale(usize, usize),
    Conflict(usize, usize),
    Resolve(bool),
    Undo,
    Redo,
}

/// Strings with what the RON writer must escape: quotes, backslashes,
/// newlines, tabs, control characters, NUL, DEL, and multi-byte text.
const TRICKY: &str = "[a-z \"\\\\\n\t\u{0}\u{1}\u{7}\u{1b}\u{7f}“”북한👩]{0,6}";

/// Attribute names of the default schema (and one nobody declares).
const ATTRS: [&str; 6] = ["value", "unit", "approximate", "status", "kind", "colour"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize, TRICKY).prop_map(|(t, title)| Op::AddDoc(t, title)),
        1 => (0..4usize).prop_map(Op::RemoveDoc),
        8 => (0..4usize, 0..5usize, 0..100usize, 0..30usize)
            .prop_map(|(d, l, s, n)| Op::AddSpan(d, l, s, n)),
        6 => (
            (0..4usize, 0..5usize, 0..80usize, 1..20usize, 0..10usize, 1..20usize),
            (0..6usize, prop_oneof![Just("10".to_string()), Just("true".to_string()), Just("verified".to_string()), TRICKY.prop_map(|s| s)])
        )
            .prop_map(|((d, l, s, n, g, m), (a, v))| Op::AddSpanWith(d, l, s, n, g, m, a, v)),
        2 => (0..20usize).prop_map(Op::RemoveSpan),
        2 => (0..20usize, 0..5usize).prop_map(|(s, l)| Op::Retag(s, l)),
        2 => (0..20usize, 0..100usize, 0..30usize).prop_map(|(s, a, n)| Op::Resize(s, a, n)),
        3 => (0..20usize, 0..100usize, 1..20usize).prop_map(|(s, a, n)| Op::AddFragment(s, a, n)),
        2 => (0..20usize, 0..3usize).prop_map(|(s, i)| Op::RemoveFragment(s, i)),
        3 => (0..20usize, 0..6usize, proptest::option::of(prop_oneof![Just("2,000".to_string()), Just("4.25".to_string()), Just("true".to_string()), TRICKY.prop_map(|s| s)]))
            .prop_map(|(s, a, v)| Op::SetAttr(s, a, v)),
        2 => (0..20usize, proptest::option::of(TRICKY)).prop_map(|(s, n)| Op::Note(s, n)),
        3 => (0..20usize, 0..20usize).prop_map(|(a, b)| Op::Link(a, b)),
        1 => (0..20usize).prop_map(Op::Unlink),
        3 => (0..20usize, 0..20usize, 0..20usize, "[A-Za-z\\-]{0,8}").prop_map(|(t, a, b, k)| Op::AddEvent(t, a, b, k)),
        1 => (0..5usize).prop_map(Op::RemoveEvent),
        2 => (0..5usize, 0..20usize, "[A-Za-z]{0,6}", any::<bool>()).prop_map(|(e, s, r, drop)| Op::EventArgs(e, s, r, drop)),
        1 => (0..3u8).prop_map(Op::AddLabel),
        1 => (3..5usize).prop_map(Op::RemoveLabel),
        1 => (0..4usize, TRICKY).prop_map(|(d, t)| Op::RenameDoc(d, t)),
        2 => (0..4usize, 0..4usize).prop_map(|(d, s)| Op::Status(d, s)),
        3 => (0..4usize, 0..60usize, 0..20usize, TRICKY).prop_map(|(d, k, c, t)| Op::Retext(d, k, c, t)),
        2 => (0..5usize, 0..100usize, 1..20usize).prop_map(|(o, a, n)| Op::Reattach(o, a, n)),
        1 => (0..5usize).prop_map(Op::DiscardOrphan),
        1 => (TRICKY, 0..5usize).prop_map(|(t, l)| Op::AddPattern(t, l)),
        1 => (0..3usize).prop_map(Op::RemovePattern),
        1 => (0..4usize, 0..100usize, 1..20usize, 0..5usize).prop_map(|(d, s, n, l)| Op::Reject(d, s, n, l)),
        1 => proptest::collection::vec(0..7usize, 0..3).prop_map(Op::Settings),
        2 => (0..20usize, 0..6usize).prop_map(|(s, a)| Op::Stale(s, a)),
        1 => (0..20usize, 0..5usize).prop_map(|(s, l)| Op::Conflict(s, l)),
        1 => any::<bool>().prop_map(Op::Resolve),
        2 => Just(Op::Undo),
        2 => Just(Op::Redo),
    ]
}

fn nth<T: Copy>(items: &[T], i: usize) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[i % items.len()])
    }
}

/// The command an op stands for in `p` (None: nothing to act on).
fn to_command(p: &Project, op: &Op) -> Option<Command> {
    let docs: Vec<DocId> = p.documents().map(|d| d.id).collect();
    let spans: Vec<SpanId> = p.spans().map(|s| s.id).collect();
    let links: Vec<LinkId> = p.links().map(|l| l.id).collect();
    let events: Vec<EventId> = p.events().map(|e| e.id).collect();
    let orphans: Vec<SpanId> = p.orphans().map(|o| o.span.id).collect();
    let labels: Vec<LabelId> = p.labels().iter().map(|l| l.id.clone()).collect();
    let label = |i: usize| labels.get(i % labels.len().max(1)).cloned();
    let edits = |name: &str, e: Vec<Edit>| Command::Edits(name.into(), e);
    Some(match op {
        Op::AddDoc(t, title) => Command::AddDocument {
            title: format!("doc {t} {title}"),
            origin: None,
            text: TEXTS[*t].into(),
        },
        Op::RemoveDoc(d) => Command::RemoveDocument(nth(&docs, *d)?),
        Op::AddSpan(d, l, s, n) => Command::AddSpan {
            doc: nth(&docs, *d)?,
            label: label(*l)?,
            start: *s,
            end: s + n,
            note: None,
            created: "2026-01-01T00:00:00Z".into(),
        },
        Op::AddSpanWith(d, l, s, n, g, m, a, v) => {
            let label = label(*l)?;
            // One attribute the label declares, with a value of its kind
            // (free text for a text attribute); none when it declares none.
            let declared = p.label(&label)?.attributes.clone();
            let attrs = declared
                .get(a % declared.len().max(1))
                .map(|def| {
                    let value = match &def.kind {
                        AttrKind::Flag => "true".to_string(),
                        AttrKind::Number => "10".to_string(),
                        AttrKind::Values(vs) => vs[0].clone(),
                        AttrKind::Text => format!("x{v}"),
                    };
                    (def.name.clone(), value)
                })
                .into_iter()
                .collect();
            Command::AddSpanWith {
                doc: nth(&docs, *d)?,
                label,
                fragments: vec![(*s, s + n), (s + n + g, s + n + g + m)],
                attrs,
                note: Some(v.clone()),
                created: "2026-01-01T00:00:00Z".into(),
            }
        }
        Op::RemoveSpan(s) => Command::RemoveSpan(nth(&spans, *s)?),
        Op::Retag(s, l) => Command::RetagSpan(nth(&spans, *s)?, label(*l)?),
        Op::Resize(s, a, n) => Command::ResizeSpan(nth(&spans, *s)?, *a, a + n),
        Op::AddFragment(s, a, n) => Command::AddFragment(nth(&spans, *s)?, (*a, a + n)),
        Op::RemoveFragment(s, i) => Command::RemoveFragment(nth(&spans, *s)?, *i),
        Op::SetAttr(s, a, v) => Command::SetAttr(nth(&spans, *s)?, ATTRS[*a].into(), v.clone()),
        Op::Note(s, n) => Command::SetNote(nth(&spans, *s)?, n.clone()),
        Op::Link(a, b) => Command::AddLink {
            from: nth(&spans, *a)?,
            to: nth(&spans, *b)?,
            kind: ATTRIBUTED_TO.into(),
        },
        Op::Unlink(l) => Command::RemoveLink(nth(&links, *l)?),
        Op::AddEvent(t, a, b, kind) => Command::AddEvent {
            kind: kind.clone(),
            trigger: nth(&spans, *t)?,
            args: vec![
                ("Content".into(), Target::Span(nth(&spans, *a)?)),
                ("Source".into(), Target::Span(nth(&spans, *b)?)),
            ],
            attrs: Default::default(),
        },
        Op::RemoveEvent(e) => Command::RemoveEvent(nth(&events, *e)?),
        Op::EventArgs(e, sp, role, drop) => {
            let id = nth(&events, *e)?;
            let mut args = p.event(id)?.args.clone();
            if *drop {
                args.pop();
            } else {
                args.push((role.clone(), Target::Span(nth(&spans, *sp)?)));
            }
            Command::SetEventArgs(id, args)
        }
        Op::AddLabel(k) => Command::AddLabel(Label::new(
            LabelId(format!("extra{k}").into()),
            "Extra",
            Rgb(1, 2, 3),
            None,
        )),
        Op::RemoveLabel(l) => Command::RemoveLabel(label(*l)?),
        Op::RenameDoc(d, t) => Command::RenameDocument(nth(&docs, *d)?, t.clone()),
        Op::Status(d, s) => Command::SetDocumentStatus(nth(&docs, *d)?, DocStatus::ALL[*s]),
        Op::Retext(d, keep, cut, added) => {
            let doc = nth(&docs, *d)?;
            let old: Vec<char> = p.document(doc)?.text.as_str().chars().collect();
            let keep = (*keep).min(old.len());
            let rest = (keep + cut).min(old.len());
            let new: String = old[..keep]
                .iter()
                .chain(added.chars().collect::<Vec<_>>().iter())
                .chain(old[rest..].iter())
                .collect();
            let new = text::normalize_newlines(&new).into_owned();
            if new.trim().is_empty() {
                return None;
            }
            anchor::plan_retext(p, doc, &new, &|_| {}).ok()?.command()
        }
        Op::Reattach(o, a, n) => Command::Reattach(nth(&orphans, *o)?, vec![(*a, a + n)]),
        Op::DiscardOrphan(o) => Command::DiscardOrphan(nth(&orphans, *o)?),
        Op::AddPattern(t, l) => Command::AddPattern(Pattern {
            text: t.clone(),
            regex: false,
            case_sensitive: false,
            label: label(*l)?,
            attributes: Default::default(),
        }),
        Op::RemovePattern(i) => Command::RemovePattern(*i),
        Op::Reject(d, s, n, l) => Command::Reject(vec![Rejection {
            doc: nth(&docs, *d)?,
            start: *s,
            end: s + n,
            label: label(*l)?,
        }]),
        Op::Settings(off) => {
            let names = [
                "money",
                "percent",
                "count",
                "number words",
                "range",
                "date",
                "attribution",
            ];
            let settings = Settings {
                rules_off: off.iter().map(|i| names[*i].to_string()).collect(),
                ..Settings::default()
            };
            edits("settings", vec![Edit::SetSettings(settings)])
        }
        Op::Stale(s, a) => edits(
            "mark",
            vec![Edit::SetStale(nth(&spans, *s)?, ATTRS[*a].into(), true)],
        ),
        Op::Conflict(s, l) => {
            let span = p.span(nth(&spans, *s)?)?.clone();
            let other = Span {
                label: label(*l)?,
                ..span.clone()
            };
            edits(
                "merge",
                vec![Edit::InsertConflict(
                    0,
                    Conflict {
                        fields: vec!["label".into()],
                        standing: Side::Ours,
                        other: Alternative::Span(span.id, Some(other)),
                    },
                )],
            )
        }
        Op::Resolve(theirs) => {
            if p.conflicts().is_empty() {
                return None;
            }
            Command::ResolveConflict {
                index: 0,
                take: if *theirs { Side::Theirs } else { Side::Ours },
            }
        }
        Op::Undo | Op::Redo => return None,
    })
}

/// Every invariant, checked independently of the edit code: the store's
/// loader rebuilds the project from scratch and must find no error, and the
/// overlap index must agree with a brute-force scan.
fn assert_invariants(p: &Project) {
    let text = crate::store::to_ron_string(p).unwrap();
    let loaded = crate::store::load_str(&text, std::path::Path::new("prop.ron"))
        .unwrap_or_else(|e| panic!("invariant broken: {e}"));
    assert_eq!(&loaded.project, p);
    for doc in p.documents() {
        for probe in [0usize, 5, 17, 40, 90] {
            let want: Vec<SpanId> = p
                .spans()
                .filter(|s| s.doc == doc.id && s.start < probe + 10 && s.end > probe)
                .map(|s| s.id)
                .collect();
            let mut got: Vec<SpanId> = p
                .spans_overlapping(doc.id, probe..probe + 10)
                .iter()
                .map(|s| s.id)
                .collect();
            got.sort();
            assert_eq!(got, want, "overlap query at {probe}");
        }
    }
    let mut seen = std::collections::HashSet::new();
    for s in p.spans() {
        assert!(s.id.0 < p.next_ids().span && seen.insert(s.id.0));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_and_redo_all_restore_states(ops in proptest::collection::vec(op(), 1..40)) {
        let mut p = Project::new("prop");
        let mut h = History::new();
        let start = p.clone();
        let mut max_span_id = 0;
        for op in &ops {
            match op {
                Op::Undo => { let _ = h.undo(&mut p); }
                Op::Redo => { let _ = h.redo(&mut p); }
                other => {
                    if let Some(c) = to_command(&p, other) {
                        let before = p.clone();
                        // As the analyst's edits: a `new` article edited
                        // becomes `in-progress` in the same undo step.
                        if let Ok(created) = h.execute_by_hand(&mut p, c) {
                            for s in created.spans {
                                prop_assert!(s.0 > max_span_id, "span id reused");
                                max_span_id = s.0;
                            }
                        } else {
                            prop_assert_eq!(&p, &before);
                        }
                    }
                }
            }
            assert_invariants(&p);
        }
        // Consume what is left to redo, so "end" is the newest state.
        while h.redo(&mut p).is_ok() { assert_invariants(&p); }
        let end = p.clone();
        while h.undo(&mut p).is_ok() { assert_invariants(&p); }
        prop_assert_eq!(&p, &start);
        while h.redo(&mut p).is_ok() { assert_invariants(&p); }
        prop_assert_eq!(&p, &end);
    }
}

#[test]
fn deleting_a_span_takes_its_events_and_notes_along_and_undo_restores_them() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let a = add_span(&mut p, &mut h, d, CLAIM, (1, 28));
    let b = add_span(&mut p, &mut h, d, SOURCE, (31, 77));
    h.execute(
        &mut p,
        Command::AddEvent {
            kind: "Attribution".into(),
            trigger: b,
            args: vec![
                ("Content".into(), Target::Span(a)),
                ("Source".into(), Target::Span(b)),
            ],
            attrs: Default::default(),
        },
    )
    .unwrap();
    let ev = p.events().next().unwrap().id;
    // An event whose argument is the first event (brat `Theme:E1`).
    h.execute(
        &mut p,
        Command::AddEvent {
            kind: "Dispute".into(),
            trigger: b,
            args: vec![("Theme".into(), Target::Event(ev))],
            attrs: Default::default(),
        },
    )
    .unwrap();
    let outer = p.events().find(|e| e.id != ev).unwrap().id;
    // The primitive delete of the inner event is refused while referred to.
    assert!(p.apply(Edit::DeleteEvent(ev)).is_err());
    // An argument event that does not exist is refused.
    let err = h.execute(
        &mut p,
        Command::AddEvent {
            kind: "Dispute".into(),
            trigger: b,
            args: vec![("Theme".into(), Target::Event(EventId(999)))],
            attrs: Default::default(),
        },
    );
    assert!(err.is_err());
    h.execute(
        &mut p,
        Command::Edits(
            "notes".into(),
            vec![
                Edit::InsertExtra(
                    0,
                    Extra::Comment {
                        target: Target::Event(ev),
                        kind: "Reviewer".into(),
                        text: "ok".into(),
                    },
                ),
                Edit::InsertExtra(
                    1,
                    Extra::Equivalence {
                        kind: "Equiv".into(),
                        members: vec![a, b],
                    },
                ),
            ],
        ),
    )
    .unwrap();
    // The primitive delete is refused while something refers to the span.
    assert!(p.apply(Edit::DeleteSpan(a)).is_err());
    let before = p.clone();
    let created = h.execute(&mut p, Command::RemoveSpan(a)).unwrap();
    // The caller can say all that went.
    assert_eq!(
        created.removed.besides(&[a]).as_deref(),
        Some(&*format!(
            "Attribution event #{ev} with 2 arguments, Dispute event #{outer} with 1 argument, 2 notes or normalisations"
        ))
    );
    // Removing span a removed the event using it, and so the event using
    // that event.
    assert_eq!(p.events().len(), 0);
    assert!(p.event(outer).is_none());
    assert!(p.extras().is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    // Removing the inner event alone also takes the outer one, undoably.
    h.execute(&mut p, Command::RemoveEvent(ev)).unwrap();
    assert_eq!(p.events().len(), 0);
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

#[test]
fn renaming_an_attribute_carries_values_and_undoes_in_one_step() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let fig = add_span(&mut p, &mut h, d, FIGURE, (79, 85));
    h.execute(
        &mut p,
        Command::SetAttr(fig, "unit".into(), Some("RMB".into())),
    )
    .unwrap();
    let before = p.clone();
    let figure = LabelId(FIGURE.into());
    let rename = |to: &str| Command::RenameAttr {
        label: figure.clone(),
        from: "unit".into(),
        to: to.into(),
    };
    h.execute(&mut p, rename("currency")).unwrap();
    let label = p.label(&figure).unwrap();
    assert!(label.attribute("unit").is_none());
    // The renamed attribute keeps its place in the schema.
    let names: Vec<&str> = label.attributes.iter().map(|a| a.name.as_str()).collect();
    let old_names: Vec<&str> = before
        .label(&figure)
        .unwrap()
        .attributes
        .iter()
        .map(|a| {
            if a.name == "unit" {
                "currency"
            } else {
                a.name.as_str()
            }
        })
        .collect();
    assert_eq!(names, old_names);
    let span = p.span(fig).unwrap();
    assert_eq!(span.attrs.get("currency").map(String::as_str), Some("RMB"));
    assert!(!span.attrs.contains_key("unit"));
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    // A name already taken, or not one word, is refused and changes nothing.
    assert!(h.execute(&mut p, rename("value")).is_err());
    assert!(h.execute(&mut p, rename("two words")).is_err());
    assert_eq!(p, before);
    // Removing it clears every span's value, in one undo step.
    let remove = Command::RemoveAttr {
        label: figure.clone(),
        name: "unit".into(),
    };
    h.execute(&mut p, remove).unwrap();
    assert!(p.label(&figure).unwrap().attribute("unit").is_none());
    assert!(p.span(fig).unwrap().attrs.is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

#[test]
fn removing_a_label_takes_it_out_of_link_rules() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let before = p.clone();
    h.execute(&mut p, Command::RemoveLabel(LabelId(CLAIM.into())))
        .unwrap();
    let rule = p.link_type(ATTRIBUTED_TO).unwrap();
    assert_eq!(rule.from, vec![LabelId(FIGURE.into())]);
    // With the only target label gone, the rule goes too.
    h.execute(&mut p, Command::RemoveLabel(LabelId(SOURCE.into())))
        .unwrap();
    assert!(p.link_type(ATTRIBUTED_TO).is_none());
    assert!(p.lint().is_empty(), "{:?}", p.lint());
    h.undo(&mut p).unwrap();
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

#[test]
fn an_identical_second_span_is_refused_and_twins_are_found() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let claim = add_span(&mut p, &mut h, d, CLAIM, (1, 28));
    let again = Command::AddSpan {
        doc: d,
        label: LabelId(CLAIM.into()),
        start: 1,
        end: 28,
        note: None,
        created: "2026-01-01T00:00:00Z".into(),
    };
    assert_eq!(h.execute(&mut p, again), Err(EditError::SameSpan(claim)));
    let with = Command::AddSpanWith {
        doc: d,
        label: LabelId(CLAIM.into()),
        fragments: vec![(1, 28)],
        attrs: Default::default(),
        note: Some("n".into()),
        created: "2026-01-01T00:00:00Z".into(),
    };
    assert_eq!(h.execute(&mut p, with), Err(EditError::SameSpan(claim)));
    // Another label over the same text, or the same label over other
    // text, is a different span.
    let source = add_span(&mut p, &mut h, d, SOURCE, (1, 28));
    add_span(&mut p, &mut h, d, CLAIM, (1, 27));
    // Retagging onto a twin is refused too.
    assert_eq!(
        h.execute(&mut p, Command::RetagSpan(source, LabelId(CLAIM.into()))),
        Err(EditError::SameSpan(claim))
    );
    assert!(p.duplicate_spans().is_empty());
    // An import may still bring twins in (as real corpora have them):
    // they are found and reported.
    let twin = Span {
        id: SpanId(p.next_ids().span),
        ..p.span(claim).unwrap().clone()
    };
    let twin_id = twin.id;
    h.execute(
        &mut p,
        Command::Edits("import".into(), vec![Edit::InsertSpan(twin)]),
    )
    .unwrap();
    assert_eq!(p.duplicate_spans(), vec![(twin_id, claim)]);
    let lint = p.lint();
    assert!(
        lint.iter().any(|w| w.location == format!("span {twin_id}")
            && w.message.contains(&format!("duplicate of span {claim}"))),
        "{lint:?}"
    );
}

#[test]
fn event_arguments_are_replaced_checked_and_undone() {
    let (mut p, mut h) = (Project::new("p"), History::new());
    let d = add_doc(&mut p, &mut h, TEXTS[0]);
    let cue = add_span(&mut p, &mut h, d, CLAIM, (1, 5));
    let src = add_span(&mut p, &mut h, d, SOURCE, (10, 20));
    let add_event = |p: &mut Project, h: &mut History, args: Vec<(String, Target)>| {
        h.execute(
            p,
            Command::AddEvent {
                kind: "Attribution".into(),
                trigger: cue,
                args,
                attrs: Default::default(),
            },
        )
        .unwrap()
        .events[0]
    };
    let e1 = add_event(&mut p, &mut h, vec![]);
    let e2 = add_event(&mut p, &mut h, vec![("Inner".into(), Target::Event(e1))]);
    let args = vec![("Source".into(), Target::Span(src))];
    h.execute(&mut p, Command::SetEventArgs(e1, args.clone()))
        .unwrap();
    assert_eq!(p.event(e1).unwrap().args, args);
    assert!(p.events_of(src).any(|e| e.id == e1), "the index follows");
    // No cycles, no self reference, no missing span, roles one word.
    for bad in [
        vec![("Outer".to_string(), Target::Event(e2))],
        vec![("Me".to_string(), Target::Event(e1))],
        vec![("Gone".to_string(), Target::Span(SpanId(999)))],
        vec![("two words".to_string(), Target::Span(src))],
    ] {
        let before = p.clone();
        assert!(h.execute(&mut p, Command::SetEventArgs(e1, bad)).is_err());
        assert_eq!(p, before);
    }
    h.undo(&mut p).unwrap();
    assert!(p.event(e1).unwrap().args.is_empty());
    assert!(!p.events_of(src).any(|e| e.id == e1));
}
