//! Find in the text: plain (case-insensitive unless asked) or a regex, over
//! one article or the whole project. Matches are half-open code-point
//! ranges, in text order; empty matches are skipped.

use crate::model::{DocId, Project};
use regex::{Regex, RegexBuilder};

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The text or the regex.
    pub pattern: String,
    /// Treat the pattern as a regex (the `regex` crate's syntax).
    pub regex: bool,
    /// Match case exactly (plain text ignores case by default).
    pub case_sensitive: bool,
}

/// One match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    /// The article.
    pub doc: DocId,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// Why a query cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The regex does not compile; the message says where.
    #[error("{0}")]
    BadRegex(String),
}

/// At most this many matches are kept, so that a pattern like `e` on a
/// book does not fill memory; the count reads "200000+" at the limit.
pub const MAX_MATCHES: usize = 200_000;

impl Query {
    /// The compiled matcher; None for an empty pattern.
    pub fn compile(&self) -> Result<Option<Regex>, SearchError> {
        if self.pattern.is_empty() {
            return Ok(None);
        }
        let source = if self.regex {
            self.pattern.clone()
        } else {
            regex::escape(&self.pattern)
        };
        RegexBuilder::new(&source)
            .case_insensitive(!self.case_sensitive)
            .multi_line(true)
            .size_limit(1 << 24)
            .build()
            .map(Some)
            .map_err(|e| SearchError::BadRegex(one_line(&e.to_string())))
    }
}

/// The regex crate's multi-line error message, on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Matches of `re` in `text`, as code-point ranges (byte offsets are
/// converted in one forward pass).
pub fn find_in_text(re: &Regex, text: &str, limit: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0usize, 0usize);
    for m in re.find_iter(text) {
        if m.start() == m.end() {
            continue;
        }
        chars += text[byte..m.start()].chars().count();
        let start = chars;
        chars += text[m.start()..m.end()].chars().count();
        byte = m.end();
        out.push((start, chars));
        if out.len() >= limit {
            break;
        }
    }
    out
}

/// Every match of `query` in `docs` (all articles when None), article by
/// article in project order.
pub fn search(
    project: &Project,
    query: &Query,
    docs: Option<&[DocId]>,
) -> Result<Vec<Match>, SearchError> {
    let Some(re) = query.compile()? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for d in project.documents() {
        if docs.is_some_and(|only| !only.contains(&d.id)) {
            continue;
        }
        let left = MAX_MATCHES.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        out.extend(
            find_in_text(&re, d.text.as_str(), left)
                .into_iter()
                .map(|(start, end)| Match {
                    doc: d.id,
                    start,
                    end,
                }),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pattern: &str, regex: bool, case_sensitive: bool) -> Query {
        Query {
            pattern: pattern.into(),
            regex,
            case_sensitive,
        }
    }

    #[test]
    fn plain_text_ignores_case_and_offsets_are_code_points() {
        let re = q("daily nk", false, false).compile().unwrap().unwrap();
        let text = "북한 “Daily NK” 👩‍👩‍👧 and DAILY NK.";
        let found = find_in_text(&re, text, 100);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(found.len(), 2);
        for (a, b) in found {
            let s: String = chars[a..b].iter().collect();
            assert_eq!(s.to_lowercase(), "daily nk");
        }
        // Case-sensitive finds only the exact spelling.
        let re = q("Daily NK", false, true).compile().unwrap().unwrap();
        assert_eq!(find_in_text(&re, text, 100), vec![(4, 12)]);
        // Plain text is not a regex: "." is a dot.
        let re = q("NK.", false, true).compile().unwrap().unwrap();
        assert_eq!(find_in_text(&re, text, 100).len(), 1);
    }

    #[test]
    fn a_bad_regex_is_an_error_not_a_panic_and_empty_matches_are_skipped() {
        let e = q("(unclosed", true, false).compile().unwrap_err();
        assert!(e.to_string().contains("unclosed"), "{e}");
        assert!(!e.to_string().contains('\n'));
        let re = q("x*", true, false).compile().unwrap().unwrap();
        assert_eq!(find_in_text(&re, "abxxc", 100), vec![(2, 4)]);
        assert!(q("", true, false).compile().unwrap().is_none());
    }
}
