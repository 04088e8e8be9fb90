//! A standalone, printable HTML report: each article with its highlights and
//! a legend, a table of claims with their sources and figures, and counts
//! per label. Every piece of user text goes through [`html_escape`].

use super::common::{Filter, covered, html_escape};
use crate::model::{ATTRIBUTED_TO, CLAIM, FIGURE, Project, Span, SpanId, Target};

const STYLE: &str = r#"
body { font: 16px/1.6 Georgia, "Noto Serif", "Nanum Myeongjo", serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
.meta, .legend, table { font-family: system-ui, sans-serif; font-size: 0.9rem; }
.legend span.key { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; border-radius: 2px; }
.text { white-space: pre-wrap; }
.seg { border-radius: 2px; padding-bottom: 2px; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
td.num { text-align: right; }
.note { color: #555; font-style: italic; }
article { page-break-after: always; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"#;

fn rgba(project: &Project, label: &crate::model::LabelId, alpha: f32) -> String {
    let c = project
        .label(label)
        .map_or(crate::model::Rgb(0x99, 0x99, 0x99), |l| l.color);
    format!("rgba({},{},{},{alpha})", c.0, c.1, c.2)
}

/// The article's provenance under its title: site, authors, date, the
/// link to the original, and the file it was read from.
fn article_header(h: &mut String, d: &crate::model::Document) {
    let Some(p) = d.source.as_deref() else {
        if let Some(o) = &d.origin {
            h.push_str(&format!(
                "<p class=\"meta\">Source: {}</p>\n",
                html_escape(o)
            ));
        }
        return;
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(site) = &p.site {
        parts.push(html_escape(site));
    }
    if !p.authors.is_empty() {
        parts.push(format!("by {}", html_escape(&p.authors.join(", "))));
    }
    if let Some(date) = &p.published {
        parts.push(html_escape(date));
    }
    if let Some(url) = &p.url {
        let e = html_escape(url);
        parts.push(format!("<a href=\"{e}\">{e}</a>"));
    }
    if let Some(file) = &p.file_name {
        parts.push(format!(
            "from {}{}",
            html_escape(file),
            p.format
                .as_deref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default()
        ));
    }
    if !parts.is_empty() {
        h.push_str(&format!("<p class=\"meta\">{}</p>\n", parts.join(" · ")));
    }
}

/// The sources a claim or figure is attributed to, one per line, or "no
/// source" (the same for both tables).
fn sources_cell(project: &Project, span: &Span) -> String {
    let sources: Vec<String> = project
        .links_of(span.id)
        .filter(|l| l.from == span.id && l.kind == ATTRIBUTED_TO)
        .filter_map(|l| project.span(l.to))
        .map(|s| html_escape(&covered(project, s)))
        .collect();
    if sources.is_empty() {
        "<em>no source</em>".to_string()
    } else {
        sources.join("<br>")
    }
}

/// Renders the report.
pub fn export(project: &Project, filter: &Filter) -> Vec<u8> {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        html_escape(project.name())
    ));
    h.push_str(&format!("<h1>{}</h1>\n", html_escape(project.name())));
    // Counts per label over the exported spans.
    h.push_str("<table class=\"counts\"><tr><th>Label</th>");
    let docs: Vec<_> = project
        .documents()
        .filter(|d| filter.keeps_doc(d.id))
        .collect();
    for d in &docs {
        h.push_str(&format!("<th>{}</th>", html_escape(&d.title)));
    }
    h.push_str("<th>Total</th></tr>\n");
    for l in project.labels() {
        if filter.labels.as_ref().is_some_and(|ls| !ls.contains(&l.id)) {
            continue;
        }
        h.push_str(&format!("<tr><td><i style=\"display:inline-block;width:.9em;height:.9em;background:{}\"></i> {}</td>", l.color, html_escape(&l.name)));
        let mut total = 0;
        for d in &docs {
            let n = project.spans_in(d.id).filter(|s| s.label == l.id).count();
            total += n;
            h.push_str(&format!("<td class=\"num\">{n}</td>"));
        }
        h.push_str(&format!("<td class=\"num\">{total}</td></tr>\n"));
    }
    h.push_str("</table>\n");
    let mut articles = crate::analysis::sourcing::analyse(project).articles;
    articles.retain(|a| filter.keeps_doc(a.doc));
    let shown = crate::analysis::sourcing::combine(project, articles);
    h.push_str(&super::sourcing_svg::section(project, &shown));
    for d in docs {
        let spans = filter.spans_in(project, d.id);
        h.push_str(&format!(
            "<article id=\"doc-{}\">\n<h2>{}</h2>\n",
            d.id,
            html_escape(&d.title)
        ));
        article_header(&mut h, d);
        h.push_str("<p class=\"legend\">");
        for l in project.labels() {
            h.push_str(&format!(
                "<span class=\"key\"><i style=\"background:{}\"></i>{}</span>",
                l.color,
                html_escape(&l.name)
            ));
        }
        h.push_str("</p>\n<div class=\"text\">");
        h.push_str(&highlighted(project, &d.text, &spans));
        h.push_str("</div>\n");
        // Claims with their sources and the figures inside them.
        let claims: Vec<&&Span> = spans.iter().filter(|s| s.label.as_str() == CLAIM).collect();
        if !claims.is_empty() {
            h.push_str("<h3>Claims</h3>\n<table><tr><th>#</th><th>Claim</th><th>Sources</th><th>Figures</th><th>Note</th></tr>\n");
            for c in claims {
                let sources = sources_cell(project, c);
                let figures: Vec<String> = spans
                    .iter()
                    .filter(|f| f.label.as_str() == FIGURE && f.start >= c.start && f.end <= c.end)
                    .map(|f| html_escape(&covered(project, f)))
                    .collect();
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td></tr>\n",
                    c.id,
                    html_escape(&covered(project, c)),
                    attributes(c),
                    sources,
                    figures.join("<br>"),
                    html_escape(c.note.as_deref().unwrap_or("")),
                ));
            }
            h.push_str("</table>\n");
        }
        let figures: Vec<&&Span> = spans
            .iter()
            .filter(|s| s.label.as_str() == FIGURE)
            .collect();
        if !figures.is_empty() {
            h.push_str("<h3>Figures</h3>\n<table><tr><th>#</th><th>Figure</th><th>Sources</th><th>Note</th></tr>\n");
            for f in figures {
                let sources = sources_cell(project, f);
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}{}</td><td>{}</td><td class=\"note\">{}</td></tr>\n",
                    f.id,
                    html_escape(&covered(project, f)),
                    attributes(f),
                    sources,
                    html_escape(f.note.as_deref().unwrap_or(""))
                ));
            }
            h.push_str("</table>\n");
        }
        events_table(&mut h, project, &spans);
        h.push_str("</article>\n");
    }
    h.push_str("<p class=\"meta\">Written by Marginalia. Offsets are Unicode code points.</p>\n</body>\n</html>\n");
    h.into_bytes()
}

