//! The flows around unsaved work that no other test walks: "Save" in the
//! unsaved-changes prompt before Quit, Close, Open and for an untitled
//! project; a save that fails while quitting; and crash recovery of work
//! that was never saved (a new project, a pasted article, the sample's
//! copy).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::model::SpanId;
use marginalia::ui::app::App;
use marginalia::ui::commands::UiCommand;
use marginalia::ui::modals::Modal;
use std::path::Path;

/// Deletes span 2 of the open project: an unsaved change.
fn edit(h: &mut Harness<'_, App>) {
    run(h, UiCommand::RemoveSpan(SpanId(2)));
    assert!(h.state().ws.as_ref().unwrap().is_dirty());
}

fn saved_spans(path: &Path) -> usize {
    marginalia::store::load(path).unwrap().project.spans().len()
}

/// Clicks a button of the open dialog once it has settled.
fn click(h: &mut Harness<'_, App>, label: &str) {
    for _ in 0..4 {
        h.step();
    }
    h.get_by_label(label).click();
    h.step();
    h.step();
}

#[test]
fn save_in_the_prompt_before_quit_close_and_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let spans = saved_spans(&path);

    // Quit: the prompt's Save writes the file, then the window closes.
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    edit(&mut h);
    press(&mut h, Modifiers::COMMAND, Key::Q);
    assert!(matches!(h.state().modal, Some(Modal::Unsaved(_))));
    assert!(!h.state().will_close(), "not before the answer");
    click(&mut h, "Save");
    step_until(&mut h, "the save, then the close", |a| a.will_close());
    assert_eq!(saved_spans(&path), spans - 1);

    // Close project: Save, then back to the start screen.
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::RemoveSpan(SpanId(3)));
    press(&mut h, Modifiers::COMMAND, Key::W);
    click(&mut h, "Save");
    step_until(&mut h, "the start screen", |a| a.ws.is_none());
    assert_eq!(saved_spans(&path), spans - 2);
    assert!(!h.state().will_close());

    // Open another project: Save this one first, then the other opens.
    let other = tiny_project(dir.path());
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::RemoveSpan(SpanId(4)));
    run(&mut h, UiCommand::OpenPath(other.clone()));
    assert!(matches!(h.state().modal, Some(Modal::Unsaved(_))));
    click(&mut h, "Save");
    step_until(&mut h, "the other project", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.path.as_deref() == Some(other.as_path()))
    });
    assert_eq!(saved_spans(&path), spans - 3);
}

#[test]
fn save_in_the_prompt_for_an_untitled_project_asks_where() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), None));
    h.step();
    run(
        &mut h,
        UiCommand::PasteText("A pasted article about 300 workers.".into()),
    );
    click(&mut h, "Add article");
    step_until(&mut h, "the article", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.project.documents().len() == 1)
    });
    assert!(h.state().ws.as_ref().unwrap().is_dirty());
    press(&mut h, Modifiers::COMMAND, Key::Q);
    click(&mut h, "Save");
    // No file yet: the path is asked for, then the save, then the close.
    assert!(matches!(h.state().modal, Some(Modal::TypedPath(_))));
    let target = dir.path().join("pasted.ron");
    type_path(&mut h, &target);
    step_until(&mut h, "the save, then the close", |a| a.will_close());
    let saved = marginalia::store::load(&target).unwrap().project;
    assert_eq!(saved.documents().len(), 1);
}

#[test]
fn a_save_that_fails_while_quitting_keeps_the_window_and_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    edit(&mut h);
    // The backup's place is taken by a non-empty folder: the save fails,
    // whatever the user's rights.
    let blocker = dir.path().join("sample.ron.bak");
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("keep"), "x").unwrap();
    press(&mut h, Modifiers::COMMAND, Key::Q);
    click(&mut h, "Save");
    step_until(&mut h, "the failure", |a| {
        a.notices
            .iter()
            .any(|n| n.error && n.text.starts_with("Not saved"))
    });
    assert!(!h.state().will_close(), "the window stays");
    assert!(h.state().ws.as_ref().unwrap().is_dirty(), "the work stays");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is as it was"
    );
    // Once the cause is gone, Quit → Save works.
    std::fs::remove_dir_all(&blocker).unwrap();
    press(&mut h, Modifiers::COMMAND, Key::Q);
    click(&mut h, "Save");
    step_until(&mut h, "the close", |a| a.will_close());
}

/// Unsaved work in a project that was never saved, killed without a clean
/// exit, is offered back on the next start, and restores.
fn recovered_after_a_crash(
    root: &Path,
    make: impl FnOnce(&mut Harness<'_, App>),
) -> marginalia::model::Project {
    {
        let mut h = harness(options(root, None));
        h.step();
        make(&mut h);
        let recovery = root.join("data/recovery");
        // The file itself, not the temp file it is written through.
        step_until(&mut h, "the recovery file", |_| {
            std::fs::read_dir(&recovery).is_ok_and(|d| {
                d.flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "ron"))
            })
        });
        // Dropped here: the window dies with the work unsaved.
    }
    let mut h = harness(options(root, None));
    step_until(&mut h, "the offer", |a| {
        matches!(a.modal, Some(Modal::Recover(_)))
    });
    h.get_by_label_contains("Project: never saved");
    click(&mut h, "Restore");
    step_until(&mut h, "the restored project", |a| a.ws.is_some());
    let ws = h.state().ws.as_ref().unwrap();
    assert!(ws.is_dirty(), "restored work is unsaved until saved");
    assert!(ws.path.is_none());
    ws.project.clone()
}

#[test]
fn never_saved_work_is_recovered_after_a_crash() {
    // A new project with an article and a span.
    let dir = tempfile::tempdir().unwrap();
    let p = recovered_after_a_crash(dir.path(), |h| {
        press(h, Modifiers::COMMAND, Key::N);
        run(
            h,
            UiCommand::UsePaths(
                marginalia::ui::files::DialogPurpose::AddArticles,
                vec![tiny_text()],
            ),
        );
        step_until(h, "the article", |a| {
            a.ws.as_ref()
                .is_some_and(|w| w.project.documents().len() == 1)
        });
        run(
            h,
            UiCommand::TagRange {
                doc: marginalia::model::DocId(1),
                label: marginalia::model::LabelId("claim".into()),
                start: 0,
                end: 5,
            },
        );
    });
    assert_eq!((p.documents().len(), p.spans().len()), (1, 1));

    // A pasted article.
    let dir = tempfile::tempdir().unwrap();
    let p = recovered_after_a_crash(dir.path(), |h| {
        run(
            h,
            UiCommand::PasteText("Officials said 42 people attended.".into()),
        );
        click(h, "Add article");
    });
    assert_eq!(
        p.documents()
            .next()
            .map(|d| d.text.as_str().to_string())
            .as_deref(),
        Some("Officials said 42 people attended.")
    );

    // The bundled sample, opened as an unsaved copy and edited.
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let shipped = std::fs::read(&sample).unwrap();
    let p = recovered_after_a_crash(dir.path(), |h| {
        run(h, UiCommand::OpenCopy(sample.clone()));
        step_until(h, "the copy", |a| a.ws.is_some());
        run(h, UiCommand::RemoveSpan(SpanId(2)));
    });
    assert!(p.span(SpanId(2)).is_none() && p.spans().len() == 110);
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        shipped,
        "the shipped file is untouched"
    );
}
