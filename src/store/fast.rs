//! A fast path for the bulk of a project file: the one-line span and link
//! records that [`super::to_ron_string`] writes. Each section is read by a
//! small hand-written parser; anything it does not recognise (a hand-edited
//! line, an unusual escape) makes it give up, and the whole file goes
//! through `ron` as before, so the fast path never changes what a file
//! means, only how fast the usual file is read.

use super::LinkRecord;
use crate::model::{DocId, LabelId, LinkId, Span, SpanId};
use std::collections::BTreeMap;

/// The records of the canonical `spans` and `links` sections, the
/// documents' texts, and the file's text with all three emptied (for `ron`
/// to read the rest: a few kilobytes).
pub(super) struct Bulk {
    pub spans: Vec<Span>,
    pub links: Vec<LinkRecord<String>>,
    /// One per record of the `documents` section, in order; each record's
    /// `text` is `""` in `rest`.
    pub texts: Vec<String>,
    pub rest: String,
}

/// Splits a canonical file held in memory; None when it is not one (then
/// `ron` reads it).
pub(super) fn split(text: &str) -> Option<Bulk> {
    read(text.as_bytes()).ok().flatten()
}

/// Which list the reader is in.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Top,
    Documents,
    Spans,
    Links,
}

/// Reads a canonical file line by line, so that a book's file is never
/// whole in memory: each text is unescaped in the buffer its line was read
/// into. `Ok(None)` when the file is not canonical (a hand-edited line, an
/// unusual escape, CRLF line ends, bytes that are not UTF-8): then `ron`
/// reads it, and reports any error with its line.
pub(super) fn read(input: impl std::io::BufRead) -> std::io::Result<Option<Bulk>> {
    match read_canonical(input) {
        Ok(bulk) => Ok(Some(bulk)),
        Err(Stop::NotCanonical) => Ok(None),
        Err(Stop::Io(e)) => Err(e),
    }
}

/// Why the line reader stopped early.
enum Stop {
    NotCanonical,
    Io(std::io::Error),
}

fn read_canonical(mut input: impl std::io::BufRead) -> Result<Bulk, Stop> {
    let mut bulk = Bulk {
        spans: Vec::new(),
        links: Vec::new(),
        texts: Vec::new(),
        rest: String::new(),
    };
    let mut section = Section::Top;
    let mut labels = Vec::new();
    let mut seen = [false; 3];
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(Stop::Io)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.last() == Some(&b'\r') {
            return Err(Stop::NotCanonical);
        }
        if std::mem::take(&mut first) && line.starts_with("\u{feff}".as_bytes()) {
            line.drain(..3);
        }
        let trimmed = line.trim_ascii();
        let comment = trimmed.is_empty() || trimmed.starts_with(b"//");
        match section {
            Section::Top => {
                let opens = match &line[..] {
                    b"    documents: [" => Some((Section::Documents, 0)),
                    b"    spans: [" => Some((Section::Spans, 1)),
                    b"    links: [" => Some((Section::Links, 2)),
                    _ => None,
                };
                if let Some((next, i)) = opens {
                    // Only one section of each name.
                    if std::mem::replace(&mut seen[i], true) {
                        return Err(Stop::NotCanonical);
                    }
                    section = next;
                }
                push_line(&mut bulk.rest, &line, "\n")?;
                continue;
            }
            _ if line.starts_with(b"    ]") => {
                section = Section::Top;
                push_line(&mut bulk.rest, &line, "\n")?;
                continue;
            }
            _ if comment => continue,
            Section::Spans => bulk
                .spans
                .push(record(trimmed, |c| span_line(c, &mut labels))?),
            Section::Links => bulk.links.push(record(trimmed, link_line)?),
            Section::Documents => {
                // `        (id: 1, title: "…", …, text: "…"),` on one line.
                // An unescaped `, text: "` cannot occur inside an escaped
                // string, so the first one starts the text.
                let at = memchr::memmem::find(&line, b", text: \"").ok_or(Stop::NotCanonical)?;
                if !line.starts_with(b"        (") || !line.ends_with(b"\"),") {
                    return Err(Stop::NotCanonical);
                }
                push_line(&mut bulk.rest, &line[..at], ", text: \"\"),\n")?;
                let body_end = line.len() - 3;
                // `text: "),` is an unterminated string, not an empty one.
                if at + 9 > body_end {
                    return Err(Stop::NotCanonical);
                }
                let mut text = std::mem::take(&mut line);
                unescape_in_place(&mut text, at + 9, body_end).ok_or(Stop::NotCanonical)?;
                bulk.texts
                    .push(String::from_utf8(text).map_err(|_| Stop::NotCanonical)?);
            }
        }
    }
    if section != Section::Top {
        return Err(Stop::NotCanonical);
    }
    // Doubling left up to half the vector unused: give it back.
    bulk.spans.shrink_to_fit();
    Ok(bulk)
}

