//! Document text and code-point offsets.
//!
//! Every offset that leaves this module is a count of Unicode scalar values
//! (`char`s) from the start of the stored text. Byte offsets stay internal, and
//! conversions go through [`DocText`], which keeps a sparse index so that a
//! lookup costs O(1) plus a scan of at most [`CHECKPOINT`] chars, whatever the
//! document length.

use sha2::{Digest, Sha256};
use std::ops::Range;
use std::sync::Arc;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// Distance in chars between byte-offset checkpoints (8 bytes per 128
/// chars: 2.7 MB for a 50 MB book; a lookup scans at most 127 chars).
pub const CHECKPOINT: usize = 128;

/// Immutable document text with a char↔byte index. Cloning is cheap.
#[derive(Clone)]
pub struct DocText {
    /// An `Arc<String>`, not `Arc<str>`: wrapping a loaded 50 MB string
    /// then moves it instead of copying it.
    text: Arc<String>,
    /// `checkpoints[i]` is the byte offset of char `i * CHECKPOINT`;
    /// empty when the text is pure ASCII (then chars == bytes).
    checkpoints: Arc<[usize]>,
    char_len: usize,
}

impl std::fmt::Debug for DocText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DocText({} chars)", self.char_len)
    }
}

impl PartialEq for DocText {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for DocText {}

impl DocText {
    /// Wraps text that is already normalised (see [`normalize_newlines`]).
    pub fn new(text: impl Into<String>) -> Self {
        let text = Arc::new(text.into());
        let (checkpoints, char_len) = if text.is_ascii() {
            (Vec::new(), text.len())
        } else {
            let mut cps = Vec::with_capacity(text.len() / CHECKPOINT + 1);
            let mut n = 0;
            for (byte, _) in text.char_indices() {
                if n % CHECKPOINT == 0 {
                    cps.push(byte);
                }
                n += 1;
            }
            (cps, n)
        };
        DocText {
            text,
            checkpoints: checkpoints.into(),
            char_len,
        }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Shared handle to the text.
    pub fn arc(&self) -> &Arc<String> {
        &self.text
    }

    /// Length in chars (code points).
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of char offset `ch`, clamped to the end of the text.
    pub fn byte_of(&self, ch: usize) -> usize {
        if ch >= self.char_len {
            return self.text.len();
        }
        if self.checkpoints.is_empty() {
            return ch;
        }
        let cp = ch / CHECKPOINT;
        self.skip_chars(self.checkpoints[cp], ch - cp * CHECKPOINT)
    }

    /// The byte offset `n` chars after the char that starts at byte `from`
    /// (the text's length if there are fewer). Counts char starts (bytes
    /// that are not UTF-8 continuations) instead of decoding chars, eight
    /// at a time over ASCII: several times faster (a book's load checks a
    /// million span ends).
    fn skip_chars(&self, from: usize, mut n: usize) -> usize {
        let bytes = self.text.as_bytes().get(from..).unwrap_or_default();
        let mut i = 0;
        loop {
            if n >= 8
                && let Some(word) = bytes.get(i..i + 8)
                && word.is_ascii()
            {
                i += 8;
                n -= 8;
                continue;
            }
            let Some(&b) = bytes.get(i) else {
                return self.text.len();
            };
            if (b as i8) >= -0x40 {
                if n == 0 {
                    return from + i;
                }
                n -= 1;
            }
            i += 1;
        }
    }

    /// Char offset of byte offset `byte`. A byte inside a char maps to that
    /// char's start; past the end maps to the char length.
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.text.len() {
            return self.char_len;
        }
        if self.checkpoints.is_empty() {
            return byte;
        }
        let cp = match self.checkpoints.binary_search(&byte) {
            Ok(i) => return i * CHECKPOINT,
            Err(i) => i.saturating_sub(1),
        };
        let base = self.checkpoints[cp];
        for (ch, (b, _)) in (cp * CHECKPOINT..).zip(self.text[base..].char_indices()) {
            if base + b >= byte {
                // `byte` was at or before this char start.
                return if base + b == byte { ch } else { ch - 1 };
            }
        }
        self.char_len.saturating_sub(1)
    }

