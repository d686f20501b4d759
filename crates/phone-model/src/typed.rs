//! Reading a `phoneNumber` as a person types it, before any numbering plan is consulted.
//!
//! The contract allows letters, digits, space and `# + - ( ) * _ , ; : . /`. Its reading here:
//! - A number that starts with `*` or `#` is a **service code** (`*555`, `#123`): dialled as
//!   written on a phone of the country, with no international form. It is accepted; it is not
//!   a number a plan judges.
//! - Otherwise the number is the leading run of digits, the layout characters ` +-()./`, and
//!   words in **capitals** after a digit, which are dialled as the letters on a phone's keypad
//!   (E.161: `0800 FLOWERS` dials `0800 356 9377`). Only capitals, only two or more together,
//!   and only once a digit has been dialled: a lower-case word, a lone letter, or capitals
//!   alone (`UNKNOWN`, `NONE`) are ordinary text.
//! - What follows the number is an **extension** (`ext 12`, `x12`, `#12`, `,12`, in any case)
//!   or a **note** (`after 5pm`): kept, never dialled.
//! - A `+` before the first digit (also inside a bracket: `(+64) 9 264 5555`) means the number
//!   is written with its country code; so does, once the country is known, its international
//!   prefix (`0064 9 264 5555` in New Zealand, `0011 61 …` in Australia): see
//!   [`Typed::dialled_from`].

use crate::{NumberError, plan::Region, text::is_one_of};
use alloc::{borrow::ToOwned, string::String};

/// Characters the contract allows in `phoneNumber` besides ASCII letters and digits.
const ALLOWED_PUNCTUATION: &str = " #+-()*_,;:./";

/// Characters that lay out the dialled part of a number without being dialled.
pub(crate) const LAYOUT: &str = " +-()./";

/// Markers that start an extension, longest first so `extension` is not read as `ext`.
const EXTENSION_MARKERS: [&str; 6] = ["extension", "ext", "x", "#", ",", ";"];

/// A phone number typed as the contract allows, split into the part that is dialled and the
/// text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Typed<'a> {
    /// The digits dialled, letters of a vanity number turned into their keypad digits.
    pub(crate) digits: String,
    /// Whether the number is written with its country code: after `+`, or after the
    /// international prefix of the country it is dialled from (then not among `digits`).
    pub(crate) international: bool,
    /// What follows, trimmed: an extension (`ext 12`) or a note (`after 5pm`); may be empty.
    pub(crate) after: &'a str,
}

impl<'a> Typed<'a> {
    /// Checks a `phoneNumber` against the contract's characters and splits it.
    ///
    /// # Errors
    /// - [`NumberError::InvalidCharacter`] for `"264 5555!"`;
    /// - [`NumberError::ServiceCode`] for `"*555"`;
    /// - [`NumberError::NoDigits`] for `"call me"` or `"ext 12"`.
    pub(crate) fn read(text: &'a str) -> Result<Self, NumberError> {
        let text = text.trim();
        if let Some(c) =
            text.chars().find(|&c| !c.is_ascii_alphanumeric() && !is_one_of(c, ALLOWED_PUNCTUATION))
        {
            return Err(NumberError::InvalidCharacter(c));
        }
        if text.starts_with(['*', '#']) && text.bytes().any(|b| b.is_ascii_digit()) {
            return Err(NumberError::ServiceCode);
        }
        // `dialled_end` ends at a character's boundary; the checked split keeps str's slicing
        // panic, and its formatting, out of the embeddable module.
        let (dialled, after) = text.split_at_checked(dialled_end(text)).unwrap_or((text, ""));
        let digits: String = dialled.bytes().filter_map(keypad_digit).map(char::from).collect();
        if digits.is_empty() {
            return Err(NumberError::NoDigits);
        }
        let international =
            dialled.split(|c: char| c.is_ascii_digit()).next().unwrap_or_default().contains('+');
        Ok(Self { digits, international, after: after.trim() })
    }

    /// The number as dialled from `region`: digits that start with its international prefix
    /// (`0064 21 123 4567` or `0044 20 7946 0958` from New Zealand, which dials `00` to call
    /// abroad) are a country code and number, as if written with `+`. A country without a plan
    /// here, or whose prefix the plans do not know, reads only `+`.
    pub(crate) fn dialled_from(mut self, region: Option<Region>) -> Self {
        let prefix = region.map_or("", Region::international_prefix);
        if !self.international
            && let Some(rest) = after_international_prefix(&self.digits, prefix)
        {
            self.digits = rest.to_owned();
            self.international = true;
        }
        self
    }
}

/// `digits` after the international prefix `prefix` (`00` of `0064211234567`), when they start
/// with it. As libphonenumber reads a prefix: never an empty one, and not when a `0` follows
/// it, since no country code starts with `0` (`00 0…` is no call abroad).
pub(crate) fn after_international_prefix<'a>(digits: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = digits.strip_prefix(prefix).filter(|_| !prefix.is_empty())?;
    (!rest.starts_with('0')).then_some(rest)
}

