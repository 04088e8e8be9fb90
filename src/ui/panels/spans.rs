//! The side panels: the article list (left), and the span list with the
//! selected span's details (right).

use super::command_button;
use crate::model::{Span, SpanId};
use crate::ui::commands::{CommandQueue, UiCommand};
use crate::ui::doc_list::StatusFilter;
use crate::ui::text_view::{excerpt, label_color};
use crate::ui::workspace::Workspace;
use egui::{Color32, RichText, Ui};

/// Accessible label of the span list.
pub const SPAN_LIST_LABEL: &str = "Span list";

const ROW_HEIGHT: f32 = 36.0;

/// The label filter, the span list and the details of the selected span.
pub(super) fn spans_panel(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    ui.heading("Spans");
    if let Some(text) = super::status::suggestions_text(ui.ctx(), ws) {
        ui.label(RichText::new(text).weak());
    }
    scope(ui, ws);
    label_filter(ui, ws, queue);
    ui.separator();
    orphans(ui, ws, queue);
    let details_height = 260.0_f32.min(ui.available_height() * 0.5);
    let list_height = (ui.available_height() - details_height).max(80.0);
    let count = ws.span_list_len();
    let row_height = ROW_HEIGHT + ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("span-list")
        .auto_shrink(false);
    // A selection made elsewhere (Tab, a click in the text, a new tag)
    // scrolls its row into view.
    if ws.selected != ws.span_list_revealed {
        ws.span_list_revealed = ws.selected;
        let row = ws.selected.and_then(|id| ws.span_list_row_of(id));
        if let Some(row) = row.filter(|r| !ws.span_list_visible.contains(r)) {
            let offset = row as f32 * row_height - (list_height - row_height) / 2.0;
            area = area.vertical_scroll_offset(offset.max(0.0));
        }
    }
    ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
        area.show_rows(ui, ROW_HEIGHT, count, |ui, rows| {
            // Whole rows only: a half-hidden row does not count as in view.
            let whole = rows.start + 1..rows.end.saturating_sub(1).max(rows.start + 1);
            ws.span_list_visible = whole;
            // Only the visible rows are read out of the list.
            let first = rows.start;
            for (k, (id, role)) in ws.span_list_entries(rows).into_iter().enumerate() {
                if let Some(span) = ws.project.span(id)
                    && let Some(r) = span_row(ui, ws, span, role.as_deref(), queue)
                {
                    super::list_item(ui, &r, first + k + 1, count);
                }
            }
        });
    });
    ui.separator();
    details(ui, ws, queue);
}

/// This article's spans, or every article's (with the articles' status).
fn scope(ui: &mut Ui, ws: &mut Workspace) {
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(&mut ws.all_spans_shown, false, "This article");
        ui.selectable_value(&mut ws.all_spans_shown, true, "Every article")
            .on_hover_text("Every article's spans in one list, with the article");
        if !ws.all_spans_shown && ws.project.events().len() > 0 {
            ui.checkbox(&mut ws.group_events, "Group events")
                .on_hover_text("Each event's arguments under its trigger, with their roles");
        }
        if ws.all_spans_shown {
            egui::ComboBox::from_id_salt("all-spans-status")
                .selected_text(ws.all_spans_status.title())
                .show_ui(ui, |ui| {
                    for s in StatusFilter::ALL {
                        ui.selectable_value(&mut ws.all_spans_status, s, s.title());
                    }
                })
                .response
                .on_hover_text("Which articles' spans, by status");
        }
    });
}

/// Heading of the orphans list (tests find it by this text).
pub const ORPHANS_HEADING: &str = "Orphans";

