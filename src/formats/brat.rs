//! brat standoff: `NAME.txt` + `NAME.ann` per document and `annotation.conf`.
//! Offsets are code points. A span that crosses a newline is written as
//! fragments split at each newline; on import, fragments separated only by
//! newlines become one span again, and other discontinuous spans are split
//! into one span per part.

use super::common::{Filter, newline_fragments, safe_file_stem, safe_kept_stem};
use super::import::{Planner, Report};
use crate::model::{
    DocId, Document, Edit, Event, Link, Project, SourceEntry, SourceId, Span, SpanId,
};
use crate::model::{Extra, Target};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// One file of the export: a name inside the output folder and its bytes.
pub type OutFile = (String, Vec<u8>);

/// Builds the files of a brat export.
pub fn export(project: &Project, filter: &Filter) -> Vec<OutFile> {
    let mut files = Vec::new();
    let mut used = HashSet::new();
    used.insert("annotation".to_string());
    let mut conf = Conf::default();
    let mut by_doc = ByDoc::of(project);
    for doc in project.documents().filter(|d| filter.keeps_doc(d.id)) {
        let fallback = format!("document_{}", doc.id);
        // A stem it was imported from is kept as it is where safe; a title
        // becomes a file name.
        let stem = match doc.stem.as_deref() {
            Some(stem) => safe_kept_stem(stem, &fallback, &mut used),
            None => safe_file_stem(&doc.title, &fallback, &mut used),
        };
        let mine = by_doc.take(doc.id);
        let ann = AnnWriter::new(project, doc, filter, &mut conf, mine).write();
        files.push((format!("{stem}.txt"), doc.text.as_str().as_bytes().to_vec()));
        files.push((format!("{stem}.ann"), ann.into_bytes()));
    }
    files.push(("annotation.conf".into(), conf.render(project).into_bytes()));
    if project.sources().len() > 0 {
        files.push((SOURCES_FILE.into(), sources_tsv(project)));
    }
    files
}

/// The registry beside a brat export, for the `Marginalia:ID` references
/// of its `N` lines: brat itself reads only the names on those lines.
pub const SOURCES_FILE: &str = "marginalia-sources.tsv";

/// The normalisation database name of registry references.
const SOURCE_DB: &str = "Marginalia";

/// The columns of [`SOURCES_FILE`].
const SOURCES_HEADER: [&str; 8] = [
    "id",
    "name",
    "identification",
    "kind",
    "affiliation",
    "aliases",
    "wikidata",
    "note",
];

/// The registry as tab-separated values (aliases joined by " | ").
fn sources_tsv(project: &Project) -> Vec<u8> {
    let one_line = |s: &str| s.split(['\t', '\n', '\r']).collect::<Vec<_>>().join(" ");
    let mut out = SOURCES_HEADER.join("\t");
    out.push('\n');
    for e in project.sources() {
        let cells = [
            e.id.to_string(),
            one_line(&e.name),
            e.identification.to_string(),
            e.kind.to_string(),
            one_line(e.affiliation.as_deref().unwrap_or("")),
            one_line(&e.aliases.join(" | ")),
            e.wikidata.clone().unwrap_or_default(),
            one_line(e.note.as_deref().unwrap_or("")),
        ];
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out.into_bytes()
}

/// Reads [`SOURCES_FILE`]: entries by id; rows that do not parse are
/// reported and left out (their references then make entries from the
/// names on the `N` lines).
fn read_sources_tsv(text: &str, report: &mut Report) -> HashMap<String, SourceEntry> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let opt = |s: Option<&&str>| {
            s.map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let parsed = (|| -> Result<SourceEntry, String> {
            let [id, name, identification, kind, ..] = c[..] else {
                return Err("fewer than 4 columns".into());
            };
            let mut e = SourceEntry::new(
                SourceId(
                    id.trim()
                        .parse()
                        .map_err(|_| format!("id {id:?} is not a number"))?,
                ),
                name,
                identification.parse()?,
                kind.parse()?,
            );
            e.affiliation = opt(c.get(4));
            e.aliases = opt(c.get(5))
                .map(|a| {
                    a.split(" | ")
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            e.wikidata = opt(c.get(6));
            e.note = opt(c.get(7));
            e.check()?;
            Ok(e)
        })();
        match parsed {
            Ok(e) => {
                out.insert(e.id.to_string(), e);
            }
            Err(why) => report
                .skipped
                .push(format!("{SOURCES_FILE} line {}: {why}", i + 1)),
        }
    }
    out
}

/// The links, events and extras of each article, gathered in one pass so
/// that a corpus of 10,000 articles is not scanned once per article.
#[derive(Default)]
struct ByDoc<'p> {
    links: HashMap<DocId, Vec<&'p Link>>,
    events: HashMap<DocId, Vec<&'p Event>>,
    extras: HashMap<DocId, Vec<&'p Extra>>,
}

/// One article's share of [`ByDoc`].
#[derive(Default)]
struct Mine<'p> {
    links: Vec<&'p Link>,
    events: Vec<&'p Event>,
    extras: Vec<&'p Extra>,
}

