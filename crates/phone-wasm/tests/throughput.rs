//! How many calls per second `validatePhoneNumber` and `isValidNumber` answer in headless
//! Chromium, called from JavaScript with JavaScript values as a page calls them. A benchmark:
//! `cargo xtask embed` runs it in release mode and prints the figures.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

mod own_instance;

use own_instance::loaded;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/throughput.js")]
extern "C" {
    #[wasm_bindgen(js_name = validationsPerSecond)]
    fn validations_per_second(inputs: &Array) -> f64;
    #[wasm_bindgen(js_name = isValidPerSecond)]
    fn is_valid_per_second(inputs: &Array) -> f64;
}

// Brings `phone_wasm_api.js` into the test's files, which `throughput.js` imports.
#[wasm_bindgen(module = "/package/phone_wasm_api.js")]
extern "C" {
    #[wasm_bindgen(js_name = isValidNumber)]
    fn is_valid_number(country_code: &str, number: &str) -> bool;
}

/// The fixed set: valid and invalid, New Zealand, Australia and elsewhere.
const NUMBERS: [&str; 8] = [
    r#"{"phoneName":"John","countryCode":"+64","areaCode":"09","phoneNumber":"264 5555","phoneType":"home","isPrimary":true}"#,
    r#"{"phoneName":"Aroha","countryCode":"+64","phoneNumber":"021 123 4567","phoneType":"mobile","isPrimary":false}"#,
    r#"{"phoneName":"Jack","countryCode":"+61","phoneNumber":"0412 345 678","phoneType":"mobile","isPrimary":true}"#,
    r#"{"phoneName":"Office","countryCode":"+61","areaCode":"02","phoneNumber":"9876 5432","phoneType":"work","isPrimary":false}"#,
    r#"{"phoneName":"Free","countryCode":"+64","phoneNumber":"0800 123 456","phoneType":"work","isPrimary":false}"#,
    r#"{"phoneName":"London","countryCode":"+44","phoneNumber":"020 7946 0000","phoneType":"work","isPrimary":false}"#,
    r#"{"phoneName":"","countryCode":"+999","phoneNumber":"call me","phoneType":"pager","isPrimary":"maybe"}"#,
    r#"{"phoneName":"John","countryCode":"+64","phoneNumber":"09 064 5555 ext 12","phoneType":"fax","isPrimary":true}"#,
];

#[wasm_bindgen_test]
async fn calls_per_second() {
    loaded().await;
    assert!(is_valid_number("+64", "021 123 4567"), "the module answers");
    let inputs: Array = NUMBERS.iter().map(|n| JSON::parse(n).expect("fixed JSON")).collect();
    let pairs: Array = NUMBERS
        .iter()
        .map(|n| {
            let fields = JSON::parse(n).expect("fixed JSON");
            let member = |name: &str| Reflect::get(&fields, &name.into()).expect("a member");
            Array::of2(&member("countryCode"), &member("phoneNumber"))
        })
        .collect();
    console_log!(
        "validatePhoneNumber: {:.0} validations per second ({} numbers)",
        validations_per_second(&inputs),
        inputs.length()
    );
    console_log!("isValidNumber: {:.0} calls per second", is_valid_per_second(&pairs));
}
