//! The project's spans by id: sorted runs of at most a few hundred spans.
//!
//! A B-tree map costs a tenth more per span, and building one from a
//! book's 500k loaded spans needs them twice in memory at once (the map
//! collects its input into a vector first). This table takes a sorted
//! vector over run by run from its end, giving the vector's memory back as
//! it goes, so loading never holds the spans twice. New spans take the
//! next id, so they land at the end; any insert or removal moves at most
//! one run (≤ 2 × `RUN` spans, about 150 KB).

use super::document::Span;
use super::ids::SpanId;

/// Spans per run when a table is built; a run splits at twice this.
const RUN: usize = 512;

/// Spans in id order. Every run is non-empty and sorted, and each run's
/// ids are below the next run's.
#[derive(Debug, Clone, Default)]
pub struct SpanTable {
    runs: Vec<Vec<Span>>,
    len: usize,
}

impl SpanTable {
    /// A table of `spans`, which must be sorted by id without repeats.
    /// The vector's memory is given back as its runs are taken.
    pub fn from_sorted(mut spans: Vec<Span>) -> Self {
        debug_assert!(spans.windows(2).all(|w| w[0].id < w[1].id));
        let len = spans.len();
        let mut runs = Vec::with_capacity(len.div_ceil(RUN));
        // Shrinking every 8k spans (about 1 MB) frees the tail in place.
        let mut since_shrink = 0;
        while !spans.is_empty() {
            let at = spans.len().saturating_sub(RUN);
            runs.push(spans.split_off(at));
            since_shrink += RUN;
            if since_shrink >= 16 * RUN {
                spans.shrink_to_fit();
                since_shrink = 0;
            }
        }
        runs.reverse();
        SpanTable { runs, len }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The run that holds `id`, or would: the first whose last id is not
    /// below it (the last run for an id above all).
    fn run_of(&self, id: SpanId) -> usize {
        self.runs
            .partition_point(|r| r.last().is_some_and(|s| s.id < id))
            .min(self.runs.len().saturating_sub(1))
    }

    fn position(&self, id: SpanId) -> Option<(usize, usize)> {
        let r = self.run_of(id);
        let i = self.runs.get(r)?.binary_search_by_key(&id, |s| s.id).ok()?;
        Some((r, i))
    }

    /// The span with this id.
    pub fn get(&self, id: &SpanId) -> Option<&Span> {
        self.position(*id).map(|(r, i)| &self.runs[r][i])
    }

    /// The span with this id, to change in place (not its id).
    pub fn get_mut(&mut self, id: &SpanId) -> Option<&mut Span> {
        self.position(*id).map(|(r, i)| &mut self.runs[r][i])
    }

    /// Whether a span has this id.
    pub fn contains_key(&self, id: &SpanId) -> bool {
        self.position(*id).is_some()
    }

    /// Puts a span in by its id, returning the one it replaces.
    pub fn insert(&mut self, span: Span) -> Option<Span> {
        if self.runs.is_empty() {
            self.runs.push(Vec::with_capacity(RUN));
        }
        let r = self.run_of(span.id);
        let run = &mut self.runs[r];
        match run.binary_search_by_key(&span.id, |s| s.id) {
            Ok(i) => Some(std::mem::replace(&mut run[i], span)),
            Err(i) => {
                run.insert(i, span);
                if run.len() > 2 * RUN {
                    let tail = run.split_off(RUN);
                    run.shrink_to_fit();
                    self.runs.insert(r + 1, tail);
                }
                self.len += 1;
                None
            }
        }
    }

    /// Takes the span with this id out.
    pub fn remove(&mut self, id: &SpanId) -> Option<Span> {
        let (r, i) = self.position(*id)?;
        let span = self.runs[r].remove(i);
        if self.runs[r].is_empty() {
            self.runs.remove(r);
        }
        self.len -= 1;
        Some(span)
    }

    /// Every span, in id order.
    pub fn values(&self) -> Values<'_> {
        Values {
            inner: self.runs.iter().flatten(),
            left: self.len,
        }
    }
}

