// The package for `require()` (CommonJS). Loading the wasm is asynchronous whichever way the
// package is loaded, so `init()` imports the ES module (phone_wasm.js, which carries the wasm)
// and starts it; until it has, every function throws as the ES module's do.
"use strict";

// The module's functions, written here by `cargo xtask embed` from wasm-bindgen's exports.
const NAMES = /* xtask: NAMES */;

let api = null;
let loading = null;

function init(source) {
  if (loading === null) {
    loading = import("./phone_wasm.js").then(async (module) => {
      await module.default(source);
      api = module;
    });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

exports.init = init;
for (const name of NAMES) {
  exports[name] = (...args) => {
    if (api === null) throw new Error("call init() first");
    return api[name](...args);
  };
}
