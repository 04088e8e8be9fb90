//! CSV export: one row per span, RFC 4180 quoting by the `csv` crate, with
//! spreadsheet formula injection neutralised (see [`csv_safe`]).

use super::common::{Filter, covered, csv_safe};
use crate::model::{ATTRIBUTED_TO, AttrKind, DocId, Project, Span, SpanId};
use std::collections::HashMap;

/// The fixed columns, in order; one column per declared attribute follows
/// (see [`attribute_columns`]).
pub const HEADER: [&str; 18] = [
    "document",
    "document_title",
    "span_id",
    "label",
    "start",
    "end",
    "text",
    "note",
    "source_span_ids",
    "source_texts",
    "created",
    "status",
    "document_url",
    "published",
    "source_count",
    "anonymous_only",
    "source_kinds",
    "source_names",
];

/// One column per attribute the schema declares, named after it (labels in
/// order, each name once; `attr_NAME` where a name is a fixed column's),
/// with the kind that decides how its cells are written.
pub fn attribute_columns(project: &Project) -> Vec<(String, String, AttrKind)> {
    let mut out: Vec<(String, String, AttrKind)> = Vec::new();
    for def in project.labels().iter().flat_map(|l| &l.attributes) {
        if out.iter().any(|(name, _, _)| *name == def.name) {
            continue;
        }
        let column = if HEADER.contains(&def.name.as_str()) {
            format!("attr_{}", def.name)
        } else {
            def.name.clone()
        };
        out.push((def.name.clone(), column, def.kind.clone()));
    }
    out
}

/// A span's cell in an attribute column: a number as stored (pandas reads
/// it as a number), a flag as `true`/`false` where the span's label declares
/// it, text guarded against formulas; empty where the label has no such
/// attribute.
fn attribute_cell(project: &Project, span: &Span, name: &str, kind: &AttrKind) -> String {
    let declared = project
        .label(&span.label)
        .is_some_and(|l| l.attribute(name).is_some());
    match (span.attrs.get(name), kind) {
        // Numbers and flags are checked values: written as they are.
        (Some(v), AttrKind::Number | AttrKind::Flag) => v.clone(),
        (Some(v), _) => csv_safe(v).into_owned(),
        (None, AttrKind::Flag) if declared => "false".into(),
        (None, _) => String::new(),
    }
}

/// The sourcing cells of each claim and figure: `source_count`,
/// `anonymous_only` (`true` when every source is a described or anonymous
/// entry), `source_kinds` (distinct, `;`-separated) and `source_names`
/// (`; `-separated; an unassigned source span by its text).
fn sourcing_cells(project: &Project) -> HashMap<SpanId, [String; 4]> {
    use crate::analysis::sourcing::{SourceRef, Support, analyse};
    let mut out = HashMap::new();
    for article in analyse(project).articles {
        for claim in article.claims {
            let mut kinds: Vec<&str> = Vec::new();
            let mut names: Vec<String> = Vec::new();
            for r in &claim.sources {
                match r {
                    SourceRef::Entry(e) => {
                        if let Some(e) = project.source(*e) {
                            if !kinds.contains(&e.kind.as_str()) {
                                kinds.push(e.kind.as_str());
                            }
                            names.push(e.name.clone());
                        }
                    }
                    SourceRef::Unassigned(s) => {
                        if let Some(s) = project.span(*s) {
                            names.push(covered(project, s).into_owned());
                        }
                    }
                }
            }
            let anonymous = matches!(claim.support, Support::Described | Support::Anonymous);
            out.insert(
                claim.span,
                [
                    claim.sources.len().to_string(),
                    anonymous.to_string(),
                    kinds.join(";"),
                    names.join("; "),
                ],
            );
        }
    }
    out
}

/// Writes the spans as CSV (UTF-8, LF record ends, header row first), rows
/// by document and position.
pub fn export(project: &Project, filter: &Filter) -> Result<Vec<u8>, csv::Error> {
    // Rows in position order without random lookups: read every span once
    // in storage order, then sort plain keys.
    let mut rows: Vec<(DocId, usize, SpanId, &Span)> = project
        .spans()
        .filter(|s| filter.keeps(s))
        .map(|s| (s.doc, s.start, s.id, s))
        .collect();
    rows.sort_unstable_by_key(|r| (r.0, r.1, r.2));
    // Sources per span, resolved once from the links.
    let mut sources: HashMap<SpanId, Vec<&Span>> = HashMap::new();
    for l in project.links().filter(|l| l.kind == ATTRIBUTED_TO) {
        if let Some(to) = project.span(l.to) {
            sources.entry(l.from).or_default().push(to);
        }
    }
    let sourcing = sourcing_cells(project);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(rows.len() * 160));
    let attributes = attribute_columns(project);
    w.write_record(
        HEADER
            .iter()
            .copied()
            .chain(attributes.iter().map(|(_, column, _)| column.as_str())),
    )?;
    let mut num = itoa::Buffer::new();
    let mut ids = String::new();
    let mut texts = String::new();
    for (doc_id, _, _, span) in rows {
        let Some(doc) = project.document(doc_id) else {
            continue;
        };
        ids.clear();
        texts.clear();
        for (i, s) in sources.get(&span.id).into_iter().flatten().enumerate() {
            if i > 0 {
                ids.push(';');
                texts.push_str(" | ");
            }
            ids.push_str(num.format(s.id.0));
            texts.push_str(&covered(project, s));
        }
        // One row per fragment, all with the span's id: spreadsheet and
        // pandas users have no notion of a discontinuous span.
        for (start, end) in span.fragments_iter() {
            w.write_field(num.format(doc_id.0))?;
            w.write_field(csv_safe(&doc.title).as_bytes())?;
            w.write_field(num.format(span.id.0))?;
            w.write_field(span.label.as_str())?;
            w.write_field(num.format(start))?;
            w.write_field(num.format(end))?;
            w.write_field(csv_safe(doc.text.slice(start..end)).as_bytes())?;
            w.write_field(csv_safe(span.note.as_deref().unwrap_or("")).as_bytes())?;
            w.write_field(&ids)?;
            w.write_field(csv_safe(&texts).as_bytes())?;
            w.write_field(span.created.as_str())?;
            w.write_field(doc.status.as_str())?;
            let source = doc.source.as_deref();
            w.write_field(
                csv_safe(source.and_then(|s| s.url.as_deref()).unwrap_or("")).as_bytes(),
            )?;
            w.write_field(
                csv_safe(source.and_then(|s| s.published.as_deref()).unwrap_or("")).as_bytes(),
            )?;
            match sourcing.get(&span.id) {
                Some(cells) => {
                    for cell in cells {
                        w.write_field(csv_safe(cell).as_bytes())?;
                    }
                }
                None => {
                    for _ in 0..4 {
                        w.write_field("")?;
                    }
                }
            }
            for (name, _, kind) in &attributes {
                w.write_field(attribute_cell(project, span, name, kind))?;
            }
            w.write_record(None::<&[u8]>)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
