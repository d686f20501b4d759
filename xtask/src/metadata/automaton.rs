//! Patterns over the ten digits compiled into minimal deterministic automata: parsed with
//! `regex-syntax`, built into an NFA (Thompson's construction), determinised over the alphabet
//! `0`–`9`, and minimised (Moore's partition refinement). Several patterns go into one
//! automaton, each accepting with its own bit, so one walk over a number answers all of them.

use std::collections::{BTreeSet, HashMap, VecDeque};

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::Result;

/// Digits `0`–`9` as the bits 0–9 of a mask.
type DigitMask = u16;
const ALL_DIGITS: DigitMask = 0x3ff;

/// A nondeterministic automaton being built.
#[derive(Debug, Default)]
pub(crate) struct Nfa {
    nodes: Vec<Node>,
}

#[derive(Debug, Default, Clone)]
struct Node {
    empty: Vec<usize>,
    digits: Vec<(DigitMask, usize)>,
    accepts: u64,
}

/// How a pattern must meet the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The whole number matches (`matchesEntirely`).
    Whole,
    /// Some start of the number matches (`lookingAt`): once matched, it stays matched.
    Prefix,
}

impl Nfa {
    pub(crate) fn new() -> Self {
        Self { nodes: vec![Node::default()] }
    }

    fn node(&mut self) -> usize {
        self.nodes.push(Node::default());
        self.nodes.len() - 1
    }

    /// Adds `pattern`, accepting with `bit`.
    ///
    /// # Errors
    /// When the pattern does not parse or matches something other than digits.
    pub(crate) fn add(&mut self, pattern: &str, anchor: Anchor, bit: u32) -> Result<()> {
        let hir = parse(pattern)?;
        let start = self.node();
        self.nodes[0].empty.push(start);
        let end = self.compile(&hir, start).map_err(|e| format!("{pattern}: {e}"))?;
        if anchor == Anchor::Prefix {
            self.nodes[end].digits.push((ALL_DIGITS, end));
        }
        self.nodes[end].accepts |= 1 << bit;
        Ok(())
    }

    /// Thompson's construction: the fragment for `hir` from node `from`; returns its end.
    fn compile(&mut self, hir: &Hir, mut from: usize) -> std::result::Result<usize, String> {
        Ok(match hir.kind() {
            HirKind::Empty => from,
            HirKind::Literal(literal) => {
                for &byte in literal.0.iter() {
                    let to = self.node();
                    self.nodes[from].digits.push((digit_mask_of_byte(byte)?, to));
                    from = to;
                }
                from
            }
            HirKind::Class(class) => {
                let to = self.node();
                self.nodes[from].digits.push((digit_mask(class), to));
                to
            }
            HirKind::Look(Look::Start) => from,
            HirKind::Look(look) => return Err(format!("an assertion {look:?} in a plain pattern")),
            HirKind::Capture(capture) => self.compile(&capture.sub, from)?,
            HirKind::Concat(parts) => {
                for part in parts {
                    from = self.compile(part, from)?;
                }
                from
            }
            HirKind::Alternation(alternatives) => {
                let end = self.node();
                for alternative in alternatives {
                    let start = self.node();
                    self.nodes[from].empty.push(start);
                    let last = self.compile(alternative, start)?;
                    self.nodes[last].empty.push(end);
                }
                end
            }
            HirKind::Repetition(repetition) => {
                for _ in 0..repetition.min {
                    from = self.compile(&repetition.sub, from)?;
                }
                let end = self.node();
                match repetition.max {
                    Some(max) => {
                        for _ in repetition.min..max {
                            self.nodes[from].empty.push(end);
                            from = self.compile(&repetition.sub, from)?;
                        }
                        self.nodes[from].empty.push(end);
                    }
                    None => {
                        let again = self.node();
                        self.nodes[from].empty.push(again);
                        let last = self.compile(&repetition.sub, again)?;
                        self.nodes[last].empty.push(again);
                        self.nodes[again].empty.push(end);
                    }
                }
                end
            }
        })
    }

    fn closure(&self, set: &mut BTreeSet<usize>) {
        let mut stack: Vec<usize> = set.iter().copied().collect();
        while let Some(node) = stack.pop() {
            for &next in &self.nodes[node].empty {
                if set.insert(next) {
                    stack.push(next);
                }
            }
        }
    }

    /// The minimal deterministic automaton of every pattern added.
    pub(crate) fn determinise(&self) -> Dfa {
        let mut ids: HashMap<BTreeSet<usize>, u32> = HashMap::new();
        let mut states: Vec<State> = Vec::new();
        let mut queue = VecDeque::new();
        let mut intern =
            |set: BTreeSet<usize>, states: &mut Vec<State>, queue: &mut VecDeque<_>| {
                if let Some(&id) = ids.get(&set) {
                    return id;
                }
                let id = u32::try_from(states.len()).expect("fewer than 2^32 states");
                let accepts = set.iter().fold(0, |bits, &n| bits | self.nodes[n].accepts);
                states.push(State { next: [0; 10], label: accepts });
                ids.insert(set.clone(), id);
                queue.push_back((id, set));
                id
            };
        // State 0 is the dead state (no node left), 1 the start.
        intern(BTreeSet::new(), &mut states, &mut queue);
        let mut start = BTreeSet::from([0]);
        self.closure(&mut start);
        intern(start, &mut states, &mut queue);
        while let Some((id, set)) = queue.pop_front() {
            for digit in 0..10 {
                let mut next = BTreeSet::new();
                for &node in &set {
                    for &(mask, to) in &self.nodes[node].digits {
                        if mask & (1 << digit) != 0 {
                            next.insert(to);
                        }
                    }
                }
                self.closure(&mut next);
                let to = intern(next, &mut states, &mut queue);
                states[id as usize].next[digit] = to;
            }
        }
        Dfa { states }.minimised()
    }
}

