//! Project settings: choices that travel with the project file, so every
//! analyst working on it gets the same behaviour.

use super::LabelId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a project sets for itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Built-in suggestion rule sets turned off, by name (`money`,
    /// `percent`, `count`, `number words`, `range`, `date`,
    /// `attribution`). Kept as the ones off, so that a rule set added later
    /// is on until the analyst turns it off.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub rules_off: BTreeSet<String>,
    /// Learned suggestions per label, where the analyst changed them:
    /// turned off, or shown from a confidence of their choosing instead
    /// of the measured threshold. Labels not listed use the defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub learned: BTreeMap<LabelId, LearnedSetting>,
}

/// How one label's learned suggestions are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LearnedSetting {
    /// Show none of them.
    #[serde(default, skip_serializing_if = "is_false")]
    pub off: bool,
    /// The lowest confidence shown, in hundredths (0–100); None: the
    /// threshold measured on held-out articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u8>,
}

fn is_false(b: &bool) -> bool {
    !*b
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

    /// How `label`'s learned suggestions are shown (the defaults when the
    /// analyst changed nothing).
    pub fn learned(&self, label: &LabelId) -> LearnedSetting {
        self.learned.get(label).copied().unwrap_or_default()
    }

    /// Sets how `label`'s learned suggestions are shown; the defaults are
    /// not stored.
    pub fn set_learned(&mut self, label: LabelId, setting: LearnedSetting) {
        if setting == LearnedSetting::default() {
            self.learned.remove(&label);
        } else {
            self.learned.insert(label, setting);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code: a panic is a failure report
    use super::*;

    #[test]
    fn learned_settings_read_as_the_readme_writes_them_and_defaults_are_not_kept() {
        let text = r#"(rules_off: ["date"], learned: {"claim": (min_score: Some(70)), "figure": (off: true)})"#;
        let s: Settings = ron::from_str(text).unwrap();
        let claim = LabelId("claim".into());
        assert_eq!(s.learned(&claim).min_score, Some(70));
        assert!(!s.learned(&claim).off);
        assert!(s.learned(&LabelId("figure".into())).off);
        assert_eq!(
            s.learned(&LabelId("source".into())),
            LearnedSetting::default()
        );
        let back: Settings = ron::from_str(&ron::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let mut t = s.clone();
        t.set_learned(claim.clone(), LearnedSetting::default());
        assert!(!t.learned.contains_key(&claim));
        // Files that never set it read and write as before.
        let old: Settings = ron::from_str(r#"(rules_off: ["date"])"#).unwrap();
        assert!(old.learned.is_empty());
        assert!(!ron::to_string(&old).unwrap().contains("learned"));
    }
}
