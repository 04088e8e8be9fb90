//! The sourcing charts as inline SVG (no script), for the HTML report: one
//! stacked bar per article, the kind mix, the top sources and the article ×
//! source matrix. The same charts as the window's Sourcing view.

use super::common::html_escape;
use crate::analysis::sourcing::{Analysis, Article, BUCKETS, Support};
use crate::model::{Project, SourceId};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The colour of a support class, as the window draws it.
pub fn support_color(s: Support) -> &'static str {
    match s {
        Support::Named => "#2e7d32",
        Support::Described => "#f9a825",
        Support::Anonymous => "#c62828",
        Support::Unassigned => "#8e8e8e",
        Support::Unsourced => "#d7d7d7",
    }
}

/// The report's sourcing section: totals, charts and findings.
pub fn section(project: &Project, a: &Analysis) -> String {
    let mut h = String::from("<section id=\"sourcing\">\n<h2>Sourcing</h2>\n");
    let t = &a.totals;
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} claims and {} figures in {} articles: <b>{}</b> unsourced, <b>{}</b> resting only on anonymous or described sources, <b>{}</b> on exactly one source; {} distinct sources.</p>",
        t.claims,
        t.figures,
        a.articles.len(),
        t.unsourced,
        t.anonymous_only,
        t.single_source,
        t.distinct_sources
    );
    h.push_str("<table><tr><th>Distinct sources per article</th>");
    for b in BUCKETS {
        let _ = write!(h, "<th>{b}</th>");
    }
    h.push_str("</tr><tr><td>articles</td>");
    for n in a.buckets() {
        let _ = write!(h, "<td class=\"num\">{n}</td>");
    }
    h.push_str("</tr></table>\n");
    h.push_str("<h3>Claims by support, per article</h3>\n");
    h.push_str(&support_bars(project, a));
    h.push_str("<h3>Kinds of source</h3>\n");
    let kinds: Vec<(String, usize)> = t.kinds.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    h.push_str(&bar_list(&kinds, "#5f7fb8", "entries"));
    h.push_str("<h3>Top sources (claims resting on them)</h3>\n");
    let top: Vec<(String, usize)> = a
        .sources
        .iter()
        .filter(|u| !u.claims.is_empty())
        .take(15)
        .filter_map(|u| {
            project
                .source(u.id)
                .map(|e| (e.name.clone(), u.claims.len()))
        })
        .collect();
    h.push_str(&bar_list(&top, "#5fb85a", "claims"));
    h.push_str("<h3>Articles × sources (mentions)</h3>\n");
    h.push_str(&matrix(project, a));
    findings(&mut h, project, a);
    h.push_str("</section>\n");
    h
}

/// One horizontal stacked bar per article: named, described,
/// anonymous-only, unassigned and unsourced claims.
fn support_bars(project: &Project, a: &Analysis) -> String {
    let row = 22;
    let label_w = 260;
    let bar_w = 420;
    let most = a
        .articles
        .iter()
        .map(|r| r.counts.claims)
        .max()
        .unwrap_or(0)
        .max(1);
    let height = row * a.articles.len() + 30;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"claims by support per article\" width=\"{}\" height=\"{height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n",
        label_w + bar_w + 40
    );
    for (i, r) in a.articles.iter().enumerate() {
        let y = i * row;
        let title = project.document(r.doc).map_or("", |d| d.title.as_str());
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 15,
            html_escape(&shorten(title, 40))
        );
        let mut x = label_w as f64;
        for class in Support::ALL {
            let n = r.counts.support.get(&class).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = n as f64 * bar_w as f64 / most as f64;
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"16\" fill=\"{}\"><title>{}: {n} claim(s)</title></rect>",
                y + 3,
                support_color(class),
                class.as_str()
            );
            x += w;
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            x + 4.0,
            y + 15,
            r.counts.claims
        );
    }
    // The legend.
    let y = row * a.articles.len() + 14;
    let mut x = 0;
    for class in Support::ALL {
        let _ = writeln!(
            s,
            "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            y - 9,
            support_color(class),
            x + 14,
            y,
            class.as_str()
        );
        x += 110;
    }
    s.push_str("</svg>\n");
    s
}

