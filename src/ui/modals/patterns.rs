//! Project → Suggestion rules…: which built-in rule sets are on (a project
//! setting), and the project's own patterns. Each pattern is a text (or a
//! regex) and the label it suggests; Apply runs every change as one
//! undoable command. A regex that does not compile is refused here.

use super::{ModalCx, Outcome, ok_cancel};
use crate::assist::search::Query;
use crate::model::{LabelId, Pattern, Project};
use crate::ui::commands::UiCommand;
use egui::{RichText, Ui};

#[derive(Debug, Clone)]
struct Row {
    text: String,
    regex: bool,
    label: LabelId,
    /// Attribute values an accepted suggestion gets: `key=value; key=value`.
    attrs: String,
    /// Position in the project's list (None: added here).
    original: Option<usize>,
    removed: bool,
}

/// The patterns being edited.
#[derive(Debug)]
pub struct PatternsModal {
    rows: Vec<Row>,
    original: Vec<Pattern>,
    labels: Vec<(LabelId, String)>,
    schema: Vec<crate::model::Label>,
    error: Option<String>,
    /// The built-in rule sets turned off, as edited.
    rules_off: std::collections::BTreeSet<String>,
    original_off: std::collections::BTreeSet<String>,
}

impl PatternsModal {
    /// A working copy of `project`'s patterns.
    pub fn new(project: &Project) -> Self {
        PatternsModal {
            rows: project
                .patterns()
                .iter()
                .enumerate()
                .map(|(i, p)| Row {
                    text: p.text.clone(),
                    regex: p.regex,
                    label: p.label.clone(),
                    attrs: p
                        .attributes
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                    original: Some(i),
                    removed: false,
                })
                .collect(),
            original: project.patterns().to_vec(),
            labels: project
                .labels()
                .iter()
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect(),
            schema: project.labels().to_vec(),
            error: None,
            rules_off: project.settings().rules_off.clone(),
            original_off: project.settings().rules_off.clone(),
        }
    }

    /// One checkbox per built-in rule set, saying which label it suggests
    /// (and when the project has no such label, that it cannot).
    fn rule_sets(&mut self, ui: &mut Ui) {
        ui.strong("Built-in rules");
        ui.horizontal_wrapped(|ui| {
            for family in crate::assist::rules::Family::ALL {
                let name = family.name();
                let label = self.schema.iter().find(|l| l.id.as_str() == family.label());
                let mut on = !self.rules_off.contains(name);
                let r = ui.add_enabled(label.is_some(), egui::Checkbox::new(&mut on, name));
                let r = match label {
                    Some(l) => r.on_hover_text(format!("Suggests {} spans", l.name)),
                    None => r.on_disabled_hover_text(format!(
                        "This project has no “{}” label, so these rules suggest nothing",
                        family.label()
                    )),
                };
                if r.changed() {
                    if on {
                        self.rules_off.remove(name);
                    } else {
                        self.rules_off.insert(name.to_string());
                    }
                }
            }
        });
        ui.separator();
    }

    /// (positions to remove, patterns to add), or why not.
    fn change(&self) -> Result<(Vec<usize>, Vec<Pattern>), String> {
        let mut remove = Vec::new();
        let mut add = Vec::new();
        for r in &self.rows {
            let attributes = if r.removed {
                Default::default()
            } else {
                self.attributes(r)?
            };
            let edited = r
                .original
                .and_then(|i| self.original.get(i))
                .is_none_or(|o| {
                    o.text != r.text
                        || o.regex != r.regex
                        || o.label != r.label
                        || o.attributes != attributes
                });
            if (r.removed || edited)
                && let Some(i) = r.original
            {
                remove.push(i);
            }
            if r.removed || !edited {
                continue;
            }
            if r.text.is_empty() {
                return Err("A pattern is empty.".into());
            }
            let query = Query {
                pattern: r.text.clone(),
                regex: r.regex,
                case_sensitive: false,
            };
            query.compile().map_err(|e| format!("“{}”: {e}", r.text))?;
            add.push(Pattern {
                text: r.text.clone(),
                regex: r.regex,
                case_sensitive: false,
                label: r.label.clone(),
                attributes,
            });
        }
        remove.sort_unstable();
        Ok((remove, add))
    }

