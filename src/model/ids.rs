//! Stable identifiers. Ids are allocated from per-project counters and are
//! never reused, so project-file diffs stay clean across undo and delete.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

numeric_id!(
    /// Identifies a document within a project.
    DocId
);
numeric_id!(
    /// Identifies a span within a project (unique across all documents).
    SpanId
);
numeric_id!(
    /// Identifies a link within a project.
    LinkId
);
numeric_id!(
    /// Identifies an event (an n-ary relation) within a project.
    EventId
);
numeric_id!(
    /// Identifies an entry of the project's source registry.
    SourceId
);

/// Identifies a label in the schema, for example `claim` or `Organization`.
/// Label ids are short ASCII words (letters, digits, `_ - . :`, starting with
/// a letter or digit) so that they survive every export format, brat
/// included, with their exact spelling.
///
/// The text is shared: a project's spans hold clones of their schema
/// label's id (16 bytes and no allocation each; a book has 500k spans).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LabelId(pub Arc<str>);

impl Serialize for LabelId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LabelId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| LabelId(s.into()))
    }
}

impl LabelId {
    /// Builds a label id, checking its syntax.
    pub fn new(id: &str) -> Result<Self, String> {
        let valid_start = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        let valid_rest = id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        if valid_start && valid_rest && id.len() <= 64 {
            Ok(LabelId(id.into()))
        } else {
            Err(format!(
                "label id {id:?} must be 1-64 characters of A-Z, a-z, 0-9, '_', '-', '.' or ':', starting with a letter or digit"
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LabelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The next id each counter will hand out. Persisted in the project file so
/// that ids of deleted items are never handed out again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextIds {
    /// Next document id.
    pub document: u64,
    /// Next span id.
    pub span: u64,
    /// Next link id.
    pub link: u64,
    /// Next event id (absent in files written before events).
    #[serde(default = "one")]
    pub event: u64,
    /// Next source-registry id (absent in files written before the
    /// registry, and left out while no source was ever added).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub source: u64,
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

fn one() -> u64 {
    1
}

impl Default for NextIds {
    fn default() -> Self {
        NextIds {
            document: 1,
            span: 1,
            link: 1,
            event: 1,
            source: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_id_syntax() {
        assert!(LabelId::new("claim").is_ok());
        assert!(LabelId::new("org_2").is_ok());
        assert!(LabelId::new("").is_err());
        // brat type names keep their spelling.
        assert!(LabelId::new("Organization").is_ok());
        assert!(LabelId::new("Cause-Effect").is_ok());
        assert!(LabelId::new("ORG").is_ok());
        assert!(LabelId::new("Entity.Person:1").is_ok());
        assert!(LabelId::new("has space").is_err());
        assert!(LabelId::new("_x").is_err());
        assert!(LabelId::new("x/y").is_err());
    }
}
