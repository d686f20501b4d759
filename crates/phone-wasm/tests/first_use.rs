//! How long the first number of each calling code takes in headless Chromium: its region's
//! automata are built then (the plans carry patterns, not automata), so this is the wait a
//! person meets once per country. A benchmark: `cargo xtask embed` runs it in release mode and
//! prints the figures; it fails only if a first judgement goes wrong.
//!
//! The page's first number (New Zealand's) also waits for the browser to compile the module's
//! functions, which it does on their first call; it is reported apart. China's automata are
//! the largest (`cargo test -p phone-model --release --lib every_regions -- --nocapture`), so
//! it goes next: the worst new calling code a person meets. The other codes follow, each its
//! first time.
#![cfg(target_arch = "wasm32")]

use phone_model::{CountryCode, NumberKind, ParsedNumber};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The metadata's example numbers: `+64\tNZ\tmobile\t211234567`.
const EXAMPLES: &str = include_str!("../../phone-model/data/example-numbers.tsv");

/// Milliseconds to judge and write `example` under `code`, which must be of the code's plan.
fn first_number(code: &str, example: &str) -> f64 {
    let performance = web_sys::window().and_then(|w| w.performance()).expect("a browser clock");
    let country_code = CountryCode::new(code).expect("a code of the table");
    let started = performance.now();
    // Judged and written, as a form does: the region's automata are all built.
    let number = ParsedNumber::parse(country_code, "", example).expect("readable");
    let national = number.national();
    let took = performance.now() - started;
    assert_ne!(number.kind(), NumberKind::Unknown, "{code} {example}");
    assert!(!national.is_empty());
    took
}

#[wasm_bindgen_test]
fn the_first_number_of_each_calling_code() {
    let page = first_number("+64", "211234567");
    let china = first_number("+86", "1012345678");
    let mut seen = vec!["+64", "+86"];
    let mut times = Vec::new();
    for line in EXAMPLES.lines().skip(1) {
        let [code, region, _, example] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("a line of four fields: {line}");
        };
        if !seen.contains(&code) {
            seen.push(code);
            times.push((first_number(code, example), code, region));
        }
    }
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (worst, code, region) = times.last().copied().expect("codes");
    let median = times.get(times.len() / 2).map_or(0.0, |t| t.0);
    let total: f64 = times.iter().map(|t| t.0).sum::<f64>() + page + china;
    console_log!(
        "first number of a calling code: the page's first (+64, compiling the module's \
         functions) {page:.2} ms; China next {china:.2} ms; then each of {} other codes: median \
         {median:.2} ms, worst {worst:.2} ms ({code} {region}); all {total:.1} ms",
        times.len()
    );
}
