//! `agree`, `merge` and `merge-driver`: the team commands.

use super::{CliResult, load, unusable, write_line};
use crate::team::agree::{Mode, agree as compute};
use anyhow::{Context, anyhow};
use std::path::{Path, PathBuf};

/// `--mode` of `agree`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeArg {
    /// A span agrees when its label and every fragment are equal.
    Instance,
    /// Spans are compared per whitespace-delimited token they overlap.
    Token,
}

/// The name an annotator goes by: the project file's stem.
fn annotator_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Prints pairwise F1 agreement; exit 0, or 2 when a project is unusable
/// or fewer than two articles can be compared.
pub fn agree(projects: &[PathBuf], mode: ModeArg, json: bool) -> CliResult<u8> {
    let loaded = projects
        .iter()
        .map(|p| Ok((annotator_name(p), load(p)?)))
        .collect::<CliResult<Vec<_>>>()?;
    let refs: Vec<(String, &crate::model::Project)> =
        loaded.iter().map(|(n, p)| (n.clone(), p)).collect();
    let mode = match mode {
        ModeArg::Instance => Mode::Instance,
        ModeArg::Token => Mode::Token,
    };
    let result = compute(&refs, mode).map_err(|e| unusable(anyhow!(e)))?;
    if json {
        say!("{}", result.to_json());
    } else {
        for line in result.report().lines() {
            say!("{line}");
        }
    }
    Ok(0)
}

/// Loads a merge input; an empty file (git's `%O` when both branches added
/// the file) is an empty project with no labels.
fn load_side(path: &Path) -> CliResult<crate::model::Project> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() == 0 => Ok(crate::model::Project::with_schema(
            "",
            Vec::new(),
            Vec::new(),
        )),
        _ => load(path),
    }
}

/// Three-way merges `theirs` into `ours` and saves the result to `out`
/// (keeping a `.bak` of a file it replaces when `backup`; git's temporary
/// `%A` needs none); exit 0 when clean, 1 when conflicts were recorded.
pub fn merge(base: &Path, ours: &Path, theirs: &Path, out: &Path, backup: bool) -> CliResult<u8> {
    let (b, o, t) = (load_side(base)?, load(ours)?, load(theirs)?);
    let merged = crate::team::merge::merge(&b, &o, &t);
    let text = crate::store::to_ron_string(&merged.project)
        .with_context(|| format!("writing {}", out.display()))
        .map_err(unusable)?;
    crate::store::atomic_write(out, text.as_bytes(), backup)
        .with_context(|| format!("saving {}", out.display()))
        .map_err(unusable)?;
    for note in &merged.notes {
        eprintln!("{}: note: {note}", out.display());
    }
    if merged.new_conflicts == 0 {
        say!("merged into {}: no conflicts", out.display());
        Ok(0)
    } else {
        for c in merged.project.conflicts() {
            say!(
                "{}: conflict: {}: {}",
                out.display(),
                c.subject(),
                c.describe()
            );
        }
        say!(
            "merged into {} with {} conflict(s): ours stands; settle them in the window (Project → Conflicts)",
            out.display(),
            merged.new_conflicts
        );
        Ok(1)
    }
}
