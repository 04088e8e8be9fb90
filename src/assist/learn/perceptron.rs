//! A structured averaged perceptron over BIO or BILOU tags (Collins
//! 2002): Viterbi decoding with tag transitions, updates where the best
//! sequence differs from the gold one, and weights averaged over every
//! step (kept lazily, so an update costs only the features it touches).
//! Marginals by forward–backward over the same scores give each span a
//! confidence.

// The dynamic programs index tags and positions together: indices read as
// the formulas do.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

/// Outside a span.
pub const O: usize = 0;
/// First token of a span (BIO), of a span of two tokens or more (BILOU).
pub const B: usize = 1;
/// Inside a span, after its first token (BIO); neither first nor last
/// (BILOU).
pub const I: usize = 2;
/// Last token of a span of two tokens or more (BILOU only).
pub const L: usize = 3;
/// A span of one token (BILOU only).
pub const U: usize = 4;
/// The most tags a scheme has: score rows are this wide, and a scheme
/// with fewer leaves the rest unused.
pub const TAGS: usize = 5;
/// The transition row of the sequence start.
const START: usize = TAGS;

/// How spans are written as tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// Begin, inside, outside: fewer weights, so better with few examples.
    #[default]
    Bio,
    /// Begin, inside, last, outside, unit: a span's end is learned too,
    /// which pays off once there are many examples.
    Bilou,
}

impl Scheme {
    /// Tags it uses: `0..tags()`.
    pub fn tags(self) -> usize {
        match self {
            Scheme::Bio => 3,
            Scheme::Bilou => 5,
        }
    }

    /// Its usual name: "BIO" or "BILOU".
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Bio => "BIO",
            Scheme::Bilou => "BILOU",
        }
    }

    /// Whether `tag` may follow `prev` (`START` at the sequence start).
    fn allowed(self, prev: usize, tag: usize) -> bool {
        let open = prev == B || prev == I;
        match self {
            Scheme::Bio => tag != I || open,
            Scheme::Bilou => open == (tag == I || tag == L),
        }
    }

    /// Whether a sequence may end on `tag` (BILOU closes every span).
    fn may_end(self, tag: usize) -> bool {
        self == Scheme::Bio || !(tag == B || tag == I)
    }

    /// True for the tags that open a span.
    pub fn opens(tag: usize) -> bool {
        tag == B || tag == U
    }

    /// True for the tags that carry a span on.
    pub fn continues(tag: usize) -> bool {
        tag == I || tag == L
    }

    /// BIO tags (`O`, `B`, `I`) written in this scheme.
    pub fn from_bio(self, bio: &[usize]) -> Vec<usize> {
        match self {
            Scheme::Bio => bio.to_vec(),
            Scheme::Bilou => (0..bio.len())
                .map(|i| {
                    let goes_on = bio.get(i + 1) == Some(&I);
                    match (bio[i], goes_on) {
                        (B, true) => B,
                        (B, false) => U,
                        (I, true) => I,
                        (I, false) => L,
                        _ => O,
                    }
                })
                .collect(),
        }
    }
}

/// One training sequence: each token's feature ids and its gold tag.
pub struct Sequence<'a> {
    /// Feature ids per token.
    pub features: Vec<&'a [u32]>,
    /// Gold tags in the model's scheme.
    pub tags: Vec<usize>,
}

/// The learned weights.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// How spans are tagged.
    pub scheme: Scheme,
    /// Per feature id, per tag.
    pub emit: Vec<[f32; TAGS]>,
    /// From tag (or `START`) to tag.
    pub trans: [[f32; TAGS]; TAGS + 1],
    /// Added to every token's score for the tags that open a span when
    /// decoding: above 0, more spans are found (recall for precision),
    /// chosen on held-out articles.
    pub b_bias: f32,
    /// Scores are divided by it for the marginals (not for decoding; the
    /// marginals leave the B bias out): the
    /// confidences' spread, chosen on held-out articles so that they match
    /// how often spans are right.
    pub temperature: f32,
}

/// Scores with every tag out of reach.
const NONE: [f32; TAGS] = [f32::NEG_INFINITY; TAGS];

