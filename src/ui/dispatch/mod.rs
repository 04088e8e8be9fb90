//! The dispatcher: the only UI code that runs model commands, touches the
//! undo history or starts background jobs. Everything arrives here as a
//! [`UiCommand`], queued while drawing and run after it.
//!
//! ```text
//! keys / pointer / panels / modals ─► UiCommand ─► dispatch ─► History ─► Project
//! ```

mod assist;
mod files;
mod retext;
mod review;
mod sources;
mod view;

use super::app::App;
use super::commands::{Edge, Motion, UiCommand};
use super::modals::{EventModal, EventStep, Modal};
use super::text_view::Selection;
use super::workspace::Workspace;
use crate::model::{ATTRIBUTED_TO, Command, Created, DocId, DocStatus, LabelId, SpanId};
use crate::ui::doc_list::Progress;

impl Workspace {
    /// Executes a model command through the history. Private to the
    /// dispatcher: drawing code cannot change the project.
    fn exec(&mut self, command: Command) -> Result<Created, String> {
        if self.read_only {
            return Err("This project was opened read-only because it has broken records: use File → Save as… to keep a repaired copy, then edit that.".into());
        }
        let r = self.history.execute_by_hand(&mut self.project, command);
        self.after_change();
        r.map_err(|e| e.to_string())
    }
}

impl App {
    /// Runs every queued command, in order (commands may queue more).
    /// Returns true when there was anything to run.
    pub fn run_queue(&mut self, ctx: &egui::Context) -> bool {
        let mut ran = false;
        while let Some(command) = self.queue.pop() {
            self.dispatch(ctx, command);
            ran = true;
        }
        ran
    }

    /// Runs one command. When it changes the project, the selection before
    /// and after it is recorded for undo and redo.
    pub(super) fn dispatch(&mut self, ctx: &egui::Context, command: UiCommand) {
        let before = self
            .ws
            .as_ref()
            .map(|w| (w.history.current_state(), w.mark()));
        let records = !matches!(command, UiCommand::Undo | UiCommand::Redo);
        // Each part hands back what it does not handle: nothing is cloned
        // (a pasted article can be megabytes).
        let unhandled = self
            .dispatch_edit(command)
            .and_then(|c| self.dispatch_assist(ctx, c))
            .and_then(|c| self.dispatch_review(c))
            .and_then(|c| self.dispatch_sources(c))
            .and_then(|c| self.dispatch_retext(ctx, c))
            .and_then(|c| self.dispatch_navigation(c))
            .filter(|c| !self.dispatch_view(ctx, c));
        if let Some(c) = unhandled {
            self.dispatch_files(ctx, c);
        }
        if let (Some(ws), Some((state, mark)), true) = (&mut self.ws, before, records) {
            let now = ws.history.current_state();
            if now != state {
                let after = ws.mark();
                ws.marks.insert(now, (mark, after));
            }
        }
    }

