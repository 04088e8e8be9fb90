//! Real articles in, in the window: Add from URL… (the page fetched in the
//! background from a server on 127.0.0.1, progress shown, cancelling),
//! EPUB books per chapter or per book, and the encoding a text was read in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;
mod make;
mod web;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::ui::files::DialogPurpose;
use marginalia::ui::modals::{Modal, PER_BOOK, PER_CHAPTER, URL_LABEL};

fn open_url_dialog(h: &mut egui_kittest::Harness<'_, marginalia::ui::app::App>, url: &str) {
    press(h, Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    assert!(matches!(h.state().modal, Some(Modal::Url(_))));
    h.get_by_label(URL_LABEL).type_text(url);
    h.step();
}

#[test]
fn a_page_is_added_from_its_address() {
    let base = web::serve();
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(tiny_project(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h).documents().len();
    // Not an address: said in the dialog, which stays open.
    open_url_dialog(&mut h, "ftp://127.0.0.1/a.txt");
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(matches!(h.state().modal, Some(Modal::Url(_))));
    h.get_by_label_contains("Only http:// and https://");
    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(h.state().modal.is_none());
    // A page.
    open_url_dialog(&mut h, &format!("{base}/story"));
    h.key_press(Key::Enter);
    step_until(&mut h, "the page added", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.project.documents().len() == before + 1)
    });
    let p = project(&h);
    let ws = h.state().ws.as_ref().unwrap();
    let doc = p.document(ws.current.unwrap()).unwrap();
    assert_eq!(doc.title, "Rice prices climb again in border markets");
    let source = doc.source.as_ref().unwrap();
    assert_eq!(
        source.url.as_deref(),
        Some("https://ledger.example.org/2026/11/rice-prices")
    );
    assert_eq!(source.authors, ["Min-ji Park"]);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text.contains("Added 1 article(s)")),
        "{:?}",
        h.state().notices
    );
    // One undo step takes it out again.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h).documents().len(), before);
    // An error page is said, with its address, and adds nothing.
    open_url_dialog(&mut h, &format!("{base}/missing"));
    h.key_press(Key::Enter);
    step_until(&mut h, "the error", |a| {
        a.notices
            .iter()
            .any(|n| n.text.contains("HTTP 404 Not Found"))
    });
    assert_eq!(project(&h).documents().len(), before);
}

#[test]
fn a_slow_page_shows_its_progress_and_can_be_cancelled() {
    let base = web::serve();
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(tiny_project(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h).documents().len();
    open_url_dialog(&mut h, &format!("{base}/trickle"));
    h.get_by_label("Fetch").click();
    step_until(&mut h, "bytes arriving", |a| {
        a.job_progress()
            .and_then(|p| p.fetching)
            .is_some_and(|(got, total)| got > 0 && total.is_some())
    });
    h.get_by_label_contains("Fetching a page:");
    h.get_by_label("Cancel").click();
    step_until(&mut h, "cancelled", |a| {
        a.notices.iter().any(|n| n.text.contains("Cancelled"))
    });
    assert_eq!(project(&h).documents().len(), before);
}

#[test]
fn a_book_becomes_one_article_per_chapter_or_one_in_all() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("workers.epub");
    make::epub(&book);
    let mut h = harness(options(dir.path(), Some(tiny_project(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h).documents().len();
    let add = |h: &mut egui_kittest::Harness<'_, marginalia::ui::app::App>| {
        let ctx = h.ctx.clone();
        h.state_mut()
            .use_paths(&ctx, DialogPurpose::AddArticles, vec![book.clone()]);
        h.step();
        h.step();
        assert!(matches!(h.state().modal, Some(Modal::Epub(_))));
    };
    // Esc: nothing is added.
    add(&mut h);
    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(h.state().modal.is_none());
    // Per chapter (the default, Enter).
    add(&mut h);
    h.key_press(Key::Enter);
    step_until(&mut h, "chapters added", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.project.documents().len() == before + 2)
    });
    let p = project(&h);
    let titles: Vec<&str> = p
        .documents()
        .skip(before)
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(titles, ["NK Workers: Part one", "NK Workers: Part two"]);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h).documents().len(), before);
    // The whole book as one article.
    add(&mut h);
    h.get_by_label(PER_BOOK).click();
    step_until(&mut h, "the book added", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.project.documents().len() == before + 1)
    });
    let p = project(&h);
    let doc = p.documents().last().unwrap();
    assert_eq!(doc.title, "NK Workers");
    assert!(doc.text.as_str().contains("Part one") && doc.text.as_str().contains("Part two"));
    assert!(h.query_by_label(PER_CHAPTER).is_none());
}

#[test]
fn the_encoding_a_text_was_read_in_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("lettre.txt");
    // “Café” in Windows-1252, curly quotes and all.
    std::fs::write(
        &text,
        b"\x93Caf\xe9 cr\xe8me\x94, dit la source \xe0 Paris, co\xfbte 4,50 \x80.\n",
    )
    .unwrap();
    let mut h = harness(options(dir.path(), Some(tiny_project(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let ctx = h.ctx.clone();
    h.state_mut()
        .use_paths(&ctx, DialogPurpose::AddArticles, vec![text]);
    step_until(&mut h, "added", |a| {
        a.notices
            .iter()
            .any(|n| n.text.starts_with("Added 1 article(s)"))
    });
    let notice = h
        .state()
        .notices
        .iter()
        .find(|n| n.text.starts_with("Added"))
        .unwrap()
        .text
        .clone();
    assert!(notice.contains("(text read 1 as windows-1252)"), "{notice}");
    let p = project(&h);
    let doc = p.documents().last().unwrap();
    assert!(
        doc.text.as_str().starts_with("“Café crème”"),
        "{}",
        doc.text.as_str()
    );
    assert!(
        doc.text.as_str().contains("4,50 €"),
        "{}",
        doc.text.as_str()
    );
}
