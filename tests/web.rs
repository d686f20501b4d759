//! The app mounted in a real browser (headless Chromium through wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use leptos::{mount::mount_to, prelude::*, task::tick};
use phonedesk::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a fresh element of the page and returns that element.
fn mount_app() -> HtmlElement {
    let document = document();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    mount_to(root.clone(), App).forget();
    root
}

fn by_test_id<T: JsCast>(root: &HtmlElement, id: &str) -> T {
    root.query_selector(&format!("[data-testid={id}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
        .unchecked_into()
}

/// Types `text` into an input the way a person does: the value changes, then `input` fires.
fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_app_shows_the_product_name() {
    let root = mount_app();
    let name: HtmlElement = by_test_id(&root, "product-name");
    assert_eq!(name.text_content().as_deref(), Some("Phonedesk"));
}

#[wasm_bindgen_test]
async fn a_typed_number_is_judged_by_the_shared_rules() {
    let root = mount_app();
    let input: HtmlInputElement = by_test_id(&root, "check-number");

    type_into(&input, "(09) 264-5555");
    tick().await;
    let result: HtmlElement = by_test_id(&root, "check-result");
    assert_eq!(result.text_content().as_deref(), Some("+64 9 264 5555"));

    type_into(&input, "call me");
    tick().await;
    let result: HtmlElement = by_test_id(&root, "check-result");
    assert_eq!(
        result.text_content().as_deref(),
        Some("PhoneNumber provided is invalid.")
    );
}
