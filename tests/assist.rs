//! The suggestion rules' quality on the hand-annotated sample project, and
//! the `search` / `suggest` commands.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use marginalia::assist::suggest::quality;
use std::path::Path;
use std::process::Command;

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron")
}

/// The issue's targets: figures recall ≥ 85% with precision ≥ 70%;
/// sources recall ≥ 70% with precision ≥ 60% (a hit covers at least half
/// of the annotated text).
#[test]
fn quality_on_the_sample_project_meets_the_targets() {
    let p = marginalia::store::load(&sample()).unwrap().project;
    let q = quality(&p);
    let rate = |label: &str| {
        let (n, right, gold, hit) = q.labels[label];
        (right as f64 / n as f64, hit as f64 / gold as f64)
    };
    let (fp, fr) = rate("figure");
    let (sp, sr) = rate("source");
    assert!(
        fr >= 0.85 && fp >= 0.70,
        "figures: precision {fp:.2}, recall {fr:.2}"
    );
    assert!(
        sr >= 0.70 && sp >= 0.60,
        "sources: precision {sp:.2}, recall {sr:.2}"
    );
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn search_and_suggest_print_the_documented_json() {
    let path = sample();
    let p = path.to_str().unwrap();
    let out = cli(&["search", p, "Daily NK", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let matches = v["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 12);
    assert_eq!(matches[0]["text"], "Daily NK");
    for key in ["document", "start", "end"] {
        assert!(matches[0][key].is_u64(), "{key}");
    }
    // Regex, case and document filters; nothing found exits 1.
    let out = cli(&[
        "search",
        p,
        r"RMB [\d,]+",
        "--regex",
        "--doc",
        "2",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        cli(&["search", p, "daily nk", "--case-sensitive"])
            .status
            .code(),
        Some(1)
    );
    let bad = cli(&["search", p, "(", "--regex"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unclosed"));

    // On a copy with no spans, suggest lists figures and sources; --apply
    // tags them and the list is then empty.
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.ron");
    let text = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects/articles/nk-workers-china-quarantine.txt");
    assert!(
        cli(&["new", fresh.to_str().unwrap(), text.to_str().unwrap()])
            .status
            .success()
    );
    let f = fresh.to_str().unwrap();
    let out = cli(&["suggest", f, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v["suggestions"].as_array().unwrap();
    assert!(list.len() >= 20, "{}", list.len());
    for key in ["document", "label", "start", "end", "text", "rule"] {
        assert!(!list[0][key].is_null(), "{key}");
    }
    let only_sources = cli(&["suggest", f, "--label", "source", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&only_sources.stdout).unwrap();
    assert!(
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["label"] == "source")
    );
    assert!(cli(&["suggest", f, "--apply"]).status.success());
    let out = cli(&["suggest", f, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 0);
}
