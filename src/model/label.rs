//! The label schema: which kinds of span exist, how they look, which key tags them.

use super::ids::LabelId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An sRGB colour, written as `#rrggbb` in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl FromStr for Rgb {
    type Err = String;

    /// Parses `#rrggbb` (the `#` is optional).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix('#').unwrap_or(s);
        let bad = || format!("colour {s:?} is not of the form #rrggbb");
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let part = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Rgb(part(0)?, part(2)?, part(4)?))
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What values an attribute takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttrKind {
    /// On or off (stored as `true` when on, absent when off).
    Flag,
    /// One of a list of values.
    Values(Vec<String>),
    /// A number (stored as its text, e.g. `143` or `4.25`).
    Number,
    /// Free text.
    Text,
}

/// A typed attribute a label declares, e.g. figure `value` (a number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrDef {
    /// Its name, kept exactly as written (brat attribute names included).
    pub name: String,
    /// Its type.
    pub kind: AttrKind,
}

impl AttrDef {
    /// A definition.
    pub fn new(name: &str, kind: AttrKind) -> Self {
        AttrDef {
            name: name.to_string(),
            kind,
        }
    }

    /// Checks a value against the type; the error says what is expected.
    pub fn check(&self, value: &str) -> Result<(), String> {
        let ok = match &self.kind {
            AttrKind::Flag => value == "true",
            AttrKind::Values(vs) => vs.iter().any(|v| v == value),
            AttrKind::Number => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
            AttrKind::Text => !value.trim().is_empty(),
        };
        if ok {
            return Ok(());
        }
        Err(match &self.kind {
            AttrKind::Flag => format!("{} is a flag: its value is true (or none)", self.name),
            AttrKind::Values(vs) => format!("{} must be one of {}", self.name, vs.join(", ")),
            AttrKind::Number => format!("{} must be a number, not {value:?}", self.name),
            AttrKind::Text => format!("{} may not be empty", self.name),
        })
    }
}

/// A number as an analyst writes it, stored plain: thousands separators
/// (`2,000`, `2 000`, `2’000`, a thin or no-break space) are dropped and the
/// digits kept as written (`2,000.50` → `2000.50`). A comma that does not
/// group thousands (`1,5`) is refused: it may be a decimal comma.
pub fn parse_number(input: &str) -> Result<String, String> {
    let s = input.trim();
    let (sign, body) = match s.strip_prefix(['-', '−']) {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let bad = || format!("{input:?} is not a number (write 2000, 2,000 or 4.25)");
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = whole
        .split([',', ' ', '\u{a0}', '\u{202f}', '\u{2009}', '’', '\''])
        .collect();
    let grouped = groups.len() > 1;
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let fits = groups
        .iter()
        .enumerate()
        .all(|(i, g)| digits(g) && (!grouped || if i == 0 { g.len() <= 3 } else { g.len() == 3 }));
    if !fits || fraction.is_some_and(|f| !digits(f)) {
        return Err(bad());
    }
    let mut out = format!("{sign}{}", groups.concat());
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    Ok(out)
}

/// A number or a range of two ("2,000–3,000", "2000-3000", "2,000 to
/// 3,000"), each end as [`parse_number`] stores it.
pub fn parse_number_or_range(input: &str) -> Result<(String, Option<String>), String> {
    let s = input.trim();
    // A leading minus is a sign, not a range.
    let split = s
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '–' | '—' | '-'))
        .map(|(i, c)| (&s[..i], &s[i + c.len_utf8()..]))
        .or_else(|| s.split_once(" to "));
    match split {
        Some((low, high)) => {
            let (low, high) = (parse_number(low)?, parse_number(high)?);
            Ok((low, Some(high)))
        }
        None => Ok((parse_number(s)?, None)),
    }
}

/// The attribute that holds the high end of a range kept in `name` (its
/// low end): `value` → `value_max`.
pub fn range_end_attribute(name: &str) -> String {
    format!("{name}_max")
}

/// One entry of the label schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Stable id used by spans and exports, e.g. `claim`.
    pub id: LabelId,
    /// Name shown to the user, e.g. "Source attribution".
    pub name: String,
    /// Highlight colour.
    pub color: Rgb,
    /// Key that tags the selection with this label, e.g. `'1'`.
    pub hotkey: Option<char>,
    /// Typed attributes its spans may carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttrDef>,
}

impl Label {
    /// Convenience constructor; panics never, validation happens on insert.
    pub fn new(id: LabelId, name: &str, color: Rgb, hotkey: Option<char>) -> Self {
        Label {
            id,
            name: name.to_string(),
            color,
            hotkey,
            attributes: Vec::new(),
        }
    }

    /// The same label with these attributes.
    pub fn with_attributes(mut self, attributes: Vec<AttrDef>) -> Self {
        self.attributes = attributes;
        self
    }

