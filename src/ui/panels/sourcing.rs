//! The Sourcing view (View → Sourcing view): what the reporting rests on,
//! for the current article or the whole project. Charts: one stacked bar
//! per article (claims by support), the kind mix, the top sources and the
//! article × source matrix, then the editorial checks. Clicking a bar,
//! segment or cell lists its spans; choosing one jumps to it.
//!
//! The analysis is kept per article ([`Cache`]): after an edit only the
//! touched article is analysed again, within a few milliseconds a frame.

use crate::analysis::sourcing::{Analysis, Check, Support, combine};
use crate::formats::sourcing_svg::support_color;
use crate::model::{SourceId, SpanId};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::workspace::{Pick, SourcingWindow, Workspace};
use egui::{Color32, RichText, Sense, Ui, vec2};
use std::sync::Arc;

/// Main-thread time a frame may spend bringing the analysis up to date.
const BUDGET: std::time::Duration = std::time::Duration::from_millis(6);

/// The colour of a support class.
pub fn support_color32(s: Support) -> Color32 {
    let hex = support_color(s);
    let c: crate::model::Rgb = hex.parse().unwrap_or(crate::model::Rgb(128, 128, 128));
    Color32::from_rgb(c.0, c.1, c.2)
}

/// Draws the view while it is shown; its ✕ hides it.
pub(super) fn sourcing_window(ctx: &egui::Context, ws: &mut Workspace, queue: &mut CommandQueue) {
    let Some(mut state) = ws.sourcing_window.take() else {
        return;
    };
    let fresh = state.cache.refresh(&ws.project, BUDGET);
    if !fresh.done() {
        ctx.request_repaint();
    }
    let mut open = true;
    egui::Window::new("Sourcing")
        .open(&mut open)
        .default_size([820.0, 600.0])
        .resizable(true)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut state.current_only, false, "Whole project");
                ui.selectable_value(&mut state.current_only, true, "This article");
                if !fresh.done() {
                    ui.spinner();
                    ui.label(format!(
                        "updating… {} of {} articles",
                        fresh.fresh, fresh.total
                    ));
                }
            });
            let Some(full) = state.cache.analysis() else {
                ui.label("Analysing…");
                return;
            };
            let shown = scoped(ws, &state, full);
            summary(ui, &shown);
            ui.separator();
            ui.horizontal_top(|ui| {
                let width = (ui.available_width() - 300.0).max(380.0);
                ui.vertical(|ui| {
                    ui.set_width(width);
                    egui::ScrollArea::vertical()
                        .id_salt("sourcing-charts")
                        .show(ui, |ui| charts(ui, ws, &shown, &mut state.pick));
                });
                ui.separator();
                ui.vertical(|ui| picked_list(ui, ws, &shown, state.pick, queue));
            });
        });
    if open {
        ws.sourcing_window = Some(state);
    }
}

/// The analysis for the chosen scope.
fn scoped(ws: &Workspace, state: &SourcingWindow, full: Arc<Analysis>) -> Arc<Analysis> {
    if !state.current_only {
        return full;
    }
    let article = ws
        .current
        .and_then(|d| full.article(d))
        .cloned()
        .into_iter()
        .collect();
    let mut one = combine(&ws.project, article);
    one.sources.retain(|s| !s.mentions.is_empty());
    Arc::new(one)
}

fn summary(ui: &mut Ui, a: &Analysis) {
    let t = &a.totals;
    ui.label(
        RichText::new(format!(
            "{} claim(s), {} figure(s) in {} article(s): {} unsourced · {} only anonymous or described · {} single-source · {} distinct source(s)",
            t.claims,
            t.figures,
            a.articles.len(),
            t.unsourced,
            t.anonymous_only,
            t.single_source,
            t.distinct_sources
        ))
        .strong(),
    );
    let b = a.buckets();
    let idents: Vec<String> = t
        .identifications
        .iter()
        .map(|(i, n)| format!("{i} {n}"))
        .collect();
    ui.label(format!(
        "Articles by distinct sources: 0: {} · 1: {} · 2–3: {} · 4+: {}    Sources: {}",
        b[0],
        b[1],
        b[2],
        b[3],
        if idents.is_empty() {
            "none assigned".into()
        } else {
            idents.join(", ")
        }
    ));
}

