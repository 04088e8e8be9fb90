//! Sorted runs: an ordered table of a few hundred items per run, used for
//! the project's spans by id and each document's spans by position.
//!
//! A B-tree map costs a tenth more per item, and building one from a
//! book's 500k loaded spans needs them twice in memory at once (the map
//! collects its input into a vector first). A run table takes a sorted
//! vector over run by run from its end, giving the vector's memory back as
//! it goes, so loading never holds the items twice. New spans take the
//! next id, so they land at the end; any insert or removal moves at most
//! one run (≤ 2 × `RUN` items, about 150 KB of spans).

use super::document::Span;
use super::ids::SpanId;

/// Items per run when a table is built; a run splits at twice this.
const RUN: usize = 512;

/// An item that carries its own ordering key.
pub trait Keyed {
    /// The key type: unique within a table.
    type Key: Ord + Copy;
    /// The item's key.
    fn key(&self) -> Self::Key;
    /// How many keys lie from `from` to `to` if keys are dense (integers),
    /// for a first guess at a key's place; None when unknown.
    fn distance(_from: &Self::Key, _to: &Self::Key) -> Option<usize> {
        None
    }
}

impl Keyed for Span {
    type Key = SpanId;
    fn key(&self) -> SpanId {
        self.id
    }
    fn distance(from: &SpanId, to: &SpanId) -> Option<usize> {
        usize::try_from(to.0.checked_sub(from.0)?).ok()
    }
}

/// The project's spans by id.
pub type SpanTable = RunTable<Span>;

/// Items in key order. Every run is non-empty and sorted, and each run's
/// keys are below the next run's.
#[derive(Debug, Clone)]
pub struct RunTable<T: Keyed> {
    runs: Vec<Vec<T>>,
    /// Each run's last key, side by side: finding a run reads one small
    /// array instead of touching a run per step.
    lasts: Vec<T::Key>,
    len: usize,
}

