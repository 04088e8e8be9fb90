//! The project as plain JSON (for scripts), and its importer.

use super::common::{Filter, covered};
use super::import::{Planner, Report};
use crate::model::{
    AttrDef, DocId, Document, Edit, Event, EventId, Extra, Fragment, Identification, Label,
    LabelId, Link, LinkId, LinkType, Project, Rgb, SourceEntry, SourceId, SourceKind, Sourcing,
    Span, SpanId, Target,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Top-level JSON document.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonProject {
    /// Always `"marginalia"`.
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// Always `"code_points"`.
    pub offset_unit: String,
    /// Project name.
    pub name: String,
    /// Label schema.
    pub labels: Vec<JsonLabel>,
    /// Link types with the labels each may connect and, for relations
    /// imported from brat, their role names.
    #[serde(default)]
    pub link_types: Vec<LinkType>,
    /// Which labels are claims, figures and sources, and which relations
    /// attribute (absent in older exports: the schema's defaults apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcing: Option<Sourcing>,
    /// The source registry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<JsonSource>,
    /// Documents with their full text.
    pub documents: Vec<JsonDocument>,
    /// Spans with their covered text.
    pub spans: Vec<JsonSpan>,
    /// Links.
    pub links: Vec<JsonLink>,
    /// Events (n-ary relations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<JsonEvent>,
    /// Normalisations, other notes and equivalences (from brat).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<Extra>,
    /// Spans that lost their place when an article's text was replaced.
    #[serde(default)]
    pub orphans: Vec<JsonOrphan>,
}

/// A source-registry entry.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonSource {
    /// Id, which source spans name in their `source`.
    pub id: u64,
    /// Canonical name.
    pub name: String,
    /// `named`, `described` or `anonymous`.
    pub identification: Identification,
    /// `official`, `organisation`, `expert`, `participant`, `document`,
    /// `media`, `social-media`, `observation` or `other`.
    pub kind: SourceKind,
    /// Affiliation, or null.
    #[serde(default)]
    pub affiliation: Option<String>,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Wikidata id (`Q…`), or null.
    #[serde(default)]
    pub wikidata: Option<String>,
    /// The analyst's note (left out when there is none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<&SourceEntry> for JsonSource {
    fn from(e: &SourceEntry) -> Self {
        JsonSource {
            id: e.id.0,
            name: e.name.clone(),
            identification: e.identification,
            kind: e.kind,
            affiliation: e.affiliation.clone(),
            aliases: e.aliases.clone(),
            wikidata: e.wikidata.clone(),
            note: e.note.clone(),
        }
    }
}

impl From<JsonSource> for SourceEntry {
    fn from(j: JsonSource) -> Self {
        SourceEntry {
            id: SourceId(j.id),
            name: j.name,
            identification: j.identification,
            kind: j.kind,
            affiliation: j.affiliation,
            aliases: j.aliases,
            note: j.note,
            wikidata: j.wikidata,
        }
    }
}

/// An orphan: a span with no place in its article's current text.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonOrphan {
    /// The span's id.
    pub id: u64,
    /// Its article.
    pub document: u64,
    /// Label id.
    pub label: String,
    /// The text it covered before the article's text was replaced.
    pub quote: String,
    /// The analyst's note.
    #[serde(default)]
    pub note: Option<String>,
    /// Attribute values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// An event: a trigger span with role-labelled argument spans.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonEvent {
    /// Id.
    pub id: u64,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Trigger span id.
    pub trigger: u64,
    /// (role, argument) pairs, in order: `["Content", 3]` for span 3,
    /// `["Theme", {"event": 1}]` for event 1.
    pub args: Vec<(String, JsonArg)>,
    /// Attribute values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// An event argument: a span id, or `{"event": id}`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(untagged)]
pub enum JsonArg {
    /// A span id.
    Span(u64),
    /// Another event.
    Event {
        /// Its id.
        event: u64,
    },
}