impl PartialEq for SpanTable {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.values().eq(other.values())
    }
}

/// The spans of a [`SpanTable`] in id order.
pub struct Values<'a> {
    inner: std::iter::Flatten<std::slice::Iter<'a, Vec<Span>>>,
    left: usize,
}

impl<'a> Iterator for Values<'a> {
    type Item = &'a Span;

    fn next(&mut self) -> Option<&'a Span> {
        let s = self.inner.next()?;
        self.left -= 1;
        Some(s)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl DoubleEndedIterator for Values<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let s = self.inner.next_back()?;
        self.left -= 1;
        Some(s)
    }
}

impl ExactSizeIterator for Values<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, LabelId};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn span(id: u64) -> Span {
        Span::new(
            SpanId(id),
            DocId(1),
            LabelId("claim".into()),
            id as usize..id as usize + 1,
            None,
            "t",
        )
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u64),
        Remove(u64),
        Touch(u64),
    }

    proptest! {
        /// Any run of inserts, removals and in-place changes leaves the
        /// table equal to a B-tree map given the same operations, and its
        /// runs in order.
        #[test]
        fn behaves_like_a_btree_map(
            start in 0..3000u64,
            ops in prop::collection::vec(prop_oneof![
                (0..4000u64).prop_map(Op::Insert),
                (0..4000u64).prop_map(Op::Remove),
                (0..4000u64).prop_map(Op::Touch),
            ], 0..400),
        ) {
            let initial: Vec<Span> = (0..start).map(|i| span(i * 2)).collect();
            let mut map: BTreeMap<SpanId, Span> = initial.iter().map(|s| (s.id, s.clone())).collect();
            let mut table = SpanTable::from_sorted(initial);
            for op in ops {
                match op {
                    Op::Insert(id) => {
                        let s = span(id);
                        prop_assert_eq!(table.insert(s.clone()), map.insert(s.id, s));
                    }
                    Op::Remove(id) => {
                        prop_assert_eq!(table.remove(&SpanId(id)), map.remove(&SpanId(id)));
                    }
                    Op::Touch(id) => {
                        if let Some(s) = table.get_mut(&SpanId(id)) {
                            s.end += 1;
                        }
                        if let Some(s) = map.get_mut(&SpanId(id)) {
                            s.end += 1;
                        }
                    }
                }
                prop_assert_eq!(table.values().len(), map.len());
            }
            prop_assert!(table.values().eq(map.values()));
            prop_assert!(table.values().rev().eq(map.values().rev()));
            prop_assert_eq!(table.values().len(), map.len());
            for id in 0..4001u64 {
                prop_assert_eq!(table.get(&SpanId(id)), map.get(&SpanId(id)));
            }
            prop_assert!(table.runs.iter().all(|r| !r.is_empty() && r.len() <= 2 * RUN));
        }
    }

    #[test]
    fn building_gives_the_vector_back_and_appends_go_last() {
        let spans: Vec<Span> = (0..10 * RUN as u64 + 7).map(span).collect();
        let mut t = SpanTable::from_sorted(spans);
        assert_eq!(t.runs.len(), 11);
        assert_eq!(t.runs[0].len(), 7);
        let last_runs = t.runs.len();
        for id in 20_000..20_000 + 3 * RUN as u64 {
            assert!(t.insert(span(id)).is_none());
        }
        // New ids extend the last run, which splits in two when full.
        assert!(t.runs.len() > last_runs);
        assert!(t.runs.iter().all(|r| r.len() <= 2 * RUN));
        assert_eq!(
            t.values().last().map(|s| s.id),
            Some(SpanId(20_000 + 3 * RUN as u64 - 1))
        );
        assert!(t.values().zip(t.values().skip(1)).all(|(a, b)| a.id < b.id));
    }
}
