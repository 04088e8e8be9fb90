//! Tokens and their features, computed once per article and shared by
//! every label's tagger: the word, its lower-case form and shape, affixes,
//! neighbouring words, position in the paragraph and sentence, a list of
//! reporting cues, and the built-in rules' hits.

use crate::assist::rules::builtin;

/// A token: a run of letters and digits (with inner apostrophes, hyphens,
/// dots and commas between digits), or one other visible character. Offsets
/// are code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First code point.
    pub start: usize,
    /// One past the last.
    pub end: usize,
}

/// An article ready for tagging: its tokens, split into paragraphs (the
/// sequences the taggers read), and each token's hashed features.
#[derive(Debug, Clone)]
pub struct Featured {
    /// Every token, in order.
    pub tokens: Vec<Token>,
    /// Token index ranges, one per paragraph.
    pub paragraphs: Vec<std::ops::Range<usize>>,
    /// Hashed features per token.
    pub features: Vec<Vec<u64>>,
}

/// Verbs and phrases that report speech, belief or knowledge: the cue
/// list used as a feature.
pub const CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tell",
    "tells",
    "according",
    "reported",
    "reports",
    "report",
    "claimed",
    "claims",
    "claim",
    "added",
    "explained",
    "noted",
    "stated",
    "believes",
    "believe",
    "believed",
    "think",
    "thinks",
    "thought",
    "argued",
    "argues",
    "wrote",
    "writes",
    "announced",
    "insisted",
    "warned",
    "suggested",
    "asked",
    "called",
    "confirmed",
    "denied",
    "acknowledged",
    "agreed",
    "recalled",
    "continued",
    "learned",
    "knows",
    "know",
    "hopes",
    "fears",
    "expects",
    "expected",
    "want",
    "wants",
    "promised",
    "predicted",
    "estimated",
    "showed",
    "shows",
    "found",
    "finds",
    "find",
    "suggests",
    "suggest",
    "indicated",
    "indicates",
    "revealed",
    "admitted",
    "countered",
    "responded",
    "replied",
    "testified",
    "disclosed",
    "contended",
    "maintained",
    "emphasized",
    "stressed",
    "observed",
    "commented",
    "alleged",
    "accused",
    "criticized",
    "urged",
    "described",
    "cited",
    "quoted",
    "worried",
    "feared",
    "hoped",
    "vowed",
    "pledged",
    "declared",
    "asserted",
    "mentioned",
    "conceded",
    "argue",
    "notes",
    "adds",
    "explains",
    "show",
    "shown",
    "considers",
    "predicts",
    "insists",
    "warns",
    "questioned",
    "acknowledges",
    "complained",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `text` into tokens and paragraphs (at line breaks).
pub fn tokenize(text: &str) -> (Vec<Token>, Vec<std::ops::Range<usize>>) {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut paragraphs = Vec::new();
    let mut para_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            if tokens.len() > para_start {
                paragraphs.push(para_start..tokens.len());
            }
            para_start = tokens.len();
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if is_word_char(c) {
            i += 1;
            while i < chars.len() {
                let c = chars[i];
                let joins = matches!(c, '\'' | '’' | '-' | '.' | ',')
                    && i + 1 < chars.len()
                    && is_word_char(chars[i + 1])
                    && (c != ',' && c != '.' || chars[i - 1].is_ascii_digit());
                if is_word_char(c) || joins {
                    i += 1;
                } else {
                    break;
                }
            }
        } else {
            i += 1;
        }
        tokens.push(Token { start, end: i });
    }
    if tokens.len() > para_start {
        paragraphs.push(para_start..tokens.len());
    }
    (tokens, paragraphs)
}