impl Model {
    /// Emission scores of one token with the B bias (`-inf` for tags the
    /// scheme lacks).
    fn emission(&self, feats: &[u32]) -> [f32; TAGS] {
        self.with_open_bias(self.unbiased(feats))
    }

    /// Emission scores of one token without the B bias.
    fn unbiased(&self, feats: &[u32]) -> [f32; TAGS] {
        let mut s = NONE;
        s[..self.scheme.tags()].fill(0.0);
        // All TAGS wide, so the adds vectorise; unused tags stay -inf.
        for f in feats {
            if let Some(w) = self.emit.get(*f as usize) {
                for t in 0..TAGS {
                    s[t] += w[t];
                }
            }
        }
        s
    }

    /// `scores` with the B bias added to the tags that open a span.
    fn with_open_bias(&self, mut scores: [f32; TAGS]) -> [f32; TAGS] {
        for (t, s) in scores.iter_mut().enumerate() {
            if Scheme::opens(t) {
                *s += self.b_bias;
            }
        }
        scores
    }

    /// The best tag sequence.
    pub fn viterbi(&self, features: &[&[u32]]) -> Vec<usize> {
        self.viterbi_with(features, |_, _| 0.0)
    }

    /// Each token's emission scores without the B bias: what decoding
    /// the same tokens again with another bias or temperature reuses.
    pub fn scores(&self, features: &[&[u32]]) -> Vec<[f32; TAGS]> {
        features.iter().map(|f| self.unbiased(f)).collect()
    }

    /// [`Self::viterbi`] over emission scores from [`Self::scores`].
    pub fn viterbi_scored(&self, scores: &[[f32; TAGS]]) -> Vec<usize> {
        self.best_path(scores.len(), |i| self.with_open_bias(scores[i]))
    }

    /// The best tag sequence with `extra(i, tag)` added to each score
    /// (training adds a margin to the wrong tags).
    fn viterbi_with(&self, features: &[&[u32]], extra: impl Fn(usize, usize) -> f32) -> Vec<usize> {
        self.best_path(features.len(), |i| {
            let mut e = self.emission(features[i]);
            for (t, x) in e.iter_mut().enumerate() {
                *x += extra(i, t);
            }
            e
        })
    }

    /// The best tag sequence of `n` tokens whose emission scores
    /// `emit(i)` gives.
    fn best_path(&self, n: usize, emit: impl Fn(usize) -> [f32; TAGS]) -> Vec<usize> {
        if n == 0 {
            return Vec::new();
        }
        let (scheme, tags) = (self.scheme, self.scheme.tags());
        let mut score = vec![NONE; n];
        let mut back = vec![[0usize; TAGS]; n];
        let e0 = emit(0);
        for t in 0..tags {
            if scheme.allowed(START, t) {
                score[0][t] = self.trans[START][t] + e0[t];
            }
        }
        for i in 1..n {
            let e = emit(i);
            for t in 0..tags {
                let mut best = (f32::NEG_INFINITY, 0);
                for p in 0..tags {
                    if !scheme.allowed(p, t) {
                        continue;
                    }
                    let s = score[i - 1][p] + self.trans[p][t];
                    if s > best.0 {
                        best = (s, p);
                    }
                }
                score[i][t] = best.0 + e[t];
                back[i][t] = best.1;
            }
        }
        // Ties go to the first tag (O): no span without evidence.
        let mut t = O;
        for c in 1..tags {
            if scheme.may_end(c) && score[n - 1][c] > score[n - 1][t] {
                t = c;
            }
        }
        let mut out = vec![O; n];
        for i in (0..n).rev() {
            out[i] = t;
            t = back[i][t];
        }
        out
    }

    /// Each token's tag probabilities, by forward–backward over the scores.
    pub fn marginals(&self, features: &[&[u32]]) -> Vec<[f32; TAGS]> {
        self.marginals_scored(&self.scores(features))
    }

