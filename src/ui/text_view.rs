//! The scalable text view: per-paragraph galleys in our own cache, laid out
//! only when visible (`ScrollArea::show_viewport`), heights estimated until
//! measured, and highlights painted behind the text from row geometry, so a
//! retag never re-lays-out anything.

use super::geometry::{
    HeightIndex, Paragraph, estimate_height, paragraph_of, split_paragraphs, stack_levels,
};
use crate::model::{DocId, DocText, Project, Span, SpanId};
use egui::epaint::text::{CharIndex, Galley, LayoutJob, TextFormat};
use egui::{
    Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, Vec2,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Accessible label of the text view.
pub const TEXT_VIEW_LABEL: &str = "Document text";

/// Pixels of padding around the text.
const MARGIN: f32 = 16.0;
/// Paragraphs laid out beyond the visible area (pixels), for smooth scrolling.
const OVERSCAN: f32 = 400.0;
/// Galleys kept in the cache before far-away ones are evicted.
const MAX_CACHED_GALLEYS: usize = 240;

/// A raw selection: where the drag started (anchor) and where it is (head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Fixed end, in document chars.
    pub anchor: usize,
    /// Moving end (the caret), in document chars.
    pub head: usize,
    /// True when Alt was held: no word snapping.
    pub exact: bool,
}

impl Selection {
    /// A caret with nothing selected.
    pub fn caret(at: usize) -> Self {
        Selection {
            anchor: at,
            head: at,
            exact: false,
        }
    }
}

/// What the user did in the text view this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewEvent {
    /// A span was clicked (already cycled among overlapping spans).
    ClickedSpan(SpanId),
    /// Empty text was clicked.
    ClickedText,
}

/// Per-document view state: paragraphs, measured heights, cached galleys,
/// selection and scrolling.
pub struct DocView {
    /// The document shown.
    pub doc: DocId,
    text: DocText,
    paragraphs: Vec<Paragraph>,
    heights: HeightIndex,
    /// Wrap width and font size the heights and galleys were made for.
    layout_key: (u32, u32),
    galleys: HashMap<usize, Arc<Galley>>,
    /// The selection, if any.
    pub selection: Option<Selection>,
    /// Scroll so that this char is visible on the next frame.
    pub scroll_to: Option<usize>,
    /// Scroll offset to apply on the next frame (anchor correction).
    pending_offset: Option<f32>,
    /// Screen position of content y = 0 during the last frame.
    last_origin: Pos2,
    /// Visible content rect (content coordinates) during the last frame.
    last_viewport: Rect,
    /// Paragraphs laid out in the last frame (for tests and profiling).
    pub last_laid_out: usize,
    drag_anchor: Option<usize>,
}

impl DocView {
    /// A view of `doc` with estimated heights (nothing is laid out yet).
    pub fn new(doc: DocId, text: DocText) -> Self {
        let paragraphs = split_paragraphs(&text);
        DocView {
            doc,
            text,
            heights: HeightIndex::default(),
            paragraphs,
            layout_key: (0, 0),
            galleys: HashMap::new(),
            selection: None,
            scroll_to: None,
            pending_offset: None,
            last_origin: Pos2::ZERO,
            last_viewport: Rect::NOTHING,
            last_laid_out: 0,
            drag_anchor: None,
        }
    }

    /// Scrolls to vertical offset `y` (content pixels) on the next frame.
    pub fn set_scroll_offset(&mut self, y: f32) {
        self.pending_offset = Some(y.max(0.0));
    }

    /// Current estimate of the full content height in pixels.
    pub fn content_height(&self) -> f32 {
        self.heights.total()
    }

    /// The first char of the first paragraph visible in the last frame.
    pub fn first_visible_char(&self) -> usize {
        let i = self.heights.find(self.last_viewport.min.y.max(0.0));
        self.paragraphs.get(i).map_or(0, |p| p.chars.start)
    }

    /// The document text.
    pub fn text(&self) -> &DocText {
        &self.text
    }

    /// Number of paragraphs (chunks).
    pub fn paragraph_count(&self) -> usize {
        self.paragraphs.len()
    }

