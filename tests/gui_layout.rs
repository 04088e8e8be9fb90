//! The workbench in small windows: side panels shrink, then fold, before
//! the text column does; the review panel shares the right-hand column;
//! the status bar never runs under "Saved". And Save as into another
//! folder keeps the articles' file paths pointing at their files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::{Command, History, Label, LabelId, Rgb};
use marginalia::ui::commands::UiCommand;
use marginalia::ui::panels::{MIN_TEXT, REVIEW_LABEL, UNFOLD_ARTICLES_LABEL, UNFOLD_RIGHT_LABEL};
use marginalia::ui::text_view::TEXT_VIEW_LABEL;
use std::path::{Path, PathBuf};

/// The spans panel's heading.
const SPANS_HEADING: &str = "Spans";

fn text_width(h: &egui_kittest::Harness<'_, marginalia::ui::app::App>) -> f32 {
    h.get_by_label(TEXT_VIEW_LABEL).rect().width()
}

#[test]
fn comparing_in_a_small_window_keeps_a_readable_text_column() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = their_version(dir.path());
    let mut h = harness_sized(
        options(dir.path(), Some(sample_copy(dir.path()))),
        [1000.0, 700.0],
    );
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::CompareWith(theirs.display().to_string()));
    h.step();
    // Review and spans share the right-hand column; the article list stays.
    h.get_by_label(REVIEW_LABEL);
    h.get_by_label(SPANS_HEADING);
    h.get_by_label("Articles");
    let review = h.get_by_label(REVIEW_LABEL).rect();
    let spans = h.get_by_label(SPANS_HEADING).rect();
    assert!(
        (review.center().x - spans.center().x).abs() < 60.0 && review.bottom() <= spans.top(),
        "review {review:?} above the span list {spans:?}"
    );
    // The text keeps its room (the margins take a little).
    let width = text_width(&h);
    assert!(
        width >= MIN_TEXT - 40.0,
        "text column {width} px at 1000×700"
    );
}

#[test]
fn a_narrow_window_folds_the_article_list_first_and_it_can_be_unfolded() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(
        options(dir.path(), Some(sample_copy(dir.path()))),
        [780.0, 700.0],
    );
    step_until(&mut h, "open", |a| a.ws.is_some());
    assert!(h.query_by_label("Articles").is_none(), "the list is folded");
    assert!(h.query_by_label(UNFOLD_RIGHT_LABEL).is_none());
    h.get_by_label(SPANS_HEADING);
    assert!(text_width(&h) >= MIN_TEXT - 40.0);
    h.get_by_label(UNFOLD_ARTICLES_LABEL).click();
    h.step();
    h.step();
    // The user's choice wins: the list is open, the right column folds.
    h.get_by_label("Articles");
    h.get_by_label(UNFOLD_RIGHT_LABEL);
    assert!(h.query_by_label(SPANS_HEADING).is_none());
    assert!(text_width(&h) >= MIN_TEXT - 40.0);
}

#[test]
fn the_status_bar_is_cut_short_before_it_reaches_saved() {
    let dir = tempfile::tempdir().unwrap();
    // Ten more labels, each with a span in the first article.
    let path = sample_copy(dir.path());
    let mut p = marginalia::store::load(&path).unwrap().project;
    let mut history = History::new();
    let doc = p.documents().next().unwrap().id;
    for i in 0..10 {
        let id = LabelId(format!("extra{i}").into());
        let label = Label::new(
            id.clone(),
            &format!("Extra label {i}"),
            Rgb(90, 120, 200),
            None,
        );
        history.execute(&mut p, Command::AddLabel(label)).unwrap();
        let span = Command::AddSpan {
            doc,
            label: id,
            start: i,
            end: i + 1,
            note: None,
            created: "2026-01-01T00:00:00Z".into(),
        };
        history.execute(&mut p, span).unwrap();
    }
    marginalia::store::save(&p, &path).unwrap();
    let mut h = harness_sized(options(dir.path(), Some(path)), [720.0, 600.0]);
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::ShowDocument(doc));
    assert!(p.labels().len() >= 13);
    h.step();
    let saved = h.get_by_label("Saved").rect();
    // The status line (the label filter names the label too).
    let line = h
        .query_all_by_label_contains("Extra label 9")
        .map(|n| n.rect())
        .find(|r| r.top() > saved.top() - 4.0)
        .expect("the status line names the labels");
    assert!(
        line.right() <= saved.left(),
        "status line {line:?} runs under {saved:?}"
    );
}

/// The sample in `root/a`, its articles beside it in `root/a/articles`.
fn sample_with_articles(root: &Path) -> PathBuf {
    let a = root.join("a");
    std::fs::create_dir_all(a.join("articles")).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    for f in std::fs::read_dir(repo.join("articles")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, a.join("articles").join(f.file_name().unwrap())).unwrap();
    }
    let dst = a.join("sample.ron");
    std::fs::copy(repo.join("daily-nk-workers.ron"), &dst).unwrap();
    dst
}

fn origins(p: &marginalia::model::Project) -> Vec<String> {
    p.documents().filter_map(|d| d.origin.clone()).collect()
}

#[test]
fn save_as_into_another_folder_keeps_article_paths_pointing_at_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with_articles(dir.path());
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = origins(&project(&h));
    assert!(
        before.iter().all(|o| o.starts_with("articles/")),
        "{before:?}"
    );
    let target = dir.path().join("b/deep/moved.ron");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    run(&mut h, UiCommand::SaveAs);
    type_path(&mut h, &target);
    step_until(&mut h, "the save", |a| {
        a.notices.iter().any(|n| n.text.starts_with("Saved"))
    });
    // Said, and every path in the saved file leads to its file.
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text.contains("2 article file path(s) rewritten")),
        "{:?}",
        h.state().notices
    );
    let saved = marginalia::store::load(&target).unwrap().project;
    for o in origins(&saved) {
        assert!(o.starts_with("../../a/articles/"), "{o}");
        assert!(target.parent().unwrap().join(&o).is_file(), "{o}");
    }
    // One undo step puts them back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(origins(&project(&h)), before);
}

#[test]
fn a_failed_save_as_leaves_the_article_paths_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with_articles(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h);
    // A file where the folder should be: the save cannot succeed.
    std::fs::write(dir.path().join("blocked"), "x").unwrap();
    run(&mut h, UiCommand::SaveAs);
    type_path(&mut h, &dir.path().join("blocked/moved.ron"));
    step_until(&mut h, "the failure", |a| {
        a.notices.iter().any(|n| n.text.starts_with("Not saved"))
    });
    assert_eq!(project(&h), before);
}