impl<'p> ByDoc<'p> {
    fn of(project: &'p Project) -> Self {
        let doc_of = |s: SpanId| project.span(s).map(|s| s.doc);
        let mut out = ByDoc::default();
        for l in project.links() {
            if let Some(d) = doc_of(l.from) {
                out.links.entry(d).or_default().push(l);
            }
        }
        for e in project.events() {
            if let Some(d) = doc_of(e.trigger) {
                out.events.entry(d).or_default().push(e);
            }
        }
        for x in project.extras() {
            let doc = x.targets().first().and_then(|t| match t {
                Target::Span(s) => doc_of(*s),
                Target::Event(e) => project.event(*e).and_then(|e| doc_of(e.trigger)),
            });
            if let Some(d) = doc {
                out.extras.entry(d).or_default().push(x);
            }
        }
        out
    }

    fn take(&mut self, doc: DocId) -> Mine<'p> {
        Mine {
            links: self.links.remove(&doc).unwrap_or_default(),
            events: self.events.remove(&doc).unwrap_or_default(),
            extras: self.extras.remove(&doc).unwrap_or_default(),
        }
    }
}

/// The types and values an export used, for `annotation.conf`.
#[derive(Default)]
struct Conf<'p> {
    entity_types: BTreeSet<String>,
    /// (type, first role, second role).
    relation_types: BTreeSet<(String, &'p str, &'p str)>,
    /// Event type → (role, `<ENTITY>` or `<EVENT>`) pairs it uses.
    event_types: BTreeMap<String, BTreeSet<(String, &'static str)>>,
    attribute_values: BTreeMap<String, BTreeSet<String>>,
}

impl Conf<'_> {
    /// The `annotation.conf` text: every label of the project and every
    /// type and value the `.ann` files use.
    fn render(&self, project: &Project) -> String {
        let mut conf = String::from(
            "# brat configuration written by Marginalia (offsets are code points)\n[entities]\n",
        );
        let labels = project.labels().iter().map(|l| l.id.to_string());
        for label in labels
            .chain(self.entity_types.iter().cloned())
            .collect::<BTreeSet<_>>()
        {
            conf.push_str(&label);
            conf.push('\n');
        }
        conf.push_str("\n[relations]\n");
        for (r, a, b) in &self.relation_types {
            conf.push_str(&format!("{r}\t{a}:<ENTITY>, {b}:<ENTITY>\n"));
        }
        conf.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n");
        for (kind, roles) in &self.event_types {
            let mut by_role: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (role, target) in roles {
                by_role.entry(role).or_default().push(target);
            }
            let args: Vec<String> = by_role
                .iter()
                .map(|(r, targets)| format!("{r}:{}", targets.join("|")))
                .collect();
            conf.push_str(&format!("{kind}\t{}\n", args.join(", ")));
        }
        conf.push_str("\n[attributes]\n");
        for (name, values) in &self.attribute_values {
            let values: Vec<&str> = values
                .iter()
                .map(String::as_str)
                .filter(|v| *v != "true")
                .collect();
            if values.is_empty() {
                conf.push_str(&format!("{name}\tArg:<ANY>\n"));
            } else {
                conf.push_str(&format!("{name}\tArg:<ANY>, Value:{}\n", values.join("|")));
            }
        }
        conf
    }
}

