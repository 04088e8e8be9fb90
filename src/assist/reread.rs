//! Attribute values read from a span's text follow the text. When Replace
//! text corrects a span's text ("RMB 10" → "RMB 12"), the figure values the
//! rules read from it (value, value_max, unit, approximate) are read again
//! in the same undo step; a value the analyst typed by hand that no longer
//! fits is marked "may be stale" instead of being overwritten.

use super::rules::{Family, figure_attrs};
use super::suggest::for_each_builtin;
use crate::model::anchor::{RetextPlan, Status};
use crate::model::{Command, DocText, Edit, Project, SpanId};
use std::collections::BTreeMap;

/// The attributes the figure rules read from a span's text.
pub const FROM_TEXT: [&str; 4] = ["value", "value_max", "unit", "approximate"];

/// The figure values the built-in rules read from `text` (a span's own
/// text): the rule that covers most of it decides the family. Empty when
/// no figure rule matches.
pub fn attrs_from_text(text: &str) -> BTreeMap<String, String> {
    let mut best: Option<(usize, f32, Family)> = None;
    for_each_builtin(text, |family, start, end, score| {
        if family == Family::Attribution {
            return;
        }
        let better = best.is_none_or(|(len, s, _)| (end - start, score) > (len, s));
        if better {
            best = Some((end - start, score, family));
        }
    });
    best.map(|(_, _, family)| figure_attrs(family, text))
        .unwrap_or_default()
}

/// One span whose text the re-text corrects.
#[derive(Debug, Clone, PartialEq)]
pub struct Corrected {
    /// The span.
    pub id: SpanId,
    /// Its text before.
    pub old: String,
    /// Its text after.
    pub new: String,
    /// Values read again from the new text: (attribute, old, new).
    pub reread: Vec<(String, Option<String>, Option<String>)>,
    /// Values typed by hand that the new text no longer bears out.
    pub stale: Vec<String>,
}

/// What a re-text does to the spans whose text it corrects.
pub fn corrections(project: &Project, plan: &RetextPlan) -> Vec<Corrected> {
    let Some(old_text) = project.document(plan.doc).map(|d| &d.text) else {
        return Vec::new();
    };
    plan.placements
        .iter()
        .filter(|p| p.status == Status::Fuzzy)
        .filter_map(|p| {
            let span = project.span(p.id)?;
            let old = span.quote(old_text);
            let new = quote(&plan.text, p.fragments.as_deref()?);
            Some(correction(project, p.id, old, new))
        })
        .collect()
}

/// The text of `fragments` in `text`, joined as [`crate::model::Span::quote`] joins.
fn quote(text: &DocText, fragments: &[(usize, usize)]) -> String {
    fragments
        .iter()
        .map(|&(a, b)| text.slice(a..b))
        .collect::<Vec<_>>()
        .join(" … ")
}

fn correction(project: &Project, id: SpanId, old: String, new: String) -> Corrected {
    let mut out = Corrected {
        id,
        reread: Vec::new(),
        stale: Vec::new(),
        old,
        new,
    };
    let Some(span) = project.span(id) else {
        return out;
    };
    let Some(label) = project.label(&span.label) else {
        return out;
    };
    let (was, now) = (attrs_from_text(&out.old), attrs_from_text(&out.new));
    for name in FROM_TEXT {
        let Some(def) = label.attribute(name) else {
            continue;
        };
        let stored = span.attrs.get(name);
        let (read_before, read_now) = (was.get(name), now.get(name));
        if read_before == read_now {
            continue; // the text says the same about it
        }
        if stored == read_before {
            // It was what the text said: it follows the text.
            let new_value = read_now.filter(|v| def.check(v).is_ok()).cloned();
            if new_value.as_ref() != stored {
                out.reread
                    .push((name.to_string(), stored.cloned(), new_value));
            }
        } else if stored.is_some() && stored != read_now {
            out.stale.push(name.to_string());
        }
    }
    out
}

