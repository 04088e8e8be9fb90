//! The article list (left panel): a filter box, the order and the status
//! shown, and one row per article with its status and span count. Only the
//! rows in view are drawn.

use crate::model::{DocId, DocStatus, Document};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::doc_list::{ArticleSort, StatusFilter, thousands};
use crate::ui::review::conflicts_per_article;
use crate::ui::workspace::Workspace;
use egui::{Color32, RichText, Ui};
use std::collections::HashMap;

/// Accessible label of the article filter (tests find it by this).
pub const ARTICLE_FILTER_LABEL: &str = "Filter:";

/// Accessible label of the filter's clear button.
const CLEAR_FILTER_LABEL: &str = "Clear the filter";

/// Height of one row, spacing excluded.
const ROW_HEIGHT: f32 = 38.0;

/// The list with its filter, order and status choices.
pub(super) fn articles_panel(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    ui.horizontal(|ui| {
        ui.heading("Articles");
        if let Some((at, n)) = ws.corpus_facts().position {
            ui.label(RichText::new(format!("{} of {}", thousands(at), thousands(n))).weak());
        }
    });
    filter_box(ui, ws, queue);
    choices(ui, ws);
    let state = ws.history.current_state();
    let rows = ws.articles.rows(&ws.project, state);
    if ws.articles.is_narrowed() {
        let n = ws.project.documents().len();
        ui.label(
            RichText::new(format!(
                "{} of {} shown",
                thousands(rows.len()),
                thousands(n)
            ))
            .weak()
            .small(),
        );
    }
    let buttons_height = 64.0;
    let list_height = (ui.available_height() - buttons_height).max(ROW_HEIGHT * 2.0);
    let mut area = egui::ScrollArea::vertical()
        .id_salt("doc-list")
        .auto_shrink(false)
        .max_height(list_height);
    let row = ROW_HEIGHT + ui.spacing().item_spacing.y;
    if let Some(top) = ws.articles.scroll_to_row.take() {
        area = area.vertical_scroll_offset(top as f32 * row);
    }
    if std::mem::take(&mut ws.articles.reveal)
        && let Some(i) = ws.current.and_then(|c| rows.iter().position(|d| *d == c))
    {
        area = area.vertical_scroll_offset((i as f32 * row - list_height / 2.0).max(0.0));
    }
    let review = review_marks(ws);
    let count = rows.len();
    area.show_rows(ui, ROW_HEIGHT, count, |ui, range| {
        let first = range.start;
        for (k, id) in rows[range].iter().enumerate() {
            if let Some(d) = ws.project.document(*id) {
                let r = article_row(ui, ws, d, review.as_ref(), queue);
                super::list_item(ui, &r, first + k + 1, count);
            }
        }
    });
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        ui.label("Add:");
        for (text, what, command) in [
            ("Files…", "Add articles…", UiCommand::AddArticles),
            ("Folder…", "Add a folder of articles…", UiCommand::AddFolder),
            ("URL…", "Add from URL…", UiCommand::AddFromUrl),
            ("Paste…", "Paste article…", UiCommand::PasteArticle),
        ] {
            if ui.button(text).on_hover_text(what).clicked() {
                queue.push(command);
            }
        }
    });
}

/// The filter box: Enter shows the first article listed; Ctrl+G gives it
/// the keyboard with its text selected, so typing replaces it.
fn filter_box(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    ui.horizontal(|ui| {
        let name = ui.label(ARTICLE_FILTER_LABEL);
        let clear = !ws.articles.filter.is_empty();
        let width = ui.available_width() - if clear { 28.0 } else { 0.0 };
        let output = egui::TextEdit::singleline(&mut ws.articles.filter)
            .hint_text("title, number or file (Ctrl+G)")
            .desired_width(width)
            .show(ui);
        let r = (*output.response).clone().labelled_by(name.id);
        if std::mem::take(&mut ws.articles.focus_filter) {
            r.request_focus();
            crate::ui::key_events::select_all(ui.ctx(), r.id, output.state, &ws.articles.filter);
        }
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            queue.push(UiCommand::GoToFirstListed);
        }
        if clear {
            let r = ui.small_button("✕").on_hover_text(CLEAR_FILTER_LABEL);
            r.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, CLEAR_FILTER_LABEL)
            });
            if r.clicked() {
                ws.articles.filter.clear();
            }
        }
    });
}

