//! Building an event by keyboard: its type, with the selected span as its
//! trigger; then each argument's role, with the span selected since.

use super::{ModalCx, Outcome, ok_cancel, submitted};
use crate::model::{EventId, Project, SpanId, Target};
use crate::ui::commands::UiCommand;
use egui::{RichText, Ui};

/// What the dialog asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum EventStep {
    /// The type of a new event on this trigger.
    Kind {
        /// The trigger span.
        trigger: SpanId,
    },
    /// The role `span` takes in `event`.
    Role {
        /// The event.
        event: EventId,
        /// The argument span.
        span: SpanId,
    },
}

/// Asks for an event's type or an argument's role (one word), offering
/// the ones the project already uses.
#[derive(Debug)]
pub struct EventModal {
    /// What is asked.
    pub step: EventStep,
    /// The word typed so far.
    pub text: String,
    /// Words the project uses here, most used first.
    pub choices: Vec<String>,
    /// Not drawn yet: the field takes the keyboard with its text selected.
    fresh: bool,
}

impl EventModal {
    /// The dialog for `step`, offering the words `project` uses.
    pub fn new(project: &Project, step: EventStep) -> Self {
        let choices = match &step {
            EventStep::Kind { .. } => event_kinds(project),
            EventStep::Role { event, .. } => {
                // Roles this event has not got yet come first.
                let has: Vec<&str> = project
                    .event(*event)
                    .map(|e| e.args.iter().map(|(r, _)| r.as_str()).collect())
                    .unwrap_or_default();
                let mut roles = roles_of_kind(project, *event);
                roles.sort_by_key(|r| has.contains(&r.as_str()));
                roles
            }
        };
        // The likeliest word, selected: Enter takes it, typing replaces it.
        let text = choices.first().cloned().unwrap_or_default();
        EventModal {
            step,
            text,
            choices,
            fresh: true,
        }
    }

    /// Draws the dialog; Enter or OK gives the command.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        let (heading, what) = match &self.step {
            EventStep::Kind { .. } => ("New event", "Type (one word):"),
            EventStep::Role { .. } => ("Add argument", "Role (one word):"),
        };
        ui.heading(heading);
        if let Some(ws) = cx.ws {
            ui.label(RichText::new(self.describe(&ws.project)).italics());
        }
        let name = ui.label(what);
        let output = egui::TextEdit::singleline(&mut self.text).show(ui);
        let r = (*output.response).clone().labelled_by(name.id);
        if !r.has_focus() && !r.lost_focus() {
            r.request_focus();
        }
        if std::mem::take(&mut self.fresh) {
            crate::ui::key_events::select_all(ui.ctx(), r.id, output.state, &self.text);
        }
        if !self.choices.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Used here:").weak());
                for c in &self.choices {
                    if ui.small_button(c).clicked() {
                        self.text = c.clone();
                    }
                }
            });
        }
        let word = self.text.trim().to_string();
        let valid = !word.is_empty() && !word.chars().any(char::is_whitespace);
        if !word.is_empty() && !valid {
            ui.colored_label(ui.visuals().error_fg_color, "One word, without spaces.");
        }
        let enter = submitted(ui, &r);
        let ok_text = match self.step {
            EventStep::Kind { .. } => "Create",
            EventStep::Role { .. } => "Add",
        };
        let (ok, cancel) = ok_cancel(ui, ok_text, valid, cx.escape);
        if (ok || enter) && valid {
            Outcome::Run(vec![match self.step {
                EventStep::Kind { trigger } => UiCommand::CreateEvent {
                    kind: word,
                    trigger,
                },
                EventStep::Role { event, span } => UiCommand::AddEventArgument {
                    event,
                    role: word,
                    target: Target::Span(span),
                },
            }])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }

    /// "Trigger: “said”" or "Attribution #4 on “said”: “Khan” as …".
    fn describe(&self, project: &Project) -> String {
        let quote = |id: SpanId| {
            project
                .span(id)
                .and_then(|s| project.document(s.doc).map(|d| s.quote(&d.text)))
                .map_or(String::new(), |q| crate::ui::text_view::excerpt(&q, 50))
        };
        match &self.step {
            EventStep::Kind { trigger } => format!("Trigger: “{}”", quote(*trigger)),
            EventStep::Role { event, span } => match project.event(*event) {
                Some(e) => format!(
                    "{} #{} on “{}”: “{}” as …",
                    e.kind,
                    e.id,
                    quote(e.trigger),
                    quote(*span)
                ),
                None => String::new(),
            },
        }
    }
}

/// Event types in the project, most used first.
pub fn event_kinds(project: &Project) -> Vec<String> {
    most_used(project.events().map(|e| e.kind.clone()))
}

/// Roles that events of `event`'s type use, most used first.
pub fn roles_of_kind(project: &Project, event: EventId) -> Vec<String> {
    let Some(kind) = project.event(event).map(|e| e.kind.clone()) else {
        return Vec::new();
    };
    most_used(
        project
            .events()
            .filter(|e| e.kind == kind)
            .flat_map(|e| e.args.iter().map(|(r, _)| r.clone())),
    )
}

fn most_used(words: impl Iterator<Item = String>) -> Vec<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in words {
        *counts.entry(w).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().take(8).map(|(w, _)| w).collect()
}
