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
            .starts_with("version: 4,")
    );
}

/// A version-2 project with a discontinuous span, attributes and an event
/// round-trips byte for byte, each span still on one line.
#[test]
fn fragments_attributes_and_events_round_trip() {
    let mut p = sample();
    let mut h = History::new();
    let doc = p.documents().next().unwrap().id;
    let made = h
        .execute(
            &mut p,
            Command::AddSpanWith {
                doc,
                label: LabelId("claim".into()),
                fragments: vec![(0, 3), (6, 9)],
                attrs: [("status".to_string(), "disputed".to_string())].into(),
                note: None,
                created: "2026-11-23T00:00:00Z".into(),
            },
        )
        .unwrap();
    let claim = made.spans[0];
    let fig = p
        .spans()
        .find(|s| s.label.as_str() == "figure")
        .map(|s| s.id);
    if let Some(fig) = fig {
        h.execute(
            &mut p,
            Command::SetAttr(fig, "value".into(), Some("143".into())),
        )
        .unwrap();
        h.execute(
            &mut p,
            Command::SetAttr(fig, "approximate".into(), Some("true".into())),
        )
        .unwrap();
    }
    h.execute(
        &mut p,
        Command::AddEvent {
            kind: "Attribution".into(),
            trigger: claim,
            args: vec![
                ("Content".into(), Target::Span(claim)),
                ("Source".into(), Target::Span(SpanId(2))),
            ],
            attrs: Default::default(),
        },
    )
    .unwrap();
    let inner = p.events().next().unwrap().id;
    h.execute(
        &mut p,
        Command::AddEvent {
            kind: "Dispute".into(),
            trigger: claim,
            args: vec![("Theme".into(), Target::Event(inner))],
            attrs: Default::default(),
        },
    )
    .unwrap();
    let a = to_ron_string(&p).unwrap();
    let loaded = load_str(&a, Path::new("x.ron")).unwrap();
    assert_eq!(loaded.project, p);
    assert_eq!(to_ron_string(&loaded.project).unwrap(), a);
    let line = a
        .lines()
        .find(|l| l.contains("\"status\": \"disputed\""))
        .unwrap();
    assert!(line.contains("[(0, 3), (6, 9)]"), "{line}");
    assert!(a.contains("events: ["), "{a}");
    assert!(a.contains("(\"Theme\", Event(1))"), "{a}");
    assert!(a.contains(&format!("(\"Content\", {claim})")), "{a}");
    // A broken fragment list is refused with the span named.
    let bad = a.replace("[(0, 3), (6, 9)]", "[(6, 9), (0, 3)]");
    let e = load_str(&bad, Path::new("x.ron")).unwrap_err().to_string();
    assert!(e.contains(&format!("span {claim}")), "{e}");
}

/// A version-1 file opens unchanged: one fragment per span, no attributes,
/// and is written back as version 2.
#[test]
fn a_version_1_file_opens_and_is_saved_as_version_2() {
    let v1 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v1/daily-nk-workers-v1.ron"),
    )
    .unwrap();
    assert!(v1.contains("version: 1,"));
    let loaded = load_str(&v1, Path::new("v1.ron")).unwrap();
    let p = &loaded.project;
    assert_eq!(p.spans().len(), 111);
    assert_eq!(p.links().len(), 57);
    assert!(
        p.spans()
            .all(|s| s.fragments.is_empty() && s.attrs.is_empty())
    );
    assert!(
        p.labels().iter().all(|l| l.attributes.is_empty()),
        "labels unchanged"
    );
    let out = to_ron_string(p).unwrap();
    assert!(out.contains("version: 4,"));
    let again = load_str(&out, Path::new("v2.ron")).unwrap();
    assert_eq!(&again.project, p);
    // The oldest form, before link rules, opens the same way.
    let oldest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/v1/daily-nk-workers-v1-before-link-rules.ron"),
    )
    .unwrap();
    assert!(!oldest.contains("link_types"));
    let o = load_str(&oldest, Path::new("v1.ron")).unwrap();
    assert_eq!(o.project.spans().len(), 111);
    assert_eq!(o.project.link_types(), p.link_types());
}

