// Over 400 lines: a request's every rule in the provider's order, which is the point of
// keeping them in one file.
//! Judging a whole request: every error at once, in the provider's order, with warnings and
//! the normalised number alongside.

use crate::{
    CountryCode, Invalidity, ParsedNumber, PhoneNumberId, PhoneNumberInput, PhoneType,
    ValidationError, Value, Warning,
    number::NumberError,
    text::{digits_of, is_one_of, utf16_len},
    typed::Typed,
};
use alloc::{borrow::ToOwned, string::String, vec::Vec};

/// The longest `phoneName`, in UTF-16 code units.
pub const PHONE_NAME_MAX: usize = 50;
/// The longest `areaCode`, in UTF-16 code units.
pub const AREA_CODE_MAX: usize = 4;
/// The longest `phoneNumber`, in UTF-16 code units.
pub const PHONE_NUMBER_MAX: usize = 75;

/// Validates a request to create a phone number (`isPrimary` is required).
///
/// ```
/// use phone_model::{PhoneNumberInput, Value, validate_create};
/// let input = PhoneNumberInput {
///     phone_name: Value::text("John"),
///     country_code: Value::text("+64"),
///     area_code: Value::text("09"),
///     phone_number: Value::text("264 5555"),
///     phone_type: Value::text("Home"),
///     is_primary: Value::Bool(true),
///     ..PhoneNumberInput::default()
/// };
/// let validation = validate_create(&input);
/// assert!(validation.errors().is_empty());
/// assert_eq!(validation.number().map(|n| n.e164()), Some("+6492645555".to_owned()));
/// ```
#[must_use]
pub fn validate_create(input: &PhoneNumberInput) -> Validation {
    validate(input, None)
}

/// Validates a request to update the phone number `path_id` (`isPrimary` may be left out).
///
/// ```
/// use phone_model::{PhoneNumberInput, ValidationError, Value, validate_update};
/// let input = PhoneNumberInput { phone_number_id: Value::text("2"), ..PhoneNumberInput::default() };
/// let validation = validate_update("1", &input);
/// assert_eq!(validation.errors()[0], ValidationError::PhoneNumberIdInvalid);
/// ```
#[must_use]
pub fn validate_update(path_id: &str, input: &PhoneNumberInput) -> Validation {
    validate(input, Some(path_id))
}

/// What validating a request found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    errors: Vec<ValidationError>,
    warnings: Vec<Warning>,
    number: Option<ParsedNumber>,
    invalidity: Option<Invalidity>,
    fields: Option<Fields>,
}

/// The accepted members, kept until they are handed out as a [`ValidPhoneNumber`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    phone_name: String,
    country_code: CountryCode,
    area_code: String,
    phone_number: String,
    phone_type: PhoneType,
    is_primary: Option<bool>,
}

impl Validation {
    /// Every rule the request broke, in the provider's order; empty when it is valid.
    #[must_use]
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// What looks wrong but does not block saving.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The number, normalised, where it can be read (even if other fields have errors).
    #[must_use]
    pub fn number(&self) -> Option<&ParsedNumber> {
        self.number.as_ref()
    }

    /// Why the number (country code, area code, number) is not valid, or cannot exist as
    /// written: `Some` exactly when one of those fields has an error or the number has a
    /// warning that [`is_implausible`](Warning::is_implausible). `None` when the number is
    /// valid, whatever the other fields' errors, and for a service code or a number written
    /// with another country's code, which are valid as written.
    ///
    /// ```
    /// use phone_model::{Invalidity, PhoneNumberInput, Value, validate_create};
    /// let reason = |number: &str| {
    ///     let input = PhoneNumberInput {
    ///         country_code: Value::text("+64"),
    ///         phone_number: Value::text(number),
    ///         ..PhoneNumberInput::default()
    ///     };
    ///     validate_create(&input).invalidity()
    /// };
    /// assert_eq!(reason("09 264 5555"), None);
    /// assert_eq!(reason("123"), Some(Invalidity::TooShort { country: Some("New Zealand") }));
    /// assert_eq!(reason("09 164 5555"), Some(Invalidity::NotInPlan { country: "New Zealand" }));
    /// assert_eq!(reason("call me"), Some(Invalidity::NoDigits));
    /// ```
    #[must_use]
    pub fn invalidity(&self) -> Option<Invalidity> {
        self.invalidity
    }