fn charts(ui: &mut Ui, ws: &Workspace, a: &Analysis, pick: &mut Option<Pick>) {
    egui::CollapsingHeader::new("Claims by support, per article")
        .default_open(true)
        .show(ui, |ui| support_chart(ui, ws, a, pick));
    egui::CollapsingHeader::new("Kinds of source")
        .default_open(true)
        .show(ui, |ui| {
            let rows: Vec<(String, usize, Pick)> = a
                .totals
                .kinds
                .iter()
                .map(|(k, n)| (k.to_string(), *n, Pick::Kind(*k)))
                .collect();
            bars(
                ui,
                &rows,
                Color32::from_rgb(0x5f, 0x7f, 0xb8),
                "source(s)",
                pick,
            );
        });
    egui::CollapsingHeader::new("Top sources (claims resting on them)")
        .default_open(true)
        .show(ui, |ui| {
            let rows: Vec<(String, usize, Pick)> = a
                .sources
                .iter()
                .filter(|u| !u.claims.is_empty() || !u.figures.is_empty())
                .take(15)
                .filter_map(|u| {
                    let e = ws.project.source(u.id)?;
                    Some((e.name.clone(), u.claims.len(), Pick::Source(u.id)))
                })
                .collect();
            bars(
                ui,
                &rows,
                Color32::from_rgb(0x5f, 0xb8, 0x5a),
                "claim(s)",
                pick,
            );
        });
    egui::CollapsingHeader::new("Articles × sources (mentions)")
        .default_open(true)
        .show(ui, |ui| matrix(ui, ws, a, pick));
    egui::CollapsingHeader::new(format!("Editorial checks ({})", a.findings().count()))
        .default_open(true)
        .show(ui, |ui| {
            for check in Check::ALL {
                let n = a.findings().filter(|f| f.check == check).count();
                let text = format!("{} ({n})", check_title(check));
                if ui
                    .add_enabled(
                        n > 0,
                        egui::Button::selectable(*pick == Some(Pick::Finding(check)), text),
                    )
                    .clicked()
                {
                    *pick = Some(Pick::Finding(check));
                }
            }
        });
}

/// A check in words.
pub fn check_title(c: Check) -> &'static str {
    match c {
        Check::FirstClaimAnonymous => "Article opens on an unnamed source",
        Check::AnonymousSupport => "Claim supported only anonymously",
        Check::UnsourcedFigure => "Figure with no source",
        Check::BareSource => "Source described only as “a source”",
        Check::PluralOneEntry => "“Sources” resolving to one source",
    }
}

/// One stacked bar per article; each segment is a support class.
fn support_chart(ui: &mut Ui, ws: &Workspace, a: &Analysis, pick: &mut Option<Pick>) {
    ui.horizontal_wrapped(|ui| {
        for class in Support::ALL {
            let n = a.totals.support.get(&class).copied().unwrap_or(0);
            let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
            ui.painter().rect_filled(r, 2.0, support_color32(class));
            let text = format!("{} ({n})", class.as_str());
            let selected = *pick == Some(Pick::Support(None, class));
            if ui
                .add_enabled(n > 0, egui::Button::selectable(selected, text))
                .clicked()
            {
                *pick = Some(Pick::Support(None, class));
            }
        }
    });
    let most = a
        .articles
        .iter()
        .map(|r| r.counts.claims)
        .max()
        .unwrap_or(0)
        .max(1);
    let row = 20.0;
    let label_w = 200.0;
    egui::ScrollArea::vertical()
        .id_salt("support-bars")
        .max_height(260.0)
        .show_rows(ui, row, a.articles.len(), |ui, range| {
            for r in &a.articles[range] {
                let title = ws.project.document(r.doc).map_or("", |d| d.title.as_str());
                ui.horizontal(|ui| {
                    ui.add_sized(
                        vec2(label_w, row - 4.0),
                        egui::Label::new(crate::ui::text_view::excerpt(title, 30)).truncate(),
                    );
                    let width = (ui.available_width() - 40.0).max(60.0);
                    let (rect, resp) =
                        ui.allocate_exact_size(vec2(width, row - 6.0), Sense::click());
                    let mut x = rect.left();
                    let mut hit: Option<Support> = None;
                    let pointer = resp.hover_pos().or(resp.interact_pointer_pos());
                    let mut parts = Vec::new();
                    for class in Support::ALL {
                        let n = r.counts.support.get(&class).copied().unwrap_or(0);
                        if n == 0 {
                            continue;
                        }
                        parts.push(format!("{} {n}", class.as_str()));
                        let w = n as f32 * rect.width() / most as f32;
                        let seg = egui::Rect::from_min_size(
                            egui::pos2(x, rect.top()),
                            vec2(w, rect.height()),
                        );
                        ui.painter().rect_filled(seg, 0.0, support_color32(class));
                        if pointer.is_some_and(|p| seg.contains(p)) {
                            hit = Some(class);
                        }
                        if *pick == Some(Pick::Support(Some(r.doc), class)) {
                            ui.painter().rect_stroke(
                                seg,
                                0.0,
                                egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
                                egui::StrokeKind::Inside,
                            );
                        }
                        x += w;
                    }
                    let described = format!(
                        "{title}: {}",
                        if parts.is_empty() {
                            "no claims".into()
                        } else {
                            parts.join(", ")
                        }
                    );
                    resp.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, &described)
                    });
                    let resp = match hit {
                        Some(class) => resp.on_hover_text(format!(
                            "{}: {} claim(s) — click to list them",
                            class.as_str(),
                            r.counts.support.get(&class).copied().unwrap_or(0)
                        )),
                        None => resp,
                    };
                    if resp.clicked()
                        && let Some(class) = hit.or_else(|| first_class(r.counts.support.keys()))
                    {
                        *pick = Some(Pick::Support(Some(r.doc), class));
                    }
                    ui.label(r.counts.claims.to_string());
                });
            }
        });
}