    /// A row's attribute values, checked against its label's declarations.
    fn attributes(&self, r: &Row) -> Result<std::collections::BTreeMap<String, String>, String> {
        let mut out = std::collections::BTreeMap::new();
        let label = self.schema.iter().find(|l| l.id == r.label);
        for part in r.attrs.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((k, v)) = part.split_once('=') else {
                return Err(format!(
                    "“{part}”: write attributes as key=value; key=value"
                ));
            };
            let (k, v) = (k.trim(), v.trim());
            let def = label
                .and_then(|l| l.attribute(k))
                .ok_or_else(|| format!("{} has no attribute {k:?}", r.label))?;
            def.check(v).map_err(|e| format!("{k}: {e}"))?;
            out.insert(k.to_string(), v.to_string());
        }
        Ok(out)
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Suggestion rules");
        self.rule_sets(ui);
        ui.strong("Patterns");
        ui.label("Text (or a regex) the project suggests as a label, in every article. M on a tagged span adds its text.");
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for (i, row) in self.rows.iter_mut().enumerate() {
                    if row.removed {
                        continue;
                    }
                    ui.horizontal(|ui| {
                        let name = ui.label("text");
                        ui.add(
                            egui::TextEdit::singleline(&mut row.text)
                                .desired_width(220.0)
                                .hint_text("text to suggest"),
                        )
                        .labelled_by(name.id);
                        ui.checkbox(&mut row.regex, "regex");
                        let shown = self
                            .labels
                            .iter()
                            .find(|(id, _)| *id == row.label)
                            .map_or(row.label.to_string(), |(_, n)| n.clone());
                        let name = ui.label("as");
                        egui::ComboBox::from_id_salt(("pattern-label", i))
                            .selected_text(shown)
                            .show_ui(ui, |ui| {
                                for (id, name) in &self.labels {
                                    ui.selectable_value(&mut row.label, id.clone(), name);
                                }
                            })
                            .response
                            .labelled_by(name.id);
                        let name = ui.label("with");
                        ui.add(
                            egui::TextEdit::singleline(&mut row.attrs)
                                .desired_width(150.0)
                                .hint_text("kind=official; …"),
                        )
                        .labelled_by(name.id)
                        .on_hover_text("Attribute values an accepted suggestion gets");
                        if ui
                            .small_button("✕")
                            .on_hover_text("Remove this pattern")
                            .clicked()
                        {
                            row.removed = true;
                        }
                    });
                }
            });
        if ui.button("Add a pattern").clicked()
            && let Some((id, _)) = self.labels.first()
        {
            self.rows.push(Row {
                text: String::new(),
                regex: false,
                label: id.clone(),
                attrs: String::new(),
                original: None,
                removed: false,
            });
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(egui::Color32::from_rgb(220, 50, 50)));
        }
        let (ok, cancel) = ok_cancel(ui, "Apply", true, cx.escape);
        if ok {
            match self.change() {
                Ok((remove, add))
                    if remove.is_empty()
                        && add.is_empty()
                        && self.rules_off == self.original_off =>
                {
                    return Outcome::Close;
                }
                Ok((remove, add)) => {
                    return Outcome::Run(vec![UiCommand::ApplyPatterns(
                        remove,
                        add,
                        self.rules_off.clone(),
                    )]);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, History};

    #[test]
    fn edits_become_removals_and_additions_and_bad_regexes_are_refused() {
        let mut p = Project::new("p");
        History::new()
            .execute(
                &mut p,
                Command::AddPattern(Pattern {
                    text: "Daily NK".into(),
                    regex: false,
                    case_sensitive: false,
                    label: LabelId("source".into()),
                    attributes: Default::default(),
                }),
            )
            .unwrap();
        let mut m = PatternsModal::new(&p);
        m.rows[0].label = LabelId("claim".into());
        let (remove, add) = m.change().unwrap();
        assert_eq!(remove, vec![0]);
        assert_eq!(add[0].label.as_str(), "claim");
        m.rows[0].attrs = "status=verified".into();
        let (_, add) = m.change().unwrap();
        assert_eq!(
            add[0].attributes.get("status").map(String::as_str),
            Some("verified")
        );
        m.rows[0].attrs = "status=maybe".into();
        assert!(m.change().is_err(), "a value the label does not allow");
        m.rows[0].attrs = String::new();
        m.rows.push(Row {
            text: "(unclosed".into(),
            regex: true,
            label: LabelId("claim".into()),
            attrs: String::new(),
            original: None,
            removed: false,
        });
        assert!(m.change().unwrap_err().contains("unclosed"));
    }
}