    /// The valid request, or every error.
    ///
    /// # Errors
    /// The request's errors, in the provider's order, when there is at least one.
    pub fn into_result(self) -> Result<ValidPhoneNumber, Vec<ValidationError>> {
        // Fields are made only for a request without errors (see `validate`).
        match self.fields {
            Some(fields) => Ok(ValidPhoneNumber { fields, number: self.number }),
            None => Err(self.errors),
        }
    }
}

/// A request that broke no rule: every member checked, trimmed and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPhoneNumber {
    fields: Fields,
    number: Option<ParsedNumber>,
}

impl ValidPhoneNumber {
    /// The person to contact.
    #[must_use]
    pub fn phone_name(&self) -> &str {
        &self.fields.phone_name
    }

    /// The country code, from the provider's table.
    #[must_use]
    pub fn country_code(&self) -> CountryCode {
        self.fields.country_code
    }

    /// The area code as sent (trimmed), `""` when there is none.
    #[must_use]
    pub fn area_code(&self) -> &str {
        &self.fields.area_code
    }

    /// The number as sent (trimmed), with any text after it.
    #[must_use]
    pub fn phone_number(&self) -> &str {
        &self.fields.phone_number
    }

    /// The phone type.
    #[must_use]
    pub fn phone_type(&self) -> PhoneType {
        self.fields.phone_type
    }

    /// `Some(true)` to make it primary, `Some(false)` to not, `None` (update only) to leave it.
    #[must_use]
    pub fn is_primary(&self) -> Option<bool> {
        self.fields.is_primary
    }

    /// The number, normalised, when it can be read.
    #[must_use]
    pub fn number(&self) -> Option<&ParsedNumber> {
        self.number.as_ref()
    }

    /// What two numbers of one customer must not share: the E.164 form where the number can
    /// be read, otherwise the digits of country code, area code and number together.
    ///
    /// ```
    /// use phone_model::{PhoneNumberInput, Value, validate_create};
    /// let key = |area: &str, number: &str| {
    ///     let input = PhoneNumberInput {
    ///         phone_name: Value::text("John"),
    ///         country_code: Value::text("+64"),
    ///         area_code: Value::text(area),
    ///         phone_number: Value::text(number),
    ///         phone_type: Value::text("home"),
    ///         is_primary: Value::Bool(false),
    ///         ..PhoneNumberInput::default()
    ///     };
    ///     validate_create(&input).into_result().map(|valid| valid.duplicate_key())
    /// };
    /// assert_eq!(key("09", "264 5555"), key("", "(09) 264-5555"));
    /// assert_eq!(key("09", "264 5555"), key("9", "2645555"));
    /// ```
    #[must_use]
    pub fn duplicate_key(&self) -> String {
        match &self.number {
            Some(number) => number.e164(),
            None => {
                let fields = &self.fields;
                digits_key(fields.country_code.as_str(), &fields.area_code, &fields.phone_number)
            }
        }
    }
}

/// The duplicate key of a number that cannot be read: its digits, all taken together.
fn digits_key(country_code: &str, area_code: &str, phone_number: &str) -> String {
    digits_of(country_code) + &digits_of(area_code) + &digits_of(phone_number)
}