    /// [`Self::marginals`] over emission scores from [`Self::scores`].
    pub fn marginals_scored(&self, scores: &[[f32; TAGS]]) -> Vec<[f32; TAGS]> {
        let n = scores.len();
        if n == 0 {
            return Vec::new();
        }
        let (scheme, tags) = (self.scheme, self.scheme.tags());
        let t = self.temperature.max(1e-3);
        // Without the B bias: it trades precision for recall when
        // decoding, but a span is only as sure as the weights make it.
        let emit: Vec<[f32; TAGS]> = scores.iter().map(|e| e.map(|x| x / t)).collect();
        let trans = self.trans.map(|row| row.map(|x| x / t));
        // Log-sum-exp over the terms `term(x)` of the tags `x` for which
        // `keep(x)`: no allocation, as it runs for every token and tag.
        let lse = |keep: &dyn Fn(usize) -> bool, term: &dyn Fn(usize) -> f32| -> f32 {
            let mut v = NONE;
            for x in (0..tags).filter(|x| keep(*x)) {
                v[x] = term(x);
            }
            let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            if m == f32::NEG_INFINITY {
                return m;
            }
            m + v.iter().map(|x| (x - m).exp()).sum::<f32>().ln()
        };
        let mut alpha = vec![NONE; n];
        for t in 0..tags {
            if scheme.allowed(START, t) {
                alpha[0][t] = trans[START][t] + emit[0][t];
            }
        }
        for i in 1..n {
            for t in 0..tags {
                let from = |p: usize| alpha[i - 1][p] + trans[p][t];
                alpha[i][t] = lse(&|p| scheme.allowed(p, t), &from) + emit[i][t];
            }
        }
        let mut beta = vec![NONE; n];
        for t in 0..tags {
            if scheme.may_end(t) {
                beta[n - 1][t] = 0.0;
            }
        }
        for i in (0..n - 1).rev() {
            for p in 0..tags {
                let to = |t: usize| trans[p][t] + emit[i + 1][t] + beta[i + 1][t];
                beta[i][p] = lse(&|t| scheme.allowed(p, t), &to);
            }
        }
        let z = lse(&|_| true, &|t| alpha[n - 1][t] + beta[n - 1][t]);
        (0..n)
            .map(|i| {
                let mut m = [0.0; TAGS];
                for t in 0..tags {
                    m[t] = (alpha[i][t] + beta[i][t] - z).exp();
                }
                m
            })
            .collect()
    }
}

/// How much a wrong tag must lose by while training.
const MARGIN: f32 = 2.0;

/// Trains on `sequences` for `epochs` passes, in an order shuffled by
/// `seed` each pass; `features` is the number of feature ids.
pub fn train(
    scheme: Scheme,
    sequences: &[Sequence],
    features: usize,
    epochs: usize,
    seed: u64,
) -> Model {
    let mut w = Model {
        scheme,
        emit: vec![[0.0; TAGS]; features],
        trans: [[0.0; TAGS]; TAGS + 1],
        b_bias: 0.0,
        temperature: 1.0,
    };
    // Lazy averaging: totals and the step each weight last changed.
    let mut total = vec![[0.0f32; TAGS]; features];
    let mut stamp = vec![[0u32; TAGS]; features];
    let mut trans_total = [[0.0f32; TAGS]; TAGS + 1];
    let mut trans_stamp = [[0u32; TAGS]; TAGS + 1];
    let mut step: u32 = 1;
    let mut order: Vec<usize> = (0..sequences.len()).collect();
    let mut rng = seed | 1;
    for _ in 0..epochs {
        // Fisher–Yates with xorshift.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let seq = &sequences[k];
            // Cost-augmented: a wrong tag must lose by a margin, not just
            // lose (the structured perceptron with margin).
            let guess = w.viterbi_with(
                &seq.features,
                |i, t| {
                    if t == seq.tags[i] { 0.0 } else { MARGIN }
                },
            );
            if guess != seq.tags {
                let mut bump = |f: usize, t: usize, by: f32, w: &mut Model| {
                    total[f][t] += (step - stamp[f][t]) as f32 * w.emit[f][t];
                    stamp[f][t] = step;
                    w.emit[f][t] += by;
                };
                for (i, feats) in seq.features.iter().enumerate() {
                    let (g, p) = (seq.tags[i], guess[i]);
                    if g != p {
                        for f in feats.iter() {
                            bump(*f as usize, g, 1.0, &mut w);
                            bump(*f as usize, p, -1.0, &mut w);
                        }
                    }
                }
                let mut tbump = |a: usize, b: usize, by: f32, w: &mut Model| {
                    trans_total[a][b] += (step - trans_stamp[a][b]) as f32 * w.trans[a][b];
                    trans_stamp[a][b] = step;
                    w.trans[a][b] += by;
                };
                let mut prev = (START, START);
                for i in 0..seq.tags.len() {
                    let (g, p) = (seq.tags[i], guess[i]);
                    if (prev.0, g) != (prev.1, p) {
                        tbump(prev.0, g, 1.0, &mut w);
                        tbump(prev.1, p, -1.0, &mut w);
                    }
                    prev = (g, p);
                }
            }
            step += 1;
        }
    }
    // The average: each weight's total brought up to the last step.
    let mut avg = w.clone();
    for f in 0..features {
        for t in 0..TAGS {
            let sum = total[f][t] + (step - stamp[f][t]) as f32 * w.emit[f][t];
            avg.emit[f][t] = sum / step as f32;
        }
    }
    for a in 0..=TAGS {
        for b in 0..TAGS {
            let sum = trans_total[a][b] + (step - trans_stamp[a][b]) as f32 * w.trans[a][b];
            avg.trans[a][b] = sum / step as f32;
        }
    }
    avg
}

