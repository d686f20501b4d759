//! Deterministic automata over the digits, built from a pattern automaton (`pattern.rs`) by the
//! subset construction, and walked a digit at a time: a table
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
    /// The deterministic automaton of `nfa`: each state a set of the nodes that have a digit
    /// edge or a label (the rest only lead to them), kept sorted, so that equal sets are equal
    /// lists.
    pub(super) fn build(nfa: &Nfa) -> Self {
        let mut closures = Closures::new(nfa);
        let mut sets = Sets::default();
        // The dead state is the empty set; the start, what node 0 leads to.
        sets.find_or_insert(&[]);
        let start = closures.of(0).to_vec();
        if !sets.find_or_insert(&start).1 {
            // Nothing leads anywhere: no pattern of it could be read.
            return Self::nothing();
        }
        let mut next = vec![[0_u16; 10]; 2];
        let mut labels = vec![0, label(nfa, &start)];
        let mut current = Vec::new();
        let mut target = Vec::new();
        // `marks[node] == mark`: the node is in the target being gathered.
        let mut marks = vec![0_u32; nfa.nodes.len()];
        let mut mark = 0;
        let mut state = 1;
        while state < next.len() {
            current.clear();
            current.extend_from_slice(sets.get(state));
            let alike = digits_alike(nfa, &current);
            for digit in 0..10 {
                // A digit that leads nowhere, or where an earlier digit leads, is not worked out.
                let known = alike.and_then(|which| {
                    let this = which.get(digit)?;
                    if *this == 0 {
                        return Some(0);
                    }
                    let earlier = which.get(..digit)?.iter().position(|that| that == this)?;
                    next.get(state)?.get(earlier).copied()
                });
                if let Some(known) = known {
                    if let Some(to) = next.get_mut(state).and_then(|row| row.get_mut(digit)) {
                        *to = known;
                    }
                    continue;
                }
                mark += 1;
                target.clear();
                for node in current.iter().filter_map(|&node| nfa.nodes.get(node as usize)) {
                    if node.digits & 1 << digit == 0 {
                        continue;
                    }
                    for &reached in closures.of(node.to) {
                        if let Some(seen) = marks.get_mut(reached as usize)
                            && *seen != mark
                        {
                            *seen = mark;
                            target.push(reached);
                        }
                    }
                }
                sort(&mut target);
                let (id, new) = sets.find_or_insert(&target);
                if new {
                    if id > MOST_STATES {
                        return Self::nothing();
                    }
                    next.push([0; 10]);
                    labels.push(label(nfa, &target));
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

/// What each node leads to without a digit (itself included), as the sorted nodes that have
/// a digit edge or a label; worked out the first time a node is asked about.
struct Closures<'a> {
    nfa: &'a Nfa,
    /// Each node's closure as a span of `nodes` (`start == NONE`: not worked out yet).
    spans: Vec<(u32, u32)>,
    nodes: Vec<u32>,
    /// `seen[node] == walk`: met in the walk under way.
    seen: Vec<u32>,
    walk: u32,
    stack: Vec<u32>,
}

impl<'a> Closures<'a> {
    fn new(nfa: &'a Nfa) -> Self {
        let count = nfa.nodes.len();
        let spans = vec![(NONE, 0); count];
        Self { nfa, spans, nodes: Vec::new(), seen: vec![0; count], walk: 0, stack: Vec::new() }
    }

    fn of(&mut self, node: u32) -> &[u32] {
        let Some(&(start, end)) = self.spans.get(node as usize) else { return &[] };
        let (start, end) = if start == NONE { self.work_out(node) } else { (start, end) };
        self.nodes.get(start as usize..end as usize).unwrap_or_default()
    }

    fn work_out(&mut self, node: u32) -> (u32, u32) {
        self.walk += 1;
        let start = self.nodes.len();
        self.stack.push(node);
        if let Some(seen) = self.seen.get_mut(node as usize) {
            *seen = self.walk;
        }
        while let Some(at) = self.stack.pop() {
            let Some(at_node) = self.nfa.nodes.get(at as usize) else { continue };
            if at_node.digits != 0 || at_node.accepts != 0 {
                self.nodes.push(at);
            }
            for &to in &at_node.empty {
                if let Some(seen) = self.seen.get_mut(to as usize)
                    && *seen != self.walk
                {
                    *seen = self.walk;
                    self.stack.push(to);
                }
            }
        }
        if let Some(closure) = self.nodes.get_mut(start..) {
            sort(closure);
        }
        let span = (start as u32, self.nodes.len() as u32);
        if let Some(slot) = self.spans.get_mut(node as usize) {
            *slot = span;
        }
        span
    }
}

/// For each digit, which nodes of `set` (up to 64, nearly every set) have an edge over it: the
/// digits alike lead to the same state.
fn digits_alike(nfa: &Nfa, set: &[u32]) -> Option<[u64; 10]> {
    if set.len() > 64 {
        return None;
    }
    let mut which = [0_u64; 10];
    for (i, node) in set.iter().enumerate() {
        let digits = nfa.nodes.get(*node as usize).map_or(0, |node| node.digits);
        for (digit, which) in which.iter_mut().enumerate() {
            if digits & 1 << digit != 0 {
                *which |= 1 << i;
            }
        }
    }
    Some(which)
}

/// Sorts a set of nodes: an insertion sort, as sets are a few nodes (5 on average), and the
/// standard library's sort would add kilobytes of code to the module.
fn sort(set: &mut [u32]) {
    for end in 1..set.len() {
        let mut at = end;
        while at > 0 && set.get(at - 1) > set.get(at) {
            set.swap(at - 1, at);
            at -= 1;
        }
    }
}

/// The bits of the patterns accepting at some node of `set`.
fn label(nfa: &Nfa, set: &[u32]) -> u32 {
    set.iter()
        .filter_map(|&node| nfa.nodes.get(node as usize))
        .fold(0, |bits, node| bits | node.accepts)
}

/// The sets met so far, numbered in order, with an open-addressing table to find one.
struct Sets {
    nodes: Vec<u32>,
    /// Where each set ends in `nodes` (it starts where the one before ends).
    ends: Vec<u32>,
    /// 1 + a set's number, or 0 for a free slot; never more than half full.
    slots: Vec<u32>,
}

impl Default for Sets {
    fn default() -> Self {
        Self { nodes: Vec::new(), ends: Vec::new(), slots: vec![0; 64] }
    }
}

impl Sets {
    fn get(&self, id: usize) -> &[u32] {
        let start =
            id.checked_sub(1).and_then(|before| self.ends.get(before)).copied().unwrap_or(0);
        let end = self.ends.get(id).copied().unwrap_or(0);
        self.nodes.get(start as usize..end as usize).unwrap_or_default()
    }

    /// The number of `set`, and whether it is new.
    fn find_or_insert(&mut self, set: &[u32]) -> (usize, bool) {
        let mask = self.slots.len() - 1;
        let mut slot = hash(set) & mask;
        loop {
            match self.slots.get(slot).copied() {
                Some(0) | None => break,
                Some(id) if self.get(id as usize - 1) == set => return (id as usize - 1, false),
                Some(_) => slot = (slot + 1) & mask,
            }
        }
        let id = self.ends.len();
        self.nodes.extend_from_slice(set);
        self.ends.push(self.nodes.len() as u32);
        if let Some(free) = self.slots.get_mut(slot) {
            *free = id as u32 + 1;
        }
        if 2 * self.ends.len() > self.slots.len() {
            self.grow();
        }
        (id, true)
    }

    fn grow(&mut self) {
        self.slots = vec![0; 2 * self.slots.len()];
        let mask = self.slots.len() - 1;
        for id in 0..self.ends.len() {
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

fn hash(set: &[u32]) -> usize {
    let hash = set.iter().fold(0_u64, |hash, &node| {
        (hash.rotate_left(5) ^ u64::from(node)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    });
    // The multiplication leaves its best-mixed bits at the top.
    (hash >> 32) as usize
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
        let automaton = automaton(&[(b"(3[2-79]|[49][2-9])d{66", Anchor::Whole)]);
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
        let automaton = automaton(&[(b"2[028]", Anchor::Prefix), (b"2d{78", Anchor::Whole)]);
        assert_eq!(automaton.walk(b"20"), Some(1));
        assert_eq!(automaton.walk(b"201234567"), Some(0b11));
        assert_eq!(automaton.walk(b"211234567"), Some(0b10));
        assert_eq!(automaton.walk(b"2"), Some(0));
    }

    #[test]
    fn repeats_optional_and_unbounded_and_alternatives_at_the_top() {
        let automaton = automaton(&[(b"1d{1*|(64)?5", Anchor::Whole)]);
        assert!(!automaton.accepts(b"1"));
        assert!(automaton.accepts(b"1234567890123"));
        assert!(automaton.accepts(b"5") && automaton.accepts(b"645"));
        assert!(!automaton.accepts(b"65"));
    }

    #[test]
    fn a_program_that_does_not_read_matches_nothing() {
        for program in [&b"(12"[..], b"[1-", b"1{2", b"x", b"[a-z]"] {
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
