//! Documents, spans and links: the annotated data.

use super::ids::{DocId, EventId, LabelId, LinkId, SpanId};
use super::text::{DocText, text_hash};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thin_vec::ThinVec;

/// One article. Its text never changes after import, so spans stay anchored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable id.
    pub id: DocId,
    /// Display title.
    pub title: String,
    /// Where the text came from: a file path or a URL.
    pub origin: Option<String>,
    /// The stored text (normalised: no BOM, LF line endings).
    pub text: DocText,
    /// `sha256:` hash of the text, to detect edits made outside Marginalia.
    pub hash: String,
    /// The file stem it was imported from (`000-introduction` for a brat
    /// pair), which exports reuse; None for typed or pasted articles.
    pub stem: Option<String>,
    /// How far the analyst has got with it.
    pub status: DocStatus,
    /// Where the article came from (URL, author, date…), when it was read
    /// from a web page, PDF, Word file or the like; None for plain text
    /// typed, pasted or read before this was kept.
    pub source: Option<Box<Provenance>>,
}

/// Where an article came from, as read from the page or file (and as the
/// analyst corrected it). Every field may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The article's address: canonical, else `og:url`, else where it was
    /// fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The headline as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Bylines, one per author.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Publication date or time as the page gives it (ISO 8601 when it
    /// does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The site or publisher's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Language tag (`en`, `ko-KR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// What it was read from: `html`, `pdf`, `docx`, `odt`, `epub`,
    /// `markdown` or `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The character encoding the bytes were read in (`UTF-8`,
    /// `windows-1252`, `EUC-KR`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The original file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// When it was added to the project (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<String>,
    /// SHA-256 of the original bytes, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Provenance {
    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Provenance::default()
    }

    /// What an article's provenance becomes when its text is read again
    /// from `newer` (a newer saved page of the same article): the file's
    /// facts (format, encoding, file name, time added, hash) are the newer
    /// file's; what the article is (address, title, authors, date, site,
    /// language) stays as recorded, perhaps corrected by hand, and is
    /// filled from `newer` only where nothing was recorded.
    pub fn updated_by(&self, newer: &Provenance) -> Provenance {
        let keep = |old: &Option<String>, new: &Option<String>| old.clone().or_else(|| new.clone());
        Provenance {
            url: keep(&self.url, &newer.url),
            title: keep(&self.title, &newer.title),
            authors: if self.authors.is_empty() {
                newer.authors.clone()
            } else {
                self.authors.clone()
            },
            published: keep(&self.published, &newer.published),
            site: keep(&self.site, &newer.site),
            language: keep(&self.language, &newer.language),
            format: newer.format.clone(),
            encoding: newer.encoding.clone(),
            file_name: newer.file_name.clone(),
            added: newer.added.clone(),
            sha256: newer.sha256.clone(),
        }
    }
}

/// How far the analyst has got with an article. The first edit in a `New`
/// article makes it `InProgress`; `Done` and `Skipped` are set by hand.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum DocStatus {
    /// Not touched yet.
    #[default]
    New,
    /// Edited, not finished.
    InProgress,
    /// Finished.
    Done,
    /// Left out on purpose.
    Skipped,
}

impl DocStatus {
    /// Every status, in the order of work.
    pub const ALL: [DocStatus; 4] = [
        DocStatus::New,
        DocStatus::InProgress,
        DocStatus::Done,
        DocStatus::Skipped,
    ];

    /// `new`, `in-progress`, `done` or `skipped`: the spelling of files,
    /// exports and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in-progress",
            DocStatus::Done => "done",
            DocStatus::Skipped => "skipped",
        }
    }

    /// The status spelled as [`DocStatus::as_str`] spells it.
    pub fn parse(text: &str) -> Option<DocStatus> {
        DocStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Done or skipped: nothing left to do in it.
    pub fn is_finished(self) -> bool {
        matches!(self, DocStatus::Done | DocStatus::Skipped)
    }

    /// For people: "New", "In progress", "Done", "Skipped".
    pub fn title(self) -> &'static str {
        match self {
            DocStatus::New => "New",
            DocStatus::InProgress => "In progress",
            DocStatus::Done => "Done",
            DocStatus::Skipped => "Skipped",
        }
    }
}

impl std::fmt::Display for DocStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Document {
    /// Builds a document and computes its hash.
    pub fn new(id: DocId, title: &str, origin: Option<String>, text: &str) -> Self {
        Document {
            id,
            title: title.to_string(),
            origin,
            hash: text_hash(text),
            text: DocText::new(text),
            stem: None,
            status: DocStatus::New,
            source: None,
        }
    }
}