/// FNV-1a of a feature's kind and text.
fn hash(kind: u8, text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(kind);
    h = h.wrapping_mul(0x0100_0000_01b3);
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The word's shape: X for upper case, x lower, d digit, runs squeezed
/// ("Kim" → "Xx", "2,000" → "d,d").
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

/// The feature kinds, as the first byte of each hashed feature.
mod kind {
    pub const BIAS: u8 = 0;
    pub const WORD: u8 = 1;
    pub const LOWER: u8 = 2;
    pub const SHAPE: u8 = 3;
    pub const PREFIX: u8 = 4;
    pub const SUFFIX3: u8 = 5;
    pub const SUFFIX2: u8 = 6;
    pub const PREV: u8 = 7;
    pub const NEXT: u8 = 8;
    pub const PREV2: u8 = 9;
    pub const NEXT2: u8 = 10;
    pub const BIGRAM_LEFT: u8 = 11;
    pub const BIGRAM_RIGHT: u8 = 12;
    pub const FLAG: u8 = 13;
    pub const RULE: u8 = 14;
    pub const PREV_SHAPE: u8 = 15;
    pub const NEXT_SHAPE: u8 = 16;
    pub const PREV3: u8 = 17;
    pub const NEXT3: u8 = 18;
    pub const TRIGRAM: u8 = 19;
    pub const CUE_LEFT: u8 = 20;
    pub const CUE_RIGHT: u8 = 21;
    pub const WORD_CUE: u8 = 22;
    pub const CLAUSE_CUE: u8 = 23;
}

/// Tokens that end a clause for [`clause_cues`].
fn clause_break(w: &str) -> bool {
    matches!(
        w,
        "." | "," | ";" | ":" | "!" | "?" | "\"" | "“" | "”" | "(" | ")"
    )
}

/// For each token of a paragraph (`lower` its lower-case words): whether
/// a cue comes after it (and how many tokens on, bucketed) before the
/// clause ends, and the same before it: a source is often a whole noun
/// phrase in one clause with its cue ("the White House press secretary
/// said"; "according to a senior official").
fn clause_cues(
    lower: &[String],
    cue: &[bool],
    p: std::ops::Range<usize>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = vec![(None, None); p.len()];
    let mut next: Option<usize> = None;
    for i in p.clone().rev() {
        if clause_break(&lower[i]) {
            next = None;
        }
        out[i - p.start].0 = next.map(|j| j - i);
        if cue[i] {
            next = Some(i);
        }
    }
    let mut prev: Option<usize> = None;
    for i in p.clone() {
        if clause_break(&lower[i]) {
            prev = None;
        }
        out[i - p.start].1 = prev.map(|j| i - j);
        if cue[i] {
            prev = Some(i);
        }
    }
    out
}

/// 1, 2, 3–4, 5–8, 9+.
fn bucket(n: usize) -> &'static str {
    match n {
        0 | 1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        _ => "9+",
    }
}

/// Pronouns and other words that often are a source on their own.
const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "they",
    "i",
    "we",
    "you",
    "it",
    "who",
    "officials",
    "experts",
    "critics",
    "analysts",
    "sources",
    "aides",
    "supporters",
];

/// Nouns that name a person, group or document by its role: often the
/// head of a source ("a White House spokesman", "the report").
const ROLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "president",
    "secretary",
    "minister",
    "senator",
    "director",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "professor",
    "chairman",
    "governor",
    "representative",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "leader",
    "leaders",
    "member",
    "members",
    "source",
    "sources",
    "report",
    "statement",
    "researchers",
    "economist",
    "lawyer",
    "attorney",
    "campaign",
    "administration",
    "department",
    "committee",
    "group",
    "officer",
    "chief",
    "executive",
    "manager",
    "people",
    "residents",
    "voters",
    "critics",
    "democrats",
    "republicans",
];

