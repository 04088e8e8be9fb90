//! Team work: agreement against bratiaa's own regression figures, and the
//! three-way merge (library, CLI and a real git repository).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use marginalia::formats::{self, ImportFormat};
use marginalia::model::{Command, History, Project};
use marginalia::team::agree::{Mode, Score, agree};
use std::path::Path;

mod peers;

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

/// bratiaa's example project, one project per annotator; None (after a
/// notice) where `../shared/peers` is not here.
fn bratiaa_example() -> Option<Vec<(String, Project)>> {
    let root = peers::peer("bratiaa-example")?;
    Some(
        ["Lisa", "Maria", "Max", "Peter"]
            .iter()
            .map(|a| (a.to_string(), annotator(&root.join(a))))
            .collect(),
    )
}

fn close(score: Score, mean: f64, sd: f64, what: &str) {
    let (m, s) = (score.mean.unwrap(), score.sd.unwrap());
    assert!(
        (m - mean).abs() < 1e-6,
        "{what}: mean {m} ≠ bratiaa's {mean}"
    );
    assert!((s - sd).abs() < 1e-6, "{what}: sd {s} ≠ bratiaa's {sd}");
}

/// bratiaa 0.1.4's regression figures on its example project (4 annotators,
/// 7 documents), `tests/bratiaa/test_agree_regression.py`, to 1e-6.
#[test]
fn agreement_reproduces_bratiaas_example_figures() {
    let Some(projects) = bratiaa_example() else {
        return;
    };
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
        assert!(
            (m - mean).abs() < 1e-6 && (s - sd).abs() < 1e-6,
            "{id}: {m} {s}"
        );
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
    assert_eq!(
        json["links"]["mean"], 0.0,
        "the links point at different sources"
    );
    let same = agree(&[("a".into(), &a), ("b".into(), &a)], Mode::Instance).unwrap();
    assert_eq!(same.links.mean, Some(1.0));
}

// ---- merge ------------------------------------------------------------

use marginalia::model::{LabelId, Side, SpanId};
use marginalia::team::merge::merge;

fn sample() -> Project {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    marginalia::store::load(&path).unwrap().project
}

fn exec(p: &mut Project, c: Command) -> marginalia::model::Created {
    History::new().execute(p, c).unwrap()
}

fn tag(p: &mut Project, doc: u64, label: &str, start: usize, end: usize) -> SpanId {
    exec(
        p,
        Command::AddSpan {
            doc: marginalia::model::DocId(doc),
            label: LabelId(label.into()),
            start,
            end,
            note: None,
            created: "2026-11-24T00:00:00Z".into(),
        },
    )
    .spans[0]
}

fn ron(p: &Project) -> String {
    marginalia::store::to_ron_string(p).unwrap()
}