impl<T: Keyed> Default for RunTable<T> {
    fn default() -> Self {
        RunTable {
            runs: Vec::new(),
            lasts: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Keyed> RunTable<T> {
    /// A table of `items`, which must be sorted by key without repeats.
    /// The vector's memory is given back as its runs are taken.
    pub fn from_sorted(mut items: Vec<T>) -> Self {
        debug_assert!(items.windows(2).all(|w| w[0].key() < w[1].key()));
        let len = items.len();
        let mut runs = Vec::with_capacity(len.div_ceil(RUN));
        // Shrinking every 16 runs frees the tail in place.
        let mut since_shrink = 0;
        while !items.is_empty() {
            let at = items.len().saturating_sub(RUN);
            runs.push(items.split_off(at));
            since_shrink += 1;
            if since_shrink == 16 {
                items.shrink_to_fit();
                since_shrink = 0;
            }
        }
        runs.reverse();
        let lasts = runs
            .iter()
            .filter_map(|r| r.last().map(Keyed::key))
            .collect();
        RunTable { runs, lasts, len }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first run whose last key is not below `key` (`runs.len()` when
    /// every key is below it).
    fn first_run_not_below(&self, key: &T::Key) -> usize {
        self.lasts.partition_point(|last| last < key)
    }

    /// The run that holds `key`, or would (the last run for a key above
    /// all).
    fn run_of(&self, key: &T::Key) -> usize {
        self.first_run_not_below(key)
            .min(self.runs.len().saturating_sub(1))
    }

    fn position(&self, key: &T::Key) -> Option<(usize, usize)> {
        let r = self.run_of(key);
        let run = self.runs.get(r)?;
        // Span ids are mostly dense: where the key would sit if they were
        // is usually right, and one look instead of nine cache misses.
        let guess = run
            .first()
            .and_then(|first| T::distance(&first.key(), key))
            .filter(|&i| run.get(i).is_some_and(|x| x.key() == *key));
        let i = match guess {
            Some(i) => i,
            None => run.binary_search_by_key(key, Keyed::key).ok()?,
        };
        Some((r, i))
    }

    /// Keeps `lasts[r]` in step after run `r` changed.
    fn note_last(&mut self, r: usize) {
        if let Some(last) = self.runs[r].last() {
            self.lasts[r] = last.key();
        }
    }

    /// The item with this key.
    pub fn get(&self, key: &T::Key) -> Option<&T> {
        self.position(key).map(|(r, i)| &self.runs[r][i])
    }

    /// The item with this key, to change in place (not its key).
    pub fn get_mut(&mut self, key: &T::Key) -> Option<&mut T> {
        self.position(key).map(|(r, i)| &mut self.runs[r][i])
    }

    /// Whether an item has this key.
    pub fn contains_key(&self, key: &T::Key) -> bool {
        self.position(key).is_some()
    }

    /// Puts an item in by its key, returning the one it replaces.
    pub fn insert(&mut self, item: T) -> Option<T> {
        if self.runs.is_empty() {
            self.runs.push(Vec::with_capacity(RUN));
            self.lasts.push(item.key());
        }
        let r = self.run_of(&item.key());
        let run = &mut self.runs[r];
        match run.binary_search_by_key(&item.key(), Keyed::key) {
            Ok(i) => Some(std::mem::replace(&mut run[i], item)),
            Err(i) => {
                run.insert(i, item);
                if run.len() > 2 * RUN {
                    let tail = run.split_off(RUN);
                    run.shrink_to_fit();
                    let tail_last = tail.last().map(Keyed::key);
                    self.runs.insert(r + 1, tail);
                    if let Some(k) = tail_last {
                        self.lasts.insert(r + 1, k);
                    }
                }
                self.note_last(r);
                self.len += 1;
                None
            }
        }
    }

    /// Takes the item with this key out.
    pub fn remove(&mut self, key: &T::Key) -> Option<T> {
        let (r, i) = self.position(key)?;
        let item = self.runs[r].remove(i);
        if self.runs[r].is_empty() {
            self.runs.remove(r);
            self.lasts.remove(r);
        } else {
            self.note_last(r);
        }
        self.len -= 1;
        Some(item)
    }

    /// Every item, in key order.
    pub fn values(&self) -> Values<'_, T> {
        Values {
            inner: self.runs.iter().flatten(),
            left: self.len,
        }
    }

    /// The items from the `n`th on (counting from 0), in key order. Finds
    /// the run by walking the run lengths: a book's index has ~1000 runs.
    pub fn starting_at_row(&self, mut n: usize) -> impl Iterator<Item = &T> {
        let mut r = 0;
        while let Some(run) = self.runs.get(r).filter(|run| n >= run.len()) {
            n -= run.len();
            r += 1;
        }
        let first = self.runs.get(r).map_or(&[][..], |run| &run[n..]);
        let rest = self.runs.get(r + 1..).unwrap_or(&[]);
        first.iter().chain(rest.iter().flatten())
    }

    /// How many items have keys below `key`: the row `key` has, or would
    /// have. Walks the run lengths before its run (~1000 for a book).
    pub fn rank(&self, key: &T::Key) -> usize {
        let r = self.first_run_not_below(key);
        let before: usize = self.runs[..r].iter().map(Vec::len).sum();
        before
            + self
                .runs
                .get(r)
                .map_or(0, |run| run.partition_point(|x| x.key() < *key))
    }

    /// The items with keys from `key` on, in key order.
    pub fn starting_at(&self, key: &T::Key) -> impl DoubleEndedIterator<Item = &T> {
        let r = self.first_run_not_below(key);
        let (first, rest) = match self.runs.get(r) {
            Some(run) => (
                &run[run.partition_point(|x| x.key() < *key)..],
                &self.runs[r + 1..],
            ),
            None => (&[][..], &[][..]),
        };
        first.iter().chain(rest.iter().flatten())
    }

    /// The items with keys below `key`, in key order (reverse it for the
    /// nearest first).
    pub fn below_key(&self, key: &T::Key) -> impl DoubleEndedIterator<Item = &T> {
        let r = self.first_run_not_below(key);
        let (before, last) = match self.runs.get(r) {
            Some(run) => (
                &self.runs[..r],
                &run[..run.partition_point(|x| x.key() < *key)],
            ),
            None => (&self.runs[..], &[][..]),
        };
        before.iter().flatten().chain(last.iter())
    }
}

impl<T: Keyed + PartialEq> PartialEq for RunTable<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.values().eq(other.values())
    }
}

/// The items of a [`RunTable`] in key order.
pub struct Values<'a, T> {
    inner: std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>,
    left: usize,
}

impl<'a, T> Iterator for Values<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let x = self.inner.next()?;
        self.left -= 1;
        Some(x)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> DoubleEndedIterator for Values<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let x = self.inner.next_back()?;
        self.left -= 1;
        Some(x)
    }
}

impl<T> ExactSizeIterator for Values<'_, T> {}

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
            for n in [0usize, 1, 511, 512, 513, 1500, 5000] {
                prop_assert!(table.starting_at_row(n).eq(map.values().skip(n)));
            }
            for k in [0u64, 1, 17, 600, 1023, 1024, 2500, 3999, 4000, 9000] {
                let k = SpanId(k);
                prop_assert!(table.starting_at(&k).eq(map.range(k..).map(|x| x.1)));
                prop_assert!(table.below_key(&k).rev().eq(map.range(..k).rev().map(|x| x.1)));
                prop_assert_eq!(table.rank(&k), map.range(..k).count());
            }
            prop_assert!(table.values().rev().eq(map.values().rev()));
            prop_assert_eq!(table.values().len(), map.len());
            for id in 0..4001u64 {
                prop_assert_eq!(table.get(&SpanId(id)), map.get(&SpanId(id)));
            }
            prop_assert!(table.runs.iter().all(|r| !r.is_empty() && r.len() <= 2 * RUN));
            let lasts: Vec<SpanId> = table.runs.iter().filter_map(|r| r.last().map(|s| s.id)).collect();
            prop_assert_eq!(&table.lasts, &lasts);
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
            t.values().next_back().map(|s| s.id),
            Some(SpanId(20_000 + 3 * RUN as u64 - 1))
        );
        assert!(t.values().zip(t.values().skip(1)).all(|(a, b)| a.id < b.id));
    }
}
