//! How one version of a project differs from another, counted by record:
//! what a recovery snapshot would change if restored over the saved file.

use super::project::Project;

/// Records added, removed and changed between two versions, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Difference {
    /// Articles only in the newer version.
    pub articles_added: usize,
    /// Articles only in the older version.
    pub articles_removed: usize,
    /// Articles in both whose title, status or text differs.
    pub articles_changed: usize,
    /// Spans only in the newer version.
    pub spans_added: usize,
    /// Spans only in the older version.
    pub spans_removed: usize,
    /// Spans in both that differ (label, range, note, attributes…).
    pub spans_changed: usize,
    /// Links only in the newer version.
    pub links_added: usize,
    /// Links only in the older version.
    pub links_removed: usize,
    /// Events only in the newer version, or changed.
    pub events_added: usize,
    /// Events only in the older version.
    pub events_removed: usize,
    /// Source-registry entries added, removed or changed.
    pub sources_changed: usize,
    /// Spans whose source (registry entry) differs.
    pub mentions_changed: usize,
    /// Anything else differs (name, labels, patterns, events…).
    pub other: bool,
}

impl Difference {
    /// What `newer` changes relative to `older`.
    pub fn between(older: &Project, newer: &Project) -> Self {
        let mut d = Difference::default();
        for doc in newer.documents() {
            match older.document(doc.id) {
                None => d.articles_added += 1,
                Some(o) if o != doc => d.articles_changed += 1,
                Some(_) => {}
            }
        }
        d.articles_removed = older
            .documents()
            .filter(|o| newer.document(o.id).is_none())
            .count();
        for s in newer.spans() {
            match older.span(s.id) {
                None => d.spans_added += 1,
                Some(o) if o != s => d.spans_changed += 1,
                Some(_) => {}
            }
        }
        d.spans_removed = older.spans().filter(|o| newer.span(o.id).is_none()).count();
        d.links_added = newer
            .links()
            .filter(|l| older.link(l.id) != Some(*l))
            .count();
        d.links_removed = older
            .links()
            .filter(|o| newer.link(o.id) != Some(*o))
            .count();
        d.sources_changed = newer
            .sources()
            .filter(|e| older.source(e.id) != Some(*e))
            .count()
            + older
                .sources()
                .filter(|e| newer.source(e.id).is_none())
                .count();
        let spans: std::collections::BTreeSet<_> = older
            .mentions()
            .chain(newer.mentions())
            .map(|(s, _)| s)
            .collect();
        d.mentions_changed = spans
            .into_iter()
            .filter(|s| older.mention(*s) != newer.mention(*s))
            .count();
        let counted = Difference {
            other: false,
            ..d.clone()
        };
        // Whatever the counts do not cover.
        d.other = counted == Difference::default() && older != newer;
        d
    }

    /// True when the two versions hold the same content.
    pub fn is_none(&self) -> bool {
        *self == Difference::default()
    }

    /// "1 span removed, 2 links removed", or "no difference".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut part = |n: usize, what: &str, how: &str| {
            if n > 0 {
                let s = if n == 1 { "" } else { "s" };
                parts.push(format!("{n} {what}{s} {how}"));
            }
        };
        part(self.articles_added, "article", "added");
        part(self.articles_removed, "article", "removed");
        part(self.articles_changed, "article", "changed");
        part(self.spans_added, "span", "added");
        part(self.spans_removed, "span", "removed");
        part(self.spans_changed, "span", "changed");
        part(self.links_added, "link", "added");
        part(self.links_removed, "link", "removed");
        part(self.events_added, "event", "added");
        part(self.events_removed, "event", "removed");
        part(self.sources_changed, "source", "added, removed or changed");
        part(self.mentions_changed, "source assignment", "changed");
        if self.other {
            parts.push("other changes (labels, patterns, settings or names)".into());
        }
        if parts.is_empty() {
            "no difference".into()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, History, LabelId};

    #[test]
    fn counts_what_changed_by_record() {
        let mut older = Project::new("p");
        let mut h = History::new();
        h.execute(
            &mut older,
            Command::AddDocument {
                title: "a".into(),
                origin: None,
                text: "One two three four.".into(),
            },
        )
        .unwrap();
        let tag = |p: &mut Project, h: &mut History, a, b| {
            h.execute(
                p,
                Command::AddSpan {
                    doc: crate::model::DocId(1),
                    label: LabelId("claim".into()),
                    start: a,
                    end: b,
                    note: None,
                    created: "t".into(),
                },
            )
            .unwrap()
            .spans[0]
        };
        let gone = tag(&mut older, &mut h, 0, 3);
        let noted = tag(&mut older, &mut h, 4, 7);
        let mut newer = older.clone();
        assert!(Difference::between(&older, &newer).is_none());
        h.execute(&mut newer, Command::RemoveSpan(gone)).unwrap();
        h.execute(&mut newer, Command::SetNote(noted, Some("n".into())))
            .unwrap();
        tag(&mut newer, &mut h, 8, 13);
        let d = Difference::between(&older, &newer);
        assert_eq!(d.describe(), "1 span added, 1 span removed, 1 span changed");
        let mut renamed = older.clone();
        h.execute(&mut renamed, Command::RenameProject("q".into()))
            .unwrap();
        assert_eq!(
            Difference::between(&older, &renamed).describe(),
            "other changes (labels, patterns, settings or names)"
        );
    }

    #[test]
    fn registry_changes_are_counted() {
        use crate::model::{Identification, SourceEntry, SourceId, SourceKind, registry};
        let older = Project::new("p");
        let mut newer = older.clone();
        let (_, c) = registry::add(
            &newer,
            SourceEntry::new(SourceId(0), "X", Identification::Named, SourceKind::Other),
        );
        History::new().execute(&mut newer, c).unwrap();
        let d = Difference::between(&older, &newer);
        assert_eq!(d.describe(), "1 source added, removed or changed");
    }
}
