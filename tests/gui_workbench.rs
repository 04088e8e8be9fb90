//! The workbench as a new user meets it: keyboard traps, notes, path fields,
//! navigation, keyboard-only tagging, a still layout, stale messages, the
//! label filter, new projects, menus, help, the View menu, and invalid
//! projects. Each test drives the real app with egui_kittest.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::model::{DocId, SpanId};
use marginalia::ui::app::App;
use marginalia::ui::commands::{SchemaChange, UiCommand};
use marginalia::ui::modals::Modal;
use std::path::Path;

fn open_sample(root: &Path) -> Harness<'static, App> {
    let path = sample_copy(root);
    let mut h = harness(options(root, Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    h
}

/// A project with one short article pasted in, as a new user would start.
fn pasted_project(root: &Path, text: &str) -> Harness<'static, App> {
    let mut h = harness(options(root, None));
    h.step();
    run(
        &mut h,
        UiCommand::AddPastedArticle {
            title: "Test".into(),
            text: text.into(),
        },
    );
    assert!(h.state().ws.is_some());
    h
}

#[test]
fn tab_and_shift_tab_step_through_spans_and_never_trap_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(3))));
    press(&mut h, Modifiers::SHIFT, Key::Tab);
    assert_eq!(selected(&h), Some(SpanId(2)), "Shift+Tab: previous span");
    assert!(
        h.ctx.memory(|m| m.focused()).is_none(),
        "no widget took focus"
    );
    press(&mut h, Modifiers::NONE, Key::Tab);
    press(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(selected(&h), Some(SpanId(4)));
    assert!(h.ctx.memory(|m| m.focused()).is_none());
    // Space presses no toolbar button (it would retag the span).
    let label = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .selected_label()
        .unwrap()
        .to_string();
    press(&mut h, Modifiers::NONE, Key::Space);
    assert_eq!(
        h.state().ws.as_ref().unwrap().selected_label().unwrap(),
        label
    );
    // Plain keys still work: J, then undo after a retag.
    press(&mut h, Modifiers::NONE, Key::J);
    assert_eq!(selected(&h), Some(SpanId(5)));
    type_key(&mut h, Key::Num1, "1");
    assert_eq!(
        h.state().ws.as_ref().unwrap().selected_label(),
        Some("claim")
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        h.state().ws.as_ref().unwrap().selected_label(),
        Some("source")
    );
}

#[test]
fn esc_and_enter_keep_the_note_being_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(1))));
    let note = |h: &Harness<'_, App>| {
        let ws = h.state().ws.as_ref().unwrap();
        ws.project.span(SpanId(1)).unwrap().note.clone()
    };
    assert_eq!(note(&h), None);
    text_field(&h).focus();
    h.step();
    text_field(&h).type_text("Checked by phone");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(
        note(&h).as_deref(),
        Some("Checked by phone"),
        "Esc keeps it"
    );
    assert_eq!(
        selected(&h),
        Some(SpanId(1)),
        "Esc while typing only leaves the field"
    );
    text_field(&h).focus();
    h.step();
    text_field(&h).type_text(" twice");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(
        note(&h).as_deref(),
        Some("Checked by phone twice"),
        "Enter keeps it"
    );
    assert!(!h.ctx.text_edit_focused(), "Enter leaves the field");
}

#[test]
fn enter_submits_the_typed_path_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    // Save as: type a path, press Enter.
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    // Prefilled with the project's folder and file name, selected: typing
    // replaces it.
    let Some(Modal::TypedPath(m)) = &h.state().modal else {
        panic!("no typed-path prompt");
    };
    let project_path = h.state().ws.as_ref().unwrap().path.clone().unwrap();
    assert_eq!(m.text, project_path.display().to_string());
    let target = dir.path().join("saved-by-enter.ron");
    text_field(&h).type_text(target.to_str().unwrap());
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    step_until(&mut h, "the save", |a| {
        a.ws.as_ref().unwrap().path.as_deref() == Some(target.as_path())
    });
    assert!(target.is_file());
    // Export: Enter exports to the proposed file.
    press(&mut h, Modifiers::COMMAND, Key::E);
    assert!(matches!(h.state().modal, Some(Modal::Export(_))));
    press(&mut h, Modifiers::NONE, Key::Enter);
    step_until(&mut h, "the export", |a| {
        a.notices.iter().any(|n| n.text.starts_with("Exported"))
    });
    let csv = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x == "csv"));
    assert!(csv, "the export was written");
    // Add articles (a multi-line field): Enter adds them.
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    text_field(&h).type_text(tiny_text().to_str().unwrap());
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    step_until(&mut h, "the article", |a| {
        a.ws.as_ref().unwrap().project.documents().len() == 3
    });
}

