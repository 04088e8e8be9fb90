//! The selected span's attributes in the details panel: a dropdown for a
//! list of values, a checkbox for a flag, a validated field for a number or
//! text. Every change is a `SetAttrs` command (undoable).

use crate::model::{AttrKind, Span};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::workspace::Workspace;
use egui::{Color32, RichText, Ui};

/// Draws the editor for each attribute the span's label declares.
pub(super) fn attributes_editor(
    ui: &mut Ui,
    ws: &mut Workspace,
    span: &Span,
    queue: &mut CommandQueue,
) {
    let Some(label) = ws.project.label(&span.label) else {
        return;
    };
    if label.attributes.is_empty() {
        return;
    }
    let defs = label.attributes.clone();
    ui.label("Attributes (V to edit by keyboard):");
    egui::Grid::new(("attrs", span.id.0)).show(ui, |ui| {
        for def in defs {
            let name = ui.label(&def.name);
            let current = span.attrs.get(&def.name).cloned();
            let set = |value: Option<String>| UiCommand::SetAttrs {
                span: span.id,
                values: vec![(def.name.clone(), value)],
            };
            match &def.kind {
                AttrKind::Flag => {
                    let mut on = current.is_some();
                    if ui.checkbox(&mut on, "").labelled_by(name.id).changed() {
                        queue.push(set(on.then(|| "true".to_string())));
                    }
                }
                AttrKind::Values(values) => {
                    let shown = current.clone().unwrap_or_else(|| "—".into());
                    egui::ComboBox::from_id_salt(("attr", span.id.0, def.name.as_str()))
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            if ui.selectable_label(current.is_none(), "—").clicked() {
                                queue.push(set(None));
                            }
                            for v in values {
                                if ui
                                    .selectable_label(current.as_deref() == Some(v), v)
                                    .clicked()
                                {
                                    queue.push(set(Some(v.clone())));
                                }
                            }
                        })
                        .response
                        .labelled_by(name.id);
                }
                AttrKind::Number | AttrKind::Text => {
                    ui.horizontal(|ui| {
                        value_field(ui, ws, span, &def, current.clone(), queue, name.id);
                        if ws.project.is_stale(span.id, &def.name) {
                            stale_mark(ui, span, &def.name, current, queue);
                        }
                    });
                }
            }
            ui.end_row();
        }
    });
}

/// A text field for a number or free text; kept on Enter or when left, and
/// only when valid (an invalid number shows why in red).
fn value_field(
    ui: &mut Ui,
    ws: &mut Workspace,
    span: &Span,
    def: &crate::model::AttrDef,
    current: Option<String>,
    queue: &mut CommandQueue,
    name: egui::Id,
) {
    let key = (span.id, def.name.clone());
    // egui reports a lost focus on two frames; only the one that ends an
    // edit (a draft exists) keeps what was typed.
    let was_editing = ws.attr_drafts.contains_key(&key);
    let draft = ws
        .attr_drafts
        .entry(key.clone())
        .or_insert_with(|| current.clone().unwrap_or_default());
    let r = ui
        .add(
            egui::TextEdit::singleline(draft)
                .desired_width(120.0)
                .min_size(egui::vec2(120.0, 0.0)),
        )
        .labelled_by(name);
    let text = draft.trim().to_string();
    if !r.has_focus() && !r.lost_focus() {
        // Not being edited: next frame shows the stored value again.
        ws.attr_drafts.remove(&key);
    }
    // "2,000" is stored as 2000; "2,000–3,000" fills value and value_max.
    let values = ws
        .project
        .label(&span.label)
        .map(|l| l.typed_values(&def.name, &text));
    if let Some(Err(e)) = &values {
        ui.label(RichText::new("not a number").color(Color32::from_rgb(220, 50, 50)))
            .on_hover_text(e);
    }
    if r.lost_focus() && was_editing {
        if let Some(Ok(values)) = values
            && values.iter().any(|(k, v)| span.attrs.get(k) != v.as_ref())
        {
            queue.push(UiCommand::SetAttrs {
                span: span.id,
                values,
            });
        }
        ws.attr_drafts.remove(&key);
    }
}

/// "value may be stale", with a button that keeps the value as it is (the
/// analyst's confirmation clears the mark).
fn stale_mark(
    ui: &mut Ui,
    span: &Span,
    name: &str,
    current: Option<String>,
    queue: &mut CommandQueue,
) {
    ui.label(RichText::new("⚠ may be stale").color(ui.visuals().warn_fg_color))
        .on_hover_text(
            "The span's text changed (Replace text) after this value was typed by hand. Correct it, or keep it as it is.",
        );
    if ui
        .small_button("Keep")
        .on_hover_text("The value is right: keep it and clear the mark")
        .clicked()
    {
        queue.push(UiCommand::SetAttrs {
            span: span.id,
            values: vec![(name.to_string(), current)],
        });
    }
}
