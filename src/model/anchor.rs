//! Re-anchoring: when an article's text is replaced, find each span's text
//! again from what the old text tells: its quote, [`CONTEXT`] code points
//! of prefix and suffix, and its old position.
//!
//! In order, for each fragment of each span:
//! 1. **Diff.** A line diff (patience) of old → new, refined to characters
//!    inside changed line runs (Myers), gives the blocks of text carried
//!    over unchanged. A fragment inside one such block simply moves.
//! 2. **Exact matches** of the quote elsewhere, scored by how well the
//!    context agrees and how near the position the diff predicts they are.
//! 3. **Approximate matches** within a bounded edit distance (Myers'
//!    bit-parallel matcher), scored by quote, context and position.
//!
//! A candidate below the confidence threshold, or one not clearly better
//! than the runner-up, is refused and the span becomes an orphan: a short
//! quote such as "said" is decided by its context, never by the first hit.

use super::command::Command;
use super::document::Fragment;
use super::error::EditError;
use super::ids::{DocId, LabelId, SpanId};
use super::pattern::Rejection;
use super::project::Project;
use super::text::DocText;
use similar::{Algorithm, DiffOp};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Code points of context kept on each side of a quote.
pub const CONTEXT: usize = 32;
/// Least confidence at which a match that is not a plain diff move is taken.
pub const THRESHOLD: f64 = 0.6;
/// How far the best candidate must lead the runner-up.
pub const MARGIN: f64 = 0.08;
/// Texts up to this many code points are searched whole for exact
/// matches; longer ones near where the diff puts the span first.
const WHOLE_TEXT_SEARCH: usize = 1_000_000;
/// Texts up to this many code points are searched whole for approximate
/// matches (a long article); longer ones only near the expected place.
const WHOLE_FUZZY_SEARCH: usize = 200_000;
/// In a text longer than [`WHOLE_TEXT_SEARCH`], this many spans are
/// searched for in the whole text; the rest within [`EXACT_WINDOW`] code
/// points of where the diff expects them.
const WHOLE_SEARCHES: usize = 50;
/// Half-width of the exact search window in a book.
const EXACT_WINDOW: usize = 250_000;
/// Exact candidates scored per fragment (the nearest ones).
const MAX_CANDIDATES: usize = 2_000;
/// Time the diff may take before it settles for a coarser answer.
const DIFF_BUDGET: Duration = Duration::from_secs(4);

/// How a span was placed in the new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Same text at the same offsets.
    Kept,
    /// Same text, at other offsets.
    Moved,
    /// An approximate match (its text was corrected).
    Fuzzy,
    /// No confident place: it becomes an orphan.
    Orphaned,
}

impl Status {
    /// The name used by `retext --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Kept => "kept",
            Status::Moved => "moved",
            Status::Fuzzy => "fuzzy",
            Status::Orphaned => "orphaned",
        }
    }
}

/// Where one span goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The span.
    pub id: SpanId,
    /// How it was placed.
    pub status: Status,
    /// Its fragments in the new text; None when orphaned.
    pub fragments: Option<Vec<Fragment>>,
    /// Confidence in 0..=1 (1 for a diff move; the best refused
    /// candidate's score for an orphan, 0 when there was none).
    pub score: f64,
}

/// A re-text worked out but not applied: turn it into a command with
/// [`RetextPlan::command`].
#[derive(Debug, Clone, PartialEq)]
pub struct RetextPlan {
    /// The article.
    pub doc: DocId,
    /// The new text, normalised.
    pub text: DocText,
    /// One placement per span of the article, in span id order.
    pub placements: Vec<Placement>,
    /// The article's rejected suggestions that keep a place, moved.
    pub rejections: Vec<Rejection>,
    /// Where the new text came from, when it was read from a file: the
    /// article's provenance after the change (see
    /// [`crate::model::Provenance::updated_by`]). None leaves it as it is.
    pub source: Option<Box<crate::model::Provenance>>,
}

impl RetextPlan {
    /// Records that the new text was read from a file whose provenance is
    /// `newer`, merged into the article's own (see
    /// [`crate::model::Provenance::updated_by`]).
    pub fn read_from(&mut self, project: &crate::model::Project, newer: &crate::model::Provenance) {
        let old = project
            .document(self.doc)
            .and_then(|d| d.source.as_deref().cloned())
            .unwrap_or_default();
        self.source = Some(Box::new(old.updated_by(newer)));
    }

    /// The undoable command that applies it.
    pub fn command(&self) -> Command {
        Command::Retext {
            doc: self.doc,
            text: self.text.clone(),
            places: self
                .placements
                .iter()
                .map(|p| (p.id, p.fragments.clone()))
                .collect(),
            rejections: self.rejections.clone(),
        }
    }

    /// How many spans have each status.
    pub fn count(&self, status: Status) -> usize {
        self.placements
            .iter()
            .filter(|p| p.status == status)
            .count()
    }
}

