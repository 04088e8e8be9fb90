//! Project settings: choices that travel with the project file, so every
//! analyst working on it gets the same behaviour.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a project sets for itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Built-in suggestion rule sets turned off, by name (`money`,
    /// `percent`, `count`, `number words`, `range`, `date`,
    /// `attribution`). Kept as the ones off, so that a rule set added later
    /// is on until the analyst turns it off.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub rules_off: BTreeSet<String>,
}

impl Settings {
    /// True when nothing is set (written as nothing).
    pub fn is_default(&self) -> bool {
        *self == Settings::default()
    }

    /// True unless the rule set `name` is turned off.
    pub fn rule_on(&self, name: &str) -> bool {
        !self.rules_off.contains(name)
    }
}
