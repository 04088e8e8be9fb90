//! What the suggestion engine keeps in a project: the project's own
//! patterns, and the suggestions a user rejected (so they never return).

use super::ids::{DocId, LabelId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A project pattern: text (or a regex) to suggest as a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    /// The literal text, or the regex (`regex` crate syntax).
    pub text: String,
    /// True when `text` is a regex.
    #[serde(default)]
    pub regex: bool,
    /// Match case exactly (literal patterns ignore case by default).
    #[serde(default)]
    pub case_sensitive: bool,
    /// The label to suggest.
    pub label: LabelId,
    /// Attribute values an accepted suggestion gets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// A rejected suggestion: this label on exactly this text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Rejection {
    /// The article.
    pub doc: DocId,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The label that was suggested.
    pub label: LabelId,
}
