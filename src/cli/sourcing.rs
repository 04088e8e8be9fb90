//! `sources` (the sourcing analysis) and `source` (the registry).

use super::{CliResult, SourceAction, exec, find_doc, load, problem, save, unusable, write_line};
use crate::analysis::sourcing::{Analysis, Counts, analyse};
use crate::model::{
    DocId, Identification, Project, SourceEntry, SourceId, SourceKind, SpanId, registry,
};
use anyhow::anyhow;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One article's row of `sources --json`.
#[derive(Serialize)]
struct ArticleRow {
    document: u64,
    #[serde(flatten)]
    counts: CountsRow,
}

/// The counts, keyed as `sources --json` promises.
#[derive(Serialize)]
struct CountsRow {
    claims: usize,
    figures: usize,
    unsourced: usize,
    anonymous_only: usize,
    single_source: usize,
    distinct_sources: usize,
    kinds: BTreeMap<&'static str, usize>,
}

impl From<&Counts> for CountsRow {
    fn from(c: &Counts) -> Self {
        CountsRow {
            claims: c.claims,
            figures: c.figures,
            unsourced: c.unsourced,
            anonymous_only: c.anonymous_only,
            single_source: c.single_source,
            distinct_sources: c.distinct_sources,
            kinds: c.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
        }
    }
}

#[derive(Serialize)]
struct SourceRow<'a> {
    id: u64,
    name: &'a str,
    identification: Identification,
    kind: SourceKind,
    mentions: usize,
    articles: usize,
    claims: usize,
}

#[derive(Serialize)]
struct FindingRow<'a> {
    check: &'static str,
    document: u64,
    span: u64,
    message: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    articles: Vec<ArticleRow>,
    totals: CountsRow,
    sources: Vec<SourceRow<'a>>,
    findings: Vec<FindingRow<'a>>,
}

/// `marginalia sources PROJECT [--doc DOC] [--json]`.
pub(super) fn report(path: &Path, doc: Option<&str>, json: bool) -> CliResult {
    let project = load(path)?;
    let only: Option<DocId> = doc
        .map(|d| find_doc(&project, d).map(|d| d.id))
        .transpose()?;
    let mut analysis = analyse(&project);
    if let Some(d) = only {
        analysis = narrow(&project, analysis, d);
    }
    if json {
        let out = serde_json::to_string_pretty(&report_json(&project, &analysis))
            .map_err(|e| unusable(anyhow!(e)))?;
        say!("{out}");
    } else {
        print_text(&project, &analysis)?;
    }
    Ok(())
}

/// The analysis of one article (its totals are its own counts; its
/// sources are the entries it mentions).
fn narrow(project: &Project, analysis: Analysis, doc: DocId) -> Analysis {
    let articles = analysis
        .articles
        .into_iter()
        .filter(|a| a.doc == doc)
        .collect();
    let mut one = crate::analysis::sourcing::combine(project, articles);
    one.sources.retain(|s| !s.mentions.is_empty());
    one
}

fn report_json<'a>(project: &'a Project, a: &'a Analysis) -> Report<'a> {
    Report {
        articles: a
            .articles
            .iter()
            .map(|r| ArticleRow {
                document: r.doc.0,
                counts: (&r.counts).into(),
            })
            .collect(),
        totals: (&a.totals).into(),
        sources: a
            .sources
            .iter()
            .filter_map(|u| {
                let e = project.source(u.id)?;
                Some(SourceRow {
                    id: e.id.0,
                    name: &e.name,
                    identification: e.identification,
                    kind: e.kind,
                    mentions: u.mentions.len(),
                    articles: u.articles,
                    claims: u.claims.len(),
                })
            })
            .collect(),
        findings: a
            .findings()
            .map(|f| FindingRow {
                check: f.check.as_str(),
                document: f.doc.0,
                span: f.span.0,
                message: &f.message,
            })
            .collect(),
    }
}