/// The current article's orphans: spans whose text was not found when the
/// text was replaced. One is chosen; Re-attach puts it on the selection.
fn orphans(ui: &mut Ui, ws: &Workspace, queue: &mut CommandQueue) {
    let Some(doc) = ws.current else { return };
    let list: Vec<_> = ws.project.orphans_in(doc).collect();
    if list.is_empty() {
        return;
    }
    let chosen = ws
        .selected_orphan
        .filter(|id| list.iter().any(|o| o.span.id == *id))
        .or_else(|| list.first().map(|o| o.span.id));
    ui.label(
        RichText::new(format!("{ORPHANS_HEADING} ({})", list.len()))
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    // Body size and the normal text colour: this is what to do next.
    ui.label("Their text was not found after the text was replaced. Choose one, select its text, press R.");
    egui::ScrollArea::vertical()
        .id_salt("orphan-list")
        .max_height(120.0)
        .show(ui, |ui| {
            for o in &list {
                let label = ws.project.label_name(&o.span.label);
                let note = if o.span.note.is_some() { " ✎" } else { "" };
                let links = if o.links.is_empty() {
                    String::new()
                } else {
                    format!(" ⇄{}", o.links.len())
                };
                let text = format!(
                    "{label} #{}{note}{links}\n“{}”",
                    o.span.id,
                    excerpt(&o.quote, 60)
                );
                let mut r = ui.add(
                    egui::Button::selectable(chosen == Some(o.span.id), text)
                        .wrap()
                        .min_size(egui::vec2(ui.available_width(), ROW_HEIGHT - 4.0)),
                );
                if let Some(n) = &o.span.note {
                    r = r.on_hover_text(n);
                }
                if r.clicked() {
                    queue.push(UiCommand::SelectOrphan(Some(o.span.id)));
                }
            }
        });
    ui.horizontal(|ui| {
        let has_selection = ws
            .views
            .get(&doc)
            .is_some_and(|v| v.selection.is_some_and(|s| s.anchor != s.head));
        if let Some(id) = chosen {
            if ui
                .add_enabled(
                    has_selection,
                    egui::Button::new("Re-attach to selection (R)"),
                )
                .on_disabled_hover_text("Select the orphan's text in the article first")
                .clicked()
            {
                queue.push(UiCommand::SelectOrphan(Some(id)));
                queue.push(UiCommand::ReattachOrphan);
            }
            if ui.button("Discard orphan").clicked() {
                queue.push(UiCommand::DiscardOrphan(id));
            }
        }
    });
    ui.separator();
}

fn label_filter(ui: &mut Ui, ws: &Workspace, queue: &mut CommandQueue) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Show:");
        for l in ws.project.labels() {
            let mut shown = !ws.hidden_labels.contains(&l.id);
            let color = Color32::from_rgb(l.color.0, l.color.1, l.color.2);
            if ui
                .checkbox(&mut shown, RichText::new(&l.name).color(color))
                .changed()
            {
                queue.push(UiCommand::SetLabelShown(l.id.clone(), shown));
            }
        }
    });
}

/// One row of the span list: colour bar, label, id, note and link marks,
/// and the start of the text.
fn span_row(
    ui: &mut Ui,
    ws: &Workspace,
    span: &Span,
    role: Option<&str>,
    queue: &mut CommandQueue,
) -> Option<egui::Response> {
    let doc = ws.project.document(span.doc)?;
    let label = ws
        .project
        .label(&span.label)
        .map_or(span.label.as_str(), |l| l.name.as_str());
    let links = ws.project.links_of(span.id).count();
    let note = if span.note.is_some() { " ✎" } else { "" };
    let link_text = if links > 0 {
        format!(" ⇄{links}")
    } else {
        String::new()
    };
    let article = match role {
        Some(role) => format!("   ↳ {role}: "),
        None if ws.all_spans_shown => format!("{} · ", excerpt(&doc.title, 28)),
        None => String::new(),
    };
    let text = format!(
        "{article}{label} #{}{note}{link_text}\n{}",
        span.id,
        excerpt(&span.quote(&doc.text), 40)
    );
    let row = ui.horizontal(|ui| {
        let (rect, _) =
            ui.allocate_exact_size(egui::vec2(6.0, ROW_HEIGHT - 6.0), egui::Sense::hover());
        ui.painter()
            .rect_filled(rect, 2.0, label_color(&ws.project, span));
        // The trailing grow atom left-aligns the text.
        let r = ui.add(
            egui::Button::selectable(ws.selected == Some(span.id), text)
                .right_text("")
                .wrap()
                .min_size(egui::vec2(ui.available_width(), ROW_HEIGHT - 4.0)),
        );
        let r = match &span.note {
            Some(n) => r.on_hover_text(n),
            None => r,
        };
        if r.clicked() {
            queue.push(UiCommand::ClickSpan {
                span: span.id,
                scroll: true,
            });
        }
        r
    });
    Some(row.inner)
}

/// Heading of the details panel's event list (tests find it by this).
pub const EVENTS_HEADING: &str = "Events";

