//! Painting: span highlights and stacked underlines behind the text, the
//! selection, outlines and the caret over it, and connectors from the
//! hovered span to its linked spans. Painting reads; it changes nothing.

use super::layout::Visible;
use super::{DocView, MARGIN, ViewArgs, excerpt, label_color};
use crate::model::{Span, SpanId};
use crate::ui::geometry::stack_levels;
use egui::epaint::text::{CharIndex, Galley};
use egui::{Color32, CornerRadius, Painter, Pos2, Rect, Stroke, StrokeKind, Ui, Vec2};
use std::collections::HashMap;
use std::ops::Range;

const LINK_COLOR: Color32 = Color32::from_rgb(200, 80, 160);
const LINKING_COLOR: Color32 = Color32::from_rgb(220, 60, 60);
const FIND_COLOR: Color32 = Color32::from_rgb(250, 220, 40);
const FIND_CURRENT: Color32 = Color32::from_rgb(255, 150, 20);
const EVENT_COLOR: Color32 = Color32::from_rgb(40, 120, 220);
const EVENT_KIND_COLOR: Color32 = Color32::from_rgb(30, 70, 150);

/// Colours that depend on the theme.
struct Palette {
    text: Color32,
    selection: Color32,
    selected_outline: Color32,
    fill_alpha: f32,
}

impl DocView {
    /// Paints every laid-out paragraph with its spans.
    pub(super) fn paint(&self, ui: &Ui, visible: &Visible, args: ViewArgs, hovered: Option<&Span>) {
        let painter = ui.painter_at(visible.visible_rect);
        let dark = ui.visuals().dark_mode;
        let palette = Palette {
            text: ui.visuals().text_color(),
            selection: ui.visuals().selection.bg_fill.gamma_multiply(0.6),
            selected_outline: if dark { Color32::WHITE } else { Color32::BLACK },
            fill_alpha: if dark { 0.30 } else { 0.28 },
        };
        let linked: Vec<SpanId> = hovered
            .map(|h| {
                args.project
                    .links_of(h.id)
                    .map(|l| if l.from == h.id { l.to } else { l.from })
                    .collect()
            })
            .unwrap_or_default();
        // Each shown span's first rect on screen.
        let mut anchors: HashMap<SpanId, Rect> = HashMap::new();
        // (span, fragment start) → left and right end of the fragment.
        let mut joins: HashMap<(SpanId, usize), (Pos2, Pos2)> = HashMap::new();
        let selection = self.snapped_selection();
        let caret = self
            .selection
            .filter(|s| s.anchor == s.head)
            .map(|s| s.head);
        for (i, galley) in &visible.laid {
            let top_left = Pos2::new(
                visible.origin.x + MARGIN,
                visible.origin.y + self.heights.top(*i),
            );
            let para = self.paragraphs[*i].chars.clone();
            // One piece per fragment inside this paragraph: a discontinuous
            // span is painted on its fragments only, never on the gaps.
            let (spans, local) = pieces(&args.spans_overlapping(self.doc, para.clone()), &para);
            let ctx = ParagraphPaint {
                painter: &painter,
                doc: self.doc,
                galley,
                top_left,
                palette: &palette,
            };
            ctx.find_matches(args, &para);
            ctx.highlights(args, &spans, &local, &mut anchors);
            ctx.fragment_ends(&spans, &local, para.start, &mut joins);
            if let Some(sel) = &selection
                && sel.start < para.end.max(para.start + 1)
                && sel.end > para.start
            {
                ctx.selection(
                    sel.start.max(para.start) - para.start..sel.end.min(para.end) - para.start,
                );
            }
            painter.galley(top_left, (*galley).clone(), palette.text);
            ctx.outlines(args, &spans, &local, hovered, &linked);
            ctx.suggestions(args, &para);
            if let Some((theirs, their_doc)) = args.theirs {
                let overlapping = theirs.spans_overlapping(their_doc, para.clone());
                let (their_spans, their_local) = pieces(&overlapping, &para);
                ctx.dashed(theirs, &their_spans, &their_local);
            }
            if let Some(c) = caret
                && (para.start..=para.end).contains(&c)
            {
                ctx.caret(c - para.start);
            }
        }
        self.join_fragments(&painter, args, &visible.laid, &joins);
        if let Some(from) = hovered.and_then(|h| anchors.get(&h.id)) {
            for to in linked.iter().filter_map(|o| anchors.get(o)) {
                let (from, to) = (from.left_center(), to.left_center());
                painter.line_segment([from, to], Stroke::new(1.5, LINK_COLOR));
                painter.circle_filled(to, 3.0, LINK_COLOR);
            }
        }
        let focus = hovered.map(|h| h.id).or(args.selected);
        if let Some(focus) = focus {
            event_connectors(ui, &painter, args, focus, &anchors);
        }
    }
}

