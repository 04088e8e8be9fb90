//! `retext`: replace an article's text and re-anchor its spans.

use super::{CliResult, exec, find_doc, load, problem, save, unusable, write_line};
use crate::assist::reread::{corrections, retext_command};
use crate::formats::text::import_file;
use crate::model::anchor::{Status, plan_retext};
use anyhow::anyhow;
use serde_json::json;
use std::path::Path;

/// Replaces the text of article `doc` with the file `new` (imported by the
/// usual rules) and saves, unless `dry_run`. Exit 0 when no span was
/// orphaned, 1 otherwise.
pub fn retext(path: &Path, doc: &str, new: &Path, dry_run: bool, as_json: bool) -> CliResult<u8> {
    let mut project = load(path)?;
    let doc = find_doc(&project, doc)?.id;
    let imported = import_file(new).map_err(unusable)?;
    let mut plan = plan_retext(&project, doc, &imported.text, &|_| {})
        .map_err(|e| problem(anyhow!("{}: {e}", new.display())))?;
    if let Some(source) = &imported.source {
        plan.read_from(&project, source);
    }
    let orphaned = plan.count(Status::Orphaned);
    let corrected = corrections(&project, &plan);
    if as_json {
        let spans: Vec<_> = plan
            .placements
            .iter()
            .map(|p| {
                let (start, end) = match &p.fragments {
                    Some(f) => (f.first().map(|x| x.0), f.last().map(|x| x.1)),
                    None => (None, None),
                };
                let mut v = json!({
                    "id": p.id.0,
                    "status": p.status.as_str(),
                    "start": start,
                    "end": end,
                    "score": (p.score * 1000.0).round() / 1000.0,
                });
                if let Some(f) = p.fragments.as_ref().filter(|f| f.len() > 1) {
                    v["fragments"] = json!(f);
                }
                if let Some(c) = corrected.iter().find(|c| c.id == p.id) {
                    v["old_text"] = json!(c.old);
                    v["new_text"] = json!(c.new);
                    let reread: Vec<_> = c
                        .reread
                        .iter()
                        .map(|(name, old, new)| json!({"attribute": name, "old": old, "new": new}))
                        .collect();
                    v["reread"] = json!(reread);
                    v["stale"] = json!(c.stale);
                }
                v
            })
            .collect();
        let out = json!({ "spans": spans, "dry_run": dry_run });
        write_line(format_args!("{out}"))?;
    } else {
        write_line(format_args!(
            "{}: {} kept, {} moved, {} fuzzy, {} orphaned{}",
            new.display(),
            plan.count(Status::Kept),
            plan.count(Status::Moved),
            plan.count(Status::Fuzzy),
            orphaned,
            if dry_run {
                " (dry run: nothing saved)"
            } else {
                ""
            }
        ))?;
        if let Some(s) = &plan.source {
            write_line(format_args!(
                "  article source: now {} ({}, sha256 {})",
                s.file_name.as_deref().unwrap_or("standard input"),
                s.format.as_deref().unwrap_or("text"),
                s.sha256
                    .as_deref()
                    .map_or("unknown", |h| &h[..h.len().min(12)])
            ))?;
        }
        for c in &corrected {
            let mut line = format!("  corrected span {} “{}” → “{}”", c.id, c.old, c.new);
            for (name, old, new) in &c.reread {
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
                line.push_str(&format!("; {name} {} → {}", shown(old), shown(new)));
            }
            for name in &c.stale {
                line.push_str(&format!("; {name} may be stale (typed by hand)"));
            }
            write_line(format_args!("{line}"))?;
        }
        let old = project.document(doc).map(|d| d.text.clone());
        for p in plan
            .placements
            .iter()
            .filter(|p| p.status == Status::Orphaned)
        {
            let quote = match (project.span(p.id), &old) {
                (Some(s), Some(t)) => s.quote(t),
                _ => String::new(),
            };
            write_line(format_args!(
                "  orphaned span {} “{quote}” (best candidate {:.2})",
                p.id, p.score
            ))?;
        }
    }
    if !dry_run {
        exec(&mut project, retext_command(&plan, &corrected))?;
        save(&project, path)?;
    }
    Ok(u8::from(orphaned > 0))
}
