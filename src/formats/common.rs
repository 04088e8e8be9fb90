//! The shared offset and escaping core of every exporter and importer.
//! Offsets are code points throughout; these helpers are the only place
//! that turns them into text, file names or escaped markup.

use crate::model::{DocId, DocText, LabelId, Project, Span};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

/// Which spans an export covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this document (None: all).
    pub doc: Option<DocId>,
    /// Only these labels (None: all).
    pub labels: Option<BTreeSet<LabelId>>,
}

impl Filter {
    /// Whether a document is exported.
    pub fn keeps_doc(&self, doc: DocId) -> bool {
        self.doc.is_none_or(|d| d == doc)
    }

    /// Whether a span is exported.
    pub fn keeps(&self, span: &Span) -> bool {
        self.keeps_doc(span.doc) && self.labels.as_ref().is_none_or(|l| l.contains(&span.label))
    }

    /// Exported spans of a document, by position.
    pub fn spans_in<'p>(&self, project: &'p Project, doc: DocId) -> Vec<&'p Span> {
        project.spans_in(doc).filter(|s| self.keeps(s)).collect()
    }
}

/// The text a span covers; a discontinuous span's fragments joined with
/// " … " (borrowed, without copying, for a contiguous span).
pub fn covered<'p>(project: &'p Project, span: &Span) -> std::borrow::Cow<'p, str> {
    match project.document(span.doc) {
        None => "".into(),
        Some(d) if !span.is_discontinuous() => d.text.slice(span.range()).into(),
        Some(d) => span.quote(&d.text).into(),
    }
}

/// Splits a range at every `\n`, dropping the newlines: the fragments a
/// format that cannot hold a newline in a span (brat) writes instead.
pub fn newline_fragments(text: &DocText, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for (i, c) in text.slice(r.clone()).chars().enumerate() {
        let at = r.start + i;
        if c == '\n' {
            if at > start {
                out.push(start..at);
            }
            start = at + 1;
        }
    }
    if r.end > start {
        out.push(start..r.end);
    }
    out
}

/// Up to `n` code points before and after a range (W3C quote context).
pub fn context(text: &DocText, r: Range<usize>, n: usize) -> (&str, &str) {
    let before = text.slice(r.start.saturating_sub(n)..r.start);
    let after = text.slice(r.end..(r.end + n).min(text.char_len()));
    (before, after)
}

/// Characters that make a spreadsheet treat a cell as a formula (OWASP).
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises spreadsheet formula injection: a cell whose first character
/// is `=`, `+`, `-`, `@`, TAB or CR gets a leading apostrophe, which
/// spreadsheets hide and treat as "this is text". Other cells are unchanged.
pub fn csv_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_TRIGGERS.contains(&c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A safe, unique file stem from a document title: letters, digits, `-`
/// and `_` only, no `..`, no Windows-reserved names, at most 60 chars,
/// never empty, never equal to one already in `used` (case-insensitively).
/// The result can never name a path outside the export folder.
pub fn safe_file_stem(title: &str, fallback: &str, used: &mut HashSet<String>) -> String {
    let mut stem: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    while stem.contains("__") {
        stem = stem.replace("__", "_");
    }
    let mut stem: String = stem.trim_matches('_').chars().take(60).collect();
    if stem.is_empty() {
        stem = fallback.to_string();
    }
    if WINDOWS_RESERVED.contains(&stem.to_ascii_uppercase().as_str()) {
        stem = format!("{stem}_doc");
    }
    let mut candidate = stem.clone();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        candidate = format!("{stem}_{n}");
        n += 1;
    }
    candidate
}

