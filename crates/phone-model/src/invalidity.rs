// Over 400 lines: every reason a number cannot be one, with the tests that pin each; one list
// that every caller reads.
//! Why a number is not valid: one reason, for a person to act on, where the provider's errors
//! say only "invalid" and the warnings only "too few or too many digits".
//!
//! libphonenumber's users ask for this again and again (libphonenumber-js's
//! `validatePhoneNumberLength` answers `TOO_SHORT`, `TOO_LONG`, `INVALID_LENGTH`,
//! `INVALID_COUNTRY`, `NOT_A_NUMBER`); these reasons say the same, and more.

use alloc::string::String;
use core::fmt;

use crate::{
    CountryCode, NumberError, ParsedNumber, ValidationError, Value, plan::Region, typed::Typed,
};

/// Why a number (its country code, area code and digits) is not valid: the first of its
/// field's errors, else why its country's plan has no such number.
///
/// ```
/// use phone_model::{Invalidity, PhoneNumberInput, Value, validate_create};
/// let input = PhoneNumberInput {
///     country_code: Value::text("+64"),
///     phone_number: Value::text("021 123 4567 89"),
///     ..PhoneNumberInput::default()
/// };
/// let reason = validate_create(&input).invalidity();
/// assert_eq!(reason, Some(Invalidity::TooLong { country: Some("New Zealand") }));
/// let reason = reason.expect("a reason");
/// assert_eq!(reason.code(), "tooLong");
/// assert_eq!(reason.message(), "PhoneNumber is too long for a number in New Zealand.");
/// assert_eq!(reason.plain_message(), "This number is too long for New Zealand: check the digits.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Invalidity {
    /// No country code (`""`).
    NoCountryCode,
    /// A country code no country of the provider's table has (`+999`, `+6400`, `NZ`).
    UnknownCountryCode,
    /// An area code that is not up to 4 digits (`09a`, `09999`).
    InvalidAreaCode,
    /// No number (`""`).
    NoNumber,
    /// A character the contract does not allow (`264 5555!`).
    InvalidCharacter(char),
    /// No digit to dial (`call me`), or a number that is not text.
    NoDigits,
    /// Fewer digits than any number of its country has (`212 555` under `+1`); `country` is `None`
    /// where no plan says (fewer than 4 digits then).
    TooShort {
        /// The country whose numbers are longer (`New Zealand`).
        country: Option<&'static str>,
    },
    /// More digits than any number of its country has (`021 123 4567 89` under `+64`);
    /// `country` is `None` where no plan
    /// says (more than 17 digits, or more than 75 characters).
    TooLong {
        /// The country whose numbers are shorter.
        country: Option<&'static str>,
    },
    /// A length that only numbers dialled within an area have (`555 0123` under `+1`): the
    /// area code is missing.
    NoAreaCode {
        /// The country whose numbers need it (`United States`).
        country: &'static str,
    },
    /// Between its country's shortest and longest numbers, yet a length none has (11 digits
    /// under `+61`, whose numbers have 5 to 10, or 12).
    InvalidLength {
        /// The country (`United States`).
        country: &'static str,
    },
    /// A possible length, but no range of its country's plan holds it (`09 164 5555`).
    NotInPlan {
        /// The country whose plan it breaks (`New Zealand`).
        country: &'static str,
    },
}

