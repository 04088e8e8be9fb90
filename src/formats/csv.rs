//! CSV export: one row per span, RFC 4180 quoting by the `csv` crate, with
//! spreadsheet formula injection neutralised (see [`csv_safe`]).

use super::common::{Filter, covered, csv_safe};
use crate::model::{ATTRIBUTED_TO, Project};

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

/// Writes the spans as CSV (UTF-8, LF record ends, header row first).
pub fn export(project: &Project, filter: &Filter) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(project.spans().len() * 160));
    w.write_record(HEADER)?;
    for doc in project.documents().filter(|d| filter.keeps_doc(d.id)) {
        for span in filter.spans_in(project, doc.id) {
            let sources: Vec<_> = project
                .links_of(span.id)
                .filter(|l| l.from == span.id && l.kind == ATTRIBUTED_TO)
                .filter_map(|l| project.span(l.to))
                .collect();
            let ids: Vec<String> = sources.iter().map(|s| s.id.to_string()).collect();
            let texts: Vec<&str> = sources.iter().map(|s| covered(project, s)).collect();
            let texts = texts.join(" | ");
            let (doc_id, span_id, start, end) = (
                doc.id.to_string(),
                span.id.to_string(),
                span.start.to_string(),
                span.end.to_string(),
            );
            w.write_record([
                doc_id.as_str(),
                &csv_safe(&doc.title),
                span_id.as_str(),
                span.label.as_str(),
                start.as_str(),
                end.as_str(),
                &csv_safe(covered(project, span)),
                &csv_safe(span.note.as_deref().unwrap_or("")),
                ids.join(";").as_str(),
                &csv_safe(&texts),
                span.created.as_str(),
            ])?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