/// Tokens, paragraphs and features of `text`.
pub fn featurize(text: &str) -> Featured {
    let (tokens, paragraphs) = tokenize(text);
    let chars: Vec<char> = text.chars().collect();
    let word = |t: &Token| -> String { chars[t.start..t.end].iter().collect() };
    let words: Vec<String> = tokens.iter().map(word).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
    // Looked up once per token: the flags ask about each token many times.
    let cue: Vec<bool> = lower.iter().map(|w| CUES.contains(&w.as_str())).collect();
    let role: Vec<bool> = lower.iter().map(|w| ROLES.contains(&w.as_str())).collect();
    let rules = rule_hits(text, &tokens);
    let mut features = vec![Vec::with_capacity(32); tokens.len()];
    for p in &paragraphs {
        let mut quotes = 0usize;
        let mut sentence_start = true;
        let clause = clause_cues(&lower, &cue, p.clone());
        for i in p.clone() {
            let f = &mut features[i];
            let (cue_after, cue_before) = clause[i - p.start];
            if let Some(k) = cue_after {
                f.push(hash(kind::CLAUSE_CUE, &format!("r{}", bucket(k))));
            }
            if let Some(k) = cue_before {
                f.push(hash(kind::CLAUSE_CUE, &format!("l{}", bucket(k))));
            }
            let at = |k: isize| -> Option<usize> {
                let j = i as isize + k;
                (j >= p.start as isize && j < p.end as isize).then_some(j as usize)
            };
            let lw = |k: isize| at(k).map_or("<s>", |j| lower[j].as_str());
            f.push(hash(kind::BIAS, ""));
            f.push(hash(kind::WORD, &words[i]));
            f.push(hash(kind::LOWER, &lower[i]));
            f.push(hash(kind::SHAPE, &shapes[i]));
            let l: Vec<char> = lower[i].chars().collect();
            let take = |a: usize, b: usize| -> String { l[a..b].iter().collect() };
            if l.len() > 3 {
                f.push(hash(kind::PREFIX, &take(0, 3)));
                f.push(hash(kind::SUFFIX3, &take(l.len() - 3, l.len())));
            }
            if l.len() > 2 {
                f.push(hash(kind::SUFFIX2, &take(l.len() - 2, l.len())));
            }
            f.push(hash(kind::PREV, lw(-1)));
            f.push(hash(kind::NEXT, lw(1)));
            f.push(hash(kind::PREV2, lw(-2)));
            f.push(hash(kind::NEXT2, lw(2)));
            f.push(hash(
                kind::PREV_SHAPE,
                at(-1).map_or("<s>", |j| shapes[j].as_str()),
            ));
            f.push(hash(
                kind::NEXT_SHAPE,
                at(1).map_or("<s>", |j| shapes[j].as_str()),
            ));
            f.push(hash(kind::PREV3, lw(-3)));
            f.push(hash(kind::NEXT3, lw(3)));
            f.push(hash(
                kind::TRIGRAM,
                &format!("{}|{}|{}", lw(-1), lower[i], lw(1)),
            ));
            f.push(hash(kind::BIGRAM_LEFT, &format!("{}|{}", lw(-1), lower[i])));
            f.push(hash(kind::BIGRAM_RIGHT, &format!("{}|{}", lower[i], lw(1))));
            let mut flag = |name: &str, on: bool| {
                if on {
                    f.push(hash(kind::FLAG, name));
                }
            };
            flag("para-start", i == p.start);
            flag("para-end", i + 1 == p.end);
            flag("sentence-start", sentence_start);
            let is_cue = |j: Option<usize>| j.is_some_and(|j| cue[j]);
            flag("cue", is_cue(Some(i)));
            flag("cue-1", is_cue(at(-1)));
            flag("cue+1", is_cue(at(1)));
            flag("cue-2", is_cue(at(-2)));
            flag("cue+2", is_cue(at(2)));
            flag("cue-near-left", (1..=5).any(|k| is_cue(at(-k))));
            flag("cue-near-right", (1..=5).any(|k| is_cue(at(k))));
            // How far the nearest cue is on each side (1–6, or none).
            let left = (1..=6).find(|k| is_cue(at(-*k)));
            let right = (1..=6).find(|k| is_cue(at(*k)));
            f.push(hash(
                kind::CUE_LEFT,
                &left.map_or("-".into(), |k| k.to_string()),
            ));
            f.push(hash(
                kind::CUE_RIGHT,
                &right.map_or("-".into(), |k| k.to_string()),
            ));
            if right.is_some_and(|k| k <= 3) {
                f.push(hash(kind::WORD_CUE, &format!("r|{}", lower[i])));
            }
            if left.is_some_and(|k| k <= 3) {
                f.push(hash(kind::WORD_CUE, &format!("l|{}", lower[i])));
            }
            let mut flag = |name: &str, on: bool| {
                if on {
                    f.push(hash(kind::FLAG, name));
                }
            };
            flag("pronoun", PRONOUNS.contains(&lower[i].as_str()));
            let is_role = |j: Option<usize>| j.is_some_and(|j| role[j]);
            flag("role", is_role(Some(i)));
            flag("role+1", is_role(at(1)));
            flag("role-1", is_role(at(-1)));
            flag("role-near-right", (1..=4).any(|k| is_role(at(k))));
            flag(
                "prev-cap",
                at(-1).is_some_and(|j| words[j].chars().next().is_some_and(char::is_uppercase)),
            );
            flag(
                "next-cap",
                at(1).is_some_and(|j| words[j].chars().next().is_some_and(char::is_uppercase)),
            );
            let is_quote = matches!(words[i].as_str(), "\"" | "“" | "”" | "‘" | "'");
            flag("quote", is_quote);
            flag("in-quote", quotes % 2 == 1);
            flag(
                "cap",
                words[i].chars().next().is_some_and(char::is_uppercase),
            );
            if is_quote {
                quotes += 1;
            }
            for r in &rules[i] {
                f.push(hash(kind::RULE, r));
            }
            sentence_start = matches!(words[i].as_str(), "." | "!" | "?");
        }
    }
    Featured {
        tokens,
        paragraphs,
        features,
    }
}

