//! `tag`, `retag`, `untag`, `attr` and `link`: editing spans by quote
//! and id.

use super::{CliResult, edit, exec, find_doc, load, problem, save, unusable, write_line};
use crate::model::{Command, Document, LabelId, SpanId};
use anyhow::anyhow;
use std::path::Path;

/// Char range of the N-th (1-based) occurrence of `quote` in `doc`.
pub fn find_quote(
    doc: &Document,
    quote: &str,
    occurrence: Option<usize>,
) -> anyhow::Result<(usize, usize)> {
    if quote.is_empty() {
        return Err(anyhow!("the quote is empty"));
    }
    let text = doc.text.as_str();
    let hits: Vec<usize> = text.match_indices(quote).map(|(b, _)| b).collect();
    let byte = match (hits.len(), occurrence) {
        (0, _) => {
            return Err(anyhow!(
                "quote {quote:?} does not occur in document {} ({})",
                doc.id,
                doc.title
            ));
        }
        (1, None) => hits[0],
        (n, None) => {
            return Err(anyhow!(
                "quote {quote:?} is ambiguous: it occurs {n} times in document {}; pass --occurrence 1..{n}",
                doc.id
            ));
        }
        (n, Some(k)) if k == 0 || k > n => {
            return Err(anyhow!(
                "--occurrence {k} is out of range: the quote occurs {n} time(s) in document {}",
                doc.id
            ));
        }
        (_, Some(k)) => hits[k - 1],
    };
    let start = doc.text.char_of(byte);
    Ok((start, start + quote.chars().count()))
}

pub(super) fn tag(
    path: &Path,
    doc_key: &str,
    label: &str,
    quotes: &[String],
    occurrence: Option<usize>,
    note: Option<String>,
    attr_args: &[String],
) -> CliResult {
    let mut project = load(path)?;
    let doc = find_doc(&project, doc_key)?;
    let label = LabelId(label.into());
    if project.label(&label).is_none() {
        let known: Vec<&str> = project.labels().iter().map(|l| l.id.as_str()).collect();
        return Err(problem(anyhow!(
            "unknown label {label:?}; the schema has: {}",
            known.join(", ")
        )));
    }
    let mut fragments = Vec::new();
    for (i, quote) in quotes.iter().enumerate() {
        let fragment = match fragments.last() {
            None => find_quote(doc, quote, occurrence),
            Some(&(_, after)) => find_quote_after(doc, quote, after),
        };
        let f = fragment.map_err(|e| problem(anyhow!("quote {}: {e}", i + 1)))?;
        fragments.push(f);
    }
    let mut attrs = std::collections::BTreeMap::new();
    for a in attr_args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(unusable(anyhow!("--attr {a:?} is not KEY=VALUE")));
        };
        attrs.insert(k.trim().to_string(), v.trim().to_string());
    }
    let doc = doc.id;
    if let Some(twin) = project.same_span(doc, &label, &fragments, None) {
        // Tagging it again would stack an identical twin that counts twice.
        if note.is_some() || !attrs.is_empty() {
            return Err(problem(anyhow!(
                "span {twin} already has this label and covers exactly this text; set its note or attributes with `note`/`attr` instead"
            )));
        }
        eprintln!(
            "marginalia: span {twin} already has this label and covers exactly this text; nothing added"
        );
        say!("{twin}");
        return Ok(());
    }
    let created = exec(
        &mut project,
        Command::AddSpanWith {
            doc,
            label,
            fragments,
            attrs,
            note,
            created: crate::clock::now_rfc3339(),
        },
    )?;
    save(&project, path)?;
    if let Some(id) = created.spans.first() {
        say!("{id}");
    }
    Ok(())
}

/// The first occurrence of `quote` starting at or after char `after`.
pub(super) fn find_quote_after(
    doc: &Document,
    quote: &str,
    after: usize,
) -> anyhow::Result<(usize, usize)> {
    if quote.is_empty() {
        return Err(anyhow!("the quote is empty"));
    }
    let from = doc.text.byte_of(after);
    let byte = doc.text.as_str()[from..]
        .find(quote)
        .map(|b| from + b)
        .ok_or_else(|| {
            anyhow!(
                "quote {quote:?} does not occur after the previous one in document {}",
                doc.id
            )
        })?;
    let start = doc.text.char_of(byte);
    Ok((start, start + quote.chars().count()))
}

pub(super) fn retag(path: &Path, span: u64, label: &str) -> CliResult {
    let label = LabelId(label.into());
    let created = edit(path, Command::RetagSpan(SpanId(span), label))?;
    if !created.removed_links.is_empty() {
        say!(
            "removed {} link(s) that the new label cannot have",
            created.removed_links.len()
        );
    }
    Ok(())
}

/// Deletes a span and says what else went with it (events that used it,
/// links, notes), which `retag` likewise says of links.
pub(super) fn untag(path: &Path, span: SpanId) -> CliResult {
    let created = edit(path, Command::RemoveSpan(span))?;
    if let Some(also) = created.removed.besides(&[span]) {
        say!("removed span {span}; also removed {also}");
    }
    Ok(())
}

/// Sets an attribute as an analyst writes it: "2,000" is stored as 2000, a
/// range "2,000–3,000" fills `value` and `value_max`.
pub(super) fn attr(path: &Path, span: u64, key: String, value: String) -> CliResult {
    let mut project = load(path)?;
    let id = SpanId(span);
    let label = project
        .span(id)
        .and_then(|s| project.label(&s.label))
        .ok_or_else(|| problem(anyhow!("span {span} does not exist")))?;
    let values = match label.typed_values(&key, &value) {
        Ok(v) => v,
        // An undeclared name gets the model's own message.
        Err(_) if label.attribute(&key).is_none() => {
            vec![(
                key,
                Some(value.trim().to_string()).filter(|v| !v.is_empty()),
            )]
        }
        Err(e) => return Err(problem(anyhow!("span {span}: {e}"))),
    };
    let commands = values
        .into_iter()
        .map(|(k, v)| Command::SetAttr(id, k, v))
        .collect();
    exec(
        &mut project,
        Command::Group("set attributes".into(), commands),
    )?;
    save(&project, path)
}

pub(super) fn link(path: &Path, from: u64, to: u64, kind: String) -> CliResult {
    let mut project = load(path)?;
    let created = exec(
        &mut project,
        Command::AddLink {
            from: SpanId(from),
            to: SpanId(to),
            kind,
        },
    )?;
    save(&project, path)?;
    if let Some(id) = created.links.first() {
        say!("{id}");
    }
    Ok(())
}
