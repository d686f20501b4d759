//! The byte layout of a compiled automaton, which `phone-model` walks (`plan/automaton.rs`).
//!
//! Most of a numbering plan's automaton is tails: states after which the digits no longer
//! matter, only how many are left (`\d{6,7}`). Tails are laid out apart as a chain table; the
//! rest, the branching part, is laid out in depth-first order from the start, so the state a
//! digit most often leads to is the one right after. Counts and lengths are LEB128 varints
//! (seven bits a byte, low first); other numbers are little-endian.
//!
//! - the length of everything below;
//! - the number of labels `L`, then `L` labels as bit sets (label index 0, "nothing accepts
//!   here", is not stored);
//! - the number of tails `T`; then each tail as its label index (`u8`) and the id of the
//!   tail after one more digit (0 the dead state). Ids count from 1 and take one byte, or two
//!   when `T` is 255 or more;
//! - the states, from the start. Each is a header byte (bit 7: a label index byte follows; bits
//!   0–3: the number of runs), then its runs (consecutive digits with one target): a byte whose
//!   high nibble is the run's last digit and low nibble its target — 0 the dead state, 1 the
//!   next state, 2 the state at the `u16` offset that follows (from the first state), 3 the tail
//!   whose id follows.

use std::collections::HashMap;

use super::automaton::Dfa;
use super::layout::{
    HAS_LABEL,
    target::{DEAD as TO_DEAD, NEXT as TO_NEXT, OFFSET as TO_OFFSET, TAIL as TO_TAIL},
};
use crate::Result;

/// Lays `dfa` out as above.
///
/// # Errors
/// When the automaton is too big for `u16` offsets, or has more than 255 labels or tails.
pub(crate) fn encode(dfa: &Dfa) -> Result<Vec<u8>> {
    let mut labels = Labels::default();
    let tail = tails(dfa);
    // Tails in order of their distance from the end, so a tail's successor comes first.
    let mut tail_states: Vec<usize> = (0..dfa.states.len()).filter(|&s| tail[s]).collect();
    tail_states.sort_by_key(|&s| tail_labels(dfa, s).0.len());
    let tail_index: HashMap<u32, u16> = tail_states
        .iter()
        .enumerate()
        .map(|(i, &s)| (u32::try_from(s).expect("small"), u16::try_from(i + 1).expect("small")))
        .collect();
    let wide = tail_index.len() >= 255;
    let id = |index: u16| {
        if wide { index.to_le_bytes().to_vec() } else { vec![u8::try_from(index).expect("narrow")] }
    };
    let mut tail_bytes = Vec::new();
    for &state in &tail_states {
        let s = &dfa.states[state];
        tail_bytes.push(labels.index(s.label)?);
        let next = s.next[0];
        let successor = if next == 0 { 0 } else { tail_index[&next] };
        tail_bytes.extend(id(successor));
    }
    let order = depth_first(dfa, &tail);
    let position: HashMap<u32, usize> = order.iter().enumerate().map(|(i, &s)| (s, i)).collect();
    // Two passes: the first learns each state's offset, the second writes the offsets.
    let mut offsets = vec![0_usize; order.len()];
    let mut bytes = Vec::new();
    for pass in 0..2 {
        bytes.clear();
        for (i, &state) in order.iter().enumerate() {
            offsets[i] = bytes.len();
            let s = &dfa.states[state as usize];
            let runs = runs(&s.next);
            let label = labels.index(s.label)?;
            bytes.push(if label == 0 { 0 } else { HAS_LABEL } | u8::try_from(runs.len())?);
            if label != 0 {
                bytes.push(label);
            }
            for (last, target) in runs {
                if target == 0 {
                    bytes.push(last << 4 | TO_DEAD);
                } else if let Some(&index) = tail_index.get(&target) {
                    bytes.push(last << 4 | TO_TAIL);
                    bytes.extend(id(index));
                } else if order.get(i + 1) == Some(&target) {
                    bytes.push(last << 4 | TO_NEXT);
                } else {
                    bytes.push(last << 4 | TO_OFFSET);
                    let offset = if pass == 0 { 0 } else { offsets[position[&target]] };
                    let offset = u16::try_from(offset).map_err(|_| "an automaton over 64 KB")?;
                    bytes.extend(offset.to_le_bytes());
                }
            }
        }
    }
    // The layout, with the lengths the walker needs to find each part.
    let mut all = Vec::new();
    varint(&mut all, labels.table.len() - 1);
    for &label in &labels.table[1..] {
        varint(&mut all, usize::try_from(label)?);
    }
    varint(&mut all, tail_states.len());
    all.extend(tail_bytes);
    all.extend(bytes);
    let mut framed = Vec::new();
    varint(&mut framed, all.len());
    framed.extend(all);
    Ok(framed)
}

