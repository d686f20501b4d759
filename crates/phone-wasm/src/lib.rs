//! Phonedesk's phone number rules for any web page: thin `wasm_bindgen` wrappers over
//! `phone-model`, with no rules of their own. Built by `cargo xtask embed` into an ES module
//! (`--target web`) with TypeScript types, in two builds: every country's plan, and (feature
//! `nz-au-only`) New Zealand's and Australia's alone.
//!
//! Each call crosses into WebAssembly once: `js/bridge.js` reads the page's object into one
//! string, and builds the answer object from one compact string (errors as codes, their
//! messages learnt once). Whatever a page passes, the functions answer or throw a JavaScript
//! `Error` with a clear message; nothing here panics (a panic would trap and leave the module
//! unusable).

// The shipped module (feature `module`) does without the standard library: see Cargo.toml.
#![cfg_attr(all(feature = "module", target_arch = "wasm32"), no_std)]

extern crate alloc;

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::sync::atomic::{AtomicBool, Ordering};

use js_sys::{Array, Object, Reflect};
use phone_model::{
    Country, CountryCode, Field, Invalidity, ParsedNumber, PhoneNumberInput, ValidationError,
    Value, countries, format_as_you_type, validate_create, written_country,
};
use wasm_bindgen::prelude::*;

/// The allocator std would use, named here since there is no std.
#[cfg(all(feature = "module", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// Nothing here panics on purpose (every fallible step returns a `Result`); should the
/// impossible happen, trap at once rather than carry the formatting code a message needs.
#[cfg(all(feature = "module", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    /// The page's object as one string; throws a clear `Error` for anything but an object.
    #[wasm_bindgen(js_name = packMembers, catch)]
    fn pack_members(fields: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(js_name = learnMessages)]
    fn learn_messages(table: &str);
    #[wasm_bindgen(js_name = makeValidation)]
    fn make_validation(answer: &str) -> JsValue;
    #[wasm_bindgen(js_name = makeForms)]
    fn make_forms(answer: &str) -> JsValue;
    #[wasm_bindgen(js_name = makeCheck)]
    fn make_check(answer: &str) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A problem with one field, in the provider's words. */
export interface FieldMessage {
  /** The field, in the API's spelling: "phoneName", "countryCode", "areaCode", "phoneNumber", "phoneType", "isPrimary". */
  field: string;
  /** The message, exactly as the server's 400 body would say it. */
  message: string;
}

/** What a number is, by its country's numbering plan (libphonenumber's types). */
export type NumberKind =
  | "landline" | "mobile" | "landlineOrMobile" | "tollFree" | "premiumRate" | "sharedCost"
  | "voip" | "personalNumber" | "pager" | "uan" | "voicemail" | "unknown";

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

/**
 * Why a number (its country code, area code and digits) is not valid, or cannot exist as written:
 * "noCountryCode"; "unknownCountryCode" (+999); "invalidAreaCode"; "noNumber"; "invalidCharacter"
 * ("264 5555!"); "noDigits" ("call me"); "tooShort" and "tooLong" (than any number of the country,
 * or of any country); "noAreaCode" (a length only dialled within an area: 555 0123 under +1);
 * "invalidLength" (between the country's shortest and longest numbers, yet a length none has);
 * "notInPlan" (a possible length, but no range of the country's plan holds it).
 */
export type ReasonCode =
  | "noCountryCode" | "unknownCountryCode" | "invalidAreaCode" | "noNumber" | "invalidCharacter"
  | "noDigits" | "tooShort" | "tooLong" | "noAreaCode" | "invalidLength" | "notInPlan";

