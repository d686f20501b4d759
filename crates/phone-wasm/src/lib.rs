//! Phonedesk's phone number rules for any web page: thin wrappers over `phone-model`, with no
//! rules of their own, compiled to a WebAssembly module with no imports. Built by `cargo xtask
//! embed` in two builds: every country's plan, and (feature `nz-au-only`) New Zealand's and
//! Australia's alone.
//!
//! Each call crosses into WebAssembly once: `package/phone_wasm_api.js` writes the arguments
//! as UTF-8 into the module's input buffer (`abi.rs`), and builds the answer object from one
//! compact string the functions here write (errors as codes, their messages read once). The
//! JavaScript checks the arguments' types and throws a clear `Error`; nothing here panics (a
//! panic traps, and the call throws a `RuntimeError`).
//!
//! The answers' parts are separated by `PART`; a list's entries by `ITEM`, an entry's parts by
//! `PAIR`. Text a person typed can reach an answer only inside the reason's messages
//! ("PhoneNumber must not contain …"), which are therefore written with their length.

// The shipped module (feature `module`) does without the standard library: see Cargo.toml.
#![cfg_attr(all(feature = "module", target_arch = "wasm32"), no_std)]

extern crate alloc;

#[cfg(target_arch = "wasm32")]
mod abi;
#[cfg(all(feature = "module", target_arch = "wasm32"))]
mod allocator;

use alloc::{string::String, vec::Vec};

use phone_model::{
    Country, CountryCode, Field, Invalidity, ParsedNumber, PhoneNumberInput, Validation,
    ValidationError, Value, countries, validate_create,
};

/// Nothing here panics on purpose (every fallible step returns a `Result`); should the
/// impossible happen, trap at once rather than carry the formatting code a message needs.
#[cfg(all(feature = "module", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Separators of the answers `package/phone_wasm_api.js` reads.
const PART: char = '\u{1}';
const PAIR: char = '\u{2}';
const ITEM: char = '\u{3}';

/// `validatePhoneNumber`: the fields as `packMembers` packs them, checked with the server's
/// rules (those of creating a number). The answer: `valid · errors · warnings · reason ·
/// forms`, errors as one letter each (`A` is [`ValidationError::ALL`]'s first; see
/// [`messages`]), warnings as `field PAIR message` joined by `ITEM`.
#[must_use]
pub fn validate_phone_number(packed: &str) -> String {
    let validation = validate_create(&unpack(packed));
    let mut answer = String::with_capacity(128);
    answer.push(if validation.errors().is_empty() { '1' } else { '0' });
    answer.push(PART);
    for error in validation.errors() {
        let code = ValidationError::ALL.iter().position(|e| e == error).unwrap_or(0);
        answer.push(char::from(b'A' + u8::try_from(code).unwrap_or(0)));
    }
    answer.push(PART);
    push_messages(&mut answer, validation.warnings().iter().map(|w| (w.field(), w.message())));
    push_reason_and_forms(&mut answer, &validation);
    answer
}

/// `checkNumber`: a country code and a number alone, as one input field holds them. The
/// answer: `valid · message · warnings · reason · forms`, the warnings' messages joined by
/// `ITEM`.
#[must_use]
pub fn check_number(country_code: &str, number: &str, plain: bool) -> String {
    let input = PhoneNumberInput {
        country_code: Value::text(country_code),
        area_code: Value::text(""),
        phone_number: Value::text(number),
        ..PhoneNumberInput::default()
    };
    let validation = validate_create(&input);
    let number_fields = [Field::CountryCode, Field::AreaCode, Field::PhoneNumber];
    let error = validation.errors().iter().find(|e| number_fields.contains(&e.field()));
    let implausible = validation.warnings().iter().find(|w| w.is_implausible());
    let mut answer = String::with_capacity(128);
    answer.push(if error.is_none() && implausible.is_none() { '1' } else { '0' });
    answer.push(PART);
    match (error, implausible) {
        (Some(error), _) if plain => answer.push_str(error.plain_message()),
        (Some(error), _) => answer.push_str(error.message()),
        (None, Some(warning)) if plain => answer.push_str(&warning.plain_message()),
        (None, Some(warning)) => answer.push_str(&warning.message()),
        (None, None) => {}
    }
    answer.push(PART);
    // The rest of the number's warnings (text after it, another country's code …), which
    // never make it invalid.
    let others = validation.warnings().iter().filter(|w| w.field() != Field::PhoneType);
    let others = others.filter(|w| !w.is_implausible());
    for (i, warning) in others.enumerate() {
        if i > 0 {
            answer.push(ITEM);
        }
        answer.push_str(&if plain { warning.plain_message() } else { warning.message() });
    }
    push_reason_and_forms(&mut answer, &validation);
    answer
}

