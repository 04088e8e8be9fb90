//! RON project files: versioned, validated on load, written atomically.
//!
//! File layout (version 3): a RON struct whose first field is `version`,
//! then the name, the id counters, the label schema, the link types with
//! the labels each may connect (`link_types`; absent in older files, where
//! the default `attributed_to` rule applies), the documents (with their full
//! text, so a project is self-contained, and the file stem each came from),
//! the spans as compact one-line tuples `(id, document, label, start, end,
//! created, note, fragments, attributes)`, the links as `(id, from, to,
//! type)`, and the events as `(id, type, trigger, [(role, span)],
//! attributes)`. Records are sorted by id, so saving twice gives identical
//! bytes and one new span adds one line. After them come the optional
//! sections: extras, patterns, rejected suggestions, conflicts, orphans,
//! the project's `settings` and the `stale` attribute values. Version 4
//! adds the sourcing roles (`sourcing`: which labels are claims, figures and
//! sources, which relations attribute), the source registry (`sources`) and
//! which entry each source span mentions (`mentions`, `(span, entry)`).
//! Version 1 files (spans without the last two fields, no events), version
//! 2 files (no settings, nothing stale) and version 3 files (a `kind`
//! attribute on source spans instead of a registry) open through explicit
//! migrations.

mod atomic;
mod error;
mod fast;
pub mod origins;

pub use atomic::{atomic_write, atomic_write_with, remove_stale_temp_files, replace_without_sync};
pub use error::StoreError;

use crate::model::{
    Alternative, AttrKind, Conflict, DocId, DocStatus, DocText, Document, Edit, Event, EventId,
    Extra, Fragment, Identification, Label, LabelId, Link, LinkId, LinkType, NextIds, Orphan,
    Pattern, Problem, Project, Provenance, Rejection, SOURCE, Settings, Severity, Side,
    SourceEntry, SourceId, SourceKind, Sourcing, Span, SpanId, Target, default_link_types,
    default_sourcing, guess_identification, is_bare_reference, name_key, text::normalize_newlines,
    text::text_hash,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The newest file version this build reads and the one it writes.
/// Version 1 (no fragments, attributes, events or stems) still opens: each
/// span becomes one fragment with no attributes. Version 2 (no settings,
/// nothing marked stale) opens with the default settings.
pub const FORMAT_VERSION: u32 = 4;

/// The oldest version whose files read as the current record layout
/// (later versions only added optional sections; see [`migrate_v2`] and
/// [`migrate_source_kinds`]).
const OLDEST_SAME_LAYOUT: u32 = 2;

/// Files larger than this are refused before parsing, to keep memory bounded.
pub const MAX_PROJECT_BYTES: u64 = 1 << 30;

/// The first line of every project file; its start is what the desktop's
/// MIME type recognises a project by (`packaging/linux/*.xml`).
pub const HEADER: &str =
    "// Marginalia project. Span offsets are Unicode code points, half-open [start, end).\n";
const SPANS_COMMENT: &str =
    "    // (id, document, label, start, end, created, note, fragments, attributes)\n";
const EVENTS_COMMENT: &str = "    // (id, type, trigger span, [(role, span)], attributes)\n";
const LINKS_COMMENT: &str = "    // (id, from span, to span, type)\n";

#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    name: &'a str,
    next_ids: NextIds,
    labels: &'a [Label],
    link_types: &'a [LinkType],
    sourcing: &'a Sourcing,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<&'a SourceEntry>,
    documents: Vec<DocOut<'a>>,
    spans: Vec<SpanRecordV2<'a>>,
    links: Vec<LinkRecord<&'a str>>,
    events: Vec<EventRecord<'a>>,
    /// (source span, registry entry).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<(SpanId, SourceId)>,
    #[serde(skip_serializing_if = "<[Extra]>::is_empty")]
    extras: &'a [Extra],
    #[serde(skip_serializing_if = "<[Pattern]>::is_empty")]
    patterns: &'a [Pattern],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<RejectionRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<ConflictOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    orphans: Vec<OrphanOut<'a>>,
    #[serde(skip_serializing_if = "Settings::is_default")]
    settings: &'a Settings,
    /// (span, attribute) values that may be stale.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stale: Vec<(SpanId, &'a str)>,
}

/// An orphan: the span record as it was, its last quote, and the links,
/// events and extra records it parks.
#[derive(Serialize)]
struct OrphanOut<'a> {
    span: SpanRecordV2<'a>,
    quote: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkRecord<&'a str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<EventRecord<'a>>,
    #[serde(skip_serializing_if = "<[Extra]>::is_empty")]
    extras: &'a [Extra],
}

#[derive(Deserialize)]
struct OrphanIn {
    span: SpanRecordV2In,
    quote: String,
    #[serde(default)]
    links: Vec<LinkRecord<String>>,
    #[serde(default)]
    events: Vec<EventRecordIn>,
    #[serde(default)]
    extras: Vec<Extra>,
}

/// A rejected suggestion: `(document, start, end, label)`.
#[derive(Serialize, Deserialize)]
struct RejectionRecord(DocId, usize, usize, LabelId);

#[derive(Serialize)]
struct DocOut<'a> {
    id: DocId,
    title: &'a str,
    origin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stem: Option<&'a str>,
    #[serde(skip_serializing_if = "is_new")]
    status: DocStatus,
    /// Written on the document's line (the depth limit keeps it there).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a Provenance>,
    hash: &'a str,
    text: &'a str,
}

