//! Find and suggestions: moving through matches and suggestions, and the
//! tags they turn into (each an ordinary undoable command).

use crate::assist::search::Match;
use crate::assist::suggest::Suggestion;
use crate::model::{Command, Edit, LabelId, Pattern};
use crate::ui::app::App;
use crate::ui::assist::Find;
use crate::ui::commands::UiCommand;
use crate::ui::modals::{Modal, PatternsModal};
use crate::ui::text_view::Selection;
use crate::ui::workspace::Workspace;
use std::collections::BTreeSet;

/// What a command has to tell the user.
enum Say {
    Nothing,
    Info(String),
    Error(String),
}

fn info(text: impl Into<String>) -> Say {
    Say::Info(text.into())
}

fn error(e: impl std::fmt::Display) -> Say {
    Say::Error(e.to_string())
}

impl App {
    /// Find and suggestion commands. Hands `command` back when it is not
    /// one of them.
    pub(super) fn dispatch_assist(
        &mut self,
        ctx: &egui::Context,
        command: UiCommand,
    ) -> Option<UiCommand> {
        let Some(ws) = &mut self.ws else {
            return Some(command);
        };
        let say = match command {
            UiCommand::OpenFind => open_find(ws),
            UiCommand::CloseFind => {
                ws.find = None;
                Say::Nothing
            }
            UiCommand::FindChanged => {
                if let Some(f) = &mut ws.find {
                    f.refresh(&ws.project, ws.current);
                }
                Say::Nothing
            }
            UiCommand::FindNext => find_step(ws, true),
            UiCommand::FindPrev => find_step(ws, false),
            UiCommand::TagAllMatches(label) => tag_all_matches(ws, label),
            UiCommand::NextSuggestion | UiCommand::PrevSuggestion => {
                go_to_suggestion(ctx, ws, command == UiCommand::NextSuggestion);
                no_suggestion_here(ws)
            }
            UiCommand::AcceptSuggestion => settle_suggestion(ctx, ws, true),
            UiCommand::RejectSuggestion => settle_suggestion(ctx, ws, false),
            UiCommand::AcceptRule => accept_rule(ctx, ws),
            UiCommand::MoreLikeThis => more_like_this(ctx, ws),
            UiCommand::EditPatterns => {
                self.modal = Some(Modal::Patterns(PatternsModal::new(&ws.project)));
                Say::Nothing
            }
            UiCommand::ApplyPatterns(remove, add, rules_off) => {
                apply_patterns(ws, remove, add, rules_off)
            }
            UiCommand::ToggleLearning => {
                ws.learning_window = match ws.learning_window.take() {
                    Some(_) => None,
                    None => Some(crate::ui::learning::LearningWindow::default()),
                };
                Say::Nothing
            }
            UiCommand::SetLearned(label, setting) => set_learned(ws, label, setting),
            UiCommand::ToggleSuggestions => {
                if ws.suggestions_shown() {
                    ws.suggestions.visible = false;
                } else {
                    ws.suggestions.turn_on();
                }
                ws.suggestions.current = None;
                Say::Nothing
            }
            other => return Some(other),
        };
        match say {
            Say::Nothing => {}
            Say::Info(text) => self.info(text),
            Say::Error(text) => self.error(text),
        }
        None
    }
}

/// Opens the find bar (or focuses it), searching for the selected text.
fn open_find(ws: &mut Workspace) -> Say {
    let selected = selected_text(ws);
    let find = ws.find.get_or_insert_with(|| Find {
        tag_label: ws.project.labels().first().map(|l| l.id.clone()),
        ..Find::default()
    });
    if let Some(t) = selected {
        find.query.pattern = t;
    }
    find.focus = true;
    find.refresh(&ws.project, ws.current);
    Say::Nothing
}

/// Selects the next (or previous) match, the first one from the caret.
fn find_step(ws: &mut Workspace, forward: bool) -> Say {
    let Some(f) = &mut ws.find else {
        return Say::Nothing;
    };
    if f.matches.is_empty() {
        return info(f.error.clone().unwrap_or_else(|| "No matches.".into()));
    }
    let n = f.matches.len();
    let next = match f.current {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None => {
            let doc = ws.current;
            let at = doc
                .and_then(|d| ws.views.get(&d))
                .and_then(|v| v.selection)
                .map_or(0, |s| s.head.min(s.anchor));
            let after = f
                .matches
                .iter()
                .position(|m| Some(m.doc) == doc && m.start >= at || Some(m.doc) > doc);
            match (after, forward) {
                (Some(i), true) => i,
                (Some(i), false) => (i + n - 1) % n,
                (None, true) => 0,
                (None, false) => n - 1,
            }
        }
    };
    f.current = Some(next);
    let m = f.matches[next];
    ws.current = Some(m.doc);
    ws.selected = None;
    if let Some(v) = ws.current_view() {
        // The match becomes the text selection: a label key tags it at once.
        v.selection = Some(Selection {
            anchor: m.start,
            head: m.end,
            exact: true,
        });
        v.scroll_to = Some(m.start);
    }
    Say::Nothing
}