#[test]
fn the_keyboard_reaches_every_part_of_the_article_and_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let len = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .text()
        .char_len();
    press(&mut h, Modifiers::COMMAND, Key::End);
    assert_eq!(caret(&mut h), Some(len), "Ctrl+End: the end of the article");
    h.step();
    let first = h
        .state_mut()
        .ws
        .as_mut()
        .unwrap()
        .current_view()
        .unwrap()
        .first_visible_char();
    assert!(
        first > len / 2,
        "scrolled to the end, first visible {first}"
    );
    press(&mut h, Modifiers::COMMAND, Key::Home);
    assert_eq!(caret(&mut h), Some(0));
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let one = caret(&mut h).unwrap();
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let two = caret(&mut h).unwrap();
    assert!(0 < one && one < two, "PageDown moves a page: {one}, {two}");
    press(&mut h, Modifiers::NONE, Key::PageUp);
    assert!(caret(&mut h).unwrap() < two);
    // Articles.
    press(&mut h, Modifiers::COMMAND, Key::PageDown);
    assert_eq!(h.state().ws.as_ref().unwrap().current, Some(DocId(2)));
    press(&mut h, Modifiers::COMMAND, Key::PageUp);
    assert_eq!(h.state().ws.as_ref().unwrap().current, Some(DocId(1)));
    // The next claim or figure without a source.
    press(&mut h, Modifiers::NONE, Key::U);
    let id = selected(&h).expect("an unsourced span");
    assert!(h.state().ws.as_ref().unwrap().project.lacks_source(id));
    press(&mut h, Modifiers::NONE, Key::U);
    let next = selected(&h).unwrap();
    assert!(next != id && h.state().ws.as_ref().unwrap().project.lacks_source(next));
}

/// A typical claim costs two keys after the previous span: E (to the end of
/// the clause) and the label key; S selects a whole sentence; Shift+L links
/// to the nearest source.
#[test]
fn keyboard_only_tagging_takes_a_few_keys_per_span() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Officials said the factories closed in February, and the workers stayed home. A China-based source told Daily NK on Sunday.";
    let mut h = pasted_project(dir.path(), text);
    let keys = std::cell::Cell::new(0);
    let key = |h: &mut Harness<'_, App>, m: Modifiers, k: Key, t: &str| {
        keys.set(keys.get() + 1);
        h.key_press_modifiers(m, k);
        if !t.is_empty() {
            h.event(egui::Event::Text(t.into()));
        }
        h.step();
        h.step();
    };
    key(&mut h, Modifiers::NONE, Key::E, "");
    assert_eq!(
        selection(&mut h).map(|r| text
            .chars()
            .skip(r.start)
            .take(r.end - r.start)
            .collect::<String>()),
        Some("Officials said the factories closed in February".to_string())
    );
    let spans_now = |h: &Harness<'_, App>| h.state().ws.as_ref().unwrap().project.spans().len();
    // Each span comes from its own keys: none before its label key.
    key(&mut h, Modifiers::NONE, Key::Num1, "1");
    assert_eq!(spans_now(&h), 1, "E, 1: the first claim");
    key(&mut h, Modifiers::NONE, Key::Escape, "");
    key(&mut h, Modifiers::NONE, Key::E, "");
    assert_eq!(spans_now(&h), 1);
    key(&mut h, Modifiers::NONE, Key::Num1, "1");
    assert_eq!(spans_now(&h), 2, "Esc, E, 1: the second claim");
    key(&mut h, Modifiers::NONE, Key::Escape, "");
    key(&mut h, Modifiers::NONE, Key::S, "");
    assert_eq!(spans_now(&h), 2);
    key(&mut h, Modifiers::NONE, Key::Num3, "3");
    assert_eq!(spans_now(&h), 3, "Esc, S, 3: the source");
    let spans: Vec<(String, String)> = {
        let ws = h.state().ws.as_ref().unwrap();
        let doc = ws.current.unwrap();
        let t = &ws.project.document(doc).unwrap().text;
        ws.project
            .spans_in(doc)
            .map(|s| (s.label.to_string(), t.slice(s.range()).to_string()))
            .collect()
    };
    assert_eq!(
        spans,
        [
            (
                "claim".to_string(),
                "Officials said the factories closed in February".to_string()
            ),
            (
                "claim".to_string(),
                "and the workers stayed home".to_string()
            ),
            (
                "source".to_string(),
                "A China-based source told Daily NK on Sunday".to_string()
            ),
        ]
    );
    assert_eq!(keys.get(), 8, "the keys pressed: E 1 Esc E 1 Esc S 3");
    // Back to the first claim (K twice), and one key links it to the source.
    key(&mut h, Modifiers::NONE, Key::K, "");
    key(&mut h, Modifiers::NONE, Key::K, "");
    key(&mut h, Modifiers::SHIFT, Key::L, "L");
    let ws = h.state().ws.as_ref().unwrap();
    let first = ws.project.spans().next().unwrap().id;
    assert_eq!(
        ws.project.links_of(first).count(),
        1,
        "linked to the source"
    );
}