    /// The selection snapped to graphemes (and words unless exact), trimmed.
    pub fn snapped_selection(&self) -> Option<Range<usize>> {
        let s = self.selection?;
        if s.anchor == s.head {
            return None;
        }
        let r = self.text.snap_selection(s.anchor..s.head, !s.exact);
        (r.start < r.end).then_some(r)
    }

    /// Screen position of the top-left of document char `ch` as drawn in the
    /// last frame, if it was laid out (used by tests to aim drags).
    pub fn screen_pos_of_char(&self, ch: usize) -> Option<Pos2> {
        let i = paragraph_of(&self.paragraphs, ch);
        let galley = self.galleys.get(&i)?;
        let local = ch.saturating_sub(self.paragraphs[i].chars.start);
        let r = galley.pos_from_cursor(egui::text::CCursor::new(CharIndex(local)));
        let top = self.last_origin.y + self.heights.top(i);
        Some(
            Pos2::new(self.last_origin.x + MARGIN + r.min.x, top + r.min.y)
                + Vec2::new(0.5, r.height() / 2.0),
        )
    }

    fn font(ui: &Ui) -> FontId {
        let size = ui
            .style()
            .text_styles
            .get(&egui::TextStyle::Body)
            .map_or(14.0, |f| f.size);
        FontId::proportional(size + 2.0)
    }

    /// Row height including room for stacked underlines under the glyphs.
    fn row_height(font: &FontId) -> f32 {
        (font.size * 1.75).round()
    }

    /// Resets estimates when the wrap width or font size changes, keeping the
    /// first visible paragraph in place.
    fn ensure_layout_key(&mut self, ui: &Ui, width: f32, font: &FontId) {
        let key = (width.round() as u32, (font.size * 10.0) as u32);
        if key == self.layout_key && self.heights.len() == self.paragraphs.len() {
            return;
        }
        let anchor = if self.heights.is_empty() {
            None
        } else {
            Some(self.heights.find(self.last_viewport.min.y.max(0.0)))
        };
        self.layout_key = key;
        self.galleys.clear();
        let avg = ui.fonts_mut(|f| f.glyph_width(font, 'n')).max(1.0);
        let row = Self::row_height(font);
        self.heights = HeightIndex::new(self.paragraphs.iter().map(|p| {
            // Wide (CJK) text is about twice as wide per char; sample a few.
            let wide = self.text.as_str()[p.bytes.clone()]
                .chars()
                .take(32)
                .any(|c| c as u32 >= 0x1100);
            let w = if wide { avg * 1.6 } else { avg * 1.05 };
            estimate_height(p.chars.len(), w, width, row)
        }));
        if let Some(i) = anchor {
            self.pending_offset = Some(self.heights.top(i));
        }
    }

    fn layout(&mut self, ui: &Ui, i: usize, width: f32, font: &FontId) -> Arc<Galley> {
        if let Some(g) = self.galleys.get(&i) {
            return g.clone();
        }
        let p = &self.paragraphs[i];
        let mut job = LayoutJob::single_section(
            self.text.as_str()[p.bytes.clone()].to_string(),
            TextFormat {
                font_id: font.clone(),
                color: ui.visuals().text_color(),
                line_height: Some(Self::row_height(font)),
                valign: egui::Align::Min,
                ..Default::default()
            },
        );
        job.wrap.max_width = width;
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        self.galleys.insert(i, galley.clone());
        galley
    }

    /// Document char at a screen position (clamped into the text).
    fn char_at(&mut self, ui: &Ui, pos: Pos2, width: f32, font: &FontId) -> usize {
        let y = pos.y - self.last_origin.y;
        let i = self.heights.find(y);
        let galley = self.layout(ui, i, width, font);
        let local = Vec2::new(pos.x - self.last_origin.x - MARGIN, y - self.heights.top(i));
        let c = galley.cursor_from_pos(local);
        let p = &self.paragraphs[i];
        (p.chars.start + c.index.0).min(p.chars.end)
    }

