//! Currency names, codes, symbols and minor units for the money rules,
//! derived from the ISO 4217 table of the `iso_currency` crate, so that a
//! currency the table has is found without a hand list.
//!
//! What the table lacks is added here, small and documented:
//! - withdrawn currencies still named in news archives (ISO 4217 table A.3:
//!   the units the euro replaced, with their codes);
//! - informal names (`buck`, `quid`, `kuai`, `RMB`) and bitcoin;
//! - the names of minor units (`cent`, `penny`/`pence`, `fen`…), whose
//!   size comes from the table's exponent of their currency;
//! - currency signs the table writes in another form (`₾`, `元`, `円`).

use iso_currency::{Currency, IntoEnumIterator};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Withdrawn currencies (ISO 4217 table A.3) still met in news: (code,
/// name). Their units join the table's.
const WITHDRAWN: &[(&str, &str)] = &[
    ("FIM", "Finnish markka"),
    ("NLG", "Dutch guilder"),
    ("DEM", "German mark"),
    ("DEM", "Deutsche mark"),
    ("FRF", "French franc"),
    ("BEF", "Belgian franc"),
    ("LUF", "Luxembourg franc"),
    ("ITL", "Italian lira"),
    ("ESP", "Spanish peseta"),
    ("PTE", "Portuguese escudo"),
    ("GRD", "Greek drachma"),
    ("ATS", "Austrian schilling"),
    ("IEP", "Irish pound"),
];

/// Informal or non-ISO names and codes: (code, name).
const INFORMAL: &[(&str, &str)] = &[
    ("USD", "buck"),
    ("USD", "US dollar"),
    ("USD", "U.S. dollar"),
    ("USD", "American dollar"),
    ("GBP", "quid"),
    ("GBP", "British pound"),
    ("GBP", "pound sterling"),
    ("RMB", "renminbi"),
    ("RMB", "yuan"),
    ("RMB", "Chinese yuan"),
    ("RMB", "kuai"),
    ("BTC", "bitcoin"),
];

/// Codes written in text that are not ISO 4217: the renminbi's usual
/// abbreviation and bitcoin's.
const EXTRA_CODES: &[&str] = &["RMB", "BTC"];

/// Minor units: (name, plural, the currency whose minor unit it is by
/// default). Their size is 10^-exponent of that currency.
const MINOR: &[(&str, &str, &str)] = &[
    ("cent", "cents", "USD"),
    ("penny", "pence", "GBP"),
    ("penny", "pennies", "GBP"),
    ("fen", "fen", "RMB"),
    ("jiao", "jiao", "RMB"),
    ("mao", "mao", "RMB"),
    ("paisa", "paise", "INR"),
    ("kopek", "kopeks", "RUB"),
    ("kopeck", "kopecks", "RUB"),
    ("centavo", "centavos", "MXN"),
    ("centime", "centimes", "CHF"),
    ("pfennig", "pfennigs", "DEM"),
    ("sen", "sen", "MYR"),
    ("satang", "satang", "THB"),
    ("kobo", "kobo", "NGN"),
    ("halala", "halalas", "SAR"),
    ("piastre", "piastres", "EGP"),
    ("øre", "øre", "NOK"),
    ("öre", "öre", "SEK"),
];

/// Signs whose table entry differs, or that the table lacks: (sign, code).
const SIGNS: &[(&str, &str)] = &[
    ("₾", "GEL"),
    ("₿", "BTC"),
    ("元", "RMB"),
    ("円", "JPY"),
    ("ரூ", "LKR"),
    ("रु", "NPR"),
    // The table gives these signs to several currencies: the usual one.
    ("$", "USD"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₩", "KRW"),
    ("€", "EUR"),
    ("₹", "INR"),
    ("₽", "RUB"),
];

/// Unit words that are also common English words: money only after a
/// nationality ("Brazilian real", "convertible mark").
const AMBIGUOUS_UNITS: &[&str] = &["real", "mark", "ban", "som", "tala", "vatu"];

/// Three-letter codes that are English words: money in lower case only
/// right after a number's unit position is too risky ("10 all", "5 top"),
/// so they count only when written in capitals.
const WORD_CODES: &[&str] = &[
    "ALL", "TOP", "CUP", "PEN", "TRY", "MAD", "SOS", "BOB", "GEL", "RON", "MOP", "BAM", "DOP",
    "LAK", "TND", "AMD", "BOV", "CHE", "CHW", "COU", "SEK", "NOK", "AED", "SAR", "HUF", "MUR",
];

/// The derived tables.
#[derive(Debug)]
pub struct Currencies {
    /// Whole names in lower case ("swiss franc", "finnish markka") → code.
    pub names: BTreeMap<String, String>,
    /// Unit nouns in lower case, singular ("franc", "markka") → the code
    /// a bare unit means (the most used currency of that name).
    pub units: BTreeMap<String, String>,
    /// Words before a unit in a name ("swiss", "hong", "kong").
    pub adjectives: BTreeSet<String>,
    /// Every code (upper case).
    pub codes: BTreeSet<String>,
    /// Codes that count in lower case too (not English words).
    pub lower_codes: BTreeSet<String>,
    /// Codes that are English words ("ALL", "TOP"): only a unit's name
    /// says so in text, never the bare code.
    pub word_codes: BTreeSet<String>,
    /// Letters written before `$` for one dollar ("hk" → HKD).
    pub dollar_prefixes: BTreeMap<String, String>,
    /// Signs (one or more characters) → code.
    pub signs: BTreeMap<String, String>,
    /// Minor unit names, singular and plural → (code, size).
    pub minor: BTreeMap<String, (String, f64)>,
}

/// Plural of a unit noun: "dollar" → "dollars", "peso" → "pesos"; units
/// that do not change ("yen", "yuan", "baht") are listed as they are too.
pub fn plural(unit: &str) -> String {
    if unit.ends_with('s') || unit.ends_with('x') || unit.ends_with("sh") {
        format!("{unit}es")
    } else if unit.ends_with('y') && !unit.ends_with("ay") && !unit.ends_with("ey") {
        format!("{}ies", &unit[..unit.len() - 1])
    } else {
        format!("{unit}s")
    }
}

/// The words of a name in lower case, without brackets.
fn words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Preference when several currencies share a unit: the major ones.
fn preferred(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "dollar" => "USD",
        "pound" => "GBP",
        "franc" => "CHF",
        "rupee" => "INR",
        "peso" => "MXN",
        "yen" => "JPY",
        "won" => "KRW",
        "dinar" => "KWD",
        "dirham" => "AED",
        "krona" => "SEK",
        "krone" => "NOK",
        "shilling" => "KES",
        "riyal" | "rial" => "SAR",
        "lira" => "TRY",
        "ruble" | "rouble" => "RUB",
        _ => return None,
    })
}

