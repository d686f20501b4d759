// Loading the wasm, once for the whole package: every entry (phone_wasm.js, phone_wasm.node.js,
// phone_wasm.cjs) and the functions they export share this module, so however the package is
// imported, and however many times `init()` is called, the wasm is compiled once.

import glueInit from "./phone_wasm_glue.js";

let loading = null;
let loaded = false;

// Starts loading the wasm from what `source()` gives (anything wasm-bindgen's `init` takes: a
// URL, a Response, bytes, a compiled WebAssembly.Module, or a promise of one) and returns the
// promise; later calls return the same promise and never call their `source`. A failed load is
// forgotten, so calling again retries.
export function load(source) {
  if (loading === null) {
    loading = (async () => {
      await glueInit({ module_or_path: await source() });
      loaded = true;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

// Called by every function before it reaches the wasm: without this, a call before `init()`
// fails inside wasm-bindgen's glue with "Cannot read properties of undefined".
export function ready() {
  if (!loaded) throw new Error("call init() first");
}
