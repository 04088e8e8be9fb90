//! No key typed into a dialog reaches the workbench: for every dialog with
//! a text field, typing workbench keys (label digits, `a`/`x` for
//! suggestions, Delete…) and Shift+Enter leaves the project, the
//! selection and the suggestions as they were, and the dialog open.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::model::SpanId;
use marginalia::ui::app::App;
use marginalia::ui::commands::UiCommand;
use marginalia::ui::modals::Modal;

/// Types `text` as a keyboard does: a key press and a text event per
/// character (label keys come as text, commands as keys), a frame each.
fn type_like_a_keyboard(h: &mut Harness<'_, App>, text: &str) {
    for c in text.chars() {
        let key = Key::from_name(&c.to_ascii_uppercase().to_string());
        if let Some(key) = key {
            h.key_down(key);
        }
        h.event(Event::Text(c.to_string()));
        if let Some(key) = key {
            h.key_up(key);
        }
        h.step();
    }
}

/// A quick Shift+Enter, as a real keyboard delivers it: pressed and
/// released within one frame, so the frame ends with no modifier held.
fn quick_shift_enter(h: &mut Harness<'_, App>) {
    in_one_frame(
        h,
        vec![
            Event::ModifiersChanged(Modifiers::SHIFT),
            key_event(Key::Enter, true, Modifiers::SHIFT),
            key_event(Key::Enter, false, Modifiers::SHIFT),
            Event::ModifiersChanged(Modifiers::NONE),
        ],
    );
}

fn key_event(key: Key, pressed: bool, modifiers: Modifiers) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    }
}

/// Delivers `events` in one frame (kittest's queue runs a frame per
/// event; a real window batches what arrived since the last frame).
fn in_one_frame(h: &mut Harness<'_, App>, events: Vec<Event>) {
    h.input_mut().events.extend(events);
    h.step();
    h.step();
}

/// What the workbench would change if a key leaked.
#[derive(Debug, PartialEq)]
struct Seen {
    /// A hash of the project as saved (short to print, exact to compare).
    project: u64,
    undo: Option<String>,
    selected: Option<SpanId>,
    caret: Option<std::ops::Range<usize>>,
    current: Option<marginalia::model::DocId>,
    find_open: bool,
}

fn fingerprint(project: &marginalia::model::Project) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    marginalia::store::to_ron_string(project)
        .unwrap()
        .hash(&mut hasher);
    hasher.finish()
}

fn seen(h: &mut Harness<'_, App>) -> Seen {
    let caret = view(h).selection.map(|s| s.anchor..s.head);
    let ws = h.state().ws.as_ref().unwrap();
    Seen {
        project: fingerprint(&ws.project),
        undo: ws.history.undo_name().map(str::to_string),
        selected: ws.selected,
        caret,
        current: ws.current,
        find_open: ws.find.is_some(),
    }
}

/// Focuses the dialog's first text field, if it has none focused yet.
fn focus_first_field(h: &mut Harness<'_, App>) {
    h.step();
    if h.ctx.text_edit_focused() {
        return;
    }
    let field = dialog_fields(h, &[Role::TextInput, Role::MultilineTextInput])
        .into_iter()
        .next()
        .expect("the dialog has a text field");
    field.focus();
    h.step();
    h.step();
    assert!(h.ctx.text_edit_focused(), "the field takes the keyboard");
}

/// Opens a dialog by `open`, types into it, and checks that nothing
/// reached the workbench.
fn check_dialog(h: &mut Harness<'_, App>, name: &str, open: &dyn Fn(&mut Harness<'_, App>)) {
    let before = seen(h);
    open(h);
    assert!(h.state().modal.is_some(), "{name}: the dialog opened");
    eprintln!("checking {name}");
    let unnamed = unnamed_inputs(h);
    assert!(
        unnamed.is_empty(),
        "{name}: inputs without a name: {unnamed:?}"
    );
    focus_first_field(h);
    // Digits tag, a/x accept/reject suggestions, l links, e selects…
    type_like_a_keyboard(h, "1ax2el/3");
    quick_shift_enter(h);
    type_like_a_keyboard(h, "xa1");
    assert!(
        h.state().modal.is_some(),
        "{name}: Shift+Enter and typing keep the dialog open"
    );
    // Esc closes it; the frame it closes in sends no key to the workbench.
    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(h.state().modal.is_none(), "{name}: Esc closes the dialog");
    assert_eq!(seen(h), before, "{name}: nothing reached the workbench");
}

