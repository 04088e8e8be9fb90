//! Replacing an article's text and dealing with orphans: each step is one
//! undoable model command.

use crate::model::anchor::{RetextPlan, Status};
use crate::model::{Command, SpanId};
use crate::ui::app::App;
use crate::ui::commands::{RetextSource, UiCommand};
use crate::ui::modals::{Modal, RetextModal};
use std::sync::Arc;

impl App {
    /// Re-text and orphan commands. Hands `command` back when it is not
    /// one of them.
    pub(super) fn dispatch_retext(
        &mut self,
        ctx: &egui::Context,
        command: UiCommand,
    ) -> Option<UiCommand> {
        let Some(ws) = &mut self.ws else {
            return Some(command);
        };
        match command {
            UiCommand::ReplaceText => {
                let Some(doc) = ws.current.and_then(|d| ws.project.document(d)) else {
                    self.info("Open an article first.");
                    return None;
                };
                self.modal = Some(Modal::Retext(RetextModal::new(doc.id, doc.title.clone())));
            }
            UiCommand::PlanRetext { doc, source } => {
                let source = match source {
                    // The clipboard belongs to the window's thread.
                    RetextSource::Clipboard => {
                        match arboard::Clipboard::new().and_then(|mut c| c.get_text()) {
                            Ok(t) if !t.trim().is_empty() => RetextSource::Text(t),
                            _ => {
                                self.retext_failed(
                                "The clipboard holds no text: copy the corrected article first, or paste it into the box.".into(),
                            );
                                return None;
                            }
                        }
                    }
                    s => s,
                };
                let project = ws.project.clone();
                self.jobs.plan_retext(ctx, project, doc, source);
            }
            UiCommand::ApplyRetext(plan) => self.apply_retext(&plan),
            UiCommand::SelectOrphan(id) => ws.selected_orphan = id,
            UiCommand::ReattachOrphan => self.reattach_orphan(),
            UiCommand::DiscardOrphan(id) => {
                let quote = ws.project.orphan(id).map(|o| o.quote.clone());
                match ws.exec(Command::DiscardOrphan(id)) {
                    Ok(_) => {
                        if ws.selected_orphan == Some(id) {
                            ws.selected_orphan = None;
                        }
                        self.info(format!(
                            "Discarded the orphan “{}” (Ctrl+Z brings it back).",
                            short(&quote.unwrap_or_default())
                        ));
                    }
                    Err(e) => self.error(e),
                }
            }
            other => return Some(other),
        }
        None
    }

    /// A plan arrived from the background: show it in the dialog.
    pub(super) fn retext_planned(&mut self, result: Result<Arc<RetextPlan>, String>) {
        let plan = match result {
            Ok(plan) => plan,
            Err(e) => {
                self.retext_failed(e);
                return;
            }
        };
        let quotes: Vec<String> = self.ws.as_ref().map_or(Vec::new(), |ws| {
            let text = ws.project.document(plan.doc).map(|d| d.text.clone());
            plan.placements
                .iter()
                .filter(|p| p.status == Status::Orphaned)
                .filter_map(|p| Some(short(&ws.project.span(p.id)?.quote(text.as_ref()?))))
                .collect()
        });
        let corrected = self.ws.as_ref().map_or(Vec::new(), |ws| {
            crate::assist::reread::corrections(&ws.project, &plan)
        });
        match &mut self.modal {
            Some(Modal::Retext(m)) if m.doc == plan.doc => {
                m.busy = false;
                m.orphan_quotes = quotes;
                m.corrected = corrected;
                m.plan = Some(plan);
            }
            // The dialog was closed meanwhile: nothing to show.
            _ => {}
        }
    }

    fn retext_failed(&mut self, message: String) {
        match &mut self.modal {
            Some(Modal::Retext(m)) => {
                m.busy = false;
                m.error = Some(message);
            }
            _ => self.error(message),
        }
    }

    fn apply_retext(&mut self, plan: &RetextPlan) {
        let Some(ws) = &mut self.ws else { return };
        ws.selected = None;
        ws.selected_orphan = None;
        // Figure values read from a corrected text are read again, in the
        // same undo step; values typed by hand are marked instead.
        let corrected = crate::assist::reread::corrections(&ws.project, plan);
        let reread: usize = corrected.iter().map(|c| c.reread.len()).sum();
        let stale: usize = corrected.iter().map(|c| c.stale.len()).sum();
        match ws.exec(crate::assist::reread::retext_command(plan, &corrected)) {
            Ok(_) => {
                ws.current = Some(plan.doc);
                let orphaned = plan.count(Status::Orphaned);
                let mut tail = String::new();
                if reread > 0 {
                    tail.push_str(&format!(
                        "; {reread} figure value(s) read again from the corrected text"
                    ));
                }
                if stale > 0 {
                    tail.push_str(&format!(
                        "; {stale} value(s) typed by hand marked “may be stale” (see the span's details, or `marginalia check`)"
                    ));
                }
                if let Some(file) = plan.source.as_ref().and_then(|s| s.file_name.as_deref()) {
                    tail.push_str(&format!(
                        "; the article's info now names {file} and its hash (Ctrl+I)"
                    ));
                }
                if orphaned > 0 {
                    tail.push_str(&format!(
                        "; {orphaned} orphaned: they are listed under Orphans in the span panel (select text, press R to re-attach)"
                    ));
                }
                self.info(format!(
                    "Replaced the text: {} span(s) kept, {} moved, {} corrected{tail}. Ctrl+Z undoes it.",
                    plan.count(Status::Kept),
                    plan.count(Status::Moved),
                    plan.count(Status::Fuzzy),
                ));
            }
            Err(e) => self.error(format!("The text was not replaced: {e}")),
        }
    }

    /// Re-attaches the chosen orphan (or the article's first) to the text
    /// selection.
    fn reattach_orphan(&mut self) {
        let Some(ws) = &mut self.ws else { return };
        let Some(doc) = ws.current else { return };
        let id: Option<SpanId> = ws
            .selected_orphan
            .filter(|id| ws.project.orphan(*id).is_some_and(|o| o.span.doc == doc))
            .or_else(|| ws.project.orphans_in(doc).next().map(|o| o.span.id));
        let Some(id) = id else {
            self.info("This article has no orphans.");
            return;
        };
        let Some(range) = ws.current_view().and_then(|v| v.snapped_selection()) else {
            self.info("Select the text the orphan belongs to, then press R (or click Re-attach).");
            return;
        };
        match ws.exec(Command::Reattach(id, vec![(range.start, range.end)])) {
            Ok(_) => {
                ws.selected_orphan = None;
                ws.selected = Some(id);
            }
            Err(e) => self.error(e),
        }
    }
}

/// At most 80 characters of a quote.
fn short(quote: &str) -> String {
    let mut s: String = quote.chars().take(80).collect();
    if s.len() < quote.len() {
        s.push('…');
    }
    s
}