    /// Moves the caret one visual row up or down (`dir` = -1 or 1).
    pub fn caret_row_move(&self, ch: usize, dir: i32) -> usize {
        let i = paragraph_of(&self.paragraphs, ch);
        let Some(galley) = self.galleys.get(&i) else {
            // Not laid out: move by paragraph.
            let j = if dir < 0 {
                i.saturating_sub(1)
            } else {
                (i + 1).min(self.paragraphs.len() - 1)
            };
            return self.paragraphs[j].chars.start;
        };
        let p = &self.paragraphs[i];
        let r = galley.pos_from_cursor(egui::text::CCursor::new(CharIndex(ch - p.chars.start)));
        let target_y = if dir < 0 {
            r.min.y - 1.0
        } else {
            r.max.y + 1.0
        };
        if target_y < 0.0 {
            if i == 0 {
                return 0;
            }
            let prev = &self.paragraphs[i - 1];
            return match self.galleys.get(&(i - 1)) {
                Some(g) => {
                    prev.chars.start
                        + g.cursor_from_pos(Vec2::new(r.min.x, g.rect.height() - 1.0))
                            .index
                            .0
                }
                None => prev.chars.start,
            };
        }
        if target_y > galley.rect.height() {
            if i + 1 >= self.paragraphs.len() {
                return self.text.char_len();
            }
            let next = &self.paragraphs[i + 1];
            return match self.galleys.get(&(i + 1)) {
                Some(g) => next.chars.start + g.cursor_from_pos(Vec2::new(r.min.x, 1.0)).index.0,
                None => next.chars.start,
            };
        }
        p.chars.start + galley.cursor_from_pos(Vec2::new(r.min.x, target_y)).index.0
    }

    fn evict_far_galleys(&mut self, first: usize, last: usize) {
        if self.galleys.len() <= MAX_CACHED_GALLEYS {
            return;
        }
        let keep = MAX_CACHED_GALLEYS / 2;
        self.galleys
            .retain(|&i, _| i + keep >= first && i <= last + keep);
    }

