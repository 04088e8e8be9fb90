//! CSV export: one row per span, RFC 4180 quoting by the `csv` crate, with
//! spreadsheet formula injection neutralised (see [`csv_safe`]).

use super::common::{Filter, covered, csv_safe};
use crate::model::{ATTRIBUTED_TO, DocId, Project, Span, SpanId};
use std::collections::HashMap;

/// Column names, in order.
pub const HEADER: [&str; 11] = [
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
];

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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(rows.len() * 160));
    w.write_record(HEADER)?;
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
            w.write_record(None::<&[u8]>)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