/// The built-in rule families each token falls in, with "^" for the first
/// token of a hit.
fn rule_hits(text: &str, tokens: &[Token]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); tokens.len()];
    let dt = crate::model::DocText::new(text);
    for rule in builtin() {
        let name = rule.family.name();
        for m in rule.re.find_iter(text) {
            let (a, b) = (dt.char_of(m.start()), dt.char_of(m.end()));
            let first = tokens.partition_point(|t| t.end <= a);
            for (k, t) in tokens[first..].iter().enumerate() {
                if t.start >= b {
                    break;
                }
                let tag = if k == 0 {
                    format!("^{name}")
                } else {
                    name.to_string()
                };
                if !out[first + k].contains(&tag) {
                    out[first + k].push(tag);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_numbers_and_contractions_whole() {
        let text = "“RMB 2,000,” he didn’t say.\nA 50% cut — 북한.";
        let (tokens, paragraphs) = tokenize(text);
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<String> = tokens
            .iter()
            .map(|t| chars[t.start..t.end].iter().collect())
            .collect();
        assert_eq!(
            words,
            [
                "“", "RMB", "2,000", ",", "”", "he", "didn’t", "say", ".", "A", "50", "%", "cut",
                "—", "북한", "."
            ]
        );
        assert_eq!(paragraphs, vec![0..9, 9..16]);
        assert_eq!(shape("Kim"), "Xx");
        assert_eq!(shape("2,000"), "d,d");
    }

    /// The rules' hits become features: a money amount's tokens carry
    /// "money", its first one "^money"; a cue word carries the cue flag.
    #[test]
    fn clause_cues_stop_at_the_clause_and_count_tokens() {
        let words = "the press secretary said , “ it rained ” , according to him";
        let lower: Vec<String> = words.split(' ').map(String::from).collect();
        let cue: Vec<bool> = lower.iter().map(|w| CUES.contains(&w.as_str())).collect();
        let c = clause_cues(&lower, &cue, 0..lower.len());
        // "the" is 3 tokens before "said"; nothing after the comma.
        assert_eq!(c[0], (Some(3), None));
        assert_eq!(c[2], (Some(1), None));
        assert_eq!(c[6], (None, None), "the quote ends the clause");
        // "him" comes 2 tokens after "according".
        assert_eq!(c[12], (None, Some(2)));
        assert_eq!(bucket(3), "3-4");
        assert_eq!(bucket(12), "9+");
    }

    #[test]
    fn rule_hits_and_cues_are_features() {
        let text = "Workers paid RMB 1,000, a source said.";
        let f = featurize(text);
        let (tokens, _) = tokenize(text);
        let chars: Vec<char> = text.chars().collect();
        let at = |w: &str| {
            tokens
                .iter()
                .position(|t| chars[t.start..t.end].iter().collect::<String>() == w)
                .unwrap()
        };
        let has = |i: usize, k: u8, s: &str| f.features[i].contains(&hash(k, s));
        assert!(has(at("RMB"), kind::RULE, "^money"));
        assert!(has(at("1,000"), kind::RULE, "money"));
        assert!(!has(at("Workers"), kind::RULE, "money"));
        assert!(has(at("said"), kind::FLAG, "cue"));
        assert!(has(at("source"), kind::FLAG, "cue+1"));
        assert!(has(at("said"), kind::RULE, "attribution"));
    }
}
