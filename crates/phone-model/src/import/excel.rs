//! What Excel does to phone numbers, and how a number it mangled is put right: a number
//! typed or opened in Excel is taken for a quantity, so it loses its leading `0`
//! (`211234567`) or its `+` (`64211234567`), gains a `.0`, or is shown in scientific notation
//! (`6.42E+10`), which keeps only as many digits as the cell was wide.
//!
//! A repair is only offered where the number as written is no number of its country and the
//! repaired one fits a plan: New Zealand's and Australia's, whose businesses import here.

use std::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::{CountryCode, ParsedNumber};

/// One thing Excel did to a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExcelDamage {
    /// Written in scientific notation (`6.4211234567E+10`), its digits all kept.
    ScientificNotation,
    /// A `.0` added (`211234567.0`).
    PointZero,
    /// Its leading `0` dropped (`211234567` for `021 123 4567`).
    LostZero,
    /// Its `+` dropped (`64211234567` for `+64 21 123 4567`).
    LostPlus,
}

impl ExcelDamage {
    /// What Excel did, in a person's words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::ScientificNotation => "Excel wrote it in scientific notation.",
            Self::PointZero => "Excel added .0 to it.",
            Self::LostZero => "Excel dropped its leading 0.",
            Self::LostPlus => "Excel dropped its +.",
        }
    }
}

/// A number as it reads once what Excel did is undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// Nothing to undo: the number is read as written.
    AsWritten,
    /// Excel mangled it and this is the number it was: `number` as its country writes it
    /// (`021 123 4567`), or from abroad (`+61 412 345 678`) when it is not `country_code`'s
    /// country.
    Repaired { number: String, country_code: CountryCode, damage: Vec<ExcelDamage> },
    /// Excel wrote it in scientific notation with fewer digits than it has: the rest are lost,
    /// and only a person can type them again.
    DigitsLost,
}

/// The countries whose numbers Excel is undone for, besides the row's own.
const COUNTRIES: [CountryCode; 2] = [CountryCode::NZ, CountryCode::AU];

/// Undoes what Excel did to `written`, a number of a row whose numbers are dialled with
/// `country_code` unless they say otherwise.
///
/// ```
/// use phone_model::{CountryCode, import::{ExcelDamage, Undone, undo_excel}};
/// let nz = CountryCode::NZ;
/// let repaired = |written| match undo_excel(written, nz) {
///     Undone::Repaired { number, damage, .. } => Some((number, damage)),
///     _ => None,
/// };
/// assert_eq!(repaired("211234567"), Some(("021 123 4567".into(), vec![ExcelDamage::LostZero])));
/// assert_eq!(repaired("64211234567").unwrap().0, "021 123 4567");
/// assert_eq!(repaired("412345678").unwrap().0, "+61 412 345 678");
/// assert_eq!(undo_excel("6.42E+10", nz), Undone::DigitsLost);
/// assert_eq!(undo_excel("021 123 4567", nz), Undone::AsWritten);
/// ```
#[must_use]
pub fn undo_excel(written: &str, country_code: CountryCode) -> Undone {
    let written = written.trim();
    let mut damage = Vec::new();
    let digits = match scientific(written) {
        Some(Scientific::Whole(digits)) => {
            damage.push(ExcelDamage::ScientificNotation);
            digits
        }
        Some(Scientific::Lost) => return Undone::DigitsLost,
        None => match point_zero(written) {
            Some(digits) => {
                damage.push(ExcelDamage::PointZero);
                digits.into()
            }
            None if is_digits(written) => written.into(),
            None => return Undone::AsWritten,
        },
    };
    // New Zealand and Australia write every national number with its trunk `0`, so digits
    // without it, and without `+`, are Excel's doing, however the plan reads them.
    let trunk_zero = COUNTRIES.contains(&country_code);
    if digits.starts_with('0') || !trunk_zero {
        return match damage.is_empty() {
            true => Undone::AsWritten,
            false => repaired(country_code, country_code, &digits, damage),
        };
    }
    // The row's own country first, then the others: a lost `0`, then a lost `+`.
    let others = COUNTRIES.into_iter().filter(|code| *code != country_code);
    for code in core::iter::once(country_code).chain(others) {
        let with_zero = ["0", &digits].concat();
        if valid(code, &with_zero).is_some() {
            damage.push(ExcelDamage::LostZero);
            return repaired(country_code, code, &with_zero, damage);
        }
        let with_plus = ["+", &digits].concat();
        if digits.starts_with(code.digits()) && valid(code, &with_plus).is_some() {
            damage.push(ExcelDamage::LostPlus);
            return repaired(country_code, code, &with_plus, damage);
        }
    }
    match damage.is_empty() {
        true => Undone::AsWritten,
        // Scientific notation or `.0` undone, though the digits fit no plan: the number is
        // still better without them, and its own verdict says the rest.
        false => Undone::Repaired { number: digits, country_code, damage },
    }
}