    /// Model edits. Hands `command` back when it is not one of them.
    fn dispatch_edit(&mut self, command: UiCommand) -> Option<UiCommand> {
        // Without a project, edits have nothing to act on; the file
        // dispatcher ignores them.
        let Some(ws) = &mut self.ws else {
            return Some(command);
        };
        let result = match command {
            UiCommand::Undo => {
                self.undo_redo(true);
                return None;
            }
            UiCommand::Redo => {
                self.undo_redo(false);
                return None;
            }
            UiCommand::Tag(label) => {
                self.tag(label);
                return None;
            }
            UiCommand::TagRange {
                doc,
                label,
                start,
                end,
            } => {
                self.tag_range(doc, label, start..end);
                return None;
            }
            UiCommand::Retag { span, label } => {
                self.retag(span, label);
                return None;
            }
            UiCommand::RemoveSpan(id) => {
                let r = remove_span(ws, id);
                return self.report_removal(r);
            }
            UiCommand::DeleteSelected => {
                // Nothing selected: nothing to do (handled).
                let id = ws.selected?;
                let next = ws
                    .current
                    .and_then(|d| ws.project.next_span_in(d, Some(id)));
                let r = remove_span(ws, id);
                if r.is_ok()
                    && let Some(n) = next.filter(|n| *n != id)
                {
                    ws.selected = Some(n);
                }
                return self.report_removal(r);
            }
            UiCommand::ResizeSpan { span, start, end } => {
                ws.exec(Command::ResizeSpan(span, start, end))
            }
            UiCommand::NudgeSelected(edge, motion) => {
                let (id, s, e) = nudged(ws, edge, motion)?;
                ws.exec(Command::ResizeSpan(id, s, e))
            }
            UiCommand::SetNote { span, note } => {
                let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
                ws.exec(Command::SetNote(span, note))
            }
            UiCommand::Link { from, to } => {
                ws.link_from = None;
                ws.exec(Command::AddLink {
                    from,
                    to,
                    kind: ATTRIBUTED_TO.into(),
                })
            }
            UiCommand::RemoveLink(id) => ws.exec(Command::RemoveLink(id)),
            UiCommand::SetAttrs { span, values } => {
                let commands: Vec<Command> = values
                    .into_iter()
                    .map(|(k, v)| Command::SetAttr(span, k, v))
                    .collect();
                ws.exec(Command::Group("set attributes".into(), commands))
            }
            UiCommand::AddFragment { span, start, end } => {
                let r = ws.exec(Command::AddFragment(span, (start, end)));
                if r.is_ok() {
                    ws.select_span(span);
                    if let Some(v) = ws.current_view() {
                        // The fragment is where the user is working.
                        v.scroll_to = None;
                    }
                }
                r
            }
            UiCommand::AddSelectionAsFragment => {
                let Some(span) = ws.fragment_target.or(ws.selected) else {
                    self.info("Tag the first part, select the next part, then press F.");
                    return None;
                };
                let Some(r) = ws.current_view().and_then(|v| v.snapped_selection()) else {
                    self.info("Select the text to add to the span first, then press F.");
                    return None;
                };
                self.queue.push(UiCommand::AddFragment {
                    span,
                    start: r.start,
                    end: r.end,
                });
                return None;
            }
            UiCommand::RemoveFragment { span, index } => {
                ws.exec(Command::RemoveFragment(span, index))
            }
            UiCommand::SetDocumentTitle(doc, title) => {
                ws.exec(Command::RenameDocument(doc, title.trim().to_string()))
            }
            UiCommand::SetArticleSource(doc, source) => {
                ws.exec(Command::SetDocumentSource(doc, source))
            }
            UiCommand::ConfirmRemoveDocument(doc) => ws.exec(Command::RemoveDocument(doc)),
            UiCommand::ApplySchema(change) => {
                let renames = change
                    .renames
                    .into_iter()
                    .map(|(label, from, to)| Command::RenameAttr { label, from, to });
                let removals = change
                    .removals
                    .into_iter()
                    .map(|(label, name)| Command::RemoveAttr { label, name });
                let labels = change.labels.into_iter().map(|(l, new)| {
                    if new {
                        Command::AddLabel(l)
                    } else {
                        Command::UpdateLabel(l)
                    }
                });
                let sourcing = change.sourcing.map(crate::model::registry::set_sourcing);
                let commands = removals
                    .chain(renames)
                    .chain(labels)
                    .chain(sourcing)
                    .collect();
                // The dialog stays open until the project takes the change,
                // so a refusal keeps every edit in it.
                match ws.exec(Command::Group("edit labels".into(), commands)) {
                    Ok(_) => {
                        if matches!(self.modal, Some(Modal::Labels(_))) {
                            self.modal = None;
                        }
                        return None;
                    }
                    Err(e) => match &mut self.modal {
                        Some(Modal::Labels(m)) => {
                            m.refused(e);
                            return None;
                        }
                        _ => Err(e),
                    },
                }
            }
            UiCommand::RenameProject(name) => {
                ws.exec(Command::RenameProject(name.trim().to_string()))
            }
            other => return Some(other),
        };
        if let Err(e) = result {
            self.error(e);
        }
        None
    }

    /// Tells what a span's removal also removed (its events, links…), or
    /// the error.
    fn report_removal(&mut self, result: Result<Option<String>, String>) -> Option<UiCommand> {
        match result {
            Ok(Some(message)) => self.info(message),
            Ok(None) => {}
            Err(e) => self.error(e),
        }
        None
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(ws) = &mut self.ws else { return };
        // The entry undone is the current state's; the one redone becomes it.
        let undone = ws.history.current_state();
        let r = if undo {
            ws.history.undo(&mut ws.project)
        } else {
            ws.history.redo(&mut ws.project)
        };
        ws.after_change();
        match r {
            Ok(_) => {
                let mark = if undo {
                    ws.marks.get(&undone).map(|(before, _)| before.clone())
                } else {
                    let redone = ws.history.current_state();
                    ws.marks.get(&redone).map(|(_, after)| after.clone())
                };
                if let Some(m) = mark {
                    ws.restore_mark(&m);
                }
            }
            Err(e) => self.info(e.to_string()),
        }
    }