/// Works out where every span of `doc` goes when its text becomes `new`
/// (already normalised). `progress` is told the fraction done, 0..=1.
pub fn plan_retext(
    project: &Project,
    doc: DocId,
    new: &str,
    progress: &dyn Fn(f32),
) -> Result<RetextPlan, EditError> {
    let document = project
        .document(doc)
        .ok_or(EditError::UnknownDocument(doc))?;
    if new.is_empty() {
        return Err(EditError::EmptyText);
    }
    let new_text = DocText::new(new);
    let spans: Vec<_> = {
        let mut v: Vec<_> = project.spans_in(doc).collect();
        v.sort_by_key(|s| s.id);
        v
    };
    let targets: Vec<Target> = spans
        .iter()
        .flat_map(|s| {
            s.fragments_iter().map(|(a, b)| Target {
                range: (a, b),
                label: s.label.clone(),
            })
        })
        .collect();
    progress(0.05);
    let blocks = Blocks::new(&document.text, &new_text);
    let anchored = anchor_with(&blocks, &document.text, &new_text, &targets, progress);
    let mut placements = Vec::with_capacity(spans.len());
    let mut next = anchored.into_iter();
    for span in &spans {
        let old = span.fragment_list();
        let pieces: Vec<Anchored> = next.by_ref().take(old.len()).collect();
        placements.push(join_fragments(span.id, &old, &pieces));
    }
    let rejections = project
        .rejected()
        .iter()
        .filter(|r| r.doc == doc)
        .filter_map(|r| {
            let (start, end) = blocks.carry((r.start, r.end))?;
            Some(Rejection {
                start,
                end,
                ..r.clone()
            })
        })
        .collect();
    progress(1.0);
    Ok(RetextPlan {
        doc,
        text: new_text,
        placements,
        rejections,
        source: None,
    })
}

/// One fragment to place again: its old range and its span's label.
#[derive(Debug, Clone)]
pub struct Target {
    /// Old range, in code points.
    pub range: Fragment,
    /// The span's label (two spans of one label never share a range).
    pub label: LabelId,
}

/// Where one fragment went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchored {
    /// New range; None when no confident place was found.
    pub range: Option<Fragment>,
    /// How it was found.
    pub status: Status,
    /// Confidence 0..=1.
    pub score: f64,
}

fn join_fragments(id: SpanId, old: &[Fragment], pieces: &[Anchored]) -> Placement {
    let score = pieces.iter().map(|p| p.score).fold(1.0, f64::min);
    let ranges: Option<Vec<Fragment>> = pieces.iter().map(|p| p.range).collect();
    let ordered = ranges.as_ref().is_some_and(|r| {
        r.len() == old.len() && r.windows(2).all(|w| w[0].1 <= w[1].0) && !r.is_empty()
    });
    match ranges {
        Some(r) if ordered => {
            let worst = pieces
                .iter()
                .map(|p| p.status)
                .max()
                .unwrap_or(Status::Kept);
            let status = if worst == Status::Kept && r != old {
                Status::Moved
            } else {
                worst
            };
            Placement {
                id,
                status,
                fragments: Some(r),
                score,
            }
        }
        _ => Placement {
            id,
            status: Status::Orphaned,
            fragments: None,
            score: if ranges.is_some() { score } else { 0.0 },
        },
    }
}

/// Blocks of text carried over unchanged, `(old start, new start, len)` in
/// code points, increasing in both texts.
struct Blocks(Vec<(usize, usize, usize)>);