    /// Shows the view. `selected` is the selected span, `link_from` the span
    /// being linked (its candidates are outlined), `hidden` labels are not
    /// drawn. Returns what the user clicked.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        selected: Option<SpanId>,
        link_from: Option<SpanId>,
    ) -> Option<ViewEvent> {
        let font = Self::font(ui);
        let width = (ui.available_width() - 2.0 * MARGIN - 12.0).max(80.0);
        self.ensure_layout_key(ui, width, &font);
        let viewport_h = ui.available_height();

        // Work out the scroll target before showing the scroll area.
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("text-view", self.doc.0))
            .auto_shrink(false);
        if let Some(ch) = self.scroll_to.take() {
            let i = paragraph_of(&self.paragraphs, ch);
            let top = self.heights.top(i);
            let visible = top >= self.last_viewport.min.y
                && top + self.heights.height(i) <= self.last_viewport.max.y
                && self.last_viewport.is_positive();
            if !visible {
                scroll = scroll.vertical_scroll_offset((top - viewport_h / 3.0).max(0.0));
            }
        } else if let Some(off) = self.pending_offset.take() {
            scroll = scroll.vertical_scroll_offset(off.max(0.0));
        }

        let mut event = None;
        scroll.show_viewport(ui, |ui, viewport| {
            event = self.show_viewport(ui, viewport, project, selected, link_from, width, &font);
        });
        event
    }

    #[allow(clippy::too_many_arguments)]
    fn show_viewport(
        &mut self,
        ui: &mut Ui,
        viewport: Rect,
        project: &Project,
        selected: Option<SpanId>,
        link_from: Option<SpanId>,
        width: f32,
        font: &FontId,
    ) -> Option<ViewEvent> {
        let origin = ui.max_rect().min;
        // Anchor: the first visible paragraph stays where it is on screen
        // even when measuring changes the heights above it.
        let first = self.heights.find(viewport.min.y);
        let anchor_offset = viewport.min.y - self.heights.top(first);
        let mut start = self.heights.find((viewport.min.y - OVERSCAN).max(0.0));
        start = start.min(first);

        // Lay out and measure from `start` down to the overscan limit.
        let mut laid = Vec::new();
        let mut i = start;
        loop {
            if i >= self.paragraphs.len() {
                break;
            }
            let galley = self.layout(ui, i, width, font);
            self.heights
                .set(i, galley.rect.height().max(Self::row_height(font)));
            laid.push((i, galley));
            if i >= first
                && self.heights.top(i + 1) > viewport.max.y + OVERSCAN + anchor_offset.abs()
            {
                break;
            }
            i += 1;
        }
        let last = i.min(self.paragraphs.len().saturating_sub(1));
        self.last_laid_out = laid.len();

        // Where y = 0 must be for `first` to stay put, after measuring.
        let corrected_top = self.heights.top(first);
        let shift = (viewport.min.y - anchor_offset) - corrected_top;
        let origin = Pos2::new(origin.x, origin.y + shift);
        if shift.abs() > 0.5 {
            self.pending_offset = Some(viewport.min.y - shift);
            ui.ctx().request_repaint();
        }
        self.last_origin = origin;
        self.last_viewport = viewport.translate(Vec2::new(0.0, -shift));

        let total = self.heights.total() + MARGIN;
        let full_rect =
            Rect::from_min_size(ui.max_rect().min, Vec2::new(ui.available_width(), total));
        ui.set_min_height(total);
        let visible_rect =
            Rect::from_min_size(ui.max_rect().min + viewport.min.to_vec2(), viewport.size());
        let id = ui.scope_id().with("text-view-input");
        let response = ui.interact(
            visible_rect.intersect(full_rect).expand(0.0),
            id,
            Sense::click_and_drag(),
        );
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, TEXT_VIEW_LABEL));

        // ---- input --------------------------------------------------------
        let mut event = None;
        let modifiers = ui.input(|i| i.modifiers);
        let pointer = response.interact_pointer_pos().or(response.hover_pos());
        if response.drag_started() {
            let press = ui.input(|i| i.pointer.press_origin()).or(pointer);
            if let Some(p) = press {
                let c = self.char_at(ui, p, width, font);
                let anchor = match (modifiers.shift, self.selection) {
                    (true, Some(s)) => s.anchor,
                    _ => c,
                };
                self.drag_anchor = Some(anchor);
                self.selection = Some(Selection {
                    anchor,
                    head: c,
                    exact: modifiers.alt,
                });
            }
        }
        if response.dragged()
            && let (Some(p), Some(anchor)) = (pointer, self.drag_anchor)
        {
            let c = self.char_at(ui, p, width, font);
            self.selection = Some(Selection {
                anchor,
                head: c,
                exact: modifiers.alt,
            });
            // Auto-scroll when dragging past the edges.
            let edge = 24.0;
            if p.y < visible_rect.top() + edge {
                ui.scroll_with_delta(Vec2::new(0.0, 12.0));
            } else if p.y > visible_rect.bottom() - edge {
                ui.scroll_with_delta(Vec2::new(0.0, -12.0));
            }
        }
        if response.drag_stopped() {
            self.drag_anchor = None;
            if self.snapped_selection().is_some() {
                event = Some(ViewEvent::ClickedText);
            }
        }
        if response.double_clicked() {
            if let Some(p) = pointer {
                let c = self.char_at(ui, p, width, font);
                let w = self.text.word_around(c);
                self.selection = Some(Selection {
                    anchor: w.start,
                    head: w.end,
                    exact: true,
                });
                event = Some(ViewEvent::ClickedText);
            }
        } else if response.clicked()
            && let Some(p) = pointer
        {
            let c = self.char_at(ui, p, width, font);
            if modifiers.shift {
                let anchor = self.selection.map_or(c, |s| s.anchor);
                self.selection = Some(Selection {
                    anchor,
                    head: c,
                    exact: modifiers.alt,
                });
                event = Some(ViewEvent::ClickedText);
            } else {
                let mut here: Vec<&Span> = project.spans_at(self.doc, c);
                here.retain(|s| Some(s.id) != link_from || link_from.is_none());
                // Innermost first; cycle when clicking the selected one again.
                here.sort_by_key(|s| (s.end - s.start, s.id));
                let pick = match selected.and_then(|sel| here.iter().position(|s| s.id == sel)) {
                    Some(k) => here.get((k + 1) % here.len()),
                    None => here.first(),
                };
                match pick {
                    Some(s) => {
                        self.selection = None;
                        event = Some(ViewEvent::ClickedSpan(s.id));
                    }
                    None => {
                        self.selection = Some(Selection::caret(c));
                        event = Some(ViewEvent::ClickedText);
                    }
                }
            }
        }

        // Hovered span (innermost) for the tooltip and link display.
        let hover_char = response
            .hover_pos()
            .filter(|_| !response.dragged())
            .map(|p| self.char_at(ui, p, width, font));
        let hovered: Option<&Span> = hover_char.and_then(|c| {
            project
                .spans_at(self.doc, c)
                .into_iter()
                .min_by_key(|s| (s.end - s.start, s.id))
        });

        // ---- painting -----------------------------------------------------
        let painter = ui.painter_at(visible_rect);
        let sel_range = self.snapped_selection();
        let caret = self
            .selection
            .filter(|s| s.anchor == s.head)
            .map(|s| s.head);
        let sel_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.6);
        let text_color = ui.visuals().text_color();
        let dark = ui.visuals().dark_mode;
        let linked: Vec<SpanId> = hovered
            .map(|h| {
                project
                    .links_of(h.id)
                    .map(|l| if l.from == h.id { l.to } else { l.from })
                    .collect()
            })
            .unwrap_or_default();
        let mut span_anchor_points: HashMap<SpanId, Pos2> = HashMap::new();

        for (i, galley) in &laid {
            let p = &self.paragraphs[*i];
            let top_left = Pos2::new(origin.x + MARGIN, origin.y + self.heights.top(*i));
            let spans = project.spans_overlapping(self.doc, p.chars.clone());
            let local: Vec<Range<usize>> = spans
                .iter()
                .map(|s| {
                    s.start.max(p.chars.start) - p.chars.start
                        ..s.end.min(p.chars.end) - p.chars.start
                })
                .collect();
            let levels = stack_levels(&local);
            // Backgrounds first (outer spans lighter under inner ones).
            for ((span, r), level) in spans.iter().zip(&local).zip(&levels) {
                let color = label_color(project, span);
                for rect in range_rects(galley, r.clone(), top_left) {
                    let alpha = if dark { 0.30 } else { 0.28 };
                    painter.rect_filled(
                        rect.shrink2(Vec2::new(0.0, 1.0)),
                        CornerRadius::same(2),
                        color.gamma_multiply(alpha),
                    );
                    // Stacked underline bands, one per nesting level.
                    let y = rect.bottom() - 2.0 - *level as f32 * 3.5;
                    painter.line_segment(
                        [Pos2::new(rect.left(), y), Pos2::new(rect.right(), y)],
                        Stroke::new(2.5, color),
                    );
                }
                if let Some(first) = range_rects(galley, r.clone(), top_left).first() {
                    span_anchor_points
                        .entry(span.id)
                        .or_insert(first.left_center());
                }
            }
            if let Some(sel) = &sel_range
                && sel.start < p.chars.end.max(p.chars.start + 1)
                && sel.end > p.chars.start
            {
                let r = sel.start.max(p.chars.start) - p.chars.start
                    ..sel.end.min(p.chars.end) - p.chars.start;
                for rect in range_rects(galley, r, top_left) {
                    painter.rect_filled(rect, CornerRadius::ZERO, sel_fill);
                }
            }
            painter.galley(top_left, galley.clone(), text_color);
            // Outlines on top of the text: selected span, link candidates, hovered links.
            for (span, r) in spans.iter().zip(&local) {
                let outline = if Some(span.id) == selected {
                    Some(Stroke::new(
                        2.0,
                        if dark { Color32::WHITE } else { Color32::BLACK },
                    ))
                } else if Some(span.id) == link_from {
                    Some(Stroke::new(2.0, Color32::from_rgb(220, 60, 60)))
                } else if linked.contains(&span.id) || hovered.is_some_and(|h| h.id == span.id) {
                    Some(Stroke::new(1.5, label_color(project, span)))
                } else {
                    None
                };
                if let Some(stroke) = outline {
                    for rect in range_rects(galley, r.clone(), top_left) {
                        painter.rect_stroke(
                            rect,
                            CornerRadius::same(2),
                            stroke,
                            StrokeKind::Outside,
                        );
                    }
                }
            }
            if let Some(c) = caret
                && c >= p.chars.start
                && c <= p.chars.end
            {
                let r =
                    galley.pos_from_cursor(egui::text::CCursor::new(CharIndex(c - p.chars.start)));
                let x = top_left.x + r.min.x;
                painter.line_segment(
                    [
                        Pos2::new(x, top_left.y + r.min.y + 2.0),
                        Pos2::new(x, top_left.y + r.max.y - 4.0),
                    ],
                    Stroke::new(1.5, text_color),
                );
            }
        }
        // Connector lines from the hovered span to its linked spans.
        if let Some(h) = hovered
            && let Some(from) = span_anchor_points.get(&h.id)
        {
            for other in &linked {
                if let Some(to) = span_anchor_points.get(other) {
                    painter.line_segment(
                        [*from, *to],
                        Stroke::new(1.5, Color32::from_rgb(200, 80, 160)),
                    );
                    painter.circle_filled(*to, 3.0, Color32::from_rgb(200, 80, 160));
                }
            }
        }
        if let Some(h) = hovered {
            let label = project
                .label(&h.label)
                .map_or(h.label.as_str(), |l| l.name.as_str());
            let mut tip = format!("{label} · span {}", h.id);
            if let Some(note) = &h.note {
                tip.push_str(&format!("\nNote: {note}"));
            }
            for l in project.links_of(h.id) {
                let (dir, other) = if l.from == h.id {
                    ("→", l.to)
                } else {
                    ("←", l.from)
                };
                if let (Some(o), Some(doc)) = (project.span(other), project.document(h.doc)) {
                    tip.push_str(&format!(
                        "\n{dir} {} {}: “{}”",
                        l.kind,
                        o.id,
                        excerpt(doc.text.slice(o.range()), 60)
                    ));
                }
            }
            if link_from.is_some() {
                tip.push_str("\nClick to link to this span");
            }
            response.clone().on_hover_text_at_pointer(tip);
        }
        if link_from.is_some() {
            painter.text(
                visible_rect.right_top() + Vec2::new(-12.0, 8.0),
                Align2::RIGHT_TOP,
                "Linking: click a source attribution (Esc cancels)",
                FontId::proportional(13.0),
                Color32::from_rgb(220, 60, 60),
            );
        }
        self.evict_far_galleys(start, last);
        event
    }
}

