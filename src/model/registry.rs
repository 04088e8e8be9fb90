//! Registry commands: each builds one undoable [`Command`] from checked
//! edits, so adding, assigning, merging, splitting, renaming and removing
//! source entries are each one step in the history.

use super::command::Command;
use super::edit::Edit;
use super::error::EditError;
use super::ids::{SourceId, SpanId};
use super::project::Project;
use super::source::{SourceEntry, Sourcing, guess_identification, guess_kind};

/// A new entry (with the next free id) and the command that adds it.
pub fn add(project: &Project, mut entry: SourceEntry) -> (SourceId, Command) {
    entry.id = project.next_source_id();
    let id = entry.id;
    let name = format!("add source “{}”", entry.name);
    (id, Command::Edits(name, vec![Edit::InsertSource(entry)]))
}

/// A new entry named after the mention's wording (identification and kind
/// guessed from it), assigned to `span`, as one step.
pub fn add_from_mention(
    project: &Project,
    span: SpanId,
    name: &str,
) -> Result<(SourceId, Command), EditError> {
    let id = project.next_source_id();
    let entry = SourceEntry::new(id, name, guess_identification(name), guess_kind(name));
    entry.check().map_err(EditError::BadSource)?;
    let title = format!("new source “{}”", entry.name);
    Ok((
        id,
        Command::Edits(
            title,
            vec![Edit::InsertSource(entry), Edit::SetMention(span, Some(id))],
        ),
    ))
}

/// Makes `span` mention `source` (or nothing).
pub fn assign(project: &Project, span: SpanId, source: Option<SourceId>) -> Command {
    let name = match source.and_then(|s| project.source(s)) {
        Some(e) => format!("assign “{}”", e.name),
        None => "clear source".to_string(),
    };
    Command::Edits(name, vec![Edit::SetMention(span, source)])
}

/// Merges entry `from` into `into`: every mention of `from` (deleted spans'
/// included) moves to `into`, whose aliases gain `from`'s name and
/// aliases, and `from` goes.
pub fn merge(project: &Project, from: SourceId, into: SourceId) -> Result<Command, EditError> {
    if from == into {
        return Err(EditError::BadSource(
            "a source cannot be merged into itself".into(),
        ));
    }
    let unknown = |id| EditError::BadSource(format!("source {id} does not exist"));
    let gone = project.source(from).ok_or_else(|| unknown(from))?;
    let mut kept = project.source(into).ok_or_else(|| unknown(into))?.clone();
    let mut edits: Vec<Edit> = project
        .all_mentions_of(from)
        .into_iter()
        .map(|s| Edit::SetMention(s, Some(into)))
        .collect();
    for alias in std::iter::once(&gone.name).chain(&gone.aliases) {
        if !kept.answers_to(alias) {
            kept.aliases.push(alias.clone());
        }
    }
    let name = format!("merge “{}” into “{}”", gone.name, kept.name);
    edits.push(Edit::UpdateSource(kept));
    edits.push(Edit::DeleteSource(from));
    Ok(Command::Edits(name, edits))
}

/// Splits `spans` off entry `source` into a new entry named `name` (the
/// other fields copied), as one step. Returns the new id.
pub fn split(
    project: &Project,
    source: SourceId,
    spans: &[SpanId],
    name: &str,
) -> Result<(SourceId, Command), EditError> {
    let old = project
        .source(source)
        .ok_or_else(|| EditError::BadSource(format!("source {source} does not exist")))?;
    if spans.is_empty() {
        return Err(EditError::BadSource(
            "choose the mentions to split off".into(),
        ));
    }
    if let Some(s) = spans.iter().find(|s| project.mention(**s) != Some(source)) {
        return Err(EditError::BadSource(format!(
            "span {s} does not mention “{}”",
            old.name
        )));
    }
    let id = project.next_source_id();
    let mut entry = old.clone();
    entry.id = id;
    entry.name = name.trim().to_string();
    entry.aliases.clear();
    entry.wikidata = None;
    entry.check().map_err(EditError::BadSource)?;
    let title = format!("split “{}” off “{}”", entry.name, old.name);
    let mut edits = vec![Edit::InsertSource(entry)];
    edits.extend(spans.iter().map(|s| Edit::SetMention(*s, Some(id))));
    Ok((id, Command::Edits(title, edits)))
}

