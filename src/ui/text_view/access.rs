//! The text view for screen readers: each laid-out paragraph is a
//! `Paragraph` node under the document node, with egui's `TextRun`
//! children (the words, as `Label` and `TextEdit` expose theirs), the caret
//! and the selection; and a polite live region says which span the caret
//! or the selection is in ("Claim: …").

use super::layout::Visible;
use super::{DocView, MARGIN, ViewArgs, excerpt};
use egui::emath::TSTransform;
use egui::text::{CCursor, CCursorRange};
use egui::{Id, Pos2, Rect, Sense, Ui, UiBuilder, vec2};

/// Accessible name of the live region that names the span at the caret.
pub const SPAN_AT_CARET_LABEL: &str = "Span at the caret";

impl DocView {
    /// Adds the visible paragraphs and the span announcement under the
    /// document node `document` (nothing when no assistive technology
    /// asked for the tree: egui then builds no nodes).
    pub(super) fn accessibility(
        &self,
        ui: &mut Ui,
        document: Id,
        visible: &Visible,
        args: ViewArgs,
    ) {
        // None: no tree is being built this frame.
        if ui.ctx().accesskit_node_builder(document, |_| ()).is_none() {
            return;
        }
        let builder = UiBuilder::new()
            .id_salt("text-view-access")
            .max_rect(visible.visible_rect)
            .accessibility_parent(document);
        ui.scope_builder(builder, |ui| {
            for (i, galley) in &visible.laid {
                let top_left = Pos2::new(
                    visible.origin.x + MARGIN,
                    visible.origin.y + self.heights.top(*i),
                );
                let rect = Rect::from_min_size(top_left, galley.size());
                let id = document.with(("paragraph", *i));
                let r = ui.interact(rect, id, Sense::hover());
                r.widget_info(|| egui::WidgetInfo::new(egui::Role::Paragraph));
                let range = self.local_selection(*i);
                egui::text_selection::accesskit_text::update_accesskit_for_text_widget(
                    ui.ctx(),
                    id,
                    range,
                    TSTransform::from_translation(top_left.to_vec2()),
                    galley,
                );
            }
            self.announce_span(ui, document, visible, args);
        });
    }

    /// The caret or selection as it falls in paragraph `i` (clamped to it),
    /// in the paragraph's own characters.
    fn local_selection(&self, i: usize) -> Option<CCursorRange> {
        let s = self.selection?;
        let para = self.paragraphs.get(i)?.chars.clone();
        let (lo, hi) = (s.anchor.min(s.head), s.anchor.max(s.head));
        if hi < para.start || lo > para.end {
            return None;
        }
        let local = |c: usize| CCursor::new(c.clamp(para.start, para.end) - para.start);
        Some(CCursorRange::two(local(s.anchor), local(s.head)))
    }

    /// "Claim: Chinese factories and businesses are…" for the selected
    /// span, else the innermost span at the caret, as a polite live region.
    fn announce_span(&self, ui: &mut Ui, document: Id, visible: &Visible, args: ViewArgs) {
        let at = self.selection.map(|s| s.head);
        let span = args
            .selected
            .and_then(|id| args.project.span(id))
            .filter(|s| s.doc == self.doc)
            .or_else(|| {
                at.and_then(|c| {
                    args.spans_at(self.doc, c)
                        .into_iter()
                        .min_by_key(|s| (s.end - s.start, s.id))
                })
            });
        let text = span.map_or(String::new(), |s| {
            let quote = excerpt(&s.quote(&self.text), 120);
            format!("{}: {quote}", args.project.label_name(&s.label))
        });
        let rect = Rect::from_min_size(visible.visible_rect.min, vec2(1.0, 1.0));
        let id = document.with("span-at-caret");
        let r = ui.interact(rect, id, Sense::hover());
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Status, true, SPAN_AT_CARET_LABEL));
        ui.ctx().accesskit_node_builder(id, |node| {
            node.set_live(egui::accesskit::Live::Polite);
            node.set_value(text);
        });
    }
}
