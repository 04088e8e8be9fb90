//! The built-in suggestion rules: regexes for figures (money, percentages,
//! counts, number words, ranges, dates and times) and for source
//! attributions (reporting cues with the source they attach to, in English
//! and Korean). Each rule has a family, the label it suggests and a base
//! score; figures also carry the attribute values read from the match.

use super::currency::Currencies;
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
/// A number as written: grouped in thousands (`1,234,567.5`), in the
/// Indian way (`12,34,567.89`), or plain (`2000`, `4.25`).
const NUM: &str =
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?)";
/// A scale word after a number, in words or as a letter (`$5m`, `$2bn`).
const SCALE: &str =
    r"(?:(?i:\s?(?:thousand|million|billion|trillion|lakhs?|crores?|bn|mln|mn)|k|m|b)(?-u:\b))?";
const NW: &str = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half)";
const QUANT: &str = r"(?:a few|a couple of|a handful of|several|dozens of|hundreds of|thousands of|tens of thousands of|millions of|scores of|a dozen|a hundred|a thousand|a million)";
/// Currency signs: every Unicode currency symbol, and the few written in
/// letters of a script (元, 円, ரூ, रु).
const SIGN: &str = r"(?:\p{Sc}|元|円|ரூ|रु)";
const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sep\.|Sept\.|Oct\.|Nov\.|Dec\.)";
// "May" is also a verb: it is a month only with a day, a year or a cue.
const MONTH_ALONE: &str =
    r"(?:January|February|March|April|June|July|August|September|October|November|December)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?";
const UNIT_TIME: &str =
    r"(?:second|minute|hour|day|week|weekend|month|year|decade|quarter|semester)s?";