/// A version-2 file opens through the migrations, by the line-by-line
/// reader and by `ron` alike, and is written as version 4 with the same
/// content, its source kinds moved onto registry entries (and said).
#[test]
fn version_2_files_open_and_are_saved_as_version_4() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v2/daily-nk-workers-v2.ron");
    let v2 = std::fs::read_to_string(&path).unwrap();
    assert!(v2.contains("\n    version: 2,\n"));
    let by_lines = load(&path).unwrap();
    let said: Vec<&str> = by_lines
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("source kind of 22 span(s) moved onto 18 source registry entries"),
        "{said:?}"
    );
    let by_ron = load_str(&v2.replace('\n', "\r\n"), Path::new("v2.ron")).unwrap();
    assert_eq!(by_lines.project, by_ron.project);
    let p = by_lines.project;
    assert_eq!((p.spans().len(), p.links().len()), (111, 57));
    assert!(p.settings().is_default() && p.stale().next().is_none());
    let out = to_ron_string(&p).unwrap();
    assert!(out.contains("\n    version: 4,\n"));
    assert!(
        !out.contains("settings") && !out.contains("stale"),
        "empty sections are not written"
    );
    assert_eq!(load_str(&out, Path::new("v3.ron")).unwrap().project, p);
}

/// The settings and the stale marks are saved and read back, and undo
/// takes a mark away.
#[test]
fn settings_and_stale_marks_round_trip() {
    let mut p = sample();
    let mut h = History::new();
    let figure = p.spans().find(|s| s.label.as_str() == "figure").unwrap().id;
    h.execute(
        &mut p,
        Command::SetAttr(figure, "value".into(), Some("10".into())),
    )
    .unwrap();
    let mut settings = crate::model::Settings::default();
    settings.rules_off.insert("date".into());
    h.execute(
        &mut p,
        Command::Edits(
            "mark".into(),
            vec![
                Edit::SetSettings(settings.clone()),
                Edit::SetStale(figure, "value".into(), true),
            ],
        ),
    )
    .unwrap();
    // Only a value that exists can be marked.
    assert!(
        p.apply(Edit::SetStale(figure, "note".into(), true))
            .is_err()
    );
    let text = to_ron_string(&p).unwrap();
    assert!(
        text.contains(&format!("stale: [\n        ({figure}, \"value\"),")),
        "{text}"
    );
    let loaded = load_str(&text, Path::new("s.ron")).unwrap();
    assert_eq!(loaded.project, p);
    assert_eq!(loaded.project.settings(), &settings);
    assert!(loaded.project.is_stale(figure, "value"));
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.location == format!("span {figure}") && w.message.contains("may be stale")),
        "{:?}",
        loaded.warnings
    );
    // Setting the value again is the analyst's confirmation.
    h.execute(
        &mut p,
        Command::SetAttr(figure, "value".into(), Some("11".into())),
    )
    .unwrap();
    assert!(!p.is_stale(figure, "value"));
    h.undo(&mut p).unwrap();
    assert!(p.is_stale(figure, "value"));
    h.undo(&mut p).unwrap();
    assert!(!p.is_stale(figure, "value") && p.settings().is_default());
    // A mark whose value went is not listed, nor written.
    h.redo(&mut p).unwrap();
    h.execute(
        &mut p,
        Command::Edits(
            "clear".into(),
            vec![Edit::SetSpanAttr(figure, "value".into(), None)],
        ),
    )
    .unwrap();
    assert!(p.stale().next().is_none());
    assert!(!to_ron_string(&p).unwrap().contains("stale"));
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

/// Patterns and rejected suggestions survive a save and a load, and a
/// project without them writes neither field.
#[test]
fn patterns_and_rejections_round_trip() {
    let mut p = Project::new("p");
    let mut h = History::new();
    let doc = h
        .execute(
            &mut p,
            Command::AddDocument {
                title: "t".into(),
                origin: None,
                text: "Prices rose 50% on Monday.".into(),
            },
        )
        .unwrap()
        .documents[0];
    let plain = to_ron_string(&p).unwrap();
    assert!(!plain.contains("patterns:") && !plain.contains("rejected:"));
    h.execute(
        &mut p,
        Command::AddPattern(crate::model::Pattern {
            text: r"\bMonday\b".into(),
            regex: true,
            case_sensitive: true,
            label: crate::model::LabelId("figure".into()),
            attributes: Default::default(),
        }),
    )
    .unwrap();
    h.execute(
        &mut p,
        Command::Reject(vec![crate::model::Rejection {
            doc,
            start: 12,
            end: 15,
            label: crate::model::LabelId("figure".into()),
        }]),
    )
    .unwrap();
    let text = to_ron_string(&p).unwrap();
    let loaded = load_str(&text, Path::new("x.ron")).unwrap().project;
    assert_eq!(loaded, p);
    assert_eq!(to_ron_string(&loaded).unwrap(), text, "diff-stable");
}

