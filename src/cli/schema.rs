//! `label`: the label schema and link rules.

use super::{CliResult, LabelAction, exec, load, save, unusable, write_line};
use crate::model::{Attribution, Command, Label, LabelId, Project, Rgb, registry};
use anyhow::anyhow;
use std::path::Path;

pub(super) fn label(path: &Path, action: LabelAction) -> CliResult {
    let mut project = load(path)?;
    match action {
        LabelAction::List => {
            for l in project.labels() {
                let key = l.hotkey.map_or("-".to_string(), |k| k.to_string());
                say!("{}\t{}\t{}\tkey {}", l.id, l.name, l.color, key);
            }
            for t in project.link_types() {
                say!("link {}\t{}", t.id, t.describe());
            }
            return Ok(());
        }
        LabelAction::Add {
            id,
            name,
            color,
            key,
        } => {
            let id = LabelId::new(&id).map_err(|e| unusable(anyhow!(e)))?;
            let color: Rgb = color.parse().map_err(|e: String| unusable(anyhow!(e)))?;
            // A command key would run the command and tag at once.
            #[cfg(feature = "gui")]
            if let Some(b) = key.and_then(crate::ui::commands::command_on_typed_key) {
                return Err(super::problem(anyhow!(
                    "key {:?} is the workbench's key for “{}”; choose another",
                    key.unwrap_or_default(),
                    b.title
                )));
            }
            exec(
                &mut project,
                Command::AddLabel(Label::new(id, &name, color, key)),
            )?;
        }
        LabelAction::Remove { id } => {
            exec(&mut project, Command::RemoveLabel(LabelId(id.into())))?;
        }
        LabelAction::Rule {
            link_type,
            from,
            to,
        } => {
            let ids = |v: Vec<String>| v.into_iter().map(|s| LabelId(s.trim().into())).collect();
            // Role names kept from an imported corpus stay.
            let roles = project.link_type(&link_type).and_then(|t| t.roles.clone());
            let rule = crate::model::LinkType {
                id: link_type,
                from: ids(from),
                to: ids(to),
                roles,
            };
            exec(&mut project, Command::SetLinkType(rule))?;
        }
        LabelAction::Attribution {
            relation,
            content,
            source,
        } => {
            let rule = attribution_rule(&project, relation, content, source)?;
            let sourcing = project.sourcing().clone().with_attribution(rule);
            exec(&mut project, registry::set_sourcing(sourcing))?;
        }
        LabelAction::Role { label, role } => {
            let id = LabelId(label.trim().into());
            if project.label(&id).is_none() {
                return Err(super::problem(anyhow!("no label {label:?} in the schema")));
            }
            let mut sourcing = project.sourcing().clone();
            for list in [
                &mut sourcing.claims,
                &mut sourcing.figures,
                &mut sourcing.sources,
            ] {
                list.retain(|l| *l != id);
            }
            match role.trim() {
                "claim" => sourcing.claims.push(id),
                "figure" => sourcing.figures.push(id),
                "source" => sourcing.sources.push(id),
                "none" => {}
                other => {
                    return Err(unusable(anyhow!(
                        "{other:?} is not a role: use claim, figure, source or none"
                    )));
                }
            }
            exec(&mut project, registry::set_sourcing(sourcing))?;
        }
    }
    save(&project, path)
}

/// The attribution rule `label attribution` asks for, checked against the
/// project: a link type takes no roles; an event type needs its content
/// role, and roles no event of that type has are refused.
fn attribution_rule(
    project: &Project,
    relation: String,
    content: Option<String>,
    source: Option<String>,
) -> CliResult<Attribution> {
    let is_link =
        project.link_type(&relation).is_some() || project.links().any(|l| l.kind == relation);
    let events: Vec<_> = project.events().filter(|e| e.kind == relation).collect();
    if content.is_none() {
        if source.is_some() {
            return Err(unusable(anyhow!(
                "{relation}: give the content role too (--content ROLE)"
            )));
        }
        if !is_link {
            return Err(super::problem(anyhow!(
                "{relation:?} is not a link type of this project; for an event type give --content ROLE (and --source ROLE)"
            )));
        }
    } else if !events.is_empty() {
        for role in content.iter().chain(&source) {
            if !events.iter().any(|e| e.args.iter().any(|(r, _)| r == role)) {
                return Err(super::problem(anyhow!(
                    "no {relation} event has a {role:?} argument"
                )));
            }
        }
    } else {
        eprintln!("note: no {relation} event yet; the rule applies to those added later");
    }
    Ok(Attribution {
        relation,
        content,
        source,
    })
}
