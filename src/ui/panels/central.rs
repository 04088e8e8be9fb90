//! The central panel: the label toolbar and the text view.

use super::command_button;
use crate::ui::app::Workspace;
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::text_view::{DocView, ViewArgs};
use egui::{Color32, RichText, Ui};

/// The toolbar and the current article's text.
pub(super) fn central(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    toolbar(ui, ws, queue);
    ui.separator();
    let Some(doc) = ws.current else {
        ui.centered_and_justified(|ui| {
            ui.label("No articles yet. Use File → Add articles…, Paste article…, or drop .txt files here.");
        });
        return;
    };
    let Some(text) = ws.project.document(doc).map(|d| d.text.clone()) else {
        return;
    };
    let view = ws
        .views
        .entry(doc)
        .or_insert_with(|| DocView::new(doc, text));
    let out = view.show(
        ui,
        ViewArgs {
            project: &ws.project,
            selected: ws.selected,
            link_from: ws.link_from,
            hidden: &ws.hidden_labels,
            theirs: ws
                .compare
                .as_ref()
                .and_then(|c| c.docs.get(&doc).map(|d| (&c.theirs, *d))),
        },
    );
    for c in out.commands {
        queue.push(c);
    }
}

/// Label buttons (the clickable twins of the hotkeys) and "Link to source".
fn toolbar(ui: &mut Ui, ws: &Workspace, queue: &mut CommandQueue) {
    ui.horizontal_wrapped(|ui| {
        let verb = if ws.selected.is_some() {
            "Retag"
        } else {
            "Tag"
        };
        ui.label(verb);
        for l in ws.project.labels() {
            let text = match l.hotkey {
                Some(k) => format!("{k}  {}", l.name),
                None => l.name.clone(),
            };
            let fill = Color32::from_rgb(l.color.0, l.color.1, l.color.2);
            let b = egui::Button::new(RichText::new(text).color(Color32::BLACK)).fill(fill);
            if ui
                .add(b)
                .on_hover_text(format!("{verb} as {}", l.name))
                .clicked()
            {
                queue.push(UiCommand::Tag(l.id.clone()));
            }
        }
        ui.separator();
        command_button(
            ui,
            queue,
            crate::ui::dispatch::cannot_start_link(ws).is_none(),
            "Link to source… (L)",
            UiCommand::StartLink,
        );
    });
}
