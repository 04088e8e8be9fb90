//! Comparing with another version and settling conflicts and
//! disagreements: every settlement is one undoable model command.

use crate::model::{Alternative, Command, Side};
use crate::team::compare::{Take, settle};
use crate::ui::app::App;
use crate::ui::commands::UiCommand;
use crate::ui::modals::Modal;
use crate::ui::review::{Comparison, ReviewItem, load_other};
use crate::ui::workspace::Workspace;

impl App {
    /// Review commands. Hands `command` back when it is not one of them.
    pub(super) fn dispatch_review(&mut self, command: UiCommand) -> Option<UiCommand> {
        if matches!(command, UiCommand::ReviewNext | UiCommand::ReviewPrev)
            && self.review_moves_on(command == UiCommand::ReviewNext)
        {
            return None;
        }
        let Some(ws) = &mut self.ws else {
            return Some(command);
        };
        match command {
            UiCommand::AskCompare => {
                let purpose = crate::ui::files::DialogPurpose::Compare;
                let text = self.path_prefill(purpose);
                self.modal = Some(Modal::typed_path_in(purpose, None, text));
            }
            UiCommand::CompareWith(spec) => match load_other(&spec, ws.path.as_deref()) {
                Ok((name, theirs)) => {
                    let c = Comparison::new(name.clone(), &ws.project, theirs);
                    let shared = c.docs.len();
                    // Show a shared article when the current one is not.
                    if let Some(cur) = ws.current
                        && !c.docs.contains_key(&cur)
                        && let Some(first) = c.docs.keys().min()
                    {
                        ws.current = Some(*first);
                    }
                    ws.compare = Some(c);
                    ws.review_cursor = ws.project.conflicts().len();
                    let n = ws.review_items().len();
                    let cursor = ws.review_cursor;
                    if shared == 0 {
                        self.error(format!(
                            "{name} has none of this project's articles (they are matched by their text)."
                        ));
                    } else {
                        self.info(format!(
                            "Comparing with {name}: {shared} shared article(s), {n} to review. N: next, O / T / B: keep ours / take theirs / keep both."
                        ));
                        self.queue.push(UiCommand::ReviewSelect(cursor));
                    }
                }
                Err(e) => self.error(format!("Cannot compare with {spec}: {e}")),
            },
            UiCommand::EndCompare => {
                ws.compare = None;
                ws.review_cursor = 0;
            }
            UiCommand::ReviewNext | UiCommand::ReviewPrev | UiCommand::ReviewSelect(_) => {
                let items = ws.review_items();
                if items.is_empty() {
                    let why = nothing_to_review(ws);
                    self.info(why);
                    return None;
                }
                let n = items.len();
                ws.review_cursor = match command {
                    UiCommand::ReviewNext => (ws.review_cursor + 1) % n,
                    UiCommand::ReviewPrev => (ws.review_cursor + n - 1) % n,
                    UiCommand::ReviewSelect(i) => i.min(n - 1),
                    _ => ws.review_cursor,
                };
                show_item(ws, items[ws.review_cursor]);
            }
            UiCommand::Settle(take) => {
                let items = ws.review_items();
                let Some(&item) = items.get(ws.review_cursor.min(items.len().saturating_sub(1)))
                else {
                    let why = nothing_to_review(ws);
                    self.info(why);
                    return None;
                };
                let result = settle_item(ws, item, take);
                if let Err(e) = result {
                    self.error(e);
                    return None;
                }
                // Stay at the same position: the next item moves up into it.
                let items = ws.review_items();
                if let Some(&next) = items.get(ws.review_cursor.min(items.len().saturating_sub(1)))
                {
                    ws.review_cursor = ws.review_cursor.min(items.len() - 1);
                    show_item(ws, next);
                } else {
                    self.info("Nothing left to review in this article.");
                }
            }
            other => return Some(other),
        }
        None
    }
}