/// A project file as read; `S` is the span record of its version.
#[derive(Deserialize)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
struct FileIn<S> {
    version: u32,
    name: String,
    #[serde(default)]
    next_ids: NextIds,
    labels: Vec<Label>,
    /// Absent (None) in files written before link rules: the defaults
    /// apply. Written as a plain list, so present means `Some`.
    #[serde(default, deserialize_with = "present")]
    link_types: Option<Vec<LinkType>>,
    /// Absent before version 4: the defaults for the schema apply.
    #[serde(default, deserialize_with = "present")]
    sourcing: Option<Sourcing>,
    #[serde(default)]
    sources: Vec<SourceEntry>,
    documents: Vec<DocIn>,
    #[serde(default)]
    spans: Vec<S>,
    #[serde(default)]
    links: Vec<LinkRecord<String>>,
    #[serde(default)]
    events: Vec<EventRecordIn>,
    #[serde(default)]
    mentions: Vec<(SpanId, SourceId)>,
    #[serde(default)]
    extras: Vec<Extra>,
    #[serde(default)]
    patterns: Vec<Pattern>,
    #[serde(default)]
    rejected: Vec<RejectionRecord>,
    #[serde(default)]
    conflicts: Vec<ConflictIn>,
    #[serde(default)]
    orphans: Vec<OrphanIn>,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    stale: Vec<(SpanId, String)>,
}

/// Version 2 → 3: the settings and the stale marks are new, optional
/// sections, so a version 2 file reads as a version 3 file with the default
/// settings and nothing marked stale. Nothing else changed. (Version 3 → 4
/// needs the built project: [`migrate_source_kinds`].)
fn migrate_v2<S>(file: FileIn<S>) -> FileIn<S> {
    FileIn {
        version: 3,
        settings: Settings::default(),
        stale: Vec::new(),
        ..file
    }
}

impl<S> FileIn<S> {
    /// The same file with each span record converted.
    fn map_spans<T>(self, convert: impl FnMut(S) -> T) -> FileIn<T> {
        FileIn {
            version: self.version,
            name: self.name,
            next_ids: self.next_ids,
            labels: self.labels,
            link_types: self.link_types,
            sourcing: self.sourcing,
            sources: self.sources,
            documents: self.documents,
            spans: self.spans.into_iter().map(convert).collect(),
            links: self.links,
            events: self.events,
            mentions: self.mentions,
            extras: self.extras,
            patterns: self.patterns,
            rejected: self.rejected,
            conflicts: self.conflicts,
            orphans: self.orphans,
            settings: self.settings,
            stale: self.stale,
        }
    }
}

/// True for the default status, which files leave out.
fn is_new(status: &DocStatus) -> bool {
    *status == DocStatus::New
}

/// Deserialises a field that is present as `Some(value)`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct DocIn {
    id: DocId,
    title: String,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    stem: Option<String>,
    #[serde(default)]
    status: DocStatus,
    #[serde(default)]
    source: Option<Provenance>,
    #[serde(default)]
    hash: String,
    text: String,
}

/// Version 1: `(id, document, label, start, end, created, note)`.
#[derive(Deserialize)]
struct SpanRecordV1(SpanId, DocId, String, usize, usize, String, Option<String>);

/// Version 2: `(id, document, label, start, end, created, note, fragments,
/// attributes)`; fragments `[]` for a contiguous span.
#[derive(Serialize)]
struct SpanRecordV2<'a>(
    SpanId,
    DocId,
    &'a str,
    usize,
    usize,
    &'a str,
    Option<&'a str>,
    &'a [Fragment],
    &'a BTreeMap<String, String>,
);

#[derive(Deserialize)]
struct SpanRecordV2In(
    SpanId,
    DocId,
    LabelId,
    usize,
    usize,
    compact_str::CompactString,
    Option<String>,
    Vec<Fragment>,
    BTreeMap<String, String>,
);

impl From<SpanRecordV1> for SpanRecordV2In {
    /// The migration: one fragment, no attributes.
    fn from(r: SpanRecordV1) -> Self {
        SpanRecordV2In(
            r.0,
            r.1,
            LabelId(r.2.into()),
            r.3,
            r.4,
            r.5.into(),
            r.6,
            Vec::new(),
            BTreeMap::new(),
        )
    }
}

/// A merge conflict: `(fields: [...], standing: Ours|Theirs, other: ...)`,
/// the other version being `Span(id, Some(span record))`, `Label(id,
/// Some(label))` or `Document(id, Some(title))`, `None` when that side
/// deleted it.
#[derive(Serialize)]
struct ConflictOut<'a> {
    fields: &'a [String],
    standing: Side,
    other: AlternativeOut<'a>,
}

#[derive(Serialize)]
enum AlternativeOut<'a> {
    Span(SpanId, Option<SpanRecordV2<'a>>),
    Label(&'a str, Option<&'a Label>),
    Document(DocId, Option<&'a str>),
    Status(DocId, DocStatus),
}

#[derive(Deserialize)]
struct ConflictIn {
    fields: Vec<String>,
    standing: Side,
    other: AlternativeIn,
}

#[derive(Deserialize)]
enum AlternativeIn {
    Span(SpanId, Option<SpanRecordV2In>),
    Label(String, Option<Label>),
    Document(DocId, Option<String>),
    Status(DocId, DocStatus),
}

fn span_record(s: &Span) -> SpanRecordV2<'_> {
    SpanRecordV2(
        s.id,
        s.doc,
        s.label.as_str(),
        s.start,
        s.end,
        s.created.as_str(),
        s.note.as_deref(),
        &s.fragments,
        &s.attrs,
    )
}

