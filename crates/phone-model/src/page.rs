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
    /// [`ValidationError::LimitInvalid`] for `"0"`, `"-1"`, `"1.5"`, `"ten"`, `" 5"`, `""` and
    /// a number past the API's integer type (`"9223372036854775808"`).
    pub fn from_limit(limit: Option<&str>) -> Result<Self, ValidationError> {
        let Some(limit) = limit else {
            return Ok(Self::MAX);
        };
        if limit.is_empty() || !limit.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::LimitInvalid);
        }
        // The API documents `limit` as a 64-bit integer: within that, anything above 50 is 50.
        match limit.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(Self(u32::try_from(n).unwrap_or(u32::MAX).min(Self::MAX.0))),
            _ => Err(ValidationError::LimitInvalid),
        }
    }

    /// The number of items.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }
}
