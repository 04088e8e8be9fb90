//! Plain-text article import: UTF-8 only, BOM stripped, CRLF/CR → LF.

use super::extract::Options as ExtractOptions;
use super::fetch;
use crate::model::text::normalize_newlines;
use crate::model::{Command, Provenance};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use thiserror::Error;

/// Largest article accepted, to keep a stray multi-GB file from eating memory.
pub const MAX_TEXT_BYTES: u64 = 256 << 20;

/// Longest title derived from the first line, in chars.
const MAX_TITLE_CHARS: usize = 80;

/// Why a text could not be imported. Each names the file (or `<stdin>`).
#[derive(Debug, Error)]
pub enum TextImportError {
    /// The OS refused.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A directory was given.
    #[error("{} is a directory, not a text file", .0.display())]
    IsDirectory(PathBuf),
    /// Too big.
    #[error("{} is {bytes} bytes, larger than the {limit}-byte limit for an article", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Not UTF-8.
    #[error("{} is not UTF-8 text: invalid byte 0x{value:02x} at byte offset {byte} (save it as UTF-8 and try again)", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Offset of the first invalid byte.
        byte: usize,
        /// The byte.
        value: u8,
    },
    /// Contains NUL bytes: a binary file, or UTF-16.
    #[error("{} looks binary: NUL byte at byte offset {byte}{hint}", path.display())]
    Binary {
        /// The file.
        path: PathBuf,
        /// Offset of the first NUL.
        byte: usize,
        /// Extra advice (e.g. for UTF-16).
        hint: &'static str,
    },
    /// Empty or whitespace only.
    #[error("{} is empty: there is no text to annotate", .0.display())]
    Empty(PathBuf),
    /// An address that could not be fetched.
    #[error("{url}: {why}")]
    Fetch {
        /// The address asked for.
        url: String,
        /// Why.
        why: fetch::FetchError,
    },
    /// A page, PDF, Word file or the like that could not be read.
    #[error("{}: {why}", path.display())]
    Extract {
        /// The file.
        path: PathBuf,
        /// Why.
        why: super::extract::ExtractError,
    },
}

/// A text ready to become a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedText {
    /// Title: the first non-empty line (shortened) or the file name.
    pub title: String,
    /// Where it came from.
    pub origin: Option<String>,
    /// Normalised text.
    pub text: String,
    /// Where it came from (URL, author, date, format, file, hash), for
    /// files read from disk.
    pub source: Option<Box<Provenance>>,
}

impl ImportedText {
    /// The command that adds it.
    pub fn into_command(self) -> Command {
        match self.source {
            Some(source) => Command::AddSourcedDocument {
                title: self.title,
                origin: self.origin,
                text: self.text,
                source,
            },
            None => Command::AddDocument {
                title: self.title,
                origin: self.origin,
                text: self.text,
            },
        }
    }
}

/// Reads an article file: plain text in any common encoding, a saved web
/// page, PDF, Word, OpenDocument, EPUB or Markdown (see
/// [`super::extract`]). `-` reads standard input (UTF-8). An EPUB gives
/// its first chapter; [`import_file_all`] gives every one.
pub fn import_file(path: &Path) -> Result<ImportedText, TextImportError> {
    let mut all = import_file_all(path, &ExtractOptions::default())?;
    Ok(all.remove(0))
}

