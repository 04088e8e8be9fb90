//! The source registry: the people, bodies and outlets a project's articles
//! rely on, and the schema's word on which spans are claims, figures and
//! sources and which relations attribute one to the other.
//!
//! A source-attribution span *mentions* one registry entry; the project
//! keeps that as a span → entry map ([`Project::mention`](super::Project)).

use super::ids::{LabelId, SourceId};
use super::label::{ATTRIBUTED_TO, CLAIM, FIGURE, Label, LinkType, SOURCE};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How far an article identifies a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Identification {
    /// By name: "Kim Jong Un", "Daily NK".
    Named,
    /// By description, without a name: "a China-based source".
    Described,
    /// Not at all: a bare "a source", "sources".
    Anonymous,
}

/// What kind of source an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// A government or party official, a ministry, the police.
    Official,
    /// A company, an NGO, a party, a university as a body.
    Organisation,
    /// An analyst, academic or other specialist.
    Expert,
    /// Someone who took part in or witnessed the events.
    Participant,
    /// A report, statement, dataset or other document.
    Document,
    /// Another outlet.
    Media,
    /// A post on social media.
    SocialMedia,
    /// The reporter's own observation.
    Observation,
    /// None of these.
    Other,
}

/// Writes `(variant, "word")` tables for an enum's names in files and CLIs.
macro_rules! words {
    ($ty:ty, $what:literal, [$(($v:ident, $w:literal)),* $(,)?]) => {
        impl $ty {
            /// Every value, in the order menus list them.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$v),*];

            /// The word used in files, the CLI and exports.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$v => $w),* }
            }
        }

        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim() {
                    $($w => Ok(<$ty>::$v),)*
                    other => Err(format!(
                        "{other:?} is not {}: use one of {}",
                        $what,
                        [$($w),*].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

words!(
    Identification,
    "an identification",
    [
        (Named, "named"),
        (Described, "described"),
        (Anonymous, "anonymous")
    ]
);

words!(
    SourceKind,
    "a source kind",
    [
        (Official, "official"),
        (Organisation, "organisation"),
        (Expert, "expert"),
        (Participant, "participant"),
        (Document, "document"),
        (Media, "media"),
        (SocialMedia, "social-media"),
        (Observation, "observation"),
        (Other, "other"),
    ]
);

/// One entry of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// Stable id, never reused.
    pub id: SourceId,
    /// The canonical name ("Daily NK", "a China-based source").
    pub name: String,
    /// How far articles identify it.
    pub identification: Identification,
    /// What it is.
    pub kind: SourceKind,
    /// Who it works for or belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// Other names it goes by, matched by the picker.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The analyst's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A Wikidata item id such as `Q42`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
}

impl SourceEntry {
    /// An entry with no affiliation, alias, note or Wikidata id.
    pub fn new(id: SourceId, name: &str, identification: Identification, kind: SourceKind) -> Self {
        SourceEntry {
            id,
            name: name.trim().to_string(),
            identification,
            kind,
            affiliation: None,
            aliases: Vec::new(),
            note: None,
            wikidata: None,
        }
    }

    /// The entry's problem, if any: an empty name or alias, or a Wikidata
    /// id that is not `Q` and digits.
    pub fn check(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("a source needs a name".into());
        }
        if self.aliases.iter().any(|a| a.trim().is_empty()) {
            return Err(format!("{}: an alias is empty", self.name));
        }
        if let Some(q) = &self.wikidata
            && !is_wikidata_id(q)
        {
            return Err(format!(
                "{q:?} is not a Wikidata id (Q followed by digits, e.g. Q42)"
            ));
        }
        Ok(())
    }

    /// True when `text` is the name or an alias, ignoring case, spacing and
    /// leading articles ("the Daily NK" matches "Daily NK").
    pub fn answers_to(&self, text: &str) -> bool {
        let key = name_key(text);
        !key.is_empty()
            && std::iter::once(&self.name)
                .chain(&self.aliases)
                .any(|n| name_key(n) == key)
    }
}

/// True for `Q` followed by one or more digits.
pub fn is_wikidata_id(q: &str) -> bool {
    q.strip_prefix('Q')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// A name as matching sees it: lower case, words joined by one space,
/// without a leading "the", "a" or "an" and without edge punctuation.
pub fn name_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let body = match words.first() {
        Some(&("the" | "a" | "an")) if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    body.join(" ")
}

/// A relation that attributes content to a source: a link type (from the
/// content to the source) or an event type with a content role and,
/// unless it records an attribution without a source, a source role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The link type or event type, e.g. `attributed_to` or `Attribution`.
    pub relation: String,
    /// For an event type, the role whose spans are the content (claims).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// For an event type, the role whose spans are the sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The schema's sourcing roles: which labels' spans are claims, figures
/// and sources, and which relations attribute them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourcing {
    /// Labels whose spans are claims.
    #[serde(default)]
    pub claims: Vec<LabelId>,
    /// Labels whose spans are figures.
    #[serde(default)]
    pub figures: Vec<LabelId>,
    /// Labels whose spans are source attributions (mentions of entries).
    #[serde(default)]
    pub sources: Vec<LabelId>,
    /// The relations that attribute claims and figures to sources.
    #[serde(default)]
    pub attributions: Vec<Attribution>,
}

impl Sourcing {
    /// True when spans labelled `label` are source attributions.
    pub fn is_source_label(&self, label: &LabelId) -> bool {
        self.sources.contains(label)
    }

    /// The attribution rule for relation `kind`, if it is one.
    pub fn attribution(&self, kind: &str) -> Option<&Attribution> {
        self.attributions.iter().find(|a| a.relation == kind)
    }

    /// The same roles with attribution `rule` set (replacing the rule for
    /// the same relation).
    pub fn with_attribution(mut self, rule: Attribution) -> Self {
        match self
            .attributions
            .iter_mut()
            .find(|a| a.relation == rule.relation)
        {
            Some(old) => *old = rule,
            None => self.attributions.push(rule),
        }
        self
    }
}

/// The default roles for a schema: `claim`, `figure` and `source` as far
/// as those labels exist, and the `attributed_to` link type when declared.
pub fn default_sourcing(labels: &[Label], link_types: &[LinkType]) -> Sourcing {
    let have = |id: &str| {
        labels
            .iter()
            .find(|l| l.id.as_str() == id)
            .map(|l| vec![l.id.clone()])
            .unwrap_or_default()
    };
    let attributions = link_types
        .iter()
        .filter(|t| t.id == ATTRIBUTED_TO)
        .map(|t| Attribution {
            relation: t.id.clone(),
            content: None,
            source: None,
        })
        .collect();
    Sourcing {
        claims: have(CLAIM),
        figures: have(FIGURE),
        sources: have(SOURCE),
        attributions,
    }
}

/// Determiners and quantifiers that open a description ("a China-based
/// source", "two officials").
const OPENERS: &[&str] = &[
    "a",
    "an",
    "the",
    "one",
    "another",
    "two",
    "three",
    "several",
    "some",
    "many",
    "other",
    "multiple",
    "various",
    "local",
    "senior",
    "unnamed",
    "anonymous",
    "his",
    "her",
    "their",
    "our",
];

/// Head nouns that, alone after an opener, say nothing of the source.
const BARE_NOUNS: &[&str] = &[
    "source", "sources", "person", "people", "insider", "insiders",
];

/// True when a source is referred to only as "a source", "sources", "one
/// source" and the like: no description at all.
pub fn is_bare_reference(text: &str) -> bool {
    let key = text.to_lowercase();
    let words: Vec<&str> = key
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [noun] => BARE_NOUNS.contains(noun),
        [opener, noun] => OPENERS.contains(opener) && BARE_NOUNS.contains(noun),
        _ => false,
    }
}

/// Plural heads that name a group of people.
const PLURAL_HEADS: &[&str] = &[
    "sources",
    "officials",
    "residents",
    "experts",
    "analysts",
    "insiders",
    "people",
    "witnesses",
    "workers",
    "diplomats",
    "observers",
    "authorities",
    "members",
    "defectors",
    "traders",
];

/// True when a mention's wording is plural ("sources", "Daily NK sources",
/// "officials in Pyongyang"): its head word is a plural noun.
pub fn is_plural_reference(text: &str) -> bool {
    text.to_lowercase()
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|w| PLURAL_HEADS.contains(&w))
}

