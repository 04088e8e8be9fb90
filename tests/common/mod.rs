//! Helpers shared by the kittest GUI tests: a harness around the real app,
//! and the pointer and key gestures a user makes.

// Each test binary uses only some of these.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::model::{DocId, SpanId};
use marginalia::ui::app::{App, AppOptions};
use marginalia::ui::files::AppDirs;
use marginalia::ui::text_view::DocView;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Config and data folders under `root`, so tests never touch the user's.
pub fn dirs(root: &Path) -> AppDirs {
    AppDirs {
        config: Some(root.join("config")),
        data: Some(root.join("data")),
    }
}

/// Typed-path dialogs, fast autosave, nothing reopened.
pub fn options(root: &Path, open: Option<PathBuf>) -> AppOptions {
    AppOptions {
        open,
        native_dialogs: false,
        dirs: dirs(root),
        autosave_interval: Duration::from_millis(50),
        reopen_last: false,
        learn_gate: None,
    }
}

/// The real app in a 1400×900 harness.
pub fn harness(opts: AppOptions) -> Harness<'static, App> {
    harness_sized(opts, [1400.0, 900.0])
}

/// The real app in a window of this size.
pub fn harness_sized(opts: AppOptions, size: [f32; 2]) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        // The test fonts are minimal; the real app falls back to system fonts.
        .allow_missing_glyphs()
        .build_eframe(move |cc| App::new(&cc.egui_ctx, opts))
}

/// Steps until `done` holds (background jobs finish on other threads).
pub fn step_until(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..500 {
        h.step();
        if done(h.state()) {
            h.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for: {what}");
}

/// A copy of the shipped sample project under `root`.
pub fn sample_copy(root: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let dst = root.join("sample.ron");
    std::fs::copy(src, &dst).unwrap();
    dst
}

/// A copy of the small Unicode test project under `root`.
pub fn tiny_project(root: &Path) -> PathBuf {
    let dst = root.join("p.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/good/tiny.ron"),
        &dst,
    )
    .unwrap();
    dst
}

/// The small test article.
pub fn tiny_text() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/good/tiny.txt")
}

/// Presses a key that also types `text` (label hotkeys come as text).
pub fn type_key(h: &mut Harness<'_, App>, key: Key, text: &str) {
    h.key_press(key);
    h.event(Event::Text(text.into()));
    h.step();
    h.step();
}

/// The view of the current article.
pub fn view<'h>(h: &'h mut Harness<'_, App>) -> &'h mut DocView {
    h.state_mut().ws.as_mut().unwrap().current_view().unwrap()
}

/// Screen position of a char of the current article as last drawn.
pub fn char_pos(h: &mut Harness<'_, App>, ch: usize) -> Pos2 {
    view(h).screen_pos_of_char(ch).expect("char is laid out")
}

