//! Crash injection: the real binary rewrites a multi-MB project over and
//! over and is SIGKILLed at random moments. After every kill the project
//! must load, validate, and equal exactly the old or the new version; the
//! `.bak` must stay valid; stray temp files must be cleaned up.
//!
//! `MARGINALIA_KILLS` sets the number of kills (default 200).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    c.env("MARGINALIA_NOW", "2026-11-23T00:00:00Z")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Deterministic pseudo-random numbers (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn tag_args(project: &Path, k: usize) -> Vec<String> {
    vec![
        "tag".into(),
        project.display().to_string(),
        "--doc".into(),
        "1".into(),
        "--label".into(),
        ["claim", "figure", "source"][k % 3].into(),
        "--quote".into(),
        format!("marker{k:05}"),
    ]
}

#[test]
fn sigkill_during_saves_never_corrupts_the_project() {
    let kills: usize = std::env::var("MARGINALIA_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    // A multi-MB article with unique markers to tag, one per iteration.
    let mut text = String::new();
    let mut k = 0;
    while text.len() < 3_000_000 {
        text.push_str(&format!("Paragraph marker{k:05}: North Korean workers in China, 북한 노동자, RMB {k}. “Quoted” text follows here.\n"));
        k += 1;
    }
    assert!(k > kills + 10);
    let txt = dir.path().join("big.txt");
    std::fs::write(&txt, &text).unwrap();
    let project = dir.path().join("big.ron");
    assert!(
        bin()
            .arg("new")
            .arg(&project)
            .arg(&txt)
            .status()
            .unwrap()
            .success()
    );
    let shadow = dir.path().join("shadow/big.ron");
    std::fs::create_dir_all(shadow.parent().unwrap()).unwrap();

    // How long one uninterrupted rewrite takes, to spread the kills over it.
    std::fs::copy(&project, &shadow).unwrap();
    let t = Instant::now();
    assert!(bin().args(tag_args(&shadow, 0)).status().unwrap().success());
    let run_time = t.elapsed();

    let mut rng = Rng(7);
    let (mut old_kept, mut new_written, mut step) = (0, 0, 0);
    let mut old = std::fs::read(&project).unwrap();
    for _ in 0..kills {
        // The version a completed run would write (same command, same clock).
        std::fs::copy(&project, &shadow).unwrap();
        assert!(
            bin()
                .args(tag_args(&shadow, step))
                .status()
                .unwrap()
                .success()
        );
        let new = std::fs::read(&shadow).unwrap();

        let mut child = bin().args(tag_args(&project, step)).spawn().unwrap();
        let delay =
            Duration::from_micros(rng.next() % (run_time.as_micros() as u64 * 12 / 10).max(1));
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        let now = std::fs::read(&project).unwrap();
        let loaded = marginalia::store::load(&project);
        assert!(
            loaded.is_ok(),
            "after a kill at {delay:?} the project does not load: {:?}",
            loaded.err()
        );
        if now == old {
            old_kept += 1;
        } else if now == new {
            new_written += 1;
            old = new;
            step += 1;
        } else {
            panic!("after a kill at {delay:?} the project is neither the old nor the new version");
        }
        let bak = project.with_file_name("big.ron.bak");
        if bak.exists() {
            marginalia::store::load(&bak).expect("the .bak stays valid");
        }
    }
    // A clean run removes any temp file a killed save left behind.
    std::thread::sleep(Duration::from_millis(50));
    let before: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(
        bin()
            .args(tag_args(&project, step))
            .status()
            .unwrap()
            .success()
    );
    let after: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(after.is_empty(), "temp files left: {after:?}");
    println!(
        "crash injection: {kills} kills, {old_kept} left the old version, {new_written} the new one, 0 corrupt; {} stray temp file(s) cleaned; one rewrite takes {run_time:?}",
        before.len()
    );
}