/// The fast path for span and link lines reads a file exactly as `ron`
/// does, and the bulk-built indexes answer as one-by-one inserts do.
#[test]
fn the_fast_path_reads_what_ron_reads() {
    let p = sample();
    let text = to_ron_string(&p).unwrap();
    assert!(
        fast::split(&text).is_some(),
        "the canonical file takes the fast path"
    );
    // A record split over two lines is not canonical: `ron` reads it all.
    let odd = text.replacen("(1, 1, \"claim\", ", "(1, 1, \"claim\",\n ", 1);
    assert_ne!(odd, text);
    assert!(fast::split(&odd).is_none());
    let fast_read = load_str(&text, Path::new("p.ron")).unwrap().project;
    let ron_read = load_str(&odd, Path::new("p.ron")).unwrap().project;
    assert_eq!(fast_read, ron_read);
    assert_eq!(fast_read, p);
    for d in p.documents() {
        let order = |x: &Project| x.spans_in(d.id).map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(order(&fast_read), order(&p));
        assert_eq!(
            fast_read.counts_by_label(Some(d.id)),
            p.counts_by_label(Some(d.id))
        );
        let at = d.text.char_len() / 2;
        let ids = |x: &Project| {
            x.spans_at(d.id, at)
                .iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&fast_read), ids(&p));
    }
    for s in p.spans() {
        let links = |x: &Project| x.links_of(s.id).map(|l| l.id).collect::<Vec<_>>();
        assert_eq!(links(&fast_read), links(&p));
    }
    assert_eq!(fast_read.next_ids(), p.next_ids());
}

/// A bad record is refused by the bulk insert with the same message and
/// line as before.
#[test]
fn the_fast_path_still_names_a_bad_span_and_its_line() {
    let text = to_ron_string(&sample()).unwrap();
    let bad = text.replacen("(1, 1, \"claim\", ", "(1, 1, \"claim\", 999999", 1);
    assert_ne!(bad, text);
    assert!(fast::split(&bad).is_some());
    let err = load_str(&bad, Path::new("p.ron")).unwrap_err().to_string();
    assert!(
        err.contains("span 1 (line") && err.contains("range"),
        "{err}"
    );
}

/// The hand-written span and link lines are the bytes `ron` writes, for
/// plain text and for every kind of escape.
#[test]
fn hand_written_lines_are_byte_identical_to_ron() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let mut p = load(&path).unwrap().project;
    let mut h = History::new();
    let doc = p.documents().next().unwrap().id;
    let notes = [
        "it's \"quoted\" \\ back",
        "tab\there\nnew line\r",
        "é 한국어 🙂 e\u{301} \u{a0}nbsp \u{200d}zwj \u{7f}",
        "'",
    ];
    for (i, note) in notes.iter().enumerate() {
        let id = p.spans().nth(i).unwrap().id;
        h.execute(&mut p, Command::SetNote(id, Some((*note).into())))
            .unwrap();
    }
    let fig = p.spans().find(|s| s.label.as_str() == "figure").unwrap().id;
    h.execute(
        &mut p,
        Command::SetAttr(fig, "unit".into(), Some("RMB \"yuan\" 元".into())),
    )
    .unwrap();
    let s = p
        .spans_in(doc)
        .find(|s| s.end - s.start > 20)
        .unwrap()
        .clone();
    h.execute(&mut p, Command::AddFragment(s.id, (s.end + 1, s.end + 4)))
        .expect("a fragment after the span");
    assert!(
        p.spans().any(|s| s.fragments.len() == 2),
        "a discontinuous span is written"
    );
    let fast = to_ron_string_with(&p, true).unwrap();
    let slow = to_ron_string_with(&p, false).unwrap();
    assert_eq!(fast, slow);
    // And the fast reader reads all of it.
    assert!(fast::split(&fast).is_some());
    assert_eq!(load_str(&fast, Path::new("p.ron")).unwrap().project, p);
    // Korean, a ZWJ family, a combining mark, quotes and newlines in text.
    let small = sample();
    assert_eq!(
        to_ron_string_with(&small, true).unwrap(),
        to_ron_string_with(&small, false).unwrap()
    );
    // Every field of a document record: a stem, a status, a source with
    // quotes, Korean and a backslash; and one with none of them.
    let mut full = Project::new("docs");
    let mut doc = Document::new(
        DocId(1),
        "“Title” \\ 북한",
        Some("a \"b\".html".into()),
        "Text.",
    );
    doc.stem = Some("a_b".into());
    doc.status = crate::model::DocStatus::InProgress;
    doc.source = Some(Box::new(crate::model::Provenance {
        url: Some("https://news.example/a?b=\"c\"".into()),
        title: Some("북한 “quoted”".into()),
        authors: vec!["A. Kim".into(), "B \\ Park".into()],
        published: Some("2026-11-30".into()),
        encoding: Some("EUC-KR".into()),
        sha256: Some("00ff".into()),
        ..Default::default()
    }));
    let plain = Document::new(DocId(2), "plain", None, "Other text.");
    let mut h = History::new();
    for d in [doc, plain] {
        h.execute(
            &mut full,
            Command::Edits("add".into(), vec![Edit::InsertDocument(d)]),
        )
        .unwrap();
    }
    let fast_text = to_ron_string_with(&full, true).unwrap();
    assert_eq!(fast_text, to_ron_string_with(&full, false).unwrap());
    assert_eq!(
        load_str(&fast_text, Path::new("d.ron")).unwrap().project,
        full
    );
    // An empty project has empty lists either way.
    let empty = Project::new("e");
    assert_eq!(
        to_ron_string_with(&empty, true).unwrap(),
        to_ron_string_with(&empty, false).unwrap()
    );
}