/// A stored number's duplicate key, as [`ValidPhoneNumber::duplicate_key`] gives it; for one
/// that breaks a rule today (the provider kept it, or the rules changed) its digits.
///
/// ```
/// # let json = r#"{"phoneNumberId":"1234567","phoneName":"Ann","countryCode":"+64","areaCode":"09","phoneNumber":"264 5555","phoneType":"home","isPrimary":true}"#;
/// let number: phone_model::PhoneNumberResource = serde_json::from_str(json).unwrap();
/// assert_eq!(phone_model::stored_duplicate_key(&number), "+6492645555");
/// let unnamed = phone_model::PhoneNumberResource { phone_name: String::new(), ..number };
/// assert_eq!(phone_model::stored_duplicate_key(&unnamed), "+6492645555");
/// ```
#[cfg(feature = "serde")]
#[must_use]
pub fn stored_duplicate_key(number: &crate::PhoneNumberResource) -> String {
    // The key is the number's alone: a name the rules would refuse does not change it.
    let input =
        PhoneNumberInput { phone_name: Value::text("-"), ..PhoneNumberInput::stored(number) };
    match validate_create(&input).into_result() {
        Ok(valid) => valid.duplicate_key(),
        Err(_) => digits_key(number.country_code.as_str(), &number.area_code, &number.phone_number),
    }
}

/// Checks every member in the provider's order; `path_id` is `Some` for an update.
fn validate(input: &PhoneNumberInput, path_id: Option<&str>) -> Validation {
    let mut errors = Vec::new();
    if let Some(path_id) = path_id {
        let body_differs = match &input.phone_number_id {
            Value::Absent | Value::Null => false,
            Value::Text(id) => id.trim() != path_id,
            _ => true,
        };
        if PhoneNumberId::new(path_id).is_err() || body_differs {
            errors.push(ValidationError::PhoneNumberIdInvalid);
        }
    }
    let phone_name = check_phone_name(&input.phone_name, &mut errors);
    let country_code = required_text(&input.country_code, ValidationError::CountryCodeRequired)
        .and_then(|text| text.ok_or(ValidationError::CountryCodeInvalid))
        .and_then(CountryCode::new)
        .map_err(|e| errors.push(e))
        .ok();
    let area_code = check_area_code(&input.area_code, &mut errors);
    let phone_number = check_phone_number(&input.phone_number, &mut errors);
    let phone_type = match &input.phone_type {
        Value::Conflicting => Err(ValidationError::PhoneTypeConflict),
        value => required_text(value, ValidationError::PhoneTypeRequired)
            .and_then(|text| text.ok_or(ValidationError::PhoneTypeInvalid))
            .and_then(str::parse),
    }
    .map_err(|e| errors.push(e))
    .ok();
    let is_primary = check_is_primary(&input.is_primary, path_id.is_none(), &mut errors);

    let mut warnings = Vec::new();
    let read = match (country_code, area_code, phone_number) {
        (Some(country_code), Some(area_code), Some(phone_number)) => {
            Some(ParsedNumber::parse(country_code, area_code, phone_number))
        }
        _ => None,
    };
    let invalidity = Invalidity::judge(&errors, &input.phone_number, read.as_ref(), country_code);
    let number = read.and_then(|read| read_number(read, &mut warnings));
    if let (Some(number), Some(phone_type)) = (&number, phone_type)
        && Warning::contradicts(phone_type, number.kind())
    {
        warnings.push(Warning::TypeMismatch { phone_type, kind: number.kind() });
    }
    let fields = match (phone_name, country_code, area_code, phone_number, phone_type) {
        (
            Some(phone_name),
            Some(country_code),
            Some(area_code),
            Some(phone_number),
            Some(phone_type),
        ) if errors.is_empty() => Some(Fields {
            phone_name: phone_name.to_owned(),
            country_code,
            area_code: area_code.to_owned(),
            phone_number: phone_number.to_owned(),
            phone_type,
            is_primary: is_primary.flatten(),
        }),
        _ => None,
    };
    Validation { errors, warnings, number, invalidity, fields }
}

/// A member that must be text: `Ok(Some(text))` trimmed, `Ok(None)` when it is not a string,
/// `Err(missing)` when it is absent, `null` or only white space.
fn required_text(value: &Value, missing: ValidationError) -> Result<Option<&str>, ValidationError> {
    match value {
        Value::Absent | Value::Null => Err(missing),
        Value::Text(text) if text.trim().is_empty() => Err(missing),
        Value::Text(text) => Ok(Some(text.trim())),
        Value::Bool(_) | Value::Other | Value::Conflicting => Ok(None),
    }
}

