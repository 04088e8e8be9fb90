//! `new`, `add`, `check`, `stats` and `status`: project files as a whole.

use super::find_doc;
use super::{CliResult, exec, load, problem, save, unusable, write_line};
use crate::formats::bulk;
use crate::formats::extract::Options as ExtractOptions;
use crate::formats::text::import_any;
use crate::model::{Command, DocId, DocStatus, Project, Severity};
use crate::store;
use anyhow::anyhow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Every article in `paths` (an EPUB gives one per chapter), or the first
/// file's error.
pub(super) fn import_all(paths: &[PathBuf], options: &ExtractOptions) -> CliResult<Vec<Command>> {
    let mut out = Vec::new();
    for p in paths {
        let articles =
            import_any(p, options, &|_, _| {}, &AtomicBool::new(false)).map_err(unusable)?;
        out.extend(articles.into_iter().map(|t| t.into_command()));
    }
    Ok(out)
}

pub(super) fn new(
    path: &Path,
    name: Option<String>,
    texts: &[PathBuf],
    options: &ExtractOptions,
) -> CliResult {
    if path.exists() {
        return Err(unusable(anyhow!(
            "{} already exists; use `marginalia add` to add articles to it",
            path.display()
        )));
    }
    let name = name.unwrap_or_else(|| {
        path.file_stem()
            .map_or("Untitled project".into(), |s| s.to_string_lossy().into())
    });
    let mut project = Project::new(&name);
    let commands = import_all(texts, options)?;
    let created = exec(
        &mut project,
        Command::Group("add articles".into(), commands),
    )?;
    save(&project, path)?;
    say!(
        "created {} with {} document(s)",
        path.display(),
        created.documents.len()
    );
    Ok(())
}

