//! The built-in suggestion rules: regexes for figures (money, percentages,
//! counts, number words, ranges, dates and times) and for source
//! attributions (reporting cues with the source they attach to, in English
//! and Korean). Each rule has a family, the label it suggests and a base
//! score; figures also carry the attribute values read from the match.

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A rule family, as reported per suggestion and in the quality table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Amounts of money.
    Money,
    /// Percentages.
    Percent,
    /// Counts with a unit noun.
    Count,
    /// Written-out numbers.
    NumberWords,
    /// Numeric ranges without a unit.
    Range,
    /// Dates, days, years and spans of time.
    Date,
    /// Reporting cues with their source.
    Attribution,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 7] = [
        Family::Money,
        Family::Percent,
        Family::Count,
        Family::NumberWords,
        Family::Range,
        Family::Date,
        Family::Attribution,
    ];

    /// The name in JSON and reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::Money => "money",
            Family::Percent => "percent",
            Family::Count => "count",
            Family::NumberWords => "number words",
            Family::Range => "range",
            Family::Date => "date",
            Family::Attribution => "attribution",
        }
    }

    /// The default-schema label it suggests.
    pub fn label(self) -> &'static str {
        match self {
            Family::Attribution => "source",
            _ => "figure",
        }
    }
}

/// One compiled rule.
pub struct Rule {
    /// Its family.
    pub family: Family,
    /// How sure a match is (0–1), to order overlapping candidates.
    pub score: f32,
    /// The matcher.
    pub re: Regex,
    /// Extend a match leftwards over up to this many words of its clause
    /// (stopping at punctuation): the source before a cue like "told".
    pub extend_left: usize,
}

/// Words a "… told Daily NK" match may reach back for its source.
pub const CLAUSE_WORDS: usize = 14;

const APPROX: &str = r"(?:(?:about|approximately|approx\.|around|roughly|nearly|almost|some|over|under|more than|less than|fewer than|up to|at least|at most|as many as|as much as|as few as|close to|just over|just under|an estimated|estimated|upwards of)\s+)?";
const NUM: &str = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";
const SCALE: &str = r"(?:\s?(?:thousand|million|billion|trillion|bn|mln)(?-u:\b))?";
const NW: &str = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half)";
const QUANT: &str = r"(?:a few|a couple of|a handful of|several|dozens of|hundreds of|thousands of|tens of thousands of|millions of|scores of|a dozen|a hundred|a thousand|a million)";
const SYM: &str = r"(?:US\$|HK\$|C\$|A\$|[$€£¥₩₹])";
const CODE: &str = r"(?:USD|RMB|CNY|KRW|KPW|EUR|JPY|GBP|HKD|CHF|RUB|INR)";
const CURNAME: &str = r"(?:dollars?|yuan|renminbi|won|euros?|pounds?(?:\s+sterling)?|yen|rubles?|roubles?|rupees?|francs?)";
const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sep\.|Sept\.|Oct\.|Nov\.|Dec\.)";
// "May" is also a verb: it is a month only with a day, a year or a cue.
const MONTH_ALONE: &str =
    r"(?:January|February|March|April|June|July|August|September|October|November|December)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?";
const UNIT_TIME: &str =
    r"(?:second|minute|hour|day|week|weekend|month|year|decade|quarter|semester)s?";
const SRC: &str = r"(?:sources?|officials?|residents?|defectors?|insiders?|informants?|spokes(?:man|woman|person)|ministers?|ministry|government|agency|media|reports?|experts?|analysts?|researchers?|witness(?:es)?|police|authorities|diplomats?|observers?|journalists?|reporters?|correspondents?|citizens?|traders?|merchants?|managers?|people|person|North Koreans?|Daily NK|Yonhap|KCNA|Reuters|AP|AFP)";
const CUE: &str = r"(?:told\s+(?:Daily NK|[A-Z][\w]+(?:\s+[A-Z][\w]+)?|reporters|us|me)|said|says|reported|claimed|added|explained|continued|noted|stated|confirmed|insisted|argued|speculated|revealed|disclosed|warned|has learned|have learned|had learned|previously reported|also said|went on)";

/// The built-in rules, compiled once.
pub fn builtin() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| rule_specs().iter().filter_map(compile).collect())
}

