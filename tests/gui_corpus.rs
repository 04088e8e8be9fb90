//! A corpus of many articles in the real window: finding an article by
//! name or number in a few keys, status by key, menu and right click,
//! progress in the status bar, the next article not done, the list drawing
//! only the rows in view, and U starting from the caret.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::model::{Command, DocId, DocStatus, History, Project, SpanId};
use marginalia::ui::app::App;
use marginalia::ui::commands::UiCommand;
use std::path::Path;

const ARTICLES: u64 = 1200;

fn title(i: u64) -> String {
    format!("Report {i:04}: workers and wages in province {}", i % 7)
}

/// A project of `ARTICLES` short articles, saved under `root`.
fn corpus(root: &Path) -> std::path::PathBuf {
    let mut p = Project::new("corpus");
    let commands = (1..=ARTICLES)
        .map(|i| Command::AddDocument {
            title: title(i),
            origin: Some(format!("feeds/report-{i:04}.txt")),
            text: format!(
                "{}\n\nA source said that {i} workers left on Sunday.",
                title(i)
            ),
        })
        .collect();
    History::new()
        .execute(&mut p, Command::Group("add".into(), commands))
        .unwrap();
    let path = root.join("corpus.ron");
    marginalia::store::save(&p, &path).unwrap();
    path
}

fn open(root: &Path, path: std::path::PathBuf) -> Harness<'static, App> {
    let mut h = harness(options(root, Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    h
}

fn current(h: &Harness<'_, App>) -> Option<DocId> {
    h.state().ws.as_ref().unwrap().current
}

fn status(h: &Harness<'_, App>, doc: u64) -> DocStatus {
    h.state()
        .ws
        .as_ref()
        .unwrap()
        .project
        .document(DocId(doc))
        .unwrap()
        .status
}

/// Article rows drawn now (each is a list item named by its title).
fn rows_drawn(h: &Harness<'_, App>) -> usize {
    h.query_all_by_role(Role::ListItem)
        .filter(|n| format!("{n:?}").contains("Report "))
        .count()
}

#[test]
fn any_article_is_found_by_title_or_number_in_a_few_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), corpus(dir.path()));
    assert_eq!(current(&h), Some(DocId(1)));
    let drawn = rows_drawn(&h);
    assert!(
        (5..60).contains(&drawn),
        "only the rows in view are drawn, not {ARTICLES}: {drawn}"
    );
    h.get_by_label_contains("Article 1 of 1,200");
    // Ctrl+G gives the filter the keyboard; a title word and Enter go there.
    press(&mut h, Modifiers::COMMAND, Key::G);
    assert!(
        h.get_by_label("Filter:").is_focused(),
        "Ctrl+G focuses the article filter"
    );
    h.get_by_label("Filter:").type_text("report 1117");
    h.step();
    h.get_by_label_contains("1 of 1,200 shown");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(current(&h), Some(DocId(1117)));
    h.get_by_label_contains("Article 1,117 of 1,200");
    // Ctrl+G again selects what was typed: a number alone replaces it.
    press(&mut h, Modifiers::COMMAND, Key::G);
    h.get_by_label("Filter:").type_text("845");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(current(&h), Some(DocId(845)));
    assert_eq!(h.state().ws.as_ref().unwrap().articles.filter, "845");
    // The file name matches too (Ctrl+P is the same key).
    press(&mut h, Modifiers::COMMAND, Key::P);
    h.get_by_label("Filter:").type_text("report-0032.txt");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(current(&h), Some(DocId(32)));
    // No match says so and stays put.
    press(&mut h, Modifiers::COMMAND, Key::G);
    h.get_by_label("Filter:").type_text("nowhere");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(current(&h), Some(DocId(32)));
    h.get_by_label_contains("No article matches “nowhere”");
    // The clear button empties the filter.
    h.get_by_label("Clear the filter").click();
    h.step();
    assert!(h.state().ws.as_ref().unwrap().articles.filter.is_empty());
    // Ctrl+PageDown from the last article listed scrolls the list to it.
    run(&mut h, UiCommand::ShowDocument(DocId(1199)));
    press(&mut h, Modifiers::COMMAND, Key::PageDown);
    assert_eq!(current(&h), Some(DocId(1200)));
    h.step();
    assert!(
        h.query_by_label_contains(&title(1200)).is_some(),
        "the list scrolled to the current article's row"
    );
}