#[test]
fn the_text_does_not_move_when_panels_or_notices_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    h.step();
    let probe = 700;
    let before = char_pos(&mut h, probe);
    // Span 5 has three links with long rows in the details panel.
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(5))));
    run(&mut h, UiCommand::SelectSpan(None));
    assert_eq!(
        char_pos(&mut h, probe),
        before,
        "no reflow after long link rows"
    );
    // A notice floats over the window.
    run(&mut h, UiCommand::NextUnsourced);
    run(&mut h, UiCommand::StartLink);
    run(&mut h, UiCommand::Cancel);
    h.state_mut().info("A message for the user");
    h.step();
    h.step();
    assert_eq!(char_pos(&mut h, probe), before, "no shift under a notice");
    // Information closes itself; errors stay.
    h.state_mut().error("Something failed");
    let later = std::time::Instant::now() + std::time::Duration::from_secs(60);
    h.state_mut().expire_notices(later);
    let notices = &h.state().notices;
    assert!(notices.iter().all(|n| n.error), "info expired");
    assert_eq!(notices.len(), 1);
}

#[test]
fn a_failed_save_message_goes_when_a_save_succeeds_or_the_project_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let ctx = h.ctx.clone();
    h.state_mut()
        .start_save(&ctx, dir.path().join("missing-folder/p.ron"));
    step_until(&mut h, "the failure", |a| {
        a.notices.iter().any(|n| n.text.starts_with("Not saved"))
    });
    press(&mut h, Modifiers::COMMAND, Key::S);
    step_until(&mut h, "the save", |a| {
        a.notices.iter().any(|n| n.text.starts_with("Saved"))
    });
    assert!(
        !h.state()
            .notices
            .iter()
            .any(|n| n.text.starts_with("Not saved"))
    );
    h.state_mut().error("Not saved: an old problem");
    press(&mut h, Modifiers::COMMAND, Key::W);
    assert!(h.state().ws.is_none());
    assert!(
        h.state().notices.is_empty(),
        "closing the project clears its messages"
    );
}

#[test]
fn the_show_filter_hides_spans_in_the_text_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let claim = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(SpanId(1))
        .unwrap()
        .clone();
    assert_eq!(claim.label.as_str(), "claim");
    let p = char_pos(&mut h, claim.start + 2);
    h.get_by_role_and_label(Role::CheckBox, "Claim").click();
    h.step();
    h.step();
    click_at(&mut h, p);
    assert_eq!(selected(&h), None, "a hidden claim cannot be clicked");
    h.get_by_role_and_label(Role::CheckBox, "Claim").click();
    h.step();
    h.step();
    click_at(&mut h, p);
    assert_eq!(selected(&h), Some(SpanId(1)));
}

#[test]
fn new_projects_are_clean_take_their_file_name_and_can_be_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), None));
    h.step();
    press(&mut h, Modifiers::COMMAND, Key::N);
    assert!(
        !h.state().ws.as_ref().unwrap().is_dirty(),
        "nothing to save yet"
    );
    assert!(!h.state().window_title().contains('*'));
    assert!(!h.state().will_close());
    press(&mut h, Modifiers::COMMAND, Key::Q);
    assert!(h.state().modal.is_none(), "Quit asks nothing");
    assert!(h.state().will_close(), "and closes the window");

    let mut h = harness(options(dir.path(), None));
    h.step();
    press(&mut h, Modifiers::COMMAND, Key::N);
    run(
        &mut h,
        UiCommand::UsePaths(
            marginalia::ui::files::DialogPurpose::AddArticles,
            vec![tiny_text()],
        ),
    );
    step_until(&mut h, "the article", |a| {
        a.ws.as_ref().unwrap().project.documents().len() == 1
    });
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    type_path(&mut h, &dir.path().join("quarantine.ron"));
    step_until(&mut h, "the save", |a| {
        a.ws.as_ref().unwrap().path.is_some()
    });
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.name(), "quarantine");
    assert!(!ws.is_dirty());
    // Rename project… (File menu), typed and confirmed with Enter.
    run(&mut h, UiCommand::RenameProjectDialog);
    let field = text_field(&h);
    field.focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    text_field(&h).type_text("Quarantine study");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(
        h.state().ws.as_ref().unwrap().project.name(),
        "Quarantine study"
    );
}