/// Writes one document's `.ann` text, noting the types it uses in `conf`.
struct AnnWriter<'p, 'c> {
    project: &'p Project,
    doc: &'p Document,
    spans: Vec<&'p Span>,
    kept: HashSet<SpanId>,
    conf: &'c mut Conf<'p>,
    mine: Mine<'p>,
    ann: String,
    /// The last `#` and `A` numbers used.
    note_n: usize,
    attr_n: usize,
}

impl<'p, 'c> AnnWriter<'p, 'c> {
    fn new(
        project: &'p Project,
        doc: &'p Document,
        filter: &Filter,
        conf: &'c mut Conf<'p>,
        mine: Mine<'p>,
    ) -> Self {
        let spans = filter.spans_in(project, doc.id);
        let kept = spans.iter().map(|s| s.id).collect();
        AnnWriter {
            project,
            doc,
            spans,
            kept,
            conf,
            mine,
            ann: String::new(),
            note_n: 0,
            attr_n: 0,
        }
    }

    fn write(mut self) -> String {
        self.spans();
        self.links();
        self.events();
        let normalisations = self.extras();
        self.mentions(normalisations);
        self.span_attributes();
        self.ann
    }

    /// `N` lines for the registry entries source spans mention, numbered
    /// after the `after` normalisations already written.
    fn mentions(&mut self, after: usize) {
        let mut n = after;
        for s in self.spans.clone() {
            let Some(e) = self
                .project
                .mention(s.id)
                .and_then(|e| self.project.source(e))
            else {
                continue;
            };
            n += 1;
            let name: String = e
                .name
                .split(['\t', '\n', '\r'])
                .collect::<Vec<_>>()
                .join(" ");
            self.ann.push_str(&format!(
                "N{n}\tReference T{} {SOURCE_DB}:{}\t{name}\n",
                s.id, e.id
            ));
        }
    }

    /// T lines, and their notes as AnnotatorNotes.
    fn spans(&mut self) {
        let text = &self.doc.text;
        for s in self.spans.clone() {
            let frags: Vec<_> = s
                .fragments_iter()
                .flat_map(|(a, b)| newline_fragments(text, a..b))
                .collect();
            if frags.is_empty() {
                continue; // a span of only newlines has no brat form
            }
            self.conf.entity_types.insert(s.label.to_string());
            let offsets: Vec<String> = frags
                .iter()
                .map(|f| format!("{} {}", f.start, f.end))
                .collect();
            let texts: Vec<&str> = frags.iter().map(|f| text.slice(f.clone())).collect();
            self.ann.push_str(&format!(
                "T{}\t{} {}\t{}\n",
                s.id,
                s.label,
                offsets.join(";"),
                texts.join(" ")
            ));
            if let Some(note) = &s.note {
                self.note_n += 1;
                let one_line: String = note.split(['\n', '\r', '\t']).collect::<Vec<_>>().join(" ");
                self.ann.push_str(&format!(
                    "#{}\tAnnotatorNotes T{}\t{one_line}\n",
                    self.note_n, s.id
                ));
            }
        }
    }

    /// R lines for links whose two spans are kept.
    fn links(&mut self) {
        let project = self.project;
        let links = std::mem::take(&mut self.mine.links);
        for l in links
            .into_iter()
            .filter(|l| self.kept.contains(&l.from) && self.kept.contains(&l.to))
        {
            let (a, b) = relation_roles(project, &l.kind);
            self.conf.relation_types.insert((l.kind.clone(), a, b));
            self.ann.push_str(&format!(
                "R{}\t{} {a}:T{} {b}:T{}\n",
                l.id, l.kind, l.from, l.to
            ));
        }
    }