/// LEB128: seven bits a byte, low first, bit 7 set on every byte but the last.
pub(crate) fn varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push(u8::try_from(value & 0x7f).expect("seven bits") | 0x80);
        value >>= 7;
    }
    out.push(u8::try_from(value).expect("seven bits"));
}

/// The table of labels, index 0 being "no label".
struct Labels {
    table: Vec<u64>,
    index: HashMap<u64, u8>,
}

impl Default for Labels {
    fn default() -> Self {
        Self { table: vec![0], index: HashMap::from([(0, 0)]) }
    }
}

impl Labels {
    fn index(&mut self, label: u64) -> Result<u8> {
        if let Some(&i) = self.index.get(&label) {
            return Ok(i);
        }
        let i = u8::try_from(self.table.len()).map_err(|_| "more than 256 labels")?;
        self.table.push(label);
        self.index.insert(label, i);
        Ok(i)
    }
}

/// Which states are tails: every digit leads to one state, which is dead, itself, or a tail.
/// The start is never a tail, so that every automaton has a first state.
fn tails(dfa: &Dfa) -> Vec<bool> {
    let mut tail = vec![false; dfa.states.len()];
    loop {
        let mut changed = false;
        for s in 2..dfa.states.len() {
            let next = dfa.states[s].next[0] as usize;
            let is_tail = dfa.states[s].next.iter().all(|&n| n as usize == next)
                && (next == 0 || next == s || tail[next]);
            if is_tail && !tail[s] {
                tail[s] = true;
                changed = true;
            }
        }
        if !changed {
            return tail;
        }
    }
}

/// The labels along a tail until the dead state, and whether it ends in a loop.
fn tail_labels(dfa: &Dfa, mut state: usize) -> (Vec<u64>, bool) {
    let mut labels = Vec::new();
    loop {
        labels.push(dfa.states[state].label);
        let next = dfa.states[state].next[0] as usize;
        if next == 0 {
            return (labels, false);
        }
        if next == state {
            return (labels, true);
        }
        state = next;
    }
}

/// The states that are neither dead nor tails, depth-first from the start, digits in order.
fn depth_first(dfa: &Dfa, tail: &[bool]) -> Vec<u32> {
    let mut seen = tail.to_vec();
    seen[0] = true;
    let mut order = Vec::new();
    let mut stack = vec![1_u32];
    while let Some(state) = stack.pop() {
        if std::mem::replace(&mut seen[state as usize], true) {
            continue;
        }
        order.push(state);
        for &next in dfa.states[state as usize].next.iter().rev() {
            if !seen[next as usize] {
                stack.push(next);
            }
        }
    }
    order
}

/// `(last digit, target)` for each run of digits that share a target.
fn runs(next: &[u32; 10]) -> Vec<(u8, u32)> {
    let mut out: Vec<(u8, u32)> = Vec::new();
    for (digit, &target) in (0_u8..).zip(next) {
        match out.last_mut() {
            Some(run) if run.1 == target => run.0 = digit,
            _ => out.push((digit, target)),
        }
    }
    out
}