/// Where the dialled part of `text` ends: at the first character that is not a digit, layout,
/// or a capital letter of a vanity word (and not an extension marker).
fn dialled_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut after_a_digit = false;
    // A turn a byte at most: each takes a digit, a layout character or a whole word, so the
    // loop ends however the text is made.
    for _ in 0..bytes.len() {
        let Some(&byte) = bytes.get(at) else { break };
        if byte.is_ascii_digit() || LAYOUT.as_bytes().contains(&byte) {
            after_a_digit |= byte.is_ascii_digit();
            at += 1;
            continue;
        }
        // Indexing at a letter, which is ASCII and so a character's boundary; `get` keeps
        // str's slicing panic out of the embeddable module.
        let rest = text.get(at..).unwrap_or_default();
        let word = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let is_vanity = word >= 2
            && after_a_digit
            && rest.bytes().take(word).all(|b| b.is_ascii_uppercase())
            && !starts_extension(rest);
        if !is_vanity {
            break;
        }
        at += word;
    }
    at
}

/// Whether `text` starts with an extension marker followed by digits (`EXT 12`, `x12`).
fn starts_extension(text: &str) -> bool {
    split_extension(text).0.is_some()
}

/// The digit a dialled character stands for: itself, or a letter's key on a phone (E.161).
fn keypad_digit(byte: u8) -> Option<u8> {
    const KEYS: &[u8; 26] = b"22233344455566677778889999";
    match byte {
        b'0'..=b'9' => Some(byte),
        b'A'..=b'Z' => Some(KEYS[usize::from(byte - b'A')]),
        _ => None,
    }
}

/// Splits the text after a number into an extension (`ext. 12`, `x 12`, `#12`, `,12`) and a
/// note (anything else).
pub(crate) fn split_extension(after: &str) -> (Option<String>, Option<String>) {
    if after.is_empty() {
        return (None, None);
    }
    let lower = after.to_ascii_lowercase();
    let digits = EXTENSION_MARKERS
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

    #[track_caller]
    fn read(text: &str) -> (String, bool, &str) {
        let typed = Typed::read(text).expect("readable");
        (typed.digits, typed.international, typed.after)
    }

    #[test]
    fn capital_words_dial_as_their_keypad_digits() {
        assert_eq!(read("0800 FLOWERS"), ("08003569377".to_owned(), false, ""));
        assert_eq!(read("1-800-GOT-JUNK"), ("18004685865".to_owned(), false, ""));
        assert_eq!(read("1 FLOWERS"), ("13569377".to_owned(), false, ""));
        // Capitals alone are text a person typed, not a number.
        assert_eq!(Typed::read("UNKNOWN"), Err(NumberError::NoDigits));
        assert_eq!(Typed::read("NONE NONE"), Err(NumberError::NoDigits));
    }

    #[test]
    fn lower_case_words_and_extensions_end_the_number() {
        assert_eq!(read("09 264 5555 after 5pm"), ("092645555".to_owned(), false, "after 5pm"));
        assert_eq!(read("09 264 5555 EXT 12"), ("092645555".to_owned(), false, "EXT 12"));
        assert_eq!(read("+64 9 264 5555 x12"), ("6492645555".to_owned(), true, "x12"));
        assert_eq!(read("(+64) 9 264 5555"), ("6492645555".to_owned(), true, ""));
        assert_eq!(read("0800 A 123"), ("0800".to_owned(), false, "A 123"));
    }

    #[test]
    fn digits_after_the_countrys_international_prefix_are_a_country_code_and_number() {
        let from = |code: &str, text: &str| {
            let typed = Typed::read(text).expect("readable").dialled_from(Region::main_for(code));
            (typed.digits, typed.international)
        };
        let cases = [
            ("64", "0064 21 123 4567", "64211234567", true),
            ("64", "0044 20 7946 0958", "442079460958", true),
            ("61", "0011 61 412 345 678", "61412345678", true),
            ("1", "011 44 20 7946 0958", "442079460958", true),
            // Written with `+`, the prefix is not looked for again.
            ("64", "+64 0064 21", "64006421", true),
            // Nationally: a trunk 0, another country's prefix, or a 0 after the prefix.
            ("64", "021 123 4567", "0211234567", false),
            ("61", "0064 21 123 4567", "0064211234567", false),
            ("64", "000 111", "000111", false),
            // Brazil's prefix is a pattern of carriers: only `+` is read there.
            ("55", "0014 11 2345 6789", "00141123456789", false),
        ];
        for (code, text, digits, international) in cases {
            assert_eq!(from(code, text), (digits.to_owned(), international), "+{code} {text:?}");
        }
        assert_eq!(after_international_prefix("0064", ""), None);
        assert_eq!(after_international_prefix("00", "00"), Some(""));
    }

    #[test]
    fn service_codes_and_text_without_digits_are_told_apart() {
        assert_eq!(Typed::read("*555"), Err(NumberError::ServiceCode));
        assert_eq!(Typed::read("#123"), Err(NumberError::ServiceCode));
        assert_eq!(Typed::read("call me"), Err(NumberError::NoDigits));
        assert_eq!(Typed::read("ext 12"), Err(NumberError::NoDigits));
        assert_eq!(Typed::read("#"), Err(NumberError::NoDigits));
        assert_eq!(Typed::read("09 264!"), Err(NumberError::InvalidCharacter('!')));
    }

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
