//! `label`: the label schema and link rules.

use super::{CliResult, LabelAction, exec, load, save, unusable, write_line};
use crate::model::{Command, Label, LabelId, Rgb};
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
    }
    save(&project, path)
}