    /// E lines for events whose spans are all kept, and their attributes.
    fn events(&mut self) {
        let kept = self.kept.clone();
        let mine = std::mem::take(&mut self.mine.events);
        for e in Project::events_among_these(mine, |s| kept.contains(&s)) {
            let args: Vec<String> = e
                .args
                .iter()
                .map(|(r, a)| match a {
                    Target::Span(s) => format!(" {r}:T{s}"),
                    Target::Event(ev) => format!(" {r}:E{ev}"),
                })
                .collect();
            self.ann.push_str(&format!(
                "E{}\t{}:T{}{}\n",
                e.id,
                e.kind,
                e.trigger,
                args.concat()
            ));
            let roles = e.args.iter().map(|(r, a)| {
                let kind = match a {
                    Target::Span(_) => "<ENTITY>",
                    Target::Event(_) => "<EVENT>",
                };
                (r.clone(), kind)
            });
            let types = self.conf.event_types.entry(e.kind.clone()).or_default();
            types.extend(roles);
            for (k, v) in &e.attrs {
                self.attribute(k, &format!("E{}", e.id), v);
            }
        }
    }

    /// Normalisations, other notes and equivalences, as N, # and * lines;
    /// returns how many N lines it wrote.
    fn extras(&mut self) -> usize {
        let project = self.project;
        let key = |t: &Target| match t {
            Target::Span(s) => format!("T{s}"),
            Target::Event(e) => format!("E{e}"),
        };
        let mut n_n = 0;
        for x in std::mem::take(&mut self.mine.extras) {
            let inside = x.targets().iter().all(|t| match t {
                Target::Span(s) => self.kept.contains(s),
                Target::Event(e) => project
                    .event(*e)
                    .is_some_and(|e| self.kept.contains(&e.trigger)),
            });
            if !inside {
                continue;
            }
            let line = match x {
                Extra::Normalization {
                    target,
                    kind,
                    reference,
                    text,
                } => {
                    n_n += 1;
                    format!("N{n_n}\t{kind} {} {reference}\t{text}\n", key(target))
                }
                Extra::Comment { target, kind, text } => {
                    self.note_n += 1;
                    format!("#{}\t{kind} {}\t{text}\n", self.note_n, key(target))
                }
                Extra::Equivalence { kind, members } => {
                    let m: Vec<String> = members.iter().map(|s| format!("T{s}")).collect();
                    format!("*\t{kind} {}\n", m.join(" "))
                }
            };
            self.ann.push_str(&line);
        }
        n_n
    }

    /// A lines for span attribute values.
    fn span_attributes(&mut self) {
        for sp in self.spans.clone() {
            for (k, v) in sp.attrs.iter() {
                self.attribute(k, &format!("T{}", sp.id), v);
            }
        }
    }

    /// One A line (a flag has no value); brat values are single words.
    fn attribute(&mut self, name: &str, target: &str, value: &str) {
        self.attr_n += 1;
        let value = value.split_whitespace().collect::<Vec<_>>().join("_");
        let values = self
            .conf
            .attribute_values
            .entry(name.to_string())
            .or_default();
        values.insert(value.clone());
        let n = self.attr_n;
        if value == "true" {
            self.ann.push_str(&format!("A{n}\t{name} {target}\n"));
        } else {
            self.ann
                .push_str(&format!("A{n}\t{name} {target} {value}\n"));
        }
    }
}

/// The names brat gives the two ends of a relation of this type.
fn relation_roles<'p>(project: &'p Project, kind: &str) -> (&'p str, &'p str) {
    match project.link_type(kind).and_then(|t| t.roles.as_ref()) {
        Some((a, b)) => (a.as_str(), b.as_str()),
        None => ("Arg1", "Arg2"),
    }
}

