//! The keyboard help (F1), generated from the keymap and the label keys.

use crate::ui::commands::{KEYMAP, POINTER_KEYS, key_text};
use crate::ui::workspace::Workspace;
use egui::RichText;

/// Rows of the help: keys and what they do. Bindings sharing a title share
/// a row; the project's label keys come first.
pub fn help_rows(ws: Option<&Workspace>) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let labels: Vec<String> = ws
        .map(|w| {
            w.project
                .labels()
                .iter()
                .filter_map(|l| l.hotkey.map(|k| format!("{k} {}", l.name)))
                .collect()
        })
        .unwrap_or_default();
    rows.push((
        if labels.is_empty() {
            "1 / 2 / 3 (label keys)".into()
        } else {
            labels.join(" · ")
        },
        "Tag the selection, or retag the selected span".into(),
    ));
    for b in KEYMAP {
        let keys: Vec<String> = b.keys.iter().map(key_text).collect();
        if keys.is_empty() {
            continue;
        }
        match rows.iter_mut().find(|(_, t)| t == b.title) {
            Some((k, _)) => {
                k.push_str(" / ");
                k.push_str(&keys.join(" / "));
            }
            None => rows.push((keys.join(" / "), b.title.to_string())),
        }
    }
    rows.extend(
        POINTER_KEYS
            .iter()
            .map(|(k, t)| (k.to_string(), t.to_string())),
    );
    rows
}

/// Accessible name of the help's search field.
pub const HELP_SEARCH_LABEL: &str = "Search shortcuts";

/// The rows whose keys or description contain every word of `query`
/// (any case).
pub fn filter_rows(rows: Vec<(String, String)>, query: &str) -> Vec<(String, String)> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    rows.into_iter()
        .filter(|(k, t)| {
            let hay = format!("{k} {t}").to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

/// The help window, with a search field; closes with its ✕, F1 or Esc.
pub(super) fn help_window(
    ctx: &egui::Context,
    show: &mut bool,
    ws: Option<&Workspace>,
    query: &mut String,
) {
    if !*show {
        return;
    }
    let all = help_rows(ws);
    let total = all.len();
    let rows = filter_rows(all, query);
    let max_height = ctx.content_rect().height() * 0.75;
    egui::Window::new("Keyboard shortcuts")
        .open(show)
        .collapsible(false)
        .resizable(true)
        .default_width(600.0)
        .max_width(720.0)
        .max_height(max_height)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let name = ui.label(HELP_SEARCH_LABEL);
                ui.add(
                    egui::TextEdit::singleline(query)
                        .hint_text("a key or a word: tag, undo, Ctrl+Shift")
                        .desired_width(280.0),
                )
                .labelled_by(name.id);
                if !query.is_empty() {
                    ui.label(format!("{} of {total}", rows.len()));
                }
            });
            if rows.is_empty() {
                ui.label("No shortcut matches.");
            }
            // Scrolls: the list is longer than a small window.
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .show(ui, |ui| {
                    egui::Grid::new("shortcuts")
                        .striped(true)
                        .max_col_width(300.0)
                        .show(ui, |ui| {
                            for (keys, what) in rows {
                                ui.add(egui::Label::new(RichText::new(keys).monospace()).wrap());
                                ui.add(egui::Label::new(what).wrap());
                                ui.end_row();
                            }
                        });
                });
        });
}
