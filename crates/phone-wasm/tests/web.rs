//! The module's functions in headless Chromium, called as a page would call them — the
//! package's own JavaScript (`package/phone_wasm_api.js`) over this test's wasm, which holds
//! the module's exports: good input, bad input of every JavaScript type, and a call after
//! each bad one.
//!
//! Over 400 lines: one case per exported function and kind of bad input, each short.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON, Reflect};
use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod own_instance;

use own_instance::loaded;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/package/phone_wasm_api.js")]
extern "C" {
    #[wasm_bindgen(js_name = validatePhoneNumber, catch)]
    fn validate_phone_number(fields: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = formatPhoneNumber, catch)]
    fn format_phone_number(
        country_code: JsValue,
        area_code: JsValue,
        phone_number: JsValue,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = checkNumber, catch)]
    fn check_number(
        country_code: JsValue,
        number: JsValue,
        plain: bool,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = isValidNumber)]
    fn is_valid_number(country_code: JsValue, number: JsValue) -> bool;
    #[wasm_bindgen(js_name = formatAsYouType, catch)]
    fn format_as_you_type(country_code: JsValue, text: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = countryCodes)]
    fn country_codes() -> JsValue;
    #[wasm_bindgen(js_name = writtenCountry, catch)]
    fn written_country(country_code: JsValue, phone_number: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = countryChoices, catch)]
    fn country_choices(typed: JsValue, names: JsValue) -> Result<JsValue, JsValue>;
}

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn member(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).expect("a member")
}

/// The (field, message) pairs of a list of messages.
fn pairs(list: &JsValue) -> Vec<(String, String)> {
    list.dyn_ref::<Array>()
        .expect("an array")
        .iter()
        .map(|m| {
            (member(&m, "field").as_string().unwrap(), member(&m, "message").as_string().unwrap())
        })
        .collect()
}

