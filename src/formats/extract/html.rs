//! Saved web pages: the article's main text (menus, related links, share
//! buttons, comments and footers dropped) and what the page says about
//! itself (URL, headline, authors, date, site, language).
//!
//! The main content is found by `rs-trafilatura` (a port of trafilatura,
//! chosen by measuring it against others on the ScrapingHub benchmark; see
//! the README); its HTML is then made plain text here, block by block, so
//! that paragraphs, headings, list items and table cells keep their shape.

use super::{ExtractError, Extracted};
use crate::model::Provenance;
use dom_query::{Document as Dom, NodeRef};

/// Deepest element nesting read. Parsers and tree walks recurse, so a page
/// nested 100,000 levels deep is refused before it is parsed.
pub const MAX_DEPTH: usize = 2_000;

/// The article in `html`, with what the page says about itself.
pub fn extract(html: &str) -> Result<Extracted, ExtractError> {
    let depth = nesting_depth(html);
    if depth > MAX_DEPTH {
        return Err(ExtractError::TooDeep { depth });
    }
    let dom = Dom::from(html);
    let mut source = metadata(&dom);
    let options = rs_trafilatura::Options {
        include_tables: true,
        ..Default::default()
    };
    let found = rs_trafilatura::extract_with_options(html, &options).ok();
    let text = found.as_ref().map_or_else(String::new, |f| {
        main_text(f.content_html.as_deref(), &f.content_text)
    });
    if let Some(meta) = found.as_ref().map(|f| &f.metadata) {
        fill(&mut source.title, meta.title.as_deref());
        fill(&mut source.url, meta.url.as_deref());
        fill(&mut source.site, meta.sitename.as_deref());
        fill(&mut source.language, meta.language.as_deref());
        if source.authors.is_empty()
            && let Some(a) = meta.author.as_deref()
        {
            source.authors = split_authors(a);
        }
        if source.published.is_none() {
            source.published = meta.date.map(|d| d.format("%Y-%m-%d").to_string());
        }
    }
    let text = drop_furniture(&drop_leading_title(&text, source.title.as_deref()));
    if text.trim().is_empty() {
        return Err(ExtractError::NoText(
            "no article text was found in the page (it may be only scripts, or need JavaScript to show)",
        ));
    }
    Ok(Extracted {
        title: source.title.clone(),
        text,
        source,
    })
}

/// The deepest element nesting in `html`, counted cheaply from tags (void
/// elements and self-closing tags do not nest).
pub fn nesting_depth(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(at) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + at + 1;
        let end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        let tag = &html[start..end.min(html.len())];
        i = end.min(bytes.len());
        if let Some(name) = tag.strip_prefix('/') {
            if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let Some(first) = tag.chars().next() else {
            continue;
        };
        if !first.is_ascii_alphabetic() || tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
        if name == "script" || name == "style" {
            // Their text is not markup: skip to the closing tag.
            let close = format!("</{name}");
            let rest = &html[i..];
            let skip = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            i += skip;
        }
    }
    deepest
}

/// The article's text: the extractor's plain text says what belongs to
/// the article (it is cleaner than its HTML, which keeps bylines and
/// "Previous / Next" links), the HTML says where paragraphs, headings,
/// list items and cells begin. So the HTML is made text block by block and
/// a line is kept when the plain text has it.
fn main_text(content_html: Option<&str>, content_text: &str) -> String {
    let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let plain = squash(content_text);
    let structured = content_html.map(fragment_text).unwrap_or_default();
    let mut kept = String::new();
    let mut blank = false;
    for line in structured.lines() {
        let flat = squash(line);
        if flat.is_empty() {
            blank = true;
            continue;
        }
        if !plain.contains(&flat) {
            continue;
        }
        if !kept.is_empty() {
            kept.push_str(if blank { "\n\n" } else { "\n" });
        }
        kept.push_str(line.trim());
        blank = false;
    }
    // When the two disagree (the HTML lost text the plain text has), the
    // plain text wins, its line breaks tidied.
    if squash(&kept).len() * 10 < plain.len() * 9 {
        return tidy(content_text);
    }
    kept
}