/// Adds articles: files as given, folders read recursively. A text the
/// project already has is skipped and counted. An unreadable file given by
/// name stops everything (exit 2); one found in a folder is reported and
/// the rest are added (exit 1).
pub(super) fn add(path: &Path, texts: &[PathBuf], options: &ExtractOptions) -> CliResult<u8> {
    let mut project = load(path)?;
    let folders = texts.iter().any(|t| t.is_dir());
    let files = bulk::expand(texts).map_err(unusable)?;
    if files.is_empty() {
        return Err(problem(anyhow!(
            "no articles (.txt, .html, .md, .pdf, .docx, .odt, .epub) under {}",
            texts
                .iter()
                .map(|t| t.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let show_progress = folders && std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress && (done.is_multiple_of(50) || done == total) {
            eprint!("\rreading {done} of {total}…");
        }
    };
    let known = bulk::known_texts(&project);
    let fetched_any = std::cell::Cell::new(false);
    let fetching = |got: u64, total: Option<u64>| {
        if std::io::stderr().is_terminal() {
            fetched_any.set(true);
            match total {
                Some(t) => eprint!("\rfetching {} of {} KB…", got >> 10, t >> 10),
                None => eprint!("\rfetching {} KB…", got >> 10),
            }
        }
    };
    let read = bulk::read_articles(
        known,
        &files,
        options,
        &progress,
        &fetching,
        &AtomicBool::new(false),
    );
    if show_progress || fetched_any.get() {
        eprintln!();
    }
    if !folders && let Some(first) = read.failed.first() {
        return Err(unusable(anyhow!("{first}")));
    }
    for f in &read.failed {
        eprintln!("marginalia: not added: {f}");
    }
    let created = exec(
        &mut project,
        Command::Group("add articles".into(), read.commands.clone()),
    )?;
    if !created.documents.is_empty() {
        save(&project, path)?;
    }
    for id in &created.documents {
        if let Some(d) = project.document(*id) {
            say!("added document {id}: {}", d.title);
        }
    }
    if folders || !read.duplicates.is_empty() {
        say!("{}", read.describe(created.documents.len()));
    }
    Ok(u8::from(!read.failed.is_empty()))
}

/// Checks each project; returns the worst exit code.
pub(super) fn check(paths: &[PathBuf]) -> CliResult<u8> {
    let mut worst = 0;
    for path in paths {
        match store::check(path) {
            Ok(problems) => {
                let errors = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .count();
                let conflicts = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Conflict)
                    .count();
                for p in &problems {
                    say!("{}: {p}", path.display());
                }
                if errors > 0 {
                    say!("{}: invalid ({errors} error(s))", path.display());
                    worst = worst.max(1);
                } else if conflicts > 0 {
                    say!(
                        "{}: {conflicts} unsettled merge conflict(s); settle them in the window (Project → Conflicts)",
                        path.display()
                    );
                    worst = worst.max(1);
                } else {
                    say!("{}: ok", path.display());
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                worst = 2;
            }
        }
    }
    Ok(worst)
}

/// Summary numbers for `stats`.
#[derive(Debug, serde::Serialize)]
struct Stats {
    name: String,
    documents: usize,
    spans: usize,
    links: usize,
    spans_per_label: std::collections::BTreeMap<String, usize>,
    /// Articles per status, every status listed.
    status: std::collections::BTreeMap<&'static str, usize>,
    per_document: Vec<DocStats>,
}

#[derive(Debug, serde::Serialize)]
struct DocStats {
    id: DocId,
    title: String,
    chars: usize,
    spans: usize,
    spans_per_label: std::collections::BTreeMap<String, usize>,
    status: DocStatus,
}

pub(super) fn stats(path: &Path, json: bool) -> CliResult {
    let project = load(path)?;
    let per_label = |doc: Option<DocId>| {
        project
            .counts_by_label(doc)
            .into_iter()
            .map(|(id, n)| (id.0.to_string(), n))
            .collect()
    };
    let s = Stats {
        name: project.name().to_string(),
        documents: project.documents().len(),
        spans: project.spans().len(),
        links: project.links().len(),
        spans_per_label: per_label(None),
        status: status_counts(&project),
        per_document: project
            .documents()
            .map(|d| DocStats {
                id: d.id,
                title: d.title.clone(),
                chars: d.text.char_len(),
                spans: project.span_count_in(d.id),
                spans_per_label: per_label(Some(d.id)),
                status: d.status,
            })
            .collect(),
    };
    if json {
        let text = serde_json::to_string_pretty(&s).map_err(|e| unusable(anyhow!(e)))?;
        say!("{text}");
        return Ok(());
    }
    say!("project:   {}", s.name);
    say!("documents: {}", s.documents);
    say!("spans:     {}", s.spans);
    for l in project.labels() {
        say!(
            "  {:<12} {:>5}  ({})",
            l.id.as_str(),
            s.spans_per_label.get(l.id.as_str()).unwrap_or(&0),
            l.name
        );
    }
    say!("links:     {}", s.links);
    let progress: Vec<String> = DocStatus::ALL
        .iter()
        .map(|st| format!("{} {st}", s.status[st.as_str()]))
        .collect();
    say!("status:    {}", progress.join(", "));
    for d in &s.per_document {
        let counts: Vec<String> = project
            .labels()
            .iter()
            .map(|l| {
                format!(
                    "{} {}",
                    d.spans_per_label.get(l.id.as_str()).unwrap_or(&0),
                    l.id
                )
            })
            .collect();
        say!(
            "document {} [{}]: {} spans ({}) in {} chars: {}",
            d.id,
            d.status,
            d.spans,
            counts.join(", "),
            d.chars,
            d.title
        );
    }
    Ok(())
}

/// Every status with its count of articles (zero included).
fn status_counts(project: &Project) -> std::collections::BTreeMap<&'static str, usize> {
    let mut counts: std::collections::BTreeMap<&'static str, usize> =
        DocStatus::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    for d in project.documents() {
        *counts.entry(d.status.as_str()).or_default() += 1;
    }
    counts
}

/// Prints article `doc`'s status, or sets it to `to` and saves.
pub(super) fn status(path: &Path, doc: &str, to: Option<DocStatus>) -> CliResult {
    let mut project = load(path)?;
    let d = find_doc(&project, doc)?;
    let (id, now) = (d.id, d.status);
    match to {
        None => say!("{now}"),
        Some(status) if status == now => say!("{status}"),
        Some(status) => {
            exec(&mut project, Command::SetDocumentStatus(id, status))?;
            save(&project, path)?;
            say!("{status}");
        }
    }
    Ok(())
}
