//! Input: pointer drags and clicks, and caret movement. The selection and
//! caret are the view's own state; anything about spans comes back as
//! commands for the dispatcher.

use super::layout::Visible;
use super::{DocView, Selection, ViewArgs};
use crate::model::Span;
use crate::ui::commands::{Motion, UiCommand};
use crate::ui::geometry::paragraph_of;
use egui::epaint::text::CharIndex;
use egui::{FontId, Response, Ui, Vec2};
use std::ops::Range;

impl DocView {
    /// Handles drags, clicks and double-clicks on the text.
    pub(super) fn pointer_input(
        &mut self,
        ui: &Ui,
        response: &Response,
        visible: &Visible,
        args: ViewArgs,
        width: f32,
        font: &FontId,
    ) -> Vec<UiCommand> {
        let mut commands = Vec::new();
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
            if p.y < visible.visible_rect.top() + edge {
                ui.scroll_with_delta(Vec2::new(0.0, 12.0));
            } else if p.y > visible.visible_rect.bottom() - edge {
                ui.scroll_with_delta(Vec2::new(0.0, -12.0));
            }
        }
        if response.drag_stopped() {
            self.drag_anchor = None;
            match (self.snapped_selection(), args.selected) {
                // Ctrl+drag with a span selected: the text joins it.
                (Some(r), Some(span)) if modifiers.command => {
                    commands.push(UiCommand::AddFragment {
                        span,
                        start: r.start,
                        end: r.end,
                    });
                    self.selection = None;
                }
                (Some(_), _) => commands.push(UiCommand::SelectSpan(None)),
                _ => {}
            }
        }
        let Some(p) = pointer else { return commands };
        if response.double_clicked() {
            let c = self.char_at(ui, p, width, font);
            let w = self.text.word_around(c);
            self.selection = Some(Selection {
                anchor: w.start,
                head: w.end,
                exact: true,
            });
            commands.push(UiCommand::SelectSpan(None));
        } else if response.clicked() {
            let c = self.char_at(ui, p, width, font);
            if modifiers.shift {
                let anchor = self.selection.map_or(c, |s| s.anchor);
                self.selection = Some(Selection {
                    anchor,
                    head: c,
                    exact: modifiers.alt,
                });
                commands.push(UiCommand::SelectSpan(None));
            } else {
                commands.push(self.click(c, args));
            }
        }
        commands
    }

    /// A plain click at char `c`: the innermost span there, cycling outward
    /// when the selected one is clicked again; else a caret.
    fn click(&mut self, c: usize, args: ViewArgs) -> UiCommand {
        let mut here: Vec<&Span> = args.spans_at(self.doc, c);
        if let Some(from) = args.link_from {
            here.retain(|s| s.id != from);
        }
        here.sort_by_key(|s| (s.end - s.start, s.id));
        let pick = match args
            .selected
            .and_then(|sel| here.iter().position(|s| s.id == sel))
        {
            Some(k) => here.get((k + 1) % here.len()),
            None => here.first(),
        };
        match pick {
            Some(s) => {
                self.selection = None;
                UiCommand::ClickSpan {
                    span: s.id,
                    scroll: false,
                }
            }
            None => {
                self.selection = Some(Selection::caret(c));
                UiCommand::SelectSpan(None)
            }
        }
    }

    /// The innermost span under the pointer (not while dragging).
    pub(super) fn hovered_span<'p>(
        &mut self,
        ui: &Ui,
        response: &Response,
        args: ViewArgs<'p>,
        width: f32,
        font: &FontId,
    ) -> Option<&'p Span> {
        let p = response.hover_pos().filter(|_| !response.dragged())?;
        let c = self.char_at(ui, p, width, font);
        args.spans_at(self.doc, c)
            .into_iter()
            .min_by_key(|s| (s.end - s.start, s.id))
    }

    /// "Suggested: Claim (learned · 0.93)" for the pending suggestion under
    /// the pointer, if any.
    pub(super) fn hovered_suggestion(
        &mut self,
        ui: &Ui,
        response: &Response,
        args: ViewArgs,
        width: f32,
        font: &FontId,
    ) -> Option<String> {
        let list = args.suggestions?;
        let p = response.hover_pos().filter(|_| !response.dragged())?;
        let c = self.char_at(ui, p, width, font);
        let suggested = list.list();
        if suggested.doc != self.doc {
            return None;
        }
        let hit = list
            .overlapping(c..c + 1)
            .iter()
            .find(|s| (s.start as usize) <= c && c < s.end as usize)
            .filter(|s| suggested.is_pending(args.project, s))?;
        let label = args.project.label_name(suggested.label(hit));
        Some(format!(
            "Suggested: {label} ({})\nG goes to it, then A accepts, X rejects",
            suggested.origin(hit)
        ))
    }

    /// Moves the caret (or extends the selection) by `motion`. With no
    /// selection, the caret starts at the end of `span` (the selected one).
    /// The clause and sentence motions always extend; from a caret they
    /// start the selection at the next word.
    pub fn move_caret(&mut self, motion: Motion, extend: bool, span: Option<Range<usize>>) {
        let current = self
            .selection
            .unwrap_or(Selection::caret(span.map_or(0, |s| s.end)));
        let head = current.head;
        let text = &self.text;
        let mut anchor = current.anchor;
        let new_head = match motion {
            Motion::WordLeft => text.prev_word_start(head),
            Motion::WordRight => text.next_word_end(head),
            Motion::Left => text.prev_grapheme(head),
            Motion::Right => text.next_grapheme(head),
            Motion::Up => self.caret_row_move(head, -1),
            Motion::Down => self.caret_row_move(head, 1),
            Motion::LineStart => text.line_around(head).start,
            Motion::LineEnd => text.line_around(head).end,
            Motion::DocStart => 0,
            Motion::DocEnd => text.char_len(),
            Motion::PageUp => self.page_move(head, -1.0),
            Motion::PageDown => self.page_move(head, 1.0),
            Motion::ClauseEnd | Motion::SentenceEnd => {
                if current.anchor == current.head {
                    anchor = text.selection_start(head);
                }
                if motion == Motion::ClauseEnd {
                    text.clause_end(head)
                } else {
                    text.sentence_end(head)
                }
            }
        };
        self.selection = Some(if extend {
            Selection {
                anchor,
                head: new_head,
                exact: true,
            }
        } else {
            Selection::caret(new_head)
        });
        self.scroll_to = Some(new_head);
    }

    /// Selects the sentence around the caret (the next one when the caret
    /// ends a sentence, as after tagging it).
    pub fn select_sentence(&mut self, span: Option<Range<usize>>) {
        let at = self
            .selection
            .map(|s| s.head)
            .or(span.map(|s| s.end))
            .unwrap_or(0);
        let r = self.text.sentence_around(at);
        if r.start < r.end {
            self.selection = Some(Selection {
                anchor: r.start,
                head: r.end,
                exact: true,
            });
            self.scroll_to = Some(r.start);
        }
    }

    /// The char about one screen above (`dir` -1) or below (1) `ch`.
    fn page_move(&self, ch: usize, dir: f32) -> usize {
        let i = paragraph_of(&self.paragraphs, ch);
        let p = &self.paragraphs[i];
        let (x, y_in) = self.galleys.get(&i).map_or((0.0, 0.0), |g| {
            let r = g.pos_from_cursor(egui::text::CCursor::new(CharIndex(ch - p.chars.start)));
            (r.min.x, r.center().y)
        });
        let page = (self.last_viewport.height() * 0.9).max(40.0);
        let target = (self.heights.top(i) + y_in + dir * page)
            .min(self.heights.total() - 1.0)
            .max(0.0);
        let j = self.heights.find(target);
        let q = &self.paragraphs[j];
        match self.galleys.get(&j) {
            Some(g) => {
                let local = Vec2::new(x, target - self.heights.top(j));
                q.chars.start + g.cursor_from_pos(local).index.0
            }
            None => q.chars.start,
        }
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
}
