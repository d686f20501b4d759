//! The country a number is written for: decided once, here, from what was typed, so that the
//! staff app's country field, the review's suggested fix and a client of the embeddable module
//! all name the same country.

use crate::{Country, CountryCode, code_country::country_of, plan::Region, typed::Typed};

/// The country of the provider's table that `number` is written for, when it is written with a
/// country code — after `+`, or after `selected`'s international prefix — other than
/// `selected`'s: what the country field should say. `None` when the number is written
/// nationally, with `selected`'s own code, or with a code the table does not have.
///
/// The code is the longest one (of 1 to 3 digits) of the table that starts the digits. Where
/// several countries share it, the row whose area codes start the rest (`+1 684 …`: American
/// Samoa), else the row the table marks as the code's main country (`+1`: the United States;
/// `+44`: the United Kingdom), else the code's first row.
///
/// ```
/// use phone_model::{CountryCode, written_country};
/// let country = |number: &str| written_country(CountryCode::NZ, number).map(|c| c.name());
/// assert_eq!(country("+44 20 7946 0958"), Some("United Kingdom"));
/// // New Zealand dials 00 to call abroad.
/// assert_eq!(country("0044 20 7946 0958"), Some("United Kingdom"));
/// assert_eq!(country("+1 212 555 0123"), Some("United States"));
/// assert_eq!(country("0064 21 123 4567"), None);
/// assert_eq!(country("021 123 4567"), None);
/// ```
#[must_use]
pub fn written_country(selected: CountryCode, number: &str) -> Option<&'static Country> {
    let typed = Typed::read(number).ok()?.dialled_from(Region::main_for(selected.digits()));
    if !typed.international || typed.digits.starts_with(selected.digits()) {
        return None;
    }
    (1..=3).rev().find_map(|length| {
        let code = CountryCode::new(typed.digits.get(..length)?).ok()?;
        country_of(code, typed.digits.get(length..)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn written(selected: &str, number: &str) -> Option<(&'static str, &'static str)> {
        let selected = CountryCode::new(selected).expect("a code of the table");
        written_country(selected, number).map(|c| (c.name(), c.code()))
    }

    #[test]
    fn a_number_written_with_another_countrys_code_names_that_country() {
        let cases = [
            ("+64", "+44 20 7946 0958", Some(("United Kingdom", "+44"))),
            ("+64", "0044 20 7946 0958", Some(("United Kingdom", "+44"))),
            ("+64", "(+61) 412 345 678", Some(("Australia", "+61"))),
            ("+61", "0011 64 21 123 4567", Some(("New Zealand", "+64"))),
            ("+1", "011 64 21 123 4567", Some(("New Zealand", "+64"))),
            ("+64", "+1 212 555 0123", Some(("United States", "+1"))),
            // Shared codes: by the table's area codes, else the main region.
            ("+64", "+1 684 633 1234", Some(("American Samoa", "+1"))),
            ("+64", "+44 1481 712 345", Some(("Guernsey", "+44"))),
            ("+64", "+7 495 123 4567", Some(("Russia", "+7"))),
            // Three digits before two: Fiji's +679, not +67 (no such code) or +6.
            ("+64", "+679 331 2345", Some(("Fiji", "+679"))),
            // The selected country's own code, or none at all.
            ("+64", "+64 21 123 4567", None),
            ("+64", "0064 21 123 4567", None),
            ("+64", "021 123 4567", None),
            ("+64", "00 0123", None),
            // Another country's international prefix is a national number here.
            ("+61", "0044 20 7946 0958", None),
            // No country of the table has the code; nothing to read at all.
            ("+64", "+999 123 4567", None),
            ("+64", "*555", None),
            ("+64", "call me", None),
        ];
        for (selected, number, expected) in cases {
            assert_eq!(written(selected, number), expected, "{number:?} under {selected}");
        }
    }
}
