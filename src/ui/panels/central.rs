//! The central panel: the label toolbar and the text view.

use super::command_button;
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::text_view::ViewArgs;
use crate::ui::workspace::Workspace;
use egui::{Color32, RichText, Ui};

/// The toolbar and the current article's text.
pub(super) fn central(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    if ws.find.is_some() {
        find_bar(ui, ws, queue);
        ui.separator();
    }
    toolbar(ui, ws, queue);
    ui.separator();
    let Some(doc) = ws.current else {
        ui.centered_and_justified(|ui| {
            ui.label("No articles yet. Use File → Add articles…, Paste article…, or drop article files (text, web pages, PDF, Word, EPUB…) here.");
        });
        return;
    };
    if ws.project.document(doc).is_none() {
        return;
    }
    let shown = ws.suggestions_shown();
    if shown {
        ws.suggestions.ensure(Some(ui.ctx()), &ws.project, doc);
    }
    // Made by the workspace (its first showing starts at the top).
    let _ = ws.current_view();
    let Some(view) = ws.views.get_mut(&doc) else {
        return;
    };
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
            matches: ws.find.as_ref().map_or(&[], |f| f.in_doc(doc)),
            current_match: ws.find.as_ref().and_then(|f| f.current_match()),
            suggestions: shown.then_some(&ws.suggestions),
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
            ws.cannot_start_link().is_none(),
            "Link to source… (L)",
            UiCommand::StartLink,
        );
    });
}

/// Accessible label of the find field.
pub const FIND_FIELD_LABEL: &str = "Find";

/// Width of the find bar's match count ("1,000+ matches").
const COUNT_WIDTH: f32 = 110.0;
/// Width of the find bar's "Tag all as" label box.
const LABEL_BOX_WIDTH: f32 = 150.0;

/// The find bar: query, case and regex toggles, scope, the count, next /
/// previous, and "Tag all as". Its state is view state; searching and
/// tagging go through commands.
fn find_bar(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    let labels: Vec<(crate::model::LabelId, String)> = ws
        .project
        .labels()
        .iter()
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let Some(f) = &mut ws.find else {
        return;
    };
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let name = ui.label(FIND_FIELD_LABEL);
        let r = ui.add(
            egui::TextEdit::singleline(&mut f.query.pattern)
                .desired_width(220.0)
                .hint_text(if f.query.regex { "regex" } else { "text" }),
        );
        let r = r.labelled_by(name.id);
        if f.focus {
            r.request_focus();
            f.focus = false;
        }
        changed |= r.changed();
        let (enter, shift, escape) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                crate::ui::key_events::shift_enter(i),
                i.key_pressed(egui::Key::Escape),
            )
        });
        if r.lost_focus() && enter {
            queue.push(if shift {
                UiCommand::FindPrev
            } else {
                UiCommand::FindNext
            });
            // Keep typing in the field after Enter.
            r.request_focus();
        }
        if (r.has_focus() || r.lost_focus()) && escape {
            queue.push(UiCommand::CloseFind);
        }
        changed |= ui
            .toggle_value(&mut f.query.case_sensitive, "Aa")
            .on_hover_text("Match case")
            .changed();
        changed |= ui
            .toggle_value(&mut f.query.regex, ".*")
            .on_hover_text("Regular expression")
            .changed();
        changed |= ui.checkbox(&mut f.whole_project, "All articles").changed();
        // Fixed widths: the row must not reflow as the count changes
        // ("7 matches" → "1 of 12") or a longer label is chosen, or a
        // click meant for "Tag all" lands on the dropdown.
        let count_size = [COUNT_WIDTH, ui.spacing().interact_size.y];
        match &f.error {
            Some(e) => {
                ui.add_sized(
                    count_size,
                    egui::Label::new(RichText::new(e).color(Color32::from_rgb(220, 60, 60)))
                        .truncate(),
                )
                .on_hover_text(e);
            }
            None => {
                ui.add_sized(count_size, egui::Label::new(f.count_text()).truncate());
            }
        }
        if ui
            .small_button("▲")
            .on_hover_text("Previous (Shift+Enter, Shift+F3)")
            .clicked()
        {
            queue.push(UiCommand::FindPrev);
        }
        if ui
            .small_button("▼")
            .on_hover_text("Next (Enter, F3)")
            .clicked()
        {
            queue.push(UiCommand::FindNext);
        }
        let shown = f
            .tag_label
            .as_ref()
            .and_then(|id| labels.iter().find(|(l, _)| l == id))
            .map_or("—".to_string(), |(_, n)| n.clone());
        let chosen = shown.clone();
        egui::ComboBox::from_id_salt("tag-all-label")
            .width(LABEL_BOX_WIDTH)
            .truncate()
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (id, name) in &labels {
                    ui.selectable_value(&mut f.tag_label, Some(id.clone()), name);
                }
            })
            .response
            .widget_info(|| {
                let mut info =
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Label for Tag all");
                info.current_text_value = Some(chosen.clone());
                info
            });
        let can_tag = !f.matches.is_empty() && f.tag_label.is_some();
        if ui
            .add_enabled(can_tag, egui::Button::new("Tag all"))
            .on_hover_text("Tag every match with the chosen label, in one undo step")
            .clicked()
            && let Some(l) = f.tag_label.clone()
        {
            queue.push(UiCommand::TagAllMatches(l));
        }
        if ui.small_button("✕").on_hover_text("Close (Esc)").clicked() {
            queue.push(UiCommand::CloseFind);
        }
    });
    // Searching again in the same frame would search every keystroke
    // twice; the dispatcher does it once.
    let scope_moved = !f.whole_project && f.searched_doc != ws.current;
    if changed || scope_moved {
        queue.push(UiCommand::FindChanged);
    }
}
