//! The menu bar, generated from the keymap, plus the dynamic entries (open
//! recent, the label list) and the running job's spinner.

use crate::ui::app::App;
use crate::ui::commands::{Binding, CommandQueue, KEYMAP, Menu, SidePanel, UiCommand, key_text};
use crate::ui::files::Settings;
use crate::ui::workspace::Workspace;
use egui::Ui;

/// Whether a command can run now (greys out its menu entry).
fn enabled(command: &UiCommand, ws: Option<&Workspace>) -> bool {
    let has_doc = ws.is_some_and(|w| w.current.is_some());
    let has_span = ws.is_some_and(|w| w.selected.is_some());
    match command {
        UiCommand::Save
        | UiCommand::SaveAs
        | UiCommand::CloseProject
        | UiCommand::Export
        | UiCommand::ImportAnnotations
        | UiCommand::Cancel => ws.is_some(),
        UiCommand::RenameProjectDialog | UiCommand::EditLabels | UiCommand::AskCompare => {
            ws.is_some()
        }
        UiCommand::EndCompare => ws.is_some_and(|w| w.compare.is_some()),
        UiCommand::OpenFind
        | UiCommand::NextSuggestion
        | UiCommand::PrevSuggestion
        | UiCommand::AcceptSuggestion
        | UiCommand::RejectSuggestion
        | UiCommand::AcceptRule => has_doc,
        UiCommand::FindNext | UiCommand::FindPrev => ws.is_some_and(|w| w.find.is_some()),
        UiCommand::MoreLikeThis => has_span,
        UiCommand::EditPatterns | UiCommand::ToggleSuggestions => ws.is_some(),
        UiCommand::ReviewNext | UiCommand::ReviewPrev | UiCommand::Settle(_) => {
            ws.is_some_and(Workspace::reviewing)
        }
        UiCommand::ReattachOrphan => ws.is_some_and(|w| {
            w.current
                .is_some_and(|d| w.project.orphans_in(d).next().is_some())
        }),
        UiCommand::RenameDocument
        | UiCommand::ArticleInfo
        | UiCommand::ReplaceText
        | UiCommand::RemoveDocument
        | UiCommand::NextSpan
        | UiCommand::PrevSpan
        | UiCommand::NextUnsourced
        | UiCommand::PrevUnsourced
        | UiCommand::SelectSentence
        | UiCommand::Caret { .. }
        | UiCommand::NextArticle
        | UiCommand::PrevArticle
        | UiCommand::NextUnfinished
        | UiCommand::PrevUnfinished
        | UiCommand::GoToArticle
        | UiCommand::MarkArticle(_) => has_doc,
        UiCommand::LinkNearestSource | UiCommand::EditAttributes | UiCommand::NewEvent => has_span,
        UiCommand::AddToEvent => has_span && ws.is_some_and(|w| w.event_target.is_some()),
        UiCommand::AddSelectionAsFragment => has_doc,
        UiCommand::DeleteSelected => has_span,
        UiCommand::StartLink => ws.is_some_and(|w| w.cannot_start_link().is_none()),
        UiCommand::Undo => ws.is_some_and(|w| w.history.undo_name().is_some()),
        UiCommand::Redo => ws.is_some_and(|w| w.history.redo_name().is_some()),
        _ => true,
    }
}

/// Menu text: undo and redo name what they will do; the view choices in
/// force are ticked.
fn title(binding: &Binding, ws: Option<&Workspace>, settings: &Settings) -> String {
    let named = |name: Option<&str>| name.map(|n| format!("{}: {n}", binding.title));
    let ticked = |on: bool| Some(format!("{} {}", if on { "✔" } else { "  " }, binding.title));
    let dynamic = match binding.command {
        UiCommand::Undo => ws.and_then(|w| named(w.history.undo_name())),
        UiCommand::Redo => ws.and_then(|w| named(w.history.redo_name())),
        UiCommand::SetTheme(t) => ticked(settings.theme == t),
        UiCommand::TogglePanel(SidePanel::Articles) => ticked(settings.show_articles),
        UiCommand::TogglePanel(SidePanel::Spans) => ticked(settings.show_spans),
        UiCommand::ToggleSuggestions => ticked(ws.is_some_and(Workspace::suggestions_shown)),
        _ => None,
    };
    dynamic.unwrap_or_else(|| binding.title.to_string())
}

