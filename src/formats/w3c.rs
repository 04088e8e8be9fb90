//! W3C Web Annotation (JSON-LD): an AnnotationCollection whose spans carry a
//! TextQuoteSelector (32 code points of context) and a TextPositionSelector,
//! a tagging body and an optional commenting body. Links use the `linking`
//! motivation. Positions are code points, as the spec requires (Hypothesis
//! uses UTF-16 instead).

use super::common::{Filter, context};
use crate::model::Project;
use serde_json::{Value, json};

/// Code points of context on each side of a quote.
pub const CONTEXT: usize = 32;

fn doc_iri(project: &Project, doc: crate::model::DocId) -> String {
    format!("urn:marginalia:{}:document:{doc}", slug(project.name()))
}

fn span_iri(project: &Project, span: crate::model::SpanId) -> String {
    format!("urn:marginalia:{}:span:{span}", slug(project.name()))
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() { "project".into() } else { s }
}

/// The collection as JSON.
pub fn to_value(project: &Project, filter: &Filter) -> Value {
    let mut items = Vec::new();
    let mut kept = std::collections::HashSet::new();
    for doc in project.documents().filter(|d| filter.keeps_doc(d.id)) {
        for s in filter.spans_in(project, doc.id) {
            kept.insert(s.id);
            // A quote and a position selector per fragment.
            let selectors: Vec<Value> = s
                .fragments_iter()
                .flat_map(|(a, b)| {
                    let (prefix, suffix) = context(&doc.text, a..b, CONTEXT);
                    [
                        json!({"type": "TextQuoteSelector", "exact": doc.text.slice(a..b), "prefix": prefix, "suffix": suffix}),
                        json!({"type": "TextPositionSelector", "start": a, "end": b}),
                    ]
                })
                .collect();
            let mut body = vec![
                json!({"type": "TextualBody", "purpose": "tagging", "value": s.label.as_str()}),
            ];
            if let Some(note) = &s.note {
                body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note}));
            }
            items.push(json!({
                "id": span_iri(project, s.id),
                "type": "Annotation",
                "motivation": "tagging",
                "created": s.created,
                "body": body,
                // The article's own address when it has one (W3C: the
                // target's source is the resource annotated).
                "target": {
                    "source": doc.source.as_deref().and_then(|p| p.url.clone())
                        .unwrap_or_else(|| doc_iri(project, doc.id)),
                    "selector": selectors,
                },
            }));
        }
    }
    for l in project
        .links()
        .filter(|l| kept.contains(&l.from) && kept.contains(&l.to))
    {
        items.push(json!({
            "id": format!("urn:marginalia:{}:link:{}", slug(project.name()), l.id),
            "type": "Annotation",
            "motivation": "linking",
            "body": span_iri(project, l.to),
            "target": span_iri(project, l.from),
            "marginalia:linkType": l.kind,
        }));
    }
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("urn:marginalia:{}", slug(project.name())),
        "type": "AnnotationCollection",
        "label": project.name(),
        "total": items.len(),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    })
}

/// Pretty JSON-LD bytes.
pub fn export(project: &Project, filter: &Filter) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(&to_value(project, filter))?;
    out.push(b'\n');
    Ok(out)
}
