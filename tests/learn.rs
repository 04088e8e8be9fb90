//! Learned suggestions through the real binary: `learn --json` keyed as
//! promised, and `suggest --learned --min-score` giving the taggers' spans
//! with rule "learned" and a score.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> Value {
    let o = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

#[test]
fn learn_reports_each_label_and_suggest_gives_learned_spans() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron"),
        &p,
    )
    .unwrap();
    let p = p.to_str().unwrap();
    // Both articles done: two training articles, held out in turn.
    for doc in ["1", "2"] {
        Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .args(["status", p, doc, "done"])
            .output()
            .unwrap();
    }
    let report = run(&["learn", p, "--json"]);
    let labels = report["labels"].as_array().unwrap();
    let names: Vec<&str> = labels
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["claim", "figure", "source"]);
    let mut keys: Vec<&str> = labels[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "f1",
            "label",
            "precision",
            "recall",
            "threshold",
            "train_docs",
            "train_ms",
            "train_spans"
        ]
    );
    assert_eq!(labels[0]["train_docs"], 2);
    assert_eq!(labels[0]["train_spans"], 62);
    // Every learned suggestion at score 0 or more, none already tagged.
    let all = run(&["suggest", p, "--learned", "--min-score", "0", "--json"]);
    let list = all["suggestions"].as_array().unwrap();
    assert!(list.iter().all(|s| s["rule"] == "learned"));
    assert!(list.iter().all(|s| s["score"].as_f64().unwrap() >= 0.0));
    // A higher bar shows fewer.
    let strict = run(&["suggest", p, "--learned", "--min-score", "0.99", "--json"]);
    assert!(strict["suggestions"].as_array().unwrap().len() <= list.len());
    // Out of range is refused.
    let o = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["suggest", p, "--min-score", "2"])
        .output()
        .unwrap();
    assert!(!o.status.success());
}
