//! The state of the Sources window (the registry) and of the Sourcing view
//! (the analysis, kept up to date article by article).

use crate::analysis::sourcing::{Cache, Check, Support};
use crate::model::{DocId, SourceEntry, SourceId, SourceKind, SpanId};
use std::collections::BTreeSet;

/// The Sources window: the registry with each entry's mentions.
#[derive(Debug, Default)]
pub struct SourcesWindow {
    /// The filter typed over names and aliases.
    pub filter: String,
    /// The entry shown in detail.
    pub chosen: Option<SourceId>,
    /// Its fields being edited (the entry as it was when chosen).
    pub draft: Option<SourceDraft>,
    /// Mentions ticked for a split.
    pub ticked: BTreeSet<SpanId>,
    /// The split-off entry's name.
    pub split_name: String,
    /// The entry to merge the chosen one into.
    pub merge_into: Option<SourceId>,
}

/// An entry's fields as typed: aliases comma-separated.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDraft {
    /// The entry as it was when the draft was made: when the project's
    /// differs (an undo, a merge), the draft is made again.
    pub base: SourceEntry,
    /// The entry being edited.
    pub entry: SourceEntry,
    /// Its aliases, comma-separated.
    pub aliases: String,
    /// Its affiliation.
    pub affiliation: String,
    /// Its Wikidata id.
    pub wikidata: String,
    /// Its note.
    pub note: String,
}

impl SourceDraft {
    /// A draft of `entry`.
    pub fn of(entry: &SourceEntry) -> Self {
        SourceDraft {
            base: entry.clone(),
            entry: entry.clone(),
            aliases: entry.aliases.join(", "),
            affiliation: entry.affiliation.clone().unwrap_or_default(),
            wikidata: entry.wikidata.clone().unwrap_or_default(),
            note: entry.note.clone().unwrap_or_default(),
        }
    }

    /// The entry the draft describes, or what is wrong with it.
    pub fn entry(&self) -> Result<SourceEntry, String> {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut e = self.entry.clone();
        e.name = e.name.trim().to_string();
        e.aliases = self
            .aliases
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        e.affiliation = some(&self.affiliation);
        e.wikidata = some(&self.wikidata);
        e.note = some(&self.note);
        e.check()?;
        Ok(e)
    }
}

/// What a click in the Sourcing view chose; its spans are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The claims of one support class (in one article, or all).
    Support(Option<DocId>, Support),
    /// The entries of one kind: their mentions.
    Kind(SourceKind),
    /// One entry: the claims resting on it.
    Source(SourceId),
    /// One cell of the matrix: an entry's mentions in one article.
    Cell(DocId, SourceId),
    /// One check's findings.
    Finding(Check),
}

/// The Sourcing view: its scope, the kept analysis, and what was clicked.
#[derive(Debug, Default)]
pub struct SourcingWindow {
    /// Only the current article (else the whole project).
    pub current_only: bool,
    /// The analysis, article by article.
    pub cache: Cache,
    /// What was clicked.
    pub pick: Option<Pick>,
}