/** The verdict on a phone number: errors block saving (the server would refuse it), warnings do not. */
export interface Validation {
  valid: boolean;
  errors: FieldMessage[];
  warnings: FieldMessage[];
  /**
   * Why the number is not valid, or cannot exist as written (then `valid` may still be true: the
   * server saves it, with a warning); null when the number is fine, whatever the other fields' errors.
   */
  reason: ReasonCode | null;
  /** The reason in the provider's sentence style ("PhoneNumber is too short for a number in New Zealand."). */
  reasonMessage: string | null;
  /** The reason in plain words ("This number is too short for New Zealand: check the digits."). */
  reasonPlainMessage: string | null;
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

/** The verdict on a number alone (a country code and the number), as one input needs it. */
export interface NumberCheck {
  /** No error, and the number fits its country's plan. */
  valid: boolean;
  /** What is wrong, "" when valid: the server's wording, or plain wording when asked for. */
  message: string;
  /** Why it is not valid, null exactly when `valid`. */
  reason: ReasonCode | null;
  /** The reason in the provider's sentence style, more precise than `message` (which keeps the server's error). */
  reasonMessage: string | null;
  /** The reason in plain words. */
  reasonPlainMessage: string | null;
  /** What to look at twice, which never makes the number invalid, in the same wording. */
  warnings: string[];
  /** The forms below are null when the number cannot be read. */
  e164: string | null;
  national: string | null;
  international: string | null;
  telUri: string | null;
  kind: NumberKind | null;
}

/** One row of the provider's country-code table. */
export interface Country {
  name: string;
  /** "+64" */
  code: string;
  /** Area codes that pick the country out among those sharing its code ("684" for American Samoa). */
  areaCodes: string[];
  /** Its ISO 3166 region id ("NZ", "US"), for `Intl.DisplayNames`; null where the plans have none (Antarctica, Pitcairn). */
  regionId: string | null;
  /** Whether it is the main country of its code, which a number of the code alone is saved as: the United States under +1, the United Kingdom under +44. */
  main: boolean;
}
"#;

/// Separators of the answers `js/bridge.js` reads.
const PART: char = '\u{1}';
const PAIR: char = '\u{2}';
const ITEM: char = '\u{3}';

/// Whether the bridge has the error messages yet.
static MESSAGES_SENT: AtomicBool = AtomicBool::new(false);

/// Checks a phone number's fields with the server's rules (those of creating a number):
/// every error in the server's words and order, the warnings, and the number's forms.
///
/// # Errors
/// A JavaScript `Error` when `fields` is not an object, or reading it throws.
#[wasm_bindgen(js_name = validatePhoneNumber, unchecked_return_type = "Validation")]
pub fn validate_phone_number(
    #[wasm_bindgen(unchecked_param_type = "PhoneNumberFields")] fields: JsValue,
) -> Result<JsValue, JsValue> {
    if !MESSAGES_SENT.swap(true, Ordering::Relaxed) {
        learn_messages(&message_table());
    }
    let input = unpack(&pack_members(&fields)?);
    let validation = validate_create(&input);
    let mut answer = String::with_capacity(128);
    answer.push(if validation.errors().is_empty() { '1' } else { '0' });
    answer.push(PART);
    for error in validation.errors() {
        let code = ValidationError::ALL.iter().position(|e| e == error).unwrap_or(0);
        answer.push(char::from(b'A' + u8::try_from(code).unwrap_or(0)));
    }
    answer.push(PART);
    push_messages(&mut answer, validation.warnings().iter().map(|w| (w.field(), w.message())));
    answer.push(PART);
    if let Some(number) = validation.number() {
        push_forms(&mut answer, number);
    }
    let result = make_validation(&answer);
    set_reason(&result, validation.invalidity());
    Ok(result)
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
    let mut answer = String::new();
    if let Some(number) = parse(&country_code, &area_code, &phone_number) {
        push_forms(&mut answer, &number);
    }
    Ok(make_forms(&answer))
}

/// A country code and a number alone, as one input field holds them (the drop-in
/// `<phone-number-input>`): valid when the rules find no error in them and the number fits its
/// country's plan; else the first problem, in the server's words or (`plain`) in plain ones.
///
/// # Errors
/// A JavaScript `Error` when an argument is neither a string nor absent.
#[wasm_bindgen(js_name = checkNumber, unchecked_return_type = "NumberCheck")]
pub fn check_number(
    #[wasm_bindgen(js_name = countryCode, unchecked_param_type = "string")] country_code: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
    plain: bool,
) -> Result<JsValue, JsError> {
    let input = PhoneNumberInput {
        country_code: Value::Text(text_argument(&country_code, "countryCode")?),
        area_code: Value::text(""),
        phone_number: Value::Text(text_argument(&number, "number")?),
        ..PhoneNumberInput::default()
    };
    let validation = validate_create(&input);
    let number_fields = [Field::CountryCode, Field::AreaCode, Field::PhoneNumber];
    let error = validation.errors().iter().find(|e| number_fields.contains(&e.field()));
    let implausible = validation.warnings().iter().find(|w| w.is_implausible());
    let message: String = match (error, implausible) {
        (Some(error), _) if plain => error.plain_message().to_owned(),
        (Some(error), _) => error.message().to_owned(),
        (None, Some(warning)) if plain => warning.plain_message(),
        (None, Some(warning)) => warning.message(),
        (None, None) => String::new(),
    };
    let mut answer = String::with_capacity(96);
    answer.push(if message.is_empty() { '1' } else { '0' });
    answer.push(PART);
    answer.push_str(&message);
    answer.push(PART);
    // The rest of the number's warnings (text after it, another country's code …), which
    // never make it invalid.
    let others = validation.warnings().iter().filter(|w| w.field() != Field::PhoneType);
    let others = others.filter(|w| !w.is_implausible());
    push_messages(
        &mut answer,
        others.map(|w| (w.field(), if plain { w.plain_message() } else { w.message() })),
    );
    answer.push(PART);
    if let Some(number) = validation.number() {
        push_forms(&mut answer, number);
    }
    let result = make_check(&answer);
    set_reason(&result, validation.invalidity());
    Ok(result)
}

/// Adds `reason`, `reasonMessage` and `reasonPlainMessage` (all `null` without a reason) to an
/// answer `js/bridge.js` made. Set here rather than packed into the bridge's answer: three
/// members that only this module's reasons fill.
fn set_reason(answer: &JsValue, reason: Option<Invalidity>) {
    let Some(answer) = answer.dyn_ref::<Object>() else { return };
    let (code, message, plain) = match reason {
        Some(reason) => (
            JsValue::from_str(reason.code()),
            JsValue::from_str(&reason.message()),
            JsValue::from_str(&reason.plain_message()),
        ),
        None => (JsValue::NULL, JsValue::NULL, JsValue::NULL),
    };
    set(answer, "reason", &code);
    set(answer, "reasonMessage", &message);
    set(answer, "reasonPlainMessage", &plain);
}

/// Whether a number is valid in its country's numbering plan: the yes or no alone, for pages
/// that need nothing else. `number` may be national (`"021 123 4567"` under `"+64"`) or
/// international (`"+64 21 123 4567"`). Built for speed: the arguments cross as strings (a
/// value that is not a string is read as its text), and anything unreadable is `false`.
#[wasm_bindgen(js_name = isValidNumber)]
#[must_use]
pub fn is_valid_number(
    #[wasm_bindgen(js_name = countryCode)] country_code: Option<String>,
    number: Option<String>,
) -> bool {
    let (Some(country_code), Some(number)) = (country_code, number) else { return false };
    parse(&country_code, "", &number).is_some_and(|n| n.is_valid())
}

/// A number still being typed, grouped for display (`"0211234"` → `"021 123 4"`); one written
/// with another country's code by that country's plan (`"+61293744000"` → `"+61 2 9374
/// 4000"`). With a country code not in the provider's table, the text as typed.
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
    countries().iter().map(country_row).collect::<Array>().into()
}

