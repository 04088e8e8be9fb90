//! Project → Labels…: the schema editor. It edits a working copy of the
//! labels (name, colour, hotkey, attributes: added, renamed, retyped or
//! removed) and adds new ones; Apply runs every change as one undoable
//! command, so a refused change (a hotkey taken, values that no longer fit)
//! changes nothing.

use super::{ModalCx, Outcome, ok_cancel};
use crate::model::{AttrDef, AttrKind, Label, LabelId, Rgb};
use crate::ui::commands::{SchemaChange, UiCommand};
use egui::{RichText, Ui};

/// One attribute row being edited.
#[derive(Debug, Clone)]
struct AttrRow {
    name: String,
    /// 0 flag, 1 values, 2 number, 3 text.
    kind: usize,
    values: String,
    /// The name it had when the editor opened (None: added here).
    original: Option<String>,
}

/// One label row being edited.
#[derive(Debug, Clone)]
struct LabelRow {
    id: String,
    name: String,
    color: [u8; 3],
    hotkey: String,
    attrs: Vec<AttrRow>,
    is_new: bool,
}

/// The schema editor's working copy.
#[derive(Debug)]
pub struct LabelsModal {
    rows: Vec<LabelRow>,
    original: Vec<Label>,
    error: Option<String>,
}

const KINDS: [&str; 4] = ["flag", "one of", "number", "text"];

impl LabelsModal {
    /// A working copy of `labels`.
    pub fn new(labels: &[Label]) -> Self {
        let rows = labels
            .iter()
            .map(|l| LabelRow {
                id: l.id.to_string(),
                name: l.name.clone(),
                color: [l.color.0, l.color.1, l.color.2],
                hotkey: l.hotkey.map(String::from).unwrap_or_default(),
                attrs: l
                    .attributes
                    .iter()
                    .map(|a| {
                        let (kind, values) = match &a.kind {
                            AttrKind::Flag => (0, String::new()),
                            AttrKind::Values(v) => (1, v.join(", ")),
                            AttrKind::Number => (2, String::new()),
                            AttrKind::Text => (3, String::new()),
                        };
                        AttrRow {
                            name: a.name.clone(),
                            kind,
                            values,
                            original: Some(a.name.clone()),
                        }
                    })
                    .collect(),
                is_new: false,
            })
            .collect();
        LabelsModal {
            rows,
            original: labels.to_vec(),
            error: None,
        }
    }

    /// The schema change as edited, or why it cannot be made.
    fn change(&self) -> Result<SchemaChange, String> {
        let mut change = SchemaChange::default();
        for r in &self.rows {
            let id = LabelId::new(r.id.trim())?;
            let mut keys = r.hotkey.chars();
            let hotkey = match (keys.next(), keys.next()) {
                (None, _) => None,
                (Some(c), None) => Some(c),
                _ => return Err(format!("{}: a hotkey is one character", r.id)),
            };
            let mut attributes = Vec::new();
            if !r.is_new
                && let Some(old) = self.original.iter().find(|l| l.id == id)
            {
                for gone in old.attributes.iter().filter(|a| {
                    !r.attrs
                        .iter()
                        .any(|row| row.original.as_deref() == Some(a.name.as_str()))
                }) {
                    change.removals.push((id.clone(), gone.name.clone()));
                }
            }
            for a in &r.attrs {
                let name = a.name.trim();
                if name.is_empty() {
                    return Err(format!("{}: an attribute has no name", r.id));
                }
                if r.attrs.iter().filter(|b| b.name.trim() == name).count() > 1 {
                    return Err(format!("{}: two attributes are called {name:?}", r.id));
                }
                if !r.is_new
                    && let Some(old) = &a.original
                    && old != name
                {
                    change
                        .renames
                        .push((id.clone(), old.clone(), name.to_string()));
                }
                let kind = match a.kind {
                    0 => AttrKind::Flag,
                    1 => {
                        let values: Vec<String> = a
                            .values
                            .split(',')
                            .map(|v| v.trim().to_string())
                            .filter(|v| !v.is_empty())
                            .collect();
                        if values.is_empty() {
                            return Err(format!(
                                "{}.{name}: list its values, comma-separated",
                                r.id
                            ));
                        }
                        AttrKind::Values(values)
                    }
                    2 => AttrKind::Number,
                    _ => AttrKind::Text,
                };
                attributes.push(AttrDef::new(name, kind));
            }
            let color = Rgb(r.color[0], r.color[1], r.color[2]);
            change.labels.push((
                Label::new(id, r.name.trim(), color, hotkey).with_attributes(attributes),
                r.is_new,
            ));
        }
        Ok(change)
    }

