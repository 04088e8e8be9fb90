//! Layout: the galley cache, paragraph heights, and the scroll anchor that
//! keeps the first visible paragraph still while heights above it change.

use super::{DocView, MARGIN};
use crate::ui::geometry::{HeightIndex, estimate_height, paragraph_of};
use egui::epaint::text::{Galley, LayoutJob, TextFormat};
use egui::{FontId, Pos2, Rect, Sense, Ui, Vec2};
use std::sync::Arc;

/// Paragraphs laid out beyond the visible area (pixels), for smooth scrolling.
const OVERSCAN: f32 = 400.0;
/// Galleys kept in the cache before far-away ones are evicted.
const MAX_CACHED_GALLEYS: usize = 96;

/// The text font: the body size, a little larger.
pub(super) fn font(ui: &Ui) -> FontId {
    let size = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(14.0, |f| f.size);
    FontId::proportional(size + 2.0)
}

/// Row height including room for stacked underlines under the glyphs.
pub(super) fn row_height(font: &FontId) -> f32 {
    (font.size * 1.75).round()
}

/// What one frame laid out.
pub(super) struct Visible {
    /// (paragraph, galley) from `start` to `last`.
    pub laid: Vec<(usize, Arc<Galley>)>,
    /// First and last paragraph laid out.
    pub start: usize,
    pub last: usize,
    /// Screen position of content y = 0, after anchor correction.
    pub origin: Pos2,
    /// The visible part of the view on screen.
    pub visible_rect: Rect,
    /// The whole content on screen.
    pub full_rect: Rect,
}

impl DocView {
    /// The scroll area, scrolled to `scroll_to` or the anchor correction.
    pub(super) fn scroll_area(&mut self, viewport_h: f32) -> egui::ScrollArea {
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
        scroll
    }

    /// Resets estimates when the wrap width or font size changes, keeping the
    /// first visible paragraph in place.
    pub(super) fn ensure_layout_key(&mut self, ui: &Ui, width: f32, font: &FontId) {
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
        let row = row_height(font);
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

    /// The galley of paragraph `i`, from the cache or laid out now.
    pub(super) fn galley(&mut self, ui: &Ui, i: usize, width: f32, font: &FontId) -> Arc<Galley> {
        if let Some(g) = self.galleys.get(&i) {
            return g.clone();
        }
        let p = &self.paragraphs[i];
        let mut job = LayoutJob::single_section(
            self.text.as_str()[p.bytes.clone()].to_string(),
            TextFormat {
                font_id: font.clone(),
                color: ui.visuals().text_color(),
                line_height: Some(row_height(font)),
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
    pub(super) fn char_at(&mut self, ui: &Ui, pos: Pos2, width: f32, font: &FontId) -> usize {
        let y = pos.y - self.last_origin.y;
        let i = self.heights.find(y);
        let galley = self.galley(ui, i, width, font);
        let local = Vec2::new(pos.x - self.last_origin.x - MARGIN, y - self.heights.top(i));
        let c = galley.cursor_from_pos(local);
        let p = &self.paragraphs[i];
        (p.chars.start + c.index.0).min(p.chars.end)
    }

    /// Lays out and measures the visible paragraphs plus overscan, then
    /// corrects the origin so the first visible paragraph does not move.
    pub(super) fn lay_out_visible(
        &mut self,
        ui: &mut Ui,
        viewport: Rect,
        width: f32,
        font: &FontId,
    ) -> Visible {
        let screen_min = ui.max_rect().min;
        let first = self.heights.find(viewport.min.y);
        let anchor_offset = viewport.min.y - self.heights.top(first);
        let start = self
            .heights
            .find((viewport.min.y - OVERSCAN).max(0.0))
            .min(first);
        let mut laid = Vec::new();
        let mut i = start;
        while i < self.paragraphs.len() {
            let galley = self.galley(ui, i, width, font);
            self.heights
                .set(i, galley.rect.height().max(row_height(font)));
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
        let shift = (viewport.min.y - anchor_offset) - self.heights.top(first);
        let origin = Pos2::new(screen_min.x, screen_min.y + shift);
        if shift.abs() > 0.5 {
            self.pending_offset = Some(viewport.min.y - shift);
            ui.ctx().request_repaint();
        }
        self.last_origin = origin;
        self.last_viewport = viewport.translate(Vec2::new(0.0, -shift));

        let total = self.heights.total() + MARGIN;
        let full_rect = Rect::from_min_size(screen_min, Vec2::new(ui.available_width(), total));
        ui.set_min_height(total);
        let visible_rect =
            Rect::from_min_size(screen_min + viewport.min.to_vec2(), viewport.size());
        Visible {
            laid,
            start,
            last,
            origin,
            visible_rect,
            full_rect,
        }
    }

    /// The one interactive area of the view, labelled for screen readers.
    pub(super) fn interact(&self, ui: &mut Ui, visible: &Visible) -> egui::Response {
        let id = ui.scope_id().with("text-view-input");
        let response = ui.interact(
            visible.visible_rect.intersect(visible.full_rect),
            id,
            Sense::click_and_drag(),
        );
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Document, true, super::TEXT_VIEW_LABEL)
        });
        response
    }

    /// Drops cached galleys far from the visible range.
    pub(super) fn evict_far_galleys(&mut self, first: usize, last: usize) {
        if self.galleys.len() <= MAX_CACHED_GALLEYS {
            return;
        }
        let keep = MAX_CACHED_GALLEYS / 2;
        self.galleys
            .retain(|&i, _| i + keep >= first && i <= last + keep);
    }
}