/// A label.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonLabel {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// Hotkey.
    pub hotkey: Option<char>,
    /// Declared attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttrDef>,
}

/// A document.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonDocument {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Origin.
    pub origin: Option<String>,
    /// `sha256:` hash of the text.
    #[serde(default)]
    pub hash: String,
    /// The file stem it was imported from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stem: Option<String>,
    /// `new`, `in-progress`, `done` or `skipped` (`new` when absent).
    #[serde(default)]
    pub status: crate::model::DocStatus,
    /// Where it came from: url, title, authors, published, site,
    /// language, format, encoding, file_name, added, sha256 (each left out
    /// when unknown); absent when nothing is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::model::Provenance>,
    /// Text.
    pub text: String,
}

/// A span.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonSpan {
    /// Id.
    pub id: u64,
    /// Document id.
    pub document: u64,
    /// Label id.
    pub label: String,
    /// Start (code points).
    pub start: usize,
    /// End (code points, exclusive).
    pub end: usize,
    /// Covered text (checked on import).
    pub text: String,
    /// Note.
    pub note: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created: String,
    /// Every fragment of a discontinuous span (absent for a contiguous
    /// one); `text` then joins their texts with " … ".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Fragment>,
    /// Attribute values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// The registry entry a source span mentions (absent when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<u64>,
}

/// A link.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonLink {
    /// Id.
    pub id: u64,
    /// From span.
    pub from: u64,
    /// To span.
    pub to: u64,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Builds the JSON value of a project (filtered).
pub fn to_json(project: &Project, filter: &Filter) -> JsonProject {
    let spans: Vec<JsonSpan> = project
        .documents()
        .filter(|d| filter.keeps_doc(d.id))
        .flat_map(|d| filter.spans_in(project, d.id))
        .map(|s| JsonSpan {
            id: s.id.0,
            document: s.doc.0,
            label: s.label.to_string(),
            start: s.start,
            end: s.end,
            text: covered(project, s).into_owned(),
            note: s.note.clone(),
            created: s.created.to_string(),
            fragments: s.fragments.to_vec(),
            attributes: (*s.attrs).clone(),
            source: project.mention(s.id).map(|e| e.0),
        })
        .collect();
    let kept: std::collections::HashSet<u64> = spans.iter().map(|s| s.id).collect();
    JsonProject {
        format: "marginalia".into(),
        version: 1,
        offset_unit: "code_points".into(),
        name: project.name().to_string(),
        labels: project
            .labels()
            .iter()
            .map(|l| JsonLabel {
                id: l.id.to_string(),
                name: l.name.clone(),
                color: l.color.to_string(),
                hotkey: l.hotkey,
                attributes: l.attributes.clone(),
            })
            .collect(),
        link_types: project.link_types().to_vec(),
        sourcing: Some(project.sourcing().clone()),
        sources: project.sources().map(JsonSource::from).collect(),
        documents: project
            .documents()
            .filter(|d| filter.keeps_doc(d.id))
            .map(|d| JsonDocument {
                id: d.id.0,
                title: d.title.clone(),
                origin: d.origin.clone(),
                hash: d.hash.clone(),
                stem: d.stem.clone(),
                status: d.status,
                source: d.source.as_deref().cloned(),
                text: d.text.as_str().to_string(),
            })
            .collect(),
        links: project
            .links()
            .filter(|l| kept.contains(&l.from.0) && kept.contains(&l.to.0))
            .map(|l| JsonLink {
                id: l.id.0,
                from: l.from.0,
                to: l.to.0,
                kind: l.kind.clone(),
            })
            .collect(),
        extras: project
            .extras()
            .iter()
            .filter(|x| {
                x.targets().iter().all(|t| match t {
                    Target::Span(s) => kept.contains(&s.0),
                    Target::Event(e) => project
                        .event(*e)
                        .is_some_and(|e| kept.contains(&e.trigger.0)),
                })
            })
            .cloned()
            .collect(),
        events: project
            .events_among(|s| kept.contains(&s.0))
            .into_iter()
            .map(|e| JsonEvent {
                id: e.id.0,
                kind: e.kind.clone(),
                trigger: e.trigger.0,
                args: e
                    .args
                    .iter()
                    .map(|(r, a)| {
                        let arg = match *a {
                            Target::Span(s) => JsonArg::Span(s.0),
                            Target::Event(ev) => JsonArg::Event { event: ev.0 },
                        };
                        (r.clone(), arg)
                    })
                    .collect(),
                attributes: e.attrs.clone(),
            })
            .collect(),
        orphans: project
            .orphans()
            .filter(|o| filter.keeps(&o.span))
            .map(|o| JsonOrphan {
                id: o.span.id.0,
                document: o.span.doc.0,
                label: o.span.label.to_string(),
                quote: o.quote.clone(),
                note: o.span.note.clone(),
                attributes: (*o.span.attrs).clone(),
            })
            .collect(),
        spans,
    }
}