impl Invalidity {
    /// Judges a number from what validating it found: the number fields' errors (in the
    /// provider's order: country code, area code, number), the `phoneNumber` sent, and the
    /// outcome of reading it (`None` when it was not read).
    pub(crate) fn judge(
        errors: &[ValidationError],
        phone_number: &Value,
        read: Option<&Result<ParsedNumber, NumberError>>,
        country_code: Option<CountryCode>,
    ) -> Option<Self> {
        let from_error = errors.iter().find_map(|error| match error {
            ValidationError::CountryCodeRequired => Some(Self::NoCountryCode),
            ValidationError::CountryCodeTooLong | ValidationError::CountryCodeInvalid => {
                Some(Self::UnknownCountryCode)
            }
            ValidationError::AreaCodeTooLong | ValidationError::AreaCodeInvalid => {
                Some(Self::InvalidAreaCode)
            }
            ValidationError::PhoneNumberRequired => Some(Self::NoNumber),
            ValidationError::PhoneNumberTooLong => Some(Self::TooLong { country: None }),
            ValidationError::PhoneNumberInvalid => Some(match phone_number {
                Value::Text(text) => match Typed::read(text) {
                    Err(NumberError::InvalidCharacter(c)) => Self::InvalidCharacter(c),
                    _ => Self::NoDigits,
                },
                _ => Self::NoDigits,
            }),
            _ => None,
        });
        if from_error.is_some() {
            return from_error;
        }
        let country = || {
            let code = country_code?;
            Region::main_for(code.digits()).map(Region::name)
        };
        match read? {
            Ok(number) => number.invalidity(),
            Err(NumberError::TooShort) => Some(Self::TooShort { country: country() }),
            Err(NumberError::TooLong) => Some(Self::TooLong { country: country() }),
            Err(NumberError::InvalidCharacter(c)) => Some(Self::InvalidCharacter(*c)),
            Err(NumberError::NoDigits) => Some(Self::NoDigits),
            // Valid as written: a service code is dialled as it is, and a number with another
            // country's code belongs to that country (`written_country` names it).
            Err(NumberError::ServiceCode | NumberError::OtherCountry) => None,
        }
    }

    /// A stable name for the reason, for code to switch on: `noCountryCode`,
    /// `unknownCountryCode`, `invalidAreaCode`, `noNumber`, `invalidCharacter`, `noDigits`,
    /// `tooShort`, `tooLong`, `noAreaCode`, `invalidLength`, `notInPlan`.
    ///
    /// ```
    /// assert_eq!(phone_model::Invalidity::NoDigits.code(), "noDigits");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::NoCountryCode => "noCountryCode",
            Self::UnknownCountryCode => "unknownCountryCode",
            Self::InvalidAreaCode => "invalidAreaCode",
            Self::NoNumber => "noNumber",
            Self::InvalidCharacter(_) => "invalidCharacter",
            Self::NoDigits => "noDigits",
            Self::TooShort { .. } => "tooShort",
            Self::TooLong { .. } => "tooLong",
            Self::NoAreaCode { .. } => "noAreaCode",
            Self::InvalidLength { .. } => "invalidLength",
            Self::NotInPlan { .. } => "notInPlan",
        }
    }

    /// The reason in the provider's sentence style, naming the field. Built without
    /// `core::fmt`, as [`Warning::message`](crate::Warning::message) is, so the embeddable
    /// module can say it without the formatting machinery.
    ///
    /// ```
    /// use phone_model::Invalidity;
    /// assert_eq!(Invalidity::InvalidCharacter('!').message(), "PhoneNumber must not contain \"!\".");
    /// ```
    #[must_use]
    pub fn message(self) -> String {
        let mut character = [0; 4];
        let parts: [&str; 3] = match self {
            Self::NoCountryCode => ["CountryCode is required.", "", ""],
            Self::UnknownCountryCode => ["CountryCode is not the code of a country.", "", ""],
            Self::InvalidAreaCode => ["AreaCode must be up to 4 digits.", "", ""],
            Self::NoNumber => ["PhoneNumber is required.", "", ""],
            Self::InvalidCharacter(c) => {
                ["PhoneNumber must not contain \"", c.encode_utf8(&mut character), "\"."]
            }
            Self::NoDigits => ["PhoneNumber has no digits to dial.", "", ""],
            Self::TooShort { country: Some(country) } => {
                ["PhoneNumber is too short for a number in ", country, "."]
            }
            Self::TooShort { country: None } => {
                ["PhoneNumber is too short to be a phone number.", "", ""]
            }
            Self::TooLong { country: Some(country) } => {
                ["PhoneNumber is too long for a number in ", country, "."]
            }
            Self::TooLong { country: None } => {
                ["PhoneNumber is too long to be a phone number.", "", ""]
            }
            Self::NoAreaCode { country } => {
                ["PhoneNumber needs its area code to be a number in ", country, "."]
            }
            Self::InvalidLength { country } => {
                ["PhoneNumber has a number of digits that no number in ", country, " has."]
            }
            Self::NotInPlan { country } => {
                ["PhoneNumber does not fit the numbering plan of ", country, "."]
            }
        };
        crate::text::joined(&parts)
    }

    /// The reason in the staff app's words, naming no field (see
    /// [`ValidationError::plain_message`]).
    ///
    /// ```
    /// use phone_model::Invalidity;
    /// let reason = Invalidity::NoAreaCode { country: "United States" };
    /// assert_eq!(reason.plain_message(), "Add the area code: numbers in United States are dialled with one.");
    /// ```
    #[must_use]
    pub fn plain_message(self) -> String {
        let mut character = [0; 4];
        let parts: [&str; 3] = match self {
            Self::NoCountryCode => ["Choose a country.", "", ""],
            Self::UnknownCountryCode => {
                ["No country has this code: choose one from the list.", "", ""]
            }
            Self::InvalidAreaCode => ["Enter the area code in digits, such as 09.", "", ""],
            Self::NoNumber => ["Enter the number.", "", ""],
            Self::InvalidCharacter(c) => {
                ["A phone number cannot contain \"", c.encode_utf8(&mut character), "\"."]
            }
            Self::NoDigits => ["Enter the number in digits, such as 264 5555.", "", ""],
            Self::TooShort { country: Some(country) } => {
                ["This number is too short for ", country, ": check the digits."]
            }
            Self::TooShort { country: None } => {
                ["This number is too short: check the digits.", "", ""]
            }
            Self::TooLong { country: Some(country) } => {
                ["This number is too long for ", country, ": check the digits."]
            }
            Self::TooLong { country: None } => {
                ["This number is too long: check the digits.", "", ""]
            }
            Self::NoAreaCode { country } => {
                ["Add the area code: numbers in ", country, " are dialled with one."]
            }
            Self::InvalidLength { country } => {
                ["No number in ", country, " has this many digits: check the digits."]
            }
            Self::NotInPlan { country } => {
                ["No number in ", country, " is written like this: check the digits."]
            }
        };
        crate::text::joined(&parts)
    }
}

