//! `export` and `import`: other tools' formats.

use super::{CliResult, exec, find_doc, load, problem, save, unusable, write_line};
use crate::formats::{ExportFormat, ImportFormat};
use crate::model::LabelId;
use anyhow::anyhow;
use std::path::Path;

pub(super) fn export(
    path: &Path,
    format: ExportFormat,
    out: &Path,
    doc: Option<String>,
    labels: Vec<String>,
) -> CliResult {
    let project = load(path)?;
    let mut filter = crate::formats::Filter::default();
    if let Some(key) = doc {
        filter.doc = Some(find_doc(&project, &key)?.id);
    }
    if !labels.is_empty() {
        let mut set = std::collections::BTreeSet::new();
        for l in labels {
            let id = LabelId(l.trim().into());
            if project.label(&id).is_none() {
                return Err(problem(anyhow!("unknown label {:?}", id.as_str())));
            }
            set.insert(id);
        }
        filter.labels = Some(set);
    }
    let written = crate::formats::export(&project, format, out, &filter).map_err(unusable)?;
    say!(
        "wrote {} span(s) to {} file(s) under {}",
        written.spans,
        written.files.len(),
        out.display()
    );
    Ok(())
}

pub(super) fn import(path: &Path, format: ImportFormat, input: &Path) -> CliResult<u8> {
    let mut project = load(path)?;
    let (command, report) = crate::formats::import(&project, format, input).map_err(unusable)?;
    exec(&mut project, command)?;
    save(&project, path)?;
    say!("{report}");
    Ok(u8::from(report.has_problems()))
}