/// The number, when `written` under `code` is a valid number of its plan.
fn valid(code: CountryCode, written: &str) -> Option<ParsedNumber> {
    ParsedNumber::parse(code, "", written).ok().filter(ParsedNumber::is_valid)
}

/// The repair of a number found to be `written` under `code`, in the form a row dialled with
/// `row_code` shows it.
fn repaired(
    row_code: CountryCode,
    code: CountryCode,
    written: &str,
    damage: Vec<ExcelDamage>,
) -> Undone {
    let number = match valid(code, written) {
        Some(number) if code == row_code => number.national(),
        Some(number) => number.international(),
        None => written.into(),
    };
    Undone::Repaired { number, country_code: code, damage }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `211234567.0` without its `.0`.
fn point_zero(written: &str) -> Option<&str> {
    let (whole, zeros) = written.split_once('.')?;
    (is_digits(whole) && is_digits(zeros) && zeros.bytes().all(|b| b == b'0')).then_some(whole)
}

/// A number in scientific notation, read back.
enum Scientific {
    /// Every digit is there (`6.4211234567E+10`).
    Whole(String),
    /// The notation kept fewer digits than the number has (`6.42E+10`).
    Lost,
}

/// `6.4211234567E+10` read as the whole number it writes, when it is one.
fn scientific(written: &str) -> Option<Scientific> {
    let (mantissa, exponent) = written.split_once(['e', 'E'])?;
    let exponent: usize = exponent.strip_prefix('+').unwrap_or(exponent).parse().ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !is_digits(whole) || !(fraction.is_empty() || is_digits(fraction)) || exponent > 20 {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > exponent {
        return None;
    }
    if fraction.len() < exponent {
        return Some(Scientific::Lost);
    }
    Some(Scientific::Whole([whole.trim_start_matches('0'), fraction].concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Excel leaves of New Zealand and Australian numbers, and what they were.
    #[test]
    fn every_mangled_number_of_the_fixture_is_repaired() {
        let nz = CountryCode::NZ;
        let cases = [
            ("211234567", "021 123 4567", CountryCode::NZ),
            ("64211234567", "021 123 4567", CountryCode::NZ),
            ("6.4211234567E+10", "021 123 4567", CountryCode::NZ),
            ("211234567.0", "021 123 4567", CountryCode::NZ),
            ("92645555", "09 264 5555", CountryCode::NZ),
            ("412345678", "+61 412 345 678", CountryCode::AU),
            ("61412345678", "+61 412 345 678", CountryCode::AU),
            ("61298765432", "+61 2 9876 5432", CountryCode::AU),
        ];
        for (written, number, code) in cases {
            match undo_excel(written, nz) {
                Undone::Repaired { number: got, country_code, .. } => {
                    assert_eq!((got.as_str(), country_code), (number, code), "{written}");
                }
                other => panic!("{written}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_australian_rows_numbers_are_written_as_australia_writes_them() {
        let repaired = undo_excel("412345678", CountryCode::AU);
        let expected = Undone::Repaired {
            number: "0412 345 678".into(),
            country_code: CountryCode::AU,
            damage: vec![ExcelDamage::LostZero],
        };
        assert_eq!(repaired, expected);
    }

    #[test]
    fn numbers_excel_did_not_touch_are_read_as_written() {
        for written in
            ["021 123 4567", "+64 21 123 4567", "(09) 264-5555", "0211234567", "12", "abc"]
        {
            assert_eq!(undo_excel(written, CountryCode::NZ), Undone::AsWritten, "{written}");
        }
    }

    #[test]
    fn scientific_notation_that_lost_digits_is_said_so() {
        for written in ["6.42E+10", "6.42112E+10", "6E10"] {
            assert_eq!(undo_excel(written, CountryCode::NZ), Undone::DigitsLost, "{written}");
        }
    }
}
