//! Drawing the workbench: menus, panels, status bar, modals, start screen.

use super::actions::{Action, OTHER_KEYS};
use super::app::{After, App, ModalKind, Workspace};
use super::files::{DialogPurpose, age};
use super::text_view::{ViewEvent, excerpt, label_color};
use crate::model::{ATTRIBUTED_TO, Command, LabelId, SpanId};
use egui::{Color32, RichText, Ui};
use std::path::PathBuf;

/// Accessible label of the span list.
pub const SPAN_LIST_LABEL: &str = "Span list";

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame(&ctx, ui);
    }
}

impl App {
    /// One frame of the whole UI.
    pub fn frame(&mut self, ctx: &egui::Context, ui: &mut Ui) {
        self.poll_jobs(ctx);
        self.handle_close_request(ctx);
        self.handle_dropped_files(ctx);
        self.handle_keys(ctx);
        let title = self.window_title();
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menus(ctx, ui));
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        self.notices_bar(ui);
        if self.ws.is_some() {
            egui::Panel::left("documents")
                .resizable(true)
                .default_size(210.0)
                .show(ui, |ui| self.documents_panel(ctx, ui));
            egui::Panel::right("spans")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| self.spans_panel(ui));
            egui::CentralPanel::default().show(ui, |ui| self.central(ui));
        } else {
            egui::CentralPanel::default().show(ui, |ui| self.start_screen(ctx, ui));
        }
        self.modals(ctx);
        self.help_window(ctx);
        self.autosave(ctx);
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) {
            if self.ws.as_ref().is_some_and(|w| w.is_dirty()) && !self.allow_close {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.modal = Some(ModalKind::Unsaved(After::Quit));
            } else {
                self.forget_recovery_on_clean_exit();
            }
        }
    }

    fn menu_item(&mut self, ctx: &egui::Context, ui: &mut Ui, action: Action, enabled: bool) {
        self.menu_item_titled(ctx, ui, action, action.title().to_string(), enabled);
    }

    fn menu_item_titled(
        &mut self,
        ctx: &egui::Context,
        ui: &mut Ui,
        action: Action,
        title: String,
        enabled: bool,
    ) {
        let mut button = egui::Button::new(title);
        if let Some(sc) = action.shortcut() {
            button = button.shortcut_text(ctx.format_shortcut(&sc));
        }
        if ui.add_enabled(enabled, button).clicked() {
            self.run_action(ctx, action);
            ui.close();
        }
    }

    fn menus(&mut self, ctx: &egui::Context, ui: &mut Ui) {
        let has_ws = self.ws.is_some();
        let has_doc = self.ws.as_ref().is_some_and(|w| w.current.is_some());
        let has_span = self.ws.as_ref().is_some_and(|w| w.selected.is_some());
        ui.menu_button("File", |ui| {
            self.menu_item(ctx, ui, Action::NewProject, true);
            self.menu_item(ctx, ui, Action::Open, true);
            ui.menu_button("Open recent", |ui| {
                if self.recent.paths.is_empty() {
                    ui.label("No recent projects");
                }
                for p in self.recent.paths.clone() {
                    if ui.button(p.display().to_string()).clicked() {
                        self.open_path_guarded(ctx, p);
                        ui.close();
                    }
                }
            });
            self.menu_item(ctx, ui, Action::Save, has_ws);
            self.menu_item(ctx, ui, Action::SaveAs, has_ws);
            self.menu_item(ctx, ui, Action::CloseProject, has_ws);
            ui.separator();
            self.menu_item(ctx, ui, Action::AddArticles, true);
            self.menu_item(ctx, ui, Action::PasteArticle, true);
            self.menu_item(ctx, ui, Action::RenameDocument, has_doc);
            self.menu_item(ctx, ui, Action::RemoveDocument, has_doc);
            ui.separator();
            self.menu_item(ctx, ui, Action::Export, has_ws);
            self.menu_item(ctx, ui, Action::ImportAnnotations, has_ws);
            ui.separator();
            self.menu_item(ctx, ui, Action::Quit, true);
        });
        ui.menu_button("Edit", |ui| {
            let undo = self
                .ws
                .as_ref()
                .and_then(|w| w.history.undo_name().map(str::to_string));
            let redo = self
                .ws
                .as_ref()
                .and_then(|w| w.history.redo_name().map(str::to_string));
            let undo_title = undo
                .as_ref()
                .map_or("Undo".into(), |n| format!("Undo: {n}"));
            let redo_title = redo
                .as_ref()
                .map_or("Redo".into(), |n| format!("Redo: {n}"));
            self.menu_item_titled(ctx, ui, Action::Undo, undo_title, undo.is_some());
            self.menu_item_titled(ctx, ui, Action::Redo, redo_title, redo.is_some());
            ui.separator();
            self.menu_item(ctx, ui, Action::DeleteSpan, has_span);
            self.menu_item(ctx, ui, Action::LinkToSource, has_span);
            self.menu_item(ctx, ui, Action::Cancel, has_ws);
        });
        ui.menu_button("Tag", |ui| {
            let labels: Vec<(LabelId, String, Option<char>)> = self
                .ws
                .as_ref()
                .map(|w| {
                    w.project
                        .labels()
                        .iter()
                        .map(|l| (l.id.clone(), l.name.clone(), l.hotkey))
                        .collect()
                })
                .unwrap_or_default();
            for (id, name, key) in labels {
                let mut b = egui::Button::new(format!("Tag as {name}"));
                if let Some(k) = key {
                    b = b.shortcut_text(k.to_string());
                }
                if ui.add(b).clicked() {
                    self.tag(id);
                    ui.close();
                }
            }
            ui.separator();
            self.menu_item(ctx, ui, Action::NextSpan, has_doc);
            self.menu_item(ctx, ui, Action::PrevSpan, has_doc);
        });
        ui.menu_button("Help", |ui| {
            self.menu_item(ctx, ui, Action::ShortcutHelp, true);
        });
        if let Some(job) = self.job_label() {
            ui.separator();
            ui.spinner();
            ui.label(job);
        }
    }

    fn job_label(&self) -> Option<String> {
        if self.busy() {
            Some(self.job_description())
        } else {
            None
        }
    }

    fn open_path_guarded(&mut self, ctx: &egui::Context, path: PathBuf) {
        if self.ws.as_ref().is_some_and(|w| w.is_dirty()) {
            self.modal = Some(ModalKind::Unsaved(After::Open(Some(path))));
        } else {
            self.use_paths(ctx, DialogPurpose::OpenProject, vec![path]);
        }
    }

    fn notices_bar(&mut self, ui: &mut Ui) {
        if self.notices.is_empty() {
            return;
        }
        egui::Panel::top("notices").show(ui, |ui| {
            let mut dismiss = None;
            for (i, n) in self.notices.iter().enumerate().rev().take(4) {
                ui.horizontal(|ui| {
                    let color = if n.error {
                        Color32::from_rgb(200, 40, 40)
                    } else {
                        ui.visuals().text_color()
                    };
                    if ui.small_button("✕").on_hover_text("Dismiss").clicked() {
                        dismiss = Some(i);
                    }
                    ui.label(RichText::new(&n.text).color(color));
                });
            }
            if let Some(i) = dismiss {
                self.notices.remove(i);
            }
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let Some(ws) = &mut self.ws else {
                ui.label("No project open");
                return;
            };
            let counts = ws.counts();
            for (id, n) in counts {
                if let Some(l) = ws.project.label(&id) {
                    let c = Color32::from_rgb(l.color.0, l.color.1, l.color.2);
                    ui.label(RichText::new("■").color(c));
                    ui.label(format!("{} {n}", l.name));
                }
            }
            ui.separator();
            let selected = ws
                .selected
                .and_then(|id| ws.project.span(id))
                .map(|s| (s.id, s.start, s.end));
            let pos = match (selected, ws.current_view()) {
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
            };
            ui.label(pos);
            if ws.link_from.is_some() {
                ui.separator();
                ui.label(
                    RichText::new("Linking: click a source attribution (Esc cancels)")
                        .color(Color32::from_rgb(220, 60, 60)),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let saved = if ws.is_dirty() {
                    "Unsaved changes"
                } else {
                    "Saved"
                };
                ui.label(saved);
            });
        });
    }

    fn documents_panel(&mut self, ctx: &egui::Context, ui: &mut Ui) {
        ui.heading("Articles");
        let Some(ws) = &mut self.ws else { return };
        let docs: Vec<(crate::model::DocId, String, usize)> = ws
            .project
            .documents()
            .map(|d| (d.id, d.title.clone(), ws.project.span_count_in(d.id)))
            .collect();
        egui::ScrollArea::vertical()
            .id_salt("doc-list")
            .show(ui, |ui| {
                for (id, title, n) in docs {
                    let text = format!("{title}\n{n} spans");
                    if ui
                        .selectable_label(ws.current == Some(id), text)
                        .on_hover_text(format!("Document {id}"))
                        .clicked()
                    {
                        ws.current = Some(id);
                        ws.selected = None;
                    }
                }
            });
        ui.separator();
        if ui.button("Add articles…").clicked() {
            self.run_action(ctx, Action::AddArticles);
        }
        if ui.button("Paste article…").clicked() {
            self.run_action(ctx, Action::PasteArticle);
        }
    }

    fn central(&mut self, ui: &mut Ui) {
        let Some(ws) = &mut self.ws else { return };
        // Label buttons: the clickable twin of the hotkeys.
        let labels: Vec<(LabelId, String, Option<char>, Color32)> = ws
            .project
            .labels()
            .iter()
            .map(|l| {
                (
                    l.id.clone(),
                    l.name.clone(),
                    l.hotkey,
                    Color32::from_rgb(l.color.0, l.color.1, l.color.2),
                )
            })
            .collect();
        let mut tag_with = None;
        let mut start_link = false;
        ui.horizontal_wrapped(|ui| {
            let verb = if ws.selected.is_some() {
                "Retag"
            } else {
                "Tag"
            };
            ui.label(verb);
            for (id, name, key, color) in &labels {
                let text = match key {
                    Some(k) => format!("{k}  {name}"),
                    None => name.clone(),
                };
                let b = egui::Button::new(RichText::new(text).color(Color32::BLACK)).fill(*color);
                if ui
                    .add(b)
                    .on_hover_text(format!("{verb} as {name}"))
                    .clicked()
                {
                    tag_with = Some(id.clone());
                }
            }
            ui.separator();
            if ui
                .add_enabled(
                    ws.selected.is_some(),
                    egui::Button::new("Link to source… (L)"),
                )
                .clicked()
            {
                start_link = true;
            }
        });
        ui.separator();
        if ws.current.is_none() {
            ui.centered_and_justified(|ui| {
                ui.label("No articles yet. Use File → Add articles…, Paste article…, or drop .txt files here.");
            });
        }
        let selected = ws.selected;
        let link_from = ws.link_from;
        let event = match ws.current {
            Some(doc) => {
                let text = ws.project.document(doc).map(|d| d.text.clone());
                match text {
                    Some(text) => {
                        let view = ws
                            .views
                            .entry(doc)
                            .or_insert_with(|| super::text_view::DocView::new(doc, text));
                        view.show(ui, &ws.project, selected, link_from)
                    }
                    None => None,
                }
            }
            None => None,
        };
        match event {
            Some(ViewEvent::ClickedSpan(id)) => {
                if let Some(from) = ws.link_from {
                    if from != id {
                        match ws.exec(Command::AddLink {
                            from,
                            to: id,
                            kind: ATTRIBUTED_TO.into(),
                        }) {
                            Ok(_) => ws.link_from = None,
                            Err(e) => {
                                ws.link_from = None;
                                self.notices.push(super::app::Notice {
                                    error: true,
                                    text: e,
                                });
                            }
                        }
                    }
                } else {
                    ws.selected = Some(id);
                    ws.note_draft = None;
                }
            }
            Some(ViewEvent::ClickedText) => {
                ws.selected = None;
            }
            None => {}
        }
        if start_link && let Some(id) = ws.selected {
            ws.link_from = Some(id);
        }
        if let Some(id) = tag_with {
            self.tag(id);
        }
    }

    fn spans_panel(&mut self, ui: &mut Ui) {
        let Some(ws) = &mut self.ws else { return };
        ui.heading("Spans");
        // Filter by label.
        ui.horizontal_wrapped(|ui| {
            ui.label("Show:");
            let labels: Vec<(LabelId, String, Color32)> = ws
                .project
                .labels()
                .iter()
                .map(|l| {
                    (
                        l.id.clone(),
                        l.name.clone(),
                        Color32::from_rgb(l.color.0, l.color.1, l.color.2),
                    )
                })
                .collect();
            for (id, name, color) in labels {
                let mut shown = !ws.hidden_labels.contains(&id);
                let r = ui.checkbox(&mut shown, RichText::new(name).color(color));
                if r.changed() {
                    if shown {
                        ws.hidden_labels.remove(&id);
                    } else {
                        ws.hidden_labels.insert(id);
                    }
                }
            }
        });
        ui.separator();
        let details_height = 260.0_f32.min(ui.available_height() * 0.5);
        let list_height = (ui.available_height() - details_height).max(80.0);
        let ids: Vec<SpanId> = ws.filtered_spans().to_vec();
        let row_h = 36.0;
        let mut clicked = None;
        ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
            let out = egui::ScrollArea::vertical()
                .id_salt("span-list")
                .auto_shrink(false)
                .show_rows(ui, row_h, ids.len(), |ui, rows| {
                    for id in &ids[rows] {
                        let Some(span) = ws.project.span(*id) else {
                            continue;
                        };
                        let Some(doc) = ws.project.document(span.doc) else {
                            continue;
                        };
                        let color = label_color(&ws.project, span);
                        let label = ws
                            .project
                            .label(&span.label)
                            .map_or(span.label.as_str(), |l| l.name.as_str());
                        let links = ws.project.links_of(*id).count();
                        let note = if span.note.is_some() { " ✎" } else { "" };
                        let link_text = if links > 0 {
                            format!(" ⇄{links}")
                        } else {
                            String::new()
                        };
                        let text = format!(
                            "{label} #{id}{note}{link_text}\n{}",
                            excerpt(doc.text.slice(span.range()), 40)
                        );
                        ui.horizontal(|ui| {
                            let (rect, _) = ui.allocate_exact_size(
                                egui::vec2(6.0, row_h - 6.0),
                                egui::Sense::hover(),
                            );
                            ui.painter().rect_filled(rect, 2.0, color);
                            // The trailing grow atom left-aligns the text.
                            let r = ui.add(
                                egui::Button::selectable(ws.selected == Some(*id), text)
                                    .right_text("")
                                    .wrap()
                                    .min_size(egui::vec2(ui.available_width(), row_h - 4.0)),
                            );
                            let r = match &span.note {
                                Some(n) => r.on_hover_text(n),
                                None => r,
                            };
                            if r.clicked() {
                                clicked = Some(*id);
                            }
                        });
                    }
                });
            out.inner_rect
        });
        if let Some(id) = clicked {
            if let Some(from) = ws.link_from.filter(|f| *f != id) {
                match ws.exec(Command::AddLink {
                    from,
                    to: id,
                    kind: ATTRIBUTED_TO.into(),
                }) {
                    Ok(_) => ws.link_from = None,
                    Err(e) => self.notices.push(super::app::Notice {
                        error: true,
                        text: e,
                    }),
                }
            } else {
                ws.select_span(id);
            }
        }
        ui.separator();
        self.details(ui);
    }

    fn details(&mut self, ui: &mut Ui) {
        let Some(ws) = &mut self.ws else { return };
        ui.heading("Details");
        let Some(span) = ws.selected.and_then(|id| ws.project.span(id)).cloned() else {
            ui.label("Select a span to see its details.");
            return;
        };
        let doc_text = ws.project.document(span.doc).map(|d| d.text.clone());
        let mut commands: Vec<Command> = Vec::new();
        let mut start_link = false;
        let mut select = None;
        egui::ScrollArea::vertical()
            .id_salt("details")
            .show(ui, |ui| {
                ui.label(format!(
                    "Span {} · chars {}–{}",
                    span.id, span.start, span.end
                ));
                if let Some(t) = &doc_text {
                    ui.label(
                        RichText::new(format!("“{}”", excerpt(t.slice(span.range()), 200)))
                            .italics(),
                    );
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label("Label:");
                    for l in ws.project.labels() {
                        let c = Color32::from_rgb(l.color.0, l.color.1, l.color.2);
                        if ui
                            .selectable_label(span.label == l.id, RichText::new(&l.name).color(c))
                            .clicked()
                            && span.label != l.id
                        {
                            commands.push(Command::RetagSpan(span.id, l.id.clone()));
                        }
                    }
                });
                ui.label("Note:");
                let draft = match &mut ws.note_draft {
                    Some((id, text)) if *id == span.id => text,
                    other => {
                        *other = Some((span.id, span.note.clone().unwrap_or_default()));
                        match other {
                            Some((_, t)) => t,
                            None => return,
                        }
                    }
                };
                let r = ui.add(
                    egui::TextEdit::multiline(draft)
                        .desired_rows(2)
                        .hint_text("Add a note")
                        .desired_width(f32::INFINITY),
                );
                let r = r.on_hover_text("The note is saved when you leave the field");
                let new_note = draft.trim().to_string();
                if r.lost_focus() && new_note != span.note.clone().unwrap_or_default().trim() {
                    commands.push(Command::SetNote(
                        span.id,
                        Some(new_note).filter(|n| !n.is_empty()),
                    ));
                }
                ui.label("Links:");
                let links: Vec<_> = ws.project.links_of(span.id).cloned().collect();
                if links.is_empty() {
                    ui.label(RichText::new("none").weak());
                }
                for l in links {
                    let (arrow, other) = if l.from == span.id {
                        ("→", l.to)
                    } else {
                        ("←", l.from)
                    };
                    let other_text = ws
                        .project
                        .span(other)
                        .and_then(|o| {
                            ws.project
                                .document(o.doc)
                                .map(|d| excerpt(d.text.slice(o.range()), 28))
                        })
                        .unwrap_or_default();
                    ui.horizontal(|ui| {
                        if ui.small_button("✕").on_hover_text("Remove link").clicked() {
                            commands.push(Command::RemoveLink(l.id));
                        }
                        let link =
                            egui::Link::new(format!("{arrow} {} #{other}: “{other_text}”", l.kind));
                        if ui
                            .add(link)
                            .on_hover_text("Go to the linked span")
                            .clicked()
                        {
                            select = Some(other);
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let is_source = span.label.as_str() == crate::model::SOURCE;
                    if ui
                        .add_enabled(!is_source, egui::Button::new("Link to source…"))
                        .clicked()
                    {
                        start_link = true;
                    }
                    if ui.button("Delete span").clicked() {
                        commands.push(Command::RemoveSpan(span.id));
                    }
                });
            });
        for c in commands {
            if let Err(e) = ws.exec(c) {
                self.notices.push(super::app::Notice {
                    error: true,
                    text: e,
                });
                break;
            }
        }
        if start_link {
            ws.link_from = Some(span.id);
        }
        if let Some(id) = select {
            ws.select_span(id);
        }
    }

    fn start_screen(&mut self, ctx: &egui::Context, ui: &mut Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(RichText::new("Marginalia").size(32.0));
            ui.label("Annotate claims, figures and source attributions in news articles.");
            ui.add_space(20.0);
            if ui.button("Open project…").clicked() {
                self.run_action(ctx, Action::Open);
            }
            if ui.button("New project").clicked() {
                self.run_action(ctx, Action::NewProject);
            }
            if let Some(sample) = bundled_sample()
                && ui.button("Open the sample project").clicked()
            {
                self.use_paths(ctx, DialogPurpose::OpenProject, vec![sample]);
            }
            ui.add_space(20.0);
            if !self.recent.paths.is_empty() {
                ui.label(RichText::new("Recent projects").strong());
                for p in self.recent.paths.clone() {
                    if ui.link(p.display().to_string()).clicked() {
                        self.use_paths(ctx, DialogPurpose::OpenProject, vec![p]);
                    }
                }
            }
            ui.add_space(20.0);
            ui.label(
                RichText::new("Tip: drop a .ron project or .txt articles onto this window.").weak(),
            );
            if self.busy() {
                ui.add_space(10.0);
                ui.spinner();
                ui.label(self.job_description());
            }
        });
    }

    fn help_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for a in Action::ALL {
                        let mut keys: Vec<String> = a
                            .shortcut()
                            .iter()
                            .map(|s| ctx.format_shortcut(s))
                            .collect();
                        keys.extend(a.alternates().iter().map(|s| ctx.format_shortcut(s)));
                        if keys.is_empty() {
                            continue;
                        }
                        ui.label(RichText::new(keys.join(" / ")).monospace());
                        ui.label(a.title());
                        ui.end_row();
                    }
                    for (k, what) in OTHER_KEYS {
                        ui.label(RichText::new(*k).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
        self.show_help = open && self.show_help;
    }

    fn modals(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.clone() else {
            return;
        };
        let modal_kind = modal.clone();
        let mut close = false;
        let mut next: Option<ModalKind> = None;
        let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
        egui::Modal::new(egui::Id::unique("marginalia-modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            match modal {
                ModalKind::Unsaved(after) => {
                    ui.heading("Unsaved changes");
                    let name = self.ws.as_ref().map_or(String::new(), |w| w.project.name().to_string());
                    ui.label(format!("“{name}” has changes that are not saved. Save them first?"));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            self.after_save_then(ctx, after.clone());
                            close = true;
                        }
                        if ui.button("Discard").clicked() {
                            close = true;
                            self.discard_then(ctx, after.clone());
                        }
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                }
                ModalKind::TypedPath { purpose, mut text, why } => {
                    ui.heading(purpose.prompt());
                    if let Some(w) = &why {
                        ui.label(w);
                    }
                    let multiline = purpose == DialogPurpose::AddArticles;
                    let r = if multiline {
                        ui.add(egui::TextEdit::multiline(&mut text).desired_width(480.0).hint_text("/path/to/article.txt"))
                    } else {
                        ui.add(egui::TextEdit::singleline(&mut text).desired_width(480.0).hint_text("/path/to/file"))
                    };
                    r.request_focus();
                    let enter = !multiline && r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let mut ok = false;
                    ui.horizontal(|ui| {
                        ok = ui.button("OK").clicked() || enter;
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                    if ok {
                        let paths: Vec<PathBuf> = text
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(expand_tilde)
                            .collect();
                        if paths.is_empty() {
                            next = Some(ModalKind::TypedPath { purpose, text, why: Some("Please type a path.".into()) });
                        } else {
                            close = true;
                            self.modal = None;
                            self.use_paths(ctx, purpose, paths);
                        }
                    } else if !close {
                        next = Some(ModalKind::TypedPath { purpose, text, why });
                    }
                }
                ModalKind::Paste { mut title, mut text } => {
                    ui.heading("Paste article");
                    ui.horizontal(|ui| {
                        ui.label("Title:");
                        ui.text_edit_singleline(&mut title);
                    });
                    egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                        ui.add(egui::TextEdit::multiline(&mut text).desired_width(480.0).desired_rows(10).hint_text("Paste the article text here (Ctrl+V)"));
                    });
                    let mut ok = false;
                    ui.horizontal(|ui| {
                        ok = ui.button("Add article").clicked();
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                    if ok {
                        match crate::formats::text::import_pasted(&text, Some(&title)) {
                            Ok(t) => {
                                if self.ws.is_none() {
                                    self.new_project_public();
                                }
                                if let Some(ws) = &mut self.ws {
                                    match ws.exec(Command::AddDocument { title: t.title, origin: None, text: t.text }) {
                                        Ok(c) => ws.current = c.documents.first().copied().or(ws.current),
                                        Err(e) => self.notices.push(super::app::Notice { error: true, text: e }),
                                    }
                                }
                                close = true;
                            }
                            Err(e) => {
                                self.notices.push(super::app::Notice { error: true, text: e.to_string() });
                                next = Some(ModalKind::Paste { title, text });
                            }
                        }
                    } else if !close {
                        next = Some(ModalKind::Paste { title, text });
                    }
                }
                ModalKind::Rename(doc, mut title) => {
                    ui.heading("Rename article");
                    let r = ui.text_edit_singleline(&mut title);
                    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let mut ok = false;
                    ui.horizontal(|ui| {
                        ok = ui.button("Rename").clicked() || enter;
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                    if ok {
                        if let Some(ws) = &mut self.ws
                            && let Err(e) = ws.exec(Command::RenameDocument(doc, title.trim().to_string()))
                        {
                            self.notices.push(super::app::Notice { error: true, text: e });
                        }
                        close = true;
                    } else if !close {
                        next = Some(ModalKind::Rename(doc, title));
                    }
                }
                ModalKind::ConfirmRemove(doc) => {
                    let (title, n) = self
                        .ws
                        .as_ref()
                        .and_then(|w| w.project.document(doc).map(|d| (d.title.clone(), w.project.span_count_in(doc))))
                        .unwrap_or_default();
                    ui.heading("Remove article?");
                    ui.label(format!("Remove “{title}” and its {n} spans from the project? You can undo this (Ctrl+Z)."));
                    ui.horizontal(|ui| {
                        if ui.button("Remove").clicked() {
                            if let Some(ws) = &mut self.ws
                                && let Err(e) = ws.exec(Command::RemoveDocument(doc))
                            {
                                self.notices.push(super::app::Notice { error: true, text: e });
                            }
                            close = true;
                        }
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                }
                ModalKind::Export { mut format, mut current_only, mut shown_labels_only, mut path } => {
                    ui.heading("Export spans");
                    let before = format;
                    for f in crate::formats::ExportFormat::ALL {
                        ui.radio_value(&mut format, f, f.name());
                    }
                    if format != before
                        && let Some(ws) = &self.ws
                    {
                        path = super::app::default_export_path(ws, format);
                    }
                    ui.checkbox(&mut current_only, "Only the current article");
                    ui.checkbox(&mut shown_labels_only, "Only the labels shown in the span list");
                    ui.label(if format == crate::formats::ExportFormat::Brat { "Folder:" } else { "File:" });
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut path).desired_width(400.0));
                        if self.dialogs.native && ui.button("Browse…").clicked() {
                            self.dialogs.open(ctx, DialogPurpose::Export, None, None);
                        }
                    });
                    let mut go = false;
                    ui.horizontal(|ui| {
                        go = ui.add_enabled(!path.trim().is_empty(), egui::Button::new("Export")).clicked();
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                    if go {
                        self.start_export(ctx, format, current_only, shown_labels_only, expand_tilde(path.trim()));
                        close = true;
                    } else if !close {
                        next = Some(ModalKind::Export { format, current_only, shown_labels_only, path });
                    }
                }
                ModalKind::Import { mut format, mut path } => {
                    ui.heading("Import annotations");
                    for f in crate::formats::ImportFormat::ALL {
                        ui.radio_value(&mut format, f, f.name());
                    }
                    ui.label("Spans land on articles with the same text; other articles are added. Unknown labels are added to the schema.");
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut path).desired_width(400.0).hint_text("/path/to/annotations"));
                        if self.dialogs.native && ui.button("Browse…").clicked() {
                            self.dialogs.open(ctx, DialogPurpose::Import, None, None);
                        }
                    });
                    let mut go = false;
                    ui.horizontal(|ui| {
                        go = ui.add_enabled(!path.trim().is_empty(), egui::Button::new("Import")).clicked();
                        if ui.button("Cancel").clicked() || escape {
                            close = true;
                        }
                    });
                    if go {
                        self.start_import_annotations(ctx, format, expand_tilde(path.trim()));
                        close = true;
                    } else if !close {
                        next = Some(ModalKind::Import { format, path });
                    }
                }
                ModalKind::Recover(list) => {
                    ui.heading("Recover unsaved work?");
                    ui.label("Marginalia did not shut down cleanly. These recovery files hold edits that were not saved:");
                    let mut remaining = list.clone();
                    for r in &list {
                        ui.group(|ui| {
                            ui.label(RichText::new(&r.summary).strong());
                            ui.label(format!("Written {}", age(r.modified)));
                            ui.label(match &r.project_path {
                                Some(p) => format!("Project: {}", p.display()),
                                None => "Project: never saved".to_string(),
                            });
                            ui.horizontal(|ui| {
                                if ui.button("Restore").clicked() {
                                    self.restore(r.clone());
                                    remaining.retain(|x| x.file != r.file);
                                    close = true;
                                }
                                if ui.button("Discard").clicked() {
                                    let _ = std::fs::remove_file(&r.file);
                                    remaining.retain(|x| x.file != r.file);
                                }
                            });
                        });
                    }
                    if ui.button("Decide later").clicked() || escape {
                        close = true;
                    }
                    if !close && !remaining.is_empty() {
                        next = Some(ModalKind::Recover(remaining));
                    } else if remaining.is_empty() {
                        close = true;
                    }
                }
            }
        });
        // Close only the modal that was shown; an action may have opened
        // the next one (Save → "where to save?").
        let same = self
            .modal
            .as_ref()
            .is_some_and(|m| std::mem::discriminant(m) == std::mem::discriminant(&modal_kind));
        if close {
            if same {
                self.modal = None;
            }
        } else if let Some(n) = next {
            self.modal = Some(n);
        }
    }
}

/// The sample project shipped in `projects/`, when it can be found.
pub fn bundled_sample() -> Option<PathBuf> {
    let candidates = [
        std::env::current_dir()
            .ok()
            .map(|d| d.join("projects/daily-nk-workers.ron")),
        std::env::current_exe().ok().and_then(|e| {
            e.ancestors()
                .nth(3)
                .map(|root| root.join("projects/daily-nk-workers.ron"))
        }),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

fn expand_tilde(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

impl Workspace {
    /// The selected span's label, for tests.
    pub fn selected_label(&self) -> Option<&str> {
        self.selected
            .and_then(|id| self.project.span(id))
            .map(|s| s.label.as_str())
    }
}