fn event_record(e: &Event) -> EventRecord<'_> {
    let args = e.args.iter().map(|(r, t)| (r.as_str(), ArgRecord(*t)));
    EventRecord(e.id, &e.kind, e.trigger, args.collect(), &e.attrs)
}

fn event_from_record(r: EventRecordIn) -> Event {
    let EventRecordIn(id, kind, trigger, args, attrs) = r;
    Event {
        id,
        kind,
        trigger,
        args: args.into_iter().map(|(r, a)| (r, a.0)).collect(),
        attrs,
    }
}

fn orphan_from_record(r: OrphanIn) -> Orphan {
    Orphan {
        span: span_from_record(r.span),
        quote: r.quote,
        links: r
            .links
            .into_iter()
            .map(|LinkRecord(id, from, to, kind)| Link { id, from, to, kind })
            .collect(),
        events: r.events.into_iter().map(event_from_record).collect(),
        extras: r.extras,
    }
}

fn span_from_record(r: SpanRecordV2In) -> Span {
    let SpanRecordV2In(id, doc, label, start, end, created, note, fragments, attrs) = r;
    let mut span = Span::new(id, doc, label, start..end, note, created);
    span.fragments = fragments.into();
    span.attrs = attrs.into();
    span
}

impl<'a> ConflictOut<'a> {
    fn new(c: &'a Conflict) -> Self {
        let other = match &c.other {
            Alternative::Span(id, s) => AlternativeOut::Span(*id, s.as_ref().map(span_record)),
            Alternative::Label(id, l) => AlternativeOut::Label(id.as_str(), l.as_ref()),
            Alternative::Document(id, t) => AlternativeOut::Document(*id, t.as_deref()),
            Alternative::Status(id, s) => AlternativeOut::Status(*id, *s),
        };
        ConflictOut {
            fields: &c.fields,
            standing: c.standing,
            other,
        }
    }
}

impl From<ConflictIn> for Conflict {
    fn from(c: ConflictIn) -> Self {
        let other = match c.other {
            AlternativeIn::Span(id, s) => Alternative::Span(id, s.map(span_from_record)),
            AlternativeIn::Label(id, l) => Alternative::Label(LabelId(id.into()), l),
            AlternativeIn::Document(id, t) => Alternative::Document(id, t),
            AlternativeIn::Status(id, s) => Alternative::Status(id, s),
        };
        Conflict {
            fields: c.fields,
            standing: c.standing,
            other,
        }
    }
}

/// `(id, type, trigger, [(role, span)], attributes)`.
#[derive(Serialize)]
struct EventRecord<'a>(
    EventId,
    &'a str,
    SpanId,
    Vec<(&'a str, ArgRecord)>,
    &'a BTreeMap<String, String>,
);

#[derive(Deserialize)]
struct EventRecordIn(
    EventId,
    String,
    SpanId,
    Vec<(String, ArgRecord)>,
    BTreeMap<String, String>,
);

/// An event argument in the file: a span as its bare id (`("Content", 3)`,
/// as version 2 files have always written it), an event as `Event(4)`.
#[derive(Debug, Clone, Copy)]
struct ArgRecord(Target);

impl Serialize for ArgRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Target::Span(id) => id.serialize(s),
            Target::Event(id) => s.serialize_newtype_variant("Target", 1, "Event", &id),
        }
    }
}

impl<'de> Deserialize<'de> for ArgRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = ArgRecord;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a span id or Event(id)")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ArgRecord, E> {
                Ok(ArgRecord(Target::Span(SpanId(v))))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ArgRecord, E> {
                u64::try_from(v)
                    .map(|v| ArgRecord(Target::Span(SpanId(v))))
                    .map_err(|_| E::custom(format!("span id {v} is negative")))
            }
            // RON reads `Event(4)` through `deserialize_any` as a one-item
            // sequence (the variant name is not passed on).
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ArgRecord, A::Error> {
                let id: EventId = seq
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::custom("Event() needs an event id"))?;
                Ok(ArgRecord(Target::Event(id)))
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(
                self,
                data: A,
            ) -> Result<ArgRecord, A::Error> {
                Target::deserialize(serde::de::value::EnumAccessDeserializer::new(data))
                    .map(ArgRecord)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// `(id, from, to, type)`.
#[derive(Serialize, Deserialize)]
struct LinkRecord<S>(LinkId, SpanId, SpanId, S);

/// A project read from disk, with any warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The validated project.
    pub project: Project,
    /// Non-fatal problems (e.g. a span that splits a grapheme cluster).
    pub warnings: Vec<Problem>,
}

/// Serialises a project to the canonical RON text (LF line endings).
pub fn to_ron_string(project: &Project) -> Result<String, ron::Error> {
    to_ron_string_with(project, true)
}

/// `fast`: span and link lines written by hand (the same bytes as `ron`,
/// which writes them when false; the tests compare the two).
fn to_ron_string_with(project: &Project, fast: bool) -> Result<String, ron::Error> {
    let out = skeleton(project, fast)?;
    if !fast {
        return Ok(out);
    }
    let mut full = String::with_capacity(out.len() + bulk_size(project));
    let _ = write_bulk(project, &out, &mut |piece| {
        full.push_str(piece);
        Ok(())
    });
    Ok(full)
}

