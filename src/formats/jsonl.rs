//! JSONL in doccano's form: one document per line with `entities` and
//! `relations` (code-point offsets, so spaCy's `doc.char_span` accepts
//! them). The importer also reads doccano's older `"label": [[s, e, "L"]]`.

use super::common::Filter;
use super::import::{Planner, Report};
use crate::model::{Edit, Project};
use serde_json::{Value, json};

/// One JSON object per document, newline-terminated.
pub fn export(project: &Project, filter: &Filter) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    for doc in project.documents().filter(|d| filter.keeps_doc(d.id)) {
        let spans = filter.spans_in(project, doc.id);
        let kept: std::collections::HashSet<_> = spans.iter().map(|s| s.id).collect();
        // One entity per fragment, sharing the span's id (doccano and spaCy
        // have no discontinuous entities).
        let entities: Vec<Value> = spans
            .iter()
            .flat_map(|s| s.fragments_iter().map(move |f| (s, f)))
            .map(|(s, (start, end))| {
                let mut e = json!({"id": s.id.0, "label": s.label.as_str(), "start_offset": start, "end_offset": end});
                if let Some(n) = &s.note {
                    e["note"] = json!(n);
                }
                if !s.attrs.is_empty() {
                    e["attributes"] = json!(s.attrs);
                }
                e
            })
            .collect();
        let relations: Vec<Value> = project
            .links()
            .filter(|l| kept.contains(&l.from) && kept.contains(&l.to))
            .map(|l| json!({"id": l.id.0, "from_id": l.from.0, "to_id": l.to.0, "type": l.kind}))
            .collect();
        let line = json!({
            "id": doc.id.0,
            "title": doc.title,
            "text": doc.text.as_str(),
            "entities": entities,
            "relations": relations,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.push(b'\n');
    }
    Ok(out)
}

/// Plans the import of a JSONL file in either doccano form.
pub fn plan(project: &Project, data: &str, report: &mut Report) -> Result<Vec<Edit>, String> {
    let mut planner = Planner::new(project);
    for (n, line) in data.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("line {line_no}: {e}"))?;
        let text = v["text"]
            .as_str()
            .ok_or_else(|| format!("line {line_no}: no \"text\" field"))?;
        let key = format!("line{line_no}");
        let title = v["title"]
            .as_str()
            .map(str::to_string)
            .or_else(|| crate::formats::text::title_from(text))
            .unwrap_or_else(|| key.clone());
        planner.document(&key, &title, None, text, report);
        let num = |x: &Value| x.as_u64().map(|n| n as usize);
        if let Some(entities) = v["entities"].as_array() {
            for e in group_fragments(entities, line_no, report) {
                let (Some(first), Some(last)) = (e.fragments.first(), e.fragments.last()) else {
                    continue;
                };
                let Some(id) = planner.span(
                    &key,
                    &e.id,
                    &e.label,
                    first.0..last.1,
                    e.note.clone(),
                    "",
                    report,
                ) else {
                    continue;
                };
                if e.fragments.len() > 1 {
                    let ranges: Vec<std::ops::Range<usize>> =
                        e.fragments.iter().map(|(a, b)| *a..*b).collect();
                    planner.set_fragments(id, &ranges);
                }
                for (name, value) in &e.attributes {
                    planner.attribute(&key, &e.id, name, Some(value), report);
                }
            }
            for r in v["relations"].as_array().into_iter().flatten() {
                let (Some(from), Some(to)) = (r["from_id"].as_u64(), r["to_id"].as_u64()) else {
                    report
                        .skipped
                        .push(format!("line {line_no}: relation without from_id/to_id"));
                    continue;
                };
                let kind = r["type"].as_str().unwrap_or(crate::model::ATTRIBUTED_TO);
                planner.link(Some(&key), &from.to_string(), &to.to_string(), kind, report);
            }
        } else if let Some(labels) = v["label"].as_array().or_else(|| v["labels"].as_array()) {
            for (i, l) in labels.iter().enumerate() {
                match (
                    l.get(0).and_then(num),
                    l.get(1).and_then(num),
                    l.get(2).and_then(Value::as_str),
                ) {
                    (Some(s), Some(t), Some(label)) => {
                        planner.span(&key, &format!("l{i}"), label, s..t, None, "", report);
                    }
                    _ => report.skipped.push(format!(
                        "line {line_no}: label {i} is not [start, end, \"LABEL\"]"
                    )),
                }
            }
        }
    }
    Ok(planner.finish())
}

/// One span of a JSONL line: the entities that share its id are its
/// fragments (as the exporter writes a discontinuous span).
struct Entity {
    id: String,
    label: String,
    fragments: Vec<(usize, usize)>,
    note: Option<String>,
    attributes: Vec<(String, String)>,
}

/// Groups a line's entities by id, in the order they first appear; an
/// entity without an id is a span of its own. Fragments are put in text
/// order; a span whose parts disagree on the label is reported.
fn group_fragments(entities: &[Value], line_no: usize, report: &mut Report) -> Vec<Entity> {
    let num = |x: &Value| x.as_u64().map(|n| n as usize);
    let mut out: Vec<Entity> = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let id = e["id"]
            .as_u64()
            .map_or_else(|| format!("e{i}"), |x| x.to_string());
        let (Some(start), Some(end), Some(label)) = (
            num(&e["start_offset"]),
            num(&e["end_offset"]),
            e["label"].as_str(),
        ) else {
            report.skipped.push(format!(
                "line {line_no}: entity {id} lacks start_offset, end_offset or label"
            ));
            continue;
        };
        let attributes: Vec<(String, String)> = e["attributes"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        match out.iter_mut().find(|x| x.id == id) {
            Some(span) if span.label == label => span.fragments.push((start, end)),
            Some(_) => report.skipped.push(format!(
                "line {line_no}: entity {id} has fragments with different labels; the later ones were left out"
            )),
            None => out.push(Entity {
                id,
                label: label.to_string(),
                fragments: vec![(start, end)],
                note: e["note"].as_str().map(str::to_string),
                attributes,
            }),
        }
    }
    out.retain_mut(|e| {
        e.fragments.sort_unstable();
        let overlapping = e.fragments.windows(2).any(|w| w[1].0 < w[0].1);
        if overlapping {
            report.skipped.push(format!(
                "line {line_no}: entity {} has overlapping fragments",
                e.id
            ));
        }
        !overlapping
    });
    out
}
