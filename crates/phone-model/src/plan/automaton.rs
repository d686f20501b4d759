//! Deterministic automata over the digits, built from a pattern automaton (`pattern.rs`) by the
//! subset construction, with each set of nodes a bitset, and walked a digit at a time: a table
//! lookup per digit. They are built the first time a number needs them and kept (`mod.rs`), so
//! the data carries what the patterns say and only the calling codes a page meets cost the time
//! and memory of their automata.
//!
//! Nothing here panics, even on corrupt data: a read out of range is a dead state.

use alloc::{vec, vec::Vec};

use super::pattern::{NONE, Nfa};

/// A deterministic automaton: state 0 is dead, state 1 the start.
#[derive(Debug)]
pub(crate) struct Automaton {
    /// The state after each digit.
    next: Vec<[u16; 10]>,
    /// The bits of the patterns that accept in each state.
    labels: Vec<u32>,
}

/// States are numbered in a `u16`; the metadata's largest automaton has a few thousand.
const MOST_STATES: usize = u16::MAX as usize;

impl Automaton {
    /// The deterministic automaton of `nfa`. Only the nodes with a digit edge or a label tell
    /// states apart: the rest only lead to them, so sets are kept without them.
    pub(super) fn build(nfa: &Nfa) -> Self {
        let words = nfa.nodes.len().div_ceil(64);
        let mut kept = vec![0_u64; words];
        for (i, node) in nfa.nodes.iter().enumerate() {
            if node.digits != 0 || node.accepts != 0 {
                insert(&mut kept, i);
            }
        }
        let mut sets = Sets::new(words);
        let mut scratch = Vec::new();
        // The dead state is the empty set; the start, node 0 and what it leads to.
        sets.find_or_insert(&vec![0; words]);
        let mut start = vec![0_u64; words];
        insert(&mut start, 0);
        close(nfa, &mut start, &kept, &mut scratch);
        if !sets.find_or_insert(&start).1 {
            // Nothing leads anywhere: no pattern of it could be read.
            return Self::nothing();
        }
        let mut next = vec![[0_u16; 10]; 2];
        let mut labels = vec![0, label(nfa, &start)];
        let mut current = Vec::with_capacity(words);
        let mut targets = vec![0_u64; 10 * words];
        let mut state = 1;
        while state < next.len() {
            current.clear();
            current.extend_from_slice(sets.get(state));
            targets.fill(0);
            for node in members(&current) {
                let Some(node) = nfa.nodes.get(node) else { continue };
                for (digit, target) in targets.chunks_exact_mut(words).enumerate() {
                    if node.digits & 1 << digit != 0 && node.to != NONE {
                        insert(target, node.to as usize);
                    }
                }
            }
            for (digit, target) in targets.chunks_exact_mut(words).enumerate() {
                close(nfa, target, &kept, &mut scratch);
                let (id, new) = sets.find_or_insert(target);
                if new {
                    if id > MOST_STATES {
                        return Self::nothing();
                    }
                    next.push([0; 10]);
                    labels.push(label(nfa, target));
                }
                if let Some(to) = next.get_mut(state).and_then(|row| row.get_mut(digit)) {
                    *to = id as u16;
                }
            }
            state += 1;
        }
        Self { next, labels }
    }

    /// An automaton that accepts nothing, for a pattern past every bound.
    fn nothing() -> Self {
        Self { next: vec![[0; 10]; 2], labels: vec![0; 2] }
    }

    /// The bits of the patterns that accept `digits` (ASCII), `Some(0)` when none does yet but
    /// more digits could still be accepted, `None` when no more digits can help.
    pub(crate) fn walk(&self, digits: &[u8]) -> Option<u32> {
        let mut state = 1;
        for &byte in digits {
            let row = self.next.get(state)?;
            state = usize::from(*row.get(usize::from(byte.wrapping_sub(b'0')))?);
            if state == 0 {
                return None;
            }
        }
        self.labels.get(state).copied()
    }

    /// Whether some pattern accepts `digits`.
    pub(crate) fn accepts(&self, digits: &[u8]) -> bool {
        self.walk(digits).is_some_and(|label| label != 0)
    }

    /// How many states it has, the dead one included.
    #[cfg(test)]
    pub(crate) fn states(&self) -> usize {
        self.next.len()
    }
}

/// Adds what the nodes of `set` lead to without a digit, then keeps only the nodes in `kept`.
fn close(nfa: &Nfa, set: &mut [u64], kept: &[u64], stack: &mut Vec<usize>) {
    stack.clear();
    stack.extend(members(set));
    while let Some(node) = stack.pop() {
        let Some(node) = nfa.nodes.get(node) else { continue };
        for &to in &node.empty {
            if to != NONE && insert(set, to as usize) {
                stack.push(to as usize);
            }
        }
    }
    for (word, kept) in set.iter_mut().zip(kept) {
        *word &= kept;
    }
}

/// The bits of the patterns accepting at some node of `set`.
fn label(nfa: &Nfa, set: &[u64]) -> u32 {
    members(set).filter_map(|node| nfa.nodes.get(node)).fold(0, |bits, node| bits | node.accepts)
}