#[test]
fn the_sample_opens_as_an_unsaved_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(options(dir.path(), None));
    h.step();
    h.get_by_label("Open the sample project").click();
    step_until(&mut h, "the sample", |a| a.ws.is_some());
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.path, None, "not the shipped file");
    assert!(ws.is_dirty());
    assert!(ws.project.spans().len() > 100);
    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(
        matches!(h.state().modal, Some(Modal::TypedPath(_))),
        "Save asks where"
    );
}

#[test]
fn esc_closes_an_open_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    h.get_by_label("File").click();
    h.step();
    h.step();
    assert!(
        h.query_by_label_contains("Close project").is_some(),
        "menu open"
    );
    press(&mut h, Modifiers::NONE, Key::Escape);
    h.step();
    assert!(
        h.query_by_label_contains("Close project").is_none(),
        "menu closed"
    );
    assert!(h.state().ws.is_some());
}

#[test]
fn help_lists_every_key_once_and_the_view_menu_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let rows = marginalia::ui::panels::help_rows(h.state().ws.as_ref());
    let mut keys: Vec<String> = rows
        .iter()
        .filter(|(_, what)| {
            !what.starts_with("Tag the selection") && !what.starts_with("Select text")
        })
        .flat_map(|(k, _)| k.split(" / ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all, "a key listed twice: {rows:#?}");
    let text = format!("{rows:?}");
    for want in [
        "F1 / ?",
        "Home",
        "Ctrl+=",
        "Zoom in",
        "Move the selected span's start or end by word",
        "Next claim or figure without a source",
    ] {
        assert!(text.contains(want), "help lacks {want}");
    }
    assert!(!text.contains("Slash"), "{text}");
    h.get_by_label("View");
    // Zoom and theme through the View menu's commands; a new window keeps them.
    press(&mut h, Modifiers::COMMAND, Key::Equals);
    assert!(
        (h.ctx.zoom_factor() - 1.1).abs() < 1e-3,
        "{}",
        h.ctx.zoom_factor()
    );
    run(
        &mut h,
        UiCommand::SetTheme(marginalia::ui::commands::Theme::Dark),
    );
    assert!(h.query_by_label("Folder…").is_some(), "article list shown");
    run(
        &mut h,
        UiCommand::TogglePanel(marginalia::ui::commands::SidePanel::Articles),
    );
    assert!(h.query_by_label("Folder…").is_none(), "article list hidden");
    let h2 = harness(options(dir.path(), None));
    let s = &h2.state().settings;
    assert!((s.zoom - 1.1).abs() < 1e-3);
    assert_eq!(s.theme, marginalia::ui::commands::Theme::Dark);
    assert!(!s.show_articles && s.show_spans);
}

#[test]
fn an_invalid_project_opens_read_only_without_its_broken_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    let good = std::fs::read_to_string(sample_copy(dir.path())).unwrap();
    // Push one span out of range.
    let broken = good.replacen("(1, 1, \"claim\", ", "(1, 1, \"claim\", 99999", 1);
    assert_ne!(broken, good);
    std::fs::write(&path, &broken).unwrap();
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "the offer", |a| {
        matches!(a.modal, Some(Modal::Invalid(_)))
    });
    assert!(
        h.query_all_by_label_contains("span 1 (line").count() > 0,
        "the broken record is named"
    );
    h.get_by_label("Open read-only, skipping them").click();
    step_until(&mut h, "the rest", |a| a.ws.is_some());
    let ws = h.state().ws.as_ref().unwrap();
    assert!(ws.read_only && ws.path.is_none());
    assert!(
        ws.project.span(SpanId(1)).is_none(),
        "the broken span is left out"
    );
    assert!(ws.project.spans().len() > 100, "the rest is there");
    assert!(h.state().window_title().contains("read-only"));
    // Edits are refused with the reason; the file is untouched.
    run(&mut h, UiCommand::RemoveSpan(SpanId(2)));
    assert!(
        h.state()
            .ws
            .as_ref()
            .unwrap()
            .project
            .span(SpanId(2))
            .is_some()
    );
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.error && n.text.contains("read-only"))
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    // Save as… keeps a repaired copy, which then opens normally.
    press(&mut h, Modifiers::COMMAND, Key::S);
    type_path(&mut h, &dir.path().join("repaired.ron"));
    step_until(&mut h, "the copy", |a| {
        a.ws.as_ref().unwrap().path.is_some()
    });
    assert!(!h.state().ws.as_ref().unwrap().read_only);
    assert!(marginalia::store::load(&dir.path().join("repaired.ron")).is_ok());
}

