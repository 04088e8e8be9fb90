//! GUI tests: egui_kittest drives the real app by accessible labels, keys
//! and pointer drags. No display is needed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::{DocId, SpanId};

#[test]
fn tag_retag_undo_redo_link_filter_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
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
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
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
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
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

/// Undo restores the selection the command started from, redo the one it
/// ended with (helix's `Transaction::with_selection`).
#[test]
fn undo_and_redo_restore_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let (from, to) = (char_pos(&mut h, 790), char_pos(&mut h, 803));
    drag(&mut h, from, to);
    type_key(&mut h, Key::Num2, "2");
    let (id, _) = find_span(h.state(), 1, 789, 804).expect("figure span");
    // Select something else, far away: Esc, then a caret at the start.
    h.key_press(Key::Escape);
    h.step();
    let p = char_pos(&mut h, 0);
    click_at(&mut h, p);
    let selection = |h: &mut egui_kittest::Harness<'_, marginalia::ui::app::App>| {
        (selected(h), common::selection(h))
    };
    assert_eq!(selection(&mut h), (None, None));

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    assert!(find_span(h.state(), 1, 789, 804).is_none(), "tag undone");
    assert_eq!(
        selection(&mut h),
        (None, Some(789..804)),
        "the text selected before tagging is selected again"
    );

    h.key_press(Key::Escape);
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.step();
    assert_eq!(
        selection(&mut h).0,
        Some(id),
        "redo selects the span the tag made"
    );

    // A retag from another span's selection: undo selects the retagged span.
    type_key(&mut h, Key::Num1, "1");
    h.key_press(Key::J);
    h.step();
    assert_ne!(selection(&mut h).0, Some(id));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    assert_eq!(find_span(h.state(), 1, 789, 804).unwrap().1, "figure");
    assert_eq!(selection(&mut h).0, Some(id));
}

/// Links follow the schema's rules in the window: a claim → claim link is
/// refused with the reason, L on a source says why it cannot link, and a
/// retag that would break a link removes it with the count in the notice.
#[test]
fn link_rules_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let links_before = h.state().ws.as_ref().unwrap().project.links().len();
    let label_of = |h: &egui_kittest::Harness<'_, marginalia::ui::app::App>, id: u64| {
        let p = &h.state().ws.as_ref().unwrap().project;
        p.span(SpanId(id)).unwrap().label.to_string()
    };
    assert_eq!(
        (label_of(&h, 1), label_of(&h, 2)),
        ("claim".into(), "claim".into())
    );

    // Claim 1, L, click claim 2: refused, said why, linking ends.
    h.state_mut().ws.as_mut().unwrap().select_span(SpanId(1));
    h.step();
    type_key(&mut h, Key::L, "l");
    assert_eq!(h.state().ws.as_ref().unwrap().link_from, Some(SpanId(1)));
    let start = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .span(SpanId(2))
        .unwrap()
        .start;
    let p = char_pos(&mut h, start + 3);
    click_at(&mut h, p);
    let app = h.state();
    assert_eq!(app.ws.as_ref().unwrap().project.links().len(), links_before);
    assert_eq!(app.ws.as_ref().unwrap().link_from, None);
    let last = app.notices.last().unwrap();
    assert!(
        last.error && last.text.contains("claim or figure → source"),
        "{}",
        last.text
    );

    // A source attribution cannot start a link: L says so.
    h.state_mut().ws.as_mut().unwrap().select_span(SpanId(5));
    h.step();
    type_key(&mut h, Key::L, "l");
    assert_eq!(h.state().ws.as_ref().unwrap().link_from, None);
    let last = h.state().notices.last().unwrap().text.clone();
    assert!(last.contains("cannot be linked to a source"), "{last}");

    // Claim 3 is linked to source 5; retagging it as a source removes the link.
    assert_eq!(
        h.state()
            .ws
            .as_ref()
            .unwrap()
            .project
            .links_of(SpanId(3))
            .count(),
        1
    );
    h.state_mut().ws.as_mut().unwrap().select_span(SpanId(3));
    h.step();
    type_key(&mut h, Key::Num3, "3");
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(label_of(&h, 3), "source");
    assert_eq!(ws.project.links_of(SpanId(3)).count(), 0);
    let last = h.state().notices.last().unwrap().text.clone();
    assert!(last.contains("removed 1 link"), "{last}");
    // One undo brings back the label and the link.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    assert_eq!(label_of(&h, 3), "claim");
    assert_eq!(
        h.state()
            .ws
            .as_ref()
            .unwrap()
            .project
            .links_of(SpanId(3))
            .count(),
        1
    );
}
