//! The phone number id the server assigns.

use alloc::{borrow::ToOwned, string::String};
use core::fmt;

use crate::ValidationError;

/// A phone number id: 1 to 10 ASCII digits, as the contract sends it (a string).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "9999999", pattern = "^[0-9]{1,10}$"))]
pub struct PhoneNumberId(String);

impl PhoneNumberId {
    /// The longest id the contract allows.
    pub const MAX_DIGITS: usize = 10;

    /// Checks an id.
    ///
    /// ```
    /// # fn main() -> Result<(), phone_model::ValidationError> {
    /// let id = phone_model::PhoneNumberId::new("9999999")?;
    /// assert_eq!(id.as_str(), "9999999");
    /// assert_eq!(id.to_string(), "9999999");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ValidationError::PhoneNumberIdInvalid`] for `""`, `"12a"`, `" 12"`, `"-1"`, `"１２"`
    /// (full-width digits) and `"12345678901"` (11 digits).
    pub fn new(id: &str) -> Result<Self, ValidationError> {
        let valid =
            (1..=Self::MAX_DIGITS).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
        if valid { Ok(Self(id.to_owned())) } else { Err(ValidationError::PhoneNumberIdInvalid) }
    }

    /// The id as sent on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhoneNumberId {
    type Error = ValidationError;

    fn try_from(id: String) -> Result<Self, Self::Error> {
        Self::new(&id)
    }
}

impl From<PhoneNumberId> for String {
    fn from(id: PhoneNumberId) -> Self {
        id.0
    }
}

impl fmt::Display for PhoneNumberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
