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
        let path = data(&format!("bad/{file}"));
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

#[cfg(unix)]
#[test]
fn read_only_folder_is_reported_and_project_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    std::fs::copy(data("good/tiny.ron"), &project).unwrap();
    let before = std::fs::read(&project).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = bin()
        .args(["tag"])
        .arg(&project)
        .args(["--doc", "1", "--label", "figure", "--quote", "Daily NK"])
        .output()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root ignores directory permissions; only assert when they applied.
    if out.status.code() != Some(0) {
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out).contains("p.ron"), "{}", text(&out));
        assert_eq!(std::fs::read(&project).unwrap(), before);
    }
}

#[test]
fn a_100_mb_file_is_refused_quickly_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.ron");
    let mut data = b"(version: 1, name: \"".to_vec();
    data.resize(100 * 1024 * 1024, b'x');
    std::fs::write(&big, &data).unwrap();
    let t = std::time::Instant::now();
    let out = bin().arg("check").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("huge.ron"), "{}", text(&out));
    assert!(!text(&out).contains("panicked"));
    assert!(t.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(std::fs::metadata(&big).unwrap().len(), data.len() as u64);
    assert!(
        std::fs::read(&big).unwrap() == data,
        "the file was modified"
    );
}