/// `ron`'s output with the header and field comments; when `fast`, the
/// texts are `""` and the span and link lists `[]` (see [`write_bulk`]).
fn skeleton(project: &Project, fast: bool) -> Result<String, ron::Error> {
    let file = FileOut {
        version: FORMAT_VERSION,
        name: project.name(),
        next_ids: project.next_ids(),
        labels: project.labels(),
        link_types: project.link_types(),
        sourcing: project.sourcing(),
        sources: project.sources().collect(),
        // Written by hand below when fast (`ron` escapes char by char
        // through a formatter, and a corpus has thousands of records).
        documents: if fast {
            Vec::new()
        } else {
            project.documents().map(doc_record).collect()
        },
        // The bulk is written by hand below, line for line as `ron` would.
        spans: if fast {
            Vec::new()
        } else {
            project.spans().map(span_record).collect()
        },
        links: if fast {
            Vec::new()
        } else {
            project
                .links()
                .map(|l| LinkRecord(l.id, l.from, l.to, l.kind.as_str()))
                .collect()
        },
        events: project.events().map(event_record).collect(),
        mentions: {
            let mut m: Vec<(SpanId, SourceId)> = project
                .mentions()
                .chain(project.orphan_mentions())
                .collect();
            m.sort_unstable();
            m
        },
        extras: project.extras(),
        patterns: project.patterns(),
        rejected: project
            .rejected()
            .iter()
            .map(|r| RejectionRecord(r.doc, r.start, r.end, r.label.clone()))
            .collect(),
        conflicts: project.conflicts().iter().map(ConflictOut::new).collect(),
        orphans: project
            .orphans()
            .map(|o| OrphanOut {
                span: span_record(&o.span),
                quote: &o.quote,
                links: o
                    .links
                    .iter()
                    .map(|l| LinkRecord(l.id, l.from, l.to, l.kind.as_str()))
                    .collect(),
                events: o.events.iter().map(event_record).collect(),
                extras: &o.extras,
            })
            .collect(),
        settings: project.settings(),
        stale: project.stale().collect(),
    };
    let mut out = ron::ser::to_string_pretty(&file, pretty_config())?;
    // Comments that name the tuple fields, right above each list.
    for (marker, comment) in [
        ("\n    events: [", EVENTS_COMMENT),
        ("\n    links: [", LINKS_COMMENT),
        ("\n    spans: [", SPANS_COMMENT),
    ] {
        if let Some(at) = out.find(marker) {
            out.insert_str(at + 1, comment);
        }
    }
    out.insert_str(0, HEADER);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

fn doc_record(d: &Document) -> DocOut<'_> {
    DocOut {
        id: d.id,
        title: &d.title,
        origin: d.origin.as_deref(),
        stem: d.stem.as_deref(),
        status: d.status,
        source: d.source.as_deref(),
        hash: &d.hash,
        text: d.text.as_str(),
    }
}

/// A document's record up to its text's opening quote, as `ron` writes it
/// on one line of the `documents` list.
fn write_doc_head(out: &mut String, d: &Document) -> Result<(), ron::Error> {
    use std::fmt::Write;
    let _ = write!(out, "        (id: {}, title: ", d.id.0);
    fast::escaped(out, &d.title);
    out.push_str(", origin: ");
    fast::escaped_option(out, d.origin.as_deref());
    if d.stem.is_some() {
        out.push_str(", stem: ");
        fast::escaped_option(out, d.stem.as_deref());
    }
    if !is_new(&d.status) {
        out.push_str(", status: ");
        out.push_str(&inline_ron(&d.status)?);
    }
    if let Some(source) = &d.source {
        out.push_str(", source: Some(");
        out.push_str(&inline_ron(source.as_ref())?);
        out.push(')');
    }
    out.push_str(", hash: ");
    fast::escaped(out, &d.hash);
    out.push_str(", text: \"");
    Ok(())
}

/// A value as `ron` writes it inside a line (past the depth limit).
fn inline_ron<T: Serialize + ?Sized>(value: &T) -> Result<String, ron::Error> {
    ron::ser::to_string_pretty(value, pretty_config().depth_limit(0))
}

/// The layout of project files.
fn pretty_config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .depth_limit(2)
        .separator(" ")
        .escape_strings(true)
}

/// About how many bytes the texts, spans and links add to the skeleton.
fn bulk_size(project: &Project) -> usize {
    let texts: usize = project.documents().map(|d| d.text.as_str().len()).sum();
    texts
        + texts / 16
        + project.documents().len() * 200
        + project.spans().len() * 90
        + project.links().len() * 45
}

