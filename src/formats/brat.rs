//! brat standoff: `NAME.txt` + `NAME.ann` per document and `annotation.conf`.
//! Offsets are code points. A span that crosses a newline is written as
//! fragments split at each newline; on import, fragments separated only by
//! newlines become one span again, and other discontinuous spans are split
//! into one span per part.

use super::common::{Filter, newline_fragments, safe_file_stem};
use super::import::{Planner, Report};
use crate::model::{Edit, Project};
use crate::model::{Extra, Target};
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

/// One file of the export: a name inside the output folder and its bytes.
pub type OutFile = (String, Vec<u8>);

/// Builds the files of a brat export.
pub fn export(project: &Project, filter: &Filter) -> Vec<OutFile> {
    let mut files = Vec::new();
    let mut used = HashSet::new();
    used.insert("annotation".to_string());
    let mut entity_types = BTreeSet::new();
    // (type, first role, second role).
    let mut relation_types: BTreeSet<(String, &str, &str)> = BTreeSet::new();
    // Event type → (role, `<ENTITY>` or `<EVENT>`) pairs it uses.
    let mut event_types: std::collections::BTreeMap<String, BTreeSet<(String, &str)>> =
        std::collections::BTreeMap::new();
    let mut attribute_values: std::collections::BTreeMap<String, BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for doc in project.documents().filter(|d| filter.keeps_doc(d.id)) {
        let stem = safe_file_stem(
            doc.stem.as_deref().unwrap_or(&doc.title),
            &format!("document_{}", doc.id),
            &mut used,
        );
        let spans = filter.spans_in(project, doc.id);
        let kept: HashSet<_> = spans.iter().map(|s| s.id).collect();
        let mut ann = String::new();
        let mut note_n = 0;
        let mut attr_n = 0;
        for s in &spans {
            let frags: Vec<_> = s
                .fragments_iter()
                .flat_map(|(a, b)| newline_fragments(&doc.text, a..b))
                .collect();
            if frags.is_empty() {
                continue; // a span of only newlines has no brat form
            }
            entity_types.insert(s.label.to_string());
            let offsets: Vec<String> = frags
                .iter()
                .map(|f| format!("{} {}", f.start, f.end))
                .collect();
            let texts: Vec<&str> = frags.iter().map(|f| doc.text.slice(f.clone())).collect();
            ann.push_str(&format!(
                "T{}\t{} {}\t{}\n",
                s.id,
                s.label,
                offsets.join(";"),
                texts.join(" ")
            ));
            if let Some(note) = &s.note {
                note_n += 1;
                let one_line: String = note.split(['\n', '\r', '\t']).collect::<Vec<_>>().join(" ");
                ann.push_str(&format!(
                    "#{note_n}\tAnnotatorNotes T{}\t{one_line}\n",
                    s.id
                ));
            }
        }
        for l in project
            .links()
            .filter(|l| kept.contains(&l.from) && kept.contains(&l.to))
        {
            let (a, b) = relation_roles(project, &l.kind);
            relation_types.insert((l.kind.clone(), a, b));
            ann.push_str(&format!(
                "R{}\t{} {a}:T{} {b}:T{}\n",
                l.id, l.kind, l.from, l.to
            ));
        }
        // Events whose spans are all kept, as E lines.
        for e in project.events_among(|s| kept.contains(&s)) {
            let args: Vec<String> = e
                .args
                .iter()
                .map(|(r, a)| match a {
                    Target::Span(s) => format!(" {r}:T{s}"),
                    Target::Event(ev) => format!(" {r}:E{ev}"),
                })
                .collect();
            ann.push_str(&format!(
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
            event_types.entry(e.kind.clone()).or_default().extend(roles);
            for (k, v) in &e.attrs {
                attr_n += 1;
                write_attribute(
                    &mut ann,
                    attr_n,
                    k,
                    &format!("E{}", e.id),
                    v,
                    &mut attribute_values,
                );
            }
        }
        // Normalisations, other notes and equivalences, as N, # and * lines.
        let mut n_n = 0;
        for x in project.extras() {
            let key = |t: &Target| match t {
                Target::Span(s) => format!("T{s}"),
                Target::Event(e) => format!("E{e}"),
            };
            let inside = x.targets().iter().all(|t| match t {
                Target::Span(s) => kept.contains(s),
                Target::Event(e) => project.event(*e).is_some_and(|e| kept.contains(&e.trigger)),
            });
            if !inside {
                continue;
            }
            match x {
                Extra::Normalization {
                    target,
                    kind,
                    reference,
                    text,
                } => {
                    n_n += 1;
                    ann.push_str(&format!(
                        "N{n_n}\t{kind} {} {reference}\t{text}\n",
                        key(target)
                    ));
                }
                Extra::Comment { target, kind, text } => {
                    note_n += 1;
                    ann.push_str(&format!("#{note_n}\t{kind} {}\t{text}\n", key(target)));
                }
                Extra::Equivalence { kind, members } => {
                    let m: Vec<String> = members.iter().map(|s| format!("T{s}")).collect();
                    ann.push_str(&format!("*\t{kind} {}\n", m.join(" ")));
                }
            }
        }
        // Attribute values, as A lines (a flag has no value).
        for sp in &spans {
            for (k, v) in &sp.attrs {
                attr_n += 1;
                write_attribute(
                    &mut ann,
                    attr_n,
                    k,
                    &format!("T{}", sp.id),
                    v,
                    &mut attribute_values,
                );
            }
        }
        files.push((format!("{stem}.txt"), doc.text.as_str().as_bytes().to_vec()));
        files.push((format!("{stem}.ann"), ann.into_bytes()));
    }
    let mut conf = String::from(
        "# brat configuration written by Marginalia (offsets are code points)\n[entities]\n",
    );
    for label in project
        .labels()
        .iter()
        .map(|l| l.id.to_string())
        .chain(entity_types.iter().cloned())
        .collect::<BTreeSet<_>>()
    {
        conf.push_str(&label);
        conf.push('\n');
    }
    conf.push_str("\n[relations]\n");
    for (r, a, b) in &relation_types {
        conf.push_str(&format!("{r}\t{a}:<ENTITY>, {b}:<ENTITY>\n"));
    }
    conf.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n");
    for (kind, roles) in &event_types {
        let mut by_role: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
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
    for (name, values) in &attribute_values {
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
    files.push(("annotation.conf".into(), conf.into_bytes()));
    files
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
        pending.push((id, kind.to_string(), trigger.to_string(), args));
    }
    let mut stalled = false;
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for (id, kind, trigger, args) in pending {
            let waiting = args
                .iter()
                .any(|(_, v)| v.starts_with('E') && !planner.has_event(name, v));
            if waiting && !stalled {
                rest.push((id, kind, trigger, args));
            } else {
                planner.event(name, &id, &kind, &trigger, &args, report);
            }
        }
        stalled = rest.len() == before;
        pending = rest;
    }
}

/// Writes one `A` line: `A3\tName T5` for a flag, `A3\tName T5 Value`
/// otherwise; records the value for `annotation.conf`.
fn write_attribute(
    ann: &mut String,
    n: usize,
    name: &str,
    target: &str,
    value: &str,
    seen: &mut std::collections::BTreeMap<String, BTreeSet<String>>,
) {
    // brat values are single words.
    let value = value.split_whitespace().collect::<Vec<_>>().join("_");
    seen.entry(name.to_string())
        .or_default()
        .insert(value.clone());
    if value == "true" {
        ann.push_str(&format!("A{n}\t{name} {target}\n"));
    } else {
        ann.push_str(&format!("A{n}\t{name} {target} {value}\n"));
    }
}

/// One parsed `T` line.
struct TLine {
    id: String,
    label: String,
    fragments: Vec<Range<usize>>,
    text: String,
    line: usize,
}

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
    let mut t_lines = Vec::new();
    let mut later = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        let body = cols.next().unwrap_or("");
        let rest = cols.next();
        match id.chars().next() {
            Some('T') => {
                let (label, offsets) = body
                    .split_once(' ')
                    .ok_or_else(|| format!("{name}.ann line {line_no}: malformed T line"))?;
                let mut fragments = Vec::new();
                for part in offsets.split(';') {
                    let (a, b) = part.trim().split_once(' ').ok_or_else(|| {
                        format!("{name}.ann line {line_no}: malformed offsets {part:?}")
                    })?;
                    let (a, b): (usize, usize) = (
                        a.parse()
                            .map_err(|_| format!("{name}.ann line {line_no}: bad offset {a:?}"))?,
                        b.parse()
                            .map_err(|_| format!("{name}.ann line {line_no}: bad offset {b:?}"))?,
                    );
                    fragments.push(a..b);
                }
                t_lines.push(TLine {
                    id: id.into(),
                    label: label.into(),
                    fragments,
                    text: rest.unwrap_or("").into(),
                    line: line_no,
                });
            }
            Some('R') | Some('#') | Some('E') | Some('A') | Some('M') | Some('N') | Some('*') => {
                later.push((
                    line_no,
                    id.to_string(),
                    body.to_string(),
                    rest.map(str::to_string),
                ))
            }
            _ => report.skipped.push(format!(
                "{name}.ann line {line_no}: {id} lines are not supported"
            )),
        }
    }
    for t in &t_lines {
        for f in &t.fragments {
            if f.start >= f.end || f.end > doc.char_len() {
                return Err(format!(
                    "{name}.ann line {}: {} offsets {}..{} are outside the text ({} characters); the .ann does not match {name}.txt or uses another offset unit (expected code points)",
                    t.line,
                    t.id,
                    f.start,
                    f.end,
                    doc.char_len()
                ));
            }
        }
        let joined: Vec<&str> = t.fragments.iter().map(|f| doc.slice(f.clone())).collect();
        let joined = joined.join(" ");
        if joined != t.text {
            return Err(format!(
                "{name}.ann line {}: {} says {:?} but the text at those offsets is {:?}; the .ann does not match {name}.txt or uses another offset unit (expected code points)",
                t.line, t.id, t.text, joined
            ));
        }
        // Fragments separated only by newlines are one span split by us.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for f in &t.fragments {
            match merged.last_mut() {
                Some(last)
                    if last.end <= f.start
                        && doc.slice(last.end..f.start).chars().all(|c| c == '\n') =>
                {
                    last.end = f.end
                }
                _ => merged.push(f.clone()),
            }
        }
        // One span, discontinuous when fragments remain.
        let (Some(first), Some(last)) = (merged.first(), merged.last()) else {
            continue;
        };
        if let Some(id) = planner.span(
            name,
            &t.id,
            &t.label,
            first.start..last.end,
            None,
            "",
            report,
        ) {
            planner.set_fragments(id, &merged);
        }
    }
    // Events first (attributes may name them), then the rest in file order.
    let (events, later): (Vec<_>, Vec<_>) = later
        .into_iter()
        .partition(|(_, id, _, _)| id.starts_with('E'));
    plan_events(planner, name, events, report);
    for (line_no, id, body, rest) in later {
        if id.starts_with('A') || id.starts_with('M') {
            // A1\tName T3 [Value]
            let mut parts = body.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some(attr), Some(target)) => {
                    planner.attribute(name, target, attr, parts.next(), report)
                }
                _ => report
                    .skipped
                    .push(format!("{name}.ann line {line_no}: malformed attribute")),
            }
        } else if id.starts_with('R') {
            // R1\tType Arg1:T1 Arg2:T2 (the role names may differ).
            let mut parts = body.split_whitespace();
            let kind = parts.next().unwrap_or("");
            let first = parts.next().and_then(|a| a.split_once(':'));
            let second = parts.next().and_then(|a| a.split_once(':'));
            match (first, second) {
                (Some((ra, a)), Some((rb, b))) => {
                    planner.link(Some(name), a, b, kind, report);
                    if (ra, rb) != ("Arg1", "Arg2") {
                        planner.relation_roles(kind, ra, rb, report);
                    }
                }
                _ => report
                    .skipped
                    .push(format!("{name}.ann line {line_no}: malformed relation")),
            }
        } else if let Some(target) = body.strip_prefix("AnnotatorNotes ") {
            planner.note(name, target.trim(), rest.as_deref().unwrap_or(""), report);
        } else if id.starts_with('N') {
            // N1\tReference T1 Wikipedia:534366\tBarack Obama
            let parts: Vec<&str> = body.split_whitespace().collect();
            if let [kind, target, reference] = parts[..] {
                let text = rest.clone().unwrap_or_default();
                planner.extra(
                    name,
                    &[target],
                    |t| Extra::Normalization {
                        target: t[0],
                        kind: kind.to_string(),
                        reference: reference.to_string(),
                        text,
                    },
                    report,
                );
            } else {
                report.skipped.push(format!(
                    "{name}.ann line {line_no}: malformed normalisation"
                ));
            }
        } else if id.starts_with('*') {
            // *\tEquiv T1 T2 T3
            let mut parts = body.split_whitespace();
            let kind = parts.next().unwrap_or("").to_string();
            let members: Vec<&str> = parts.collect();
            planner.extra(
                name,
                &members,
                |t| Extra::Equivalence {
                    kind,
                    members: t
                        .into_iter()
                        .filter_map(|x| match x {
                            Target::Span(s) => Some(s),
                            Target::Event(_) => None,
                        })
                        .collect(),
                },
                report,
            );
        } else if let Some((kind, target)) = body.split_once(' ') {
            // #2\tReviewerNote T1\ttext: any other note type is kept.
            let text = rest.clone().unwrap_or_default();
            planner.extra(
                name,
                &[target.trim()],
                |t| Extra::Comment {
                    target: t[0],
                    kind: kind.to_string(),
                    text,
                },
                report,
            );
        } else {
            report.skipped.push(format!(
                "{name}.ann line {line_no}: malformed note {body:?}"
            ));
        }
    }
    Ok(())
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
        vec![input.with_extension("ann")]
    };
    if anns.is_empty() {
        return Err(format!("{} holds no .ann files", input.display()));
    }
    let mut planner = Planner::new(project);
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
        let ann = read(&ann_path)?;
        let text = read(&txt_path)?;
        let name = ann_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        plan_document(&mut planner, &name, &text, &ann, report)?;
    }
    Ok(planner.finish())
}
