//! Formatting a number while it is being typed, for an input that shows `021 123 4` as the
//! person types `0211234`.

use crate::{
    CountryCode,
    plan::{Region, Style},
    text::{digits_of, is_one_of},
    typed::LAYOUT,
};
use alloc::{borrow::ToOwned, string::String};

/// The partial number `text`, grouped as its country's plan writes such numbers: nationally
/// (`09 264 5`) when typed without `+` (with the national prefix where it was typed),
/// internationally (`+64 9 264 5`) when typed with `+` and this country code, or with another
/// code of the table by that country's plan (`+61 2 9374 4000` under `+64`). Where no format
/// of the plan fits yet, or the country has no plan here, the digits as typed. Text with
/// anything but digits and layout characters (an extension, a note, a mistake) is left as
/// typed, so that nothing a person types disappears under them.
///
/// ```
/// use phone_model::{CountryCode, format_as_you_type};
/// assert_eq!(format_as_you_type(CountryCode::NZ, "0211234"), "021 123 4");
/// assert_eq!(format_as_you_type(CountryCode::NZ, "+6492645"), "+64 9 264 5");
/// assert_eq!(format_as_you_type(CountryCode::AU, "0412345678"), "0412 345 678");
/// ```
#[must_use]
pub fn format_as_you_type(country_code: CountryCode, text: &str) -> String {
    if text.chars().any(|c| !c.is_ascii_digit() && !is_one_of(c, LAYOUT)) {
        return text.to_owned();
    }
    let international = text.trim_start().starts_with('+');
    let digits = digits_of(text);
    let plus = |digits: &str| {
        let mut out = String::from("+");
        out.push_str(digits);
        out
    };
    let Some(main) = Region::main_for(country_code.digits()) else {
        return if international { plus(&digits) } else { digits };
    };
    if international {
        let Some(national) = digits.strip_prefix(country_code.digits()) else {
            // Another country's code, as in a number pasted whole: grouped by that country's
            // plan (the longest code of the table that starts the digits, as
            // `written_country` reads it), so `+61 2 9374 4000` keeps its grouping whichever
            // country is chosen.
            let other =
                (1..=3).rev().find_map(|length| CountryCode::new(digits.get(..length)?).ok());
            return match other {
                Some(other) => format_as_you_type(other, text),
                None => plus(&digits),
            };
        };
        let mut out = country_code.as_str().to_owned();
        if !national.is_empty() {
            out.push(' ');
            let grouped = main.format_partial(national, Style::International);
            out.push_str(grouped.as_deref().unwrap_or(national));
        }
        return out;
    }
    let prefix = main.national_prefix();
    let (style, national) = match digits.strip_prefix(prefix).filter(|_| !prefix.is_empty()) {
        Some(rest) => (Style::National, rest),
        None => (Style::Grouped, digits.as_str()),
    };
    if national.is_empty() {
        return digits;
    }
    main.format_partial(national, style).unwrap_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_digit_typed_keeps_the_grouping_of_the_finished_number() {
        let uk = CountryCode::new("+44").unwrap();
        let cases = [
            (CountryCode::NZ, "", ""),
            (CountryCode::NZ, "0", "0"),
            (CountryCode::NZ, "09", "09"),
            (CountryCode::NZ, "092", "09 2"),
            (CountryCode::NZ, "09264", "09 264"),
            (CountryCode::NZ, "092645", "09 264 5"),
            (CountryCode::NZ, "(09) 264-5555", "09 264 5555"),
            (CountryCode::NZ, "021", "021"),
            (CountryCode::NZ, "0211234567", "021 123 4567"),
            (CountryCode::NZ, "0800123456", "0800 123 456"),
            (CountryCode::NZ, "+64", "+64"),
            (CountryCode::NZ, "+642112", "+64 21 12"),
            (CountryCode::AU, "04123", "0412 3"),
            (CountryCode::AU, "1800123456", "1800 123 456"),
            (CountryCode::AU, "0298765432", "(02) 9876 5432"),
            (uk, "020 7946", "020 7946"),
            (uk, "02079460958", "020 7946 0958"),
        ];
        for (code, typed, shown) in cases {
            assert_eq!(format_as_you_type(code, typed), shown, "{code} {typed:?}");
        }
        assert_eq!(format_as_you_type(CountryCode::NZ, "09 264 5555 ext"), "09 264 5555 ext");
        assert_eq!(format_as_you_type(CountryCode::NZ, "abc"), "abc");
        // Another country's code: that country's grouping; a code no country has: digits.
        assert_eq!(format_as_you_type(CountryCode::NZ, "+44 20"), "+44 20");
        assert_eq!(format_as_you_type(CountryCode::NZ, "+61293744000"), "+61 2 9374 4000");
        assert_eq!(format_as_you_type(CountryCode::NZ, "+679 331 2345"), "+679 331 2345");
        assert_eq!(format_as_you_type(CountryCode::NZ, "+999 123"), "+999123");
    }
}