impl Blocks {
    fn new(old: &DocText, new: &DocText) -> Self {
        let deadline = Instant::now() + DIFF_BUDGET;
        let mut raw = Vec::new();
        let (old_lines, old_at) = tokens(old.as_str(), Level::Line);
        let (new_lines, new_at) = tokens(new.as_str(), Level::Line);
        // Common first and last lines need no diff (an edit near the top of
        // a book leaves almost everything to these two loops).
        let head = old_lines
            .iter()
            .zip(&new_lines)
            .take_while(|(a, b)| a == b)
            .count();
        let tail = old_lines[head..]
            .iter()
            .rev()
            .zip(new_lines[head..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        if head > 0 {
            raw.push((0, 0, old_at[head]));
        }
        let (o_end, n_end) = (old_lines.len() - tail, new_lines.len() - tail);
        let ops = similar::capture_diff_slices_deadline(
            Algorithm::Patience,
            &old_lines[head..o_end],
            &new_lines[head..n_end],
            Some(deadline),
        );
        let shift = |op: DiffOp| match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => DiffOp::Equal {
                old_index: old_index + head,
                new_index: new_index + head,
                len,
            },
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => DiffOp::Replace {
                old_index: old_index + head,
                old_len,
                new_index: new_index + head,
                new_len,
            },
            other => other,
        };
        let ops: Vec<DiffOp> = ops.into_iter().map(shift).collect();
        collect_blocks(
            old,
            new,
            &ops,
            &old_at,
            &new_at,
            Level::Line,
            deadline,
            &mut raw,
        );
        if tail > 0 {
            let (o, n) = (old_at[o_end], new_at[n_end]);
            raw.push((o, n, old.char_len() - o));
        }
        // Join blocks that continue each other in both texts.
        raw.sort_unstable();
        let mut out: Vec<(usize, usize, usize)> = Vec::with_capacity(raw.len());
        for b in raw.into_iter().filter(|b| b.2 > 0) {
            match out.last_mut() {
                Some(last) if last.0 + last.2 == b.0 && last.1 + last.2 == b.1 => last.2 += b.2,
                _ => out.push(b),
            }
        }
        Blocks(out)
    }

    /// The block holding old position `at` (the last starting at or before).
    fn block_at(&self, at: usize) -> Option<&(usize, usize, usize)> {
        let i = self.0.partition_point(|b| b.0 <= at);
        i.checked_sub(1).map(|i| &self.0[i])
    }

    /// The new range of an old range carried over whole by one block.
    fn carry(&self, (a, b): Fragment) -> Option<Fragment> {
        let &(o, n, len) = self.block_at(a)?;
        (b <= o + len).then(|| (n + (a - o), n + (b - o)))
    }

    /// Like [`Blocks::carry`], but only when the carry is trustworthy: the
    /// block reaches well past the range, or is long, or the context
    /// around the new place agrees. (A character diff of a rewritten line
    /// can line up a short word such as "said" with another one.)
    fn carry_trusted(
        &self,
        range: Fragment,
        old: &CharWindow,
        new: &CharWindow,
    ) -> Option<Fragment> {
        let r = self.carry(range)?;
        let &(o, _, len) = self.block_at(range.0)?;
        let slack = (range.0 - o) + (o + len - range.1);
        if slack >= 8 || len >= 64 {
            return Some(r);
        }
        let context = (similarity(&old.prefix(range.0), &new.prefix(r.0))
            + similarity(&old.suffix(range.1), &new.suffix(r.1)))
            / 2.0;
        (context >= 0.6).then_some(r)
    }

    /// Where old position `at` is expected in the new text: exact inside a
    /// block, else just after the nearest block before it.
    fn expect(&self, at: usize) -> usize {
        match self.block_at(at) {
            Some(&(o, n, len)) if at < o + len => n + (at - o),
            Some(&(_, n, len)) => n + len,
            None => 0,
        }
    }
}

/// The units a diff compares, coarse to fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Lines with their terminators.
    Line,
    /// Words with the spaces after them.
    Word,
}

/// A text's tokens at `level`, typographically folded (a text whose
/// quotes were straightened still lines up), and the code-point offset of
/// each token's start, plus one past the end.
fn tokens(text: &str, level: Level) -> (Vec<Cow<'_, str>>, Vec<usize>) {
    let pieces: Vec<&str> = match level {
        Level::Line => text.split_inclusive('\n').collect(),
        Level::Word => split_words(text),
    };
    let mut at = Vec::with_capacity(pieces.len() + 1);
    let mut n = 0;
    let folded = pieces
        .into_iter()
        .map(|piece| {
            at.push(n);
            n += piece.chars().count();
            if piece.chars().all(|c| fold(c) == c) {
                Cow::Borrowed(piece)
            } else {
                Cow::Owned(piece.chars().map(fold).collect())
            }
        })
        .collect();
    at.push(n);
    (folded, at)
}

/// Words, each with the whitespace after it.
fn split_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space && !space {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Runs of changed text up to this many code points are diffed by
/// character; longer ones go down a level first.
const CHAR_DIFF_MAX: usize = 50_000;

/// Adds the equal blocks of a token diff; changed runs are diffed again,
/// by word and then by character, so that a text changed all over (a
/// rewrapped book) still lines up.
#[allow(clippy::too_many_arguments)]
fn collect_blocks(
    old: &DocText,
    new: &DocText,
    ops: &[DiffOp],
    old_at: &[usize],
    new_at: &[usize],
    level: Level,
    deadline: Instant,
    out: &mut Vec<(usize, usize, usize)>,
) {
    for op in ops {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                let (o, n) = (old_index, new_index);
                out.push((old_at[o], new_at[n], old_at[o + len] - old_at[o]));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let old_range = old_at[old_index]..old_at[old_index + old_len];
                let new_range = new_at[new_index]..new_at[new_index + new_len];
                if old_range.len() <= CHAR_DIFF_MAX && new_range.len() <= CHAR_DIFF_MAX {
                    char_blocks(old, new, old_range, new_range, deadline, out);
                } else if level == Level::Line && Instant::now() < deadline {
                    let (a, a_at) = tokens(old.slice(old_range.clone()), Level::Word);
                    let (b, b_at) = tokens(new.slice(new_range.clone()), Level::Word);
                    let a_at: Vec<usize> = a_at.iter().map(|x| x + old_range.start).collect();
                    let b_at: Vec<usize> = b_at.iter().map(|x| x + new_range.start).collect();
                    let ops = similar::capture_diff_slices_deadline(
                        Algorithm::Patience,
                        &a,
                        &b,
                        Some(deadline),
                    );
                    collect_blocks(old, new, &ops, &a_at, &b_at, Level::Word, deadline, out);
                }
                // Still too long: the matching steps place its spans.
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
        }
    }
}