/// The streamed save writes exactly the canonical text.
#[test]
fn a_streamed_save_writes_the_canonical_text() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let p = load(&path).unwrap().project;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.ron");
    save(&p, &out).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        to_ron_string(&p).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        to_ron_string_with(&p, false).unwrap()
    );
}

/// A file read line by line (texts unescaped in place) gives the same
/// project as `ron` reading it whole, on texts with every escape the
/// writer makes; a text line that is not canonical falls back to `ron`.
#[test]
fn a_file_read_line_by_line_is_what_ron_reads() {
    let tricky = "당국 “curly” \"straight\" it's a\\b\ttab\nline 👩‍👩‍👧 e\u{301} \u{200b}\u{0}\u{a0}\u{7f}\u{10ffff} end";
    let mut p = Project::new("Stream");
    let mut h = History::new();
    for (title, text) in [("한 \", text: \"", tricky), ("short", "x"), ("t", "y\\")] {
        h.execute(
            &mut p,
            Command::AddDocument {
                title: title.into(),
                origin: None,
                text: text.into(),
            },
        )
        .unwrap();
    }
    let text = to_ron_string(&p).unwrap();
    let bulk = fast::split(&text).expect("canonical");
    assert_eq!(bulk.texts.len(), 3);
    let stored: Vec<String> = p.documents().map(|d| d.text.as_str().to_string()).collect();
    assert_eq!(bulk.texts, stored);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    std::fs::write(&path, &text).unwrap();
    let streamed = load(&path).unwrap().project;
    let by_ron: FileIn<SpanRecordV2In> = ron::Options::default().from_str(&text).unwrap();
    assert_eq!(by_ron.documents.len(), 3);
    for (d, r) in streamed.documents().zip(&by_ron.documents) {
        assert_eq!(d.text.as_str(), r.text);
    }
    assert_eq!(streamed, p);
    // An unescaped quote in a text is not canonical; `ron` names the line.
    let broken = text.replacen("e\\u{301}", "e\"", 1);
    assert_ne!(broken, text);
    assert!(fast::split(&broken).is_none());
    std::fs::write(&path, &broken).unwrap();
    let e = load(&path).unwrap_err().to_string();
    assert!(e.contains("s.ron:26:"), "{e}");
    // A text that opens and never closes is a syntax error, not "".
    let at = text.find(", text: \"").unwrap() + 9;
    let line_end = at + text[at..].find('\n').unwrap();
    let cut = format!("{}),{}", &text[..at], &text[line_end..]);
    assert!(fast::split(&cut).is_none());
    std::fs::write(&path, &cut).unwrap();
    assert!(load(&path).is_err());
    // CRLF line ends: not canonical, but still read.
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    assert!(fast::split(&text.replace('\n', "\r\n")).is_none());
    assert_eq!(load(&path).unwrap().project, p);
}
