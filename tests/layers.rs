//! The layering rule of ARCHITECTURE.md, checked on the source: no layer
//! imports a layer above it. (Unit-test files are exempt: the model's
//! property tests round-trip through the store.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::{Path, PathBuf};

/// Each layer and the layers it may not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "model",
        &["clock", "store", "formats", "team", "assist", "ui", "cli"],
    ),
    (
        "clock",
        &["model", "store", "formats", "team", "assist", "ui", "cli"],
    ),
    ("store", &["formats", "team", "assist", "ui", "cli"]),
    ("formats", &["team", "assist", "ui", "cli"]),
    (
        "team",
        &["clock", "store", "formats", "assist", "ui", "cli"],
    ),
    (
        "assist",
        &["clock", "store", "formats", "team", "ui", "cli"],
    ),
    ("ui", &["cli"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The layer names a source text reaches with `crate::NAME`.
fn uses(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        found.push(name);
    }
    found
}

#[test]
fn no_layer_imports_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (layer, forbidden) in FORBIDDEN {
        let root = if *layer == "clock" {
            src.join("clock.rs")
        } else {
            src.join(layer)
        };
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        assert!(!files.is_empty(), "no sources for layer {layer}");
        for f in files.iter().filter(|f| !f.ends_with("tests.rs")) {
            let text = std::fs::read_to_string(f).unwrap();
            for used in uses(&text) {
                if forbidden.contains(&used.as_str()) {
                    violations.push(format!("{} uses crate::{used}", f.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn the_scan_finds_uses() {
    assert_eq!(uses("use crate::cli::x; crate::ui::y"), ["cli", "ui"]);
}
