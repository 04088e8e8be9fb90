//! Whole-project checks beyond the invariants that edits enforce.

use super::ids::{DocId, SpanId};
use super::project::Project;
use super::text::DocText;
use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Suspicious but loadable (e.g. a span that splits a grapheme).
    Warning,
    /// A merge conflict left in the project: it loads, `check` fails.
    Conflict,
    /// Breaks an invariant; the project is refused.
    Error,
}

/// A problem found while loading or checking a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where: e.g. "span 12" or "line 40, column 3".
    pub location: String,
    /// What is wrong, in words a user understands.
    pub message: String,
}

impl Problem {
    /// An error-level problem.
    pub fn error(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            location: location.into(),
            message: message.into(),
        }
    }

    /// A warning-level problem.
    pub fn warning(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Conflict => "conflict",
        };
        write!(f, "{sev}: {}: {}", self.location, self.message)
    }
}

impl Project {
    /// Soft checks on a project whose invariants already hold: spans that
    /// split a grapheme cluster (e.g. between a letter and its combining
    /// accent). These are warnings, never refusals. Unsettled merge
    /// conflicts are reported too, as [`Severity::Conflict`].
    pub fn lint(&self) -> Vec<Problem> {
        let mut problems = self.lint_records();
        problems.extend(grapheme_problems(
            self.spans().map(|s| (s.id, s.doc, s.start, s.end)),
            |d| self.document(d).map(|x| &x.text),
        ));
        problems
    }

    /// [`Project::lint`] without the grapheme checks of span ends (the
    /// loader runs those on another thread with [`grapheme_problems`]).
    pub fn lint_records(&self) -> Vec<Problem> {
        let mut problems: Vec<Problem> = self
            .conflicts()
            .iter()
            .map(|c| Problem {
                severity: Severity::Conflict,
                location: c.subject(),
                message: c.describe(),
            })
            .collect();
        for (twin, first) in self.duplicate_spans() {
            let label = self
                .span(twin)
                .map_or("span", |s| self.label_name(&s.label));
            problems.push(Problem::warning(
                format!("span {twin}"),
                format!(
                    "duplicate of span {first}: the same {label} over exactly the same text; it looks like one span and counts twice (delete one with `marginalia untag`)"
                ),
            ));
        }
        for (id, name) in self.stale() {
            let value = self
                .span(id)
                .and_then(|s| s.attrs.get(name))
                .map_or("", String::as_str);
            problems.push(Problem::warning(
                format!("span {id}"),
                format!(
                    "{name} {value} may be stale: the span's text changed after it was set by hand; set it again (or clear it) to confirm"
                ),
            ));
        }
        for orphan in self.orphans() {
            let mut quote: String = orphan.quote.chars().take(60).collect();
            if quote.len() < orphan.quote.len() {
                quote.push('…');
            }
            problems.push(Problem::warning(
                format!("span {} (document {})", orphan.span.id, orphan.span.doc),
                format!(
                    "orphaned {} “{quote}”: its text was not found when the article's text was replaced; re-attach it or discard it",
                    self.label_name(&orphan.span.label)
                ),
            ));
        }
        problems
    }
}

/// Warnings for span ends `(id, document, start, end)` that split a
/// grapheme cluster (a character and its combining marks).
pub fn grapheme_problems<'a>(
    spans: impl Iterator<Item = (SpanId, DocId, usize, usize)>,
    text_of: impl Fn(DocId) -> Option<&'a DocText>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (id, doc, start, end) in spans {
        let Some(text) = text_of(doc) else { continue };
        let (start_ok, end_ok) = text.ends_on_graphemes(start, end);
        for (name, at, ok) in [("start", start, start_ok), ("end", end, end_ok)] {
            if !ok {
                problems.push(Problem::warning(
                    format!("span {id}"),
                    format!("{name} offset {at} splits a grapheme cluster (a character and its combining marks)"),
                ));
            }
        }
    }
    problems
}
