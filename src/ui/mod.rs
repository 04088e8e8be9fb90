//! The egui workbench. Drawing only reads: keys, pointer, panels and
//! dialogs emit [`UiCommand`](commands::UiCommand)s, and the dispatcher runs
//! them through the model's history after the frame is drawn.

pub mod app;
pub mod assist;
pub mod commands;
mod dispatch;
pub mod doc_list;
pub mod drive;
pub mod files;
pub mod geometry;
pub mod jobs;
pub mod key_events;
mod keys;
pub mod learning;
pub mod modals;
pub mod panels;
pub mod review;
pub mod span_list;
pub mod text_view;
pub mod workspace;

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

/// Set (to anything) to have the window print, once, how long after start
/// the first frame showing the workbench was painted.
pub const STARTUP_TIMING_VAR: &str = "MARGINALIA_STARTUP_TIMING";

/// The app, reporting on stderr when its first workbench frame has been
/// painted: at the start of the next frame, which egui begins only after
/// presenting the one before.
struct StartupTiming {
    app: App,
    started: std::time::Instant,
    workbench_drawn: bool,
    reported: bool,
}

impl eframe::App for StartupTiming {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.workbench_drawn && !self.reported {
            self.reported = true;
            eprintln!(
                "marginalia: workbench painted {:.0} ms after start",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
        eframe::App::ui(&mut self.app, ui, frame);
        if self.app.ws.is_some() && !self.workbench_drawn {
            self.workbench_drawn = true;
            ui.ctx().request_repaint();
        }
    }
}

/// The reverse-DNS application id: the window's (Wayland app id, X11
/// `WM_CLASS`), the desktop entry's file name, the icons' and the
/// AppStream component's, so the desktop matches them up.
pub const APP_ID: &str = "org.marginalia.Marginalia";

/// Opens the workbench window; blocks until it is closed.
pub fn run(open: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    install_panic_hook();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Marginalia")
        .with_app_id(APP_ID)
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    // The same icon as the desktop entry's (an installed theme wins).
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!(
        "../../packaging/linux/icons/org.marginalia.Marginalia-256.png"
    )) {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let report_startup = std::env::var_os(STARTUP_TIMING_VAR).is_some();
    eframe::run_native(
        "Marginalia",
        options,
        Box::new(move |cc| {
            let app = App::new(
                &cc.egui_ctx,
                AppOptions {
                    open,
                    ..AppOptions::default()
                },
            );
            if report_startup {
                Ok(Box::new(StartupTiming {
                    app,
                    started,
                    workbench_drawn: false,
                    reported: false,
                }))
            } else {
                Ok(Box::new(app))
            }
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