#[test]
fn status_by_key_menu_and_right_click_with_progress_and_the_next_not_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), corpus(dir.path()));
    press(&mut h, Modifiers::COMMAND, Key::D);
    assert_eq!(status(&h, 1), DocStatus::Done);
    h.get_by_label_contains("· 1 of 1,200 done");
    // Again: back in progress. Ctrl+K skips.
    press(&mut h, Modifiers::COMMAND, Key::D);
    assert_eq!(status(&h, 1), DocStatus::InProgress);
    press(&mut h, Modifiers::COMMAND, Key::K);
    assert_eq!(status(&h, 1), DocStatus::Skipped);
    h.get_by_label_contains("· 0 of 1,200 done, 1 skipped");
    // Undo is one step per mark.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(status(&h, 1), DocStatus::InProgress);
    // The Article menu has the same.
    h.get_by_label("Article").click();
    h.step();
    h.step();
    h.get_by_label_contains("Mark article done").click();
    h.step();
    h.step();
    assert_eq!(status(&h, 1), DocStatus::Done);
    // A right click on a row sets that article's status.
    h.get_by_label_contains(&title(2)).click_secondary();
    h.step();
    h.step();
    h.get_by_label_contains("Skipped").click();
    h.step();
    h.step();
    assert_eq!(status(&h, 2), DocStatus::Skipped);
    assert_eq!(
        current(&h),
        Some(DocId(1)),
        "the right click does not switch"
    );
    h.get_by_label_contains("· 1 of 1,200 done, 1 skipped");
    // The next article not done skips 2 (skipped).
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::PageDown);
    assert_eq!(current(&h), Some(DocId(3)));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::PageUp);
    assert_eq!(
        current(&h),
        Some(DocId(1200)),
        "back from 3 wraps past 2 and 1"
    );
    // The list shows only what is not done when asked.
    let ws = h.state_mut().ws.as_mut().unwrap();
    ws.articles.show = marginalia::ui::doc_list::StatusFilter::NotDone;
    ws.show_article(DocId(3));
    h.step();
    h.step();
    let row_drawn = |h: &Harness<'_, App>, i: u64| {
        h.query_all_by_role(Role::ListItem)
            .any(|n| format!("{n:?}").contains(&title(i)))
    };
    assert!(!row_drawn(&h, 1) && !row_drawn(&h, 2));
    assert!(row_drawn(&h, 3));
    h.get_by_label_contains("1,198 of 1,200 shown");
    // Saved, it opens with the statuses.
    run(&mut h, UiCommand::Save);
    step_until(&mut h, "saved", |a| {
        a.ws.as_ref().is_some_and(|w| !w.is_dirty())
    });
    let saved = marginalia::store::load(&dir.path().join("corpus.ron"))
        .unwrap()
        .project;
    assert_eq!(saved.document(DocId(1)).unwrap().status, DocStatus::Done);
    assert_eq!(saved.document(DocId(2)).unwrap().status, DocStatus::Skipped);
}

#[test]
fn the_first_tag_in_a_new_article_starts_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), corpus(dir.path()));
    run(
        &mut h,
        UiCommand::TagRange {
            doc: DocId(1),
            label: marginalia::model::LabelId("figure".into()),
            start: 64,
            end: 65,
        },
    );
    assert_eq!(status(&h, 1), DocStatus::InProgress);
    h.get_by_label_contains(&title(1)).hover();
    h.step();
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(status(&h, 1), DocStatus::New);
}

#[test]
fn u_and_shift_u_start_from_the_caret() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = open(dir.path(), path);
    let p = project(&h);
    let doc = DocId(1);
    let unsourced: Vec<(SpanId, usize)> = p
        .spans_in(doc)
        .filter(|s| p.lacks_source(s.id))
        .map(|s| (s.id, s.start))
        .collect();
    assert!(unsourced.len() >= 3, "the sample has unsourced spans");
    // The caret just after the second unsourced span's start.
    let (second, at) = unsourced[1];
    let caret = at + 1;
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection::caret(caret));
    h.state_mut().ws.as_mut().unwrap().selected = None;
    h.step();
    press(&mut h, Modifiers::NONE, Key::U);
    let want = unsourced.iter().find(|(_, s)| *s >= caret).unwrap().0;
    assert_eq!(selected(&h), Some(want), "U: the first after the caret");
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection::caret(caret));
    h.state_mut().ws.as_mut().unwrap().selected = None;
    h.step();
    press(&mut h, Modifiers::SHIFT, Key::U);
    assert_eq!(selected(&h), Some(second), "Shift+U: the last before it");
}

/// The span list's row for span `id`, if drawn.
fn span_row_drawn(h: &Harness<'_, App>, id: SpanId) -> bool {
    // "Claim #12 ✎ ⇄1\nthe text…": the id ends at a space or the newline.
    h.query_all_by_role(Role::ListItem).any(|n| {
        let text = format!("{n:?}");
        text.contains(&format!(" #{id} ")) || text.contains(&format!(" #{id}\\n"))
    })
}

