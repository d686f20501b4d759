//! The one kind of pattern that needs more than a yes or no: `nationalPrefixForParsing`, whose
//! capture groups say what a transform rule keeps (`0?(?:(11|…)15)?` → `9$1` in Argentina). It
//! is compiled into a small backtracking program over digits, which `phone-model` runs
//! (`plan/prefix.rs`) with the same opcodes:
//!
//! | opcode | operands | meaning |
//! |---|---|---|
//! | 0 | mask: u16 | a digit in the mask, then the next instruction |
//! | 1 | x: u16, y: u16 | try from x; if that fails, from y (greedy first) |
//! | 2 | x: u16 | go on from x |
//! | 3 | slot: u8 | remember the position in a capture slot (2n starts group n, 2n+1 ends it) |
//! | 4 | | only at the end of the number (`$`) |
//! | 5 | | matched |

use regex_syntax::hir::{Hir, HirKind, Look};

use super::layout::{
    MAX_GROUP,
    opcode::{DIGIT, END, JUMP, MATCH, SAVE, SPLIT},
};
use super::tokens::{digit_mask, digit_mask_of_byte, parse};
use crate::Result;

/// Compiles a `nationalPrefixForParsing` pattern, anchored at the start of the number.
///
/// # Errors
/// When the pattern does not parse, or uses more than [`MAX_GROUP`] groups.
pub(crate) fn compile(pattern: &str) -> Result<Vec<u8>> {
    let hir = parse(pattern)?;
    let mut program = Program::default();
    program.emit(&hir).map_err(|e| format!("{pattern}: {e}"))?;
    program.code.push(MATCH);
    Ok(program.code)
}

#[derive(Default)]
struct Program {
    code: Vec<u8>,
}

impl Program {
    fn here(&self) -> u16 {
        u16::try_from(self.code.len()).expect("a prefix program is small")
    }

    fn op(&mut self, opcode: u8, operands: &[u16]) -> usize {
        let at = self.code.len();
        self.code.push(opcode);
        for operand in operands {
            self.code.extend(operand.to_le_bytes());
        }
        at
    }

    fn patch(&mut self, at: usize, operand: usize, value: u16) {
        let offset = at + 1 + 2 * operand;
        self.code[offset..offset + 2].copy_from_slice(&value.to_le_bytes());
    }

    fn emit(&mut self, hir: &Hir) -> std::result::Result<(), String> {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(Look::Start) => {}
            HirKind::Look(Look::End) => {
                self.code.push(END);
            }
            HirKind::Look(look) => return Err(format!("the assertion {look:?}")),
            HirKind::Literal(literal) => {
                for &byte in literal.0.iter() {
                    self.op(DIGIT, &[digit_mask_of_byte(byte)?]);
                }
            }
            HirKind::Class(class) => {
                self.op(DIGIT, &[digit_mask(class)]);
            }
            HirKind::Capture(capture) => {
                if capture.index > MAX_GROUP {
                    return Err(format!("group {} (at most {MAX_GROUP})", capture.index));
                }
                let slot = u8::try_from(capture.index * 2).expect("checked above");
                self.code.extend([SAVE, slot]);
                self.emit(&capture.sub)?;
                self.code.extend([SAVE, slot + 1]);
            }
            HirKind::Concat(parts) => {
                for part in parts {
                    self.emit(part)?;
                }
            }
            HirKind::Alternation(alternatives) => {
                let mut jumps = Vec::new();
                for (i, alternative) in alternatives.iter().enumerate() {
                    if i + 1 == alternatives.len() {
                        self.emit(alternative)?;
                    } else {
                        let split = self.op(SPLIT, &[0, 0]);
                        let first = self.here();
                        self.patch(split, 0, first);
                        self.emit(alternative)?;
                        jumps.push(self.op(JUMP, &[0]));
                        let next = self.here();
                        self.patch(split, 1, next);
                    }
                }
                let end = self.here();
                for jump in jumps {
                    self.patch(jump, 0, end);
                }
            }
            HirKind::Repetition(repetition) => {
                if !repetition.greedy {
                    return Err("a lazy repetition".to_owned());
                }
                for _ in 0..repetition.min {
                    self.emit(&repetition.sub)?;
                }
                match repetition.max {
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in repetition.min..max {
                            let split = self.op(SPLIT, &[0, 0]);
                            let body = self.here();
                            self.patch(split, 0, body);
                            splits.push(split);
                            self.emit(&repetition.sub)?;
                        }
                        let end = self.here();
                        for split in splits {
                            self.patch(split, 1, end);
                        }
                    }
                    None => {
                        let split = self.op(SPLIT, &[0, 0]);
                        let body = self.here();
                        self.patch(split, 0, body);
                        self.emit(&repetition.sub)?;
                        self.op(JUMP, &[u16::try_from(split).expect("small")]);
                        let end = self.here();
                        self.patch(split, 1, end);
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_prefix_is_digits_then_match() {
        assert_eq!(compile("0").unwrap(), [DIGIT, 1, 0, MATCH]);
    }

    #[test]
    fn groups_save_their_slots() {
        let program = compile("(1)").unwrap();
        assert_eq!(program, [SAVE, 2, DIGIT, 2, 0, SAVE, 3, MATCH]);
    }

    #[test]
    fn every_prefix_pattern_of_the_metadata_compiles() {
        for pattern in [
            r"0?(?:(11|2(?:2(?:02?|[13]))|3(?:3(?:2[79]|6)))15)?",
            r"([457]\d{6})$|1",
            r"(?:0|90)(?:(1[245]|99)(\d{10,11}))?",
        ] {
            compile(pattern).unwrap();
        }
    }
}
