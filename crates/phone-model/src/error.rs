// Over 400 lines: every rule's message to the letter and in the staff app's words, one match
// each, kept side by side so that a rule and its sentences cannot drift apart.
//! The validation errors, each rendering the provider's message to the letter.
//!
//! This is the one place that holds the sentences the API contract fixes. Rules the provider's
//! list does not name use the same shape and sentence style.

use core::fmt;

use crate::Field;

/// A rule that a request broke. Renders the provider's message with [`message`](Self::message)
/// and names the field with [`field`](Self::field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidationError {
    /// The body does not parse as JSON.
    BodyMalformed,
    /// The body is JSON, but not an object.
    BodyInvalid,
    /// A phone number id that is not 1 to 10 digits, or a body id that differs from the path's.
    PhoneNumberIdInvalid,
    /// The primary number cannot be deleted (reported on `phoneNumberId`).
    PrimaryDeletion,
    /// `phoneName` is missing, `null` or only white space.
    PhoneNameRequired,
    /// `phoneName` is longer than 50 UTF-16 code units.
    PhoneNameTooLong,
    /// `phoneName` is not a string.
    PhoneNameInvalid,
    /// `countryCode` is missing, `null` or only white space.
    CountryCodeRequired,
    /// `countryCode` is longer than 4 UTF-16 code units.
    CountryCodeTooLong,
    /// `countryCode` is not one of the provider's table (or not a string).
    CountryCodeInvalid,
    /// `areaCode` is longer than 4 UTF-16 code units.
    AreaCodeTooLong,
    /// `areaCode` holds something other than digits, spaces and parentheses (or is not a string).
    AreaCodeInvalid,
    /// `phoneNumber` is missing, `null` or only white space (or, creating a customer, its
    /// `phoneNumber` object is missing or not an object).
    PhoneNumberRequired,
    /// `phoneNumber` holds a character the contract does not allow, or no digit to dial.
    PhoneNumberInvalid,
    /// `phoneNumber` is longer than 75 UTF-16 code units.
    PhoneNumberTooLong,
    /// The customer already has this number.
    PhoneNumberExists,
    /// `phoneType` is missing, `null` or only white space.
    PhoneTypeRequired,
    /// `phoneType` is not emergency, fax, home, mobile or work.
    PhoneTypeInvalid,
    /// `isPrimary` is missing where it is required (creating a number).
    IsPrimaryRequired,
    /// `isPrimary` is neither a boolean nor the string `"true"` or `"false"`.
    IsPrimaryInvalid,
    /// The change would leave the customer without a primary number.
    PrimaryRequired,
    /// `phoneName` and its alias `name` were both sent, with different values.
    PhoneNameConflict,
    /// `phoneType` and its alias `type` (or `phonetype`) were both sent, with different values.
    PhoneTypeConflict,
    /// A new customer's `businessId` is missing.
    BusinessIdRequired,
    /// A new customer's `businessId` names no business (or is not a string).
    BusinessIdInvalid,
    /// A new customer's `firstName` is missing.
    FirstNameRequired,
    /// `firstName` is longer than 40 UTF-16 code units.
    FirstNameTooLong,
    /// `firstName` is not a string.
    FirstNameInvalid,
    /// `lastName` is longer than 40 UTF-16 code units.
    LastNameTooLong,
    /// `lastName` is not a string.
    LastNameInvalid,
    /// `externalReference` is longer than 40 UTF-16 code units.
    ExternalReferenceTooLong,
    /// `externalReference` is not a string.
    ExternalReferenceInvalid,
    /// Another customer of the business already has this `externalReference`.
    ExternalReferenceExists,
    /// `limit` is not a whole number from 1 up.
    LimitInvalid,
    /// `nextCursor` is not one this server issued for this list.
    NextCursorInvalid,
    /// The `search` text of a customer list is longer than [`SEARCH_MAX`](crate::SEARCH_MAX).
    SearchTooLong,
    /// The `If-Match` header is not `*` or a list of entity tags.
    IfMatchInvalid,
    /// The `Idempotency-Key` header is empty, too long, or not printable ASCII.
    IdempotencyKeyInvalid,
    /// The review's `problem` is not one of its problems.
    ProblemInvalid,
    /// The review's `expected` is not `true` or `false`, or is `true` for a problem other than
    /// `sharedNumber` (only shared numbers are marked as expected).
    ExpectedInvalid,
    /// A number marked as an expected shared number that no other customer has (reported on
    /// `phoneNumberId`, the path's number).
    PhoneNumberNotShared,
    /// A caller lookup's `number` is missing.
    NumberRequired,
    /// A caller lookup's `number` is no phone number, or too long.
    NumberInvalid,
    /// A call event's `from` is missing.
    FromRequired,
    /// A call event's `from` is too long, or not a string.
    FromInvalid,
    /// A call event's `to` is too long, or not a string.
    ToInvalid,
    /// A call event's `extension` is too long, or not a string.
    ExtensionInvalid,
    /// A call event's `state` is missing.
    StateRequired,
    /// A call event's `state` is not ringing, answered or ended.
    StateInvalid,
    /// A call event's `callId` is too long, or not a string.
    CallIdInvalid,
    /// A caller lookup's `format` is not `3cx`.
    FormatInvalid,
}