/// Character diff of one changed run, adding its equal blocks (folded).
fn char_blocks(
    old: &DocText,
    new: &DocText,
    old_range: std::ops::Range<usize>,
    new_range: std::ops::Range<usize>,
    deadline: Instant,
    out: &mut Vec<(usize, usize, usize)>,
) {
    let a: Vec<char> = old.slice(old_range.clone()).chars().map(fold).collect();
    let b: Vec<char> = new.slice(new_range.clone()).chars().map(fold).collect();
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(deadline));
    for op in ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            out.push((
                old_range.start + old_index,
                new_range.start + new_index,
                len,
            ));
        }
    }
}

/// Places every target (old ranges in `old`) in `new`. Results are in the
/// order of `targets`.
pub fn anchor(
    old: &DocText,
    new: &DocText,
    targets: &[Target],
    progress: &dyn Fn(f32),
) -> Vec<Anchored> {
    anchor_with(&Blocks::new(old, new), old, new, targets, progress)
}

fn anchor_with(
    blocks: &Blocks,
    old: &DocText,
    new: &DocText,
    targets: &[Target],
    progress: &dyn Fn(f32),
) -> Vec<Anchored> {
    progress(0.3);
    let old_chars = CharWindow::new(old);
    let new_chars = CharWindow::new(new);
    let mut out: Vec<Anchored> = targets
        .iter()
        .map(
            |t| match blocks.carry_trusted(t.range, &old_chars, &new_chars) {
                Some(r) => Anchored {
                    range: Some(r),
                    // Blocks are equal once folded: the quotes may differ.
                    status: if old.slice(t.range.0..t.range.1) != new.slice(r.0..r.1) {
                        Status::Fuzzy
                    } else if r == t.range {
                        Status::Kept
                    } else {
                        Status::Moved
                    },
                    score: 1.0,
                },
                None => Anchored {
                    range: None,
                    status: Status::Orphaned,
                    score: 0.0,
                },
            },
        )
        .collect();
    // Ranges already held by a label: a second span of that label on the
    // same text is almost surely a deleted sentence's span attached to a
    // copy that survived.
    let mut taken: HashSet<(Fragment, LabelId)> = targets
        .iter()
        .zip(&out)
        .filter_map(|(t, a)| a.range.map(|r| (r, t.label.clone())))
        .collect();
    let open: Vec<usize> = (0..targets.len())
        .filter(|&i| out[i].range.is_none())
        .collect();
    if open.is_empty() {
        return out;
    }
    // Matching compares typographically folded texts (a CMS that
    // straightens quotes changes no place); same length, same offsets.
    let old_folded = DocText::new(old.as_str().chars().map(fold).collect::<String>());
    let new_folded = DocText::new(new.as_str().chars().map(fold).collect::<String>());
    let (old_f, new_f) = (CharWindow::new(&old_folded), CharWindow::new(&new_folded));
    for (done, &i) in open.iter().enumerate() {
        if done % 64 == 0 {
            progress(0.3 + 0.7 * done as f32 / open.len().max(1) as f32);
        }
        let t = &targets[i];
        // Whole-text searches of a book are kept to the first spans.
        let whole = done < WHOLE_SEARCHES;
        let mut found = place_one(&old_f, &new_f, blocks, t, &taken, whole);
        // Equal only once folded: the text was corrected, if only slightly.
        if let Some((a, b)) = found.range
            && found.status == Status::Moved
            && old_chars.chars(t.range.0, t.range.1) != new_chars.chars(a, b)
        {
            found.status = Status::Fuzzy;
        }
        if let Some(r) = found.range {
            taken.insert((r, t.label.clone()));
        }
        out[i] = found;
    }
    out
}

/// Typographic variants that a republished text often swaps, mapped to
/// one form (one char for one, so offsets do not move).
fn fold(c: char) -> char {
    match c {
        '‘' | '’' | '‚' | '‛' | '′' => '\'',
        '“' | '”' | '„' | '‟' | '″' => '"',
        // Rewrapping turns spaces into line breaks and back.
        '\u{a0}' | '\u{202f}' | '\u{2009}' | '\n' | '\t' => ' ',
        '‐' | '‑' | '‒' | '–' | '—' => '-',
        _ => c,
    }
}

/// Code-point windows of a text without allocating the whole text as chars.
struct CharWindow<'a> {
    text: &'a DocText,
    /// The text is ASCII: byte and char offsets agree.
    ascii: bool,
}

impl<'a> CharWindow<'a> {
    fn new(text: &'a DocText) -> Self {
        CharWindow {
            text,
            ascii: text.as_str().len() == text.char_len(),
        }
    }

    fn len(&self) -> usize {
        self.text.char_len()
    }

    fn chars(&self, a: usize, b: usize) -> Vec<char> {
        let b = b.min(self.len());
        let a = a.min(b);
        self.text.slice(a..b).chars().collect()
    }

    fn prefix(&self, at: usize) -> Vec<char> {
        self.chars(at.saturating_sub(CONTEXT), at)
    }

    fn suffix(&self, at: usize) -> Vec<char> {
        self.chars(at, at + CONTEXT)
    }
}

/// One scored place for a fragment.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    range: Fragment,
    score: f64,
    /// Found as an exact (folded) match of the quote.
    exact: bool,
    /// The score from context and position alone (without the credit a
    /// long, lone quote earns by itself).
    support: f64,
}