/// A discontinuous claim ("…," the source continued, "…") made with a drag
/// and F, and a figure's value, unit and approximate flag set by keyboard.
#[test]
fn a_discontinuous_claim_and_figure_attributes_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let text = "“The workers are grumbling,” the source continued. “They want to go out.” The fee is about RMB 1,000 a month.";
    let mut h = pasted_project(dir.path(), text);
    let at = |needle: &str| text[..text.find(needle).unwrap()].chars().count();
    // First part: E selects to the end of the clause, 1 tags it.
    press(&mut h, Modifiers::NONE, Key::E);
    assert_eq!(selection(&mut h), Some(1..26));
    type_key(&mut h, Key::Num1, "1");
    let claim = selected(&h).unwrap();
    // Second part: drag over it, then F joins it to the claim.
    let (a, b) = (
        at("They want"),
        at("They want") + "They want to go out".chars().count(),
    );
    let (from, to) = (char_pos(&mut h, a + 1), char_pos(&mut h, b - 1));
    drag(&mut h, from, to);
    assert_eq!(selection(&mut h), Some(a..b));
    press(&mut h, Modifiers::NONE, Key::F);
    let span = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(claim)
        .unwrap()
        .clone();
    assert_eq!(
        span.fragments,
        vec![(1, 26), (a, b)],
        "one claim, two fragments"
    );
    assert_eq!(selected(&h), Some(claim));
    // One undo step takes the fragment back.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(
        h.state()
            .ws
            .as_ref()
            .unwrap()
            .project
            .span(claim)
            .unwrap()
            .fragments
            .is_empty()
    );
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);

    // The figure: select it, 2, then V and the keyboard.
    let f = at("about RMB");
    let (from, to) = (
        char_pos(&mut h, f + 1),
        char_pos(&mut h, f + "about RMB 1,000".chars().count() - 1),
    );
    drag(&mut h, from, to);
    type_key(&mut h, Key::Num2, "2");
    let figure = selected(&h).unwrap();
    press(&mut h, Modifiers::NONE, Key::V);
    assert!(matches!(h.state().modal, Some(Modal::Attributes(_))));
    h.event(egui::Event::Text("1,000".into()));
    h.step();
    // Past value_max (left empty: not a range) to unit.
    press(&mut h, Modifiers::NONE, Key::Tab);
    press(&mut h, Modifiers::NONE, Key::Tab);
    h.event(egui::Event::Text("RMB".into()));
    h.step();
    press(&mut h, Modifiers::NONE, Key::Tab);
    press(&mut h, Modifiers::NONE, Key::Space);
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().modal.is_none());
    let attrs = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(figure)
        .unwrap()
        .attrs
        .clone();
    assert_eq!(attrs.get("value").map(String::as_str), Some("1000"));
    assert_eq!(attrs.get("unit").map(String::as_str), Some("RMB"));
    assert_eq!(attrs.get("approximate").map(String::as_str), Some("true"));
    // One undo step for the three values.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(
        h.state()
            .ws
            .as_ref()
            .unwrap()
            .project
            .span(figure)
            .unwrap()
            .attrs
            .is_empty()
    );
}

/// Frames enough for a dialog whose size changed to settle (a modal is
/// centred again over two frames, moving its buttons).
fn settle(h: &mut Harness<'_, App>) {
    for _ in 0..4 {
        h.step();
    }
}

/// Clicks the button named `name` once the dialog has settled.
fn click(h: &mut Harness<'_, App>, name: &str) {
    settle(h);
    h.query_all_by_label(name).next().expect(name).click();
    settle(h);
}

/// Replaces the text of the `nth` field named `name` in the open dialog,
/// as a user does: focus it, select all, type.
fn set_field(h: &mut Harness<'_, App>, name: &str, nth: usize, text: &str) {
    h.query_all_by_label(name).nth(nth).expect(name).focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.key_press(Key::Backspace);
    h.step();
    if !text.is_empty() {
        h.query_all_by_label(name)
            .nth(nth)
            .expect(name)
            .type_text(text);
    }
    settle(h);
}