/// A file stem kept exactly as it is where that is safe (brat's
/// `esp.train-doc-100` stays so): only what could reach outside the export
/// folder or confuse a file system changes. Path separators and control
/// characters become `_`; a stem that is only dots or spaces, or names a
/// Windows device (`CON`, `nul.x`), gets the fallback or `_doc`; a trailing
/// dot or space (dropped by Windows) becomes `_`; at most 200 bytes. Unique
/// in `used`, case-insensitively.
pub fn safe_kept_stem(stem: &str, fallback: &str, used: &mut HashSet<String>) -> String {
    let mut out: String = stem
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if out.trim_matches(['.', ' ']).is_empty() {
        out = fallback.to_string();
    }
    while out.len() > 200 {
        out.pop();
    }
    if out.ends_with(['.', ' ']) {
        out.pop();
        out.push('_');
    }
    let device = out
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    if WINDOWS_RESERVED.contains(&device.as_str()) {
        out = format!("{out}_doc");
    }
    let mut candidate = out.clone();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        candidate = format!("{out}_{n}");
        n += 1;
    }
    candidate
}

/// Turns an arbitrary label name into a valid label id (`[a-z][a-z0-9_-]*`).
pub fn label_id_from(name: &str) -> String {
    let mut id: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = format!("l_{id}");
    }
    id.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_split_at_newlines_without_them() {
        let t = DocText::new("ab\ncd\n\nef");
        assert_eq!(newline_fragments(&t, 0..9), vec![0..2, 3..5, 7..9]);
        assert_eq!(newline_fragments(&t, 1..4), vec![1..2, 3..4]);
        assert_eq!(newline_fragments(&t, 2..3), Vec::<Range<usize>>::new());
    }

    #[test]
    fn context_is_in_code_points() {
        let t = DocText::new("북한 👩‍👩‍👧 e\u{301} “x” tail");
        let (p, s) = context(&t, 12..15, 4);
        assert_eq!(t.slice(12..15), "“x”");
        assert_eq!(p, " e\u{301} ");
        assert_eq!(s, " tai");
        assert_eq!(context(&t, 0..2, 32).0, "");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("-5"), "'-5");
        assert_eq!(csv_safe("\tx"), "'\tx");
        assert_eq!(csv_safe("plain, text"), "plain, text");
        assert_eq!(csv_safe(""), "");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
    }

    #[test]
    fn kept_stems_change_only_what_is_unsafe() {
        let mut used = HashSet::new();
        let mut kept = |s: &str| safe_kept_stem(s, "doc", &mut used);
        assert_eq!(kept("esp.train-doc-100"), "esp.train-doc-100");
        assert_eq!(kept("000-introduction"), "000-introduction");
        assert_eq!(kept("북한 기사 (1)"), "북한 기사 (1)");
        assert_eq!(kept("../etc/passwd"), ".._etc_passwd");
        assert_eq!(kept(".."), "doc");
        assert_eq!(kept("a\\b\tc"), "a_b_c");
        assert_eq!(kept("CON"), "CON_doc");
        assert_eq!(kept("nul.train"), "nul.train_doc");
        assert_eq!(kept("ends with a dot."), "ends with a dot_");
        assert_eq!(kept("ESP.train-doc-100"), "ESP.train-doc-100_2", "unique");
        assert!(kept(&"x".repeat(300)).len() <= 200);
    }

    #[test]
    fn hostile_titles_become_safe_unique_stems() {
        let mut used = HashSet::new();
        assert_eq!(
            safe_file_stem("../../etc/passwd", "doc1", &mut used),
            "etc_passwd"
        );
        assert_eq!(safe_file_stem("CON", "doc2", &mut used), "CON_doc");
        assert_eq!(safe_file_stem("..", "doc3", &mut used), "doc3");
        assert_eq!(
            safe_file_stem("etc passwd", "doc4", &mut used),
            "etc_passwd_2"
        );
        assert_eq!(safe_file_stem("북한 기사", "doc5", &mut used), "북한_기사");
        assert_eq!(safe_file_stem("a\0b\u{7}c", "doc6", &mut used), "a_b_c");
        for s in used {
            assert!(!s.contains('/') && !s.contains("..") && !s.contains('\\'));
        }
    }

    #[test]
    fn label_ids_from_names() {
        assert_eq!(label_id_from("Organisation"), "organisation");
        assert_eq!(label_id_from("Source attribution"), "source_attribution");
        assert_eq!(label_id_from("2nd"), "l_2nd");
        assert!(crate::model::LabelId::new(&label_id_from("Ünïcode Läbel!")).is_ok());
    }
}