/// `PART reason PART forms`: the reason as `code PART counted message, counted plain message`
/// (each `<UTF-16 length>:<text>`, since a typed character may be in them), empty without
/// one; then the forms as [`push_forms`] writes them, empty when the number cannot be read.
fn push_reason_and_forms(answer: &mut String, validation: &Validation) {
    answer.push(PART);
    if let Some(reason) = validation.invalidity() {
        push_reason(answer, reason);
    }
    answer.push(PART);
    if let Some(number) = validation.number() {
        push_forms(answer, number);
    }
}

fn push_reason(answer: &mut String, reason: Invalidity) {
    answer.push_str(reason.code());
    answer.push(PART);
    for message in [reason.message(), reason.plain_message()] {
        push_count(answer, message.encode_utf16().count());
        answer.push(':');
        answer.push_str(&message);
    }
}

/// `formatPhoneNumber`: the forms of a number typed as the API takes it, empty when it cannot
/// be read.
#[must_use]
pub fn format_phone_number(country_code: &str, area_code: &str, phone_number: &str) -> String {
    let mut answer = String::new();
    if let Some(number) = parse(country_code, area_code, phone_number) {
        push_forms(&mut answer, &number);
    }
    answer
}

/// `isValidNumber`: whether a number is valid in its country's numbering plan.
#[must_use]
pub fn is_valid_number(country_code: &str, number: &str) -> bool {
    parse(country_code, "", number).is_some_and(|n| n.is_valid())
}

/// `formatAsYouType`: a number still being typed, grouped for display; with a country code
/// not in the provider's table, the text as typed.
#[must_use]
pub fn format_as_you_type(country_code: &str, text: &str) -> String {
    match CountryCode::new(country_code) {
        Ok(code) => phone_model::format_as_you_type(code, text),
        Err(_) => text.into(),
    }
}

/// `countryCodes`: the provider's table, rows as [`push_country`] writes them, joined by
/// `ITEM`.
#[must_use]
pub fn country_codes() -> String {
    let mut answer = String::with_capacity(8192);
    for (i, country) in countries().iter().enumerate() {
        if i > 0 {
            answer.push(ITEM);
        }
        push_country(&mut answer, country);
    }
    answer
}

/// `countryChoices`: the countries offered for `typed` (see
/// [`phone_model::country_choices_named`]), best first, as their places in the table
/// ([`country_codes`]' order) joined by `,`; `names` are the page's own names of the rows, in
/// the table's order, joined by `ITEM` (empty for none).
#[must_use]
pub fn country_choices(typed: &str, names: &str) -> String {
    // A closure, not the char: `split(ITEM)`'s searcher costs the module 0.2 KB of gzip more.
    #[allow(clippy::manual_pattern_char_comparison)]
    let names = names.split(|c| c == ITEM);
    let rows = countries();
    let mut answer = String::new();
    for chosen in phone_model::country_choices_named(typed, names) {
        if let Some(at) = rows.iter().position(|row| core::ptr::eq(row, chosen)) {
            if !answer.is_empty() {
                answer.push(',');
            }
            push_count(&mut answer, at);
        }
    }
    answer
}

/// `writtenCountry`: the row of the country a number is written for (see
/// [`phone_model::written_country`]), empty for none.
#[must_use]
pub fn written_country(country_code: &str, phone_number: &str) -> String {
    let mut answer = String::new();
    let written = CountryCode::new(country_code)
        .ok()
        .and_then(|selected| phone_model::written_country(selected, phone_number));
    if let Some(country) = written {
        push_country(&mut answer, country);
    }
    answer
}

/// Every error's field and message, in [`ValidationError::ALL`]'s order, as
/// `validate_phone_number`'s letters name them: read once by the JavaScript.
#[must_use]
pub fn messages() -> String {
    let mut table = String::new();
    push_messages(&mut table, ValidationError::ALL.iter().map(|e| (e.field(), e.message())));
    table
}

/// `name PAIR code PAIR area codes (joined by ",") PAIR region id (empty for none) PAIR main
/// (1 or 0)`.
fn push_country(answer: &mut String, country: &Country) {
    for part in [country.name(), country.code()] {
        answer.push_str(part);
        answer.push(PAIR);
    }
    for (i, area_code) in country.area_codes().iter().enumerate() {
        if i > 0 {
            answer.push(',');
        }
        answer.push_str(area_code);
    }
    answer.push(PAIR);
    answer.push_str(country.region_id().unwrap_or_default());
    answer.push(PAIR);
    answer.push(if country.is_main_for_code() { '1' } else { '0' });
}

