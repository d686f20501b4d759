//! Running a region's `nationalPrefixForParsing`: a small program compiled by `cargo xtask
//! metadata` (`xtask/src/metadata/program.rs` lists the opcodes), matched at the start of the
//! national number with the first-alternative-first order of the pattern it came from. Only
//! this one pattern per region needs capture groups (what a transform rule keeps); everything
//! else is an automaton.

use super::data::Reader;
use super::layout::{
    MAX_GROUP,
    opcode::{DIGIT, END, JUMP, MATCH, SAVE, SPLIT},
};

/// Capture slots: 2n and 2n + 1 are where group n starts and ends.
pub(crate) type Slots = [usize; SLOTS];
const SLOTS: usize = 2 * (MAX_GROUP as usize + 1);
pub(crate) const UNSET: usize = usize::MAX;

/// Where a match of `program` at the start of `digits` ends, with its groups.
pub(crate) fn run(program: &'static [u8], digits: &[u8]) -> Option<(usize, Slots)> {
    let mut slots = [UNSET; SLOTS];
    let end = step(&Reader::new(program), digits, 0, 0, &mut slots, 0)?;
    Some((end, slots))
}

/// Runs from instruction `pc` at digit `at`; `depth` bounds the backtracking's recursion.
fn step(
    program: &Reader,
    digits: &[u8],
    mut pc: usize,
    mut at: usize,
    slots: &mut Slots,
    depth: u32,
) -> Option<usize> {
    if depth > 200 {
        return None;
    }
    loop {
        match program.byte(pc) {
            DIGIT => {
                let mask = program.u16_at(pc + 1);
                let digit = digits.get(at)?.wrapping_sub(b'0');
                if digit > 9 || mask & (1 << digit) == 0 {
                    return None;
                }
                at += 1;
                pc += 3;
            }
            SPLIT => {
                let saved = *slots;
                let first = usize::from(program.u16_at(pc + 1));
                if let Some(end) = step(program, digits, first, at, slots, depth + 1) {
                    return Some(end);
                }
                *slots = saved;
                pc = usize::from(program.u16_at(pc + 3));
            }
            JUMP => pc = usize::from(program.u16_at(pc + 1)),
            SAVE => {
                if let Some(slot) = slots.get_mut(usize::from(program.byte(pc + 1))) {
                    *slot = at;
                }
                pc += 2;
            }
            END if at == digits.len() => pc += 1,
            MATCH => return Some(at),
            _ => return None,
        }
    }
}
