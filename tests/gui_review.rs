//! The review panel in the real app: comparing with another version and
//! settling its disagreements by keyboard, and settling merge conflicts.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::{Command, History, LabelId, Project, SpanId};
use marginalia::ui::commands::UiCommand;
use marginalia::ui::panels::REVIEW_LABEL;
use std::path::Path;

fn save(p: &Project, path: &Path) {
    marginalia::store::save(p, path).unwrap();
}

#[test]
fn compare_steps_through_disagreements_and_settles_them_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = their_version(dir.path());
    let mut h = harness(options(dir.path(), Some(sample_copy(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h);
    run(&mut h, UiCommand::AskCompare);
    type_path(&mut h, &theirs);
    h.step();
    h.get_by_label(REVIEW_LABEL);
    h.get_by_label_contains("Agreement");
    // Span 2 is extra here (theirs deleted it), span 3 has another label.
    h.get_by_label_contains("Extra here");
    h.get_by_label_contains("Different label: ours Claim, theirs Figure");
    assert_eq!(selected(&h), Some(SpanId(2)), "the first item is shown");
    // T on "extra" takes theirs: span 2 goes.
    press(&mut h, Modifiers::NONE, Key::T);
    assert!(project(&h).span(SpanId(2)).is_none());
    // The label difference moved up under the cursor; T retags span 3.
    assert_eq!(selected(&h), Some(SpanId(3)));
    press(&mut h, Modifiers::NONE, Key::T);
    assert_eq!(
        project(&h).span(SpanId(3)).unwrap().label.as_str(),
        "figure"
    );
    // Both were undoable, one step each.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), before);
    // O keeps ours: nothing changes and the item leaves the list.
    let items = h.state_mut().ws.as_mut().unwrap().review_items().len();
    press(&mut h, Modifiers::NONE, Key::O);
    assert_eq!(project(&h), before);
    assert_eq!(
        h.state_mut().ws.as_mut().unwrap().review_items().len(),
        items - 1
    );
    run(&mut h, UiCommand::EndCompare);
    assert!(h.query_by_label(REVIEW_LABEL).is_none());
}

#[test]
fn merge_conflicts_are_listed_and_settled_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let base = marginalia::store::load(&sample_copy(dir.path()))
        .unwrap()
        .project;
    let retag = |label: &str| {
        let mut p = base.clone();
        History::new()
            .execute(&mut p, Command::RetagSpan(SpanId(3), LabelId(label.into())))
            .unwrap();
        p
    };
    let merged = marginalia::team::merge::merge(&base, &retag("source"), &retag("figure"));
    let path = dir.path().join("merged.ron");
    save(&merged.project, &path);
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    h.get_by_label(REVIEW_LABEL);
    h.get_by_label_contains("Conflict, span 3");
    let conflicted = project(&h);
    press(&mut h, Modifiers::NONE, Key::N);
    assert_eq!(selected(&h), Some(SpanId(3)));
    // B is refused for a conflict, with the reason; nothing changes.
    press(&mut h, Modifiers::NONE, Key::B);
    assert_eq!(project(&h), conflicted);
    press(&mut h, Modifiers::NONE, Key::T);
    let p = project(&h);
    assert_eq!(p.span(SpanId(3)).unwrap().label.as_str(), "figure");
    assert!(p.conflicts().is_empty());
    assert!(
        h.query_by_label(REVIEW_LABEL).is_none(),
        "nothing left to review"
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), conflicted, "undo brings the conflict back");
}

/// A three-article project, and another analyst's version of it: a label
/// changed in articles 1 and 3, article 2's text edited.
fn three_articles(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut p = Project::new("three");
    let mut h = History::new();
    for i in 1..=3 {
        h.execute(
            &mut p,
            Command::AddDocument {
                title: format!("Article {i}"),
                origin: None,
                text: format!("Story {i}: a source said 40 workers left."),
            },
        )
        .unwrap();
        for (start, end, label) in [(9, 24, "source"), (30, 32, "figure")] {
            h.execute(
                &mut p,
                Command::AddSpan {
                    doc: marginalia::model::DocId(i),
                    label: LabelId(label.into()),
                    start,
                    end,
                    note: None,
                    created: "2026-12-06T00:00:00Z".into(),
                },
            )
            .unwrap();
        }
    }
    let ours = root.join("ours.ron");
    save(&p, &ours);
    let figures: Vec<SpanId> = p
        .spans()
        .filter(|s| s.label.as_str() == "figure")
        .map(|s| s.id)
        .collect();
    for id in [figures[0], figures[2]] {
        h.execute(&mut p, Command::RetagSpan(id, LabelId("claim".into())))
            .unwrap();
    }
    let plan = marginalia::model::anchor::plan_retext(
        &p,
        marginalia::model::DocId(2),
        "Story 2: a source said 41 workers left.",
        &|_| {},
    )
    .unwrap();
    h.execute(&mut p, plan.command()).unwrap();
    let theirs = root.join("theirs.ron");
    save(&p, &theirs);
    (ours, theirs)
}

#[test]
fn review_walks_from_article_to_article_and_says_what_was_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = three_articles(dir.path());
    let mut h = harness(options(dir.path(), Some(ours)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::CompareWith(theirs.display().to_string()));
    h.step();
    let current = |h: &egui_kittest::Harness<'_, marginalia::ui::app::App>| {
        h.state().ws.as_ref().unwrap().current.unwrap().0
    };
    assert_eq!(current(&h), 1);
    // The article list says what is left where.
    let rows_saying = |h: &egui_kittest::Harness<'_, marginalia::ui::app::App>, what: &str| {
        h.query_all_by_role(egui::accesskit::Role::ListItem)
            .filter(|n| format!("{n:?}").contains(what))
            .count()
    };
    assert_eq!(rows_saying(&h, "1 to review"), 2, "articles 1 and 3");
    assert_eq!(rows_saying(&h, "not compared, #2"), 1, "article 2");
    // N at the article's last disagreement goes on to article 3 (2 was not
    // compared), and says so.
    press(&mut h, Modifiers::NONE, Key::N);
    assert_eq!(current(&h), 3);
    h.get_by_label_contains("Article 3 of 3 (“Article 3”): 1 disagreement(s) to review");
    press(&mut h, Modifiers::SHIFT, Key::N);
    assert_eq!(current(&h), 1, "Shift+N goes back");
    // Article 2 says why it has nothing to review.
    run(&mut h, UiCommand::ShowDocument(marginalia::model::DocId(2)));
    h.get_by_label_contains("not compared: theirs.ron has it (article 2) with a different text");
    // Settled everywhere, N says there is nothing left.
    for doc in [1, 3] {
        run(
            &mut h,
            UiCommand::ShowDocument(marginalia::model::DocId(doc)),
        );
        run(&mut h, UiCommand::ReviewSelect(0));
        press(&mut h, Modifiers::NONE, Key::O);
    }
    press(&mut h, Modifiers::NONE, Key::N);
    h.get_by_label_contains("No disagreements left in any compared article");
}