#[track_caller]
fn assert_still_works() {
    let result = validate_phone_number(js(
        r#"{"phoneName":"John","countryCode":"+64","areaCode":"09","phoneNumber":"264 5555","phoneType":"home","isPrimary":true}"#,
    ))
    .expect("a good call answers");
    assert_eq!(member(&result, "valid"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn a_valid_number_is_valid_with_its_forms() {
    loaded().await;
    let result = validate_phone_number(js(
        r#"{"phoneName":"John","countryCode":"+64","phoneNumber":"021 123 4567","phoneType":"Mobile","isPrimary":"true"}"#,
    ))
    .unwrap();
    assert_eq!(member(&result, "valid"), JsValue::TRUE);
    assert!(pairs(&member(&result, "errors")).is_empty());
    assert_eq!(member(&result, "e164").as_string().as_deref(), Some("+64211234567"));
    assert_eq!(member(&result, "national").as_string().as_deref(), Some("021 123 4567"));
    assert_eq!(member(&result, "international").as_string().as_deref(), Some("+64 21 123 4567"));
    assert_eq!(member(&result, "telUri").as_string().as_deref(), Some("tel:+64211234567"));
    assert_eq!(member(&result, "kind").as_string().as_deref(), Some("mobile"));
}

#[wasm_bindgen_test]
async fn the_module_gives_the_shared_tables_errors_as_the_server_does() {
    loaded().await;
    let cases = js(include_str!("../../phone-model/tests/data/validation-cases.json"));
    for case in cases.dyn_ref::<Array>().unwrap().iter() {
        let name = member(&case, "name").as_string().unwrap();
        let result = validate_phone_number(member(&case, "body")).unwrap();
        let expected = pairs(&member(&case, "errors"));
        assert_eq!(pairs(&member(&result, "errors")), expected, "{name}");
        assert_eq!(member(&result, "valid").as_bool(), Some(expected.is_empty()), "{name}");
        // The reason is the module's alone (the server answers with errors and warnings).
        assert_eq!(member(&result, "reason"), member(&case, "reason"), "{name}");
        // A valid case lists its warnings, which the server tells as `Warning` headers.
        if expected.is_empty() {
            let warnings = pairs(&member(&case, "warnings"));
            assert_eq!(pairs(&member(&result, "warnings")), warnings, "{name}");
        }
    }
}

/// `reason`, `reasonMessage` and `reasonPlainMessage` of an answer, `None` for `null`.
fn reason_of(answer: &JsValue) -> [Option<String>; 3] {
    ["reason", "reasonMessage", "reasonPlainMessage"].map(|name| member(answer, name).as_string())
}

#[track_caller]
fn assert_reason(answer: &JsValue, expected: [&str; 3]) {
    assert_eq!(reason_of(answer), expected.map(|e| Some(e.to_owned())));
}

#[wasm_bindgen_test]
async fn an_invalid_or_impossible_number_says_why_in_both_wordings() {
    loaded().await;
    let validate = |country: &str, number: &str| {
        let body = js(r#"{"phoneName":"John","phoneType":"work","isPrimary":true}"#);
        Reflect::set(&body, &"countryCode".into(), &country.into()).unwrap();
        Reflect::set(&body, &"phoneNumber".into(), &number.into()).unwrap();
        validate_phone_number(body).expect("an object is answered")
    };
    // Saved by the server, with a warning, and yet no number of New Zealand has so many digits.
    let long = validate("+64", "021 123 4567 89");
    assert_eq!(member(&long, "valid"), JsValue::TRUE);
    assert_reason(
        &long,
        [
            "tooLong",
            "PhoneNumber is too long for a number in New Zealand.",
            "This number is too long for New Zealand: check the digits.",
        ],
    );
    assert_reason(
        &validate("+1", "555 0123"),
        [
            "noAreaCode",
            "PhoneNumber needs its area code to be a number in United States.",
            "Add the area code: numbers in United States are dialled with one.",
        ],
    );
    let refused = validate("+999", "021 123 4567");
    assert_eq!(member(&refused, "valid"), JsValue::FALSE);
    assert_eq!(reason_of(&refused)[0].as_deref(), Some("unknownCountryCode"));
    assert_eq!(
        reason_of(&validate("+64", "264 5555!"))[1].as_deref(),
        Some("PhoneNumber must not contain \"!\".")
    );
    assert_eq!(reason_of(&validate("+64", "09 264 5555")), [None, None, None]);
    // Valid as written: the other country's number, which `writtenCountry` names.
    assert_eq!(reason_of(&validate("+64", "+44 20 7946 0958")), [None, None, None]);

    let check = |country: &str, number: &str| {
        check_number(country.into(), number.into(), true).expect("an answer")
    };
    let short = check("+1", "212 555");
    assert_eq!(member(&short, "valid"), JsValue::FALSE);
    assert_reason(
        &short,
        [
            "tooShort",
            "PhoneNumber is too short for a number in United States.",
            "This number is too short for United States: check the digits.",
        ],
    );
    // `message` keeps the server's error; the reason says more.
    let letters = check("+64", "call me");
    assert_eq!(
        member(&letters, "message").as_string().unwrap(),
        "Enter the number in digits, such as 264 5555."
    );
    assert_eq!(reason_of(&letters)[0].as_deref(), Some("noDigits"));
    assert_eq!(reason_of(&check("+61", "4123 4567 890"))[0].as_deref(), Some("invalidLength"));
    assert_eq!(reason_of(&check("+64", "03 111 1111"))[0].as_deref(), Some("notInPlan"));
    assert_eq!(reason_of(&check("", "021 123 4567"))[0].as_deref(), Some("noCountryCode"));
    assert_eq!(reason_of(&check("+64", ""))[0].as_deref(), Some("noNumber"));
    let fine = check("+64", "021 123 4567");
    assert_eq!((member(&fine, "valid"), reason_of(&fine)), (JsValue::TRUE, [None, None, None]));
    assert_still_works();
}

#[wasm_bindgen_test]
async fn warnings_come_with_fields_and_do_not_invalidate() {
    loaded().await;
    let result = validate_phone_number(js(
        r#"{"phoneName":"John","countryCode":"+64","areaCode":"09","phoneNumber":"264 5555","phoneType":"mobile","isPrimary":true}"#,
    ))
    .unwrap();
    assert_eq!(member(&result, "valid"), JsValue::TRUE);
    assert_eq!(
        pairs(&member(&result, "warnings")),
        [("phoneType".to_owned(), "PhoneType mobile does not match a landline.".to_owned())]
    );
}

#[wasm_bindgen_test]
async fn anything_that_is_not_an_object_throws_a_clear_error_and_the_module_goes_on() {
    loaded().await;
    let not_objects = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(42.0),
        JsValue::from_str("09 264 5555"),
        JsValue::TRUE,
        Array::new().into(),
        js_sys::Function::new_no_args("return 1").into(),
        js_sys::Symbol::for_("phone").into(),
        js_sys::BigInt::from(7_u32).into(),
    ];
    for value in not_objects {
        let error = validate_phone_number(value.clone()).expect_err("not an object");
        let error: JsValue = error;
        let message = member(&error, "message").as_string().unwrap();
        assert!(message.contains("expects an object"), "{value:?}: {message}");
        assert_still_works();
    }
}

#[wasm_bindgen_test]
async fn odd_members_are_answered_with_errors_and_the_module_goes_on() {
    loaded().await;
    let huge = "9".repeat(10 * 1024 * 1024);
    let bodies = [
        js(
            r#"{"phoneName":{"nested":{"deeper":[1,2,3]}},"countryCode":[],"phoneNumber":null,"phoneType":1e308,"isPrimary":{}}"#,
        ),
        {
            let object = js(
                r#"{"phoneName":"John","countryCode":"+64","phoneType":"home","isPrimary":true}"#,
            );
            Reflect::set(&object, &"phoneNumber".into(), &JsValue::from_str(&huge)).unwrap();
            object
        },
        {
            let object = js(r#"{"phoneName":"John"}"#);
            Reflect::set(&object, &"phoneNumber".into(), &js_sys::BigInt::from(64_u32).into())
                .unwrap();
            Reflect::set(&object, &js_sys::Symbol::for_("x").into(), &JsValue::TRUE).unwrap();
            object
        },
    ];
    for body in bodies {
        let result = validate_phone_number(body).expect("an object is answered");
        assert_eq!(member(&result, "valid"), JsValue::FALSE);
        assert!(!pairs(&member(&result, "errors")).is_empty());
        assert_still_works();
    }
}

#[wasm_bindgen_test]
async fn a_member_that_throws_when_read_becomes_an_error() {
    loaded().await;
    let object = js("{}");
    let getter = js_sys::Function::new_no_args("throw new Error('boom')");
    let descriptor = js_sys::Object::new();
    Reflect::set(&descriptor, &"get".into(), &getter).unwrap();
    Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE).unwrap();
    js_sys::Object::define_property(
        object.unchecked_ref::<js_sys::Object>(),
        &"phoneName".into(),
        &descriptor,
    );
    let error = validate_phone_number(object).expect_err("the getter throws");
    assert!(member(&error, "message").as_string().unwrap().contains("phoneName"));
    assert_still_works();
}

#[wasm_bindgen_test]
async fn format_phone_number_gives_the_forms_or_null() {
    loaded().await;
    let forms =
        format_phone_number("+61".into(), JsValue::UNDEFINED, "0412 345 678".into()).unwrap();
    assert_eq!(member(&forms, "international").as_string().as_deref(), Some("+61 412 345 678"));
    assert!(format_phone_number("+64".into(), "".into(), "abc".into()).unwrap().is_null());
    assert!(format_phone_number("+999".into(), "".into(), "264 5555".into()).unwrap().is_null());
    let error = format_phone_number(JsValue::from_f64(64.0), "".into(), "1".into()).unwrap_err();
    assert_eq!(
        member(&error, "message").as_string().as_deref(),
        Some("countryCode must be a string")
    );
    assert_still_works();
}

#[wasm_bindgen_test]
async fn format_as_you_type_groups_the_digits_typed_so_far() {
    loaded().await;
    let grouped = |code: &str, text: &str| {
        format_as_you_type(code.into(), text.into()).expect("text").as_string().expect("a string")
    };
    assert_eq!(grouped("+64", "0211234"), "021 123 4");
    // A number pasted whole keeps its country's grouping.
    assert_eq!(grouped("+61", "+61 2 9374 4000"), "+61 2 9374 4000");
    assert_eq!(grouped("+64", "+61293744000"), "+61 2 9374 4000", "by its own country");
    assert_eq!(grouped("nowhere", "0211234"), "0211234");
    assert!(format_as_you_type("+64".into(), JsValue::TRUE).is_err());
    assert_still_works();
}

#[wasm_bindgen_test]
async fn country_codes_lists_the_providers_table() {
    loaded().await;
    let table = country_codes();
    let rows = table.dyn_ref::<Array>().unwrap();
    assert!(rows.length() > 200);
    let nz = rows
        .iter()
        .find(|r| member(r, "name").as_string().as_deref() == Some("New Zealand"))
        .unwrap();
    assert_eq!(member(&nz, "code").as_string().as_deref(), Some("+64"));
    let samoa = rows
        .iter()
        .find(|r| member(r, "name").as_string().as_deref() == Some("American Samoa"))
        .unwrap();
    assert_eq!(pairs_of_strings(&member(&samoa, "areaCodes")), ["684"]);
    // The region id for `Intl.DisplayNames`, and the country a code alone picks.
    let row = |name: &str| {
        let row = rows.iter().find(|r| member(r, "name").as_string().as_deref() == Some(name));
        let row = row.expect("a row of the table");
        (member(&row, "regionId").as_string(), member(&row, "main").as_bool())
    };
    let cases = [
        ("New Zealand", Some("NZ"), true),
        ("United States", Some("US"), true),
        ("Canada", Some("CA"), false),
        ("United Kingdom", Some("GB"), true),
        ("Guernsey", Some("GG"), false),
        ("Antarctica", None, true),
    ];
    for (name, region, main) in cases {
        assert_eq!(row(name), (region.map(str::to_owned), Some(main)), "{name}");
    }
    let mains = rows.iter().filter(|r| member(r, "code").as_string().as_deref() == Some("+1"));
    let mains: Vec<_> = mains.filter(|r| member(r, "main") == JsValue::TRUE).collect();
    assert_eq!(mains.len(), 1, "one main country under +1");
}

#[wasm_bindgen_test]
async fn written_country_names_the_country_a_number_is_written_for() {
    loaded().await;
    let written = |code: &str, number: &str| {
        let country = written_country(code.into(), number.into()).unwrap();
        (!country.is_null()).then(|| member(&country, "name").as_string().unwrap())
    };
    assert_eq!(written("+64", "+44 20 7946 0958").as_deref(), Some("United Kingdom"));
    assert_eq!(written("+64", "0044 20 7946 0958").as_deref(), Some("United Kingdom"));
    assert_eq!(written("+64", "0064 21 123 4567"), None);
    assert_eq!(written("+64", "021 123 4567"), None);
    assert_eq!(written("+999", "+44 20 7946 0958"), None);
    let samoa = written_country("+64".into(), "+1 684 633 1234".into()).unwrap();
    assert_eq!(pairs_of_strings(&member(&samoa, "areaCodes")), ["684"]);
    assert_eq!(member(&samoa, "regionId").as_string().as_deref(), Some("AS"));
    assert_eq!(member(&samoa, "main"), JsValue::FALSE);
    assert!(written_country(JsValue::from_f64(64.0), "+44".into()).is_err());
    assert_still_works();
}

#[wasm_bindgen_test]
async fn country_choices_offers_the_rows_the_app_offers_by_any_of_their_names() {
    loaded().await;
    let names = |typed: &str, names: JsValue| -> Vec<String> {
        let found = country_choices(typed.into(), names).expect("an answer");
        let found = found.dyn_ref::<Array>().expect("an array").iter();
        found.map(|row| member(&row, "name").as_string().unwrap()).collect()
    };
    assert_eq!(names("", JsValue::UNDEFINED)[..2], ["New Zealand", "Australia"]);
    assert_eq!(names("1", JsValue::UNDEFINED)[0], "United States");
    assert_eq!(names("1684", JsValue::NULL), ["American Samoa"]);
    assert_eq!(names("England", JsValue::UNDEFINED), ["United Kingdom"]);
    assert!(names("Narnia", JsValue::UNDEFINED).is_empty());
    // Whole rows, as `countryCodes()` gives them.
    let samoa = country_choices("1684".into(), JsValue::UNDEFINED).unwrap();
    let samoa = samoa.dyn_ref::<Array>().unwrap().get(0);
    assert_eq!(pairs_of_strings(&member(&samoa, "areaCodes")), ["684"]);
    assert_eq!(member(&samoa, "regionId").as_string().as_deref(), Some("AS"));
    // The page's own names, in the table's order (an emoji is two UTF-16 units).
    let shown = Array::new();
    for row in country_codes().dyn_ref::<Array>().unwrap().iter() {
        let name = member(&row, "name").as_string().unwrap();
        shown.push(&match name.as_str() {
            "Germany" => "Allemagne 😀".into(),
            "New Zealand" => "Nouvelle-Zélande".into(),
            "Russia" => "Россия".into(),
            "Japan" => JsValue::NULL,
            _ => "".into(),
        });
    }
    assert_eq!(names("allem", shown.clone().into()), ["Germany"]);
    assert_eq!(names("zélande", shown.clone().into()), ["New Zealand"]);
    // Any case of any script: the browser lower-cases what the module does not.
    assert_eq!(names("РОСС", shown.clone().into()), ["Russia"]);
    assert_eq!(names("japan", shown.into()), ["Japan"]);
    for bad in [js("5"), js(r#""Allemagne""#), js("[5]"), js("{}")] {
        assert!(country_choices("a".into(), bad).is_err());
        assert_still_works();
    }
    assert!(country_choices(JsValue::from_f64(64.0), JsValue::UNDEFINED).is_err());
    assert_still_works();
}

fn pairs_of_strings(list: &JsValue) -> Vec<String> {
    list.dyn_ref::<Array>().unwrap().iter().map(|v| v.as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
async fn is_valid_number_answers_yes_or_no_for_any_text() {
    loaded().await;
    let valid = |code: &str, number: &str| is_valid_number(code.into(), number.into());
    assert!(valid("+64", "021 123 4567"));
    assert!(valid("+64", "+64 21 123 4567"));
    assert!(valid("+44", "020 7946 0958"));
    assert!(!valid("+64", "09 164 5555"));
    assert!(!valid("+999", "021 123 4567"));
    assert!(!valid("+64", "call me"));
    assert!(!is_valid_number(JsValue::NULL, JsValue::UNDEFINED));
    // Anything else is read as its text.
    assert!(is_valid_number(JsValue::from_f64(64.0), "+64 21 123 4567".into()));
}

/// The metadata's self-test, as `phone-model`'s native tests run it: every example number is
/// valid, and of its type, in the module too.
#[wasm_bindgen_test]
async fn every_example_number_of_the_metadata_is_valid_and_of_its_type() {
    loaded().await;
    let table = include_str!("../../phone-model/data/example-numbers.tsv");
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (code, region, type_name, example) = (fields[0], fields[1], fields[2], fields[3]);
        let international = format!("{code}{example}");
        assert!(
            is_valid_number(code.into(), international.as_str().into()),
            "{region} {international}"
        );
        let forms =
            format_phone_number(code.into(), "".into(), international.as_str().into()).unwrap();
        let kind = member(&forms, "kind").as_string().unwrap();
        let expected: &[&str] = match type_name {
            "fixedLine" => &["landline", "landlineOrMobile"],
            "mobile" => &["mobile", "landlineOrMobile"],
            other => &[other],
        };
        assert!(expected.contains(&kind.as_str()), "{region} {type_name} {international}: {kind}");
    }
}

#[wasm_bindgen_test]
async fn a_number_alone_is_checked_in_either_wording() {
    loaded().await;
    let check = |country: &str, number: &str, plain: bool| {
        let answer = check_number(country.into(), number.into(), plain).expect("an answer");
        (
            member(&answer, "valid").as_bool().unwrap(),
            member(&answer, "message").as_string().unwrap(),
            member(&answer, "e164").as_string(),
            member(&answer, "kind").as_string(),
        )
    };
    assert_eq!(
        check("+64", "021 123 4567", false),
        (true, String::new(), Some("+64211234567".to_owned()), Some("mobile".to_owned()))
    );
    assert_eq!(check("+64", "call me", false).1, "PhoneNumber provided is invalid.");
    assert_eq!(check("+64", "call me", true).1, "Enter the number in digits, such as 264 5555.");
    // Read, but no New Zealand number is written like this: not valid, with the plan's word.
    let (valid, message, e164, _) = check("+64", "03 111 1111", true);
    assert_eq!(
        (valid, message.as_str()),
        (false, "No number in New Zealand is written like this: check the digits.")
    );
    assert!(e164.is_some());
    assert_eq!(
        check("+6400", "021 123 4567", false).1,
        "CountryCode must not exceed 4 characters."
    );
    assert_eq!(check("+64", "", false).1, "PhoneNumber is required.");
    assert!(check_number(JsValue::from(64), "1".into(), false).is_err(), "a number is not text");
    // A separator of the module's answers, typed, stays in the reason's messages.
    let answer = check_number("+64".into(), "021\u{1}".into(), false).unwrap();
    assert_eq!(
        reason_of(&answer),
        [
            Some("invalidCharacter".to_owned()),
            Some("PhoneNumber must not contain \"\u{1}\".".to_owned()),
            Some("A phone number cannot contain \"\u{1}\".".to_owned()),
        ]
    );
    assert!(member(&answer, "e164").is_null());
    // Text after the number: a warning, still valid.
    let answer = check_number("+64".into(), "021 123 4567 after 5pm".into(), true).unwrap();
    assert_eq!(member(&answer, "valid"), JsValue::TRUE);
    assert_eq!(
        JSON::stringify(&member(&answer, "warnings")).unwrap(),
        r#"["The text after the number is kept, but not dialled."]"#
    );
    assert_still_works();
}
