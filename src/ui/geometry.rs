//! Pure layout bookkeeping for the text view (no egui types): splitting a
//! document into paragraphs, mapping offsets, estimating and indexing
//! paragraph heights, and stacking overlapping spans into levels.
//! Everything here is O(log n) per query so the view stays flat on books.

use crate::model::DocText;
use std::ops::Range;

/// Paragraphs longer than this (in chars) are split into chunks, so that no
/// single galley is expensive to lay out.
pub const MAX_CHUNK_CHARS: usize = 2_000;

/// One laid-out unit of text: a line of the document (without its `\n`),
/// or a chunk of a very long line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Char range in the document.
    pub chars: Range<usize>,
    /// Byte range in the document text.
    pub bytes: Range<usize>,
}

/// Splits a text into paragraphs at `\n`, and long lines into chunks at a
/// whitespace (or, failing that, a grapheme) boundary. Empty lines become
/// empty paragraphs so that blank lines keep their height.
pub fn split_paragraphs(text: &DocText) -> Vec<Paragraph> {
    let s = text.as_str();
    let mut out = Vec::with_capacity(s.len() / 200 + 1);
    let mut char_pos = 0usize;
    let mut byte_pos = 0usize;
    for line in s.split('\n') {
        // Most lines are one paragraph: count their chars in one fast pass
        // (the chunking loop below looks at every char).
        let line_chars = line.chars().count();
        if line_chars <= MAX_CHUNK_CHARS {
            out.push(Paragraph {
                chars: char_pos..char_pos + line_chars,
                bytes: byte_pos..byte_pos + line.len(),
            });
            char_pos += line_chars + 1;
            byte_pos += line.len() + 1;
            continue;
        }
        let mut line_bytes = line;
        loop {
            // Count up to MAX_CHUNK_CHARS chars; remember the last space.
            let mut count = 0usize;
            let mut cut_byte = line_bytes.len();
            let mut last_space: Option<(usize, usize)> = None;
            for (b, c) in line_bytes.char_indices() {
                if count == MAX_CHUNK_CHARS {
                    cut_byte = b;
                    break;
                }
                count += 1;
                if c.is_whitespace() {
                    last_space = Some((b + c.len_utf8(), count));
                }
            }
            let (chunk_bytes, chunk_chars, is_last) = if cut_byte == line_bytes.len() {
                (line_bytes.len(), count, true)
            } else if let Some((b, n)) = last_space.filter(|(_, n)| *n > MAX_CHUNK_CHARS / 2) {
                (b, n, false)
            } else {
                // No space: cut at a grapheme boundary near the limit.
                let abs_char = text.grapheme_floor(char_pos + count);
                let n = (abs_char - char_pos).max(1);
                let b = text.byte_of(char_pos + n) - byte_pos;
                (b, n, false)
            };
            out.push(Paragraph {
                chars: char_pos..char_pos + chunk_chars,
                bytes: byte_pos..byte_pos + chunk_bytes,
            });
            char_pos += chunk_chars;
            byte_pos += chunk_bytes;
            if is_last {
                break;
            }
            line_bytes = &line_bytes[chunk_bytes..];
        }
        // Step over the '\n'.
        char_pos += 1;
        byte_pos += 1;
    }
    out
}

/// Index of the paragraph containing char `ch` (a `\n` belongs to the
/// paragraph it ends; past the end maps to the last paragraph).
pub fn paragraph_of(paragraphs: &[Paragraph], ch: usize) -> usize {
    let i = paragraphs.partition_point(|p| p.chars.start <= ch);
    i.saturating_sub(1)
}

/// Paragraph heights with O(log n) prefix sums (a Fenwick tree), so that
/// measuring one paragraph, or finding the paragraph at a scroll offset,
/// never walks the whole document.
#[derive(Debug, Clone, Default)]
pub struct HeightIndex {
    heights: Vec<f32>,
    measured: Vec<bool>,
    tree: Vec<f64>,
}

impl HeightIndex {
    /// An index of `n` paragraphs with the given estimated heights.
    pub fn new(estimates: impl IntoIterator<Item = f32>) -> Self {
        let heights: Vec<f32> = estimates.into_iter().collect();
        let n = heights.len();
        // O(n) Fenwick construction.
        let mut tree = vec![0.0f64; n + 1];
        for i in 1..=n {
            tree[i] += f64::from(heights[i - 1]);
            let parent = i + (i & i.wrapping_neg());
            if parent <= n {
                tree[parent] += tree[i];
            }
        }
        HeightIndex {
            measured: vec![false; n],
            heights,
            tree,
        }
    }

    /// Number of paragraphs.
    pub fn len(&self) -> usize {
        self.heights.len()
    }

    /// True when there are no paragraphs.
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// Height of paragraph `i`.
    pub fn height(&self, i: usize) -> f32 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Whether paragraph `i` has a measured (not estimated) height.
    pub fn is_measured(&self, i: usize) -> bool {
        self.measured.get(i).copied().unwrap_or(false)
    }

    /// Records a measured height; returns the change.
    pub fn set(&mut self, i: usize, h: f32) -> f32 {
        let Some(old) = self.heights.get(i).copied() else {
            return 0.0;
        };
        self.measured[i] = true;
        let delta = h - old;
        if delta != 0.0 {
            self.heights[i] = h;
            let mut k = i + 1;
            while k < self.tree.len() {
                self.tree[k] += f64::from(delta);
                k += k & k.wrapping_neg();
            }
        }
        delta
    }