    /// Tags the selection with `label`, or retags the selected span.
    fn tag(&mut self, label: LabelId) {
        let Some(ws) = &mut self.ws else { return };
        if let Some(id) = ws.selected {
            self.retag(id, label);
            return;
        }
        let Some(doc) = ws.current else { return };
        let Some(range) = ws.current_view().and_then(|v| v.snapped_selection()) else {
            self.info("Select some text first (drag, or Shift+arrows), then press a label key.");
            return;
        };
        self.tag_range(doc, label, range);
    }

    /// Retags a span; links the new label would break are removed in the
    /// same undo step, and the notice says how many.
    fn retag(&mut self, span: crate::model::SpanId, label: LabelId) {
        let Some(ws) = &mut self.ws else { return };
        if ws.project.span(span).is_none_or(|s| s.label == label) {
            return;
        }
        let name = ws.project.label_name(&label).to_string();
        match ws.exec(Command::RetagSpan(span, label)) {
            Ok(c) if !c.removed_links.is_empty() => {
                let n = c.removed_links.len();
                self.info(format!(
                    "Retagged span {span} as {name}, and removed {n} link(s) that a {name} span cannot have (Ctrl+Z undoes both)."
                ));
            }
            Ok(_) => {}
            Err(e) => self.error(e),
        }
    }

    /// Tags `range` of `doc`; the new span is selected and the caret put
    /// at its end.
    fn tag_range(&mut self, doc: DocId, label: LabelId, range: std::ops::Range<usize>) {
        let Some(ws) = &mut self.ws else { return };
        if ws.current != Some(doc) {
            ws.current = Some(doc);
            ws.selected = None;
        }
        if let Some(twin) = ws
            .project
            .same_span(doc, &label, &[(range.start, range.end)], None)
        {
            // A second, identical span would look like one and count twice.
            ws.selected = Some(twin);
            if let Some(v) = ws.current_view() {
                v.selection = Some(Selection::caret(range.end));
            }
            let name = ws.project.label_name(&label).to_string();
            self.info(format!(
                "{name} #{twin} already covers exactly this text: selected it."
            ));
            return;
        }
        let command = Command::AddSpan {
            doc,
            label,
            start: range.start,
            end: range.end,
            note: None,
            created: crate::clock::now_rfc3339(),
        };
        match ws.exec(command) {
            Ok(created) => {
                if let Some(id) = created.spans.first() {
                    ws.selected = Some(*id);
                    if let Some(v) = ws.current_view() {
                        v.selection = Some(Selection::caret(range.end));
                    }
                }
            }
            Err(e) => self.error(e),
        }
    }

