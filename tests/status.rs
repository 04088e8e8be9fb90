//! Article status: new → in progress on the first edit by hand, done and
//! skipped set by hand; saved, merged field by field, exported, and read
//! and set from the command line.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use marginalia::model::{Alternative, Command, DocId, DocStatus, History, LabelId, Project};
use marginalia::team::merge::merge;
use std::process::Command as Process;

const TEXT: &str = "A China-based source told Daily NK on Sunday that 300 workers left.";

fn two_articles() -> Project {
    let mut p = Project::new("status");
    let mut h = History::new();
    for t in ["one", "two"] {
        h.execute(
            &mut p,
            Command::AddDocument {
                title: t.into(),
                origin: None,
                text: format!("{t}: {TEXT}"),
            },
        )
        .unwrap();
    }
    p
}

fn tag(doc: DocId) -> Command {
    Command::AddSpan {
        doc,
        label: LabelId("figure".into()),
        start: 55,
        end: 58,
        note: None,
        created: "2026-12-06T00:00:00Z".into(),
    }
}

fn status(p: &Project, doc: u64) -> DocStatus {
    p.document(DocId(doc)).unwrap().status
}

#[test]
fn the_first_edit_by_hand_starts_an_article_and_undo_takes_it_back() {
    let mut p = two_articles();
    let mut h = History::new();
    assert_eq!(status(&p, 1), DocStatus::New);
    h.execute_by_hand(&mut p, tag(DocId(1))).unwrap();
    assert_eq!(status(&p, 1), DocStatus::InProgress);
    assert_eq!(
        status(&p, 2),
        DocStatus::New,
        "the other article is untouched"
    );
    h.undo(&mut p).unwrap();
    assert_eq!(
        status(&p, 1),
        DocStatus::New,
        "one undo step, status included"
    );
    assert_eq!(p.spans().count(), 0);
    h.redo(&mut p).unwrap();
    assert_eq!(status(&p, 1), DocStatus::InProgress);
    // Done stays done through later edits.
    h.execute_by_hand(
        &mut p,
        Command::SetDocumentStatus(DocId(1), DocStatus::Done),
    )
    .unwrap();
    let id = p.spans().next().unwrap().id;
    h.execute_by_hand(&mut p, Command::RemoveSpan(id)).unwrap();
    assert_eq!(status(&p, 1), DocStatus::Done);
    // Deleting a span in a new article starts it too (read from the inverse).
    let mut q = two_articles();
    History::new().execute(&mut q, tag(DocId(2))).unwrap();
    assert_eq!(
        status(&q, 2),
        DocStatus::New,
        "a plain execute marks nothing"
    );
    let id = q.spans().next().unwrap().id;
    History::new()
        .execute_by_hand(&mut q, Command::RemoveSpan(id))
        .unwrap();
    assert_eq!(status(&q, 2), DocStatus::InProgress);
}

#[test]
fn an_article_added_with_its_spans_stays_new() {
    let mut p = Project::new("p");
    let mut h = History::new();
    let add = Command::AddDocument {
        title: "t".into(),
        origin: None,
        text: TEXT.into(),
    };
    h.execute_by_hand(
        &mut p,
        Command::Group("import".into(), vec![add, tag(DocId(1))]),
    )
    .unwrap();
    assert_eq!(p.spans().count(), 1);
    assert_eq!(status(&p, 1), DocStatus::New);
}

#[test]
fn status_is_saved_and_an_older_file_opens_with_every_article_new() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut p = two_articles();
    let mut h = History::new();
    h.execute(
        &mut p,
        Command::SetDocumentStatus(DocId(2), DocStatus::Skipped),
    )
    .unwrap();
    marginalia::store::save(&p, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("status: skipped"), "{text}");
    assert_eq!(
        text.matches("status:").count(),
        1,
        "new is the default, left out"
    );
    let back = marginalia::store::load(&path).unwrap().project;
    assert_eq!(back, p);
    let v2 = marginalia::store::load(std::path::Path::new(
        "tests/data/v2/daily-nk-workers-v2.ron",
    ))
    .unwrap()
    .project;
    assert!(v2.documents().all(|d| d.status == DocStatus::New));
}

