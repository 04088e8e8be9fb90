//! Importers and exporters. Every offset they read or write is a half-open
//! range of Unicode code points in the document's stored text.

pub mod brat;
pub mod bulk;
pub mod common;
pub mod csv;
pub mod extract;
pub mod fetch;
pub mod html;
pub mod import;
pub mod json;
pub mod jsonl;
pub mod schemaorg;
pub mod sourcing_svg;
pub mod text;
pub mod w3c;

pub use common::Filter;
pub use import::Report;

use crate::model::{Command, Project};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row per span.
    Csv,
    /// The whole project as JSON.
    Json,
    /// doccano-style JSON lines.
    Jsonl,
    /// brat standoff folder.
    Brat,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// Standalone HTML report.
    Html,
    /// schema.org Claim / ClaimReview JSON-LD.
    Schemaorg,
}

impl ExportFormat {
    /// Every format, for menus.
    pub const ALL: [ExportFormat; 7] = [
        Self::Csv,
        Self::Json,
        Self::Jsonl,
        Self::Brat,
        Self::W3c,
        Self::Html,
        Self::Schemaorg,
    ];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV (spreadsheet)",
            Self::Json => "JSON (whole project)",
            Self::Jsonl => "JSONL (doccano / spaCy)",
            Self::Brat => "brat standoff (folder)",
            Self::W3c => "W3C Web Annotation (JSON-LD)",
            Self::Html => "HTML report",
            Self::Schemaorg => "schema.org claims (JSON-LD)",
        }
    }

    /// Usual file extension (None for the brat folder).
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Self::Csv => Some("csv"),
            Self::Json => Some("json"),
            Self::Jsonl => Some("jsonl"),
            Self::Brat => None,
            Self::W3c => Some("jsonld"),
            Self::Html => Some("html"),
            Self::Schemaorg => Some("jsonld"),
        }
    }
}

/// Import formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// brat standoff folder (or one .ann with its .txt).
    Brat,
    /// doccano JSONL (entities/relations, or the older label form).
    Jsonl,
    /// Marginalia's own JSON export.
    Json,
}

impl ImportFormat {
    /// Every format, for menus.
    pub const ALL: [ImportFormat; 3] = [Self::Brat, Self::Jsonl, Self::Json];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Brat => "brat standoff (folder or .ann)",
            Self::Jsonl => "JSONL (doccano)",
            Self::Json => "Marginalia JSON",
        }
    }
}

/// Why an export or import failed. Every variant names the path.
#[derive(Debug, Error)]
pub enum FormatError {
    /// Writing or reading failed.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The input is malformed or does not match its documents.
    #[error("{path}: {message}")]
    Invalid {
        /// The input.
        path: PathBuf,
        /// What is wrong, with the line where known.
        message: String,
    },
}

fn io(path: &Path, message: impl std::fmt::Display) -> FormatError {
    FormatError::Io {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Spans exported.
    pub spans: usize,
}

/// Exports to `out` (each file replaced atomically, without waiting for the
/// disk: an export can always be written again): a file, or for brat a folder (created if needed; only
/// files directly inside it are written, whatever the document titles).
pub fn export(
    project: &Project,
    format: ExportFormat,
    out: &Path,
    filter: &Filter,
) -> Result<Written, FormatError> {
    let spans = project.spans().filter(|s| filter.keeps(s)).count();
    let single = |bytes: Vec<u8>| -> Result<Written, FormatError> {
        if out.is_dir() {
            return Err(io(out, "is a folder; give a file name"));
        }
        crate::store::replace_without_sync(out, &bytes).map_err(|e| io(out, e))?;
        Ok(Written {
            files: vec![out.to_path_buf()],
            spans,
        })
    };
    match format {
        ExportFormat::Csv => single(csv::export(project, filter).map_err(|e| io(out, e))?),
        ExportFormat::Json => single(json::export(project, filter).map_err(|e| io(out, e))?),
        ExportFormat::Jsonl => single(jsonl::export(project, filter).map_err(|e| io(out, e))?),
        ExportFormat::W3c => single(w3c::export(project, filter).map_err(|e| io(out, e))?),
        ExportFormat::Html => single(html::export(project, filter)),
        ExportFormat::Schemaorg => {
            single(schemaorg::export(project, filter).map_err(|e| io(out, e))?)
        }
        ExportFormat::Brat => {
            if out.is_file() {
                return Err(io(out, "is a file; brat export needs a folder"));
            }
            std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
            let mut files = Vec::new();
            for (name, bytes) in brat::export(project, filter) {
                // Names come from safe_file_stem; refuse anything else anyway.
                if name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(io(out, format!("refusing unsafe file name {name:?}")));
                }
                let path = out.join(&name);
                crate::store::replace_without_sync(&path, &bytes).map_err(|e| io(&path, e))?;
                files.push(path);
            }
            Ok(Written { files, spans })
        }
    }
}

/// Reads `input` and plans its annotations as one undoable command.
pub fn import(
    project: &Project,
    format: ImportFormat,
    input: &Path,
) -> Result<(Command, Report), FormatError> {
    let mut report = Report::default();
    let invalid = |message: String| FormatError::Invalid {
        path: input.to_path_buf(),
        message,
    };
    let read = || -> Result<String, FormatError> {
        let bytes = if input == Path::new("-") {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut b)
                .map_err(|e| io(input, e))?;
            b
        } else {
            std::fs::read(input).map_err(|e| io(input, e))?
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            io(
                input,
                format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
            )
        })?;
        Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text))
    };
    let edits = match format {
        ImportFormat::Brat => brat::plan(project, input, &mut report).map_err(invalid)?,
        ImportFormat::Jsonl => jsonl::plan(project, &read()?, &mut report).map_err(invalid)?,
        ImportFormat::Json => json::plan(project, &read()?, &mut report).map_err(invalid)?,
    };
    let name = match format {
        ImportFormat::Brat => "import brat",
        ImportFormat::Jsonl => "import JSONL",
        ImportFormat::Json => "import JSON",
    };
    Ok((Command::Edits(name.into(), edits), report))
}