impl Document {
    /// Builds a document from parts already computed (the loader hashes on
    /// another thread and fills the hash in with `set_document_hash`).
    pub fn from_parts(
        id: DocId,
        title: &str,
        origin: Option<String>,
        text: DocText,
        hash: String,
    ) -> Self {
        Document {
            id,
            title: title.to_string(),
            origin,
            text,
            hash,
            stem: None,
            status: DocStatus::New,
            source: None,
        }
    }
}

/// A fragment of a span: a half-open code-point range `(start, end)`.
pub type Fragment = (usize, usize);

/// A tagged half-open range `[start, end)` of code points in one document,
/// or several ordered, non-overlapping fragments of one (a discontinuous
/// span: "…," the official said, "…").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Stable id, unique in the project.
    pub id: SpanId,
    /// The document the span belongs to.
    pub doc: DocId,
    /// The label from the schema.
    pub label: LabelId,
    /// First code point covered.
    pub start: usize,
    /// One past the last code point covered (`start < end`).
    pub end: usize,
    /// Free-text note by the analyst.
    pub note: Option<String>,
    /// Creation time, RFC 3339 UTC (e.g. `2026-11-23T01:02:03Z`). Held
    /// inline up to 24 bytes: no allocation per span for the usual stamp.
    pub created: CompactString,
    /// Every fragment, in order, when there are two or more; empty for a
    /// contiguous span. `start`/`end` are then the first fragment's start
    /// and the last one's end (the extent).
    /// A thin vector (one pointer): nearly every span has none.
    pub fragments: ThinVec<Fragment>,
    /// Attribute values by name, as declared by the label.
    pub attrs: Attrs,
}

/// A span's attribute values by name: a map behind one pointer, absent
/// while empty (most spans have none, and a book has 500k spans). Reads
/// and writes go through the map (`Deref`/`DerefMut`).
#[derive(Debug, Clone, Default)]
// Boxed on purpose: 8 bytes in every span instead of the map's 24.
#[allow(clippy::box_collection)]
pub struct Attrs(Option<Box<BTreeMap<String, String>>>);

/// The map an empty [`Attrs`] reads as.
static NO_ATTRS: BTreeMap<String, String> = BTreeMap::new();

impl std::ops::Deref for Attrs {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&NO_ATTRS)
    }
}

