//! Attribute editing by keyboard (V): Tab moves between the fields, Space
//! toggles a flag or picks a value, typing fills a number or text, Enter
//! applies everything as one undo step, Esc cancels.

use super::{ModalCx, Outcome, ok_cancel};
use crate::model::{AttrDef, AttrKind, Label, Project, Span, SpanId, range_end_attribute};
use crate::ui::commands::UiCommand;
use egui::{Color32, RichText, Ui};

/// The attribute values of one span being edited.
#[derive(Debug)]
pub struct AttributesModal {
    span: SpanId,
    title: String,
    label: Label,
    fields: Vec<(AttrDef, String)>,
    focus_first: bool,
}

impl AttributesModal {
    /// The editor for `span`'s attributes; None when its label has none.
    pub fn new(project: &Project, span: &Span) -> Option<Self> {
        let label = project.label(&span.label)?;
        if label.attributes.is_empty() {
            return None;
        }
        let fields = label
            .attributes
            .iter()
            .map(|d| {
                (
                    d.clone(),
                    span.attrs.get(&d.name).cloned().unwrap_or_default(),
                )
            })
            .collect();
        Some(AttributesModal {
            span: span.id,
            title: format!("{} #{}", label.name, span.id),
            label: label.clone(),
            fields,
            focus_first: true,
        })
    }

    /// What Apply sets: each field as typed ("2,000" stored as 2000); a
    /// range typed into a number fills its `_max` field too, over what
    /// that field says.
    fn values(&self) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        let mut set = |k: String, v: Option<String>| match out.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k, v)),
        };
        // High ends first, so that a range typed into the low end wins.
        let is_high_end = |d: &AttrDef| {
            self.fields
                .iter()
                .any(|(low, _)| range_end_attribute(&low.name) == d.name)
        };
        let (highs, rest): (Vec<_>, Vec<_>) = self.fields.iter().partition(|(d, _)| is_high_end(d));
        for (def, value) in highs.into_iter().chain(rest) {
            match &def.kind {
                AttrKind::Number | AttrKind::Text => {
                    for (k, v) in self
                        .label
                        .typed_values(&def.name, value)
                        .unwrap_or_default()
                    {
                        set(k, v);
                    }
                }
                _ => set(
                    def.name.clone(),
                    Some(value.trim().to_string()).filter(|v| !v.is_empty()),
                ),
            }
        }
        out
    }

    /// Draws the fields.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        // Enter applies; taken before the fields so that a focused checkbox
        // does not also toggle on it.
        let submit = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        ui.heading(format!("Attributes of {}", self.title));
        ui.label("Tab moves between fields; Space toggles or picks; Enter applies.");
        let mut all_valid = true;
        egui::Grid::new("attribute-fields").show(ui, |ui| {
            for (i, (def, value)) in self.fields.iter_mut().enumerate() {
                let name = ui.label(&def.name);
                let r = match &def.kind {
                    AttrKind::Flag => {
                        let mut on = value == "true";
                        let r = ui.checkbox(&mut on, "").labelled_by(name.id);
                        *value = if on { "true".into() } else { String::new() };
                        r
                    }
                    AttrKind::Values(values) => {
                        ui.horizontal_wrapped(|ui| {
                            let mut first = ui.selectable_value(value, String::new(), "—");
                            for v in values {
                                first = first.union(ui.selectable_value(value, v.clone(), v));
                            }
                            first
                        })
                        .inner
                    }
                    AttrKind::Number | AttrKind::Text => {
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(value)
                                    .desired_width(160.0)
                                    .min_size(egui::vec2(160.0, 0.0)),
                            )
                            .labelled_by(name.id);
                        if let Err(e) = self.label.typed_values(&def.name, value) {
                            all_valid = false;
                            ui.label(
                                RichText::new("not a number").color(Color32::from_rgb(220, 50, 50)),
                            )
                            .on_hover_text(e);
                        }
                        r
                    }
                };
                if i == 0 && self.focus_first {
                    r.request_focus();
                }
                ui.end_row();
            }
        });
        self.focus_first = false;
        let (ok, cancel) = ok_cancel(ui, "Apply", all_valid, cx.escape);
        if (ok || submit) && all_valid {
            return Outcome::Run(vec![UiCommand::SetAttrs {
                span: self.span,
                values: self.values(),
            }]);
        }
        if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
