//! Reading, normalising and writing numbers; the New Zealand and Australian plans.

use phone_model::{
    CountryCode, NumberError, NumberKind, ParsedNumber, PhoneNumberInput, PhoneType, Value,
    Warning, validate_create,
};

#[track_caller]
fn parse(code: &str, area: &str, number: &str) -> ParsedNumber {
    let code = CountryCode::new(code).unwrap();
    ParsedNumber::parse(code, area, number)
        .unwrap_or_else(|e| panic!("{code} {area:?} {number:?}: {e}"))
}

#[test]
fn new_zealand_and_australian_numbers_typed_either_way_normalise_alike() {
    let cases = [
        // (country, area, number, e164, national, international)
        ("+64", "09", "264 5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "", "09 264 5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "9", "2645555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "", "(09) 264-5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "", "+64 (0)9 264 5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "", "+64 9 264 5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("64", "(09)", "264.5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "021", "123 4567", "+64211234567", "021 123 4567", "+64 21 123 4567"),
        ("+64", "", "021 123 4567", "+64211234567", "021 123 4567", "+64 21 123 4567"),
        ("+61", "", "0412 345 678", "+61412345678", "0412 345 678", "+61 412 345 678"),
        ("+61", "04", "1234 5678", "+61412345678", "0412 345 678", "+61 412 345 678"),
        ("+61", "02", "9876 5432", "+61298765432", "02 9876 5432", "+61 2 9876 5432"),
    ];
    for (code, area, number, e164, national, international) in cases {
        let parsed = parse(code, area, number);
        assert_eq!(
            (parsed.e164().as_str(), parsed.national().as_str(), parsed.international().as_str()),
            (e164, national, international),
            "{code} {area:?} {number:?}"
        );
        assert_eq!(parsed.tel_uri(), format!("tel:{e164}"));
    }
}

#[test]
fn every_kind_of_new_zealand_and_australian_number_is_recognised() {
    use NumberKind::{FixedLine, Mobile, PremiumRate, SharedCost, TollFree};
    let cases = [
        ("+64", "03 345 6789", FixedLine, "03 345 6789"),
        ("+64", "04 470 1234", FixedLine, "04 470 1234"),
        ("+64", "06 835 1234", FixedLine, "06 835 1234"),
        ("+64", "07 838 1234", FixedLine, "07 838 1234"),
        ("+64", "022 123 4567", Mobile, "022 123 4567"),
        ("+64", "027 123 4567", Mobile, "027 123 4567"),
        ("+64", "021 123 456", Mobile, "021 123 456"),
        ("+64", "0800 123 456", TollFree, "0800 123 456"),
        ("+64", "0508 123 456", TollFree, "0508 123 456"),
        ("+64", "0900 12345", PremiumRate, "0900 12345"),
        ("+61", "03 9876 5432", FixedLine, "03 9876 5432"),
        ("+61", "07 3123 4567", FixedLine, "07 3123 4567"),
        ("+61", "08 8123 4567", FixedLine, "08 8123 4567"),
        ("+61", "1800 123 456", TollFree, "1800 123 456"),
        ("+61", "1300 123 456", SharedCost, "1300 123 456"),
        ("+61", "13 12 34", SharedCost, "13 12 34"),
        ("+61", "1900 123 456", PremiumRate, "1900 123 456"),
    ];
    for (code, number, kind, national) in cases {
        let parsed = parse(code, "", number);
        assert_eq!((parsed.kind(), parsed.national().as_str()), (kind, national), "{number}");
        assert_eq!(parsed.broken_plan(), None, "{number}");
    }
}

#[test]
fn numbers_the_plans_cannot_hold_are_recognised_as_such() {
    let cases = [
        ("+64", "09 064 5555", "New Zealand"), // a landline cannot start 0 after the area
        ("+64", "09 264 555", "New Zealand"),  // one digit short
        ("+64", "05 264 5555", "New Zealand"), // no area 5
        ("+64", "264 5555", "New Zealand"),    // the area code left out
        ("+61", "0412 345 67", "Australia"),   // one digit short
        ("+61", "05 1234 5678", "Australia"),  // no area 5
        ("+61", "1800 123 45", "Australia"),
    ];
    for (code, number, country) in cases {
        let parsed = parse(code, "", number);
        assert_eq!(parsed.kind(), NumberKind::Unknown, "{number}");
        assert_eq!(parsed.broken_plan(), Some(country), "{number}");
    }
}

#[test]
fn other_countries_are_held_to_the_e164_limits_only() {
    let uk = parse("+44", "", "020 7946 0000");
    assert_eq!(uk.e164(), "+442079460000");
    assert_eq!(uk.kind(), NumberKind::Unknown);
    assert_eq!(uk.broken_plan(), None);
    // Italy keeps its leading 0.
    assert_eq!(parse("+39", "", "06 1234 5678").e164(), "+390612345678");
    let us = CountryCode::new("+1").unwrap();
    assert_eq!(ParsedNumber::parse(us, "", "123"), Err(NumberError::ImpossibleLength));
    assert_eq!(ParsedNumber::parse(us, "", &"1".repeat(15)), Err(NumberError::ImpossibleLength));
    assert!(ParsedNumber::parse(us, "", &"2".repeat(14)).is_ok());
}

#[test]
fn numbers_that_cannot_be_read_say_why() {
    let nz = CountryCode::NZ;
    let cases = [
        ("abc", NumberError::NoDigits),
        ("ext 12", NumberError::NoDigits),
        ("264 5555!", NumberError::InvalidCharacter('!')),
        ("２６４", NumberError::InvalidCharacter('２')),
        ("+44 20 7946 0000", NumberError::OtherCountry),
    ];
    for (number, error) in cases {
        assert_eq!(ParsedNumber::parse(nz, "", number), Err(error), "{number}");
    }
}

#[test]
fn text_after_the_number_is_kept_and_reported() {
    let with_extension = parse("+64", "09", "264 5555 ext 12");
    assert_eq!(with_extension.extension(), Some("12"));
    assert_eq!(with_extension.tel_uri(), "tel:+6492645555;ext=12");
    let with_note = parse("+64", "09", "264 5555 after 5pm");
    assert_eq!(with_note.note(), Some("after 5pm"));
    assert_eq!(with_note.e164(), "+6492645555");
}

/// A create request for a number, with the given type.
fn request(code: &str, number: &str, phone_type: &str) -> PhoneNumberInput {
    PhoneNumberInput {
        phone_name: Value::text("John"),
        country_code: Value::text(code),
        phone_number: Value::text(number),
        phone_type: Value::text(phone_type),
        is_primary: Value::Bool(false),
        ..PhoneNumberInput::default()
    }
}

#[test]
fn warnings_inform_but_never_block() {
    let cases = [
        ("+64", "09 264 555", "home", vec![Warning::NotInPlan { country: "New Zealand" }]),
        (
            "+64",
            "09 264 5555",
            "mobile",
            vec![Warning::TypeMismatch {
                phone_type: PhoneType::Mobile,
                kind: NumberKind::FixedLine,
            }],
        ),
        (
            "+61",
            "0412 345 678",
            "fax",
            vec![Warning::TypeMismatch { phone_type: PhoneType::Fax, kind: NumberKind::Mobile }],
        ),
        ("+64", "021 123 4567", "work", vec![]),
        ("+64", "+44 20 7946 0000", "work", vec![Warning::OtherCountry]),
        ("+64", "12", "work", vec![Warning::ImpossibleLength]),
        ("+64", "09 264 5555 after 5pm", "home", vec![Warning::TrailingText]),
    ];
    for (code, number, phone_type, warnings) in cases {
        let validation = validate_create(&request(code, number, phone_type));
        assert_eq!(validation.warnings(), warnings, "{number}");
        assert!(validation.into_result().is_ok(), "{number} must still be valid");
    }
}

#[test]
fn warning_messages_read_as_sentences() {
    let cases = [
        (
            Warning::NotInPlan { country: "Australia" },
            "PhoneNumber does not fit the numbering plan of Australia.",
        ),
        (Warning::ImpossibleLength, "PhoneNumber has too few or too many digits to be dialled."),
        (Warning::OtherCountry, "PhoneNumber starts with a country code other than CountryCode."),
        (
            Warning::TypeMismatch { phone_type: PhoneType::Home, kind: NumberKind::TollFree },
            "PhoneType home does not match a toll-free number.",
        ),
        (
            Warning::TrailingText,
            "PhoneNumber has text after the number, which is kept but not dialled.",
        ),
    ];
    for (warning, message) in cases {
        assert_eq!(warning.to_string(), message);
    }
}

#[test]
fn duplicates_are_the_same_e164_or_else_the_same_digits() {
    let key = |code: &str, area: &str, number: &str| {
        let input =
            PhoneNumberInput { area_code: Value::text(area), ..request(code, number, "home") };
        validate_create(&input).into_result().unwrap().duplicate_key()
    };
    assert_eq!(key("+64", "09", "264 5555"), "+6492645555");
    assert_eq!(key("+64", "", "(09) 264-5555"), "+6492645555");
    assert_eq!(key("+64", "9", "2645555"), "+6492645555");
    // Unreadable: too short to be a number anywhere, so the digits are the key.
    assert_eq!(key("+64", "0", "12"), "64012");
}
