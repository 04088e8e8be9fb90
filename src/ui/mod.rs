//! The egui workbench. Drawing only reads: keys, pointer, panels and
//! dialogs emit [`UiCommand`](commands::UiCommand)s, and the dispatcher runs
//! them through the model's history after the frame is drawn.

pub mod app;
pub mod assist;
pub mod commands;
mod dispatch;
pub mod drive;
pub mod files;
pub mod geometry;
pub mod jobs;
mod keys;
pub mod modals;
pub mod panels;
pub mod review;
pub mod span_list;
pub mod text_view;

pub use app::{App, AppOptions};

/// Writes a crash report into the data folder when the window panics. The
/// recovery file is left alone (it is only removed by a clean save or a
/// discard), so the next start offers the last autosaved edits.
fn install_panic_hook() {
    let data = files::AppDirs::from_env().data;
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(dir) = &data {
            let _ = std::fs::create_dir_all(dir);
            let name = chrono::Local::now()
                .format("crash-%Y%m%d-%H%M%S.txt")
                .to_string();
            let report = format!(
                "Marginalia {} crashed.\n{info}\n\nBacktrace:\n{}\n",
                env!("CARGO_PKG_VERSION"),
                std::backtrace::Backtrace::force_capture()
            );
            if std::fs::write(dir.join(&name), report).is_ok() {
                eprintln!(
                    "marginalia: crash report written to {}; your unsaved edits are in the recovery file",
                    dir.join(name).display()
                );
            }
        }
        default(info);
    }));
}

/// Opens the workbench window; blocks until it is closed.
pub fn run(open: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    install_panic_hook();
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