impl ValidationError {
    /// Every error, in declaration order: a stable numbering for callers that send errors as
    /// codes (the embeddable module does).
    pub const ALL: [Self; 51] = [
        Self::BodyMalformed,
        Self::BodyInvalid,
        Self::PhoneNumberIdInvalid,
        Self::PrimaryDeletion,
        Self::PhoneNameRequired,
        Self::PhoneNameTooLong,
        Self::PhoneNameInvalid,
        Self::CountryCodeRequired,
        Self::CountryCodeTooLong,
        Self::CountryCodeInvalid,
        Self::AreaCodeTooLong,
        Self::AreaCodeInvalid,
        Self::PhoneNumberRequired,
        Self::PhoneNumberInvalid,
        Self::PhoneNumberTooLong,
        Self::PhoneNumberExists,
        Self::PhoneTypeRequired,
        Self::PhoneTypeInvalid,
        Self::IsPrimaryRequired,
        Self::IsPrimaryInvalid,
        Self::PrimaryRequired,
        Self::PhoneNameConflict,
        Self::PhoneTypeConflict,
        Self::BusinessIdRequired,
        Self::BusinessIdInvalid,
        Self::FirstNameRequired,
        Self::FirstNameTooLong,
        Self::FirstNameInvalid,
        Self::LastNameTooLong,
        Self::LastNameInvalid,
        Self::ExternalReferenceTooLong,
        Self::ExternalReferenceInvalid,
        Self::ExternalReferenceExists,
        Self::LimitInvalid,
        Self::NextCursorInvalid,
        Self::SearchTooLong,
        Self::IfMatchInvalid,
        Self::IdempotencyKeyInvalid,
        Self::ProblemInvalid,
        Self::ExpectedInvalid,
        Self::PhoneNumberNotShared,
        Self::NumberRequired,
        Self::NumberInvalid,
        Self::FromRequired,
        Self::FromInvalid,
        Self::ToInvalid,
        Self::ExtensionInvalid,
        Self::StateRequired,
        Self::StateInvalid,
        Self::CallIdInvalid,
        Self::FormatInvalid,
    ];

    /// The field the error is about, as the provider reports it.
    ///
    /// ```
    /// use phone_model::{Field, ValidationError};
    /// assert_eq!(ValidationError::PrimaryDeletion.field(), Field::PhoneNumberId);
    /// ```
    #[must_use]
    pub const fn field(self) -> Field {
        match self {
            Self::BodyMalformed | Self::BodyInvalid => Field::Body,
            Self::PhoneNumberIdInvalid | Self::PrimaryDeletion | Self::PhoneNumberNotShared => {
                Field::PhoneNumberId
            }
            Self::PhoneNameRequired
            | Self::PhoneNameTooLong
            | Self::PhoneNameInvalid
            | Self::PhoneNameConflict => Field::PhoneName,
            Self::CountryCodeRequired | Self::CountryCodeTooLong | Self::CountryCodeInvalid => {
                Field::CountryCode
            }
            Self::AreaCodeTooLong | Self::AreaCodeInvalid => Field::AreaCode,
            Self::PhoneNumberRequired
            | Self::PhoneNumberInvalid
            | Self::PhoneNumberTooLong
            | Self::PhoneNumberExists => Field::PhoneNumber,
            Self::PhoneTypeRequired | Self::PhoneTypeInvalid | Self::PhoneTypeConflict => {
                Field::PhoneType
            }
            Self::IsPrimaryRequired | Self::IsPrimaryInvalid | Self::PrimaryRequired => {
                Field::IsPrimary
            }
            Self::BusinessIdRequired | Self::BusinessIdInvalid => Field::BusinessId,
            Self::FirstNameRequired | Self::FirstNameTooLong | Self::FirstNameInvalid => {
                Field::FirstName
            }
            Self::LastNameTooLong | Self::LastNameInvalid => Field::LastName,
            Self::ExternalReferenceTooLong
            | Self::ExternalReferenceInvalid
            | Self::ExternalReferenceExists => Field::ExternalReference,
            Self::LimitInvalid => Field::Limit,
            Self::NextCursorInvalid => Field::NextCursor,
            Self::SearchTooLong => Field::Search,
            Self::IfMatchInvalid => Field::IfMatch,
            Self::IdempotencyKeyInvalid => Field::IdempotencyKey,
            Self::ProblemInvalid => Field::Problem,
            Self::ExpectedInvalid => Field::Expected,
            Self::NumberRequired | Self::NumberInvalid => Field::Number,
            Self::FromRequired | Self::FromInvalid => Field::From,
            Self::ToInvalid => Field::To,
            Self::ExtensionInvalid => Field::Extension,
            Self::StateRequired | Self::StateInvalid => Field::State,
            Self::CallIdInvalid => Field::CallId,
            Self::FormatInvalid => Field::Format,
        }
    }