/// The article's events whose spans are all kept: type, trigger, and each
/// argument with its role ("" when there are none).
fn events_table(h: &mut String, project: &Project, spans: &[&Span]) {
    let kept: std::collections::HashSet<SpanId> = spans.iter().map(|s| s.id).collect();
    let events = project.events_among(|s| kept.contains(&s));
    if events.is_empty() {
        return;
    }
    h.push_str("<h3>Events</h3>\n<table><tr><th>#</th><th>Type</th><th>Trigger</th><th>Arguments</th></tr>\n");
    let quote = |id: SpanId| {
        project
            .span(id)
            .map_or(String::new(), |s| html_escape(&covered(project, s)))
    };
    for e in events {
        let args: Vec<String> = e
            .args
            .iter()
            .map(|(role, t)| match t {
                Target::Span(s) => format!("<b>{}</b>: {}", html_escape(role), quote(*s)),
                Target::Event(ev) => format!("<b>{}</b>: event {ev}", html_escape(role)),
            })
            .collect();
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            e.id,
            html_escape(&e.kind),
            quote(e.trigger),
            args.join("<br>")
        ));
    }
    h.push_str("</table>\n");
}

/// A span's attribute values, as a small escaped line ("" when none).
fn attributes(s: &Span) -> String {
    if s.attrs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = s
        .attrs
        .iter()
        .map(|(k, v)| {
            if v == "true" {
                k.clone()
            } else {
                format!("{k}: {v}")
            }
        })
        .collect();
    format!("<br><small>{}</small>", html_escape(&parts.join(" · ")))
}

/// The text cut at every span boundary; each piece is coloured by the
/// innermost span over it and underlined once per covering span, so
/// overlapping and nested spans stay visible.
fn highlighted(project: &Project, text: &crate::model::DocText, spans: &[&Span]) -> String {
    let mut cuts: Vec<usize> = vec![0, text.char_len()];
    for s in spans {
        for (a, b) in s.fragments_iter() {
            cuts.push(a);
            cuts.push(b);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let piece = html_escape(text.slice(a..b));
        // A discontinuous span covers its fragments, not the gaps.
        let mut over: Vec<&&Span> = spans
            .iter()
            .filter(|s| s.fragments_iter().any(|f| f.0 <= a && f.1 >= b))
            .collect();
        if over.is_empty() {
            out.push_str(&piece);
            continue;
        }
        over.sort_by_key(|s| std::cmp::Reverse(s.end - s.start));
        let inner = over[over.len() - 1];
        let shadows: Vec<String> = over
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "inset 0 -{}px 0 {}",
                    2 + 3 * i,
                    rgba(project, &s.label, 1.0)
                )
            })
            .collect();
        let title: Vec<String> = over
            .iter()
            .map(|s| match &s.note {
                Some(n) => format!("{} #{}: {}", project.label_name(&s.label), s.id, n),
                None => format!("{} #{}", project.label_name(&s.label), s.id),
            })
            .collect();
        out.push_str(&format!(
            "<span class=\"seg\" style=\"background:{};box-shadow:{}\" title=\"{}\">{piece}</span>",
            rgba(project, &inner.label, 0.25),
            shadows.join(","),
            html_escape(&title.join("\n"))
        ));
    }
    out
}
