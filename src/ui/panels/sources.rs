//! The Sources window (View → Sources): the registry's entries with their
//! mentions; an entry's fields edited, merged into another, split or
//! removed, each one undo step. Choosing a mention jumps to it.

use crate::model::{Identification, SourceId, SourceKind, SpanId};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::workspace::{SourceDraft, SourcesWindow, Workspace};
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// The filter field's accessible name.
pub const SOURCES_FILTER_LABEL: &str = "Filter sources:";

/// Draws the window while it is shown; its ✕ hides it.
pub(super) fn sources_window(ctx: &egui::Context, ws: &mut Workspace, queue: &mut CommandQueue) {
    let Some(mut state) = ws.sources_window.take() else {
        return;
    };
    let mut open = true;
    egui::Window::new("Sources")
        .open(&mut open)
        .default_size([640.0, 480.0])
        .resizable(true)
        .show(ctx, |ui| body(ui, ws, &mut state, queue));
    if open {
        ws.sources_window = Some(state);
    }
}

/// The mentions of every entry, in article and text order.
fn mentions_by_entry(ws: &Workspace) -> BTreeMap<SourceId, Vec<SpanId>> {
    let mut out: BTreeMap<SourceId, Vec<(u64, usize, SpanId)>> = BTreeMap::new();
    for (span, entry) in ws.project.mentions() {
        if let Some(s) = ws.project.span(span) {
            out.entry(entry).or_default().push((s.doc.0, s.start, span));
        }
    }
    out.into_iter()
        .map(|(e, mut v)| {
            v.sort_unstable();
            (e, v.into_iter().map(|(_, _, s)| s).collect())
        })
        .collect()
}

fn body(ui: &mut Ui, ws: &Workspace, state: &mut SourcesWindow, queue: &mut CommandQueue) {
    let mentions = mentions_by_entry(ws);
    ui.horizontal(|ui| {
        let name = ui.label(SOURCES_FILTER_LABEL);
        ui.add(egui::TextEdit::singleline(&mut state.filter).desired_width(200.0))
            .labelled_by(name.id);
        ui.label(
            RichText::new(format!(
                "{} source(s), {} mention(s)",
                ws.project.sources().len(),
                ws.project.mentions().count()
            ))
            .weak(),
        );
    });
    if ws.project.sources().len() == 0 {
        ui.label("No source yet: select a source attribution span and press W to say who it is.");
        return;
    }
    ui.separator();
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(220.0);
            entry_list(ui, ws, state, &mentions);
        });
        ui.separator();
        ui.vertical(|ui| {
            let chosen = state.chosen.and_then(|id| ws.project.source(id));
            match chosen {
                Some(e) => {
                    let id = e.id;
                    if state.draft.as_ref().is_none_or(|d| d.base != *e) {
                        state.draft = Some(SourceDraft::of(e));
                        state.ticked.clear();
                    }
                    detail(
                        ui,
                        ws,
                        state,
                        queue,
                        id,
                        mentions.get(&id).map_or(&[][..], |v| v),
                    );
                }
                None => {
                    ui.label("Choose a source on the left.");
                }
            }
        });
    });
}

/// The entries, filtered, most-mentioned first.
fn entry_list(
    ui: &mut Ui,
    ws: &Workspace,
    state: &mut SourcesWindow,
    mentions: &BTreeMap<SourceId, Vec<SpanId>>,
) {
    let q = state.filter.trim().to_lowercase();
    let mut rows: Vec<_> = ws
        .project
        .sources()
        .filter(|e| {
            q.is_empty()
                || std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .any(|n| n.to_lowercase().contains(&q))
        })
        .collect();
    rows.sort_by_key(|e| {
        (
            std::cmp::Reverse(mentions.get(&e.id).map_or(0, Vec::len)),
            e.id,
        )
    });
    egui::ScrollArea::vertical()
        .id_salt("source-entries")
        .max_height(400.0)
        .show(ui, |ui| {
            for e in rows {
                let n = mentions.get(&e.id).map_or(0, Vec::len);
                let text = format!("{} ({n})", e.name);
                let r = ui
                    .selectable_label(state.chosen == Some(e.id), text)
                    .on_hover_text(format!("{}, {}", e.identification, e.kind));
                if r.clicked() {
                    state.chosen = Some(e.id);
                }
            }
        });
}

