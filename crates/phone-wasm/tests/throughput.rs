//! How many validations per second `validatePhoneNumber` does in headless Chromium, called
//! with JavaScript objects as a page calls it. A benchmark: `cargo xtask embed` runs it in
//! release mode and prints the figure.
#![cfg(target_arch = "wasm32")]

use js_sys::JSON;
use phone_wasm::validate_phone_number;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

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
fn validations_per_second() {
    let inputs: Vec<_> = NUMBERS.iter().map(|n| JSON::parse(n).expect("fixed JSON")).collect();
    let performance = web_sys::window().and_then(|w| w.performance()).expect("a browser clock");
    // Warm up, then count for about a second.
    for input in &inputs {
        validate_phone_number(input.clone()).expect("an object is answered");
    }
    let started = performance.now();
    let mut done = 0_u32;
    while performance.now() - started < 1000.0 {
        for input in &inputs {
            validate_phone_number(input.clone()).expect("an object is answered");
        }
        done += inputs.len() as u32;
    }
    let seconds = (performance.now() - started) / 1000.0;
    console_log!(
        "validatePhoneNumber: {:.0} validations per second ({done} in {seconds:.2} s, {} numbers)",
        f64::from(done) / seconds,
        inputs.len()
    );
}