/// Writes the file: the skeleton (`ron`'s output with the texts `""` and
/// the span and link lists `[]`) with the bulk written in place, in pieces
/// of about a megabyte handed to `sink`.
fn write_bulk(
    project: &Project,
    skeleton: &str,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    enum Bulk {
        Documents,
        Spans,
        Links,
    }
    const PIECE: usize = 1 << 20;
    let mut cuts: Vec<(usize, Bulk)> = Vec::new();
    for (marker, bulk, count) in [
        (
            "\n    documents: [],",
            Bulk::Documents,
            project.documents().len(),
        ),
        ("\n    spans: [],", Bulk::Spans, project.spans().len()),
        ("\n    links: [],", Bulk::Links, project.links().len()),
    ] {
        if count > 0
            && let Some(at) = skeleton.find(marker)
        {
            cuts.push((at + marker.len() - 3, bulk));
        }
    }
    cuts.sort_by_key(|c| c.0);
    let mut buf = String::with_capacity(PIECE + PIECE / 4);
    let mut flush = |buf: &mut String, force: bool| -> std::io::Result<()> {
        if force || buf.len() >= PIECE {
            sink(buf)?;
            buf.clear();
        }
        Ok(())
    };
    let mut last = 0;
    for (at, bulk) in cuts {
        buf.push_str(&skeleton[last..at]);
        match bulk {
            Bulk::Documents => {
                buf.push_str("[\n");
                for d in project.documents() {
                    write_doc_head(&mut buf, d).map_err(std::io::Error::other)?;
                    // Escaping is per char: pieces cut at char boundaries
                    // escape to the same bytes as the whole.
                    let s = d.text.as_str();
                    let mut start = 0;
                    while start < s.len() {
                        let mut end = (start + PIECE).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        fast::escape_into(&mut buf, &s[start..end]);
                        flush(&mut buf, false)?;
                        start = end;
                    }
                    buf.push_str("\"),\n");
                    flush(&mut buf, false)?;
                }
                buf.push_str("    ]");
            }
            Bulk::Spans => {
                buf.push_str("[\n");
                for s in project.spans() {
                    fast::write_span(&mut buf, s);
                    flush(&mut buf, false)?;
                }
                buf.push_str("    ]");
            }
            Bulk::Links => {
                buf.push_str("[\n");
                for l in project.links() {
                    fast::write_link(&mut buf, l);
                    flush(&mut buf, false)?;
                }
                buf.push_str("    ]");
            }
        }
        last = at + 2;
    }
    buf.push_str(&skeleton[last..]);
    flush(&mut buf, true)
}

/// Saves atomically: temp file in the same folder, fsync, rename. The
/// previous file, if any, is kept as `NAME.ron.bak`. Temp files left by
/// an earlier save that was killed are removed first.
pub fn save(project: &Project, path: &Path) -> Result<(), StoreError> {
    let skeleton = skeleton(project, true).map_err(|e| StoreError::Serialize {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    // Temp files of a save that was killed are cleaned up here.
    remove_stale_temp_files(path);
    // Streamed: a book's file is never whole in memory.
    atomic_write_with(path, true, |w| {
        write_bulk(project, &skeleton, &mut |piece| {
            w.write_all(piece.as_bytes())
        })
    })
}

/// Reads, parses and validates a project file. Any broken invariant refuses
/// the whole file with [`StoreError::Invalid`] listing every problem.
pub fn load(path: &Path) -> Result<Loaded, StoreError> {
    refuse_errors(parse_path(path)?, path)
}

/// Like [`load`] but from text already in memory; `path` names it in errors.
pub fn load_str(text: &str, path: &Path) -> Result<Loaded, StoreError> {
    refuse_errors(parse_and_check(text, path)?, path)
}

/// A loaded project, or every error-severity problem it has.
fn refuse_errors(
    (project, problems): (Project, Vec<Problem>),
    path: &Path,
) -> Result<Loaded, StoreError> {
    let (errors, warnings): (Vec<_>, Vec<_>) = problems
        .into_iter()
        .partition(|p| p.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(StoreError::Invalid {
            path: path.to_path_buf(),
            problems: errors,
        });
    }
    Ok(Loaded { project, warnings })
}

/// Loads what can be loaded of an invalid project: every record that breaks
/// an invariant is left out, and every problem (errors and warnings) is
/// returned with the project. The file is only read. Fails only when the
/// file cannot be read or parsed at all.
pub fn load_skipping_broken(path: &Path) -> Result<(Project, Vec<Problem>), StoreError> {
    parse_path(path)
}

/// Parses a file and reports every problem (errors and warnings) without
/// refusing. Fails only when the file cannot be read or parsed at all.
pub fn check(path: &Path) -> Result<Vec<Problem>, StoreError> {
    Ok(parse_path(path)?.1)
}

/// Parses and checks a project file. A canonical file is read line by line
/// (never whole in memory: a book's file is twice its text); any other is
/// read whole and parsed by `ron`, which names the line of a syntax error.
fn parse_path(path: &Path) -> Result<(Project, Vec<Problem>), StoreError> {
    check_file_size(path)?;
    let file = std::fs::File::open(path).map_err(|e| StoreError::io(path, "read", e))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let bulk = fast::read(reader).map_err(|e| StoreError::io(path, "read", e))?;
    if let Some(file) = bulk.and_then(|b| file_from_bulk(b, &ron::Options::default())) {
        let source = Source::File {
            path,
            text: std::cell::OnceCell::new(),
        };
        return Ok(build_project(file, &source));
    }
    let text = read_project_text(path)?;
    parse_and_check(&text, path)
}

/// A canonical version-2 file from its fast-read parts; None when `ron`
/// cannot read the rest or the version is another (the full parse then
/// gives the exact error or migrates).
fn file_from_bulk(bulk: fast::Bulk, options: &ron::Options) -> Option<FileIn<Span>> {
    let version = probe_version(&bulk.rest)?;
    if !(u64::from(OLDEST_SAME_LAYOUT)..=u64::from(FORMAT_VERSION)).contains(&version) {
        return None;
    }
    let mut file: FileIn<SpanRecordV2In> = options.from_str(&bulk.rest).ok()?;
    if file.version == OLDEST_SAME_LAYOUT {
        file = migrate_v2(file);
    }
    // The spans section was emptied: nothing is converted here.
    let mut file = file.map_spans(span_from_record);
    if file.documents.len() != bulk.texts.len() {
        return None;
    }
    for (doc, text) in file.documents.iter_mut().zip(bulk.texts) {
        doc.text = text;
    }
    file.spans = bulk.spans;
    file.links = bulk.links;
    Some(file)
}

/// The project file's text, for naming the line of a broken record. A file
/// read line by line is read again, whole, only when a record is broken.
enum Source<'a> {
    Text(&'a str),
    File {
        path: &'a Path,
        text: std::cell::OnceCell<String>,
    },
}

impl Source<'_> {
    fn text(&self) -> &str {
        match self {
            Source::Text(t) => t,
            Source::File { path, text } => {
                text.get_or_init(|| read_project_text(path).unwrap_or_default())
            }
        }
    }
}

/// Refuses a folder or a file over [`MAX_PROJECT_BYTES`].
fn check_file_size(path: &Path) -> Result<(), StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, "read", e))?;
    if meta.is_dir() {
        return Err(StoreError::IsDirectory(path.to_path_buf()));
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
            limit: MAX_PROJECT_BYTES,
        });
    }
    Ok(())
}

