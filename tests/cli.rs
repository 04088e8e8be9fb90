//! CLI integration tests that run the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    c.env("MARGINALIA_NOW", "2026-11-23T00:00:00Z");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The two sample articles, kept in the repository beside the samples.
fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/articles");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    assert_eq!(v.len(), 2, "{}", dir.display());
    v
}

/// The subcommands `--help` lists (`listing`), clap's own `help` left out.
fn subcommands(listing: &str) -> Vec<&str> {
    listing
        .split("Commands:")
        .nth(1)
        .and_then(|r| r.split("Arguments:").next())
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|s| *s != "help")
        .collect()
}

/// Every subcommand `--help` lists has its own help, with its usage.
#[test]
fn help_exists_for_every_subcommand() {
    let top = run(&["--help"]);
    assert!(top.status.success());
    let listing = stdout(&top);
    let subs = subcommands(&listing);
    assert!(subs.len() >= 20, "{subs:?}");
    for sub in &subs {
        let o = run(&[sub, "--help"]);
        assert!(o.status.success(), "{sub} --help failed");
        assert!(
            stdout(&o).contains(&format!("Usage: marginalia {sub}")),
            "{sub}: {}",
            stdout(&o)
        );
        let o = run(&["help", sub]);
        assert!(
            o.status.success() && stdout(&o).contains("Usage:"),
            "help {sub}"
        );
    }
}