/// Lines that are page furniture wherever they appear (ads, share and
/// comment prompts, bylines' time stamps, copyright), as whole lines.
const FURNITURE: &str = r"(?ix)^(
    advert(isement)? | ad | close | sponsored(\ links|\ content)? | photo\ gallery
  | (related|popular|trending)(\ (tags|articles|stories|topics|content|coverage))?:?
  | tags?:.* | topics?:.* | share(\ (this|on|it|the\ article|via))?.* | print(\ this)?
  | (read|see|view)\ more.* | click\ here.* | .*\ by\ clicking\ here | don'?t\ miss
  | copyright.* | ©.* | all\ rights\ reserved.* | leave\ a\ (reply|comment).*
  | you\ must\ be\ logged\ in.* | tell\ us\ what\ you\ think.* | like\ this\ story\?.*
  | follow\ us.* | sign\ up:.* | subscribe\ to\ (our|the)\ .* | \d+\ (post\ )?comments?.* | comments?
  | (first\ )?published:?\ .* | (last\ )?updated:?\ .* | posted:?\ .* | this\ slideshow\ requires.*
  | also\ on\ .* | get\ .*\ on\ the\ go.* | image\ (source|copyright).* | (photo|image):?\ .*getty.*
)$";

/// Headings after which a page lists other articles: the article ends
/// there when it is mostly behind.
const TAIL: &str = r"(?i)^(you may also (like|be interested in)|related( articles| stories| coverage| posts)?|more (in|from|on) .{0,40}|most (read|popular|viewed)|recommended( for you)?|read next|popular (stories|posts|now)|trending( now)?|what to read next|more stories|latest news)[.:…]*$";

/// The text without furniture lines, and cut before a list of other
/// articles when at least half of it comes first.
fn drop_furniture(text: &str) -> String {
    static PATTERNS: std::sync::OnceLock<Option<(regex::Regex, regex::Regex)>> =
        std::sync::OnceLock::new();
    let Some((furniture, tail)) = PATTERNS.get_or_init(|| {
        Some((
            regex::Regex::new(FURNITURE).ok()?,
            regex::Regex::new(TAIL).ok()?,
        ))
    }) else {
        return text.to_string();
    };
    let total = text.len();
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            blank = true;
            continue;
        }
        let short = t.chars().count() <= 120;
        if short && tail.is_match(t) && out.len() * 2 >= total {
            break;
        }
        if short && furniture.is_match(t) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = false;
    }
    out
}

/// Sets `slot` from `value` when it is empty and `value` is not.
fn fill(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none()
        && let Some(v) = value.map(str::trim).filter(|v| !v.is_empty())
    {
        *slot = Some(v.to_string());
    }
}