#[test]
fn the_span_list_follows_the_selection_and_can_list_every_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = open(dir.path(), path);
    let p = project(&h);
    let last = p.spans_in(DocId(1)).last().unwrap().id;
    assert!(!span_row_drawn(&h, last), "the last row starts out of view");
    // Selected from the text side (as Tab or a click there does).
    run(&mut h, UiCommand::SelectSpan(Some(last)));
    h.step();
    assert!(
        span_row_drawn(&h, last),
        "the list scrolled to the selection"
    );
    let first = p.spans_in(DocId(1)).next().unwrap().id;
    press(&mut h, Modifiers::COMMAND, Key::Home);
    press(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(selected(&h), Some(first));
    h.step();
    assert!(span_row_drawn(&h, first), "and back to the top with Tab");

    // Every article's spans, with the article's title on each row.
    h.get_by_label("Every article").click();
    h.step();
    h.step();
    let ws = h.state_mut().ws.as_mut().unwrap();
    assert_eq!(ws.span_list_len(), p.spans().len());
    let title = p.document(DocId(1)).unwrap().title.clone();
    let short: String = title.chars().take(20).collect();
    assert!(
        h.query_all_by_role(Role::ListItem)
            .any(|n| format!("{n:?}").contains(&short)),
        "rows name their article"
    );
    // A span of the second article, selected from the list, shows it.
    let other = p.spans_in(DocId(2)).last().unwrap().id;
    run(&mut h, UiCommand::SelectSpan(Some(other)));
    h.step();
    assert!(span_row_drawn(&h, other));
    assert_eq!(current(&h), Some(DocId(2)));
    // Narrowed by the articles' status.
    run(
        &mut h,
        UiCommand::SetArticleStatus(DocId(2), DocStatus::Done),
    );
    h.state_mut().ws.as_mut().unwrap().all_spans_status =
        marginalia::ui::doc_list::StatusFilter::NotDone;
    h.step();
    let n1 = p.spans_in(DocId(1)).count();
    assert_eq!(h.state_mut().ws.as_mut().unwrap().span_list_len(), n1);
}

#[test]
fn events_are_built_by_keyboard_listed_in_details_grouped_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = open(dir.path(), path);
    let p = project(&h);
    let spans: Vec<SpanId> = p.spans_in(DocId(1)).map(|s| s.id).take(3).collect();
    let (cue, source, content) = (spans[1], spans[0], spans[2]);
    // Ctrl+Shift+E on the trigger asks the type.
    run(&mut h, UiCommand::SelectSpan(Some(cue)));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    assert!(matches!(
        h.state().modal,
        Some(marginalia::ui::modals::Modal::Event(_))
    ));
    let field = h.get_by_label("Type (one word):");
    field.focus();
    h.step();
    h.get_by_label("Type (one word):").type_text("Attribution");
    h.step();
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.step();
    let p = project(&h);
    let event = p.events().last().unwrap().clone();
    assert_eq!(event.kind, "Attribution");
    assert_eq!(event.trigger, cue);
    // Alt+A on each argument asks its role.
    for (span, role) in [(source, "Source"), (content, "Content")] {
        run(&mut h, UiCommand::SelectSpan(Some(span)));
        press(&mut h, Modifiers::ALT, Key::A);
        h.get_by_label("Role (one word):").focus();
        h.step();
        h.get_by_label("Role (one word):").type_text(role);
        h.step();
        press(&mut h, Modifiers::NONE, Key::Enter);
        h.step();
    }
    let p = project(&h);
    let e = p.event(event.id).unwrap();
    assert_eq!(
        e.args,
        vec![
            (
                "Source".to_string(),
                marginalia::model::Target::Span(source)
            ),
            (
                "Content".to_string(),
                marginalia::model::Target::Span(content)
            ),
        ]
    );
    // The details panel lists it; a member is clickable.
    let name = format!("Attribution #{}", e.id);
    assert!(h.query_all_by_label_contains(&name).count() >= 1);
    scroll_details(&mut h);
    h.get_by_label_contains("trigger: “").click();
    h.step();
    h.step();
    assert_eq!(selected(&h), Some(cue));
    // Grouped, the arguments come under the trigger with their roles.
    h.state_mut().ws.as_mut().unwrap().group_events = true;
    h.step();
    h.step();
    h.get_by_label_contains("↳ Source:");
    h.get_by_label_contains("↳ Content:");
    // Removing the event keeps its spans.
    let n = p.spans().len();
    scroll_details(&mut h);
    h.get_by_label("Remove event").click();
    h.step();
    h.step();
    let p = project(&h);
    assert!(p.event(event.id).is_none());
    assert_eq!(p.spans().len(), n, "its spans stay");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(project(&h).event(event.id).is_some(), "undo brings it back");
}