/// A pointer drag from `from` to `to`, through the middle.
pub fn drag(h: &mut Harness<'_, App>, from: Pos2, to: Pos2) {
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

/// A primary click at `pos`.
pub fn click_at(h: &mut Harness<'_, App>, pos: Pos2) {
    h.hover_at(pos);
    h.step();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.step();
    h.step();
}

/// The span of `doc` with exactly this range: (id, label).
pub fn find_span(app: &App, doc: u64, start: usize, end: usize) -> Option<(SpanId, String)> {
    let ws = app.ws.as_ref()?;
    ws.project
        .spans_in(DocId(doc))
        .find(|s| s.start == start && s.end == end)
        .map(|s| (s.id, s.label.to_string()))
}

/// Types a path into the typed-path prompt and presses OK.
pub fn type_path(h: &mut Harness<'_, App>, path: &Path) {
    h.step();
    let label = marginalia::ui::modals::TYPED_PATH_LABEL;
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text(path.to_str().unwrap());
    h.step();
    h.get_by_label("OK").click();
    h.step();
}

/// The selected span.
pub fn selected(h: &Harness<'_, App>) -> Option<SpanId> {
    h.state().ws.as_ref().unwrap().selected
}

/// The current article's text selection, snapped.
pub fn selection(h: &mut Harness<'_, App>) -> Option<std::ops::Range<usize>> {
    view(h).snapped_selection()
}

/// The caret (the selection's moving end) in the current article.
pub fn caret(h: &mut Harness<'_, App>) -> Option<usize> {
    view(h).selection.map(|s| s.head)
}

/// A key press with modifiers, then two frames.
pub fn press(h: &mut Harness<'_, App>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.step();
    h.step();
}

/// Runs a command through the app's dispatcher, then draws two frames.
pub fn run(h: &mut Harness<'_, App>, command: marginalia::ui::commands::UiCommand) {
    let ctx = h.ctx.clone();
    h.state_mut().run(&ctx, command);
    h.step();
    h.step();
}

/// A copy of the open project.
pub fn project(h: &Harness<'_, App>) -> marginalia::model::Project {
    h.state().ws.as_ref().unwrap().project.clone()
}

/// The one text field on screen other than the article filter: a dialog's
/// or the find bar's.
pub fn text_field<'h>(h: &'h Harness<'_, App>) -> egui_kittest::Node<'h> {
    let mut fields = dialog_fields(h, &[Role::TextInput, Role::MultilineTextInput]);
    assert_eq!(fields.len(), 1, "one text field besides the article filter");
    fields.remove(0)
}

/// The one field of this role other than the article filter.
pub fn text_input<'h>(h: &'h Harness<'_, App>, role: Role) -> egui_kittest::Node<'h> {
    let mut fields = dialog_fields(h, &[role]);
    assert_eq!(fields.len(), 1, "one {role:?} besides the article filter");
    fields.remove(0)
}

/// Text fields of these roles other than the article filter, in order.
pub fn dialog_fields<'h>(h: &'h Harness<'_, App>, roles: &[Role]) -> Vec<egui_kittest::Node<'h>> {
    use egui_kittest::kittest::NodeT as _;
    roles
        .iter()
        .flat_map(|r| h.query_all_by_role(*r))
        .filter(|n| {
            n.accesskit_node().label().as_deref()
                != Some(marginalia::ui::panels::ARTICLE_FILTER_LABEL)
        })
        .collect()
}

/// Damaged UTF-8 (cut inside a character): bytes that fit no encoding, so
/// an article made of them is refused.
pub fn damaged_utf8() -> Vec<u8> {
    let mut bytes = "북한 café".as_bytes().to_vec();
    bytes.push(0xed);
    bytes
}

/// The inputs (text fields, check boxes, combo boxes, sliders, spin
/// buttons) drawn now that have no accessible name, described.
pub fn unnamed_inputs(h: &Harness<'_, App>) -> Vec<String> {
    use egui_kittest::kittest::NodeT as _;
    let roles = [
        Role::TextInput,
        Role::MultilineTextInput,
        Role::CheckBox,
        Role::ComboBox,
        Role::Slider,
        Role::SpinButton,
        Role::RadioButton,
    ];
    roles
        .iter()
        .flat_map(|r| h.query_all_by_role(*r))
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_none_or(|l| l.trim().is_empty())
        })
        .map(|n| {
            format!(
                "{:?} {:?}",
                n.accesskit_node().role(),
                n.accesskit_node().value()
            )
        })
        .collect()
}

/// Another analyst's version of the sample: span 3 retagged as a figure,
/// span 2 deleted.
pub fn their_version(root: &Path) -> PathBuf {
    use marginalia::model::{Command, History, LabelId};
    let path = sample_copy(root);
    let mut p = marginalia::store::load(&path).unwrap().project;
    let mut h = History::new();
    h.execute(
        &mut p,
        Command::RetagSpan(SpanId(3), LabelId("figure".into())),
    )
    .unwrap();
    h.execute(&mut p, Command::RemoveSpan(SpanId(2))).unwrap();
    let theirs = root.join("theirs.ron");
    marginalia::store::save(&p, &theirs).unwrap();
    theirs
}