#[test]
fn typing_in_any_dialog_never_reaches_the_workbench() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    // Suggestions pending, a span selected, a caret: every key has work.
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(2))));
    assert!(selected(&h).is_some());

    let press = |m: Modifiers, k: Key| move |h: &mut Harness<'_, App>| common::press(h, m, k);
    let by = |c: UiCommand| move |h: &mut Harness<'_, App>| run(h, c.clone());
    let cmd = Modifiers::COMMAND;
    let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    type Opener = Box<dyn Fn(&mut Harness<'_, App>)>;
    let dialogs: Vec<(&str, Opener)> = vec![
        ("Add articles", Box::new(press(cmd_shift, Key::A))),
        ("Add from URL", Box::new(press(cmd_shift, Key::L))),
        ("Open", Box::new(press(cmd, Key::O))),
        ("Save as", Box::new(press(cmd_shift, Key::S))),
        ("Export", Box::new(press(cmd, Key::E))),
        ("Import", Box::new(press(cmd_shift, Key::I))),
        ("Rename article", Box::new(press(Modifiers::NONE, Key::F2))),
        ("Article info", Box::new(press(cmd, Key::I))),
        ("Replace text", Box::new(press(cmd_shift, Key::R))),
        (
            "Rename project",
            Box::new(by(UiCommand::RenameProjectDialog)),
        ),
        ("Compare with", Box::new(by(UiCommand::AskCompare))),
        ("Labels", Box::new(by(UiCommand::EditLabels))),
        (
            "Patterns",
            Box::new(|h: &mut Harness<'_, App>| {
                run(h, UiCommand::EditPatterns);
                h.get_by_label("Add a pattern").click();
                h.step();
            }),
        ),
        (
            "Paste article",
            Box::new(by(UiCommand::PasteText("A pasted article.".into()))),
        ),
    ];
    for (name, open) in &dialogs {
        check_dialog(&mut h, name, open.as_ref());
    }

    // The attribute editor of a figure (V).
    let figure = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .spans()
        .find(|s| s.label.as_str() == "figure")
        .map(|s| s.id)
        .unwrap();
    run(&mut h, UiCommand::SelectSpan(Some(figure)));
    check_dialog(&mut h, "Attributes", &|h| {
        common::press(h, Modifiers::NONE, Key::V);
        assert!(matches!(h.state().modal, Some(Modal::Attributes(_))));
    });

    // The source picker of a source attribution (W).
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(5))));
    check_dialog(&mut h, "Who says so", &|h| {
        common::press(h, Modifiers::NONE, Key::W);
        assert!(matches!(h.state().modal, Some(Modal::SourcePicker(_))));
    });
}

#[test]
fn shift_enter_adds_a_line_in_add_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    common::press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    focus_first_field(&mut h);
    type_like_a_keyboard(&mut h, "/tmp/a.txt");
    quick_shift_enter(&mut h);
    type_like_a_keyboard(&mut h, "/tmp/b.txt");
    let Some(Modal::TypedPath(m)) = &h.state().modal else {
        panic!("the dialog stays open after Shift+Enter");
    };
    assert_eq!(m.text, "/tmp/a.txt\n/tmp/b.txt");
}

#[test]
fn keys_typed_in_the_frame_a_dialog_opens_go_to_it_not_the_workbench() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(2))));
    let before = seen(&mut h);
    let mut events = vec![
        Event::ModifiersChanged(Modifiers::COMMAND | Modifiers::SHIFT),
        key_event(Key::A, true, Modifiers::COMMAND | Modifiers::SHIFT),
        key_event(Key::A, false, Modifiers::COMMAND | Modifiers::SHIFT),
        Event::ModifiersChanged(Modifiers::NONE),
    ];
    for (key, text) in [(Key::X, "x"), (Key::Num1, "1"), (Key::Delete, "")] {
        events.push(key_event(key, true, Modifiers::NONE));
        if !text.is_empty() {
            events.push(Event::Text(text.into()));
        }
        events.push(key_event(key, false, Modifiers::NONE));
    }
    in_one_frame(&mut h, events);
    assert!(matches!(h.state().modal, Some(Modal::TypedPath(_))));
    h.key_press(Key::Escape);
    h.step();
    assert_eq!(seen(&mut h), before);
}

/// Composes 한국 as a Korean IME does: preedit syllables, then commits,
/// a frame each.
fn compose_korean(h: &mut Harness<'_, App>) {
    use egui::ImeEvent;
    let preedit = |t: &str| {
        Event::Ime(ImeEvent::Preedit {
            text: t.into(),
            active_range_chars: None,
        })
    };
    for e in [
        preedit("ㅎ"),
        preedit("하"),
        preedit("한"),
        Event::Ime(ImeEvent::Commit("한".into())),
        preedit("ㄱ"),
        preedit("구"),
        preedit("국"),
        Event::Ime(ImeEvent::Commit("국".into())),
    ] {
        h.event(e);
        h.step();
    }
    h.step();
}

/// IME input (preedit, then commit) lands in the find field, the article
/// filter, a span's note and a dialog, and nowhere else.
#[test]
fn korean_ime_input_reaches_text_fields_and_only_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), Some(sample_copy(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = seen(&mut h);
    // The find field.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.step();
    h.step();
    compose_korean(&mut h);
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.find.as_ref().unwrap().query.pattern, "한국");
    h.key_press(Key::Escape);
    h.step();
    h.key_press(Key::Escape);
    h.step();
    h.step();
    // The article filter.
    h.get_by_label(marginalia::ui::panels::ARTICLE_FILTER_LABEL)
        .focus();
    h.step();
    compose_korean(&mut h);
    assert_eq!(h.state().ws.as_ref().unwrap().articles.filter, "한국");
    // A span's note (kept as a draft while typed).
    h.state_mut().ws.as_mut().unwrap().selected = Some(SpanId(1));
    h.step();
    h.step();
    h.get_by_role_and_label(Role::MultilineTextInput, "Note:")
        .focus();
    h.step();
    compose_korean(&mut h);
    let draft = h.state().ws.as_ref().unwrap().note_draft.clone();
    assert!(
        draft.as_ref().is_some_and(|(_, t)| t.ends_with("한국")),
        "{draft:?}"
    );
    // A dialog: rename the article.
    h.state_mut().ws.as_mut().unwrap().note_draft = None;
    h.state_mut().ws.as_mut().unwrap().selected = None;
    let ctx = h.ctx.clone();
    h.state_mut().run(&ctx, UiCommand::RenameDocument);
    h.step();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    compose_korean(&mut h);
    let Some(Modal::Rename(r)) = &h.state().modal else {
        panic!("no rename dialog: {:?}", h.state().modal)
    };
    assert_eq!(r.title, "한국");
    h.key_press(Key::Escape);
    h.step();
    h.step();
    // Nothing reached the workbench: no tag, no edit.
    let after = seen(&mut h);
    assert_eq!(after.project, before.project);
    assert_eq!(after.undo, before.undo);
}
