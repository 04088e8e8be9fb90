//! Nothing changes behind the analyst's back: what an action also removes
//! is said, a second identical span is never stacked on the first.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::SpanId;
use marginalia::ui::commands::UiCommand;

#[test]
fn deleting_a_span_says_which_event_goes_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("brat");
    std::fs::create_dir_all(&brat).unwrap();
    std::fs::write(
        brat.join("a.txt"),
        "The mayor said the bridge will reopen in May.\n",
    )
    .unwrap();
    std::fs::write(
        brat.join("a.ann"),
        "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 44\tthe bridge will reopen in May\nT4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n",
    )
    .unwrap();
    let path = dir.path().join("p.ron");
    let cli = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    cli(&["new", path.to_str().unwrap()]);
    cli(&[
        "import",
        path.to_str().unwrap(),
        "--format",
        "brat",
        brat.to_str().unwrap(),
    ]);
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the project to open", |a| a.ws.is_some());
    let trigger = project(&h)
        .spans()
        .find(|s| s.label.as_str() == "Attribution")
        .unwrap()
        .id;
    run(&mut h, UiCommand::SelectSpan(Some(trigger)));
    h.key_press(Key::Delete);
    h.step();
    h.step();
    let p = project(&h);
    assert!(p.span(trigger).is_none());
    assert_eq!(p.events().count(), 0);
    let notice = h.state().notices.last().map(|n| n.text.clone());
    assert_eq!(
        notice.as_deref(),
        Some(&*format!(
            "Deleted Attribution #{trigger}; also removed Attribution event #1 with 3 arguments (Ctrl+Z brings them back)."
        ))
    );
    h.get_by_label_contains("also removed Attribution event #1");
    common::press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        project(&h).events().count(),
        1,
        "undo brings the event back"
    );
}

#[test]
fn tagging_a_span_again_selects_it_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    // Claim #1 covers 61..138 of the first article: select that text.
    let claim = project(&h).span(SpanId(1)).unwrap().clone();
    assert_eq!(claim.label.as_str(), "claim");
    run(&mut h, UiCommand::SelectSpan(None));
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection {
        anchor: claim.start,
        head: claim.end,
        exact: true,
    });
    let spans = project(&h).spans().count();
    type_key(&mut h, Key::Num1, "1");
    assert_eq!(project(&h).spans().count(), spans, "no twin was stacked");
    assert_eq!(selected(&h), Some(SpanId(1)));
    assert!(!h.state().ws.as_ref().unwrap().is_dirty());
    h.get_by_label_contains("Claim #1 already covers exactly this text");
}

#[test]
fn tag_all_skips_matches_inside_a_span_of_the_label() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "the sample to open", |a| a.ws.is_some());
    let p = project(&h);
    // "Daily NK" occurs inside source attributions ("… told Daily NK").
    let inside = p
        .spans()
        .filter(|s| s.label.as_str() == "source")
        .filter(|s| {
            p.document(s.doc)
                .unwrap()
                .text
                .slice(s.start..s.end)
                .contains("Daily NK")
        })
        .count();
    assert!(inside > 0);
    run(&mut h, UiCommand::OpenFind);
    h.state_mut()
        .ws
        .as_mut()
        .unwrap()
        .find
        .as_mut()
        .unwrap()
        .query
        .pattern = "Daily NK".into();
    run(&mut h, UiCommand::FindChanged);
    step_until(&mut h, "the matches", |a| {
        a.ws.as_ref()
            .unwrap()
            .find
            .as_ref()
            .is_some_and(|f| !f.matches.is_empty())
    });
    let matches = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .find
        .as_ref()
        .unwrap()
        .matches
        .clone();
    let outside = matches
        .iter()
        .filter(|m| {
            !p.spans_overlapping(m.doc, m.start..m.end)
                .iter()
                .any(|s| s.label.as_str() == "source" && s.start <= m.start && m.end <= s.end)
        })
        .count();
    assert!(outside < matches.len(), "some matches lie inside sources");
    let before = project(&h).spans().count();
    run(
        &mut h,
        UiCommand::TagAllMatches(marginalia::model::LabelId("source".into())),
    );
    assert_eq!(project(&h).spans().count(), before + outside);
    assert!(project(&h).duplicate_spans().is_empty());
}

