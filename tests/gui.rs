//! GUI tests: egui_kittest drives the real app by accessible labels, keys
//! and pointer drags. No display is needed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::model::{DocId, SpanId};
use marginalia::ui::app::{App, AppOptions};
use marginalia::ui::files::AppDirs;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Env {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    Env { _dir: dir, root }
}

fn options(env: &Env, open: Option<PathBuf>) -> AppOptions {
    AppOptions {
        open,
        native_dialogs: false,
        dirs: AppDirs {
            config: Some(env.root.join("config")),
            data: Some(env.root.join("data")),
        },
        autosave_interval: Duration::from_millis(50),
        reopen_last: false,
    }
}

fn sample_copy(env: &Env) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let dst = env.root.join("sample.ron");
    std::fs::copy(src, &dst).unwrap();
    dst
}

fn harness(opts: AppOptions) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        // The test fonts are minimal; the real app falls back to system fonts.
        .allow_missing_glyphs()
        .build_eframe(move |cc| App::new(&cc.egui_ctx, opts))
}

/// Steps until `done` holds (background jobs finish on other threads).
fn step_until(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..300 {
        h.step();
        if done(h.state()) {
            h.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for: {what}");
}

fn type_key(h: &mut Harness<'_, App>, key: Key, text: &str) {
    h.key_press(key);
    h.event(Event::Text(text.into()));
    h.step();
    h.step();
}

fn char_pos(h: &mut Harness<'_, App>, ch: usize) -> Pos2 {
    h.state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .screen_pos_of_char(ch)
        .expect("char is laid out")
}

fn drag(h: &mut Harness<'_, App>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    let mid = Pos2::new((from.x + to.x) / 2.0, (from.y + to.y) / 2.0);
    h.hover_at(mid);
    h.step();
    h.hover_at(to);
    h.step();
    h.drop_at(to);
    h.step();
}

fn click_at(h: &mut Harness<'_, App>, pos: Pos2) {
    h.hover_at(pos);
    h.step();
    h.event(Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.step();
}

fn find_span(app: &App, doc: u64, start: usize, end: usize) -> Option<(SpanId, String)> {
    let ws = app.ws.as_ref()?;
    ws.project
        .spans_in(DocId(doc))
        .find(|s| s.start == start && s.end == end)
        .map(|s| (s.id, s.label.to_string()))
}

#[test]
fn tag_retag_undo_redo_link_filter_delete() {
    let env = env();
    let path = sample_copy(&env);
    let mut h = harness(options(&env, Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    h.get_by_label("Document text");
    h.get_by_label_contains("Claim #1\n");

    // Drag-select "This means that" (chars 789..804 of the first article).
    let text = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .text()
        .clone();
    assert_eq!(text.slice(789..804), "This means that");
    let (from, to) = (char_pos(&mut h, 790), char_pos(&mut h, 803));
    drag(&mut h, from, to);
    let sel = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .snapped_selection();
    assert_eq!(sel, Some(789..804), "word-snapped selection");

    type_key(&mut h, Key::Num2, "2");
    let (id, label) = find_span(h.state(), 1, 789, 804).expect("figure span created");
    assert_eq!(label, "figure");
    assert_eq!(h.state().ws.as_ref().unwrap().selected, Some(id));

    // Retag with 1, undo, redo.
    type_key(&mut h, Key::Num1, "1");
    assert_eq!(find_span(h.state(), 1, 789, 804).unwrap().1, "claim");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    assert_eq!(find_span(h.state(), 1, 789, 804).unwrap().1, "figure");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.step();
    assert_eq!(find_span(h.state(), 1, 789, 804).unwrap().1, "claim");
    // The Edit menu names what undo will do.
    assert_eq!(
        h.state().ws.as_ref().unwrap().history.undo_name(),
        Some("retag as claim")
    );

    // Link to the source attribution span 5 with L and a click.
    type_key(&mut h, Key::L, "l");
    assert_eq!(h.state().ws.as_ref().unwrap().link_from, Some(id));
    let source = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(SpanId(5))
        .unwrap()
        .clone();
    assert_eq!(source.label.as_str(), "source");
    let p = char_pos(&mut h, source.start + 3);
    click_at(&mut h, p);
    let ws = h.state().ws.as_ref().unwrap();
    assert!(
        ws.project
            .links_of(id)
            .any(|l| l.from == id && l.to == SpanId(5)),
        "link created"
    );
    assert_eq!(ws.link_from, None);

    // Filter the span list: hide claims.
    h.get_by_role_and_label(Role::CheckBox, "Claim").click();
    h.step();
    h.step();
    assert!(
        h.query_by_label_contains("Claim #1\n").is_none(),
        "claims hidden"
    );
    h.get_by_label_contains("Figure #6");
    h.get_by_role_and_label(Role::CheckBox, "Claim").click();
    h.step();
    h.step();
    h.get_by_label_contains("Claim #1\n");

    // Select our span from the list and delete it with the Delete key.
    h.get_by_label_contains(&format!("#{id}")).click();
    h.step();
    assert_eq!(h.state().ws.as_ref().unwrap().selected, Some(id));
    h.key_press(Key::Delete);
    h.step();
    assert!(find_span(h.state(), 1, 789, 804).is_none(), "span deleted");
    assert!(h.state().ws.as_ref().unwrap().is_dirty());
    // Undo brings back the span and its link.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    let ws = h.state().ws.as_ref().unwrap();
    assert!(ws.project.span(id).is_some());
    assert_eq!(ws.project.links_of(id).count(), 1);
}

#[test]
fn keyboard_selection_and_span_navigation() {
    let env = env();
    let path = sample_copy(&env);
    let mut h = harness(options(&env, Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    // Click at the start of the text to place the caret, then extend by words.
    let p = char_pos(&mut h, 0);
    click_at(&mut h, p);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    h.step();
    let sel = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .snapped_selection();
    assert_eq!(sel, Some(0..8), "“With the” by word");
    type_key(&mut h, Key::Num3, "3");
    let (id, label) = find_span(h.state(), 1, 0, 8).unwrap();
    assert_eq!(label, "source");
    // Alt+Shift+Right moves the end by one grapheme.
    h.key_press_modifiers(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    h.step();
    let s = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(id)
        .unwrap()
        .clone();
    assert_eq!((s.start, s.end), (0, 9));
    // J / K move through spans in order.
    h.key_press(Key::J);
    h.step();
    let next = h.state().ws.as_ref().unwrap().selected.unwrap();
    let first = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .next_span_in(DocId(1), Some(id))
        .unwrap();
    assert_eq!(next, first);
    h.key_press(Key::K);
    h.step();
    assert_eq!(h.state().ws.as_ref().unwrap().selected, Some(id));
}

#[test]
fn overlapping_spans_cycle_on_click() {
    let env = env();
    let path = sample_copy(&env);
    let mut h = harness(options(&env, Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    // "Wednesday" (figure 6) sits inside source attribution 5.
    let fig = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(SpanId(6))
        .unwrap()
        .clone();
    let p = char_pos(&mut h, fig.start + 2);
    click_at(&mut h, p);
    assert_eq!(
        h.state().ws.as_ref().unwrap().selected,
        Some(SpanId(6)),
        "innermost first"
    );
    click_at(&mut h, p);
    assert_eq!(
        h.state().ws.as_ref().unwrap().selected,
        Some(SpanId(5)),
        "then the outer span"
    );
    click_at(&mut h, p);
    assert_eq!(
        h.state().ws.as_ref().unwrap().selected,
        Some(SpanId(6)),
        "and round again"
    );
}