#[test]
fn merge_takes_each_sides_status_and_keeps_a_clash_as_a_conflict() {
    let base = two_articles();
    let set = |p: &Project, doc: u64, s: DocStatus| {
        let mut q = p.clone();
        History::new()
            .execute(&mut q, Command::SetDocumentStatus(DocId(doc), s))
            .unwrap();
        q
    };
    // Ours finished article 1, theirs skipped article 2: both kept.
    let ours = set(&base, 1, DocStatus::Done);
    let theirs = set(&base, 2, DocStatus::Skipped);
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.new_conflicts, 0, "{:?}", m.notes);
    assert_eq!(status(&m.project, 1), DocStatus::Done);
    assert_eq!(status(&m.project, 2), DocStatus::Skipped);
    // Both changed article 1 differently: ours stands, theirs is kept.
    let theirs = set(&base, 1, DocStatus::Skipped);
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.new_conflicts, 1);
    assert_eq!(status(&m.project, 1), DocStatus::Done);
    let c = &m.project.conflicts()[0];
    assert_eq!(c.fields, ["status"]);
    assert_eq!(c.other, Alternative::Status(DocId(1), DocStatus::Skipped));
    // The conflict survives a save and settles to theirs.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.ron");
    marginalia::store::save(&m.project, &path).unwrap();
    let mut back = marginalia::store::load(&path).unwrap().project;
    assert_eq!(back, m.project);
    History::new()
        .execute(
            &mut back,
            Command::ResolveConflict {
                index: 0,
                take: marginalia::model::Side::Theirs,
            },
        )
        .unwrap();
    assert_eq!(status(&back, 1), DocStatus::Skipped);
    assert!(back.conflicts().is_empty());
}

fn bin() -> Process {
    Process::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn out(args: &[&str]) -> (Option<i32>, String, String) {
    let o = bin().args(args).output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn status_from_the_command_line_and_in_stats_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    marginalia::store::save(&two_articles(), &path).unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(out(&["status", p, "1"]).1, "new\n");
    let (code, _, err) = out(&[
        "tag", p, "--doc", "1", "--label", "figure", "--quote", "300",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out(&["status", p, "1"]).1, "in-progress\n");
    assert_eq!(out(&["status", p, "two", "done"]).1, "done\n");
    assert_eq!(out(&["status", p, "2"]).1, "done\n");
    let (code, _, err) = out(&["status", p, "2", "finished"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("in-progress"), "{err}");
    let (code, _, err) = out(&["status", p, "9"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no document"), "{err}");

    let stats: serde_json::Value = serde_json::from_str(&out(&["stats", p, "--json"]).1).unwrap();
    assert_eq!(
        stats["status"],
        serde_json::json!({"new": 0, "in-progress": 1, "done": 1, "skipped": 0})
    );
    assert_eq!(stats["per_document"][0]["status"], "in-progress");
    assert_eq!(stats["per_document"][1]["status"], "done");

    let csv = dir.path().join("s.csv");
    out(&["export", p, "--format", "csv", "-o", csv.to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = header.iter().position(|h| h == "status").unwrap();
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][col], "in-progress");

    let json = dir.path().join("p.json");
    out(&[
        "export",
        p,
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["documents"][1]["status"], "done");
    // The JSON import reads it back.
    let again = dir.path().join("again.ron");
    out(&["new", again.to_str().unwrap()]);
    let (code, _, err) = out(&[
        "import",
        again.to_str().unwrap(),
        "--format",
        "json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let back = marginalia::store::load(&again).unwrap().project;
    assert_eq!(status(&back, 2), DocStatus::Done);
}
