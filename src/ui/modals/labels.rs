//! Project → Labels…: the schema editor. It edits a working copy of the
//! labels (name, colour, hotkey, attributes: added, renamed, retyped or
//! removed) and adds new ones; Apply runs every change as one undoable
//! command, so a refused change (a hotkey taken, values that no longer fit)
//! changes nothing.

use super::{ModalCx, Outcome, ok_cancel};
use crate::model::{AttrDef, AttrKind, Attribution, Label, LabelId, Project, Rgb, Sourcing};
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
    /// The colour as typed (`#rrggbb`), kept in step with the picker.
    hex: String,
    hotkey: String,
    attrs: Vec<AttrRow>,
    is_new: bool,
    /// 0 none, 1 claim, 2 figure, 3 source (see [`ROLES`]).
    role: usize,
}

/// The sourcing roles a label can have.
const ROLES: [&str; 4] = ["—", "claim", "figure", "source"];

/// A link or event type of the project, and whether (and how) it
/// attributes content to a source.
#[derive(Debug, Clone, PartialEq)]
struct RelationRow {
    /// The type.
    relation: String,
    /// An event type (with roles), else a link type.
    event: bool,
    /// The role names its events use.
    roles: Vec<String>,
    /// It attributes.
    on: bool,
    /// The content role (events).
    content: String,
    /// The source role (events; empty: attributions without a source).
    source: String,
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
    relations: Vec<RelationRow>,
    original_sourcing: Sourcing,
    error: Option<String>,
    bad: Option<(usize, Field)>,
    /// A label was just added: scroll to its id field and focus it.
    focus_new: bool,
}

const KINDS: [&str; 4] = ["flag", "one of", "number", "text"];

impl LabelsModal {
    /// A working copy of `project`'s labels and sourcing roles.
    pub fn new(project: &Project) -> Self {
        let mut modal = Self::of_labels(project.labels(), project.sourcing());
        modal.relations = relation_rows(project);
        modal
    }