/// Serialises to pretty JSON.
pub fn export(project: &Project, filter: &Filter) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(&to_json(project, filter))?;
    out.push(b'\n');
    Ok(out)
}

/// Plans the import of our own JSON into `project`.
///
/// Into an empty project (no documents and no spans) the import is a full
/// restore: the name, schema and every id are kept, so project → JSON →
/// import is identical. Otherwise documents are matched by text (or added),
/// labels are mapped, and spans and links get new ids.
pub fn plan(project: &Project, data: &str, report: &mut Report) -> Result<Vec<Edit>, String> {
    let json: JsonProject = serde_json::from_str(data)
        .map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))?;
    if json.format != "marginalia" {
        return Err(format!(
            "not a Marginalia JSON export (format is {:?})",
            json.format
        ));
    }
    if json.version > 1 {
        return Err(format!(
            "JSON export version {} is newer than this build supports (1)",
            json.version
        ));
    }
    for s in &json.spans {
        let Some(doc) = json.documents.iter().find(|d| d.id == s.document) else {
            return Err(format!(
                "span {}: document {} is not in the file",
                s.id, s.document
            ));
        };
        let slice = |a: usize, b: usize| -> String {
            doc.text.chars().skip(a).take(b.saturating_sub(a)).collect()
        };
        let actual = if s.fragments.is_empty() {
            slice(s.start, s.end)
        } else {
            s.fragments
                .iter()
                .map(|&(a, b)| slice(a, b))
                .collect::<Vec<_>>()
                .join(" … ")
        };
        if actual != s.text {
            return Err(format!(
                "span {}: the text at {}..{} is {:?}, but the file says {:?} (offsets must be code points)",
                s.id, s.start, s.end, actual, s.text
            ));
        }
    }
    if project.documents().len() == 0 && project.spans().len() == 0 {
        return restore(project, json, report);
    }
    let mut planner = Planner::new(project);
    for l in &json.labels {
        let color: Rgb = l.color.parse().unwrap_or(Rgb(0x99, 0x99, 0x99));
        planner.declare_label(&l.id, &l.name, color);
    }
    for d in &json.documents {
        planner.document(
            &d.id.to_string(),
            &d.title,
            d.origin.clone(),
            &d.text,
            report,
        );
    }
    for s in &json.spans {
        planner.span(
            &s.document.to_string(),
            &s.id.to_string(),
            &s.label,
            s.start..s.end,
            s.note.clone(),
            &s.created,
            report,
        );
    }
    // The registry: entries by their id in the file; named ones the
    // project has already are reused.
    planner.know_sources(
        json.sources
            .into_iter()
            .map(|e| (e.id.to_string(), SourceEntry::from(e)))
            .collect(),
    );
    for s in &json.spans {
        if let Some(source) = s.source {
            planner.mention(
                &s.document.to_string(),
                &s.id.to_string(),
                &source.to_string(),
                "",
                report,
            );
        }
    }
    for l in &json.links {
        planner.link(
            None,
            &l.from.to_string(),
            &l.to.to_string(),
            &l.kind,
            report,
        );
    }
    for t in &json.link_types {
        if let Some((a, b)) = &t.roles {
            planner.relation_roles(&t.id, a, b, report);
        }
    }
    Ok(planner.finish())
}