/// Labelled horizontal bars, one per (name, count).
fn bar_list(rows: &[(String, usize)], color: &str, unit: &str) -> String {
    if rows.is_empty() {
        return "<p class=\"meta\">None yet.</p>\n".into();
    }
    let row = 20;
    let label_w = 260;
    let bar_w = 360;
    let most = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{unit}\" width=\"{}\" height=\"{}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n",
        label_w + bar_w + 40,
        row * rows.len() + 4
    );
    for (i, (name, n)) in rows.iter().enumerate() {
        let y = i * row;
        let w = *n as f64 * bar_w as f64 / most as f64;
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"14\" fill=\"{color}\"><title>{}: {n} {unit}</title></rect><text x=\"{:.1}\" y=\"{}\">{n}</text>",
            y + 14,
            html_escape(&shorten(name, 40)),
            y + 3,
            html_escape(name),
            label_w as f64 + w + 4.0,
            y + 14
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Articles down, the top sources across; a cell's shade is its mentions.
fn matrix(project: &Project, a: &Analysis) -> String {
    let columns: Vec<SourceId> = a
        .sources
        .iter()
        .filter(|u| !u.mentions.is_empty())
        .take(20)
        .map(|u| u.id)
        .collect();
    if columns.is_empty() || a.articles.is_empty() {
        return "<p class=\"meta\">No source is assigned yet.</p>\n".into();
    }
    let cell = 22;
    let label_w = 260;
    let head = 150;
    let rows = a.articles.len().min(60);
    let counts: Vec<BTreeMap<SourceId, usize>> = a
        .articles
        .iter()
        .take(rows)
        .map(Article::mentions_by_entry)
        .collect();
    let most = counts
        .iter()
        .flat_map(|m| m.values())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"articles by sources\" width=\"{}\" height=\"{}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n",
        label_w + cell * columns.len() + 120,
        head + cell * rows + 4
    );
    for (j, id) in columns.iter().enumerate() {
        let name = project.source(*id).map_or("", |e| e.name.as_str());
        let x = label_w + j * cell + cell / 2;
        let _ = writeln!(
            s,
            "<text transform=\"translate({x},{}) rotate(-60)\">{}</text>",
            head - 4,
            html_escape(&shorten(name, 24))
        );
    }
    for (i, r) in a.articles.iter().take(rows).enumerate() {
        let y = head + i * cell;
        let title = project.document(r.doc).map_or("", |d| d.title.as_str());
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 15,
            html_escape(&shorten(title, 40))
        );
        for (j, id) in columns.iter().enumerate() {
            let n = counts[i].get(id).copied().unwrap_or(0);
            let shade = if n == 0 {
                "#f4f4f4".to_string()
            } else {
                let t = 0.25 + 0.75 * n as f64 / most as f64;
                format!("rgba(95,127,184,{t:.2})")
            };
            let _ = writeln!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{shade}\"><title>{n} mention(s)</title></rect>",
                label_w + j * cell,
                y + 1,
                cell - 2,
                cell - 2
            );
        }
    }
    s.push_str("</svg>\n");
    if a.articles.len() > rows {
        let _ = writeln!(
            s,
            "<p class=\"meta\">The first {rows} of {} articles.</p>",
            a.articles.len()
        );
    }
    s
}

/// The editorial checks' findings, linked to their articles.
fn findings(h: &mut String, project: &Project, a: &Analysis) {
    let all: Vec<_> = a.findings().collect();
    let _ = writeln!(h, "<h3>Editorial checks ({} findings)</h3>", all.len());
    if all.is_empty() {
        return;
    }
    h.push_str("<table><tr><th>Check</th><th>Article</th><th>Span</th><th>Finding</th></tr>\n");
    for f in all {
        let title = project.document(f.doc).map_or("", |d| d.title.as_str());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><a href=\"#doc-{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            f.check.as_str(),
            f.doc,
            html_escape(&shorten(title, 40)),
            f.span,
            html_escape(&f.message)
        );
    }
    h.push_str("</table>\n");
}

/// The first `n` characters, with "…" when cut.
fn shorten(s: &str, n: usize) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(n).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}