/// Scrolls the details panel to its end with the mouse wheel (the
/// notices, which float over the window's bottom right, dismissed).
fn scroll_details(h: &mut Harness<'_, App>) {
    h.state_mut().notices.clear();
    let at = h.get_by_label("Details").rect().center() + egui::vec2(0.0, 80.0);
    h.hover_at(at);
    h.step();
    for _ in 0..4 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -200.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.step();
}

/// A folder of `n` articles in nested folders, plus one copy and one
/// unreadable file.
fn folder_of_articles(root: &Path, n: usize) -> std::path::PathBuf {
    let folder = root.join("feed");
    for i in 0..n {
        let sub = folder
            .join(format!("{:02}", i % 13))
            .join(format!("{}", i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join(format!("story-{i:05}.txt")),
            format!("Story {i}\n\nA source said {i} workers left on Sunday."),
        )
        .unwrap();
    }
    std::fs::write(
        folder.join("copy.txt"),
        "Story 7\n\nA source said 7 workers left on Sunday.",
    )
    .unwrap();
    std::fs::write(folder.join("broken.txt"), b"A\x00B: a binary file").unwrap();
    folder
}

#[test]
fn a_folder_of_articles_is_added_with_progress_cancel_and_duplicates_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_of_articles(dir.path(), 3000);
    let mut h = harness(options(dir.path(), Some(sample_copy(dir.path()))));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let before = project(&h).documents().len();
    // Cancelled at once: nothing is added.
    run(
        &mut h,
        UiCommand::UsePaths(
            marginalia::ui::files::DialogPurpose::AddFolder,
            vec![folder.clone()],
        ),
    );
    run(&mut h, UiCommand::CancelAdding);
    step_until(&mut h, "the cancelled read", |a| !a.busy());
    assert_eq!(project(&h).documents().len(), before);
    h.get_by_label_contains("nothing was added");
    // Again, to the end: the bar shows count and Cancel while it reads.
    run(
        &mut h,
        UiCommand::UsePaths(
            marginalia::ui::files::DialogPurpose::AddFolder,
            vec![folder.clone()],
        ),
    );
    h.step();
    assert!(h.query_by_label("Cancel").is_some(), "a Cancel button");
    assert!(
        h.query_all_by_role(Role::ProgressIndicator).count() >= 1,
        "a progress bar"
    );
    step_until(&mut h, "the read", |a| !a.busy());
    let p = project(&h);
    assert_eq!(p.documents().len(), before + 3000, "the copy is skipped");
    h.get_by_label_contains("Added 3000 article(s); 1 already in the project (same text) were skipped; 1 could not be read");
    // One undo step takes them all out.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h).documents().len(), before);
}

#[test]
fn a_trigger_on_the_same_text_as_another_span_is_reached_by_clicking_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = open(dir.path(), path);
    // The first word of five letters or more that no span covers yet.
    let p = project(&h);
    let text = p.document(DocId(1)).unwrap().text.as_str().to_string();
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (0..chars.len())
        .filter(|&i| i == 0 || !chars[i - 1].is_alphanumeric())
        .map(|i| {
            let len = chars[i..]
                .iter()
                .take_while(|c| c.is_alphanumeric())
                .count();
            (i, i + len)
        })
        .find(|&(s, e)| e - s >= 5 && p.spans_overlapping(DocId(1), s..e).is_empty())
        .expect("an uncovered word");
    for label in ["claim", "source"] {
        run(
            &mut h,
            UiCommand::TagRange {
                doc: DocId(1),
                label: marginalia::model::LabelId(label.into()),
                start,
                end,
            },
        );
    }
    let twins: Vec<SpanId> = project(&h)
        .spans_overlapping(DocId(1), start..end)
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(twins.len(), 2);
    run(&mut h, UiCommand::SelectSpan(None));
    run(&mut h, UiCommand::SelectSpan(Some(twins[0])));
    let at = char_pos(&mut h, start + 3);
    let mut seen = Vec::new();
    for _ in 0..3 {
        click_at(&mut h, at);
        seen.push(selected(&h).unwrap());
    }
    assert_eq!(
        seen,
        [twins[1], twins[0], twins[1]],
        "each click takes the other"
    );
    // Both rows are in the span list.
    assert!(span_row_drawn(&h, twins[0]) && span_row_drawn(&h, twins[1]));
}