/// What the page says about itself: OpenGraph first, then other meta
/// tags, then JSON-LD `NewsArticle` (or any `Article`), then the page.
fn metadata(dom: &Dom) -> Provenance {
    let meta = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|n| {
            let sel = format!("meta[property=\"{n}\"], meta[name=\"{n}\"], meta[itemprop=\"{n}\"]");
            dom.select(&sel)
                .nodes()
                .iter()
                .find_map(|m| m.attr("content").map(|c| c.trim().to_string()))
                .filter(|c| !c.is_empty())
        })
    };
    let ld = json_ld(dom);
    let canonical = dom
        .select("link[rel=\"canonical\"]")
        .nodes()
        .iter()
        .find_map(|l| l.attr("href").map(|h| h.trim().to_string()))
        .filter(|h| h.starts_with("http"));
    let mut p = Provenance {
        url: canonical.or_else(|| meta(&["og:url"])),
        title: meta(&["og:title", "twitter:title", "title", "headline"]),
        site: meta(&["og:site_name", "application-name", "publisher"]),
        published: meta(&[
            "article:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "DC.date.issued",
            "sailthru.date",
        ]),
        language: dom
            .select("html")
            .nodes()
            .first()
            .and_then(|h| h.attr("lang").map(|l| l.trim().to_string()))
            .filter(|l| !l.is_empty())
            .or_else(|| meta(&["og:locale", "language", "content-language"])),
        ..Default::default()
    };
    if let Some(a) = meta(&[
        "author",
        "article:author",
        "byl",
        "dc.creator",
        "sailthru.author",
    ])
    .filter(|a| !a.starts_with("http"))
    {
        p.authors = split_authors(&a);
    }
    if let Some(ld) = ld {
        fill(&mut p.url, ld.url.as_deref());
        fill(&mut p.title, ld.headline.as_deref());
        fill(&mut p.published, ld.published.as_deref());
        fill(&mut p.site, ld.publisher.as_deref());
        fill(&mut p.language, ld.language.as_deref());
        if p.authors.is_empty() {
            p.authors = ld.authors;
        }
    }
    if p.title.is_none() {
        let heading = dom
            .select("h1")
            .nodes()
            .first()
            .map(|h| collapse(&h.text()));
        let title = dom
            .select("title")
            .nodes()
            .first()
            .map(|t| collapse(&t.text()));
        p.title = heading
            .filter(|h| !h.is_empty())
            .or(title.filter(|t| !t.is_empty()));
    }
    p
}

/// What a JSON-LD article says about itself.
#[derive(Default)]
struct LdArticle {
    url: Option<String>,
    headline: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
    language: Option<String>,
    authors: Vec<String>,
}

/// The first JSON-LD object typed as an article (a `NewsArticle` first).
fn json_ld(dom: &Dom) -> Option<LdArticle> {
    let mut articles = Vec::new();
    for script in dom.select("script[type=\"application/ld+json\"]").nodes() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(script.text().trim()) else {
            continue;
        };
        collect_articles(&value, &mut articles, 0);
    }
    articles.sort_by_key(|(news, _)| !news);
    let (_, v) = articles.into_iter().next()?;
    let s = |key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_string);
    let name_of = |x: &serde_json::Value| -> Option<String> {
        x.as_str()
            .map(str::to_string)
            .or_else(|| x.get("name").and_then(|n| n.as_str()).map(str::to_string))
    };
    let authors = match v.get("author") {
        Some(serde_json::Value::Array(list)) => list.iter().filter_map(name_of).collect(),
        Some(one) => name_of(one).into_iter().collect(),
        None => Vec::new(),
    };
    Some(LdArticle {
        url: s("url").or_else(|| {
            v.get("mainEntityOfPage").and_then(|m| {
                m.as_str()
                    .map(str::to_string)
                    .or_else(|| m.get("@id").and_then(|i| i.as_str()).map(str::to_string))
            })
        }),
        headline: s("headline").or_else(|| s("name")),
        published: s("datePublished").or_else(|| s("dateCreated")),
        publisher: v.get("publisher").and_then(name_of),
        language: s("inLanguage"),
        authors: authors
            .into_iter()
            .map(|a| collapse(&a))
            .filter(|a| !a.is_empty())
            .collect(),
    })
}