/// A label whose key is also a command key (a file written elsewhere):
/// the command runs, the label does not tag as well.
#[test]
fn a_command_key_never_also_tags() {
    use marginalia::model::{Command, History, Label, LabelId, Project, Rgb};
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::with_labels(
        "keys",
        vec![Label::new(
            LabelId("person".into()),
            "Person",
            Rgb(1, 2, 3),
            Some('l'),
        )],
    );
    History::new()
        .execute(
            &mut p,
            Command::AddDocument {
                title: "a".into(),
                origin: None,
                text: "Kim Jong Un said so.".into(),
            },
        )
        .unwrap();
    let path = dir.path().join("keys.ron");
    marginalia::store::save(&p, &path).unwrap();
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    view(&mut h).selection = Some(marginalia::ui::text_view::Selection {
        anchor: 0,
        head: 10,
        exact: true,
    });
    type_key(&mut h, Key::L, "l");
    assert_eq!(project(&h).spans().count(), 0, "L did not tag");
}

/// Delete a span, let the recovery file be written, undo back to the saved
/// state: the recovery file goes, and a crash then offers nothing. A
/// snapshot that does differ is described against the saved file.
#[test]
fn recovery_offers_only_real_unsaved_work_and_says_what_differs() {
    use marginalia::ui::files::recovery_path_for;
    use marginalia::ui::modals::Modal;
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let rec = recovery_path_for(&path);
    {
        let mut h = harness(options(dir.path(), Some(path.clone())));
        step_until(&mut h, "open", |a| a.ws.is_some());
        run(&mut h, UiCommand::SelectSpan(Some(SpanId(5))));
        h.key_press(Key::Delete);
        h.step();
        step_until(&mut h, "the recovery file", |_| rec.exists());
        common::press(&mut h, Modifiers::COMMAND, Key::Z);
        assert!(!h.state().ws.as_ref().unwrap().is_dirty());
        step_until(&mut h, "the stale recovery file to go", |_| !rec.exists());
        // The window is killed here: no clean exit.
    }
    {
        let mut h = harness(options(dir.path(), Some(path.clone())));
        step_until(&mut h, "open", |a| a.ws.is_some());
        assert!(h.state().modal.is_none(), "nothing to recover");
        run(&mut h, UiCommand::SelectSpan(Some(SpanId(5))));
        h.key_press(Key::Delete);
        h.step();
        step_until(&mut h, "the recovery file", |_| rec.exists());
    }
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    assert!(matches!(h.state().modal, Some(Modal::Recover(_))));
    // Span 5 is a source with 3 links (the article was already in
    // progress: its status did not change).
    h.get_by_label_contains("Against the saved file: 1 span removed, 3 links removed");

    // A stale snapshot (the same as the saved file) left by an older
    // version is not offered, and goes.
    drop(h);
    std::fs::copy(&path, &rec).unwrap();
    let mut h = harness(options(dir.path(), Some(path.clone())));
    step_until(&mut h, "open", |a| a.ws.is_some());
    assert!(h.state().modal.is_none());
    assert!(!rec.exists());
}

