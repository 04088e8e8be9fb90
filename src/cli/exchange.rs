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

/// `marginalia extract FILE [--json]`: the article text, or one JSON object
/// with exactly the keys scripts use; no project is touched. An EPUB is
/// read whole.
pub(super) fn extract(
    file: &Path,
    json: bool,
    options: &crate::formats::extract::Options,
) -> CliResult {
    let options = crate::formats::extract::Options {
        whole_book: true,
        ..options.clone()
    };
    let mut articles = crate::formats::text::import_any(
        file,
        &options,
        &|_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .map_err(unusable)?;
    let article = articles.remove(0);
    if !json {
        write_line(format_args!("{}", article.text))?;
        return Ok(());
    }
    let source = article.source.unwrap_or_default();
    let authors = (!source.authors.is_empty()).then(|| source.authors.join(", "));
    let title = source.title.clone().or(Some(article.title));
    let value = serde_json::json!({
        "text": article.text,
        "title": title,
        "author": authors,
        "published": source.published,
        "url": source.url,
        "site": source.site,
        "language": source.language,
        "format": source.format,
        "encoding": source.encoding,
        "sha256": source.sha256,
    });
    write_line(format_args!("{value}"))?;
    Ok(())
}