/// The registry merges like the rest: theirs' new entry (and its mention
/// by their new span) joins with a fresh id, theirs' re-assignment of a
/// span and rename of an entry apply where ours left them alone, and a
/// span both sides re-assigned differently keeps ours with a note.
#[test]
fn merge_carries_the_source_registry_and_mentions() {
    use marginalia::model::{Identification, SourceEntry, SourceId, SourceKind, registry};
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    // Ours: its own new entry, and span 17 re-assigned to entry 1.
    let (ours_new, c) = registry::add(
        &ours,
        SourceEntry::new(
            SourceId(0),
            "Ours",
            Identification::Named,
            SourceKind::Other,
        ),
    );
    exec(&mut ours, c);
    let c = registry::assign(&ours, SpanId(17), Some(SourceId(1)));
    exec(&mut ours, c);
    // Theirs: a new entry on a new span, entry 2 renamed, span 5 moved to
    // entry 4, span 17 moved to entry 4 too (against ours).
    let s = tag(&mut theirs, 1, "source", 0, 4);
    let (theirs_new, c) = registry::add(
        &theirs,
        SourceEntry::new(
            SourceId(0),
            "Theirs",
            Identification::Named,
            SourceKind::Media,
        ),
    );
    exec(&mut theirs, c);
    let c = registry::assign(&theirs, s, Some(theirs_new));
    exec(&mut theirs, c);
    let mut renamed = theirs.source(SourceId(2)).unwrap().clone();
    renamed.name = "Daily NK's sources (quarantine)".into();
    let c = registry::update(&theirs, renamed).unwrap();
    exec(&mut theirs, c);
    let c = registry::assign(&theirs, SpanId(5), Some(SourceId(4)));
    exec(&mut theirs, c);
    assert_eq!(base.mention(SpanId(17)), Some(SourceId(3)));
    let c = registry::assign(&theirs, SpanId(17), Some(SourceId(4)));
    exec(&mut theirs, c);
    let m = merge(&base, &ours, &theirs);
    let p = &m.project;
    assert_eq!(ours_new, theirs_new, "both sides handed out the same id");
    let theirs_entry = p.sources().find(|e| e.name == "Theirs").unwrap();
    assert_ne!(theirs_entry.id, ours_new, "theirs' entry gets a fresh id");
    assert_eq!(p.source(ours_new).unwrap().name, "Ours");
    let their_span = p
        .spans_in(marginalia::model::DocId(1))
        .find(|x| x.start == 0 && x.end == 4 && x.label.as_str() == "source")
        .unwrap()
        .id;
    assert_eq!(p.mention(their_span), Some(theirs_entry.id));
    assert_eq!(
        p.source(SourceId(2)).unwrap().name,
        "Daily NK's sources (quarantine)"
    );
    assert_eq!(p.mention(SpanId(5)), Some(SourceId(4)));
    assert_eq!(p.mention(SpanId(17)), Some(SourceId(1)), "ours stands");
    assert!(
        m.notes.iter().any(|n| n.contains("span 17: both sides")),
        "{:?}",
        m.notes
    );
    // The merged file round-trips.
    let again = marginalia::store::load_str(&ron(p), Path::new("m.ron")).unwrap();
    assert_eq!(&again.project, p);
}

/// Both sides tag, link and note different spans: everything is kept, the
/// new spans get distinct ids, and the result is deterministic.
#[test]
fn merge_keeps_both_sides_additions_with_fresh_ids() {
    let base = sample();
    let source = base
        .spans()
        .find(|s| s.label.as_str() == "source")
        .unwrap()
        .id;
    let claim = base
        .spans()
        .find(|s| s.label.as_str() == "claim")
        .unwrap()
        .id;
    let mut ours = base.clone();
    let a = tag(&mut ours, 1, "figure", 379, 391);
    exec(
        &mut ours,
        Command::AddLink {
            from: a,
            to: source,
            kind: "attributed_to".into(),
        },
    );
    exec(&mut ours, Command::SetNote(claim, Some("ours".into())));
    let mut theirs = base.clone();
    let b = tag(&mut theirs, 1, "claim", 394, 425);
    exec(
        &mut theirs,
        Command::AddLink {
            from: b,
            to: source,
            kind: "attributed_to".into(),
        },
    );
    let other = base.spans().nth(5).unwrap().id;
    exec(&mut theirs, Command::SetNote(other, Some("theirs".into())));
    assert_eq!(a, b, "both sides allocated the same new id");

    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.new_conflicts, 0, "{:?}", m.project.conflicts());
    assert!(m.notes.is_empty(), "{:?}", m.notes);
    let p = &m.project;
    assert_eq!(p.spans().len(), base.spans().len() + 2);
    assert_eq!(p.links().count(), base.links().count() + 2);
    assert_eq!(p.span(claim).unwrap().note.as_deref(), Some("ours"));
    assert_eq!(p.span(other).unwrap().note.as_deref(), Some("theirs"));
    let theirs_span = p.spans().find(|s| (s.start, s.end) == (394, 425)).unwrap();
    assert_ne!(theirs_span.id, a, "theirs' new span was renumbered");
    assert!(
        p.links()
            .any(|l| l.from == theirs_span.id && l.to == source)
    );
    // Deterministic, and the same merge from the other side holds the same
    // content (ids aside).
    assert_eq!(ron(p), ron(&merge(&base, &ours, &theirs).project));
    let flipped = merge(&base, &theirs, &ours).project;
    assert_eq!(flipped.spans().len(), p.spans().len());
}

