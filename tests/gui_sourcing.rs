//! Sourcing in the real app: assigning sources by keyboard (W), the
//! Sources window's merge and split, and the Sourcing view's charts, whose
//! bars list their spans and jump to them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::analysis::sourcing::{Support, analyse};
use marginalia::model::{DocId, Identification, SourceId, SpanId};
use marginalia::ui::commands::UiCommand;
use marginalia::ui::modals::{Modal, SOURCE_FIELD_LABEL};

fn open_sample() -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, marginalia::ui::App>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    (dir, h)
}

fn type_in_picker(h: &mut egui_kittest::Harness<'_, marginalia::ui::App>, text: &str) {
    h.get_by_label(SOURCE_FIELD_LABEL).type_text(text);
    h.step();
    h.step();
}

#[test]
fn sources_are_assigned_by_keyboard_each_in_one_undo_step() {
    let (_dir, mut h) = open_sample();
    // Span 5 ("a China-based source told Daily NK on Wednesday") mentions
    // entry 1; take that away, then give it back by keyboard.
    run(
        &mut h,
        UiCommand::AssignSource {
            span: SpanId(5),
            source: None,
        },
    );
    assert_eq!(project(&h).mention(SpanId(5)), None);
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(5))));
    press(&mut h, Modifiers::NONE, Key::W);
    assert!(matches!(h.state().modal, Some(Modal::SourcePicker(_))));
    type_in_picker(&mut h, "china-based source (quar");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().modal.is_none(), "Enter assigns and closes");
    assert_eq!(project(&h).mention(SpanId(5)), Some(SourceId(1)));

    // A name nobody has: "new source" is highlighted; Enter makes it.
    let before = project(&h);
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(17))));
    press(&mut h, Modifiers::NONE, Key::W);
    type_in_picker(&mut h, "Kim Jong Un");
    // The identification and kind of a new source come from its words.
    press(&mut h, Modifiers::NONE, Key::Enter);
    let p = project(&h);
    let id = p.mention(SpanId(17)).expect("assigned");
    let e = p.source(id).unwrap();
    assert_eq!(e.name, "Kim Jong Un");
    assert_eq!(e.identification, Identification::Named);
    assert_eq!(p.sources().len(), before.sources().len() + 1);
    // One undo takes both the entry and the assignment back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), before);

    // Down moves through the list; Esc changes nothing.
    press(&mut h, Modifiers::NONE, Key::W);
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().modal.is_none());
    assert_eq!(project(&h), before);

    // A claim is not a source: W says what to do instead.
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(3))));
    press(&mut h, Modifiers::NONE, Key::W);
    assert!(h.state().modal.is_none());
    h.get_by_label_contains("Select a source attribution span first");
}

#[test]
fn the_picker_suggests_the_source_the_wording_refers_to() {
    let (_dir, mut h) = open_sample();
    // Span 17 ("the source said", article 1) refers back to "one source in
    // China": cleared, the picker offers the article's earlier sources
    // with "source" in their name, most recent first.
    run(
        &mut h,
        UiCommand::AssignSource {
            span: SpanId(17),
            source: None,
        },
    );
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(17))));
    press(&mut h, Modifiers::NONE, Key::W);
    h.get_by_label_contains("(suggested)");
    // Enter takes the suggestion (not "new source").
    press(&mut h, Modifiers::NONE, Key::Enter);
    let p = project(&h);
    let e = p.source(p.mention(SpanId(17)).unwrap()).unwrap();
    assert_eq!(e.name, "a source in China (industrial accident)");
}

