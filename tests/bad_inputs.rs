//! The bad-input catalogue: every file in tests/data/bad/expected.tsv gives
//! its expected exit code and message, never panics, and is left unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The catalogue's rows marked `@`: inputs too large to keep in the
/// repository, made in `dir` when the test runs.
fn made(dir: &Path, name: &str) -> PathBuf {
    use std::io::Write;
    let path = dir.join(name);
    match name {
        "deep.html" => {
            let page = format!("<html><body>{}x", "<div>".repeat(100_000));
            std::fs::write(&path, page).unwrap();
        }
        "big.html" => {
            let f = std::fs::File::create(&path).unwrap();
            f.set_len(200 << 20).unwrap();
        }
        "bomb.docx" | "bomb.epub" => {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
            let options = zip::write::SimpleFileOptions::default();
            if name.ends_with(".epub") {
                let stored = options.compression_method(zip::CompressionMethod::Stored);
                zip.start_file("mimetype", stored).unwrap();
                zip.write_all(b"application/epub+zip").unwrap();
                zip.start_file("META-INF/container.xml", options).unwrap();
                zip.write_all(b"<container><rootfiles><rootfile full-path=\"book.opf\"/></rootfiles></container>").unwrap();
                zip.start_file("book.opf", options).unwrap();
            } else {
                zip.start_file("word/document.xml", options).unwrap();
            }
            // 210 MB of one byte: a few hundred KB packed.
            let zeros = vec![b' '; 1 << 20];
            for _ in 0..210 {
                zip.write_all(&zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        other => panic!("no recipe for @{other}"),
    }
    path
}

#[test]
fn catalogue_gives_expected_errors_and_leaves_files_untouched() {
    let table = std::fs::read_to_string(data("bad/expected.tsv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cases = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, sub, code, expected] = cols[..] else {
            panic!("bad row {line:?}");
        };
        let path = match file.strip_prefix('@') {
            Some(name) => made(dir.path(), name),
            None => data(&format!("bad/{file}")),
        };
        let before = std::fs::read(&path).unwrap();
        let out_project = dir.path().join(format!("{file}.out.ron"));
        let out = match sub {
            "check" => bin().arg("check").arg(&path).output().unwrap(),
            "new" => bin()
                .arg("new")
                .arg(&out_project)
                .arg(&path)
                .output()
                .unwrap(),
            other => panic!("unknown subcommand {other}"),
        };
        let all = text(&out);
        assert_eq!(
            out.status.code(),
            Some(code.parse().unwrap()),
            "{file}: wrong exit code; output:\n{all}"
        );
        assert!(
            all.contains(expected),
            "{file}: expected {expected:?} in:\n{all}"
        );
        assert!(!all.contains("panicked"), "{file} panicked:\n{all}");
        if sub == "new" && code == "2" {
            assert!(
                all.contains(path.to_str().unwrap()),
                "{file}: the error names the file:\n{all}"
            );
        }
        assert_eq!(std::fs::read(&path).unwrap(), before, "{file} was modified");
        if sub == "new" && code != "0" {
            assert!(
                !out_project.exists(),
                "{file}: a project was written despite the error"
            );
        }
        cases += 1;
    }
    assert!(cases >= 30, "only {cases} cases");
}

#[test]
fn directory_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("is a directory"), "{}", text(&out));

    let missing = dir.path().join("nope.ron");
    let out = bin().arg("stats").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("nope.ron"), "{}", text(&out));

    let out = bin()
        .arg("new")
        .arg(dir.path().join("p.ron"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("is a directory, not a text file"),
        "{}",
        text(&out)
    );
}

/// A save that cannot finish is reported and leaves the project as it
/// was. The backup's place is taken by a folder with a file in it, which
/// the save cannot replace whatever its rights (root included, as in CI).
#[test]
fn a_save_that_fails_is_reported_and_the_project_kept() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    std::fs::copy(data("good/tiny.ron"), &project).unwrap();
    let before = std::fs::read(&project).unwrap();
    let blocker = dir.path().join("p.ron.bak");
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("keep"), "x").unwrap();
    let out = bin()
        .args(["tag"])
        .arg(&project)
        .args(["--doc", "1", "--label", "figure", "--quote", "Daily NK"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("p.ron"), "{}", text(&out));
    assert!(!text(&out).contains("panicked"));
    assert_eq!(
        std::fs::read(&project).unwrap(),
        before,
        "the project is as it was"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter().all(|n| !n.contains(".tmp-")),
        "no temp file left: {left:?}"
    );
}

/// Files past the size limits are refused before anything is read: a
/// project over `MAX_PROJECT_BYTES`, an article over `MAX_TEXT_BYTES`.
/// Sparse files reach the limits without writing gigabytes.
#[test]
fn files_past_the_size_limits_are_refused_quickly_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let sparse = |name: &str, len: u64, head: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, head).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len)
            .unwrap();
        path
    };
    let t = std::time::Instant::now();
    let limit = marginalia::store::MAX_PROJECT_BYTES;
    let over = sparse("over.ron", limit + 1, b"(version: 3, name: \"");
    let out = bin().arg("check").arg(&over).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "over.ron is {} bytes, larger than the {limit}-byte limit",
            limit + 1
        )),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::metadata(&over).unwrap().len(),
        limit + 1,
        "left alone"
    );

    let text_limit = marginalia::formats::text::MAX_TEXT_BYTES;
    let article = sparse("big.txt", text_limit + 1, b"An article.");
    let project = dir.path().join("p.ron");
    let out = bin()
        .arg("new")
        .arg(&project)
        .arg(&article)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "big.txt is {} bytes, larger than the {text_limit}-byte limit for an article",
            text_limit + 1
        )),
        "{}",
        text(&out)
    );
    assert!(!project.exists());
    assert!(!text(&out).contains("panicked"));
    assert!(
        t.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        t.elapsed()
    );
}