/// Adds `node` to `set`; whether it was not there yet.
fn insert(set: &mut [u64], node: usize) -> bool {
    let Some(word) = set.get_mut(node / 64) else { return false };
    let bit = 1 << (node % 64);
    let new = *word & bit == 0;
    *word |= bit;
    new
}

/// The nodes of `set`, in order.
fn members(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(word, &bits)| {
        let mut bits = bits;
        core::iter::from_fn(move || {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits.checked_sub(1)?;
            Some(word * 64 + bit)
        })
    })
}

/// The sets met so far, numbered in order, with an open-addressing table to find one.
struct Sets {
    words: usize,
    flat: Vec<u64>,
    /// 1 + a set's number, or 0 for a free slot; never more than half full.
    slots: Vec<u32>,
}

impl Sets {
    fn new(words: usize) -> Self {
        Self { words, flat: Vec::new(), slots: vec![0; 64] }
    }

    fn get(&self, id: usize) -> &[u64] {
        self.flat.get(id * self.words..(id + 1) * self.words).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.flat.len() / self.words
    }

    /// The number of `set`, and whether it is new.
    fn find_or_insert(&mut self, set: &[u64]) -> (usize, bool) {
        let mask = self.slots.len() - 1;
        let mut slot = hash(set) & mask;
        loop {
            match self.slots.get(slot).copied() {
                Some(0) | None => break,
                Some(id) if self.get(id as usize - 1) == set => return (id as usize - 1, false),
                Some(_) => slot = (slot + 1) & mask,
            }
        }
        let id = self.len();
        self.flat.extend_from_slice(set);
        if let Some(free) = self.slots.get_mut(slot) {
            *free = id as u32 + 1;
        }
        if 2 * self.len() > self.slots.len() {
            self.grow();
        }
        (id, true)
    }

    fn grow(&mut self) {
        self.slots = vec![0; 2 * self.slots.len()];
        let mask = self.slots.len() - 1;
        for id in 0..self.len() {
            let mut slot = hash(self.get(id)) & mask;
            while self.slots.get(slot).is_some_and(|&taken| taken != 0) {
                slot = (slot + 1) & mask;
            }
            if let Some(free) = self.slots.get_mut(slot) {
                *free = id as u32 + 1;
            }
        }
    }
}

fn hash(set: &[u64]) -> usize {
    let hash = set.iter().fold(0_u64, |hash, &word| {
        (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    });
    (hash ^ hash >> 29) as usize
}

#[cfg(test)]
mod tests {
    use super::super::pattern::Anchor;
    use super::*;

    fn automaton(patterns: &[(&[u8], Anchor)]) -> Automaton {
        let mut nfa = Nfa::new();
        for (bit, &(program, anchor)) in (0..).zip(patterns) {
            nfa.add(program, anchor, bit);
        }
        Automaton::build(&nfa)
    }

    #[test]
    fn whole_patterns_accept_only_whole_numbers() {
        // (?:3[2-79]|[49][2-9])\d{6}
        let automaton = automaton(&[(b"(3[2-79]|[49][2-9])d{\x06\x06", Anchor::Whole)]);
        assert_eq!(automaton.walk(b"32345678"), Some(1));
        assert_eq!(automaton.walk(b"3234567"), Some(0));
        assert_eq!(automaton.walk(b"323456789"), None);
        assert_eq!(automaton.walk(b"38345678"), None);
        assert_eq!(automaton.walk(b"3234a678"), None);
        // Dead, start, "3" and "4 or 9" apart, then one state per digit left (6 to 0).
        assert_eq!(automaton.states(), 11);
    }

    #[test]
    fn prefix_patterns_stay_matched_and_bits_combine() {
        let automaton = automaton(&[(b"2[028]", Anchor::Prefix), (b"2d{\x07\x08", Anchor::Whole)]);
        assert_eq!(automaton.walk(b"20"), Some(1));
        assert_eq!(automaton.walk(b"201234567"), Some(0b11));
        assert_eq!(automaton.walk(b"211234567"), Some(0b10));
        assert_eq!(automaton.walk(b"2"), Some(0));
    }

    #[test]
    fn repeats_optional_and_unbounded_and_alternatives_at_the_top() {
        let automaton = automaton(&[(b"1d{\x01\xff|(64)?5", Anchor::Whole)]);
        assert!(!automaton.accepts(b"1"));
        assert!(automaton.accepts(b"1234567890123"));
        assert!(automaton.accepts(b"5") && automaton.accepts(b"645"));
        assert!(!automaton.accepts(b"65"));
    }

    #[test]
    fn a_program_that_does_not_read_matches_nothing() {
        for program in [&b"(12"[..], b"[1-", b"1{\x02", b"x", b"[a-z]"] {
            let automaton = automaton(&[(program, Anchor::Whole), (b"9", Anchor::Whole)]);
            assert_eq!(automaton.walk(b"12"), None, "{program:?}");
            // The other pattern is still there.
            assert_eq!(automaton.walk(b"9"), Some(0b10), "{program:?}");
        }
        let nothing = automaton(&[(b")", Anchor::Whole)]);
        assert_eq!(nothing.walk(b""), Some(0));
        assert_eq!(nothing.walk(b"1"), None);
    }
}
