//! Phonedesk's phone number rules for any web page: thin `wasm_bindgen` wrappers over
//! `phone-model`, with no rules of their own. Built by `cargo xtask embed` into an ES module
//! (`--target web`) with TypeScript types.
//!
//! Whatever a page passes, the functions answer or throw a JavaScript `Error` with a clear
//! message; nothing here panics (a panic would trap and leave the module unusable), so every
//! fallible step returns a `Result`.

use js_sys::{Array, JsString, Object, Reflect};
use phone_model::{
    CountryCode, ParsedNumber, PhoneNumberInput, Value, countries, format_as_you_type,
    validate_create,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A problem with one field, in the provider's words. */
export interface FieldMessage {
  /** The field, in the API's spelling: "phoneName", "countryCode", "areaCode", "phoneNumber", "phoneType", "isPrimary". */
  field: string;
  /** The message, exactly as the server's 400 body would say it. */
  message: string;
}

/** What a number is, by its country's numbering plan (New Zealand and Australia). */
export type NumberKind = "landline" | "mobile" | "tollFree" | "premiumRate" | "sharedCost" | "unknown";

/** The ways of writing a number that can be read. */
export interface FormattedNumber {
  /** "+6492645555" */
  e164: string;
  /** "09 264 5555" */
  national: string;
  /** "+64 9 264 5555" */
  international: string;
  /** "tel:+6492645555" */
  telUri: string;
  kind: NumberKind;
}

/** The verdict on a phone number: errors block saving (the server would refuse it), warnings do not. */
export interface Validation {
  valid: boolean;
  errors: FieldMessage[];
  warnings: FieldMessage[];
  /** The forms below are null when the number cannot be read. */
  e164: string | null;
  national: string | null;
  international: string | null;
  telUri: string | null;
  kind: NumberKind | null;
}

/** The fields of a phone number as the API takes them (POST .../phoneNumbers). */
export interface PhoneNumberFields {
  phoneName?: string;
  countryCode?: string;
  areaCode?: string;
  phoneNumber?: string;
  phoneType?: string;
  isPrimary?: boolean | "true" | "false";
  [other: string]: unknown;
}

/** One row of the provider's country-code table. */
export interface Country {
  name: string;
  /** "+64" */
  code: string;
  /** Area codes that pick the country out among those sharing its code ("684" for American Samoa). */
  areaCodes: string[];
}
"#;

/// Checks a phone number's fields with the server's rules (those of creating a number):
/// every error in the server's words and order, the warnings, and the number's forms.
///
/// # Errors
/// A JavaScript `Error` when `fields` is not an object, or reading it throws.
#[wasm_bindgen(js_name = validatePhoneNumber, unchecked_return_type = "Validation")]
pub fn validate_phone_number(
    #[wasm_bindgen(unchecked_param_type = "PhoneNumberFields")] fields: JsValue,
) -> Result<JsValue, JsError> {
    let input = read_fields(&fields)?;
    let validation = validate_create(&input);
    let result = Object::new();
    set(&result, "valid", &JsValue::from_bool(validation.errors().is_empty()));
    let errors =
        validation.errors().iter().map(|e| field_message(e.field().wire_name(), e.message()));
    set(&result, "errors", &errors.collect::<Array>());
    let warnings =
        validation.warnings().iter().map(|w| field_message(w.field().wire_name(), &w.to_string()));
    set(&result, "warnings", &warnings.collect::<Array>());
    match validation.number() {
        Some(number) => set_forms(&result, number),
        None => {
            for name in ["e164", "national", "international", "telUri", "kind"] {
                set(&result, name, &JsValue::NULL);
            }
        }
    }
    Ok(result.into())
}

/// The forms of a number typed as the API takes it, or `null` when it cannot be read.
///
/// # Errors
/// A JavaScript `Error` when an argument is neither a string nor absent.
#[wasm_bindgen(js_name = formatPhoneNumber, unchecked_return_type = "FormattedNumber | null")]
pub fn format_phone_number(
    #[wasm_bindgen(js_name = countryCode, unchecked_param_type = "string")] country_code: JsValue,
    #[wasm_bindgen(js_name = areaCode, unchecked_param_type = "string | undefined")]
    area_code: JsValue,
    #[wasm_bindgen(js_name = phoneNumber, unchecked_param_type = "string")] phone_number: JsValue,
) -> Result<JsValue, JsError> {
    let country_code = text_argument(&country_code, "countryCode")?;
    let area_code = text_argument(&area_code, "areaCode")?;
    let phone_number = text_argument(&phone_number, "phoneNumber")?;
    let Ok(code) = CountryCode::new(&country_code) else {
        return Ok(JsValue::NULL);
    };
    Ok(ParsedNumber::parse(code, &area_code, &phone_number)
        .map_or(JsValue::NULL, |n| formatted(&n).into()))
}

/// A number still being typed, grouped for display (`"0211234"` → `"021 123 4"`). With a
/// country code not in the provider's table, the text as typed.
///
/// # Errors
/// A JavaScript `Error` when an argument is neither a string nor absent.
#[wasm_bindgen(js_name = formatAsYouType)]
pub fn format_as_you_type_js(
    #[wasm_bindgen(js_name = countryCode, unchecked_param_type = "string")] country_code: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<String, JsError> {
    let country_code = text_argument(&country_code, "countryCode")?;
    let text = text_argument(&text, "text")?;
    Ok(match CountryCode::new(&country_code) {
        Ok(code) => format_as_you_type(code, &text),
        Err(_) => text,
    })
}

/// The provider's table of country codes, for building a country list.
#[wasm_bindgen(js_name = countryCodes, unchecked_return_type = "Country[]")]
#[must_use]
pub fn country_codes() -> JsValue {
    countries()
        .iter()
        .map(|c| {
            let row = Object::new();
            set(&row, "name", &c.name().into());
            set(&row, "code", &c.code().into());
            set(
                &row,
                "areaCodes",
                &c.area_codes().iter().map(|a| JsValue::from_str(a)).collect::<Array>(),
            );
            row
        })
        .collect::<Array>()
        .into()
}

/// Reads an object's own members into the rules' input, keeping what each member holds.
fn read_fields(fields: &JsValue) -> Result<PhoneNumberInput, JsError> {
    if !fields.is_object() || fields.is_function() || Array::is_array(fields) {
        return Err(JsError::new(
            "validatePhoneNumber expects an object with the phone number's fields, such as { phoneName, countryCode, areaCode, phoneNumber, phoneType, isPrimary }",
        ));
    }
    let object: &Object = fields.unchecked_ref();
    let keys = Object::keys(object);
    let mut members = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(object, &key)
            .map_err(|_| JsError::new(&format!("reading the member {name} threw")))?;
        members.push((name, value_of(&value)));
    }
    Ok(PhoneNumberInput::from_members(members))
}