/// Arcs from the trigger of each event `focus` takes part in to each of
/// its arguments, labelled with their roles, and the event's type over
/// its trigger.
fn event_connectors(
    ui: &Ui,
    painter: &Painter,
    args: ViewArgs,
    focus: SpanId,
    anchors: &HashMap<SpanId, Rect>,
) {
    let font = egui::TextStyle::Small.resolve(ui.style());
    let tag = |at: Pos2, text: &str, color: Color32| {
        let galley = painter.layout_no_wrap(text.to_string(), font.clone(), Color32::WHITE);
        let rect = Rect::from_center_size(at, galley.size() + Vec2::new(6.0, 2.0));
        painter.rect_filled(rect, CornerRadius::same(3), color);
        painter.galley(rect.min + Vec2::new(3.0, 1.0), galley, Color32::WHITE);
    };
    for event in args.project.events_of(focus) {
        let Some(trigger) = anchors.get(&event.trigger) else {
            continue;
        };
        let from = trigger.center_top();
        for (role, target) in &event.args {
            let crate::model::Target::Span(arg) = target else {
                continue;
            };
            let Some(to) = anchors.get(arg).map(Rect::center_top) else {
                continue;
            };
            let lift = (20.0 + (to.x - from.x).abs() * 0.15).min(70.0);
            let control = Pos2::new((from.x + to.x) / 2.0, from.y.min(to.y) - lift);
            painter.add(egui::epaint::QuadraticBezierShape::from_points_stroke(
                [from, control, to],
                false,
                Color32::TRANSPARENT,
                Stroke::new(1.5, EVENT_COLOR),
            ));
            painter.circle_filled(to, 2.5, EVENT_COLOR);
            tag(to - Vec2::new(0.0, 9.0), role, EVENT_COLOR);
        }
        tag(
            from - Vec2::new(0.0, 24.0),
            &format!("{} #{}", event.kind, event.id),
            EVENT_KIND_COLOR,
        );
    }
}

impl DocView {
    /// A thin line from the end of each visible fragment of a discontinuous
    /// span to the start of its next one, so the pieces read as one span.
    fn join_fragments(
        &self,
        painter: &Painter,
        args: ViewArgs,
        laid: &[(usize, std::sync::Arc<Galley>)],
        joins: &HashMap<(SpanId, usize), (Pos2, Pos2)>,
    ) {
        let (Some(first), Some(last)) = (laid.first(), laid.last()) else {
            return;
        };
        let shown = self.paragraphs[first.0].chars.start..self.paragraphs[last.0].chars.end;
        for span in args.spans_overlapping(self.doc, shown) {
            let frags = &span.fragments;
            for w in frags.windows(2) {
                if let (Some(a), Some(b)) =
                    (joins.get(&(span.id, w[0].0)), joins.get(&(span.id, w[1].0)))
                {
                    let color = label_color(args.project, span).gamma_multiply(0.8);
                    painter.line_segment([a.1, b.0], Stroke::new(1.0, color));
                }
            }
        }
    }
}

/// The pieces of `spans` inside paragraph `para`: one per fragment, in
/// paragraph-local char ranges, each with its span.
fn pieces<'a>(spans: &[&'a Span], para: &Range<usize>) -> (Vec<&'a Span>, Vec<Range<usize>>) {
    let mut out_spans = Vec::new();
    let mut out = Vec::new();
    for s in spans {
        for (a, b) in s.fragments_iter() {
            if a < para.end.max(para.start + 1) && b > para.start {
                out_spans.push(*s);
                out.push(a.max(para.start) - para.start..b.min(para.end) - para.start);
            }
        }
    }
    (out_spans, out)
}

/// One paragraph's painter, galley and position.
struct ParagraphPaint<'a> {
    painter: &'a Painter,
    /// The article painted.
    doc: crate::model::DocId,
    galley: &'a Galley,
    top_left: Pos2,
    palette: &'a Palette,
}