/// Compiles one rule; None (and a debug assertion) if it does not compile.
pub fn compile((family, score, pattern): &(Family, f32, String)) -> Option<Rule> {
    // The patterns are constants; a failure is a bug the unit test
    // `every_builtin_rule_compiles` reports.
    match Regex::new(pattern) {
        Ok(re) => {
            let extend_left = if pattern.starts_with(r"(?-u:\b)told") {
                CLAUSE_WORDS
            } else {
                0
            };
            Some(Rule {
                family: *family,
                score: *score,
                re,
                extend_left,
            })
        }
        Err(e) => {
            debug_assert!(false, "rule {pattern}: {e}");
            None
        }
    }
}

/// The built-in rules as (family, score, pattern), in order.
pub fn rule_specs() -> &'static [(Family, f32, String)] {
    static SPECS: OnceLock<Vec<(Family, f32, String)>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let numrange = format!(r"{NUM}{SCALE}(?:\s?(?:-|–|—|to)\s?{NUM}{SCALE})?");
        let words = format!(r"(?:{NW}|a)(?:[\s-]+(?:{NW}|and))*");
        // Number words that count something: not a bare "a" ("a becomes").
        let count_words = format!(r"{NW}(?:[\s-]+(?:{NW}|and))*");
        let specs: Vec<(Family, f32, String)> = vec![
            // ---- money ----
            (Family::Money, 0.95, format!(r"(?i:{APPROX}){SYM}\s?{numrange}")),
            (Family::Money, 0.95, format!(r"(?i:{APPROX}(?-u:\b){CODE})\s?{numrange}")),
            (
                Family::Money,
                0.9,
                format!(r"(?i:{APPROX}{numrange}\s?(?:{CURNAME}|{CODE})(?-u:\b))"),
            ),
            (
                Family::Money,
                0.85,
                format!(
                    r"(?i:{APPROX}(?:{QUANT}|several\s+{NW}s?|{words})(?:\s+to\s+(?:{QUANT}|several\s+{NW}s?|{words}))?\s+(?:of\s+)?{CURNAME}(?-u:\b))"
                ),
            ),
            (
                Family::Money,
                0.95,
                format!(r"{NUM}\s?(?:만|억|천)?\s?(?:위안|원|달러|유로|엔)"),
            ),
            // ---- percentages ----
            (
                Family::Percent,
                0.95,
                format!(r"(?i:{APPROX}{NUM}\s?(?:%|per\s?cent(?-u:\b)|percent(?-u:\b)|percentage points?(?-u:\b)))"),
            ),
            (
                Family::Percent,
                0.9,
                format!(r"(?i:{APPROX}{words}\s+(?:per\s?cent|percent)(?-u:\b))"),
            ),
            (Family::Percent, 0.9, format!(r"{NUM}\s?(?:퍼센트|프로|%)")),
            // ---- counts with a unit noun ----
            (
                Family::Count,
                0.8,
                format!(
                    r"(?i:{APPROX}{numrange}(?:\s+(?:more|additional|other|new|North Korean|Chinese|[a-z]+-based))?\s+(?:[a-z]+(?:s|men|people|children|staff|personnel)(?-u:\b)))(?:\s+(?:a|per|each)\s+{UNIT_TIME}(?-u:\b))?"
                ),
            ),
            (
                Family::Count,
                0.75,
                format!(
                    r"(?i:{APPROX}(?:{QUANT}|{count_words})(?:\s+(?:more|additional|other|new|North Korean|Chinese))?\s+(?:[a-z]+(?:s|men|people|children|staff|personnel)(?-u:\b)))(?:\s+(?:a|per|each)\s+{UNIT_TIME}(?-u:\b))?"
                ),
            ),
            (Family::Count, 0.9, format!(r"{NUM}\s?(?:명|개|곳|가구|척|대|톤)")),
            // ---- number words on their own (two hundred, a million) ----
            (
                Family::NumberWords,
                0.6,
                format!(r"(?i:(?-u:\b){NW}(?:[\s-]+(?:and\s+)?{NW})+(?-u:\b))"),
            ),
            // ---- ranges ----
            (
                Family::Range,
                0.7,
                format!(r"(?i:{APPROX}(?:between\s+{NUM}\s+and\s+{NUM}|from\s+{NUM}\s+to\s+{NUM}|{NUM}\s?(?:-|–|—)\s?{NUM}))"),
            ),
            // ---- dates, days, years, spans of time ----
            (
                Family::Date,
                0.9,
                format!(r"{MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?(?-u:\b)(?:,?\s\d{{4}})?"),
            ),
            (
                Family::Date,
                0.9,
                format!(r"\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?{MONTH}(?:,?\s\d{{4}})?"),
            ),
            (
                Family::Date,
                0.85,
                format!(
                    r"(?:(?i:in|since|until|by|from|before|after|through|during|of)\s)?(?:(?i:early|mid-|mid|late|the end of|the beginning of|the start of|the middle of)\s?)?{MONTH_ALONE}(?:,?\s\d{{4}})?(?-u:\b)"
                ),
            ),
            (
                Family::Date,
                0.8,
                format!(r"(?:(?i:on|last|this|next|since|by|until|every|early|late)\s)?{WEEKDAY}(?-u:\b)"),
            ),
            (Family::Date, 0.7, r"(?i:(?-u:\b)the\s\d{1,2}(?:st|nd|rd|th)(?-u:\b))".to_string()),
            (
                Family::Date,
                0.75,
                r"(?:(?i:in|since|by|until|from|before|after|during|through)\s)?(?:(?i:the)\s)?(?:19|20)\d{2}s?(?-u:\b)".to_string(),
            ),
            (
                Family::Date,
                0.75,
                format!(
                    r"(?i:(?:(?:in|for|over|during|within)\s+)?(?:the\s+)?(?:last|past|previous|next|coming|this|following|same)\s+(?:(?:{NW}|few|several|\d+)\s+)?{UNIT_TIME}(?-u:\b)(?:\s+ago)?)"
                ),
            ),
            (
                Family::Date,
                0.7,
                format!(
                    r"(?i:(?:(?:for|in|after|within|over|about|around|nearly|almost)\s+)?(?:{QUANT}|{words}|an|\d+)\s+{UNIT_TIME}(?-u:\b)(?:\s+(?:ago|later|earlier|before))?)"
                ),
            ),
            (
                Family::Date,
                0.75,
                format!(
                    r"(?i:at\s+the\s+(?:beginning|end|start|middle|turn)\s+of\s+(?:this|last|next|the)\s+{UNIT_TIME})"
                ),
            ),
            (
                Family::Date,
                0.7,
                r"(?i:(?-u:\b)(?:in\s+the\s+past|in\s+recent\s+(?:days|weeks|months|years)|yesterday|tomorrow|(?:per|a)\s+(?:day|week|month|year|head|person)(?-u:\b)))".to_string(),
            ),
            (
                Family::Date,
                0.7,
                r"(?:(?i:before|after|during|since|until|around|ahead of|over)\s+)(?:(?i:the)\s+)?(?:[A-Z][\w’']*\s+){0,3}(?:[Hh]olidays?|[Ff]estival|New Year|Day)(?-u:\b)".to_string(),
            ),
            (
                Family::Date,
                0.9,
                r"\d{4}년(?:\s?\d{1,2}월)?(?:\s?\d{1,2}일)?|\d{1,2}월\s?\d{1,2}일|\d{1,2}월|(?:월|화|수|목|금|토|일)요일|지난해|올해|작년|내년".to_string(),
            ),
            // ---- source attributions ----
            // "… told Daily NK": the source is the clause before the cue.
            (
                Family::Attribution,
                0.85,
                format!(
                    r"(?-u:\b)told\s+(?:Daily NK|[A-Z][\w]+(?:\s+[A-Z][\w]+)?)(?:\s+(?:on|last|this)\s+{WEEKDAY})?"
                ),
            ),
            // "the official said", "Daily NK sources said", "one source in China explained"
            (
                Family::Attribution,
                0.8,
                format!(
                    r"(?-u:\b)(?:(?i:a|an|the|one|another|two|three|several|some|many|other|multiple|local)\s+)?(?:[\w’'\-]+\s+){{0,3}}?(?-u:\b){SRC}(?:\s+(?:in|from|at|inside|near|close to|familiar with|based in|with|of)\s+(?:[\w’'\-]+\s+){{0,3}}?[\w’'\-]+)?\s+(?:(?:also|later|previously|has|have|had|recently)\s+)?{CUE}(?:\s+(?:on|last|this)\s+{WEEKDAY})?"
                ),
            ),
            // "said a source", "continued the official"
            (
                Family::Attribution,
                0.8,
                format!(
                    r"(?-u:\b)(?:said|added|continued|explained|noted|told)\s+(?:(?:a|an|the|one|another|other)\s+)?(?:[\w’'\-]+\s+){{0,3}}?{SRC}(?-u:\b)"
                ),
            ),
            // "according to sources in Ryanggang Province"
            (
                Family::Attribution,
                0.75,
                r"(?-u:\b)(?i:according to)\s+(?:(?:a|an|the)\s+)?(?:[\w’'\-]+\s+){0,5}?(?:[\w’'\-]+)(?:\s+(?:in|from|at|inside)\s+[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*)?".to_string(),
            ),
            // "Yonhap reported", "Daily NK has learned"
            (
                Family::Attribution,
                0.75,
                r"(?-u:\b)(?:[A-Z][\w]*\s+){1,3}(?:(?:has|have|had|previously|also|recently)\s+)?(?:learned|reported|announced|revealed|confirmed|claimed)(?-u:\b)".to_string(),
            ),
            // 소식통이 전했다
            (
                Family::Attribution,
                0.85,
                r"(?:[^\s.,“”\x22]+\s+)?[^\s.,“”\x22]*소식통[^\s.,]*(?:\s+[^\s.,“”\x22]+){0,3}?\s*(?:전했다|말했다|밝혔다|설명했다|주장했다|덧붙였다)".to_string(),
            ),
            (
                Family::Attribution,
                0.8,
                r"(?:[^\s.,“”\x22]+\s+)?[^\s.,“”\x22]*소식통에\s+따르면".to_string(),
            ),
        ];
        specs
    })
}

