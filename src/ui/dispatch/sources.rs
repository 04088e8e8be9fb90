//! The source registry's commands: the picker, assigning, adding, editing,
//! merging, splitting and removing entries (each one undo step), and the
//! Sources and Sourcing windows.

use crate::model::registry::{self, is_source_span};
use crate::ui::app::App;
use crate::ui::commands::UiCommand;
use crate::ui::modals::{Modal, SourcePickerModal};
use crate::ui::workspace::{SourcesWindow, SourcingWindow};

impl App {
    /// Registry commands. Hands `command` back when it is not one of them.
    pub(super) fn dispatch_sources(&mut self, command: UiCommand) -> Option<UiCommand> {
        let Some(ws) = &mut self.ws else {
            return Some(command);
        };
        let result = match command {
            UiCommand::PickSource => {
                match ws.selected.filter(|s| is_source_span(&ws.project, *s)) {
                    Some(span) => {
                        self.modal = Some(Modal::SourcePicker(SourcePickerModal::new(
                            &ws.project,
                            span,
                        )));
                    }
                    None => self.info(
                        "Select a source attribution span first, then press W to say who it is.",
                    ),
                }
                return None;
            }
            UiCommand::AssignSource { span, source } => {
                let command = registry::assign(&ws.project, span, source);
                ws.exec(command).map(|_| {
                    source
                        .and_then(|s| ws.project.source(s))
                        .map(|e| format!("Source: {} ({}, {}).", e.name, e.identification, e.kind))
                })
            }
            UiCommand::NewSourceFor { span, entry } => {
                let (id, add) = registry::add(&ws.project, *entry);
                let assign = crate::model::Command::Edits(
                    String::new(),
                    vec![crate::model::Edit::SetMention(span, Some(id))],
                );
                let name = add.name(&ws.project);
                let both = crate::model::Command::Group(name, vec![add, assign]);
                ws.exec(both).map(|_| {
                    ws.project.source(id).map(|e| {
                        format!("New source: {} ({}, {}).", e.name, e.identification, e.kind)
                    })
                })
            }
            UiCommand::UpdateSource(entry) => registry::update(&ws.project, *entry)
                .map_err(|e| e.to_string())
                .and_then(|c| ws.exec(c))
                .map(|_| None),
            UiCommand::MergeSources { from, into } => {
                let said = match (ws.project.source(from), ws.project.source(into)) {
                    (Some(a), Some(b)) => format!(
                        "Merged “{}” into “{}” ({} mention(s) moved; Ctrl+Z undoes).",
                        a.name,
                        b.name,
                        ws.project.mentions().filter(|(_, e)| *e == from).count()
                    ),
                    _ => String::new(),
                };
                let r = registry::merge(&ws.project, from, into)
                    .map_err(|e| e.to_string())
                    .and_then(|c| ws.exec(c))
                    .map(|_| Some(said));
                if r.is_ok()
                    && let Some(w) = &mut ws.sources_window
                {
                    w.chosen = Some(into);
                    w.draft = None;
                    w.merge_into = None;
                }
                r
            }
            UiCommand::SplitSource {
                source,
                spans,
                name,
            } => match registry::split(&ws.project, source, &spans, &name) {
                Ok((id, c)) => ws.exec(c).map(|_| {
                    if let Some(w) = &mut ws.sources_window {
                        w.chosen = Some(id);
                        w.draft = None;
                        w.ticked.clear();
                        w.split_name.clear();
                    }
                    Some(format!("{} mention(s) split off as “{name}”.", spans.len()))
                }),
                Err(e) => Err(e.to_string()),
            },
            UiCommand::RemoveSource(id) => registry::remove(&ws.project, id)
                .map_err(|e| e.to_string())
                .and_then(|c| {
                    let name = c.name(&ws.project);
                    ws.exec(c).map(|_| Some(format!("Removed: {name}.")))
                }),
            UiCommand::ToggleSources => {
                ws.sources_window = match ws.sources_window.take() {
                    Some(_) => None,
                    None => Some(SourcesWindow {
                        chosen: ws.selected.and_then(|s| ws.project.mention(s)),
                        ..SourcesWindow::default()
                    }),
                };
                return None;
            }
            UiCommand::ToggleSourcing => {
                ws.sourcing_window = match ws.sourcing_window.take() {
                    Some(_) => None,
                    None => Some(SourcingWindow::default()),
                };
                return None;
            }
            other => return Some(other),
        };
        match result {
            Ok(Some(said)) if !said.is_empty() => self.info(said),
            Ok(_) => {}
            Err(e) => self.error(e),
        }
        None
    }
}
