//! Find and suggestions in the real app, driven by keys.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::{LabelId, Project};
use marginalia::ui::commands::UiCommand;
use std::path::{Path, PathBuf};

/// A new project holding the second sample article, untagged.
fn untagged_sample(root: &Path) -> PathBuf {
    let text = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects/articles/nk-workers-china-surveillance.txt");
    let raw = std::fs::read_to_string(&text).unwrap();
    let mut p = Project::new("untagged");
    marginalia::model::History::new()
        .execute(
            &mut p,
            marginalia::model::Command::AddDocument {
                title: "surveillance".into(),
                origin: None,
                text: marginalia::model::text::normalize_newlines(&raw).into_owned(),
            },
        )
        .unwrap();
    let path = root.join("untagged.ron");
    marginalia::store::save(&p, &path).unwrap();
    path
}

#[test]
fn find_jumps_through_matches_and_tags_them_all_in_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(sample_copy(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h);
    press(&mut h, Modifiers::COMMAND, Key::F);
    text_field(&h).type_text("daily nk");
    h.step();
    h.step();
    h.get_by_label("All articles").click();
    h.step();
    h.step();
    assert!(h.query_all_by_label_contains("12 matches").count() >= 1);
    press(&mut h, Modifiers::NONE, Key::F3);
    press(&mut h, Modifiers::NONE, Key::F3);
    assert!(h.query_all_by_label_contains("2 of 12").count() >= 1);
    press(&mut h, Modifiers::SHIFT, Key::F3);
    assert!(h.query_all_by_label_contains("1 of 12").count() >= 1);
    // The match is the text selection, scrolled to.
    let sel = selection(&mut h).unwrap();
    let doc = h.state().ws.as_ref().unwrap().current.unwrap();
    let text = project(&h)
        .document(doc)
        .unwrap()
        .text
        .slice(sel)
        .to_string();
    assert_eq!(text, "Daily NK");
    run(&mut h, UiCommand::TagAllMatches(LabelId("source".into())));
    let after = project(&h);
    let tagged = after
        .spans()
        .filter(|s| s.label.as_str() == "source")
        .count()
        - before
            .spans()
            .filter(|s| s.label.as_str() == "source")
            .count();
    // Matches inside a source attribution ("… told Daily NK") are tagged
    // already; the rest get a span each.
    let matches = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .find
        .as_ref()
        .unwrap()
        .matches
        .clone();
    let inside = matches
        .iter()
        .filter(|m| {
            before
                .spans_overlapping(m.doc, m.start..m.end)
                .iter()
                .any(|s| s.label.as_str() == "source" && s.start <= m.start && m.end <= s.end)
        })
        .count();
    assert!(inside > 0 && inside < 12, "{inside}");
    assert_eq!(tagged, 12 - inside);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), before, "one undo step");
    // A regex that does not compile says so inline.
    h.get_by_label(".*").click();
    h.step();
    text_field(&h).focus();
    h.step();
    text_field(&h).type_text("(");
    h.step();
    h.step();
    let f = h.state().ws.as_ref().unwrap().find.as_ref().unwrap();
    assert!(
        f.error.as_deref().is_some_and(|e| e.contains("unclosed")),
        "{:?} {:?}",
        f.query,
        f.error
    );
    assert!(h.query_all_by_label_contains("unclosed").count() >= 1);
}

