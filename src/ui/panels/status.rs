//! The status bar and the notices.

use crate::ui::app::App;
use crate::ui::doc_list::thousands;
use egui::{Color32, RichText, Ui};

impl App {
    /// Notices as toasts over the bottom right of the window, newest at the
    /// bottom. They float: showing or closing one never moves the text.
    pub(super) fn notices_toasts(&mut self, ctx: &egui::Context) {
        if let Some(next) = self.expire_notices(std::time::Instant::now()) {
            ctx.request_repaint_after(next);
        }
        if self.notices.is_empty() {
            return;
        }
        let mut dismiss = None;
        egui::Area::new(egui::Id::unique("notices"))
            .order(egui::Order::Foreground)
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -36.0))
            .interactable(true)
            .show(ctx, |ui| {
                ui.set_max_width(520.0);
                let first = self.notices.len().saturating_sub(4);
                for (i, n) in self.notices.iter().enumerate().skip(first) {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            if ui.small_button("✕").on_hover_text("Dismiss").clicked() {
                                dismiss = Some(i);
                            }
                            let color = if n.error {
                                Color32::from_rgb(220, 50, 50)
                            } else {
                                ui.visuals().text_color()
                            };
                            let r = ui
                                .add(egui::Label::new(RichText::new(&n.text).color(color)).wrap());
                            // A live region: screen readers say it when it
                            // appears (errors at once).
                            let live = if n.error {
                                egui::accesskit::Live::Assertive
                            } else {
                                egui::accesskit::Live::Polite
                            };
                            ui.ctx()
                                .accesskit_node_builder(r.id, |node| node.set_live(live));
                        });
                    });
                }
            });
        // Dismissing is view state, like scrolling: no command needed.
        if let Some(i) = dismiss {
            self.notices.remove(i);
        }
    }

    /// Counts per label, the selection, linking mode and saved state on
    /// the left (cut off where the window is too narrow); progress and
    /// saved state on the right, always whole.
    pub(super) fn status_bar(&mut self, ui: &mut Ui) {
        let Some(ws) = &mut self.ws else {
            ui.label("No project open");
            return;
        };
        let saved = if ws.is_dirty() {
            "Unsaved changes"
        } else {
            "Saved"
        };
        let progress_text = progress_text(ws);
        let finished = ws.corpus_facts().progress.finished_share();
        egui::Sides::new().shrink_left().show(
            ui,
            |ui| status_left(ui, ws),
            |ui| {
                ui.label(saved);
                if let Some(text) = progress_text {
                    ui.separator();
                    ui.label(text);
                    ui.add(
                        egui::ProgressBar::new(finished)
                            .desired_width(60.0)
                            .desired_height(8.0),
                    )
                    .on_hover_text("Articles done or skipped");
                }
            },
        );
    }
}

/// The left part of the status bar: one line, cut short with "…" where the
/// window is too narrow (the whole line shows on hover), so it never runs
/// under the right part. Linking mode comes first: it changes what a click
/// does.
fn status_left(ui: &mut Ui, ws: &mut crate::ui::workspace::Workspace) {
    let mut line = StatusLine::new(ui);
    if ws.link_from.is_some() {
        line.push(
            "Linking: click a source attribution (Esc cancels)",
            Some(Color32::from_rgb(220, 60, 60)),
        );
        line.separator();
    }
    for (id, n) in ws.counts() {
        if let Some(l) = ws.project.label(&id) {
            line.push(
                "■ ",
                Some(Color32::from_rgb(l.color.0, l.color.1, l.color.2)),
            );
            line.push(&format!("{} {n}   ", l.name), None);
        }
    }
    line.separator();
    line.push(&position_text(ws), None);
    if let Some(f) = &ws.find {
        line.separator();
        line.push(&format!("Find: {}", f.count_text()), None);
    }
    if let Some(text) = suggestions_text(ui.ctx(), ws) {
        line.separator();
        line.push(&text, None);
    }
    let job = line.job;
    ui.add(egui::Label::new(job).truncate())
        .on_hover_text(line.plain);
}

/// A status line being built: coloured pieces, and the same as plain text
/// for the tooltip.
struct StatusLine {
    job: egui::text::LayoutJob,
    plain: String,
    font: egui::FontId,
    color: Color32,
    /// A separator goes before the next non-empty piece.
    separate: bool,
}

impl StatusLine {
    fn new(ui: &Ui) -> Self {
        Self {
            job: egui::text::LayoutJob::default(),
            plain: String::new(),
            font: egui::TextStyle::Body.resolve(ui.style()),
            color: ui.visuals().text_color(),
            separate: false,
        }
    }

    fn push(&mut self, text: &str, color: Option<Color32>) {
        if text.is_empty() {
            return;
        }
        if std::mem::take(&mut self.separate) {
            self.append(" │  ", None);
        }
        self.append(text, color);
    }

    fn append(&mut self, text: &str, color: Option<Color32>) {
        let format = egui::TextFormat::simple(self.font.clone(), color.unwrap_or(self.color));
        self.job.append(text, 0.0, format);
        self.plain.push_str(text);
    }

    fn separator(&mut self) {
        self.separate = !self.plain.is_empty();
    }
}

/// "Span 5: 10–24 (14 chars)", "Selection …", "Caret 12" or empty.
fn position_text(ws: &mut crate::ui::workspace::Workspace) -> String {
    let selected = ws
        .selected
        .and_then(|id| ws.project.span(id))
        .map(|s| (s.id, s.start, s.end));
    match (selected, ws.current_view()) {
        (Some((id, s, e)), _) => format!("Span {id}: {s}–{e} ({} chars)", e - s),
        (None, Some(v)) => match (v.snapped_selection(), v.selection) {
            (Some(r), _) => format!(
                "Selection {}–{} ({} chars)",
                r.start,
                r.end,
                r.end - r.start
            ),
            (None, Some(s)) => format!("Caret {}", s.head),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// "Article 4 of 1,005 · 312 of 1,005 done", or None without articles.
fn progress_text(ws: &mut crate::ui::workspace::Workspace) -> Option<String> {
    let facts = ws.corpus_facts();
    let p = facts.progress;
    if p.total == 0 {
        return None;
    }
    let at = facts.position;
    Some(match at {
        Some((at, n)) => format!(
            "Article {} of {} · {}",
            thousands(at),
            thousands(n),
            p.describe()
        ),
        None => p.describe(),
    })
}

/// "12 suggestions (G: next, A: accept)", or None when hidden or none.
pub(super) fn suggestions_text(
    ctx: &egui::Context,
    ws: &mut crate::ui::workspace::Workspace,
) -> Option<String> {
    let chars = ws.current_chars();
    if !ws.suggestions.shows(chars) {
        return (ws.suggestions.visible && chars > crate::ui::assist::LONG_ARTICLE_CHARS).then(
            || {
                "Suggestions are off for long texts: View → Suggestions or G turns them on"
                    .to_string()
            },
        );
    }
    let state = ws.history.current_state();
    let n = ws.suggestions.pending_count(&ws.project, state)?;
    if ws.suggestions.count_stale(state) {
        ctx.request_repaint_after(std::time::Duration::from_millis(250));
    }
    let here = ws
        .suggestions
        .current_origin()
        .map_or(String::new(), |o| format!("{o} · "));
    (n > 0).then(|| format!("{here}{n} suggestion(s): G next, A accept, X reject"))
}