/// The events the span takes part in: type, trigger and each argument
/// with its role, every span clickable; remove an argument or the event
/// (its spans stay); start an event, or add this span to the one being
/// built.
fn events(ui: &mut Ui, ws: &Workspace, span: &Span, queue: &mut CommandQueue) {
    let list: Vec<_> = ws.project.events_of(span.id).cloned().collect();
    ui.label(RichText::new(format!("{EVENTS_HEADING} ({})", list.len())).strong());
    for e in &list {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                let building = ws.event_target == Some(e.id);
                let title = format!("{} #{}", e.kind, e.id);
                let r = ui.selectable_label(building, RichText::new(title).strong());
                if r.on_hover_text("Alt+A adds the selected span to this event")
                    .clicked()
                {
                    queue.push(UiCommand::ChooseEvent((!building).then_some(e.id)));
                }
                if ui
                    .small_button("Remove event")
                    .on_hover_text("Removes the event; its spans stay")
                    .clicked()
                {
                    queue.push(UiCommand::RemoveEvent(e.id));
                }
            });
            event_member(ui, ws, "trigger", e.trigger, span.id, None, queue);
            for (i, (role, target)) in e.args.iter().enumerate() {
                match target {
                    crate::model::Target::Span(s) => {
                        event_member(ui, ws, role, *s, span.id, Some((e.id, i)), queue)
                    }
                    crate::model::Target::Event(ev) => {
                        ui.label(format!("{role}: event #{ev}"));
                    }
                }
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        command_button(
            ui,
            queue,
            true,
            "New event… (Ctrl+Shift+E)",
            UiCommand::NewEvent,
        );
        if let Some(target) = ws.event_target.and_then(|e| ws.project.event(e)) {
            let text = format!("Add to {} #{}… (Alt+A)", target.kind, target.id);
            command_button(ui, queue, true, &text, UiCommand::AddToEvent);
        }
    });
}

/// One member of an event: role and quote, a click selects it; with
/// `arg`, a ✕ removes it from the event.
fn event_member(
    ui: &mut Ui,
    ws: &Workspace,
    role: &str,
    member: SpanId,
    this: SpanId,
    arg: Option<(crate::model::EventId, usize)>,
    queue: &mut CommandQueue,
) {
    let quote = ws
        .project
        .span(member)
        .and_then(|s| ws.project.document(s.doc).map(|d| s.quote(&d.text)))
        .map_or(String::new(), |q| excerpt(&q, 50));
    ui.horizontal(|ui| {
        let text = format!("{role}: “{quote}”");
        if ui.selectable_label(member == this, text).clicked() && member != this {
            queue.push(UiCommand::ClickSpan {
                span: member,
                scroll: true,
            });
        }
        if let Some((event, i)) = arg
            && ui
                .small_button("✕")
                .on_hover_text("Remove this argument from the event (its span stays)")
                .clicked()
        {
            queue.push(UiCommand::RemoveEventArgument(event, i));
        }
    });
}

/// The selected span: text, label, note, links, and actions.
fn details(ui: &mut Ui, ws: &mut Workspace, queue: &mut CommandQueue) {
    ui.heading("Details");
    let Some(span) = ws.selected.and_then(|id| ws.project.span(id)).cloned() else {
        ui.label("Select a span to see its details.");
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("details")
        .show(ui, |ui| {
            ui.label(format!(
                "Span {} · chars {}–{}",
                span.id, span.start, span.end
            ));
            if let Some(d) = ws.project.document(span.doc) {
                ui.label(
                    RichText::new(format!("“{}”", excerpt(&span.quote(&d.text), 200))).italics(),
                );
            }
            ui.horizontal_wrapped(|ui| {
                ui.label("Label:");
                for l in ws.project.labels() {
                    let c = Color32::from_rgb(l.color.0, l.color.1, l.color.2);
                    if ui
                        .selectable_label(span.label == l.id, RichText::new(&l.name).color(c))
                        .clicked()
                        && span.label != l.id
                    {
                        queue.push(UiCommand::Retag {
                            span: span.id,
                            label: l.id.clone(),
                        });
                    }
                }
            });
            if span.is_discontinuous() {
                fragments(ui, &span, queue);
            }
            super::attributes::attributes_editor(ui, ws, &span, queue);
            note_editor(ui, ws, &span, queue);
            source_entry(ui, ws, &span, queue);
            links(ui, ws, &span, queue);
            events(ui, ws, &span, queue);
            ui.horizontal(|ui| {
                let can_link = ws.cannot_start_link().is_none();
                command_button(ui, queue, can_link, "Link to source…", UiCommand::StartLink);
                command_button(
                    ui,
                    queue,
                    true,
                    "Delete span",
                    UiCommand::RemoveSpan(span.id),
                );
            });
        });
}

/// The fragments of a discontinuous span, each removable.
fn fragments(ui: &mut Ui, span: &Span, queue: &mut CommandQueue) {
    ui.label(format!("Fragments ({}):", span.fragments.len()));
    for (i, (a, b)) in span.fragments.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .small_button("✕")
                .on_hover_text("Remove this fragment")
                .clicked()
            {
                queue.push(UiCommand::RemoveFragment {
                    span: span.id,
                    index: i,
                });
            }
            ui.label(format!("{a}–{b}"));
        });
    }
}

