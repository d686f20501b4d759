// The package for browsers, bundlers and any other runtime: the wasm travels inside this
// JavaScript (phone_wasm.wasm.js, base64), so no bundler has to find, copy or serve a separate
// file, and `init()` needs no argument. Give one to load the wasm from elsewhere: a URL (of
// phone_wasm.wasm, served beside the page), a Response, bytes or a WebAssembly.Module; or the
// options `{ wasm, regions, plans }`.

import { preloadPlans } from "./phone_wasm_api.js";
import { load, once, options } from "./phone_wasm_load.js";
import { wasm } from "./phone_wasm.wasm.js";

export * from "./phone_wasm_api.js";

// The inlined wasm as bytes. `atob` is in every browser, Node.js 16+, Deno and Bun.
function inlined() {
  const text = atob(wasm);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// `source` is where the wasm is, or the options: `{ wasm, regions, plans }` (the on-demand
// build's packs to fetch now, and where they are served).
export default function init(source) {
  return once(() => {
    const { wasm: given, regions } = options(source);
    return load(async () => (await given) ?? inlined()).then(() => preloadPlans(regions));
  });
}

export { init };