impl Currencies {
    /// The tables, built once.
    pub fn get() -> &'static Currencies {
        static TABLES: OnceLock<Currencies> = OnceLock::new();
        TABLES.get_or_init(Currencies::build)
    }

    fn build() -> Currencies {
        let mut c = Currencies {
            names: BTreeMap::new(),
            units: BTreeMap::new(),
            adjectives: BTreeSet::new(),
            codes: BTreeSet::new(),
            lower_codes: BTreeSet::new(),
            word_codes: BTreeSet::new(),
            dollar_prefixes: BTreeMap::new(),
            signs: BTreeMap::new(),
            minor: BTreeMap::new(),
        };
        let mut named: Vec<(String, String)> = Vec::new();
        for cur in Currency::iter() {
            // Funds and special units (gold, SDRs, test codes) are not
            // what news counts money in.
            if cur.is_fund() || cur.is_special() {
                continue;
            }
            let code = cur.code().to_string();
            named.push((code.clone(), cur.name().to_string()));
            let sign = cur.symbol().symbol;
            if let Some(prefix) = sign.strip_suffix('$').filter(|p| !p.is_empty()) {
                c.dollar_prefixes
                    .entry(prefix.to_lowercase())
                    .or_insert(code.clone());
            } else if sign.chars().any(|ch| !ch.is_alphanumeric() && ch != '.') && sign != "¤" {
                c.signs.entry(sign.to_string()).or_insert(code.clone());
            }
            c.codes.insert(code);
        }
        for (prefix, code) in [
            ("us", "USD"),
            ("u.s.", "USD"),
            ("u.s", "USD"),
            ("c", "CAD"),
            ("a", "AUD"),
            ("au", "AUD"),
            ("nz", "NZD"),
            ("hk", "HKD"),
            ("mex", "MXN"),
        ] {
            c.dollar_prefixes.insert(prefix.into(), code.into());
        }
        for (sign, code) in SIGNS {
            c.signs.insert((*sign).into(), (*code).into());
        }
        named.extend(
            WITHDRAWN
                .iter()
                .chain(INFORMAL)
                .map(|(code, name)| ((*code).to_string(), (*name).to_string())),
        );
        for code in WITHDRAWN
            .iter()
            .map(|w| w.0)
            .chain(EXTRA_CODES.iter().copied())
        {
            c.codes.insert(code.into());
        }
        for (code, name) in &named {
            let w = words(name);
            let Some(unit) = w.last() else { continue };
            c.names.insert(w.join(" "), code.clone());
            for adjective in &w[..w.len() - 1] {
                c.adjectives.insert(adjective.clone());
            }
            let code_for_unit = preferred(unit).map_or_else(|| code.clone(), str::to_string);
            c.units.entry(unit.clone()).or_insert(code_for_unit);
        }
        // "US dollar": `us` is written before a unit, not a name word.
        c.adjectives
            .extend(["us", "u.s.", "american", "british"].map(String::from));
        for code in &c.codes {
            if WORD_CODES.contains(&code.as_str()) {
                c.word_codes.insert(code.clone());
            } else {
                c.lower_codes.insert(code.to_lowercase());
            }
        }
        for (name, plural_name, code) in MINOR {
            let exponent = Currency::from_code(code)
                .and_then(|cur| cur.exponent())
                .unwrap_or(2);
            let size = 10f64.powi(-i32::from(exponent));
            for n in [name, plural_name] {
                c.minor
                    .insert((*n).to_string(), ((*code).to_string(), size));
            }
        }
        c
    }

    /// Unit nouns that count without a nationality before them.
    pub fn bare_units(&self) -> impl Iterator<Item = &String> {
        self.units
            .keys()
            .filter(|u| !AMBIGUOUS_UNITS.contains(&u.as_str()))
    }

    /// Every written form of a unit noun: singular and plural.
    pub fn unit_forms(unit: &str) -> [String; 2] {
        [unit.to_string(), plural(unit)]
    }

    /// The code a piece of money text names, trying the longest hints
    /// first: a `$` with its prefix, a sign, a code, a whole name, a unit,
    /// a minor unit. None when it names none.
    pub fn code_in(&self, text: &str) -> Option<String> {
        let lower = text.to_lowercase();
        let tokens: Vec<&str> = lower
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '.' || ch == '$'))
            .filter(|t| !t.is_empty())
            .collect();
        // "hk$", "hk $", "us$".
        for (i, t) in tokens.iter().enumerate() {
            let joined = if *t == "$" && i > 0 {
                format!("{}$", tokens[i - 1])
            } else {
                (*t).to_string()
            };
            if let Some(prefix) = joined.strip_suffix('$').map(|p| p.trim_end_matches('$'))
                && let Some(code) = self.dollar_prefixes.get(prefix)
            {
                return Some(code.clone());
            }
        }
        let mut signs: Vec<(&String, &String)> = self.signs.iter().collect();
        signs.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
        if let Some((_, code)) = signs.iter().find(|(s, _)| text.contains(s.as_str())) {
            return Some((*code).clone());
        }
        for t in &tokens {
            // "usd", "musd" (millions of dollars), "usd$".
            let t = t.trim_end_matches('$');
            let bare = t.strip_prefix('m').filter(|c| c.len() == 3).unwrap_or(t);
            for candidate in [t, bare] {
                if self.lower_codes.contains(candidate) {
                    return Some(candidate.to_uppercase());
                }
            }
        }
        let mut names: Vec<(&String, &String)> = self.names.iter().collect();
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        for (name, code) in names {
            let [one, many] = Self::unit_forms(name);
            if lower.contains(&one) || lower.contains(&many) {
                return Some(code.clone());
            }
        }
        for t in &tokens {
            for (unit, code) in &self.units {
                if Self::unit_forms(unit).iter().any(|f| f == t) {
                    return Some(code.clone());
                }
            }
        }
        tokens
            .iter()
            .find_map(|t| self.minor.get(*t).map(|(code, _)| code.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_names_codes_signs_and_minor_units() {
        let c = Currencies::get();
        assert_eq!(c.names.get("swiss franc").map(String::as_str), Some("CHF"));
        assert_eq!(
            c.names.get("finnish markka").map(String::as_str),
            Some("FIM")
        );
        assert_eq!(c.units.get("dollar").map(String::as_str), Some("USD"));
        assert!(c.units.contains_key("guilder"));
        assert!(c.adjectives.contains("australian"));
        assert!(c.codes.contains("KRW") && c.lower_codes.contains("usd"));
        assert!(
            !c.lower_codes.contains("all"),
            "ALL is a word in lower case"
        );
        assert_eq!(c.minor.get("pence"), Some(&("GBP".to_string(), 0.01)));
        for (text, code) in [
            ("hk $ 10.05 billion", "HKD"),
            ("c $ 16.4 million", "CAD"),
            ("us$ 5", "USD"),
            ("$ 75 million", "USD"),
            ("100 ₡", "CRC"),
            ("100₾", "GEL"),
            ("100,000 ₭", "LAK"),
            ("100元", "RMB"),
            ("420 million finnish markka", "FIM"),
            ("125 million australian dollars", "AUD"),
            ("250 million dutch guilders", "NLG"),
            ("10,000 swiss francs", "CHF"),
            ("10 turkish lira", "TRY"),
            ("35 lakh rupees", "INR"),
            ("197 pence", "GBP"),
            ("RMB 10", "RMB"),
            ("20 usd", "USD"),
            ("6.25 btc", "BTC"),
            ("30 musd", "USD"),
            ("mex$ 10 million", "MXN"),
        ] {
            assert_eq!(c.code_in(text).as_deref(), Some(code), "{text}");
        }
        assert_eq!(c.code_in("10 all"), None);
    }
}
