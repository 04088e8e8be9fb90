//! schema.org JSON-LD for fact-checkers: one `Claim` per claim, its
//! `author`s the registry entries it rests on, its `appearance` the
//! article; a claim whose `status` is a verdict also gets a `ClaimReview`.
//! Only schema.org terms are used.

use super::common::{Filter, covered};
use crate::analysis::sourcing::{SourceRef, analyse};
use crate::model::{Document, Identification, Project, SourceEntry, SourceKind, Span};
use serde_json::{Map, Value, json};

/// The textual rating of a `status` value that is a verdict; `None` for
/// `unverified` and anything else.
pub fn verdict(status: &str) -> Option<&'static str> {
    match status {
        "verified" => Some("True"),
        "false" => Some("False"),
        "disputed" => Some("Disputed"),
        _ => None,
    }
}

/// The JSON-LD document.
pub fn to_jsonld(project: &Project, filter: &Filter) -> Value {
    let mut graph = Vec::new();
    for article in analyse(project).articles {
        if !filter.keeps_doc(article.doc) {
            continue;
        }
        let Some(doc) = project.document(article.doc) else {
            continue;
        };
        let appearance = creative_work(doc);
        for claim in article.claims.iter().filter(|c| !c.figure) {
            let Some(span) = project.span(claim.span).filter(|s| filter.keeps(s)) else {
                continue;
            };
            let text = covered(project, span).into_owned();
            let id = format!("#claim-{}", span.id);
            let authors: Vec<Value> = claim
                .sources
                .iter()
                .filter_map(|r| match r {
                    SourceRef::Entry(e) => project.source(*e).map(author),
                    SourceRef::Unassigned(s) => project.span(*s).map(|s| unassigned(project, s)),
                })
                .collect();
            let mut node = Map::new();
            node.insert("@type".into(), json!("Claim"));
            node.insert("@id".into(), json!(id));
            node.insert("text".into(), json!(text));
            if !authors.is_empty() {
                node.insert("author".into(), Value::Array(authors));
            }
            node.insert("appearance".into(), appearance.clone());
            graph.push(Value::Object(node));
            if let Some(rating) = span.attrs.get("status").and_then(|s| verdict(s)) {
                graph.push(json!({
                    "@type": "ClaimReview",
                    "claimReviewed": text,
                    "itemReviewed": {"@id": id},
                    "reviewRating": {"@type": "Rating", "alternateName": rating},
                }));
            }
        }
    }
    json!({"@context": "https://schema.org", "@graph": graph})
}

/// Serialises to pretty JSON-LD.
pub fn export(project: &Project, filter: &Filter) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(&to_jsonld(project, filter))?;
    out.push(b'\n');
    Ok(out)
}

/// The article as a `CreativeWork`: its headline, and its URL and date
/// when known.
fn creative_work(doc: &Document) -> Value {
    let source = doc.source.as_deref();
    let mut work = Map::new();
    work.insert("@type".into(), json!("CreativeWork"));
    let headline = source
        .and_then(|s| s.title.as_deref())
        .unwrap_or(&doc.title);
    work.insert("headline".into(), json!(headline));
    if let Some(url) = source.and_then(|s| s.url.as_deref()) {
        work.insert("url".into(), json!(url));
    }
    if let Some(date) = source.and_then(|s| s.published.as_deref()) {
        work.insert("datePublished".into(), json!(date));
    }
    Value::Object(work)
}

/// A registry entry as an author: a `Person` or `Organization`, named
/// (with `sameAs` its Wikidata page) only when the entry is named. A
/// described or anonymous source is an unnamed author with a
/// `description`: never a guessed identity.
fn author(e: &SourceEntry) -> Value {
    let body = matches!(
        e.kind,
        SourceKind::Organisation | SourceKind::Media | SourceKind::Document
    );
    let mut node = Map::new();
    node.insert(
        "@type".into(),
        json!(if body { "Organization" } else { "Person" }),
    );
    if e.identification == Identification::Named {
        node.insert("name".into(), json!(e.name));
        if !e.aliases.is_empty() {
            node.insert("alternateName".into(), json!(e.aliases));
        }
        if let Some(q) = &e.wikidata {
            node.insert(
                "sameAs".into(),
                json!(format!("https://www.wikidata.org/wiki/{q}")),
            );
        }
    } else {
        node.insert("description".into(), json!(e.name));
    }
    if let Some(a) = &e.affiliation {
        let key = if body {
            "parentOrganization"
        } else {
            "affiliation"
        };
        node.insert(key.into(), json!({"@type": "Organization", "name": a}));
    }
    Value::Object(node)
}

/// A source span with no entry: an unnamed author described by its words.
fn unassigned(project: &Project, span: &Span) -> Value {
    json!({"@type": "Person", "description": covered(project, span)})
}
