//! Articles from the files analysts receive: saved web pages, PDF, Word
//! and OpenDocument text, EPUB, Markdown, and plain text in any common
//! encoding. Each becomes plain text (paragraphs kept, markup gone) with
//! where it came from ([`Provenance`]).
//!
//! The format is recognised by content first (a PDF or a zip archive by
//! its first bytes, HTML by its tags) and by the file name second. A file
//! named as one binary format that holds another is refused, naming both.
//! Extraction runs on its own thread with a time limit, a large stack and
//! panics caught, so a hostile file can only fail.

pub mod benchmark;
mod html;
mod markdown;
mod office;
mod pdf;
mod pdf_layout;
mod plain;

pub use html::{MAX_DEPTH, fragment_text, nesting_depth};
pub use plain::decode;

use crate::model::Provenance;
use sha2::{Digest, Sha256};
use std::time::Duration;
use thiserror::Error;

/// Largest file read (a saved page, PDF or archive).
pub const MAX_SOURCE_BYTES: usize = 100 << 20;

/// Most bytes an archive (Word, OpenDocument, EPUB) may unpack to: a zip
/// bomb stops here.
pub const MAX_UNPACKED_BYTES: u64 = 200 << 20;

/// Longest an extraction may take before it is given up.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// What a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// A saved web page.
    Html,
    /// Markdown.
    Markdown,
    /// Word (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// EPUB.
    Epub,
    /// PDF.
    Pdf,
}

impl Format {
    /// `text`, `html`, `markdown`, `docx`, `odt`, `epub` or `pdf`: the
    /// spelling of files and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }

    /// For messages: "a PDF", "a Word file"…
    fn described(self) -> &'static str {
        match self {
            Format::Text => "plain text",
            Format::Html => "a web page",
            Format::Markdown => "Markdown",
            Format::Docx => "a Word file",
            Format::Odt => "an OpenDocument text",
            Format::Epub => "an EPUB",
            Format::Pdf => "a PDF",
        }
    }

    /// The format a file name claims, if any.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "epub" => Format::Epub,
            "pdf" => Format::Pdf,
            _ => return None,
        })
    }

    /// Whether the name is one this build reads as an article.
    pub fn is_article_name(name: &str) -> bool {
        Format::of_name(name).is_some()
    }
}

/// Why a file could not be made an article. The caller names the file.
#[derive(Debug, Error)]
pub enum ExtractError {
    /// Nothing to annotate came out.
    #[error("{0}")]
    NoText(&'static str),
    /// The bytes are not the format the name claims.
    #[error("it is named as {claimed} but holds {found}")]
    Mismatch {
        /// What the name says.
        claimed: &'static str,
        /// What the bytes are.
        found: &'static str,
    },
    /// Broken or unreadable content.
    #[error("{format} cannot be read: {detail}")]
    Corrupt {
        /// The format.
        format: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// A PDF without a text layer.
    #[error("the PDF has no text layer (a scan?): run it through OCR first")]
    NoTextLayer,
    /// A password-protected PDF.
    #[error("the PDF is encrypted: save an unprotected copy first")]
    Encrypted,
    /// Markup nested deeper than [`MAX_DEPTH`].
    #[error("the markup is nested {depth} levels deep (more than {MAX_DEPTH})")]
    TooDeep {
        /// How deep.
        depth: usize,
    },
    /// Over [`MAX_SOURCE_BYTES`] or [`MAX_UNPACKED_BYTES`].
    #[error("it is {bytes} bytes{what}, over the {limit}-byte limit")]
    TooLarge {
        /// The size.
        bytes: u64,
        /// " unpacked" for an archive.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// No encoding fits the bytes.
    #[error(
        "its bytes fit no known text encoding (invalid byte 0x{value:02x} at byte offset {byte})"
    )]
    NoEncoding {
        /// Offset of the first bad byte.
        byte: usize,
        /// The byte.
        value: u8,
    },
    /// UTF-8 with damage (cut short, or a bad byte among good UTF-8):
    /// guessing another encoding would garble all of it.
    #[error(
        "is not UTF-8 text: invalid byte 0x{value:02x} at byte offset {byte} (it looks like damaged UTF-8; repair it, or name the encoding with --encoding)"
    )]
    DamagedUtf8 {
        /// Offset of the first bad byte.
        byte: usize,
        /// The byte.
        value: u8,
    },
    /// A binary file that is none of the formats read.
    #[error("it looks binary: NUL byte at byte offset {byte}{hint}")]
    Binary {
        /// Offset of the first NUL.
        byte: usize,
        /// Extra advice.
        hint: &'static str,
    },
    /// `--encoding` named no encoding.
    #[error("unknown encoding {0:?} (try UTF-8, windows-1252, Shift_JIS, EUC-KR, GB18030…)")]
    UnknownEncoding(String),
    /// The extraction ran past [`TIME_LIMIT`].
    #[error("reading it took longer than {} s and was stopped", TIME_LIMIT.as_secs())]
    Timeout,
    /// The reader failed inside (a bug in it, or a hostile file).
    #[error("the {0} reader failed on it")]
    Crashed(&'static str),
}

/// One article out of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The title (the headline), when the file names one.
    pub title: Option<String>,
    /// Plain text, paragraphs separated by a blank line.
    pub text: String,
    /// Where it came from.
    pub source: Provenance,
}

/// Choices for reading.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read text in this encoding instead of detecting one (a label such
    /// as `windows-1252`).
    pub encoding: Option<String>,
    /// An EPUB as one article instead of one per chapter.
    pub whole_book: bool,
}

