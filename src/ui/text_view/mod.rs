//! The scalable text view, in three parts:
//! - `layout`: per-paragraph galleys in our own cache, heights estimated
//!   until measured (`geometry::HeightIndex`), the scroll anchor;
//! - `input`: pointer handling, plus caret and selection movement; it
//!   returns commands and never changes the project;
//! - `paint`: highlights, outlines, the caret and link connectors, painted
//!   behind and over the text from row geometry, so a retag never
//!   re-lays-out anything.
//!
//! [`DocView::show`] returns a [`TextViewOutput`], as egui's `TextEdit`
//! returns `TextEditOutput`.

mod access;
mod input;
mod layout;
mod paint;

use super::commands::UiCommand;
use super::geometry::{HeightIndex, Paragraph, paragraph_of, split_paragraphs};
use crate::model::{DocId, DocText, Project, Span, SpanId};
use egui::epaint::text::{CharIndex, Galley};
use egui::{Color32, Pos2, Rect, Ui, Vec2};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Accessible label of the text view.
pub const TEXT_VIEW_LABEL: &str = "Document text";
pub use access::SPAN_AT_CARET_LABEL;

/// Pixels of padding around the text.
const MARGIN: f32 = 16.0;

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

/// What the view needs to know about the project this frame.
#[derive(Clone, Copy)]
pub struct ViewArgs<'a> {
    /// The project (read only).
    pub project: &'a Project,
    /// The selected span.
    pub selected: Option<SpanId>,
    /// The span being linked; its candidates are outlined.
    pub link_from: Option<SpanId>,
    /// Labels hidden by the "Show:" filter: not drawn, not clickable.
    pub hidden: &'a std::collections::BTreeSet<crate::model::LabelId>,
    /// Another version's article, drawn as dashed outlines (compare view).
    pub theirs: Option<(&'a Project, DocId)>,
    /// Find matches in this article (text order) and the current one.
    pub matches: &'a [crate::assist::search::Match],
    /// The match the find bar is at.
    pub current_match: Option<crate::assist::search::Match>,
    /// Suggestions to draw (None: hidden) and the one under the cursor.
    pub suggestions: Option<&'a crate::ui::assist::Suggestions>,
}

impl<'a> ViewArgs<'a> {
    /// The shown spans of `doc` overlapping `range`.
    fn spans_overlapping(&self, doc: DocId, range: Range<usize>) -> Vec<&'a Span> {
        let mut spans = self.project.spans_overlapping(doc, range);
        if !self.hidden.is_empty() {
            spans.retain(|s| !self.hidden.contains(&s.label));
        }
        spans
    }

    /// The shown spans of `doc` at char `at`.
    fn spans_at(&self, doc: DocId, at: usize) -> Vec<&'a Span> {
        let mut spans = self.project.spans_at(doc, at);
        if !self.hidden.is_empty() {
            spans.retain(|s| !self.hidden.contains(&s.label));
        }
        spans
    }
}

/// What the view reports after a frame.
#[derive(Debug, Default)]
pub struct TextViewOutput {
    /// Commands from clicks (select a span, link to it, clear).
    pub commands: Vec<UiCommand>,
    /// Paragraphs laid out this frame.
    pub laid_out: usize,
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

    /// Screen position of the middle of document char `ch`'s left edge as
    /// drawn in the last frame, if it was laid out (tests aim drags with it).
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

    /// Shows the view, scrolled as asked, and reports what the user did.
    pub fn show(&mut self, ui: &mut Ui, args: ViewArgs) -> TextViewOutput {
        let font = layout::font(ui);
        let width = (ui.available_width() - 2.0 * MARGIN - 12.0).max(80.0);
        self.ensure_layout_key(ui, width, &font);
        let scroll = self.scroll_area(ui.available_height());
        let mut out = TextViewOutput::default();
        scroll.show_viewport(ui, |ui, viewport| {
            let visible = self.lay_out_visible(ui, viewport, width, &font);
            let response = self.interact(ui, &visible);
            out.commands = self.pointer_input(ui, &response, &visible, args, width, &font);
            let hovered = self.hovered_span(ui, &response, args, width, &font);
            let suggestion = self.hovered_suggestion(ui, &response, args, width, &font);
            self.paint(ui, &visible, args, hovered);
            self.accessibility(ui, response.id, &visible, args);
            match (hovered, suggestion) {
                (Some(h), s) => paint::tooltip(&response, args, h, s),
                (None, Some(s)) => {
                    response.clone().on_hover_text_at_pointer(s);
                }
                (None, None) => {}
            }
            self.evict_far_galleys(visible.start, visible.last);
            out.laid_out = visible.laid.len();
        });
        out
    }
}

/// The label colour of a span (grey for unknown labels).
pub fn label_color(project: &Project, span: &Span) -> Color32 {
    project.label(&span.label).map_or(Color32::GRAY, |l| {
        Color32::from_rgb(l.color.0, l.color.1, l.color.2)
    })
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