/// How many built-in rules there are (the test checks every one compiled).
pub const BUILTIN_RULES: usize = 32;

/// Korean endings of a quoted or subordinate clause ("…닫았다고"): a word
/// ending so, before a source, belongs to what was said, not to the source.
pub const KOREAN_CLAUSE_ENDINGS: &[&str] = &[
    "다고", "라고", "다며", "라며", "다는", "면서", "지만", "는데", "했고", "이고", "으며",
];

/// Words that open a clause but do not belong to a source's name; a match
/// starting with them is trimmed.
pub const LEADING_STOPWORDS: &[&str] = &[
    "and",
    "but",
    "or",
    "so",
    "that",
    "which",
    "while",
    "as",
    "because",
    "however",
    "when",
    "if",
    "although",
    "though",
    "since",
    "where",
    "who",
    "yet",
    "then",
    "also",
    "about",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "meanwhile",
    "moreover",
    "still",
    "now",
];

const SMALL: [(&str, f64); 20] = [
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
    ("a hundred", 100.0),
    ("thousand", 1000.0),
    ("a thousand", 1000.0),
];

/// The figure attributes a match implies: `value` (the first number, with
/// its scale), `unit` (currency code, `percent`, or the counted noun) and
/// `approximate` (an approximator leads). Missing values are left out.
pub fn figure_attrs(family: Family, text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let lower = text.to_lowercase();
    let approximators = [
        "about",
        "approximately",
        "approx.",
        "around",
        "roughly",
        "nearly",
        "almost",
        "some ",
        "over ",
        "under ",
        "more than",
        "less than",
        "fewer than",
        "up to",
        "at least",
        "at most",
        "as many as",
        "as much as",
        "close to",
        "estimated",
        "upwards of",
    ];
    if approximators.iter().any(|a| lower.starts_with(a)) {
        out.insert("approximate".into(), "true".into());
    }
    static NUMBER: OnceLock<Option<Regex>> = OnceLock::new();
    static RANGED: OnceLock<Option<Regex>> = OnceLock::new();
    let number_re = NUMBER.get_or_init(|| Regex::new(NUM).ok()).as_ref();
    let ranged_re = RANGED
        .get_or_init(|| {
            Regex::new(&format!(
                r"(?i)(?:between\s+)?({NUM}){SCALE}\s?(?:-|–|—|to|and)\s?[^\d\s]{{0,3}}\s?({NUM})"
            ))
            .ok()
        })
        .as_ref();
    let number = number_re
        .and_then(|re| re.find(text))
        .and_then(|m| scaled_number(m.as_str(), &lower[m.end().min(lower.len())..]));
    let number = number.or_else(|| {
        SMALL
            .iter()
            .find(|(w, _)| lower.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w))
            .map(|(_, v)| *v)
    });
    // A range or a vague quantity has no single value.
    let vague = [
        "several",
        "a few",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "couple",
        "handful",
        "scores",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let shown = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    };
    let range = ranged_re.and_then(|re| re.captures(text)).and_then(|c| {
        let low = scaled_number(c.get(1)?.as_str(), &lower[c.get(1)?.end()..])?;
        let high = scaled_number(c.get(2)?.as_str(), &lower[c.get(2)?.end()..])?;
        // "2 to 3 million": the scale after the high end holds for both.
        let low = if low < high / 100.0 && high >= 1e3 {
            low * scale_of(&lower[c.get(2)?.end()..])
        } else {
            low
        };
        Some((low, high))
    });
    if matches!(family, Family::Date) || vague {
        // A date or a vague quantity has no value.
    } else if let Some((low, high)) = range {
        // A range keeps both ends: `value` and `value_max`.
        out.insert("value".into(), shown(low));
        out.insert("value_max".into(), shown(high));
    } else if let Some(v) = number
        && family != Family::Range
    {
        out.insert("value".into(), shown(v));
    }
    let unit = match family {
        Family::Money => money_unit(text),
        Family::Percent => Some("percent".to_string()),
        Family::Count => lower
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| {
                w.len() > 2 && w.ends_with('s') && !["days", "weeks", "months", "years"].contains(w)
            })
            .map(str::to_string),
        _ => None,
    };
    if let Some(u) = unit {
        out.insert("unit".into(), u);
    }
    out
}