/// Reads `bytes` (a file called `name`) into one article, or several for an
/// EPUB read chapter by chapter. The SHA-256 of the bytes, the format and
/// the file name are recorded; the caller adds the time.
pub fn extract_bytes(
    bytes: Vec<u8>,
    name: &str,
    options: &Options,
) -> Result<Vec<Extracted>, ExtractError> {
    let format = sniff(&bytes, name)?;
    extract_as(bytes, name, format, options)
}

/// [`extract_bytes`] for bytes already [`sniff`]ed as `format`; the text
/// comes out normalised (no BOM, LF line endings).
pub fn extract_as(
    bytes: Vec<u8>,
    name: &str,
    format: Format,
    options: &Options,
) -> Result<Vec<Extracted>, ExtractError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(ExtractError::TooLarge {
            bytes: bytes.len() as u64,
            what: "",
            limit: MAX_SOURCE_BYTES as u64,
        });
    }
    let sha256 = sha256_hex(&bytes);
    let options = options.clone();
    let mut articles = guarded(format, move || read_as(format, &bytes, &options))?;
    let file_name = std::path::Path::new(name)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned());
    for a in &mut articles {
        a.source.format = Some(format.as_str().to_string());
        a.source.sha256 = Some(sha256.clone());
        a.source.file_name.clone_from(&file_name);
        a.text = crate::model::text::normalize_newlines(&a.text).into_owned();
    }
    Ok(articles)
}

fn read_as(
    format: Format,
    bytes: &[u8],
    options: &Options,
) -> Result<Vec<Extracted>, ExtractError> {
    match format {
        Format::Text | Format::Markdown | Format::Html => {
            let (text, encoding) = plain::decode(bytes, format, options.encoding.as_deref())?;
            let mut article = match format {
                Format::Html => html::extract(&text)?,
                Format::Markdown => markdown::extract(&text),
                _ => plain::extract(&text),
            };
            article.source.encoding = Some(encoding.to_string());
            Ok(vec![article])
        }
        Format::Docx => Ok(vec![office::docx(bytes)?]),
        Format::Odt => Ok(vec![office::odt(bytes)?]),
        Format::Epub => office::epub(bytes, options.whole_book),
        Format::Pdf => Ok(vec![pdf::extract(bytes)?]),
    }
}

/// The format of `bytes`: by content, then by `name`.
pub fn sniff(bytes: &[u8], name: &str) -> Result<Format, ExtractError> {
    let claimed = Format::of_name(name);
    let found = if bytes.starts_with(b"%PDF-") {
        Some(Format::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(office::zip_kind(bytes)?)
    } else {
        None
    };
    match (claimed, found) {
        (_, Some(found)) => Ok(found),
        (Some(c @ (Format::Pdf | Format::Docx | Format::Odt | Format::Epub)), None) => {
            Err(ExtractError::Mismatch {
                claimed: c.described(),
                found: if looks_like_html(bytes) {
                    Format::Html.described()
                } else if bytes.contains(&0) {
                    "binary data of another kind"
                } else {
                    Format::Text.described()
                },
            })
        }
        (Some(Format::Markdown), None) => Ok(Format::Markdown),
        (_, None) if looks_like_html(bytes) => Ok(Format::Html),
        (Some(Format::Html), None) => Ok(Format::Html),
        _ => Ok(Format::Text),
    }
}

/// Whether the text opens like an HTML document.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || (start.starts_with('<') && (head.contains("<head") || head.contains("<body")))
}

/// Runs `read` on its own thread (64 MB of stack) with panics caught and
/// [`TIME_LIMIT`]: a file that makes a reader panic, recurse or loop can
/// only fail. A reader stuck past the limit is left to finish on its own.
fn guarded<T: Send + 'static>(
    format: Format,
    read: impl FnOnce() -> Result<T, ExtractError> + Send + 'static,
) -> Result<T, ExtractError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("extract".into())
        .stack_size(64 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        return Err(ExtractError::Crashed(format.as_str()));
    }
    match rx.recv_timeout(TIME_LIMIT) {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(ExtractError::Crashed(format.as_str())),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(ExtractError::Timeout),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err(ExtractError::Crashed(format.as_str()))
        }
    }
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content_then_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "a.txt").unwrap(), Format::Pdf);
        assert_eq!(
            sniff(b"<!DOCTYPE html><html>", "page.txt").unwrap(),
            Format::Html
        );
        assert_eq!(
            sniff(b"# Title\n\ntext", "notes.md").unwrap(),
            Format::Markdown
        );
        assert_eq!(sniff(b"plain", "a.txt").unwrap(), Format::Text);
        assert_eq!(sniff(b"plain", "noext").unwrap(), Format::Text);
        let err = sniff(b"<html><body>x</body></html>", "report.pdf").unwrap_err();
        assert_eq!(err.to_string(), "it is named as a PDF but holds a web page");
        assert!(matches!(
            sniff(b"hello", "letter.docx"),
            Err(ExtractError::Mismatch { .. })
        ));
    }

    #[test]
    fn a_reader_that_panics_only_fails() {
        let r: Result<(), _> = guarded(Format::Pdf, || panic!("hostile"));
        assert!(matches!(r, Err(ExtractError::Crashed("pdf"))));
    }

    #[test]
    fn provenance_records_bytes_format_and_name() {
        let got = extract_bytes(
            b"Hello there.\n".to_vec(),
            "/x/y/note.txt",
            &Options::default(),
        )
        .unwrap();
        let s = &got[0].source;
        assert_eq!(s.format.as_deref(), Some("text"));
        assert_eq!(s.file_name.as_deref(), Some("note.txt"));
        assert_eq!(s.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(
            s.sha256.as_deref(),
            Some("480f193e2301598f0caf70bb8fce03c7e2b963a2277fd22b646471983e6eb357")
        );
    }
}