const SRC: &str = r"(?:sources?|officials?|residents?|defectors?|insiders?|informants?|spokes(?:man|woman|person)|ministers?|ministry|government|agency|media|reports?|experts?|analysts?|researchers?|witness(?:es)?|police|authorities|diplomats?|observers?|journalists?|reporters?|correspondents?|citizens?|traders?|merchants?|managers?|people|person|North Koreans?|Daily NK|Yonhap|KCNA|Reuters|AP|AFP)";
const CUE: &str = r"(?:told\s+(?:Daily NK|[A-Z][\w]+(?:\s+[A-Z][\w]+)?|reporters|us|me)|said|says|reported|claimed|added|explained|continued|noted|stated|confirmed|insisted|argued|speculated|revealed|disclosed|warned|has learned|have learned|had learned|previously reported|also said|went on)(?-u:\b)";

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
        let money = MoneyParts::new();
        // Number words that count something: not a bare "a" ("a becomes").
        let count_words = format!(r"{NW}(?:[\s-]+(?:{NW}|and))*");
        let specs: Vec<(Family, f32, String)> = vec![
            // ---- money ----
            // A sign, with the letters that say which dollar: "$ 75
            // million", "c $ 16.4 million", "hk$ 10", "usd$ 15", "€20".
            (
                Family::Money,
                0.95,
                format!(
                    r"(?i:{APPROX})(?:(?i:(?-u:\b)(?:{pfx}|(?:{code})\s?))?\$|{SIGN})\s?{NUM}{SCALE}(?:\s?(?:-|–|—|to)\s?{SIGN}?\s?{NUM}{SCALE})?(?:\s+(?i:{units})(?-u:\b))?",
                    pfx = money.dollar_prefixes,
                    code = money.codes,
                    units = money.units,
                ),
            ),
            // A code first: "KRW 10,000", "rmb 20".
            (
                Family::Money,
                0.95,
                format!(
                    r"(?i:{APPROX})(?-u:\b)(?:{code})\s?{NUM}{SCALE}(?:\s?(?:-|–|—|to)\s?{NUM}{SCALE})?",
                    code = money.codes
                ),
            ),
            // An amount, then the currency's name, code or minor unit: "420
            // million finnish markka", "20 usd", "197 pence", "two million
            // dollars", "35 lakh rupees".
            (
                Family::Money,
                0.9,
                format!(
                    r"(?i:{APPROX}(?:{amount})(?:\s?(?:-|–|—|to)\s?(?:{amount}))?\s?(?:{name}|{minor})(?-u:\b))|(?i:{APPROX}){NUM}{SCALE}\s?(?:{code})(?-u:\b)(?i:\s+(?:thousand|million|billion)(?-u:\b))?",
                    amount = money.amount,
                    name = money.name,
                    minor = money.minor,
                    code = money.codes,
                ),
            ),
            (
                Family::Money,
                0.85,
                format!(
                    r"(?i:{APPROX}(?:{QUANT}|several\s+{NW}s?|{fraction}|{words})(?:\s+to\s+(?:{QUANT}|several\s+{NW}s?|{words}))?\s+(?:of\s+)?(?:{name}|{minor}|{code})(?-u:\b))",
                    fraction = money.fraction,
                    name = money.name,
                    minor = money.minor,
                    code = money.codes,
                ),
            ),
            // A sign after the number: "10 €", "100₾", "100元".
            (Family::Money, 0.9, format!(r"{NUM}{SCALE}\s?{SIGN}")),
            // As an adjective: "a 12-cent stamp", "one-yen coins".
            (
                Family::Money,
                0.85,
                format!(
                    r"(?i:(?-u:\b)(?:\d+|{NW})-(?:{units}|{minor})(?-u:\b))",
                    units = money.units,
                    minor = money.minor,
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
                format!(r"(?i:{APPROX}(?:(?:minus|negative)\s+)?{NUM}\s?(?:%|per\s?cents?(?-u:\b)|percents?(?-u:\b)|percentage(?:\s+points?)?(?-u:\b)|percentage points?(?-u:\b)))"),
            ),
            (
                Family::Percent,
                0.9,
                format!(r"(?i:{APPROX}(?:(?:minus|negative)\s+)?{count_words}\s+(?:per\s?cents?|percents?|percentage(?:\s+points?)?)(?-u:\b))"),
            ),
            // "per cent of twenty-two", "percent of 10".
            (
                Family::Percent,
                0.85,
                format!(r"(?i:(?-u:\b)(?:per\s?cents?|percents?|percentage)\s+of\s+(?:{NUM}|{NW}(?:[\s-]+(?:and\s+)?{NW})*)(?-u:\b))"),
            ),
            (Family::Percent, 0.9, format!(r"{NUM}\s?(?:퍼센트|프로|%)")),
            // ---- counts with a unit noun ----
            (
                Family::Count,
                0.8,
                format!(
                    r"(?i:{APPROX}{numrange}(?:\s+(?:more|additional|other|new|North Korean|Chinese|[a-z]+-based))?\s+(?:[a-z]*(?:men|people|children|staff|personnel)|[a-z]+s)(?-u:\b))(?:\s+(?:a|per|each)\s+{UNIT_TIME}(?-u:\b))?"
                ),
            ),
            (
                Family::Count,
                0.75,
                format!(
                    r"(?i:{APPROX}(?:{QUANT}|{count_words})(?:\s+(?:more|additional|other|new|North Korean|Chinese))?\s+(?:[a-z]*(?:men|people|children|staff|personnel)|[a-z]+s)(?-u:\b))(?:\s+(?:a|per|each)\s+{UNIT_TIME}(?-u:\b))?"
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

/// The money rules' alternations, from the currency tables: longest
/// first, escaped.
struct MoneyParts {
    /// Letters before `$` ("hk", "c", "us").
    dollar_prefixes: String,
    /// Currency codes: upper case, or any case where not an English word.
    codes: String,
    /// Unit nouns and plurals that stand alone ("dollars", "markka").
    units: String,
    /// A name: nationality words, then a unit ("finnish markka", "swiss
    /// francs", "brazilian real").
    name: String,
    /// Minor unit names ("cents", "pence").
    minor: String,
    /// An amount in figures, with its scale ("420 million", "35 lakh").
    amount: String,
    /// A fraction of a scale in words ("a quarter million", "half a
    /// billion", "three quarters billion").
    fraction: String,
}

fn alternation<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = items.collect();
    v.sort_by_key(|i| std::cmp::Reverse(i.len()));
    v.dedup();
    v.iter()
        .map(|i| regex::escape(i))
        .collect::<Vec<_>>()
        .join("|")
}

impl MoneyParts {
    fn new() -> Self {
        let c = Currencies::get();
        let forms = |units: &mut dyn Iterator<Item = &String>| -> Vec<String> {
            units.flat_map(|u| Currencies::unit_forms(u)).collect()
        };
        let bare = forms(&mut c.bare_units());
        let all = forms(&mut c.units.keys());
        let units = alternation(bare.iter().map(String::as_str));
        let any_unit = alternation(all.iter().map(String::as_str));
        let adjectives = alternation(c.adjectives.iter().map(String::as_str));
        let any_case = alternation(c.lower_codes.iter().map(String::as_str));
        // One letter before `$` is a prefix only when attached ("A$ 5");
        // "a $ 5" is the article, "s $ 5" a possessive. `c $` is how
        // tokenised news writes Canadian dollars.
        let (short, long): (Vec<&String>, Vec<&String>) = c
            .dollar_prefixes
            .keys()
            .partition(|p| p.chars().count() == 1 && p.as_str() != "c");
        MoneyParts {
            dollar_prefixes: format!(
                r"(?:{})\s?|(?:{})",
                alternation(long.into_iter().map(String::as_str)),
                alternation(short.into_iter().map(String::as_str))
            ),
            // A code, or m + code for millions ("musd", "meur").
            codes: format!("(?i:m?(?:{any_case}))"),
            name: format!(
                r"(?:(?:{adjectives})\s+){{0,2}}(?:{units})|(?:(?:{adjectives})\s+){{1,2}}(?:{any_unit})"
            ),
            units,
            minor: alternation(c.minor.keys().map(String::as_str)),
            amount: format!(r"{NUM}{SCALE}"),
            fraction: r"(?:(?:a|one|two|three)\s+)?(?:half|quarters?)\s+(?:a\s+)?(?:thousand|million|billion|trillion)".to_string(),
        }
    }
}

/// Where a money match ending at byte `end` really ends: a major unit
/// followed by its minor part is one amount ("thirteen dollars and
/// forty-five cents", "3 dollars 50 cents", "15 dollars 50", "10 $ 30
/// cent"). A bare number after the unit counts only at the end of a
/// sentence or clause ("one dollar and one."), never before another word.
pub fn extend_compound(text: &str, end: usize) -> usize {
    static MAJOR_END: OnceLock<Option<Regex>> = OnceLock::new();
    static MINOR_PART: OnceLock<Option<Regex>> = OnceLock::new();
    let major = MAJOR_END.get_or_init(|| {
        let units = MoneyParts::new().units;
        Regex::new(&format!(r"(?i:(?:{units})|{SIGN}|(?-u:\b)[a-z]{{3}})$")).ok()
    });
    let minor = MINOR_PART.get_or_init(|| {
        let minor = MoneyParts::new().minor;
        Regex::new(&format!(
            r"^(?i:(?:\s+and)?\s+(\d{{1,2}}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?-u:\b)(\s+(?:{minor})(?-u:\b))?)"
        ))
        .ok()
    });
    let (Some(major), Some(minor)) = (major, minor) else {
        return end;
    };
    let before = &text[..end];
    // The amount must end with its currency, not with a number.
    if !major.is_match(before) || before.ends_with(|c: char| c.is_ascii_digit()) {
        return end;
    }
    let Some(m) = minor.captures(&text[end..]) else {
        return end;
    };
    let whole = m.get(0).map_or(0, |x| x.end());
    if m.get(2).is_some() {
        return end + whole;
    }
    // No minor unit named: only where the sentence or clause ends (and
    // not inside a longer number: "$ 37,305").
    let mut after = text[end + whole..].chars();
    let ends = match after.next() {
        None => true,
        Some(',' | '.') => !after.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) => ";:!?)\n".contains(c),
    };
    if ends { end + whole } else { end }
}

/// True when `start..end` lies in a web address or query string ("…?q=30%25
/// 20%"): numbers there are no figures.
pub fn inside_address(text: &str, start: usize, end: usize) -> bool {
    let from = text[..start]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let to = text[end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| end + i);
    let token = &text[from..to];
    token.contains("://")
        || token.starts_with("www.")
        || token.contains('=')
        || token.contains('&')
        || token.contains("%2")
        || token.contains("%3")
}

/// How many built-in rules there are (the test checks every one compiled).
pub const BUILTIN_RULES: usize = 35;

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
    let number = number.or_else(|| words_value(&lower));
    // Money in a minor unit, or a major and a minor part: its size comes
    // from the currency table ("197 pence" is 1.97 GBP).
    let number = match family {
        Family::Money => money_value(&lower).or(number),
        _ => number,
    };
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
        Family::Money => Currencies::get().code_in(text),
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

/// A number written in words, from its first number word to the last:
/// "thirteen" 13, "two hundred and five" 205, "a quarter million" 250000,
/// "three quarters billion" 750000000, "half a million" 500000. None when
/// no number word is there.
pub fn words_value(text: &str) -> Option<f64> {
    let small = |w: &str| -> Option<f64> {
        let units = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ];
        let tens = [
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        ];
        units
            .iter()
            .position(|u| *u == w)
            .map(|i| i as f64)
            .or_else(|| {
                tens.iter()
                    .position(|t| *t == w)
                    .map(|i| (i as f64 + 2.0) * 10.0)
            })
    };
    let scale = |w: &str| -> Option<f64> {
        Some(match w {
            "thousand" => 1e3,
            "million" => 1e6,
            "billion" => 1e9,
            "trillion" => 1e12,
            "lakh" | "lakhs" => 1e5,
            "crore" | "crores" => 1e7,
            _ => return None,
        })
    };
    let (mut total, mut current, mut seen) = (0.0, 0.0, false);
    for w in text.split(|c: char| c.is_whitespace() || c == '-') {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(v) = small(w) {
            current += v;
        } else if w == "a" || w == "an" {
            // "a million", "a quarter": one, unless a number came first.
            if !seen {
                current = 1.0;
            }
        } else if w == "half" {
            current = if current == 0.0 { 0.5 } else { current * 0.5 };
        } else if w == "quarter" || w == "quarters" {
            current = if current == 0.0 { 0.25 } else { current * 0.25 };
        } else if w == "hundred" {
            current = current.max(1.0) * 100.0;
        } else if let Some(f) = scale(w) {
            total += current.max(if seen { 0.0 } else { 1.0 }) * f;
            current = 0.0;
        } else if w == "and" && seen {
            continue;
        } else if seen {
            break;
        } else {
            continue;
        }
        seen = true;
    }
    (seen && total + current > 0.0).then_some(total + current)
}

/// The value of a money text with a minor part: "197 pence" 1.97,
/// "thirteen dollars and forty-five cents" 13.45, "15 dollars 50" 15.5.
/// None when it has no minor part (the plain number is its value).
fn money_value(lower: &str) -> Option<f64> {
    static PARTS: OnceLock<Option<Regex>> = OnceLock::new();
    let parts = PARTS.get_or_init(|| {
        let m = MoneyParts::new();
        Regex::new(&format!(
            r"^(?:(?P<major>.*?(?:{units}|{SIGN}|(?-u:\b)[a-z]{{3}}))(?:\s+and)?\s+)?(?P<minor>[^\s].*?)(?:\s+(?P<mu>{minor}))?$",
            units = m.units,
            minor = m.minor,
        ))
        .ok()
    });
    let c = parts.as_ref()?.captures(lower.trim())?;
    let amount = |t: &str| -> Option<f64> {
        static DIGITS: OnceLock<Option<Regex>> = OnceLock::new();
        let re = DIGITS.get_or_init(|| Regex::new(NUM).ok()).as_ref()?;
        match re.find(t) {
            Some(m) => scaled_number(m.as_str(), &t[m.end()..]),
            None => words_value(t),
        }
    };
    let table = Currencies::get();
    match (c.name("major"), c.name("mu")) {
        // "197 pence": the minor unit alone.
        (None, Some(mu)) => {
            let (_, size) = table.minor.get(mu.as_str())?;
            Some(amount(c.name("minor")?.as_str())? * size)
        }
        // "thirteen dollars and forty-five cents", "15 dollars 50".
        (Some(major), _) => {
            let code = table.code_in(major.as_str())?;
            let exponent = iso_currency::Currency::from_code(&code)
                .and_then(|c| c.exponent())
                .unwrap_or(2);
            let minor = amount(c.name("minor")?.as_str())?;
            if minor >= 10f64.powi(i32::from(exponent)) {
                return None;
            }
            Some(amount(major.as_str())? + minor * 10f64.powi(-i32::from(exponent)))
        }
        (None, None) => None,
    }
}

/// A number as written ("1,000") times the scale word after it ("million").
fn scaled_number(digits: &str, after: &str) -> Option<f64> {
    let v: f64 = digits.replace(',', "").parse().ok()?;
    Some(v * scale_of(after))
}

/// The factor of a scale word at the start of `after` (lower case), or 1:
/// "million", "bn", "lakh", or a letter right after the digits ("5m").
fn scale_of(after: &str) -> f64 {
    let attached = !after.starts_with(char::is_whitespace);
    let after = after.trim_start();
    let words = [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
        ("lakh", 1e5),
        ("crore", 1e7),
        ("bn", 1e9),
        ("mln", 1e6),
        ("mn", 1e6),
    ];
    if let Some((_, f)) = words.iter().find(|(w, _)| after.starts_with(w)) {
        return *f;
    }
    // "$5m", "€2k": a letter on the digits, then no more letters.
    let mut chars = after.chars();
    match (attached, chars.next(), chars.next()) {
        (true, Some('k'), next) if !next.is_some_and(char::is_alphanumeric) => 1e3,
        (true, Some('m'), next) if !next.is_some_and(char::is_alphanumeric) => 1e6,
        (true, Some('b'), next) if !next.is_some_and(char::is_alphanumeric) => 1e9,
        _ => 1.0,
    }
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