/// A number as written ("1,000") times the scale word after it ("million").
fn scaled_number(digits: &str, after: &str) -> Option<f64> {
    let v: f64 = digits.replace(',', "").parse().ok()?;
    Some(v * scale_of(after))
}

/// The factor of a scale word at the start of `after` (lower case), or 1.
fn scale_of(after: &str) -> f64 {
    let after = after.trim_start();
    [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
        ("bn", 1e9),
        ("mln", 1e6),
    ]
    .iter()
    .find(|(w, _)| after.starts_with(w))
    .map_or(1.0, |(_, f)| *f)
}

/// The currency of a money match, as an ISO-style code.
fn money_unit(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let by_symbol = [
        ("us$", "USD"),
        ("hk$", "HKD"),
        ("$", "USD"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("₩", "KRW"),
        ("₹", "INR"),
        ("¥", "JPY"),
        ("위안", "RMB"),
        ("달러", "USD"),
        ("유로", "EUR"),
        ("엔", "JPY"),
        ("원", "KRW"),
    ];
    if let Some((_, code)) = by_symbol.iter().find(|(s, _)| lower.contains(s)) {
        return Some((*code).to_string());
    }
    let codes = [
        "usd", "rmb", "cny", "krw", "kpw", "eur", "jpy", "gbp", "hkd", "chf", "rub", "inr",
    ];
    if let Some(c) = lower
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| codes.contains(w))
    {
        return Some(c.to_uppercase());
    }
    let names = [
        ("dollar", "USD"),
        ("yuan", "RMB"),
        ("renminbi", "RMB"),
        ("won", "KRW"),
        ("euro", "EUR"),
        ("pound", "GBP"),
        ("yen", "JPY"),
        ("ruble", "RUB"),
        ("rouble", "RUB"),
        ("rupee", "INR"),
        ("franc", "CHF"),
    ];
    names
        .iter()
        .find(|(n, _)| lower.contains(n))
        .map(|(_, c)| (*c).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_rule_compiles() {
        assert_eq!(builtin().len(), BUILTIN_RULES);
    }

    #[test]
    fn a_range_keeps_both_ends() {
        let get = |f, t| {
            let a = figure_attrs(f, t);
            (a.get("value").cloned(), a.get("value_max").cloned())
        };
        let some = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
        assert_eq!(get(Family::Money, "RMB 2,000–3,000"), some("2000", "3000"));
        assert_eq!(
            get(Family::Money, "between 5 and 10 million dollars"),
            some("5000000", "10000000")
        );
        assert_eq!(get(Family::Range, "300-400"), some("300", "400"));
        assert_eq!(get(Family::Money, "RMB 10"), (Some("10".into()), None));
        assert_eq!(get(Family::Count, "several hundred workers"), (None, None));
    }
}
