//! A structured averaged perceptron over BIO tags (Collins 2002): Viterbi
//! decoding with tag transitions, updates where the best sequence differs
//! from the gold one, and weights averaged over every step (kept lazily,
//! so an update costs only the features it touches). Marginals by
//! forward–backward over the same scores give each span a confidence.

// The dynamic programs index tags and positions together: indices read as
// the formulas do.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

/// Outside a span.
pub const O: usize = 0;
/// First token of a span.
pub const B: usize = 1;
/// Inside a span, after its first token.
pub const I: usize = 2;
/// How many tags there are.
pub const TAGS: usize = 3;
/// The transition row of the sequence start.
const START: usize = 3;

/// One training sequence: each token's feature ids and its gold tag.
pub struct Sequence<'a> {
    /// Feature ids per token.
    pub features: Vec<&'a [u32]>,
    /// Gold tags (`O`, `B`, `I`).
    pub tags: Vec<usize>,
}

/// The learned weights.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Per feature id, per tag.
    pub emit: Vec<[f32; TAGS]>,
    /// From tag (or `START`) to tag.
    pub trans: [[f32; TAGS]; 4],
    /// Added to every token's score for B when decoding: above 0, more
    /// spans are found (recall for precision), chosen on held-out articles.
    pub b_bias: f32,
    /// Scores are divided by it for the marginals (not for decoding; the
    /// marginals leave the B bias out): the
    /// confidences' spread, chosen on held-out articles so that they match
    /// how often spans are right.
    pub temperature: f32,
}

/// I may only follow B or I.
fn allowed(prev: usize, tag: usize) -> bool {
    tag != I || prev == B || prev == I
}

impl Model {
    /// Emission scores of one token.
    fn emission(&self, feats: &[u32]) -> [f32; TAGS] {
        let mut s = [0.0, self.b_bias, 0.0];
        for f in feats {
            if let Some(w) = self.emit.get(*f as usize) {
                for t in 0..TAGS {
                    s[t] += w[t];
                }
            }
        }
        s
    }

    /// The best tag sequence.
    pub fn viterbi(&self, features: &[&[u32]]) -> Vec<usize> {
        self.viterbi_with(features, |_, _| 0.0)
    }

    /// Each token's emission scores without the B bias: what decoding
    /// the same tokens again with another bias or temperature reuses.
    pub fn scores(&self, features: &[&[u32]]) -> Vec<[f32; TAGS]> {
        features
            .iter()
            .map(|f| {
                let mut e = self.emission(f);
                e[B] -= self.b_bias;
                e
            })
            .collect()
    }

    /// [`Self::viterbi`] over emission scores from [`Self::scores`].
    pub fn viterbi_scored(&self, scores: &[[f32; TAGS]]) -> Vec<usize> {
        self.best_path(scores.len(), |i| {
            let mut e = scores[i];
            e[B] += self.b_bias;
            e
        })
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
        let mut score = vec![[f32::NEG_INFINITY; TAGS]; n];
        let mut back = vec![[0usize; TAGS]; n];
        let e0 = emit(0);
        for t in 0..TAGS {
            if allowed(START, t) {
                score[0][t] = self.trans[START][t] + e0[t];
            }
        }
        for i in 1..n {
            let e = emit(i);
            for t in 0..TAGS {
                let mut best = (f32::NEG_INFINITY, 0);
                for p in 0..TAGS {
                    if !allowed(p, t) {
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
        for c in 1..TAGS {
            if score[n - 1][c] > score[n - 1][t] {
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
        let t = self.temperature.max(1e-3);
        // Without the B bias: it trades precision for recall when
        // decoding, but a span is only as sure as the weights make it.
        let emit: Vec<[f32; TAGS]> = scores.iter().map(|e| e.map(|x| x / t)).collect();
        let trans = self.trans.map(|row| row.map(|x| x / t));
        let lse = |v: &[f32]| -> f32 {
            let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            if m == f32::NEG_INFINITY {
                return m;
            }
            m + v.iter().map(|x| (x - m).exp()).sum::<f32>().ln()
        };
        let mut alpha = vec![[f32::NEG_INFINITY; TAGS]; n];
        for t in 0..TAGS {
            if allowed(START, t) {
                alpha[0][t] = trans[START][t] + emit[0][t];
            }
        }
        for i in 1..n {
            for t in 0..TAGS {
                let terms: Vec<f32> = (0..TAGS)
                    .filter(|p| allowed(*p, t))
                    .map(|p| alpha[i - 1][p] + trans[p][t])
                    .collect();
                alpha[i][t] = lse(&terms) + emit[i][t];
            }
        }
        let mut beta = vec![[0.0f32; TAGS]; n];
        for i in (0..n - 1).rev() {
            for p in 0..TAGS {
                let terms: Vec<f32> = (0..TAGS)
                    .filter(|t| allowed(p, *t))
                    .map(|t| trans[p][t] + emit[i + 1][t] + beta[i + 1][t])
                    .collect();
                beta[i][p] = lse(&terms);
            }
        }
        let z = lse(&alpha[n - 1]);
        (0..n)
            .map(|i| {
                let mut m = [0.0; TAGS];
                for t in 0..TAGS {
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
pub fn train(sequences: &[Sequence], features: usize, epochs: usize, seed: u64) -> Model {
    let mut w = Model {
        emit: vec![[0.0; TAGS]; features],
        trans: [[0.0; TAGS]; 4],
        b_bias: 0.0,
        temperature: 1.0,
    };
    // Lazy averaging: totals and the step each weight last changed.
    let mut total = vec![[0.0f32; TAGS]; features];
    let mut stamp = vec![[0u32; TAGS]; features];
    let mut trans_total = [[0.0f32; TAGS]; 4];
    let mut trans_stamp = [[0u32; TAGS]; 4];
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
    for a in 0..4 {
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
    ids: HashMap<u64, u32>,
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
        let m = train(&[seq], 2, 1, 7);
        assert_eq!(m.emit[1][B], 0.5);
        assert_eq!(m.emit[1][O], -0.5);
        assert_eq!(m.emit[0], [0.5, -0.5, 0.0]); // O, B, I
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
        let m = train(&[seq], 5, 10, 1);
        let refs: Vec<&[u32]> = feats.iter().map(|f| &f[..]).collect();
        assert_eq!(m.viterbi(&refs), tags);
        let only_i: Vec<&[u32]> = vec![&[1], &[1]];
        let out = m.viterbi(&only_i);
        assert_ne!(out[0], I, "I cannot open a sequence");
    }
}
