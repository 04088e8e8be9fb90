//! Questions the workbench asks to move around a document: which claims and
//! figures still lack a source, and which source is nearest to a span.

use super::ids::{DocId, SpanId};
use super::project::Project;

impl Project {
    /// True when `span` could start a link of a declared type but has none
    /// of that type yet (a claim or figure without a source).
    pub fn lacks_source(&self, span: SpanId) -> bool {
        let Some(s) = self.span(span) else {
            return false;
        };
        let kinds: Vec<&str> = self
            .link_types()
            .iter()
            .filter(|t| !t.from.is_empty() && t.from.contains(&s.label))
            .map(|t| t.id.as_str())
            .collect();
        !kinds.is_empty()
            && !self
                .links_of(span)
                .any(|l| l.from == span && kinds.contains(&l.kind.as_str()))
    }

    /// The next (or previous) span in `doc`'s order that lacks a source,
    /// wrapping around the document: after the span `from` when there is
    /// one, else from the caret at `caret` (the first such span starting at
    /// or after it, or, going back, the last one starting before it).
    pub fn next_unsourced_in(
        &self,
        doc: DocId,
        from: Option<SpanId>,
        caret: usize,
        forward: bool,
    ) -> Option<SpanId> {
        let mut ids = self.span_ids_in(doc, |_| true);
        if !forward {
            ids.reverse();
        }
        let start_of = |id: &SpanId| self.span(*id).map_or(0, |s| s.start);
        let start = match from.and_then(|f| ids.iter().position(|i| *i == f)) {
            Some(p) => p + 1,
            None if forward => ids.iter().position(|i| start_of(i) >= caret).unwrap_or(0),
            None => ids.iter().position(|i| start_of(i) < caret).unwrap_or(0),
        };
        let n = ids.len();
        (0..n)
            .map(|k| ids[(start + k) % n])
            .find(|id| Some(*id) != from && self.lacks_source(*id))
    }

    /// The span `span` would most likely be attributed to, with the link
    /// type: among the spans a declared rule lets it link to (and that it is
    /// not linked to yet), the nearest one in the same paragraph, else the
    /// nearest one before it, else the nearest one after it.
    pub fn nearest_source(&self, span: SpanId) -> Option<(SpanId, String)> {
        let s = self.span(span)?;
        let text = &self.document(s.doc)?.text;
        let rule = self
            .link_types()
            .iter()
            .find(|t| !t.from.is_empty() && t.from.contains(&s.label))?;
        let para = text.line_around(s.start);
        let candidates: Vec<_> = self
            .spans_in(s.doc)
            .filter(|c| c.id != span && (rule.to.is_empty() || rule.to.contains(&c.label)))
            .filter(|c| {
                !self
                    .links_of(span)
                    .any(|l| l.from == span && l.to == c.id && l.kind == rule.id)
            })
            .collect();
        let distance = |c: &&&super::document::Span| {
            if c.end <= s.start {
                s.start - c.end
            } else {
                c.start.saturating_sub(s.end)
            }
        };
        let in_paragraph = candidates
            .iter()
            .filter(|c| c.start >= para.start && c.end <= para.end)
            .min_by_key(distance);
        let before = candidates
            .iter()
            .filter(|c| c.end <= s.start)
            .min_by_key(distance);
        let after = candidates
            .iter()
            .filter(|c| c.start >= s.end)
            .min_by_key(distance);
        in_paragraph
            .or(before)
            .or(after)
            .map(|c| (c.id, rule.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{ATTRIBUTED_TO, CLAIM, Command, History, LabelId, Project, SOURCE};

    fn tag(
        p: &mut Project,
        h: &mut History,
        label: &str,
        start: usize,
        end: usize,
    ) -> super::SpanId {
        h.execute(
            p,
            Command::AddSpan {
                doc: super::DocId(1),
                label: LabelId(label.into()),
                start,
                end,
                note: None,
                created: String::new(),
            },
        )
        .unwrap()
        .spans[0]
    }

    #[test]
    fn unsourced_claims_and_the_nearest_source() {
        let text = "A source said this. Claim one here.\nClaim two. Another source said.";
        let (mut p, mut h) = (Project::new("p"), History::new());
        h.execute(
            &mut p,
            Command::AddDocument {
                title: "t".into(),
                origin: None,
                text: text.into(),
            },
        )
        .unwrap();
        let src1 = tag(&mut p, &mut h, SOURCE, 0, 13);
        let c1 = tag(&mut p, &mut h, CLAIM, 20, 34);
        let c2 = tag(&mut p, &mut h, CLAIM, 36, 45);
        let src2 = tag(&mut p, &mut h, SOURCE, 47, 66);
        // Same paragraph first; the second claim's paragraph has its own source.
        assert_eq!(p.nearest_source(c1), Some((src1, ATTRIBUTED_TO.into())));
        assert_eq!(p.nearest_source(c2), Some((src2, ATTRIBUTED_TO.into())));
        assert_eq!(p.nearest_source(src1), None, "a source links to nothing");
        assert!(p.lacks_source(c1) && !p.lacks_source(src1));
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), None, 0, true),
            Some(c1)
        );
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), Some(c1), 0, true),
            Some(c2)
        );
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), Some(c2), 0, true),
            Some(c1),
            "wraps"
        );
        // From the caret, with no span selected: the claim after it (c2
        // starts at 36), or going back, the one before it.
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), None, 30, true),
            Some(c2)
        );
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), None, 30, false),
            Some(c1)
        );
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), None, 40, false),
            Some(c2)
        );
        h.execute(
            &mut p,
            Command::AddLink {
                from: c1,
                to: src1,
                kind: ATTRIBUTED_TO.into(),
            },
        )
        .unwrap();
        assert!(!p.lacks_source(c1));
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), Some(c2), 0, true),
            None
        );
        assert_eq!(
            p.next_unsourced_in(super::DocId(1), None, 0, false),
            Some(c2)
        );
    }
}