/// Project → Labels…, driven through its own fields: a renamed label with
/// a new attribute and an added label apply as one undo step; a key that
/// is taken keeps the dialog open with every edit and the key marked; a
/// change the project refuses (values its spans no longer fit) keeps it
/// open too.
#[test]
fn the_schema_editor_adds_labels_and_attributes_undoably() {
    use marginalia::model::{AttrDef, AttrKind, LabelId, Rgb};
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let before = h.state().ws.as_ref().unwrap().project.labels().to_vec();
    run(&mut h, UiCommand::EditLabels);
    assert!(matches!(h.state().modal, Some(Modal::Labels(_))));
    h.get_by_label("Add a label");
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().modal.is_none(), "Esc closes the editor");

    run(&mut h, UiCommand::EditLabels);
    set_field(&mut h, "name", 0, "Assertion");
    click(&mut h, "+ attribute");
    // The new attribute row is the claim's second (after `status`).
    let attr = h
        .query_all_by_role(egui::accesskit::Role::TextInput)
        .filter(|n| n.value().is_none_or(|v| v.is_empty()))
        .count();
    assert!(attr >= 1);
    {
        let Some(Modal::Labels(_)) = &h.state().modal else {
            panic!()
        };
    }
    click(&mut h, "Add a label");
    set_field(&mut h, "id", 0, "Person");
    let rows = before.len();
    set_field(&mut h, "name", rows, "Person");
    set_field(&mut h, "key", rows, "4");
    // The empty attribute name is refused first, marked, nothing closes.
    click(&mut h, "Apply");
    assert!(matches!(h.state().modal, Some(Modal::Labels(_))));
    h.get_by_label_contains("an attribute has no name");
    // The new attribute's field: named "attribute", still empty.
    let empty = |n: &egui_kittest::Node<'_>| n.value().is_none_or(|v| v.is_empty());
    h.query_all_by_label("attribute")
        .find(empty)
        .expect("the new attribute's empty field")
        .focus();
    h.step();
    h.query_all_by_label("attribute")
        .find(empty)
        .expect("the new attribute's empty field")
        .type_text("checked_by");
    h.step();
    click(&mut h, "Apply");
    assert!(
        h.state().modal.is_none(),
        "applied and closed: {:?}",
        h.state().modal
    );
    let labels = h.state().ws.as_ref().unwrap().project.labels().to_vec();
    assert_eq!(labels.len(), before.len() + 1);
    assert_eq!(labels[0].name, "Assertion");
    assert_eq!(
        labels[0].attributes.last(),
        Some(&AttrDef::new("checked_by", AttrKind::Text))
    );
    let person = labels.last().unwrap();
    assert_eq!(person.id, LabelId("Person".into()));
    assert_eq!((person.name.as_str(), person.hotkey), ("Person", Some('4')));
    assert_eq!(person.color, Rgb(0x99, 0x99, 0x99));
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().ws.as_ref().unwrap().project.labels(), &before[..]);

    // Key 2 belongs to Figure: the dialog stays open, keeps the other
    // edit, and says why.
    run(&mut h, UiCommand::EditLabels);
    set_field(&mut h, "name", 0, "Assertion");
    set_field(&mut h, "key", 0, "2");
    click(&mut h, "Apply");
    let Some(Modal::Labels(_)) = &h.state().modal else {
        panic!("a refused Apply keeps the dialog open")
    };
    h.get_by_label_contains("key '2' already tags label \"figure\"");
    assert_eq!(
        h.query_all_by_label("name")
            .next()
            .unwrap()
            .value()
            .as_deref(),
        Some("Assertion"),
        "the edits are kept"
    );
    // A command key (L links) is refused the same way.
    set_field(&mut h, "key", 0, "l");
    click(&mut h, "Apply");
    h.get_by_label_contains("key 'l' is the workbench's key for");
    assert_eq!(h.state().ws.as_ref().unwrap().project.labels(), &before[..]);
    press(&mut h, Modifiers::NONE, Key::Escape);

    // Values the sample's sources no longer fit: the project refuses, the
    // dialog stays open with the message.
    run(&mut h, UiCommand::EditLabels);
    let kind_values = h
        .query_all_by_role(egui::accesskit::Role::TextInput)
        .position(|n| n.value().is_some_and(|v| v.contains("unverified")))
        .expect("the status values");
    h.query_all_by_role(egui::accesskit::Role::TextInput)
        .nth(kind_values)
        .unwrap()
        .focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.query_all_by_role(egui::accesskit::Role::TextInput)
        .nth(kind_values)
        .unwrap()
        .type_text("verified");
    h.step();
    click(&mut h, "Apply");
    assert!(
        matches!(h.state().modal, Some(Modal::Labels(_))),
        "refused by the project: still open"
    );
    h.get_by_label_contains("status must be one of verified");
    assert_eq!(h.state().ws.as_ref().unwrap().project.labels(), &before[..]);
    press(&mut h, Modifiers::NONE, Key::Escape);

    // Renaming figure's `unit` carries the sample's values over; one undo
    // puts them back.
    let project = |h: &Harness<'_, App>| h.state().ws.as_ref().unwrap().project.clone();
    let figure = LabelId("figure".into());
    let with_unit = |p: &marginalia::model::Project, key: &str| {
        p.spans().filter(|s| s.attrs.contains_key(key)).count()
    };
    let units = with_unit(&project(&h), "unit");
    assert!(units > 0, "the sample's figures have units");
    let mut renamed = project(&h).label(&figure).unwrap().clone();
    for a in &mut renamed.attributes {
        if a.name == "unit" {
            a.name = "currency".into();
        }
    }
    let untouched = project(&h);
    run(
        &mut h,
        UiCommand::ApplySchema(SchemaChange {
            renames: vec![(figure.clone(), "unit".into(), "currency".into())],
            labels: vec![(renamed, false)],
            ..Default::default()
        }),
    );
    assert_eq!(with_unit(&project(&h), "currency"), units);
    assert_eq!(with_unit(&project(&h), "unit"), 0);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h), untouched);
}