/// Tags every match not already inside a span of `label`, in one step.
fn tag_all_matches(ws: &mut Workspace, label: LabelId) -> Say {
    let Some(f) = &ws.find else {
        return Say::Nothing;
    };
    let now = crate::clock::now_rfc3339();
    let (tagged, untagged): (Vec<&Match>, Vec<&Match>) = f.matches.iter().partition(|m| {
        // Already tagged: the match lies inside a span of this label (this
        // very text, or a whole attribution around it).
        ws.project
            .spans_overlapping(m.doc, m.start..m.end)
            .iter()
            .any(|s| {
                s.label == label && s.fragments_iter().any(|(a, b)| a <= m.start && m.end <= b)
            })
    });
    let commands: Vec<Command> = untagged
        .iter()
        .map(|m| Command::AddSpan {
            doc: m.doc,
            label: label.clone(),
            start: m.start,
            end: m.end,
            note: None,
            created: now.clone(),
        })
        .collect();
    let n = commands.len();
    let name = ws.project.label_name(&label).to_string();
    if n == 0 {
        return info(format!("Every match is already tagged as {name}."));
    }
    let group = Command::Group(format!("tag {n} matches as {name}"), commands);
    let skipped = tagged.len();
    if let Err(e) = ws.exec(group) {
        return error(e);
    }
    let also = if skipped > 0 {
        format!(" ({skipped} already were)")
    } else {
        String::new()
    };
    let what = if n == 1 { "match" } else { "matches" };
    info(format!(
        "Tagged {n} {what} as {name}{also}. Ctrl+Z undoes it in one step."
    ))
}

fn no_suggestion_here(ws: &Workspace) -> Say {
    if ws.suggestions.current.is_none() {
        info("No suggestions pending in this article.")
    } else {
        Say::Nothing
    }
}

/// Accepts or rejects the suggestion under the cursor and moves on; with
/// none there, goes to the next one.
fn settle_suggestion(ctx: &egui::Context, ws: &mut Workspace, accept: bool) -> Say {
    let Some(s) = current(ctx, ws) else {
        go_to_suggestion(ctx, ws, true);
        return no_suggestion_here(ws);
    };
    let command = if accept {
        s.accept(&crate::clock::now_rfc3339())
    } else {
        Command::Reject(vec![s.rejection()])
    };
    if let Err(e) = ws.exec(command) {
        return error(e);
    }
    ws.suggestions.current = Some((s.start, s.end, s.label.clone()));
    go_to_suggestion(ctx, ws, true);
    if accept {
        // The new span is not selected: the cursor moved on.
        ws.selected = None;
    }
    Say::Nothing
}

/// Accepts every pending suggestion of the current one's rule.
fn accept_rule(ctx: &egui::Context, ws: &mut Workspace) -> Say {
    let Some(s) = current(ctx, ws) else {
        return info(
            "Go to a suggestion first (G); Shift+A then accepts every one of its rule here.",
        );
    };
    let now = crate::clock::now_rfc3339();
    let all: Vec<Command> = ws
        .suggestions
        .pending_of_rule(&ws.project, &s.rule, &s.label)
        .iter()
        .map(|x| x.accept(&now))
        .collect();
    let n = all.len();
    let what = if s.rule == crate::assist::suggest::LEARNED {
        format!("learned {}", ws.project.label_name(&s.label))
    } else {
        s.rule.clone()
    };
    let group = Command::Group(format!("accept {n} {what} suggestions"), all);
    if let Err(e) = ws.exec(group) {
        return error(e);
    }
    ws.suggestions.current = None;
    info(format!("Accepted {n} {what} suggestion(s)."))
}