/// The country of the provider's table a number is written for, when it is written with a
/// country code other than `countryCode`'s — after `+`, or after that country's international
/// prefix (`0044 20 7946 0958` under `+64`) — for a country list to switch to; `null` when it
/// is written nationally, with `countryCode`'s own code, or `countryCode` is not in the table.
///
/// # Errors
/// A JavaScript `Error` when an argument is neither a string nor absent.
#[wasm_bindgen(js_name = writtenCountry, unchecked_return_type = "Country | null")]
pub fn written_country_js(
    #[wasm_bindgen(js_name = countryCode, unchecked_param_type = "string")] country_code: JsValue,
    #[wasm_bindgen(js_name = phoneNumber, unchecked_param_type = "string")] phone_number: JsValue,
) -> Result<JsValue, JsError> {
    let country_code = text_argument(&country_code, "countryCode")?;
    let phone_number = text_argument(&phone_number, "phoneNumber")?;
    let written = CountryCode::new(&country_code)
        .ok()
        .and_then(|selected| written_country(selected, &phone_number));
    Ok(written.map_or(JsValue::NULL, |country| country_row(country).into()))
}

/// A row of the table as `countryCodes` and `writtenCountry` give it.
fn country_row(country: &Country) -> Object {
    let row = Object::new();
    set(&row, "name", &country.name().into());
    set(&row, "code", &country.code().into());
    let area_codes = country.area_codes().iter().map(|a| JsValue::from_str(a));
    set(&row, "areaCodes", &area_codes.collect::<Array>());
    let region = country.region_id().map_or(JsValue::NULL, JsValue::from_str);
    set(&row, "regionId", &region);
    set(&row, "main", &JsValue::from_bool(country.is_main_for_code()));
    row
}