/// Plans the `E` lines of one document. An event may have another event as
/// an argument, declared before or after it, so events go in as soon as the
/// events they name are planned; the rest (a cycle, a missing event) are
/// reported by the planner.
fn plan_events(
    planner: &mut Planner,
    name: &str,
    lines: Vec<(usize, String, String, Option<String>)>,
    report: &mut Report,
) {
    let mut pending = Vec::new();
    for (line_no, id, body, _) in lines {
        // E1\tType:T4 Role:T3 Role2:E2
        let mut parts = body.split_whitespace();
        let Some((kind, trigger)) = parts.next().and_then(|p| p.split_once(':')) else {
            report
                .skipped
                .push(format!("{name}.ann line {line_no}: malformed event"));
            continue;
        };
        let args: Vec<(String, String)> = parts
            .filter_map(|p| p.split_once(':'))
            .map(|(r, v)| (r.to_string(), v.to_string()))
            .collect();
        pending.push((line_no, id, kind.to_string(), trigger.to_string(), args));
    }
    let mut stalled = false;
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for (line_no, id, kind, trigger, args) in pending {
            let waiting = args
                .iter()
                .any(|(_, v)| v.starts_with('E') && !planner.has_event(name, v));
            if waiting && !stalled {
                rest.push((line_no, id, kind, trigger, args));
            } else {
                let from = report.skipped.len();
                planner.event(name, &id, &kind, &trigger, &args, report);
                at_line(report, from, name, line_no);
            }
        }
        stalled = rest.len() == before;
        pending = rest;
    }
}

/// Blank lines seen since a `T` line whose text may run on.
struct RunOn {
    blank: usize,
}

