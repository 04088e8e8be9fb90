//! A fast path for the bulk of a project file: the one-line span and link
//! records that [`super::to_ron_string`] writes. Each section is read by a
//! small hand-written parser; anything it does not recognise (a hand-edited
//! line, an unusual escape) makes it give up, and the whole file goes
//! through `ron` as before, so the fast path never changes what a file
//! means, only how fast the usual file is read.

use super::{LinkRecord, SpanRecordV2In};
use crate::model::{DocId, LinkId, SpanId};
use std::collections::BTreeMap;
use std::ops::Range;

/// The records of the canonical `spans` and `links` sections, and the
/// file's text with both sections emptied (for `ron` to read the rest).
pub(super) struct Bulk {
    pub spans: Vec<SpanRecordV2In>,
    pub links: Vec<LinkRecord<String>>,
    pub rest: String,
}

/// Splits a canonical file; None when it is not one (then `ron` reads it).
pub(super) fn split(text: &str) -> Option<Bulk> {
    let (spans_at, spans) = section(text, "\n    spans: [", span_line)?;
    let (links_at, links) = section(text, "\n    links: [", link_line)?;
    if spans_at.start < links_at.end && links_at.start < spans_at.end {
        return None;
    }
    let mut cut = [spans_at, links_at];
    cut.sort_by_key(|r| r.start);
    let mut rest = String::with_capacity(text.len() - cut[0].len() - cut[1].len());
    rest.push_str(&text[..cut[0].start]);
    rest.push_str(&text[cut[0].end..cut[1].start]);
    rest.push_str(&text[cut[1].end..]);
    Some(Bulk { spans, links, rest })
}

/// The records of one list section, one per line, and the byte range of
/// its lines (emptied for `ron`). An absent section is empty.
fn section<T>(
    text: &str,
    marker: &str,
    parse: fn(&mut Cursor) -> Option<T>,
) -> Option<(Range<usize>, Vec<T>)> {
    // memchr's searcher: `str::find` would take longer than the parse.
    let finder = memchr::memmem::Finder::new(marker);
    let Some(at) = finder.find(text.as_bytes()) else {
        return Some((0..0, Vec::new()));
    };
    // Only one section of that name.
    if finder.find(&text.as_bytes()[at + marker.len()..]).is_some() {
        return None;
    }
    let body_start = at + marker.len();
    let rest = &text[body_start..];
    let end = memchr::memmem::find(rest.as_bytes(), b"\n    ]")?;
    let body = &rest[..end];
    let mut out = Vec::with_capacity(body.len() / 60);
    for line in body.split('\n') {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let mut c = Cursor {
            s: line.as_bytes(),
            i: 0,
        };
        let record = parse(&mut c)?;
        c.eat(b',')?;
        if c.i != c.s.len() {
            return None;
        }
        out.push(record);
    }
    Some((body_start..body_start + end, out))
}

fn span_line(c: &mut Cursor) -> Option<SpanRecordV2In> {
    c.eat(b'(')?;
    let id = c.uint()?;
    c.comma()?;
    let doc = c.uint()?;
    c.comma()?;
    let label = c.string()?;
    c.comma()?;
    let start = c.uint()?;
    c.comma()?;
    let end = c.uint()?;
    c.comma()?;
    let created = c.string()?;
    c.comma()?;
    let note = c.option_string()?;
    c.comma()?;
    let fragments = c.fragments()?;
    c.comma()?;
    let attrs = c.map()?;
    c.eat(b')')?;
    Some(SpanRecordV2In(
        SpanId(id),
        DocId(doc),
        label,
        usize::try_from(start).ok()?,
        usize::try_from(end).ok()?,
        created,
        note,
        fragments,
        attrs,
    ))
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

impl Cursor<'_> {
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

    fn fragments(&mut self) -> Option<Vec<(usize, usize)>> {
        self.eat(b'[')?;
        let mut out = Vec::new();
        loop {
            self.spaces();
            if self.eat(b']').is_some() {
                return Some(out);
            }
            if !out.is_empty() {
                self.comma()?;
                if self.eat(b']').is_some() {
                    return Some(out);
                }
            }
            self.eat(b'(')?;
            let a = usize::try_from(self.uint()?).ok()?;
            self.comma()?;
            let b = usize::try_from(self.uint()?).ok()?;
            self.eat(b')')?;
            out.push((a, b));
        }
    }

    fn map(&mut self) -> Option<BTreeMap<String, String>> {
        self.eat(b'{')?;
        let mut out = BTreeMap::new();
        loop {
            self.spaces();
            if self.eat(b'}').is_some() {
                return Some(out);
            }
            if !out.is_empty() {
                self.comma()?;
                if self.eat(b'}').is_some() {
                    return Some(out);
                }
            }
            let k = self.string()?;
            self.eat(b':')?;
            let v = self.string()?;
            // A repeated key is for `ron` to judge.
            if out.insert(k, v).is_some() {
                return None;
            }
        }
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
    match &s.note {
        Some(n) => {
            out.push_str("Some(");
            escaped(out, n);
            out.push(')');
        }
        None => out.push_str("None"),
    }
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

    #[test]
    fn canonical_lines_parse_and_odd_ones_give_up() {
        let text = "(\n    version: 2,\n    spans: [\n    // comment\n        (1, 1, \"claim\", 0, 5, \"2026-01-01T00:00:00Z\", Some(\"a \\\"note\\\" \\u{a0}é\"), [], {}),\n        (2, 1, \"figure\", 3, 9, \"t\", None, [(3, 4), (6, 9)], {\"unit\": \"RMB\", \"value\": \"10\"}),\n    ],\n    links: [\n        (1, 1, 2, \"attributed_to\"),\n    ],\n)\n";
        let bulk = split(text).expect("canonical");
        assert_eq!(bulk.spans.len(), 2);
        assert_eq!(bulk.spans[0].6.as_deref(), Some("a \"note\" \u{a0}é"));
        assert_eq!(bulk.spans[1].7, vec![(3, 4), (6, 9)]);
        assert_eq!(bulk.spans[1].8.get("unit").map(String::as_str), Some("RMB"));
        assert_eq!(bulk.links.len(), 1);
        assert!(bulk.rest.contains("spans: [\n    ],") && bulk.rest.contains("links: [\n    ],"));
        // A record over two lines, or a field the parser does not know:
        // `ron` reads the file instead.
        assert!(split(&text.replace("\"claim\", 0,", "\"claim\",\n 0,")).is_none());
        assert!(split(&text.replace("None", "Some(r\"raw\")")).is_none());
    }
}
