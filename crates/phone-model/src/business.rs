//! A business's id, as an operator adds the business and as a new customer names it.

use crate::{CUSTOMER_TEXT_MAX, ValidationError, text::utf16_len};
use alloc::{borrow::ToOwned, string::String};
use core::fmt;

/// The id of a business that customers can be created in: the text a new customer's
/// `businessId` must equal, so it obeys the same rules (trimmed, not blank, at most
/// [`CUSTOMER_TEXT_MAX`] UTF-16 code units).
///
/// ```
/// # fn main() -> Result<(), phone_model::ValidationError> {
/// let id = phone_model::BusinessId::parse(" 1001 ")?;
/// assert_eq!(id.as_str(), "1001");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BusinessId(String);

impl BusinessId {
    /// Reads an id, trimmed.
    ///
    /// # Errors
    /// [`ValidationError::BusinessIdRequired`] for `""` or `"  "`;
    /// [`ValidationError::BusinessIdInvalid`] for 41 characters or more (`"1".repeat(41)`).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Err(ValidationError::BusinessIdRequired)
        } else if utf16_len(trimmed) > CUSTOMER_TEXT_MAX {
            Err(ValidationError::BusinessIdInvalid)
        } else {
            Ok(Self(trimmed.to_owned()))
        }
    }

    /// The id as customers carry it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BusinessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CustomerInput, Value, validate_new_customer};
    use alloc::{string::ToString, vec::Vec};

    /// What `POST /customers` says of `businessId` = `text`: `Ok` when it has no error there.
    fn as_a_new_customer_reads_it(text: &str) -> Result<(), ValidationError> {
        let input = CustomerInput {
            business_id: Value::Text(text.to_string()),
            ..CustomerInput::default()
        };
        let (result, _) = validate_new_customer(&input);
        let errors: Vec<ValidationError> = result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|located| located.error)
            .filter(|error| {
                matches!(
                    error,
                    ValidationError::BusinessIdRequired | ValidationError::BusinessIdInvalid
                )
            })
            .collect();
        errors.first().map_or(Ok(()), |error| Err(*error))
    }

    #[test]
    fn an_id_is_accepted_exactly_when_a_new_customer_could_name_it() {
        let cases = [
            ("1001", Ok("1001")),
            ("  3333333\t", Ok("3333333")),
            ("Fitness-NZ", Ok("Fitness-NZ")),
            (&"9".repeat(40), Ok(&*"9".repeat(40))),
            ("", Err(ValidationError::BusinessIdRequired)),
            ("   ", Err(ValidationError::BusinessIdRequired)),
            (&"9".repeat(41), Err(ValidationError::BusinessIdInvalid)),
            (&"😀".repeat(21), Err(ValidationError::BusinessIdInvalid)),
        ];
        for (text, expected) in cases {
            let parsed = BusinessId::parse(text);
            assert_eq!(
                parsed.as_ref().map(BusinessId::as_str).map_err(|e| *e),
                expected,
                "{text:?}"
            );
            assert_eq!(as_a_new_customer_reads_it(text), expected.map(|_| ()), "{text:?}");
        }
    }
}