impl std::ops::DerefMut for Attrs {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<BTreeMap<String, String>> for Attrs {
    fn from(map: BTreeMap<String, String>) -> Self {
        Attrs((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl FromIterator<(String, String)> for Attrs {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        BTreeMap::from_iter(iter).into()
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl PartialEq for Attrs {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Attrs {}

impl Serialize for Attrs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Attrs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(d).map(Attrs::from)
    }
}

impl Span {
    /// A contiguous span with no attributes.
    pub fn new(
        id: SpanId,
        doc: DocId,
        label: LabelId,
        range: std::ops::Range<usize>,
        note: Option<String>,
        created: impl Into<CompactString>,
    ) -> Self {
        Span {
            id,
            doc,
            label,
            start: range.start,
            end: range.end,
            note,
            created: created.into(),
            fragments: ThinVec::new(),
            attrs: Attrs::default(),
        }
    }

    /// The span's extent (all of it, for a contiguous span).
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Its fragments, in order, without allocating: the extent alone for
    /// a contiguous span.
    pub fn fragments_iter(&self) -> impl Iterator<Item = Fragment> + '_ {
        let whole = self.fragments.is_empty().then_some((self.start, self.end));
        whole.into_iter().chain(self.fragments.iter().copied())
    }

    /// Puts it on `fragments` (ordered; one fragment makes it contiguous):
    /// the extent follows the first and last. False, unchanged, when the
    /// list is empty.
    pub fn set_fragments(&mut self, fragments: Vec<Fragment>) -> bool {
        let (Some(first), Some(last)) = (fragments.first(), fragments.last()) else {
            return false;
        };
        self.start = first.0;
        self.end = last.1;
        self.fragments = if fragments.len() > 1 {
            fragments.into()
        } else {
            ThinVec::new()
        };
        true
    }

    /// Its fragments as a list (for edits that change them).
    pub fn fragment_list(&self) -> Vec<Fragment> {
        self.fragments_iter().collect()
    }

    /// The text it covers; fragments joined with " … ".
    pub fn quote(&self, text: &DocText) -> String {
        self.fragments_iter()
            .map(|(a, b)| text.slice(a..b))
            .collect::<Vec<_>>()
            .join(" … ")
    }

    /// True when it has two or more fragments.
    pub fn is_discontinuous(&self) -> bool {
        self.fragments.len() > 1
    }
}

/// An n-ary relation, as brat's `E` lines: a typed trigger span with
/// role-labelled arguments, e.g. `Attribution` with Source, Cue, Content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable id.
    pub id: EventId,
    /// Event type.
    pub kind: String,
    /// The trigger span.
    pub trigger: SpanId,
    /// (role, argument), in order; a role may repeat. An argument is a
    /// span or, as brat allows, another event of the same document.
    pub args: Vec<(String, Target)>,
    /// Attribute values by name (brat `A` lines on events).
    pub attrs: BTreeMap<String, String>,
}

/// A directed link between two spans, e.g. claim `attributed_to` source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Stable id.
    pub id: LinkId,
    /// Source end of the link (typically a claim or figure).
    pub from: SpanId,
    /// Target end of the link (typically a source attribution).
    pub to: SpanId,
    /// Link type, e.g. `attributed_to`.
    pub kind: String,
}

/// What a note-like record or an event argument points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    /// A span (brat `T`).
    Span(SpanId),
    /// An event (brat `E`).
    Event(EventId),
}

/// brat records kept so that a corpus round-trips unchanged: normalisations
/// (`N`), notes of any type but `AnnotatorNotes` (`#`), and equivalences
/// (`*`). They follow their spans: deleting a span deletes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Extra {
    /// A link to an external resource, e.g. `Reference T1 Wikipedia:534366`.
    Normalization {
        /// What is normalised.
        target: Target,
        /// Its type, e.g. `Reference`.
        kind: String,
        /// `database:id`.
        reference: String,
        /// The resource's text.
        text: String,
    },
    /// A note of a type other than `AnnotatorNotes`.
    Comment {
        /// What it is about.
        target: Target,
        /// Its type.
        kind: String,
        /// The text.
        text: String,
    },
    /// Spans that denote the same thing, e.g. `Equiv T1 T2`.
    Equivalence {
        /// Its type, e.g. `Equiv`.
        kind: String,
        /// The spans.
        members: Vec<SpanId>,
    },
}

impl Extra {
    /// The spans and events it refers to.
    pub fn targets(&self) -> Vec<Target> {
        match self {
            Extra::Normalization { target, .. } | Extra::Comment { target, .. } => vec![*target],
            Extra::Equivalence { members, .. } => {
                members.iter().map(|m| Target::Span(*m)).collect()
            }
        }
    }

    /// True when it refers to `t`.
    pub fn refers_to(&self, t: Target) -> bool {
        self.targets().contains(&t)
    }

    /// The same record pointing at `map(target)`; None when a target has
    /// no image (a merge renumbers ids this way).
    pub fn map_targets(&self, map: impl Fn(Target) -> Option<Target>) -> Option<Extra> {
        let mut out = self.clone();
        match &mut out {
            Extra::Normalization { target, .. } | Extra::Comment { target, .. } => {
                *target = map(*target)?;
            }
            Extra::Equivalence { members, .. } => {
                for m in members.iter_mut() {
                    match map(Target::Span(*m))? {
                        Target::Span(s) => *m = s,
                        Target::Event(_) => return None,
                    }
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_file_brings_its_facts_and_fills_only_what_was_missing() {
        let recorded = Provenance {
            url: Some("https://news.example/a".into()),
            authors: vec!["Corrected By Hand".into()],
            format: Some("html".into()),
            sha256: Some("old".into()),
            file_name: Some("a.html".into()),
            ..Provenance::default()
        };
        let newer = Provenance {
            url: Some("https://news.example/a?amp".into()),
            title: Some("Headline".into()),
            authors: vec!["Byline".into()],
            format: Some("pdf".into()),
            sha256: Some("new".into()),
            file_name: Some("a.pdf".into()),
            added: Some("2026-12-07T00:00:00Z".into()),
            ..Provenance::default()
        };
        let now = recorded.updated_by(&newer);
        assert_eq!(now.url, recorded.url);
        assert_eq!(now.authors, recorded.authors);
        assert_eq!(now.title.as_deref(), Some("Headline"), "filled in");
        assert_eq!(now.format.as_deref(), Some("pdf"));
        assert_eq!(now.sha256.as_deref(), Some("new"));
        assert_eq!(now.file_name.as_deref(), Some("a.pdf"));
        assert_eq!(now.added, newer.added);
    }
}
