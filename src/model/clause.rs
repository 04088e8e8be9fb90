//! Clause and sentence boundaries for keyboard selection: "extend to the end
//! of the clause", "select the sentence". Plain heuristics for news prose,
//! in code points, looking only within the current line (and at most
//! [`WINDOW`] chars each way, so they stay cheap on book-length lines).
//!
//! - A clause ends before `, ; :`, a spaced dash, or a sentence end; a comma
//!   or colon between digits ("RMB 1,000", "10:30") does not count.
//! - A sentence ends at `. ! ? …` (after any closing quotes) followed by a
//!   space and anything but a lower-case word or a number, or by the end of
//!   the line; "Feb. 24", "Mr. Kim" and "U.S. officials" do not end one.
//! - Ends exclude the punctuation and closing quotes, starts skip spaces and
//!   opening quotes, as analysts tag them.

use super::text::DocText;
use std::ops::Range;

/// How far the scans look each way, in chars.
pub const WINDOW: usize = 4_000;

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "no", "vs", "etc", "approx", "gov", "sen", "rep", "gen", "col", "lt",
    "inc", "co", "corp", "ltd", "e.g", "i.e", "u.s", "u.k", "u.n", "jr", "sr", "prof",
];

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '»' | '」' | '』')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// A window of the line around `ch`: the chars and the offset of the first.
struct Window {
    chars: Vec<char>,
    start: usize,
}

impl Window {
    fn around(text: &DocText, ch: usize) -> Self {
        let line = text.line_around(ch);
        let start = line.start.max(ch.saturating_sub(WINDOW));
        let end = line.end.min(ch + WINDOW);
        Window {
            chars: text.slice(start..end).chars().collect(),
            start,
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// True when a sentence ends with the char at `i`.
    fn sentence_end_at(&self, i: usize) -> bool {
        let c = self.chars[i];
        if !matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？') {
            return false;
        }
        if c == '.' && self.abbreviation_before(i) {
            return false;
        }
        let mut j = i + 1;
        while j < self.len() && is_closing(self.chars[j]) {
            j += 1;
        }
        if j >= self.len() {
            return true;
        }
        if matches!(c, '。' | '！' | '？') {
            return true;
        }
        if !self.chars[j].is_whitespace() {
            return false;
        }
        while j < self.len() && self.chars[j].is_whitespace() {
            j += 1;
        }
        // "since Feb. 24", "the U.S. officials": a lower-case word or a
        // number goes on the same sentence; a capital, a quote, Hangul… starts one.
        j >= self.len() || !(self.chars[j].is_lowercase() || self.chars[j].is_ascii_digit())
    }

    /// True when the word before the period at `i` is an abbreviation or a
    /// single letter ("Feb.", "U.S.", "J.").
    fn abbreviation_before(&self, i: usize) -> bool {
        let mut a = i;
        while a > 0 && (is_word(self.chars[a - 1]) || self.chars[a - 1] == '.') {
            a -= 1;
        }
        let word: String = self.chars[a..i].iter().collect::<String>().to_lowercase();
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        (letters == 1 && word.chars().all(|c| c.is_alphabetic() || c == '.'))
            || ABBREVIATIONS.contains(&word.as_str())
    }

    /// True when a clause ends with the char at `i`.
    fn clause_end_at(&self, i: usize) -> bool {
        let c = self.chars[i];
        let digit = |k: usize| self.chars.get(k).is_some_and(char::is_ascii_digit);
        match c {
            ',' | ':' => !(i > 0 && digit(i - 1) && digit(i + 1)),
            ';' | '，' | '；' | '：' => true,
            '–' | '—' => {
                i > 0
                    && self.chars[i - 1].is_whitespace()
                    && self.chars.get(i + 1).is_some_and(|n| n.is_whitespace())
            }
            _ => self.sentence_end_at(i),
        }
    }

    /// The first word char at or after `i`.
    fn skip_to_word(&self, mut i: usize) -> usize {
        while i < self.len() && !is_word(self.chars[i]) {
            i += 1;
        }
        i
    }

    /// `i` moved back over spaces and closing quotes (an end never keeps them).
    fn trim_end(&self, mut i: usize, floor: usize) -> usize {
        while i > floor && (self.chars[i - 1].is_whitespace() || is_closing(self.chars[i - 1])) {
            i -= 1;
        }
        i
    }

    /// End of the unit that starts at or after `i`, by `is_end`.
    fn end_from(&self, i: usize, is_end: impl Fn(&Self, usize) -> bool) -> usize {
        let from = self.skip_to_word(i);
        let mut j = from;
        while j < self.len() && !is_end(self, j) {
            j += 1;
        }
        self.trim_end(j, from)
    }
}

impl DocText {
    /// The first char of the first word at or after `ch` (spaces, punctuation,
    /// quotes and blank lines skipped); the end of the text if none.
    pub fn next_word_start(&self, ch: usize) -> usize {
        let mut pos = ch.min(self.char_len());
        // Paragraph by paragraph; blank lines are short, so this is bounded
        // by the text, and usually stops in the first one.
        loop {
            let w = Window::around(self, pos);
            let i = w.skip_to_word(pos - w.start);
            if i < w.len() {
                return w.start + i;
            }
            let next = w.start + w.len() + 1;
            if next >= self.char_len() {
                return self.char_len();
            }
            pos = next;
        }
    }