fn place_one(
    old: &CharWindow,
    new: &CharWindow,
    blocks: &Blocks,
    t: &Target,
    taken: &HashSet<(Fragment, LabelId)>,
    whole: bool,
) -> Anchored {
    let (a, b) = t.range;
    let quote = old.chars(a, b);
    let prefix = old.prefix(a);
    let suffix = old.suffix(b);
    let expected = blocks.expect(a);
    let scale = (new.len() as f64 * 0.05).max(200.0);
    let position = |at: usize| 1.0 / (1.0 + (at.abs_diff(expected) as f64) / scale);
    let sides = |s: usize, e: usize| {
        (
            similarity(&prefix, &new.prefix(s)),
            similarity(&suffix, &new.suffix(e)),
        )
    };
    let free = |r: Fragment| !taken.contains(&(r, t.label.clone()));

    // Exact matches.
    let quote_str: String = quote.iter().collect();
    let search = |lo: usize, hi: usize| {
        let mut found: Vec<Fragment> = Vec::new();
        let from_byte = new.text.byte_of(lo);
        let hay = &new.text.as_str()[from_byte..new.text.byte_of(hi)];
        let mut last = (0usize, lo); // (byte in hay, char) to count forward
        for (byte, _) in hay.match_indices(quote_str.as_str()) {
            let ch = if new.ascii {
                lo + byte
            } else if byte - last.0 < 4096 {
                last.1 + hay[last.0..byte].chars().count()
            } else {
                new.text.char_of(from_byte + byte)
            };
            last = (byte, ch);
            found.push((ch, ch + quote.len()));
        }
        found
    };
    let mut exact: Vec<Fragment> = Vec::new();
    if !quote_str.is_empty() {
        if new.len() <= WHOLE_TEXT_SEARCH {
            exact = search(0, new.len());
        } else {
            // A book: near where the span is expected first; the whole
            // text only when nothing is there (and for a limited number of
            // spans, so that a text changed all over stays fast).
            exact = search(
                expected.saturating_sub(EXACT_WINDOW),
                (expected + EXACT_WINDOW).min(new.len()),
            );
            if exact.is_empty() && whole {
                exact = search(0, new.len());
            }
        }
    }
    let unique = exact.len() == 1;
    if exact.len() > MAX_CANDIDATES {
        exact.sort_by_key(|r| r.0.abs_diff(expected));
        exact.truncate(MAX_CANDIDATES);
    }
    // A long quote found once is evidence by itself: enough to pass the
    // threshold, not enough to beat a corrected copy whose context agrees.
    let specific = if unique {
        0.75 * (quote.len() as f64 / 32.0).min(1.0)
    } else {
        0.0
    };
    let exact_scored: Vec<Candidate> = exact
        .into_iter()
        .filter(|&r| free(r))
        .map(|r| {
            // The same text with one side of its context intact (the other
            // side was edited, deleted or moved) is a strong sign too.
            let (before, after) = sides(r.0, r.1);
            let c = 0.25 * (before + after) + 0.5 * before.max(after);
            let s = 0.7 * c + 0.3 * position(r.0);
            Candidate {
                range: r,
                score: s.max(specific),
                exact: true,
                support: s,
            }
        })
        .collect();
    // Context and position agree: no need to look further.
    if let Some(best) = decide(&exact_scored).filter(|b| b.score >= 0.9) {
        return Anchored {
            range: Some(best.range),
            status: Status::Moved,
            score: best.score,
        };
    }

    // Approximate matches.
    let m = quote.len();
    let k = (m / 4)
        .max(if m >= 4 { 2 } else { 1 })
        .min(m.saturating_sub(1));
    let (lo, hi) = if new.len() <= WHOLE_FUZZY_SEARCH {
        (0, new.len())
    } else {
        let w = (2 * m).max(2_000);
        (
            expected.saturating_sub(w),
            (expected + m + w).min(new.len()),
        )
    };
    let window = new.chars(lo, hi);
    let mut fuzzy = Vec::new();
    let mut rivals: Vec<Candidate> = Vec::new();
    if m > 0 && k > 0 {
        let mut all = Vec::new();
        for (end, d) in myers_ends(&quote, &window, k) {
            let start = best_start(&quote, &window, end, k);
            let range = (lo + start, lo + end);
            if range.0 >= range.1 || !free(range) {
                continue;
            }
            let q = 1.0 - d as f64 / m as f64;
            let (before, after) = sides(range.0, range.1);
            all.push((range, q, d, before, after));
        }
        let places = {
            let mut v: Vec<Fragment> = all.iter().map(|x| x.0).collect();
            v.dedup_by(|x, y| x.0 < y.1 && y.0 < x.1);
            v.len()
        };
        for (range, q, d, before, after) in all {
            let c = (before + after) / 2.0;
            let support = 0.45 * q + 0.4 * c + 0.15 * position(range.0);
            let mut s = support;
            // A corrected quote is taken where both neighbours agree (a
            // figure fixed in place), or where a nearly unchanged quote
            // has agreeing context. A similar sentence elsewhere, with one
            // side of context matching by chance, is not enough.
            let in_place = before.min(after) >= 0.7 && q >= 0.75;
            let light_edit = (q >= 0.9 || d <= 1) && c >= 0.5;
            // One place in the text near-identical to a long quote carries
            // itself (its sentence may have moved with both neighbours).
            let lone = places == 1 && m >= 40 && q >= 0.93;
            if lone {
                s = s.max(0.7);
            } else if !(in_place || light_edit) {
                // Not taken, but a near copy here makes any other
                // candidate doubtful.
                if q >= 0.9 {
                    rivals.push(Candidate {
                        range,
                        score: s,
                        exact: false,
                        support,
                    });
                }
                continue;
            }
            fuzzy.push(Candidate {
                range,
                score: s,
                exact: false,
                support,
            });
        }
    }
    // Exact and approximate candidates compete; where both found the same
    // place, the better score stands for it.
    let mut all = exact_scored;
    for f in fuzzy {
        let same = all
            .iter_mut()
            .find(|c| c.range.0 < f.range.1 && f.range.0 < c.range.1);
        match same {
            Some(c) if c.score >= f.score => {}
            Some(c) => *c = f,
            None => all.push(f),
        }
    }
    let refused = all.iter().map(|c| c.score).fold(0.0, f64::max);
    // A near copy of the quote elsewhere (turned down for its context)
    // still casts doubt: on a close call, or on a choice that rests on
    // the quote alone.
    let doubted = |b: &Candidate| {
        rivals.iter().any(|r| {
            !overlaps(r.range, b.range) && (r.score > b.score - MARGIN || b.support < THRESHOLD)
        })
    };
    match decide(&all).filter(|b| !doubted(b)) {
        Some(best) => Anchored {
            // An approximate match may end inside a grapheme cluster.
            range: Some((
                new.text.grapheme_floor(best.range.0),
                new.text.grapheme_ceil(best.range.1),
            )),
            status: if best.exact {
                Status::Moved
            } else {
                Status::Fuzzy
            },
            score: best.score,
        },
        None => Anchored {
            range: None,
            status: Status::Orphaned,
            score: refused,
        },
    }
}