/// How a new entry made from a mention's wording is identified: a bare
/// "a source" is anonymous, a lower-case description ("a China-based
/// source") is described, anything else (a capitalised name) is named.
pub fn guess_identification(text: &str) -> Identification {
    let t = text.trim();
    if is_bare_reference(t) {
        return Identification::Anonymous;
    }
    let first = t
        .split_whitespace()
        .next()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .unwrap_or_default();
    let starts_lower = t.chars().next().is_some_and(|c| !c.is_uppercase());
    if starts_lower || OPENERS.contains(&first.as_str()) {
        Identification::Described
    } else {
        Identification::Named
    }
}

/// The kind a mention's wording suggests; `Other` when nothing does.
pub fn guess_kind(text: &str) -> SourceKind {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&[
        "official",
        "ministry",
        "government",
        "police",
        "authorit",
        "spokes",
        "minister",
        "embassy",
    ]) {
        SourceKind::Official
    } else if has(&["report", "document", "statement", "data", "survey", "study"]) {
        SourceKind::Document
    } else if has(&[
        "news",
        "times",
        "post",
        "agency",
        "newspaper",
        "radio",
        "tv",
        "broadcast",
        "kcna",
        "yonhap",
        "reuters",
        "journal",
    ]) {
        SourceKind::Media
    } else if has(&["analyst", "expert", "professor", "researcher", "scholar"]) {
        SourceKind::Expert
    } else if has(&[
        "twitter", "facebook", "post on", "tweet", "weibo", "telegram",
    ]) {
        SourceKind::SocialMedia
    } else {
        SourceKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_refuse_others() {
        for k in SourceKind::ALL {
            assert_eq!(k.as_str().parse::<SourceKind>(), Ok(*k));
        }
        for i in Identification::ALL {
            assert_eq!(i.as_str().parse::<Identification>(), Ok(*i));
        }
        let err = "secret".parse::<Identification>().unwrap_err();
        assert!(err.contains("named, described, anonymous"), "{err}");
        assert_eq!(SourceKind::SocialMedia.as_str(), "social-media");
    }

    #[test]
    fn wording_tells_bare_plural_and_identification() {
        for bare in [
            "a source",
            "Sources",
            "one source",
            "the sources",
            "an insider",
        ] {
            assert!(is_bare_reference(bare), "{bare}");
        }
        for not in ["a China-based source", "Daily NK sources", "Kim Jong Un"] {
            assert!(!is_bare_reference(not), "{not}");
        }
        assert!(is_plural_reference("Daily NK sources"));
        assert!(is_plural_reference("officials in Pyongyang"));
        assert!(!is_plural_reference("a China-based source"));
        assert_eq!(guess_identification("a source"), Identification::Anonymous);
        assert_eq!(
            guess_identification("another China-based source"),
            Identification::Described
        );
        assert_eq!(guess_identification("Kim Jong Un"), Identification::Named);
        assert_eq!(
            guess_identification("국정원 관계자"),
            Identification::Described
        );
        assert_eq!(guess_kind("a government official"), SourceKind::Official);
        assert_eq!(guess_kind("Yonhap News"), SourceKind::Media);
        assert_eq!(guess_kind("a China-based source"), SourceKind::Other);
    }

    #[test]
    fn names_match_ignoring_case_space_and_articles() {
        let mut e = SourceEntry::new(
            SourceId(1),
            "Daily NK",
            Identification::Named,
            SourceKind::Media,
        );
        e.aliases.push("DailyNK".into());
        assert!(e.answers_to("the Daily  NK"));
        assert!(e.answers_to("dailynk"));
        assert!(!e.answers_to("Daily"));
        assert!(!e.answers_to(""));
        assert!(e.check().is_ok());
        e.wikidata = Some("Q1155".into());
        assert!(e.check().is_ok());
        e.wikidata = Some("1155".into());
        assert!(e.check().unwrap_err().contains("Wikidata"));
    }
}