/// A real click presses and releases in different frames; the menu must
/// open and stay open (the keyboard-focus guard once closed it at once).
#[test]
fn menus_open_with_the_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let pos = h.get_by_label("File").rect().center();
    h.hover_at(pos);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    for _ in 0..3 {
        h.step();
    }
    assert!(
        h.query_by_label_contains("Close project").is_some(),
        "File menu open"
    );
}

/// F1 lists the pointer gestures and the find field's keys too, and its
/// search field narrows the list by key or word.
#[test]
fn the_shortcut_help_has_a_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let text = format!(
        "{:?}",
        marginalia::ui::panels::help_rows(h.state().ws.as_ref())
    );
    assert!(text.contains("Ctrl + drag") && text.contains("Shift + Enter (in the find field)"));
    press(&mut h, Modifiers::NONE, Key::F1);
    assert!(h.query_by_label("Zoom in").is_some());
    let search = marginalia::ui::panels::HELP_SEARCH_LABEL;
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, search)
        .click();
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, search)
        .type_text("undo");
    h.step();
    h.step();
    assert!(
        h.query_by_label_contains("Undo").is_some(),
        "undo is listed"
    );
    assert!(
        h.query_by_label("Zoom in").is_none(),
        "zoom is filtered out"
    );
    let only = marginalia::ui::panels::filter_rows(
        marginalia::ui::panels::help_rows(h.state().ws.as_ref()),
        "ctrl+shift source",
    );
    assert!(!only.is_empty());
    assert!(only.iter().all(|(k, t)| {
        let hay = format!("{k} {t}").to_lowercase();
        hay.contains("ctrl+shift") && hay.contains("source")
    }));
}

/// A project opened after another starts at the top of its article, not
/// at the scroll position the other's article 1 was left at.
#[test]
fn a_project_opens_at_the_top_not_at_a_leftover_scroll_position() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    h.step();
    view(&mut h).set_scroll_offset(2500.0);
    h.step();
    h.step();
    assert!(view(&mut h).first_visible_char() > 0, "the test scrolled");
    let other = dir.path().join("other.ron");
    std::fs::copy(sample_copy(dir.path()), &other).unwrap();
    run(&mut h, UiCommand::OpenPath(other.clone()));
    step_until(&mut h, "the other project", |a| {
        a.ws.as_ref().and_then(|w| w.path.as_deref()) == Some(other.as_path())
    });
    h.step();
    h.step();
    assert_eq!(view(&mut h).first_visible_char(), 0);
}

/// A label's colour can be typed as hex beside the picker; what does not
/// read as #rrggbb changes nothing.
#[test]
fn a_label_colour_is_typed_as_hex() {
    use marginalia::model::Rgb;
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    let before = h.state().ws.as_ref().unwrap().project.labels()[1].color;
    run(&mut h, UiCommand::EditLabels);
    set_field(&mut h, "colour", 0, "#123456");
    set_field(&mut h, "colour", 1, "#12");
    click(&mut h, "Apply");
    assert!(h.state().modal.is_none(), "{:?}", h.state().modal);
    let labels = h.state().ws.as_ref().unwrap().project.labels().to_vec();
    assert_eq!(labels[0].color, Rgb(0x12, 0x34, 0x56));
    assert_eq!(
        labels[1].color, before,
        "a half-typed colour is not applied"
    );
}