    /// The message, to the letter of the provider's documentation.
    ///
    /// ```
    /// use phone_model::ValidationError;
    /// assert_eq!(ValidationError::PhoneNameRequired.message(), "PhoneName is required.");
    /// ```
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::BodyMalformed => "Body is not valid JSON.",
            Self::BodyInvalid => "Body must be a JSON object.",
            Self::PhoneNumberIdInvalid => "PhoneNumberId is invalid.",
            Self::PrimaryDeletion => "Deletion of Primary phone number is not allowed.",
            Self::PhoneNameRequired => "PhoneName is required.",
            Self::PhoneNameTooLong => "PhoneName must not exceed 50 characters.",
            Self::PhoneNameInvalid => "PhoneName is invalid.",
            Self::CountryCodeRequired => "CountryCode is required.",
            Self::CountryCodeTooLong => "CountryCode must not exceed 4 characters.",
            Self::CountryCodeInvalid => "CountryCode is invalid.",
            Self::AreaCodeTooLong => "AreaCode must not exceed 4 characters.",
            Self::AreaCodeInvalid => "AreaCode is invalid.",
            Self::PhoneNumberRequired => "PhoneNumber is required.",
            Self::PhoneNumberInvalid => "PhoneNumber provided is invalid.",
            Self::PhoneNumberTooLong => "PhoneNumber must not exceed 75 characters.",
            Self::PhoneNumberExists => "PhoneNumber provided already exists.",
            Self::PhoneTypeRequired => "PhoneType is required.",
            Self::PhoneTypeInvalid => "PhoneType is invalid.",
            Self::IsPrimaryRequired => "IsPrimary is required.",
            Self::IsPrimaryInvalid => "IsPrimary is invalid.",
            Self::PrimaryRequired => "Each customer must have 1 primary phone number.",
            Self::PhoneNameConflict => "PhoneName must not be sent twice with different values.",
            Self::PhoneTypeConflict => "PhoneType must not be sent twice with different values.",
            Self::BusinessIdRequired => "BusinessId is required.",
            Self::BusinessIdInvalid => "BusinessId is invalid.",
            Self::FirstNameRequired => "FirstName is required.",
            Self::FirstNameTooLong => "FirstName must not exceed 40 characters.",
            Self::FirstNameInvalid => "FirstName is invalid.",
            Self::LastNameTooLong => "LastName must not exceed 40 characters.",
            Self::LastNameInvalid => "LastName is invalid.",
            Self::ExternalReferenceTooLong => "ExternalReference must not exceed 40 characters.",
            Self::ExternalReferenceInvalid => "ExternalReference is invalid.",
            Self::ExternalReferenceExists => {
                "ExternalReference exists for the provided BusinessId."
            }
            Self::LimitInvalid => "Limit is invalid.",
            Self::NextCursorInvalid => "NextCursor is invalid.",
            Self::SearchTooLong => "Search must not exceed 100 characters.",
            Self::IfMatchInvalid => "If-Match is invalid.",
            Self::IdempotencyKeyInvalid => "Idempotency-Key is invalid.",
            Self::ProblemInvalid => "Problem is invalid.",
            Self::ExpectedInvalid => "Expected is invalid.",
            Self::PhoneNumberNotShared => "PhoneNumber is not shared with another customer.",
            Self::NumberRequired => "Number is required.",
            Self::NumberInvalid => "Number is invalid.",
            Self::FromRequired => "From is required.",
            Self::FromInvalid => "From is invalid.",
            Self::ToInvalid => "To is invalid.",
            Self::ExtensionInvalid => "Extension is invalid.",
            Self::StateRequired => "State is required.",
            Self::StateInvalid => "State is invalid.",
            Self::CallIdInvalid => "CallId is invalid.",
            Self::FormatInvalid => "Format is invalid.",
        }
    }
}