/// The value field takes "2,000" and a range "2,000–3,000" (both ends
/// kept), in the details panel and in the V editor.
#[test]
fn figure_values_as_analysts_write_them() {
    use marginalia::model::{Command, History, LabelId, Project};
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::new("figures");
    let mut h0 = History::new();
    h0.execute(
        &mut p,
        Command::AddDocument {
            title: "a".into(),
            origin: None,
            text: "Fees rose to RMB 2,000–3,000 a month.".into(),
        },
    )
    .unwrap();
    let fig = h0
        .execute(
            &mut p,
            Command::AddSpan {
                doc: marginalia::model::DocId(1),
                label: LabelId("figure".into()),
                start: 13,
                end: 28,
                note: None,
                created: "2026-01-01T00:00:00Z".into(),
            },
        )
        .unwrap()
        .spans[0];
    let path = dir.path().join("figures.ron");
    marginalia::store::save(&p, &path).unwrap();
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::SelectSpan(Some(fig)));
    // The details panel's value field.
    h.get_by_label("value").focus();
    h.step();
    h.get_by_label("value").type_text("2,000");
    h.step();
    h.key_press(Key::Enter);
    h.step();
    h.step();
    let value = |h: &egui_kittest::Harness<'_, marginalia::ui::app::App>, k: &str| {
        project(h).span(fig).unwrap().attrs.get(k).cloned()
    };
    assert_eq!(value(&h, "value").as_deref(), Some("2000"));
    // A range typed there fills both ends.
    h.get_by_label("value").focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("value").type_text("2,000-3,000");
    h.step();
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert_eq!(value(&h, "value").as_deref(), Some("2000"));
    assert_eq!(value(&h, "value_max").as_deref(), Some("3000"));
    common::press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(value(&h, "value_max"), None);
    // The V editor takes a range into both ends.
    common::press(&mut h, Modifiers::NONE, Key::V);
    assert!(matches!(
        h.state().modal,
        Some(marginalia::ui::modals::Modal::Attributes(_))
    ));
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.event(egui::Event::Text("2,000–3,000".into()));
    h.step();
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(h.state().modal.is_none());
    assert_eq!(value(&h, "value").as_deref(), Some("2000"));
    assert_eq!(value(&h, "value_max").as_deref(), Some("3000"));
}

/// A value marked "may be stale" says so in the details panel; Keep
/// confirms it (one undoable step) and the mark goes.
#[test]
fn a_stale_value_is_flagged_on_the_span_and_keep_clears_it() {
    use marginalia::model::{Command, Edit, History};
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut p = marginalia::store::load(&path).unwrap().project;
    History::new()
        .execute(
            &mut p,
            Command::Edits(
                "mark".into(),
                vec![Edit::SetStale(SpanId(37), "value".into(), true)],
            ),
        )
        .unwrap();
    marginalia::store::save(&p, &path).unwrap();
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    run(&mut h, UiCommand::SelectSpan(Some(SpanId(37))));
    h.get_by_label("⚠ may be stale");
    h.get_by_label("Keep").click();
    h.step();
    h.step();
    assert!(!project(&h).is_stale(SpanId(37), "value"));
    assert_eq!(
        project(&h)
            .span(SpanId(37))
            .unwrap()
            .attrs
            .get("value")
            .map(String::as_str),
        Some("10"),
        "the value is kept"
    );
    assert!(h.query_by_label("⚠ may be stale").is_none());
    common::press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(project(&h).is_stale(SpanId(37), "value"));
}

/// Project → Suggestion rules…: turning a rule set off is a project
/// setting (one undo step), and its suggestions go.
#[test]
fn a_rule_set_turned_off_suggests_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_copy(dir.path());
    let mut h = harness(options(dir.path(), Some(path)));
    step_until(&mut h, "open", |a| a.ws.is_some());
    let dates = |h: &egui_kittest::Harness<'_, marginalia::ui::app::App>| {
        let p = project(h);
        marginalia::assist::suggest::candidates(&p, marginalia::model::DocId(1))
            .rules
            .iter()
            .filter(|r| r.name == "date")
            .count()
    };
    assert_eq!(dates(&h), 1);
    run(&mut h, UiCommand::EditPatterns);
    h.get_by_label("Suggestion rules");
    h.get_by_label("date").click();
    for _ in 0..4 {
        h.step();
    }
    h.get_by_label("Apply").click();
    for _ in 0..4 {
        h.step();
    }
    assert!(h.state().modal.is_none());
    assert!(project(&h).settings().rules_off.contains("date"));
    assert_eq!(dates(&h), 0);
    common::press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(project(&h).settings().rules_off.is_empty());
}