/// Replaces an entry's fields (a rename, a new kind…), as one step.
pub fn update(project: &Project, entry: SourceEntry) -> Result<Command, EditError> {
    let old = project
        .source(entry.id)
        .ok_or_else(|| EditError::BadSource(format!("source {} does not exist", entry.id)))?;
    let name = if old.name != entry.name {
        format!("rename “{}” to “{}”", old.name, entry.name)
    } else {
        format!("edit source “{}”", entry.name)
    };
    Ok(Command::Edits(name, vec![Edit::UpdateSource(entry)]))
}

/// Removes an entry; its mentions become unassigned (said in the name).
pub fn remove(project: &Project, id: SourceId) -> Result<Command, EditError> {
    let entry = project
        .source(id)
        .ok_or_else(|| EditError::BadSource(format!("source {id} does not exist")))?;
    let mut edits: Vec<Edit> = project
        .all_mentions_of(id)
        .into_iter()
        .map(|s| Edit::SetMention(s, None))
        .collect();
    let live = project.mentions().filter(|(_, e)| *e == id).count();
    edits.push(Edit::DeleteSource(id));
    Ok(Command::Edits(
        format!(
            "remove source “{}” ({live} mention(s) unassigned)",
            entry.name
        ),
        edits,
    ))
}

/// True when `span` is a source attribution: its label is a source label,
/// or it is the source of an attribution relation.
pub fn is_source_span(project: &Project, span: SpanId) -> bool {
    let Some(s) = project.span(span) else {
        return false;
    };
    let sourcing = project.sourcing();
    sourcing.is_source_label(&s.label)
        || project
            .links_of(span)
            .any(|l| l.to == span && sourcing.attribution(&l.kind).is_some())
        || project.events_of(span).any(|e| {
            sourcing.attribution(&e.kind).is_some_and(|rule| {
                e.args.iter().any(|(r, t)| {
                    Some(r) == rule.source.as_ref() && *t == super::document::Target::Span(span)
                })
            })
        })
}

/// Words that refer back to a source already introduced in the article.
const BACK_REFERENCES: &[&str] = &[
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "it",
    "the source",
    "the sources",
    "the official",
    "the officials",
    "the same source",
    "this source",
    "that source",
    "the person",
    "the man",
    "the woman",
    "the insider",
    "the analyst",
    "the expert",
    "the agency",
    "the ministry",
    "the report",
    "the newspaper",
    "the outlet",
];

/// The entries to offer for source span `span`, best first:
/// - the entry it mentions now, if any;
/// - a back-reference ("the source", "he", "the official") offers the
///   entries mentioned earlier in the same article, most recent first,
///   those whose names share its head word ("source", "official") before
///   the others;
/// - an entry whose name or alias (without a bracketed note) the wording
///   contains: named entries from any article, described and anonymous
///   ones only from this article;
/// - then the entries the article mentions, most recent first.
///
/// Described and anonymous entries of other articles are never offered
/// as matches: only the analyst merges them.
pub fn suggest(project: &Project, span: SpanId) -> Vec<SourceId> {
    use super::source::{Identification, name_key};
    let Some(s) = project.span(span) else {
        return Vec::new();
    };
    let Some(doc) = project.document(s.doc) else {
        return Vec::new();
    };
    let wording = s.quote(&doc.text);
    let key = wording.to_lowercase();
    let key = key
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .trim();
    // Entries this article mentions before the span, most recent first.
    let mut earlier: Vec<SourceId> = Vec::new();
    let mut later: Vec<SourceId> = Vec::new();
    for other in project.spans_in(s.doc) {
        if other.id == span {
            continue;
        }
        if let Some(e) = project.mention(other.id) {
            if other.start <= s.start {
                earlier.retain(|x| *x != e);
                earlier.insert(0, e);
            } else if !later.contains(&e) {
                later.push(e);
            }
        }
    }
    let mut out: Vec<SourceId> = Vec::new();
    let push = |id: SourceId, out: &mut Vec<SourceId>| {
        if !out.contains(&id) {
            out.push(id);
        }
    };
    if let Some(current) = project.mention(span) {
        push(current, &mut out);
    }
    let back = BACK_REFERENCES
        .iter()
        .any(|b| key == *b || key.starts_with(&format!("{b} ")));
    if back {
        let head = key.split_whitespace().last().unwrap_or("");
        let head = head.trim_end_matches('s');
        let fits = |id: &SourceId| {
            project.source(*id).is_some_and(|e| {
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .any(|n| n.to_lowercase().contains(head))
            })
        };
        for id in earlier.iter().filter(|id| fits(id)) {
            push(*id, &mut out);
        }
    }
    // The wording contains an entry's name or alias (without a note in
    // brackets): any named entry, and the described and anonymous ones of
    // this article.
    let words = format!(" {} ", name_key(&wording));
    let here: Vec<SourceId> = earlier.iter().chain(&later).copied().collect();
    for e in project.sources() {
        if e.identification != Identification::Named && !here.contains(&e.id) {
            continue;
        }
        let contains = std::iter::once(&e.name).chain(&e.aliases).any(|n| {
            let bare = n.split(" (").next().unwrap_or(n);
            let n = name_key(bare);
            !n.is_empty() && words.contains(&format!(" {n} "))
        });
        if contains {
            push(e.id, &mut out);
        }
    }
    for id in earlier.into_iter().chain(later) {
        push(id, &mut out);
    }
    out
}