/// The same change on both sides is taken once; deletions are applied.
#[test]
fn merge_takes_identical_changes_once_and_applies_deletions() {
    let base = sample();
    let gone = base.spans().nth(3).unwrap().id;
    let mut ours = base.clone();
    let mut theirs = base.clone();
    for p in [&mut ours, &mut theirs] {
        tag(p, 2, "figure", 270, 283);
        exec(p, Command::SetNote(gone, Some("same".into())));
    }
    let dropped = base.spans().nth(7).unwrap().id;
    exec(&mut theirs, Command::RemoveSpan(dropped));
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.new_conflicts, 0, "{:?}", m.project.conflicts());
    let p = &m.project;
    assert_eq!(
        p.spans()
            .filter(|s| s.doc.0 == 2 && (s.start, s.end) == (270, 283))
            .count(),
        base.spans()
            .filter(|s| s.doc.0 == 2 && (s.start, s.end) == (270, 283))
            .count()
            + 1,
        "one new span, not two"
    );
    assert_eq!(p.span(gone).unwrap().note.as_deref(), Some("same"));
    assert!(p.span(dropped).is_none(), "theirs' deletion applied");
    assert!(p.links().all(|l| l.from != dropped && l.to != dropped));
}

/// Retagging one span differently on both sides is a conflict: ours
/// stands, theirs is kept in the file, `check` says "conflict", and taking
/// theirs is one undoable command.
#[test]
fn conflicting_retags_are_recorded_and_settled_either_way() {
    let base = sample();
    let claim = base
        .spans()
        .find(|s| s.label.as_str() == "claim")
        .unwrap()
        .id;
    let mut ours = base.clone();
    exec(
        &mut ours,
        Command::RetagSpan(claim, LabelId("source".into())),
    );
    let mut theirs = base.clone();
    exec(
        &mut theirs,
        Command::RetagSpan(claim, LabelId("figure".into())),
    );
    exec(&mut theirs, Command::SetNote(claim, Some("theirs".into())));
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.new_conflicts, 1);
    let p = m.project;
    let span = p.span(claim).unwrap();
    assert_eq!(span.label.as_str(), "source", "ours stands");
    assert_eq!(
        span.note.as_deref(),
        Some("theirs"),
        "the clean field merged"
    );
    assert_eq!(p.conflicts()[0].fields, vec!["label".to_string()]);
    assert_eq!(p.conflicts()[0].standing, Side::Ours);
    // Through the file and back, nothing of the conflict is lost.
    let text = ron(&p);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.ron");
    std::fs::write(&path, &text).unwrap();
    let loaded = marginalia::store::load(&path).unwrap();
    assert_eq!(loaded.project, p);
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("conflict"));
    // Take theirs, then undo; take ours.
    let mut q = loaded.project;
    let mut h = History::new();
    h.execute(
        &mut q,
        Command::ResolveConflict {
            index: 0,
            take: Side::Theirs,
        },
    )
    .unwrap();
    assert_eq!(q.span(claim).unwrap().label.as_str(), "figure");
    assert!(q.conflicts().is_empty());
    h.undo(&mut q).unwrap();
    assert_eq!(q, p);
    h.execute(
        &mut q,
        Command::ResolveConflict {
            index: 0,
            take: Side::Ours,
        },
    )
    .unwrap();
    assert_eq!(q.span(claim).unwrap().label.as_str(), "source");
    assert!(q.conflicts().is_empty());
}

