//! `search` and `suggest`: find text, and list or apply pattern
//! suggestions.

use super::{CliResult, exec, find_doc, load, save, unusable, write_line};
use crate::assist::search::{Query, search as find};
use crate::assist::suggest::quality;
use crate::model::{Command, DocId, Project};
use anyhow::anyhow;
use serde_json::json;
use std::path::Path;

/// The articles `--doc` names (all when None).
fn docs(project: &Project, doc: Option<&str>) -> CliResult<Vec<DocId>> {
    Ok(match doc {
        Some(key) => vec![find_doc(project, key)?.id],
        None => project.documents().map(|d| d.id).collect(),
    })
}

fn slice(project: &Project, doc: DocId, start: usize, end: usize) -> String {
    project
        .document(doc)
        .map(|d| d.text.slice(start..end).to_string())
        .unwrap_or_default()
}

/// Prints the matches; exit 1 when there are none.
pub fn search(
    path: &Path,
    pattern: String,
    regex: bool,
    case_sensitive: bool,
    doc: Option<&str>,
    json: bool,
) -> CliResult<u8> {
    let project = load(path)?;
    let only = docs(&project, doc)?;
    let query = Query {
        pattern,
        regex,
        case_sensitive,
    };
    let matches = find(&project, &query, Some(&only)).map_err(|e| unusable(anyhow!(e)))?;
    if json {
        let list: Vec<_> = matches
            .iter()
            .map(|m| {
                json!({"document": m.doc.0, "start": m.start, "end": m.end,
                       "text": slice(&project, m.doc, m.start, m.end)})
            })
            .collect();
        say!("{}", json!({ "matches": list }));
    } else {
        for m in &matches {
            say!(
                "{}\t{}\t{}\t{}",
                m.doc,
                m.start,
                m.end,
                slice(&project, m.doc, m.start, m.end)
            );
        }
        if matches.is_empty() {
            eprintln!("no matches");
        }
    }
    Ok(if matches.is_empty() { 1 } else { 0 })
}

/// How `suggest` runs.
pub struct SuggestHow {
    /// Print JSON.
    pub json: bool,
    /// Tag them all.
    pub apply: bool,
    /// Score the built-in rules instead.
    pub score: bool,
    /// Only learned suggestions.
    pub learned: bool,
    /// Replaces the learned thresholds.
    pub min_score: Option<f32>,
}

/// Prints (or with `apply`, tags) the suggestions; `score` prints the
/// built-in rules' precision and recall against the project's own spans.
pub fn suggest(
    path: &Path,
    doc: Option<&str>,
    label: Option<&str>,
    how: SuggestHow,
) -> CliResult<u8> {
    let SuggestHow {
        json,
        apply,
        score,
        learned,
        min_score,
    } = how;
    if min_score.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
        return Err(unusable(anyhow!("--min-score is between 0 and 1")));
    }
    let mut project = load(path)?;
    if score {
        let q = quality(&project);
        say!("family\tsuggestions\tright\tprecision\tannotations found");
        for (family, (n, right, found)) in &q.families {
            let p = if *n > 0 {
                *right as f64 / *n as f64
            } else {
                f64::NAN
            };
            say!("{family}\t{n}\t{right}\t{:.0}%\t{found}", p * 100.0);
        }
        say!("label\tsuggestions\tright\tprecision\tannotations\tfound\trecall");
        for (l, (n, right, gold, found)) in &q.labels {
            let p = if *n > 0 {
                *right as f64 / *n as f64
            } else {
                f64::NAN
            };
            let r = if *gold > 0 {
                *found as f64 / *gold as f64
            } else {
                f64::NAN
            };
            say!(
                "{l}\t{n}\t{right}\t{:.0}%\t{gold}\t{found}\t{:.0}%",
                p * 100.0,
                r * 100.0
            );
        }
        return Ok(0);
    }
    let only = docs(&project, doc)?;
    let mut all = Vec::new();
    let mut cache = crate::assist::learn::FeatureCache::default();
    let labels: Vec<crate::model::LabelId> = label
        .map(|l| vec![crate::model::LabelId(l.into())])
        .unwrap_or_default();
    let taggers = crate::assist::learn::learn(&project, &labels, &mut cache);
    for d in &only {
        // Rules and the tagger in one list: where both suggest a place,
        // the rule's suggestion stands (as in the window).
        let mut list = if learned {
            crate::assist::suggest::Suggested::empty(*d)
        } else {
            crate::assist::suggest::candidates(&project, *d)
        };
        list.add_learned(&crate::assist::learn::tag_article(
            &project, *d, &taggers, &mut cache, min_score,
        ));
        all.extend(
            list.pending(&project)
                .into_iter()
                .filter(|s| label.is_none_or(|l| s.label.as_str() == l)),
        );
    }
    if apply {
        let now = crate::clock::now_rfc3339();
        let commands: Vec<Command> = all.iter().map(|s| s.accept(&now)).collect();
        let n = commands.len();
        if n > 0 {
            exec(
                &mut project,
                Command::Group("accept suggestions".into(), commands),
            )?;
            save(&project, path)?;
        }
        say!("tagged {n} suggestion(s)");
        return Ok(0);
    }
    if json {
        let list: Vec<_> = all
            .iter()
            .map(|s| {
                json!({"document": s.doc.0, "label": s.label.as_str(), "start": s.start,
                       "end": s.end, "text": slice(&project, s.doc, s.start, s.end),
                       "rule": s.rule, "score": (f64::from(s.score) * 100.0).round() / 100.0, "attributes": s.attrs})
            })
            .collect();
        say!("{}", json!({ "suggestions": list }));
    } else {
        for s in &all {
            say!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                s.doc,
                s.label,
                s.start,
                s.end,
                s.rule,
                slice(&project, s.doc, s.start, s.end)
            );
        }
    }
    Ok(0)
}

