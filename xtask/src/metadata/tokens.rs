//! Patterns over the ten digits written as token programs (`layout.rs`'s `token`): parsed with
//! `regex-syntax`, checked to hold only what a number can match (digits, classes of digits,
//! groups, alternatives, counted repeats), and written back a byte a token. The core builds
//! each program's automaton when a number first needs it (`phone-model`'s `plan/pattern.rs`).

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::layout::token::{
    ANY, CLASS, CLASS_END, CLOSE, COUNT_ZERO, MOST_COUNT, OPEN, OPTIONAL, OR, RANGE, REPEAT,
    UNBOUNDED,
};
use crate::Result;

/// Digits `0`–`9` as the bits 0–9 of a mask.
type DigitMask = u16;
const ALL_DIGITS: DigitMask = 0x3ff;

/// The token program of `pattern`.
///
/// # Errors
/// When the pattern does not parse, or holds something other than the above.
pub(crate) fn compile(pattern: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    alternatives(&parse(pattern)?, &mut out).map_err(|e| format!("{pattern}: {e}"))?;
    Ok(out)
}

type Written = std::result::Result<(), String>;

/// `hir` where alternatives need no group around them: at the top, or inside one.
fn alternatives(hir: &Hir, out: &mut Vec<u8>) -> Written {
    match hir.kind() {
        HirKind::Alternation(alternatives) => {
            for (i, alternative) in alternatives.iter().enumerate() {
                if i > 0 {
                    out.push(OR);
                }
                sequence(alternative, out)?;
            }
            Ok(())
        }
        _ => sequence(hir, out),
    }
}

/// `hir` as pieces one after the other.
fn sequence(hir: &Hir, out: &mut Vec<u8>) -> Written {
    match hir.kind() {
        HirKind::Concat(parts) => parts.iter().try_for_each(|part| piece(part, out)),
        _ => piece(hir, out),
    }
}

/// One atom and how often it repeats.
fn piece(hir: &Hir, out: &mut Vec<u8>) -> Written {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(Look::Start) => Ok(()),
        HirKind::Literal(literal) => literal.0.iter().try_for_each(|&byte| {
            digit_mask_of_byte(byte)?;
            out.push(byte);
            Ok(())
        }),
        HirKind::Repetition(repetition) => {
            if !repetition.greedy {
                return Err("a lazy repetition".to_owned());
            }
            atom(&repetition.sub, out)?;
            match (repetition.min, repetition.max) {
                (0, Some(1)) => out.push(OPTIONAL),
                (min, max) => {
                    let count = |n: u32| {
                        let n = u8::try_from(n).ok().filter(|&n| n <= MOST_COUNT);
                        n.map(|n| COUNT_ZERO + n)
                            .ok_or_else(|| format!("a repeat of more than {MOST_COUNT}"))
                    };
                    let most = max.map_or(Ok(UNBOUNDED), count)?;
                    out.extend([REPEAT, count(min)?, most]);
                }
            }
            Ok(())
        }
        _ => atom(hir, out),
    }
}

/// `hir` as one atom: a digit, a class, or a group.
fn atom(hir: &Hir, out: &mut Vec<u8>) -> Written {
    match hir.kind() {
        HirKind::Literal(literal) if literal.0.len() == 1 => piece(hir, out),
        HirKind::Class(class) => {
            class_tokens(digit_mask(class), out);
            Ok(())
        }
        HirKind::Capture(capture) => atom(&capture.sub, out),
        HirKind::Look(look) => Err(format!("an assertion {look:?} in a plain pattern")),
        _ => {
            out.push(OPEN);
            alternatives(hir, out)?;
            out.push(CLOSE);
            Ok(())
        }
    }
}

/// A class as `d`, a lone digit, or `[…]` with runs of three or more digits as ranges.
fn class_tokens(mask: DigitMask, out: &mut Vec<u8>) {
    if mask == ALL_DIGITS {
        out.push(ANY);
        return;
    }
    if mask.count_ones() == 1 {
        out.push(b'0' + u8::try_from(mask.trailing_zeros()).expect("a digit"));
        return;
    }
    out.push(CLASS);
    let mut digit = 0;
    while digit < 10 {
        if mask & 1 << digit == 0 {
            digit += 1;
            continue;
        }
        let mut last = digit;
        while last < 9 && mask & 1 << (last + 1) != 0 {
            last += 1;
        }
        out.push(b'0' + digit);
        if last >= digit + 2 {
            out.extend([RANGE, b'0' + last]);
        } else if last == digit + 1 {
            out.push(b'0' + last);
        }
        digit = last + 1;
    }
    out.push(CLASS_END);
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

    fn tokens(pattern: &str) -> Vec<u8> {
        compile(pattern).unwrap()
    }

    #[test]
    fn a_pattern_is_written_as_it_reads() {
        assert_eq!(tokens(r"(?:3[2-79]|[49][2-9])\d{6}"), b"(3[2-79]|[49][2-9])d{66");
        assert_eq!(tokens(r"2[028]"), b"2[028]");
        assert_eq!(tokens(r"1\d+"), b"1d{1*");
        assert_eq!(tokens(r"(?:64)?[2-9]\d{7,8}"), b"(64)?[2-9]d{78");
        assert_eq!(tokens(r"\d{1,17}"), b"d{1A");
        // A class of two digits stays two digits; of three, a range.
        assert_eq!(tokens(r"[45][5-7]"), b"[45][5-7]");
    }

    #[test]
    fn only_what_a_number_can_match_is_written() {
        assert!(compile(r"1\d$").is_err());
        assert!(compile(r"1a").is_err());
        assert!(compile(r"\d{79}").is_err());
    }
}
