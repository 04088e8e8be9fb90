//! The start screen, shown when no project is open.

use crate::ui::app::App;
use crate::ui::commands::UiCommand;
use egui::{RichText, Ui};
use std::path::PathBuf;

impl App {
    /// Open, new, the sample, and recent projects.
    pub(super) fn start_screen(&mut self, ui: &mut Ui) {
        let queue = &mut self.queue;
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(RichText::new("Marginalia").size(32.0));
            ui.label("Annotate claims, figures and source attributions in news articles.");
            ui.add_space(20.0);
            if ui.button("Open project…").clicked() {
                queue.push(UiCommand::Open);
            }
            if ui.button("New project").clicked() {
                queue.push(UiCommand::NewProject);
            }
            if let Some(sample) = bundled_sample()
                && ui.button("Open the sample project").clicked()
            {
                // A copy: the first Ctrl+S must not write into the sample.
                queue.push(UiCommand::OpenCopy(sample));
            }
            ui.add_space(20.0);
            if !self.recent.paths.is_empty() {
                ui.label(RichText::new("Recent projects").strong());
                for p in &self.recent.paths {
                    if ui.link(p.display().to_string()).clicked() {
                        queue.push(UiCommand::OpenPath(p.clone()));
                    }
                }
            }
            ui.add_space(20.0);
            ui.label(
                RichText::new("Tip: drop a .ron project or articles (text, web pages, PDF, Word, EPUB…) onto this window.").weak(),
            );
            if let Some(job) = self.jobs.describe() {
                ui.add_space(10.0);
                ui.spinner();
                ui.label(job);
            }
        });
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