/// Sets the schema's sourcing roles.
pub fn set_sourcing(sourcing: Sourcing) -> Command {
    Command::Edits(
        "set sourcing roles".into(),
        vec![Edit::SetSourcing(sourcing)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command as C, DocId, History, Identification, LabelId, SourceKind};

    fn project_with_sources() -> (Project, History, Vec<SpanId>) {
        let mut p = Project::new("t");
        let mut h = History::default();
        let text = "A China-based source said so. Another source agreed. Daily NK sources said it.";
        h.execute(
            &mut p,
            C::AddDocument {
                title: "a".into(),
                text: text.into(),
                origin: None,
            },
        )
        .unwrap();
        let mut spans = Vec::new();
        for (s, e) in [(0, 20), (30, 44), (52, 68)] {
            let c = h
                .execute(
                    &mut p,
                    C::AddSpan {
                        doc: DocId(1),
                        label: LabelId("source".into()),
                        start: s,
                        end: e,
                        note: None,
                        created: "2026-01-01T00:00:00Z".into(),
                    },
                )
                .unwrap();
            spans.push(c.spans[0]);
        }
        (p, h, spans)
    }

    #[test]
    fn add_assign_merge_split_each_undo_in_one_step() {
        let (mut p, mut h, spans) = project_with_sources();
        let before = p.clone();
        let steps_before = h.undo_len();
        let (a, cmd) = add_from_mention(&p, spans[0], "a China-based source").unwrap();
        h.execute(&mut p, cmd).unwrap();
        assert_eq!(p.mention(spans[0]), Some(a));
        assert_eq!(
            p.source(a).unwrap().identification,
            Identification::Described
        );
        let (b, cmd) = add_from_mention(&p, spans[1], "another source").unwrap();
        h.execute(&mut p, cmd).unwrap();
        let cmd = assign(&p, spans[2], Some(b));
        h.execute(&mut p, cmd).unwrap();
        // Merge b into a: both mentions move, b's name becomes an alias.
        let cmd = merge(&p, b, a).unwrap();
        h.execute(&mut p, cmd).unwrap();
        assert!(p.source(b).is_none());
        assert_eq!(p.mention(spans[1]), Some(a));
        assert_eq!(p.mention(spans[2]), Some(a));
        assert!(p.source(a).unwrap().answers_to("another source"));
        // Undo the merge: one step puts b back with its mentions.
        h.undo(&mut p).unwrap();
        assert_eq!(p.mention(spans[1]), Some(b));
        assert!(!p.source(a).unwrap().answers_to("another source"));
        h.redo(&mut p).unwrap();
        // Split the third mention off a.
        let (c, cmd) = split(&p, a, &[spans[2]], "Daily NK sources").unwrap();
        h.execute(&mut p, cmd).unwrap();
        assert_eq!(p.mention(spans[2]), Some(c));
        assert_eq!(p.mention(spans[1]), Some(a));
        // Rename.
        let mut renamed = p.source(c).unwrap().clone();
        renamed.name = "Daily NK's sources".into();
        renamed.kind = SourceKind::Media;
        let cmd = update(&p, renamed).unwrap();
        h.execute(&mut p, cmd).unwrap();
        assert_eq!(p.source(c).unwrap().name, "Daily NK's sources");
        while h.undo_len() > steps_before {
            h.undo(&mut p).unwrap();
        }
        assert_eq!(p, before);
    }

    #[test]
    fn deleted_spans_keep_their_mention_through_merge_and_undo() {
        let (mut p, mut h, spans) = project_with_sources();
        let (a, cmd) = add_from_mention(&p, spans[0], "a China-based source").unwrap();
        h.execute(&mut p, cmd).unwrap();
        let (b, cmd) = add_from_mention(&p, spans[1], "another source").unwrap();
        h.execute(&mut p, cmd).unwrap();
        h.execute(&mut p, C::RemoveSpan(spans[1])).unwrap();
        assert_eq!(p.mention(spans[1]), None);
        assert_eq!(p.mentions().count(), 1);
        // b has no live mention, but its deleted span's still counts.
        assert!(p.apply(Edit::DeleteSource(b)).is_err());
        let cmd = merge(&p, b, a).unwrap();
        h.execute(&mut p, cmd).unwrap();
        // Undo the merge, then the deletion: the span is b's again.
        h.undo(&mut p).unwrap();
        h.undo(&mut p).unwrap();
        assert_eq!(p.mention(spans[1]), Some(b));
    }

    #[test]
    fn suggestions_follow_how_articles_refer_to_sources() {
        let (mut p, mut h, spans) = project_with_sources();
        // A second article: "the source" and "Daily NK".
        let doc2 = h
            .execute(
                &mut p,
                C::AddDocument {
                    title: "b".into(),
                    text:
                        "Daily NK reported it. A China-based source said so. The source added more."
                            .into(),
                    origin: None,
                },
            )
            .unwrap()
            .documents[0];
        let tag = |p: &mut Project, h: &mut History, s: usize, e: usize| {
            h.execute(
                p,
                C::AddSpan {
                    doc: doc2,
                    label: LabelId("source".into()),
                    start: s,
                    end: e,
                    note: None,
                    created: "2026-01-01T00:00:00Z".into(),
                },
            )
            .unwrap()
            .spans[0]
        };
        let nk2 = tag(&mut p, &mut h, 0, 8);
        let cb2 = tag(&mut p, &mut h, 22, 42);
        let the2 = tag(&mut p, &mut h, 52, 62);
        // Article 1: a described source, and a named outlet.
        let (described, cmd) = add_from_mention(&p, spans[0], "a China-based source").unwrap();
        h.execute(&mut p, cmd).unwrap();
        let (nk, cmd) = add_from_mention(&p, spans[2], "Daily NK").unwrap();
        h.execute(&mut p, cmd).unwrap();
        assert_eq!(p.source(nk).unwrap().identification, Identification::Named);
        // The named outlet matches across articles; the described source
        // of article 1 is not offered for article 2's description.
        assert_eq!(suggest(&p, nk2), vec![nk]);
        assert!(!suggest(&p, cb2).contains(&described));
        // In article 2, "The source" goes to its own earlier source.
        let (local, cmd) = add_from_mention(&p, cb2, "a China-based source").unwrap();
        h.execute(&mut p, cmd).unwrap();
        let cmd = assign(&p, nk2, Some(nk));
        h.execute(&mut p, cmd).unwrap();
        assert_eq!(suggest(&p, the2).first(), Some(&local));
    }

    #[test]
    fn bad_registry_edits_are_refused_and_change_nothing() {
        let (mut p, _h, spans) = project_with_sources();
        let before = p.clone();
        assert!(merge(&p, SourceId(1), SourceId(1)).is_err());
        assert!(merge(&p, SourceId(1), SourceId(2)).is_err());
        assert!(
            p.apply(Edit::SetMention(spans[0], Some(SourceId(9))))
                .is_err()
        );
        assert!(p.apply(Edit::SetMention(SpanId(999), None)).is_ok());
        let mut e = SourceEntry::new(SourceId(1), " ", Identification::Named, SourceKind::Other);
        assert!(p.apply(Edit::InsertSource(e.clone())).is_err());
        e.name = "X".into();
        e.wikidata = Some("Q-1".into());
        assert!(p.apply(Edit::InsertSource(e)).is_err());
        assert_eq!(p, before);
    }
}
