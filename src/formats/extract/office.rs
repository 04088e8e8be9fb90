//! Zip-based documents: Word (`.docx`), OpenDocument text (`.odt`) and
//! EPUB. Paragraphs and headings are kept, list items one per line, table
//! cells separated by tabs, footnotes moved to the end. Every entry is
//! unpacked with a cap ([`MAX_UNPACKED_BYTES`] in all), so a zip bomb
//! stops early.

use super::{ExtractError, Extracted, Format, MAX_UNPACKED_BYTES};
use crate::model::Provenance;
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Which zip-based format `bytes` holds.
pub fn zip_kind(bytes: &[u8]) -> Result<Format, ExtractError> {
    let mut zip = open(bytes, "a zip archive")?;
    if let Ok(mut entry) = zip.by_name("mimetype") {
        let mut mime = String::new();
        let _ = (&mut entry).take(200).read_to_string(&mut mime);
        match mime.trim() {
            "application/epub+zip" => return Ok(Format::Epub),
            "application/vnd.oasis.opendocument.text" => return Ok(Format::Odt),
            _ => {}
        }
    }
    if zip.by_name("word/document.xml").is_ok() {
        return Ok(Format::Docx);
    }
    Err(ExtractError::Mismatch {
        claimed: "an article",
        found: "a zip archive that is not Word, OpenDocument or EPUB",
    })
}

fn open<'a>(bytes: &'a [u8], what: &'static str) -> Result<Archive<'a>, ExtractError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::Corrupt {
        format: what,
        detail: e.to_string(),
    })
}

/// Unpacks entries with a running total against [`MAX_UNPACKED_BYTES`].
struct Unpacker<'a> {
    zip: Archive<'a>,
    unpacked: u64,
    format: &'static str,
}

impl<'a> Unpacker<'a> {
    fn new(bytes: &'a [u8], format: &'static str) -> Result<Self, ExtractError> {
        Ok(Unpacker {
            zip: open(bytes, format)?,
            unpacked: 0,
            format,
        })
    }

    /// The entry `name` as text; None when the archive has no such entry.
    fn text(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(ExtractError::Corrupt {
                    format: self.format,
                    detail: format!("{name}: {e}"),
                });
            }
        };
        let room = MAX_UNPACKED_BYTES - self.unpacked;
        let mut bytes = Vec::new();
        entry
            .take(room + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ExtractError::Corrupt {
                format: self.format,
                detail: format!("{name}: {e}"),
            })?;
        self.unpacked += bytes.len() as u64;
        if self.unpacked > MAX_UNPACKED_BYTES {
            return Err(ExtractError::TooLarge {
                bytes: self.unpacked,
                what: " unpacked",
                limit: MAX_UNPACKED_BYTES,
            });
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| ExtractError::Corrupt {
                format: self.format,
                detail: format!("{name} is not UTF-8"),
            })
    }

    fn required(&mut self, name: &str) -> Result<String, ExtractError> {
        let format = self.format;
        self.text(name)?.ok_or_else(|| ExtractError::Corrupt {
            format,
            detail: format!("it has no {name}"),
        })
    }
}

/// Plain text being written: paragraphs, lines and cells.
#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn end_line(&mut self) {
        let keep = self.text.trim_end_matches([' ', '\t']).len();
        self.text.truncate(keep);
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }
    fn end_paragraph(&mut self) {
        self.end_line();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }
    fn finish(self) -> String {
        super::html::tidy(&self.text)
    }
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn xml_error(format: &'static str, e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Corrupt {
        format,
        detail: format!("broken XML: {e}"),
    }
}

/// A Word file: `word/document.xml`, footnotes from `word/footnotes.xml`,
/// title and authors from `docProps/core.xml`.
pub fn docx(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = Unpacker::new(bytes, "the Word file")?;
    let body = zip.required("word/document.xml")?;
    let mut text = docx_text(&body, false)?;
    if let Some(notes) = zip.text("word/footnotes.xml")? {
        let notes = docx_text(&notes, true)?;
        if !notes.trim().is_empty() {
            text.push_str("\n\n");
            text.push_str(&notes);
        }
    }
    let source = match zip.text("docProps/core.xml")? {
        Some(core) => core_properties(&core, false),
        None => Provenance::default(),
    };
    Ok(Extracted {
        title: source.title.clone(),
        text,
        source,
    })
}