/// The first class in bar order that has claims.
fn first_class<'a>(present: impl Iterator<Item = &'a Support>) -> Option<Support> {
    let present: Vec<Support> = present.copied().collect();
    Support::ALL.into_iter().find(|c| present.contains(c))
}

/// Labelled horizontal bars; clicking one picks it.
fn bars(
    ui: &mut Ui,
    rows: &[(String, usize, Pick)],
    color: Color32,
    unit: &str,
    pick: &mut Option<Pick>,
) {
    if rows.is_empty() {
        ui.label(RichText::new("None yet: assign sources with W.").weak());
        return;
    }
    let most = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    for (name, n, p) in rows {
        ui.horizontal(|ui| {
            ui.add_sized(
                vec2(200.0, 16.0),
                egui::Label::new(crate::ui::text_view::excerpt(name, 30)).truncate(),
            );
            let width = (ui.available_width() - 40.0).max(60.0);
            let (rect, resp) = ui.allocate_exact_size(vec2(width, 14.0), Sense::click());
            let w = *n as f32 * rect.width() / most as f32;
            let bar = egui::Rect::from_min_size(rect.min, vec2(w.max(2.0), rect.height()));
            ui.painter().rect_filled(bar, 2.0, color);
            if *pick == Some(*p) {
                ui.painter().rect_stroke(
                    bar,
                    2.0,
                    egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
                    egui::StrokeKind::Inside,
                );
            }
            let described = format!("{name}: {n} {unit}");
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &described));
            if resp
                .on_hover_text(format!("{name}: {n} {unit} — click to list"))
                .clicked()
            {
                *pick = Some(*p);
            }
            ui.label(n.to_string());
        });
    }
}

/// Articles down, the top sources across; a cell's shade is its mentions.
fn matrix(ui: &mut Ui, ws: &Workspace, a: &Analysis, pick: &mut Option<Pick>) {
    let columns: Vec<SourceId> = a
        .sources
        .iter()
        .filter(|u| !u.mentions.is_empty())
        .take(15)
        .map(|u| u.id)
        .collect();
    if columns.is_empty() {
        ui.label(RichText::new("No source is assigned yet.").weak());
        return;
    }
    let cell = 18.0;
    let label_w = 200.0;
    ui.horizontal(|ui| {
        ui.add_space(label_w + 8.0);
        for (j, id) in columns.iter().enumerate() {
            let name = ws.project.source(*id).map_or("", |e| e.name.as_str());
            let (r, resp) = ui.allocate_exact_size(vec2(cell, cell), Sense::hover());
            ui.painter().text(
                r.center(),
                egui::Align2::CENTER_CENTER,
                (j + 1).to_string(),
                egui::FontId::proportional(10.0),
                ui.visuals().text_color(),
            );
            resp.on_hover_text(name);
        }
    });
    let most = a
        .articles
        .iter()
        .flat_map(|r| r.mentions_by_entry().into_values())
        .max()
        .unwrap_or(1)
        .max(1);
    egui::ScrollArea::vertical()
        .id_salt("source-matrix")
        .max_height(240.0)
        .show_rows(ui, cell + 2.0, a.articles.len(), |ui, range| {
            for r in &a.articles[range] {
                let counts = r.mentions_by_entry();
                let title = ws.project.document(r.doc).map_or("", |d| d.title.as_str());
                ui.horizontal(|ui| {
                    ui.add_sized(
                        vec2(label_w, cell),
                        egui::Label::new(crate::ui::text_view::excerpt(title, 30)).truncate(),
                    );
                    for id in &columns {
                        let n = counts.get(id).copied().unwrap_or(0);
                        let (rect, resp) = ui.allocate_exact_size(vec2(cell, cell), Sense::click());
                        let fill = if n == 0 {
                            ui.visuals().faint_bg_color
                        } else {
                            let t = 0.3 + 0.7 * n as f32 / most as f32;
                            Color32::from_rgba_unmultiplied(0x5f, 0x7f, 0xb8, (t * 255.0) as u8)
                        };
                        ui.painter().rect_filled(rect.shrink(1.0), 2.0, fill);
                        if *pick == Some(Pick::Cell(r.doc, *id)) {
                            ui.painter().rect_stroke(
                                rect.shrink(1.0),
                                2.0,
                                egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
                                egui::StrokeKind::Inside,
                            );
                        }
                        let name = ws.project.source(*id).map_or("", |e| e.name.as_str());
                        let described = format!("{title} × {name}: {n} mention(s)");
                        resp.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, n > 0, &described)
                        });
                        if resp.on_hover_text(&described).clicked() && n > 0 {
                            *pick = Some(Pick::Cell(r.doc, *id));
                        }
                    }
                });
            }
        });
}