impl App {
    /// At the last disagreement of the article (the first, going back),
    /// N (Shift+N) goes on to the next (previous) article with some left,
    /// and says where it went. False when it stays in this article.
    fn review_moves_on(&mut self, forward: bool) -> bool {
        let Some(ws) = &mut self.ws else { return false };
        if ws.compare.is_none() {
            return false;
        }
        let conflicts = ws.project.conflicts().len();
        let n = ws.review_items().len();
        let here = n - conflicts;
        let at_edge = here == 0
            || (forward && ws.review_cursor + 1 >= n)
            || (!forward && ws.review_cursor <= conflicts);
        if !at_edge {
            return false;
        }
        let Some(doc) = next_article_to_review(ws, forward) else {
            if here == 0 {
                self.info("No disagreements left in any compared article.");
                return true;
            }
            return false;
        };
        ws.show_article(doc);
        let items = ws.review_items();
        let left = items.len() - conflicts;
        ws.review_cursor = if forward { conflicts } else { items.len() - 1 };
        if let Some(&item) = items.get(ws.review_cursor) {
            show_item(ws, item);
        }
        let (at, total) = crate::ui::doc_list::position(&ws.project, doc).unwrap_or((0, 0));
        let title = ws.project.document(doc).map_or("", |d| d.title.as_str());
        let title = crate::ui::text_view::excerpt(title, 50);
        self.info(format!(
            "Article {at} of {total} (“{title}”): {left} disagreement(s) to review."
        ));
        true
    }
}

/// The next (or previous) article after the current one, in corpus order
/// and wrapping, with disagreements left.
fn next_article_to_review(ws: &mut Workspace, forward: bool) -> Option<crate::model::DocId> {
    let state = ws.history.current_state();
    let counts = ws.compare.as_mut()?.per_article(&ws.project, state).clone();
    let ids: Vec<_> = ws.project.documents().map(|d| d.id).collect();
    let at = ws.current.and_then(|c| ids.iter().position(|d| *d == c))?;
    let n = ids.len();
    (1..n)
        .map(|k| {
            if forward {
                (at + k) % n
            } else {
                (at + n - k) % n
            }
        })
        .map(|i| ids[i])
        .find(|d| counts.get(d).is_some_and(|c| *c > 0))
}

fn nothing_to_review(ws: &Workspace) -> &'static str {
    if ws.compare.is_some() {
        "No conflicts, and no disagreements in this article."
    } else {
        "Nothing to review: no merge conflicts. Project → Compare with… shows another version beside this one."
    }
}

/// Selects and scrolls to what an item is about.
fn show_item(ws: &mut Workspace, item: ReviewItem) {
    match item {
        ReviewItem::Conflict(i) => {
            let Some(c) = ws.project.conflicts().get(i).cloned() else {
                return;
            };
            match &c.other {
                Alternative::Span(id, alt) => {
                    if ws.project.span(*id).is_some() {
                        ws.select_span(*id);
                    } else if let Some(s) = alt {
                        ws.current = Some(s.doc);
                        ws.selected = None;
                        if let Some(v) = ws.current_view() {
                            v.scroll_to = Some(s.start);
                        }
                    }
                }
                Alternative::Document(id, _) | Alternative::Status(id, _) => {
                    if ws.project.document(*id).is_some() {
                        ws.current = Some(*id);
                    }
                }
                Alternative::Label(..) => {}
            }
        }
        ReviewItem::Disagreement(d) => match d.ours {
            Some(id) => ws.select_span(id),
            None => {
                ws.selected = None;
                if let Some(v) = ws.current_view() {
                    v.scroll_to = Some(d.at);
                }
            }
        },
    }
}

/// Runs the command that settles `item` by taking `take`.
fn settle_item(ws: &mut Workspace, item: ReviewItem, take: Take) -> Result<(), String> {
    match item {
        ReviewItem::Conflict(index) => {
            let side = match take {
                Take::Ours => Side::Ours,
                Take::Theirs => Side::Theirs,
                Take::Both => {
                    return Err(
                        "A merge conflict is settled one way: O keeps ours, T takes theirs.".into(),
                    );
                }
            };
            ws.exec(Command::ResolveConflict { index, take: side })
                .map(|_| ())
        }
        ReviewItem::Disagreement(d) => {
            let Some(doc) = ws.current else {
                return Ok(());
            };
            let Some(c) = &ws.compare else {
                return Ok(());
            };
            let now = crate::clock::now_rfc3339();
            match settle(&ws.project, doc, &c.theirs, &d, take, &now) {
                Some(command) => ws.exec(command).map(|_| ()),
                None => {
                    // Nothing to change: remember that ours was kept.
                    if let Some(c) = &mut ws.compare {
                        c.kept.insert(d);
                    }
                    Ok(())
                }
            }
        }
    }
}