    /// A working copy of `labels`, with these sourcing roles.
    fn of_labels(labels: &[Label], sourcing: &Sourcing) -> Self {
        let role_of = |id: &LabelId| {
            if sourcing.claims.contains(id) {
                1
            } else if sourcing.figures.contains(id) {
                2
            } else if sourcing.sources.contains(id) {
                3
            } else {
                0
            }
        };
        let rows = labels
            .iter()
            .map(|l| LabelRow {
                id: l.id.to_string(),
                name: l.name.clone(),
                color: [l.color.0, l.color.1, l.color.2],
                hex: l.color.to_string(),
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
                role: role_of(&l.id),
            })
            .collect();
        LabelsModal {
            rows,
            original: labels.to_vec(),
            relations: Vec::new(),
            original_sourcing: sourcing.clone(),
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
        let sourcing = self.sourcing(&change)?;
        if sourcing != self.original_sourcing {
            change.sourcing = Some(sourcing);
        }
        Ok(change)
    }

    /// The sourcing roles as edited: each label's role, and the relations
    /// ticked as attributing (an event type needs its content role).
    fn sourcing(&self, change: &SchemaChange) -> Result<Sourcing, Refusal> {
        let mut s = Sourcing::default();
        for ((label, _), row) in change.labels.iter().zip(&self.rows) {
            match row.role {
                1 => s.claims.push(label.id.clone()),
                2 => s.figures.push(label.id.clone()),
                3 => s.sources.push(label.id.clone()),
                _ => {}
            }
        }
        // Attributions of types no longer in the project are kept.
        for a in &self.original_sourcing.attributions {
            if !self.relations.iter().any(|r| r.relation == a.relation) {
                s.attributions.push(a.clone());
            }
        }
        for r in self.relations.iter().filter(|r| r.on) {
            let some = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
            if r.event && r.content.trim().is_empty() {
                return Err((
                    format!("{}: choose the role of the content", r.relation),
                    None,
                ));
            }
            s.attributions.push(Attribution {
                relation: r.relation.clone(),
                content: if r.event { some(&r.content) } else { None },
                source: if r.event { some(&r.source) } else { None },
            });
        }
        Ok(s)
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
                hex: "#999999".into(),
                hotkey: String::new(),
                attrs: Vec::new(),
                is_new: true,
                role: 0,
            });
            self.focus_new = true;
        }
        if !self.relations.is_empty() {
            egui::CollapsingHeader::new("Attribution: which relations say who is the source")
                .default_open(true)
                .show(ui, |ui| {
                    for r in &mut self.relations {
                        relation_row(ui, r);
                    }
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

/// The project's link types (declared or used) and event types, with how
/// its sourcing roles treat each.
fn relation_rows(project: &Project) -> Vec<RelationRow> {
    let sourcing = project.sourcing();
    let mut links: Vec<String> = project.link_types().iter().map(|t| t.id.clone()).collect();
    for l in project.links() {
        if !links.contains(&l.kind) {
            links.push(l.kind.clone());
        }
    }
    let mut events: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for e in project.events() {
        let roles = events.entry(e.kind.clone()).or_default();
        for (r, _) in &e.args {
            if !roles.contains(r) {
                roles.push(r.clone());
            }
        }
    }
    let row = |relation: String, event: bool, roles: Vec<String>| {
        let rule = sourcing.attribution(&relation);
        RelationRow {
            on: rule.is_some(),
            content: rule.and_then(|r| r.content.clone()).unwrap_or_default(),
            source: rule.and_then(|r| r.source.clone()).unwrap_or_default(),
            relation,
            event,
            roles,
        }
    };
    links
        .into_iter()
        .map(|l| row(l, false, Vec::new()))
        .chain(events.into_iter().map(|(k, roles)| row(k, true, roles)))
        .collect()
}

/// One relation: ticked when it attributes; an event type's content and
/// source roles.
fn relation_row(ui: &mut Ui, r: &mut RelationRow) {
    ui.horizontal_wrapped(|ui| {
        let what = if r.event { "event" } else { "link" };
        ui.checkbox(&mut r.on, format!("{} ({what})", r.relation));
        if r.event && r.on {
            for (label, value, none) in [
                ("content role", &mut r.content, "(choose)"),
                ("source role", &mut r.source, "(no source)"),
            ] {
                let name = ui.label(label);
                egui::ComboBox::from_id_salt((&r.relation, label))
                    .selected_text(if value.is_empty() {
                        none
                    } else {
                        value.as_str()
                    })
                    .show_ui(ui, |ui| {
                        if label == "source role" {
                            ui.selectable_value(value, String::new(), none);
                        }
                        for role in &r.roles {
                            ui.selectable_value(value, role.clone(), role);
                        }
                    })
                    .response
                    .labelled_by(name.id);
            }
        }
    });
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
        let picked = row.color;
        ui.color_edit_button_srgb(&mut row.color)
            .on_hover_text("Pick a colour");
        if row.color != picked {
            row.hex = Rgb(row.color[0], row.color[1], row.color[2]).to_string();
        }
        // The colour as hex, for a house palette or a colour copied from
        // elsewhere; set as soon as it reads as #rrggbb.
        let name = ui.label("colour");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut row.hex)
                    .desired_width(78.0)
                    .char_limit(7)
                    .font(egui::TextStyle::Monospace),
            )
            .labelled_by(name.id);
        let parsed = row.hex.trim().parse::<Rgb>();
        if let Ok(c) = &parsed
            && r.changed()
        {
            row.color = [c.0, c.1, c.2];
        }
        mark_if(ui, &r, parsed.is_err());
        let name = ui.label("key");
        let r = ui
            .add(egui::TextEdit::singleline(&mut row.hotkey).desired_width(24.0))
            .labelled_by(name.id);
        mark_if(ui, &r, mark == Some(Field::Key));
        let name = ui.label("counts as");
        egui::ComboBox::from_id_salt(("role", i))
            .selected_text(ROLES[row.role.min(3)])
            .show_ui(ui, |ui| {
                for (k, r) in ROLES.iter().enumerate() {
                    ui.selectable_value(&mut row.role, k, *r);
                }
            })
            .response
            .labelled_by(name.id);
    });
    let mut remove = None;
    for (j, a) in row.attrs.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add_space(16.0);
            // Renaming carries every span's value to the new name; removing
            // an existing attribute clears its values (both undoable).
            let name = ui.label("attribute");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut a.name)
                        .desired_width(100.0)
                        .hint_text("attribute"),
                )
                .labelled_by(name.id)
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
            let name = ui.label("kind");
            egui::ComboBox::from_id_salt(("kind", i, j))
                .selected_text(KINDS[a.kind.min(3)])
                .show_ui(ui, |ui| {
                    for (k, name) in KINDS.iter().enumerate() {
                        ui.selectable_value(&mut a.kind, k, *name);
                    }
                })
                .response
                .labelled_by(name.id);
            if a.kind == 1 {
                let name = ui.label("values");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut a.values)
                            .desired_width(200.0)
                            .hint_text("value, value, …"),
                    )
                    .labelled_by(name.id);
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
        let mut modal = LabelsModal::of_labels(&labels, &Sourcing::default());
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
        let mut modal = LabelsModal::of_labels(
            &default_schema(),
            &crate::model::default_sourcing(&default_schema(), &[]),
        );
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

    /// The editor sets both: a label's sourcing role, and an event type as
    /// attribution with its content and source roles.
    #[test]
    fn roles_and_attribution_relations_are_set_here() {
        use crate::model::{Edit, Event, EventId, Span, SpanId, Target};
        let labels: Vec<Label> = ["Source", "Cue", "Content"]
            .iter()
            .map(|l| Label::new(LabelId((*l).into()), l, Rgb(1, 2, 3), None))
            .collect();
        let mut p = Project::with_schema("polnear", labels, Vec::new());
        let doc =
            crate::model::Document::new(crate::model::DocId(1), "a", None, "He said it rained.");
        p.apply(Edit::InsertDocument(doc)).unwrap();
        for (id, label, r) in [(1, "Source", 0..2), (2, "Cue", 3..7), (3, "Content", 8..17)] {
            let span = Span::new(
                SpanId(id),
                crate::model::DocId(1),
                LabelId(label.into()),
                r,
                None,
                "2026-01-01T00:00:00Z",
            );
            p.apply(Edit::InsertSpan(span)).unwrap();
        }
        p.apply(Edit::InsertEvent(Event {
            id: EventId(1),
            kind: "Attribution".into(),
            trigger: SpanId(2),
            args: vec![
                ("Source".into(), Target::Span(SpanId(1))),
                ("Content".into(), Target::Span(SpanId(3))),
            ],
            attrs: Default::default(),
        }))
        .unwrap();
        let mut modal = LabelsModal::new(&p);
        assert_eq!(modal.relations.len(), 1);
        assert!(
            modal.change().unwrap().sourcing.is_none(),
            "nothing changed"
        );
        let r = &mut modal.relations[0];
        assert_eq!(r.roles, ["Source", "Content"]);
        r.on = true;
        assert!(
            modal
                .change()
                .unwrap_err()
                .0
                .contains("role of the content")
        );
        let r = &mut modal.relations[0];
        r.content = "Content".into();
        r.source = "Source".into();
        modal.rows[0].role = 3;
        let sourcing = modal.change().unwrap().sourcing.unwrap();
        assert_eq!(sourcing.sources, vec![LabelId("Source".into())]);
        assert_eq!(
            sourcing.attribution("Attribution"),
            Some(&Attribution {
                relation: "Attribution".into(),
                content: Some("Content".into()),
                source: Some("Source".into()),
            })
        );
    }
}