/// Appends a line (or its head, then `tail`) for `ron` to read. Bytes that
/// are not UTF-8 are not canonical: the fallback names the byte.
fn push_line(rest: &mut String, line: &[u8], tail: &str) -> Result<(), Stop> {
    rest.push_str(std::str::from_utf8(line).map_err(|_| Stop::NotCanonical)?);
    rest.push_str(tail);
    Ok(())
}

/// One record line: the record, then a comma, then nothing.
fn record<T>(line: &[u8], parse: impl FnOnce(&mut Cursor) -> Option<T>) -> Result<T, Stop> {
    let mut c = Cursor { s: line, i: 0 };
    let record = parse(&mut c).ok_or(Stop::NotCanonical)?;
    c.eat(b',').ok_or(Stop::NotCanonical)?;
    if c.i != c.s.len() {
        return Err(Stop::NotCanonical);
    }
    Ok(record)
}

/// Unescapes the string body `buf[from..to]` into the start of `buf` and
/// truncates it there: every escape is longer than what it stands for, so
/// the write never overtakes the read. None for an unescaped quote or an
/// escape the writer does not use.
fn unescape_in_place(buf: &mut Vec<u8>, from: usize, to: usize) -> Option<()> {
    let (mut r, mut w) = (from, 0);
    while r < to {
        // The run up to the next escape (or a stray quote) in one copy.
        let run = memchr::memchr2(b'\\', b'"', &buf[r..to]).map_or(to, |i| r + i);
        buf.copy_within(r..run, w);
        w += run - r;
        r = run;
        if r == to {
            break;
        }
        if buf[r] == b'"' {
            return None;
        }
        let e = *buf.get(r + 1).filter(|_| r + 1 < to)?;
        let plain = match e {
            b'"' => b'"',
            b'\'' => b'\'',
            b'\\' => b'\\',
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'0' => 0,
            b'u' => {
                if buf.get(r + 2) != Some(&b'{') {
                    return None;
                }
                let close = r + 3 + memchr::memchr(b'}', &buf[r + 3..to])?;
                let hex = std::str::from_utf8(&buf[r + 3..close]).ok()?;
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                let mut bytes = [0; 4];
                let encoded = c.encode_utf8(&mut bytes).as_bytes();
                buf[w..w + encoded.len()].copy_from_slice(encoded);
                w += encoded.len();
                r = close + 1;
                continue;
            }
            _ => return None,
        };
        buf[w] = plain;
        w += 1;
        r += 2;
    }
    buf.truncate(w);
    buf.shrink_to_fit();
    Some(())
}

/// One span record. Label ids are shared through `labels` (a project has
/// a handful; a book has 500k spans).
fn span_line(c: &mut Cursor, labels: &mut Vec<LabelId>) -> Option<Span> {
    c.eat(b'(')?;
    let id = c.uint()?;
    c.comma()?;
    let doc = c.uint()?;
    c.comma()?;
    let label = c.plain_string()?;
    let label = match labels.iter().find(|l| l.as_str() == label) {
        Some(l) => l.clone(),
        None => {
            let l = LabelId(label.into());
            labels.push(l.clone());
            l
        }
    };
    c.comma()?;
    let start = c.uint()?;
    c.comma()?;
    let end = c.uint()?;
    c.comma()?;
    // Plain stamps (the usual) are copied inline, without an allocation.
    let at = c.i;
    let created: compact_str::CompactString = match c.plain_string() {
        Some(plain) => plain.into(),
        None => {
            c.i = at;
            c.string()?.into()
        }
    };
    c.comma()?;
    let note = c.option_string()?;
    c.comma()?;
    let fragments = c.fragments()?;
    c.comma()?;
    let attrs = c.map()?;
    c.eat(b')')?;
    let mut span = Span::new(
        SpanId(id),
        DocId(doc),
        label,
        usize::try_from(start).ok()?..usize::try_from(end).ok()?,
        note,
        created,
    );
    span.fragments = fragments.into();
    span.attrs = attrs.into();
    Some(span)
}