/// The order and which statuses show: view state, changed in place.
fn choices(ui: &mut Ui, ws: &mut Workspace) {
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("article-sort")
            .selected_text(ws.articles.sort.title())
            .show_ui(ui, |ui| {
                for s in ArticleSort::ALL {
                    ui.selectable_value(&mut ws.articles.sort, s, s.title());
                }
            })
            .response
            .on_hover_text("Order of the list");
        egui::ComboBox::from_id_salt("article-show")
            .selected_text(ws.articles.show.title())
            .show_ui(ui, |ui| {
                for s in StatusFilter::ALL {
                    ui.selectable_value(&mut ws.articles.show, s, s.title());
                }
            })
            .response
            .on_hover_text("Which articles the list shows, by status");
    });
}

/// The mark and colour of a status.
pub fn status_mark(status: DocStatus) -> (&'static str, Color32) {
    match status {
        DocStatus::New => ("○", Color32::from_rgb(140, 140, 140)),
        DocStatus::InProgress => ("◐", Color32::from_rgb(230, 160, 40)),
        DocStatus::Done => ("●", Color32::from_rgb(60, 170, 90)),
        DocStatus::Skipped => ("⊘", Color32::from_rgb(120, 120, 200)),
    }
}

/// What review adds to each row: disagreements left with the compared
/// version, merge conflicts, and why an article was not compared.
struct ReviewMarks {
    disagreements: HashMap<DocId, usize>,
    conflicts: HashMap<DocId, usize>,
    not_compared: HashMap<DocId, String>,
}

impl ReviewMarks {
    /// "3 to review", "not compared", or None.
    fn short(&self, doc: DocId) -> Option<String> {
        if self.not_compared.contains_key(&doc) {
            return Some("not compared".into());
        }
        let n = self.disagreements.get(&doc).copied().unwrap_or(0)
            + self.conflicts.get(&doc).copied().unwrap_or(0);
        (n > 0).then(|| format!("{n} to review"))
    }
}

/// The review marks, while comparing or with conflicts left.
fn review_marks(ws: &mut Workspace) -> Option<ReviewMarks> {
    if !ws.reviewing() {
        return None;
    }
    let state = ws.history.current_state();
    let (disagreements, not_compared) = match &mut ws.compare {
        Some(c) => (
            c.per_article(&ws.project, state).clone(),
            c.not_compared.clone(),
        ),
        None => Default::default(),
    };
    Some(ReviewMarks {
        disagreements,
        conflicts: conflicts_per_article(&ws.project),
        not_compared,
    })
}

