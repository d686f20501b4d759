//! What the number checker says about a typed number: plain logic, tested natively.

use phone_model::{CountryCode, ParsedNumber, PhoneNumberInput, Value, validate_create};

/// What to show under the checker's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing typed yet.
    Empty,
    /// The number can be dialled: its international form, and any warnings.
    Dialable {
        international: String,
        warnings: Vec<String>,
    },
    /// The provider would refuse it: its message.
    Refused(String),
}

/// Judges `number` under New Zealand's country code, with the provider's rules.
pub(crate) fn verdict(number: &str) -> Verdict {
    if number.trim().is_empty() {
        return Verdict::Empty;
    }
    let input = PhoneNumberInput {
        phone_name: Value::text("check"),
        country_code: Value::text(CountryCode::NZ.as_str()),
        phone_number: Value::text(number),
        phone_type: Value::text("home"),
        is_primary: Value::Bool(false),
        ..PhoneNumberInput::default()
    };
    let validation = validate_create(&input);
    if let Some(error) = validation.errors().first() {
        return Verdict::Refused(error.message().to_owned());
    }
    Verdict::Dialable {
        international: validation
            .number()
            .map_or_else(|| number.trim().to_owned(), ParsedNumber::international),
        warnings: validation
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_zealand_number_is_shown_in_international_form() {
        assert_eq!(
            verdict("09 264 5555"),
            Verdict::Dialable {
                international: "+64 9 264 5555".to_owned(),
                warnings: vec![]
            }
        );
    }

    #[test]
    fn letters_are_refused_in_the_providers_words() {
        assert_eq!(
            verdict("abc"),
            Verdict::Refused("PhoneNumber provided is invalid.".to_owned())
        );
    }

    #[test]
    fn nothing_typed_says_nothing() {
        assert_eq!(verdict("  "), Verdict::Empty);
    }
}