/// What a screen reader gets from the text view: the visible paragraphs'
/// words as paragraphs of the document, the selection as text, and the
/// span at the caret named in a polite live region.
#[test]
fn screen_readers_read_the_text_the_selection_and_the_span_at_the_caret() {
    use egui_kittest::kittest::NodeT as _;
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    h.step();
    let doc_label = marginalia::ui::text_view::TEXT_VIEW_LABEL;
    let paragraphs: Vec<String> = h
        .query_all_by_role(Role::Paragraph)
        .map(|p| p.accesskit_node().document_range().text())
        .collect();
    assert!(
        paragraphs
            .iter()
            .any(|t| t.starts_with("With the novel coronavirus outbreak")),
        "{paragraphs:?}"
    );
    // Each paragraph is inside the document node.
    let inside = h.query_all_by_role(Role::Paragraph).all(|p| {
        let mut n = p.accesskit_node().parent();
        while let Some(x) = n {
            if x.label().as_deref() == Some(doc_label) {
                return true;
            }
            n = x.parent();
        }
        false
    });
    assert!(inside, "paragraphs hang under {doc_label}");
    // A selection reads back as its text.
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection {
        anchor: 9,
        head: 26,
        exact: true,
    });
    h.step();
    h.step();
    let selected: Vec<String> = h
        .query_all_by_role(Role::Paragraph)
        .filter_map(|p| p.accesskit_node().text_selection().map(|r| r.text()))
        .collect();
    assert_eq!(selected, ["novel coronavirus"]);
    // The caret in a claim: the live region names it.
    let claim = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .spans_in(DocId(1))
        .next()
        .unwrap()
        .clone();
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection::caret(claim.start + 2));
    h.step();
    h.step();
    let live = h.get_by_label(marginalia::ui::text_view::SPAN_AT_CARET_LABEL);
    let said = live.accesskit_node().value().unwrap_or_default();
    assert!(said.starts_with("Claim: Chinese factories"), "{said:?}");
    assert_eq!(live.accesskit_node().live(), egui::accesskit::Live::Polite);
}

/// Article and span rows are list items that say where they are.
#[test]
fn list_rows_are_list_items_with_position_and_count() {
    use egui_kittest::kittest::NodeT as _;
    let dir = tempfile::tempdir().unwrap();
    let h = open_sample(dir.path());
    let items: Vec<(usize, usize)> = h
        .query_all_by_role(Role::ListItem)
        .map(|n| {
            let n = n.accesskit_node();
            (
                n.position_in_set().unwrap_or(0),
                n.size_of_set().unwrap_or(0),
            )
        })
        .collect();
    // Two articles, and the first article's spans.
    assert!(
        items.contains(&(1, 2)) && items.contains(&(2, 2)),
        "{items:?}"
    );
    let spans = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .spans_in(DocId(1))
        .count();
    assert!(items.contains(&(1, spans)), "{items:?}");
    // A toast is a live region.
    let mut h = h;
    h.state_mut().info("Exported 3 files.");
    h.step();
    h.step();
    let toast = h.get_by_label("Exported 3 files.");
    assert_eq!(toast.accesskit_node().live(), egui::accesskit::Live::Polite);
}

/// Every input of the workbench, its find bar and its windows has a name
/// a screen reader can say.
#[test]
fn every_input_has_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_sample(dir.path());
    assert_eq!(unnamed_inputs(&h), Vec::<String>::new(), "the workbench");
    // A claim's details (its attributes and note), then a source's.
    for span in [1, 5] {
        h.state_mut().ws.as_mut().unwrap().selected = Some(SpanId(span));
        h.step();
        h.step();
        assert_eq!(
            unnamed_inputs(&h),
            Vec::<String>::new(),
            "span {span}'s details"
        );
    }
    press(&mut h, Modifiers::COMMAND, Key::F);
    assert_eq!(unnamed_inputs(&h), Vec::<String>::new(), "the find bar");
    press(&mut h, Modifiers::NONE, Key::Escape);
    for (keys, what) in [
        (Modifiers::COMMAND | Modifiers::SHIFT, Key::O),
        (Modifiers::COMMAND | Modifiers::SHIFT, Key::U),
        (Modifiers::COMMAND | Modifiers::SHIFT, Key::M),
    ] {
        press(&mut h, keys, what);
        h.step();
        h.step();
        assert_eq!(unnamed_inputs(&h), Vec::<String>::new(), "{what:?} window");
        press(&mut h, keys, what);
    }
    press(&mut h, Modifiers::NONE, Key::F1);
    assert_eq!(unnamed_inputs(&h), Vec::<String>::new(), "the help");
}

/// The colour picker's copy button (📋) has a glyph in the bundled fonts:
/// no missing-glyph box, even without system fonts (the window adds those
/// for marks such as ✎ and ⇄).
#[test]
fn the_colour_pickers_copy_button_has_its_glyph() {
    let dir = tempfile::tempdir().unwrap();
    let h = open_sample(dir.path());
    let font = egui::FontId::proportional(14.0);
    assert!(
        h.ctx.fonts_mut(|f| f.has_glyph(&font, '📋')),
        "no glyph for the colour picker's copy button"
    );
}
