//! The Learning panel (View → Learning): per label, what its tagger learned
//! from, how it scored on held-out articles, the threshold its suggestions
//! are shown from, when it last trained and how long that took; a switch
//! per label and a threshold the analyst can move.

use crate::assist::learn::{MIN_SPANS, Report};
use crate::model::{LabelId, LearnedSetting, Project};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::learning::{LearningWindow, Trained};
use crate::ui::workspace::Workspace;
use egui::{RichText, Ui};
use std::time::SystemTime;

/// Draws the panel while it is shown; its ✕ hides it.
pub(super) fn learning_window(ctx: &egui::Context, ws: &mut Workspace, queue: &mut CommandQueue) {
    let Some(mut state) = ws.learning_window.take() else {
        return;
    };
    let mut open = true;
    egui::Window::new("Learning")
        .open(&mut open)
        .default_size([820.0, 320.0])
        .default_pos([260.0, 120.0])
        .resizable(true)
        .show(ctx, |ui| {
            status_line(ui, ws);
            ui.separator();
            egui::ScrollArea::both().show(ui, |ui| table(ui, ws, &mut state, queue));
            reasons(ui, ws);
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "Learns from articles marked done and articles with imported spans; a label \
                     needs {MIN_SPANS} spans there. Scores are exact-span matches on articles \
                     held out of training. Rejected suggestions (X) teach it too."
                ))
                .small(),
            );
        });
    if open {
        ws.learning_window = Some(state);
    }
}

/// "Training… 1 of 3 labels, 4 s" or "Trained 12 s ago on 14 articles in
/// 2.3 s".
fn status_line(ui: &mut Ui, ws: &Workspace) {
    ui.horizontal(|ui| {
        if let Some((since, done, all)) = ws.learning.progress() {
            ui.spinner();
            ui.label(format!(
                "Training in the background… {done} of {all} label(s), {:.0} s",
                since.elapsed().as_secs_f32()
            ));
        }
        match ws.learning.trained() {
            Some(t) => {
                ui.label(format!(
                    "Trained {} on {} article(s) in {:.1} s.",
                    ago(t.finished),
                    t.docs,
                    t.took.as_secs_f32()
                ));
            }
            None if !ws.learning.is_running() => {
                ui.label("Not trained yet.");
            }
            None => {}
        }
    });
}

/// "just now", "12 s ago", "3 min ago".
fn ago(when: SystemTime) -> String {
    let s = when.elapsed().map_or(0, |d| d.as_secs());
    match s {
        0..=1 => "just now".into(),
        2..=119 => format!("{s} s ago"),
        _ => format!("{} min ago", s / 60),
    }
}

fn percent(x: Option<f32>) -> String {
    x.map_or("–".into(), |v| format!("{:.0}%", v * 100.0))
}

/// One row per span label.
fn table(ui: &mut Ui, ws: &Workspace, state: &mut LearningWindow, queue: &mut CommandQueue) {
    let project = &ws.project;
    let trained = ws.learning.trained();
    egui::Grid::new("learning-grid")
        .striped(true)
        .num_columns(9)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for h in [
                "Shown",
                "Label",
                "Articles",
                "Spans",
                "Precision",
                "Recall",
                "F1",
                "Threshold",
                "Trained in",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for label in project.labels() {
                let report = trained.and_then(|t| report_of(t, &label.id));
                row(ui, project, &label.id, &label.name, report, state, queue);
                ui.end_row();
            }
        });
}

/// Why a label shows nothing, one line each.
fn reasons(ui: &mut Ui, ws: &Workspace) {
    let Some(t) = ws.learning.trained() else {
        return;
    };
    for (_, r) in &t.taggers {
        let chosen = ws.project.settings().learned(&r.label).min_score.is_some();
        if let (Some(why), false) = (&r.why, chosen) {
            ui.label(format!(
                "{}: none shown — {why}.",
                ws.project.label_name(&r.label)
            ));
        }
    }
}

fn report_of<'t>(t: &'t Trained, label: &LabelId) -> Option<&'t Report> {
    t.taggers.iter().map(|(_, r)| r).find(|r| r.label == *label)
}