/// The undoable command for `plan`: the re-text, then in the same step the
/// values read again, the marks on values that may be stale, and the
/// article's provenance when the new text came from a file.
pub fn retext_command(plan: &RetextPlan, corrected: &[Corrected]) -> Command {
    let mut edits = Vec::new();
    for c in corrected {
        for (name, _, value) in &c.reread {
            edits.push(Edit::SetSpanAttr(c.id, name.clone(), value.clone()));
        }
        for name in &c.stale {
            edits.push(Edit::SetStale(c.id, name.clone(), true));
        }
    }
    let mut commands = vec![plan.command()];
    if !edits.is_empty() {
        commands.push(Command::Edits("read figure values again".into(), edits));
    }
    if let Some(source) = &plan.source {
        commands.push(Command::SetDocumentSource(plan.doc, Some(source.clone())));
    }
    if commands.len() == 1 {
        return plan.command();
    }
    Command::Group("replace text".into(), commands)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::anchor::plan_retext;
    use crate::model::{DocId, History, LabelId};

    /// (label, start, end, attribute values).
    type SpanSpec<'a> = (&'a str, usize, usize, &'a [(&'a str, &'a str)]);

    fn project(text: &str, spans: &[SpanSpec]) -> (Project, Vec<SpanId>) {
        let mut p = Project::new("p");
        let mut h = History::new();
        h.execute(
            &mut p,
            Command::AddDocument {
                title: "a".into(),
                origin: None,
                text: text.into(),
            },
        )
        .unwrap();
        let ids = spans
            .iter()
            .map(|(label, a, b, attrs)| {
                h.execute(
                    &mut p,
                    Command::AddSpanWith {
                        doc: DocId(1),
                        label: LabelId((*label).into()),
                        fragments: vec![(*a, *b)],
                        attrs: attrs
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                        note: None,
                        created: "t".into(),
                    },
                )
                .unwrap()
                .spans[0]
            })
            .collect();
        (p, ids)
    }

    #[test]
    fn values_read_from_the_text_follow_it_and_typed_ones_are_marked() {
        let text = "The fee was RMB 10 a month, and about 300 workers left, a source said.";
        let fee = text.find("RMB 10").unwrap();
        let crowd = text.find("about 300 workers").unwrap();
        let (mut p, ids) = project(
            text,
            &[
                // Read from the text by the rules.
                ("figure", fee, fee + 6, &[("value", "10"), ("unit", "RMB")]),
                // Typed by hand: 320, after a correction elsewhere.
                (
                    "figure",
                    crowd,
                    crowd + 17,
                    &[("value", "320"), ("approximate", "true")],
                ),
            ],
        );
        assert_eq!(
            attrs_from_text("RMB 10").get("value").map(String::as_str),
            Some("10")
        );
        let new = text
            .replace("RMB 10", "RMB 12")
            .replace("about 300", "about 350");
        let plan = plan_retext(&p, DocId(1), &new, &|_| {}).unwrap();
        let corrected = corrections(&p, &plan);
        assert_eq!(corrected.len(), 2, "{corrected:?}");
        assert_eq!(
            (corrected[0].old.as_str(), corrected[0].new.as_str()),
            ("RMB 10", "RMB 12")
        );
        assert_eq!(
            corrected[0].reread,
            vec![("value".into(), Some("10".into()), Some("12".into()))]
        );
        assert!(corrected[0].stale.is_empty());
        assert_eq!(corrected[1].stale, vec!["value".to_string()]);
        assert!(corrected[1].reread.is_empty(), "approximate still holds");
        let before = p.clone();
        let mut h = History::new();
        h.execute(&mut p, retext_command(&plan, &corrected))
            .unwrap();
        assert_eq!(
            p.span(ids[0])
                .unwrap()
                .attrs
                .get("value")
                .map(String::as_str),
            Some("12")
        );
        assert!(p.is_stale(ids[1], "value"));
        assert_eq!(
            p.span(ids[1])
                .unwrap()
                .attrs
                .get("value")
                .map(String::as_str),
            Some("320")
        );
        // One undo step puts everything back.
        h.undo(&mut p).unwrap();
        assert_eq!(p, before);
    }
}