fn parse(country_code: &str, area_code: &str, number: &str) -> Option<ParsedNumber> {
    ParsedNumber::parse(CountryCode::new(country_code).ok()?, area_code, number).ok()
}

/// `e164 PART national PART international PART tel PART kind`.
fn push_forms(answer: &mut String, number: &ParsedNumber) {
    for form in [number.e164(), number.national(), number.international(), number.tel_uri()] {
        answer.push_str(&form);
        answer.push(PART);
    }
    answer.push_str(number.kind().as_str());
}

/// `field PAIR message` joined by `ITEM`.
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

/// The on-demand build's calling codes whose plans a call needed and did not have since the
/// last ask, joined by `,` (`64,61`), for the JavaScript to fetch their packs.
#[cfg(feature = "on-demand")]
#[must_use]
pub fn plans_wanted() -> String {
    let mut answer = String::new();
    for code in phone_model::plans::wanted() {
        if !answer.is_empty() {
            answer.push(',');
        }
        push_count(&mut answer, usize::from(code));
    }
    answer
}

/// `count` in decimal digits. By hand: `write!` would link core's formatting.
fn push_count(out: &mut String, count: usize) {
    let mut power = 1;
    while count / power >= 10 {
        power *= 10;
    }
    while power > 0 {
        out.push(char::from(b'0' + (count / power % 10) as u8));
        power /= 10;
    }
}

/// Reads `packMembers`' string back into the rules' input (see `package/phone_wasm_api.js`).
fn unpack(packed: &str) -> PhoneNumberInput {
    let mut members = Vec::new();
    let mut rest = packed;
    while let Some((name, after)) = counted(rest) {
        let mut tag = after.chars();
        let value = match tag.next() {
            Some('s') => match counted(tag.as_str()) {
                Some((text, after)) => {
                    rest = after;
                    members.push((name, Value::text(text)));
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
    let mut units = decimal(length)?;
    // Most text is ASCII, where a UTF-16 code unit is a byte.
    if rest.as_bytes().get(..units).is_some_and(<[u8]>::is_ascii) {
        return rest.split_at_checked(units);
    }
    let mut end = 0;
    for c in rest.chars() {
        if units == 0 {
            break;
        }
        units = units.checked_sub(c.len_utf16())?;
        end += c.len_utf8();
    }
    rest.split_at_checked(end)
}

/// A length the JavaScript wrote. By hand: `str::parse` would do, but its error carries
/// formatting the module must not link.
fn decimal(text: &str) -> Option<usize> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0_usize, |n, byte| {
        let digit = byte.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(usize::from(digit))
    })
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
        // A length that is not a number ends the members.
        assert_eq!(unpack("9:phoneNames-1:x").phone_name, Value::Absent);
    }

    #[test]
    fn counts_are_written_in_decimal() {
        for count in [0, 7, 10, 1234, usize::MAX] {
            let mut out = String::new();
            push_count(&mut out, count);
            assert_eq!(out, count.to_string());
            assert_eq!(decimal(&out), Some(count));
        }
        assert_eq!(decimal(""), None);
        assert_eq!(decimal("1a"), None);
        assert_eq!(decimal("99999999999999999999999"), None);
    }

    #[test]
    fn country_choices_are_rows_of_the_table_with_the_pages_names_matched() {
        let row = |name: &str| countries().iter().position(|c| c.name() == name).unwrap();
        assert_eq!(country_choices("1684", ""), row("American Samoa").to_string());
        let first = |answer: String| answer.split(',').next().map(str::to_owned);
        assert_eq!(first(country_choices("", "")), Some(row("New Zealand").to_string()));
        let mut names = vec![""; countries().len()];
        names[row("Germany")] = "Allemagne";
        let joined = names.join(&ITEM.to_string());
        assert_eq!(country_choices("allem", &joined), row("Germany").to_string());
        assert_eq!(country_choices("zzz", &joined), "");
    }

    #[test]
    fn a_typed_separator_stays_inside_the_reasons_counted_messages() {
        let answer = check_number("+64", "021\u{1}", false);
        let parts: Vec<&str> = answer.splitn(4, PART).collect();
        assert_eq!(
            parts[3],
            "invalidCharacter\u{1}33:PhoneNumber must not contain \"\u{1}\".\
             34:A phone number cannot contain \"\u{1}\".\u{1}"
        );
    }
}