/// What a member holds, as the rules see it.
fn value_of(value: &JsValue) -> Value {
    if value.is_undefined() {
        Value::Absent
    } else if value.is_null() {
        Value::Null
    } else if let Some(text) = value.as_string() {
        Value::Text(text)
    } else if let Some(flag) = value.as_bool() {
        Value::Bool(flag)
    } else {
        Value::Other
    }
}

/// A string argument; `undefined` and `null` read as empty.
fn text_argument(value: &JsValue, name: &str) -> Result<String, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    value
        .dyn_ref::<JsString>()
        .map(String::from)
        .ok_or_else(|| JsError::new(&format!("{name} must be a string")))
}

/// An object of the number's forms.
fn formatted(number: &ParsedNumber) -> Object {
    let forms = Object::new();
    set_forms(&forms, number);
    forms
}

/// Sets the number's forms on `object` (a validation's result, or an object of its own).
fn set_forms(object: &Object, number: &ParsedNumber) {
    set(object, "e164", &number.e164().into());
    set(object, "national", &number.national().into());
    set(object, "international", &number.international().into());
    set(object, "telUri", &number.tel_uri().into());
    set(object, "kind", &number.kind().as_str().into());
}

fn field_message(field: &str, message: &str) -> Object {
    let entry = Object::new();
    set(&entry, "field", &field.into());
    set(&entry, "message", &message.into());
    entry
}

/// Sets a member of an object this module made; that cannot fail, so the result is ignored.
fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &name.into(), value);
}