impl ParagraphPaint<'_> {
    fn rects(&self, r: Range<usize>) -> Vec<Rect> {
        range_rects(self.galley, r, self.top_left)
    }

    /// Translucent fills with one underline band per nesting level; records
    /// each span's first row as its connector anchor.
    fn highlights(
        &self,
        args: ViewArgs,
        spans: &[&Span],
        local: &[Range<usize>],
        anchors: &mut HashMap<SpanId, Rect>,
    ) {
        let levels = stack_levels(local);
        for ((span, r), level) in spans.iter().zip(local).zip(&levels) {
            let color = label_color(args.project, span);
            let rects = self.rects(r.clone());
            for rect in &rects {
                self.painter.rect_filled(
                    rect.shrink2(Vec2::new(0.0, 1.0)),
                    CornerRadius::same(2),
                    color.gamma_multiply(self.palette.fill_alpha),
                );
                let y = rect.bottom() - 2.0 - *level as f32 * 3.5;
                self.painter.line_segment(
                    [Pos2::new(rect.left(), y), Pos2::new(rect.right(), y)],
                    Stroke::new(2.5, color),
                );
            }
            if let Some(first) = rects.first() {
                anchors.entry(span.id).or_insert(*first);
            }
        }
    }

    /// Records where each fragment piece starts and ends on screen, keyed
    /// by (span, fragment start in the document).
    fn fragment_ends(
        &self,
        spans: &[&Span],
        local: &[Range<usize>],
        para_start: usize,
        joins: &mut HashMap<(SpanId, usize), (Pos2, Pos2)>,
    ) {
        for (span, r) in spans.iter().zip(local) {
            if !span.is_discontinuous() {
                continue;
            }
            let rects = self.rects(r.clone());
            if let (Some(first), Some(last)) = (rects.first(), rects.last()) {
                let key = span
                    .fragments
                    .iter()
                    .find(|(a, b)| *a <= para_start + r.start && para_start + r.start < *b)
                    .map_or(para_start + r.start, |f| f.0);
                let entry = joins
                    .entry((span.id, key))
                    .or_insert((first.left_bottom(), last.right_bottom()));
                entry.1 = last.right_bottom();
            }
        }
    }

    fn selection(&self, r: Range<usize>) {
        for rect in self.rects(r) {
            self.painter
                .rect_filled(rect, CornerRadius::ZERO, self.palette.selection);
        }
    }

    /// Outlines over the text: the selected span, the span being linked,
    /// and the hovered span with its linked spans.
    fn outlines(
        &self,
        args: ViewArgs,
        spans: &[&Span],
        local: &[Range<usize>],
        hovered: Option<&Span>,
        linked: &[SpanId],
    ) {
        for (span, r) in spans.iter().zip(local) {
            let stroke = if Some(span.id) == args.selected {
                Stroke::new(2.0, self.palette.selected_outline)
            } else if Some(span.id) == args.link_from {
                Stroke::new(2.0, LINKING_COLOR)
            } else if linked.contains(&span.id) || hovered.is_some_and(|h| h.id == span.id) {
                Stroke::new(1.5, label_color(args.project, span))
            } else {
                continue;
            };
            for rect in self.rects(r.clone()) {
                self.painter
                    .rect_stroke(rect, CornerRadius::same(2), stroke, StrokeKind::Outside);
            }
        }
    }

    /// Find matches: a yellow box with a light fill, the current one
    /// filled strongly. Spans are tinted in their label's colour with an
    /// underline; a match has neither, so the two never read alike.
    fn find_matches(&self, args: ViewArgs, para: &Range<usize>) {
        if args.matches.is_empty() {
            return;
        }
        let from = args.matches.partition_point(|m| m.end <= para.start);
        let end = para.end.max(para.start + 1);
        for m in args.matches[from..].iter().take_while(|m| m.start < end) {
            let local = m.start.max(para.start) - para.start..m.end.min(para.end) - para.start;
            let current = args.current_match == Some(*m);
            let (fill, stroke) = if current {
                (
                    FIND_CURRENT.gamma_multiply(0.55),
                    Stroke::new(2.0, FIND_CURRENT),
                )
            } else {
                (
                    FIND_COLOR.gamma_multiply(0.18),
                    Stroke::new(1.0, FIND_COLOR),
                )
            };
            for rect in self.rects(local) {
                self.painter.rect_filled(rect, CornerRadius::ZERO, fill);
                self.painter
                    .rect_stroke(rect, CornerRadius::ZERO, stroke, StrokeKind::Outside);
            }
        }
    }

    /// Pending suggestions: dotted outlines in the label's colour, the one
    /// under the suggestion cursor thicker and tinted.
    fn suggestions(&self, args: ViewArgs, para: &Range<usize>) {
        let Some(list) = args.suggestions else {
            return;
        };
        let end = para.end.max(para.start + 1);
        let suggested = list.list();
        if suggested.doc != self.doc {
            return;
        }
        for c in list.overlapping(para.start..end) {
            let (start, end_) = (c.start as usize, c.end as usize);
            if end_ <= para.start || !suggested.is_pending(args.project, c) {
                continue;
            }
            let label = suggested.label(c);
            let color = args.project.label(label).map_or(Color32::GRAY, |l| {
                Color32::from_rgb(l.color.0, l.color.1, l.color.2)
            });
            let current = list
                .current
                .as_ref()
                .is_some_and(|(a, b, l)| *a == start && *b == end_ && l == label);
            let local = start.max(para.start) - para.start..end_.min(para.end) - para.start;
            for rect in self.rects(local) {
                let rect = rect.expand(if current { 2.5 } else { 1.0 });
                if current {
                    self.painter
                        .rect_filled(rect, CornerRadius::ZERO, color.gamma_multiply(0.22));
                }
                let width = if current { 2.5 } else { 1.2 };
                // Long dashes: a screenful of suggestions stays a few
                // hundred segments to tessellate.
                dashed_rect(self.painter, rect, Stroke::new(width, color), 8.0, 5.0);
            }
        }
    }

    /// The compared version's spans: dashed outlines in their label's
    /// colour, just outside the text, so ours (filled) and theirs read
    /// apart at a glance.
    fn dashed(&self, theirs: &crate::model::Project, spans: &[&Span], local: &[Range<usize>]) {
        for (span, r) in spans.iter().zip(local) {
            let stroke = Stroke::new(1.5, label_color(theirs, span));
            for rect in self.rects(r.clone()) {
                dashed_rect(self.painter, rect.expand(1.5), stroke, 4.0, 3.0);
            }
        }
    }

    fn caret(&self, local: usize) {
        let r = self
            .galley
            .pos_from_cursor(egui::text::CCursor::new(CharIndex(local)));
        let x = self.top_left.x + r.min.x;
        self.painter.line_segment(
            [
                Pos2::new(x, self.top_left.y + r.min.y + 2.0),
                Pos2::new(x, self.top_left.y + r.max.y - 4.0),
            ],
            Stroke::new(1.5, self.palette.text),
        );
    }
}

