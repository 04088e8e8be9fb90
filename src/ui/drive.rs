//! A test hook: runs the real [`App`] headless (an egui context, no window)
//! and takes commands on standard input, one per line. Used by the crash
//! test, which SIGKILLs this process mid-work and restarts it.
//!
//! Commands: `tag DOC START END LABEL`, `state`, `restore`, `quit`. Each
//! acts through the same [`UiCommand`]s as the window. Replies go to
//! standard output, one line each.

use super::app::{App, AppOptions};
use super::commands::UiCommand;
use super::modals::Modal;
use crate::model::{DocId, LabelId};
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Runs the headless driver until `quit` or end of input.
pub fn run(open: Option<PathBuf>) -> anyhow::Result<()> {
    let ctx = egui::Context::default();
    let mut app = App::new(
        &ctx,
        AppOptions {
            open,
            native_dialogs: false,
            reopen_last: false,
            ..AppOptions::default()
        },
    );
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let frame = |app: &mut App| {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            ..Default::default()
        };
        let c = ctx.clone();
        let mut output = ctx.run_ui(input, |ui| app.frame(&c, ui));
        // Nothing renders here; drop the texture uploads on purpose.
        output.textures_delta.clear();
    };
    // Let the project finish loading before taking commands.
    let started = std::time::Instant::now();
    while app.busy() && started.elapsed() < Duration::from_secs(30) {
        frame(&mut app);
        std::thread::sleep(Duration::from_millis(5));
    }
    loop {
        frame(&mut app);
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(line) => {
                let reply = command(&mut app, &ctx, &line);
                frame(&mut app);
                println!("{reply}");
                if line.trim() == "quit" {
                    return Ok(());
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

fn command(app: &mut App, ctx: &egui::Context, line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let recovery_offered = matches!(app.modal, Some(Modal::Recover(_)));
    match words.as_slice() {
        ["tag", doc, start, end, label] => {
            let (Ok(doc), Ok(start), Ok(end)) = (doc.parse(), start.parse(), end.parse()) else {
                return "error: bad numbers".into();
            };
            if app.ws.is_none() {
                return "error: no project".into();
            }
            app.run(
                ctx,
                UiCommand::TagRange {
                    doc: DocId(doc),
                    label: LabelId((*label).into()),
                    start,
                    end,
                },
            );
            "ok".into()
        }
        ["state"] => match &app.ws {
            Some(ws) => format!(
                "spans={} dirty={} recovery_offered={recovery_offered}",
                ws.project.spans().len(),
                ws.is_dirty(),
            ),
            None => format!("no-project recovery_offered={recovery_offered}"),
        },
        ["restore"] => match app.modal.take() {
            Some(Modal::Recover(mut m)) if !m.list.is_empty() => {
                let r = m.list.remove(0);
                app.run(ctx, UiCommand::RestoreRecovery(r));
                "ok".into()
            }
            other => {
                app.modal = other;
                "error: no recovery offered".into()
            }
        },
        ["quit"] => "bye".into(),
        _ => format!("error: unknown command {line:?}"),
    }
}