fn link_line(c: &mut Cursor) -> Option<LinkRecord<String>> {
    c.eat(b'(')?;
    let id = c.uint()?;
    c.comma()?;
    let from = c.uint()?;
    c.comma()?;
    let to = c.uint()?;
    c.comma()?;
    let kind = c.string()?;
    c.eat(b')')?;
    Some(LinkRecord(LinkId(id), SpanId(from), SpanId(to), kind))
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn spaces(&mut self) {
        while self.s.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.spaces();
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn comma(&mut self) -> Option<()> {
        self.eat(b',')
    }

    fn uint(&mut self) -> Option<u64> {
        self.spaces();
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(d) = self.s.get(self.i).filter(|b| b.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.i += 1;
        }
        (self.i > start).then_some(n)
    }

    /// A string with the escapes the writer uses; anything else gives up.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let start = self.i;
        // Plain strings (the usual case) are one slice.
        while let Some(&b) = self.s.get(self.i) {
            match b {
                b'"' => {
                    let out = std::str::from_utf8(&self.s[start..self.i])
                        .ok()?
                        .to_string();
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => break,
                _ => self.i += 1,
            }
        }
        let mut out = std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .to_string();
        loop {
            let b = *self.s.get(self.i)?;
            match b {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.i += 1;
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\'' => out.push('\''),
                        b'\\' => out.push('\\'),
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'0' => out.push('\0'),
                        b'u' => {
                            if self.s.get(self.i) != Some(&b'{') {
                                return None;
                            }
                            let close = self.s[self.i..].iter().position(|&x| x == b'}')?;
                            let hex =
                                std::str::from_utf8(&self.s[self.i + 1..self.i + close]).ok()?;
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                            self.i += close + 1;
                        }
                        _ => return None,
                    }
                }
                _ => {
                    // Copy up to the next quote or escape in one go.
                    let from = self.i;
                    while let Some(&x) = self.s.get(self.i) {
                        if x == b'"' || x == b'\\' {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(std::str::from_utf8(&self.s[from..self.i]).ok()?);
                }
            }
        }
    }

    /// A string without escapes, borrowed from the line (label ids are
    /// plain words); None otherwise, and the caller gives up.
    fn plain_string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.i;
        let len = self.s[start..].iter().position(|&b| b == b'"')?;
        let body = &self.s[start..start + len];
        if body.contains(&b'\\') {
            return None;
        }
        self.i = start + len + 1;
        std::str::from_utf8(body).ok()
    }

    fn option_string(&mut self) -> Option<Option<String>> {
        self.spaces();
        if self.s[self.i..].starts_with(b"None") {
            self.i += 4;
            return Some(None);
        }
        if !self.s[self.i..].starts_with(b"Some(") {
            return None;
        }
        self.i += 5;
        let s = self.string()?;
        self.eat(b')')?;
        Some(Some(s))
    }

    /// A one-line list: `open`, items separated by commas (a trailing
    /// comma allowed), `close`.
    fn list<T>(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.eat(open)?;
        let mut out = Vec::new();
        loop {
            self.spaces();
            if self.eat(close).is_some() {
                return Some(out);
            }
            if !out.is_empty() {
                self.comma()?;
                if self.eat(close).is_some() {
                    return Some(out);
                }
            }
            out.push(item(self)?);
        }
    }

    fn fragments(&mut self) -> Option<Vec<(usize, usize)>> {
        self.list(b'[', b']', |c| {
            c.eat(b'(')?;
            let a = usize::try_from(c.uint()?).ok()?;
            c.comma()?;
            let b = usize::try_from(c.uint()?).ok()?;
            c.eat(b')')?;
            Some((a, b))
        })
    }

    fn map(&mut self) -> Option<BTreeMap<String, String>> {
        let pairs = self.list(b'{', b'}', |c| {
            let k = c.string()?;
            c.eat(b':')?;
            Some((k, c.string()?))
        })?;
        let mut out = BTreeMap::new();
        for (k, v) in pairs {
            // A repeated key is for `ron` to judge.
            if out.insert(k, v).is_some() {
                return None;
            }
        }
        Some(out)
    }
}