/// Reads a project file as UTF-8, stripping a BOM.
fn read_project_text(path: &Path) -> Result<String, StoreError> {
    check_file_size(path)?;
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, "read", e))?;
    let text = String::from_utf8(bytes).map_err(|e| StoreError::NotUtf8 {
        path: path.to_path_buf(),
        byte: e.utf8_error().valid_up_to(),
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Skips whitespace and RON comments.
fn skip_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(after) = t.strip_prefix("//") {
            s = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = t.strip_prefix("/*") {
            s = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return t;
        }
    }
}

/// Finds `version: N` as the first field without parsing the whole file, so
/// a file from a newer build is refused before its (unknown) body is read.
fn probe_version(text: &str) -> Option<u64> {
    let mut rest = text.trim_start_matches('\u{feff}');
    rest = skip_trivia(rest);
    // Optional struct name before the parenthesis.
    let name_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(0);
    rest = skip_trivia(&rest[name_len..]);
    rest = skip_trivia(rest.strip_prefix('(')?);
    rest = skip_trivia(rest.strip_prefix("version")?);
    rest = skip_trivia(rest.strip_prefix(':')?);
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..digits].parse().ok()
}

fn parse_and_check(text: &str, path: &Path) -> Result<(Project, Vec<Problem>), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::Empty(path.to_path_buf()));
    }
    match probe_version(text) {
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: v,
                supported: FORMAT_VERSION,
            });
        }
        Some(_) => {}
        None => {
            // Let the parser explain a syntax error if there is one.
            if let Err(e) = ron::Options::default().from_str::<ron::Value>(text) {
                return Err(StoreError::syntax(path, &e));
            }
            return Err(StoreError::NoVersion(path.to_path_buf()));
        }
    }
    let options = ron::Options::default();
    let file: FileIn<Span> = if probe_version(text) == Some(1) {
        // Version 1 migrates: one fragment per span, no attributes.
        let v1: FileIn<SpanRecordV1> = options
            .from_str(text)
            .map_err(|e| StoreError::syntax(path, &e))?;
        v1.map_spans(|r| span_from_record(r.into()))
    } else if let Some(file) = fast::split(text).and_then(|b| file_from_bulk(b, &options)) {
        // The usual file: texts, spans and links by the fast path, the
        // rest by `ron`. Otherwise a syntax error is reported from the
        // whole file, so that its line number is right.
        file
    } else {
        let file = options
            .from_str::<FileIn<SpanRecordV2In>>(text)
            .map_err(|e| StoreError::syntax(path, &e))?
            .map_spans(span_from_record);
        if file.version == OLDEST_SAME_LAYOUT {
            migrate_v2(file)
        } else {
            file
        }
    };
    if file.version == 0 {
        return Err(StoreError::NoVersion(path.to_path_buf()));
    }
    Ok(build_project(file, &Source::Text(text)))
}