fn row(
    ui: &mut Ui,
    project: &Project,
    id: &LabelId,
    name: &str,
    report: Option<&Report>,
    state: &mut LearningWindow,
    queue: &mut CommandQueue,
) {
    let setting = project.settings().learned(id);
    let mut on = !setting.off;
    let switch = ui
        .checkbox(&mut on, "")
        .on_hover_text(format!("Show learned {name} suggestions"));
    switch.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::CheckBox,
            true,
            on,
            format!("Show learned {name} suggestions"),
        )
    });
    if switch.changed() {
        queue.push(UiCommand::SetLearned(
            id.clone(),
            LearnedSetting {
                off: !on,
                ..setting
            },
        ));
    }
    ui.label(name);
    let Some(r) = report else {
        let spans = spans_in_training(project, id);
        ui.label("–");
        ui.label(spans.to_string());
        ui.label(RichText::new(format!("needs {MIN_SPANS} spans in annotated articles")).weak());
        for _ in 0..4 {
            ui.label("");
        }
        return;
    };
    ui.label(r.train_docs.to_string());
    ui.label(r.train_spans.to_string());
    ui.label(percent(r.precision));
    ui.label(percent(r.recall));
    ui.label(percent(r.f1)).on_hover_text(format!(
        "Tagged with {} (the tag set that scored better on the held-out articles)",
        r.scheme.name()
    ));
    threshold(ui, id, name, r, setting, state, queue);
    ui.label(if r.train_ms < 1000.0 {
        format!("{:.0} ms", r.train_ms)
    } else {
        format!("{:.1} s", r.train_ms / 1000.0)
    });
}

/// Spans of `label` in the articles a tagger would learn from.
fn spans_in_training(project: &Project, label: &LabelId) -> usize {
    crate::assist::learn::training_docs(project)
        .iter()
        .map(|d| project.spans_in(*d).filter(|s| s.label == *label).count())
        .sum()
}

/// The slider (set when let go), "auto" to go back to the measured
/// threshold, and why nothing is shown when so.
fn threshold(
    ui: &mut Ui,
    id: &LabelId,
    name: &str,
    r: &Report,
    setting: LearnedSetting,
    state: &mut LearningWindow,
    queue: &mut CommandQueue,
) {
    let chosen = setting.min_score.map(|p| f32::from(p) / 100.0);
    ui.horizontal(|ui| {
        let shown = chosen.or(r.threshold);
        // Shown as the slider rounds it (else it reports a change unasked).
        let shown_percent = (shown.unwrap_or(1.0).clamp(0.0, 1.0) * 100.0).round() as u8;
        let mut value = state
            .drafts
            .get(id)
            .copied()
            .unwrap_or(f32::from(shown_percent) / 100.0);
        let slider = ui
            .add(egui::Slider::new(&mut value, 0.0..=1.0).fixed_decimals(2))
            .on_hover_text(format!(
                "Learned {name} suggestions at least this sure are shown"
            ));
        slider.widget_info(|| {
            egui::WidgetInfo::slider(true, f64::from(value), format!("{name} threshold"))
        });
        // Set when let go (a drag is one undo step), or at once for a
        // click or the arrow keys.
        if slider.dragged() {
            state.drafts.insert(id.clone(), value);
        } else {
            state.drafts.remove(id);
            let p = (value.clamp(0.0, 1.0) * 100.0).round() as u8;
            if p != shown_percent {
                queue.push(UiCommand::SetLearned(
                    id.clone(),
                    LearnedSetting {
                        min_score: Some(p),
                        ..setting
                    },
                ));
            }
        }
        if chosen.is_some() {
            let measured = r.threshold.map_or("none".into(), |t| format!("{t:.2}"));
            if ui
                .small_button("auto")
                .on_hover_text(format!("Back to the measured threshold ({measured})"))
                .clicked()
            {
                queue.push(UiCommand::SetLearned(
                    id.clone(),
                    LearnedSetting {
                        min_score: None,
                        ..setting
                    },
                ));
            }
        } else if let Some(why) = &r.why {
            ui.label(RichText::new("none shown").weak())
                .on_hover_text(format!(
                    "{why}. Move the threshold to see its suggestions anyway."
                ));
        }
    });
}
