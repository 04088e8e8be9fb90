//! The egui workbench. It never mutates the model directly: every change is
//! a [`Command`](crate::model::Command) executed through the history.

pub mod actions;
pub mod app;
pub mod drive;
pub mod files;
pub mod geometry;
pub mod panels;
pub mod text_view;

pub use app::{App, AppOptions};

/// Opens the workbench window; blocks until it is closed.
pub fn run(open: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Marginalia")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Marginalia",
        options,
        Box::new(move |cc| {
            Ok(Box::new(App::new(
                &cc.egui_ctx,
                AppOptions {
                    open,
                    ..AppOptions::default()
                },
            )))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