/// A span one side deleted and the other changed is kept, changed, with a
/// conflict that offers the deletion.
#[test]
fn delete_against_change_keeps_the_work() {
    let base = sample();
    let s = base.spans().nth(2).unwrap().id;
    let mut ours = base.clone();
    exec(&mut ours, Command::RemoveSpan(s));
    let mut theirs = base.clone();
    exec(&mut theirs, Command::SetNote(s, Some("keep me".into())));
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.new_conflicts, 1);
    let p = m.project;
    assert_eq!(p.span(s).unwrap().note.as_deref(), Some("keep me"));
    let c = &p.conflicts()[0];
    assert_eq!(c.standing, Side::Theirs);
    assert!(c.describe().contains("ours deleted it"), "{}", c.describe());
    let mut q = p.clone();
    History::new()
        .execute(
            &mut q,
            Command::ResolveConflict {
                index: 0,
                take: Side::Ours,
            },
        )
        .unwrap();
    assert!(q.span(s).is_none(), "taking ours deletes it");
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap()
}

fn cli(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .current_dir(dir)
        .env("MARGINALIA_NOW", "2026-11-24T00:00:00Z")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The README's two-line setup in a real git repository: a clean two-branch
/// merge through the driver, then a conflicting one that stops the merge
/// and leaves a project that opens and reports its conflict.
#[test]
fn git_merges_through_the_driver() {
    // git is a dependency (CI installs it): without it this test fails.
    let version = std::process::Command::new("git").arg("--version").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "git is needed for this test (and for merging a team's work)"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    ok(git(d, &["init", "-q", "-b", "main"]));
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron"),
        d.join("p.ron"),
    )
    .unwrap();
    std::fs::write(d.join(".gitattributes"), "*.ron merge=marginalia\n").unwrap();
    // Saves keep the previous file as NAME.ron.bak; a team ignores those.
    std::fs::write(d.join(".gitignore"), "*.ron.bak\n").unwrap();
    let driver = format!("{} merge-driver %O %A %B", env!("CARGO_BIN_EXE_marginalia"));
    ok(git(d, &["config", "merge.marginalia.driver", &driver]));
    ok(git(d, &["add", "-A"]));
    ok(git(d, &["commit", "-qm", "base"]));
    // Alice tags and links; Bob tags and notes.
    ok(git(d, &["checkout", "-qb", "alice"]));
    cli(
        d,
        &[
            "tag",
            "p.ron",
            "--doc",
            "1",
            "--label",
            "claim",
            "--quote",
            "They’re still under quarantine.",
        ],
    );
    cli(d, &["link", "p.ron", "112", "5"]);
    ok(git(d, &["commit", "-qam", "alice"]));
    ok(git(d, &["checkout", "-q", "main"]));
    ok(git(d, &["checkout", "-qb", "bob"]));
    cli(
        d,
        &[
            "tag",
            "p.ron",
            "--doc",
            "2",
            "--label",
            "figure",
            "--quote",
            "since Feb. 24",
        ],
    );
    cli(
        d,
        &["note", "p.ron", "3", "checked against the Korean edition"],
    );
    ok(git(d, &["commit", "-qam", "bob"]));
    let merged = git(d, &["merge", "-q", "alice", "-m", "merge alice"]);
    ok(merged);
    let p = marginalia::store::load(&d.join("p.ron")).unwrap().project;
    assert_eq!(p.spans().len(), sample().spans().len() + 2);
    assert_eq!(p.links().count(), sample().links().count() + 1);
    assert!(p.conflicts().is_empty());
    // Both sides' work itself, not only its count: Alice's claim with its
    // link to source 5, Bob's figure and his note.
    let text_of = |s: &marginalia::model::Span| s.quote(&p.document(s.doc).unwrap().text);
    let claim = p
        .spans()
        .find(|s| s.label.as_str() == "claim" && text_of(s) == "They’re still under quarantine.")
        .expect("Alice's claim");
    assert!(
        p.links_of(claim.id)
            .any(|l| l.from == claim.id && l.to == SpanId(5))
    );
    assert!(
        p.spans()
            .any(|s| s.doc.0 == 2 && s.label.as_str() == "figure" && text_of(s) == "since Feb. 24"),
        "Bob's figure"
    );
    assert_eq!(
        p.span(SpanId(3)).unwrap().note.as_deref(),
        Some("checked against the Korean edition")
    );
    let listed = String::from_utf8_lossy(&git(d, &["status", "--porcelain"]).stdout).to_string();
    assert!(listed.trim().is_empty(), "no stray files: {listed}");
    // Two branches retag span 3 differently: the merge stops, the file
    // still opens and reports the conflict.
    ok(git(d, &["checkout", "-qb", "carol"]));
    cli(d, &["retag", "p.ron", "3", "figure"]);
    ok(git(d, &["commit", "-qam", "carol"]));
    ok(git(d, &["checkout", "-q", "bob"]));
    cli(d, &["retag", "p.ron", "3", "source"]);
    ok(git(d, &["commit", "-qam", "dave"]));
    let stopped = git(d, &["merge", "carol", "-m", "merge carol"]);
    assert!(!stopped.status.success(), "the merge stops on the conflict");
    let p = marginalia::store::load(&d.join("p.ron")).unwrap().project;
    assert_eq!(p.span(SpanId(3)).unwrap().label.as_str(), "source");
    assert_eq!(p.conflicts().len(), 1);
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["check", d.join("p.ron").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("conflict"));
}