/// Edits that turn an empty project into exactly the exported one, ids kept.
fn restore(project: &Project, json: JsonProject, report: &mut Report) -> Result<Vec<Edit>, String> {
    let mut edits = vec![Edit::SetProjectName(json.name)];
    for l in project.labels() {
        edits.push(Edit::DeleteLabel(l.id.clone()));
    }
    for (i, l) in json.labels.into_iter().enumerate() {
        let id = LabelId::new(&l.id)?;
        let color: Rgb = l.color.parse()?;
        edits.push(Edit::InsertLabel(
            i,
            Label::new(id, &l.name, color, l.hotkey).with_attributes(l.attributes),
        ));
    }
    // The file's link rules replace the defaults (older exports have none:
    // the defaults stay).
    if !json.link_types.is_empty() {
        for t in project.link_types() {
            edits.push(Edit::DeleteLinkType(t.id.clone()));
        }
        edits.extend(json.link_types.into_iter().map(Edit::PutLinkType));
    }
    if let Some(sourcing) = json.sourcing {
        edits.push(Edit::SetSourcing(sourcing));
    }
    edits.extend(
        json.sources
            .into_iter()
            .map(|s| Edit::InsertSource(s.into())),
    );
    let mut mentions = Vec::new();
    for d in json.documents {
        let text = crate::model::text::normalize_newlines(&d.text);
        let mut doc = Document::new(DocId(d.id), &d.title, d.origin, &text);
        doc.stem = d.stem;
        doc.status = d.status;
        doc.source = d.source.clone().map(Box::new);
        edits.push(Edit::InsertDocument(doc));
        report.documents_added += 1;
    }
    for s in json.spans {
        let mut span = Span::new(
            SpanId(s.id),
            DocId(s.document),
            LabelId(s.label.into()),
            s.start..s.end,
            s.note,
            s.created,
        );
        span.fragments = s.fragments.into();
        span.attrs = s.attributes.into();
        if let Some(source) = s.source {
            mentions.push(Edit::SetMention(SpanId(s.id), Some(SourceId(source))));
        }
        edits.push(Edit::InsertSpan(span));
        report.spans_added += 1;
    }
    edits.extend(mentions);
    for l in json.links {
        edits.push(Edit::InsertLink(Link {
            id: LinkId(l.id),
            from: SpanId(l.from),
            to: SpanId(l.to),
            kind: l.kind,
        }));
        report.links_added += 1;
    }
    // An event goes after the events it names, whatever the file's order;
    // when none is ready the rest go in as they are and the edit check
    // reports the missing event.
    let mut pending = json.events;
    let mut placed = BTreeSet::new();
    while !pending.is_empty() {
        let (mut ready, waiting): (Vec<_>, Vec<_>) = pending.into_iter().partition(|e| {
            e.args.iter().all(|(_, a)| match a {
                JsonArg::Span(_) => true,
                JsonArg::Event { event } => placed.contains(event),
            })
        });
        pending = if ready.is_empty() {
            ready = waiting;
            Vec::new()
        } else {
            waiting
        };
        for e in ready {
            placed.insert(e.id);
            edits.push(Edit::InsertEvent(Event {
                id: EventId(e.id),
                kind: e.kind,
                trigger: SpanId(e.trigger),
                args: e
                    .args
                    .into_iter()
                    .map(|(r, a)| match a {
                        JsonArg::Span(s) => (r, Target::Span(SpanId(s))),
                        JsonArg::Event { event } => (r, Target::Event(EventId(event))),
                    })
                    .collect(),
                attrs: e.attributes,
            }));
        }
    }
    for (i, x) in json.extras.into_iter().enumerate() {
        edits.push(Edit::InsertExtra(i, x));
    }
    Ok(edits)
}
