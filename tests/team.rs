//! Team work: agreement against bratiaa's own regression figures, and the
//! three-way merge (library, CLI and a real git repository).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use marginalia::formats::{self, ImportFormat};
use marginalia::model::{Command, History, Project};
use marginalia::team::agree::{Mode, Score, agree};
use std::path::{Path, PathBuf};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

/// A project holding one annotator's brat folder, with no labels but the
/// folder's (bratiaa takes labels from annotation.conf alone).
fn annotator(folder: &Path) -> Project {
    let mut p = Project::new("a");
    let mut h = History::new();
    for l in p.labels().to_vec() {
        h.execute(&mut p, Command::RemoveLabel(l.id)).unwrap();
    }
    let (command, report) = formats::import(&p, ImportFormat::Brat, folder).unwrap();
    assert!(report.skipped.is_empty(), "{report}");
    h.execute(&mut p, command).unwrap();
    p
}

fn bratiaa_example() -> Vec<(String, Project)> {
    ["Lisa", "Maria", "Max", "Peter"]
        .iter()
        .map(|a| {
            let p = annotator(&data("bratiaa/example-project").join(a));
            (a.to_string(), p)
        })
        .collect()
}

fn close(score: Score, mean: f64, sd: f64, what: &str) {
    let (m, s) = (score.mean.unwrap(), score.sd.unwrap());
    assert!((m - mean).abs() < 1e-6, "{what}: mean {m} ≠ bratiaa's {mean}");
    assert!((s - sd).abs() < 1e-6, "{what}: sd {s} ≠ bratiaa's {sd}");
}

/// bratiaa 0.1.4's regression figures on its example project (4 annotators,
/// 7 documents), `tests/bratiaa/test_agree_regression.py`, to 1e-6.
#[test]
fn agreement_reproduces_bratiaas_example_figures() {
    let projects = bratiaa_example();
    let refs: Vec<(String, &Project)> = projects.iter().map(|(n, p)| (n.clone(), p)).collect();

    let inst = agree(&refs, Mode::Instance).unwrap();
    assert_eq!(inst.pairs.len(), 6);
    close(inst.total, 0.8903501, 0.0526314, "instance total");
    let labels = [
        ("LOC", 0.8191061, 0.13102913),
        ("MISC", 0.84004593, 0.08971284),
        ("ORG", 0.9059579, 0.05325575),
        ("PER", 0.93782234, 0.03875493),
    ];
    assert_eq!(inst.labels.len(), 4);
    for ((id, mean, sd), row) in labels.iter().zip(&inst.labels) {
        assert_eq!(row.key, *id);
        close(row.score, *mean, *sd, id);
    }
    // Pair totals (tp, |A|+|B|) as bratiaa counts them, Lisa–Maria first.
    assert_eq!(
        inst.pair_counts,
        vec![
            (382, 808),
            (333, 762),
            (386, 805),
            (311, 762),
            (366, 805),
            (318, 759)
        ]
    );
    // Documents, by bratiaa's file names: our rows are titled, so find each
    // by its figures' position in the first project's order.
    let doc_means: Vec<f64> = inst
        .documents
        .iter()
        .map(|r| r.score.mean.unwrap())
        .collect();
    for want in [
        0.79807203, 0.89395898, 0.90550807, 0.90580505, 0.93571596, 0.90673964, 0.87339767,
    ] {
        assert!(
            doc_means.iter().any(|m| (m - want).abs() < 1e-6),
            "no document with mean {want}: {doc_means:?}"
        );
    }

    let tok = agree(&refs, Mode::Token).unwrap();
    close(tok.total, 0.9639787, 0.01498979, "token total");
    let labels = [
        ("LOC", 0.963268, 0.012501),
        ("MISC", 0.918178, 0.044941),
        ("ORG", 0.972434, 0.015136),
        ("PER", 0.982987, 0.006485),
    ];
    for ((id, mean, sd), row) in labels.iter().zip(&tok.labels) {
        assert_eq!(row.key, *id);
        let (m, s) = (row.score.mean.unwrap(), row.score.sd.unwrap());
        // bratiaa asserts these arrays to 6 decimals.
        assert!((m - mean).abs() < 1e-6 && (s - sd).abs() < 1e-6, "{id}: {m} {s}");
    }
    assert_eq!(
        tok.pair_counts,
        vec![
            (637, 1309),
            (648, 1311),
            (625, 1295),
            (637, 1324),
            (615, 1308),
            (625, 1310)
        ]
    );
}

/// An undefined F1 (no spans of a label from either member of a pair) is
/// null in the JSON, and links are scored over (from, to, type).
#[test]
fn undefined_rows_are_null_and_links_are_scored() {
    let text = "Prices rose 10% said the minister and the mayor.";
    let make = |link_to_mayor: bool| {
        let mut p = Project::new("a");
        let mut h = History::new();
        let doc = h
            .execute(
                &mut p,
                Command::AddDocument {
                    title: "t".into(),
                    origin: None,
                    text: text.into(),
                },
            )
            .unwrap()
            .documents[0];
        let mut tag = |label: &str, a: usize, b: usize| {
            h.execute(
                &mut p,
                Command::AddSpan {
                    doc,
                    label: marginalia::model::LabelId(label.into()),
                    start: a,
                    end: b,
                    note: None,
                    created: "2026-01-01T00:00:00Z".into(),
                },
            )
            .unwrap()
            .spans[0]
        };
        let fig = tag("figure", 12, 15);
        let minister = tag("source", 16, 32);
        let mayor = tag("source", 37, 46);
        let to = if link_to_mayor { mayor } else { minister };
        h.execute(
            &mut p,
            Command::AddLink {
                from: fig,
                to,
                kind: "attributed_to".into(),
            },
        )
        .unwrap();
        p
    };
    let (a, b) = (make(false), make(true));
    let result = agree(&[("a".into(), &a), ("b".into(), &b)], Mode::Instance).unwrap();
    let json = result.to_json();
    assert_eq!(json["mode"], "instance");
    assert_eq!(json["annotators"], 2);
    assert_eq!(json["pairs"], 1);
    assert_eq!(json["total"]["mean"], 1.0);
    assert!(json["labels"]["claim"]["mean"].is_null(), "{json}");
    assert_eq!(json["labels"]["figure"]["name"], "Figure");
    assert_eq!(json["documents"]["t"]["mean"], 1.0);
    assert_eq!(json["links"]["mean"], 0.0, "the links point at different sources");
    let same = agree(&[("a".into(), &a), ("b".into(), &a)], Mode::Instance).unwrap();
    assert_eq!(same.links.mean, Some(1.0));
}