#[test]
fn the_sources_window_merges_and_splits_as_one_step_each() {
    let (_dir, mut h) = open_sample();
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::U);
    h.get_by_label(marginalia::ui::panels::SOURCES_FILTER_LABEL);
    let before = project(&h);
    // Entries 9 ("one source") and 11 ("a source") of the surveillance
    // article: the analyst decides they are one person.
    run(
        &mut h,
        UiCommand::MergeSources {
            from: SourceId(11),
            into: SourceId(9),
        },
    );
    let p = project(&h);
    assert!(p.source(SourceId(11)).is_none());
    assert_eq!(p.mentions().filter(|(_, e)| *e == SourceId(9)).count(), 5);
    h.get_by_label_contains("Merged “a source (surveillance)” into “one source (surveillance)”");
    // The window shows the kept entry with its five mentions.
    h.get_by_label_contains("5 mention(s)");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), before);

    // Split one mention off entry 9.
    let first = before
        .mentions()
        .find(|(_, e)| *e == SourceId(9))
        .unwrap()
        .0;
    run(
        &mut h,
        UiCommand::SplitSource {
            source: SourceId(9),
            spans: vec![first],
            name: "the restaurant source".into(),
        },
    );
    let p = project(&h);
    let new = p.mention(first).unwrap();
    assert_ne!(new, SourceId(9));
    assert_eq!(p.source(new).unwrap().name, "the restaurant source");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), before);
    // Clicking a mention in the window jumps to it.
    h.get_by_label("one source (surveillance) (4)").click();
    h.step();
    h.get_by_label_contains("“one source explained”").click();
    h.step();
    h.step();
    assert_eq!(selected(&h), Some(first));
    // A rename, then undo: the window's fields follow the project.
    let draft_name = |h: &egui_kittest::Harness<'_, marginalia::ui::App>| {
        let w = h
            .state()
            .ws
            .as_ref()
            .unwrap()
            .sources_window
            .as_ref()
            .unwrap();
        w.draft.as_ref().unwrap().entry.name.clone()
    };
    let mut renamed = before.source(SourceId(9)).unwrap().clone();
    renamed.name = "a restaurant insider".into();
    run(&mut h, UiCommand::UpdateSource(Box::new(renamed)));
    assert_eq!(draft_name(&h), "a restaurant insider");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(draft_name(&h), "one source (surveillance)");
}

#[test]
fn a_bar_of_the_sourcing_view_lists_its_claims_and_each_jumps() {
    let (_dir, mut h) = open_sample();
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    step_until(&mut h, "the analysis", |a| {
        a.ws.as_ref()
            .and_then(|w| w.sourcing_window.as_ref())
            .is_some_and(|s| s.cache.analysis().is_some())
    });
    let p = project(&h);
    let a = analyse(&p);
    let article = a.article(DocId(2)).unwrap();
    let anonymous: Vec<SpanId> = article
        .claims
        .iter()
        .filter(|c| !c.figure && c.support == Support::Anonymous)
        .map(|c| c.span)
        .collect();
    assert!(
        anonymous.len() > 2,
        "the sample's second article leans on anonymous sources"
    );
    // The article's bar: click the middle of its anonymous-only segment.
    let title = p.document(DocId(2)).unwrap().title.clone();
    let label = format!("{title}: ");
    let rect = h.get_by_label_contains(&label).rect();
    let most = a.articles.iter().map(|r| r.counts.claims).max().unwrap() as f32;
    let n = |s: Support| article.counts.support.get(&s).copied().unwrap_or(0) as f32;
    let before = n(Support::Named) + n(Support::Described);
    let x = rect.left() + (before + n(Support::Anonymous) / 2.0) * rect.width() / most;
    click_at(&mut h, egui::pos2(x, rect.center().y));
    h.get_by_label_contains(&format!("Claims, anonymous-only: {}", anonymous.len()));
    // Each listed claim jumps to its span.
    for id in anonymous.iter().take(3) {
        let s = p.span(*id).unwrap();
        let quote = s.quote(&p.document(s.doc).unwrap().text);
        let head: String = quote.chars().take(20).collect();
        let listed = format!("“{head}");
        h.query_all_by_label_contains(&listed)
            .find(|n| {
                n.accesskit_node()
                    .label()
                    .is_some_and(|l| l.contains(" — "))
            })
            .expect("the claim in the list")
            .click();
        h.step();
        h.step();
        assert_eq!(selected(&h), Some(*id));
        assert_eq!(h.state().ws.as_ref().unwrap().current, Some(DocId(2)));
    }
    // An edit shows in the view within a few frames: unassign the first
    // claim's source span; that claim leaves the anonymous-only list.
    let src = p
        .links_of(anonymous[0])
        .find(|l| l.from == anonymous[0])
        .unwrap()
        .to;
    run(&mut h, UiCommand::RemoveSpan(src));
    step_until(&mut h, "the view to update", |app| {
        let w = app.ws.as_ref().unwrap().sourcing_window.as_ref().unwrap();
        w.cache.analysis().is_some_and(|a| {
            a.article(DocId(2)).is_some_and(|r| {
                !r.claims
                    .iter()
                    .any(|c| c.span == anonymous[0] && c.support == Support::Anonymous)
            })
        })
    });
    // The findings list jumps too.
    // (Below the charts, out of sight: clicked through the accessibility
    // tree, as a screen reader would.)
    h.get_by_label_contains("Figure with no source")
        .click_accesskit();
    h.step();
    h.step();
    h.query_all_by_label_contains("has no source")
        .next()
        .expect("the findings")
        .click();
    h.step();
    h.step();
    let chosen = selected(&h).unwrap();
    assert_eq!(project(&h).span(chosen).unwrap().label.as_str(), "figure");
}
