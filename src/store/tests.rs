use super::*;
use crate::model::{Command, History, Project};
use std::path::Path;

fn sample() -> Project {
    let mut p = Project::new("Test “project”");
    let mut h = History::new();
    h.execute(
        &mut p,
        Command::AddDocument {
            title: "북한 article".into(),
            origin: Some("a.txt".into()),
            text: "“Quote,” said 북한 source 👩‍👩‍👧.\nSecond line e\u{301}.".into(),
        },
    )
    .unwrap();
    for (start, end, label) in [(0, 8, "claim"), (14, 16, "source"), (1, 6, "figure")] {
        h.execute(
            &mut p,
            Command::AddSpan {
                doc: DocId(1),
                label: LabelId(label.into()),
                start,
                end,
                note: Some("note with \"quotes\"\nand newline".into()),
                created: "2026-11-23T00:00:00Z".into(),
            },
        )
        .unwrap();
    }
    h.execute(
        &mut p,
        Command::AddLink {
            from: SpanId(1),
            to: SpanId(2),
            kind: "attributed_to".into(),
        },
    )
    .unwrap();
    p
}

#[test]
fn save_load_save_is_byte_identical() {
    let p = sample();
    let a = to_ron_string(&p).unwrap();
    let loaded = load_str(&a, Path::new("x.ron")).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project, p);
    assert_eq!(loaded.project.next_ids(), p.next_ids());
    let b = to_ron_string(&loaded.project).unwrap();
    assert_eq!(a, b);
    assert!(!a.contains('\r'));
    assert!(a.lines().nth(1).unwrap().trim_start().starts_with('('));
    assert!(
        a.lines()
            .nth(2)
            .unwrap()
            .trim_start()
            .starts_with("version: 1,")
    );
}

#[test]
fn each_span_sits_on_one_line_and_one_new_span_adds_one_line() {
    let mut p = sample();
    let before = to_ron_string(&p).unwrap();
    let span_lines = before
        .lines()
        .filter(|l| l.contains("\"2026-11-23T00:00:00Z\""))
        .count();
    assert_eq!(span_lines, 3);
    History::new()
        .execute(
            &mut p,
            Command::AddSpan {
                doc: DocId(1),
                label: LabelId("figure".into()),
                start: 20,
                end: 24,
                note: None,
                created: "2026-11-23T00:00:01Z".into(),
            },
        )
        .unwrap();
    let after = to_ron_string(&p).unwrap();
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    assert_eq!(new.len(), old.len() + 1);
    let changed = new.iter().filter(|l| !old.contains(l)).count();
    assert!(changed <= 2, "{changed} lines changed:\n{after}");
}

#[test]
fn bom_and_crlf_file_loads() {
    let text = to_ron_string(&sample()).unwrap().replace('\n', "\r\n");
    let with_bom = format!("\u{feff}{text}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.ron");
    std::fs::write(&path, with_bom).unwrap();
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.project, sample());
}

#[test]
fn newer_version_is_refused_before_parsing_the_body() {
    let text = "(version: 99, something_new: [1, 2, 3])";
    let err = load_str(text, Path::new("future.ron")).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }));
    assert!(msg.contains("future.ron") && msg.contains("99"), "{msg}");
}

#[test]
fn invalid_spans_are_reported_with_their_line() {
    let text = to_ron_string(&sample()).unwrap();
    let broken = text.replacen(
        "(2, 1, \"source\", 14, 16,",
        "(2, 1, \"source\", 14, 9999,",
        1,
    );
    assert_ne!(text, broken);
    let err = load_str(&broken, Path::new("bad.ron")).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("bad.ron") && msg.contains("span 2 (line"),
        "{msg}"
    );
    assert!(msg.contains("9999"), "{msg}");
    // The link to span 2 is reported too.
    assert!(msg.contains("link 1"), "{msg}");
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = load_str("(version: 1, name: ", Path::new("t.ron")).unwrap_err();
    assert!(matches!(err, StoreError::Syntax { line: 1, .. }), "{err}");
    let err = load_str("[1, 2]", Path::new("t.ron")).unwrap_err();
    assert!(matches!(err, StoreError::NoVersion(_)), "{err}");
}

#[test]
fn atomic_save_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut p = sample();
    save(&p, &path).unwrap();
    let first = std::fs::read(&path).unwrap();
    History::new()
        .execute(&mut p, Command::RenameProject("Renamed".into()))
        .unwrap();
    save(&p, &path).unwrap();
    let bak = std::fs::read(dir.path().join("p.ron.bak")).unwrap();
    assert_eq!(bak, first);
    assert_eq!(load(&path).unwrap().project.name(), "Renamed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn version_probe_skips_comments_and_struct_names() {
    assert_eq!(
        probe_version("// c\n/* b */ Project( version : 3, x: 1)"),
        Some(3)
    );
    assert_eq!(probe_version("(name: \"x\", version: 1)"), None);
}