/// The spans of what was clicked; choosing one jumps to it.
fn picked_list(
    ui: &mut Ui,
    ws: &Workspace,
    a: &Analysis,
    pick: Option<Pick>,
    queue: &mut CommandQueue,
) {
    let Some(pick) = pick else {
        ui.label(RichText::new("Click a bar, a segment or a cell to list its spans.").weak());
        return;
    };
    let (title, spans) = picked_spans(ws, a, pick);
    ui.label(RichText::new(format!("{title}: {}", spans.len())).strong());
    egui::ScrollArea::vertical()
        .id_salt("sourcing-picked")
        .show(ui, |ui| {
            for (span, extra) in spans.iter().take(500) {
                let Some(s) = ws.project.span(*span) else {
                    continue;
                };
                let Some(doc) = ws.project.document(s.doc) else {
                    continue;
                };
                let mut text = format!(
                    "“{}” — {}",
                    crate::ui::text_view::excerpt(&s.quote(&doc.text), 60),
                    crate::ui::text_view::excerpt(&doc.title, 24)
                );
                if let Some(x) = extra {
                    text = format!("{x}\n{text}");
                }
                let selected = ws.selected == Some(*span);
                if ui
                    .add(egui::Button::selectable(selected, text).wrap())
                    .clicked()
                {
                    queue.push(UiCommand::SelectSpan(Some(*span)));
                }
            }
            if spans.len() > 500 {
                ui.label(format!("… and {} more", spans.len() - 500));
            }
        });
}

/// What a pick lists: a title and (span, extra line) rows in text order.
fn picked_spans(
    ws: &Workspace,
    a: &Analysis,
    pick: Pick,
) -> (String, Vec<(SpanId, Option<String>)>) {
    let name = |id: SourceId| {
        ws.project
            .source(id)
            .map_or(String::new(), |e| e.name.clone())
    };
    match pick {
        Pick::Support(doc, class) => {
            let rows = a
                .articles
                .iter()
                .filter(|r| doc.is_none_or(|d| d == r.doc))
                .flat_map(|r| r.claims.iter())
                .filter(|c| !c.figure && c.support == class)
                .map(|c| (c.span, None))
                .collect();
            (format!("Claims, {}", class.as_str()), rows)
        }
        Pick::Kind(kind) => {
            let rows = a
                .articles
                .iter()
                .flat_map(|r| r.mentions.iter())
                .filter(|(_, e)| {
                    e.and_then(|e| ws.project.source(e))
                        .is_some_and(|e| e.kind == kind)
                })
                .map(|(s, e)| (*s, e.map(name)))
                .collect();
            (format!("Mentions of {kind} sources"), rows)
        }
        Pick::Source(id) => {
            let rows = a
                .sources
                .iter()
                .find(|u| u.id == id)
                .map(|u| {
                    u.claims
                        .iter()
                        .map(|c| (*c, None))
                        .chain(u.figures.iter().map(|f| (*f, Some("figure".to_string()))))
                        .collect()
                })
                .unwrap_or_default();
            (format!("Resting on “{}”", name(id)), rows)
        }
        Pick::Cell(doc, id) => {
            let rows = a
                .article(doc)
                .map(|r| {
                    r.mentions
                        .iter()
                        .filter(|(_, e)| *e == Some(id))
                        .map(|(s, _)| (*s, None))
                        .collect()
                })
                .unwrap_or_default();
            (format!("Mentions of “{}”", name(id)), rows)
        }
        Pick::Finding(check) => {
            let rows = a
                .findings()
                .filter(|f| f.check == check)
                .map(|f| (f.span, Some(f.message.clone())))
                .collect();
            (check_title(check).to_string(), rows)
        }
    }
}
