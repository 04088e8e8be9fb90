//! View commands: zoom, theme, side panels (remembered between runs), and
//! moving between articles and unsourced spans.

use crate::ui::app::{App, apply_settings};
use crate::ui::commands::{SidePanel, UiCommand};
use crate::ui::doc_list::{next_unfinished, position};

impl App {
    /// Zoom, theme, panels and article/span navigation. Returns false when
    /// `command` is not one of them.
    pub(super) fn dispatch_view(&mut self, ctx: &egui::Context, command: &UiCommand) -> bool {
        let mut settings = self.settings.clone();
        match command {
            UiCommand::ZoomIn => settings.zoom = (settings.zoom + 0.1).min(3.0),
            UiCommand::ZoomOut => settings.zoom = (settings.zoom - 0.1).max(0.5),
            UiCommand::ZoomReset => settings.zoom = 1.0,
            UiCommand::SetTheme(t) => settings.theme = *t,
            UiCommand::TogglePanel(SidePanel::Articles) => {
                settings.show_articles = !settings.show_articles;
            }
            UiCommand::TogglePanel(SidePanel::Spans) => settings.show_spans = !settings.show_spans,
            UiCommand::NextArticle | UiCommand::PrevArticle => {
                self.step_article(*command == UiCommand::NextArticle);
                return true;
            }
            UiCommand::NextUnfinished | UiCommand::PrevUnfinished => {
                self.step_unfinished(*command == UiCommand::NextUnfinished);
                return true;
            }
            UiCommand::GoToArticle => {
                settings.show_articles = true;
                if let Some(ws) = &mut self.ws {
                    ws.articles.focus_filter = true;
                }
            }
            UiCommand::GoToFirstListed => {
                self.go_to_first_listed();
                return true;
            }
            UiCommand::NextUnsourced | UiCommand::PrevUnsourced => {
                self.step_unsourced(*command == UiCommand::NextUnsourced);
                return true;
            }
            _ => return false,
        }
        settings.zoom = (settings.zoom * 10.0).round() / 10.0;
        apply_settings(ctx, &settings);
        self.settings = settings;
        if let Err(e) = self.settings.save(self.dirs.config.as_deref()) {
            eprintln!("marginalia: cannot save the view settings: {e}");
        }
        true
    }

    fn step_article(&mut self, forward: bool) {
        let Some(ws) = &mut self.ws else { return };
        let ids: Vec<_> = ws.project.documents().map(|d| d.id).collect();
        let Some(at) = ws.current.and_then(|c| ids.iter().position(|d| *d == c)) else {
            return;
        };
        let next = if forward {
            ids.get(at + 1)
        } else {
            at.checked_sub(1).and_then(|i| ids.get(i))
        };
        if let Some(d) = next {
            ws.show_article(*d);
        }
    }

    fn step_unfinished(&mut self, forward: bool) {
        let Some(ws) = &mut self.ws else { return };
        match next_unfinished(&ws.project, ws.current, forward) {
            Some(d) => {
                ws.show_article(d);
                let (at, n) = position(&ws.project, d).unwrap_or((0, 0));
                let status = ws.project.document(d).map_or("", |d| d.status.title());
                self.info(format!("Article {at} of {n} ({status})."));
            }
            None => self.info("Every other article is done or skipped."),
        }
    }

    /// Shows the first article the list's filter lets through.
    fn go_to_first_listed(&mut self) {
        let Some(ws) = &mut self.ws else { return };
        let state = ws.history.current_state();
        let first = ws.articles.rows(&ws.project, state).first().copied();
        match first {
            Some(d) => ws.show_article(d),
            None => {
                let filter = ws.articles.filter.clone();
                self.info(format!("No article matches “{filter}”."));
            }
        }
    }

    fn step_unsourced(&mut self, forward: bool) {
        let Some(ws) = &mut self.ws else { return };
        let Some(doc) = ws.current else { return };
        // Without a selected span, from the caret.
        let caret = ws
            .views
            .get(&doc)
            .and_then(|v| v.selection)
            .map_or(0, |s| s.head.min(s.anchor));
        match ws
            .project
            .next_unsourced_in(doc, ws.selected, caret, forward)
        {
            Some(id) => ws.select_span(id),
            None => self.info("Every claim and figure in this article has a source."),
        }
    }
}
