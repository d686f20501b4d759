//! The size of a page of a list.

use crate::ValidationError;

/// How many items a page holds: 50 unless asked for fewer, never more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageSize(u32);

impl PageSize {
    /// The default, and the most a page holds.
    pub const MAX: Self = Self(50);

    /// Reads the `limit` query parameter: absent means 50, above 50 means 50.
    ///
    /// ```
    /// # fn main() -> Result<(), phone_model::ValidationError> {
    /// use phone_model::PageSize;
    /// assert_eq!(PageSize::from_limit(None)?.get(), 50);
    /// assert_eq!(PageSize::from_limit(Some("10"))?.get(), 10);
    /// assert_eq!(PageSize::from_limit(Some("500"))?.get(), 50);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ValidationError::LimitInvalid`] for `"0"`, `"-1"`, `"1.5"`, `"ten"`, `" 5"` and `""`.
    pub fn from_limit(limit: Option<&str>) -> Result<Self, ValidationError> {
        let Some(limit) = limit else {
            return Ok(Self::MAX);
        };
        if limit.is_empty() || !limit.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::LimitInvalid);
        }
        // A whole number too long to parse is still a whole number: it is capped like 500.
        match limit.parse::<u32>() {
            Ok(0) => Err(ValidationError::LimitInvalid),
            Ok(n) => Ok(Self(n.min(Self::MAX.0))),
            Err(_) => Ok(Self::MAX),
        }
    }

    /// The number of items.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }
}
