//! Real corpora break importers: one bad line must not refuse a corpus.
//! A folder of our own with every kind of bad line, then the public
//! PolNeAR corpus (from `../shared/peers/`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod peers;

use std::path::Path;
use std::process::Command;

fn marginalia(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .env("MARGINALIA_NOW", "2026-12-06T00:00:00Z")
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn import(project: &Path, folder: &Path) -> (Option<i32>, String) {
    let p = project.to_str().unwrap();
    assert!(marginalia(&["new", p]).status.success());
    let o = marginalia(&["import", p, "--format", "brat", folder.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    (o.status.code(), out)
}

#[test]
fn a_corpus_with_bad_lines_imports_every_sound_line_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("corpus");
    std::fs::create_dir(&brat).unwrap();
    let text = "The mayor said the bridge will reopen in May.\n\nOfficials disagreed.\n";
    // Sound, with a discontinuous span listed out of text order.
    write(&brat, "a.txt", &format!("{text}Article a.\n"));
    write(
        &brat,
        "a.ann",
        "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 26 44;15 25\twill reopen in May the bridge\n\
         E1\tAttribution:T2 Source:T1 Content:T3\n",
    );
    // A reversed range, an event that needs it, and a line of nonsense.
    write(&brat, "b.txt", &format!("{text}Article b.\n"));
    write(
        &brat,
        "b.ann",
        "T1\tSource 0 9\tThe mayor\nT2\tContent 44 15\tthe bridge\nE1\tAttribution:T1 Content:T2\nX1\twhat is this\n",
    );
    // A text field broken over lines, as PolNeAR has three.
    write(&brat, "c.txt", &format!("{text}Article c.\n"));
    write(
        &brat,
        "c.ann",
        "T1\tContent 15 66\tthe bridge will reopen in May.\n\nOfficials disagreed\nT2\tSource 0 9\tThe mayor\n",
    );
    // A quote that does not match its offsets.
    write(&brat, "d.txt", &format!("{text}Article d.\n"));
    write(
        &brat,
        "d.ann",
        "T1\tSource 0 9\tThe minister\nT2\tCue 10 14\tsaid\n",
    );
    // An article whose text is not UTF-8.
    std::fs::write(brat.join("e.txt"), b"caf\xe9\n").unwrap();
    write(&brat, "e.ann", "T1\tSource 0 3\tcaf\n");
    // A dotted stem, as CoNLL-2002 names its files.
    write(
        &brat,
        "esp.train-doc-100.txt",
        &format!("{text}Article esp.train-doc-100.\n"),
    );
    write(
        &brat,
        "esp.train-doc-100.ann",
        "T1\tSource 0 9\tThe mayor\n",
    );

    let project = dir.path().join("p.ron");
    let (code, out) = import(&project, &brat);
    assert_eq!(code, Some(1), "problems found: exit 1\n{out}");
    for expected in [
        "b.ann line 2: T2 range 44..15 is reversed (its end comes before its start)",
        "b.ann line 3: event E1: argument Content:T2",
        "b.ann line 4: X1 lines are not supported",
        "c.ann line 1: T1's text runs on to line 3",
        "d.ann line 1: T1 says \"The minister\" but the text at those offsets is \"The mayor\"",
        "e: not imported:",
        "e.txt is not UTF-8",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(!out.contains("outside the text"), "{out}");
    let json = dir.path().join("p.json");
    assert!(
        marginalia(&[
            "export",
            project.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            json.to_str().unwrap()
        ])
        .status
        .success()
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5, "every readable article");
    let spans = v["spans"].as_array().unwrap();
    let quoted = |t: &str| spans.iter().filter(|s| s["text"] == t).count();
    // a: 3 spans (one discontinuous, in text order), its event.
    let content = spans
        .iter()
        .find(|s| s["label"] == "Content" && s["fragments"].is_array())
        .unwrap_or_else(|| panic!("{spans:#?}"));
    assert_eq!(
        content["fragments"],
        serde_json::json!([[15, 25], [26, 44]])
    );
    assert_eq!(
        v["events"].as_array().unwrap().len(),
        1,
        "a's event; b's needs the skipped span"
    );
    // c: the run-on span covers both paragraphs.
    assert_eq!(
        quoted("the bridge will reopen in May.\n\nOfficials disagreed"),
        1
    );
    // d: the sound line is kept, the bad one is not.
    assert_eq!(quoted("said"), 2, "a's and d's cue");
    // The dotted stem is kept, and written back as it was.
    assert!(docs.iter().any(|d| d["stem"] == "esp.train-doc-100"));
    let out_dir = dir.path().join("out");
    assert!(
        marginalia(&[
            "export",
            project.to_str().unwrap(),
            "--format",
            "brat",
            "-o",
            out_dir.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert!(out_dir.join("esp.train-doc-100.ann").exists());
    assert!(out_dir.join("esp.train-doc-100.txt").exists());
}

/// The public PolNeAR corpus (train and dev, 924 articles) from one folder:
/// every article and every line imported, the three files whose quoted
/// text runs over lines named, exit 1.
#[test]
fn the_polnear_corpus_imports_whole() {
    let (Some(train), Some(dev)) = (peers::peer("polnear/train"), peers::peer("polnear/dev"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("polnear");
    std::fs::create_dir(&folder).unwrap();
    let (mut articles, mut t_lines, mut e_lines) = (0, 0, 0);
    for split in [&train, &dev] {
        for entry in std::fs::read_dir(split).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap();
            std::fs::copy(&path, folder.join(name)).unwrap();
            if path.extension().is_some_and(|x| x == "ann") {
                articles += 1;
                let ann = std::fs::read_to_string(&path).unwrap();
                let id_of = |l: &str, kind: char| {
                    let id = l.split('\t').next().unwrap_or("");
                    id.len() > 1
                        && id.starts_with(kind)
                        && id[1..].chars().all(|c| c.is_ascii_digit())
                };
                t_lines += ann.lines().filter(|l| id_of(l, 'T')).count();
                e_lines += ann.lines().filter(|l| id_of(l, 'E')).count();
            }
        }
    }
    assert_eq!(articles, 924);
    let project = dir.path().join("p.ron");
    let started = std::time::Instant::now();
    let (code, out) = import(&project, &folder);
    eprintln!(
        "PolNeAR train+dev imported in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        out.lines().next().unwrap_or("")
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("924 document(s), "), "{out}");
    assert!(!out.contains("not imported"), "every line imported:\n{out}");
    for broken in [
        "nyt_2016-04-18_for-news-outlets-feeling-the-squ.ann line 51",
        "usa-today_2016-08-09_khans-trump-stirs-ugliness-musli.ann line 85",
        "wash-post_2016-06-27_byline-amber-phillips.ann line 47",
    ] {
        assert!(out.contains(broken), "{broken} named in\n{out}");
    }
    let spans: usize = out
        .split("document(s), ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let duplicates: usize = out
        .split("; ")
        .find(|p| p.contains("duplicate span(s) skipped"))
        .and_then(|p| p.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert_eq!(spans + duplicates, t_lines, "every T line is a span");
    let stats = marginalia(&["stats", project.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(v["documents"], 924);
    assert_eq!(v["spans"], spans);
    // Exported again, every event is there (written per article).
    let out = dir.path().join("out");
    let export = marginalia(&[
        "export",
        project.to_str().unwrap(),
        "--format",
        "brat",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(export.status.success());
    let mut exported_events = 0;
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        if entry.path().extension().is_some_and(|x| x == "ann") {
            let ann = std::fs::read_to_string(entry.path()).unwrap();
            exported_events += ann.lines().filter(|l| l.starts_with('E')).count();
        }
    }
    assert_eq!(exported_events, e_lines, "every E line comes back out");
}