/// Reads an article file into one article, or one per chapter of an EPUB
/// (unless `options` asks for the whole book). Never empty on success.
pub fn import_file_all(
    path: &Path,
    options: &ExtractOptions,
) -> Result<Vec<ImportedText>, TextImportError> {
    if path == Path::new("-") {
        return Ok(vec![import_stdin()?]);
    }
    let io = |source| TextImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(TextImportError::IsDirectory(path.to_path_buf()));
    }
    // A page, PDF or archive is refused by its size before it is read;
    // plain text may be a book.
    let name = path.display().to_string();
    let claimed = super::extract::Format::of_name(&name);
    let limit = match claimed {
        None | Some(super::extract::Format::Text) => MAX_TEXT_BYTES,
        Some(_) => super::extract::MAX_SOURCE_BYTES as u64,
    };
    if meta.len() > limit {
        return Err(TextImportError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let origin = Some(path.display().to_string());
    articles_from_bytes(bytes, &name, path, origin, file_name(path), options)
}

/// Fetches an http(s) address and reads what it gives like a file of the
/// same kind (a page, a PDF…). The article's URL is the page's canonical
/// one when it names one, else where it was fetched from in the end.
pub fn import_url(
    url: &str,
    options: &ExtractOptions,
    progress: &dyn Fn(u64, Option<u64>),
    cancel: &AtomicBool,
) -> Result<Vec<ImportedText>, TextImportError> {
    progress(0, None);
    let fetched =
        fetch::fetch(url, &fetch::Limits::default(), progress, cancel).map_err(|why| {
            TextImportError::Fetch {
                url: url.to_string(),
                why,
            }
        })?;
    let name = fetched.name_hint();
    let mut articles = articles_from_bytes(
        fetched.bytes,
        &name,
        Path::new(url),
        Some(url.to_string()),
        None,
        options,
    )?;
    for a in &mut articles {
        if let Some(source) = &mut a.source
            && source.url.is_none()
        {
            source.url = Some(fetched.url.clone());
        }
    }
    Ok(articles)
}

/// Reads a file, or fetches an address when `path` is an http(s) URL (see
/// [`import_url`]); other kinds of address (`ftp://`) are refused.
pub fn import_any(
    path: &Path,
    options: &ExtractOptions,
    progress: &dyn Fn(u64, Option<u64>),
    cancel: &AtomicBool,
) -> Result<Vec<ImportedText>, TextImportError> {
    let s = path.to_string_lossy();
    if fetch::is_url(&s) {
        return import_url(&s, options, progress, cancel);
    }
    if fetch::is_other_url(&s) && !path.exists() {
        return Err(TextImportError::Fetch {
            url: s.into_owned(),
            why: fetch::FetchError::NotHttp,
        });
    }
    import_file_all(path, options)
}

/// Reads the bytes of an article file named `name`: plain UTF-8 text the
/// short way, anything else through [`super::extract`]. `path` names the
/// input in errors and gives the fallback title.
fn articles_from_bytes(
    bytes: Vec<u8>,
    name: &str,
    path: &Path,
    origin: Option<String>,
    file_name: Option<String>,
    options: &ExtractOptions,
) -> Result<Vec<ImportedText>, TextImportError> {
    let added = crate::clock::now_rfc3339();
    let unreadable = |why| TextImportError::Extract {
        path: path.to_path_buf(),
        why,
    };
    let format = super::extract::sniff(&bytes, name).map_err(unreadable)?;
    // Plain UTF-8 text (a 50 MB book too) goes the short way, as always.
    if format == super::extract::Format::Text
        && options.encoding.is_none()
        && std::str::from_utf8(&bytes).is_ok()
    {
        let mut t = import_bytes(&bytes, path, origin)?;
        t.source = Some(Box::new(Provenance {
            format: Some("text".into()),
            encoding: Some("UTF-8".into()),
            file_name,
            added: Some(added),
            sha256: Some(super::extract::sha256_hex(&bytes)),
            ..Provenance::default()
        }));
        return Ok(vec![t]);
    }
    let articles = super::extract::extract_as(bytes, name, format, options).map_err(unreadable)?;
    let mut out = Vec::new();
    for a in articles {
        // Already normalised by the reader.
        if a.text.trim().is_empty() {
            continue;
        }
        let title = a
            .title
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .or_else(|| title_from(&a.text))
            .unwrap_or_else(|| file_title(path));
        let mut source = a.source;
        source.added = Some(added.clone());
        // A fetched page has no file name (the reader saw a made-up one).
        source.file_name.clone_from(&file_name);
        out.push(ImportedText {
            title,
            origin: origin.clone(),
            text: a.text,
            source: Some(Box::new(source)),
        });
    }
    if out.is_empty() {
        return Err(TextImportError::Empty(path.to_path_buf()));
    }
    Ok(out)
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name().map(|f| f.to_string_lossy().into_owned())
}

/// Standard input, as UTF-8 text.
fn import_stdin() -> Result<ImportedText, TextImportError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|source| {
        TextImportError::Io {
            path: "<stdin>".into(),
            source,
        }
    })?;
    import_bytes(&bytes, Path::new("<stdin>"), None)
}

