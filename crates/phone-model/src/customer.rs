//! A new customer, as `POST /customers` takes it: who they are, and exactly one phone number,
//! which becomes their primary.

use crate::{
    Field, PhoneNumberInput, ValidPhoneNumber, ValidationError, Value, Warning, text::utf16_len,
    validate_create,
};
use alloc::{borrow::ToOwned, format, string::String, vec::Vec};

/// The longest first name, last name or external reference, in UTF-16 code units.
pub const CUSTOMER_TEXT_MAX: usize = 40;

/// The longest `search` text of the customer list, in UTF-16 code units: enough for any name
/// or number a person types, short enough that a search cannot be made expensive.
pub const SEARCH_MAX: usize = 100;

/// The `search` text of a customer list, trimmed; `None` when there is none.
///
/// ```
/// # fn main() -> Result<(), phone_model::ValidationError> {
/// use phone_model::customer_search;
/// assert_eq!(customer_search(Some("  Ngata "))?, Some("Ngata"));
/// assert_eq!(customer_search(Some("   "))?, None);
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`ValidationError::SearchTooLong`] for text over [`SEARCH_MAX`] code units, such as 101
/// letters.
pub fn customer_search(text: Option<&str>) -> Result<Option<&str>, ValidationError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) if utf16_len(text) > SEARCH_MAX => Err(ValidationError::SearchTooLong),
        found => Ok(found),
    }
}

/// The members of a new customer, as they arrived.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerInput {
    /// `businessId`: the business the customer belongs to.
    pub business_id: Value,
    /// `firstName`.
    pub first_name: Value,
    /// `lastName` (optional).
    pub last_name: Value,
    /// `externalReference`: the business's own id for the customer (optional).
    pub external_reference: Value,
    /// `phoneNumber`: `None` when it is missing or not an object.
    pub phone_number: Option<PhoneNumberInput>,
}

/// A failed rule and where it is: in the body itself, or inside its `phoneNumber` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The object the field is in (`Some(Field::PhoneNumber)`), or `None` at the top.
    pub parent: Option<Field>,
    /// The rule.
    pub error: ValidationError,
}

impl Located {
    /// The field's path as the provider writes it (`phoneNumber.phoneName`).
    ///
    /// ```
    /// use phone_model::{Field, Located, ValidationError};
    /// let nested = Located { parent: Some(Field::PhoneNumber), error: ValidationError::PhoneNameRequired };
    /// assert_eq!(nested.path(), "phoneNumber.phoneName");
    /// ```
    #[must_use]
    pub fn path(&self) -> String {
        let field = self.error.field().wire_name();
        match self.parent {
            Some(parent) => format!("{}.{field}", parent.wire_name()),
            None => field.to_owned(),
        }
    }
}

impl From<ValidationError> for Located {
    fn from(error: ValidationError) -> Self {
        Self { parent: None, error }
    }
}

/// A new customer that broke no rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    business_id: String,
    first_name: String,
    last_name: String,
    external_reference: String,
    phone_number: ValidPhoneNumber,
}

impl NewCustomer {
    /// The business's id.
    #[must_use]
    pub fn business_id(&self) -> &str {
        &self.business_id
    }

    /// The first name, trimmed.
    #[must_use]
    pub fn first_name(&self) -> &str {
        &self.first_name
    }

    /// The last name, trimmed; `""` when not given.
    #[must_use]
    pub fn last_name(&self) -> &str {
        &self.last_name
    }

    /// The external reference, trimmed; `""` when not given.
    #[must_use]
    pub fn external_reference(&self) -> &str {
        &self.external_reference
    }

    /// The customer's one phone number; it becomes the primary whatever `isPrimary` said.
    #[must_use]
    pub fn phone_number(&self) -> &ValidPhoneNumber {
        &self.phone_number
    }
}

/// Validates a new customer: its own members, then its phone number's.
///
/// ```
/// use phone_model::{CustomerInput, PhoneNumberInput, Value, validate_new_customer};
/// let input = CustomerInput {
///     business_id: Value::text("3333333"),
///     first_name: Value::text("John"),
///     phone_number: Some(PhoneNumberInput {
///         phone_name: Value::text("John"),
///         country_code: Value::text("+64"),
///         phone_number: Value::text("021 123 4567"),
///         phone_type: Value::text("mobile"),
///         ..PhoneNumberInput::default()
///     }),
///     ..CustomerInput::default()
/// };
/// let (customer, warnings) = validate_new_customer(&input);
/// assert!(warnings.is_empty());
/// assert_eq!(customer.map(|c| c.first_name().to_owned()), Ok("John".to_owned()));
/// ```
///
/// # Errors
/// Every failed rule, located; phone number fields inside `phoneNumber`.
pub fn validate_new_customer(
    input: &CustomerInput,
) -> (Result<NewCustomer, Vec<Located>>, Vec<Warning>) {
    let mut errors: Vec<Located> = Vec::new();
    let mut text = |value: &Value, required: Option<ValidationError>, too_long, invalid| {
        let result = match value {
            Value::Absent | Value::Null => required.map_or(Ok(String::new()), Err),
            Value::Text(t) if t.trim().is_empty() => required.map_or(Ok(String::new()), Err),
            Value::Text(t) if utf16_len(t.trim()) > CUSTOMER_TEXT_MAX => Err(too_long),
            Value::Text(t) => Ok(t.trim().to_owned()),
            _ => Err(invalid),
        };
        result.map_err(|e| errors.push(e.into())).ok()
    };
    // A business id has no length rule of its own; it must name a business, which the server
    // checks. Here: present, and a string.
    let business_id = text(
        &input.business_id,
        Some(ValidationError::BusinessIdRequired),
        ValidationError::BusinessIdInvalid,
        ValidationError::BusinessIdInvalid,
    );
    let first_name = text(
        &input.first_name,
        Some(ValidationError::FirstNameRequired),
        ValidationError::FirstNameTooLong,
        ValidationError::FirstNameInvalid,
    );
    let last_name = text(
        &input.last_name,
        None,
        ValidationError::LastNameTooLong,
        ValidationError::LastNameInvalid,
    );
    let external_reference = text(
        &input.external_reference,
        None,
        ValidationError::ExternalReferenceTooLong,
        ValidationError::ExternalReferenceInvalid,
    );
    let (phone_number, warnings) = match &input.phone_number {
        Some(phone) => {
            // The customer's only number is its primary: `isPrimary` may be left out.
            let phone = PhoneNumberInput { is_primary: Value::Bool(true), ..phone.clone() };
            let validation = validate_create(&phone);
            let warnings = validation.warnings().to_vec();
            let phone_number = validation.into_result().map_err(|phone_errors| {
                errors.extend(
                    phone_errors
                        .into_iter()
                        .map(|error| Located { parent: Some(Field::PhoneNumber), error }),
                );
            });
            (phone_number.ok(), warnings)
        }
        None => {
            errors.push(ValidationError::PhoneNumberRequired.into());
            (None, Vec::new())
        }
    };
    // Every rule that failed left its member out, so all present means none failed.
    let customer = match (business_id, first_name, last_name, external_reference, phone_number) {
        (
            Some(business_id),
            Some(first_name),
            Some(last_name),
            Some(external_reference),
            Some(phone_number),
        ) => {
            Ok(NewCustomer { business_id, first_name, last_name, external_reference, phone_number })
        }
        _ => Err(errors),
    };
    (customer, warnings)
}