/// The text of WordprocessingML; `notes` reads footnotes (each as
/// "[n] text", separators left out).
fn docx_text(xml: &str, notes: bool) -> Result<String, ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Writer::default();
    let mut in_text = false;
    let mut list_item = false;
    let mut skip_note = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error("the Word file", e))?;
        match event {
            Event::Start(e) | Event::Empty(e) if !skip_note => match local(e.name().as_ref()) {
                b"t" => in_text = true,
                b"tab" => out.push("\t"),
                b"br" | b"cr" => out.end_line(),
                b"numPr" => list_item = true,
                b"tc" => {}
                b"footnoteReference" | b"endnoteReference" => {
                    if let Some(id) = attr(&e, b"id") {
                        out.push(&format!("[{id}]"));
                    }
                }
                b"footnote" | b"endnote" if notes => {
                    let kind = attr(&e, b"type");
                    if kind.as_deref().is_some_and(|k| k != "normal") {
                        skip_note = true;
                    } else if let Some(id) = attr(&e, b"id") {
                        out.end_line();
                        out.push(&format!("[{id}] "));
                    }
                }
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()) {
                b"t" => in_text = false,
                b"footnote" | b"endnote" => {
                    skip_note = false;
                    out.end_line();
                }
                _ if skip_note => {}
                b"p" => {
                    if list_item || notes {
                        out.end_line();
                    } else {
                        out.end_paragraph();
                    }
                    list_item = false;
                }
                b"tc" => out.push("\t"),
                b"tr" => out.end_line(),
                b"tbl" => out.end_paragraph(),
                _ => {}
            },
            Event::Text(t) if in_text && !skip_note => {
                out.push(&t.unescape().map_err(|e| xml_error("the Word file", e))?);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out.finish())
}

/// Dublin Core properties (`docProps/core.xml`, `meta.xml`, an EPUB's
/// OPF): title, creators, language, and with `dc_date_is_publication` (an
/// EPUB's OPF) the date. A Word or OpenDocument file's dates say when the
/// file was made or saved, not when the article was published, so they
/// are not taken.
fn core_properties(xml: &str, dc_date_is_publication: bool) -> Provenance {
    let mut p = Provenance::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut field: Option<Vec<u8>> = None;
    let mut value = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                field = Some(local(e.name().as_ref()).to_vec());
                value.clear();
            }
            Ok(Event::Text(t)) if field.is_some() => {
                if let Ok(t) = t.unescape() {
                    value.push_str(&t);
                }
            }
            Ok(Event::End(_)) => {
                let v = value.trim().to_string();
                if let Some(name) = field.take()
                    && !v.is_empty()
                {
                    match name.as_slice() {
                        b"title" if p.title.is_none() => p.title = Some(v),
                        b"creator" | b"initial-creator" if !p.authors.contains(&v) => {
                            p.authors.push(v)
                        }
                        b"language" if p.language.is_none() => p.language = Some(v),
                        b"date" if dc_date_is_publication && p.published.is_none() => {
                            p.published = Some(v)
                        }
                        b"publisher" if p.site.is_none() => p.site = Some(v),
                        _ => {}
                    }
                }
                value.clear();
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    p
}

/// An OpenDocument text: `content.xml` (notes moved to the end) and
/// `meta.xml`.
pub fn odt(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = Unpacker::new(bytes, "the OpenDocument file")?;
    let content = zip.required("content.xml")?;
    let text = odt_text(&content)?;
    let source = match zip.text("meta.xml")? {
        Some(meta) => core_properties(&meta, false),
        None => Provenance::default(),
    };
    Ok(Extracted {
        title: source.title.clone(),
        text,
        source,
    })
}