/// Rebuilds the model through checked edits, collecting every problem.
fn build_project(file: FileIn<Span>, text: &Source) -> (Project, Vec<Problem>) {
    let mut problems = Vec::new();
    let link_types = file
        .link_types
        .unwrap_or_else(|| default_link_types(&file.labels));
    for t in &link_types {
        for l in t.from.iter().chain(&t.to) {
            if !file.labels.iter().any(|x| &x.id == l) {
                problems.push(Problem::warning(
                    format!("link type {:?}", t.id),
                    format!("names label {:?}, which is not in the schema", l.as_str()),
                ));
            }
        }
    }
    let sourcing = file
        .sourcing
        .unwrap_or_else(|| default_sourcing(&file.labels, &link_types));
    let mut project = Project::with_schema(&file.name, Vec::new(), link_types);
    // Cannot fail: the roles are only read (labels that are gone are ignored).
    let _ = project.apply(Edit::SetSourcing(sourcing));
    for entry in file.sources {
        let at = format!("source {}", entry.id);
        if let Err(e) = project.apply(Edit::InsertSource(entry)) {
            problems.push(Problem::error(at, e.to_string()));
        }
    }
    if file.name.trim().is_empty() {
        problems.push(Problem::warning("name", "the project name is empty"));
    }
    for (index, label) in file.labels.into_iter().enumerate() {
        let at = format!("label {:?}", label.id.as_str());
        if let Err(e) = project.apply(Edit::InsertLabel(index, label)) {
            problems.push(Problem::error(at, e.to_string()));
        }
    }
    // Normalise first; hashing 10 MB of text runs on a second thread while
    // this one builds the documents and spans.
    // Each text is moved, not copied, unless it needs normalising.
    let docs: Vec<(DocIn, DocText, bool)> = file
        .documents
        .into_iter()
        .map(|mut d| {
            let raw = std::mem::take(&mut d.text);
            let changed = matches!(normalize_newlines(&raw), std::borrow::Cow::Owned(_));
            let text = if changed {
                normalize_newlines(&raw).into_owned()
            } else {
                raw
            };
            (d, DocText::new(text), changed)
        })
        .collect();
    let texts: Vec<DocText> = docs.iter().map(|(_, t, _)| t.clone()).collect();
    let (hashes, project_problems) = std::thread::scope(|scope| {
        let hasher = scope.spawn(|| {
            texts
                .iter()
                .map(|t| text_hash(t.as_str()))
                .collect::<Vec<String>>()
        });
        let mut problems = Vec::new();
        for (doc, normalised, changed) in &docs {
            let at = format!("document {}", doc.id);
            if *changed {
                problems.push(Problem::warning(
                    at.clone(),
                    "the text has CR line endings or a BOM; they were normalised, so offsets may have moved",
                ));
            }
            let mut document = Document::from_parts(
                doc.id,
                &doc.title,
                doc.origin.clone(),
                normalised.clone(),
                String::new(),
            );
            document.stem = doc.stem.clone();
            document.status = doc.status;
            document.source = doc.source.clone().map(Box::new);
            if let Err(e) = project.apply(Edit::InsertDocument(document)) {
                problems.push(Problem::error(at, e.to_string()));
            }
        }
        build_spans_and_links(&mut project, file.spans, file.links, text, &mut problems);
        build_events(&mut project, file.events, text, &mut problems);
        for (i, extra) in file.extras.into_iter().enumerate() {
            if let Err(e) = project.apply(Edit::InsertExtra(i, extra)) {
                problems.push(Problem::error(
                    format!("extra record {}", i + 1),
                    e.to_string(),
                ));
            }
        }
        for (i, pattern) in file.patterns.into_iter().enumerate() {
            if let Err(e) = project.apply(Edit::InsertPattern(i, pattern)) {
                problems.push(Problem::error(format!("pattern {}", i + 1), e.to_string()));
            }
        }
        for RejectionRecord(doc, start, end, label) in file.rejected {
            let r = Rejection {
                doc,
                start,
                end,
                label,
            };
            // A rejection is only a memory: one that no longer fits is dropped.
            let _ = project.apply(Edit::SetRejected(r, true));
        }
        for record in file.orphans {
            let orphan = orphan_from_record(record);
            let id = orphan.span.id;
            if let Err(e) = project.apply(Edit::InsertOrphan(orphan)) {
                problems.push(Problem::error(format!("orphan {id}"), e.to_string()));
            }
        }
        for (span, source) in file.mentions {
            if let Err(e) = project.apply(Edit::SetMention(span, Some(source))) {
                problems.push(Problem::error(
                    format!("mention of source {source} by span {span}"),
                    e.to_string(),
                ));
            }
        }
        if let Err(e) = project.apply(Edit::SetSettings(file.settings)) {
            problems.push(Problem::error("settings", e.to_string()));
        }
        for (id, name) in file.stale {
            // A mark is only a warning: one whose value is gone is dropped.
            let _ = project.apply(Edit::SetStale(id, name, true));
        }
        for (i, c) in file.conflicts.into_iter().enumerate() {
            // Cannot fail: a conflict is only a record of the other version.
            if let Err(e) = project.apply(Edit::InsertConflict(i, c.into())) {
                problems.push(Problem::error(format!("conflict {}", i + 1), e.to_string()));
            }
        }
        (hasher.join(), problems)
    });
    problems.extend(project_problems);
    // A panic on the hashing thread must not pass silently as "no hashes"
    // (every document would then look edited): say so and hash here.
    let hashes = hashes.unwrap_or_else(|_| {
        problems.push(Problem::warning(
            "project",
            "the background text hashing failed; the hashes were computed again",
        ));
        texts.iter().map(|t| text_hash(t.as_str())).collect()
    });
    for ((doc, _, _), hash) in docs.iter().zip(hashes) {
        if !doc.hash.is_empty() && doc.hash != hash {
            problems.push(Problem::warning(
                format!("document {}", doc.id),
                "the stored hash does not match the text: the text was changed outside Marginalia, so spans may have moved",
            ));
        }
        project.set_document_hash(doc.id, hash);
    }
    project.reserve_ids(file.next_ids);
    if file.version < FORMAT_VERSION {
        problems.extend(migrate_source_kinds(&mut project));
    }
    problems.extend(project.lint_records());
    (project, problems)
}

/// The values of the source `kind` attribute that version 3's default
/// schema declared.
const OLD_SOURCE_KINDS: [&str; 5] = ["named", "anonymous", "official", "document", "media"];

