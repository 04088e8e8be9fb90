//! Article → Replace text… in the real app: a corrected version of the
//! sample article replaces its text, the spans follow, the orphan is
//! listed, re-attached by selection and R, discarded, and all of it undoes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::{DocId, SpanId};
use marginalia::ui::modals::REPLACE_BUTTON;
use std::path::{Path, PathBuf};

/// The sample's first article, corrected: an editor's note on top, the
/// sentence of claim 7 deleted, RMB 10 corrected to RMB 12, straight quotes.
fn corrected(root: &Path, p: &marginalia::model::Project) -> (PathBuf, String) {
    let old = p.document(DocId(1)).unwrap().text.as_str().to_string();
    let gone = p
        .span(SpanId(7))
        .unwrap()
        .quote(&p.document(DocId(1)).unwrap().text);
    assert_eq!(gone, "They’re still under quarantine");
    let new = format!(
        "Editor’s note: An earlier version of this article misstated a figure.\n\n{}",
        old.replace("“They’re still under quarantine.”", "")
            .replace("RMB 10", "RMB 12")
            .replace(['“', '”'], "\"")
    );
    // Saved with CRLF: the import rules apply.
    let path = root.join("corrected.txt");
    std::fs::write(&path, new.replace('\n', "\r\n")).unwrap();
    (path, new.replace("\r\n", "\n"))
}

#[test]
fn replacing_an_article_text_moves_spans_lists_the_orphan_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(file.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h);
    let (new_file, new_text) = corrected(dir.path(), &before);
    let links_of_7 = before.links_of(SpanId(7)).count();
    assert!(links_of_7 > 0);

    // Ctrl+Shift+R opens the dialog; type the path, Enter reads it.
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    h.get_by_label_contains("Replace the text of");
    let field = text_input(&h, Role::TextInput);
    field.focus();
    h.step();
    text_input(&h, Role::TextInput).type_text(new_file.to_str().unwrap());
    h.step();
    h.get_by_label("Read file").click();
    step_until(
        &mut h,
        "the plan",
        |a| matches!(&a.modal, Some(marginalia::ui::modals::Modal::Retext(m)) if m.plan.is_some()),
    );
    h.get_by_label_contains("1 orphaned");
    h.get_by_label_contains("• “They’re still under quarantine”");
    // Every corrected span is listed with its old and new text, and the
    // figure value read from it follows.
    assert_eq!(
        before
            .span(SpanId(37))
            .unwrap()
            .attrs
            .get("value")
            .map(String::as_str),
        Some("10")
    );
    h.get_by_label_contains("• #37 “RMB 10” → “RMB 12”; value 10 → 12");
    // The dialog grew: let it settle (a modal is centred again over two
    // frames) before clicking.
    for _ in 0..4 {
        h.step();
    }
    h.get_by_label(REPLACE_BUTTON).click();
    h.step();
    h.step();

    let p = project(&h);
    assert_eq!(
        p.span(SpanId(37))
            .unwrap()
            .attrs
            .get("value")
            .map(String::as_str),
        Some("12"),
        "the value read from the text follows it: {:?}",
        h.state().notices
    );
    let doc = p.document(DocId(1)).unwrap();
    assert_eq!(doc.text.as_str(), new_text, "normalised to LF");
    // The article's info names the file the text now comes from.
    let source = doc.source.as_ref().expect("the file's facts are kept");
    assert_eq!(source.file_name.as_deref(), Some("corrected.txt"));
    assert_eq!(source.sha256.as_deref().map(str::len), Some(64));
    // Every other span still covers its own text.
    for s in before.spans_in(DocId(1)).filter(|s| s.id != SpanId(7)) {
        let now = p.span(s.id).expect("placed");
        let old_quote = s.quote(&before.document(DocId(1)).unwrap().text);
        let new_quote = now.quote(&doc.text);
        let fold = |q: &str| q.replace(['“', '”'], "\"").replace("RMB 10", "RMB 12");
        assert_eq!(fold(&old_quote), new_quote, "span {}", s.id);
    }
    // The orphan is listed and keeps its link.
    let orphan = p.orphan(SpanId(7)).expect("orphan").clone();
    assert_eq!(orphan.links.len(), links_of_7);
    h.get_by_label_contains("Orphans (1)");
    h.get_by_label_contains("“They’re still under quarantine”");

    // Select the editor's note's first word and press R: re-attached with
    // its link.
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection {
        anchor: 0,
        head: 8,
        exact: false,
    });
    h.step();
    press(&mut h, Modifiers::NONE, Key::R);
    let p = project(&h);
    let back = p.span(SpanId(7)).expect("re-attached");
    assert_eq!((back.start, back.end), (0, 8));
    assert_eq!(p.links_of(SpanId(7)).count(), links_of_7);
    assert!(h.query_by_label_contains("Orphans (").is_none());

    // Undo: the orphan again. Discard it from the panel, undo that too.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(project(&h).orphan(SpanId(7)).is_some());
    h.get_by_label("Discard orphan").click();
    h.step();
    h.step();
    assert!(project(&h).orphan(SpanId(7)).is_none());
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(project(&h).orphan(SpanId(7)).is_some());

    // Save and reopen: the orphan is whole.
    press(&mut h, Modifiers::COMMAND, Key::S);
    step_until(&mut h, "saved", |a| {
        a.ws.as_ref().is_some_and(|w| !w.is_dirty())
    });
    let reopened = marginalia::store::load(&file).unwrap().project;
    assert_eq!(reopened.orphan(SpanId(7)), Some(&orphan));

    // One more undo takes the text back, with span 7 in place.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), before);
    let shown = view(&mut h).text().as_str().to_string();
    assert_eq!(
        shown,
        before.document(DocId(1)).unwrap().text.as_str(),
        "the view shows the old text again"
    );
}

#[test]
fn a_text_that_is_not_utf8_is_refused_in_the_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(sample_copy(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h);
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, damaged_utf8()).unwrap();
    run(&mut h, marginalia::ui::commands::UiCommand::ReplaceText);
    let field = text_input(&h, Role::TextInput);
    field.focus();
    h.step();
    text_input(&h, Role::TextInput).type_text(bad.to_str().unwrap());
    h.step();
    h.get_by_label("Read file").click();
    step_until(
        &mut h,
        "the error",
        |a| matches!(&a.modal, Some(marginalia::ui::modals::Modal::Retext(m)) if m.error.is_some()),
    );
    h.get_by_label_contains("UTF-8");
    assert_eq!(project(&h), before);
}
