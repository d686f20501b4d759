//! Warnings: what looks wrong about a number but does not stop it being saved.
//!
//! The provider accepts these numbers, numbering plans change, and staff must be able to save a
//! number the plan has not caught up with; so these never block, they only inform.

use alloc::string::String;
use core::fmt;

use crate::{Field, NumberKind, PhoneType};

/// Something about a number that a person should look at twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// The number fits none of the ranges of its country's plan (`+64 9 064 5555`).
    NotInPlan {
        /// The country whose plan it breaks (`New Zealand`).
        country: &'static str,
    },
    /// The number has too few digits, or too many to be dialled internationally.
    ImpossibleLength,
    /// The number is written with a country code other than `countryCode`: after `+`, or
    /// after its country's international prefix (`0044 …` under `+64`). Which country it is
    /// written for, [`written_country`](crate::written_country) says.
    OtherCountry,
    /// The phone type contradicts the kind of number (`mobile` on a landline).
    TypeMismatch {
        /// The type that was chosen.
        phone_type: PhoneType,
        /// What the number is.
        kind: NumberKind,
    },
    /// Text after the number that is not an extension: kept, but not dialled.
    TrailingText,
    /// An area code beside a number written with `+` that does not start its national number:
    /// the number is read as written.
    AreaCodeIgnored,
    /// A service code (`*555`, `#123`): dialled as written within the country, never from
    /// abroad, and not judged by the plan.
    ServiceCode,
}

impl Warning {
    /// The field the warning is about.
    ///
    /// ```
    /// assert_eq!(phone_model::Warning::TrailingText.field(), phone_model::Field::PhoneNumber);
    /// ```
    #[must_use]
    pub const fn field(self) -> Field {
        match self {
            Self::TypeMismatch { .. } => Field::PhoneType,
            Self::AreaCodeIgnored => Field::AreaCode,
            Self::NotInPlan { .. }
            | Self::ServiceCode
            | Self::ImpossibleLength
            | Self::OtherCountry
            | Self::TrailingText => Field::PhoneNumber,
        }
    }

    /// Whether `phone_type` contradicts what a number of `kind` is. Only clear contradictions
    /// count: a work mobile is common (a company's phone); a mobile saved as a home number, a
    /// mobile landline or a fax on a mobile is not. (The data-quality review counts the same.)
    #[must_use]
    pub fn contradicts(phone_type: PhoneType, kind: NumberKind) -> bool {
        use NumberKind::{FixedLine, Mobile, Pager, PremiumRate, SharedCost, TollFree, Uan};
        match phone_type {
            PhoneType::Mobile => {
                matches!(kind, FixedLine | TollFree | PremiumRate | SharedCost | Uan)
            }
            PhoneType::Fax => matches!(kind, Mobile | Pager),
            PhoneType::Home => {
                matches!(kind, Mobile | Pager | TollFree | PremiumRate | SharedCost | Uan)
            }
            PhoneType::Emergency | PhoneType::Work => false,
        }
    }

    /// The type a number of `kind` can only be, where its kind decides it: a mobile (or pager)
    /// is `mobile`; a toll-free, premium-rate, local-rate or universal access number is a
    /// business's, `work`. A landline may be home or work: a person decides.
    #[must_use]
    pub const fn type_of(kind: NumberKind) -> Option<PhoneType> {
        use NumberKind::{Mobile, Pager, PremiumRate, SharedCost, TollFree, Uan};
        match kind {
            Mobile | Pager => Some(PhoneType::Mobile),
            TollFree | PremiumRate | SharedCost | Uan => Some(PhoneType::Work),
            _ => None,
        }
    }
}

impl Warning {
    /// The message, in the provider's sentence style. Built without `core::fmt`, so the
    /// embeddable module can say it without the formatting machinery.
    ///
    /// ```
    /// use phone_model::{NumberKind, PhoneType, Warning};
    /// let warning = Warning::TypeMismatch { phone_type: PhoneType::Mobile, kind: NumberKind::FixedLine };
    /// assert_eq!(warning.message(), "PhoneType mobile does not match a landline.");
    /// ```
    #[must_use]
    pub fn message(self) -> String {
        let parts: [&str; 5] = match self {
            Self::NotInPlan { country } => {
                ["PhoneNumber does not fit the numbering plan of ", country, ".", "", ""]
            }
            Self::ImpossibleLength => {
                ["PhoneNumber has too few or too many digits to be dialled.", "", "", "", ""]
            }
            Self::OtherCountry => {
                ["PhoneNumber starts with a country code other than CountryCode.", "", "", "", ""]
            }
            Self::TypeMismatch { phone_type, kind } => {
                ["PhoneType ", phone_type.as_str(), " does not match a ", kind.description(), "."]
            }
            Self::TrailingText => [
                "PhoneNumber has text after the number, which is kept but not dialled.",
                "",
                "",
                "",
                "",
            ],
            Self::AreaCodeIgnored => [
                "AreaCode does not match PhoneNumber, which has its country code and is used as written.",
                "",
                "",
                "",
                "",
            ],
            Self::ServiceCode => [
                "PhoneNumber is a service code, dialled as written and not from abroad.",
                "",
                "",
                "",
                "",
            ],
        };
        crate::text::joined(&parts)
    }
}

impl Warning {
    /// Whether the number, as written, cannot exist: no number of its country has this
    /// length or starts this way. The staff app asks for a deliberate "anyway" before saving
    /// one; the rest are hints. (The API saves either: the provider does.)
    #[must_use]
    pub const fn is_implausible(self) -> bool {
        matches!(self, Self::NotInPlan { .. } | Self::ImpossibleLength)
    }

    /// The same warning in the staff app's words (see `ValidationError::plain_message`).
    #[must_use]
    pub fn plain_message(self) -> String {
        let parts: [&str; 5] = match self {
            Self::NotInPlan { country } => {
                ["No number in ", country, " is written like this: check the digits.", "", ""]
            }
            Self::ImpossibleLength => {
                ["This number has too few or too many digits to be dialled.", "", "", "", ""]
            }
            Self::OtherCountry => [
                "The number starts with another country's code: check the country code.",
                "",
                "",
                "",
                "",
            ],
            Self::TypeMismatch { phone_type, kind } => [
                "This looks like a ",
                kind.description(),
                ", not a ",
                phone_type.as_str(),
                " number.",
            ],
            Self::TrailingText => {
                ["The text after the number is kept, but not dialled.", "", "", "", ""]
            }
            Self::AreaCodeIgnored => {
                ["The area code is not used: the number has its own country code.", "", "", "", ""]
            }
            Self::ServiceCode => [
                "This is a service code: it is dialled as written, not from abroad.",
                "",
                "",
                "",
                "",
            ],
        };
        crate::text::joined(&parts)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_that_cannot_exist_is_told_apart_from_hints() {
        let implausible =
            [Warning::NotInPlan { country: "New Zealand" }, Warning::ImpossibleLength];
        let hints = [
            Warning::OtherCountry,
            Warning::TypeMismatch { phone_type: PhoneType::Mobile, kind: NumberKind::FixedLine },
            Warning::TrailingText,
            Warning::AreaCodeIgnored,
            Warning::ServiceCode,
        ];
        assert!(implausible.iter().all(|w| w.is_implausible()));
        assert!(hints.iter().all(|w| !w.is_implausible()));
        for warning in implausible.iter().chain(&hints) {
            let plain = warning.plain_message();
            assert!(!plain.contains("PhoneNumber") && !plain.contains("PhoneType"), "{plain}");
        }
        assert_eq!(hints[1].plain_message(), "This looks like a landline, not a mobile number.");
    }
}