/// `marginalia learn`: trains and evaluates each label's tagger.
pub fn learn(path: &Path, labels: &[String], json: bool) -> CliResult {
    let project = load(path)?;
    let labels: Vec<crate::model::LabelId> = labels
        .iter()
        .map(|l| crate::model::LabelId(l.trim().into()))
        .collect();
    for l in &labels {
        if project.label(l).is_none() {
            return Err(super::problem(anyhow!("no label {l} in the schema")));
        }
    }
    let mut cache = crate::assist::learn::FeatureCache::default();
    let learned = crate::assist::learn::learn(&project, &labels, &mut cache);
    let round = |x: Option<f32>| x.map(|v| (f64::from(v) * 1000.0).round() / 1000.0);
    if json {
        let rows: Vec<_> = learned
            .iter()
            .map(|(_, r)| {
                json!({"label": r.label.as_str(), "train_docs": r.train_docs,
                       "train_spans": r.train_spans, "precision": round(r.precision),
                       "recall": round(r.recall), "f1": round(r.f1),
                       "threshold": round(r.threshold),
                       "train_ms": (r.train_ms * 10.0).round() / 10.0,
                       "tags": r.scheme.name()})
            })
            .collect();
        say!("{}", json!({ "labels": rows }));
        return Ok(());
    }
    if learned.is_empty() {
        say!(
            "nothing to learn: no label has {} spans in articles marked done or imported",
            crate::assist::learn::MIN_SPANS
        );
    }
    let pct = |x: Option<f32>| x.map_or("—".to_string(), |v| format!("{:.1}", v * 100.0));
    say!("label	articles	spans	P	R	F1	threshold	train ms	tags");
    for (_, r) in &learned {
        say!(
            "{}	{}	{}	{}	{}	{}	{}	{:.0}	{}{}",
            r.label,
            r.train_docs,
            r.train_spans,
            pct(r.precision),
            pct(r.recall),
            pct(r.f1),
            r.threshold.map_or("none".into(), |t| format!("{t:.2}")),
            r.train_ms,
            r.scheme.name(),
            r.why
                .as_deref()
                .map(|w| format!("\t({w})"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

/// Prints each built-in rule set (on or off, the label it suggests, and
/// whether the project has that label), after turning `on` and `off` on or
/// off and saving.
pub fn rules(path: &Path, on: &[String], off: &[String]) -> CliResult {
    use crate::assist::rules::Family;
    let mut project = load(path)?;
    let known: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
    for name in on.iter().chain(off) {
        if !known.contains(&name.as_str()) {
            return Err(unusable(anyhow!(
                "no rule set {name:?}; they are: {}",
                known.join(", ")
            )));
        }
    }
    let mut settings = project.settings().clone();
    for name in on {
        settings.rules_off.remove(name);
    }
    for name in off {
        settings.rules_off.insert(name.clone());
    }
    if &settings != project.settings() {
        exec(
            &mut project,
            Command::Edits(
                "suggestion rules".into(),
                vec![crate::model::Edit::SetSettings(settings)],
            ),
        )?;
        save(&project, path)?;
    }
    for family in Family::ALL {
        let label = crate::model::LabelId(family.label().into());
        let state = if project.settings().rule_on(family.name()) {
            "on"
        } else {
            "off"
        };
        let has = if project.label(&label).is_some() {
            String::new()
        } else {
            " (the project has no such label: it suggests nothing)".into()
        };
        say!("{}\t{state}\t{}{has}", family.name(), family.label());
    }
    Ok(())
}