    /// Byte range of a char range (clamped to the text).
    pub fn byte_range(&self, chars: Range<usize>) -> Range<usize> {
        let start = self.byte_of(chars.start);
        let end = self.byte_of(chars.end.max(chars.start));
        start..end
    }

    /// The text covered by a char range (clamped to the text, never panics).
    pub fn slice(&self, chars: Range<usize>) -> &str {
        let r = self.byte_range(chars);
        self.text.get(r).unwrap_or("")
    }

    /// True when char offset `ch` lies on an extended grapheme cluster boundary.
    pub fn is_grapheme_boundary(&self, ch: usize) -> bool {
        if ch == 0 || ch >= self.char_len {
            return ch <= self.char_len;
        }
        self.is_boundary_at(self.byte_of(ch))
    }

    /// Whether both ends of the char range `start..end` (start ≤ end) lie
    /// on grapheme boundaries. The end's byte is found by walking on from
    /// the start's, in the same cache lines.
    pub fn ends_on_graphemes(&self, start: usize, end: usize) -> (bool, bool) {
        if end <= start || start == 0 || end >= self.char_len {
            return (
                self.is_grapheme_boundary(start),
                self.is_grapheme_boundary(end),
            );
        }
        let from = self.byte_of(start);
        let to = self.skip_chars(from, end - start);
        (self.is_boundary_at(from), self.is_boundary_at(to))
    }

    /// Whether byte offset `byte` (a char start strictly inside the text)
    /// is a grapheme boundary.
    fn is_boundary_at(&self, byte: usize) -> bool {
        // Fast path: between two ASCII bytes the only non-boundary is CR LF.
        let bytes = self.text.as_bytes();
        if let (Some(&before), Some(&after)) = (bytes.get(byte.wrapping_sub(1)), bytes.get(byte))
            && before.is_ascii()
            && after.is_ascii()
        {
            return !(before == b'\r' && after == b'\n');
        }
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        cursor.is_boundary(&self.text, 0).unwrap_or(true)
    }

    /// The nearest grapheme boundary at or before `ch`.
    pub fn grapheme_floor(&self, ch: usize) -> usize {
        let ch = ch.min(self.char_len);
        let byte = self.byte_of(ch);
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        if cursor.is_boundary(&self.text, 0).unwrap_or(true) {
            return ch;
        }
        match cursor.prev_boundary(&self.text, 0) {
            Ok(Some(b)) => self.char_of(b),
            _ => ch,
        }
    }

    /// The nearest grapheme boundary at or after `ch`.
    pub fn grapheme_ceil(&self, ch: usize) -> usize {
        let ch = ch.min(self.char_len);
        let byte = self.byte_of(ch);
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        if cursor.is_boundary(&self.text, 0).unwrap_or(true) {
            return ch;
        }
        match cursor.next_boundary(&self.text, 0) {
            Ok(Some(b)) => self.char_of(b),
            _ => self.char_len,
        }
    }

    /// The next grapheme boundary strictly after `ch` (or the end).
    pub fn next_grapheme(&self, ch: usize) -> usize {
        if ch >= self.char_len {
            return self.char_len;
        }
        let byte = self.byte_of(ch);
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        match cursor.next_boundary(&self.text, 0) {
            Ok(Some(b)) => self.char_of(b),
            _ => self.char_len,
        }
    }

    /// The previous grapheme boundary strictly before `ch` (or 0).
    pub fn prev_grapheme(&self, ch: usize) -> usize {
        if ch == 0 {
            return 0;
        }
        let ch = ch.min(self.char_len);
        let byte = self.byte_of(ch);
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        match cursor.prev_boundary(&self.text, 0) {
            Ok(Some(b)) => self.char_of(b),
            _ => 0,
        }
    }