/// Decodes and normalises raw bytes; `path` names the input in errors and
/// supplies the fallback title.
pub fn import_bytes(
    bytes: &[u8],
    path: &Path,
    origin: Option<String>,
) -> Result<ImportedText, TextImportError> {
    if let Some(byte) = bytes.iter().position(|&b| b == 0) {
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        return Err(TextImportError::Binary {
            path: path.to_path_buf(),
            byte,
            hint: if utf16 {
                " (it looks like UTF-16: save it as UTF-8)"
            } else {
                ""
            },
        });
    }
    let raw = std::str::from_utf8(bytes).map_err(|e| {
        let byte = e.valid_up_to();
        TextImportError::NotUtf8 {
            path: path.to_path_buf(),
            byte,
            value: bytes.get(byte).copied().unwrap_or(0),
        }
    })?;
    let text = normalize_newlines(raw).into_owned();
    if text.trim().is_empty() {
        return Err(TextImportError::Empty(path.to_path_buf()));
    }
    let title = title_from(&text).unwrap_or_else(|| file_title(path));
    Ok(ImportedText {
        title,
        origin,
        text,
        source: None,
    })
}

/// Builds a document from pasted text (normalised the same way).
pub fn import_pasted(text: &str, title: Option<&str>) -> Result<ImportedText, TextImportError> {
    let text = normalize_newlines(text).into_owned();
    if text.trim().is_empty() {
        return Err(TextImportError::Empty("<clipboard>".into()));
    }
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or_else(|| title_from(&text))
        .unwrap_or_else(|| "Pasted article".into());
    Ok(ImportedText {
        title,
        origin: None,
        text,
        source: None,
    })
}

/// The first non-empty line, cut at a word boundary near [`MAX_TITLE_CHARS`].
pub fn title_from(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.chars().count() <= MAX_TITLE_CHARS {
        return Some(line.to_string());
    }
    let cut: String = line.chars().take(MAX_TITLE_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > MAX_TITLE_CHARS / 2 => cut[..space].to_string(),
        _ => cut,
    };
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':', ' '])))
}

fn file_title(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Untitled".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(bytes: &[u8]) -> Result<ImportedText, TextImportError> {
        import_bytes(bytes, Path::new("a/article.txt"), None)
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let t = imp("\u{feff}“Title”\r\n\r\n북한 text\rmore".as_bytes()).unwrap();
        assert_eq!(t.text, "“Title”\n\n북한 text\nmore");
        assert_eq!(t.title, "“Title”");
    }

    #[test]
    fn latin1_is_rejected_with_position() {
        let err = imp(b"caf\xe9 au lait").unwrap_err().to_string();
        assert!(err.contains("a/article.txt"), "{err}");
        assert!(err.contains("byte offset 3"), "{err}");
        assert!(err.contains("0xe9"), "{err}");
    }

    #[test]
    fn utf16_and_binary_are_rejected() {
        let err = imp(&[0xff, 0xfe, b'h', 0, b'i', 0])
            .unwrap_err()
            .to_string();
        assert!(err.contains("UTF-16"), "{err}");
        let err = imp(b"\x7fELF\x02\x01\x00").unwrap_err().to_string();
        assert!(err.contains("NUL byte at byte offset 6"), "{err}");
    }

    #[test]
    fn empty_is_rejected_and_title_falls_back() {
        assert!(matches!(imp(b"  \n\r\n"), Err(TextImportError::Empty(_))));
        assert!(matches!(imp(b""), Err(TextImportError::Empty(_))));
        let long = "word ".repeat(40);
        let t = imp(long.as_bytes()).unwrap();
        assert!(t.title.ends_with('…') && t.title.chars().count() <= 81);
    }
}