/// One row: status mark and title on the first line, number, span count,
/// status and what is left to review below; a click shows the article, a
/// right click sets its status.
fn article_row(
    ui: &mut Ui,
    ws: &Workspace,
    d: &Document,
    review: Option<&ReviewMarks>,
    queue: &mut CommandQueue,
) -> egui::Response {
    let (_, color) = status_mark(d.status);
    let spans = ws.project.span_count_in(d.id);
    let selected = ws.current == Some(d.id);
    let width = ui.available_width();
    let (rect, r) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::click());
    // Commas, not middle dots: a dot is looked up in a fallback font,
    // which made this line cost more than the title.
    let mut meta_text = format!(
        "#{}, {spans} spans, {}",
        d.id,
        d.status.title().to_lowercase()
    );
    if let Some(mark) = review.and_then(|r| r.short(d.id)) {
        meta_text = format!("{mark}, {meta_text}");
    }
    // Read out whole: title, then number, spans, status and review.
    r.widget_info(|| {
        let spoken = format!("{}\n{meta_text}", d.title);
        egui::WidgetInfo::selected(egui::Role::Button, true, selected, spoken)
    });
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let fill = if selected {
            Some(visuals.selection.bg_fill)
        } else if r.hovered() {
            Some(visuals.widgets.hovered.weak_bg_fill)
        } else {
            None
        };
        if let Some(fill) = fill {
            ui.painter().rect_filled(rect, 3.0, fill);
        }
        let text_color = if selected {
            visuals.selection.stroke.color
        } else {
            visuals.text_color()
        };
        let body = egui::TextStyle::Body.resolve(ui.style());
        let small = egui::TextStyle::Small.resolve(ui.style());
        let line = |text: &str, font: egui::FontId, color: Color32, width: f32| {
            let mut job = egui::text::LayoutJob::simple_singleline(text.to_string(), font, color);
            job.wrap = egui::text::TextWrapping::truncate_at_width(width);
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let inner = rect.shrink2(egui::vec2(4.0, 2.0));
        // The mark is drawn, not typeset: one text layout less per row.
        let mark_w = 16.0;
        let title = line(&d.title, body, text_color, inner.width() - mark_w);
        let meta = line(
            &meta_text,
            small,
            visuals.weak_text_color(),
            inner.width() - mark_w,
        );
        let painter = ui.painter();
        let center = egui::pos2(inner.left() + 6.0, inner.top() + title.size().y / 2.0);
        paint_status_mark(painter, center, d.status, color);
        let x = inner.left() + mark_w;
        painter.galley(egui::pos2(x, inner.top()), title.clone(), text_color);
        painter.galley(
            egui::pos2(x, inner.top() + title.size().y),
            meta,
            text_color,
        );
    }
    // Made only while hovered: twenty rows' strings a frame otherwise.
    let why = review.and_then(|r| r.not_compared.get(&d.id));
    let r = r.on_hover_ui(|ui| {
        let mut hover = hover_text(d);
        if let Some(why) = why {
            hover.push_str(&format!("\n{why}"));
        }
        ui.label(hover);
    });
    if r.clicked() {
        queue.push(UiCommand::ShowDocument(d.id));
    }
    r.context_menu(|ui| status_menu(ui, d.id, d.status, queue));
    r
}

/// ○ new, ◐ in progress (a dot inside), ● done, ⊘ skipped, as shapes.
fn paint_status_mark(painter: &egui::Painter, c: egui::Pos2, status: DocStatus, color: Color32) {
    let r = 5.0;
    let stroke = egui::Stroke::new(1.5, color);
    match status {
        DocStatus::New => {
            painter.circle_stroke(c, r, stroke);
        }
        DocStatus::InProgress => {
            painter.circle_stroke(c, r, stroke);
            painter.circle_filled(c, 2.5, color);
        }
        DocStatus::Done => {
            painter.circle_filled(c, r, color);
        }
        DocStatus::Skipped => {
            painter.circle_stroke(c, r, stroke);
            let d = egui::vec2(r * 0.7, r * 0.7);
            painter.line_segment([c - d, c + d], stroke);
        }
    }
}

fn hover_text(d: &Document) -> String {
    let mut s = format!("Article {}: {}", d.id, d.title);
    if let Some(o) = &d.origin {
        s.push_str(&format!("\nFrom {o}"));
    }
    s.push_str(&format!(
        "\nStatus: {} (right-click to change)",
        d.status.title()
    ));
    s
}

/// Set an article's status from its row.
fn status_menu(ui: &mut Ui, doc: DocId, now: DocStatus, queue: &mut CommandQueue) {
    for s in DocStatus::ALL {
        let (mark, color) = status_mark(s);
        let text = RichText::new(format!("{mark} {}", s.title())).color(color);
        if ui.add_enabled(s != now, egui::Button::new(text)).clicked() {
            queue.push(UiCommand::SetArticleStatus(doc, s));
            ui.close();
        }
    }
}
