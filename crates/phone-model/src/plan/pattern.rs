//! Reading token programs (`layout.rs`'s `token`, written by `cargo xtask metadata`) into one
//! nondeterministic automaton by Thompson's construction: each digit, class and group becomes a
//! few nodes, a counted repeat as many copies as it counts. Several patterns go into one
//! automaton, each accepting with its own bit, so that one walk answers all of them.
//!
//! A program that does not read (the data is ours and tested, so it never happens) leaves its
//! pattern matching nothing, rather than a panic.

use alloc::{vec, vec::Vec};

use super::layout::token::{
    ANY, CLASS, CLASS_END, CLOSE, COUNT_ZERO, MOST_COUNT, OPEN, OPTIONAL, OR, RANGE, REPEAT,
    UNBOUNDED,
};

/// No node: an unused edge.
pub(super) const NONE: u32 = u32::MAX;
/// Digits `0`–`9` as the bits 0–9 of a mask.
const ALL_DIGITS: u16 = 0x3ff;
/// More nodes than any pattern of the metadata needs by far: a bound on what corrupt data can
/// make the builder allocate.
const MOST_NODES: usize = 1 << 16;

/// One node: at most one edge over digits and two empty ones, so that every node is the same
/// few bytes; more empty edges chain through extra nodes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Node {
    /// The digits of its digit edge (0: none).
    pub(super) digits: u16,
    pub(super) to: u32,
    pub(super) empty: [u32; 2],
    /// The bits of the patterns that accept here.
    pub(super) accepts: u32,
}

const BLANK: Node = Node { digits: 0, to: NONE, empty: [NONE; 2], accepts: 0 };

/// How a pattern must meet the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    /// The whole number matches (`matchesEntirely`).
    Whole,
    /// Some start of the number matches (`lookingAt`): once matched, it stays matched.
    Prefix,
}

/// An automaton being built; node 0 is where every pattern starts.
#[derive(Debug)]
pub(super) struct Nfa {
    pub(super) nodes: Vec<Node>,
}

impl Nfa {
    pub(super) fn new() -> Self {
        Self { nodes: vec![BLANK] }
    }

    /// Adds the pattern `program`, accepting with `bit`; one that does not read is left out.
    pub(super) fn add(&mut self, program: &[u8], anchor: Anchor, bit: u32) {
        let kept = self.nodes.len();
        let start = self.node();
        let Some(end) = self.alternatives(program, start) else {
            self.nodes.truncate(kept);
            return;
        };
        self.empty(0, start);
        let accepting = match anchor {
            Anchor::Whole => end,
            Anchor::Prefix => {
                // Any digits after the match: the node loops on itself.
                let rest = self.node();
                self.empty(end, rest);
                self.set(rest, |node| (node.digits, node.to) = (ALL_DIGITS, rest as u32));
                rest
            }
        };
        self.set(accepting, |node| node.accepts |= 1_u32.checked_shl(bit).unwrap_or(0));
    }

    fn node(&mut self) -> usize {
        self.nodes.push(BLANK);
        self.nodes.len() - 1
    }

    fn set(&mut self, node: usize, change: impl FnOnce(&mut Node)) {
        if let Some(node) = self.nodes.get_mut(node) {
            change(node);
        }
    }

    /// An empty edge from `from` to `to`: in a free slot, or through a new node taking the
    /// second slot's edge and this one.
    fn empty(&mut self, from: usize, to: usize) {
        let Some(node) = self.nodes.get(from) else { return };
        let to = to as u32;
        match node.empty {
            [NONE, _] => self.set(from, |node| node.empty[0] = to),
            [_, NONE] => self.set(from, |node| node.empty[1] = to),
            [_, second] => {
                let split = self.node();
                self.set(split, |node| node.empty = [second, to]);
                self.set(from, |node| node.empty[1] = split as u32);
            }
        }
    }

    /// A digit edge from `from` (or, when it has one, from a new node after it) to a new node.
    fn digit(&mut self, from: usize, digits: u16) -> usize {
        let from = if self.nodes.get(from).is_some_and(|node| node.digits != 0) {
            let fresh = self.node();
            self.empty(from, fresh);
            fresh
        } else {
            from
        };
        let to = self.node();
        self.set(from, |node| (node.digits, node.to) = (digits, to as u32));
        to
    }