/// Version 3 → 4: the default schema's source `kind` attribute moves onto
/// registry entries. Each source span with a kind value mentions an entry
/// named after its wording: named sources are one entry across articles
/// (same name), described and anonymous ones one per article and
/// wording. The value goes from the span, the attribute from the label,
/// and a warning says so. A schema whose `kind` is not the old default is
/// left alone.
fn migrate_source_kinds(project: &mut Project) -> Option<Problem> {
    let is_old_kind = |l: &Label| match l.attribute("kind").map(|a| &a.kind) {
        Some(AttrKind::Values(vs)) => vs.iter().all(|v| OLD_SOURCE_KINDS.contains(&v.as_str())),
        _ => false,
    };
    let label = project
        .labels()
        .iter()
        .find(|l| l.id.as_str() == SOURCE && is_old_kind(l))?
        .clone();
    let tagged: Vec<(SpanId, DocId, String, String)> = project
        .spans()
        .filter(|s| s.label == label.id)
        .filter_map(|s| {
            let kind = s.attrs.get("kind")?.clone();
            let text = project.document(s.doc)?.text.slice(s.start..s.end);
            Some((s.id, s.doc, text.trim().to_string(), kind))
        })
        .collect();
    let orphaned = project
        .orphans()
        .any(|o| o.span.label == label.id && o.span.attrs.contains_key("kind"));
    let mut by_key: BTreeMap<(Option<DocId>, String), SourceId> = BTreeMap::new();
    let mut edits = Vec::new();
    for (span, doc, text, kind) in &tagged {
        let identification = match kind.as_str() {
            "named" => Identification::Named,
            "anonymous" if is_bare_reference(text) => Identification::Anonymous,
            "anonymous" => Identification::Described,
            _ => guess_identification(text),
        };
        let source_kind = match kind.as_str() {
            "official" => SourceKind::Official,
            "document" => SourceKind::Document,
            "media" => SourceKind::Media,
            // "named" and "anonymous" said nothing of the kind.
            _ => SourceKind::Other,
        };
        let scope = (identification != Identification::Named).then_some(*doc);
        let key = (scope, name_key(text));
        let id = match by_key.get(&key) {
            Some(id) => *id,
            None => {
                let id = SourceId(project.next_source_id().0 + by_key.len() as u64);
                by_key.insert(key, id);
                let name = if text.is_empty() { kind.as_str() } else { text };
                edits.push(Edit::InsertSource(SourceEntry::new(
                    id,
                    name,
                    identification,
                    source_kind,
                )));
                id
            }
        };
        edits.push(Edit::SetSpanAttr(*span, "kind".into(), None));
        edits.push(Edit::SetMention(*span, Some(id)));
    }
    // An orphan keeps its value as it was: its label then keeps `kind`.
    if !orphaned {
        let mut without = label.clone();
        without.attributes.retain(|a| a.name != "kind");
        edits.push(Edit::UpdateLabel(without));
    }
    let entries = by_key.len();
    if let Err(e) = project.apply_all(edits) {
        return Some(Problem::warning(
            "sources",
            format!(
                "the source kinds could not be moved onto a registry ({e}); they are kept on the spans"
            ),
        ));
    }
    Some(Problem::warning(
        "sources",
        format!(
            "upgraded to file version {FORMAT_VERSION}: the source kind of {} span(s) moved onto {entries} source registry entr{} (see Sources); the kind attribute is gone from {}",
            tagged.len(),
            if entries == 1 { "y" } else { "ies" },
            label.name
        ),
    ))
}

/// Inserts the events through checked edits, collecting problems.
fn build_events(
    project: &mut Project,
    events: Vec<EventRecordIn>,
    text: &Source,
    problems: &mut Vec<Problem>,
) {
    let mut pending: Vec<Event> = events.into_iter().map(event_from_record).collect();
    // An event can only go in after the events it has as arguments; go round
    // until nothing more fits, then report what is left.
    loop {
        let before = pending.len();
        pending.retain(|event| project.apply(Edit::InsertEvent(event.clone())).is_err());
        if pending.len() == before {
            break;
        }
    }
    for event in pending {
        if let Err(e) = project.check_event(&event) {
            let at = locate(
                text.text(),
                "events:",
                event.id.0,
                &format!("event {}", event.id),
            );
            problems.push(Problem::error(at, e.to_string()));
        }
    }
}

/// Inserts the spans and links with the model's checks, collecting
/// problems. The grapheme checks of span ends (warnings) run on another
/// thread while the span indexes are built.
fn build_spans_and_links(
    project: &mut Project,
    spans: Vec<Span>,
    links: Vec<LinkRecord<String>>,
    text: &Source,
    problems: &mut Vec<Problem>,
) {
    let texts: BTreeMap<DocId, DocText> = project
        .documents()
        .map(|d| (d.id, d.text.clone()))
        .collect();
    let ends = |s: &Span| (s.id, s.doc, s.start, s.end);
    let check_ends =
        |spans: &[Span]| crate::model::grapheme_problems(spans.iter().map(ends), |d| texts.get(&d));
    // Only the spans that go in are checked.
    let (refused, graphemes) = project.insert_spans_with(spans, check_ends);
    for (id, e) in refused {
        let at = locate(text.text(), "spans:", id.0, &format!("span {id}"));
        problems.push(Problem::error(at, e.to_string()));
    }
    // A panic there must not hide anything: check here instead.
    let graphemes: Vec<Problem> = match graphemes {
        Some(parts) => parts.into_iter().flatten().collect(),
        None => crate::model::grapheme_problems(project.spans().map(ends), |d| texts.get(&d)),
    };
    let links = links
        .into_iter()
        .map(|LinkRecord(id, from, to, kind)| Link { id, from, to, kind })
        .collect();
    for (id, e) in project.insert_links(links) {
        let at = locate(text.text(), "links:", id.0, &format!("link {id}"));
        problems.push(Problem::error(at, e.to_string()));
    }
    problems.extend(graphemes);
}

/// Names a record and, when it can be found, its line: "span 12 (line 40)".
/// Only runs on the error path.
fn locate(text: &str, section: &str, id: u64, what: &str) -> String {
    let Some(section_at) = text.find(section) else {
        return what.to_string();
    };
    let needle = format!("({id},");
    let found = text[section_at..]
        .match_indices(&needle)
        .next()
        .map(|(i, _)| section_at + i);
    match found {
        Some(at) => format!("{what} (line {})", text[..at].matches('\n').count() + 1),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests;