fn check_phone_name<'a>(value: &'a Value, errors: &mut Vec<ValidationError>) -> Option<&'a str> {
    if *value == Value::Conflicting {
        errors.push(ValidationError::PhoneNameConflict);
        return None;
    }
    match required_text(value, ValidationError::PhoneNameRequired) {
        Ok(Some(name)) if utf16_len(name) > PHONE_NAME_MAX => {
            errors.push(ValidationError::PhoneNameTooLong);
            None
        }
        Ok(Some(name)) => Some(name),
        Ok(None) => {
            errors.push(ValidationError::PhoneNameInvalid);
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// An area code is optional; when given it is digits, with spaces, dashes or parentheses
/// around them (`(09)`).
fn check_area_code<'a>(value: &'a Value, errors: &mut Vec<ValidationError>) -> Option<&'a str> {
    let code = match value {
        Value::Absent | Value::Null => return Some(""),
        Value::Text(text) => text.trim(),
        _ => {
            errors.push(ValidationError::AreaCodeInvalid);
            return None;
        }
    };
    if utf16_len(code) > AREA_CODE_MAX {
        errors.push(ValidationError::AreaCodeTooLong);
        None
    } else if !code.chars().all(|c| c.is_ascii_digit() || is_one_of(c, " -()")) {
        errors.push(ValidationError::AreaCodeInvalid);
        None
    } else {
        Some(code)
    }
}

fn check_phone_number<'a>(value: &'a Value, errors: &mut Vec<ValidationError>) -> Option<&'a str> {
    let number = match required_text(value, ValidationError::PhoneNumberRequired) {
        Ok(number) => number,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let readable = number.is_some_and(|n| {
        !matches!(Typed::read(n), Err(NumberError::InvalidCharacter(_) | NumberError::NoDigits))
    });
    if !readable {
        errors.push(ValidationError::PhoneNumberInvalid);
    }
    let number = number?;
    if utf16_len(number) > PHONE_NUMBER_MAX {
        errors.push(ValidationError::PhoneNumberTooLong);
        return None;
    }
    readable.then_some(number)
}

/// `Some(Some(b))` for a boolean or `"true"`/`"false"`, `Some(None)` when left out of an update.
fn check_is_primary(
    value: &Value,
    required: bool,
    errors: &mut Vec<ValidationError>,
) -> Option<Option<bool>> {
    let result = match value {
        Value::Absent | Value::Null if required => Err(ValidationError::IsPrimaryRequired),
        Value::Absent | Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::Text(text) if text.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::Text(text) if text.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        _ => Err(ValidationError::IsPrimaryInvalid),
    };
    result.map_err(|e| errors.push(e)).ok()
}

/// The number read, for its normalised forms; what cannot be read, or does not fit the plan,
/// becomes a warning.
fn read_number(
    read: Result<ParsedNumber, NumberError>,
    warnings: &mut Vec<Warning>,
) -> Option<ParsedNumber> {
    match read {
        Ok(number) => {
            if let Some(country) = number.broken_plan() {
                warnings.push(Warning::NotInPlan { country });
            }
            if number.note().is_some() {
                warnings.push(Warning::TrailingText);
            }
            if number.area_code_ignored() {
                warnings.push(Warning::AreaCodeIgnored);
            }
            Some(number)
        }
        Err(NumberError::OtherCountry) => {
            warnings.push(Warning::OtherCountry);
            None
        }
        Err(NumberError::TooShort | NumberError::TooLong) => {
            warnings.push(Warning::ImpossibleLength);
            None
        }
        Err(NumberError::ServiceCode) => {
            warnings.push(Warning::ServiceCode);
            None
        }
        // The characters were checked with the field; nothing else can fail here.
        Err(NumberError::InvalidCharacter(_) | NumberError::NoDigits) => None,
    }
}
