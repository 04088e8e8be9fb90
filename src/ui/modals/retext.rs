//! Article → Replace text…: choose the new version (a file, the clipboard,
//! or pasted text), see where the spans go, then replace.

use super::{ModalCx, Outcome, expand_tilde, submitted};
use crate::model::DocId;
use crate::model::anchor::{RetextPlan, Status};
use crate::ui::commands::{RetextSource, UiCommand};
use crate::ui::files::DialogPurpose;
use egui::Ui;
use std::sync::Arc;

/// The dialog's state.
#[derive(Debug)]
pub struct RetextModal {
    /// The article whose text is replaced.
    pub doc: DocId,
    /// Its title.
    pub title: String,
    /// Path typed (or chosen with Browse…).
    pub path: String,
    /// Text pasted into the dialog.
    pub pasted: String,
    /// Re-anchoring runs in the background.
    pub busy: bool,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The worked-out plan, shown before it is applied.
    pub plan: Option<Arc<RetextPlan>>,
    /// Quotes of the spans the plan would orphan.
    pub orphan_quotes: Vec<String>,
    /// The spans whose text the plan corrects, with the values read again.
    pub corrected: Vec<crate::assist::reread::Corrected>,
}

/// Button text of the final step (tests press it by this label).
pub const REPLACE_BUTTON: &str = "Replace text";

impl RetextModal {
    /// The dialog for article `doc`.
    pub fn new(doc: DocId, title: String) -> Self {
        RetextModal {
            doc,
            title,
            path: String::new(),
            pasted: String::new(),
            busy: false,
            error: None,
            plan: None,
            orphan_quotes: Vec::new(),
            corrected: Vec::new(),
        }
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading(format!("Replace the text of “{}”", self.title));
        ui.label(
            "Every span follows its text into the new version. Spans whose text is gone become orphans: \
             they keep their label, note, attributes and links, and are listed in the Orphans panel to re-attach. \
             One Ctrl+Z undoes the whole replacement.",
        );
        ui.separator();
        let mut plan_from: Option<RetextSource> = None;
        let mut browse = false;
        ui.add_enabled_ui(!self.busy, |ui| {
            ui.horizontal(|ui| {
                let name = ui.label("From a file:");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text("path of the new .txt")
                            .desired_width(300.0),
                    )
                    .labelled_by(name.id);
                if cx.native_dialogs && ui.button("Browse…").clicked() {
                    browse = true;
                }
                let read = ui
                    .add_enabled(!self.path.trim().is_empty(), egui::Button::new("Read file"))
                    .clicked();
                if (read || submitted(ui, &field)) && !self.path.trim().is_empty() {
                    plan_from = Some(RetextSource::File(expand_tilde(self.path.trim())));
                }
            });
            ui.horizontal(|ui| {
                ui.label("From the clipboard:");
                if ui.button("Use clipboard text").clicked() {
                    plan_from = Some(RetextSource::Clipboard);
                }
            });
            let name = ui.label("Or paste the new text here:");
            egui::ScrollArea::vertical()
                .max_height(160.0)
                .show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut self.pasted)
                            .desired_width(520.0)
                            .desired_rows(5)
                            .hint_text("The corrected article (Ctrl+V)"),
                    )
                    .labelled_by(name.id);
                });
            if ui
                .add_enabled(
                    !self.pasted.trim().is_empty(),
                    egui::Button::new("Use pasted text"),
                )
                .clicked()
            {
                plan_from = Some(RetextSource::Text(self.pasted.clone()));
            }
        });
        if self.busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Re-anchoring the spans… (the progress is in the menu bar)");
            });
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if let Some(plan) = &self.plan {
            ui.separator();
            ui.strong(format!(
                "{} span(s): {} kept, {} moved, {} corrected (fuzzy), {} orphaned",
                plan.placements.len(),
                plan.count(Status::Kept),
                plan.count(Status::Moved),
                plan.count(Status::Fuzzy),
                plan.count(Status::Orphaned)
            ));
            if !self.corrected.is_empty() {
                ui.label("These spans' text is corrected (old → new):");
                egui::ScrollArea::vertical()
                    .id_salt("corrected-preview")
                    .max_height(140.0)
                    .show(ui, |ui| {
                        for c in &self.corrected {
                            ui.label(describe_correction(c));
                        }
                    });
            }
            if !self.orphan_quotes.is_empty() {
                ui.label("These will become orphans (their text was not found with confidence):");
                egui::ScrollArea::vertical()
                    .id_salt("orphan-preview")
                    .max_height(120.0)
                    .show(ui, |ui| {
                        for q in &self.orphan_quotes {
                            ui.label(format!("• “{q}”"));
                        }
                    });
            }
        }
        let mut replace = false;
        let mut cancel = cx.escape;
        ui.horizontal(|ui| {
            replace = ui
                .add_enabled(
                    self.plan.is_some() && !self.busy,
                    egui::Button::new(REPLACE_BUTTON),
                )
                .clicked();
            cancel |= ui.button("Cancel").clicked();
        });
        if let Some(source) = plan_from {
            self.busy = true;
            self.error = None;
            self.plan = None;
            return Outcome::KeepAndRun(vec![UiCommand::PlanRetext {
                doc: self.doc,
                source,
            }]);
        }
        if browse {
            return Outcome::KeepAndRun(vec![UiCommand::Browse(DialogPurpose::ReplaceText)]);
        }
        if replace && let Some(plan) = self.plan.take() {
            return Outcome::Run(vec![UiCommand::ApplyRetext(plan)]);
        }
        if cancel {
            return Outcome::Close;
        }
        Outcome::Keep
    }
}

/// "• #37 “RMB 10” → “RMB 12”; value 10 → 12; value 320 may be stale".
pub fn describe_correction(c: &crate::assist::reread::Corrected) -> String {
    let mut line = format!("• #{} “{}” → “{}”", c.id, short(&c.old), short(&c.new));
    for (name, old, new) in &c.reread {
        let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
        line.push_str(&format!("; {name} {} → {}", shown(old), shown(new)));
    }
    for name in &c.stale {
        line.push_str(&format!("; {name} may be stale (typed by hand)"));
    }
    line
}

/// At most 60 characters of a span's text.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}
