//! Project files in the GUI: new/add/tag/save-as/close/reopen, the
//! unsaved-changes prompt, recovery files, and a real SIGKILL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::kittest::Queryable;
use marginalia::model::{Command, DocId, History, LabelId};
use marginalia::ui::commands::UiCommand;
use marginalia::ui::files::recovery_path_for;
use marginalia::ui::modals::Modal;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

#[test]
fn new_add_tag_save_as_close_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), None));
    h.step();
    h.get_by_label("New project").click();
    step_until(&mut h, "a new project", |a| a.ws.is_some());

    // Add an article through the typed-path prompt (no native dialog here).
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.step();
    h.step();
    let field = text_field(&h);
    field.focus();
    h.step();
    text_field(&h).type_text(tiny_text().to_str().unwrap());
    h.step();
    h.get_by_label("OK").click();
    step_until(&mut h, "the article to be added", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.project.documents().len() == 1)
    });

    // Tag "Daily NK" (chars 45..53) by dragging over it, then press 3.
    h.step();
    let text = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .text()
        .clone();
    assert_eq!(text.slice(45..53), "Daily NK");
    let a = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .screen_pos_of_char(46)
        .unwrap();
    let b = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .screen_pos_of_char(52)
        .unwrap();
    h.hover_at(a);
    h.step();
    h.drag_at(a);
    h.step();
    h.hover_at(Pos2::new((a.x + b.x) / 2.0, a.y));
    h.step();
    h.hover_at(b);
    h.step();
    h.drop_at(b);
    h.step();
    h.key_press(Key::Num3);
    h.event(Event::Text("3".into()));
    h.step();
    let spans: Vec<(usize, usize, String)> = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .spans()
        .map(|s| (s.start, s.end, s.label.to_string()))
        .collect();
    assert_eq!(spans, vec![(45, 53, "source".to_string())]);

    // Save As to a temp path.
    let saved = dir.path().join("out/saved.ron");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.step();
    type_path(&mut h, &saved);
    step_until(&mut h, "the save", |a| {
        a.ws.as_ref().is_some_and(|w| !w.is_dirty())
    });
    assert!(saved.is_file());
    assert!(
        h.state()
            .recent
            .paths
            .iter()
            .any(|p| p.ends_with("saved.ron"))
    );

    // Close, then reopen from the recent list on the start screen.
    h.key_press_modifiers(Modifiers::COMMAND, Key::W);
    h.step();
    assert!(
        h.state().ws.is_none(),
        "closed without a prompt: nothing unsaved"
    );
    h.step();
    let recent = std::fs::canonicalize(&saved).unwrap();
    h.get_by_role_and_label(Role::Link, recent.to_str().unwrap())
        .click();
    step_until(&mut h, "reopen", |a| a.ws.is_some());
    let ws = h.state().ws.as_ref().unwrap();
    let spans: Vec<(usize, usize, String)> = ws
        .project
        .spans()
        .map(|s| (s.start, s.end, s.label.to_string()))
        .collect();
    assert_eq!(spans, vec![(45, 53, "source".to_string())]);
    assert!(!ws.is_dirty());
    // The recent list lives in the config dir, apart from the project.
    assert!(dir.path().join("config/recent.json").is_file());
}

#[test]
fn closing_with_unsaved_edits_prompts_and_cancel_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny_project(dir.path());
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    rename_project(&mut h, "Edited");
    h.step();
    assert!(
        h.state().window_title().contains('*'),
        "{}",
        h.state().window_title()
    );

    // The window manager asks to close.
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let cancelled = h
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    assert!(cancelled, "the close was intercepted");
    h.step();
    assert!(
        h.query_all_by_label("Unsaved changes").count() > 0,
        "the prompt is shown"
    );
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(h.state().modal.is_none());
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.name(), "Edited");
    assert!(ws.is_dirty());
    assert_eq!(ws.history.undo_len(), 1);

    // Opening another project asks too; Discard then proceeds.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.step();
    h.step();
    h.get_by_label("Discard").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().ws.as_ref().unwrap().project.name(),
        "Untitled project"
    );
}

