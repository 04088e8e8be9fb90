//! Errors from reading and writing project files. Every variant names the
//! file; `Display` gives a message a user can act on.

use crate::model::Problem;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a project file could not be read or written.
#[derive(Debug, Error)]
pub enum StoreError {
    /// An operating-system error.
    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What we were doing ("read", "write", ...).
        op: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// A directory was given where a file was expected.
    #[error("{} is a directory, not a project file", .0.display())]
    IsDirectory(PathBuf),
    /// The file is too large to be a project.
    #[error("{} is {bytes} bytes, larger than the {limit}-byte limit for a project file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not UTF-8.
    #[error("{} is not valid UTF-8 (first bad byte at offset {byte}); is it a Marginalia project?", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Offset of the first invalid byte.
        byte: usize,
    },
    /// The RON is malformed or has the wrong shape.
    #[error("{}:{line}:{col}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// The parser's explanation.
        message: String,
    },
    /// The file is empty or whitespace.
    #[error("{} is empty: it is not a Marginalia project", .0.display())]
    Empty(PathBuf),
    /// The first field is not `version`.
    #[error("{}: not a Marginalia project: the first field must be `version: N`", .0.display())]
    NoVersion(PathBuf),
    /// The file was written by a newer Marginalia.
    #[error("{}: project file version {found} is newer than this build supports (version {supported}); please update Marginalia", path.display())]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u64,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The file parsed but breaks invariants.
    #[error("{}: invalid project:\n{}", path.display(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every error-level problem found.
        problems: Vec<crate::model::Problem>,
    },
    /// Serialisation failed (should not happen for a valid project).
    #[error("cannot serialise the project for {}: {message}", path.display())]
    Serialize {
        /// The file.
        path: PathBuf,
        /// Explanation.
        message: String,
    },
}

impl StoreError {
    /// Wraps an I/O error with the file and operation.
    pub fn io(path: &Path, op: &'static str, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            op,
            source,
        }
    }

    pub(crate) fn syntax(path: &Path, e: &ron::error::SpannedError) -> Self {
        StoreError::Syntax {
            path: path.to_path_buf(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: match e.code {
                ron::Error::ExceededRecursionLimit => {
                    "the data is nested too deeply (more than 128 levels); this is not a Marginalia project".into()
                }
                ref other => other.to_string(),
            },
        }
    }

    /// The problems behind an [`StoreError::Invalid`], if that is what this is.
    pub fn problems(&self) -> &[Problem] {
        match self {
            StoreError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}