    /// Selection and view changes (no model edit). Hands `command`
    /// back when it is not one of them.
    fn dispatch_navigation(&mut self, command: UiCommand) -> Option<UiCommand> {
        match &command {
            UiCommand::ToggleHelp => {
                self.show_help = !self.show_help;
                return None;
            }
            UiCommand::Cancel => self.show_help = false,
            UiCommand::StartLink => {
                if let Some(why) = self.ws.as_ref().and_then(Workspace::cannot_start_link) {
                    self.info(why);
                    return None;
                }
            }
            _ => {}
        }
        let Some(ws) = &mut self.ws else {
            return Some(command);
        };
        match command {
            UiCommand::ClickSpan { span, scroll } => match ws.link_from {
                Some(from) if from != span => self.queue.push(UiCommand::Link { from, to: span }),
                Some(_) => {}
                None => {
                    ws.select_span(span);
                    if !scroll && let Some(v) = ws.current_view() {
                        // The span is under the pointer: keep the text still.
                        v.scroll_to = None;
                    }
                }
            },
            UiCommand::SelectSpan(Some(id)) => ws.select_span(id),
            UiCommand::SelectSpan(None) => {
                // Remembered so that F can add the new selection to it.
                if let Some(s) = ws.selected.take() {
                    ws.fragment_target = Some(s);
                }
            }
            UiCommand::NextSpan | UiCommand::PrevSpan => {
                let doc = ws.current?;
                let next = if command == UiCommand::NextSpan {
                    ws.project.next_span_in(doc, ws.selected)
                } else {
                    ws.project.prev_span_in(doc, ws.selected)
                };
                if let Some(id) = next {
                    ws.select_span(id);
                }
            }
            UiCommand::Caret { motion, extend } => {
                let span = ws
                    .selected
                    .and_then(|id| ws.project.span(id))
                    .map(|s| s.range());
                if let Some(v) = ws.current_view() {
                    v.move_caret(motion, extend, span);
                }
                ws.selected = None;
            }
            UiCommand::StartLink => ws.link_from = ws.selected,
            UiCommand::SelectSentence => {
                let span = ws
                    .selected
                    .and_then(|id| ws.project.span(id))
                    .map(|s| s.range());
                if let Some(v) = ws.current_view() {
                    v.select_sentence(span);
                }
                ws.selected = None;
            }
            UiCommand::LinkNearestSource => {
                let Some(from) = ws.selected else {
                    self.info("Select a claim or figure first.");
                    return None;
                };
                match ws.project.nearest_source(from) {
                    Some((to, _)) => self.queue.push(UiCommand::Link { from, to }),
                    None => self.info("No source attribution to link to in this article."),
                }
            }
            UiCommand::Cancel => {
                // Esc undoes the most transient thing first: linking, the
                // event being built, the find bar (wherever the keyboard
                // is), then the selection.
                if ws.link_from.take().is_none()
                    && ws.event_target.take().is_none()
                    && ws.find.take().is_none()
                {
                    // Keep a caret where the span or selection was, so that
                    // keyboard tagging goes on from there.
                    let at = ws
                        .selected
                        .and_then(|id| ws.project.span(id))
                        .map(|s| s.end);
                    ws.selected = None;
                    if let Some(v) = ws.current_view() {
                        let caret = at.or(v.selection.map(|s| s.head));
                        v.selection = caret.map(Selection::caret);
                    }
                }
            }
            UiCommand::ShowDocument(doc) => {
                ws.current = Some(doc);
                ws.selected = None;
            }
            UiCommand::NewEvent => {
                let Some(trigger) = ws.selected else {
                    self.info("Select the span that triggers the event (its cue) first.");
                    return None;
                };
                let step = EventStep::Kind { trigger };
                self.modal = Some(Modal::Event(EventModal::new(&ws.project, step)));
            }
            UiCommand::CreateEvent { kind, trigger } => {
                let command = Command::AddEvent {
                    kind: kind.clone(),
                    trigger,
                    args: Vec::new(),
                    attrs: Default::default(),
                };
                match ws.exec(command) {
                    Ok(created) => {
                        ws.event_target = created.events.first().copied();
                        self.info(format!(
                            "{kind} event started. Select each argument's span and press Alt+A to add it with its role."
                        ));
                    }
                    Err(e) => self.error(e),
                }
            }
            UiCommand::AddToEvent => {
                let (Some(event), Some(span)) = (ws.event_target, ws.selected) else {
                    self.info("Start an event first (Ctrl+Shift+E on its trigger), or choose one in the details panel; then select a span.");
                    return None;
                };
                if ws.project.event(event).is_none() {
                    ws.event_target = None;
                    self.info("That event is gone (undone or removed).");
                    return None;
                }
                let step = EventStep::Role { event, span };
                self.modal = Some(Modal::Event(EventModal::new(&ws.project, step)));
            }
            UiCommand::AddEventArgument {
                event,
                role,
                target,
            } => {
                let mut args = ws.project.event(event)?.args.clone();
                args.push((role.clone(), target));
                match ws.exec(Command::SetEventArgs(event, args)) {
                    Ok(_) => {
                        ws.event_target = Some(event);
                        self.info(format!(
                            "Added as {role}. Alt+A adds another; Esc leaves the event."
                        ));
                    }
                    Err(e) => self.error(e),
                }
            }
            UiCommand::RemoveEventArgument(event, index) => {
                let mut args = ws.project.event(event)?.args.clone();
                if index < args.len() {
                    args.remove(index);
                    if let Err(e) = ws.exec(Command::SetEventArgs(event, args)) {
                        self.error(e);
                    }
                }
            }
            UiCommand::RemoveEvent(event) => {
                let kind = ws.project.event(event)?.kind.clone();
                match ws.exec(Command::RemoveEvent(event)) {
                    Ok(_) => {
                        if ws.event_target == Some(event) {
                            ws.event_target = None;
                        }
                        self.info(format!(
                            "Removed {kind} event #{event}; its spans stay (Ctrl+Z brings it back)."
                        ));
                    }
                    Err(e) => self.error(e),
                }
            }
            UiCommand::ChooseEvent(event) => ws.event_target = event,
            UiCommand::MarkArticle(status) => {
                let doc = ws.current?;
                let now = ws.project.document(doc)?.status;
                // Marking a finished article again reopens it.
                let status = if now == status && status.is_finished() {
                    DocStatus::InProgress
                } else {
                    status
                };
                self.queue.push(UiCommand::SetArticleStatus(doc, status));
            }
            UiCommand::SetArticleStatus(doc, status) => {
                let title = ws.project.document(doc)?.title.clone();
                match ws.exec(Command::SetDocumentStatus(doc, status)) {
                    Ok(_) => {
                        let progress = Progress::of(&ws.project).describe();
                        self.info(format!(
                            "“{}” is {}. {progress}.",
                            crate::ui::text_view::excerpt(&title, 60),
                            status.title().to_lowercase()
                        ));
                    }
                    Err(e) => self.error(e),
                }
            }
            UiCommand::SetLabelShown(label, shown) => {
                if shown {
                    ws.hidden_labels.remove(&label);
                } else {
                    ws.hidden_labels.insert(label);
                }
            }
            UiCommand::RenameDocument => {
                if let Some(d) = ws.current.and_then(|d| ws.project.document(d)) {
                    self.modal = Some(Modal::rename(Some(d.id), d.title.clone()));
                }
            }
            UiCommand::ArticleInfo => {
                if let Some(d) = ws.current.and_then(|d| ws.project.document(d)) {
                    self.modal = Some(Modal::Info(Box::new(crate::ui::modals::InfoModal::new(
                        d.id,
                        d.source.as_deref(),
                    ))));
                }
            }
            UiCommand::EditAttributes => match ws.selected.and_then(|id| ws.project.span(id)) {
                Some(span) => match crate::ui::modals::AttributesModal::new(&ws.project, span) {
                    Some(m) => self.modal = Some(Modal::Attributes(m)),
                    None => self.info("This label has no attributes."),
                },
                None => self.info("Select a span first, then press V."),
            },
            UiCommand::EditLabels => {
                self.modal = Some(Modal::Labels(crate::ui::modals::LabelsModal::new(
                    &ws.project,
                )));
            }
            UiCommand::RenameProjectDialog => {
                self.modal = Some(Modal::rename(None, ws.project.name().to_string()));
            }
            UiCommand::RemoveDocument => {
                if let Some(d) = ws.current {
                    self.modal = Some(Modal::confirm_remove(d));
                }
            }
            other => return Some(other),
        }
        None
    }
}