    /// The paragraph (line without its `\n`) containing `ch`, as a char range.
    pub fn line_around(&self, ch: usize) -> Range<usize> {
        let byte = self.byte_of(ch.min(self.char_len));
        let start = self.text[..byte].rfind('\n').map_or(0, |b| b + 1);
        let end = self.text[byte..]
            .find('\n')
            .map_or(self.text.len(), |b| byte + b);
        self.char_of(start)..self.char_of(end)
    }

    /// The word (by Unicode word boundaries) around `ch`, as a char range.
    /// Looks only within the current line so it stays cheap on huge texts.
    pub fn word_around(&self, ch: usize) -> Range<usize> {
        let line = self.line_around(ch);
        let line_text = self.slice(line.clone());
        let line_start_byte = self.byte_of(line.start);
        let target = self.byte_of(ch) - line_start_byte;
        for (b, w) in line_text.split_word_bound_indices() {
            if target >= b && target < b + w.len() {
                let s = line_start_byte + b;
                return self.char_of(s)..self.char_of(s + w.len());
            }
        }
        ch..ch
    }

    /// Start of the word at or before `ch` (for Ctrl+Left style moves).
    pub fn prev_word_start(&self, ch: usize) -> usize {
        let mut pos = ch.min(self.char_len);
        // Skip whitespace/punctuation backwards, then the word itself.
        while pos > 0 {
            let prev = self.prev_grapheme(pos);
            if self.slice(prev..pos).chars().any(char::is_alphanumeric) {
                break;
            }
            pos = prev;
        }
        if pos == 0 {
            return 0;
        }
        self.word_around(pos - 1).start.min(pos)
    }

    /// End of the word at or after `ch` (for Ctrl+Right style moves).
    pub fn next_word_end(&self, ch: usize) -> usize {
        let mut pos = ch.min(self.char_len);
        while pos < self.char_len {
            let next = self.next_grapheme(pos);
            if self.slice(pos..next).chars().any(char::is_alphanumeric) {
                break;
            }
            pos = next;
        }
        if pos >= self.char_len {
            return self.char_len;
        }
        self.word_around(pos).end.max(pos)
    }

    /// Trims whitespace from both ends of a char range.
    pub fn trim_range(&self, r: Range<usize>) -> Range<usize> {
        let s = self.slice(r.clone());
        let lead = s.chars().take_while(|c| c.is_whitespace()).count();
        let trail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
        let len = r.end - r.start;
        if lead >= len {
            return r.start..r.start;
        }
        (r.start + lead)..(r.end - trail)
    }

    /// Snaps a raw selection to grapheme boundaries and trims whitespace.
    /// With `words` the ends also grow to whole words, as a user expects
    /// from a drag that starts or ends inside a word.
    pub fn snap_selection(&self, r: Range<usize>, words: bool) -> Range<usize> {
        let (a, b) = (r.start.min(r.end), r.start.max(r.end));
        let mut a = self.grapheme_floor(a);
        let mut b = self.grapheme_ceil(b);
        let trimmed = self.trim_range(a..b);
        a = trimmed.start;
        b = trimmed.end;
        if words && a < b {
            let wa = self.word_around(a);
            if wa.start < a && self.slice(wa.clone()).chars().any(char::is_alphanumeric) {
                a = wa.start;
            }
            let wb = self.word_around(b - 1);
            if wb.end > b && self.slice(wb.clone()).chars().any(char::is_alphanumeric) {
                b = wb.end;
            }
        }
        a..b
    }
}

/// Hex SHA-256 of the text, prefixed with the algorithm name.
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for byte in digest {
        s.push_str(&format!("{byte:02x}"));
    }
    s
}

