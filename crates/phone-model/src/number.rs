//! The number itself: reading what a person typed, normalising it, and writing it out again.

use core::fmt;

use crate::{
    CountryCode, NumberKind,
    plan::{Plan, Range},
    text::digits_of,
};

/// Characters the contract allows in `phoneNumber` besides ASCII letters and digits.
const ALLOWED_PUNCTUATION: &str = " #+-()*_,;:./";

/// Characters that lay out the dialled part of a number without being dialled. The first
/// character that is neither a digit nor one of these (a letter, `#`, `*`, `,` …) starts the
/// text after the number: an extension or a note.
pub(crate) const LAYOUT: &str = " +-()./";

/// Country codes whose national numbers keep their leading 0 after the country code (Italy's
/// `+39 06 …`, San Marino, Côte d'Ivoire, the Republic of the Congo). Everywhere else a leading
/// 0 is the trunk prefix, dialled only at home, and is dropped.
const LEADING_ZERO_IS_SIGNIFICANT: [&str; 4] = ["39", "378", "225", "242"];

/// The fewest national digits any country's numbers have (Niue, Tokelau).
const MIN_NATIONAL_DIGITS: usize = 4;

/// E.164's limit on a whole number: country code and national number together.
const MAX_E164_DIGITS: usize = 15;

/// Why a phone number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberError {
    /// A character the contract does not allow, such as `!`, `é` or `@`.
    InvalidCharacter(char),
    /// Nothing to dial: no digit before the first letter or other non-layout character.
    NoDigits,
    /// Written in international form with another country's code (`+44 …` under `+64`).
    OtherCountry,
    /// Too few digits (under 4) or too many for E.164 (over 15 with the country code).
    ImpossibleLength,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter(c) => write!(f, "the character {c:?} is not allowed"),
            Self::NoDigits => f.write_str("there is no digit to dial"),
            Self::OtherCountry => f.write_str("the number starts with another country code"),
            Self::ImpossibleLength => f.write_str("no number has that many digits"),
        }
    }
}

impl core::error::Error for NumberError {}

/// A phone number typed as the contract allows, split into the part that is dialled and the
/// text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Typed<'a> {
    /// The digits and layout characters that are dialled (`(09) 264-5555`).
    pub(crate) dialled: &'a str,
    /// What follows, trimmed: an extension (`ext 12`) or a note (`after 5pm`); may be empty.
    pub(crate) after: &'a str,
}

impl<'a> Typed<'a> {
    /// Checks a `phoneNumber` against the contract's characters and splits it.
    pub(crate) fn read(text: &'a str) -> Result<Self, NumberError> {
        if let Some(c) =
            text.chars().find(|&c| !c.is_ascii_alphanumeric() && !ALLOWED_PUNCTUATION.contains(c))
        {
            return Err(NumberError::InvalidCharacter(c));
        }
        let end =
            text.find(|c: char| !c.is_ascii_digit() && !LAYOUT.contains(c)).unwrap_or(text.len());
        let (dialled, after) = text.split_at(end);
        if !dialled.bytes().any(|b| b.is_ascii_digit()) {
            return Err(NumberError::NoDigits);
        }
        Ok(Self { dialled, after: after.trim() })
    }
}

/// A phone number read and normalised: its country code, its national significant number
/// (the digits after the country code, without a trunk 0), and what its plan says of it.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use phone_model::{CountryCode, NumberKind, ParsedNumber};
/// let number = ParsedNumber::parse(CountryCode::NZ, "09", "264 5555")?;
/// assert_eq!(number.e164(), "+6492645555");
/// assert_eq!(number.national(), "09 264 5555");
/// assert_eq!(number.international(), "+64 9 264 5555");
/// assert_eq!(number.tel_uri(), "tel:+6492645555");
/// assert_eq!(number.kind(), NumberKind::FixedLine);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNumber {
    country_code: CountryCode,
    national: String,
    range: Option<&'static Range>,
    extension: Option<String>,
    note: Option<String>,
}