/// The command-line conventions: `--version`; completion scripts for
/// every shell clap_complete knows; one man page naming every
/// subcommand and its options; no colour escapes when `NO_COLOR` is set
/// or the output is not a terminal.
#[test]
fn version_completions_manpage_and_no_colour() {
    let v = run(&["--version"]);
    assert!(v.status.success());
    assert_eq!(
        stdout(&v),
        format!("marginalia {}", env!("CARGO_PKG_VERSION"))
    );
    for (shell, mark) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef marginalia"),
        ("fish", "complete -c marginalia"),
        ("elvish", "edit:completion:arg-completer[marginalia]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(mark), "{shell}: no {mark:?}");
        // Subcommands and their flags are in it.
        assert!(
            script.contains("suggest") && script.contains("min-score"),
            "{shell}"
        );
    }
    assert!(!run(&["completions", "tcsh"]).status.success());
    let man = run(&["manpage"]);
    assert!(man.status.success(), "{}", stderr(&man));
    let page = stdout(&man);
    assert!(
        page.starts_with(".ie") || page.contains(".TH marginalia"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains(".SH \"COMMANDS IN DETAIL\""));
    let top = stdout(&run(&["--help"]));
    let subs = subcommands(&top);
    for sub in subs {
        let escaped = sub.replace('-', "\\-");
        assert!(
            page.contains(&format!(".SS \"marginalia {escaped}")),
            "the man page has no part for {sub}"
        );
    }
    // Options of subcommands, nested ones too, are described.
    assert!(page.contains("\\fB\\-\\-min\\-score\\fR"));
    assert!(page.contains("merge <SOURCE_ID> <INTO_ID>"));
    assert!(
        !page.contains("help help"),
        "clap's own help subcommands are left out"
    );
    // No colour: with NO_COLOR, and when piped (as here) without it.
    for no_color in [true, false] {
        let mut c = bin();
        c.args(["suggest", "--min-score"]);
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        let o = c.output().unwrap();
        assert!(!o.status.success());
        assert!(
            !o.stderr.contains(&0x1b),
            "colour escapes in {:?}",
            stderr(&o)
        );
        assert!(!o.stdout.contains(&0x1b));
    }
}

/// `-` reads the project from standard input for commands that only
/// read it, and a command that would save it back says it cannot.
#[test]
fn a_dash_reads_the_project_from_standard_input() {
    use std::io::Write;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron");
    let text = std::fs::read(&sample).unwrap();
    let piped = |args: &[&str]| {
        let mut child = bin()
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&text).unwrap();
        child.wait_with_output().unwrap()
    };
    let from_file = run(&["stats", sample.to_str().unwrap(), "--json"]);
    let from_stdin = piped(&["stats", "-", "--json"]);
    assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
    assert_eq!(stdout(&from_stdin), stdout(&from_file));
    let sources = piped(&["sources", "-", "--json"]);
    assert!(sources.status.success(), "{}", stderr(&sources));
    let tag = piped(&["untag", "-", "1"]);
    assert!(!tag.status.success());
    assert!(stderr(&tag).contains("standard input"), "{}", stderr(&tag));
    // An import reads its input from standard input too.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    assert!(run(&["new", p.to_str().unwrap()]).status.success());
    let json = run(&[
        "export",
        sample.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        dir.path().join("x.json").to_str().unwrap(),
    ]);
    assert!(json.status.success());
    let exported = std::fs::read(dir.path().join("x.json")).unwrap();
    let mut child = bin()
        .args(["import", p.to_str().unwrap(), "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&exported).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let stats = stdout(&run(&["stats", p.to_str().unwrap(), "--json"]));
    assert!(
        stats.contains("\"documents\":2") || stats.contains("\"documents\": 2"),
        "{stats}"
    );
}

/// `merge` and `agree` from the command line, on versions made here: a
/// clean merge keeps both sides' spans, a conflicting one exits 1 and
/// records it; agreement of a version with itself is 1.
#[test]
fn merge_and_agree_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.ron");
    let text = dir.path().join("a.txt");
    std::fs::write(
        &text,
        "Officials said 300 workers left in March, a source said.\n",
    )
    .unwrap();
    assert!(
        run(&["new", base.to_str().unwrap(), text.to_str().unwrap()])
            .status
            .success()
    );
    let copy = |name: &str| {
        let p = dir.path().join(name);
        std::fs::copy(&base, &p).unwrap();
        p
    };
    let (ours, theirs) = (copy("ours.ron"), copy("theirs.ron"));
    let tag = |p: &Path, label: &str, quote: &str| {
        let o = run(&[
            "tag",
            p.to_str().unwrap(),
            "--doc",
            "1",
            "--label",
            label,
            "--quote",
            quote,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    tag(&ours, "figure", "300 workers");
    tag(&theirs, "figure", "in March");
    tag(&theirs, "source", "a source said");
    let merged = dir.path().join("merged.ron");
    let o = run(&[
        "merge",
        base.to_str().unwrap(),
        ours.to_str().unwrap(),
        theirs.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let stats: serde_json::Value =
        serde_json::from_slice(&run(&["stats", merged.to_str().unwrap(), "--json"]).stdout)
            .unwrap();
    assert_eq!(stats["spans"], 3, "both sides' spans");
    assert_eq!(stats["spans_per_label"]["figure"], 2);

    // Both retag the same span differently: a conflict, exit 1, recorded.
    let shared = tag(&base, "claim", "Officials said 300 workers left in March");
    let (ours, theirs) = (copy("ours2.ron"), copy("theirs2.ron"));
    assert!(
        run(&["retag", ours.to_str().unwrap(), &shared, "figure"])
            .status
            .success()
    );
    assert!(
        run(&["retag", theirs.to_str().unwrap(), &shared, "source"])
            .status
            .success()
    );
    let o = run(&[
        "merge",
        base.to_str().unwrap(),
        ours.to_str().unwrap(),
        theirs.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let o = run(&["check", merged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("conflict"), "{}", stdout(&o));

    // Agreement: a version against itself agrees fully; against one with
    // a span less, less.
    let o = run(&[
        "agree",
        ours.to_str().unwrap(),
        ours.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["total"]["mean"], 1.0, "{v}");
    let o = run(&[
        "agree",
        base.to_str().unwrap(),
        theirs.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["total"]["mean"].as_f64().unwrap() < 1.0, "{v}");
}

#[test]
fn new_add_tag_link_stats_check_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let texts = samples();
    let o = bin()
        .args(["new", ps, "--name", "Daily NK"])
        .arg(&texts[0])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // `new` refuses to overwrite.
    assert_eq!(run(&["new", ps]).status.code(), Some(2));

    let extra = dir.path().join("extra.txt");
    std::fs::write(
        &extra,
        "\u{feff}Second “article”\r\nNorth Korea’s 2 workers.\r\n",
    )
    .unwrap();
    let o = bin().args(["add", ps]).arg(&extra).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("added document 2: Second “article”"));

    let claim = run(&[
        "tag",
        ps,
        "--doc",
        "2",
        "--label",
        "claim",
        "--quote",
        "North Korea’s 2 workers",
    ]);
    assert_eq!(stdout(&claim), "1", "{}", stderr(&claim));
    let fig = run(&[
        "tag",
        ps,
        "--doc",
        "Second “article”",
        "--label",
        "figure",
        "--quote",
        "2",
        "--occurrence",
        "1",
        "--note",
        "a count",
    ]);
    assert_eq!(stdout(&fig), "2", "{}", stderr(&fig));
    let src = run(&[
        "tag", ps, "--doc", "2", "--label", "source", "--quote", "Second",
    ]);
    assert_eq!(stdout(&src), "3");
    let link = run(&["link", ps, "1", "3"]);
    assert_eq!(stdout(&link), "1", "{}", stderr(&link));

    // Offsets are code points; CRLF became LF and the BOM is gone.
    let saved = std::fs::read_to_string(&p).unwrap();
    assert!(
        saved.contains("text: \"Second “article”\\nNorth Korea’s 2 workers.\\n\""),
        "{saved}"
    );
    assert!(saved.contains("(1, 2, \"claim\", 17, 40,"), "{saved}");
    assert!(
        saved.contains(
            "(2, 2, \"figure\", 31, 32, \"2026-11-23T00:00:00Z\", Some(\"a count\"), [], {})"
        ),
        "{saved}"
    );

    let stats = run(&["stats", ps, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(v["documents"], 2);
    assert_eq!(v["spans"], 3);
    assert_eq!(v["links"], 1);
    assert_eq!(v["spans_per_label"]["figure"], 1);
    assert_eq!(v["per_document"][1]["spans"], 3);

    let check = run(&["check", ps]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn quote_errors_are_clear_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let t = dir.path().join("a.txt");
    std::fs::write(&t, "the source said yes; the source said no").unwrap();
    assert!(bin().args(["new", ps]).arg(&t).status().unwrap().success());
    let amb = run(&[
        "tag",
        ps,
        "--doc",
        "1",
        "--label",
        "source",
        "--quote",
        "the source said",
    ]);
    assert_eq!(amb.status.code(), Some(1));
    assert!(
        stderr(&amb).contains("ambiguous: it occurs 2 times"),
        "{}",
        stderr(&amb)
    );
    let missing = run(&[
        "tag", ps, "--doc", "1", "--label", "source", "--quote", "nobody",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("does not occur"));
    let out_of_range = run(&[
        "tag",
        ps,
        "--doc",
        "1",
        "--label",
        "source",
        "--quote",
        "the source said",
        "--occurrence",
        "3",
    ]);
    assert_eq!(out_of_range.status.code(), Some(1));
    let bad_label = run(&[
        "tag", ps, "--doc", "1", "--label", "rumour", "--quote", "yes",
    ]);
    assert_eq!(bad_label.status.code(), Some(1));
    assert!(stderr(&bad_label).contains("claim, figure, source"));
    let bad_doc = run(&[
        "tag", ps, "--doc", "7", "--label", "claim", "--quote", "yes",
    ]);
    assert_eq!(bad_doc.status.code(), Some(1));
    let second = run(&[
        "tag",
        ps,
        "--doc",
        "1",
        "--label",
        "source",
        "--quote",
        "the source said",
        "--occurrence",
        "2",
    ]);
    assert!(second.status.success());
    let saved = std::fs::read_to_string(&p).unwrap();
    assert!(saved.contains("(1, 1, \"source\", 21, 36,"), "{saved}");
}

#[test]
fn unicode_offsets_are_code_points() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let t = dir.path().join("k.txt");
    // Korean, a ZWJ emoji family, a combining accent and curly quotes, with CRLF.
    std::fs::write(&t, "북한 👩‍👩‍👧 e\u{301}te\r\n“노동자” 10%").unwrap();
    assert!(bin().args(["new", ps]).arg(&t).status().unwrap().success());
    for (quote, start, end) in [
        ("노동자", 15, 18),
        ("e\u{301}te", 9, 13),
        ("👩‍👩‍👧", 3, 8),
        ("10%", 20, 23),
    ] {
        let o = run(&[
            "tag", ps, "--doc", "1", "--label", "figure", "--quote", quote,
        ]);
        assert!(o.status.success(), "{quote}: {}", stderr(&o));
        let id = stdout(&o);
        let saved = std::fs::read_to_string(&p).unwrap();
        let want = format!("({id}, 1, \"figure\", {start}, {end},");
        assert!(saved.contains(&want), "{quote}: want {want} in {saved}");
    }
}

#[test]
fn label_schema_is_data() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let t = dir.path().join("a.txt");
    std::fs::write(&t, "On March 3 the Ministry said so.").unwrap();
    assert!(bin().args(["new", ps]).arg(&t).status().unwrap().success());
    let o = run(&[
        "label", ps, "add", "date", "--name", "Date", "--color", "#aa00ff", "--key", "4",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dup_key = run(&["label", ps, "add", "org", "--name", "Org", "--key", "4"]);
    assert_eq!(dup_key.status.code(), Some(1));
    let bad_id = run(&["label", ps, "add", "Bad Id", "--name", "x"]);
    assert_eq!(bad_id.status.code(), Some(2));
    let o = run(&[
        "tag", ps, "--doc", "1", "--label", "date", "--quote", "March 3",
    ]);
    assert!(o.status.success());
    let list = stdout(&run(&["label", ps, "list"]));
    assert!(list.contains("date\tDate\t#aa00ff\tkey 4"), "{list}");
}

#[test]
fn sample_projects_are_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "ron") {
            let o = bin().arg("check").arg(&path).output().unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}: {}",
                path.display(),
                stdout(&o)
            );
            n += 1;
        }
    }
    assert!(n >= 2, "expected at least two sample projects");
}

/// `marginalia stats P.ron | head -1` must end quietly when `head` closes
/// the pipe, as ripgrep does, not panic with "failed printing to stdout".
#[test]
fn a_closed_stdout_pipe_ends_the_command_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut texts = Vec::new();
    for i in 0..1_200 {
        let t = dir.path().join(format!("a{i:04}.txt"));
        std::fs::write(&t, format!("Article number {i} about workers.\n")).unwrap();
        texts.push(t);
    }
    let p = dir.path().join("many.ron");
    let o = bin().arg("new").arg(&p).args(&texts).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let ps = p.to_str().unwrap();
    for args in [
        vec!["stats", ps],
        vec!["label", ps, "list"],
        vec!["check", ps],
    ] {
        let mut child = bin()
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is dropped here: the pipe is closed, like `head -1`.
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!first.is_empty(), "{args:?} printed nothing");
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A project with spans 1 and 2 (claims) and 3 (a source), tagged by the CLI.
fn two_claims_and_a_source(dir: &Path) -> PathBuf {
    let p = dir.join("p.ron");
    let ps = p.to_str().unwrap();
    let t = dir.join("a.txt");
    std::fs::write(&t, "The claim here. The other claim. A source said.\n").unwrap();
    assert!(run(&["new", ps, t.to_str().unwrap()]).status.success());
    for (label, quote) in [
        ("claim", "The claim here"),
        ("claim", "The other claim"),
        ("source", "A source said"),
    ] {
        let o = run(&["tag", ps, "--doc", "1", "--label", label, "--quote", quote]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    p
}

/// A project file written before link rules, with a claim → claim link.
const OLD_FILE_WITH_BAD_LINK: &str = r##"(
    version: 1,
    name: "old",
    next_ids: (document: 2, span: 3, link: 2),
    labels: [
        (id: "claim", name: "Claim", color: "#f2a53a", hotkey: Some('1')),
        (id: "figure", name: "Figure", color: "#3f9cd8", hotkey: Some('2')),
        (id: "source", name: "Source attribution", color: "#5fb85a", hotkey: Some('3')),
    ],
    documents: [
        (id: 1, title: "t", origin: None, hash: "", text: "One claim. Another claim."),
    ],
    spans: [
        (1, 1, "claim", 0, 10, "2026-01-01T00:00:00Z", None),
        (2, 1, "claim", 11, 25, "2026-01-01T00:00:00Z", None),
    ],
    links: [
        (1, 1, 2, "attributed_to"),
    ],
)
"##;

#[test]
fn link_rules_are_enforced_by_link_and_reported_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let p = two_claims_and_a_source(dir.path());
    let ps = p.to_str().unwrap();
    let bytes = std::fs::read(&p).unwrap();
    // claim → claim and source → claim are refused with the rule, exit 1.
    for (from, to) in [("1", "2"), ("3", "1")] {
        let o = run(&["link", ps, from, to]);
        assert_eq!(o.status.code(), Some(1), "{from}→{to}");
        assert!(
            stderr(&o).contains("attributed_to links go claim or figure → source"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read(&p).unwrap(), bytes, "nothing written");
    assert!(run(&["link", ps, "1", "3"]).status.success());

    // An old file with a claim → claim link: check names the link, exit 1.
    let old = dir.path().join("old.ron");
    std::fs::write(&old, OLD_FILE_WITH_BAD_LINK).unwrap();
    let o = run(&["check", old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("link 1"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("claim or figure → source"),
        "{}",
        stdout(&o)
    );

    // A custom rule: `label rule` declares it, and `label list` shows it.
    let o = run(&["label", ps, "rule", "attributed_to", "--to", "source"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["label", ps, "list"]);
    assert!(
        stdout(&o).contains("link attributed_to\tany label → source"),
        "{}",
        stdout(&o)
    );
    assert!(run(&["link", ps, "2", "3"]).status.success());
    // A rule that existing links break is refused.
    let o = run(&[
        "label",
        ps,
        "rule",
        "attributed_to",
        "--from",
        "figure",
        "--to",
        "source",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// A discontinuous span from repeated --quote, attributes from --attr, and
/// `attr` to change or clear one; bad values are refused with exit 1.
#[test]
fn tag_with_fragments_and_attributes_then_attr() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let t = dir.path().join("a.txt");
    std::fs::write(
        &t,
        "“The workers are grumbling,” the source continued. “They want to go out.” The fee is about RMB 1,000.\n",
    )
    .unwrap();
    assert!(run(&["new", ps, t.to_str().unwrap()]).status.success());
    let o = run(&[
        "tag",
        ps,
        "--doc",
        "1",
        "--label",
        "claim",
        "--quote",
        "The workers are grumbling",
        "--quote",
        "They want to go out",
        "--attr",
        "status=unverified",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "tag",
        ps,
        "--doc",
        "1",
        "--label",
        "figure",
        "--quote",
        "about RMB 1,000",
        "--attr",
        "value=1000",
        "--attr",
        "unit=RMB",
        "--attr",
        "approximate=true",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let saved = std::fs::read_to_string(&p).unwrap();
    assert!(
        saved.contains("[(1, 26), (52, 71)], {\"status\": \"unverified\"}"),
        "{saved}"
    );
    assert!(
        saved.contains("{\"approximate\": \"true\", \"unit\": \"RMB\", \"value\": \"1000\"}"),
        "{saved}"
    );
    // attr changes and clears; a bad number is refused.
    assert!(run(&["attr", ps, "2", "value", "1000.5"]).status.success());
    assert!(run(&["attr", ps, "2", "approximate", ""]).status.success());
    let o = run(&["attr", ps, "2", "value", "lots"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("\"lots\" is not a number"),
        "{}",
        stderr(&o)
    );
    let o = run(&["attr", ps, "1", "colour", "red"]);
    assert_eq!(o.status.code(), Some(1), "an undeclared attribute");
    let saved = std::fs::read_to_string(&p).unwrap();
    assert!(
        saved.contains("{\"unit\": \"RMB\", \"value\": \"1000.5\"}"),
        "{saved}"
    );
    // The CSV has one row per fragment with the span's id.
    let csv = dir.path().join("s.csv");
    assert!(
        run(&["export", ps, "--format", "csv", "-o", csv.to_str().unwrap()])
            .status
            .success()
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("1,")).count(),
        3,
        "{text}"
    );
}

/// CLI edit parity: retag (dropping links the new label cannot have),
/// untag (with its links), note (empty clears) and unlink; unknown ids and
/// labels exit 1 and leave the file alone.
#[test]
fn retag_untag_note_and_unlink() {
    let dir = tempfile::tempdir().unwrap();
    let p = two_claims_and_a_source(dir.path());
    let ps = p.to_str().unwrap();
    assert!(run(&["link", ps, "1", "3"]).status.success());
    assert!(run(&["link", ps, "2", "3"]).status.success());
    let read = || std::fs::read_to_string(&p).unwrap();

    // A claim linked to a source becomes a source: its link goes, counted.
    let o = run(&["retag", ps, "1", "source"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "removed 1 link(s) that the new label cannot have"
    );
    assert!(read().contains("(1, 1, \"source\""));
    assert!(!read().contains("(1, 1, 3, \"attributed_to\")"));

    let o = run(&["note", ps, "2", "Checked by phone"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read().contains("Some(\"Checked by phone\")"));
    assert!(run(&["note", ps, "2", ""]).status.success());
    assert!(!read().contains("Checked by phone"));

    assert!(run(&["unlink", ps, "2"]).status.success());
    assert!(!read().contains("(2, 2, 3, \"attributed_to\")"));

    assert!(run(&["link", ps, "2", "3"]).status.success());
    let o = run(&["untag", ps, "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "removed span 3; also removed 1 link");
    // The file stores offsets, not text: read the spans back by id.
    let json = dir.path().join("after.json");
    assert!(
        run(&[
            "export",
            ps,
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
    let ids: Vec<u64> = v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2], "span 3 is gone, the others stay");
    assert!(
        v["links"].as_array().unwrap().is_empty(),
        "its link went with it"
    );

    // Unknown ids and labels: exit 1, file untouched.
    let before = read();
    for args in [
        vec!["retag", ps, "2", "nosuch"],
        vec!["retag", ps, "99", "claim"],
        vec!["untag", ps, "99"],
        vec!["note", ps, "99", "x"],
        vec!["unlink", ps, "99"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(read(), before);
    for sub in ["retag", "untag", "note", "unlink", "attr"] {
        assert!(run(&[sub, "--help"]).status.success(), "{sub} --help");
    }
}

/// A brat pair of our own with an attribution event (as PolNeAR writes
/// them): Source, Cue and Content tied to the Cue by `Attribution`.
fn attribution_brat(dir: &Path) -> PathBuf {
    let brat = dir.join("brat");
    std::fs::create_dir_all(&brat).unwrap();
    let text = "The mayor said the bridge will reopen in May.\n";
    std::fs::write(brat.join("a.txt"), text).unwrap();
    std::fs::write(
        brat.join("a.ann"),
        "T1\tSource 0 9\tThe mayor\n\
         T2\tCue 10 14\tsaid\n\
         T3\tContent 15 44\tthe bridge will reopen in May\n\
         T4\tAttribution 10 14\tsaid\n\
         E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n",
    )
    .unwrap();
    brat
}

#[test]
fn untag_says_which_events_go_with_the_span() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    assert!(run(&["new", ps]).status.success());
    let brat = attribution_brat(dir.path());
    let o = run(&["import", ps, "--format", "brat", brat.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = dir.path().join("p.json");
    let export = |out: &Path| {
        let o = run(&[
            "export",
            ps,
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(out).unwrap()).unwrap()
    };
    let before = export(&json);
    let trigger = before["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["label"] == "Attribution")
        .unwrap()["id"]
        .as_u64()
        .unwrap();
    assert_eq!(before["events"].as_array().unwrap().len(), 1);

    let o = run(&["untag", ps, &trigger.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("removed span {trigger}; also removed Attribution event #1 with 3 arguments")
    );
    let after = export(&json);
    assert!(after["events"].as_array().is_none_or(Vec::is_empty));
    assert!(
        after["spans"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != trigger),
        "the span is gone"
    );
    // A span that nothing else uses goes quietly.
    let lone = after["spans"][0]["id"].as_u64().unwrap();
    let o = run(&["untag", ps, &lone.to_string()]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "");
}

#[test]
fn tagging_the_same_text_twice_gives_the_first_span_and_check_reports_twins() {
    use marginalia::model::{Command as C, Edit, History, Span, SpanId};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "Officials said 300 workers left.\n").unwrap();
    assert!(run(&["new", ps, text.to_str().unwrap()]).status.success());
    let tag = |extra: &[&str]| {
        let mut args = vec![
            "tag",
            ps,
            "--doc",
            "1",
            "--label",
            "figure",
            "--quote",
            "300 workers",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let first = tag(&[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = std::fs::read(&p).unwrap();
    let again = tag(&[]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout(&again), stdout(&first), "the existing id");
    assert!(
        stderr(&again).contains("already has this label"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(&p).unwrap(), before, "nothing written");
    // With a note it would drop the note silently: refused instead.
    let noted = tag(&["--note", "n"]);
    assert_eq!(noted.status.code(), Some(1));
    assert!(stderr(&noted).contains("`note`/`attr`"));

    // Twins that came in another way (an old file, an import) are reported.
    let mut project = marginalia::store::load(&p).unwrap().project;
    let span = project.spans().next().unwrap().clone();
    let twin = Span {
        id: SpanId(project.next_ids().span),
        ..span.clone()
    };
    History::new()
        .execute(
            &mut project,
            C::Edits("import".into(), vec![Edit::InsertSpan(twin.clone())]),
        )
        .unwrap();
    marginalia::store::save(&project, &p).unwrap();
    let o = run(&["check", ps]);
    assert_eq!(o.status.code(), Some(0), "a warning, not an invalid file");
    assert!(
        stdout(&o).contains(&format!(
            "warning: span {}: duplicate of span {}",
            twin.id, span.id
        )),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_label_may_not_take_a_command_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    assert!(run(&["new", ps]).status.success());
    let o = run(&[
        "label", ps, "add", "person", "--name", "Person", "--key", "l",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("key 'l' is the workbench's key for “Link to source…”"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "label", ps, "add", "person", "--name", "Person", "--key", "4",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn figure_values_are_taken_as_written_and_ranges_keep_both_ends() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "Fees rose to RMB 2,000–3,000 a month.\n").unwrap();
    assert!(run(&["new", ps, text.to_str().unwrap()]).status.success());
    let o = run(&[
        "tag",
        ps,
        "--doc",
        "1",
        "--label",
        "figure",
        "--quote",
        "RMB 2,000–3,000",
    ]);
    let id = stdout(&o);
    let attrs = || {
        let out = dir.path().join("p.json");
        assert!(
            run(&[
                "export",
                ps,
                "--format",
                "json",
                "-o",
                out.to_str().unwrap()
            ])
            .status
            .success()
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        v["spans"][0]["attributes"].clone()
    };
    let o = run(&["attr", ps, &id, "value", "2,000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(attrs()["value"], "2000");
    let o = run(&["attr", ps, &id, "value", "2,000–3,000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(attrs()["value"], "2000");
    assert_eq!(attrs()["value_max"], "3000");
    // A single number again clears the high end.
    assert!(run(&["attr", ps, &id, "value", "2,500"]).status.success());
    assert_eq!(attrs()["value"], "2500");
    assert!(attrs().get("value_max").is_none());
    let o = run(&["attr", ps, &id, "value", "1,5"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a number"), "{}", stderr(&o));
}

/// `retext` from the command line: a corrected figure's value is read
/// again from its new text, one typed by hand is marked "may be stale",
/// both are listed, and `check` lists the stale one.
#[test]
fn retext_reads_figure_values_again_and_marks_typed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let old = dir.path().join("old.txt");
    std::fs::write(
        &old,
        "The fee was RMB 10 a month, a source said.\n\nAbout 300 workers left the factory in March, officials said.\n",
    )
    .unwrap();
    assert!(run(&["new", ps, old.to_str().unwrap()]).status.success());
    let tag = |quote: &str| {
        let o = run(&[
            "tag", ps, "--doc", "1", "--label", "figure", "--quote", quote,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let fee = tag("RMB 10");
    let crowd = tag("About 300 workers");
    for (span, key, value) in [
        (&fee, "value", "10"),
        (&fee, "unit", "RMB"),
        (&crowd, "value", "320"),
    ] {
        assert!(run(&["attr", ps, span, key, value]).status.success());
    }
    let new = dir.path().join("new.txt");
    std::fs::write(
        &new,
        "The fee was RMB 12 a month, a source said.\n\nAbout 350 workers left the factory in March, officials said.\n",
    )
    .unwrap();
    let o = run(&["retext", ps, "--doc", "1", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "corrected span {fee} “RMB 10” → “RMB 12”; value 10 → 12"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "corrected span {crowd} “About 300 workers” → “About 350 workers”; value may be stale"
        )),
        "{out}"
    );
    let o = run(&["check", ps]);
    assert!(
        stdout(&o).contains(&format!("warning: span {crowd}: value 320 may be stale")),
        "{}",
        stdout(&o)
    );
    // --json says the same.
    let o = run(&[
        "retext",
        ps,
        "--doc",
        "1",
        old.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fee_entry = v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == fee.parse::<u64>().unwrap())
        .unwrap();
    assert_eq!(fee_entry["old_text"], "RMB 12");
    assert_eq!(fee_entry["reread"][0]["new"], "10");
}

/// Which built-in rule sets suggest is a project setting: `rules` lists
/// and changes it, and `suggest` follows it.
#[test]
fn rule_sets_are_a_project_setting() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.ron");
    let ps = p.to_str().unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "The fee was RMB 10 on Monday, a source said.\n").unwrap();
    assert!(run(&["new", ps, text.to_str().unwrap()]).status.success());
    let rules_of = |out: &Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
        let mut r: Vec<String> = v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["rule"].as_str().unwrap().to_string())
            .collect();
        r.sort();
        r.dedup();
        r
    };
    assert_eq!(
        rules_of(&run(&["suggest", ps, "--json"])),
        ["attribution", "date", "money"]
    );
    let o = run(&["rules", ps, "--off", "date", "--off", "money"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("date\toff\tfigure"), "{}", stdout(&o));
    assert!(stdout(&o).contains("attribution\ton\tsource"));
    assert_eq!(rules_of(&run(&["suggest", ps, "--json"])), ["attribution"]);
    assert!(run(&["rules", ps, "--on", "money"]).status.success());
    assert_eq!(
        rules_of(&run(&["suggest", ps, "--json"])),
        ["attribution", "money"]
    );
    let o = run(&["rules", ps, "--off", "dates"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no rule set \"dates\""));
}

#[test]
fn add_takes_a_folder_recursively_and_skips_texts_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed");
    std::fs::create_dir_all(feed.join("2020/03")).unwrap();
    std::fs::write(feed.join("a.txt"), "Alpha.\n\nOne.").unwrap();
    std::fs::write(feed.join("2020/03/b.txt"), "Beta.\n\nTwo.").unwrap();
    std::fs::write(feed.join("2020/03/a-again.txt"), "Alpha.\n\nOne.").unwrap();
    std::fs::write(feed.join("2020/readme.json"), "{}").unwrap();
    let project = dir.path().join("p.ron");
    let p = project.to_str().unwrap();
    assert!(run(&["new", p]).status.success());
    let out = run(&["add", p, feed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Added 2 article(s); 1 already in the project (same text) were skipped."),
        "{text}"
    );
    // Again: everything is there already; the file is not rewritten.
    let before = std::fs::read(&project).unwrap();
    let out = run(&["add", p, feed.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("Added 0 article(s); 3 already"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&project).unwrap(), before);
    // An unreadable file in a folder: the rest go in, exit 1.
    std::fs::write(feed.join("2020/c.txt"), "Gamma.").unwrap();
    std::fs::write(feed.join("2020/bad.txt"), [0xffu8, 0xfe, 0x00]).unwrap();
    let out = run(&["add", p, feed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.txt"), "{}", stderr(&out));
    assert!(stdout(&out).contains("Added 1 article(s)"));
    // An empty folder says so.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = run(&["add", p, empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no articles (.txt"),
        "{}",
        stderr(&out)
    );
}
