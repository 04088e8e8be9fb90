//! The status bar and the notices.

use crate::ui::app::App;
use egui::{Color32, RichText, Ui};

impl App {
    /// Notices, newest first; ✕ dismisses one.
    pub(super) fn notices_bar(&mut self, ui: &mut Ui) {
        if self.notices.is_empty() {
            return;
        }
        egui::Panel::top("notices").show(ui, |ui| {
            let mut dismiss = None;
            for (i, n) in self.notices.iter().enumerate().rev().take(4) {
                ui.horizontal(|ui| {
                    let color = if n.error {
                        Color32::from_rgb(200, 40, 40)
                    } else {
                        ui.visuals().text_color()
                    };
                    if ui.small_button("✕").on_hover_text("Dismiss").clicked() {
                        dismiss = Some(i);
                    }
                    ui.label(RichText::new(&n.text).color(color));
                });
            }
            // Dismissing is view state, like scrolling: no command needed.
            if let Some(i) = dismiss {
                self.notices.remove(i);
            }
        });
    }

    /// Counts per label, the selection, linking mode and saved state.
    pub(super) fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let Some(ws) = &mut self.ws else {
                ui.label("No project open");
                return;
            };
            for (id, n) in ws.counts() {
                if let Some(l) = ws.project.label(&id) {
                    let c = Color32::from_rgb(l.color.0, l.color.1, l.color.2);
                    ui.label(RichText::new("■").color(c));
                    ui.label(format!("{} {n}", l.name));
                }
            }
            ui.separator();
            let selected = ws
                .selected
                .and_then(|id| ws.project.span(id))
                .map(|s| (s.id, s.start, s.end));
            let pos = match (selected, ws.current_view()) {
                (Some((id, s, e)), _) => format!("Span {id}: {s}–{e} ({} chars)", e - s),
                (None, Some(v)) => match (v.snapped_selection(), v.selection) {
                    (Some(r), _) => format!(
                        "Selection {}–{} ({} chars)",
                        r.start,
                        r.end,
                        r.end - r.start
                    ),
                    (None, Some(s)) => format!("Caret {}", s.head),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            ui.label(pos);
            if ws.link_from.is_some() {
                ui.separator();
                ui.label(
                    RichText::new("Linking: click a source attribution (Esc cancels)")
                        .color(Color32::from_rgb(220, 60, 60)),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(if ws.is_dirty() {
                    "Unsaved changes"
                } else {
                    "Saved"
                });
            });
        });
    }
}
