//! Export and import options.

use super::{ModalCx, Outcome, enter_pressed, expand_tilde, ok_cancel};
use crate::formats::{ExportFormat, ImportFormat};
use crate::ui::commands::UiCommand;
use crate::ui::files::DialogPurpose;
use crate::ui::workspace::{Workspace, default_export_path};
use egui::Ui;

/// Export options.
#[derive(Debug)]
pub struct ExportModal {
    /// Format.
    pub format: ExportFormat,
    /// Only the current article.
    pub current_only: bool,
    /// Only the labels shown in the span list.
    pub shown_labels_only: bool,
    /// Destination file (folder for brat).
    pub path: String,
}

impl ExportModal {
    /// CSV next to the project; the label filter follows the span list's.
    pub fn new(ws: &Workspace) -> Self {
        let format = ExportFormat::Csv;
        ExportModal {
            format,
            current_only: false,
            shown_labels_only: !ws.hidden_labels.is_empty(),
            path: default_export_path(ws, format),
        }
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Export spans");
        let before = self.format;
        for f in ExportFormat::ALL {
            ui.radio_value(&mut self.format, f, f.name());
        }
        if self.format != before
            && let Some(ws) = cx.ws
        {
            self.path = default_export_path(ws, self.format);
        }
        ui.checkbox(&mut self.current_only, "Only the current article");
        ui.checkbox(
            &mut self.shown_labels_only,
            "Only the labels shown in the span list",
        );
        ui.label(if self.format == ExportFormat::Brat {
            "Folder:"
        } else {
            "File:"
        });
        let mut browse = false;
        ui.horizontal(|ui| {
            let name = ui.label("To:");
            ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(400.0))
                .labelled_by(name.id);
            browse = cx.native_dialogs && ui.button("Browse…").clicked();
        });
        if browse {
            return Outcome::KeepAndRun(vec![UiCommand::Browse(DialogPurpose::Export)]);
        }
        let (go, cancel) = ok_cancel(ui, "Export", !self.path.trim().is_empty(), cx.escape);
        let go = go || (enter_pressed(ui) && !self.path.trim().is_empty());
        if go {
            Outcome::Run(vec![UiCommand::StartExport {
                format: self.format,
                current_only: self.current_only,
                shown_only: self.shown_labels_only,
                path: expand_tilde(self.path.trim()),
            }])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}

/// Import options.
#[derive(Debug)]
pub struct ImportModal {
    /// Format.
    pub format: ImportFormat,
    /// Input file or folder.
    pub path: String,
}

impl Default for ImportModal {
    fn default() -> Self {
        ImportModal {
            format: ImportFormat::Brat,
            path: String::new(),
        }
    }
}

impl ImportModal {
    /// Draws the dialog.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Import annotations");
        for f in ImportFormat::ALL {
            ui.radio_value(&mut self.format, f, f.name());
        }
        ui.label("Spans land on articles with the same text; other articles are added. Unknown labels are added to the schema.");
        let mut browse = false;
        ui.horizontal(|ui| {
            let name = ui.label("From:");
            ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .desired_width(400.0)
                    .hint_text("/path/to/annotations"),
            )
            .labelled_by(name.id);
            browse = cx.native_dialogs && ui.button("Browse…").clicked();
        });
        if browse {
            return Outcome::KeepAndRun(vec![UiCommand::Browse(DialogPurpose::Import)]);
        }
        let (go, cancel) = ok_cancel(ui, "Import", !self.path.trim().is_empty(), cx.escape);
        let go = go || (enter_pressed(ui) && !self.path.trim().is_empty());
        if go {
            Outcome::Run(vec![UiCommand::StartImport {
                format: self.format,
                path: expand_tilde(self.path.trim()),
            }])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}