impl ValidationError {
    /// The same problem in the staff app's words: its labels' names ("contact name", not
    /// `PhoneName`) and what to do about it. The API and the embeddable module keep
    /// [`message`](Self::message); both live here, keyed by the error, so they cannot drift.
    ///
    /// ```
    /// use phone_model::ValidationError;
    /// assert_eq!(ValidationError::PhoneNameRequired.plain_message(), "Enter a contact name.");
    /// ```
    #[must_use]
    pub const fn plain_message(self) -> &'static str {
        match self {
            Self::BodyMalformed | Self::BodyInvalid => {
                "The app sent something the server could not read. Reload the page and try again."
            }
            Self::PhoneNumberIdInvalid => "This number no longer exists: it may have been deleted.",
            Self::PrimaryDeletion => {
                "The primary number can't be deleted. Make another number primary first."
            }
            Self::PhoneNameRequired => "Enter a contact name.",
            Self::PhoneNameTooLong => "Shorten the contact name to 50 characters or fewer.",
            Self::PhoneNameInvalid => "Enter the contact name as text.",
            Self::CountryCodeRequired => "Enter a country code, such as +64 for New Zealand.",
            Self::CountryCodeTooLong | Self::CountryCodeInvalid => {
                "Choose a country from the list, or enter its code, such as +64 for New Zealand."
            }
            Self::AreaCodeTooLong => {
                "Shorten the area code to 4 digits or fewer, such as 09 or 021."
            }
            Self::AreaCodeInvalid => "Enter the area code in digits, such as 09 or 021.",
            Self::PhoneNumberRequired => "Enter the number.",
            Self::PhoneNumberInvalid => "Enter the number in digits, such as 264 5555.",
            Self::PhoneNumberTooLong => "Shorten the number to 75 characters or fewer.",
            Self::PhoneNumberExists => "This customer already has this number.",
            Self::PhoneTypeRequired => "Choose a type.",
            Self::PhoneTypeInvalid => "Choose a type from the list.",
            Self::IsPrimaryRequired | Self::IsPrimaryInvalid => {
                "Say whether this is the primary number."
            }
            Self::PrimaryRequired => {
                "A customer keeps one primary number: make another number primary instead."
            }
            Self::PhoneNameConflict | Self::PhoneTypeConflict => {
                "The app sent two different values for one field. Reload the page and try again."
            }
            Self::BusinessIdRequired | Self::BusinessIdInvalid => "Choose a business.",
            Self::FirstNameRequired => "Enter a first name.",
            Self::FirstNameTooLong => "Shorten the first name to 40 characters or fewer.",
            Self::FirstNameInvalid => "Enter the first name as text.",
            Self::LastNameTooLong => "Shorten the last name to 40 characters or fewer.",
            Self::LastNameInvalid => "Enter the last name as text.",
            Self::ExternalReferenceTooLong => "Shorten the reference to 40 characters or fewer.",
            Self::ExternalReferenceInvalid => "Enter the reference as text.",
            Self::ExternalReferenceExists => {
                "Another customer of this business has this reference."
            }
            Self::LimitInvalid | Self::NextCursorInvalid => {
                "The page asked for is not there. Go back to the first page."
            }
            Self::SearchTooLong => "Shorten the search to 100 characters or fewer.",
            // Sent by the app itself, never typed: a person can only start again.
            Self::IfMatchInvalid
            | Self::IdempotencyKeyInvalid
            | Self::ProblemInvalid
            | Self::ExpectedInvalid => "Something went wrong. Reload the page and try again.",
            // A phone system's requests, never the app's.
            Self::NumberRequired
            | Self::NumberInvalid
            | Self::FromRequired
            | Self::FromInvalid
            | Self::ToInvalid
            | Self::ExtensionInvalid
            | Self::StateRequired
            | Self::StateInvalid
            | Self::CallIdInvalid
            | Self::FormatInvalid => "The phone system sent a call the server could not read.",
            Self::PhoneNumberNotShared => {
                "No other customer has this number now: there is nothing to mark."
            }
        }
    }

    /// The error whose provider's message this is, as a 400 body carries it.
    ///
    /// ```
    /// use phone_model::ValidationError;
    /// let error = ValidationError::from_message("PhoneName is required.");
    /// assert_eq!(error, Some(ValidationError::PhoneNameRequired));
    /// ```
    #[must_use]
    pub fn from_message(message: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|error| error.message() == message)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for ValidationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_found_by_its_message_and_has_plain_words_without_wire_names() {
        let wire_names = ["PhoneName", "CountryCode", "AreaCode", "PhoneNumber", "PhoneType"];
        for error in ValidationError::ALL {
            assert_eq!(ValidationError::from_message(error.message()), Some(error));
            let plain = error.plain_message();
            assert!(plain.ends_with('.'), "{plain}");
            assert!(!wire_names.iter().any(|name| plain.contains(name)), "{error:?}: {plain}");
        }
        assert_eq!(ValidationError::from_message("Something else."), None);
    }
}