/// The best candidate when it clears the threshold and leads the runner-up
/// by the margin.
fn decide(candidates: &[Candidate]) -> Option<Candidate> {
    let mut sorted: Vec<Candidate> = candidates.to_vec();
    sorted.sort_by(|x, y| y.score.total_cmp(&x.score));
    let best = *sorted.first()?;
    if best.score < THRESHOLD {
        return None;
    }
    // Candidates overlapping the best are the same place with other ends.
    match sorted
        .iter()
        .skip(1)
        .find(|c| !overlaps(c.range, best.range))
    {
        Some(second) if best.score - second.score < MARGIN => None,
        _ => Some(best),
    }
}

/// True when two ranges share a code point.
fn overlaps(a: Fragment, b: Fragment) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// 1 − edit distance / the longer length; 1 for two empty contexts.
fn similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + usize::from(ca != cb));
            diag = up;
        }
    }
    row[b.len()]
}

/// Myers' bit-parallel approximate matcher (Hyyrö's formulation, any
/// pattern length in 64-bit words): every end position (exclusive) in
/// `text` where some substring ending there is within `k` edits of
/// `pattern`, as (end, edits): the ends of each run of hits that reach the
/// run's fewest edits (up to 8; context tells them apart).
pub fn myers_ends(pattern: &[char], text: &[char], k: usize) -> Vec<(usize, usize)> {
    let m = pattern.len();
    if m == 0 {
        return Vec::new();
    }
    let words = m.div_ceil(64);
    let mut peq: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, c) in pattern.iter().enumerate() {
        peq.entry(*c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
    }
    let zero = vec![0u64; words];
    let top = 1u64 << ((m - 1) % 64);
    let mut pv = vec![u64::MAX; words];
    let mut mv = vec![0u64; words];
    let (mut xh, mut ph, mut mh) = (vec![0u64; words], vec![0u64; words], vec![0u64; words]);
    let mut score = m;
    let mut hits: Vec<(usize, usize)> = Vec::new();
    // The current run of hits: its best distance and the ends reaching it.
    let mut run: Option<(usize, Vec<usize>)> = None;
    for (j, c) in text.iter().enumerate() {
        let eq = peq.get(c).unwrap_or(&zero);
        // Xh = (((Eq & Pv) + Pv) ^ Pv) | Eq, the addition carried across words.
        let mut carry = 0u64;
        for w in 0..words {
            let (s1, c1) = (eq[w] & pv[w]).overflowing_add(pv[w]);
            let (s2, c2) = s1.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            xh[w] = (s2 ^ pv[w]) | eq[w];
        }
        for w in 0..words {
            let xv = eq[w] | mv[w];
            ph[w] = mv[w] | !(xh[w] | pv[w]);
            mh[w] = pv[w] & xh[w];
            // Keep Xv in mv for the update below.
            mv[w] = xv;
        }
        if ph[words - 1] & top != 0 {
            score += 1;
        } else if mh[words - 1] & top != 0 {
            score -= 1;
        }
        // Shift Ph and Mh left by one across words; searching shifts in 0
        // (a match may start anywhere).
        let (mut cp, mut cm) = (0u64, 0u64);
        for w in 0..words {
            let (np, nm) = (ph[w] >> 63, mh[w] >> 63);
            ph[w] = (ph[w] << 1) | cp;
            mh[w] = (mh[w] << 1) | cm;
            cp = np;
            cm = nm;
        }
        for w in 0..words {
            let xv = mv[w];
            pv[w] = mh[w] | !(xv | ph[w]);
            mv[w] = ph[w] & xv;
        }
        if score <= k {
            match &mut run {
                Some((best, ends)) if *best == score => {
                    if ends.len() < 8 {
                        ends.push(j + 1);
                    }
                }
                Some((best, _)) if *best < score => {}
                _ => run = Some((score, vec![j + 1])),
            }
        } else if let Some((d, ends)) = run.take() {
            hits.extend(ends.into_iter().map(|e| (e, d)));
        }
    }
    if let Some((d, ends)) = run {
        hits.extend(ends.into_iter().map(|e| (e, d)));
    }
    hits
}

