//! A short log of changes to each document's span order, so that a list
//! of a book's 500k spans follows an edit in a few microseconds instead of
//! being rebuilt from the index.
//!
//! Every change takes a number from one process-wide counter, so a number
//! names one change of one project lineage: a reader that saw number `n`
//! asks for the changes after `n` and gets them, or `None` (rebuild) when
//! `n` is not in this log (another project, a diverged clone, or trimmed).

use super::{DocId, SpanId};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

/// One change to a document's span order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderChange {
    /// The span was at `old_start` in `doc` (None: it was in no list) and
    /// is now wherever [`Project::span`](super::Project::span) puts it, or
    /// gone. Its label may have changed too.
    Span {
        /// The document the span was or is in.
        doc: DocId,
        /// The span.
        id: SpanId,
        /// Its start before the change, if it was indexed.
        old_start: Option<usize>,
    },
    /// Many spans of the document changed at once: rebuild its list.
    Rebuilt(DocId),
}

/// How many changes are kept; a reader further behind rebuilds.
const KEPT: usize = 4096;

static NEXT_NUMBER: AtomicU64 = AtomicU64::new(1);

fn next_number() -> u64 {
    NEXT_NUMBER.fetch_add(1, Ordering::Relaxed)
}

/// The log. Cloning a project clones its log: both lineages share the
/// numbers up to the clone, and differ after it.
#[derive(Debug, Clone)]
pub struct OrderLog {
    /// The number a reader holds when it has seen nothing in `entries`.
    base: u64,
    entries: VecDeque<(u64, OrderChange)>,
}

impl Default for OrderLog {
    fn default() -> Self {
        OrderLog {
            base: next_number(),
            entries: VecDeque::new(),
        }
    }
}

impl OrderLog {
    /// Records a change.
    pub fn push(&mut self, change: OrderChange) {
        if self.entries.len() == KEPT
            && let Some((n, _)) = self.entries.pop_front()
        {
            self.base = n;
        }
        self.entries.push_back((next_number(), change));
    }

    /// The number of the latest change: what a reader that is up to date
    /// holds.
    pub fn latest(&self) -> u64 {
        self.entries.back().map_or(self.base, |e| e.0)
    }

    /// The changes after number `seen`, oldest first; None when `seen` is
    /// not a number of this log (rebuild instead).
    pub fn since(&self, seen: u64) -> Option<impl Iterator<Item = &OrderChange>> {
        let from = if seen == self.base {
            0
        } else {
            let i = self.entries.binary_search_by_key(&seen, |e| e.0).ok()?;
            i + 1
        };
        Some(self.entries.range(from..).map(|e| &e.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(n: u64) -> OrderChange {
        OrderChange::Span {
            doc: DocId(1),
            id: SpanId(n),
            old_start: None,
        }
    }

    #[test]
    fn a_reader_gets_exactly_what_it_missed() {
        let mut log = OrderLog::default();
        let start = log.latest();
        assert_eq!(log.since(start).map(|i| i.count()), Some(0));
        log.push(change(1));
        let after_one = log.latest();
        log.push(change(2));
        log.push(change(3));
        let got: Vec<_> = log.since(after_one).unwrap().copied().collect();
        assert_eq!(got, vec![change(2), change(3)]);
        assert_eq!(log.since(start).unwrap().count(), 3);
        assert_eq!(log.since(log.latest()).unwrap().count(), 0);
    }

    #[test]
    fn foreign_diverged_and_trimmed_numbers_ask_for_a_rebuild() {
        let mut a = OrderLog::default();
        a.push(change(1));
        let shared = a.latest();
        let mut b = a.clone();
        a.push(change(2));
        b.push(change(3));
        // Both lineages know what came after the clone point...
        assert_eq!(b.since(shared).unwrap().count(), 1);
        // ...but not each other's changes.
        assert!(b.since(a.latest()).is_none());
        assert!(a.since(b.latest()).is_none());
        let other = OrderLog::default();
        assert!(a.since(other.latest()).is_none());
        // A reader exactly as far behind as the log keeps is served; one
        // change further, it rebuilds.
        let old = a.latest();
        for n in 0..KEPT as u64 {
            a.push(change(n));
        }
        assert_eq!(a.since(old).unwrap().count(), KEPT);
        a.push(change(0));
        assert!(a.since(old).is_none());
        assert_eq!(a.since(a.latest()).unwrap().count(), 0);
    }
}
