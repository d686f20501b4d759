//! What a phone number is for: emergency, fax, home, mobile or work.

use alloc::string::String;
use core::{fmt, str::FromStr};

use crate::ValidationError;

/// The type of a phone number. Parsed in any letter case, written lower-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "&'static str"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "lowercase"))]
pub enum PhoneType {
    /// A number to call in an emergency.
    Emergency,
    /// A fax machine.
    Fax,
    /// At home.
    Home,
    /// A mobile phone.
    Mobile,
    /// At work.
    Work,
}

impl PhoneType {
    /// Every type, in the provider's order (for a select list).
    pub const ALL: [Self; 5] = [Self::Emergency, Self::Fax, Self::Home, Self::Mobile, Self::Work];

    /// The wire spelling, lower-case.
    ///
    /// ```
    /// assert_eq!(phone_model::PhoneType::Mobile.as_str(), "mobile");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Fax => "fax",
            Self::Home => "home",
            Self::Mobile => "mobile",
            Self::Work => "work",
        }
    }

    /// The name to show a person (`Mobile`).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Emergency => "Emergency",
            Self::Fax => "Fax",
            Self::Home => "Home",
            Self::Mobile => "Mobile",
            Self::Work => "Work",
        }
    }
}

impl FromStr for PhoneType {
    type Err = ValidationError;

    /// Parses a type in any letter case, ignoring surrounding white space.
    ///
    /// ```
    /// # fn main() -> Result<(), phone_model::ValidationError> {
    /// use phone_model::PhoneType;
    /// assert_eq!(" HOME ".parse::<PhoneType>()?, PhoneType::Home);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ValidationError::PhoneTypeRequired`] for `""` or `"  "`;
    /// [`ValidationError::PhoneTypeInvalid`] for `"cell"`, `"homes"` or `"1"`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValidationError::PhoneTypeRequired);
        }
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(text))
            .ok_or(ValidationError::PhoneTypeInvalid)
    }
}

impl TryFrom<String> for PhoneType {
    type Error = ValidationError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<PhoneType> for &'static str {
    fn from(phone_type: PhoneType) -> Self {
        phone_type.as_str()
    }
}

impl fmt::Display for PhoneType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