    /// Where a keyboard selection from a caret at `ch` starts: the start of
    /// the word the caret is inside (as a drag from there snaps), else the
    /// next word's start.
    pub fn selection_start(&self, ch: usize) -> usize {
        let w = self.word_around(ch);
        let in_word =
            w.start < ch && ch < w.end && self.slice(w.clone()).chars().any(char::is_alphanumeric);
        if in_word {
            w.start
        } else {
            self.next_word_start(ch)
        }
    }

    /// Where the clause at or after `ch` ends (before its punctuation). From
    /// the end of one clause, the end of the next, in the next paragraph if
    /// need be.
    pub fn clause_end(&self, ch: usize) -> usize {
        let from = self.next_word_start(ch);
        let w = Window::around(self, from);
        w.start + w.end_from(from - w.start, Window::clause_end_at)
    }

    /// Where the sentence at or after `ch` ends (before its punctuation).
    pub fn sentence_end(&self, ch: usize) -> usize {
        let from = self.next_word_start(ch);
        let w = Window::around(self, from);
        w.start + w.end_from(from - w.start, Window::sentence_end_at)
    }

    /// The sentence around `ch`, without its final punctuation and quotes.
    /// A caret at the end of a sentence (nothing but punctuation before the
    /// next one) selects the next sentence, in the next paragraph if need
    /// be, so that keyboard tagging can go on from the span just made.
    pub fn sentence_around(&self, ch: usize) -> Range<usize> {
        let w = Window::around(self, ch);
        let i = ch - w.start;
        let rest_is_punctuation = (i..w.len())
            .take_while(|&k| !w.sentence_end_at(k))
            .all(|k| !is_word(w.chars[k]));
        if rest_is_punctuation {
            // Past this sentence's end, to the next word: the next sentence.
            let mut k = i;
            while k < w.len() && !w.sentence_end_at(k) {
                k += 1;
            }
            let next = self.next_word_start(w.start + (k + 1).min(w.len()));
            if next >= self.char_len() {
                return ch..ch;
            }
            return next..self.sentence_end(next);
        }
        // Back to the previous sentence end (or the line start).
        let mut k = i;
        while k > 0 && !w.sentence_end_at(k - 1) {
            k -= 1;
        }
        let start = w.skip_to_word(k);
        let end = w.end_from(start, Window::sentence_end_at);
        w.start + start..w.start + end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = "“Many Chinese factories have opened again, but North Korean workers in Liaoning and Jilin Province aren’t able to go to work yet,” a China-based source told Daily NK on Wednesday. “They’re still under quarantine.”\nThe fee is RMB 1,000 (approximately USD 143) a month since Feb. 24, U.S. officials said; others disagree. 북한 노동자들이 일하고 있다. 소식통이 전했다.";

    fn text() -> DocText {
        DocText::new(NEWS)
    }

    fn s(t: &DocText, r: Range<usize>) -> String {
        t.slice(r).to_string()
    }

    #[test]
    fn a_selection_from_inside_a_word_starts_at_the_word() {
        let t = text();
        let factories = NEWS
            .find("factories")
            .map(|b| NEWS[..b].chars().count())
            .unwrap();
        // Inside "factories": its start; at its start: there; in the space
        // before it: the next word.
        assert_eq!(t.selection_start(factories + 4), factories);
        assert_eq!(t.selection_start(factories), factories);
        assert_eq!(t.selection_start(factories - 1), factories);
        // Korean: inside 노동자들이, its start.
        let korean = NEWS
            .find("노동자들이")
            .map(|b| NEWS[..b].chars().count())
            .unwrap();
        assert_eq!(t.selection_start(korean + 2), korean);
    }

    #[test]
    fn a_clause_ends_before_its_comma_and_the_next_clause_follows() {
        let t = text();
        let a = t.next_word_start(0);
        assert_eq!(
            s(&t, a..t.clause_end(0)),
            "Many Chinese factories have opened again"
        );
        let e = t.clause_end(0);
        let b = t.next_word_start(e);
        assert_eq!(
            s(&t, b..t.clause_end(e)),
            "but North Korean workers in Liaoning and Jilin Province aren’t able to go to work yet"
        );
        // Then the attribution, up to the sentence end.
        let e2 = t.clause_end(e);
        let c = t.next_word_start(e2);
        assert_eq!(
            s(&t, c..t.clause_end(e2)),
            "a China-based source told Daily NK on Wednesday"
        );
    }

    #[test]
    fn numbers_abbreviations_and_dates_do_not_end_clauses_or_sentences() {
        let t = text();
        let at = NEWS.chars().count() - NEWS.split('\n').nth(1).unwrap().chars().count();
        assert_eq!(
            s(&t, at..t.clause_end(at)),
            "The fee is RMB 1,000 (approximately USD 143) a month since Feb. 24"
        );
        assert_eq!(
            s(&t, at..t.sentence_end(at)),
            "The fee is RMB 1,000 (approximately USD 143) a month since Feb. 24, U.S. officials said; others disagree"
        );
    }

    #[test]
    fn the_sentence_around_the_caret_and_after_a_tagged_one() {
        let t = text();
        let inside = NEWS
            .find("Daily NK")
            .map(|b| NEWS[..b].chars().count())
            .unwrap();
        let r = t.sentence_around(inside);
        assert!(
            s(&t, r.clone()).starts_with("Many Chinese factories"),
            "{}",
            s(&t, r.clone())
        );
        assert!(s(&t, r.clone()).ends_with("on Wednesday"));
        // At the end of that sentence's text: the next sentence.
        assert_eq!(
            s(&t, t.sentence_around(r.end)),
            "They’re still under quarantine"
        );
        // From the end of a paragraph, the next paragraph's first sentence.
        let second = NEWS
            .find("The fee")
            .map(|b| NEWS[..b].chars().count())
            .unwrap();
        let end_of_first = second - 1;
        assert!(s(&t, t.sentence_around(end_of_first)).starts_with("The fee is RMB 1,000"));
        assert_eq!(t.next_word_start(end_of_first), second);
        assert!(s(&t, end_of_first..t.clause_end(end_of_first)).ends_with("since Feb. 24"));
        // Korean sentences end at their full stop.
        let ko = NEWS
            .find("북한")
            .map(|b| NEWS[..b].chars().count())
            .unwrap();
        assert_eq!(
            s(&t, t.sentence_around(ko + 2)),
            "북한 노동자들이 일하고 있다"
        );
    }
}
