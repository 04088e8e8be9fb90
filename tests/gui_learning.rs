//! Learned suggestions in the real app: training runs in the background
//! while the analyst edits, the Learning panel shows the scores, and
//! learned suggestions are accepted with G and A like the rules'.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::model::{Command, DocId, DocStatus, History, LabelId, LearnedSetting, Project};
use marginalia::ui::commands::UiCommand;
use marginalia::ui::learning::Gate;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The sample with both articles done (what the taggers learn from) and a
/// third, new article: the second article's text, untagged.
fn trained_sample(root: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let mut p: Project = marginalia::store::load(&src).unwrap().project;
    let text = p.document(DocId(2)).unwrap().text.as_str().to_string();
    let mut h = History::new();
    for d in [1, 2] {
        h.execute(
            &mut p,
            Command::SetDocumentStatus(DocId(d), DocStatus::Done),
        )
        .unwrap();
    }
    h.execute(
        &mut p,
        Command::AddDocument {
            title: "untagged copy".into(),
            origin: None,
            text,
        },
    )
    .unwrap();
    let path = root.join("learn.ron");
    marginalia::store::save(&p, &path).unwrap();
    path
}

fn open_gate(gate: &Gate) {
    let (open, cv) = &**gate;
    *open.lock().unwrap() = true;
    cv.notify_all();
}

/// Learned claim suggestions pending on the shown article.
fn learned_pending(h: &egui_kittest::Harness<'_, marginalia::ui::App>) -> usize {
    let ws = h.state().ws.as_ref().unwrap();
    let list = ws.suggestions.list();
    list.items
        .iter()
        .filter(|c| {
            let r = &list.rules[usize::from(c.rule)];
            r.name == "learned" && r.label.as_str() == "claim"
        })
        .filter(|c| list.is_pending(&ws.project, c))
        .count()
}

#[test]
fn the_window_edits_while_training_runs_then_learned_suggestions_are_accepted_with_a() {
    let dir = tempfile::tempdir().unwrap();
    let gate: Gate = Arc::new(Default::default());
    let mut opts = options(dir.path(), Some(trained_sample(dir.path())));
    opts.learn_gate = Some(gate.clone());
    let mut h = harness(opts);
    step_until(&mut h, "open", |a| a.ws.is_some());
    step_until(&mut h, "training starts", |a| {
        a.ws.as_ref().unwrap().learning.is_running()
    });

    // The run is held: the window goes on, and edits land at once.
    let claim = LabelId("claim".into());
    let started = Instant::now();
    run(&mut h, UiCommand::ShowDocument(DocId(3)));
    let before = project(&h).spans().count();
    run(
        &mut h,
        UiCommand::TagRange {
            doc: DocId(3),
            label: claim.clone(),
            start: 0,
            end: 5,
        },
    );
    for _ in 0..20 {
        h.step();
    }
    assert_eq!(project(&h).spans().count(), before + 1);
    assert!(h.state().ws.as_ref().unwrap().learning.is_running());
    assert!(h.state().ws.as_ref().unwrap().learning.trained().is_none());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the frames waited for training: {:?}",
        started.elapsed()
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(project(&h).spans().count(), before);

    // The Learning panel says it is training, then shows the scores.
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::M);
    assert!(
        h.query_all_by_label_contains("Training in the background")
            .count()
            >= 1
    );
    open_gate(&gate);
    step_until(&mut h, "training ends", |a| {
        a.ws.as_ref().unwrap().learning.trained().is_some()
    });
    assert!(h.query_all_by_label_contains("Trained").count() >= 1);
    let t = h
        .state()
        .ws
        .as_ref()
        .unwrap()
        .learning
        .trained()
        .unwrap()
        .clone();
    let claims = t
        .taggers
        .iter()
        .find(|(_, r)| r.label == claim)
        .map(|(_, r)| r.clone())
        .unwrap();
    assert_eq!(claims.train_docs, 2);
    assert!(claims.precision.is_some());
    assert!(
        h.query_all_by_label_contains("Claim threshold").count() == 1,
        "a threshold slider per learned label"
    );

    // Shown from any confidence: the copy's claims are suggested.
    run(
        &mut h,
        UiCommand::SetLearned(
            claim.clone(),
            LearnedSetting {
                off: false,
                min_score: Some(0),
            },
        ),
    );
    step_until(&mut h, "learned suggestions", |a| {
        let ws = a.ws.as_ref().unwrap();
        ws.suggestions
            .list()
            .rules
            .iter()
            .any(|r| r.name == "learned")
    });
    // Only what the analyst set: opening the panel changed nothing.
    assert_eq!(project(&h).settings().learned.len(), 1);
    let pending = learned_pending(&h);
    assert!(pending > 0, "no learned suggestion on the untagged copy");
    // G steps to one (rules' and learned alike); A accepts it as a claim.
    let claims_before = project(&h)
        .spans_in(DocId(3))
        .filter(|s| s.label == claim)
        .count();
    let mut accepted = false;
    for _ in 0..80 {
        press(&mut h, Modifiers::NONE, Key::G);
        let origin = h.state().ws.as_ref().unwrap().suggestions.current_origin();
        let on_claim = h
            .state()
            .ws
            .as_ref()
            .unwrap()
            .suggestions
            .current
            .as_ref()
            .is_some_and(|(_, _, l)| *l == claim);
        if on_claim
            && origin
                .as_deref()
                .is_some_and(|o| o.starts_with("learned · "))
        {
            assert!(
                h.query_all_by_label_contains("learned · ").count() >= 1,
                "the status bar names where the suggestion comes from"
            );
            press(&mut h, Modifiers::NONE, Key::A);
            accepted = true;
            break;
        }
    }
    assert!(accepted, "G never reached a learned suggestion");
    let claims_after = project(&h)
        .spans_in(DocId(3))
        .filter(|s| s.label == claim)
        .count();
    assert_eq!(claims_after, claims_before + 1);
    assert_eq!(learned_pending(&h), pending - 1);

    // The switch hides them; undo brings them back.
    run(
        &mut h,
        UiCommand::SetLearned(
            claim.clone(),
            LearnedSetting {
                off: true,
                min_score: Some(0),
            },
        ),
    );
    h.step();
    assert_eq!(learned_pending(&h), 0);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.step();
    assert_eq!(learned_pending(&h), pending - 1);
}
