//! Reading this frame's key presses by the modifiers each was pressed
//! with. egui's `InputState::modifiers` is the state at the end of the
//! frame's input, so a quick Shift+Enter (pressed and released within one
//! frame, as key repeaters and scripts do) would read as a plain Enter.
//! Also: selecting a field's whole text, so that typing replaces it.

/// The modifiers of each press of `key` this frame, in order.
pub fn presses(i: &egui::InputState, key: egui::Key) -> impl Iterator<Item = egui::Modifiers> + '_ {
    i.events.iter().filter_map(move |e| match e {
        egui::Event::Key {
            key: k,
            pressed: true,
            modifiers,
            ..
        } if *k == key => Some(*modifiers),
        _ => None,
    })
}

/// Enter was pressed this frame without Shift (nor Ctrl/Cmd): "submit".
pub fn plain_enter(i: &egui::InputState) -> bool {
    presses(i, egui::Key::Enter).any(|m| !m.shift && !m.command)
}

/// Enter was pressed this frame with Shift (and without Ctrl/Cmd).
pub fn shift_enter(i: &egui::InputState) -> bool {
    presses(i, egui::Key::Enter).any(|m| m.shift && !m.command)
}

/// Enter was pressed this frame with Ctrl (Cmd on a Mac).
pub fn command_enter(i: &egui::InputState) -> bool {
    presses(i, egui::Key::Enter).any(|m| m.command)
}

/// Selects all of a text field's `text` (the field `id`, its `state` as
/// its output gave it), so that typing replaces it.
pub fn select_all(
    ctx: &egui::Context,
    id: egui::Id,
    mut state: egui::text_edit::TextEditState,
    text: &str,
) {
    let all = egui::text::CCursorRange::two(
        egui::text::CCursor::new(0),
        egui::text::CCursor::new(text.chars().count()),
    );
    state.cursor.set_char_range(Some(all));
    state.store(ctx, id);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input_with(events: Vec<egui::Event>, end_modifiers: egui::Modifiers) -> egui::InputState {
        let mut events = events;
        events.push(egui::Event::ModifiersChanged(end_modifiers));
        let raw = egui::RawInput {
            events,
            ..Default::default()
        };
        egui::InputState::default().begin_pass(raw, false, 1.0, egui::InputOptions::default())
    }

    fn enter(modifiers: egui::Modifiers) -> egui::Event {
        egui::Event::Key {
            key: egui::Key::Enter,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    #[test]
    fn a_shift_enter_released_in_the_same_frame_is_still_shift_enter() {
        // The frame ends with no modifier held, as after a quick press.
        let i = input_with(vec![enter(egui::Modifiers::SHIFT)], egui::Modifiers::NONE);
        assert!(i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
        assert!(shift_enter(&i));
        assert!(!plain_enter(&i));
        let i = input_with(vec![enter(egui::Modifiers::NONE)], egui::Modifiers::NONE);
        assert!(plain_enter(&i) && !shift_enter(&i) && !command_enter(&i));
        let i = input_with(vec![enter(egui::Modifiers::COMMAND)], egui::Modifiers::NONE);
        assert!(command_enter(&i) && !plain_enter(&i));
    }
}