    /// Sum of the heights of paragraphs `0..i` (the top of paragraph `i`).
    pub fn top(&self, i: usize) -> f32 {
        let mut k = i.min(self.heights.len());
        let mut sum = 0.0f64;
        while k > 0 {
            sum += self.tree[k];
            k -= k & k.wrapping_neg();
        }
        sum as f32
    }

    /// Total height.
    pub fn total(&self) -> f32 {
        self.top(self.heights.len())
    }

    /// The paragraph at vertical offset `y` (clamped to the last one).
    pub fn find(&self, y: f32) -> usize {
        let n = self.heights.len();
        if n == 0 {
            return 0;
        }
        let y = f64::from(y.max(0.0));
        // Fenwick descent: largest prefix whose sum is <= y.
        let mut pos = 0usize;
        let mut rem = y;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rem {
                pos = next;
                rem -= self.tree[next];
            }
            step >>= 1;
        }
        pos.min(n - 1)
    }
}

/// Estimated height of a paragraph before it is laid out.
pub fn estimate_height(chars: usize, avg_char_width: f32, wrap_width: f32, row_height: f32) -> f32 {
    let per_row = (wrap_width / avg_char_width.max(1.0)).max(1.0);
    let rows = (chars as f32 / per_row).ceil().max(1.0);
    rows * row_height
}

/// Assigns each range a stacking level so that ranges sharing a level never
/// overlap (greedy interval colouring). Inputs need not be sorted; the
/// output is aligned with the input. Outer (longer) ranges get lower levels.
pub fn stack_levels(ranges: &[Range<usize>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| (ranges[i].start, std::cmp::Reverse(ranges[i].end)));
    let mut level_ends: Vec<usize> = Vec::new();
    let mut levels = vec![0; ranges.len()];
    for i in order {
        let r = &ranges[i];
        let level = match level_ends.iter().position(|&end| end <= r.start) {
            Some(l) => l,
            None => {
                level_ends.push(0);
                level_ends.len() - 1
            }
        };
        level_ends[level] = r.end;
        levels[i] = level;
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_cover_the_text_with_korean_and_emoji() {
        let text = DocText::new("북한 노동자\n\n👩‍👩‍👧 e\u{301}\nlast");
        let ps = split_paragraphs(&text);
        let slices: Vec<&str> = ps.iter().map(|p| text.slice(p.chars.clone())).collect();
        assert_eq!(slices, ["북한 노동자", "", "👩‍👩‍👧 e\u{301}", "last"]);
        for p in &ps {
            assert_eq!(&text.as_str()[p.bytes.clone()], text.slice(p.chars.clone()));
        }
        // Offset mapping: char 8 ('\n' ends para 1) and the emoji in para 2.
        assert_eq!(paragraph_of(&ps, 0), 0);
        assert_eq!(paragraph_of(&ps, 6), 0);
        assert_eq!(paragraph_of(&ps, 7), 1);
        assert_eq!(paragraph_of(&ps, 8), 2);
        assert_eq!(paragraph_of(&ps, 9999), 3);
    }

    #[test]
    fn long_lines_are_chunked_at_spaces_or_graphemes() {
        let words = "word 북한 ".repeat(1000);
        let text = DocText::new(words.as_str());
        let ps = split_paragraphs(&text);
        assert!(ps.len() > 2);
        assert_eq!(ps.last().map(|p| p.chars.end), Some(text.char_len()));
        for w in ps.windows(2) {
            assert_eq!(w[0].chars.end, w[1].chars.start);
            assert!(w[0].chars.len() <= MAX_CHUNK_CHARS);
            assert!(text.is_grapheme_boundary(w[0].chars.end));
        }
        let emoji = "👩‍👩‍👧".repeat(1000);
        let text = DocText::new(emoji.as_str());
        for p in split_paragraphs(&text) {
            assert!(text.is_grapheme_boundary(p.chars.start));
            assert!(text.is_grapheme_boundary(p.chars.end));
        }
    }

    #[test]
    fn height_index_prefix_sums_and_find() {
        let mut h = HeightIndex::new([10.0, 20.0, 30.0, 40.0]);
        assert_eq!(h.top(0), 0.0);
        assert_eq!(h.top(2), 30.0);
        assert_eq!(h.total(), 100.0);
        assert_eq!(h.find(0.0), 0);
        assert_eq!(h.find(29.9), 1);
        assert_eq!(h.find(30.0), 2);
        assert_eq!(h.find(1000.0), 3);
        assert_eq!(h.set(1, 25.0), 5.0);
        assert!(h.is_measured(1) && !h.is_measured(0));
        assert_eq!(h.top(2), 35.0);
        assert_eq!(h.find(34.0), 1);
        let big = HeightIndex::new(std::iter::repeat_n(2.0, 100_001));
        assert_eq!(big.find(2.0 * 50_000.5), 50_000);
        assert_eq!(big.top(100_001), 200_002.0);
    }

    #[test]
    fn nested_spans_stack() {
        let levels = stack_levels(&[0..100, 10..20, 15..18, 30..40, 120..130]);
        assert_eq!(levels, vec![0, 1, 2, 1, 0]);
    }
}