/// A dashed outline around `rect`.
fn dashed_rect(painter: &Painter, rect: Rect, stroke: Stroke, dash: f32, gap: f32) {
    let corners = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(&corners, stroke, dash, gap));
}

/// The hover tooltip: label, note and links of the span under the pointer.
pub(super) fn tooltip(
    response: &egui::Response,
    args: ViewArgs,
    h: &Span,
    suggestion: Option<String>,
) {
    let project = args.project;
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
                excerpt(&o.quote(&doc.text), 60)
            ));
        }
    }
    for line in event_lines(project, h) {
        tip.push('\n');
        tip.push_str(&line);
    }
    if args.link_from.is_some() {
        tip.push_str("\nClick to link to this span");
    }
    if let Some(s) = suggestion {
        tip.push_str("\n\n");
        tip.push_str(&s);
    }
    response.clone().on_hover_text_at_pointer(tip);
}

/// One line per event `span` takes part in: "Attribution #7 (trigger):
/// Source “he”, Cue “said”, Content “…”".
pub fn event_lines(project: &crate::model::Project, span: &Span) -> Vec<String> {
    let quote = |id: SpanId| {
        project
            .span(id)
            .zip(project.document(span.doc))
            .map_or(String::new(), |(s, d)| excerpt(&s.quote(&d.text), 40))
    };
    project
        .events_of(span.id)
        .map(|e| {
            let args: Vec<String> = e
                .args
                .iter()
                .map(|(role, t)| match t {
                    crate::model::Target::Span(s) if *s == span.id => format!("{role}: this span"),
                    crate::model::Target::Span(s) => format!("{role} “{}”", quote(*s)),
                    crate::model::Target::Event(ev) => format!("{role}: event #{ev}"),
                })
                .collect();
            let trigger = if e.trigger == span.id {
                " (trigger)".to_string()
            } else {
                format!(" on “{}”", quote(e.trigger))
            };
            format!("{} #{}{trigger}: {}", e.kind, e.id, args.join(", "))
        })
        .collect()
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