#[test]
fn recovery_file_is_offered_on_start_and_restores_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny_project(dir.path());
    // A recovery file newer than the project, holding one more span.
    let mut project = marginalia::store::load(&path).unwrap().project;
    let before = project.spans().len();
    History::new()
        .execute(
            &mut project,
            Command::AddSpan {
                doc: DocId(1),
                label: LabelId("figure".into()),
                start: 45,
                end: 53,
                note: Some("recovered".into()),
                created: "2026-11-23T00:00:00Z".into(),
            },
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    marginalia::ui::files::write_recovery(&project, &recovery_path_for(&path)).unwrap();

    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    assert!(matches!(h.state().modal, Some(Modal::Recover(_))));
    h.get_by_label("Recover unsaved work?");
    h.get_by_label_contains("Written ");
    h.get_by_label("Restore").click();
    h.step();
    h.step();
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.spans().len(), before + 1);
    assert!(
        ws.project
            .spans()
            .any(|s| s.note.as_deref() == Some("recovered"))
    );
    assert!(ws.is_dirty(), "restored work is unsaved until saved");
    assert_eq!(ws.path.as_deref(), Some(path.as_path()));

    // A clean save removes the recovery file.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut h, "save", |a| {
        a.ws.as_ref().is_some_and(|w| !w.is_dirty())
    });
    assert!(!recovery_path_for(&path).exists());
    assert_eq!(
        marginalia::store::load(&path)
            .unwrap()
            .project
            .spans()
            .len(),
        before + 1
    );
}

#[test]
fn autosave_writes_recovery_and_never_touches_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny_project(dir.path());
    let original = std::fs::read(&path).unwrap();
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    rename_project(&mut h, "Autosaved");
    let rec = recovery_path_for(&path);
    step_until(&mut h, "the recovery file", |_| rec.exists());
    std::thread::sleep(Duration::from_millis(100));
    h.step();
    let recovered = marginalia::store::load(&rec).unwrap().project;
    assert_eq!(recovered.name(), "Autosaved");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "the project itself is untouched"
    );
}

/// Reads one reply line from the driver.
fn reply(out: &mut impl BufRead) -> String {
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    line.trim().to_string()
}

