//! Any bytes, read as the fields of a phone number: validating, reading, formatting and
//! formatting-as-you-type must never panic, and a valid number must read the same again from
//! its international form. (An invalid one need not: `00946 147 4943` under +64 keeps one of
//! its zeros after the trunk prefix is taken off, and loses it when read again — as in
//! libphonenumber, whose plans these are.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use phone_model::{
    CountryCode, ParsedNumber, PhoneNumberInput, Value, countries, format_as_you_type,
    validate_create, validate_update,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\u{1f}');
    let (code, area, number, name) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let input = PhoneNumberInput {
        phone_name: Value::text(name),
        country_code: Value::text(code),
        area_code: Value::text(area),
        phone_number: Value::text(number),
        phone_type: Value::text(name),
        is_primary: Value::text(area),
        phone_number_id: Value::text(code),
    };
    let _ = validate_create(&input);
    let _ = validate_update(number, &input);
    let country = countries()[data.first().copied().unwrap_or(0) as usize % countries().len()];
    let code = CountryCode::new(country.code()).expect("the table's codes are valid");
    let _ = format_as_you_type(code, number);
    if let Ok(parsed) = ParsedNumber::parse(code, area, number)
        && parsed.is_valid()
    {
        let again = ParsedNumber::parse(code, "", &parsed.international())
            .expect("a normalised number reads");
        assert_eq!(again.e164(), parsed.e164());
    }
});
