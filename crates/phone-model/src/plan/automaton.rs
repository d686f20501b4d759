//! Walking a compiled automaton over the digits of a number. The layout is written by
//! `cargo xtask metadata` (`xtask/src/metadata/encode.rs` describes it); in short: a table of
//! labels, a table of tails (states after which only the count of digits matters), and the
//! branching states with their runs of digits.
//!
//! Reading never panics: the data is ours and tested, and a byte out of range reads as 0, so
//! even corrupt data gives a wrong answer rather than a crash.

use super::data::Reader;
use super::layout::{
    HAS_LABEL,
    target::{NEXT as TO_NEXT, OFFSET as TO_OFFSET, TAIL as TO_TAIL},
};

/// One compiled automaton, borrowed from the plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Automaton {
    labels: &'static [u8],
    tails: &'static [u8],
    /// Whether tail ids take two bytes.
    wide: bool,
    states: &'static [u8],
}

impl Automaton {
    /// Reads one framed automaton; `None` for an empty frame (no pattern).
    pub(crate) fn read(reader: &mut Reader) -> Option<Self> {
        Self::read_if(reader, true)
    }

    /// Reads one framed automaton when `wanted`, else only steps over it.
    pub(crate) fn read_if(reader: &mut Reader, wanted: bool) -> Option<Self> {
        let length = reader.varint();
        if length == 0 || !wanted {
            reader.take(length);
            return None;
        }
        let mut body = Reader::new(reader.take(length));
        let label_count = body.varint();
        let start = body.position();
        for _ in 0..label_count {
            body.varint();
        }
        let labels = body.slice_from(start);
        let tail_count = body.varint();
        let wide = tail_count >= 255;
        let tails = body.take(tail_count * if wide { 3 } else { 2 });
        let states = body.rest();
        Some(Self { labels, tails, wide, states })
    }

    /// The labels of the patterns that accept `digits` (ASCII), `Some(0)` when none does yet
    /// but more digits could still be accepted, `None` when no more digits can help.
    pub(crate) fn walk(&self, digits: &[u8]) -> Option<u32> {
        let states = Reader::new(self.states);
        let mut at = 0;
        for (i, &digit) in digits.iter().enumerate() {
            let digit = digit.wrapping_sub(b'0');
            let header = states.byte(at);
            let mut cursor = at + 1 + usize::from(header & HAS_LABEL != 0);
            let mut target = None;
            for _ in 0..header & 0x0f {
                let run = states.byte(cursor);
                cursor += 1;
                let kind = run & 0x0f;
                if target.is_none() && digit <= run >> 4 {
                    target = Some((kind, cursor));
                    if kind != TO_NEXT {
                        break;
                    }
                }
                cursor += match kind {
                    TO_OFFSET => 2,
                    TO_TAIL => self.id_width(),
                    _ => 0,
                };
            }
            match target {
                Some((TO_NEXT, _)) => at = cursor,
                Some((TO_OFFSET, operand)) => at = usize::from(states.u16_at(operand)),
                Some((TO_TAIL, operand)) => {
                    let id = self.id_at(&states, operand);
                    return self.tail_walk(id, digits.len() - i - 1);
                }
                _ => return None,
            }
        }
        let header = states.byte(at);
        if header & HAS_LABEL == 0 { Some(0) } else { Some(self.label(states.byte(at + 1))) }
    }

    /// Whether `digits` are accepted.
    pub(crate) fn accepts(&self, digits: &[u8]) -> bool {
        self.walk(digits).is_some_and(|label| label != 0)
    }

    fn id_width(&self) -> usize {
        if self.wide { 2 } else { 1 }
    }

    fn id_at(&self, reader: &Reader, at: usize) -> usize {
        if self.wide { usize::from(reader.u16_at(at)) } else { usize::from(reader.byte(at)) }
    }

    /// From tail `id` (counted from 1; 0 is dead), `remaining` more digits on.
    fn tail_walk(&self, mut id: usize, remaining: usize) -> Option<u32> {
        let tails = Reader::new(self.tails);
        let entry = 1 + self.id_width();
        for _ in 0..remaining {
            if id == 0 {
                return None;
            }
            id = self.id_at(&tails, (id - 1) * entry + 1);
        }
        if id == 0 { None } else { Some(self.label(tails.byte((id - 1) * entry))) }
    }

    /// The label with index `index` (0 is "none").
    fn label(&self, index: u8) -> u32 {
        let mut labels = Reader::new(self.labels);
        let mut label = 0;
        for _ in 0..index {
            label = labels.varint();
        }
        u32::try_from(label).unwrap_or(0)
    }
}
