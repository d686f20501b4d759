//! The package's JavaScript over the test's own wasm, which holds the module's exports
//! (`src/abi.rs`): what `init()` does for a page, with this instance in place of the wasm file.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;

// Links the module's exports into the test's wasm.
use phone_wasm as _;

#[wasm_bindgen(module = "/package/phone_wasm_load.js")]
extern "C" {
    fn load(source: &js_sys::Function) -> js_sys::Promise;
}

/// Gives `phone_wasm_load.js` this test's instance (once; later calls wait for the first).
pub async fn loaded() {
    let instance = js_sys::Object::new();
    Reflect::set(&instance, &"exports".into(), &wasm_bindgen::exports()).expect("an object");
    let source = js_sys::Function::new_with_args("instance", "return () => instance")
        .call1(&JsValue::NULL, &instance)
        .expect("a function");
    JsFuture::from(load(source.unchecked_ref())).await.expect("the module loads");
}
