//! Article origins that are relative paths are relative to the project
//! file's folder. Saving the project into another folder must rewrite them,
//! or every one of them points at nothing (in the HTML report, in Article
//! info, for re-reading). URLs and absolute paths stay as they are.

use crate::model::{DocId, Project};
use std::path::{Component, Path, PathBuf};

/// One article whose origin a move rewrites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebased {
    /// The article.
    pub doc: DocId,
    /// Its origin before, relative to the old folder.
    pub old: String,
    /// The same file, relative to the new folder.
    pub new: String,
}

/// The origins to rewrite when a project moves from `from` to `to` (its
/// file's folders; relative ones are taken from the working directory).
/// Empty when the folder does not change.
pub fn rebased(project: &Project, from: &Path, to: &Path) -> Vec<Rebased> {
    let (Some(from), Some(to)) = (absolute(from), absolute(to)) else {
        return Vec::new();
    };
    if from == to {
        return Vec::new();
    }
    project
        .documents()
        .filter_map(|d| {
            let old = d.origin.as_deref()?;
            if is_url(old) || Path::new(old).is_absolute() || old.is_empty() {
                return None;
            }
            let file = lexical(&from.join(old));
            let new = relative(&file, &to).unwrap_or(file);
            let new = new.to_string_lossy().into_owned();
            (new != old).then(|| Rebased {
                doc: d.id,
                old: old.to_string(),
                new,
            })
        })
        .collect()
}

fn is_url(origin: &str) -> bool {
    origin.contains("://")
}

fn absolute(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::path::absolute(dir).ok().map(|p| lexical(&p))
}

/// `path` with `.` dropped and `..` applied to the part before it,
/// without asking the file system (the file may be gone).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `file` relative to the folder `base` (both absolute and lexical), or
/// None when they share no root (another drive).
fn relative(file: &Path, base: &Path) -> Option<PathBuf> {
    let f: Vec<Component> = file.components().collect();
    let b: Vec<Component> = base.components().collect();
    if f.first() != b.first() {
        return None;
    }
    let common = f.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &f[common..] {
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, Project};

    fn project(origins: &[&str]) -> Project {
        let mut p = Project::new("p");
        for (i, o) in origins.iter().enumerate() {
            Command::AddDocument {
                title: format!("a{i}"),
                origin: Some(o.to_string()),
                text: "Text.".into(),
            }
            .execute(&mut p)
            .unwrap();
        }
        p
    }

    #[test]
    fn relative_origins_follow_the_project_to_its_new_folder() {
        let p = project(&[
            "articles/a.txt",
            "../shared/b.txt",
            "/abs/c.txt",
            "https://example.org/d",
        ]);
        let moved = rebased(&p, Path::new("/w/projects"), Path::new("/w/out/deep"));
        let pairs: Vec<(&str, &str)> = moved
            .iter()
            .map(|r| (r.old.as_str(), r.new.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("articles/a.txt", "../../projects/articles/a.txt"),
                ("../shared/b.txt", "../../shared/b.txt"),
            ]
        );
        // Back again: the original paths.
        let mut q = p.clone();
        let origins = moved.iter().map(|r| (r.doc, Some(r.new.clone()))).collect();
        Command::SetOrigins(origins).execute(&mut q).unwrap();
        let back = rebased(&q, Path::new("/w/out/deep"), Path::new("/w/projects"));
        let olds: Vec<&str> = back.iter().map(|r| r.new.as_str()).collect();
        assert_eq!(olds, ["articles/a.txt", "../shared/b.txt"]);
    }

    #[test]
    fn into_a_subfolder_and_the_same_folder() {
        let p = project(&["articles/a.txt", "./b.txt"]);
        let moved = rebased(&p, Path::new("/w"), Path::new("/w/articles"));
        let news: Vec<&str> = moved.iter().map(|r| r.new.as_str()).collect();
        assert_eq!(news, ["a.txt", "../b.txt"]);
        assert!(rebased(&p, Path::new("/w"), Path::new("/w/./x/..")).is_empty());
    }
}