#[cfg(unix)]
#[test]
fn sigkill_after_unsaved_edits_then_restart_recovers_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny_project(dir.path());
    let before = marginalia::store::load(&path)
        .unwrap()
        .project
        .spans()
        .len();
    let spawn = || {
        Process::new(env!("CARGO_BIN_EXE_marginalia"))
            .arg("drive")
            .arg(&path)
            .env("MARGINALIA_CONFIG_DIR", dir.path().join("config"))
            .env("MARGINALIA_DATA_DIR", dir.path().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut child = spawn();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    // Two edits, the second after the first recovery write: the 5 s rule
    // means the second is on disk within about 5 s.
    writeln!(stdin, "tag 1 45 53 source").unwrap();
    assert_eq!(reply(&mut out), "ok");
    let rec = recovery_path_for(&path);
    let wait_for = |n: usize, limit: Duration| {
        let t = Instant::now();
        while t.elapsed() < limit {
            if let Ok(l) = marginalia::store::load(&rec)
                && l.project.spans().len() == n
            {
                return t.elapsed();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("recovery file did not reach {n} spans within {limit:?}");
    };
    wait_for(before + 1, Duration::from_secs(3));
    writeln!(stdin, "tag 1 1 6 figure").unwrap();
    assert_eq!(reply(&mut out), "ok");
    let lag = wait_for(before + 2, Duration::from_secs(7));
    assert!(
        lag <= Duration::from_millis(5600),
        "second edit took {lag:?} to reach the recovery file"
    );
    writeln!(stdin, "state").unwrap();
    assert!(reply(&mut out).contains("dirty=true"));

    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert_eq!(
        marginalia::store::load(&path)
            .unwrap()
            .project
            .spans()
            .len(),
        before,
        "project untouched"
    );

    let mut child = spawn();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let t = Instant::now();
    loop {
        writeln!(stdin, "state").unwrap();
        let s = reply(&mut out);
        if s.contains("recovery_offered=true") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "no recovery offered: {s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    writeln!(stdin, "restore").unwrap();
    assert_eq!(reply(&mut out), "ok");
    writeln!(stdin, "state").unwrap();
    assert_eq!(
        reply(&mut out),
        format!("spans={} dirty=true recovery_offered=false", before + 2)
    );
    writeln!(stdin, "quit").unwrap();
    let _ = child.wait();
}

#[test]
fn export_and_import_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron"),
        &sample,
    )
    .unwrap();
    let mut h = harness(options(dir.path(), Some(sample.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());

    // File → Export…: choose JSON, type the destination, export.
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.step();
    h.step();
    h.get_by_label("JSON (whole project)").click();
    h.step();
    let out = dir.path().join("exported.json");
    let field = text_field(&h);
    field.focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    text_field(&h).type_text(out.to_str().unwrap());
    h.step();
    h.get_by_label("Export").click();
    step_until(&mut h, "the export", |a| {
        !a.busy() && a.notices.iter().any(|n| n.text.starts_with("Exported"))
    });
    let notice = h.state().notices.last().unwrap().text.clone();
    assert!(
        notice.contains("Exported 111 span(s) to exported.json"),
        "{notice}"
    );
    assert!(out.is_file());

    // New project, then File → Import annotations… from that JSON.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.step();
    h.step();
    assert!(h.state().ws.as_ref().unwrap().project.documents().len() == 0);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::I);
    h.step();
    h.step();
    h.get_by_label("Marginalia JSON").click();
    h.step();
    let field = text_field(&h);
    field.focus();
    h.step();
    text_field(&h).type_text(out.to_str().unwrap());
    h.step();
    h.get_by_label("Import").click();
    step_until(&mut h, "the import", |a| {
        a.ws.as_ref()
            .is_some_and(|w| w.project.spans().len() == 111)
    });
    let original = marginalia::store::load(&sample).unwrap().project;
    assert_eq!(h.state().ws.as_ref().unwrap().project, original);
    // One undo step removes the whole import.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    assert_eq!(h.state().ws.as_ref().unwrap().project.spans().len(), 0);
}

#[test]
fn failures_show_in_the_window_and_keep_the_work() {
    let dir = tempfile::tempdir().unwrap();
    // A corrupt project and one from a newer version.
    let corrupt = dir.path().join("corrupt.ron");
    std::fs::write(&corrupt, "(version: 1, name: ").unwrap();
    let mut h = harness(options(dir.path(), Some(corrupt.clone())));
    step_until(&mut h, "the error", |a| !a.notices.is_empty());
    let n = &h.state().notices[0];
    assert!(n.error && n.text.contains("corrupt.ron"), "{}", n.text);
    let newer = dir.path().join("newer.ron");
    std::fs::write(&newer, "(version: 99)").unwrap();
    h.state_mut().use_paths(
        &egui::Context::default(),
        marginalia::ui::files::DialogPurpose::OpenProject,
        vec![newer],
    );
    step_until(&mut h, "the second error", |a| a.notices.len() == 2);
    assert!(
        h.state().notices[1].text.contains("newer than this build"),
        "{}",
        h.state().notices[1].text
    );

    // Edits, then a save into a folder that does not exist (or was deleted).
    let path = tiny_project(dir.path());
    h.state_mut().use_paths(
        &egui::Context::default(),
        marginalia::ui::files::DialogPurpose::OpenProject,
        vec![path],
    );
    step_until(&mut h, "open", |a| a.ws.is_some());
    rename_project(&mut h, "Precious");
    let gone = dir.path().join("deleted-folder/p.ron");
    h.state_mut().start_save(&egui::Context::default(), gone);
    step_until(&mut h, "the save error", |a| {
        a.notices.iter().any(|n| n.text.starts_with("Not saved"))
    });
    let ws = h.state().ws.as_ref().unwrap();
    assert!(ws.is_dirty());
    assert_eq!(ws.project.name(), "Precious");
    // A non-UTF-8 article.
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, damaged_utf8()).unwrap();
    h.state_mut().use_paths(
        &egui::Context::default(),
        marginalia::ui::files::DialogPurpose::AddArticles,
        vec![latin1],
    );
    step_until(&mut h, "the import error", |a| {
        a.notices.iter().any(|n| n.text.contains("not UTF-8"))
    });
    // Errors can be dismissed.
    let before = h.state().notices.len();
    h.get_all_by_label("✕").next().unwrap().click();
    h.step();
    h.step();
    assert_eq!(h.state().notices.len(), before - 1);
}

#[test]
fn pasting_outside_a_text_field_adds_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(tiny_project(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    // eframe delivers Ctrl+V as a Paste event carrying the clipboard text.
    h.event(Event::Paste("북한 기사\n본문 “텍스트” 10%.".into()));
    h.step();
    h.step();
    assert!(matches!(h.state().modal, Some(Modal::Paste(_))));
    h.get_by_label("Add article").click();
    h.step();
    h.step();
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.documents().len(), 2);
    let doc = ws.project.document(ws.current.unwrap()).unwrap();
    assert_eq!(doc.title, "북한 기사");
    assert_eq!(ws.history.undo_name(), Some("add article"));
}

/// Renames the project through the command path, as the GUI does.
fn rename_project(h: &mut egui_kittest::Harness<'_, marginalia::ui::app::App>, name: &str) {
    h.state_mut().run(
        &egui::Context::default(),
        UiCommand::RenameProject(name.into()),
    );
    assert_eq!(h.state().ws.as_ref().unwrap().project.name(), name);
}