/// A deterministic automaton over the digits: state 0 is dead, state 1 the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dfa {
    pub(crate) states: Vec<State>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    /// The state after each digit.
    pub(crate) next: [u32; 10],
    /// The bits of the patterns that accept here.
    pub(crate) label: u64,
}

impl Dfa {
    /// Moore's algorithm: split states by label, then by where their digits lead, until
    /// nothing splits; then number the classes dead first, start second, the rest in the order
    /// a breadth-first walk meets them (so most transitions point a little ahead).
    fn minimised(&self) -> Self {
        let mut class: Vec<u32> = relabel(self.states.iter().map(|s| s.label));
        loop {
            let signatures = self.states.iter().enumerate().map(|(i, s)| {
                let mut signature = vec![class[i]];
                signature.extend(s.next.iter().map(|&n| class[n as usize]));
                signature
            });
            let refined = relabel(signatures);
            let done = refined.iter().max() == class.iter().max();
            class = refined;
            if done {
                break;
            }
        }
        // Breadth-first from the dead state and then the start.
        let mut order: HashMap<u32, u32> = HashMap::new();
        let mut representatives = Vec::new();
        let mut queue = VecDeque::from([0_usize, 1]);
        while let Some(state) = queue.pop_front() {
            if order.contains_key(&class[state]) {
                continue;
            }
            order.insert(class[state], u32::try_from(representatives.len()).expect("small"));
            representatives.push(state);
            queue.extend(self.states[state].next.iter().map(|&n| n as usize));
        }
        let mut states: Vec<State> = representatives
            .iter()
            .map(|&r| State {
                next: self.states[r].next.map(|n| order[&class[n as usize]]),
                label: self.states[r].label,
            })
            .collect();
        if states.len() == 1 {
            // Nothing matches: the start is as dead as the dead state, but must exist.
            states.push(State { next: [0; 10], label: 0 });
        }
        Self { states }
    }

    /// The label where `digits` end, or 0 when they leave the automaton.
    #[cfg(test)]
    pub(crate) fn walk(&self, digits: &str) -> u64 {
        let mut state = 1;
        for digit in digits.bytes() {
            state = self.states[state].next[usize::from(digit - b'0')] as usize;
        }
        self.states[state].label
    }
}

/// Numbers distinct values 0, 1, 2 … in order of first appearance.
fn relabel<T: Eq + std::hash::Hash>(values: impl Iterator<Item = T>) -> Vec<u32> {
    let mut seen = HashMap::new();
    values
        .map(|v| {
            let next = u32::try_from(seen.len()).expect("small");
            *seen.entry(v).or_insert(next)
        })
        .collect()
}

/// Parses a libphonenumber pattern: ASCII only, so `\d` is `[0-9]`.
pub(crate) fn parse(pattern: &str) -> Result<Hir> {
    Ok(regex_syntax::ParserBuilder::new().unicode(false).build().parse(pattern)?)
}

/// The digits a class holds (whatever else it holds cannot occur in a number).
pub(crate) fn digit_mask(class: &Class) -> DigitMask {
    let mut mask = 0;
    for digit in b'0'..=b'9' {
        let inside = match class {
            Class::Bytes(bytes) => {
                bytes.ranges().iter().any(|r| (r.start()..=r.end()).contains(&digit))
            }
            Class::Unicode(chars) => {
                chars.ranges().iter().any(|r| (r.start()..=r.end()).contains(&char::from(digit)))
            }
        };
        if inside {
            mask |= 1 << (digit - b'0');
        }
    }
    mask
}

pub(crate) fn digit_mask_of_byte(byte: u8) -> std::result::Result<DigitMask, String> {
    if byte.is_ascii_digit() {
        Ok(1 << (byte - b'0'))
    } else {
        Err(format!("the literal {:?} is not a digit", char::from(byte)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dfa(patterns: &[(&str, Anchor)]) -> Dfa {
        let mut nfa = Nfa::new();
        for (bit, (pattern, anchor)) in patterns.iter().enumerate() {
            nfa.add(pattern, *anchor, bit as u32).unwrap();
        }
        nfa.determinise()
    }

    #[test]
    fn whole_patterns_accept_only_whole_numbers() {
        let dfa = dfa(&[(r"(?:3[2-79]|[49][2-9])\d{6}", Anchor::Whole)]);
        assert_eq!(dfa.walk("32345678"), 1);
        assert_eq!(dfa.walk("3234567"), 0);
        assert_eq!(dfa.walk("323456789"), 0);
        assert_eq!(dfa.walk("38345678"), 0);
        // Dead, start, "3" and "4 or 9" apart, then one state per digit left (6 to 0).
        assert_eq!(dfa.states.len(), 11);
    }

    #[test]
    fn prefix_patterns_stay_matched_and_bits_combine() {
        let dfa = dfa(&[(r"2[028]", Anchor::Prefix), (r"2\d{7,8}", Anchor::Whole)]);
        assert_eq!(dfa.walk("20"), 1);
        assert_eq!(dfa.walk("201234567"), 0b11);
        assert_eq!(dfa.walk("211234567"), 0b10);
        assert_eq!(dfa.walk("2"), 0);
    }

    #[test]
    fn repetitions_without_an_upper_bound_loop() {
        let dfa = dfa(&[(r"1\d+", Anchor::Whole)]);
        assert_eq!(dfa.walk("1"), 0);
        assert_eq!(dfa.walk("1234567890123"), 1);
    }

    #[test]
    fn assertions_other_than_the_start_are_refused() {
        assert!(Nfa::new().add(r"1\d$", Anchor::Whole, 0).is_err());
    }
}
