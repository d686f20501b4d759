//! Numbering plans: which national numbers can exist, what kind they are, and how they are
//! written. New Zealand and Australia have plans here (facts from libphonenumber's published
//! metadata, simplified to prefixes and lengths); every other country is held only to the
//! E.164 length limits.

mod au;
mod nz;

use crate::{CountryCode, NumberKind};

/// A country's plan.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The country's name, for messages.
    pub(crate) country: &'static str,
    /// The ranges of national numbers that exist.
    pub(crate) ranges: &'static [Range],
}

/// A range of national significant numbers (the digits after the country code, without the
/// trunk 0) that share a kind and a written form.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Range {
    /// The start of the number: digits and `[...]` classes such as `[2-9]`.
    pub(crate) prefix: &'static str,
    /// The lengths the whole national significant number may have.
    pub(crate) lengths: (usize, usize),
    pub(crate) kind: NumberKind,
    /// The sizes of the leading groups when written; the rest of the digits form the last group.
    pub(crate) groups: &'static [usize],
    /// Whether the national form starts with the trunk 0 (`09 …`, but `1800 …`).
    pub(crate) trunk_zero: bool,
}

impl Plan {
    /// The plan of a country, where Phonedesk knows it.
    pub(crate) fn of(code: CountryCode) -> Option<&'static Self> {
        match code {
            CountryCode::NZ => Some(&nz::PLAN),
            CountryCode::AU => Some(&au::PLAN),
            _ => None,
        }
    }

    /// The range a number still being typed can grow into: the first whose prefix agrees with
    /// every digit typed so far, and whose length it has not outgrown.
    pub(crate) fn range_for_partial(&self, national: &str) -> Option<&'static Range> {
        self.ranges
            .iter()
            .find(|r| national.len() <= r.lengths.1 && prefix_agrees(r.prefix, national))
    }

    /// The range a national significant number falls in, if any.
    pub(crate) fn range_of(&self, national: &str) -> Option<&'static Range> {
        self.ranges.iter().find(|r| {
            (r.lengths.0..=r.lengths.1).contains(&national.len())
                && prefix_matches(r.prefix, national)
        })
    }
}

impl Range {
    /// Writes `national` in this range's groups, separated by spaces.
    pub(crate) fn grouped(&self, national: &str) -> String {
        let mut out = String::with_capacity(national.len() + 4);
        let mut rest = national;
        for &size in self.groups {
            if rest.len() <= size {
                break;
            }
            let (group, tail) = rest.split_at(size);
            out.push_str(group);
            out.push(' ');
            rest = tail;
        }
        out.push_str(rest);
        out
    }
}

/// Whether `digits` starts with `pattern`: literal digits and classes like `[2-79]`.
fn prefix_matches(pattern: &str, digits: &str) -> bool {
    compare_prefix(pattern, digits, false)
}

/// Whether `digits` agrees with `pattern` as far as both go (`"2"` agrees with `"2[0-27-9]"`).
fn prefix_agrees(pattern: &str, digits: &str) -> bool {
    compare_prefix(pattern, digits, true)
}

/// Compares `digits` with `pattern` digit by digit; `short_ok` says whether running out of
/// digits before the pattern ends still counts as a match.
fn compare_prefix(pattern: &str, digits: &str, short_ok: bool) -> bool {
    let mut digits = digits.bytes();
    let mut pattern = pattern.bytes();
    while let Some(p) = pattern.next() {
        let Some(d) = digits.next() else {
            return short_ok;
        };
        let matched = if p == b'[' {
            let mut class = Vec::new();
            for c in pattern.by_ref() {
                if c == b']' {
                    break;
                }
                class.push(c);
            }
            class_contains(&class, d)
        } else {
            p == d
        };
        if !matched {
            return false;
        }
    }
    true
}

/// Whether a class body such as `2-79` (2 to 7, and 9) holds `digit`.
fn class_contains(class: &[u8], digit: u8) -> bool {
    let mut i = 0;
    while i < class.len() {
        if i + 2 < class.len() && class[i + 1] == b'-' {
            if (class[i]..=class[i + 2]).contains(&digit) {
                return true;
            }
            i += 3;
        } else {
            if class[i] == digit {
                return true;
            }
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_literal_digits_and_classes() {
        let cases = [
            ("3[2-79]", "32645555", true),
            ("3[2-79]", "38645555", false),
            ("3[2-79]", "39645555", true),
            ("180", "1800123456", true),
            ("180", "18", false),
            ("[2378]", "212345678", true),
            ("[2378]", "512345678", false),
        ];
        for (pattern, digits, expected) in cases {
            assert_eq!(prefix_matches(pattern, digits), expected, "{pattern} on {digits}");
        }
    }

    #[test]
    fn groups_leave_the_rest_in_the_last_group() {
        let range = Range {
            prefix: "",
            lengths: (1, 15),
            kind: NumberKind::FixedLine,
            groups: &[1, 3],
            trunk_zero: true,
        };
        assert_eq!(range.grouped("92645555"), "9 264 5555");
        assert_eq!(range.grouped("92"), "9 2");
        assert_eq!(range.grouped("9"), "9");
    }
}