/// The selected span with one end moved by `motion`, if that leaves it
/// non-empty.
fn nudged(
    ws: &Workspace,
    edge: Edge,
    motion: Motion,
) -> Option<(crate::model::SpanId, usize, usize)> {
    let span = ws.selected.and_then(|id| ws.project.span(id))?;
    let text = &ws.project.document(span.doc)?.text;
    let at = match edge {
        Edge::Start => span.start,
        Edge::End => span.end,
    };
    let moved = match motion {
        Motion::Left => text.prev_grapheme(at),
        Motion::Right => text.next_grapheme(at),
        Motion::WordLeft => text.prev_word_start(at),
        _ => text.next_word_end(at),
    };
    let (s, e) = match edge {
        Edge::Start => (moved, span.end),
        Edge::End => (span.start, moved),
    };
    (s < e && (s, e) != (span.start, span.end)).then_some((span.id, s, e))
}

/// Deletes a span; the message says what else went with it, if anything
/// ("Deleted Cue #12; also removed Attribution event #1 with 3 arguments").
fn remove_span(ws: &mut Workspace, id: SpanId) -> Result<Option<String>, String> {
    let name = ws.project.span(id).map(|s| {
        let label = ws
            .project
            .label(&s.label)
            .map_or_else(|| s.label.to_string(), |l| l.name.clone());
        format!("{label} #{id}")
    });
    let created = ws.exec(Command::RemoveSpan(id))?;
    Ok(created.removed.besides(&[id]).map(|also| {
        format!(
            "Deleted {}; also removed {also} (Ctrl+Z brings them back).",
            name.unwrap_or_else(|| format!("span #{id}"))
        )
    }))
}