fn print_text(project: &Project, a: &Analysis) -> CliResult {
    let t = &a.totals;
    say!(
        "{} article(s): {} claim(s), {} figure(s); {} unsourced, {} anonymous-only, {} single-source; {} distinct source(s)",
        a.articles.len(),
        t.claims,
        t.figures,
        t.unsourced,
        t.anonymous_only,
        t.single_source,
        t.distinct_sources
    );
    let b = a.buckets();
    say!(
        "articles by distinct sources: 0: {}, 1: {}, 2–3: {}, 4+: {}",
        b[0],
        b[1],
        b[2],
        b[3]
    );
    let mix = |m: Vec<(String, usize)>| {
        m.into_iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    say!(
        "kinds: {}",
        mix(t.kinds.iter().map(|(k, n)| (k.to_string(), *n)).collect())
    );
    say!(
        "identification: {}",
        mix(t
            .identifications
            .iter()
            .map(|(k, n)| (k.to_string(), *n))
            .collect())
    );
    say!("\narticle\tclaims\tfigures\tunsourced\tanonymous_only\tsingle_source\tdistinct_sources");
    for r in &a.articles {
        let c = &r.counts;
        let title = project.document(r.doc).map_or("", |d| d.title.as_str());
        say!(
            "{} {}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.doc,
            title,
            c.claims,
            c.figures,
            c.unsourced,
            c.anonymous_only,
            c.single_source,
            c.distinct_sources
        );
    }
    say!("\ntop sources (id, name, identification, kind: claims, figures, mentions, articles)");
    for u in a.sources.iter().filter(|u| !u.mentions.is_empty()).take(20) {
        if let Some(e) = project.source(u.id) {
            say!(
                "{}\t{}\t{}\t{}: {} claim(s), {} figure(s), {} mention(s), {} article(s)",
                e.id,
                e.name,
                e.identification,
                e.kind,
                u.claims.len(),
                u.figures.len(),
                u.mentions.len(),
                u.articles
            );
        }
    }
    let findings: Vec<_> = a.findings().collect();
    say!("\n{} finding(s)", findings.len());
    for f in findings {
        say!(
            "{}\tarticle {}\tspan {}\t{}",
            f.check.as_str(),
            f.doc,
            f.span,
            f.message
        );
    }
    Ok(())
}

/// `marginalia source PROJECT list|add|assign|merge`.
pub(super) fn registry(path: &Path, action: SourceAction) -> CliResult {
    let mut project = load(path)?;
    match action {
        SourceAction::List { json } => {
            list(&project, json)?;
            return Ok(());
        }
        SourceAction::Add {
            name,
            identification,
            kind,
            alias,
            wikidata,
            affiliation,
        } => {
            let identification: Identification = identification
                .parse()
                .map_err(|e: String| unusable(anyhow!(e)))?;
            let kind: SourceKind = kind.parse().map_err(|e: String| unusable(anyhow!(e)))?;
            let mut entry = SourceEntry::new(SourceId(0), &name, identification, kind);
            entry.aliases = alias.into_iter().map(|a| a.trim().to_string()).collect();
            entry.wikidata = wikidata.map(|q| q.trim().to_string());
            entry.affiliation = affiliation.filter(|a| !a.trim().is_empty());
            entry.check().map_err(|e| unusable(anyhow!(e)))?;
            let (id, command) = registry::add(&project, entry);
            exec(&mut project, command)?;
            save(&project, path)?;
            say!("{id}");
            return Ok(());
        }
        SourceAction::Assign { span, source_id } => {
            let span = SpanId(span);
            let s = project
                .span(span)
                .ok_or_else(|| problem(anyhow!("no span {span}")))?;
            if !registry::is_source_span(&project, span) {
                return Err(problem(anyhow!(
                    "span {span} is a {} span, not a source attribution",
                    s.label
                )));
            }
            let id = SourceId(source_id);
            if project.source(id).is_none() {
                return Err(problem(anyhow!("no source {id} in the registry")));
            }
            let command = registry::assign(&project, span, Some(id));
            exec(&mut project, command)?;
        }
        SourceAction::Merge { source_id, into_id } => {
            let command = registry::merge(&project, SourceId(source_id), SourceId(into_id))
                .map_err(|e| problem(anyhow!(e)))?;
            exec(&mut project, command)?;
        }
    }
    save(&project, path)
}

fn list(project: &Project, json: bool) -> CliResult {
    let analysis = analyse(project);
    let uses: BTreeMap<SourceId, (usize, usize, usize)> = analysis
        .sources
        .iter()
        .map(|u| (u.id, (u.mentions.len(), u.articles, u.claims.len())))
        .collect();
    if json {
        let rows: Vec<_> = project
            .sources()
            .map(|e| {
                let (mentions, articles, claims) = uses.get(&e.id).copied().unwrap_or_default();
                serde_json::json!({
                    "id": e.id.0,
                    "name": e.name,
                    "identification": e.identification,
                    "kind": e.kind,
                    "affiliation": e.affiliation,
                    "aliases": e.aliases,
                    "wikidata": e.wikidata,
                    "mentions": mentions,
                    "articles": articles,
                    "claims": claims,
                })
            })
            .collect();
        let out = serde_json::to_string_pretty(&rows).map_err(|e| unusable(anyhow!(e)))?;
        say!("{out}");
        return Ok(());
    }
    for e in project.sources() {
        let (mentions, articles, claims) = uses.get(&e.id).copied().unwrap_or_default();
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also {})", e.aliases.join(", "))
        };
        say!(
            "{}\t{}{aliases}\t{}\t{}\t{mentions} mention(s), {articles} article(s), {claims} claim(s)",
            e.id,
            e.name,
            e.identification,
            e.kind
        );
    }
    Ok(())
}