impl ParsedNumber {
    /// Reads a number as a person or a client sends it: the area code and the number are
    /// joined, a trunk 0 (also written `(0)`) is dropped, and a number written with `+` and
    /// this country code is accepted too. So under `+64`, `"09"` + `"264 5555"`,
    /// `""` + `"09 264 5555"`, `"9"` + `"2645555"` and `""` + `"+64 (0)9 264 5555"` are one
    /// number.
    ///
    /// # Errors
    /// - [`NumberError::InvalidCharacter`] for `"264 5555!"`;
    /// - [`NumberError::NoDigits`] for `"abc"` or `"ext 12"`;
    /// - [`NumberError::OtherCountry`] for `"+44 20 7946 0000"` under `+64`;
    /// - [`NumberError::ImpossibleLength`] for `"123"` or twenty digits.
    pub fn parse(
        country_code: CountryCode,
        area_code: &str,
        number: &str,
    ) -> Result<Self, NumberError> {
        let typed = Typed::read(number.trim())?;
        let dialled = typed.dialled.replace("(0)", "");
        let national = if dialled.trim_start().starts_with('+') {
            // Written in international form: the area code field, if any, is part of it.
            let digits = digits_of(&dialled);
            digits.strip_prefix(country_code.digits()).ok_or(NumberError::OtherCountry)?.to_owned()
        } else {
            let digits = digits_of(area_code) + &digits_of(&dialled);
            match digits.strip_prefix('0') {
                Some(rest) if !LEADING_ZERO_IS_SIGNIFICANT.contains(&country_code.digits()) => {
                    rest.to_owned()
                }
                _ => digits,
            }
        };
        if national.len() < MIN_NATIONAL_DIGITS
            || country_code.digits().len() + national.len() > MAX_E164_DIGITS
        {
            return Err(NumberError::ImpossibleLength);
        }
        let range = Plan::of(country_code).and_then(|plan| plan.range_of(&national));
        let (extension, note) = split_extension(typed.after);
        Ok(Self { country_code, national, range, extension, note })
    }

    /// The country code it is dialled with.
    #[must_use]
    pub fn country_code(&self) -> CountryCode {
        self.country_code
    }

    /// The national significant number: the digits after the country code (`92645555`).
    #[must_use]
    pub fn national_significant_number(&self) -> &str {
        &self.national
    }

    /// The kind of number its country's plan says it is.
    #[must_use]
    pub fn kind(&self) -> NumberKind {
        self.range.map_or(NumberKind::Unknown, |r| r.kind)
    }

    /// The country whose numbering plan the number breaks: `Some` when the country has a
    /// plan here and the number fits none of its ranges.
    #[must_use]
    pub fn broken_plan(&self) -> Option<&'static str> {
        match self.range {
            Some(_) => None,
            None => Plan::of(self.country_code).map(|plan| plan.country),
        }
    }

    /// The E.164 form (`+6492645555`): what a phone system dials, and the key for duplicates.
    #[must_use]
    pub fn e164(&self) -> String {
        format!("{}{}", self.country_code, self.national)
    }

    /// The form dialled within the country (`09 264 5555`, `0412 345 678`, `1800 123 456`).
    /// For a number outside the plans here, the international form: without a plan it is not
    /// known whether the country dials a trunk prefix, and a guess could dial the wrong number.
    #[must_use]
    pub fn national(&self) -> String {
        match self.range {
            Some(range) if range.trunk_zero => format!("0{}", range.grouped(&self.national)),
            Some(range) => range.grouped(&self.national),
            None => self.international(),
        }
    }

    /// The form dialled from abroad, grouped for reading (`+64 9 264 5555`).
    #[must_use]
    pub fn international(&self) -> String {
        match self.range {
            Some(range) => format!("{} {}", self.country_code, range.grouped(&self.national)),
            None => format!("{} {}", self.country_code, self.national),
        }
    }

    /// An RFC 3966 `tel:` URI, with the extension if there is one (`tel:+6492645555;ext=12`).
    #[must_use]
    pub fn tel_uri(&self) -> String {
        match &self.extension {
            Some(extension) => format!("tel:{};ext={extension}", self.e164()),
            None => format!("tel:{}", self.e164()),
        }
    }

    /// The extension's digits, when the number is followed by one (`ext 12`, `x12`, `#12`).
    #[must_use]
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// Text after the number that is not an extension (`after 5pm`): kept, never dialled.
    #[must_use]
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

impl fmt::Display for ParsedNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.international())
    }
}

/// Splits the text after a number into an extension (`ext. 12`, `x 12`, `#12`, `,12`) and a
/// note (anything else).
fn split_extension(after: &str) -> (Option<String>, Option<String>) {
    if after.is_empty() {
        return (None, None);
    }
    let lower = after.to_ascii_lowercase();
    let digits = ["extension", "ext", "x", "#", ",", ";"]
        .iter()
        .find_map(|marker| lower.strip_prefix(marker))
        .map(|rest| rest.trim_start_matches([' ', '.', ':']));
    match digits {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(digits.to_owned()), None)
        }
        _ => (None, Some(after.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_after_the_number_is_an_extension_or_a_note() {
        let cases = [
            ("ext 12", Some("12"), None),
            ("Ext. 12", Some("12"), None),
            ("extension: 345", Some("345"), None),
            ("x12", Some("12"), None),
            ("#12", Some("12"), None),
            (",12", Some("12"), None),
            ("after 5pm", None, Some("after 5pm")),
            ("ext", None, Some("ext")),
            ("x 12a", None, Some("x 12a")),
        ];
        for (after, extension, note) in cases {
            let (e, n) = split_extension(after);
            assert_eq!((e.as_deref(), n.as_deref()), (extension, note), "{after:?}");
        }
    }
}