    /// Draws the editor.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Labels");
        ui.label("Edit names, colours, keys and attributes; Apply makes it one undo step.");
        egui::ScrollArea::vertical()
            .max_height(420.0)
            .show(ui, |ui| {
                for (i, row) in self.rows.iter_mut().enumerate() {
                    label_row(ui, i, row);
                    ui.separator();
                }
            });
        if ui.button("Add a label").clicked() {
            self.rows.push(LabelRow {
                id: format!("label{}", self.rows.len() + 1),
                name: "New label".into(),
                color: [0x99, 0x99, 0x99],
                hotkey: String::new(),
                attrs: Vec::new(),
                is_new: true,
            });
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(egui::Color32::from_rgb(220, 50, 50)));
        }
        let (ok, cancel) = ok_cancel(ui, "Apply", true, cx.escape);
        if ok {
            match self.change() {
                Ok(mut change) => {
                    change
                        .labels
                        .retain(|(l, new)| *new || !self.original.contains(l));
                    if change == SchemaChange::default() {
                        return Outcome::Close;
                    }
                    return Outcome::Run(vec![UiCommand::ApplySchema(change)]);
                }
                Err(e) => self.error = Some(e),
            }
        }
        if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}

fn label_row(ui: &mut Ui, i: usize, row: &mut LabelRow) {
    ui.horizontal(|ui| {
        if row.is_new {
            ui.label("id");
            ui.add(egui::TextEdit::singleline(&mut row.id).desired_width(90.0));
        } else {
            ui.label(RichText::new(&row.id).monospace());
        }
        ui.label("name");
        ui.add(egui::TextEdit::singleline(&mut row.name).desired_width(150.0));
        ui.color_edit_button_srgb(&mut row.color);
        ui.label("key");
        ui.add(egui::TextEdit::singleline(&mut row.hotkey).desired_width(24.0));
    });
    let mut remove = None;
    for (j, a) in row.attrs.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add_space(16.0);
            // Renaming carries every span's value to the new name; removing
            // an existing attribute clears its values (both undoable).
            ui.add(
                egui::TextEdit::singleline(&mut a.name)
                    .desired_width(100.0)
                    .hint_text("attribute"),
            )
            .on_hover_text(match &a.original {
                Some(old) => format!("Attribute {old}; renaming keeps every span's value"),
                None => "New attribute".to_string(),
            });
            let hint = if a.original.is_some() {
                "Remove this attribute and its values from every span"
            } else {
                "Remove this attribute"
            };
            if ui.small_button("✕").on_hover_text(hint).clicked() {
                remove = Some(j);
            }
            egui::ComboBox::from_id_salt(("kind", i, j))
                .selected_text(KINDS[a.kind.min(3)])
                .show_ui(ui, |ui| {
                    for (k, name) in KINDS.iter().enumerate() {
                        ui.selectable_value(&mut a.kind, k, *name);
                    }
                });
            if a.kind == 1 {
                ui.add(
                    egui::TextEdit::singleline(&mut a.values)
                        .desired_width(200.0)
                        .hint_text("value, value, …"),
                );
            }
        });
    }
    if let Some(j) = remove {
        row.attrs.remove(j);
    }
    ui.horizontal(|ui| {
        ui.add_space(16.0);
        if ui.small_button("+ attribute").clicked() {
            row.attrs.push(AttrRow {
                name: String::new(),
                kind: 3,
                values: String::new(),
                original: None,
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_schema;

    /// Editing names in the working copy becomes renames and removals that
    /// the dispatcher runs before the labels themselves.
    #[test]
    fn edited_attribute_names_become_renames_and_removals() {
        let labels = default_schema();
        let mut modal = LabelsModal::new(&labels);
        let figure = modal.rows.iter_mut().find(|r| r.id == "figure").unwrap();
        let unit = figure.attrs.iter_mut().find(|a| a.name == "unit").unwrap();
        unit.name = "currency".into();
        figure.attrs.retain(|a| a.name != "approximate");
        let change = modal.change().unwrap();
        let fig = LabelId("figure".into());
        assert_eq!(
            change.renames,
            vec![(fig.clone(), "unit".to_string(), "currency".to_string())]
        );
        assert_eq!(change.removals, vec![(fig, "approximate".to_string())]);
        // Two attributes of one name are refused before anything runs.
        let figure = modal.rows.iter_mut().find(|r| r.id == "figure").unwrap();
        figure.attrs[0].name = "currency".into();
        assert!(modal.change().unwrap_err().contains("two attributes"));
    }
}
