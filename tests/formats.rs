//! Export and import: golden files, round trips, offsets and hostile input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use marginalia::formats::{self, ExportFormat, Filter, ImportFormat};
use marginalia::model::{ATTRIBUTED_TO, Command, DocId, History, LabelId, Project, SpanId};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> Project {
    marginalia::store::load(&root().join("projects/daily-nk-workers.ron"))
        .unwrap()
        .project
}

fn export_bytes(p: &Project, f: ExportFormat) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = match f.extension() {
        Some(ext) => dir.path().join(format!("out.{ext}")),
        None => dir.path().join("brat"),
    };
    let written = formats::export(p, f, &out, &Filter::default()).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = written
        .files
        .iter()
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Golden files: `UPDATE_GOLDEN=1 cargo test --test formats` rewrites them
/// (any other value is refused: `UPDATE_GOLDEN=0` must not rewrite). They
/// catch unintended changes of bytes; what the bytes mean is checked
/// independently by `sample_exports_agree_with_the_project`.
#[test]
fn sample_exports_match_golden_files() {
    let p = sample();
    let golden = root().join("tests/golden");
    let update = match std::env::var("UPDATE_GOLDEN") {
        Ok(v) if v == "1" => true,
        Ok(v) => {
            panic!("UPDATE_GOLDEN={v:?}: set it to 1 to rewrite the golden files, or unset it")
        }
        Err(_) => false,
    };
    for f in ExportFormat::ALL {
        let dir = golden.join(format!("{f:?}").to_lowercase());
        let written = export_bytes(&p, f);
        if update {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (name, bytes) in &written {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
            continue;
        }
        // Every golden file is written again, and nothing else.
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("missing golden folder {}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let names: Vec<String> = written.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(
            names, on_disk,
            "{f:?}: the files written are the golden ones"
        );
        for (name, bytes) in written {
            let path = dir.join(&name);
            let want = std::fs::read(&path)
                .unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
            assert!(
                want == bytes,
                "{} differs from the golden file (run with UPDATE_GOLDEN=1 after checking the change)",
                path.display()
            );
        }
    }
}

/// An oracle for the sample's exports that shares nothing with the
/// exporters: each format is parsed the way its clients parse it, and every
/// span must come back with its label, its code-point offsets and the text
/// they cover, from the model itself. The files written are counted too.
#[test]
fn sample_exports_agree_with_the_project() {
    let p = sample();
    // (document, start, end, label) of every fragment, and each span's
    // covered text, from the model.
    let mut fragments: BTreeSet<(u64, usize, usize, String)> = BTreeSet::new();
    for s in p.spans() {
        for (a, b) in s.fragments_iter() {
            fragments.insert((s.doc.0, a, b, s.label.to_string()));
        }
    }
    let text_of = |doc: u64, a: usize, b: usize| -> String {
        p.document(DocId(doc))
            .unwrap()
            .text
            .as_str()
            .chars()
            .skip(a)
            .take(b - a)
            .collect()
    };
    let files = |f| export_bytes(&p, f);

    // CSV (as pandas or the csv module reads it): one row per fragment.
    let csv = files(ExportFormat::Csv);
    assert_eq!(csv.len(), 1);
    let mut rows = csv::Reader::from_reader(&csv[0].1[..]);
    let mut got = BTreeSet::new();
    for r in rows.records() {
        let r = r.unwrap();
        let (doc, a, b): (u64, usize, usize) = (
            r[0].parse().unwrap(),
            r[4].parse().unwrap(),
            r[5].parse().unwrap(),
        );
        let cell = r[6]
            .strip_prefix('\'')
            .filter(|c| c.starts_with(formats::common::FORMULA_TRIGGERS))
            .unwrap_or(&r[6]);
        assert_eq!(cell, text_of(doc, a, b), "csv row of span {}", &r[2]);
        got.insert((doc, a, b, r[3].to_string()));
    }
    assert_eq!(got, fragments, "csv");

    // JSON: spans with their text; documents with theirs.
    let json = files(ExportFormat::Json);
    assert_eq!(json.len(), 1);
    let v: serde_json::Value = serde_json::from_slice(&json[0].1).unwrap();
    let mut got = BTreeSet::new();
    for s in v["spans"].as_array().unwrap() {
        let doc = s["document"].as_u64().unwrap();
        let list: Vec<(usize, usize)> = match s["fragments"].as_array() {
            Some(f) => f
                .iter()
                .map(|x| {
                    (
                        x[0].as_u64().unwrap() as usize,
                        x[1].as_u64().unwrap() as usize,
                    )
                })
                .collect(),
            None => vec![(
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            )],
        };
        let joined: Vec<String> = list.iter().map(|(a, b)| text_of(doc, *a, *b)).collect();
        assert_eq!(
            s["text"].as_str().unwrap(),
            joined.join(" … "),
            "json span {}",
            s["id"]
        );
        for (a, b) in list {
            got.insert((doc, a, b, s["label"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(got, fragments, "json");
    assert_eq!(v["links"].as_array().unwrap().len(), p.links().len());

    // JSONL (doccano; spaCy's `Doc.char_span(start, end)` takes these
    // offsets): one line per document, its text, then every fragment.
    let jsonl = files(ExportFormat::Jsonl);
    assert_eq!(jsonl.len(), 1);
    let text = String::from_utf8(jsonl[0].1.clone()).unwrap();
    let mut got = BTreeSet::new();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), p.documents().len());
    for line in lines {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        let doc = p
            .documents()
            .find(|x| x.text.as_str() == d["text"].as_str().unwrap())
            .expect("the line holds a document's text")
            .id
            .0;
        for e in d["entities"].as_array().unwrap() {
            let (a, b) = (
                e["start_offset"].as_u64().unwrap() as usize,
                e["end_offset"].as_u64().unwrap() as usize,
            );
            // spaCy slices its text in code points: the same as ours.
            let chars: Vec<char> = d["text"].as_str().unwrap().chars().collect();
            assert!(a < b && b <= chars.len());
            got.insert((doc, a, b, e["label"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(got, fragments, "jsonl");

    // brat: a .txt and an .ann per document, annotation.conf and the
    // source registry.
    let brat = files(ExportFormat::Brat);
    let names: BTreeSet<&str> = brat.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 2 * p.documents().len() + 2, "{names:?}");
    assert!(names.contains("annotation.conf"));
    assert!(names.contains(formats::brat::SOURCES_FILE));
    let mut got = BTreeSet::new();
    for (name, bytes) in brat.iter().filter(|(n, _)| n.ends_with(".ann")) {
        let txt_name = name.replace(".ann", ".txt");
        let txt = String::from_utf8(brat.iter().find(|(n, _)| *n == txt_name).unwrap().1.clone())
            .unwrap();
        let doc = p.documents().find(|d| d.text.as_str() == txt).unwrap().id.0;
        for line in String::from_utf8(bytes.clone())
            .unwrap()
            .lines()
            .filter(|l| l.starts_with('T'))
        {
            let cols: Vec<&str> = line.splitn(3, '\t').collect();
            let (label, offsets) = cols[1].split_once(' ').unwrap();
            let mut pieces = Vec::new();
            for part in offsets.split(';') {
                let (a, b) = part.split_once(' ').unwrap();
                let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
                pieces.push(text_of(doc, a, b));
                got.insert((doc, a, b, label.to_string()));
            }
            assert_eq!(pieces.join(" "), cols[2], "{name}: {line}");
        }
    }
    // brat splits a fragment at each newline; join them back to compare.
    let joined: BTreeSet<(u64, usize, usize, String)> = fragments
        .iter()
        .flat_map(|(doc, a, b, label)| {
            let t: Vec<char> = text_of(*doc, *a, *b).chars().collect();
            let mut out = Vec::new();
            let mut start = *a;
            for (i, c) in t.iter().enumerate() {
                if *c == '\n' {
                    if a + i > start {
                        out.push((*doc, start, a + i, label.clone()));
                    }
                    start = a + i + 1;
                }
            }
            if *b > start {
                out.push((*doc, start, *b, label.clone()));
            }
            out
        })
        .collect();
    assert_eq!(got, joined, "brat");

    // W3C: one tagging annotation per span whose quote is what its
    // position covers; one linking annotation per link.
    let w3c = files(ExportFormat::W3c);
    assert_eq!(w3c.len(), 1);
    let v: serde_json::Value = serde_json::from_slice(&w3c[0].1).unwrap();
    let items = v["first"]["items"].as_array().unwrap();
    let tagging: Vec<&serde_json::Value> = items
        .iter()
        .filter(|a| a["motivation"] == "tagging")
        .collect();
    assert_eq!(tagging.len(), p.spans().len());
    assert_eq!(
        items
            .iter()
            .filter(|a| a["motivation"] == "linking")
            .count(),
        p.links().len()
    );
    for a in tagging {
        let doc: u64 = a["target"]["source"]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let sel = a["target"]["selector"].as_array().unwrap();
        let (start, end) = (
            sel[1]["start"].as_u64().unwrap() as usize,
            sel[1]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(sel[0]["exact"].as_str().unwrap(), text_of(doc, start, end));
    }

    // HTML: one report that holds every document's title.
    let html = files(ExportFormat::Html);
    assert_eq!(html.len(), 1);
    let page = String::from_utf8(html[0].1.clone()).unwrap();
    for d in p.documents() {
        let escaped = d
            .title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(page.contains(&escaped), "the report names {:?}", d.title);
    }
}

/// A project with the same documents as `p` and no spans.
fn same_documents(p: &Project) -> Project {
    let mut q = Project::new(p.name());
    let mut h = History::new();
    for l in p.labels().iter().skip(3) {
        h.execute(&mut q, Command::AddLabel(l.clone())).unwrap();
    }
    for d in p.documents() {
        h.execute(
            &mut q,
            Command::AddDocument {
                title: d.title.clone(),
                origin: d.origin.clone(),
                text: d.text.as_str().into(),
            },
        )
        .unwrap();
    }
    q
}

type SpanKey = (u64, usize, usize, String);

/// A span whole: document, fragments, label, note (spaces folded: brat
/// notes are one line) and attributes.
type WholeSpan = (
    u64,
    Vec<(usize, usize)>,
    String,
    Option<String>,
    Vec<(String, String)>,
);

fn span_set(p: &Project, with_notes: bool) -> BTreeSet<WholeSpan> {
    p.spans()
        .map(|s| {
            (
                s.doc.0,
                s.fragment_list(),
                s.label.to_string(),
                if with_notes {
                    s.note
                        .clone()
                        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
                } else {
                    None
                },
                s.attrs
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        })
        .collect()
}

fn link_set(p: &Project) -> BTreeSet<(SpanKey, SpanKey, String)> {
    let key = |id: SpanId| {
        let s = p.span(id).unwrap();
        (s.doc.0, s.start, s.end, s.label.to_string())
    };
    p.links()
        .map(|l| (key(l.from), key(l.to), l.kind.clone()))
        .collect()
}

fn import_into(q: &mut Project, format: ImportFormat, input: &Path) -> formats::Report {
    let (command, report) = formats::import(q, format, input).unwrap();
    History::new().execute(q, command).unwrap();
    report
}

#[test]
fn brat_round_trip_keeps_spans_links_and_notes() {
    let p = tricky_project();
    for p in [sample(), p] {
        let dir = tempfile::tempdir().unwrap();
        formats::export(&p, ExportFormat::Brat, dir.path(), &Filter::default()).unwrap();
        let mut q = same_documents(&p);
        let report = import_into(&mut q, ImportFormat::Brat, dir.path());
        assert!(report.skipped.is_empty(), "{report}");
        assert_eq!(report.documents_added, 0, "documents matched by text");
        assert_eq!(span_set(&q, true), span_set(&p, true));
        assert_eq!(link_set(&q), link_set(&p));
    }
}

#[test]
fn jsonl_round_trip_keeps_spans() {
    for p in [sample(), tricky_project()] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.jsonl");
        formats::export(&p, ExportFormat::Jsonl, &out, &Filter::default()).unwrap();
        let mut q = same_documents(&p);
        let report = import_into(&mut q, ImportFormat::Jsonl, &out);
        assert!(report.skipped.is_empty(), "{report}");
        assert_eq!(span_set(&q, true), span_set(&p, true));
        assert_eq!(link_set(&q), link_set(&p));
    }
}

#[test]
fn json_round_trip_is_identical() {
    for p in [sample(), tricky_project()] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.json");
        formats::export(&p, ExportFormat::Json, &out, &Filter::default()).unwrap();
        let mut q = Project::new("empty");
        import_into(&mut q, ImportFormat::Json, &out);
        assert_eq!(q, p);
        assert_eq!(
            marginalia::store::to_ron_string(&q)
                .unwrap()
                .lines()
                .skip(9)
                .collect::<Vec<_>>(),
            marginalia::store::to_ron_string(&p)
                .unwrap()
                .lines()
                .skip(9)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn doccano_old_label_form_and_unknown_labels_are_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("old.jsonl");
    std::fs::write(&input, "{\"text\": \"북한 said 10% on Monday.\", \"label\": [[0, 2, \"ORG\"], [8, 11, \"figure\"], [15, 21, \"DATE\"], [3, 99, \"figure\"]]}\n").unwrap();
    let mut q = Project::new("q");
    let report = import_into(&mut q, ImportFormat::Jsonl, &input);
    assert_eq!(report.spans_added, 3);
    assert_eq!(
        report.labels_added,
        vec!["ORG → ORG".to_string(), "DATE → DATE".to_string()],
        "label names keep their case"
    );
    assert_eq!(report.skipped.len(), 1, "{report}");
    assert!(report.skipped[0].contains("outside the text"));
    let d = q.documents().next().unwrap();
    let texts: Vec<&str> = q.spans().map(|s| d.text.slice(s.range())).collect();
    assert_eq!(texts, ["북한", "10%", "Monday"]);
}

#[test]
fn brat_offsets_are_verified_against_the_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "“북한” workers\n").unwrap();
    // UTF-8 byte offsets instead of code points: the text check catches it.
    std::fs::write(dir.path().join("a.ann"), "T1\tclaim 7 14\tworkers\n").unwrap();
    let mut q = Project::new("q");
    let report = import_into(&mut q, ImportFormat::Brat, dir.path());
    assert_eq!(report.spans_added, 0, "the line is not taken: {report}");
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.contains("a.ann line 1") && s.contains("offset unit")),
        "{report}"
    );
    std::fs::write(dir.path().join("a.ann"), "T1\tclaim 5 12\tworkers\nT2\tsource 0 2;3 4\t“북 ”\nR1\tattributed_to Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tcheck\n").unwrap();
    let mut q = Project::new("q");
    let report = import_into(&mut q, ImportFormat::Brat, dir.path());
    // The discontinuous T2 stays one span with its two fragments.
    assert_eq!(report.spans_added, 2, "{report}");
    let t2 = q.spans().find(|s| s.label.as_str() == "source").unwrap();
    assert_eq!(t2.fragments, vec![(0, 2), (3, 4)]);
    assert_eq!(q.links().len(), 1);
    assert_eq!(q.spans().next().unwrap().note.as_deref(), Some("check"));
}

/// Korean, emoji, combining marks, curly quotes, tabs and newlines inside
/// spans; hostile titles and notes.
fn tricky_project() -> Project {
    let mut p = Project::new("Tricky <script>");
    let mut h = History::new();
    let text = "“북한 노동자” 👩‍👩‍👧 said\tcafe\u{301} =HYPERLINK(\"http://x\") costs 10%,\nline two, \"quoted\"\n\nthird <script>alert(1)</script> end";
    for title in ["../../etc/passwd", "CON"] {
        h.execute(
            &mut p,
            Command::AddDocument {
                title: title.into(),
                origin: Some("C:\\evil\\..\\x".into()),
                text: text.into(),
            },
        )
        .unwrap();
    }
    let find = |needle: &str| {
        let b = text.find(needle).unwrap();
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let spans = [
        ("“북한 노동자”", "claim", Some("=cmd|' /C calc'!A0")),
        ("👩‍👩‍👧", "figure", None),
        (
            "said\tcafe\u{301}",
            "source",
            Some("note, with \"quotes\"\nand a newline"),
        ),
        (
            "=HYPERLINK(\"http://x\")",
            "claim",
            Some("<script>alert('n')</script>"),
        ),
        ("10%,\nline two", "figure", None),
        ("two, \"quoted\"\n\nthird", "claim", None),
        ("<script>alert(1)</script>", "source", Some("+SUM(A1)")),
    ];
    for doc in [DocId(1), DocId(2)] {
        let mut ids = Vec::new();
        for (quote, label, note) in spans {
            let (start, end) = find(quote);
            let c = h
                .execute(
                    &mut p,
                    Command::AddSpan {
                        doc,
                        label: LabelId(label.into()),
                        start,
                        end,
                        note: note.map(str::to_string),
                        created: "2026-11-23T00:00:00Z".into(),
                    },
                )
                .unwrap();
            ids.push(c.spans[0]);
        }
        // A discontinuous figure with typed attributes ("costs … end"),
        // which every round trip must keep whole.
        h.execute(
            &mut p,
            Command::AddSpanWith {
                doc,
                label: LabelId("figure".into()),
                fragments: vec![find("costs"), find("end")],
                attrs: [
                    ("value".to_string(), "10".to_string()),
                    ("unit".to_string(), "percent".to_string()),
                    ("approximate".to_string(), "true".to_string()),
                ]
                .into_iter()
                .collect(),
                note: Some("two parts".into()),
                created: "2026-11-23T00:00:00Z".into(),
            },
        )
        .unwrap();
        h.execute(
            &mut p,
            Command::AddLink {
                from: ids[0],
                to: ids[2],
                kind: ATTRIBUTED_TO.into(),
            },
        )
        .unwrap();
        h.execute(
            &mut p,
            Command::AddLink {
                from: ids[1],
                to: ids[6],
                kind: ATTRIBUTED_TO.into(),
            },
        )
        .unwrap();
    }
    p
}

#[test]
fn every_format_writes_code_point_offsets_that_cover_the_right_text() {
    let p = tricky_project();
    let dir = tempfile::tempdir().unwrap();
    let d = p.document(DocId(1)).unwrap();
    // One entry per fragment: what the row-per-fragment formats write.
    let expected: Vec<(usize, usize, String)> = p
        .spans_in(DocId(1))
        .flat_map(|s| s.fragment_list())
        .map(|(a, b)| (a, b, d.text.slice(a..b).to_string()))
        .collect();
    let spans_in_doc = p.spans_in(DocId(1)).count();
    let py_slice = |start: usize, end: usize| -> String {
        d.text
            .as_str()
            .chars()
            .skip(start)
            .take(end - start)
            .collect()
    };
    for (s, e, t) in &expected {
        assert_eq!(&py_slice(*s, *e), t);
    }

    // CSV, read back with the csv crate; undo the formula rule.
    let out = dir.path().join("x.csv");
    formats::export(&p, ExportFormat::Csv, &out, &Filter::default()).unwrap();
    let mut r = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = r
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[0] == "1")
        .collect();
    assert_eq!(rows.len(), expected.len());
    for (row, (s, e, t)) in rows.iter().zip(&expected) {
        assert_eq!(
            (
                row[4].parse::<usize>().unwrap(),
                row[5].parse::<usize>().unwrap()
            ),
            (*s, *e)
        );
        let cell = &row[6];
        let unguarded = match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(formats::common::FORMULA_TRIGGERS) => rest,
            _ => cell,
        };
        assert_eq!(unguarded, t);
        for col in [1, 6, 7, 9] {
            assert!(
                !row[col].starts_with(formats::common::FORMULA_TRIGGERS),
                "formula not neutralised: {:?}",
                &row[col]
            );
        }
    }

    // JSON and JSONL.
    let out = dir.path().join("x.json");
    formats::export(&p, ExportFormat::Json, &out, &Filter::default()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    for s in v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["document"] == 1)
    {
        let parts: Vec<String> = match s["fragments"].as_array() {
            Some(f) => f
                .iter()
                .map(|x| {
                    py_slice(
                        x[0].as_u64().unwrap() as usize,
                        x[1].as_u64().unwrap() as usize,
                    )
                })
                .collect(),
            None => vec![py_slice(
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            )],
        };
        assert_eq!(s["text"].as_str().unwrap(), parts.join(" … "));
    }
    let out = dir.path().join("x.jsonl");
    formats::export(&p, ExportFormat::Jsonl, &out, &Filter::default()).unwrap();
    let first: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let got: Vec<(usize, usize)> = first["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["start_offset"].as_u64().unwrap() as usize,
                e["end_offset"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(
        got,
        expected
            .iter()
            .map(|(s, e, _)| (*s, *e))
            .collect::<Vec<_>>()
    );

    // brat: fragments never hold a newline and join to the text field.
    let out = dir.path().join("brat");
    formats::export(&p, ExportFormat::Brat, &out, &Filter::default()).unwrap();
    let names: BTreeSet<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "CON_doc.ann",
            "CON_doc.txt",
            "annotation.conf",
            "etc_passwd.ann",
            "etc_passwd.txt"
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
    assert!(!dir.path().join("etc").exists());
    let ann = std::fs::read_to_string(out.join("etc_passwd.ann")).unwrap();
    let txt = std::fs::read_to_string(out.join("etc_passwd.txt")).unwrap();
    assert_eq!(txt, d.text.as_str());
    for line in ann.lines().filter(|l| l.starts_with('T')) {
        // The text field is the rest of the line: it may hold a TAB.
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let frags: Vec<String> = cols[1]
            .split_once(' ')
            .unwrap()
            .1
            .split(';')
            .map(|f| {
                let (a, b) = f.split_once(' ').unwrap();
                txt.chars()
                    .skip(a.parse().unwrap())
                    .take(b.parse::<usize>().unwrap() - a.parse::<usize>().unwrap())
                    .collect()
            })
            .collect();
        assert!(frags.iter().all(|f| !f.contains('\n')));
        assert_eq!(frags.join(" "), cols[2]);
    }
    assert!(
        ann.lines()
            .filter(|l| l.starts_with('#'))
            .all(|l| l.split('\t').count() == 3),
        "notes stay on one line"
    );
    assert!(
        ann.contains("#2\tAnnotatorNotes T3\tnote, with \"quotes\" and a newline\n"),
        "{ann}"
    );
    assert!(
        ann.contains("T5\tfigure 55 59;60 68\t10%, line two\n"),
        "{ann}"
    );

    // W3C: position selector and quote agree; context is 32 code points.
    let out = dir.path().join("x.jsonld");
    formats::export(&p, ExportFormat::W3c, &out, &Filter::default()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let items = v["first"]["items"].as_array().unwrap();
    let mut tagged = 0;
    for a in items.iter().filter(|a| {
        a["motivation"] == "tagging"
            && a["target"]["source"]
                .as_str()
                .unwrap()
                .ends_with(":document:1")
    }) {
        let sel = a["target"]["selector"].as_array().unwrap();
        let (start, end) = (
            sel[1]["start"].as_u64().unwrap() as usize,
            sel[1]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(sel[0]["exact"].as_str().unwrap(), py_slice(start, end));
        assert_eq!(
            sel[0]["prefix"].as_str().unwrap(),
            py_slice(start.saturating_sub(32), start)
        );
        tagged += 1;
    }
    assert_eq!(tagged, spans_in_doc);
    assert_eq!(
        items
            .iter()
            .filter(|a| a["motivation"] == "linking")
            .count(),
        4
    );

    // HTML: document and note text are escaped, never markup.
    let out = dir.path().join("x.html");
    formats::export(&p, ExportFormat::Html, &out, &Filter::default()).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"), "unescaped script tag");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Tricky &lt;script&gt;"));
}

#[test]
fn filters_by_document_and_label() {
    let p = sample();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.csv");
    let filter = Filter {
        doc: Some(DocId(2)),
        labels: Some([LabelId("figure".into())].into_iter().collect()),
    };
    let w = formats::export(&p, ExportFormat::Csv, &out, &filter).unwrap();
    let want = p
        .spans_in(DocId(2))
        .filter(|s| s.label.as_str() == "figure")
        .count();
    assert_eq!(w.spans, want);
    let rows = csv::Reader::from_path(&out).unwrap().records().count();
    assert_eq!(rows, want);
}

#[test]
fn cli_export_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_marginalia");
    let sample = root().join("projects/daily-nk-workers.ron");
    let out = dir.path().join("brat");
    let o = std::process::Command::new(bin)
        .args(["export"])
        .arg(&sample)
        .args(["--format", "brat", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("wrote 111 span(s)"));
    // Import into a fresh project holding the same two articles.
    let proj = dir.path().join("p.ron");
    let texts: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    let o = std::process::Command::new(bin)
        .arg("new")
        .arg(&proj)
        .args(&texts)
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = std::process::Command::new(bin)
        .arg("import")
        .arg(&proj)
        .args(["--format", "brat"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("111 span(s), 57 link(s) imported"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let bad = std::process::Command::new(bin)
        .arg("export")
        .arg(&sample)
        .args(["--format", "csv", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is a folder"));
}

/// Inputs that once broke an importer (found by the fuzzers); each must
/// now import, or be refused, without a failing edit.
#[test]
fn fuzz_regressions() {
    use marginalia::formats::{
        brat,
        import::{Planner, Report},
    };
    let dir = root().join("tests/data/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&path).unwrap();
        let Ok(input) = std::str::from_utf8(&data) else {
            continue;
        };
        if name.starts_with("brat-import") {
            let (text, ann) = input.split_once('\0').unwrap_or((input, ""));
            let project = Project::new("fuzz");
            let mut report = Report::default();
            let mut planner = Planner::new(&project);
            if brat::plan_document(&mut planner, "doc", text, ann, &mut report).is_ok() {
                let mut p = project.clone();
                History::new()
                    .execute(&mut p, Command::Edits("import".into(), planner.finish()))
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let saved = marginalia::store::to_ron_string(&p).unwrap();
                marginalia::store::load_str(&saved, Path::new("fuzz.ron")).unwrap();
            }
            n += 1;
        } else if name.starts_with("jsonl-import") {
            let project = Project::new("fuzz");
            let mut report = Report::default();
            if let Ok(edits) = marginalia::formats::jsonl::plan(&project, input, &mut report) {
                let mut p = project.clone();
                History::new()
                    .execute(&mut p, Command::Edits("import".into(), edits))
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let saved = marginalia::store::to_ron_string(&p).unwrap();
                marginalia::store::load_str(&saved, Path::new("fuzz.ron")).unwrap();
            }
            n += 1;
        } else if name.starts_with("text-import") {
            // Two BOMs: exactly one is stripped, the second is content.
            let t =
                marginalia::formats::text::import_bytes(&data, Path::new("x.txt"), None).unwrap();
            assert!(t.text.starts_with('\u{feff}') && !input[3..].is_empty());
            n += 1;
        }
    }
    assert!(n >= 4, "{n} regression inputs");
}

/// Resolves an `.ann` file into id-free facts: each line's type letter,
/// its type name and what it points at as covered text, so that two files
/// that differ only in their ids compare equal.
fn ann_facts(ann: &str, txt: &str) -> Vec<String> {
    let chars: Vec<char> = txt.chars().collect();
    let mut text_of = std::collections::HashMap::new();
    for line in ann.lines() {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        if cols[0].starts_with('T') {
            let (_, offsets) = cols[1].split_once(' ').unwrap();
            let covered: Vec<String> = offsets
                .split(';')
                .map(|f| {
                    let (a, b) = f.split_once(' ').unwrap();
                    let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
                    chars[a..b].iter().collect()
                })
                .collect();
            text_of.insert(
                cols[0].to_string(),
                format!(
                    "{}[{}]",
                    cols[1].split(' ').next().unwrap(),
                    covered.join("|")
                ),
            );
        }
    }
    // Events are named by their type and trigger, so an event argument
    // (`Theme:E1`) compares by what it points at, not by its id.
    for line in ann.lines().filter(|l| l.starts_with('E')) {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let (kind, trigger) = cols[1].split(' ').next().unwrap().split_once(':').unwrap();
        let named = format!("{kind}@{}", text_of[trigger]);
        text_of.insert(cols[0].to_string(), named);
    }
    let mut facts: Vec<String> = Vec::new();
    for line in ann.lines() {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let resolve = |w: &str| -> String {
            let (role, id) = w.split_once(':').unwrap_or(("", w));
            let t = text_of
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.trim_start_matches(char::is_numeric).to_string());
            if role.is_empty() {
                t
            } else {
                format!("{role}:{t}")
            }
        };
        // `M` is brat's older letter for `A`: the letter is part of the id.
        let kind = if cols[0].starts_with('M') {
            "A"
        } else {
            &cols[0][..1]
        };
        let body: Vec<String> = match kind {
            "T" => vec![text_of[cols[0]].clone()],
            "A" | "M" | "R" | "E" | "#" | "N" | "*" => cols[1].split(' ').map(resolve).collect(),
            _ => vec![cols[1].to_string()],
        };
        let tail = if kind == "#" {
            cols.get(2).copied().unwrap_or("")
        } else {
            ""
        };
        facts.push(format!("{kind} {} {tail}", body.join(" ")));
    }
    facts.sort();
    facts
}

/// A brat corpus of our own with fragments, relations, events, attributes
/// (binary and valued) and notes, including a PARC-style attribution with a
/// discontinuous Content: import then export gives the same lines, ids
/// aside, and the annotation.conf declares what is used.
#[test]
fn brat_fragments_events_and_attributes_round_trip() {
    let txt = "“The factories will reopen soon,” a Chinese official said on Monday, “but not for North Koreans.”\nWorkers earn RMB 2,000 a month.\n";
    let ann = "T1\tSource 34 52\ta Chinese official\n\
T2\tCue 53 57\tsaid\n\
T3\tContent 1 31;70 95\tThe factories will reopen soon but not for North Koreans\n\
T4\tAttribution 53 57\tsaid\n\
T5\tFigure 111 120\tRMB 2,000\n\
E2\tDispute:T2 Theme:E1 Agent:T1\n\
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
R1\tAbout Arg1:T5 Arg2:T3\n\
R2\tSupports Evidence:T5 Claim:T3\n\
A1\tNegated T3\n\
A2\tSourceKind T1 official\n\
M3\tFactuality E1 Asserted\n\
#1\tAnnotatorNotes T5\tper month\n\
#2\tReviewerNote T3\tcheck the second half\n\
N1\tReference T1 Wikidata:Q1\tChinese official\n\
*\tEquiv T2 T4\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("000-parc.txt"), txt).unwrap();
    std::fs::write(dir.path().join("000-parc.ann"), ann).unwrap();
    let mut q = Project::new("parc");
    let report = import_into(&mut q, ImportFormat::Brat, dir.path());
    assert!(report.skipped.is_empty(), "{report}");
    assert_eq!(q.events().len(), 2, "an event may name a later event");
    assert_eq!(
        q.link_type("Supports").and_then(|t| t.roles.clone()),
        Some(("Evidence".into(), "Claim".into())),
        "relation role names are kept"
    );
    assert_eq!(q.extras().len(), 3, "the N, # and * lines are kept");
    let content = q.spans().find(|s| s.label.as_str() == "Content").unwrap();
    assert_eq!(
        content.fragments,
        vec![(1, 31), (70, 95)],
        "one discontinuous Content"
    );
    assert_eq!(
        q.label(&content.label).unwrap().id.as_str(),
        "Content",
        "case kept"
    );
    let out = tempfile::tempdir().unwrap();
    formats::export(&q, ExportFormat::Brat, out.path(), &Filter::default()).unwrap();
    // The file stem comes back.
    let back_ann = std::fs::read_to_string(out.path().join("000-parc.ann")).unwrap();
    let back_txt = std::fs::read_to_string(out.path().join("000-parc.txt")).unwrap();
    assert_eq!(back_txt, txt);
    assert_eq!(
        ann_facts(&back_ann, &back_txt),
        ann_facts(ann, txt),
        "{back_ann}"
    );
    let conf = std::fs::read_to_string(out.path().join("annotation.conf")).unwrap();
    for want in [
        "Content\n",
        "About\t",
        "Attribution\t",
        "Supports\tEvidence:<ENTITY>, Claim:<ENTITY>\n",
        "Dispute\tAgent:<ENTITY>, Theme:<EVENT>\n",
        "Negated\tArg:<ANY>\n",
        "SourceKind\tArg:<ANY>, Value:official",
        "Factuality\tArg:<ANY>, Value:Asserted",
    ] {
        assert!(conf.contains(want), "{want:?} missing from:\n{conf}");
    }
    // And through the project file and JSON, nothing is lost either.
    let ron = marginalia::store::to_ron_string(&q).unwrap();
    let again = marginalia::store::load_str(&ron, Path::new("q.ron"))
        .unwrap()
        .project;
    assert_eq!(again, q);
    let json = dir.path().join("q.json");
    formats::export(&q, ExportFormat::Json, &json, &Filter::default()).unwrap();
    let mut r = Project::new("empty");
    for l in r.labels().to_vec() {
        History::new()
            .execute(&mut r, marginalia::model::Command::RemoveLabel(l.id))
            .unwrap();
    }
    import_into(&mut r, ImportFormat::Json, &json);
    assert_eq!(
        r.events().collect::<Vec<_>>(),
        q.events().collect::<Vec<_>>()
    );
    assert_eq!(r.extras(), q.extras());
    assert_eq!(r.link_types(), q.link_types(), "role names survive JSON");
    assert_eq!(r.spans().collect::<Vec<_>>(), q.spans().collect::<Vec<_>>());
}

/// The spreadsheet export has one column per declared attribute, read back
/// typed: numbers parse as numbers, flags are true/false where declared.
#[test]
fn csv_has_a_typed_column_per_attribute() {
    let mut p = sample();
    // A figure with a range, and a hand-set flag.
    let fig = p
        .spans()
        .find(|s| {
            s.label.as_str() == "figure" && s.attrs.get("value").map(String::as_str) == Some("10")
        })
        .unwrap()
        .id;
    let mut h = History::new();
    h.execute(
        &mut p,
        Command::SetAttr(fig, "approximate".into(), Some("true".into())),
    )
    .unwrap();
    let bytes = export_bytes(&p, ExportFormat::Csv).remove(0).1;
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let attrs: Vec<String> = p
        .labels()
        .iter()
        .flat_map(|l| l.attributes.iter().map(|a| a.name.clone()))
        .collect();
    let n = formats::csv::HEADER.len();
    assert_eq!(&header[..n], formats::csv::HEADER);
    // An attribute named like a fixed column (the claim's `status`, next to
    // the article's) is written as `attr_NAME`.
    let column = |name: &str| {
        if formats::csv::HEADER.contains(&name) {
            format!("attr_{name}")
        } else {
            name.to_string()
        }
    };
    let columns: Vec<String> = attrs.iter().map(|a| column(a)).collect();
    assert_eq!(
        &header[n..],
        &columns[..],
        "one column per attribute, named after it"
    );
    assert!(columns.contains(&"attr_status".to_string()));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut seen_figures = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let id = SpanId(row[2].parse().unwrap());
        let span = p.span(id).unwrap();
        let label = p.label(&span.label).unwrap();
        let doc = p.document(span.doc).unwrap();
        assert_eq!(&row[col("status")], doc.status.as_str());
        for name in &attrs {
            let cell = &row[col(&column(name))];
            let def = p
                .labels()
                .iter()
                .flat_map(|l| &l.attributes)
                .find(|a| &a.name == name)
                .unwrap();
            match (span.attrs.get(name), label.attribute(name)) {
                (Some(v), _) if def.kind == marginalia::model::AttrKind::Number => {
                    assert_eq!(cell.parse::<f64>().unwrap(), v.parse::<f64>().unwrap());
                }
                (Some(v), _) => assert_eq!(cell, v),
                (None, Some(d)) if d.kind == marginalia::model::AttrKind::Flag => {
                    assert_eq!(cell, "false", "span {id} {name}")
                }
                (None, _) => assert_eq!(cell, "", "span {id} {name}"),
            }
        }
        if span.id == fig {
            seen_figures += 1;
            assert_eq!(&row[col("value")], "10");
            assert_eq!(&row[col("unit")], "RMB");
            assert_eq!(&row[col("approximate")], "true");
        }
    }
    assert_eq!(seen_figures, 1);
}

#[test]
fn the_html_report_has_a_table_of_events() {
    let mut p = Project::new("events");
    let mut h = History::new();
    h.execute(
        &mut p,
        Command::AddDocument {
            title: "t".into(),
            origin: None,
            text: "Officials said <b>workers</b> left.".into(),
        },
    )
    .unwrap();
    let tag = |p: &mut Project, h: &mut History, start, end, label: &str| {
        h.execute(
            p,
            Command::AddSpan {
                doc: DocId(1),
                label: LabelId(label.into()),
                start,
                end,
                note: None,
                created: "2026-12-06T00:00:00Z".into(),
            },
        )
        .unwrap()
        .spans[0]
    };
    let source = tag(&mut p, &mut h, 0, 9, "source");
    let cue = tag(&mut p, &mut h, 10, 14, "claim");
    let content = tag(&mut p, &mut h, 15, 34, "claim");
    h.execute(
        &mut p,
        Command::AddEvent {
            kind: "Attribution".into(),
            trigger: cue,
            args: vec![
                ("Source".into(), marginalia::model::Target::Span(source)),
                ("Content".into(), marginalia::model::Target::Span(content)),
            ],
            attrs: Default::default(),
        },
    )
    .unwrap();
    let html = String::from_utf8(export_bytes(&p, ExportFormat::Html).remove(0).1).unwrap();
    let table = &html[html.find("<h3>Events</h3>").expect("an events table")..];
    assert!(
        table.contains("<td>Attribution</td><td>said</td>"),
        "{table}"
    );
    assert!(table.contains("<b>Source</b>: Officials"));
    assert!(
        table.contains("<b>Content</b>: &lt;b&gt;workers&lt;/b&gt; left"),
        "escaped: {table}"
    );
}

/// In the HTML report an unsourced figure reads "no source", as an
/// unsourced claim does, instead of an empty cell.
#[test]
fn the_html_report_says_no_source_for_figures_too() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let p = marginalia::store::load(&path).unwrap().project;
    let html = String::from_utf8(export_bytes(&p, ExportFormat::Html).remove(0).1).unwrap();
    let mut tables = 0;
    for part in html.split("<h3>Figures</h3>").skip(1) {
        let table = part.split("</table>").next().unwrap();
        tables += 1;
        for row in table.split("<tr>").skip(2) {
            let cells: Vec<&str> = row.split("<td").collect();
            // ["", ">id", ">figure", ">sources", " class=\"note\">…"]
            assert!(cells.len() >= 4, "{row}");
            assert_ne!(cells[3], "></td>", "an empty sources cell: {row}");
        }
    }
    assert!(tables > 0);
    let unsourced = p
        .spans()
        .filter(|s| s.label.as_str() == "figure")
        .any(|f| !p.links_of(f.id).any(|l| l.from == f.id));
    assert!(unsourced, "the sample has an unsourced figure");
    assert!(
        html.split("<h3>Figures</h3>")
            .nth(1)
            .unwrap()
            .contains("no source")
    );
}