    /// The attribute `name`, if declared.
    pub fn attribute(&self, name: &str) -> Option<&AttrDef> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// What typing `input` into attribute `name` sets, as (name, value)
    /// pairs (None clears). A number is stored plain ([`parse_number`]); a
    /// range sets `name` to its low end and [`range_end_attribute`] to its
    /// high end, which the label must declare as a number; a single number
    /// clears that high end. Empty input clears. Anything else is checked
    /// as it is.
    pub fn typed_values(
        &self,
        name: &str,
        input: &str,
    ) -> Result<Vec<(String, Option<String>)>, String> {
        let def = self
            .attribute(name)
            .ok_or_else(|| format!("{} has no attribute {name:?}", self.id))?;
        let input = input.trim();
        let high_name = range_end_attribute(name);
        let high_def = self
            .attribute(&high_name)
            .filter(|d| d.kind == AttrKind::Number);
        if input.is_empty() {
            let mut out = vec![(name.to_string(), None)];
            if high_def.is_some() {
                out.push((high_name, None));
            }
            return Ok(out);
        }
        if def.kind != AttrKind::Number {
            def.check(input)?;
            return Ok(vec![(name.to_string(), Some(input.to_string()))]);
        }
        let (low, high) = parse_number_or_range(input)?;
        def.check(&low)?;
        let mut out = vec![(name.to_string(), Some(low))];
        match (high, high_def) {
            (Some(h), Some(d)) => {
                d.check(&h)?;
                out.push((high_name, Some(h)));
            }
            (Some(_), None) => {
                return Err(format!(
                    "{input:?} is a range: add a number attribute {high_name:?} to {} (Project → Labels…) to keep its high end",
                    self.name
                ));
            }
            (None, Some(_)) => out.push((high_name, None)),
            (None, None) => {}
        }
        Ok(out)
    }
}

/// Label id of claims in the default schema.
pub const CLAIM: &str = "claim";
/// Label id of figures in the default schema.
pub const FIGURE: &str = "figure";
/// Label id of source attributions in the default schema.
pub const SOURCE: &str = "source";
/// Link type from a claim or figure to the source that backs it.
pub const ATTRIBUTED_TO: &str = "attributed_to";

/// A declared link type: which labels it may connect. A type that is not
/// declared is not restricted (imported relation types keep working); a
/// declared one is enforced on every link and every retag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkType {
    /// The type written on links, e.g. `attributed_to`.
    pub id: String,
    /// Labels a link of this type may start from (empty: any).
    pub from: Vec<LabelId>,
    /// Labels a link of this type may end at (empty: any).
    pub to: Vec<LabelId>,
    /// The names of the two ends when they are not brat's `Arg1`/`Arg2`
    /// (kept from an imported corpus, written back on export).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<(String, String)>,
}

impl LinkType {
    /// True when a link of this type may go from `from` to `to`.
    pub fn allows(&self, from: &LabelId, to: &LabelId) -> bool {
        (self.from.is_empty() || self.from.contains(from))
            && (self.to.is_empty() || self.to.contains(to))
    }

    /// "claim or figure → source", for messages.
    pub fn describe(&self) -> String {
        let side = |ids: &[LabelId]| {
            if ids.is_empty() {
                "any label".to_string()
            } else {
                ids.iter()
                    .map(LabelId::as_str)
                    .collect::<Vec<_>>()
                    .join(" or ")
            }
        };
        format!("{} → {}", side(&self.from), side(&self.to))
    }
}

/// The default link rules for `labels`: `attributed_to` from claim or figure
/// to source, as far as those labels exist (no rule when a side is missing).
pub fn default_link_types(labels: &[Label]) -> Vec<LinkType> {
    let have = |id: &str| labels.iter().any(|l| l.id.as_str() == id);
    let from: Vec<LabelId> = [CLAIM, FIGURE]
        .into_iter()
        .filter(|id| have(id))
        .map(|id| LabelId(id.into()))
        .collect();
    if from.is_empty() || !have(SOURCE) {
        return Vec::new();
    }
    vec![LinkType {
        id: ATTRIBUTED_TO.into(),
        from,
        to: vec![LabelId(SOURCE.into())],
        roles: None,
    }]
}

