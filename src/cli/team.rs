//! `agree`, `merge` and `merge-driver`: the team commands.

use super::{CliResult, load, unusable, write_line};
use crate::team::agree::{Mode, agree as compute};
use anyhow::anyhow;
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