    /// `tokens`' alternatives from `from`; the node where they meet.
    fn alternatives(&mut self, tokens: &[u8], from: usize) -> Option<usize> {
        let mut depth = 0_u32;
        let bars = tokens.iter().enumerate().filter(|&(_, &token)| {
            match token {
                OPEN => depth += 1,
                CLOSE => depth = depth.saturating_sub(1),
                _ => {}
            }
            token == OR && depth == 0
        });
        let bars: Vec<usize> = bars.map(|(at, _)| at).collect();
        if bars.is_empty() {
            return self.sequence(tokens, from);
        }
        let end = self.node();
        let mut start = 0;
        for bar in bars.into_iter().chain([tokens.len()]) {
            let first = self.node();
            self.empty(from, first);
            let last = self.sequence(tokens.get(start..bar)?, first)?;
            self.empty(last, end);
            start = bar + 1;
        }
        Some(end)
    }

    fn sequence(&mut self, tokens: &[u8], mut from: usize) -> Option<usize> {
        let mut at = 0;
        while at < tokens.len() {
            let end = atom_end(tokens, at)?;
            let atom = tokens.get(at..end)?;
            let (fewest, most, next) = match tokens.get(end) {
                Some(&OPTIONAL) => (0, Some(1), end + 1),
                Some(&REPEAT) => {
                    let fewest = count(*tokens.get(end + 1)?)?;
                    let most = match *tokens.get(end + 2)? {
                        UNBOUNDED => None,
                        most => Some(count(most)?),
                    };
                    (fewest, most, end + 3)
                }
                _ => (1, Some(1), end),
            };
            from = self.repeat(atom, fewest, most, from)?;
            at = next;
        }
        Some(from)
    }

    /// `atom` `fewest` times, then up to `most` (no limit: `None`).
    fn repeat(
        &mut self,
        atom: &[u8],
        fewest: u8,
        most: Option<u8>,
        mut from: usize,
    ) -> Option<usize> {
        for _ in 0..fewest {
            from = self.atom(atom, from)?;
        }
        if most == Some(fewest) {
            return Some(from);
        }
        let end = self.node();
        match most {
            None => {
                let again = self.node();
                self.empty(from, again);
                let last = self.atom(atom, again)?;
                self.empty(last, again);
                self.empty(again, end);
            }
            Some(most) => {
                for _ in fewest..most {
                    self.empty(from, end);
                    from = self.atom(atom, from)?;
                }
                self.empty(from, end);
            }
        }
        Some(end)
    }

    fn atom(&mut self, atom: &[u8], from: usize) -> Option<usize> {
        if self.nodes.len() > MOST_NODES {
            return None;
        }
        match *atom.first()? {
            OPEN => self.alternatives(atom.get(1..atom.len() - 1)?, from),
            ANY => Some(self.digit(from, ALL_DIGITS)),
            CLASS => Some(self.digit(from, class(atom.get(1..atom.len() - 1)?)?)),
            digit @ b'0'..=b'9' => Some(self.digit(from, 1 << (digit - b'0'))),
            _ => None,
        }
    }
}

/// A repeat's count, from its character.
fn count(byte: u8) -> Option<u8> {
    byte.checked_sub(COUNT_ZERO).filter(|&count| count <= MOST_COUNT)
}

/// Where the atom starting at `at` ends: after its closing token for a group or a class.
fn atom_end(tokens: &[u8], at: usize) -> Option<usize> {
    match *tokens.get(at)? {
        OPEN => {
            let mut depth = 0_u32;
            for (i, &token) in tokens.iter().enumerate().skip(at) {
                match token {
                    OPEN => depth += 1,
                    CLOSE if depth == 1 => return Some(i + 1),
                    CLOSE => depth -= 1,
                    _ => {}
                }
            }
            None
        }
        CLASS => Some(at + tokens.get(at..)?.iter().position(|&t| t == CLASS_END)? + 1),
        _ => Some(at + 1),
    }
}

/// The digits of a class's inside (`2-79`).
fn class(inside: &[u8]) -> Option<u16> {
    let mut mask = 0;
    let mut at = 0;
    while let Some(&first) = inside.get(at) {
        let range = inside.get(at + 1) == Some(&RANGE);
        let last = if range { *inside.get(at + 2)? } else { first };
        for digit in first..=last {
            mask |= 1 << digit.checked_sub(b'0').filter(|&d| d < 10)?;
        }
        at += if range { 3 } else { 1 };
    }
    Some(mask)
}