/// The default schema: Claim (1) with a `status`, Figure (2) with `value`
/// (the low end of a range, whose high end is `value_max`), `unit` and
/// `approximate`, Source attribution (3), whose kind is its registry
/// entry's.
pub fn default_schema() -> Vec<Label> {
    let values = |vs: &[&str]| AttrKind::Values(vs.iter().map(|v| v.to_string()).collect());
    vec![
        Label::new(
            LabelId(CLAIM.into()),
            "Claim",
            Rgb(0xf2, 0xa5, 0x3a),
            Some('1'),
        )
        .with_attributes(vec![AttrDef::new(
            "status",
            values(&["unverified", "verified", "disputed", "false"]),
        )]),
        Label::new(
            LabelId(FIGURE.into()),
            "Figure",
            Rgb(0x3f, 0x9c, 0xd8),
            Some('2'),
        )
        .with_attributes(vec![
            AttrDef::new("value", AttrKind::Number),
            AttrDef::new("value_max", AttrKind::Number),
            AttrDef::new("unit", AttrKind::Text),
            AttrDef::new("approximate", AttrKind::Flag),
        ]),
        Label::new(
            LabelId(SOURCE.into()),
            "Source attribution",
            Rgb(0x5f, 0xb8, 0x5a),
            Some('3'),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_round_trip() {
        let c: Rgb = "#0a1B2c".parse().unwrap();
        assert_eq!(c, Rgb(0x0a, 0x1b, 0x2c));
        assert_eq!(c.to_string(), "#0a1b2c");
        assert!("#12345".parse::<Rgb>().is_err());
        assert!("#gg0000".parse::<Rgb>().is_err());
        assert!("#ééé".parse::<Rgb>().is_err());
    }

    #[test]
    fn attribute_values_are_checked_by_type() {
        let s = default_schema();
        let fig = &s[1];
        assert!(fig.attribute("value").unwrap().check("143").is_ok());
        assert!(fig.attribute("value").unwrap().check("4.25").is_ok());
        assert!(fig.attribute("value").unwrap().check("lots").is_err());
        assert!(fig.attribute("approximate").unwrap().check("true").is_ok());
        assert!(fig.attribute("approximate").unwrap().check("yes").is_err());
        let status = s[0].attribute("status").unwrap();
        assert!(status.check("disputed").is_ok());
        assert!(
            status
                .check("secret")
                .unwrap_err()
                .contains("unverified, verified")
        );
        assert!(fig.attribute("unit").unwrap().check(" ").is_err());
    }

    #[test]
    fn numbers_are_taken_as_analysts_write_them() {
        for (input, stored) in [
            ("2,000", "2000"),
            ("2000", "2000"),
            (" 12,345,678.50 ", "12345678.50"),
            ("2 000", "2000"),
            ("2\u{202f}000", "2000"),
            ("1’000’000", "1000000"),
            ("-1,000", "-1000"),
            ("−3", "-3"),
            ("4.25", "4.25"),
            ("+7", "7"),
        ] {
            assert_eq!(parse_number(input).as_deref(), Ok(stored), "{input}");
        }
        for bad in [
            "1,5", "2,00", "12,3456", "a lot", "", "1.2.3", ",000", "1,000,00",
        ] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_number_or_range("2,000–3,000"),
            Ok(("2000".into(), Some("3000".into())))
        );
        assert_eq!(
            parse_number_or_range("2000 to 3,500"),
            Ok(("2000".into(), Some("3500".into())))
        );
        assert_eq!(parse_number_or_range("-5"), Ok(("-5".into(), None)));
    }

    #[test]
    fn a_typed_range_fills_both_ends_when_the_label_has_them() {
        let s = default_schema();
        let fig = &s[1];
        let set = |name: &str, v: Option<&str>| (name.to_string(), v.map(str::to_string));
        assert_eq!(
            fig.typed_values("value", " "),
            Ok(vec![set("value", None), set("value_max", None)])
        );
        assert_eq!(
            fig.typed_values("value", "2,000–3,000"),
            Ok(vec![
                set("value", Some("2000")),
                set("value_max", Some("3000"))
            ])
        );
        assert_eq!(
            fig.typed_values("value", "2,500"),
            Ok(vec![set("value", Some("2500")), set("value_max", None)])
        );
        assert!(fig.typed_values("value", "lots").is_err());
        assert_eq!(
            fig.typed_values("unit", "RMB"),
            Ok(vec![set("unit", Some("RMB"))])
        );
        // A label without `value_max` says how to keep a range.
        let old = fig
            .clone()
            .with_attributes(vec![AttrDef::new("value", AttrKind::Number)]);
        assert_eq!(
            old.typed_values("value", "2,000"),
            Ok(vec![set("value", Some("2000"))])
        );
        assert!(
            old.typed_values("value", "2,000–3,000")
                .unwrap_err()
                .contains("add a number attribute \"value_max\"")
        );
    }

    #[test]
    fn attributed_to_goes_from_claim_or_figure_to_source() {
        let rules = default_link_types(&default_schema());
        let l = |s: &str| LabelId(s.into());
        assert_eq!(rules.len(), 1);
        assert!(rules[0].allows(&l(CLAIM), &l(SOURCE)));
        assert!(rules[0].allows(&l(FIGURE), &l(SOURCE)));
        assert!(!rules[0].allows(&l(CLAIM), &l(CLAIM)));
        assert!(!rules[0].allows(&l(SOURCE), &l(CLAIM)));
        assert_eq!(rules[0].describe(), "claim or figure → source");
        // A schema without sources has no such rule.
        let custom = vec![Label::new(l("person"), "Person", Rgb(0, 0, 0), None)];
        assert!(default_link_types(&custom).is_empty());
    }

    #[test]
    fn default_schema_has_three_keyed_labels() {
        let s = default_schema();
        let ids: Vec<_> = s.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["claim", "figure", "source"]);
        let keys: Vec<_> = s.iter().map(|l| l.hotkey).collect();
        assert_eq!(keys, [Some('1'), Some('2'), Some('3')]);
    }
}
