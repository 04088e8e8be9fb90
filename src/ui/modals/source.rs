//! The source picker (W on a source span): type-ahead over the registry's
//! names and aliases, "new source" at the top, the likeliest entries
//! (registry::suggest) first. ↑/↓ move, Enter picks, Esc cancels.

use super::{ModalCx, Outcome};
use crate::model::{
    Identification, Project, SourceEntry, SourceId, SourceKind, SpanId, guess_identification,
    guess_kind, registry,
};
use crate::ui::commands::UiCommand;
use egui::{RichText, Ui};

/// The field's accessible name.
pub const SOURCE_FIELD_LABEL: &str = "Source (type to search or name a new one):";

/// How many entries the list shows at most.
const SHOWN: usize = 12;

/// Assigns a source span to a registry entry, or to a new one.
#[derive(Debug)]
pub struct SourcePickerModal {
    /// The source span.
    pub span: SpanId,
    /// Its wording.
    quote: String,
    /// What is typed.
    pub query: String,
    /// The highlighted row: 0 is "new source", then the listed entries.
    pub highlighted: usize,
    /// Entries registry::suggest offers, best first.
    suggested: Vec<SourceId>,
    /// A new entry's identification and kind.
    pub identification: Identification,
    /// Its kind.
    pub kind: SourceKind,
    /// The analyst chose the identification or kind: typing no longer
    /// guesses them.
    by_hand: bool,
    fresh: bool,
}

impl SourcePickerModal {
    /// The picker for `span`.
    pub fn new(project: &Project, span: SpanId) -> Self {
        let quote = project
            .span(span)
            .and_then(|s| project.document(s.doc).map(|d| s.quote(&d.text)))
            .unwrap_or_default();
        let suggested = registry::suggest(project, span);
        SourcePickerModal {
            span,
            identification: guess_identification(&quote),
            kind: guess_kind(&quote),
            quote,
            query: String::new(),
            highlighted: usize::from(!suggested.is_empty()),
            suggested,
            by_hand: false,
            fresh: true,
        }
    }

    /// The entries listed for the query: suggestions first, then every
    /// entry whose name or an alias contains it.
    pub fn rows(&self, project: &Project) -> Vec<SourceId> {
        let q = self.query.trim().to_lowercase();
        let matches = |id: &SourceId| {
            q.is_empty()
                || project.source(*id).is_some_and(|e| {
                    std::iter::once(&e.name)
                        .chain(&e.aliases)
                        .any(|n| n.to_lowercase().contains(&q))
                })
        };
        let mut out: Vec<SourceId> = self.suggested.iter().copied().filter(matches).collect();
        for e in project.sources() {
            if out.len() >= SHOWN {
                break;
            }
            if !out.contains(&e.id) && matches(&e.id) {
                out.push(e.id);
            }
        }
        out.truncate(SHOWN);
        out
    }

    /// The new entry's name: what is typed, else the span's wording.
    fn new_name(&self) -> String {
        let typed = self.query.trim();
        if typed.is_empty() {
            self.quote.trim().to_string()
        } else {
            typed.to_string()
        }
    }

    /// Draws the picker.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        let Some(ws) = cx.ws else {
            return Outcome::Close;
        };
        let project = &ws.project;
        ui.heading("Who says so?");
        ui.label(
            RichText::new(format!(
                "“{}”",
                crate::ui::text_view::excerpt(&self.quote, 80)
            ))
            .italics(),
        );
        let name = ui.label(SOURCE_FIELD_LABEL);
        let field =
            ui.add(egui::TextEdit::singleline(&mut self.query).desired_width(f32::INFINITY));
        let field = field.labelled_by(name.id);
        if std::mem::take(&mut self.fresh) || (!field.has_focus() && !field.lost_focus()) {
            field.request_focus();
        }
        let rows = self.rows(project);
        if field.changed() {
            if !self.by_hand {
                let name = self.new_name();
                self.identification = guess_identification(&name);
                self.kind = guess_kind(&name);
            }
            let typed = !self.query.trim().is_empty();
            self.highlighted =
                usize::from(!rows.is_empty() && (typed || !self.suggested.is_empty()));
        }
        let count = rows.len() + 1;
        let (down, up) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::ArrowUp),
            )
        });
        let enter = super::enter_pressed(ui);
        if down {
            self.highlighted = (self.highlighted + 1).min(count - 1);
        }
        if up {
            self.highlighted = self.highlighted.saturating_sub(1);
        }
        self.highlighted = self.highlighted.min(count - 1);
        let mut picked: Option<usize> = enter.then_some(self.highlighted);
        let new_name = self.new_name();
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .show(ui, |ui| {
                let new_row = format!(
                    "＋ New source “{}”",
                    crate::ui::text_view::excerpt(&new_name, 60)
                );
                if ui
                    .selectable_label(self.highlighted == 0, RichText::new(new_row).strong())
                    .clicked()
                {
                    picked = Some(0);
                }
                for (i, id) in rows.iter().enumerate() {
                    let Some(e) = project.source(*id) else {
                        continue;
                    };
                    let mut text = format!("{}  · {} · {}", e.name, e.identification, e.kind);
                    if self.suggested.first() == Some(id) {
                        text.push_str("  (suggested)");
                    }
                    if !e.aliases.is_empty() {
                        text.push_str(&format!("  also {}", e.aliases.join(", ")));
                    }
                    if ui
                        .selectable_label(self.highlighted == i + 1, text)
                        .clicked()
                    {
                        picked = Some(i + 1);
                    }
                }
            });
        ui.horizontal(|ui| {
            let name = ui.label("A new source is");
            egui::ComboBox::from_id_salt("new-source-identification")
                .selected_text(self.identification.as_str())
                .show_ui(ui, |ui| {
                    for i in Identification::ALL {
                        self.by_hand |= ui
                            .selectable_value(&mut self.identification, *i, i.as_str())
                            .clicked();
                    }
                })
                .response
                .labelled_by(name.id);
            let kind = ui.label("of kind");
            egui::ComboBox::from_id_salt("new-source-kind")
                .selected_text(self.kind.as_str())
                .show_ui(ui, |ui| {
                    for k in SourceKind::ALL {
                        self.by_hand |= ui
                            .selectable_value(&mut self.kind, *k, k.as_str())
                            .clicked();
                    }
                })
                .response
                .labelled_by(kind.id);
        });
        ui.label(RichText::new("↑/↓ choose · Enter assigns · Esc cancels").weak());
        let mut cancel = cx.escape;
        ui.horizontal(|ui| {
            if ui.button("Assign").clicked() {
                picked = Some(self.highlighted);
            }
            cancel |= ui.button("Cancel").clicked();
            if project.mention(self.span).is_some() && ui.button("Clear the source").clicked() {
                picked = Some(usize::MAX);
            }
        });
        match picked {
            Some(usize::MAX) => Outcome::Run(vec![UiCommand::AssignSource {
                span: self.span,
                source: None,
            }]),
            Some(0) if !new_name.is_empty() => {
                let entry =
                    SourceEntry::new(SourceId(0), &new_name, self.identification, self.kind);
                Outcome::Run(vec![UiCommand::NewSourceFor {
                    span: self.span,
                    entry: Box::new(entry),
                }])
            }
            Some(i) if i > 0 && i <= rows.len() => Outcome::Run(vec![UiCommand::AssignSource {
                span: self.span,
                source: Some(rows[i - 1]),
            }]),
            _ if cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }
}
