use super::*;
use crate::model::{
    Attribution, Command, Edit, Event, EventId, History, Label, LabelId, Rgb, SourceEntry, registry,
};

const TEXT: &str = "Prices rose 20%, a source said. \
Kim Jong Un said exports grew. \
Sources said 300 workers left. \
Rice cost 5,000 won.";

fn tag(p: &mut Project, h: &mut History, doc: DocId, label: &str, quote: &str) -> SpanId {
    let text = p.document(doc).unwrap().text.as_str().to_string();
    let byte = text.find(quote).unwrap();
    let start = text[..byte].chars().count();
    let end = start + quote.chars().count();
    h.execute(
        p,
        Command::AddSpan {
            doc,
            label: LabelId(label.into()),
            start,
            end,
            note: None,
            created: "2026-01-01T00:00:00Z".into(),
        },
    )
    .unwrap()
    .spans[0]
}

fn link(p: &mut Project, h: &mut History, from: SpanId, to: SpanId) {
    h.execute(
        p,
        Command::AddLink {
            from,
            to,
            kind: "attributed_to".into(),
        },
    )
    .unwrap();
}

fn entry(
    p: &mut Project,
    h: &mut History,
    name: &str,
    i: Identification,
    k: SourceKind,
) -> SourceId {
    let (id, cmd) = registry::add(p, SourceEntry::new(SourceId(0), name, i, k));
    h.execute(p, cmd).unwrap();
    id
}

/// The sample of the module's definitions: one claim per support class.
fn project() -> (Project, Vec<SpanId>) {
    let mut p = Project::new("t");
    let mut h = History::new();
    let doc = h
        .execute(
            &mut p,
            Command::AddDocument {
                title: "a".into(),
                origin: None,
                text: TEXT.into(),
            },
        )
        .unwrap()
        .documents[0];
    let c1 = tag(&mut p, &mut h, doc, "claim", "Prices rose 20%");
    let f1 = tag(&mut p, &mut h, doc, "figure", "20%");
    let s1 = tag(&mut p, &mut h, doc, "source", "a source");
    let c2 = tag(&mut p, &mut h, doc, "claim", "exports grew");
    let s2 = tag(&mut p, &mut h, doc, "source", "Kim Jong Un");
    let c3 = tag(&mut p, &mut h, doc, "claim", "300 workers left");
    let s3 = tag(&mut p, &mut h, doc, "source", "Sources");
    let f2 = tag(&mut p, &mut h, doc, "figure", "5,000 won");
    let c4 = tag(&mut p, &mut h, doc, "claim", "Rice cost 5,000 won");
    link(&mut p, &mut h, c1, s1);
    link(&mut p, &mut h, f1, s1);
    link(&mut p, &mut h, c2, s2);
    link(&mut p, &mut h, c3, s3);
    link(&mut p, &mut h, c3, s1);
    let anon = entry(
        &mut p,
        &mut h,
        "a source",
        Identification::Anonymous,
        SourceKind::Other,
    );
    let kim = entry(
        &mut p,
        &mut h,
        "Kim Jong Un",
        Identification::Named,
        SourceKind::Official,
    );
    for (s, e) in [(s1, anon), (s2, kim), (s3, anon)] {
        let cmd = registry::assign(&p, s, Some(e));
        h.execute(&mut p, cmd).unwrap();
    }
    (p, vec![c1, f1, s1, c2, s2, c3, s3, f2, c4])
}

#[test]
fn counts_follow_the_definitions() {
    let (p, ids) = project();
    let a = analyse(&p);
    let t = &a.totals;
    assert_eq!((t.claims, t.figures), (4, 2));
    // c4 has no source; c1 and c3 rest only on the anonymous entry.
    assert_eq!(t.unsourced, 1);
    assert_eq!(t.anonymous_only, 2);
    // c1 (one entry), c2 (Kim), c3 (s3 and s1 are the same entry).
    assert_eq!(t.single_source, 3);
    assert_eq!(t.distinct_sources, 2);
    assert_eq!(t.kinds.get(&SourceKind::Official), Some(&1));
    assert_eq!(t.support.get(&Support::Named), Some(&1));
    assert_eq!(t.support.get(&Support::Anonymous), Some(&2));
    assert_eq!(bucket(t.distinct_sources), "2–3");
    // The anonymous entry is the top source: 2 claims, 1 figure, 2 mentions.
    let top = &a.sources[0];
    assert_eq!(top.claims, vec![ids[0], ids[5]]);
    assert_eq!(top.figures, vec![ids[1]]);
    assert_eq!(top.mentions.len(), 2);
    let checks: Vec<&str> = a.findings().map(|f| f.check.as_str()).collect();
    assert_eq!(
        checks,
        [
            "first_claim_anonymous",
            "anonymous_support",
            "bare_source",
            "bare_source",
            "plural_one_entry",
            "anonymous_support",
            "unsourced_figure",
        ]
    );
}

