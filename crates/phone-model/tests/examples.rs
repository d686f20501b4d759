//! The metadata's self-test: every example number libphonenumber's file gives
//! (`data/example-numbers.tsv`, written by `cargo xtask metadata`) is valid and of its type,
//! written internationally and nationally. The wasm tests of `phone-wasm` run the same table.

use phone_model::{CountryCode, NumberKind, ParsedNumber};

/// The kinds a libphonenumber type name allows: a fixed line or mobile number may be reported
/// as "landline or mobile" where the plan cannot tell them apart, as libphonenumber does.
fn kinds_of(type_name: &str) -> &'static [NumberKind] {
    use NumberKind::*;
    match type_name {
        "fixedLine" => &[FixedLine, FixedLineOrMobile],
        "mobile" => &[Mobile, FixedLineOrMobile],
        "tollFree" => &[TollFree],
        "premiumRate" => &[PremiumRate],
        "sharedCost" => &[SharedCost],
        "voip" => &[Voip],
        "personalNumber" => &[PersonalNumber],
        "pager" => &[Pager],
        "uan" => &[Uan],
        "voicemail" => &[Voicemail],
        other => panic!("unknown type {other}"),
    }
}

#[test]
fn every_example_number_of_the_metadata_is_valid_and_of_its_type() {
    let table = include_str!("../data/example-numbers.tsv");
    let mut checked = 0;
    for line in table.lines().skip(1) {
        let [code, region, type_name, example] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("a row of four fields: {line:?}");
        };
        let code = CountryCode::new(code).expect("the table's codes are the provider's");
        let international = format!("{code}{example}");
        let parsed = ParsedNumber::parse(code, "", &international)
            .unwrap_or_else(|e| panic!("{region} {type_name} {international}: {e}"));
        assert!(
            kinds_of(type_name).contains(&parsed.kind()),
            "{region} {type_name} {international} is {:?}",
            parsed.kind()
        );
        assert_eq!(parsed.e164(), international, "{region} {type_name}");
        let again = ParsedNumber::parse(code, "", &parsed.international()).expect("readable");
        assert_eq!(again.e164(), international, "{region} {type_name} international form");
        checked += 1;
    }
    assert!(checked > 1000, "only {checked} example numbers");
}