/// Strips a leading BOM and turns CRLF and lone CR into LF. Everything else
/// is kept verbatim.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "“Quote” 북한 노동자 👩‍👩‍👧 café e\u{301}x 10%\nline two";

    #[test]
    fn byte_and_char_round_trip_on_mixed_text() {
        let t = DocText::new(MIXED);
        assert_eq!(t.char_len(), MIXED.chars().count());
        for (ch, (byte, _)) in MIXED.char_indices().enumerate() {
            assert_eq!(t.byte_of(ch), byte, "char {ch}");
            assert_eq!(t.char_of(byte), ch, "byte {byte}");
        }
        assert_eq!(t.byte_of(t.char_len()), MIXED.len());
        assert_eq!(t.char_of(MIXED.len()), t.char_len());
    }

    #[test]
    fn long_text_crosses_checkpoints() {
        let s: String = "가a😀".repeat(500);
        let t = DocText::new(s.as_str());
        for (ch, (byte, _)) in s.char_indices().enumerate() {
            assert_eq!(t.byte_of(ch), byte);
            assert_eq!(t.char_of(byte), ch);
        }
        // A byte inside a multi-byte char maps to that char.
        assert_eq!(t.char_of(1), 0);
        assert_eq!(t.slice(0..3), "가a😀");
    }

    #[test]
    fn slice_uses_code_points() {
        let t = DocText::new(MIXED);
        assert_eq!(t.slice(0..7), "“Quote”");
        assert_eq!(t.slice(8..10), "북한");
        assert_eq!(t.slice(100..200), "");
    }

    #[test]
    fn both_ends_agree_with_one_end_at_a_time() {
        let s: String = "가a😀e\u{301}👩‍👩‍👧 \r\nx".repeat(40);
        let t = DocText::new(s.as_str());
        for start in 0..=t.char_len() {
            for end in [
                start,
                start + 1,
                start + 2,
                start + 5,
                start + 200,
                t.char_len(),
            ] {
                let end = end.min(t.char_len());
                assert_eq!(
                    t.ends_on_graphemes(start, end),
                    (t.is_grapheme_boundary(start), t.is_grapheme_boundary(end)),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn grapheme_boundaries_respect_combining_marks_and_zwj() {
        let t = DocText::new("e\u{301}👩\u{200d}👩x");
        assert!(t.is_grapheme_boundary(0));
        assert!(!t.is_grapheme_boundary(1)); // between e and the accent
        assert!(t.is_grapheme_boundary(2));
        assert!(!t.is_grapheme_boundary(3)); // inside the ZWJ family
        assert_eq!(t.grapheme_floor(1), 0);
        assert_eq!(t.grapheme_ceil(1), 2);
        assert_eq!(t.grapheme_ceil(4), 5);
        assert_eq!(t.next_grapheme(0), 2);
        assert_eq!(t.prev_grapheme(5), 2);
    }

    #[test]
    fn snapping_trims_and_grows_to_words() {
        let t = DocText::new("The  figure was RMB 10 per day.");
        // Drag from inside "figure" to inside "was".
        let r = t.snap_selection(7..13, true);
        assert_eq!(t.slice(r), "figure was");
        // Character-exact keeps the raw range but trims whitespace.
        let r = t.snap_selection(3..9, false);
        assert_eq!(t.slice(r), "figu");
        // Korean words.
        let k = DocText::new("북한 노동자들이 일하다");
        let r = k.snap_selection(4..5, true);
        assert_eq!(k.slice(r), "노동자들이");
    }

    #[test]
    fn word_moves() {
        let t = DocText::new("one two, three");
        assert_eq!(t.next_word_end(0), 3);
        assert_eq!(t.next_word_end(3), 7);
        assert_eq!(t.prev_word_start(14), 9);
        assert_eq!(t.prev_word_start(9), 4);
        assert_eq!(t.prev_word_start(0), 0);
    }

    #[test]
    fn newline_normalisation() {
        assert_eq!(normalize_newlines("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize_newlines("“x”\r\n"), "“x”\n");
        assert_eq!(normalize_newlines("a\u{feff}b"), "a\u{feff}b");
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(
            text_hash("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
