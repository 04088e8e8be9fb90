//! The layering rule of ARCHITECTURE.md, checked on the source: no layer
//! imports a layer above it. (Unit-test files are exempt: the model's
//! property tests round-trip through the store.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::{Path, PathBuf};

/// Each layer and the layers it may not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "model",
        &[
            "clock", "store", "analysis", "formats", "team", "assist", "ui", "cli",
        ],
    ),
    (
        "clock",
        &[
            "model", "store", "analysis", "formats", "team", "assist", "ui", "cli",
        ],
    ),
    (
        "store",
        &["analysis", "formats", "team", "assist", "ui", "cli"],
    ),
    (
        "analysis",
        &["clock", "store", "formats", "team", "assist", "ui", "cli"],
    ),
    ("formats", &["team", "assist", "ui", "cli"]),
    (
        "team",
        &[
            "clock", "store", "analysis", "formats", "assist", "ui", "cli",
        ],
    ),
    (
        "assist",
        &["clock", "store", "analysis", "formats", "team", "ui", "cli"],
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

/// The inside of `src/ui`, from the bottom up: a module may use only the
/// modules of the layers below its own (none of its own layer), so the
/// first-level modules form no cycle. The drawing, the dispatcher and the
/// app sit above the workbench state (`workspace`), which sits above the
/// views and the types commands carry.
const UI_LAYERS: &[&[&str]] = &[
    &["learning"],
    &[
        "geometry",
        "key_events",
        "span_list",
        "doc_list",
        "files",
        "assist",
        "review",
    ],
    &["commands"],
    &["jobs", "text_view"],
    &["workspace"],
    &["modals"],
    &["app"],
    &["dispatch", "keys"],
    &["panels"],
    &["drive"],
];

/// The first-level `ui` modules a file of module `owner` uses, given its
/// path below `src/ui` (`x.rs`, `dir/mod.rs` or `dir/x.rs`).
fn ui_uses(rel: &Path, text: &str) -> Vec<String> {
    // Unit tests may reach anywhere.
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    // How many `super::` lead from this file to `ui`: one from `x.rs` and
    // `dir/mod.rs`, two from `dir/x.rs`, …
    let depth = rel.components().count() - 1;
    let ups = depth + 1 - usize::from(depth > 0 && rel.ends_with("mod.rs"));
    let prefixes = ["crate::ui::".to_string(), "super::".repeat(ups)];
    let mut found = Vec::new();
    for prefix in &prefixes {
        for (i, _) in text.match_indices(prefix.as_str()) {
            // Part of a longer chain of `super::`: another module's.
            if text[..i].ends_with("super::") {
                continue;
            }
            let rest = &text[i + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

#[test]
fn the_ui_is_in_layers_without_cycles() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let layer_of = |name: &str| UI_LAYERS.iter().position(|l| l.contains(&name));
    let mut violations = Vec::new();
    for entry in std::fs::read_dir(&ui).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "mod" {
            continue;
        }
        let Some(own) = layer_of(&name) else {
            violations.push(format!("ui::{name} is in no layer of UI_LAYERS"));
            continue;
        };
        let mut files = Vec::new();
        rust_files(&path, &mut files);
        for f in files {
            let rel = f.strip_prefix(&ui).unwrap();
            let text = std::fs::read_to_string(&f).unwrap();
            for used in ui_uses(rel, &text) {
                if used == name {
                    continue;
                }
                if let Some(theirs) = layer_of(&used)
                    && theirs >= own
                {
                    violations.push(format!(
                        "{} (ui::{name}, layer {own}) uses ui::{used} (layer {theirs})",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn the_ui_scan_finds_uses_at_every_depth() {
    let uses = |rel: &str, text: &str| ui_uses(Path::new(rel), text);
    assert_eq!(uses("app.rs", "use super::modals::Modal;"), ["modals"]);
    assert_eq!(
        uses("modals/mod.rs", "use super::workspace::W;"),
        ["workspace"]
    );
    assert_eq!(
        uses(
            "modals/labels.rs",
            "use super::{Outcome}; use super::super::app::App;"
        ),
        ["app"]
    );
    assert_eq!(
        uses("panels/x.rs", "crate::ui::dispatch::f()"),
        ["dispatch"]
    );
}