fn odt_text(xml: &str) -> Result<String, ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Writer::default();
    let mut notes = Writer::default();
    let mut in_body = false;
    let mut note_depth = 0usize;
    let mut citation = false;
    let mut in_list = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error("the OpenDocument file", e))?;
        let sink = if note_depth > 0 { &mut notes } else { &mut out };
        match event {
            Event::Start(e) => match local(e.name().as_ref()) {
                b"text" => in_body = true,
                b"note" => note_depth += 1,
                b"note-citation" => citation = true,
                b"list-item" => in_list += 1,
                _ => {}
            },
            Event::Empty(e) => match local(e.name().as_ref()) {
                b"tab" => sink.push("\t"),
                b"line-break" => sink.end_line(),
                b"s" => {
                    let n = attr(&e, b"c")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(1usize);
                    sink.push(&" ".repeat(n.min(64)));
                }
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()) {
                b"p" | b"h" => {
                    if in_list > 0 || note_depth > 0 {
                        sink.end_line()
                    } else {
                        sink.end_paragraph()
                    }
                }
                b"list-item" => in_list = in_list.saturating_sub(1),
                b"note-citation" => citation = false,
                b"note" => note_depth = note_depth.saturating_sub(1),
                b"table-cell" => sink.push("\t"),
                b"table-row" => sink.end_line(),
                b"table" => sink.end_paragraph(),
                _ => {}
            },
            Event::Text(t) if in_body => {
                let t = t
                    .unescape()
                    .map_err(|e| xml_error("the OpenDocument file", e))?;
                if citation {
                    // The mark stays in the text; the note starts with it.
                    out.push(&format!("[{t}]"));
                    notes.end_line();
                    notes.push(&format!("[{t}] "));
                } else {
                    sink.push(&t);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut text = out.finish();
    let notes = notes.finish();
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes);
    }
    Ok(text)
}

/// An EPUB: the chapters in spine order, each an article (titled by its
/// first line when that is short, else "Book, chapter N"), or the whole
/// book as one.
pub fn epub(bytes: &[u8], whole_book: bool) -> Result<Vec<Extracted>, ExtractError> {
    let mut zip = Unpacker::new(bytes, "the EPUB")?;
    let container = zip.required("META-INF/container.xml")?;
    let opf_path = rootfile(&container).ok_or_else(|| ExtractError::Corrupt {
        format: "the EPUB",
        detail: "META-INF/container.xml names no package file".into(),
    })?;
    let opf = zip.required(&opf_path)?;
    let base = opf_path.rsplit_once('/').map_or("", |(b, _)| b).to_string();
    let book = core_properties(&opf, true);
    let mut chapters = Vec::new();
    for href in spine(&opf) {
        let path = if base.is_empty() {
            href.clone()
        } else {
            format!("{base}/{href}")
        };
        let path = percent_decode(&path);
        let Some(xhtml) = zip.text(&path)? else {
            continue;
        };
        let text = super::html::document_text(&xhtml)?;
        if !text.trim().is_empty() {
            chapters.push(text);
        }
    }
    if chapters.is_empty() {
        return Err(ExtractError::NoText("the EPUB has no chapter with text"));
    }
    let book_title = book.title.clone().unwrap_or_else(|| "Book".into());
    if whole_book {
        return Ok(vec![Extracted {
            title: book.title.clone(),
            text: chapters.join("\n\n"),
            source: book,
        }]);
    }
    let n = chapters.len();
    Ok(chapters
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let first = text.lines().next().unwrap_or("").trim();
            let title = if !first.is_empty() && first.chars().count() <= 80 {
                format!("{book_title}: {first}")
            } else {
                format!("{book_title}, chapter {} of {n}", i + 1)
            };
            let mut source = book.clone();
            source.title = Some(title.clone());
            Extracted {
                title: Some(title),
                text,
                source,
            }
        })
        .collect())
}

/// The package file named by `META-INF/container.xml`.
fn rootfile(xml: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if local(e.name().as_ref()) == b"rootfile" =>
            {
                return attr(&e, b"full-path");
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// The spine's documents, in reading order.
fn spine(opf: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(opf);
    let mut manifest = std::collections::HashMap::new();
    let mut order = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                b"item" => {
                    if let (Some(id), Some(href)) = (attr(&e, b"id"), attr(&e, b"href")) {
                        manifest.insert(id, href);
                    }
                }
                b"itemref" => {
                    if let Some(id) = attr(&e, b"idref") {
                        order.push(id);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    order
        .into_iter()
        .filter_map(|id| manifest.get(&id).cloned())
        .collect()
}

/// `%20` and the like in an href.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}