impl App {
    /// The menu bar.
    pub(super) fn menus(&mut self, ui: &mut Ui) {
        ui.menu_button("File", |ui| {
            self.menu_section(ui, Menu::File, 2);
            ui.menu_button("Open recent", |ui| self.open_recent(ui));
            self.menu_section_from(ui, Menu::File, 2);
        });
        ui.menu_button("Edit", |ui| self.menu_section(ui, Menu::Edit, usize::MAX));
        ui.menu_button("Article", |ui| {
            self.menu_section(ui, Menu::Article, usize::MAX)
        });
        ui.menu_button("Tag", |ui| {
            self.label_entries(ui);
            self.menu_section(ui, Menu::Tag, usize::MAX);
        });
        ui.menu_button("Project", |ui| {
            self.menu_section(ui, Menu::Project, usize::MAX)
        });
        ui.menu_button("View", |ui| self.menu_section(ui, Menu::View, usize::MAX));
        ui.menu_button("Help", |ui| self.menu_section(ui, Menu::Help, usize::MAX));
        if let Some(p) = self.jobs.counted() {
            ui.separator();
            job_progress(ui, &p, &mut self.queue);
        } else if let Some(job) = self.job_description() {
            ui.separator();
            ui.spinner();
            ui.label(job);
        }
    }

    /// The first `count` entries of `menu`.
    fn menu_section(&mut self, ui: &mut Ui, menu: Menu, count: usize) {
        for b in KEYMAP.iter().filter(|b| b.menu == menu).take(count) {
            self.menu_entry(ui, b);
        }
    }

    /// The entries of `menu` after the first `skip`.
    fn menu_section_from(&mut self, ui: &mut Ui, menu: Menu, skip: usize) {
        for b in KEYMAP.iter().filter(|b| b.menu == menu).skip(skip) {
            self.menu_entry(ui, b);
        }
    }

    fn menu_entry(&mut self, ui: &mut Ui, binding: &'static Binding) {
        if binding.separator_before {
            ui.separator();
        }
        let ws = self.ws.as_ref();
        let mut button = egui::Button::new(title(binding, ws, &self.settings));
        if let Some(key) = binding.keys.first() {
            button = button.shortcut_text(key_text(key));
        }
        if ui
            .add_enabled(enabled(&binding.command, ws), button)
            .clicked()
        {
            self.queue.push(binding.command.clone());
            ui.close();
        }
    }

    fn open_recent(&mut self, ui: &mut Ui) {
        if self.recent.paths.is_empty() {
            ui.label("No recent projects");
        }
        for p in &self.recent.paths {
            if ui.button(p.display().to_string()).clicked() {
                self.queue.push(UiCommand::OpenPath(p.clone()));
                ui.close();
            }
        }
    }

    /// "Tag as …" for every label of the schema, with its hotkey.
    fn label_entries(&mut self, ui: &mut Ui) {
        let Some(ws) = &self.ws else {
            ui.label("No project open");
            return;
        };
        for l in ws.project.labels() {
            let mut b = egui::Button::new(format!("Tag as {}", l.name));
            if let Some(k) = l.hotkey {
                b = b.shortcut_text(k.to_string());
            }
            if ui.add_enabled(ws.current.is_some(), b).clicked() {
                self.queue.push(UiCommand::Tag(l.id.clone()));
                ui.close();
            }
        }
    }
}

/// A counting job: a bar with "312 of 1,005 · about 20 s left" (or
/// "Fetching a page: 310 of 1,204 KB") and Cancel.
fn job_progress(ui: &mut Ui, p: &crate::ui::jobs::JobProgress, queue: &mut CommandQueue) {
    use crate::ui::doc_list::thousands;
    let (share, text) = match p.fetching {
        Some((got, total)) => (
            total.map_or(0.0, |t| got as f32 / t.max(1) as f32),
            match total {
                Some(t) => format!("Fetching a page: {} of {}", size(got), size(t)),
                None if got == 0 => "Fetching a page: connecting…".to_string(),
                None => format!("Fetching a page: {}", size(got)),
            },
        ),
        None => {
            let left = p.seconds_left.map_or(String::new(), |s| {
                format!(" · about {} s left", s.ceil() as u64)
            });
            (
                if p.total == 0 {
                    0.0
                } else {
                    p.done as f32 / p.total as f32
                },
                format!(
                    "{} {} of {}{left}",
                    p.kind.verb(),
                    thousands(p.done),
                    thousands(p.total)
                ),
            )
        }
    };
    ui.add(
        egui::ProgressBar::new(share)
            .desired_width(260.0)
            .text(text),
    );
    if p.cancellable && ui.button("Cancel").clicked() {
        queue.push(UiCommand::CancelAdding);
    }
    // The bar moves while the work goes on.
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(200));
}

/// "512 bytes", "4.8 KB", "312 KB", "1.2 MB".
fn size(bytes: u64) -> String {
    let kb = bytes as f64 / 1024.0;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if kb < 10.0 {
        format!("{kb:.1} KB")
    } else if kb < 1024.0 {
        format!("{kb:.0} KB")
    } else {
        format!("{:.1} MB", kb / 1024.0)
    }
}
