//! The article info dialog: where an article came from, shown and
//! corrected in the window, one undo step.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::DocId;
use marginalia::ui::modals::{INFO_FIELDS, Modal};

#[test]
fn a_pages_source_is_shown_corrected_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        r#"<html lang="en"><head><title>Border trade resumes</title>
        <link rel="canonical" href="https://news.example/border">
        <meta name="author" content="Ana Kim"></head><body><article>
        <h1>Border trade resumes</h1>
        <p>Trucks crossed the bridge on Sunday, a China-based source told the paper, after weeks of closure at the crossing.</p>
        <p>Traders said prices of rice and corn fell sharply in the markets of Sinuiju the following day.</p>
        </article></body></html>"#,
    )
    .unwrap();
    let path = dir.path().join("p.ron");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["new", path.to_str().unwrap(), page.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    press(&mut h, Modifiers::COMMAND, Key::I);
    assert!(matches!(h.state().modal, Some(Modal::Info(_))));
    // What was read is shown.
    h.get_by_label("page.html");
    h.get_by_label("html");
    let url_field = || INFO_FIELDS[0];
    let field = h.get_by_label(url_field());
    assert_eq!(
        field.value().as_deref(),
        Some("https://news.example/border")
    );
    // The analyst corrects the URL and adds a second author.
    h.get_by_label(url_field()).focus();
    h.step();
    h.key_press(Key::End);
    h.step();
    h.get_by_label(url_field()).type_text("-2020");
    h.step();
    h.get_by_label(INFO_FIELDS[2]).focus();
    h.step();
    h.key_press(Key::End);
    h.step();
    h.get_by_label(INFO_FIELDS[2]).type_text(", Lee Min-ho");
    h.step();
    h.get_by_label("Save").click();
    h.step();
    h.step();
    assert!(h.state().modal.is_none());
    let source = |h: &egui_kittest::Harness<'_, marginalia::ui::app::App>| {
        project(h)
            .document(DocId(1))
            .unwrap()
            .source
            .clone()
            .unwrap()
    };
    let s = source(&h);
    assert_eq!(s.url.as_deref(), Some("https://news.example/border-2020"));
    assert_eq!(s.authors, ["Ana Kim", "Lee Min-ho"]);
    assert_eq!(s.format.as_deref(), Some("html"), "what was read stays");
    // One undo step takes the correction back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        source(&h).url.as_deref(),
        Some("https://news.example/border")
    );
}