/// Article-typed objects in a JSON-LD value (in `@graph`s and lists too);
/// each with whether it is a `NewsArticle`.
fn collect_articles(v: &serde_json::Value, out: &mut Vec<(bool, serde_json::Value)>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        serde_json::Value::Array(list) => {
            for x in list {
                collect_articles(x, out, depth + 1);
            }
        }
        serde_json::Value::Object(map) => {
            let types: Vec<&str> = match map.get("@type") {
                Some(serde_json::Value::String(t)) => vec![t.as_str()],
                Some(serde_json::Value::Array(ts)) => {
                    ts.iter().filter_map(|t| t.as_str()).collect()
                }
                _ => Vec::new(),
            };
            if types
                .iter()
                .any(|t| t.ends_with("Article") || *t == "Report")
            {
                out.push((types.contains(&"NewsArticle"), v.clone()));
            }
            if let Some(graph) = map.get("@graph") {
                collect_articles(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// "By Ana Kim and Lee Min-ho" → ["Ana Kim", "Lee Min-ho"].
fn split_authors(text: &str) -> Vec<String> {
    let text = collapse(text);
    let text = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("by "))
        .unwrap_or(&text);
    text.split([',', ';', '|'])
        .flat_map(|part| part.split(" and "))
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Whitespace runs made one space, ends trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of an HTML fragment (the extracted article), block by block.
pub fn fragment_text(html: &str) -> String {
    let dom = Dom::fragment(html);
    let mut out = TextOut::default();
    walk(&dom.root(), &mut out, 0);
    out.finish()
}

/// Plain text of a whole HTML document's body (an EPUB chapter), block by
/// block, scripts and styles left out.
pub fn document_text(html: &str) -> Result<String, ExtractError> {
    let depth = nesting_depth(html);
    if depth > MAX_DEPTH {
        return Err(ExtractError::TooDeep { depth });
    }
    let dom = Dom::from(html);
    let mut out = TextOut::default();
    let body = dom.select("body");
    match body.nodes().first() {
        Some(b) => walk(b, &mut out, 0),
        None => walk(&dom.root(), &mut out, 0),
    }
    Ok(out.finish())
}

/// Text being built: finished lines and the inline text of the block now
/// open.
#[derive(Default)]
struct TextOut {
    text: String,
    line: String,
    /// Newlines owed before the next text: 1 for a line break, 2 for a new
    /// paragraph.
    pending: usize,
}

impl TextOut {
    fn inline(&mut self, s: &str) {
        for word in s.split_inclusive(char::is_whitespace) {
            let starts_space = word.starts_with(char::is_whitespace);
            let trimmed = word.trim();
            if trimmed.is_empty() {
                if !self.line.is_empty() && !self.line.ends_with(' ') {
                    self.line.push(' ');
                }
                continue;
            }
            if starts_space && !self.line.is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            if self.line.is_empty() {
                self.flush_pending();
            }
            self.line.push_str(trimmed);
            if word.ends_with(char::is_whitespace) {
                self.line.push(' ');
            }
        }
    }

    fn flush_pending(&mut self) {
        if !self.text.is_empty() {
            for _ in 0..self.pending.max(1) {
                self.text.push('\n');
            }
        }
        self.pending = 0;
    }

    /// Ends the current line; `newlines` = 2 starts a paragraph.
    fn block(&mut self, newlines: usize) {
        let line = self.line.trim_end();
        if !line.is_empty() {
            self.text.push_str(line);
            self.pending = self.pending.max(newlines);
        } else if !self.text.is_empty() {
            self.pending = self.pending.max(newlines);
        }
        self.line.clear();
    }

    /// A cell separator within a table row.
    fn cell(&mut self) {
        if !self.line.trim().is_empty() && !self.line.ends_with('\t') {
            let trimmed = self.line.trim_end().to_string();
            self.line = trimmed;
            self.line.push('\t');
        }
    }

    fn finish(mut self) -> String {
        self.block(1);
        self.text
    }
}

/// Walks `node`'s children, writing their text with block breaks.
fn walk(node: &NodeRef, out: &mut TextOut, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in node.children_it(false) {
        if child.is_text() {
            out.inline(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        match name.as_str() {
            "script" | "style" | "noscript" | "template" | "svg" | "head" | "button" | "nav"
            | "form" | "iframe" | "select" => {}
            "br" => out.block(1),
            "p" | "div" | "section" | "article" | "blockquote" | "pre" | "figure"
            | "figcaption" | "header" | "footer" | "aside" | "main" | "h1" | "h2" | "h3" | "h4"
            | "h5" | "h6" | "table" | "ul" | "ol" | "dl" | "hr" | "address" | "details"
            | "summary" => {
                out.block(2);
                walk(&child, out, depth + 1);
                out.block(2);
            }
            "li" | "dt" | "dd" | "tr" | "caption" => {
                out.block(1);
                walk(&child, out, depth + 1);
                out.block(1);
            }
            "td" | "th" => {
                walk(&child, out, depth + 1);
                out.cell();
            }
            _ => walk(&child, out, depth + 1),
        }
    }
}

/// Text with spaces collapsed within lines and at most one blank line
/// between paragraphs (for text that came without markup).
pub fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line
            .split('\t')
            .map(collapse)
            .collect::<Vec<_>>()
            .join("\t");
        let line = line.trim_matches('\t').to_string();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

/// The text without a first line that only repeats the headline (the
/// headline is the article's title, not the first line of its text).
fn drop_leading_title(text: &str, title: Option<&str>) -> String {
    let text = text.trim_start();
    let Some(title) = title.map(collapse).filter(|t| !t.is_empty()) else {
        return text.to_string();
    };
    let first_end = text.find('\n').unwrap_or(text.len());
    if collapse(&text[..first_end]).eq_ignore_ascii_case(&title) {
        text[first_end..].trim_start().to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_shape_and_no_markup_or_entity_is_left() {
        // A no-break space reads as a space.
        let html = "<h2>Wages</h2><p>Workers&nbsp;said <b>pay</b> &amp; hours fell.</p>\
                    <p>Second   paragraph.</p><ul><li>one</li><li>two</li></ul>\
                    <table><tr><td>RMB 10</td><td>2019</td></tr><tr><td>RMB 12</td><td>2020</td></tr></table>";
        let text = fragment_text(html);
        assert_eq!(
            text,
            "Wages\n\nWorkers said pay & hours fell.\n\nSecond paragraph.\n\none\ntwo\n\nRMB 10\t2019\nRMB 12\t2020"
        );
    }

    #[test]
    fn metadata_comes_from_opengraph_then_json_ld() {
        let html = r#"<html lang="en"><head>
            <link rel="canonical" href="https://example.com/a">
            <meta property="og:title" content="Border trade resumes">
            <meta property="og:site_name" content="Daily Example">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-03-01T09:00:00Z",
              "author":[{"@type":"Person","name":"Ana Kim"},{"name":"Lee Min-ho"}]}</script>
            </head><body><article><h1>Border trade resumes</h1><p>Trucks crossed the bridge on Sunday, a China-based source told the paper, after weeks of closure.</p>
            <p>Traders said prices of rice and corn fell sharply in the markets of Sinuiju and Hyesan the following day.</p></article>
            <footer>Copyright</footer></body></html>"#;
        let got = extract(html).unwrap();
        let s = &got.source;
        assert_eq!(s.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(got.title.as_deref(), Some("Border trade resumes"));
        assert_eq!(s.site.as_deref(), Some("Daily Example"));
        assert_eq!(s.language.as_deref(), Some("en"));
        assert_eq!(s.published.as_deref(), Some("2020-03-01T09:00:00Z"));
        assert_eq!(s.authors, ["Ana Kim", "Lee Min-ho"]);
        assert!(got.text.starts_with("Trucks crossed"), "{}", got.text);
        assert!(!got.text.contains("Copyright"));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let html = "<div>".repeat(100_000);
        assert!(matches!(
            extract(&html),
            Err(ExtractError::TooDeep { depth }) if depth == 100_000
        ));
        assert_eq!(nesting_depth("<p>a<br>b<img src=x></p><p/>"), 1);
    }

    #[test]
    fn a_page_of_scripts_has_no_text() {
        let html = "<html><head><script>var a = '<p>not text</p>';</script></head><body><script>x()</script></body></html>";
        assert!(matches!(extract(html), Err(ExtractError::NoText(_))));
    }
}