#[test]
fn an_unassigned_source_span_is_its_own_source() {
    let (mut p, ids) = project();
    p.apply(Edit::SetMention(ids[2], None)).unwrap();
    let a = analyse(&p);
    // c3 now rests on the anonymous entry (s3) and on s1 unassigned: two.
    let c3 = a.articles[0]
        .claims
        .iter()
        .find(|c| c.span == ids[5])
        .unwrap();
    assert_eq!(c3.sources.len(), 2);
    assert_eq!(c3.support, Support::Unassigned);
    assert_eq!(a.totals.single_source, 2);
    assert_eq!(a.totals.anonymous_only, 0);
}

#[test]
fn attribution_events_count_as_polnear_defines_them() {
    let labels = ["Source", "Cue", "Content"]
        .iter()
        .map(|l| Label::new(LabelId((*l).into()), l, Rgb(1, 2, 3), None))
        .collect();
    let mut p = Project::with_schema("polnear", labels, Vec::new());
    let mut h = History::new();
    let doc = h
        .execute(
            &mut p,
            Command::AddDocument {
                title: "a".into(),
                origin: None,
                text: "Officials said the plant closed. The road is shut, it was reported.".into(),
            },
        )
        .unwrap()
        .documents[0];
    let src = tag(&mut p, &mut h, doc, "Source", "Officials");
    let cue = tag(&mut p, &mut h, doc, "Cue", "said");
    let content = tag(&mut p, &mut h, doc, "Content", "the plant closed");
    let cue2 = tag(&mut p, &mut h, doc, "Cue", "it was reported");
    let content2 = tag(&mut p, &mut h, doc, "Content", "The road is shut");
    for (id, kind, trigger, args) in [
        (
            1,
            "Attribution",
            cue,
            vec![("Source", src), ("Cue", cue), ("Content", content)],
        ),
        (
            2,
            "Attribution-no-source",
            cue2,
            vec![("Cue", cue2), ("Content", content2)],
        ),
    ] {
        p.apply(Edit::InsertEvent(Event {
            id: EventId(id),
            kind: kind.into(),
            trigger,
            args: args
                .into_iter()
                .map(|(r, s)| (r.to_string(), Target::Span(s)))
                .collect(),
            attrs: Default::default(),
        }))
        .unwrap();
    }
    // Nothing is a claim until the schema says which relations attribute.
    assert_eq!(analyse(&p).totals.claims, 0);
    let sourcing = p
        .sourcing()
        .clone()
        .with_attribution(Attribution {
            relation: "Attribution".into(),
            content: Some("Content".into()),
            source: Some("Source".into()),
        })
        .with_attribution(Attribution {
            relation: "Attribution-no-source".into(),
            content: Some("Content".into()),
            source: None,
        });
    p.apply(Edit::SetSourcing(sourcing)).unwrap();
    let a = analyse(&p);
    assert_eq!(a.totals.claims, 2);
    assert_eq!(a.totals.unsourced, 1, "the no-source attribution");
    assert_eq!(a.articles[0].claims[1].span, content2);
    assert_eq!(a.articles[0].claims[1].support, Support::Unsourced);
    assert_eq!(a.articles[0].mentions, vec![(src, None)]);
    assert_eq!(a.totals.support.get(&Support::Unassigned), Some(&1));
}

#[test]
fn the_cache_redoes_only_touched_articles_and_matches_a_full_analysis() {
    let (mut p, ids) = project();
    let mut h = History::new();
    h.execute(
        &mut p,
        Command::AddDocument {
            title: "b".into(),
            origin: None,
            text: "Officials said nothing.".into(),
        },
    )
    .unwrap();
    let mut cache = Cache::default();
    let all = std::time::Duration::from_secs(5);
    assert!(cache.refresh(&p, all).done());
    assert_eq!(*cache.analysis().unwrap(), analyse(&p));
    // A zero budget still analyses one stale article per call.
    let link = p.links_of(ids[5]).next().unwrap().id;
    h.execute(&mut p, Command::RemoveLink(link)).unwrap();
    let f = cache.refresh(&p, std::time::Duration::ZERO);
    assert!(f.done(), "only article 1 was stale: {f:?}");
    assert_eq!(*cache.analysis().unwrap(), analyse(&p));
    // A registry edit makes every article stale.
    let entry = p.sources().next().unwrap().clone();
    let mut renamed = entry.clone();
    renamed.identification = Identification::Named;
    let cmd = registry::update(&p, renamed).unwrap();
    h.execute(&mut p, cmd).unwrap();
    let f = cache.refresh(&p, std::time::Duration::ZERO);
    assert_eq!((f.fresh, f.total), (1, 2));
    assert_ne!(*cache.analysis().unwrap(), analyse(&p), "still the old one");
    assert!(cache.refresh(&p, std::time::Duration::ZERO).done());
    assert_eq!(*cache.analysis().unwrap(), analyse(&p));
}