/// The note field; the draft is kept on Enter, on Esc and when the field
/// loses focus.
fn note_editor(ui: &mut Ui, ws: &mut Workspace, span: &Span, queue: &mut CommandQueue) {
    let name = ui.label("Note:");
    let saved = span.note.clone().unwrap_or_default();
    let draft = match &mut ws.note_draft {
        Some((id, text)) if *id == span.id => text,
        other => &mut other.insert((span.id, saved.clone())).1,
    };
    let r = ui
        .add(
            egui::TextEdit::multiline(draft)
                .desired_rows(2)
                .hint_text("Add a note")
                .desired_width(f32::INFINITY)
                // Enter keeps the note; Shift+Enter starts a new line.
                .return_key(egui::KeyboardShortcut::new(
                    egui::Modifiers::SHIFT,
                    egui::Key::Enter,
                )),
        )
        .labelled_by(name.id);
    let r = r.on_hover_text(
        "Enter, Esc or leaving the field keeps the note; Shift+Enter starts a new line",
    );
    let enter = r.has_focus() && ui.input(crate::ui::key_events::plain_enter);
    if enter {
        r.surrender_focus();
    }
    if (enter || r.lost_focus()) && draft.trim() != saved.trim() {
        queue.push(UiCommand::SetNote {
            span: span.id,
            note: Some(draft.trim().to_string()),
        });
    }
}

/// A source span's registry entry, and the button (W) that changes it.
fn source_entry(ui: &mut Ui, ws: &Workspace, span: &Span, queue: &mut CommandQueue) {
    if !crate::model::registry::is_source_span(&ws.project, span.id) {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Source:");
        match ws
            .project
            .mention(span.id)
            .and_then(|e| ws.project.source(e))
        {
            Some(e) => {
                ui.label(egui::RichText::new(&e.name).strong());
                ui.label(egui::RichText::new(format!("{} · {}", e.identification, e.kind)).weak());
            }
            None => {
                ui.label(egui::RichText::new("not assigned").italics());
            }
        }
        if ui.small_button("Who? (W)").clicked() {
            queue.push(UiCommand::PickSource);
        }
    });
}

/// The span's links: ✕ removes one, clicking the text goes to the other end.
fn links(ui: &mut Ui, ws: &Workspace, span: &Span, queue: &mut CommandQueue) {
    ui.label("Links:");
    let mut any = false;
    for l in ws.project.links_of(span.id) {
        any = true;
        let (arrow, other) = if l.from == span.id {
            ("→", l.to)
        } else {
            ("←", l.from)
        };
        let other_text = other_excerpt(ws, other);
        ui.horizontal(|ui| {
            if ui.small_button("✕").on_hover_text("Remove link").clicked() {
                queue.push(UiCommand::RemoveLink(l.id));
            }
            // Truncated, never wider than the panel: a long row must not
            // widen the panel and re-wrap the article.
            let text = format!("{arrow} {} #{other}: “{other_text}”", l.kind);
            let color = ui.visuals().hyperlink_color;
            let link = egui::Label::new(RichText::new(text).color(color))
                .truncate()
                .sense(egui::Sense::click());
            if ui
                .add(link)
                .on_hover_text("Go to the linked span")
                .clicked()
            {
                queue.push(UiCommand::SelectSpan(Some(other)));
            }
        });
    }
    if !any {
        ui.label(RichText::new("none").weak());
    }
}

fn other_excerpt(ws: &Workspace, other: SpanId) -> String {
    ws.project
        .span(other)
        .and_then(|o| {
            ws.project
                .document(o.doc)
                .map(|d| excerpt(&o.quote(&d.text), 28))
        })
        .unwrap_or_default()
}