impl fmt::Display for Invalidity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, PhoneNumberInput, validate_create};

    /// The reason `validate_create` gives for a number alone (no name, type or primary: their
    /// errors must not matter).
    #[track_caller]
    fn reason(country_code: &str, area_code: &str, number: &str) -> Option<Invalidity> {
        let input = PhoneNumberInput {
            country_code: Value::text(country_code),
            area_code: Value::text(area_code),
            phone_number: Value::text(number),
            ..PhoneNumberInput::default()
        };
        let validation = validate_create(&input);
        // Some exactly when the number is refused or cannot exist: what `checkNumber` calls
        // not valid.
        let number_fields = [Field::CountryCode, Field::AreaCode, Field::PhoneNumber];
        let refused = validation.errors().iter().any(|e| number_fields.contains(&e.field()));
        let implausible = validation.warnings().iter().any(|w| w.is_implausible());
        assert_eq!(
            validation.invalidity().is_some(),
            refused || implausible,
            "{country_code} {area_code:?} {number:?}: {validation:?}"
        );
        validation.invalidity()
    }

    #[test]
    fn every_number_that_is_not_valid_has_its_reason() {
        use Invalidity::*;
        let nz = Some("New Zealand");
        let cases = [
            ("+64", "09", "264 5555", None),
            ("+64", "", "021 123 4567", None),
            // Valid as written: another country's number, a service code, text after it.
            ("+64", "", "+44 20 7946 0958", None),
            ("+64", "", "*555", None),
            ("+64", "", "021 123 4567 after 5pm", None),
            ("", "", "021 123 4567", Some(NoCountryCode)),
            ("+999", "", "021 123 4567", Some(UnknownCountryCode)),
            ("+6400", "", "021 123 4567", Some(UnknownCountryCode)),
            ("+64", "09a", "264 5555", Some(InvalidAreaCode)),
            ("+64", "09999", "264 5555", Some(InvalidAreaCode)),
            ("+64", "", "", Some(NoNumber)),
            ("+64", "", "  ", Some(NoNumber)),
            ("+64", "", "264 5555!", Some(InvalidCharacter('!'))),
            ("+64", "", "２６４", Some(InvalidCharacter('２'))),
            ("+64", "", "call me", Some(NoDigits)),
            ("+64", "", "ext 12", Some(NoDigits)),
            ("+64", "", &"1".repeat(76), Some(TooLong { country: None })),
            // Under 4 digits: too short for any number; 4 digits: for New Zealand's (5 to 10).
            ("+64", "", "123", Some(TooShort { country: nz })),
            ("+64", "", "0064 12", Some(TooShort { country: nz })),
            ("+64", "", "1234", Some(TooShort { country: nz })),
            ("+64", "", "021 123 4567 89", Some(TooLong { country: nz })),
            ("+64", "", &"2".repeat(18), Some(TooLong { country: nz })),
            ("+64", "09", "164 5555", Some(NotInPlan { country: "New Zealand" })),
            ("+64", "", "09 264 555", Some(NotInPlan { country: "New Zealand" })),
            // The United States: 10 digits, 7 within an area.
            ("+1", "", "212 555", Some(TooShort { country: Some("United States") })),
            ("+1", "", "555 0123", Some(NoAreaCode { country: "United States" })),
            ("+1", "", "212 555 01", Some(TooShort { country: Some("United States") })),
            // Australia's numbers have 5 to 10 digits, or 12.
            ("+61", "", "4123 4567 890", Some(InvalidLength { country: "Australia" })),
            ("+1", "", "212 555 0123 4", Some(TooLong { country: Some("United States") })),
            // Judged by the region the number's leading digits pick (American Samoa's 684).
            ("+1", "", "684 123 1234", Some(NotInPlan { country: "American Samoa" })),
            // No plan for +379: only the limits of every number.
            ("+379", "", "12", Some(TooShort { country: None })),
            ("+379", "", "06 1234 5678", None),
            // The country code's error comes first, as the provider lists errors.
            ("+999", "", "call me", Some(UnknownCountryCode)),
        ];
        for (country_code, area_code, number, expected) in cases {
            assert_eq!(
                reason(country_code, area_code, number),
                expected,
                "{country_code} {area_code:?} {number:?}"
            );
        }
    }

    #[test]
    fn each_reason_has_its_code_and_both_wordings() {
        use Invalidity::*;
        let us = "United States";
        let cases = [
            (NoCountryCode, "noCountryCode", "CountryCode is required.", "Choose a country."),
            (
                UnknownCountryCode,
                "unknownCountryCode",
                "CountryCode is not the code of a country.",
                "No country has this code: choose one from the list.",
            ),
            (
                InvalidAreaCode,
                "invalidAreaCode",
                "AreaCode must be up to 4 digits.",
                "Enter the area code in digits, such as 09.",
            ),
            (NoNumber, "noNumber", "PhoneNumber is required.", "Enter the number."),
            (
                InvalidCharacter('é'),
                "invalidCharacter",
                "PhoneNumber must not contain \"é\".",
                "A phone number cannot contain \"é\".",
            ),
            (
                NoDigits,
                "noDigits",
                "PhoneNumber has no digits to dial.",
                "Enter the number in digits, such as 264 5555.",
            ),
            (
                TooShort { country: Some(us) },
                "tooShort",
                "PhoneNumber is too short for a number in United States.",
                "This number is too short for United States: check the digits.",
            ),
            (
                TooShort { country: None },
                "tooShort",
                "PhoneNumber is too short to be a phone number.",
                "This number is too short: check the digits.",
            ),
            (
                TooLong { country: Some(us) },
                "tooLong",
                "PhoneNumber is too long for a number in United States.",
                "This number is too long for United States: check the digits.",
            ),
            (
                TooLong { country: None },
                "tooLong",
                "PhoneNumber is too long to be a phone number.",
                "This number is too long: check the digits.",
            ),
            (
                NoAreaCode { country: us },
                "noAreaCode",
                "PhoneNumber needs its area code to be a number in United States.",
                "Add the area code: numbers in United States are dialled with one.",
            ),
            (
                InvalidLength { country: us },
                "invalidLength",
                "PhoneNumber has a number of digits that no number in United States has.",
                "No number in United States has this many digits: check the digits.",
            ),
            (
                NotInPlan { country: us },
                "notInPlan",
                "PhoneNumber does not fit the numbering plan of United States.",
                "No number in United States is written like this: check the digits.",
            ),
        ];
        for (reason, code, message, plain) in cases {
            assert_eq!(
                (reason.code(), reason.message().as_str(), reason.plain_message().as_str()),
                (code, message, plain),
                "{reason:?}"
            );
            assert_eq!(reason.to_string(), message);
            // Plain words name no field of the API.
            for field in ["CountryCode", "AreaCode", "PhoneNumber"] {
                assert!(!reason.plain_message().contains(field), "{reason:?}");
            }
        }
    }
}