/// The chosen entry's fields, merge, split and mentions.
fn detail(
    ui: &mut Ui,
    ws: &Workspace,
    state: &mut SourcesWindow,
    queue: &mut CommandQueue,
    id: SourceId,
    mentions: &[SpanId],
) {
    let Some(draft) = state.draft.as_mut() else {
        return;
    };
    egui::Grid::new("source-fields")
        .num_columns(2)
        .show(ui, |ui| {
            let field = |ui: &mut Ui, label: &str, text: &mut String| {
                let name = ui.label(label);
                ui.add(egui::TextEdit::singleline(text).desired_width(240.0))
                    .labelled_by(name.id);
                ui.end_row();
            };
            field(ui, "Name:", &mut draft.entry.name);
            let name = ui.label("Identification:");
            egui::ComboBox::from_id_salt("source-identification")
                .selected_text(draft.entry.identification.as_str())
                .show_ui(ui, |ui| {
                    for i in Identification::ALL {
                        ui.selectable_value(&mut draft.entry.identification, *i, i.as_str());
                    }
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
            let name = ui.label("Kind:");
            egui::ComboBox::from_id_salt("source-kind")
                .selected_text(draft.entry.kind.as_str())
                .show_ui(ui, |ui| {
                    for k in SourceKind::ALL {
                        ui.selectable_value(&mut draft.entry.kind, *k, k.as_str());
                    }
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
            field(ui, "Affiliation:", &mut draft.affiliation);
            field(ui, "Aliases (comma-separated):", &mut draft.aliases);
            field(ui, "Wikidata id:", &mut draft.wikidata);
            field(ui, "Note:", &mut draft.note);
        });
    let current = ws.project.source(id);
    let edited = draft.entry();
    ui.horizontal(|ui| {
        match &edited {
            Ok(e) => {
                let changed = current != Some(e);
                if ui
                    .add_enabled(changed, egui::Button::new("Apply changes"))
                    .clicked()
                {
                    queue.push(UiCommand::UpdateSource(Box::new(e.clone())));
                }
            }
            Err(why) => {
                ui.colored_label(ui.visuals().error_fg_color, why);
            }
        }
        if ui.button("Remove source").clicked() {
            queue.push(UiCommand::RemoveSource(id));
        }
    });
    ui.horizontal(|ui| {
        let name = ui.label("Merge into:");
        let chosen = state
            .merge_into
            .and_then(|m| ws.project.source(m))
            .map_or("(choose)".to_string(), |e| e.name.clone());
        egui::ComboBox::from_id_salt("merge-into")
            .selected_text(crate::ui::text_view::excerpt(&chosen, 30))
            .show_ui(ui, |ui| {
                for e in ws.project.sources().filter(|e| e.id != id) {
                    ui.selectable_value(&mut state.merge_into, Some(e.id), &e.name);
                }
            })
            .response
            .labelled_by(name.id);
        if let Some(into) = state.merge_into
            && ui.button("Merge").clicked()
        {
            queue.push(UiCommand::MergeSources { from: id, into });
        }
    });
    ui.separator();
    ui.label(
        RichText::new(format!(
            "{} mention(s) — click to go there; tick to split off",
            mentions.len()
        ))
        .strong(),
    );
    egui::ScrollArea::vertical()
        .id_salt("source-mentions")
        .max_height(200.0)
        .show(ui, |ui| {
            for span in mentions {
                let Some(s) = ws.project.span(*span) else {
                    continue;
                };
                let Some(doc) = ws.project.document(s.doc) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    let mut on = state.ticked.contains(span);
                    if ui
                        .checkbox(&mut on, "split")
                        .on_hover_text("Tick the mentions to split off as a new source")
                        .changed()
                    {
                        if on {
                            state.ticked.insert(*span);
                        } else {
                            state.ticked.remove(span);
                        }
                    }
                    let text = format!(
                        "{}: “{}”",
                        crate::ui::text_view::excerpt(&doc.title, 28),
                        crate::ui::text_view::excerpt(&s.quote(&doc.text), 40)
                    );
                    if ui.link(text).clicked() {
                        queue.push(UiCommand::SelectSpan(Some(*span)));
                    }
                });
            }
        });
    if !state.ticked.is_empty() {
        ui.horizontal(|ui| {
            let name = ui.label("Split the ticked off as:");
            ui.add(egui::TextEdit::singleline(&mut state.split_name).desired_width(180.0))
                .labelled_by(name.id);
            let ok = !state.split_name.trim().is_empty();
            if ui.add_enabled(ok, egui::Button::new("Split")).clicked() {
                queue.push(UiCommand::SplitSource {
                    source: id,
                    spans: state.ticked.iter().copied().collect(),
                    name: state.split_name.trim().to_string(),
                });
            }
        });
    }
}