#[test]
fn suggestion_keys_tag_an_untagged_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(untagged_sample(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    h.step();
    assert!(h.query_all_by_label_contains("suggestion(s)").count() >= 1);
    // The first A goes to the first suggestion; each further A accepts one.
    press(&mut h, Modifiers::NONE, Key::A);
    assert_eq!(project(&h).spans().len(), 0);
    for _ in 0..14 {
        press(&mut h, Modifiers::NONE, Key::A);
    }
    let p = project(&h);
    assert_eq!(p.spans().len(), 14, "one key per accepted suggestion");
    assert!(p.spans().any(|s| s.label.as_str() == "source"));
    let figure = p
        .spans()
        .find(|s| s.attrs.contains_key("unit"))
        .expect("a figure with its unit");
    assert_eq!(figure.label.as_str(), "figure");
    assert!(figure.attrs.contains_key("value"), "{:?}", figure.attrs);
    // X rejects and remembers it; undo forgets it.
    press(&mut h, Modifiers::NONE, Key::X);
    assert_eq!(project(&h).rejected().len(), 1);
    assert_eq!(project(&h).spans().len(), 14);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(project(&h).rejected().is_empty());
    // Shift+A accepts every pending one of the current rule.
    press(&mut h, Modifiers::NONE, Key::G);
    let rule_spans = project(&h).spans().len();
    press(&mut h, Modifiers::SHIFT, Key::A);
    assert!(project(&h).spans().len() > rule_spans);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h).spans().len(), rule_spans);
}

#[test]
fn more_like_this_suggests_a_spans_text_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(untagged_sample(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let doc = h.state().ws.as_ref().unwrap().current.unwrap();
    let text = project(&h).document(doc).unwrap().text.as_str().to_string();
    let at = text.chars().collect::<String>().find("COVID-19").unwrap();
    let start = text[..at].chars().count();
    run(
        &mut h,
        UiCommand::TagRange {
            doc,
            label: LabelId("claim".into()),
            start,
            end: start + "COVID-19".len(),
        },
    );
    press(&mut h, Modifiers::NONE, Key::M);
    let p = project(&h);
    assert_eq!(p.patterns().len(), 1);
    assert_eq!(p.patterns()[0].text, "COVID-19");
    let more = marginalia::assist::suggest::suggest(&p, doc)
        .into_iter()
        .filter(|s| s.rule == "pattern: COVID-19")
        .count();
    assert!(more >= 1, "its other occurrences are suggested");
}

/// The find bar keeps its layout as the count and the label change (a
/// click meant for "Tag all" must not land on the dropdown), says "1
/// match", and Esc closes it when the keyboard is elsewhere.
#[test]
fn the_find_bar_stays_put_counts_in_the_singular_and_esc_closes_it_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(sample_copy(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    press(&mut h, Modifiers::COMMAND, Key::F);
    text_field(&h).type_text("daily nk");
    h.step();
    h.step();
    h.get_by_label("All articles").click();
    h.step();
    h.step();
    assert!(h.query_all_by_label_contains("12 matches").count() >= 1);
    let before = h.get_by_label("Tag all").rect();
    press(&mut h, Modifiers::NONE, Key::F3);
    assert!(h.query_all_by_label_contains("1 of 12").count() >= 1);
    assert_eq!(
        h.get_by_label("Tag all").rect(),
        before,
        "the count moved it"
    );
    h.state_mut()
        .ws
        .as_mut()
        .unwrap()
        .find
        .as_mut()
        .unwrap()
        .tag_label = Some(LabelId("source".into()));
    h.step();
    h.step();
    assert_eq!(
        h.get_by_label("Tag all").rect(),
        before,
        "the label moved it"
    );
    // One match: singular.
    let f = h.state_mut().ws.as_mut().unwrap().find.as_mut().unwrap();
    f.query.pattern = "surveillance of the workers to prevent".into();
    run(&mut h, UiCommand::FindChanged);
    assert!(h.query_all_by_label("1 match").count() >= 1);
    assert_eq!(h.query_all_by_label_contains("1 matches").count(), 0);
    // The keyboard leaves the field (a click in the text); Esc still
    // closes the bar, and only the bar.
    let at = char_pos(&mut h, 10);
    click_at(&mut h, at);
    assert!(!h.ctx.memory(|m| m.focused().is_some()) || !h.ctx.text_edit_focused());
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.state().ws.as_ref().unwrap().find.is_none(),
        "Esc left the find bar open"
    );
}