/// Writes one span record line exactly as `ron` does with the store's
/// pretty settings (the tests compare the two byte for byte).
pub(super) fn write_span(out: &mut String, s: &crate::model::Span) {
    use std::fmt::Write;
    let _ = write!(out, "        ({}, {}, ", s.id.0, s.doc.0);
    escaped(out, s.label.as_str());
    let _ = write!(out, ", {}, {}, ", s.start, s.end);
    escaped(out, &s.created);
    out.push_str(", ");
    escaped_option(out, s.note.as_deref());
    out.push_str(", [");
    for (i, (a, b)) in s.fragments.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "({a}, {b})");
    }
    out.push_str("], {");
    for (i, (k, v)) in s.attrs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        escaped(out, k);
        out.push_str(": ");
        escaped(out, v);
    }
    out.push_str("}),\n");
}

/// Writes one link record line as `ron` does.
pub(super) fn write_link(out: &mut String, l: &crate::model::Link) {
    use std::fmt::Write;
    let _ = write!(out, "        ({}, {}, {}, ", l.id.0, l.from.0, l.to.0);
    escaped(out, &l.kind);
    out.push_str("),\n");
}

/// A string as `ron` writes it with `escape_strings`: each char through
/// `char::escape_debug`. Runs of chars that need no escape are copied in
/// one go (a 10 MB article is mostly such runs).
pub(super) fn escaped(out: &mut String, s: &str) {
    out.push('"');
    escape_into(out, s);
    out.push('"');
}

/// An optional string as `ron` writes it: `Some("…")` or `None`.
pub(super) fn escaped_option(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push_str("Some(");
            escaped(out, s);
            out.push(')');
        }
        None => out.push_str("None"),
    }
}

/// The escaped chars of `s`, without quotes.
pub(super) fn escape_into(out: &mut String, s: &str) {
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let keep = if c.is_ascii() {
            (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '\'')
        } else {
            c.escape_debug().len() == 1
        };
        if !keep {
            out.push_str(&s[run..i]);
            out.extend(c.escape_debug());
            run = i + c.len_utf8();
        }
    }
    out.push_str(&s[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescaped(body: &str) -> Option<String> {
        let mut buf = format!("xx{body}yy").into_bytes();
        let to = buf.len() - 2;
        unescape_in_place(&mut buf, 2, to)?;
        String::from_utf8(buf).ok()
    }

    #[test]
    fn unescaping_in_place_undoes_the_writer() {
        let all = "a\"b'c\\d\te\nf\rg\0h\u{301}\u{10ffff}\u{a0}한👩‍👩‍👧";
        let mut escaped = String::new();
        escape_into(&mut escaped, all);
        assert_ne!(escaped, all);
        assert_eq!(unescaped(&escaped).as_deref(), Some(all));
        assert_eq!(unescaped("").as_deref(), Some(""));
        assert_eq!(unescaped("plain").as_deref(), Some("plain"));
        // A stray quote, an escape the writer never makes, a cut escape.
        for bad in [
            "a\"b",
            "\\x41",
            "\\q",
            "a\\",
            "\\u{zz}",
            "\\u{d800}",
            "\\u41",
        ] {
            assert_eq!(unescaped(bad), None, "{bad}");
        }
    }

    #[test]
    fn canonical_lines_parse_and_odd_ones_give_up() {
        let text = "(\n    version: 2,\n    spans: [\n    // comment\n        (1, 1, \"claim\", 0, 5, \"2026-01-01T00:00:00Z\", Some(\"a \\\"note\\\" \\u{a0}é\"), [], {}),\n        (2, 1, \"figure\", 3, 9, \"t\", None, [(3, 4), (6, 9)], {\"unit\": \"RMB\", \"value\": \"10\"}),\n    ],\n    links: [\n        (1, 1, 2, \"attributed_to\"),\n    ],\n)\n";
        let bulk = split(text).expect("canonical");
        assert_eq!(bulk.spans.len(), 2);
        assert_eq!(bulk.spans[0].note.as_deref(), Some("a \"note\" \u{a0}é"));
        assert_eq!(bulk.spans[1].fragments.to_vec(), vec![(3, 4), (6, 9)]);
        assert_eq!(
            bulk.spans[1].attrs.get("unit").map(String::as_str),
            Some("RMB")
        );
        assert_eq!(bulk.links.len(), 1);
        assert!(bulk.rest.contains("spans: [\n    ],") && bulk.rest.contains("links: [\n    ],"));
        // A record over two lines, or a field the parser does not know:
        // `ron` reads the file instead.
        assert!(split(&text.replace("\"claim\", 0,", "\"claim\",\n 0,")).is_none());
        assert!(split(&text.replace("None", "Some(r\"raw\")")).is_none());
    }
}
