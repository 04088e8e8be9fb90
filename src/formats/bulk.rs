//! Adding many articles at once: the files under a folder (recursively),
//! read one by one with progress, a way to stop, and articles whose text
//! the project already has skipped and counted.

use super::text::{TextImportError, import_any};
use crate::model::text::text_hash;
use crate::model::{Command, Project};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a file is an article this build reads, by its name: text,
/// web pages, PDF, Word, OpenDocument, EPUB, Markdown.
pub fn is_article_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(super::extract::Format::is_article_name)
}

/// The article files under `folder` and its subfolders, sorted by path.
/// Hidden files and folders (`.git`, `.DS_Store`) are left out, and
/// symbolic links to folders are not followed (no loops).
pub fn articles_in(folder: &Path) -> Result<Vec<PathBuf>, TextImportError> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| TextImportError::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries.flatten() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if hidden {
                continue;
            }
            if kind.is_dir() {
                stack.push(path);
            } else if is_article_file(&path) && (kind.is_file() || path.is_file()) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The files `paths` stand for: a folder gives its articles (see
/// [`articles_in`]), a file itself.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, TextImportError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(articles_in(p)?);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// What reading many articles gave.
#[derive(Debug, Default)]
pub struct BulkRead {
    /// One `AddDocument` per new article, in path order.
    pub commands: Vec<Command>,
    /// Articles whose text the project (or an earlier file here) has.
    pub duplicates: Vec<PathBuf>,
    /// Files that could not be read, each with why.
    pub failed: Vec<String>,
    /// Files looked at before stopping (all of them unless cancelled).
    pub read: usize,
    /// Stopped by the user: nothing should be added.
    pub cancelled: bool,
}

impl BulkRead {
    /// Articles whose text was decoded from an encoding other than UTF-8,
    /// counted per encoding, in name order.
    pub fn decoded(&self) -> Vec<(String, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for c in &self.commands {
            if let Command::AddSourcedDocument { source, .. } = c
                && let Some(e) = &source.encoding
                && !e.eq_ignore_ascii_case("utf-8")
            {
                *counts.entry(e.clone()).or_insert(0) += 1;
            }
        }
        counts.into_iter().collect()
    }

    /// "Added 920 article(s); 4 already in the project were skipped; 2
    /// could not be read (first: …)."
    pub fn describe(&self, added: usize) -> String {
        let mut s = format!("Added {added} article(s)");
        let decoded = self.decoded();
        if !decoded.is_empty() {
            let list: Vec<String> = decoded
                .iter()
                .map(|(encoding, n)| format!("{n} as {encoding}"))
                .collect();
            s.push_str(&format!(" (text read {})", list.join(", ")));
        }
        if !self.duplicates.is_empty() {
            s.push_str(&format!(
                "; {} already in the project (same text) were skipped",
                self.duplicates.len()
            ));
        }
        if let Some(first) = self.failed.first() {
            s.push_str(&format!(
                "; {} could not be read (first: {first})",
                self.failed.len()
            ));
        }
        s.push('.');
        s
    }
}

/// The hashes of the texts `project` has, for [`read_articles`].
pub fn known_texts(project: &Project) -> HashSet<String> {
    project.documents().map(|d| d.hash.clone()).collect()
}

/// Reads `files` (and http(s) addresses among them, fetched) into
/// `AddDocument` commands, skipping texts whose hash is `known` (see
/// [`known_texts`]) or was read earlier. `progress(done, total)` is called
/// after each file and `fetching(bytes, total)` as a page arrives; setting
/// `cancel` stops at the next file, or the fetch under way.
pub fn read_articles(
    mut known: HashSet<String>,
    files: &[PathBuf],
    options: &super::extract::Options,
    progress: &dyn Fn(usize, usize),
    fetching: &dyn Fn(u64, Option<u64>),
    cancel: &AtomicBool,
) -> BulkRead {
    let mut out = BulkRead::default();
    for (i, path) in files.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            out.cancelled = true;
            break;
        }
        match import_any(path, options, fetching, cancel) {
            Ok(articles) => {
                for t in articles {
                    if known.insert(text_hash(&t.text)) {
                        out.commands.push(t.into_command());
                    } else {
                        out.duplicates.push(path.clone());
                    }
                }
            }
            Err(TextImportError::Fetch {
                why: super::fetch::FetchError::Cancelled,
                ..
            }) => {
                out.cancelled = true;
                break;
            }
            Err(e) => out.failed.push(e.to_string()),
        }
        out.read = i + 1;
        progress(i + 1, files.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::History;

    #[test]
    fn a_folder_is_read_recursively_with_duplicates_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("2020/march")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("a.txt"), "Alpha story.").unwrap();
        std::fs::write(root.join("2020/b.TXT"), "Beta story.").unwrap();
        std::fs::write(root.join("2020/march/c.txt"), "Gamma story.").unwrap();
        std::fs::write(root.join("2020/march/copy.txt"), "Alpha story.").unwrap();
        std::fs::write(root.join("2020/march/empty.txt"), "  ").unwrap();
        std::fs::write(root.join("notes.csv"), "not,an,article").unwrap();
        std::fs::write(root.join(".git/HEAD.txt"), "hidden").unwrap();
        let files = articles_in(root).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "2020/b.TXT",
                "2020/march/c.txt",
                "2020/march/copy.txt",
                "2020/march/empty.txt",
                "a.txt"
            ]
        );
        // The project already has Gamma.
        let mut p = Project::new("p");
        History::new()
            .execute(
                &mut p,
                Command::AddDocument {
                    title: "g".into(),
                    origin: None,
                    text: "Gamma story.".into(),
                },
            )
            .unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        let read = read_articles(
            known_texts(&p),
            &files,
            &Default::default(),
            &|d, n| seen.lock().unwrap().push((d, n)),
            &|_, _| {},
            &AtomicBool::new(false),
        );
        assert_eq!(read.commands.len(), 2, "Beta and the first Alpha");
        assert_eq!(
            read.duplicates.len(),
            2,
            "Gamma (in the project), Alpha's copy"
        );
        assert_eq!(read.failed.len(), 1);
        assert!(read.failed[0].contains("empty.txt"), "{:?}", read.failed);
        assert_eq!(seen.lock().unwrap().last(), Some(&(5, 5)));
        assert_eq!(
            read.describe(2),
            format!(
                "Added 2 article(s); 2 already in the project (same text) were skipped; 1 could not be read (first: {}).",
                read.failed[0]
            )
        );
        // Cancelled before the first file: nothing.
        let stop = AtomicBool::new(true);
        let read = read_articles(
            known_texts(&p),
            &files,
            &Default::default(),
            &|_, _| {},
            &|_, _| {},
            &stop,
        );
        assert!(read.cancelled && read.commands.is_empty() && read.read == 0);
    }
}