/// True for a brat annotation id: `T12`, `R3`, `E1`, `A2`, `M1`, `N4`,
/// `#5` or `*`.
fn is_brat_id(id: &str) -> bool {
    let mut chars = id.chars();
    match chars.next() {
        Some('*') => chars.next().is_none(),
        Some('#') => chars.all(|c| c.is_ascii_digit()),
        Some('T' | 'R' | 'E' | 'A' | 'M' | 'N') => {
            let rest = chars.as_str();
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// One parsed `T` line.
struct TLine {
    id: String,
    label: String,
    fragments: Vec<Range<usize>>,
    text: String,
    line: usize,
    /// The last line its text ran on to, if it did.
    run_on_to: Option<usize>,
}

/// A line other than `T`, kept for after the spans: (line number, id,
/// second column, third column).
type OtherLine = (usize, String, String, Option<String>);

/// Plans the import of one document's `.txt` and `.ann` contents.
pub fn plan_document(
    planner: &mut Planner,
    name: &str,
    text: &str,
    ann: &str,
    report: &mut Report,
) -> Result<(), String> {
    let text = crate::model::text::normalize_newlines(text).into_owned();
    let title = crate::formats::text::title_from(&text).unwrap_or_else(|| name.to_string());
    planner.document(name, &title, Some(format!("{name}.txt")), &text, report);
    planner.set_stem(name, name);
    let doc = crate::model::DocText::new(text.as_str());
    let (t_lines, later) = read_ann_lines(name, ann, report);
    for t in &t_lines {
        plan_t_line(planner, name, &doc, t, report);
    }
    // Events first (attributes may name them), then the rest in file order.
    let (events, later): (Vec<_>, Vec<_>) = later
        .into_iter()
        .partition(|(_, id, _, _)| id.starts_with('E'));
    plan_events(planner, name, events, report);
    for (line_no, id, body, rest) in later {
        let from = report.skipped.len();
        plan_other_line(planner, name, line_no, &id, &body, rest, report);
        at_line(report, from, name, line_no);
    }
    Ok(())
}

/// Splits an `.ann` into its `T` lines (parsed) and the others; lines of
/// no known kind, and `T` lines that do not parse, go to `report`.
fn read_ann_lines(name: &str, ann: &str, report: &mut Report) -> (Vec<TLine>, Vec<OtherLine>) {
    let mut t_lines: Vec<TLine> = Vec::new();
    let mut later = Vec::new();
    // A text field with a line break runs on over the following lines:
    // they are kept as its continuation, and checked against the article.
    let mut run_on: Option<RunOn> = None;
    for (n, line) in ann.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            if let Some(r) = &mut run_on {
                r.blank += 1;
            }
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        let body = cols.next().unwrap_or("");
        let rest = cols.next();
        if !is_brat_id(id)
            && let (Some(r), Some(t)) = (&mut run_on, t_lines.last_mut())
        {
            t.text.push_str(&"\n".repeat(r.blank + 1));
            t.text.push_str(line);
            t.run_on_to = Some(line_no);
            r.blank = 0;
            continue;
        }
        run_on = None;
        match id.chars().next() {
            Some('T') => match parse_t_line(id, body, rest, line_no) {
                Ok(t) => {
                    t_lines.push(t);
                    run_on = Some(RunOn { blank: 0 });
                }
                // One bad line does not cost the article its other lines.
                Err(why) => report
                    .skipped
                    .push(format!("{name}.ann line {line_no}: {why}")),
            },
            Some('R' | '#' | 'E' | 'A' | 'M' | 'N' | '*') => later.push((
                line_no,
                id.to_string(),
                body.to_string(),
                rest.map(str::to_string),
            )),
            _ => report.skipped.push(format!(
                "{name}.ann line {line_no}: {id} lines are not supported"
            )),
        }
    }
    (t_lines, later)
}

/// Plans one `T` line's span, if it matches the article.
fn plan_t_line(
    planner: &mut Planner,
    name: &str,
    doc: &crate::model::DocText,
    t: &TLine,
    report: &mut Report,
) {
    // Each span is checked against its own quoted text, so the lines that
    // pass are right even where others in the file are not.
    let fragments = check_t_line(t, doc, name).and_then(|()| span_fragments(t, doc));
    let merged = match fragments {
        Ok(merged) => merged,
        Err(why) => {
            report
                .skipped
                .push(format!("{name}.ann line {}: {why}", t.line));
            return;
        }
    };
    if let Some(last) = t.run_on_to {
        report.repaired.push(format!(
            "{name}.ann line {}: {}'s text runs on to line {last} (a line break inside a brat text field); the joined text matches {name}.txt, so it was imported",
            t.line, t.id
        ));
    }
    // One span, discontinuous when fragments remain.
    let (Some(first), Some(last)) = (merged.first(), merged.last()) else {
        return;
    };
    let from = report.skipped.len();
    let range = first.start..last.end;
    if let Some(id) = planner.span(name, &t.id, &t.label, range, None, "", report) {
        planner.set_fragments(id, &merged);
    }
    at_line(report, from, name, t.line);
}

/// A `T` line's fragments in text order (a corpus may list them
/// otherwise, as PolNeAR does), with those separated only by newlines
/// joined: they are one span that an export split.
fn span_fragments(t: &TLine, doc: &crate::model::DocText) -> Result<Vec<Range<usize>>, String> {
    let mut ordered = t.fragments.clone();
    ordered.sort_by_key(|f| f.start);
    if ordered.windows(2).any(|w| w[1].start < w[0].end) {
        return Err(format!("{} has overlapping fragments", t.id));
    }
    let mut merged: Vec<Range<usize>> = Vec::new();
    for f in ordered {
        match merged.last_mut() {
            Some(last)
                if last.end <= f.start
                    && doc.slice(last.end..f.start).chars().all(|c| c == '\n') =>
            {
                last.end = f.end
            }
            _ => merged.push(f),
        }
    }
    Ok(merged)
}

/// Names the file and line in the problems the planner reported since
/// `from` (it knows spans and events, not where they were written).
fn at_line(report: &mut Report, from: usize, name: &str, line: usize) {
    let prefix = format!("{name}.ann line ");
    for problem in &mut report.skipped[from..] {
        if !problem.starts_with(&prefix) {
            *problem = format!("{prefix}{line}: {problem}");
        }
    }
}

/// Parses a `T` line: `T1<TAB>Label START END[;START END…]<TAB>text`.
fn parse_t_line(id: &str, body: &str, rest: Option<&str>, line: usize) -> Result<TLine, String> {
    let (label, offsets) = body
        .split_once(' ')
        .ok_or_else(|| format!("{id}: malformed T line (no offsets)"))?;
    let mut fragments = Vec::new();
    for part in offsets.split(';') {
        let (a, b) = part
            .trim()
            .split_once(' ')
            .ok_or_else(|| format!("{id}: malformed offsets {part:?}"))?;
        let number = |x: &str| {
            x.parse::<usize>()
                .map_err(|_| format!("{id}: bad offset {x:?}"))
        };
        fragments.push(number(a)?..number(b)?);
    }
    Ok(TLine {
        id: id.into(),
        label: label.into(),
        fragments,
        text: rest.unwrap_or("").into(),
        line,
        run_on_to: None,
    })
}

/// Checks a `T` line's offsets and quoted text against the article.
fn check_t_line(t: &TLine, doc: &crate::model::DocText, name: &str) -> Result<(), String> {
    let len = doc.char_len();
    for f in &t.fragments {
        let why = if f.start > f.end {
            "is reversed (its end comes before its start)"
        } else if f.start == f.end {
            "is empty"
        } else if f.end > len {
            "is outside the text (the .ann may count in another offset unit than code points)"
        } else {
            continue;
        };
        return Err(format!(
            "{} range {}..{} {why} ({len} characters in {name}.txt)",
            t.id, f.start, f.end
        ));
    }
    let joined: Vec<&str> = t.fragments.iter().map(|f| doc.slice(f.clone())).collect();
    let joined = joined.join(" ");
    if joined != t.text {
        return Err(format!(
            "{} says {:?} but the text at those offsets is {:?}; the line does not match {name}.txt (or uses another offset unit than code points)",
            t.id,
            short(&t.text),
            short(&joined)
        ));
    }
    Ok(())
}

/// At most 80 characters, for messages.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(80).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// Plans one `A`, `M`, `R`, `#`, `N` or `*` line.
fn plan_other_line(
    planner: &mut Planner,
    name: &str,
    line_no: usize,
    id: &str,
    body: &str,
    rest: Option<String>,
    report: &mut Report,
) {
    let text = rest.unwrap_or_default();
    let problem = if id.starts_with('A') || id.starts_with('M') {
        plan_attribute_line(planner, name, body, report)
    } else if id.starts_with('R') {
        plan_relation_line(planner, name, body, report)
    } else if let Some(target) = body.strip_prefix("AnnotatorNotes ") {
        planner.note(name, target.trim(), &text, report);
        None
    } else if id.starts_with('N') {
        plan_normalization_line(planner, name, body, text, report)
    } else if id.starts_with('*') {
        plan_equivalence_line(planner, name, body, report);
        None
    } else if let Some((kind, target)) = body.split_once(' ') {
        // #2\tReviewerNote T1\ttext: any other note type is kept.
        let comment = |t: Vec<Target>| Extra::Comment {
            target: t[0],
            kind: kind.to_string(),
            text,
        };
        planner.extra(name, &[target.trim()], comment, report);
        None
    } else {
        Some(format!("malformed note {body:?}"))
    };
    if let Some(why) = problem {
        report
            .skipped
            .push(format!("{name}.ann line {line_no}: {why}"));
    }
}

/// `A1\tName T3 [Value]`; the problem, if it is malformed.
fn plan_attribute_line(
    planner: &mut Planner,
    name: &str,
    body: &str,
    report: &mut Report,
) -> Option<String> {
    let mut parts = body.split_whitespace();
    let (Some(attr), Some(target)) = (parts.next(), parts.next()) else {
        return Some("malformed attribute".into());
    };
    planner.attribute(name, target, attr, parts.next(), report);
    None
}

/// `R1\tType Arg1:T1 Arg2:T2` (the role names may differ); the problem,
/// if it is malformed.
fn plan_relation_line(
    planner: &mut Planner,
    name: &str,
    body: &str,
    report: &mut Report,
) -> Option<String> {
    let mut parts = body.split_whitespace();
    let kind = parts.next().unwrap_or("");
    let first = parts.next().and_then(|a| a.split_once(':'));
    let second = parts.next().and_then(|a| a.split_once(':'));
    let (Some((ra, a)), Some((rb, b))) = (first, second) else {
        return Some("malformed relation".into());
    };
    planner.link(Some(name), a, b, kind, report);
    if (ra, rb) != ("Arg1", "Arg2") {
        planner.relation_roles(kind, ra, rb, report);
    }
    None
}

/// `N1\tReference T1 Wikipedia:534366\tBarack Obama`; the problem, if it
/// is malformed.
fn plan_normalization_line(
    planner: &mut Planner,
    name: &str,
    body: &str,
    text: String,
    report: &mut Report,
) -> Option<String> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [kind, target, reference] = parts[..] else {
        return Some("malformed normalisation".into());
    };
    if let Some(key) = reference
        .strip_prefix(SOURCE_DB)
        .and_then(|r| r.strip_prefix(':'))
    {
        planner.mention(name, target, key, &text, report);
        return None;
    }
    let normalization = |t: Vec<Target>| Extra::Normalization {
        target: t[0],
        kind: kind.to_string(),
        reference: reference.to_string(),
        text,
    };
    planner.extra(name, &[target], normalization, report);
    None
}

/// `*\tEquiv T1 T2 T3`.
fn plan_equivalence_line(planner: &mut Planner, name: &str, body: &str, report: &mut Report) {
    let mut parts = body.split_whitespace();
    let kind = parts.next().unwrap_or("").to_string();
    let members: Vec<&str> = parts.collect();
    let equivalence = |t: Vec<Target>| Extra::Equivalence {
        kind,
        members: t
            .into_iter()
            .filter_map(|x| match x {
                Target::Span(s) => Some(s),
                Target::Event(_) => None,
            })
            .collect(),
    };
    planner.extra(name, &members, equivalence, report);
}

/// Plans the import of a brat folder (every `NAME.ann` with its `NAME.txt`)
/// or of a single `.ann` file.
pub fn plan(
    project: &Project,
    input: &std::path::Path,
    report: &mut Report,
) -> Result<Vec<Edit>, String> {
    let anns: Vec<std::path::PathBuf> = if input.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(input)
            .map_err(|e| format!("cannot read {}: {e}", input.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ann"))
            .collect();
        v.sort();
        v
    } else {
        // `NAME.ann`, `NAME.txt` or `NAME` (whose dots are its own:
        // `esp.train-doc-100`).
        let named = input.extension().is_some_and(|x| x == "ann" || x == "txt");
        vec![if named {
            input.with_extension("ann")
        } else {
            let mut p = input.as_os_str().to_os_string();
            p.push(".ann");
            std::path::PathBuf::from(p)
        }]
    };
    if anns.is_empty() {
        return Err(format!("{} holds no .ann files", input.display()));
    }
    let mut planner = Planner::new(project);
    let folder = input.is_dir();
    let registry = if folder {
        input.join(SOURCES_FILE)
    } else {
        input.with_file_name(SOURCES_FILE)
    };
    if let Ok(text) = std::fs::read_to_string(&registry) {
        let known = read_sources_tsv(&text, report);
        planner.know_sources(known);
    }
    for ann_path in anns {
        let txt_path = ann_path.with_extension("txt");
        let read = |p: &std::path::Path| -> Result<String, String> {
            let bytes =
                std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{} is not UTF-8 (byte {})",
                    p.display(),
                    e.utf8_error().valid_up_to()
                )
            })
        };
        let name = ann_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let read_both = read(&ann_path).and_then(|ann| Ok((ann, read(&txt_path)?)));
        let planned = read_both
            .and_then(|(ann, text)| plan_document(&mut planner, &name, &text, &ann, report));
        match planned {
            Ok(()) => {}
            // In a folder, one unreadable article does not stop the others.
            Err(e) if folder => report.skipped.push(format!("{name}: not imported: {e}")),
            Err(e) => return Err(e),
        }
    }
    Ok(planner.finish())
}