/// Feature hashes → dense ids, grown while training and read-only after.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    ids: HashMap<u64, u32, std::hash::BuildHasherDefault<Premixed>>,
}

/// The keys are already hashes of the features: hashing them again (as
/// the default SipHash would) only costs time; one multiply spreads them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Premixed(u64);

impl std::hash::Hasher for Premixed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Dictionary {
    /// The id of `h`, adding it.
    pub fn add(&mut self, h: u64) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(h).or_insert(n)
    }

    /// The id of `h`, if seen in training.
    pub fn get(&self, h: u64) -> Option<u32> {
        self.ids.get(&h).copied()
    }

    /// How many features it knows.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when it knows none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference computed by hand. Two tokens, features {1: "he"},
    /// {0: "said"}; gold "he" = B (a one-token span), "said" = O. Every
    /// weight starts at 0, so the first, cost-augmented decoding scores
    /// only the margin (2 for each wrong tag): O then B scores 4, the most
    /// (I cannot follow START or O). One update: (1, B) +1, (1, O) −1,
    /// (0, O) +1, (0, B) −1, START→B +1, START→O −1, B→O +1, O→B −1. The
    /// average over 2 steps halves each: 0.5 and −0.5.
    #[test]
    fn one_update_matches_the_hand_computed_reference() {
        let f0: &[u32] = &[1];
        let f1: &[u32] = &[0];
        let seq = Sequence {
            features: vec![f0, f1],
            tags: vec![B, O],
        };
        let m = train(Scheme::Bio, &[seq], 2, 1, 7);
        assert_eq!(m.emit[1][B], 0.5);
        assert_eq!(m.emit[1][O], -0.5);
        assert_eq!(m.emit[0], [0.5, -0.5, 0.0, 0.0, 0.0]); // O, B, I, L, U
        assert_eq!(m.trans[START][B], 0.5);
        assert_eq!(m.trans[START][O], -0.5);
        assert_eq!(m.trans[B][O], 0.5);
        assert_eq!(m.trans[O][B], -0.5);
        assert_eq!(m.trans[O][O], 0.0);
        assert_eq!(m.viterbi(&[f0, f1]), vec![B, O]);
        // The marginals, by hand: paths O O −0.5, O B −2, B O 2, B B 0.5,
        // B I 1; Z = ln Σ exp = ln 12.498, so P(B at 0) = (e² + e^0.5 +
        // e) / 12.498 = 0.941 and P(O at 1) = (e^−0.5 + e²) / 12.498 =
        // 0.640.
        let p = m.marginals(&[f0, f1]);
        for row in &p {
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
        assert!((p[0][B] - 0.941).abs() < 0.002, "{p:?}");
        assert!((p[1][O] - 0.640).abs() < 0.002, "{p:?}");
        assert!(p[1][O] > p[1][B] && p[1][O] > p[1][I]);
        assert_eq!((p[0][L], p[0][U]), (0.0, 0.0), "BIO never uses L or U");
    }

    #[test]
    fn learns_a_pattern_and_never_decodes_i_after_o() {
        // "X y" pairs: B on the upper-case token, I on the next; feature
        // 4 is the bias every token has.
        let feats: Vec<[u32; 2]> = vec![[0, 4], [1, 4], [2, 4], [3, 4], [0, 4], [1, 4]];
        let tags = vec![B, I, O, O, B, I];
        let seq = Sequence {
            features: feats.iter().map(|f| &f[..]).collect(),
            tags: tags.clone(),
        };
        let m = train(Scheme::Bio, &[seq], 5, 10, 1);
        let refs: Vec<&[u32]> = feats.iter().map(|f| &f[..]).collect();
        assert_eq!(m.viterbi(&refs), tags);
        let only_i: Vec<&[u32]> = vec![&[1], &[1]];
        let out = m.viterbi(&only_i);
        assert_ne!(out[0], I, "I cannot open a sequence");
    }

    #[test]
    fn bio_tags_become_bilou() {
        // "a [b c d] e [f] [g h]": a three-token span, a one-token span
        // and a two-token one right after it.
        let bio = [O, B, I, I, O, B, B, I];
        assert_eq!(Scheme::Bilou.from_bio(&bio), [O, B, I, L, O, U, B, L]);
        assert_eq!(Scheme::Bio.from_bio(&bio), bio);
    }

    #[test]
    fn bilou_learns_one_token_and_longer_spans() {
        // Feature 0 opens a span, 1 carries it on, 2 is outside; 3 is the
        // bias every token has.
        let feats: Vec<[u32; 2]> = vec![[0, 3], [1, 3], [1, 3], [2, 3], [0, 3], [2, 3], [0, 3]];
        let bio = [B, I, I, O, B, O, B];
        let tags = Scheme::Bilou.from_bio(&bio);
        assert_eq!(tags, [B, I, L, O, U, O, U]);
        let refs: Vec<&[u32]> = feats.iter().map(|f| &f[..]).collect();
        let seq = Sequence {
            features: refs.clone(),
            tags: tags.clone(),
        };
        let m = train(Scheme::Bilou, &[seq], 4, 10, 3);
        assert_eq!(m.viterbi(&refs), tags);
    }

    /// Checks a tag sequence against the schemes' rules, written out here
    /// again rather than asked of `Scheme`.
    fn well_formed(scheme: Scheme, tags: &[usize]) -> bool {
        let open = |i: usize| i > 0 && matches!(tags[i - 1], B | I);
        let inside_ok = |i: usize| match (scheme, tags[i]) {
            (Scheme::Bio, O | B) => true,
            (Scheme::Bio, I) => open(i),
            (Scheme::Bilou, I | L) => open(i),
            (Scheme::Bilou, O | B | U) => !open(i),
            _ => false,
        };
        let ends_closed = scheme == Scheme::Bio || !matches!(tags.last(), Some(&(B | I)));
        (0..tags.len()).all(inside_ok) && ends_closed
    }

    proptest::proptest! {
        /// Whatever the weights, decoding gives a sequence the scheme
        /// allows, and the marginals are probabilities over its tags.
        #[test]
        fn any_weights_decode_well_formed_spans(
            bilou in proptest::bool::ANY,
            emit in proptest::collection::vec(
                proptest::array::uniform5(-5.0f32..5.0), 1..12),
            trans in proptest::array::uniform6(proptest::array::uniform5(-5.0f32..5.0)),
            bias in 0.0f32..8.0,
        ) {
            let scheme = if bilou { Scheme::Bilou } else { Scheme::Bio };
            let m = Model { scheme, emit, trans, b_bias: bias, temperature: 2.0 };
            let features: Vec<Vec<u32>> = (0..m.emit.len() as u32).map(|i| vec![i]).collect();
            let refs: Vec<&[u32]> = features.iter().map(Vec::as_slice).collect();
            let path = m.viterbi(&refs);
            proptest::prop_assert!(well_formed(scheme, &path), "{path:?}");
            for row in m.marginals(&refs) {
                let sum: f32 = row.iter().sum();
                proptest::prop_assert!((sum - 1.0).abs() < 1e-3, "{row:?}");
                proptest::prop_assert!(row[scheme.tags()..].iter().all(|p| *p == 0.0));
            }
        }
    }
}