fn parse(country_code: &str, area_code: &str, number: &str) -> Option<ParsedNumber> {
    ParsedNumber::parse(CountryCode::new(country_code).ok()?, area_code, number).ok()
}

/// `e164 · national · international · tel · kind`, as `makeForms` reads them.
fn push_forms(answer: &mut String, number: &ParsedNumber) {
    for form in [number.e164(), number.national(), number.international(), number.tel_uri()] {
        answer.push_str(&form);
        answer.push(PART);
    }
    answer.push_str(number.kind().as_str());
}

/// Every error's field and message, in [`ValidationError::ALL`]'s order.
fn message_table() -> String {
    let mut table = String::new();
    push_messages(&mut table, ValidationError::ALL.iter().map(|e| (e.field(), e.message())));
    table
}

/// `field \u{2} message` joined by `\u{3}`, as `messagesOf` in `js/bridge.js` reads them.
fn push_messages<M: AsRef<str>>(out: &mut String, messages: impl Iterator<Item = (Field, M)>) {
    for (i, (field, message)) in messages.enumerate() {
        if i > 0 {
            out.push(ITEM);
        }
        out.push_str(field.wire_name());
        out.push(PAIR);
        out.push_str(message.as_ref());
    }
}

/// Reads `packMembers`' string back into the rules' input (see `js/bridge.js`).
fn unpack(packed: &str) -> PhoneNumberInput {
    let mut members = Vec::new();
    let mut rest = packed;
    while let Some((name, after)) = counted(rest) {
        let mut tag = after.chars();
        let value = match tag.next() {
            Some('s') => match counted(tag.as_str()) {
                Some((text, after)) => {
                    rest = after;
                    members.push((name, Value::Text(text.to_owned())));
                    continue;
                }
                None => break,
            },
            Some('t') => Value::Bool(true),
            Some('f') => Value::Bool(false),
            Some('u') => Value::Absent,
            Some('n') => Value::Null,
            Some(_) => Value::Other,
            None => break,
        };
        rest = tag.as_str();
        members.push((name, value));
    }
    PhoneNumberInput::from_members(members)
}

/// Splits `<length>:<text>` (length in UTF-16 code units) off the front of `packed`.
fn counted(packed: &str) -> Option<(&str, &str)> {
    let (length, rest) = packed.split_once(':')?;
    let mut units: usize = length.parse().ok()?;
    // Most text is ASCII, where a UTF-16 code unit is a byte.
    if rest.as_bytes().get(..units).is_some_and(<[u8]>::is_ascii) {
        return Some(rest.split_at(units));
    }
    let mut end = 0;
    for c in rest.chars() {
        if units == 0 {
            break;
        }
        units = units.checked_sub(c.len_utf16())?;
        end += c.len_utf8();
    }
    Some(rest.split_at(end))
}

/// A string argument; `undefined` and `null` read as empty.
fn text_argument(value: &JsValue, name: &str) -> Result<String, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    value.as_string().ok_or_else(|| JsError::new(&[name, " must be a string"].concat()))
}

/// Sets a member of an object this module made; that cannot fail, so the result is ignored.
fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &name.into(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_members_read_back_with_any_text() {
        let input = unpack("9:phoneNames5:Jo:hn11:countryCodes3:+649:isPrimaryt");
        assert_eq!(input.phone_name, Value::text("Jo:hn"));
        assert_eq!(input.country_code, Value::text("+64"));
        assert_eq!(input.is_primary, Value::Bool(true));
        // An emoji is two UTF-16 code units.
        let emoji = unpack("9:phoneNames3:😀a");
        assert_eq!(emoji.phone_name, Value::text("😀a"));
    }
}