/// One analyst replaces an article's text (a corrected version) while the
/// other tags and notes in the old one: the merge carries the other's work
/// into the new text instead of mistaking the moves for edits.
#[test]
fn merge_carries_work_across_a_replaced_text() {
    use marginalia::model::DocId;
    use marginalia::model::anchor::plan_retext;
    let base = sample();
    let old = base.document(DocId(1)).unwrap().text.as_str().to_string();
    let new_text = format!(
        "Editor’s note: corrected.\n\n{}",
        old.replace("“They’re still under quarantine.”", "")
    );
    let mut theirs = base.clone();
    let plan = plan_retext(&theirs, DocId(1), &new_text, &|_| {}).unwrap();
    exec(&mut theirs, plan.command());
    assert!(theirs.orphan(SpanId(7)).is_some());
    let mut ours = base.clone();
    // A new span on "Daily NK" near the end, and a note on span 3.
    let at = old.rfind("Daily NK was unable").unwrap();
    let start = old[..at].chars().count();
    let added = tag(&mut ours, 1, "source", start, start + 8);
    exec(
        &mut ours,
        Command::SetNote(SpanId(3), Some("checked".into())),
    );
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.new_conflicts, 0, "{:?}", merged.notes);
    let p = &merged.project;
    let doc = p.document(DocId(1)).unwrap();
    assert_eq!(doc.text.as_str(), new_text);
    let moved = p.span(added).expect("ours' new span is kept");
    let want = new_text[..new_text.rfind("Daily NK was unable").unwrap()]
        .chars()
        .count();
    assert_eq!(
        (moved.start, moved.end),
        (want, want + 8),
        "it follows its text"
    );
    assert_eq!(p.span(SpanId(3)).unwrap().note.as_deref(), Some("checked"));
    assert_eq!(
        p.span(SpanId(3)).unwrap().quote(&doc.text),
        base.span(SpanId(3))
            .unwrap()
            .quote(&base.document(DocId(1)).unwrap().text)
    );
    assert!(
        p.orphan(SpanId(7)).is_some(),
        "theirs' orphan stays an orphan"
    );
    // Every span of the merge covers text that exists.
    for s in p.spans_in(DocId(1)) {
        assert!(s.end <= doc.text.char_len());
    }
}
