//! Drawing the workbench: menus, side panels, the text, the status bar,
//! dialogs and the start screen. Drawing reads the state and emits
//! [`UiCommand`]s; the one frame function runs them once everything is drawn.

mod articles;
mod attributes;
mod central;
mod help;
mod layout;
mod learning;
mod menus;
mod review;
mod sources;
mod sourcing;
mod spans;
mod start;
mod status;

pub use articles::{ARTICLE_FILTER_LABEL, status_mark};
pub use help::{HELP_SEARCH_LABEL, filter_rows, help_rows};
pub use layout::{FOLDED, MIN_TEXT};
pub use review::REVIEW_LABEL;
pub use sources::SOURCES_FILTER_LABEL;
pub use sourcing::check_title;
pub use spans::SPAN_LIST_LABEL;
pub use start::bundled_sample;

use super::app::{App, Unfolded};
use super::commands::{CommandQueue, UiCommand};
use super::modals::{ModalCx, Outcome};
use egui::Ui;

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame(&ctx, ui);
    }
}

impl App {
    /// One frame of the whole UI: input → commands; draw (reading only,
    /// emitting commands); dispatch; autosave.
    pub fn frame(&mut self, ctx: &egui::Context, ui: &mut Ui) {
        self.poll_jobs(ctx);
        if let Some(ws) = &mut self.ws {
            if ws.learning.gate.is_none() {
                ws.learning.gate = self.learn_gate.clone();
            }
            let state = ws.history.current_state();
            if let Some(trained) = ws.learning.poll(Some(ctx), &ws.project, state) {
                ws.suggestions.set_learned(trained);
            }
        }
        self.handle_close_request(ctx);
        self.handle_dropped_files(ctx);
        self.handle_keys(ctx);

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menus(ui));
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        match &mut self.ws {
            Some(ws) => {
                let plan = self.unfolded.plan(ui.available_width(), &self.settings, ws);
                let spans = self.settings.show_spans;
                side_panels(ui, plan, spans, ws, &mut self.unfolded, &mut self.queue);
                egui::CentralPanel::default()
                    .show(ui, |ui| central::central(ui, ws, &mut self.queue));
            }
            None => {
                egui::CentralPanel::default().show(ui, |ui| self.start_screen(ui));
            }
        }
        if let Some(ws) = &mut self.ws {
            sources::sources_window(ctx, ws, &mut self.queue);
            sourcing::sourcing_window(ctx, ws, &mut self.queue);
            learning::learning_window(ctx, ws, &mut self.queue);
        }
        help::help_window(
            ctx,
            &mut self.show_help,
            self.ws.as_ref(),
            &mut self.help_query,
        );
        self.notices_toasts(ctx);

        // Commands run after drawing; a dialog they open is drawn at once,
        // and what it answers runs in the same frame.
        let mut changed = self.run_queue(ctx);
        self.modal_window(ctx);
        changed |= self.run_queue(ctx);
        if changed {
            // This frame was drawn before the commands ran: draw it again.
            ctx.request_repaint();
        }
        self.autosave_tick(ctx);
        self.was_typing = ctx.text_edit_focused();
        let title = self.window_title();
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }

    /// Shows the modal, if any, and acts on its outcome.
    fn modal_window(&mut self, ctx: &egui::Context) {
        let Some(modal) = &mut self.modal else { return };
        let cx = ModalCx {
            ws: self.ws.as_ref(),
            native_dialogs: self.dialogs.native,
            escape: ctx.input(|i| i.key_pressed(egui::Key::Escape)),
        };
        let shown = egui::Modal::new(egui::Id::unique("marginalia-modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            modal.ui(ui, &cx)
        });
        let commands = match shown.inner {
            Outcome::Keep => return,
            Outcome::KeepAndRun(c) => c,
            Outcome::Close => {
                self.modal = None;
                return;
            }
            Outcome::Run(c) => {
                self.modal = None;
                c
            }
        };
        for c in commands {
            self.queue.push(c);
        }
    }
}

/// Makes `r`, a row of a list, a list item at `position` (from 1) of
/// `count` for screen readers ("3 of 120"), keeping its name and state.
fn list_item(ui: &Ui, r: &egui::Response, position: usize, count: usize) {
    ui.ctx().accesskit_node_builder(r.id, |node| {
        node.set_role(egui::accesskit::Role::ListItem);
        node.set_position_in_set(position);
        node.set_size_of_set(count);
    });
}