/// Makes the selected span's text a pattern, so its other occurrences
/// are suggested.
fn more_like_this(ctx: &egui::Context, ws: &mut Workspace) -> Say {
    let Some(span) = ws.selected.and_then(|id| ws.project.span(id)).cloned() else {
        return info("Select a span first: M suggests its text wherever else it occurs.");
    };
    let Some(text) = ws
        .project
        .document(span.doc)
        .map(|d| d.text.slice(span.start..span.end).to_string())
    else {
        return Say::Nothing;
    };
    let exists = ws
        .project
        .patterns()
        .iter()
        .any(|p| !p.regex && p.text.eq_ignore_ascii_case(&text) && p.label == span.label);
    if exists {
        return info(format!("“{text}” is already a pattern."));
    }
    let pattern = Pattern {
        text: text.clone(),
        regex: false,
        case_sensitive: false,
        label: span.label.clone(),
        attributes: (*span.attrs).clone(),
    };
    if let Err(e) = ws.exec(Command::AddPattern(pattern)) {
        return error(e);
    }
    ws.suggestions.ensure(Some(ctx), &ws.project, span.doc);
    let more = ws
        .suggestions
        .pending_of_rule(&ws.project, &format!("pattern: {text}"), &span.label)
        .len();
    info(format!(
        "“{text}” is now a pattern: {more} more in this article (G to step, A to accept). Project → Patterns… lists it."
    ))
}

/// A label's learned suggestions turned on or off, or their lowest
/// confidence moved: one undoable step.
fn set_learned(ws: &mut Workspace, label: LabelId, setting: crate::model::LearnedSetting) -> Say {
    if ws.project.settings().learned(&label) == setting {
        return Say::Nothing;
    }
    let mut settings = ws.project.settings().clone();
    settings.set_learned(label.clone(), setting);
    let name = ws.project.label_name(&label).to_string();
    let what = match (setting.off, setting.min_score) {
        (true, _) => format!("learned {name} suggestions off"),
        (false, Some(p)) => format!(
            "learned {name} suggestions from {:.2}",
            f32::from(p) / 100.0
        ),
        (false, None) => format!("learned {name} suggestions at the measured threshold"),
    };
    match ws.exec(Command::Edits(what, vec![Edit::SetSettings(settings)])) {
        Ok(_) => Say::Nothing,
        Err(e) => error(e),
    }
}

/// The Patterns dialog's changes, as one undoable step.
fn apply_patterns(
    ws: &mut Workspace,
    remove: Vec<usize>,
    add: Vec<Pattern>,
    rules_off: BTreeSet<String>,
) -> Say {
    let mut commands: Vec<Command> = remove
        .into_iter()
        .rev()
        .map(Command::RemovePattern)
        .collect();
    commands.extend(add.into_iter().map(Command::AddPattern));
    if rules_off != ws.project.settings().rules_off {
        let mut settings = ws.project.settings().clone();
        settings.rules_off = rules_off;
        commands.push(Command::Edits(
            "suggestion rules".into(),
            vec![Edit::SetSettings(settings)],
        ));
    }
    match ws.exec(Command::Group("edit patterns".into(), commands)) {
        Ok(_) => Say::Nothing,
        Err(e) => error(e),
    }
}

/// The text selected in the current article (one line, not too long).
fn selected_text(ws: &Workspace) -> Option<String> {
    let doc = ws.current?;
    let v = ws.views.get(&doc)?;
    let s = v.selection?;
    let (a, b) = (s.anchor.min(s.head), s.anchor.max(s.head));
    let text = ws.project.document(doc)?.text.slice(a..b).to_string();
    (a < b && b - a <= 200 && !text.contains('\n')).then_some(text)
}

/// The pending suggestion under the cursor, if any.
fn current(ctx: &egui::Context, ws: &mut Workspace) -> Option<Suggestion> {
    let doc = ws.current?;
    ws.suggestions.ensure(Some(ctx), &ws.project, doc);
    ws.suggestions.current_suggestion(&ws.project)
}

/// Moves the suggestion cursor to the next (or previous) pending one and
/// scrolls to it; clears it when there is none.
fn go_to_suggestion(ctx: &egui::Context, ws: &mut Workspace, forward: bool) {
    let Some(doc) = ws.current else {
        return;
    };
    ws.suggestions.turn_on();
    ws.suggestions.ensure(Some(ctx), &ws.project, doc);
    // From the suggestion under the cursor, else from the caret.
    let (at, inclusive) = match &ws.suggestions.current {
        Some((a, _, _)) => (*a, false),
        None => (
            ws.views
                .get(&doc)
                .and_then(|v| v.selection)
                .map_or(0, |s| s.head),
            true,
        ),
    };
    let next = ws
        .suggestions
        .step(&ws.project, at, forward, inclusive)
        .map(|c| {
            let label = ws.suggestions.list().label(&c).clone();
            (c.start as usize, c.end as usize, label)
        });
    ws.suggestions.current = next.clone();
    if let Some((a, _, _)) = next {
        ws.selected = None;
        if let Some(v) = ws.current_view() {
            v.selection = None;
            v.scroll_to = Some(a);
        }
    }
}