/// The start that gives the fewest edits for a match of `pattern` ending
/// at `end` in `text` (at most `k` edits, so it starts no earlier than
/// `end − m − k`).
fn best_start(pattern: &[char], text: &[char], end: usize, k: usize) -> usize {
    let m = pattern.len();
    let from = end.saturating_sub(m + k);
    let window: Vec<char> = text[from..end].iter().rev().copied().collect();
    let pat: Vec<char> = pattern.iter().rev().copied().collect();
    // d[j]: edits to align the pattern's last i chars with the window's
    // first j chars (reversed); the alignment is anchored at `end`.
    let mut d: Vec<usize> = (0..=window.len()).collect();
    for (i, pc) in pat.iter().enumerate() {
        let mut diag = d[0];
        d[0] = i + 1;
        for (j, wc) in window.iter().enumerate() {
            let up = d[j + 1];
            d[j + 1] = (up + 1).min(d[j] + 1).min(diag + usize::from(pc != wc));
            diag = up;
        }
    }
    // Fewest edits; among equals, the length nearest the pattern's.
    let best = (0..=window.len())
        .min_by_key(|&j| (d[j], j.abs_diff(m)))
        .unwrap_or(m.min(window.len()));
    end - best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The textbook dynamic programme: best distance of a match ending at
    /// each position.
    fn naive_ends(p: &[char], t: &[char]) -> Vec<usize> {
        let mut col: Vec<usize> = (0..=p.len()).collect();
        let mut out = Vec::new();
        for tc in t {
            let mut prev = col[0];
            col[0] = 0;
            for i in 1..=p.len() {
                let cur = col[i];
                col[i] = (cur + 1)
                    .min(col[i - 1] + 1)
                    .min(prev + usize::from(p[i - 1] != *tc));
                prev = cur;
            }
            out.push(col[p.len()]);
        }
        out
    }

    #[test]
    fn myers_agrees_with_the_dynamic_programme_across_word_boundaries() {
        let text = chars(
            "Some 3,000 workers said the factory “closed on Monday”, a source told Daily NK; \
             some 3,500 workers say the factory closed on Tuesday, another source told Daily NK. 소식통이 전했다 🙂",
        );
        for pattern in [
            "3,000 workers",
            "the factory “closed on Monday”, a source told Daily NK; some 3,500 workers say the factory closed",
            "소식통",
            "x",
        ] {
            let p = chars(pattern);
            let naive = naive_ends(&p, &text);
            for k in [0, 1, 3, 12] {
                let want: Vec<usize> = (0..text.len()).filter(|&j| naive[j] <= k).collect();
                let got = myers_ends(&p, &text, k);
                // Every reported end is a hit with the exact distance, and
                // every run of hits is reported once.
                for &(end, d) in &got {
                    assert_eq!(naive[end - 1], d, "{pattern} k={k} end={end}");
                    assert!(d <= k);
                }
                // Each run of hits is reported, at its fewest edits.
                let mut runs: Vec<Vec<usize>> = Vec::new();
                for &j in &want {
                    match runs.last_mut() {
                        Some(r) if r.last() == Some(&(j - 1)) => r.push(j),
                        _ => runs.push(vec![j]),
                    }
                }
                for r in runs {
                    let best = r.iter().map(|&j| naive[j]).min().unwrap_or(0);
                    let first = r.iter().find(|&&j| naive[j] == best).copied();
                    assert!(got.iter().any(|&(e, d)| Some(e - 1) == first && d == best));
                }
                assert!(got.iter().all(|&(e, _)| want.contains(&(e - 1))));
            }
        }
    }

    #[test]
    fn best_start_recovers_the_corrected_figure() {
        let text = chars("paid $3,500 a month");
        let p = chars("$3,000");
        let ends = myers_ends(&p, &text, 2);
        let (end, d) = ends[0];
        assert_eq!(d, 1);
        let start = best_start(&p, &text, end, 2);
        assert_eq!(text[start..end].iter().collect::<String>(), "$3,500");
    }

    fn run(old: &str, new: &str, ranges: &[(usize, usize)]) -> Vec<Anchored> {
        let targets: Vec<Target> = ranges
            .iter()
            .map(|&r| Target {
                range: r,
                label: LabelId("claim".into()),
            })
            .collect();
        anchor(&DocText::new(old), &DocText::new(new), &targets, &|_| {})
    }

    fn find(text: &str, needle: &str) -> (usize, usize) {
        let b = text.find(needle).unwrap_or(0);
        let a = text[..b].chars().count();
        (a, a + needle.chars().count())
    }

    #[test]
    fn a_prepended_note_moves_every_span_by_its_length() {
        let old = "“Workers were paid ₩5,000,” a source said.\nThe factory closed.\n";
        let new = format!("Editor’s note: corrected.\n{old}");
        let r = find(old, "₩5,000");
        let got = run(old, &new, &[r]);
        assert_eq!(got[0].status, Status::Moved);
        assert_eq!(got[0].range, Some(find(&new, "₩5,000")));
    }

    #[test]
    fn a_corrected_number_is_placed_on_the_corrected_text() {
        let old = "The source said workers were paid $3,000 a month in the city of Sinuiju, near the border.";
        let new = "The source said workers were paid $3,500 a month in the city of Sinuiju, near the border.";
        let got = run(old, new, &[find(old, "$3,000")]);
        assert_eq!(got[0].range, Some(find(new, "$3,500")), "{got:?}");
        assert_eq!(got[0].status, Status::Fuzzy);
    }

    #[test]
    fn a_deleted_sentence_orphans_its_span_even_with_a_look_alike_elsewhere() {
        let old = "A source in Hyesan told Daily NK on Sunday that prices rose.\n\
                   Officials were angry about the new rules for the markets.\n\
                   A source in Sinuiju told Daily NK on Monday that prices fell.\n";
        let new = "A source in Hyesan told Daily NK on Sunday that prices rose.\n\
                   Officials were angry about the new rules for the markets.\n";
        let got = run(old, new, &[find(old, "A source in Sinuiju told Daily NK")]);
        assert_eq!(got[0].range, None, "{got:?}");
        assert_eq!(got[0].status, Status::Orphaned);
    }

    #[test]
    fn a_short_quote_is_decided_by_its_context_not_the_first_hit() {
        let old = "The official said the plan was final. Workers said they had not been paid since March. A guard said nothing.";
        // The sentences are reordered: "said" of the workers must follow them.
        let new = "A guard said nothing. Workers said they had not been paid since March. The official said the plan was final.";
        let (a, _) = find(old, "said they");
        let got = run(old, new, &[(a, a + 4)]);
        let (b, _) = find(new, "said they");
        assert_eq!(got[0].range, Some((b, b + 4)), "{got:?}");
    }

    #[test]
    fn curly_quotes_made_straight_keep_the_quoted_span() {
        let old = "Intro line.\n“We cannot leave,” a worker said. ‘None of us can.’\nEnd.\n";
        let new = old.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
        let got = run(old, &new, &[find(old, "“We cannot leave,”")]);
        assert_eq!(
            got[0].range,
            Some(find(&new, "\"We cannot leave,\"")),
            "{got:?}"
        );
    }

    #[test]
    fn korean_emoji_and_combining_marks_keep_their_places() {
        let old = "소식통이 전했다 🙂 노동자 3,000명이 격리됐다.\nCafe\u{301} “prices” rose 5%.\n";
        let new = format!(
            "정정: 숫자를 고쳤다.\n{}",
            old.replace("3,000명", "3,500명").replace(['“', '”'], "\"")
        );
        let targets = [
            find(old, "소식통이 전했다"),
            find(old, "3,000명"),
            find(old, "Cafe\u{301}"),
            find(old, "“prices”"),
        ];
        let got = run(old, &new, &targets);
        assert_eq!(got[0].range, Some(find(&new, "소식통이 전했다")));
        assert_eq!(got[1].range, Some(find(&new, "3,500명")), "{got:?}");
        assert_eq!(got[2].range, Some(find(&new, "Cafe\u{301}")));
        assert_eq!(got[3].range, Some(find(&new, "\"prices\"")));
        assert_eq!(got[3].status, Status::Fuzzy, "the quotes changed");
        let text = DocText::new(new.as_str());
        for a in &got {
            let (s, e) = a.range.unwrap_or((0, 0));
            assert!(text.is_grapheme_boundary(s) && text.is_grapheme_boundary(e));
        }
    }

    #[test]
    fn a_rewrapped_text_still_lines_up_word_by_word() {
        // Every line changes (hard wraps become one paragraph per line).
        let mut old = String::new();
        for i in 0..4000 {
            old.push_str(&format!(
                "Line {i} of the report says RMB {} was paid",
                i * 7
            ));
            old.push(if i % 5 == 4 { '\n' } else { ' ' });
        }
        let new = old.replace(" of the report ", "\nof the report ");
        let r = find(&old, "Line 2500 of the report says RMB 17500 was paid");
        let got = run(&old, &new, &[r]);
        let want = find(&new, "Line 2500\nof the report says RMB 17500 was paid");
        assert_eq!(got[0].range, Some(want), "{got:?}");
    }
}