/// The label colour of a span (grey for unknown labels).
pub fn label_color(project: &Project, span: &Span) -> Color32 {
    project.label(&span.label).map_or(Color32::GRAY, |l| {
        Color32::from_rgb(l.color.0, l.color.1, l.color.2)
    })
}

/// Screen rects covering local char range `r` of a galley, one per row.
fn range_rects(galley: &Galley, r: Range<usize>, top_left: Pos2) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut row_start = 0usize;
    for placed in &galley.rows {
        let n = placed.char_count_including_newline().0;
        let row_end = row_start + n;
        let a = r.start.max(row_start);
        let b = r.end.min(row_end);
        if a < b || (r.start == r.end && a == b && a >= row_start && a < row_end) {
            let x0 = placed.row.x_offset(CharIndex(a - row_start));
            let x1 = placed.row.x_offset(CharIndex(b - row_start));
            let rect = placed.rect();
            out.push(Rect::from_min_max(
                top_left + Vec2::new(rect.min.x + x0, rect.min.y),
                top_left + Vec2::new(rect.min.x + x1.max(x0 + 1.0), rect.max.y),
            ));
        }
        row_start = row_end;
        if row_start >= r.end {
            break;
        }
    }
    out
}

/// First `max` chars of a text on one line, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{cut}…")
    }
}
