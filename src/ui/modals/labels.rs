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

/// A field of the editor, to mark the one a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A new label's id.
    Id,
    /// The display name.
    Name,
    /// The hotkey.
    Key,
    /// An attribute's name or values (by position).
    Attr(usize),
}

/// Why Apply was refused, and the field to mark: (row, field).
type Refusal = (String, Option<(usize, Field)>);

/// The schema editor's working copy. A refused Apply keeps it open with
/// every edit and the offending field marked.
#[derive(Debug)]
pub struct LabelsModal {
    rows: Vec<LabelRow>,
    original: Vec<Label>,
    error: Option<String>,
    bad: Option<(usize, Field)>,
    /// A label was just added: scroll to its id field and focus it.
    focus_new: bool,
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
            bad: None,
            focus_new: false,
        }
    }

    /// Shows why the change was refused after Apply (the project refused
    /// it): the dialog stays open with the edits, marking the field the
    /// message is about when it can tell.
    pub fn refused(&mut self, message: String) {
        // "key 'q' already tags label "x"": mark that key's row.
        self.bad = self.rows.iter().enumerate().find_map(|(i, r)| {
            let key = r.hotkey.chars().next()?;
            message
                .contains(&format!("key {key:?}"))
                .then_some((i, Field::Key))
        });
        self.error = Some(message);
    }

    /// The schema change as edited, or why it cannot be made and where.
    fn change(&self) -> Result<SchemaChange, Refusal> {
        let mut change = SchemaChange::default();
        for (i, r) in self.rows.iter().enumerate() {
            let at = |field: Field| Some((i, field));
            let id = LabelId::new(r.id.trim()).map_err(|e| (e, at(Field::Id)))?;
            if self.rows[..i].iter().any(|o| o.id.trim() == id.as_str()) {
                return Err((format!("two labels have the id {id}"), at(Field::Id)));
            }
            if r.name.trim().is_empty() {
                return Err((format!("{id}: the name may not be empty"), at(Field::Name)));
            }
            let hotkey = self.hotkey(i).map_err(|e| (e, at(Field::Key)))?;
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
            for (j, a) in r.attrs.iter().enumerate() {
                let name = a.name.trim();
                if name.is_empty() {
                    return Err((
                        format!("{}: an attribute has no name", r.id),
                        at(Field::Attr(j)),
                    ));
                }
                if r.attrs.iter().filter(|b| b.name.trim() == name).count() > 1 {
                    return Err((
                        format!("{}: two attributes are called {name:?}", r.id),
                        at(Field::Attr(j)),
                    ));
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
                            return Err((
                                format!("{}.{name}: list its values, comma-separated", r.id),
                                at(Field::Attr(j)),
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

    /// Row `i`'s hotkey: one character, not another label's key, and not a
    /// key the workbench already uses for a command (it would run the
    /// command and tag at once).
    fn hotkey(&self, i: usize) -> Result<Option<char>, String> {
        let r = &self.rows[i];
        let mut keys = r.hotkey.chars();
        let key = match (keys.next(), keys.next()) {
            (None, _) => return Ok(None),
            (Some(c), None) => c,
            _ => return Err(format!("{}: a hotkey is one character", r.id)),
        };
        // Of two rows with one key, the one whose key was just changed is
        // the one to correct (or, when neither was, the later one).
        let edited = |row: &LabelRow| {
            self.original
                .iter()
                .find(|l| l.id.as_str() == row.id.trim())
                .is_none_or(|l| l.hotkey != row.hotkey.chars().next())
        };
        let other = self
            .rows
            .iter()
            .enumerate()
            .find(|(j, o)| *j != i && o.hotkey.chars().eq(std::iter::once(key)));
        if let Some((j, other)) = other {
            let blame_this = match (edited(r), edited(other)) {
                (true, false) => true,
                (false, true) => false,
                _ => j < i,
            };
            if blame_this {
                return Err(format!("key {key:?} already tags label \"{}\"", other.id));
            }
        }
        if let Some(b) = crate::ui::commands::command_on_typed_key(key) {
            return Err(format!(
                "key {key:?} is the workbench's key for “{}”; choose another",
                b.title
            ));
        }
        Ok(Some(key))
    }

    /// Draws the editor.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Labels");
        ui.label("Edit names, colours, keys and attributes; Apply makes it one undo step.");
        let bad = self.bad;
        let last = self.rows.len().saturating_sub(1);
        let focus_new = std::mem::take(&mut self.focus_new);
        egui::ScrollArea::vertical()
            .max_height(420.0)
            .show(ui, |ui| {
                for (i, row) in self.rows.iter_mut().enumerate() {
                    let mark = bad.filter(|(r, _)| *r == i).map(|(_, f)| f);
                    label_row(ui, i, row, mark, focus_new && i == last);
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
            self.focus_new = true;
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
                    self.error = None;
                    self.bad = None;
                    // Stays open until the project took it: a refusal
                    // comes back through `refused` with the edits intact.
                    return Outcome::KeepAndRun(vec![UiCommand::ApplySchema(change)]);
                }
                Err((e, at)) => {
                    self.error = Some(e);
                    self.bad = at;
                }
            }
        }
        if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}

/// Outlines a field a refusal is about.
fn mark_if(ui: &Ui, r: &egui::Response, marked: bool) {
    if marked {
        ui.painter().rect_stroke(
            r.rect.expand(2.0),
            2.0,
            egui::Stroke::new(2.0, ui.visuals().error_fg_color),
            egui::StrokeKind::Outside,
        );
    }
}

fn label_row(ui: &mut Ui, i: usize, row: &mut LabelRow, mark: Option<Field>, focus: bool) {
    ui.horizontal(|ui| {
        if row.is_new {
            let name = ui.label("id");
            let r = ui
                .add(egui::TextEdit::singleline(&mut row.id).desired_width(90.0))
                .labelled_by(name.id);
            if focus {
                r.request_focus();
                r.scroll_to_me(None);
            }
            mark_if(ui, &r, mark == Some(Field::Id));
        } else {
            ui.label(RichText::new(&row.id).monospace());
        }
        let name = ui.label("name");
        let r = ui
            .add(egui::TextEdit::singleline(&mut row.name).desired_width(150.0))
            .labelled_by(name.id);
        mark_if(ui, &r, mark == Some(Field::Name));
        ui.color_edit_button_srgb(&mut row.color);
        let name = ui.label("key");
        let r = ui
            .add(egui::TextEdit::singleline(&mut row.hotkey).desired_width(24.0))
            .labelled_by(name.id);
        mark_if(ui, &r, mark == Some(Field::Key));
    });
    let mut remove = None;
    for (j, a) in row.attrs.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add_space(16.0);
            // Renaming carries every span's value to the new name; removing
            // an existing attribute clears its values (both undoable).
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut a.name)
                        .desired_width(100.0)
                        .hint_text("attribute"),
                )
                .on_hover_text(match &a.original {
                    Some(old) => format!("Attribute {old}; renaming keeps every span's value"),
                    None => "New attribute".to_string(),
                });
            mark_if(ui, &r, mark == Some(Field::Attr(j)));
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
                let r = ui.add(
                    egui::TextEdit::singleline(&mut a.values)
                        .desired_width(200.0)
                        .hint_text("value, value, …"),
                );
                mark_if(ui, &r, mark == Some(Field::Attr(j)));
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
        assert!(modal.change().unwrap_err().0.contains("two attributes"));
    }

    /// The row whose key was just changed is the one marked, whichever
    /// comes first; a command key is refused too.
    #[test]
    fn a_taken_key_marks_the_row_that_took_it() {
        let mut modal = LabelsModal::new(&default_schema());
        modal.rows[0].hotkey = "2".into(); // claim takes figure's key
        let (message, at) = modal.change().unwrap_err();
        assert_eq!(at, Some((0, Field::Key)));
        assert_eq!(message, "key '2' already tags label \"figure\"");
        modal.rows[0].hotkey = "1".into();
        modal.rows[2].hotkey = "1".into(); // source takes claim's
        assert_eq!(modal.change().unwrap_err().1, Some((2, Field::Key)));
        modal.rows[2].hotkey = "x".into();
        let (message, at) = modal.change().unwrap_err();
        assert_eq!(at, Some((2, Field::Key)));
        assert!(message.contains("workbench's key"), "{message}");
        modal.rows[2].hotkey = "3".into();
        assert!(modal.change().is_ok());
    }
}
