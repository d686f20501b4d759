//! Reading, normalising and writing numbers by libphonenumber's plans.

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
        ("+61", "02", "9876 5432", "+61298765432", "(02) 9876 5432", "+61 2 9876 5432"),
        // A trunk 0 written after the country code is dropped, as libphonenumber does.
        ("+64", "", "+64 09 264 5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        ("+64", "09", "+64 9 264 5555", "+6492645555", "09 264 5555", "+64 9 264 5555"),
        // Dialled with the country's international prefix, as if written with `+`.
        ("+64", "", "0064 21 123 4567", "+64211234567", "021 123 4567", "+64 21 123 4567"),
        ("+61", "", "0011 61 412 345 678", "+61412345678", "0412 345 678", "+61 412 345 678"),
        ("+1", "", "011 1 201 555 0123", "+12015550123", "(201) 555-0123", "+1 201-555-0123"),
        ("+44", "", "00 44 20 7946 0958", "+442079460958", "020 7946 0958", "+44 20 7946 0958"),
        // Capital letters dial as their keys.
        ("+64", "", "0800 FLOWERS", "+648003569377", "0800 356 9377", "+64 800 356 9377"),
        // Other countries, in their own formats.
        ("+44", "", "020 7946 0958", "+442079460958", "020 7946 0958", "+44 20 7946 0958"),
        ("+1", "", "(201) 555-0123", "+12015550123", "(201) 555-0123", "+1 201-555-0123"),
        ("+49", "", "030 123456", "+4930123456", "030 123456", "+49 30 123456"),
        ("+39", "", "06 1234 5678", "+390612345678", "06 1234 5678", "+39 06 1234 5678"),
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
fn a_national_prefix_with_a_carrier_code_is_rewritten_by_the_regions_rule() {
    // libphonenumber's own cases (PhoneNumberUtilTest): Argentina's 0 and mobile 15 become a
    // leading 9; Brazil's 0 and carrier code 12 go.
    let cases = [
        ("+54", "011 15 8765-4321", "+5491187654321", "91187654321"),
        // Without the mobile 15 the rule has nothing to rewrite: only the 0 goes.
        ("+54", "011 8765-4321", "+541187654321", "1187654321"),
        ("+55", "012 3121286979", "+553121286979", "3121286979"),
        ("+55", "0 31 2128 6979", "+553121286979", "3121286979"),
    ];
    for (code, number, e164, national) in cases {
        let parsed = parse(code, "", number);
        assert_eq!(parsed.e164(), e164, "{code} {number}");
        assert_eq!(parsed.national_significant_number(), national, "{code} {number}");
        assert_eq!(parsed.to_string(), parsed.international(), "{code} {number}");
    }
}

#[test]
fn the_national_prefix_is_dropped_or_kept_as_libphonenumber_does() {
    // Numbers no plan holds, as libphonenumber-js 9.0.35 (the plans' release) reads them: the
    // prefix goes when what is left has a possible length or is too long, and stays when what
    // is left would be too short or not a number there.
    let cases = [
        ("+64", "0264 555", "+64264555"),
        ("+64", "09 264 55", "+64926455"),
        ("+64", "0 123", "+640123"),
        ("+64", "0 9 264", "+6409264"),
        ("+64", "09 264 5555 123", "+6492645555123"),
        ("+64", "0800 1234", "+648001234"),
        ("+61", "02 1234 567", "+6121234567"),
        ("+61", "0412 345 6789", "+614123456789"),
        ("+44", "0 20 7946 095", "+44207946095"),
        ("+44", "020 7946 09581", "+4420794609581"),
        ("+49", "0 30 1", "+490301"),
        ("+54", "0 11 15 1234", "+54011151234"),
        ("+54", "0 343 15 555 1212", "+5493435551212"),
        ("+52", "044 55 1234 5678", "+520445512345678"),
        ("+52", "01 55 1234 5678", "+52015512345678"),
        ("+39", "0 6 1234 5678", "+390612345678"),
    ];
    for (code, number, e164) in cases {
        assert_eq!(parse(code, "", number).e164(), e164, "{code} {number}");
    }
}

#[test]
fn kinds_types_and_reasons_read_as_words() {
    assert_eq!(NumberKind::Mobile.to_string(), NumberKind::Mobile.as_str());
    assert_eq!(PhoneType::Mobile.to_string(), "mobile");
    assert_eq!(NumberError::NoDigits.to_string(), "there is no digit to dial");
    assert_eq!(NumberError::InvalidCharacter('!').to_string(), "the character '!' is not allowed");
}

#[test]
fn every_kind_of_new_zealand_and_australian_number_is_recognised() {
    use NumberKind::{FixedLine, Mobile, PremiumRate, SharedCost, TollFree, Uan};
    let cases = [
        ("+64", "03 345 6789", FixedLine, "03 345 6789"),
        ("+64", "04 470 1234", FixedLine, "04 470 1234"),
        ("+64", "06 835 1234", FixedLine, "06 835 1234"),
        ("+64", "07 838 1234", FixedLine, "07 838 1234"),
        ("+64", "0240 12345", FixedLine, "02 401 2345"),
        ("+64", "022 123 4567", Mobile, "022 123 4567"),
        ("+64", "027 123 4567", Mobile, "027 123 4567"),
        ("+64", "021 123 456", Mobile, "021 123 456"),
        // Found wrongly warned by the hand-made plans before they became libphonenumber's.
        ("+64", "0265577290", Mobile, "026 557 7290"),
        ("+64", "026389428", Mobile, "026 389 428"),
        ("+64", "0830754", Uan, "083 0754"),
        ("+64", "0879078883", Uan, "087 9078883"),
        ("+64", "09067277533", PremiumRate, "0906 727 7533"),
        ("+64", "0800 123 456", TollFree, "0800 123 456"),
        ("+64", "0508 123 456", TollFree, "0508 123 456"),
        ("+64", "0900 12345", PremiumRate, "0900 12 345"),
        ("+61", "03 9876 5432", FixedLine, "(03) 9876 5432"),
        ("+61", "07 3123 4567", FixedLine, "(07) 3123 4567"),
        ("+61", "08 8123 4567", FixedLine, "(08) 8123 4567"),
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
        ("+64", "09 164 5555", "New Zealand"), // a landline cannot start 1 after the area
        ("+64", "09 264 555", "New Zealand"),  // one digit short
        ("+64", "05 264 5555", "New Zealand"), // no area 5
        ("+64", "264 5555", "New Zealand"),    // the area code left out
        ("+64", "029987792", "New Zealand"),   // passed by the hand-made plans
        ("+64", "020759502", "New Zealand"),
        ("+61", "0412 345 67", "Australia"),  // one digit short
        ("+61", "05 1234 5678", "Australia"), // no area 5
        ("+61", "1800 123 45", "Australia"),
        ("+61", "0837051147", "Australia"),
        ("+44", "020 7946 095", "United Kingdom"),
    ];
    for (code, number, country) in cases {
        let parsed = parse(code, "", number);
        assert_eq!(parsed.kind(), NumberKind::Unknown, "{number}");
        assert_eq!(parsed.broken_plan(), Some(country), "{number}");
    }
}

#[test]
fn a_calling_code_shared_by_regions_picks_the_region_by_its_leading_digits() {
    // +1 684 is American Samoa, +1 416 Canada; +44 1481 Guernsey; +61 8 9162 Cocos Islands.
    let cases = [
        ("+1", "684 733 1234", NumberKind::Mobile),
        ("+1", "416 555 0123", NumberKind::FixedLineOrMobile),
        ("+44", "01481 256789", NumberKind::FixedLine),
        ("+61", "08 9162 1234", NumberKind::FixedLine),
        ("+7", "8 7172 123456", NumberKind::FixedLine),
    ];
    for (code, number, kind) in cases {
        assert_eq!(parse(code, "", number).kind(), kind, "{code} {number}");
    }
    assert_eq!(parse("+1", "", "684 123 1234").broken_plan(), Some("American Samoa"));
}

#[test]
fn a_country_without_a_plan_is_held_to_the_length_limits_only() {
    // +379 is in the provider's table but not in service: libphonenumber has no plan for it.
    let vatican = parse("+379", "", "06 1234 5678");
    assert_eq!(vatican.e164(), "+3790612345678");
    assert_eq!(vatican.kind(), NumberKind::Unknown);
    assert_eq!(vatican.broken_plan(), None);
    assert_eq!(vatican.national(), "+379 0612345678");
    let us = CountryCode::new("+1").unwrap();
    assert_eq!(ParsedNumber::parse(us, "", "123"), Err(NumberError::TooShort));
    assert_eq!(ParsedNumber::parse(us, "", &"2".repeat(18)), Err(NumberError::TooLong));
    assert!(ParsedNumber::parse(us, "", &"2".repeat(17)).is_ok());
    // Germany has toll-free numbers longer than E.164's fifteen digits.
    assert_eq!(parse("+49", "", "0800 4425 5959 9889").kind(), NumberKind::TollFree);
}

#[test]
fn an_area_code_beside_an_international_number_must_agree_with_it() {
    let agreeing = parse("+64", "09", "+64 9 264 5555");
    assert!(!agreeing.area_code_ignored());
    let contradicting = parse("+64", "07", "+64 9 264 5555");
    assert_eq!(contradicting.e164(), "+6492645555");
    assert!(contradicting.area_code_ignored());
}

#[test]
fn numbers_that_cannot_be_read_say_why() {
    let nz = CountryCode::NZ;
    let cases = [
        ("abc", NumberError::NoDigits),
        ("*555", NumberError::ServiceCode),
        ("#123", NumberError::ServiceCode),
        ("ext 12", NumberError::NoDigits),
        ("264 5555!", NumberError::InvalidCharacter('!')),
        ("２６４", NumberError::InvalidCharacter('２')),
        ("+44 20 7946 0000", NumberError::OtherCountry),
        ("0044 20 7946 0000", NumberError::OtherCountry),
        ("0011 61 412 345 678", NumberError::OtherCountry),
        ("0064 12", NumberError::TooShort),
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
        ("+64", "0044 20 7946 0958", "work", vec![Warning::OtherCountry]),
        ("+64", "0064 21 123 4567", "mobile", vec![]),
        ("+61", "0011 44 20 7946 0958", "work", vec![Warning::OtherCountry]),
        ("+64", "12", "work", vec![Warning::ImpossibleLength]),
        ("+64", "09 264 5555 after 5pm", "home", vec![Warning::TrailingText]),
        ("+64", "*555", "mobile", vec![Warning::ServiceCode]),
        ("+64", "#123", "mobile", vec![Warning::ServiceCode]),
        ("+64", "0800 FLOWERS", "work", vec![]),
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
        (
            Warning::AreaCodeIgnored,
            "AreaCode does not match PhoneNumber, which has its country code and is used as written.",
        ),
        (
            Warning::ServiceCode,
            "PhoneNumber is a service code, dialled as written and not from abroad.",
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
    assert_eq!(key("+64", "", "+64 09 264 5555"), "+6492645555");
    // Unreadable: too short to be a number anywhere, so the digits are the key.
    assert_eq!(key("+64", "0", "12"), "64012");
}