/// A button that queues `command` when clicked.
fn command_button(
    ui: &mut Ui,
    queue: &mut CommandQueue,
    enabled: bool,
    text: &str,
    command: UiCommand,
) {
    if ui.add_enabled(enabled, egui::Button::new(text)).clicked() {
        queue.push(command);
    }
}

/// Accessible name of the button that unfolds the article list.
pub const UNFOLD_ARTICLES_LABEL: &str = "Show the article list";

/// Accessible name of the button that unfolds the spans and review column.
pub const UNFOLD_RIGHT_LABEL: &str = "Show the spans panel";

impl Unfolded {
    /// Plans the side panels for this window, forgetting an unfold the
    /// window no longer needs.
    pub(crate) fn plan(
        &mut self,
        width: f32,
        settings: &crate::ui::files::Settings,
        ws: &crate::ui::workspace::Workspace,
    ) -> layout::SidePlan {
        let wanted = layout::Wanted {
            articles: settings.show_articles,
            right: settings.show_spans || ws.reviewing(),
            articles_unfolded: false,
            right_unfolded: false,
        };
        let unforced = layout::plan(width, wanted);
        self.articles &= unforced.articles == layout::Side::Folded;
        self.right &= unforced.right == layout::Side::Folded;
        layout::plan(
            width,
            layout::Wanted {
                articles_unfolded: self.articles,
                right_unfolded: self.right,
                ..wanted
            },
        )
    }
}

/// The article list on the left and the spans and review column on the
/// right, each open, folded to a strip, or hidden as planned.
fn side_panels(
    ui: &mut Ui,
    plan: layout::SidePlan,
    show_spans: bool,
    ws: &mut crate::ui::workspace::Workspace,
    unfolded: &mut Unfolded,
    queue: &mut CommandQueue,
) {
    match plan.articles {
        layout::Side::Hidden => {}
        layout::Side::Folded => {
            let strip = egui::Panel::left("documents-folded");
            let hover = "Articles (folded: the window is narrow)";
            unfolded.articles |= folded_strip(ui, strip, "▸", hover, UNFOLD_ARTICLES_LABEL);
        }
        layout::Side::Open { min, max } => {
            egui::Panel::left("documents")
                .resizable(true)
                .default_size(210.0_f32.clamp(min, max))
                .size_range(min..=max)
                .show(ui, |ui| articles::articles_panel(ui, ws, queue));
        }
    }
    match plan.right {
        layout::Side::Hidden => {}
        layout::Side::Folded => {
            let strip = egui::Panel::right("spans-folded");
            let hover = "Spans (folded: the window is narrow)";
            unfolded.right |= folded_strip(ui, strip, "◂", hover, UNFOLD_RIGHT_LABEL);
        }
        layout::Side::Open { min, max } => {
            egui::Panel::right("spans")
                .resizable(true)
                .default_size(340.0_f32.clamp(min, max))
                .size_range(min..=max)
                .show(ui, |ui| right_column(ui, show_spans, ws, queue));
        }
    }
}

/// A folded side panel: a narrow strip with one button, named `name` for
/// screen readers. True when it was clicked (the user unfolds it).
fn folded_strip(ui: &mut Ui, strip: egui::Panel, symbol: &str, hover: &str, name: &str) -> bool {
    strip
        .resizable(false)
        .exact_size(FOLDED)
        .show(ui, |ui| {
            let b = ui.button(symbol).on_hover_text(hover);
            name_node(ui, &b, name);
            b.clicked()
        })
        .inner
}

/// The spans panel, the review panel, or both sharing the column (review
/// on top) while comparing or settling conflicts.
fn right_column(
    ui: &mut Ui,
    show_spans: bool,
    ws: &mut crate::ui::workspace::Workspace,
    queue: &mut CommandQueue,
) {
    match (ws.reviewing(), show_spans) {
        (true, true) => {
            let top = (ui.available_height() * 0.55).max(160.0);
            let width = ui.available_width();
            ui.allocate_ui(egui::vec2(width, top), |ui| {
                ui.set_min_size(egui::vec2(width, top));
                review::review_panel(ui, ws, queue);
            });
            ui.separator();
            spans::spans_panel(ui, ws, queue);
        }
        (true, false) => review::review_panel(ui, ws, queue),
        (false, _) => spans::spans_panel(ui, ws, queue),
    }
}

/// Gives a symbol-only button a name screen readers say.
fn name_node(ui: &Ui, response: &egui::Response, name: &str) {
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(name));
}
