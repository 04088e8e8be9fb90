//! The review panel: merge conflicts and, while comparing, the current
//! article's disagreements with the other version, with the agreement
//! figures per label. N / Shift+N walk the list; O, T and B settle.

use crate::model::{Alternative, DocStatus, Project, Span};
use crate::team::compare::{Kind, Take};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::review::ReviewItem;
use crate::ui::text_view::excerpt;
use crate::ui::workspace::Workspace;
use egui::{Color32, RichText, Ui};

/// Accessible heading of the panel.
pub const REVIEW_LABEL: &str = "Review";

fn quote(p: &Project, s: &Span) -> String {
    let text = p
        .document(s.doc)
        .map(|d| {
            s.fragments_iter()
                .map(|(a, b)| d.text.slice(a..b).to_string())
                .collect::<Vec<_>>()
                .join(" … ")
        })
        .unwrap_or_default();
    format!("“{}”", excerpt(&text, 48))
}

/// One line for a review item.
fn describe(ws: &Workspace, item: ReviewItem) -> String {
    match item {
        ReviewItem::Conflict(i) => ws.project.conflicts().get(i).map_or_else(String::new, |c| {
            let what = match &c.other {
                Alternative::Span(id, alt) => ws
                    .project
                    .span(*id)
                    .map(|s| {
                        // Name both labels when the label is what differs.
                        let labels = match alt {
                            Some(a) if a.label != s.label => format!(
                                " ({} {}, {} {})",
                                c.standing.as_str(),
                                ws.project.label_name(&s.label),
                                c.standing.other().as_str(),
                                ws.project.label_name(&a.label)
                            ),
                            _ => String::new(),
                        };
                        format!(" {}{labels}", quote(&ws.project, s))
                    })
                    .unwrap_or_default(),
                Alternative::Document(id, Some(title)) => format!(
                    " “{}” (theirs “{title}”)",
                    ws.project.document(*id).map_or("", |d| d.title.as_str())
                ),
                Alternative::Status(id, status) => format!(
                    " “{}” {} (theirs {status})",
                    ws.project.document(*id).map_or("", |d| d.title.as_str()),
                    ws.project
                        .document(*id)
                        .map_or(DocStatus::New, |d| d.status)
                ),
                _ => String::new(),
            };
            format!("Conflict, {}:{what} {}", c.subject(), c.describe())
        }),
        ReviewItem::Disagreement(d) => {
            let Some(c) = &ws.compare else {
                return String::new();
            };
            let ours = d.ours.and_then(|id| ws.project.span(id));
            let theirs = d.theirs.and_then(|id| c.theirs.span(id));
            match (d.kind, ours, theirs) {
                (Kind::Missing, _, Some(t)) => format!(
                    "Missing here: theirs has {} {}",
                    c.theirs.label_name(&t.label),
                    quote(&c.theirs, t)
                ),
                (Kind::Extra, Some(o), _) => format!(
                    "Extra here: only ours has {} {}",
                    ws.project.label_name(&o.label),
                    quote(&ws.project, o)
                ),
                (Kind::Label, Some(o), Some(t)) => format!(
                    "Different label: ours {}, theirs {} {}",
                    ws.project.label_name(&o.label),
                    c.theirs.label_name(&t.label),
                    quote(&ws.project, o)
                ),
                (Kind::Range, Some(o), Some(t)) => format!(
                    "Different range: ours {}–{}, theirs {}–{} ({}) {}",
                    o.start,
                    o.end,
                    t.start,
                    t.end,
                    ws.project.label_name(&o.label),
                    quote(&ws.project, o)
                ),
                (Kind::Links, Some(o), Some(_)) => format!(
                    "Different links: {} {}",
                    ws.project.label_name(&o.label),
                    quote(&ws.project, o)
                ),
                _ => d.kind.as_str().to_string(),
            }
        }
    }
}

/// Draws the panel.
pub(super) fn review_panel(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    ui.heading(REVIEW_LABEL);
    let state = ws.history.current_state();
    if let Some(c) = &mut ws.compare {
        ui.label(format!(
            "Comparing with {}: ours filled, theirs dashed.",
            c.name
        ));
        if ui.button("End comparison").clicked() {
            queue.push(UiCommand::EndCompare);
        }
        if let Some(a) = c.agreement(&ws.project, state) {
            let f = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{x:.3}"));
            // Foldable: the panel may share its column with the spans.
            egui::CollapsingHeader::new(RichText::new("Agreement (F1, exact spans)").strong())
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("agreement").striped(true).show(ui, |ui| {
                        ui.label("All labels");
                        ui.label(f(a.total.mean));
                        ui.end_row();
                        for row in &a.labels {
                            ui.label(&row.name);
                            ui.label(f(row.score.mean));
                            ui.end_row();
                        }
                        ui.label("Links");
                        ui.label(f(a.links.mean));
                        ui.end_row();
                    });
                });
        }
        ui.separator();
    }
    let items = ws.review_items();
    let conflicts = ws.project.conflicts().len();
    let not_compared = ws
        .compare
        .as_ref()
        .zip(ws.current)
        .and_then(|(c, d)| c.not_compared.get(&d));
    match not_compared {
        // Not "0 disagreements": this article was not compared at all.
        Some(why) => {
            ui.label(format!(
                "{conflicts} merge conflict(s). This article was {why}."
            ));
        }
        None => {
            ui.label(format!(
                "{} merge conflict(s), {} disagreement(s) in this article",
                conflicts,
                items.len() - conflicts
            ));
        }
    }
    if let Some(c) = &mut ws.compare {
        let left: usize = c.per_article(&ws.project, state).values().sum();
        let articles = c
            .per_article(&ws.project, state)
            .values()
            .filter(|n| **n > 0)
            .count();
        ui.label(
            RichText::new(format!(
                "{left} disagreement(s) left in {articles} article(s); N goes on to the next."
            ))
            .weak(),
        );
    }
    let cursor = ws.review_cursor.min(items.len().saturating_sub(1));
    ui.horizontal_wrapped(|ui| {
        let any = !items.is_empty();
        for (text, take) in [
            ("Keep ours (O)", Take::Ours),
            ("Take theirs (T)", Take::Theirs),
            ("Keep both (B)", Take::Both),
        ] {
            if ui.add_enabled(any, egui::Button::new(text)).clicked() {
                queue.push(UiCommand::Settle(take));
            }
        }
    });
    ui.label(RichText::new("N / Shift+N: next / previous").weak());
    egui::ScrollArea::vertical()
        .id_salt("review-list")
        .auto_shrink(false)
        .show(ui, |ui| {
            for (i, item) in items.iter().enumerate() {
                let text = describe(ws, *item);
                let mut rich = RichText::new(text);
                if matches!(item, ReviewItem::Conflict(_)) {
                    rich = rich.color(Color32::from_rgb(230, 120, 60));
                }
                let r = ui.selectable_label(i == cursor, rich);
                if r.clicked() {
                    queue.push(UiCommand::ReviewSelect(i));
                }
            }
        });
}
